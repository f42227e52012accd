"""The command line, run as a user would."""

import csv
import io
import json
import re
import subprocess
import sys
from html import unescape

import pytest

from tests.conftest import ROOT


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "lib", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_validate_bundled_data(ds):
    res = run("validate")
    assert res.returncode == 0, res.stderr
    assert (
        res.stdout.startswith("OK:")
        and f"{len(ds.areas)} control areas" in res.stdout
        and f"{len(ds.places)} places" in res.stdout
    )
    assert not res.stderr  # no note: nothing repaired, no place outside Syria


def test_validate_broken_data_names_the_problem(geodata_copy):
    (geodata_copy / "proposals.json").write_text('{"proposals": [{"id": "x"}]}')
    res = run("validate", str(geodata_copy))
    assert res.returncode == 1
    assert "proposals.json, x, field 'distance_mi': is missing" in res.stderr
    assert "Traceback" not in res.stderr + res.stdout


def test_validate_missing_folder(tmp_path):
    res = run("validate", str(tmp_path / "nope"))
    assert res.returncode == 1 and "is not a folder of geodata" in res.stderr


def test_export_has_every_layer_with_its_properties():
    res = run("export", "--date", "2024-12-01")
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["type"] == "FeatureCollection"
    by_layer = {}
    for f in doc["features"]:
        by_layer.setdefault(f["properties"]["layer"], []).append(f["properties"])
    assert set(by_layer) == {"control", "front", "site", "captured", "proposal", "event"}
    required = {
        "control": {"controller"},
        "site": {"name", "kind", "controller"},
        "captured": {"name", "captured_on", "captured_by"},
        "proposal": {"distance_mi", "area_km2"},
        "event": {"date", "title"},
        "front": {"between", "length_km", "unsettled"},
    }
    for layer, props in by_layer.items():
        for p in props:
            assert required[layer] | {"source"} <= set(p), (layer, p)
            assert p["source"]
    aleppo = [p for p in by_layer["captured"] if p["name"] == "Aleppo"]
    assert len(aleppo) == 1, aleppo  # one capture of Aleppo, not one a layer
    assert aleppo[0]["captured_on"] == "2024-11-30"
    assert all(e["date"] <= "2024-12-01" for e in by_layer["event"])
    assert sorted(p["distance_mi"] for p in by_layer["proposal"]) == [3, 6, 10, 22, 30]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_compare(fmt):
    res = run("compare", "--date", "2024-12-01", "--format", fmt)
    assert res.returncode == 0, res.stderr
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(res.stdout)))
        proposals = [r["id"] for r in rows if r["kind"] == "proposal"]
        rings = [r["id"] for r in rows if r["kind"] == "ring"]
        assert proposals == ["buffer_3", "buffer_6", "buffer_10", "buffer_22", "buffer_30"]
        assert rings[2] == "ring_buffer_10_buffer_22"
        by_id = {r["id"]: r for r in rows}
        added = float(by_id["buffer_22"]["area_km2"]) - float(by_id["buffer_10"]["area_km2"])
        assert float(by_id["ring_buffer_10_buffer_22"]["area_km2"]) == pytest.approx(added, abs=0.2)
        assert float(rows[0]["area_km2"]) > 0 and "held_km2_hts" in rows[0]
    else:
        doc = json.loads(res.stdout)  # the CSV's rows: the proposals and the rings between
        assert doc["date"] == "2024-12-01" and len(doc["rows"]) == 9
        assert {r["kind"] for r in doc["rows"]} == {"proposal", "ring"}
        # holders' columns as the legend names them: "No holder reported", not "unheld"
        assert {"held_km2_contested", "held_km2_no_holder_reported"} <= set(doc["rows"][0])


@pytest.mark.parametrize(
    "bad, message",
    [
        ("2024-12-25", "outside the covered range 2024-11-26 to 2024-12-08"),
        ("2024-13-01", "is not a date of the form YYYY-MM-DD"),
        ("yesterday", "is not a date of the form YYYY-MM-DD"),
    ],
)
def test_bad_dates_get_a_clear_error(bad, message):
    res = run("export", "--date", bad)
    assert res.returncode == 2
    assert message in res.stderr and "Traceback" not in res.stderr


def test_unknown_command():
    res = run("explode")
    assert res.returncode == 2 and "invalid choice" in res.stderr


def test_embed_opens_on_the_day_layers_and_view_asked(tmp_path):
    out = tmp_path / "site"
    res = run(
        "embed",
        "--out",
        str(out),
        "--date",
        "2024-12-01",
        "--layers",
        "control,buffer_22",
        "--view",
        "36.3,37.5,9",
    )
    assert res.returncode == 0, res.stderr
    html = (out / "index.html").read_text(encoding="utf-8")
    cfg = json.loads(unescape(re.search(r'data-config="([^"]*)"', html).group(1)))
    assert cfg["days"][cfg["start"]] == "2024-12-01"
    assert cfg["defaults"] == ["control", "buffer_22"] and cfg["view"] == [36.3, 37.5, 9.0]
    res = run("embed", "--out", str(out), "--layers", "bogus")
    assert res.returncode == 2 and "unknown layer(s) bogus" in res.stderr
