"""Each fact stored once, or checked where it is restated: a capture's date and taker
live in control_log.json; an event that reports the change names it (`change`), and so
does a site's holder that follows it, and both must agree with it; a story step shows
its event's day. One function a check; each returns its problems, named by file,
record and field."""

from __future__ import annotations

from lib.data.errors import Problem
from lib.data.records import (
    ARTICLE_SOURCE,
    CONTROL_FILE,
    EVENTS_FILE,
    PROPOSALS_FILE,
    SITES_FILE,
    STORY_FILE,
    article_alone,
)


def check_consistency(got: dict) -> list[Problem]:
    """Every check below, on what the readers gave (load.py's `got`)."""
    by_id = {c.id: c for c in got["changes"]}
    return (
        events_agree_with_their_changes(got["events"], by_id)
        + site_holders_agree_with_their_changes(got["site_control"], by_id)
        + story_steps_show_their_events_day(got.get("story", ()), got["events"], got["period"])
        + article_alone_is_never_high(got)
    )


def article_alone_is_never_high(got) -> list[Problem]:
    """A dated claim that rests on the story's article alone is its account: its
    confidence is medium or low, and the map says whose claim it is."""
    why = f"rests on the article alone ({ARTICLE_SOURCE}): it cannot be 'high'"
    claims = [
        (EVENTS_FILE, eid, "confidence", row["source"], row["confidence"])
        for eid, row in got["events"].iterrows()
    ]
    claims += [
        (PROPOSALS_FILE, p.id, "confidence", p.source, p.confidence) for p in got["proposals"]
    ]
    claims += [(CONTROL_FILE, c.id, "confidence", c.source, c.confidence) for c in got["changes"]]
    claims += [
        (SITES_FILE, sid, f"control[{j}].confidence", e.source, e.confidence)
        for sid, entries in got["site_control"].items()
        for j, e in enumerate(entries)
    ]
    return [
        Problem(file, rid, field, why)
        for file, rid, field, source, confidence in claims
        if confidence == "high" and article_alone(source)
    ]


def events_agree_with_their_changes(events, changes) -> list[Problem]:
    """An event reporting a change is dated that day (or spans it), and a town it is
    about is one the change took, when the change names its towns."""
    problems = []
    if events is None:
        return problems
    for eid, row in events.iterrows():
        cid = row.get("change")
        if not isinstance(cid, str) or not cid:  # none named (pandas may give NaN)
            continue
        change = changes.get(cid)
        if change is None:
            problems.append(
                Problem(EVENTS_FILE, eid, "change", f"refers to unknown change '{cid}'")
            )
            continue
        last = row["end_date"] if row["end_date"] is not None else row["date"]
        if not row["date"] <= change.date <= last:
            problems.append(
                Problem(
                    EVENTS_FILE,
                    eid,
                    "date",
                    f"{row['date']} disagrees with {CONTROL_FILE}'s '{cid}', dated {change.date}",
                )
            )
        place = row["place"] if isinstance(row["place"], str) else None
        if place and change.places and place not in change.places:
            problems.append(
                Problem(
                    EVENTS_FILE,
                    eid,
                    "place",
                    f"'{place}' is not among the towns {CONTROL_FILE}'s '{cid}' took "
                    f"({', '.join(change.places)})",
                )
            )
    return problems


def site_holders_agree_with_their_changes(site_control, changes) -> list[Problem]:
    """A site's holder that follows a change starts that day, with that taker."""
    problems = []
    for sid, entries in site_control.items():
        for j, entry in enumerate(entries):
            if not entry.change:
                continue
            at = f"control[{j}]"
            change = changes.get(entry.change)
            if change is None:
                problems.append(
                    Problem(
                        SITES_FILE,
                        sid,
                        f"{at}.change",
                        f"refers to unknown change '{entry.change}'",
                    )
                )
                continue
            if entry.start != change.date:
                problems.append(
                    Problem(
                        SITES_FILE,
                        sid,
                        f"{at}.from",
                        f"{entry.start} disagrees with {CONTROL_FILE}'s '{change.id}', dated "
                        f"{change.date}",
                    )
                )
            if entry.faction != change.faction:
                problems.append(
                    Problem(
                        SITES_FILE,
                        sid,
                        f"{at}.faction",
                        f"'{entry.faction}' disagrees with {CONTROL_FILE}'s '{change.id}', "
                        f"which gives its areas to '{change.faction}'",
                    )
                )
    return problems


def story_steps_show_their_events_day(story, events, period) -> list[Problem]:
    """A step about an event of the offensive's days shows that event's day (a step
    about an earlier event, such as a 1998 agreement, shows any day)."""
    problems = []
    for step in story:
        row = events.loc[step.event]
        if not period.start <= row["date"] <= period.end:
            continue
        last = row["end_date"] if row["end_date"] is not None else row["date"]
        if not row["date"] <= step.map_date <= last:
            problems.append(
                Problem(
                    STORY_FILE,
                    step.id,
                    "map_date",
                    f"{step.map_date} is not the day of its event '{step.event}' ({row['date']})",
                )
            )
    return problems
