"""Who holds what on a date: places, control zones, captured places, sites.

Control zones are derived from the place-level log, not drawn by hand:

1. every place gets the Voronoi cell of its point (computed in metres, METRIC_CRS),
   clipped to Syria's polygon: the ground closer to that place than to any other;
2. each cell takes the controller of its place on the date;
3. cells are dissolved by controller.

The cells partition Syria by construction, so the zones never overlap and their
union is Syria. The method is coarse where places are sparse (the desert, the
Euphrates as a front line): a zone's edge is only as good as the places that
define it, which is why the app calls these zones approximate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import geopandas as gpd
import numpy as np
import shapely

from lib.dates import BASELINE_DATE, OFFENSIVE_START, all_dates
from lib.geo import METRIC_CRS, to_metric
from lib.geodata import ControlChange, Dataset

NO_CAPTURE_FACTIONS = {"unsettled"}  # a collapse is not a capture by anyone


@dataclass(frozen=True)
class PlaceControl:
    faction: str
    since: date
    change: ControlChange | None  # None: held since the baseline


@lru_cache(maxsize=8)
def _timeline(ds: Dataset) -> dict[date, dict[str, PlaceControl]]:
    """Controller of every place on every covered date (13 small dicts)."""
    state: dict[str, PlaceControl] = {}
    for group in ds.baseline:
        for pid in group.places:
            state[pid] = PlaceControl(group.faction, BASELINE_DATE, None)
    by_day: dict[date, list[ControlChange]] = {}
    for change in ds.changes:
        by_day.setdefault(change.date, []).append(change)
    out = {}
    for day in all_dates():
        for change in by_day.get(day, []):
            for pid in change.places:
                state[pid] = PlaceControl(change.faction, day, change)
        out[day] = dict(state)
    return out


def controllers_on(ds: Dataset, day: date) -> dict[str, PlaceControl]:
    """Place id -> who holds it on `day` (a date in the covered range)."""
    try:
        return _timeline(ds)[day]
    except KeyError:
        raise ValueError(f"{day} is outside the dates the control log covers") from None


@lru_cache(maxsize=8)
def _baseline_groups(ds: Dataset) -> dict:
    """Place id -> its baseline group: one lookup a place (a scan of every group for
    each place made control_zones quadratic in the number of places)."""
    return {pid: group for group in reversed(ds.baseline) for pid in group.places}


def baseline_source(ds: Dataset, pid: str):
    """The baseline group a place belongs to (the first, if listed twice)."""
    return _baseline_groups(ds)[pid]


@lru_cache(maxsize=8)
def places_metric(ds: Dataset) -> gpd.GeoSeries:
    """Place points in METRIC_CRS metres, indexed by place id."""
    return ds.places.geometry.to_crs(METRIC_CRS)


@lru_cache(maxsize=8)
def place_cells(ds: Dataset) -> tuple[tuple[str, ...], np.ndarray]:
    """(place ids, their Voronoi cells clipped to Syria, in metres).

    Places that share a position share one cell: the first id in sorted order owns it.
    """
    syria_m = syria_metric(ds)
    pts = places_metric(ds)
    owners: dict[tuple[float, float], str] = {}
    geoms = np.asarray(pts.values)
    xy = dict(zip(pts.index, zip(shapely.get_x(geoms).tolist(), shapely.get_y(geoms).tolist())))
    for pid in sorted(xy):
        x, y = xy[pid]
        owners.setdefault((round(x, 1), round(y, 1)), pid)
    ids = tuple(owners.values())
    points = shapely.points([k for k in owners])
    frame = shapely.box(*syria_m.buffer(100_000).bounds)
    cells = shapely.voronoi_polygons(shapely.multipoints(points), extend_to=frame, ordered=True)
    cells = np.asarray(shapely.get_parts(cells))
    # Clip to Syria only the cells that reach its border: most lie well inside.
    border = ~shapely.contains_properly(syria_m, cells)
    cells[border] = shapely.intersection(cells[border], syria_m)
    return ids, cells


@lru_cache(maxsize=8)
def syria_metric(ds: Dataset):
    """Syria in metres, prepared for fast predicates (before any thread shares it)."""
    syria = to_metric(ds.syria)
    shapely.prepare(syria)
    return syria


@lru_cache(maxsize=64)
def control_zones(ds: Dataset, day: date) -> gpd.GeoDataFrame:
    """One (multi)polygon per faction holding ground on `day`, in WGS84.

    Columns: controller, name, color, area_km2, places (count), source, geometry.
    """
    return control_zones_metric(ds, day).to_crs("EPSG:4326")


@lru_cache(maxsize=64)
def control_zones_metric(ds: Dataset, day: date) -> gpd.GeoDataFrame:
    """control_zones in METRIC_CRS, as derived (for overlays with buffer zones)."""
    held = controllers_on(ds, day)
    ids, cells = place_cells(ds)
    by_faction: dict[str, list[int]] = {}
    for i, pid in enumerate(ids):
        by_faction.setdefault(held[pid].faction, []).append(i)
    rows = []
    for faction_id in sorted(by_faction):
        idx = by_faction[faction_id]
        # The cells are a coverage (they share edges, never overlap): the coverage
        # union is exact and much faster than a general union.
        zone = shapely.coverage_union_all(cells[idx])
        if zone.is_empty:
            continue
        sources = set()
        for i in idx:
            pc = held[ids[i]]
            sources.add(pc.change.source if pc.change else baseline_source(ds, ids[i]).source)
        faction = ds.factions[faction_id]
        rows.append(
            {
                "controller": faction_id,
                "name": faction.name,
                "color": faction.color,
                "area_km2": zone.area / 1e6,
                "places": len(idx),
                "source": "; ".join(sorted(sources)),
                "geometry": zone,
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=METRIC_CRS)


@lru_cache(maxsize=8)
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


def captured_places(ds: Dataset, day: date) -> gpd.GeoDataFrame:
    """Places that changed hands from the start of the offensive up to `day`.

    Columns: id, name, captured_on, captured_by, held_before, population, source,
    confidence, note, approximate, geometry. One row a place, its latest change;
    sorted by date, then name.
    """
    held = controllers_on(ds, day)
    baseline = controllers_on(ds, BASELINE_DATE)
    records = _place_records(ds)
    rows = []
    for pid, pc in held.items():
        if pc.change is None or pc.since < OFFENSIVE_START:
            continue
        if pc.faction in NO_CAPTURE_FACTIONS or pc.faction == baseline[pid].faction:
            continue
        name, population, approximate, point = records[pid]
        rows.append(
            (
                pid,
                name,
                pc.since,
                pc.faction,
                baseline[pid].faction,
                population,
                pc.change.source,
                pc.change.confidence,
                pc.change.note,
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
