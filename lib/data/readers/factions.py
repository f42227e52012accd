"""factions.json: the holders the map colours, each with its sources."""

from __future__ import annotations

from pathlib import Path

from lib.data.checking import Checker, objects_of, read_json
from lib.data.errors import Problem
from lib.data.readers.base import Reader
from lib.data.records import COLOR_PATTERN, FACTIONS_FILE, Faction


def _read_factions(path: Path, sources) -> tuple[dict[str, Faction], list[Problem]]:
    ck = Checker(FACTIONS_FILE)
    out: dict[str, Faction] = {}
    seen: set = set()
    for i, item in objects_of(read_json(path, ck), "factions", ck):
        fid = ck.new_id(item, i, seen)
        name, short, desc = (ck.text(item, k, fid) for k in ("name", "short", "description"))
        color = ck.text(item, "color", fid)
        if color is not None and not COLOR_PATTERN.match(color):
            ck.add(fid, "color", f"must be a colour like #1a2b3c, got {color!r}")
            color = None
        backers = item.get("backers")
        if not isinstance(backers, list) or not all(isinstance(b, str) for b in backers):
            ck.add(fid, "backers", "must be a list of names")
            backers = None
        source = ck.sources(item, "source", fid, sources)
        if None not in (name, short, desc, color, backers, source):
            out[fid] = Faction(fid, name, short, color, tuple(backers), desc, source)
    return out, ck.problems


READER = Reader(FACTIONS_FILE, gives=("factions",), needs=("sources",), read=_read_factions)
