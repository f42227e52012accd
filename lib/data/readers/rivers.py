"""rivers.geojson: the rivers the map draws."""

from __future__ import annotations

from pathlib import Path

from lib.data.checking import Checker, frame, read_features
from lib.data.readers.base import Reader
from lib.data.records import RIVERS_FILE


def _read_rivers(path: Path, sources):
    ck = Checker(RIVERS_FILE)
    rows, seen = [], set()
    for i, (_where, props, geom) in enumerate(
        read_features(path, ck, ("LineString", "MultiLineString"))
    ):
        rid = ck.new_id(props, i, seen)
        name = ck.text(props, "name", rid)
        source = ck.sources(props, "source", rid, sources)
        if None not in (name, source):
            rows.append({"id": rid, "name": name, "source": source, "geometry": geom})
    return frame(rows), ck.problems


READER = Reader(RIVERS_FILE, gives=("rivers",), needs=("sources",), read=_read_rivers)
