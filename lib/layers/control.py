"""Control zones: who holds the ground on the day (lib/control.py derives them)."""

from __future__ import annotations

from datetime import date
from html import escape

import numpy as np
import shapely

from lib.control import (
    area_atoms,
    area_cells,
    changes_on,
    control_zones,
    control_zones_metric,
    zone_atoms,
)
from lib.data import Dataset
from lib.data.cache import per_dataset
from lib.data.dates import fmt_day
from lib.data.geo import to_wgs84
from lib.data.records import CONTESTED, UNCLEAR, UNHELD
from lib.layers.common import (
    DISPLAY_TOLERANCE_M,
    Key,
    Layer,
    collection,
    feature,
    source_line,
)

FILL_OPACITY = 0.6  # the palette is told apart at this opacity (tests/test_colours.py)
# Contested ground is hatched on the map page (the atlas loader draws `hatch` zones
# with an SVG pattern); where it cannot be (the compare page's canvas), it is grey.
# Ground no force was reported holding is pale, unhatched, with a dotted edge.
UNCLEAR_STYLE = {
    CONTESTED: {
        "color": "#424242",
        "weight": 1.5,
        "dashArray": "4 3",
        "fillOpacity": 0.55,
        "hatch": True,
    },
    UNHELD: {"color": "#616161", "weight": 1.5, "dashArray": "1 4", "fillOpacity": 0.5},
}
TITLES = {
    CONTESTED: "Contested: fought over or claimed by rivals",
    UNHELD: "No force reported holding it",
}
CLAIMS = {CONTESTED: "Claimed or fought over by", UNHELD: "Claimed by"}


def _facts(row, day: date) -> str:
    """A zone's area, share of Syria and what it gained that day."""
    gained = ""
    if row.gained_km2 > 0.5:
        gained = f"<br>{row.gained_km2:,.0f} km&sup2; of it taken on {fmt_day(day)}"
    return f"{row.area_km2:,.0f} km&sup2;, {row.share:.1%} of Syria, on {fmt_day(day)}{gained}"


def _since(row, baseline) -> str:
    """Since when the zone's ground has been held so (for its popup)."""
    if row.latest_gain is None:
        return f"Held since before the offensive ({fmt_day(baseline)} baseline)"
    if row.held_before_km2 < 0.5:
        if row.controller in UNCLEAR:
            return f"Since {fmt_day(row.latest_gain)}"
        return f"All of it taken in the offensive, the latest on {fmt_day(row.latest_gain)}"
    return (
        f"{row.held_before_km2:,.0f} km&sup2; held before the offensive; the rest taken "
        f"since, the latest on {fmt_day(row.latest_gain)}"
    )


@per_dataset(maxsize=8)
def display_cells(ds: Dataset):
    """The areas simplified for drawing, once a dataset. coverage_simplify keeps shared
    edges shared, so each day's zones, unions of these, meet without slivers."""
    return shapely.coverage_simplify(area_cells(ds)[1], DISPLAY_TOLERANCE_M)


@per_dataset(maxsize=8)
def display_atoms(ds: Dataset):
    """area_atoms' groups unioned from the simplified areas, once a dataset."""
    cells = display_cells(ds)
    return np.asarray(
        [shapely.coverage_union_all(cells[idx]) for idx in area_atoms(ds)[0]], dtype=object
    )


@per_dataset(maxsize=64)
def display(ds: Dataset, day: date) -> dict:
    zones = control_zones_metric(ds, day)
    groups = zone_atoms(ds, day)
    atoms = display_atoms(ds)
    simple = [shapely.coverage_union_all(atoms[groups[zone]]) for zone in zones["zone"]]
    feats = []
    for row, geom in zip(zones.itertuples(), simple):
        fac = ds.factions[row.controller]
        contested = row.controller in UNCLEAR
        title = TITLES[row.controller] if contested else f"Held by {escape(fac.name)}"
        claim = ""
        if contested and row.contested_by:
            claim = f"<br>{CLAIMS[row.controller]}: " + escape(
                ", ".join(ds.factions[f].short for f in row.contested_by)
            )
        why = f"<br>{escape(row.reason)}" if contested else ""
        facts = _facts(row, day)
        tip = f'<div class="map-tip"><b>{title}</b><br>{facts}{why}</div>'
        names = ", ".join(row.area_names[:6]) + (
            f" and {len(row.area_names) - 6} more" if len(row.area_names) > 6 else ""
        )
        since = _since(row, ds.period.baseline)
        info = (
            f'<div class="map-tip"><b>{title}</b><br>{facts}<br>{since}{claim}{why}<br>'
            f"Areas: {escape(names)}<br>Confidence: {escape(row.confidence)}. "
            f'<span class="approx">Edges drawn along the lines the front followed; '
            f"see the method.</span><br>"
            f'<span class="muted">{source_line(ds, row.source)}</span></div>'
        )
        style = {
            "fillColor": fac.color,
            "color": "#ffffff",
            "weight": 1,
            "fillOpacity": FILL_OPACITY,
        }
        if contested:
            style = {**style, **UNCLEAR_STYLE[row.controller]}
        feats.append(
            feature(to_wgs84(geom), style, tip, info, controller=row.zone, layer="control")
        )
    feats += _changes(ds, day)
    return collection(feats)


def zones_only(shown: dict) -> dict:
    """The zones of display()'s collection without the day's change outlines (a map
    about something else, where they would be noise)."""
    return collection([f for f in shown["features"] if f["properties"].get("layer") != "change"])


@per_dataset(maxsize=8)
def change_outlines(ds: Dataset) -> dict[str, object]:
    """Change id -> the ground it moved, in WGS84, from the simplified areas (like the
    zones it is drawn over); once a dataset, as a change's ground never varies."""
    cells = display_cells(ds)
    # area_cells keeps ds.areas' order, so its positions are the index's
    return {
        change.id: to_wgs84(
            shapely.coverage_union_all(cells[ds.areas.index.get_indexer(change.areas)])
        )
        for change in ds.changes
    }


def _changes(ds: Dataset, day: date) -> list[dict]:
    """The ground that changed hands on `day`, outlined in the taker's colour over the
    zones: what the day did, at a glance."""
    feats = []
    outlines = change_outlines(ds)
    for c in changes_on(ds, day):
        change = c["change"]
        geom = outlines[change.id]
        taker = ds.factions[change.faction]
        contested = change.faction in UNCLEAR
        what = (
            {CONTESTED: "Became contested", UNHELD: "Left with no force reported holding it"}[
                change.faction
            ]
            if contested
            else f"Taken by {escape(taker.short)}"
        )
        before = escape(", ".join(ds.factions[f].short for f in c["from"]))
        names = escape(", ".join(ds.areas.loc[a, "name"] for a in change.areas))
        tip = (
            f'<div class="map-tip"><b>{what} on {fmt_day(day)}</b><br>'
            f"{c['km2']:,.0f} km&sup2; from {before}: {names}</div>"
        )
        info = (
            f'<div class="map-tip"><b>{what} on {fmt_day(day)}</b><br>'
            f"{c['km2']:,.0f} km&sup2; from {before}: {names}<br>"
            f"{escape(change.reason or change.note)}<br>Confidence: {escape(change.confidence)}<br>"
            f'<span class="muted">{source_line(ds, change.source)}</span></div>'
        )
        style = {
            "color": "#212121" if contested else taker.color,
            "weight": 3.5,
            "dashArray": "7 4",
            "fill": False,
            "opacity": 1.0,
        }
        feats.append(feature(geom, style, tip, info, id=f"change-{change.id}", layer="change"))
    return feats


def export(ds: Dataset, day: date) -> list[dict]:
    return [
        {
            "geometry": row.geometry,
            "controller": row.controller,
            "name": row.name,
            "area_km2": round(row.area_km2, 1),
            "share_of_syria": round(row.share, 4),
            "areas": list(row.area_names),
            "gained_km2": round(row.gained_km2, 1),
            "reason": row.reason or None,
            "contested_by": list(row.contested_by) or None,
            "confidence": row.confidence,
            "source": row.source,
            "approximate": True,
        }
        for row in control_zones(ds, day).itertuples()
    ]


def legend(ds: Dataset) -> list[Key]:
    keys = [
        Key(
            "swatch",
            "Contested: fought over or claimed (hover: why)",
            ds.factions[CONTESTED].color,
            "#424242",
            dashed=True,
        )
    ]
    if UNHELD in ds.factions:
        keys.append(
            Key(
                "swatch",
                "No force reported holding it (hover: why)",
                ds.factions[UNHELD].color,
                "#616161",
                dashed=True,
            )
        )
    return keys


LAYER = Layer(
    key="control",
    title="Control zones",
    order=10,
    default=True,
    export_name="control",
    display=display,
    export=export,
    legend=legend,
)
