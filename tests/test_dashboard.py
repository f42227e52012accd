"""The map page's logic, with Streamlit's AppTest (the map itself: tests/browser)."""

import re
from datetime import date

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from lib.data import read_period
from lib.data.records import GEODATA_ENV
from tests.conftest import read_json, shown, write_json
from tests.support.apptest import APP, first_run, layer_keys, map_args, run, shown_day
from ui import state

pytestmark = pytest.mark.slow  # runs the app, a server or a rebuild


@pytest.fixture(autouse=True)
def fresh_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield


def test_default_view():
    at = run()
    assert at.select_slider[0].value == date(2024, 11, 27)
    assert layer_keys(map_args(at)) == ["basemap", "control", "sites", "events", "captured"]
    assert not at.warning
    assert at.query_params["date"] == ["2024-11-27"] or at.query_params["date"] == "2024-11-27"


def test_the_first_run_draws_the_map_alone_and_the_next_the_whole_page():
    at = first_run({"date": "2024-12-03", "layers": "control,buffer_22"})
    first = map_args(at)
    # the map, its day and layers, and the title; nothing else to draw first (the date
    # slider neither: its drawing held the map back)
    assert shown_day(first) == 7 and layer_keys(first) == ["basemap", "control", "buffer_22"]
    assert at.title[0].value == "The fall of Aleppo, day by day"
    assert not at.select_slider and not at.button_group and not at.button and not at.caption
    assert not any('class="day-panel"' in h.value for h in at.html)
    # once drawn, the map asks for the next run (lib/assets/atlas_loader.js)
    assert re.search(r'window.__atlasThenRest\("[0-9a-f]{12}"\);', first["feature_group"])

    at.run()  # the run the map asked for
    assert not at.exception, at.exception
    whole = map_args(at)
    assert at.button_group(key=state.LAYER_PILLS).value == ["control"]
    assert at.button_group(key=state.PROPOSAL_PILLS).value == ["buffer_22"]
    assert at.button(key="play") and at.caption
    assert at.select_slider[0].value == date(2024, 12, 3)  # the address's day, kept
    assert any('class="day-panel"' in h.value and "3 Dec 2024" in h.value for h in at.html)
    assert "__atlasThenRest" not in whole["feature_group"]
    # the same map (no remount): only its step differs
    assert whole["script"] == first["script"] and shown_day(whole) == 7

    at.run()  # and every later run draws the whole page
    assert at.button(key="play") and "__atlasThenRest" not in map_args(at)["feature_group"]


def test_assets_are_local_and_pan_zoom_do_not_rerun():
    args = map_args(run())
    assert args["js_links"] and all(u.startswith("../../app/static/") for u in args["js_links"])
    assert all(u.startswith("../../app/static/") for u in args["css_links"])
    assert args["returned_objects"] == []


def test_permalink_reopens_its_view():
    at = run({"date": "2024-12-03", "layers": "control,buffer_22", "basemap": "offline"})
    assert at.select_slider[0].value == date(2024, 12, 3)
    assert at.button_group(key=state.PROPOSAL_PILLS).value == ["buffer_22"]
    assert at.button_group(key=state.LAYER_PILLS).value == ["control"]
    assert at.button_group(key=state.BASEMAP_CHOICE).value == "offline"
    args = map_args(at)
    assert layer_keys(args) == ["basemap", "control", "buffer_22"]
    assert '"offline"' in args["script"]  # the loader draws no tiles


@pytest.mark.parametrize(
    "params, text",
    [
        ({"date": "2024-13-45"}, "Ignored date=“2024-13-45”"),
        ({"date": "2025-01-01"}, "outside the covered range"),
        ({"layers": "control,bogus"}, "Ignored unknown layer(s) “bogus”"),
        ({"basemap": "satellite"}, "Ignored basemap=“satellite”"),
    ],
)
def test_bad_parameter_warns_and_falls_back(params, text):
    at = run(params)
    assert any(text in shown(w.value) for w in at.warning)
    assert at.select_slider[0].value == (
        date(2024, 11, 27) if "date" in params else at.select_slider[0].value
    )
    assert layer_keys(map_args(at))  # the map is still there


def test_moving_the_date_updates_layers_without_remounting():
    at = run({"layers": "control,captured"})
    before = map_args(at)
    at.select_slider[0].set_value(date(2024, 12, 1)).run()
    after = map_args(at)
    assert after["script"] == before["script"]  # same base map: no remount, no flicker
    assert after["feature_group"] != before["feature_group"]
    assert (shown_day(before), shown_day(after)) == (1, 5)  # 27 Nov, then 1 Dec
    assert len(after["feature_group"]) < 1000  # a step says which day, not the layers
    assert at.query_params["date"] in ("2024-12-01", ["2024-12-01"])


def test_toggling_a_layer_removes_and_restores_it():
    at = run()
    layers = at.button_group(key=state.LAYER_PILLS)
    assert layers.value == ["control", "sites", "events", "captured"]
    layers.unselect("sites").run()
    assert "sites" not in layer_keys(map_args(at))
    assert "sites" not in str(at.query_params["layers"])
    at.button_group(key=state.LAYER_PILLS).select("sites").run()
    assert "sites" in layer_keys(map_args(at))
    at.button_group(key=state.PROPOSAL_PILLS).select("buffer_10").run()
    assert "buffer_10" in layer_keys(map_args(at))
    assert "buffer_10" in str(at.query_params["layers"])


def test_play_hands_the_days_to_the_browser_and_hears_where_it_ended():
    at = run({"date": "2024-12-06"})
    at.button[0].click().run()
    assert at.session_state["playing"] is True and at.button[0].label == "Pause"
    # the browser plays from the day shown, a second a day: no run of the script a day
    assert "window.__atlasPlay(10, " in map_args(at)["feature_group"]
    assert "1.0);" in map_args(at)["feature_group"]
    # the browser reached the last day and put it in the address (a history event)
    period = read_period()
    at.query_params["date"] = period.end.isoformat()
    at.query_params["played"] = "1733616000001"
    at.run()
    assert at.select_slider[0].value == period.end
    assert at.session_state["playing"] is False and at.button[0].label == "Play"
    last = len(period.days()) - 1
    assert f"window.__atlasShow({last}, " in map_args(at)["feature_group"]


def test_pause_keeps_the_day_the_browser_played_to():
    at = run({"date": "2024-11-27"})
    at.button[0].click().run()
    at.query_params["date"] = "2024-12-02"  # handed over as Pause is pressed
    at.query_params["played"] = "1733616000002"
    at.run()
    assert at.session_state["playing"] is True  # not the end: Play goes on from there
    assert "window.__atlasPlay(6, " in map_args(at)["feature_group"]
    at.button[0].click().run()  # Pause
    assert at.session_state["playing"] is False
    assert at.select_slider[0].value == date(2024, 12, 2)
    assert at.query_params["date"] in ("2024-12-02", ["2024-12-02"])


def test_a_pause_handed_over_stops_play_even_if_its_click_is_lost():
    """A press on Pause while Play runs hands the day over as paused: Play stops with
    no click reaching the server, and a click that comes after does not restart it."""
    at = run({"date": "2024-11-27"})
    at.button(key="play").click().run()
    at.query_params["date"] = "2024-12-02"
    at.query_params["played"] = "1733616000005"
    at.query_params["paused"] = "1"
    at.run()  # the hand-over's run, without the click
    assert at.session_state["playing"] is False and at.button[0].label == "Play"
    assert at.select_slider[0].value == date(2024, 12, 2)
    assert "window.__atlasShow(6, " in map_args(at)["feature_group"]
    assert "paused" not in at.query_params and "played" not in at.query_params
    at.button(key="play").click().run()  # Play again: from the day it stopped on
    assert at.session_state["playing"] is True
    assert "window.__atlasPlay(6, " in map_args(at)["feature_group"]
    at.button(key="pause").click().run()
    assert at.session_state["playing"] is False


def test_a_press_as_play_hands_over_keeps_the_day_play_reached():
    """The browser's Play moves the slider's look, not its value: a press made as Play
    hands its day over asks for a run that still carries the day Play began on. In the
    run after the hand-over, that value is stale; after it, the reader's moves count."""
    at = run({"date": "2024-11-27"})
    at.button(key="play").click().run()
    at.query_params["date"] = "2024-12-02"  # handed over as a layer pill is pressed
    at.query_params["played"] = "1733616000006"
    at.run()
    assert at.select_slider[0].value == date(2024, 12, 2)
    at.select_slider[0].set_value(date(2024, 11, 27)).run()  # the press's stale value
    assert at.select_slider[0].value == date(2024, 12, 2)
    assert at.session_state["playing"] is True  # not a move of the reader's
    at.select_slider[0].set_value(date(2024, 11, 27)).run()  # now the reader's
    assert at.select_slider[0].value == date(2024, 11, 27)
    assert at.session_state["playing"] is False


def test_a_bad_day_in_the_address_is_not_taken():
    at = run({"date": "2024-11-30"})
    at.query_params["date"] = "2031-01-01"
    at.query_params["played"] = "1733616000003"
    at.run()
    assert at.select_slider[0].value == date(2024, 11, 30) and not at.exception


def test_an_older_address_without_a_hand_over_is_not_taken():
    """A rerun asked for before the last run's address arrived carries the day before:
    only Play's mark makes the server take the address's day."""
    at = run({"date": "2024-11-30"})
    at.select_slider[0].set_value(date(2024, 12, 1)).run()
    at.query_params["date"] = "2024-11-30"  # the address this rerun was asked with
    at.run()
    assert at.select_slider[0].value == date(2024, 12, 1)
    at.query_params["date"] = "2024-11-30"
    at.query_params["played"] = "1733616000004"  # a hand-over, once
    at.run()
    assert at.select_slider[0].value == date(2024, 11, 30)
    at.select_slider[0].set_value(date(2024, 12, 3)).run()
    at.query_params["date"] = "2024-11-30"
    at.query_params["played"] = "1733616000004"  # the same mark again: not a new one
    at.run()
    assert at.select_slider[0].value == date(2024, 12, 3)


def test_basemap_and_speed_controls_switch_and_always_hold_a_choice():
    at = run()
    basemap, speed = at.button_group(key=state.BASEMAP_CHOICE), at.button_group(key=state.SPEED)
    assert (basemap.value, speed.value) == ("auto", "Normal")
    basemap.set_value("offline").run()
    assert '"offline"' in map_args(at)["script"]
    assert at.query_params["basemap"] in ("offline", ["offline"])
    at.button_group(key=state.SPEED).set_value("Fast").run()
    assert at.session_state[state.SPEED] == "Fast"
    # a click on the chosen option would empty a plain segmented control
    assert at.button_group(key=state.BASEMAP_CHOICE).proto.required
    assert at.button_group(key=state.SPEED).proto.required


def test_play_at_the_end_starts_again_from_the_beginning():
    period = read_period()
    at = run({"date": period.end.isoformat()})
    at.button[0].click().run()
    assert at.select_slider[0].value == period.baseline


def test_side_panel_lists_the_day():
    at = run({"date": "2024-11-30"})
    text = " ".join(h.value for h in at.html)
    assert "30 Nov 2024" in text and "Aleppo" in text and "Who holds the ground" in text
    assert "Syrian delegation flown from Hmeimim to Antalya" in text


def test_bad_data_shows_an_error_not_a_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv(GEODATA_ENV, str(tmp_path / "missing"))
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception
    error = shown(at.error[0].value)
    assert "could not be loaded" in error and "is not a folder" in error


def test_bad_data_after_good_keeps_serving_the_last_good(geodata_copy, monkeypatch):
    monkeypatch.setenv(GEODATA_ENV, str(geodata_copy))
    at = run()
    doc = read_json(geodata_copy / "sites.geojson")
    doc["features"][0]["properties"]["kind"] = "castle"
    write_json(geodata_copy / "sites.geojson", doc)
    at.run()
    assert not at.exception
    assert "showing the last good data" in shown(at.warning[0].value)
    assert "'castle' is not one of" in shown(at.warning[0].value)
    assert layer_keys(map_args(at))


def test_a_shown_proposal_removed_from_the_data_leaves_the_page_working(geodata_copy, monkeypatch):
    monkeypatch.setenv(GEODATA_ENV, str(geodata_copy))
    at = run({"layers": "control,buffer_6,buffer_22"})
    assert at.button_group(key=state.PROPOSAL_PILLS).value == ["buffer_6", "buffer_22"]
    doc = read_json(geodata_copy / "proposals.json")
    doc["proposals"] = [p for p in doc["proposals"] if p["id"] != "buffer_6"]
    write_json(geodata_copy / "proposals.json", doc)
    story = read_json(geodata_copy / "story.json")  # a step names it too
    for step in story["steps"]:
        step["proposals"] = [p for p in step.get("proposals", []) if p != "buffer_6"]
    write_json(geodata_copy / "story.json", story)
    at.run()
    assert not at.exception
    assert at.button_group(key=state.PROPOSAL_PILLS).value == ["buffer_22"]
    assert layer_keys(map_args(at)) == ["basemap", "control", "buffer_22"]


def download_labels(at) -> list[str]:
    from tests.support.apptest import walk

    return [e.label for e in walk(at) if type(e).__name__ == "DownloadButton"]


def test_the_print_graphic_is_of_the_day_the_layers_and_the_maps_view():
    from lib.frame import Frame

    at = run({"date": "2024-12-01", "layers": "control,buffer_22", "view": "36.2,37.15,9"})
    frame = at.radio(key="map_print_frame:2")
    assert frame.options == ["The map's view", "All of Syria"] and frame.value == "The map's view"
    assert "Download the PNG" not in download_labels(at)  # made only when asked
    at.button(key="map_print_make").click().run()
    assert not at.exception
    what, png = at.session_state["map_print_made"]
    assert what == (
        date(2024, 12, 1),
        ("control", "buffer_22"),
        "PNG",
        Frame.of_view(36.2, 37.15, 9),
    )
    assert png[:4] == b"\x89PNG" and "Download the PNG" in download_labels(at)
    # the reader moves the map: the address follows it (view_link.js), and the graphic
    # made for the old view is not offered as this one
    at.query_params["view"] = "35.5,38.5,8"
    at.run()
    assert "Download the PNG" not in download_labels(at)
    assert any("make it again" in c.value for c in at.caption)
    at.segmented_control(key="map_print_format").set_value("SVG")
    at.button(key="map_print_make").click().run()
    what, svg = at.session_state["map_print_made"]
    assert what[2:] == ("SVG", Frame.of_view(35.5, 38.5, 8)) and svg.startswith(b"<?xml")
    assert at.query_params["view"] in ("35.5,38.5,8", ["35.5,38.5,8"])  # kept in the link


def test_with_no_view_the_graphic_is_of_all_syria():
    at = run({"layers": "control"})
    assert at.radio(key="map_print_frame:1").options == ["All of Syria"]


def test_the_embed_is_offered_as_a_zip():
    import io
    import zipfile

    from lib.data import load_dataset
    from tests.support.apptest import walk
    from ui import data

    at = run()
    [button] = [e for e in walk(at) if type(e).__name__ == "DownloadButton" and "zip" in e.label]
    assert "python -m lib embed" in button.help
    # the button's data is made when clicked (AppTest does not click downloads): the same
    # function, called here
    zipped = data.embed_zip(None, "A map.", load_dataset())
    assert "aleppo-map/index.html" in zipfile.ZipFile(io.BytesIO(zipped)).namelist()


def test_the_video_is_made_on_request_with_its_progress(monkeypatch):
    """The button draws every day (lib/animate.py) and offers the file; the progress
    callback is told of each day drawn. Here the drawing is counted, not done."""
    from ui import data

    calls = []

    def fake(ds, fmt, keys, shape, progress):
        for i in range(3):
            progress(i + 1, 3)
        calls.append((fmt, keys, shape))
        return b"GIF89a..."

    monkeypatch.setattr("lib.animate.animate", fake)
    data._VIDEOS.clear()
    at = run({"layers": "control"})
    at.segmented_control(key="video_format").set_value("GIF")
    at.button(key="video_make").click().run()
    assert not at.exception
    assert calls == [("gif", ("control",), "square")]
    assert "Download the GIF" in download_labels(at)
