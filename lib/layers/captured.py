"""Towns taken since the offensive began, coloured by who took them."""

from __future__ import annotations

from datetime import date
from html import escape

from lib.control import captured_places, events_until
from lib.data import Dataset
from lib.data.cache import per_dataset
from lib.data.dates import fmt_day
from lib.layers.common import Key, Layer, collection, faction_short, feature, known, source_line

TODAY_RING = "#000000"  # black: no faction is drawn in it
RING = "#212121"


def _population(value):
    return None if value is None or value != value else int(value)  # NaN -> None


@per_dataset(maxsize=64)
def _events_here(ds: Dataset, day: date) -> dict[str, str]:
    """Place id -> the events there up to `day` (their markers lie under the town's), as
    the list in the town's own popup: what else happened there."""
    out: dict[str, list[str]] = {}
    for r in events_until(ds, day).itertuples():
        if isinstance(r.place, str) and r.place:
            when = escape(r.date_label) if r.date_label else fmt_day(r.date)
            out.setdefault(r.place, []).append(f"<li>{when}: {escape(r.title)}</li>")
    return {
        pid: f'<b>Also here</b><ul class="also-here">{"".join(items)}</ul>'
        for pid, items in out.items()
    }


@per_dataset(maxsize=64)
def display(ds: Dataset, day: date) -> dict:
    feats = []
    here = _events_here(ds, day)
    for row in captured_places(ds, day).itertuples():
        fac = ds.factions[row.captured_by]
        today = row.captured_on == day
        people = known(row.population)
        pop = f"; population {int(people):,}" if people else ""
        tip = (
            f'<div class="map-tip"><b>{escape(row.name)}</b>'
            f"{' &ndash; taken today' if today else ''}<br>"
            f"Taken by {faction_short(ds, row.captured_by)} on {fmt_day(row.captured_on)} "
            f"from {faction_short(ds, row.held_before)}</div>"
        )
        info = (
            f'<div class="map-tip"><b>{escape(row.name)}</b>{pop}<br>'
            f"Taken by {escape(fac.name)} on {fmt_day(row.captured_on)} "
            f"(confidence {escape(row.confidence)})<br>{escape(row.note)}<br>"
            f"{here.get(row.id, '')}"
            f'<span class="muted">{source_line(ds, row.source)}</span></div>'
        )
        style = {
            "radius": 9 if today else 5,
            "color": TODAY_RING if today else RING,
            "weight": 3.5 if today else 1.2,
            "fillColor": fac.color,
            "fillOpacity": 1.0,
            "dashArray": "2 2" if row.confidence == "low" else None,
        }
        feats.append(
            feature(row.geometry, style, tip, info, id=row.id, layer="captured", today=today)
        )
    return collection(feats)


def export(ds: Dataset, day: date) -> list[dict]:
    return [
        {
            "geometry": row.geometry,
            "id": row.id,
            "name": row.name,
            "captured_on": row.captured_on.isoformat(),
            "captured_by": row.captured_by,
            "held_before": row.held_before,
            "population": _population(row.population),
            "confidence": row.confidence,
            "note": row.note,
            "approximate": row.approximate,
            "source": row.source,
        }
        for row in captured_places(ds, day).itertuples()
    ]


def legend(ds: Dataset) -> list[Key]:
    taker = ds.factions["hts"].color if "hts" in ds.factions else "#888888"
    return [
        Key("dot", "Town taken (colour: by whom)", taker, RING, 1.2),
        Key("dot", "Taken on this day", taker, TODAY_RING, 3.5, r=8),
    ]


LAYER = Layer(
    key="captured",
    title="Captured towns",
    order=40,
    default=True,
    export_name="captured",
    display=display,
    export=export,
    legend=legend,
)
