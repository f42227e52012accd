"""Figures for a buffer zone on a date: area, share of Syria, places and people
inside, and the ground each faction holds inside it."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import shapely

from lib.buffers import buffer_zone_metric, check_distance, place_border_distance_m
from lib.control import control_zones_metric, controllers_on, syria_metric
from lib.geo import METRES_PER_MILE, SQ_METRES_PER_SQ_MILE
from lib.geodata import Dataset, Proposal


@lru_cache(maxsize=512)
def zone_figures(ds: Dataset, miles: float, day: date) -> dict:
    """Figures for the zone `miles` deep on `day`.

    Returns a dict: distance_mi, distance_km, area_km2, area_mi2, share_of_syria
    (0..1), places (count), population (sum of known), places_without_population,
    faction_area_km2 {faction: km2, largest first}.
    """
    miles = check_distance(miles)
    zone = buffer_zone_metric(ds, miles)
    inside = place_border_distance_m(ds) <= miles * METRES_PER_MILE
    pops = ds.places.loc[inside[inside].index, "population"]
    by_faction = {}
    zones = control_zones_metric(ds, day)
    for faction, geom in zip(zones["controller"], zones.geometry):
        area = shapely.intersection(geom, zone).area / 1e6
        if area > 0.005:
            by_faction[faction] = area
    return {
        "distance_mi": miles,
        "distance_km": miles * METRES_PER_MILE / 1000,
        "area_km2": zone.area / 1e6,
        "area_mi2": zone.area / SQ_METRES_PER_SQ_MILE,
        "share_of_syria": zone.area / syria_metric(ds).area,
        "places": int(inside.sum()),
        "population": int(pops.dropna().sum()),
        "places_without_population": int(pops.isna().sum()),
        "faction_area_km2": dict(sorted(by_faction.items(), key=lambda kv: -kv[1])),
    }


def places_in_zone(ds: Dataset, miles: float, day: date):
    """The places within `miles` of the border: name, population, distance_mi,
    controller on `day`; nearest first."""
    miles = check_distance(miles)
    dist = place_border_distance_m(ds)
    ids = dist[dist <= miles * METRES_PER_MILE].sort_values().index
    held = controllers_on(ds, day)
    out = ds.places.loc[ids, ["name", "population", "admin1"]].copy()
    out["distance_mi"] = dist[ids] / METRES_PER_MILE
    out["controller"] = [held[pid].faction for pid in ids]
    return out


def proposal_row(ds: Dataset, proposal: Proposal, day: date) -> dict:
    """One row of the comparison table: the proposal's facts and its figures."""
    figs = zone_figures(ds, proposal.distance_mi, day)
    return {
        "id": proposal.id,
        "label": proposal.label,
        "proposed_by": proposal.proposed_by,
        "when": proposal.date_label,
        "terms": proposal.terms,
        "status": proposal.status,
        "source": proposal.source,
        **figs,
    }


def compare_proposals(ds: Dataset, day: date) -> list[dict]:
    """proposal_row for every proposal, nearest zone first."""
    return [proposal_row(ds, p, day) for p in ds.proposals]
