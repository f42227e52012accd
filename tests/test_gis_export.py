"""The export in GIS formats, read back by GDAL (pyogrio): one layer a kind, the
period's features with valid_from and valid_to that replay each day exactly, RFC 7946
ring order. On the mini fixture: these test the code, not the bundled data."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta

import pyogrio
import pytest
import shapely
from shapely.geometry import shape

from lib import gis_export
from lib.export import layers_geojson
from tests.conftest import MINI_DIR, ROOT


def _polygons(geom):
    return [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon"]


def test_every_written_polygon_has_rfc7946_ring_order(mini, ds):
    """Outer rings counterclockwise, holes clockwise: in the export and in
    control_areas.geojson (written by rebuild-areas)."""
    feats = layers_geojson(mini, mini.period.end)["features"]
    areas = json.loads((ROOT / "geodata" / "control_areas.geojson").read_text())["features"]
    polys = [p for f in feats + areas if f["geometry"] for p in _polygons(shape(f["geometry"]))]
    assert len(polys) > 40
    for p in polys:
        assert p.exterior.is_ccw and not any(r.is_ccw for r in p.interiors)
    # holes: none is left in the bundled areas, so the writer is checked on one
    from lib.data.geo import geometry_json

    wrong_way = shapely.Polygon(
        [(0, 0), (0, 4), (4, 4), (4, 0)], [[(1, 1), (2, 1), (2, 2), (1, 2)]]
    )
    written = shape(geometry_json(wrong_way))
    assert written.exterior.is_ccw and not written.interiors[0].is_ccw


def test_the_period_replays_each_day(mini):
    """For every day, the features valid that day (valid_from <= day < valid_to) are
    exactly that day's export."""
    period = gis_export.period_features(mini)
    for day in mini.period.days():
        iso = day.isoformat()
        valid = [
            {k: v for k, v in f["properties"].items() if k not in ("valid_from", "valid_to")}
            for f in period
            if f["properties"]["valid_from"] <= iso < f["properties"]["valid_to"]
        ]
        expected = [f["properties"] for f in layers_geojson(mini, day)["features"]]
        key = lambda p: json.dumps(p, sort_keys=True)  # noqa: E731
        assert sorted(map(key, valid)) == sorted(map(key, expected)), iso
    assert len(period) < sum(len(layers_geojson(mini, d)["features"]) for d in mini.period.days())


def test_a_geopackage_of_the_period_reads_back_with_time_fields(mini, tmp_path):
    out = gis_export.write(gis_export.period_features(mini), "gpkg", tmp_path / "fall.gpkg")
    layers = dict(pyogrio.list_layers(out))
    assert set(layers) <= set(gis_export.LAYERS) and {"control", "site", "captured"} <= set(layers)
    control = pyogrio.read_dataframe(out, layer="control")
    assert str(control["valid_from"].dtype).startswith("datetime64")
    first, last = mini.period.baseline, mini.period.end
    assert control["valid_from"].min().date() == first
    assert control["valid_to"].max().date() == last + timedelta(days=1)
    day = first + timedelta(days=2)
    live = control[(control["valid_from"].dt.date <= day) & (control["valid_to"].dt.date > day)]
    expected = [
        f for f in layers_geojson(mini, day)["features"] if f["properties"]["layer"] == "control"
    ]
    assert sorted(live["controller"]) == sorted(f["properties"]["controller"] for f in expected)
    assert live.geometry.is_valid.all()


@pytest.mark.parametrize("fmt", ["kml", "csv", "geojson"])
def test_a_day_in_each_format_reads_back(mini, tmp_path, fmt):
    day = mini.period.end
    feats = gis_export.day_features(mini, day)
    out = gis_export.write(feats, fmt, tmp_path / f"day{gis_export.SUFFIX[fmt]}")
    if fmt == "csv":  # a folder, one CSV a layer, geometry as WKT
        files = {p.stem: p for p in out.glob("*.csv")}
        read = {k: pyogrio.read_dataframe(p) for k, p in files.items()}
    elif fmt == "kml":
        read = {n: pyogrio.read_dataframe(out, layer=n) for n, _ in pyogrio.list_layers(out)}
    else:
        frame = pyogrio.read_dataframe(out)
        read = {k: frame[frame["layer"] == k] for k in set(frame["layer"])}
    by_layer = {}
    for f in feats:
        by_layer.setdefault(f["properties"]["layer"], []).append(f)
    assert set(read) == set(by_layer)
    for layer, frame in read.items():
        assert len(frame) == len(by_layer[layer]), layer
        placed = [f for f in by_layer[layer] if f["geometry"]]
        assert frame.geometry.notna().sum() == len(placed), layer
    if fmt == "kml":
        assert set(read["site"]["Name"]) == {f["properties"]["name"] for f in by_layer["site"]}


def test_all_days_writes_one_file_a_day(mini, tmp_path):
    paths = gis_export.write_days(mini, "gpkg", tmp_path / "days")
    assert [p.name for p in paths] == [f"{d.isoformat()}.gpkg" for d in mini.period.days()]
    last = pyogrio.read_dataframe(paths[-1], layer="control")
    assert set(last["date"].dt.date) == {mini.period.end}


def _cli(*args, cwd=ROOT):
    env_data = ["--data", str(MINI_DIR)]
    return subprocess.run(
        [sys.executable, "-m", "lib", *args, *env_data],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_the_cli_exports_each_format_and_says_what_it_wrote(tmp_path):
    done = _cli("export", "--format", "gpkg", "--out", str(tmp_path / "fall.gpkg"))
    assert done.returncode == 0 and done.stdout == "", done.stderr
    assert "wrote" in done.stderr and (tmp_path / "fall.gpkg").is_file()
    done = _cli("export", "--all-days", str(tmp_path / "days"), "--format", "csv")
    assert done.returncode == 0 and len(list((tmp_path / "days").iterdir())) >= 3
    done = _cli("export", "--format", "kml")
    assert done.returncode == 2 and "give --out" in done.stderr
    done = _cli("export", "--format", "gpkg", "--out", str(tmp_path / "no" / "x.gpkg"))
    assert done.returncode == 2 and "does not exist" in done.stderr
    period = json.loads(_cli("export").stdout)  # no --date: the whole period, GeoJSON
    assert all("valid_from" in f["properties"] for f in period["features"])
    one = json.loads(_cli("export", "--date", "2024-11-28").stdout)
    assert one["date"] == "2024-11-28" and date.fromisoformat(one["date"])
