"""Bases and sites, coloured by who holds them on the day."""

from __future__ import annotations

from datetime import date
from html import escape

from lib.control import sites_on
from lib.data import Dataset
from lib.data.cache import per_dataset
from lib.data.dates import fmt_day
from lib.layers.common import Key, Layer, collection, feature, source_line

KIND_LABELS = {
    "air_base": "Air base",
    "naval_base": "Naval base",
    "military_academy": "Military academy",
    "military_base": "Military base",
    "power_station": "Power station",
    "military_industry": "Military industry",
    "missile_system": "Missile system",
}


def _iso(value) -> str | None:
    return value.isoformat() if isinstance(value, date) else None


@per_dataset(maxsize=64)
def display(ds: Dataset, day: date) -> dict:
    feats = []
    for row in sites_on(ds, day).itertuples():
        fac = ds.factions[row.controller]
        changed = row.controller_since == day and day > ds.period.start
        approx = '<br><span class="approx">Position approximate</span>' if row.approximate else ""
        since = row.controller_since
        since_text = f" since {fmt_day(since)}" if since > ds.period.start else ""
        kind = escape(KIND_LABELS.get(row.kind, row.kind))
        tip = (
            f'<div class="map-tip"><b>{escape(row.name)}</b><br>'
            f"{kind}, held by {escape(fac.short)}{since_text}{approx}</div>"
        )
        info = (
            f'<div class="map-tip"><b>{escape(row.name)}</b><br>'
            f"Kind: {kind}<br>Operator: {escape(row.operator)}<br>"
            f"Held by: {escape(fac.name)} "
            f"(since {fmt_day(row.controller_since)}; confidence {escape(row.control_confidence)})"
            f"<br>{escape(row.control_note)}<br>{escape(row.note)}{approx}<br>"
            f'<span class="muted">{source_line(ds, row.source)}</span></div>'
        )
        style = {
            "radius": 8 if changed else 6,
            "color": "#000000",
            "weight": 2.5 if changed else 1.5,
            "fillColor": fac.color,
            "fillOpacity": 0.95,
            "dashArray": "3 3" if row.approximate else None,
        }
        feats.append(feature(row.geometry, style, tip, info, id=row.id, layer="sites"))
    return collection(feats)


def export(ds: Dataset, day: date) -> list[dict]:
    return [
        {
            "geometry": row.geometry,
            "id": row.id,
            "name": row.name,
            "kind": row.kind,
            "operator": row.operator,
            "controller": row.controller,
            "controller_since": _iso(row.controller_since),
            "confidence": row.control_confidence,
            "approximate": row.approximate,
            "note": row.note,
            "source": row.source,
            "control_source": row.control_source,
        }
        for row in sites_on(ds, day).itertuples()
    ]


def legend(ds: Dataset) -> list[Key]:
    holder = ds.factions["government"].color if "government" in ds.factions else "#888888"
    return [
        Key("dot", "Base or site (colour: holder)", holder),
        Key("dot", "Position approximate", dashed=True),
    ]


LAYER = Layer(
    key="sites",
    title="Bases and sites",
    order=30,
    default=True,
    export_name="site",
    display=display,
    export=export,
    legend=legend,
)
