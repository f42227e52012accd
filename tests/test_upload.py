"""A user's own layer: each kind of bad upload gets its message; good ones are counted."""

import json
from datetime import date

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
    assert layer.geometry.equals_exact(shapely.Polygon(SQUARE), tolerance=1e-6)


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
