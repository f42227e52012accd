"""borders.geojson: Syria and its neighbours (OpenStreetMap), repaired if needed."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from lib.data.checking import Checker, frame, read_features, repair
from lib.data.errors import Problem
from lib.data.readers.base import Reader
from lib.data.records import BORDERS_FILE


def _read_borders(path: Path, notes: list[str]) -> tuple[gpd.GeoDataFrame | None, list[Problem]]:
    ck = Checker(BORDERS_FILE)
    rows = []
    for where, props, geom in read_features(path, ck, ("Polygon", "MultiPolygon")):
        name = ck.text(props, "name", where)
        # a hand-edited or older file may hold self-touching rings: repair, and say so.
        geom = repair(geom, where, ck, notes, repairable=True)
        if name and geom is not None:
            rows.append({"name": name, "iso_n3": props.get("iso_n3"), "geometry": geom})
    names = {r["name"] for r in rows}
    for needed in ("Syria", "Turkey"):
        if not ck.problems and needed not in names:
            ck.add(None, "name", f"no feature named '{needed}'")
    if len(names) != len(rows):
        ck.add(None, "name", "two features share a name")
    return (frame(rows, index=False) if rows else None), ck.problems


READER = Reader(BORDERS_FILE, gives=("countries",), needs=("notes",), read=_read_borders)
