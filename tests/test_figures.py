"""Zone figures against independent computations."""

from datetime import date

import numpy as np
import pytest
import shapely
from pyproj import Geod

from lib.buffers import border_wgs84
from lib.data.geo import METRES_PER_MILE
from lib.figures import compare_proposals, places_in_zone, zone_figures

GEOD = Geod(ellps="WGS84")
DAY = date(2024, 12, 1)


@pytest.fixture(scope="module")
def geodesic_border_distance_mi(ds):
    """Each place's geodesic distance to the border (densified to ~200 m)."""
    coords = shapely.get_coordinates(shapely.segmentize(border_wgs84(ds), 0.002))
    out = {}
    for pid, p in ds.places.geometry.items():
        _, _, d = GEOD.inv(
            np.full(len(coords), p.x), np.full(len(coords), p.y), coords[:, 0], coords[:, 1]
        )
        out[pid] = d.min() / METRES_PER_MILE
    return out


@pytest.mark.parametrize("miles", [3, 10, 22, 30])
def test_places_inside_match_geodesic_distances(ds, geodesic_border_distance_mi, miles):
    inside = set(places_in_zone(ds, miles, DAY).index)
    clearly_in = {p for p, d in geodesic_border_distance_mi.items() if d < miles * 0.99}
    clearly_out = {p for p, d in geodesic_border_distance_mi.items() if d > miles * 1.01}
    assert clearly_in <= inside
    assert not (inside & clearly_out)
    figs = zone_figures(ds, miles, DAY)
    assert figs["places"] == len(inside)
    pops = ds.places.loc[list(inside), "population"]
    assert figs["population"] == int(pops.dropna().sum())


def test_border_towns_lie_in_syria_and_in_the_3_mile_zone(ds):
    inside = places_in_zone(ds, 3, DAY).index
    towns = ["kobani", "tell-abyad", "jarablus", "kassab"]  # Azaz is 6.3 km from the line
    assert set(towns) <= set(inside)
    assert all(ds.syria.contains(ds.places.geometry[t]) for t in towns)


def test_aleppo_is_inside_30_miles_not_22(ds):
    assert "aleppo" in places_in_zone(ds, 30, DAY).index
    assert "aleppo" not in places_in_zone(ds, 22, DAY).index
    assert places_in_zone(ds, 30, DAY).loc["aleppo", "controller"] == "hts"


@pytest.mark.parametrize("miles", [3, 22, 30])
def test_faction_areas_add_up_to_the_zone(ds, miles):
    figs = zone_figures(ds, miles, DAY)
    assert sum(figs["faction_area_km2"].values()) == pytest.approx(figs["area_km2"], rel=0.001)
    assert figs["area_mi2"] == pytest.approx(figs["area_km2"] / 2.589988, rel=1e-6)
    assert figs["distance_km"] == pytest.approx(miles * 1.609344)


def test_ground_held_changes_with_the_date(ds):
    before = zone_figures(ds, 30, date(2024, 11, 26))["faction_area_km2"]
    after = zone_figures(ds, 30, DAY)["faction_area_km2"]
    assert after["hts"] > before["hts"] and after["government"] < before["government"]


def test_compare_rows_are_the_five_proposals(ds):
    rows = compare_proposals(ds, DAY)
    assert [r["distance_mi"] for r in rows] == [3, 6, 10, 22, 30]
    shares = [r["share_of_syria"] for r in rows]
    assert shares == sorted(shares) and 0 < shares[0] < shares[-1] < 0.25


@pytest.mark.parametrize(
    "miles, day", [(3, date(2024, 11, 26)), (22, DAY), (30, date(2024, 12, 8))]
)
def test_faction_areas_equal_intersecting_the_control_zones(ds, miles, day):
    """The cell sums against the direct way: the zone intersected with each control zone."""
    from lib.buffers import buffer_zone_metric
    from lib.control import control_zones_metric

    zone = buffer_zone_metric(ds, miles)
    direct: dict[str, float] = {}
    for row in control_zones_metric(ds, day).itertuples():  # contested: several zones
        direct[row.controller] = (
            direct.get(row.controller, 0.0) + row.geometry.intersection(zone).area / 1e6
        )
    ours = zone_figures(ds, miles, day)["faction_area_km2"]
    for faction, area in direct.items():
        assert ours.get(faction, 0.0) == pytest.approx(area, rel=1e-6, abs=0.01)
