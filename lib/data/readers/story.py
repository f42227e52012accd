"""story.json: the guided story's steps; they refer to events, proposals, places,
sites and layers, so it is read only once those have loaded cleanly."""

from __future__ import annotations

from pathlib import Path

from lib.data.checking import Checker, objects_of, read_json
from lib.data.dates import Period
from lib.data.readers.base import Reader
from lib.data.readers.base import ids as _ids
from lib.data.records import STORY_CHAPTERS, STORY_FILE, STORY_REGION, StoryStep


def _read_story(path: Path, sources, events, proposal_ids, period: Period, labelled, layer_keys):
    """The guided story: each step names an event, a day within the period, a view
    inside the story's region, and known layers (`layer_keys`: the registry's, given by
    the caller; None: not checked) and proposals."""

    ck = Checker(STORY_FILE)
    steps: list[StoryStep] = []
    seen: set = set()
    event_ids = set(events.index) if events is not None else set()
    lo_x, lo_y, hi_x, hi_y = STORY_REGION
    for i, item in objects_of(read_json(path, ck), "steps", ck):
        sid = ck.new_id(item, i, seen)
        chapter = ck.choice(item, "chapter", sid, STORY_CHAPTERS)
        event = ck.ref(item, "event", sid, event_ids, "event")
        day = ck.day(item, "map_date", sid, lo=period.baseline, hi=period.end)
        caption = ck.text(item, "caption", sid)
        quote = ck.text(item, "quote", sid, optional=True) or ""
        title = ck.text(item, "title", sid, optional=True) or ""
        extra = ck.sources(item, "source", sid, sources) if "source" in item else ""
        labels = item.get("labels", [])
        if not isinstance(labels, list) or not all(isinstance(v, str) for v in labels):
            ck.add(sid, "labels", "must be a list of site or place ids")
            labels = []
        for v in labels:
            if v not in labelled:
                ck.add(sid, "labels", f"refers to unknown site or place '{v}'")
        names = {}
        for key, known, what in (
            ("layers", layer_keys, "layer"),
            ("proposals", proposal_ids, "proposal"),
        ):
            value = item.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                ck.add(sid, key, f"must be a list of {what} ids")
                names[key] = None
                continue
            if known is None:  # no registry given: the step's own names, in its order
                known = tuple(value)
            for v in value:
                if v not in known:
                    ck.add(sid, key, f"refers to unknown {what} '{v}'")
            names[key] = tuple(v for v in known if v in value)  # canonical order
        bounds = item.get("bounds")
        try:
            (south, west), (north, east) = bounds
            if not all(isinstance(v, (int, float)) for v in (south, west, north, east)):
                raise TypeError
        except (TypeError, ValueError):
            ck.add(sid, "bounds", "must be [[south, west], [north, east]] in degrees")
            bounds = None
        else:
            if not (lo_y <= south < north <= hi_y and lo_x <= west < east <= hi_x):
                ck.add(
                    sid,
                    "bounds",
                    "must have south < north and west < east, inside the story's region "
                    f"(longitude {lo_x:g} to {hi_x:g}, latitude {lo_y:g} to {hi_y:g})",
                )
                bounds = None
        if None in (chapter, event, day, caption, extra, bounds, *names.values()):
            continue
        cited = [s for s in str(events.loc[event, "source"]).split("; ")]
        cited += [s for s in extra.split("; ") if s and s not in cited]
        steps.append(
            StoryStep(
                id=sid,
                chapter=chapter,
                event=event,
                map_date=day,
                bounds=((float(south), float(west)), (float(north), float(east))),
                layers=names["layers"],
                proposals=names["proposals"],
                caption=caption,
                quote=quote,
                source="; ".join(cited),
                title=title,
                labels=tuple(v for v in labels if v in labelled),
            )
        )
    if not steps and not ck.problems:
        ck.add(None, "steps", "has no steps")
    return tuple(steps), ck.problems


def _read(path, sources, events, proposals, period, places, sites, layer_keys):
    labelled = _ids(places) | _ids(sites)
    proposal_ids = [p.id for p in proposals]
    return _read_story(path, sources, events, proposal_ids, period, labelled, layer_keys)


READER = Reader(
    STORY_FILE,
    gives=("story",),
    needs=("sources", "events", "proposals", "period", "places", "sites", "layer_keys"),
    read=_read,
    needs_clean=True,
)
