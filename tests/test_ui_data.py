"""The app's cached data access (ui/data.py), outside a running app."""

from datetime import date

import pytest

from lib.day_panel import day_panel_html
from ui import data

pytestmark = pytest.mark.slow  # runs the app, a server or a rebuild


def test_the_day_panel_is_made_once_for_a_day_and_its_layers(ds, monkeypatch):
    calls = []

    def counted(*args):
        calls.append(args[1:])
        return day_panel_html(*args)

    monkeypatch.setattr(data, "day_panel_html", counted)
    data._day_panel.clear()
    day = date(2024, 11, 30)
    try:
        first = data.day_panel(day, ("control", "events"), ds)
        assert first == day_panel_html(ds, day, ("control", "events"))
        assert data.day_panel(day, ("control", "events"), ds) == first
        assert calls == [(day, ("control", "events"))]  # the second came from the cache
        other = data.day_panel(day, ("control",), ds)  # other layers: made anew
        assert other != first and len(calls) == 2
    finally:
        data._day_panel.clear()


def test_the_atlas_is_written_in_the_background_and_again_if_removed(ds, tmp_path, monkeypatch):
    monkeypatch.setattr(data, "STATIC_DIR", tmp_path)
    data._atlas_job.clear()
    try:
        url = data.atlas_url(ds)  # returns at once; the map waits for the file
        path = tmp_path / "atlas" / url.rsplit("/", 1)[1]
        data._atlas_job(ds, data.geodata_signature())[2].result(timeout=120)
        assert path.is_file()

        path.unlink()  # removed by hand, or by another server's clean-up
        assert data.atlas_url(ds) == url
        data._atlas_job(ds, data.geodata_signature())[2].result(timeout=120)
        assert path.is_file()  # written again
    finally:
        data._atlas_job.clear()


def test_a_failed_atlas_is_tried_again_on_the_next_run(ds, tmp_path, monkeypatch):
    monkeypatch.setattr(data, "STATIC_DIR", tmp_path)
    data._atlas_job.clear()
    real = data.atlas_files.write_atlas
    calls = []

    def flaky(*args):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("No space left on device")
        return real(*args)

    monkeypatch.setattr(data.atlas_files, "write_atlas", flaky)
    try:
        url = data.atlas_url(ds)
        first = data._atlas_job(ds, data.geodata_signature())[2]
        assert isinstance(first.exception(timeout=120), OSError)
        assert data.atlas_url(ds) == url  # reports it, and starts again
        data._atlas_job(ds, data.geodata_signature())[2].result(timeout=120)
        assert len(calls) == 2 and (tmp_path / "atlas" / url.rsplit("/", 1)[1]).is_file()
    finally:
        data._atlas_job.clear()


def test_the_warm_up_loads_the_data_and_writes_the_atlas_before_any_reader(
    geodata_copy, tmp_path, monkeypatch
):
    monkeypatch.setattr(data, "STATIC_DIR", tmp_path / "static")
    monkeypatch.setenv("ALEPPO_GEODATA", str(geodata_copy))
    loads = []
    real_load = data.load
    monkeypatch.setattr(data, "load", lambda p: loads.append(p) or real_load(p))
    data._atlas_job.clear()
    try:
        data.warm_up()
        written = sorted(p.name for p in (tmp_path / "static" / "atlas").glob("atlas-*.json"))
        assert len(written) == 2 and written[1] == written[0].replace(".json", ".popups.json")
        assert len(loads) == 1
        data._load(data.geodata_signature())  # what the page asks for: loaded already
        assert len(loads) == 1
    finally:
        data._atlas_job.clear()
        data._load.clear()


def test_the_warm_up_leaves_bad_data_to_the_page(geodata_copy, tmp_path, monkeypatch):
    (geodata_copy / "sites.geojson").write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(data, "STATIC_DIR", tmp_path / "static")
    monkeypatch.setenv("ALEPPO_GEODATA", str(geodata_copy))
    data._atlas_job.clear()
    try:
        data.warm_up()  # no exception: the server starts, and the page says what is wrong
        assert not (tmp_path / "static" / "atlas").exists()
    finally:
        data._atlas_job.clear()
        data._load.clear()


def test_the_warm_up_leaves_a_failed_atlas_to_the_page(geodata_copy, tmp_path, monkeypatch):
    monkeypatch.setattr(data, "STATIC_DIR", tmp_path / "static")
    monkeypatch.setenv("ALEPPO_GEODATA", str(geodata_copy))

    def failing(*args):
        raise OSError("No space left on device")

    monkeypatch.setattr(data.atlas_files, "write_atlas", failing)
    data._atlas_job.clear()
    try:
        data.warm_up()  # the page reports it and tries again (test above)
        path, url, job = data._atlas_job(
            data._load(data.geodata_signature()), data.geodata_signature()
        )
        assert isinstance(job.exception(), OSError)
    finally:
        data._atlas_job.clear()
        data._load.clear()


def test_a_failing_warm_up_does_not_stop_the_server(monkeypatch, caplog):
    def no_leaflet():
        raise FileNotFoundError("leaflet.js is not installed")

    monkeypatch.setattr(data, "ensure_offline_assets", no_leaflet)
    data.warm_up()  # logged; the page runs the same step and shows the error
    assert "leaflet.js is not installed" in caplog.text
