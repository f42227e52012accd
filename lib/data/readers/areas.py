"""control_areas.geojson: the areas that partition Syria, the units of control."""

from __future__ import annotations

from pathlib import Path

from lib.data.checking import Checker, frame, read_features, repair
from lib.data.readers.base import Reader
from lib.data.records import AREAS_FILE


def _read_areas(path: Path, sources, notes: list[str]):
    ck = Checker(AREAS_FILE)
    rows, seen = [], set()
    for i, (_where, props, geom) in enumerate(read_features(path, ck, ("Polygon", "MultiPolygon"))):
        aid = ck.new_id(props, i, seen)
        name = ck.text(props, "name", aid)
        edges = ck.text(props, "edges", aid)
        precision = ck.number(props, "precision_km", aid)
        source = ck.sources(props, "source", aid, sources)
        geom = repair(geom, aid, ck, notes, repairable=True)
        if None not in (name, edges, precision, source, geom):
            rows.append(
                {
                    "id": aid,
                    "name": name,
                    "edges": edges,
                    "precision_km": precision,
                    "source": source,
                    "geometry": geom,
                }
            )
    if not rows and not ck.problems:
        ck.add(None, "features", "has no areas")
    return (frame(rows) if rows else None), ck.problems


READER = Reader(AREAS_FILE, gives=("areas",), needs=("sources", "notes"), read=_read_areas)
