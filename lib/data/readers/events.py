"""events.geojson: dated events, each at a point or a place, or nowhere on the map."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from lib.data.checking import Checker, frame, read_features
from lib.data.dates import Period
from lib.data.readers.base import Reader
from lib.data.readers.base import ids as _ids
from lib.data.records import CONFIDENCE_LEVELS, DATE_PRECISIONS, EVENT_TRACKS, EVENTS_FILE


def _read_events(path: Path, sources, place_ids, period: Period):
    ck = Checker(EVENTS_FILE)
    rows, seen = [], set()
    features = read_features(path, ck, ("Point", "LineString"), allow_null=True)
    for i, (_where, props, geom) in enumerate(features):
        eid = ck.new_id(props, i, seen)
        day = ck.day(props, "date", eid, lo=date(1900, 1, 1), hi=period.end)
        end = ck.day(props, "end_date", eid, hi=period.end, optional=True)
        if day and end and end < day:
            ck.add(eid, "end_date", f"{end} is before the start date {day}")
        precision = ck.choice(props, "date_precision", eid, DATE_PRECISIONS)
        track = ck.choice(props, "track", eid, EVENT_TRACKS)
        title = ck.text(props, "title", eid)
        description = ck.text(props, "description", eid)
        source = ck.sources(props, "source", eid, sources)
        conf = ck.choice(props, "confidence", eid, CONFIDENCE_LEVELS)
        place = props.get("place")
        if place is not None and place not in place_ids:
            ck.add(eid, "place", f"refers to unknown place '{place}'")
        change = props.get("change")  # the control change it reports (checked on load)
        if change is not None and not isinstance(change, str):
            ck.add(eid, "change", "must be the id of a control change")
            change = None
        approximate = props.get("approximate", False)
        if not isinstance(approximate, bool):
            ck.add(eid, "approximate", f"must be true or false, got {approximate!r}")
        if None not in (day, precision, track, title, description, source, conf):
            rows.append(
                {
                    "id": eid,
                    "track": track,
                    "date": day,
                    "end_date": end,
                    "date_precision": precision,
                    "date_label": props.get("date_label") or "",
                    "title": title,
                    "description": description,
                    "quote": props.get("quote") or "",
                    "place": place,
                    "change": change,
                    "approximate": bool(approximate),
                    "source": source,
                    "confidence": conf,
                    "geometry": geom,
                }
            )
    rows.sort(key=lambda r: (r["date"], r["id"]))
    return frame(rows), ck.problems


def _read(path, sources, places, period):
    return _read_events(path, sources, _ids(places), period)


READER = Reader(EVENTS_FILE, gives=("events",), needs=("sources", "places", "period"), read=_read)
