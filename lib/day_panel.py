"""One day's facts, in the forms a reader gets them: the panel beside the map, a plain
description (for a screen reader, an embed's alt text and the live announcement of a
new day), and a table of the day. One home for them all, so the map's panel, the
embed's text and what is announced can never disagree.

The per-day part (`day_facts_html`) travels with the map's data too (lib/map_layers,
the atlas), so that the browser shows the day Play or the slider is on without asking
the server. Every data string is escaped, and nothing is read as markdown, so data
cannot inject markup or links.
"""

from __future__ import annotations

from datetime import date
from html import escape

from lib.control import captured_places, changes_on, events_on, shares
from lib.data import Dataset
from lib.data.dates import fmt_day
from lib.data.records import CONTESTED, UNHELD
from lib.layers import legend_html
from lib.sources import cite_html, source_links_html

QUOTE = "margin:.4em 0;padding-left:.7em;border-left:3px solid #ccc;color:#4d4d4d;font-style:italic"


UNCLEAR_WORDS = {CONTESTED: "contested ground", UNHELD: "ground no force was reported holding"}


def _holder(ds: Dataset, fid: str) -> str:
    return UNCLEAR_WORDS[fid] if fid in UNCLEAR_WORDS else ds.factions[fid].short


def _and(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def gains(ds: Dataset, day: date) -> list[tuple[str, float, tuple[str, ...]]]:
    """(taker, km², from whom) of the ground that changed hands on `day`, largest first."""
    km2: dict[str, float] = {}
    before: dict[str, list[str]] = {}
    for c in changes_on(ds, day):
        km2[c["faction"]] = km2.get(c["faction"], 0.0) + c["km2"]
        before.setdefault(c["faction"], [])
        before[c["faction"]] += [f for f in c["from"] if f not in before[c["faction"]]]
    return [(f, a, tuple(before[f])) for f, a in sorted(km2.items(), key=lambda kv: -kv[1])]


def towns_taken(ds: Dataset, day: date) -> list[tuple[str, str]]:
    """(town, taker) of the towns taken on `day`."""
    taken = captured_places(ds, day)
    return [(r.name, r.captured_by) for r in taken[taken["captured_on"] == day].itertuples()]


def _gain_words(ds: Dataset, fid: str, km2: float, before: tuple[str, ...]) -> str:
    to = f"became {UNCLEAR_WORDS[fid]}" if fid in UNCLEAR_WORDS else f"to {ds.factions[fid].short}"
    source = f" (from {_and([_holder(ds, f) for f in before])})" if before else ""
    return f"{km2:,.0f} km² {to}{source}"


def day_description(ds: Dataset, day: date) -> str:
    """The day in plain words: who holds what share, what changed hands and to whom,
    the towns taken and the events. Text, not HTML."""
    held = [
        f"{_holder(ds, r['faction'])} {r['share']:.1%}"
        for r in shares(ds, day)
        if r["share"] >= 0.0005
    ]
    words = [f"{fmt_day(day)}. Share of Syria held: {_and(held)}."]
    changed = gains(ds, day)
    if changed:
        words.append(
            "Ground that changed hands: "
            + _and([_gain_words(ds, f, a, b) for f, a, b in changed])
            + "."
        )
    else:
        words.append("No ground recorded changing hands.")
    taken = towns_taken(ds, day)
    if taken:
        by: dict[str, list[str]] = {}
        for name, fid in taken:
            by.setdefault(fid, []).append(name)
        words.append(
            "Towns taken: "
            + "; ".join(f"{_and(names)} by {ds.factions[f].short}" for f, names in by.items())
            + "."
        )
    events = list(events_on(ds, day)["title"])
    if events:
        words.append(f"Events: {'; '.join(events)}.")
    return " ".join(words)


def holders_table_html(ds: Dataset, day: date) -> str:
    """Who holds the ground: a table (holder, km², share of Syria)."""
    rows = "".join(
        f'<tr><th scope="row"><span class="swatch" style="background:'
        f'{escape(ds.factions[r["faction"]].color)}"></span>'
        f"{escape(ds.factions[r['faction']].short)}</th>"
        f"<td>{r['km2']:,.0f}</td><td>{r['share']:.1%}</td></tr>"
        for r in shares(ds, day)
    )
    return (
        '<table class="day-table"><caption>Who holds the ground</caption>'
        '<thead><tr><th scope="col">Holder</th><th scope="col">km²</th>'
        f'<th scope="col">Share of Syria</th></tr></thead><tbody>{rows}</tbody></table>'
    )


def changes_html(ds: Dataset, day: date) -> str:
    """How much ground changed hands that day, to whom and from whom."""
    changed = gains(ds, day)
    if not changed:
        return "<p><b>Ground changing hands</b><br>None recorded this day.</p>"
    parts = [escape(_gain_words(ds, f, a, b)) for f, a, b in changed]
    return f"<p><b>Ground changing hands</b><br>{'; '.join(parts)}.</p>"


def towns_table_html(ds: Dataset, day: date) -> str:
    taken = towns_taken(ds, day)
    if not taken:
        return "<p><b>Towns taken this day</b><br>No town recorded taken this day.</p>"
    rows = "".join(
        f'<tr><th scope="row">{escape(name)}</th><td>{escape(ds.factions[fid].short)}</td></tr>'
        for name, fid in taken
    )
    return (
        '<table class="day-table"><caption>Towns taken this day</caption>'
        '<thead><tr><th scope="col">Town</th><th scope="col">Taken by</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def events_html(ds: Dataset, day: date) -> str:
    items = []
    for row in events_on(ds, day).itertuples():
        quote = "<br>"
        if row.quote:
            quote = f'<blockquote style="{QUOTE}">{escape(row.quote)}</blockquote>'
        items.append(
            f"<p><b>{escape(row.title)}</b>: {escape(row.description)}{quote}"
            f"<small>{source_links_html(ds, row.source)}. "
            f"Confidence: {escape(row.confidence)}.</small>{cite_html(ds, row.source)}</p>"
        )
    return "<p><b>Events this day</b></p>" + ("".join(items) or "<p>No dated event.</p>")


def day_facts_html(ds: Dataset, day: date) -> str:
    """The part of the panel that changes with the day (what Play and the slider swap
    in the browser): the heading, the tables, the changes, the events, and the day in
    words."""
    return (
        f"<h3>{fmt_day(day)}</h3>{holders_table_html(ds, day)}{changes_html(ds, day)}"
        f"{towns_table_html(ds, day)}{events_html(ds, day)}"
        f'<details class="day-words"><summary>The day in words</summary>'
        f"<p>{escape(day_description(ds, day))}</p></details>"
    )


def day_panel_html(ds: Dataset, day: date, layers) -> str:
    """The panel beside the map: the day's facts, then the key to the layers shown."""
    key = legend_html(ds, layers)
    key_block = (
        f'<div class="day-key"><b>Key</b><div style="font-size:.9em">{key}</div></div>'
        if key
        else ""
    )
    index = ds.period.days().index(day)
    return (
        # the target of the page's "skip the map" link
        f'<div class="day-panel" id="day-panel" tabindex="-1" data-day="{index}">'
        f'<div class="day-facts">'
        f"{day_facts_html(ds, day)}</div>{key_block}</div>"
    )
