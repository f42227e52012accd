"""The panel beside the map: one day's holders, symbol key, captures and events.

One block of HTML, not an element for each part: markdown is costly for the browser
to render, and the panel is redrawn on every step of the slider. Every data string
is escaped, and nothing is read as markdown, so data cannot inject markup or links.
"""

from __future__ import annotations

from datetime import date
from html import escape

from lib.control import captured_places, changes_on, events_on, shares
from lib.dates import fmt_day
from lib.geodata import CONTESTED, Dataset
from lib.map_layers import legend_html
from lib.sources import source_links_html

SWATCH = (
    "display:inline-block;width:12px;height:12px;margin-right:6px;border:1px solid #888;"
    "vertical-align:-1px"
)
QUOTE = "margin:.4em 0;padding-left:.7em;border-left:3px solid #ccc;color:#555;font-style:italic"


def holders_html(ds: Dataset, day: date) -> str:
    rows = "".join(
        f'<div><span style="{SWATCH};background:{escape(ds.factions[r["faction"]].color)}">'
        f"</span>{escape(ds.factions[r['faction']].short)}: {r['km2']:,.0f} km&sup2; "
        f"({r['share']:.1%})</div>"
        for r in shares(ds, day)
    )
    return f'<div style="margin-bottom:1em"><b>Who holds the ground</b>{rows}</div>'


def changes_html(ds: Dataset, day: date) -> str:
    """How much ground changed hands today, and to whom."""
    gained: dict[str, float] = {}
    for c in changes_on(ds, day):
        gained[c["faction"]] = gained.get(c["faction"], 0.0) + c["km2"]
    if not gained:
        return "<p><b>Ground changing hands</b><br>None recorded this day.</p>"
    parts = []
    for fid, km2 in sorted(gained.items(), key=lambda kv: -kv[1]):
        name = "became contested or unclear" if fid == CONTESTED else f"to {ds.factions[fid].short}"
        parts.append(f"{km2:,.0f} km&sup2; {escape(name)}")
    return f"<p><b>Ground changing hands</b><br>{'; '.join(parts)}.</p>"


def captures_html(ds: Dataset, day: date) -> str:
    taken = captured_places(ds, day)
    names = [
        f"{escape(row.name)} ({escape(ds.factions[row.captured_by].short)})"
        for row in taken[taken["captured_on"] == day].itertuples()
    ]
    return f"<p><b>Taken this day</b><br>{', '.join(names) or 'No recorded change of hands.'}</p>"


def events_html(ds: Dataset, day: date) -> str:
    items = []
    for row in events_on(ds, day).itertuples():
        quote = "<br>"
        if row.quote:
            quote = f'<blockquote style="{QUOTE}">{escape(row.quote)}</blockquote>'
        items.append(
            f"<p><b>{escape(row.title)}</b>: {escape(row.description)}{quote}"
            f"<small>{source_links_html(ds, row.source)}. "
            f"Confidence: {escape(row.confidence)}.</small></p>"
        )
    return "<p><b>Events this day</b></p>" + ("".join(items) or "<p>No dated event.</p>")


def day_panel_html(ds: Dataset, day: date, layers) -> str:
    key = legend_html(ds, layers)
    key_block = f'<div style="margin:.6em 0 1em;font-size:.9em">{key}</div>' if key else ""
    return (
        f'<div class="day-panel"><h3>{fmt_day(day)}</h3>'
        f"{holders_html(ds, day)}{key_block}{changes_html(ds, day)}{captures_html(ds, day)}"
        f"{events_html(ds, day)}</div>"
    )
