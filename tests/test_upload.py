"""A user's own layer: each kind of bad upload gets its message; good ones are counted."""

import json
from datetime import date

import numpy as np
import pytest
import shapely
from pyproj import Geod

from lib.upload import MAX_UPLOAD_BYTES, UploadError, read_user_layer, user_layer_figures

DAY = date(2024, 12, 1)
SQUARE = [[36.9, 36.1], [37.4, 36.1], [37.4, 36.5], [36.9, 36.5], [36.9, 36.1]]  # Aleppo area


def fc(geometry, **props):
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": props, "geometry": geometry}],
        }
    ).encode()


def poly(ring=SQUARE):
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"", "the file is empty"),
        (b'{"type": ', "not valid JSON: .* at line 1, column"),
        (b"\xff\xfe", "not UTF-8 text"),
        (b'{"type": "Topology"}', "it is not GeoJSON"),
        (fc({"type": "Point", "coordinates": [37, 36]}), r"no polygons \(found: Point\)"),
        (fc(poly([[x * 1e5, y * 1e5] for x, y in SQUARE])), "outside the world"),
        (fc(poly([[y, x] for x, y in SQUARE])), r"look like \[latitude, longitude\]"),
        (fc(poly([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]])), "does not overlap Syria"),
        (
            fc({"type": "Polygon", "coordinates": [[[36.9, "x"], [37, 36], [37, 37], [36.9, 36]]]}),
            "malformed geometry|not finite",
        ),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "crs": {"type": "name", "properties": {"name": "EPSG:999999"}},
                    "features": [],
                }
            ).encode(),
            "coordinate system .* is unknown",
        ),
    ],
)
def test_bad_uploads_are_refused_with_a_reason(ds, raw, message):
    with pytest.raises(UploadError, match=message):
        read_user_layer(raw, "mine.geojson", ds)


def test_size_cap(ds):
    with pytest.raises(UploadError, match="the limit is 10 MB"):
        read_user_layer(b" " * (MAX_UPLOAD_BYTES + 1), "big.geojson", ds)


def test_self_intersecting_polygon_is_repaired_and_said(ds):
    bowtie = [[36.9, 36.1], [37.4, 36.5], [37.4, 36.1], [36.9, 36.5], [36.9, 36.1]]
    layer = read_user_layer(fc(poly(bowtie)), "bowtie.geojson", ds)
    assert layer.geometry.is_valid and layer.geometry.area > 0
    assert any("Repaired invalid geometry (Self-intersection" in n for n in layer.notes)


def test_other_crs_is_reprojected_and_said(ds):
    from pyproj import Transformer

    to3857 = Transformer.from_crs(4326, 3857, always_xy=True)
    ring = [list(to3857.transform(x, y)) for x, y in SQUARE]
    raw = json.dumps(
        {
            "type": "FeatureCollection",
            "crs": {"type": "name", "properties": {"name": "EPSG:3857"}},
            "features": [{"type": "Feature", "properties": {}, "geometry": poly(ring)}],
        }
    ).encode()
    layer = read_user_layer(raw, "web.geojson", ds)
    assert "Reprojected from EPSG:3857 to WGS84." in layer.notes
    assert layer.geometry.symmetric_difference(shapely.Polygon(SQUARE)).area < 1e-9


def test_figures_of_a_user_layer_against_independent_computations(ds):
    layer = read_user_layer(fc(poly(), name="<b>Mine</b>"), "x.geojson", ds)
    assert layer.name == "<b>Mine</b>"  # kept as text; escaped where it is shown
    figs = user_layer_figures(ds, layer, DAY)
    geodesic = abs(Geod(ellps="WGS84").geometry_area_perimeter(layer.geometry)[0]) / 1e6
    assert figs["area_km2"] == pytest.approx(geodesic, rel=0.01)
    inside = ds.places[ds.places.within(layer.geometry)]
    assert figs["places"] == len(inside) and "aleppo" in inside.index
    assert sum(figs["faction_area_km2"].values()) == pytest.approx(figs["area_km2"], rel=1e-3)
    assert "hts" in figs["faction_area_km2"]


# ---- hostile input, as classes ------------------------------------------------------


def doc(**members):
    return json.dumps({"type": "FeatureCollection", **members}).encode()


def feature(properties=None, geometry=None):
    return {"type": "Feature", "properties": properties, "geometry": geometry or poly()}


@pytest.mark.parametrize(
    "raw, message",
    [
        # any nesting depth: arrays, objects, and nesting inside a geometry
        (b"[" * 100_000 + b"]" * 100_000, "nests its JSON too deeply"),
        (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "nests its JSON too deeply"),
        # any JSON value where an object is expected
        (doc(features=[feature(properties="a string")]), "feature 1 has 'properties' that are"),
        (doc(features=[feature(properties=[1, 2])]), "feature 1 has 'properties' that are"),
        (doc(features=[feature(properties=7)]), "feature 1 has 'properties' that are"),
        (doc(features=["not a feature"]), "feature 1 is not a GeoJSON Feature"),
        (doc(features=[{"type": "Feature", "geometry": "x"}]), "geometry that is not an object"),
        (doc(features=[feature()], crs={"properties": [1]}), "names no coordinate system"),
        (doc(features=[feature()], crs="EPSG:3857"), "names no coordinate system"),
        (doc(features=[feature()], crs={"properties": {"name": 3857}}), "names no coordinate"),
        (
            json.dumps({"type": "Feature", "properties": "x", "geometry": poly()}).encode(),
            "the feature has 'properties'",
        ),
    ],
)
def test_malformed_structure_is_refused_not_a_traceback(ds, raw, message):
    with pytest.raises(UploadError, match=message):
        read_user_layer(raw, "mine.geojson", ds)


def _in_crs(name: str) -> bytes:
    return doc(features=[feature()], crs={"type": "name", "properties": {"name": name}})


@pytest.mark.parametrize(
    "crs, message",
    [
        ("EPSG:5703", "not a horizontal one"),  # a vertical CRS (NAVD88 height)
        (
            'ENGCRS["A local grid",EDATUM["a site"],CS[Cartesian,2],'
            'AXIS["x",east,LENGTHUNIT["metre",1]],AXIS["y",north,LENGTHUNIT["metre",1]]]',
            "not a horizontal one|cannot be converted",
        ),  # an engineering CRS
        ("+proj=nonsense", "is unknown"),
    ],
)
def test_a_crs_that_cannot_place_the_layer_is_refused(ds, crs, message):
    with pytest.raises(UploadError, match=message):
        read_user_layer(_in_crs(crs), "mine.geojson", ds)


def test_a_utf8_byte_order_mark_is_accepted(ds):
    layer = read_user_layer(b"\xef\xbb\xbf" + fc(poly()), "mine.geojson", ds)
    assert layer.geometry.intersects(ds.syria)


def _box(minx, miny, maxx, maxy):
    return poly([[minx, miny], [maxx, miny], [maxx, maxy], [minx, maxy], [minx, miny]])


SYRIA_KM2 = 187_607  # Syria's outline (the Golan and inland water included), on the ellipsoid


@pytest.mark.parametrize("box", [(-180, -90, 180, 90), (0, 0, 180, 90), (30, 30, 50, 40)])
def test_big_polygons_with_few_vertices_cover_syria_exactly(ds, box):
    layer = read_user_layer(fc(_box(*box)), "world.geojson", ds)
    figs = user_layer_figures(ds, layer, DAY)
    assert figs["area_km2"] == pytest.approx(SYRIA_KM2, rel=0.01)
    assert figs["places"] > 300


def test_a_big_triangle_is_measured_along_its_edges(ds):
    """A diagonal edge across Syria, projected with its two ends only, would cut the
    ground it bounds; with points along it the area matches the ellipsoid's."""
    tri = poly([[34, 31], [44, 31], [34, 39], [34, 31]])
    layer = read_user_layer(fc(tri), "tri.geojson", ds)
    inside = layer.geometry.intersection(ds.syria)
    geod = Geod(ellps="WGS84")
    expected = abs(geod.geometry_area_perimeter(shapely.segmentize(inside, 0.01))[0]) / 1e6
    got = user_layer_figures(ds, layer, DAY)["area_km2"]
    assert got == pytest.approx(expected, rel=0.01)


def test_a_layer_mostly_outside_syria_says_so(ds):
    # a lat/lon mix-up that still lands over Hatay: most of it is in Turkey
    layer = read_user_layer(fc(_box(35.8, 35.8, 36.6, 37.3)), "hatay.geojson", ds)
    assert any("Most of this layer" in n for n in layer.notes)
    assert not read_user_layer(fc(poly()), "aleppo.geojson", ds).notes


def test_too_many_features_is_refused_with_the_limit(ds):
    from lib.upload import MAX_FEATURES

    raw = doc(features=[feature() for _ in range(MAX_FEATURES + 1)])
    with pytest.raises(UploadError, match=f"the limit is {MAX_FEATURES:,}"):
        read_user_layer(raw, "many.geojson", ds)


def test_too_many_vertices_is_refused_with_the_limit(ds):
    from lib.upload import MAX_VERTICES

    ring = [
        [37 + 0.5 * np.cos(t), 36 + 0.3 * np.sin(t)]
        for t in np.linspace(0, 6.28, MAX_VERTICES + 10)
    ]
    ring.append(ring[0])
    with pytest.raises(UploadError, match=f"the limit is {MAX_VERTICES:,}"):
        read_user_layer(fc(poly(ring)), "dense.geojson", ds)


HOSTILE = "![x](http://127.0.0.1:9/md.png) [phish](http://evil.example) **bold** :red[x]"


def test_values_from_the_file_are_inert_in_messages(ds):
    """Messages quote what the file says, cut short; the page escapes them whole."""
    from lib.text import md_escape

    with pytest.raises(UploadError) as info:
        read_user_layer(_in_crs(HOSTILE), "mine.geojson", ds)
    message = str(info.value)
    assert "“![x](http://127.0.0.1:9/md.png) [phish](" in message  # quoted, cut to 40
    assert "evil.example" not in message
    shown = md_escape(message)
    for raw_markup in ("![x](", "[phish](", "**bold**", "http://"):
        assert raw_markup not in shown


# ---- costly shapes: the work is bounded, whatever the shape (issue 31) ----------------


def _child_usage():
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [
        "random_ring_500",
        "random_ring_3000",
        "random_ring_48000",
        "star_20000",
        "overlapping_parts_400",
        "holes_crossing_shell_400",
    ],
)
def test_a_costly_repair_is_refused_within_its_budget(ds, name):
    """Each of these took a minute of CPU or crashed the server with 12 GB; now the
    repair runs in a child with a CPU and memory limit, and the file is refused by name."""
    import time

    from lib.bounded_repair import CPU_SECONDS
    from tests.support.hostile_uploads import hostile_uploads

    raw = hostile_uploads()[name]
    before_self, before_child = time.process_time(), _child_usage()
    with pytest.raises(UploadError, match="would take too long|would need more than|vertices"):
        read_user_layer(raw, f"{name}.geojson", ds)
    child = _child_usage() - before_child
    # the kernel enforces the child's limit; the server's own part is the parse
    assert child < CPU_SECONDS + 1.0, child
    assert time.process_time() - before_self < 1.0


@pytest.mark.slow
def test_many_valid_overlapping_parts_are_merged_within_the_budget(ds):
    from tests.support.hostile_uploads import hostile_uploads

    layer = read_user_layer(hostile_uploads()["valid_stars_1000"], "stars.geojson", ds)
    assert layer.geometry.is_valid and not layer.notes


def test_the_child_refuses_by_its_limits_not_by_luck():
    """A budget too small for a modest repair is refused for time; one too small in
    memory, for memory: the limits themselves decide (lib/bounded_repair)."""
    from lib.bounded_repair import RepairRefused, repair_union
    from tests.support.hostile_uploads import hostile_uploads

    doc = json.loads(hostile_uploads()["random_ring_500"])
    ring = shapely.Polygon(doc["features"][0]["geometry"]["coordinates"][0])
    with pytest.raises(RepairRefused, match="would take too long"):
        repair_union([ring], cpu_seconds=0.05)
    with pytest.raises(RepairRefused, match="would need more than 1 MB|would take too long"):
        repair_union([ring], memory_bytes=2**20)
    bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])
    repaired = repair_union([bowtie, shapely.box(5, 5, 6, 6)])
    assert repaired.geometry.is_valid and repaired.geometry.area == pytest.approx(1.5)
    assert repaired.invalid_reasons[0].startswith("Self-intersection")


def test_a_child_aborted_for_memory_is_refused_for_memory(monkeypatch):
    """Out of address space, glibc may end the child ("cannot allocate memory for
    thread-local data") before Python sees a MemoryError: CI's clean machine did."""
    import signal
    import subprocess

    from lib import bounded_repair

    err = b"Fatal glibc error: cannot allocate memory for thread-local data: ABORT\n"
    for code in (-signal.SIGABRT, 127):  # abort(), or the loader's _exit(127)
        ended = subprocess.CompletedProcess([], code, b"", err)
        monkeypatch.setattr(bounded_repair.subprocess, "run", lambda *a, ended=ended, **k: ended)
        with pytest.raises(bounded_repair.RepairRefused, match="would need more than 320 MB"):
            bounded_repair.repair_union([shapely.box(0, 0, 1, 1)])

    def crashed(args, **kw):
        return subprocess.CompletedProcess(args, -signal.SIGSEGV, b"", b"Segmentation fault\n")

    monkeypatch.setattr(bounded_repair.subprocess, "run", crashed)
    with pytest.raises(bounded_repair.RepairRefused, match="could not be repaired"):
        bounded_repair.repair_union([shapely.box(0, 0, 1, 1)])


@pytest.mark.parametrize(
    "raw, message",
    [
        (None, "a number written with 5,001 characters"),
        (
            b'{"type": "Polygon", "coordinates": [[[NaN, 36], [37, 36], [37, 37], [NaN, 36]]]}',
            "the value NaN",
        ),
        (
            b'{"type": "Polygon", "coordinates": [[[Infinity, 36], [37, 36], [37, 37], [1, 36]]]}',
            "the value Infinity",
        ),
        (
            b'{"type": "Polygon", "coordinates": [[[1e999, 36], [37, 36], [37, 37], [1e999, 36]]]}',
            "not finite",
        ),
    ],
)
def test_numbers_python_cannot_use_are_an_upload_error(ds, raw, message):
    from tests.support.hostile_uploads import long_number_upload

    with pytest.raises(UploadError, match=message):
        read_user_layer(raw or long_number_upload(), "n.geojson", ds)
