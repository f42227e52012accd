"""State at a date: the partition property, captures, sites, and the method itself."""

from datetime import date

import geopandas as gpd
import pytest
import shapely
from shapely import wkt

from lib.control import (
    captured_places,
    control_zones,
    control_zones_metric,
    controllers_on,
    events_on,
    sites_on,
    syria_metric,
)
from lib.dates import all_dates
from lib.geodata import BaselineGroup, ControlChange, Dataset, Faction


@pytest.mark.parametrize("day", all_dates(), ids=str)
def test_zones_partition_syria(ds, day):
    zones = control_zones_metric(ds, day)
    syria = syria_metric(ds)
    union = shapely.union_all(zones.geometry.values)
    assert abs(union.area - syria.area) / syria.area < 0.005
    assert union.symmetric_difference(syria).area / syria.area < 0.005
    geoms = list(zones.geometry)
    for i in range(len(geoms)):
        for j in range(i + 1, len(geoms)):
            assert geoms[i].intersection(geoms[j]).area < 1e-6 * syria.area
    assert zones["controller"].is_unique
    assert all(g.is_valid for g in geoms)


def test_aleppo_changes_hands(ds):
    aleppo = ds.places.geometry["aleppo"]

    def holder(day):
        zones = control_zones(ds, day)
        return zones.loc[zones.contains(aleppo), "controller"].tolist()

    assert holder(date(2024, 11, 26)) == ["government"]
    assert holder(date(2024, 12, 1)) == ["hts"]
    assert controllers_on(ds, date(2024, 11, 29))["aleppo"].faction == "government"
    assert controllers_on(ds, date(2024, 11, 30))["aleppo"].faction == "hts"


def test_captured_places(ds):
    assert captured_places(ds, date(2024, 11, 27)).empty
    cap = captured_places(ds, date(2024, 12, 1)).set_index("id")
    assert cap.loc["aleppo", "captured_by"] == "hts"
    assert cap.loc["aleppo", "captured_on"] == date(2024, 11, 30)
    assert cap.loc["aleppo", "held_before"] == "government"
    assert cap.loc["kuweires", "captured_by"] == "sna"
    assert "hama" not in cap.index  # falls on 5 Dec
    assert (cap["captured_on"] <= date(2024, 12, 1)).all()
    # a collapse is not a capture: Latakia is unsettled on 8 Dec, not captured
    last = captured_places(ds, date(2024, 12, 8)).set_index("id")
    assert "latakia" not in last.index and "hama" in last.index
    assert controllers_on(ds, date(2024, 12, 8))["latakia"].faction == "unsettled"


def test_sites_controller_over_time(ds):
    before = sites_on(ds, date(2024, 11, 30))
    after = sites_on(ds, date(2024, 12, 1))
    assert before.loc["kuweires-air-base", "controller"] == "government"
    assert after.loc["kuweires-air-base", "controller"] == "sna"
    assert after.loc["kuweires-air-base", "controller_since"] == date(2024, 12, 1)
    assert (after.loc[["hmeimim-air-base", "tartus-naval-base"], "controller"] == "russia").all()


def test_events_on_a_day_include_spans(ds):
    titles = set(events_on(ds, date(2024, 12, 2))["title"])
    assert "HTS sweeps 39 villages of northern Hama" in titles  # 1-2 Dec
    assert "SNA takes Kuweires air base" not in titles


def test_date_outside_the_log_is_refused(ds):
    with pytest.raises(ValueError, match="outside the dates the control log covers"):
        controllers_on(ds, date(2025, 1, 1))


def _toy_dataset():
    """A square 'Syria' 2 x 2 degrees with two places; B changes hands on 30 Nov."""
    square = wkt.loads("POLYGON ((37 35, 39 35, 39 37, 37 37, 37 35))")
    countries = gpd.GeoDataFrame(
        {
            "name": ["Syria", "Turkey"],
            "iso_n3": [None, None],
            "geometry": [square, wkt.loads("POLYGON ((37 37, 39 37, 39 38, 37 38, 37 37))")],
        },
        crs="EPSG:4326",
    )
    places = gpd.GeoDataFrame(
        {
            "id": ["a", "b"],
            "name": ["A", "B"],
            "population": [None, None],
            "approximate": [False, False],
            "geometry": [wkt.loads("POINT (37.5 36)"), wkt.loads("POINT (38.5 36)")],
        },
        crs="EPSG:4326",
    ).set_index("id", drop=False)
    faction = lambda fid: Faction(fid, fid, fid, "#000000", (), "", "s")  # noqa: E731
    return Dataset(
        path=None,
        factions={"x": faction("x"), "y": faction("y")},
        sources={},
        countries=countries,
        places=places,
        sites=None,
        site_control={},
        events=None,
        baseline=(BaselineGroup("x", ("a", "b"), "s", "high", ""),),
        changes=(ControlChange("c", date(2024, 11, 30), "y", ("b",), "s", "high", ""),),
        proposals=(),
    )


def test_voronoi_method_on_a_toy_country():
    toy = _toy_dataset()
    first = control_zones_metric(toy, date(2024, 11, 26))
    assert first["controller"].tolist() == ["x"]
    later = control_zones_metric(toy, date(2024, 12, 1)).set_index("controller")
    # two places symmetric about 38E: each holds about half the square
    share = later.geometry["y"].area / (later.geometry["x"].area + later.geometry["y"].area)
    assert share == pytest.approx(0.5, abs=0.02)
    east = control_zones(toy, date(2024, 12, 1)).set_index("controller").geometry["y"]
    assert east.contains(shapely.Point(38.9, 36.5)) and not east.contains(shapely.Point(37.1, 36.5))
