"""Who holds what on a date: control areas, control zones, places, captures, sites.

The unit of control is an *area* of geodata/control_areas.geojson: a piece of Syria
drawn along the lines the front followed (the March 2020 ceasefire line, the
Euphrates, the edges of the Turkish-held zones, governorate lines), whose holder
changes as a whole. The areas partition Syria. The control log gives each area a
holder on the baseline date (26 Nov 2024) and every dated change after it; a change
may also make an area *contested* (its holder unclear that day), with the reason.

A control zone is the union of the areas one holder has on a day; contested areas stay
apart, a zone for each change that made them contested, so each keeps its reason.
A place is held by whoever holds its area; the captured towns are the places the
log's changes name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import geopandas as gpd
import numpy as np
import shapely

from lib.data import Dataset
from lib.data.cache import per_dataset
from lib.data.geo import METRIC_CRS, to_metric
from lib.data.records import CONTESTED, UNCLEAR, BaselineGroup, ControlChange

NO_CAPTURE_FACTIONS = set(UNCLEAR)  # ground nobody clearly held is not a capture


@dataclass(frozen=True)
class AreaControl:
    faction: str
    since: date
    change: ControlChange | None  # None: held since the baseline
    baseline: BaselineGroup


@dataclass(frozen=True)
class PlaceControl:
    faction: str
    since: date
    change: ControlChange | None  # None: held since the baseline


@per_dataset(maxsize=8)
def _timeline(ds: Dataset) -> dict[date, dict[str, AreaControl]]:
    """Holder of every area on every covered date (13 small dicts)."""
    state: dict[str, AreaControl] = {}
    for group in ds.baseline:
        for aid in group.areas:
            state[aid] = AreaControl(group.faction, ds.period.baseline, None, group)
    by_day: dict[date, list[ControlChange]] = {}
    for change in ds.changes:
        by_day.setdefault(change.date, []).append(change)
    out = {}
    for day in ds.period.days():
        for change in by_day.get(day, []):
            for aid in change.areas:
                state[aid] = AreaControl(change.faction, day, change, state[aid].baseline)
        out[day] = dict(state)
    return out


def area_holders(ds: Dataset, day: date) -> dict[str, AreaControl]:
    """Area id -> who holds it on `day` (a date in the covered range)."""
    try:
        return _timeline(ds)[day]
    except KeyError:
        raise ValueError(f"{day} is outside the dates the control log covers") from None


def area_source(ac: AreaControl) -> str:
    """The source ids behind an area's holder on a day ("; "-joined)."""
    return ac.change.source if ac.change else ac.baseline.source


@per_dataset(maxsize=64)
def controllers_on(ds: Dataset, day: date) -> dict[str, PlaceControl]:
    """Place id -> who holds it on `day`: the holder of the place's control area."""
    held = area_holders(ds, day)
    out = {}
    for pid, aid in ds.place_area.items():
        ac = held[aid]
        out[pid] = PlaceControl(ac.faction, ac.since, ac.change)
    return out


@per_dataset(maxsize=8)
def places_metric(ds: Dataset) -> gpd.GeoSeries:
    """Place points in METRIC_CRS metres, indexed by place id."""
    return ds.places.geometry.to_crs(METRIC_CRS)


@per_dataset(maxsize=8)
def area_cells(ds: Dataset) -> tuple[tuple[str, ...], np.ndarray]:
    """(area ids, their geometries in metres): the cells that partition Syria."""
    cells = np.asarray([to_metric(g) for g in ds.areas.geometry], dtype=object)
    return tuple(ds.areas.index), cells


@per_dataset(maxsize=8)
def area_km2(ds: Dataset) -> dict[str, float]:
    ids, cells = area_cells(ds)
    return dict(zip(ids, (shapely.area(cells) / 1e6).tolist()))


@per_dataset(maxsize=8)
def syria_metric(ds: Dataset):
    """Syria in metres, prepared for fast predicates (before any thread shares it)."""
    syria = to_metric(ds.syria)
    shapely.prepare(syria)
    return syria


def _zone_key(ac: AreaControl) -> str:
    """Areas of one holder make one zone; unclear ones one zone per change."""
    return f"{ac.faction}:{ac.change.id}" if ac.faction in UNCLEAR else ac.faction


@per_dataset(maxsize=64)
def control_zones(ds: Dataset, day: date) -> gpd.GeoDataFrame:
    """control_zones_metric in WGS84."""
    return control_zones_metric(ds, day).to_crs("EPSG:4326")


ZONE_COLUMNS = [
    "zone",
    "controller",
    "name",
    "color",
    "area_km2",
    "share",
    "areas",
    "area_names",
    "gained_km2",
    "held_before_km2",
    "latest_gain",
    "reason",
    "contested_by",
    "confidence",
    "source",
    "geometry",
]
CONFIDENCE_ORDER = {"high": 0, "medium": 1, "low": 2}


@per_dataset(maxsize=8)
def area_atoms(ds: Dataset) -> tuple[list[list[int]], np.ndarray]:
    """The areas grouped by their holder on every day, once a dataset: (each group's
    positions in area_cells, its union in metres). Every day's zone is a union of whole
    groups, so the day's work grows with the number of distinct histories, not with
    the village cells that share their district's."""
    ids, cells = area_cells(ds)
    days = list(ds.period.days())
    timeline = _timeline(ds)
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, aid in enumerate(ids):
        history = tuple(_zone_key(timeline[day][aid]) for day in days)
        groups.setdefault(history, []).append(i)
    members = list(groups.values())
    unions = [shapely.coverage_union_all(cells[idx]) for idx in members]
    return members, np.asarray(unions, dtype=object)


def atom_holders(ds: Dataset, day: date) -> list[AreaControl]:
    """The holder of each group of area_atoms on `day`, as its first area's: every area
    of a group has the same faction and zone key (not always the same change)."""
    held = area_holders(ds, day)
    ids = area_cells(ds)[0]
    return [held[ids[idx[0]]] for idx in area_atoms(ds)[0]]


@per_dataset(maxsize=64)
def zone_atoms(ds: Dataset, day: date) -> dict[str, list[int]]:
    """Zone key -> the groups of area_atoms that make the zone on `day`.
    Cached and shared by every caller: read it, never change it."""
    zones: dict[str, list[int]] = {}
    for a, ac in enumerate(atom_holders(ds, day)):
        zones.setdefault(_zone_key(ac), []).append(a)
    return zones


@per_dataset(maxsize=64)
def control_zones_metric(ds: Dataset, day: date) -> gpd.GeoDataFrame:
    """One (multi)polygon per holder on `day` (and one per contested change), metres.

    Columns: zone (key), controller, name, color, area_km2, share (of Syria, 0..1),
    areas (count), area_names, gained_km2 (taken that day), held_before_km2 (held
    since the baseline), latest_gain (the last day it gained ground, or None), reason
    and contested_by
    (contested zones), confidence (the lowest of its areas'), source, geometry.
    Sorted by area, largest first.
    """
    held = area_holders(ds, day)
    ids = area_cells(ds)[0]
    sizes = area_km2(ds)
    total = sum(sizes.values())
    names = ds.areas["name"].tolist()  # once: pandas' .iloc per area cost a third of this
    members, atoms = area_atoms(ds)
    rows = []
    for key, atom_idx in zone_atoms(ds, day).items():
        # The areas are an exact coverage: the coverage union is exact and fast.
        zone = shapely.coverage_union_all(atoms[atom_idx])
        idx = sorted(i for a in atom_idx for i in members[a])
        first = held[ids[idx[0]]]
        faction = ds.factions[first.faction]
        records: dict[int, AreaControl] = {}  # one per change or baseline group behind it
        for i in idx:
            ac = held[ids[i]]
            records.setdefault(id(ac.change or ac.baseline), ac)
        sources = list(
            dict.fromkeys(sid for ac in records.values() for sid in area_source(ac).split("; "))
        )
        confidence = max(
            ["high"] + [(ac.change or ac.baseline).confidence for ac in records.values()],
            key=CONFIDENCE_ORDER.get,
        )
        area = sum(sizes[ids[i]] for i in idx)
        since = [held[ids[i]].since for i in idx]
        gains = [d for d in since if d > ds.period.baseline]
        rows.append(
            {
                "zone": key,
                "controller": first.faction,
                "name": faction.name,
                "color": faction.color,
                "area_km2": area,
                "share": area / total,
                "areas": len(idx),
                "area_names": tuple(names[i] for i in idx),
                "gained_km2": sum(sizes[ids[i]] for i in idx if held[ids[i]].since == day)
                if day > ds.period.baseline
                else 0.0,
                "held_before_km2": sum(
                    sizes[ids[i]] for i, d in zip(idx, since) if d == ds.period.baseline
                ),
                "latest_gain": max(gains) if gains else None,
                "reason": first.change.reason if first.faction in UNCLEAR else "",
                "contested_by": first.change.contested_by if first.faction in UNCLEAR else (),
                "confidence": confidence,
                "source": "; ".join(sources),
                "geometry": zone,
            }
        )
    rows.sort(key=lambda r: (-r["area_km2"], r["zone"]))
    return gpd.GeoDataFrame(rows, columns=ZONE_COLUMNS, geometry="geometry", crs=METRIC_CRS)


def shares(ds: Dataset, day: date) -> list[dict]:
    """Each holder's ground on `day`: faction, name, km2, share of Syria (0..1);
    contested ground as one row. Largest first."""
    totals: dict[str, float] = {}
    for row in control_zones_metric(ds, day).itertuples():
        totals[row.controller] = totals.get(row.controller, 0.0) + row.area_km2
    syria = sum(area_km2(ds).values())
    out = [
        {"faction": f, "name": ds.factions[f].name, "km2": a, "share": a / syria}
        for f, a in totals.items()
    ]
    return sorted(out, key=lambda r: (-r["km2"], r["faction"]))


def changes_on(ds: Dataset, day: date) -> list[dict]:
    """The day's changes of hands: change, faction, km2 and the holders before."""
    if day <= ds.period.baseline:
        return []
    before = area_holders(ds, date.fromordinal(day.toordinal() - 1))
    sizes = area_km2(ds)
    out = []
    for change in ds.changes:
        if change.date != day:
            continue
        out.append(
            {
                "change": change,
                "faction": change.faction,
                "km2": sum(sizes[a] for a in change.areas),
                "from": tuple(sorted({before[a].faction for a in change.areas})),
            }
        )
    return out


@per_dataset(maxsize=8)
def _place_records(ds: Dataset) -> dict[str, tuple]:
    """Place id -> (name, population or None, approximate, point): plain lookups, as
    per-row pandas access costs more than the rest of captured_places."""
    pops = ds.places["population"].astype(object).where(ds.places["population"].notna(), None)
    return {
        pid: (name, pop, bool(approx), geom)
        for pid, name, pop, approx, geom in zip(
            ds.places.index, ds.places["name"], pops, ds.places["approximate"], ds.places.geometry
        )
    }


CAPTURED_COLUMNS = [
    "id",
    "name",
    "captured_on",
    "captured_by",
    "held_before",
    "population",
    "source",
    "confidence",
    "note",
    "approximate",
    "geometry",
]


def _last_clear_holder(ds: Dataset, pid: str, day: date) -> str:
    """Who held a place before `day`, passing over days it was contested: a town
    fought over for a day was still taken from its last holder."""
    for back in range(1, (day - ds.period.baseline).days + 1):
        faction = controllers_on(ds, date.fromordinal(day.toordinal() - back))[pid].faction
        if faction not in UNCLEAR:
            return faction
    return CONTESTED


@per_dataset(maxsize=64)
def captured_places(ds: Dataset, day: date) -> gpd.GeoDataFrame:
    """The towns the log names as taken from the start of the offensive up to `day`.

    Columns: id, name, captured_on, captured_by, held_before, population, source,
    confidence, note, approximate, geometry. One row a place, its latest capture;
    sorted by date, then name.
    """
    records = _place_records(ds)
    latest: dict[str, tuple] = {}
    for change in ds.changes:
        if change.date > day or change.date < ds.period.start:
            continue
        if change.faction in NO_CAPTURE_FACTIONS:
            continue
        for pid in change.places:
            latest[pid] = (change, _last_clear_holder(ds, pid, change.date))
    rows = []
    for pid, (change, held_before) in latest.items():
        name, population, approximate, point = records[pid]
        rows.append(
            (
                pid,
                name,
                change.date,
                change.faction,
                held_before,
                population,
                change.source,
                change.confidence,
                change.note,
                approximate,
                point,
            )
        )
    rows.sort(key=lambda r: (r[2], r[1]))
    return gpd.GeoDataFrame(rows, columns=CAPTURED_COLUMNS, geometry="geometry", crs="EPSG:4326")


def site_controller(ds: Dataset, site_id: str, day: date):
    """The SiteControl entry in force for a site on `day`."""
    current = None
    for entry in ds.site_control[site_id]:
        if entry.start <= day:
            current = entry
    return current


def sites_on(ds: Dataset, day: date) -> gpd.GeoDataFrame:
    """The sites with their controller on `day` (controller, controller_since,
    control_source, control_confidence, control_note added to the site columns)."""
    entries = [site_controller(ds, sid, day) for sid in ds.sites.index]
    extra = {
        "controller": [e.faction for e in entries],
        "controller_since": [e.start for e in entries],
        "control_source": [e.source for e in entries],
        "control_confidence": [e.confidence for e in entries],
        "control_note": [e.note for e in entries],
    }
    return ds.sites.assign(**extra)


def events_until(ds: Dataset, day: date) -> gpd.GeoDataFrame:
    """Events dated on or before `day` (history included)."""
    return ds.events[ds.events["date"] <= day]


def events_on(ds: Dataset, day: date) -> gpd.GeoDataFrame:
    """Events happening on `day` (a dated event, or a span that includes it)."""
    ev = ds.events
    end = ev["end_date"].where(ev["end_date"].notna(), ev["date"])
    return ev[(ev["date"] <= day) & (end >= day) & (ev["date_precision"] == "day")]
