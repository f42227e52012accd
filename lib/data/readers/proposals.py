"""proposals.json: the buffer-zone proposals, each with its terms and sources."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from lib.data.checking import Checker, objects_of, read_json
from lib.data.dates import Period
from lib.data.readers.base import Reader
from lib.data.records import (
    COLOR_PATTERN,
    CONFIDENCE_LEVELS,
    DASH_PATTERN,
    PROPOSALS_FILE,
    Proposal,
)


def _read_proposals(path: Path, sources, period: Period):
    ck = Checker(PROPOSALS_FILE)
    out, seen = [], set()
    for i, item in objects_of(read_json(path, ck), "proposals", ck):
        pid = ck.new_id(item, i, seen)
        dist = ck.number(item, "distance_mi", pid)
        if dist is not None and not 0 < dist <= 100:
            ck.add(pid, "distance_mi", f"must be between 0 and 100 miles, got {dist}")
            dist = None
        texts = {
            k: ck.text(item, k, pid)
            for k in ("label", "proposed_by", "date_label", "terms", "quote", "status")
        }
        day = ck.day(item, "date", pid, lo=date(1900, 1, 1), hi=period.end)
        src = ck.sources(item, "source", pid, sources)
        conf = ck.choice(item, "confidence", pid, CONFIDENCE_LEVELS)
        color = ck.text(item, "color", pid)
        if color is not None and not COLOR_PATTERN.match(color):
            ck.add(pid, "color", f"must be a colour like #1a2b3c, got {color!r}")
            color = None
        dash = item.get("dash")
        if dash is not None and not (isinstance(dash, str) and DASH_PATTERN.match(dash)):
            ck.add(pid, "dash", f"must be numbers separated by spaces, like '8 4', got {dash!r}")
            dash = None
        if None not in (dist, day, src, conf, color, *texts.values()):
            out.append(
                Proposal(
                    id=pid,
                    distance_mi=float(dist),
                    date=day,
                    source=src,
                    confidence=conf,
                    color=color,
                    dash=dash,
                    **texts,
                )
            )
    return tuple(sorted(out, key=lambda p: p.distance_mi)), ck.problems


READER = Reader(
    PROPOSALS_FILE, gives=("proposals",), needs=("sources", "period"), read=_read_proposals
)
