"""Every layer as of a date, as one GeoJSON FeatureCollection (RFC 7946, WGS84).

The CLI's `export` and the app's download button both call `layers_geojson`.
"""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import shapely

from lib.buffers import buffer_zone
from lib.control import captured_places, control_zones, events_until, sites_on
from lib.figures import ring_figures, zone_figures
from lib.geodata import Dataset
from lib.sources import sources_of

LAYERS = ("control", "site", "captured", "proposal", "event")
COORD_DECIMALS = 5  # about 1 m: finer than any source here


def geometry_json(geom, decimals: int = COORD_DECIMALS) -> dict | None:
    """A GeoJSON geometry dict with coordinates rounded to `decimals` (vectorised)."""
    if geom is None or geom.is_empty:
        return None
    rounded = shapely.transform(geom, lambda xy: np.round(xy, decimals))
    return json.loads(shapely.to_geojson(rounded))


def _iso(value) -> str | None:
    return value.isoformat() if isinstance(value, date) else None


def _population(value):
    return None if value is None or value != value else int(value)  # NaN -> None


def layer_features(ds: Dataset, day: date, layer: str, proposal_ids=None) -> list[dict]:
    """The GeoJSON features of one layer on `day` (proposals: all, or those named)."""
    feats = []

    def add(geom, **props):
        for key in ("source", "control_source"):  # every claim carries its addresses
            if key in props:
                props[f"{key}_urls"] = [s.url for s in sources_of(ds, props[key])]
        feats.append(
            {
                "type": "Feature",
                "properties": {"layer": layer, **props},
                "geometry": geometry_json(geom),
            }
        )

    if layer == "control":
        for row in control_zones(ds, day).itertuples():
            add(
                row.geometry,
                controller=row.controller,
                name=row.name,
                area_km2=round(row.area_km2, 1),
                share_of_syria=round(row.share, 4),
                areas=list(row.area_names),
                gained_km2=round(row.gained_km2, 1),
                reason=row.reason or None,
                contested_by=list(row.contested_by) or None,
                confidence=row.confidence,
                source=row.source,
                approximate=True,
            )
    elif layer == "site":
        for row in sites_on(ds, day).itertuples():
            add(
                row.geometry,
                id=row.id,
                name=row.name,
                kind=row.kind,
                operator=row.operator,
                controller=row.controller,
                controller_since=_iso(row.controller_since),
                confidence=row.control_confidence,
                approximate=row.approximate,
                note=row.note,
                source=row.source,
                control_source=row.control_source,
            )
    elif layer == "captured":
        for row in captured_places(ds, day).itertuples():
            add(
                row.geometry,
                id=row.id,
                name=row.name,
                captured_on=_iso(row.captured_on),
                captured_by=row.captured_by,
                held_before=row.held_before,
                population=_population(row.population),
                confidence=row.confidence,
                note=row.note,
                approximate=row.approximate,
                source=row.source,
            )
    elif layer == "proposal":
        for p in ds.proposals:
            if proposal_ids is not None and p.id not in proposal_ids:
                continue
            figs = zone_figures(ds, p.distance_mi, day)
            add(
                buffer_zone(ds, p.distance_mi),
                id=p.id,
                label=p.label,
                distance_mi=p.distance_mi,
                distance_km=round(figs["distance_km"], 2),
                area_km2=round(figs["area_km2"], 1),
                share_of_syria=round(figs["share_of_syria"], 4),
                proposed_by=p.proposed_by,
                date=_iso(p.date),
                date_label=p.date_label,
                terms=p.terms,
                status=p.status,
                confidence=p.confidence,
                source=p.source,
            )
    elif layer == "event":
        for row in events_until(ds, day).itertuples():
            add(
                row.geometry,
                id=row.id,
                date=_iso(row.date),
                end_date=_iso(row.end_date),
                date_label=row.date_label,
                date_precision=row.date_precision,
                title=row.title,
                description=row.description,
                quote=row.quote,
                confidence=row.confidence,
                approximate=row.approximate,
                source=row.source,
            )
    else:
        raise ValueError(f"unknown layer '{layer}'; choose from {', '.join(LAYERS)}")
    return feats


def layers_geojson(ds: Dataset, day: date, layers=LAYERS, proposal_ids=None) -> dict:
    """A FeatureCollection of `layers` (default: all) as of `day`."""
    features = []
    for layer in layers:
        features += layer_features(ds, day, layer, proposal_ids)
    return {"type": "FeatureCollection", "date": day.isoformat(), "features": features}


def zones_geojson(ds: Dataset, day: date, proposal_ids, whatif_mi=None) -> dict:
    """The chosen proposals' zones, the rings between them and a what-if zone, with
    their figures on `day`, as a FeatureCollection."""
    chosen = [p for p in ds.proposals if p.id in proposal_ids]
    features = layer_features(ds, day, "proposal", [p.id for p in chosen])
    for inner, outer in zip(chosen, chosen[1:]):
        figs = ring_figures(ds, inner.distance_mi, outer.distance_mi, day)
        ring = buffer_zone(ds, outer.distance_mi).difference(buffer_zone(ds, inner.distance_mi))
        features.append(
            {
                "type": "Feature",
                "geometry": geometry_json(ring),
                "properties": {
                    "layer": "ring",
                    "id": f"ring_{inner.id}_{outer.id}",
                    "inner_mi": inner.distance_mi,
                    "distance_mi": outer.distance_mi,
                    "area_km2": round(figs["area_km2"], 1),
                    "places": figs["places"],
                    "source": f"{inner.source}; {outer.source}",
                },
            }
        )
    if whatif_mi is not None:
        figs = zone_figures(ds, whatif_mi, day)
        features.append(
            {
                "type": "Feature",
                "geometry": geometry_json(buffer_zone(ds, figs["distance_mi"])),
                "properties": {
                    "layer": "what_if",
                    "id": "what_if",
                    "distance_mi": figs["distance_mi"],
                    "area_km2": round(figs["area_km2"], 1),
                    "places": figs["places"],
                    "source": "computed by this project",
                },
            }
        )
    return {"type": "FeatureCollection", "date": day.isoformat(), "features": features}
