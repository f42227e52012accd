"""Dated events: those of the day stand out, earlier ones stay faint."""

from __future__ import annotations

from datetime import date
from html import escape

from lib.control import events_until
from lib.data import Dataset
from lib.data.cache import per_dataset
from lib.data.dates import fmt_day
from lib.layers.common import Key, Layer, collection, feature, known, source_line

TODAY, EARLIER, HISTORY = "#d81b60", "#8e6c88", "#6d4c41"


def _iso(value) -> str | None:
    return value.isoformat() if isinstance(value, date) else None


@per_dataset(maxsize=64)
def display(ds: Dataset, day: date) -> dict:
    feats = []
    for row in events_until(ds, day).itertuples():
        if row.geometry is None:
            continue  # not located: listed beside the map, not drawn
        end = known(row.end_date) or row.date
        current = row.date <= day <= end and row.date_precision == "day"
        is_line = row.geometry.geom_type == "LineString"
        history = row.date < ds.period.start
        when = escape(row.date_label) if row.date_label else fmt_day(row.date)
        approx = '<br><span class="approx">Location approximate</span>' if row.approximate else ""
        quote = f"<br><i>&ldquo;{escape(row.quote)}&rdquo;</i>" if row.quote else ""
        tip = f'<div class="map-tip"><b>{escape(row.title)}</b><br>{when}{approx}</div>'
        info = (
            f'<div class="map-tip"><b>{escape(row.title)}</b><br>{when}<br>'
            f"{escape(row.description)}{quote}<br>Confidence: {escape(row.confidence)}{approx}<br>"
            f'<span class="muted">{source_line(ds, row.source)}</span></div>'
        )
        color = HISTORY if history else (TODAY if current else EARLIER)
        style = {
            "radius": 7 if current else 4,
            "color": color,
            "weight": 3 if is_line else 2,
            "fillColor": "#ffffff",
            "fillOpacity": 0.9,
            "opacity": 1.0 if current else 0.7,
            "dashArray": "6 4" if is_line or row.approximate else None,
        }
        feats.append(
            feature(row.geometry, style, tip, info, id=row.id, layer="events", current=current)
        )
    return collection(feats)


def export(ds: Dataset, day: date) -> list[dict]:
    return [
        {
            "geometry": row.geometry,
            "id": row.id,
            "date": _iso(row.date),
            "end_date": _iso(row.end_date),
            "date_label": row.date_label,
            "date_precision": row.date_precision,
            "title": row.title,
            "description": row.description,
            "quote": row.quote,
            "confidence": row.confidence,
            "approximate": row.approximate,
            "source": row.source,
        }
        for row in events_until(ds, day).itertuples()
    ]


def legend(ds: Dataset) -> list[Key]:
    return [
        Key("dot", "Event on this day", "#ffffff", TODAY, 2.5),
        Key("dot", "Earlier event", "#ffffff", EARLIER, 2, r=4),
    ]


LAYER = Layer(
    key="events",
    title="Events",
    order=35,  # under the towns taken: a click on a town opens the town, which lists them
    default=True,
    export_name="event",
    display=display,
    export=export,
    legend=legend,
)
