"""sites.geojson: bases and other sites, each with the list of its holders by date."""

from __future__ import annotations

from pathlib import Path

from lib.data.checking import Checker, frame, read_features
from lib.data.dates import Period
from lib.data.readers.base import Reader
from lib.data.records import CONFIDENCE_LEVELS, SITE_KINDS, SITES_FILE, SiteControl


def _read_sites(path: Path, sources, factions, period: Period):
    ck = Checker(SITES_FILE)
    rows, history, seen = [], {}, set()
    for i, (_where, props, geom) in enumerate(read_features(path, ck, ("Point",))):
        sid = ck.new_id(props, i, seen)
        name = ck.text(props, "name", sid)
        kind = ck.choice(props, "kind", sid, SITE_KINDS)
        operator = ck.text(props, "operator", sid)
        approximate = ck.boolean(props, "approximate", sid)
        source = ck.sources(props, "source", sid, sources)
        steps = props.get("control")
        entries: list[SiteControl] = []
        if not isinstance(steps, list) or not steps:
            ck.add(
                sid, "control", "must be a non-empty list of {from, faction, source, confidence}"
            )
        else:
            for j, step in enumerate(steps):
                at = f"control[{j}]"
                if not isinstance(step, dict):
                    ck.add(sid, at, "must be an object")
                    continue
                start = ck.day(step, "from", sid, hi=period.end)
                faction = ck.ref(step, "faction", sid, factions, "faction")
                src = ck.sources(step, "source", sid, sources)
                conf = ck.choice(step, "confidence", sid, CONFIDENCE_LEVELS)
                if None in (start, faction, src, conf):
                    continue
                if entries and start <= entries[-1].start:
                    ck.add(sid, f"{at}.from", f"{start} is not after the previous entry's date")
                    continue
                if entries and faction == entries[-1].faction:
                    ck.add(sid, f"{at}.faction", f"repeats the previous controller '{faction}'")
                change = step.get("change") or ""
                if not isinstance(change, str):
                    ck.add(sid, f"{at}.change", "must be the id of a control change")
                    change = ""
                entries.append(
                    SiteControl(start, faction, src, conf, step.get("note") or "", change)
                )
            if entries and entries[0].start != period.baseline:
                ck.add(sid, "control[0].from", f"must be the baseline date {period.baseline}")
        if None not in (name, kind, operator, approximate, source) and entries:
            history[sid] = tuple(entries)
            rows.append(
                {
                    "id": sid,
                    "name": name,
                    "kind": kind,
                    "operator": operator,
                    "approximate": approximate,
                    "note": props.get("note") or "",
                    "source": source,
                    "geometry": geom,
                }
            )
    return frame(rows), history, ck.problems


READER = Reader(
    SITES_FILE,
    gives=("sites", "site_control"),
    needs=("sources", "factions", "period"),
    read=_read_sites,
)
