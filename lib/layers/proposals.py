"""The buffer-zone proposals, one layer each, and the zones the compare page draws
beside them: the ring a deeper proposal adds, and a what-if zone of any depth.

A proposal's colour and dash come from geodata/proposals.json: a new proposal, or a
new look for one, is a data edit.
"""

from __future__ import annotations

from datetime import date
from html import escape

from lib.buffers import buffer_zone, buffer_zone_metric
from lib.data import Dataset
from lib.data.cache import per_dataset
from lib.data.dates import fmt_day
from lib.data.geo import geometry_json, to_wgs84
from lib.data.records import Proposal
from lib.figures import ring_figures, whatif_label, zone_figures
from lib.layers.common import (
    DISPLAY_DECIMALS,
    DISPLAY_TOLERANCE_M,
    Key,
    Layer,
    collection,
    faction_short,
    feature,
    source_line,
)

WHATIF_COLOR = "#ef6c00"


def held_text(ds: Dataset, faction_area_km2: dict) -> str:
    return ", ".join(
        f"{faction_short(ds, f)} {a:,.0f} km&sup2;" for f, a in faction_area_km2.items()
    )


def figures_text(figs: dict) -> str:
    return (
        f"{figs['area_km2']:,.0f} km&sup2; ({figs['share_of_syria']:.1%} of Syria), "
        f"{figs['places']} places"
    )


@per_dataset(maxsize=256)
def zone_display(ds: Dataset, miles: float, inner_miles: float | None = None) -> dict:
    """The display geometry of a zone (or of the ring between two depths): the same on
    every date, so computed once."""
    zone = buffer_zone_metric(ds, miles)
    if inner_miles is not None:
        zone = zone.difference(buffer_zone_metric(ds, inner_miles))
    return geometry_json(to_wgs84(zone.simplify(DISPLAY_TOLERANCE_M)), DISPLAY_DECIMALS)


def _proposal(ds: Dataset, proposal_id: str) -> Proposal:
    return next(p for p in ds.proposals if p.id == proposal_id)


@per_dataset(maxsize=256)
def display(ds: Dataset, proposal_id: str, day: date) -> dict:
    proposal = _proposal(ds, proposal_id)
    figs = zone_figures(ds, proposal.distance_mi, day)
    tip = f'<div class="map-tip"><b>{escape(proposal.label)}</b><br>{figures_text(figs)}</div>'
    info = (
        f'<div class="map-tip"><b>{escape(proposal.label)}</b><br>'
        f"Proposed by {escape(proposal.proposed_by)}, {escape(proposal.date_label)}<br>"
        f"Terms: {escape(proposal.terms)}<br><i>&ldquo;{escape(proposal.quote)}&rdquo;</i><br>"
        f"Area {figs['area_km2']:,.0f} km&sup2; / {figs['area_mi2']:,.0f} sq mi, "
        f"{figs['share_of_syria']:.1%} of Syria; held on {fmt_day(day)}: "
        f"{held_text(ds, figs['faction_area_km2'])}<br>"
        f'<span class="muted">{source_line(ds, proposal.source)}</span></div>'
    )
    style = {
        "color": proposal.color,
        "weight": 2.5,
        "fillColor": proposal.color,
        "fillOpacity": 0.07,
        "dashArray": proposal.dash,
    }
    zone = zone_display(ds, proposal.distance_mi)
    return collection([feature(zone, style, tip, info, id=proposal.id, layer=proposal.id)])


def export(ds: Dataset, proposal_id: str, day: date) -> list[dict]:
    p = _proposal(ds, proposal_id)
    figs = zone_figures(ds, p.distance_mi, day)
    return [
        {
            "geometry": buffer_zone(ds, p.distance_mi),
            "id": p.id,
            "label": p.label,
            "distance_mi": p.distance_mi,
            "distance_km": round(figs["distance_km"], 2),
            "area_km2": round(figs["area_km2"], 1),
            "share_of_syria": round(figs["share_of_syria"], 4),
            "proposed_by": p.proposed_by,
            "date": p.date.isoformat(),
            "date_label": p.date_label,
            "terms": p.terms,
            "status": p.status,
            "confidence": p.confidence,
            "source": p.source,
        }
    ]


@per_dataset(maxsize=256)
def ring_display(ds: Dataset, inner_id: str, outer_id: str, day: date) -> dict:
    """The ground a deeper proposal adds to a shallower one, as its own ring."""
    inner, outer = _proposal(ds, inner_id), _proposal(ds, outer_id)
    figs = ring_figures(ds, inner.distance_mi, outer.distance_mi, day)
    ring = zone_display(ds, outer.distance_mi, inner.distance_mi)
    label = f"What {outer.distance_mi:g} miles adds to {inner.distance_mi:g}"
    tip = f'<div class="map-tip"><b>{label}</b><br>{figures_text(figs)}</div>'
    info = (
        f'<div class="map-tip"><b>{label}</b><br>{figures_text(figs)}, '
        f"{figs['population']:,} people (where known); held on {fmt_day(day)}: "
        f"{held_text(ds, figs['faction_area_km2'])}</div>"
    )
    style = {"color": outer.color, "weight": 0, "fillColor": outer.color, "fillOpacity": 0.22}
    return collection(
        [feature(ring, style, tip, info, id=f"ring_{inner_id}_{outer_id}", layer="ring")]
    )


@per_dataset(maxsize=256)
def whatif_display(ds: Dataset, miles: float, day: date) -> dict:
    """A zone of any depth, drawn like the proposals (in orange)."""
    figs = zone_figures(ds, miles, day)
    zone = zone_display(ds, figs["distance_mi"])
    label = whatif_label(figs["distance_mi"])
    tip = f'<div class="map-tip"><b>{label}</b><br>{figures_text(figs)}</div>'
    info = (
        f'<div class="map-tip"><b>{label}</b> ({figs["distance_km"]:.1f} km)<br>'
        f"{figures_text(figs)}; held on {fmt_day(day)}: "
        f"{held_text(ds, figs['faction_area_km2'])}</div>"
    )
    style = {"color": WHATIF_COLOR, "weight": 3, "fillColor": WHATIF_COLOR, "fillOpacity": 0.08}
    return collection([feature(zone, style, tip, info, id="what_if", layer="what_if")])


@per_dataset(maxsize=8)
def layers(ds: Dataset) -> tuple[Layer, ...]:
    """One layer a proposal, nearest first, drawn between the zones and the markers."""
    out = []
    for i, p in enumerate(ds.proposals):

        def legend(ds: Dataset, p=p) -> list[Key]:
            return [Key("line", p.label, stroke=p.color, dashed=bool(p.dash))]

        out.append(
            Layer(
                key=p.id,
                title=p.label,
                order=20 + i / 1000,
                default=False,
                export_name="proposal",
                display=lambda ds, day, pid=p.id: display(ds, pid, day),
                export=lambda ds, day, pid=p.id: export(ds, pid, day),
                legend=legend,
                proposal=True,
            )
        )
    return tuple(out)
