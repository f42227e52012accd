"""Figures for a buffer zone on a date: area, share of Syria, places and people
inside, and the ground each faction holds inside it."""

from __future__ import annotations

import csv
import io
from datetime import date

import numpy as np
import shapely
from shapely.geometry import Point

from lib.buffers import (
    buffer_zone_metric,
    check_distance,
    distance_to_border_m,
    place_border_distance_m,
)
from lib.control import (
    area_atoms,
    atom_holders,
    control_zones,
    controllers_on,
    places_metric,
    syria_metric,
)
from lib.data import Dataset
from lib.data.cache import per_dataset
from lib.data.geo import METRES_PER_MILE, SQ_METRES_PER_SQ_MILE, to_metric
from lib.data.records import Proposal

MIN_HELD_KM2 = 0.005  # a holder's sliver of a zone below this is geometry's noise


def figures_record(
    ds: Dataset,
    area_m2: float,
    places: int,
    population: int,
    places_without_population: int,
    held_m2: dict,
    **depth,
) -> dict:
    """The one record of a zone's figures, for a proposal's zone, a ring, the what-if
    zone and an upload alike. `depth`: distance_mi (and a ring's inner_mi), or
    nothing for an upload. Units are in the names; share_of_syria is a fraction and
    share_of_syria_pct the same in percent; faction_area_km2 is {faction: km²},
    largest first, without slivers under MIN_HELD_KM2."""
    miles = depth.get("distance_mi", float("nan"))
    share = area_m2 / syria_metric(ds).area
    held = {f: a / 1e6 for f, a in held_m2.items() if a / 1e6 > MIN_HELD_KM2}
    return {
        "distance_mi": miles,
        **({"inner_mi": depth["inner_mi"]} if "inner_mi" in depth else {}),
        "distance_km": miles * METRES_PER_MILE / 1000,
        "area_km2": area_m2 / 1e6,
        "area_mi2": area_m2 / SQ_METRES_PER_SQ_MILE,
        "share_of_syria": share,
        "share_of_syria_pct": 100 * share,
        "places": int(places),
        "population": int(population),
        "places_without_population": int(places_without_population),
        "faction_area_km2": dict(sorted(held.items(), key=lambda kv: -kv[1])),
    }


def area_figures(ds: Dataset, zone_m, day: date) -> dict:
    """figures_record of any zone in metres (an upload's part inside Syria): its area,
    the places inside it and the ground each holder has in it on `day`."""
    shapely.prepare(zone_m)
    inside = shapely.contains(zone_m, places_metric(ds).values)
    pops = ds.places["population"][inside]
    factions, index = _atom_holders(ds, day)
    atoms = area_atoms(ds)[1]
    hits = shapely.intersects(zone_m, atoms)
    held_m2: dict[str, float] = {}
    for i, atom in zip(index[hits], atoms[hits]):
        held_m2[factions[i]] = (
            held_m2.get(factions[i], 0.0) + shapely.intersection(atom, zone_m).area
        )
    return figures_record(
        ds, zone_m.area, inside.sum(), pops.dropna().sum(), pops.isna().sum(), held_m2
    )


@per_dataset(maxsize=256)
def _zone_static(ds: Dataset, miles: float) -> dict:
    """What does not depend on the date: area, places and people, and the area of
    the zone inside each group of areas that share their holder every day (area_atoms),
    to sum by holder on any date."""
    zone = buffer_zone_metric(ds, miles)
    inside = place_border_distance_m(ds) <= miles * METRES_PER_MILE
    pops = ds.places.loc[inside[inside].index, "population"]
    atoms = area_atoms(ds)[1]
    hits = shapely.intersects(zone, atoms)
    atom_area = np.zeros(len(atoms))
    atom_area[hits] = shapely.area(shapely.intersection(atoms[hits], zone))
    return {
        "area": zone.area,
        "places": int(inside.sum()),
        "population": int(pops.dropna().sum()),
        "places_without_population": int(pops.isna().sum()),
        "atom_area": atom_area,
    }


@per_dataset(maxsize=64)
def _atom_holders(ds: Dataset, day: date) -> tuple[list[str], np.ndarray]:
    """(factions, index into factions for each group of area_atoms) on `day`."""
    holders = [ac.faction for ac in atom_holders(ds, day)]
    factions, index = np.unique(holders, return_inverse=True)
    return list(factions), index


@per_dataset(maxsize=512)
def zone_figures(ds: Dataset, miles: float, day: date) -> dict:
    """Figures for the zone `miles` deep on `day`.

    Returns a dict: distance_mi, distance_km, area_km2, area_mi2, share_of_syria
    (0..1), places (count), population (sum of known), places_without_population,
    faction_area_km2 {faction: km2, largest first}.

    The ground each faction holds in the zone is the sum, over the control areas it
    holds, of the zone's area in the area: the areas partition Syria, so this equals
    intersecting the zone with the faction's control zones.
    """
    miles = check_distance(miles)
    static = _zone_static(ds, miles)
    factions, index = _atom_holders(ds, day)
    sums = np.bincount(index, weights=static["atom_area"], minlength=len(factions))
    return figures_record(
        ds,
        static["area"],
        static["places"],
        static["population"],
        static["places_without_population"],
        {f: float(a) for f, a in zip(factions, sums)},
        distance_mi=miles,
    )


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


def ring_figures(ds: Dataset, inner_mi: float, outer_mi: float, day: date) -> dict:
    """What the zone `outer_mi` deep adds to the zone `inner_mi` deep, on `day`.

    The zones nest, so each figure is the outer zone's minus the inner zone's; the
    result has the keys of zone_figures, with distance_mi the ring's outer depth and
    inner_mi its inner one.
    """
    inner_mi, outer_mi = check_distance(inner_mi), check_distance(outer_mi)
    if not inner_mi < outer_mi:
        raise ValueError(f"a ring needs inner < outer, got {inner_mi} and {outer_mi} miles")
    inner, outer = zone_figures(ds, inner_mi, day), zone_figures(ds, outer_mi, day)
    held_m2 = {
        f: max(0.0, a - inner["faction_area_km2"].get(f, 0.0)) * 1e6
        for f, a in outer["faction_area_km2"].items()
    }
    return figures_record(
        ds,
        (outer["area_km2"] - inner["area_km2"]) * 1e6,
        outer["places"] - inner["places"],
        outer["population"] - inner["population"],
        outer["places_without_population"] - inner["places_without_population"],
        held_m2,
        distance_mi=outer_mi,
        inner_mi=inner_mi,
    )


def point_report(ds: Dataset, lon: float, lat: float, day: date) -> dict:
    """What the map knows of a point: its distance to the Turkish border, whether it
    is in Syria, the proposals whose zone would contain it, who holds it on `day`,
    and the nearest place."""
    point = Point(lon, lat)
    distance_mi = distance_to_border_m(ds, lon, lat) / METRES_PER_MILE
    in_syria = bool(ds.syria.intersects(point.buffer(0.005)))  # ~500 m: the border's precision
    zones = control_zones(ds, day)
    holder = zones.loc[zones.intersects(point), "controller"]
    held = controllers_on(ds, day)
    nearest = places_metric(ds).distance(to_metric(point)).idxmin() if in_syria else None
    return {
        "distance_mi": float(distance_mi),
        "distance_km": float(distance_mi * METRES_PER_MILE / 1000),
        "in_syria": in_syria,
        "proposals": [p.id for p in ds.proposals if in_syria and distance_mi <= p.distance_mi],
        "controller": holder.iloc[0] if in_syria and len(holder) else None,
        "nearest_place": ds.places.loc[nearest, "name"] if nearest else None,
        "nearest_place_controller": held[nearest].faction if nearest else None,
    }


WHATIF_ID = "what_if"


def whatif_label(miles: float) -> str:
    """The what-if zone's name, wherever it is shown."""
    return f"What if: {miles:g} miles"


def people_text(population: int, places: int, without: int) -> str:
    """People in a zone as a reader should read it: a sum of the known figures is a
    floor when some places have none ("at least 1,191,938; 48 of 72 places have no
    figure")."""
    if not without:
        return f"{population:,}"
    return f"at least {population:,} ({without} of {places} places have no figure)"


def held_words(ds: Dataset, faction_area_km2: dict) -> str:
    """'Government 1,234 · SNA 567': the ground each holder has in a zone, largest first,
    in km² (plain text)."""
    ranked = sorted(faction_area_km2.items(), key=lambda kv: -kv[1])
    return " · ".join(f"{ds.factions[f].short} {a:,.0f}" for f, a in ranked if a >= 0.5)


def change_words(ds: Dataset, before: dict, after: dict) -> str:
    """What each holder gained or lost in a zone between two days (km², plain text):
    'HTS +1,234 · Government −1,100', or 'no change'."""
    deltas = {f: after.get(f, 0.0) - before.get(f, 0.0) for f in dict.fromkeys([*before, *after])}
    ranked = sorted(((f, d) for f, d in deltas.items() if abs(d) >= 0.5), key=lambda kv: -kv[1])
    return (
        " · ".join(
            f"{ds.factions[f].short} {'+' if d > 0 else '−'}{abs(d):,.0f}" for f, d in ranked
        )
        or "no change"
    )


HELD_PREFIX = "held_km2_"  # a table column of the ground one faction holds in a zone


def _flat(row: dict, factions) -> dict:
    out = {k: v for k, v in row.items() if k != "faction_area_km2"}
    for f in factions:
        out[f"{HELD_PREFIX}{f}"] = row["faction_area_km2"].get(f, 0.0)
    return out


def held_faction(column: str) -> str | None:
    """The faction of a held_km2_<faction> column, else None."""
    return column[len(HELD_PREFIX) :] if column.startswith(HELD_PREFIX) else None


def user_layer_row(name: str, figs: dict) -> dict:
    """A row of the comparison table for a user's own layer (figures of
    lib.upload.user_layer_figures), flattened like table_rows."""
    return {
        "kind": "your layer",
        "id": "user_layer",
        "label": name,
        "proposed_by": "You (uploaded)",
        "when": "",
        "terms": "",
        **_flat(figs, figs["faction_area_km2"]),
    }


def table_rows(ds: Dataset, day: date, proposal_ids=None, whatif_mi=None) -> list[dict]:
    """The comparison table on `day`: one row a proposal (all, or those named), a row
    for each ring between consecutive chosen proposals (what the deeper adds), and a
    what-if row. Faction areas are flattened to held_km2_<faction> columns."""
    chosen = [p for p in ds.proposals if proposal_ids is None or p.id in proposal_ids]
    rows = []
    for p in chosen:
        rows.append({"kind": "proposal", **proposal_row(ds, p, day)})
    for inner, outer in zip(chosen, chosen[1:]):
        ring = ring_figures(ds, inner.distance_mi, outer.distance_mi, day)
        rows.append(
            {
                "kind": "ring",
                "id": f"ring_{inner.id}_{outer.id}",
                "label": f"{outer.distance_mi:g} mi adds to {inner.distance_mi:g} mi",
                "proposed_by": "",
                "when": "",
                "terms": "",
                "status": "",
                "source": "",
                **ring,
            }
        )
    if whatif_mi is not None:
        figs = zone_figures(ds, whatif_mi, day)
        rows.append(
            {
                "kind": "what-if",
                "id": WHATIF_ID,
                "label": whatif_label(figs["distance_mi"]),
                "proposed_by": "",
                "when": "",
                "terms": "",
                "status": "",
                "source": "",
                **figs,
            }
        )
    # every holder's column on every day: a table's shape does not change with the date
    return [_flat(r, list(ds.factions)) for r in rows]


TABLE_FIELDS = [
    "kind",
    "id",
    "label",
    "distance_mi",
    "inner_mi",
    "distance_km",
    "proposed_by",
    "when",
    "area_km2",
    "area_mi2",
    "share_of_syria_pct",
    "places",
    "population",
    "places_without_population",
]
ROUNDING = {"distance_km": 2, "area_km2": 1, "area_mi2": 1, "share_of_syria_pct": 2}


def held_column(ds: Dataset, faction: str) -> str:
    """The published name of a holder's column: by the name the map's legend gives it
    (held_km2_no_holder_reported, not the data's id 'unheld')."""
    short = ds.factions[faction].short.lower()
    return "held_km2_" + "".join(c if c.isalnum() else "_" for c in short).strip("_")


def table_records(ds: Dataset, rows: list[dict]) -> list[dict]:
    """table_rows as published, in the CSV and the JSON alike: TABLE_FIELDS, then one
    held_km2_<holder> column a holder, figures rounded for reading, no NaN."""
    out = []
    for r in rows:
        rec = {}
        for k in TABLE_FIELDS:
            v = r.get(k, "")
            if isinstance(v, float) and v != v:  # NaN: an upload has no depth
                v = ""
            rec[k] = round(v, ROUNDING[k]) if k in ROUNDING and v != "" else v
        for f in ds.factions:
            rec[held_column(ds, f)] = round(r.get(f"{HELD_PREFIX}{f}", 0.0), 1)
        out.append(rec)
    return out


def rows_csv(ds: Dataset, rows: list[dict]) -> str:
    """table_rows as CSV (table_records)."""
    records = table_records(ds, rows)
    fields = list(records[0]) if records else TABLE_FIELDS
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue()
