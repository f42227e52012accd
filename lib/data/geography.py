"""What the schema cannot see, one function a check: neighbours overlapping Syria,
control areas that do not partition it, places that fall in no area, a change's towns
outside its areas, sites outside Syria, events far from where they belong. Each returns
its problems; distances and areas are in metres (lib.data.geo's equal-area projection).
"""

from __future__ import annotations

import shapely

from lib.data.errors import Problem
from lib.data.geo import to_metric, to_wgs84
from lib.data.records import (
    AREA_GAP_KM2,
    AREAS_FILE,
    BORDERS_FILE,
    CONTROL_FILE,
    EVENT_FROM_PLACE_M,
    EVENTS_FILE,
    NEIGHBOUR_OVERLAP_KM2,
    PLACE_OUTSIDE_M,
    PLACES_FILE,
    SITE_OUTSIDE_M,
    SITES_FILE,
    STORY_REGION,
)


def check_geography(countries, places, sites, events, areas, overrides, changes, notes):
    """Every check below. Returns ({place id: area id}, problems); a place a little
    outside Syria's outline is counted in the nearest area, with a note."""
    syria_m = to_metric(countries.loc[countries["name"] == "Syria", "geometry"].iloc[0])
    problems = neighbours_overlapping(countries, syria_m)
    place_area: dict[str, str] = {}
    if areas is not None:
        area_m = [to_metric(g) for g in areas.geometry]
        problems += areas_outside_or_overlapping(areas.index, area_m, syria_m)
        problems += ground_no_area_covers(area_m, syria_m)
        if places is not None:
            place_area, p = areas_of_places(places, areas.index, area_m, overrides, notes)
            problems += p
            problems += towns_outside_their_change(changes, place_area)
    if sites is not None and len(sites):
        problems += sites_outside_syria(sites, syria_m)
    if events is not None and len(events):
        problems += events_out_of_place(events, places)
    return place_area, problems


def neighbours_overlapping(countries, syria_m) -> list[Problem]:
    problems = []
    for row in countries.itertuples():
        if row.name == "Syria":
            continue
        overlap = to_metric(row.geometry).intersection(syria_m).area / 1e6
        if overlap > NEIGHBOUR_OVERLAP_KM2:
            problems.append(
                Problem(BORDERS_FILE, row.name, "geometry", f"overlaps Syria by {overlap:,.0f} km²")
            )
    return problems


def areas_outside_or_overlapping(area_ids, area_m, syria_m) -> list[Problem]:
    problems = []
    tree = shapely.STRtree(area_m)
    syria_wide = syria_m.buffer(100)  # once: with OSM's 10 m outline it costs 5 ms
    shapely.prepare(syria_wide)
    for i, geom in enumerate(area_m):
        outside = 0.0 if syria_wide.contains(geom) else geom.difference(syria_wide).area / 1e6
        if outside > AREA_GAP_KM2:
            problems.append(
                Problem(
                    AREAS_FILE, area_ids[i], "geometry", f"lies {outside:,.0f} km² outside Syria"
                )
            )
        for j in tree.query(geom, predicate="intersects"):
            if j > i:
                both = geom.intersection(area_m[j]).area / 1e6
                if both > AREA_GAP_KM2:
                    problems.append(
                        Problem(
                            AREAS_FILE,
                            area_ids[i],
                            "geometry",
                            f"overlaps area '{area_ids[j]}' by {both:,.1f} km²",
                        )
                    )
    return problems


def ground_no_area_covers(area_m, syria_m) -> list[Problem]:
    gap = syria_m.difference(shapely.union_all(area_m))
    gap_km2 = sum(p.area for p in shapely.get_parts(gap) if p.area / 1e6 > 0.01) / 1e6
    if gap_km2 <= AREA_GAP_KM2:
        return []
    at = to_wgs84(max(shapely.get_parts(gap), key=lambda p: p.area).representative_point())
    return [
        Problem(
            AREAS_FILE,
            None,
            "geometry",
            f"the areas leave {gap_km2:,.0f} km² of Syria uncovered "
            f"(e.g. near {at.x:.3f}, {at.y:.3f})",
        )
    ]


def areas_of_places(places, area_ids, area_m, overrides, notes):
    """{place id: the area it lies in}: control_log.json's `place_areas` first, then
    the area containing it, then (within PLACE_OUTSIDE_M, with a note) the nearest."""
    problems, place_area = [], {}
    tree = shapely.STRtree(area_m)
    for pid, point in zip(places.index, places.geometry):
        if pid in overrides:
            place_area[pid] = overrides[pid]
            continue
        pm = to_metric(point)
        hits = tree.query(pm, predicate="intersects")
        if len(hits):
            place_area[pid] = area_ids[int(min(hits))]
            continue
        nearest = int(tree.nearest(pm))
        away = area_m[nearest].distance(pm)
        if away > PLACE_OUTSIDE_M:
            problems.append(
                Problem(
                    PLACES_FILE,
                    pid,
                    "geometry",
                    f"lies {away / 1000:,.1f} km outside every control area "
                    f"(at {point.x:.4f}, {point.y:.4f}); assign it in {CONTROL_FILE}'s "
                    "place_areas if it belongs to one",
                )
            )
            continue
        place_area[pid] = area_ids[nearest]
        notes.append(
            f"{PLACES_FILE}, {pid}: {away / 1000:.1f} km outside Syria's outline, "
            f"counted in the nearest control area, '{area_ids[nearest]}'"
        )
    return place_area, problems


def towns_outside_their_change(changes, place_area) -> list[Problem]:
    return [
        Problem(
            CONTROL_FILE,
            change.id,
            "places",
            f"'{pid}' lies in area '{place_area[pid]}', which is not one of "
            f"this change's areas ({', '.join(change.areas)})",
        )
        for change in changes
        for pid in change.places
        if pid in place_area and place_area[pid] not in change.areas
    ]


def sites_outside_syria(sites, syria_m) -> list[Problem]:
    problems = []
    for sid, point in zip(sites.index, sites.geometry):
        away = syria_m.distance(to_metric(point))
        if away > SITE_OUTSIDE_M:
            problems.append(
                Problem(SITES_FILE, sid, "geometry", f"lies {away / 1000:,.0f} km outside Syria")
            )
    return problems


def events_out_of_place(events, places) -> list[Problem]:
    """Events outside the story's region, or far from the place they name."""
    problems = []
    lo_x, lo_y, hi_x, hi_y = STORY_REGION
    region = shapely.box(lo_x, lo_y, hi_x, hi_y)
    for eid, geom, place in zip(events.index, events.geometry, events["place"]):
        if geom is None:
            continue
        if not region.contains(geom):
            problems.append(
                Problem(
                    EVENTS_FILE,
                    eid,
                    "geometry",
                    "lies far outside the region of the story "
                    f"(longitude {lo_x:g} to {hi_x:g}, latitude {lo_y:g} to {hi_y:g})",
                )
            )
        elif place is not None and places is not None and place in places.index:
            away = to_metric(geom).distance(to_metric(places.geometry[place]))
            if away > EVENT_FROM_PLACE_M:
                problems.append(
                    Problem(
                        EVENTS_FILE,
                        eid,
                        "geometry",
                        f"lies {away / 1000:,.0f} km from its place '{place}'",
                    )
                )
    return problems
