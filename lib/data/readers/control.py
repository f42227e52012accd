"""control_log.json: who held each control area on the baseline, and every change
after it (areas and the towns taken with them), each with sources and confidence."""

from __future__ import annotations

from pathlib import Path

from lib.data.checking import Checker, list_member, objects_of, read_json
from lib.data.dates import Period
from lib.data.readers.base import Reader
from lib.data.readers.base import ids as _ids
from lib.data.records import (
    CONFIDENCE_LEVELS,
    CONTROL_FILE,
    UNCLEAR,
    BaselineGroup,
    ControlChange,
)


def _read_control(path: Path, sources, factions, area_ids, place_ids, period: Period):
    """The control log: each area's holder on the baseline date and every change after.

    Returns (baseline groups, changes, {place id: area id} for places the log assigns
    by hand, problems). Whether a change's places lie in its areas is checked later,
    with the geometry (`_check_geography`).
    """
    ck = Checker(CONTROL_FILE)
    doc = read_json(path, ck)
    baseline: list[BaselineGroup] = []
    changes: list[ControlChange] = []
    overrides: dict[str, str] = {}
    if doc is None:
        return baseline, changes, overrides, ck.problems
    if not isinstance(doc, dict):
        ck.add(None, None, "must be a JSON object")
        return baseline, changes, overrides, ck.problems

    def id_list(item, key, where, known, what, required=True):
        ids = item.get(key)
        if ids is None and not required:
            return ()
        if not isinstance(ids, list) or not ids or not all(isinstance(x, str) for x in ids):
            ck.add(where, key, f"must be a non-empty list of {what} ids")
            return None
        unknown = [x for x in ids if x not in known]
        for x in unknown:
            ck.add(where, key, f"refers to unknown {what} '{x}'")
        if len(set(ids)) != len(ids):
            ck.add(where, key, f"lists a {what} twice")
        return None if unknown else tuple(ids)

    holder: dict[str, str] = {}
    for i, item in enumerate(list_member(doc, "baseline", ck)):
        where = f"baseline group {i + 1}"
        if not isinstance(item, dict):
            ck.add(where, None, "must be an object")
            continue
        faction = ck.ref(item, "faction", where, factions, "faction")
        if faction in UNCLEAR:
            ck.add(where, "faction", f"the baseline gives each area a holder, not '{faction}'")
            faction = None
        src = ck.sources(item, "source", where, sources)
        conf = ck.choice(item, "confidence", where, CONFIDENCE_LEVELS)
        ids = id_list(item, "areas", where, area_ids, "area")
        for a in ids or ():
            if a in holder:
                ck.add(where, "areas", f"area '{a}' is already in another baseline group")
            holder[a] = faction
        if None not in (faction, src, conf, ids):
            baseline.append(BaselineGroup(faction, ids, src, conf, item.get("note") or ""))
    missing = [a for a in area_ids if a not in holder]
    if missing and not ck.problems:
        shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
        ck.add(None, "baseline", f"{len(missing)} area(s) have no baseline holder: {shown}")

    seen: set = set()
    last_day = period.baseline
    for i, item in objects_of(doc, "changes", ck):
        cid = ck.new_id(item, i, seen)
        day = ck.day(item, "date", cid)
        if day is not None and not period.baseline < day <= period.end:
            ck.add(cid, "date", f"{day} is outside {period.baseline} (exclusive) to {period.end}")
            day = None
        if day is not None and day < last_day:
            ck.add(
                cid,
                "date",
                f"{day} is earlier than the change before it ({last_day}): "
                "keep the log in date order",
            )
        faction = ck.ref(item, "faction", cid, factions, "faction")
        src = ck.sources(item, "source", cid, sources)
        conf = ck.choice(item, "confidence", cid, CONFIDENCE_LEVELS)
        ids = id_list(item, "areas", cid, area_ids, "area")
        places = id_list(item, "places", cid, place_ids, "place", required=False)
        reason, claimants = "", ()
        if faction in UNCLEAR:
            reason = ck.text(item, "reason", cid) or ""
            claimants = (
                id_list(item, "contested_by", cid, factions, "faction", required=False) or ()
            )
            if places:
                ck.add(cid, "places", f"a change to '{faction}' takes no town: list none")
        elif "reason" in item or "contested_by" in item:
            only = " or ".join(f"'{f}'" for f in UNCLEAR)
            ck.add(cid, "reason", f"only a change to {only} has a reason and claimants")
        if None in (day, faction, src, conf, ids, places) or (faction in UNCLEAR and not reason):
            continue
        last_day = day
        for a in ids:
            if holder.get(a) == faction and faction not in UNCLEAR:
                ck.add(cid, "areas", f"'{a}' is already held by '{faction}' at that date")
            holder[a] = faction
        changes.append(
            ControlChange(
                cid, day, faction, ids, places, src, conf, item.get("note") or "", reason, claimants
            )
        )

    assigned = doc.get("place_areas", {})
    if not isinstance(assigned, dict):
        ck.add(None, "place_areas", "must be an object of place id: area id")
        assigned = {}
    for pid, aid in assigned.items():
        if pid not in place_ids:
            ck.add("place_areas", pid, "is not a known place")
        elif aid not in area_ids:
            ck.add("place_areas", pid, f"refers to unknown area {aid!r}")
        else:
            overrides[pid] = aid
    return baseline, changes, overrides, ck.problems


def _read(path, sources, factions, areas, places, period):
    return _read_control(path, sources, factions, list(_ids(areas)), _ids(places), period)


READER = Reader(
    CONTROL_FILE,
    gives=("baseline", "changes", "overrides"),
    needs=("sources", "factions", "areas", "places", "period"),
    read=_read,
)
