"""Every layer as of a date, as one GeoJSON FeatureCollection (RFC 7946, WGS84).

The CLI's `export` and the app's download button both call `layers_geojson`.
"""

from __future__ import annotations

from datetime import date

from lib.buffers import buffer_zone
from lib.data import Dataset
from lib.data.geo import geometry_json
from lib.figures import ring_figures, zone_figures
from lib.layers import export_names
from lib.layers import layers as all_layers
from lib.sources import sources_of

LAYERS = export_names()


def layer_features(ds: Dataset, day: date, layer: str, proposal_ids=None) -> list[dict]:
    """The GeoJSON features of one layer on `day` (proposals: all, or those named)."""
    if layer not in LAYERS:
        raise ValueError(f"unknown layer '{layer}'; choose from {', '.join(LAYERS)}")
    chosen = [
        entry
        for entry in all_layers(ds)
        if entry.export_name == layer
        and (not entry.proposal or proposal_ids is None or entry.key in proposal_ids)
    ]
    feats = []
    for entry in chosen:
        for props in entry.export(ds, day):
            props = dict(props)
            geom = props.pop("geometry")
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
