"""The compare and timeline pages' logic, with AppTest."""

import json
from datetime import date
from html import escape

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from lib.data import load_dataset
from tests.conftest import shown
from tests.support.apptest import APP, layer_keys, walk
from ui import state

pytestmark = pytest.mark.slow  # runs the app, a server or a rebuild


@pytest.fixture(autouse=True)
def fresh_caches():
    st.cache_data.clear()
    st.cache_resource.clear()


def open_page(page, params=None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.switch_page(page)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    if page == "dashboard.py":
        at.run()  # the run the map asks for once drawn: the whole page (ui/state.map_first)
    assert not at.exception, at.exception
    return at


def maps(at) -> list[dict]:
    return [json.loads(e.proto.json_args) for e in walk(at) if type(e).__name__ == "UnknownElement"]


def table(at):
    return at.dataframe[0].value


def test_compare_defaults_to_assads_10_against_erdogans_22():
    at = open_page("pages/1_Compare.py")
    assert at.multiselect[0].value == ["buffer_10", "buffer_22"]
    assert list(table(at)["Zone"]) == [
        "10 miles: Assad's limit",
        "22 miles: Erdogan's demand",
        "22 mi adds to 10 mi",
    ]
    [overlay] = maps(at)
    assert layer_keys(overlay) == [
        "basemap",
        "control",
        "ring_buffer_10_buffer_22",
        "buffer_22",
        "buffer_10",
    ]


def test_picking_proposals_changes_the_table_and_the_map():
    at = open_page("pages/1_Compare.py")
    at.multiselect[0].set_value(["buffer_3", "buffer_30"]).run()
    assert list(table(at)["Depth"]) == ["3 mi (4.8 km)", "30 mi (48.3 km)", "30 mi (48.3 km)"]
    assert "buffer_30" in layer_keys(maps(at)[0]) and "buffer_22" not in layer_keys(maps(at)[0])
    assert at.query_params["proposals"] in ("buffer_3,buffer_30", ["buffer_3,buffer_30"])


def test_the_compare_pages_address_keeps_the_offline_basemap():
    """A reader who chose the offline basemap (no outside request at all) keeps it when
    the Compare page is reloaded, shared, or reopened on a new session."""
    at = open_page("pages/1_Compare.py", {"date": "2024-12-01", "basemap": "offline"})
    assert at.query_params["basemap"] in ("offline", ["offline"])
    assert "tiles" not in json.dumps(maps(at)[0])  # no online tile layer on its map


def test_the_story_pages_address_keeps_the_offline_basemap():
    at = open_page("pages/3_Story.py", {"step": "aleppo", "basemap": "offline"})
    assert at.query_params["basemap"] in ("offline", ["offline"])
    assert at.query_params["step"] in ("aleppo", ["aleppo"])


def test_what_if_distance_changes_the_area():
    at = open_page("pages/1_Compare.py", {"whatif": "10"})
    first = table(at).set_index("Zone").loc["What if: 10 miles", "Area (km²)"]
    assert first == pytest.approx(
        table(at).set_index("Zone").loc["10 miles: Assad's limit", "Area (km²)"]
    )
    at.slider[0].set_value(25.0).run()
    later = table(at).set_index("Zone").loc["What if: 25 miles", "Area (km²)"]
    assert later > first
    assert "what_if" in layer_keys(maps(at)[0])


def test_places_inside_a_zone_with_their_controller():
    at = open_page("pages/1_Compare.py", {"date": "2024-12-01"})
    places = at.dataframe[1].value
    assert "Azaz" in list(places["Place"]) and "Aleppo" not in list(places["Place"])
    assert (places["Miles from the border"] <= 10).all()
    at.selectbox(key="cmp_focus").set_value("buffer_22").run()
    assert at.dataframe[1].value["Miles from the border"].max() <= 22
    # a place without a population figure shows a dash, in both tables, not "None"
    assert at.dataframe[1].value["Population"].isna().any()
    assert at.dataframe[0].proto.placeholder == at.dataframe[1].proto.placeholder == "—"


def test_side_by_side_shows_two_maps_on_one_view():
    at = open_page("pages/1_Compare.py")
    at.radio(key="cmp_mode").set_value("Side by side").run()
    both = maps(at)
    assert sorted(k for m in both for k in layer_keys(m) if k.startswith("buffer")) == [
        "buffer_10",
        "buffer_22",
    ]
    # both open on all of Syria (fitted to the frame) until the reader moves one
    assert all("fitBounds" in m["script"] and m["center"] is None for m in both)
    at.session_state[state.CMP_VIEW] = {"center": [36.5, 37.5], "zoom": 9}
    at.run()
    both = maps(at)
    assert all(m["center"] == [36.5, 37.5] and m["zoom"] == 9 for m in both)


def test_date_is_shared_between_pages():
    at = open_page("pages/1_Compare.py", {"date": "2024-12-05"})
    assert at.select_slider[0].value == date(2024, 12, 5)
    at.switch_page("dashboard.py").run()
    at.run()  # the run the map asks for once drawn: the whole page (ui/state.map_first)
    assert at.select_slider[0].value == date(2024, 12, 5)


def test_the_map_pages_layers_are_kept_while_on_another_page():
    at = open_page("dashboard.py")
    at.button_group(key=state.LAYER_PILLS).unselect("sites").run()
    at.button_group(key=state.PROPOSAL_PILLS).select("buffer_6").run()
    at.switch_page("pages/2_Timeline.py").run()
    at.switch_page("dashboard.py").run()
    assert at.button_group(key=state.LAYER_PILLS).value == ["control", "events", "captured"]
    assert at.button_group(key=state.PROPOSAL_PILLS).value == ["buffer_6"]
    assert layer_keys(maps(at)[0]) == ["basemap", "control", "events", "captured", "buffer_6"]


def test_bad_compare_parameters_warn():
    at = open_page("pages/1_Compare.py", {"proposals": "buffer_99", "whatif": "500"})
    text = " ".join(shown(w.value) for w in at.warning)
    assert "buffer_99" in text and "whatif=“500”" in text
    assert at.multiselect[0].value == ["buffer_10", "buffer_22"]


def test_timeline_lists_the_bargaining_and_opens_the_map_on_a_day(ds):
    at = open_page("pages/2_Timeline.py")
    text = " ".join(shown(m.value) for m in at.markdown)
    for needle in (
        "Adana Agreement",
        "Syria offers a 6-mile zone",
        "Riyadh summit",
        "Syrian delegation flown from Hmeimim to Antalya",
        "30 miles deep",
    ):
        assert needle in text
    assert (
        len(
            [
                b
                for b in at.button
                if b.label.startswith("Open ") and b.label.endswith(" on the map")
            ]
        )
        == len(ds.period.days())  # one a day, read from the data
    )
    at.button(key="open_2024-12-05").click().run()
    assert at.title[0].value == "The fall of Aleppo, day by day"  # now on the map page
    # the run its map asks for once drawn, the whole page (AppTest's own page is still
    # the timeline's: it is named)
    at.switch_page("dashboard.py").run()
    assert at.select_slider[0].value == date(2024, 12, 5)


def test_sources_tab_lists_every_source():
    at = open_page("pages/2_Timeline.py")
    html = " ".join(h.value for h in at.get("html"))
    assert "The Backstory Behind the Fall of Aleppo" in html
    assert "OpenStreetMap" in html and "GeoNames" in html
    ds = load_dataset()
    for src in ds.sources.values():  # every source, linked to its own page
        assert f'<li id="source-{src.id}"><a href="{escape(src.url)}"' in html


def test_the_compare_page_prints_its_proposals_along_the_border():
    at = open_page("pages/1_Compare.py", {"date": "2024-12-01"})
    assert at.radio(key="compare_print_frame:2").value == "The border zones"
    at.button(key="compare_print_make").click().run()
    assert not at.exception
    (day, keys, fmt, frame), png = at.session_state["compare_print_made"]
    assert (day, keys, fmt) == (date(2024, 12, 1), ("control", "buffer_10", "buffer_22"), "PNG")
    assert frame.south > 35.0 and frame.north < 38.0  # the northern strip, not all Syria
    assert png[:4] == b"\x89PNG"


def test_the_story_opens_on_its_step_and_moves_with_the_buttons():
    ds = load_dataset()
    at = open_page("pages/3_Story.py", {"step": "aleppo"})
    ids = [s.id for s in ds.story]
    assert at.session_state[state.STORY_STEP] == ids.index("aleppo")
    html = "".join(e.proto.body for e in walk(at) if type(e).__name__ == "Html")
    assert "HTS enters Aleppo" in html
    args = maps(at)[0]
    assert "window.__atlasShow(3, " in args["feature_group"]  # 29 Nov, the fourth day
    at.button[1].click().run()  # Next
    assert at.query_params["step"] in ("kuweires-sna", ["kuweires-sna"])
    at.button[0].click().run()  # Previous
    assert at.query_params["step"] in ("aleppo", ["aleppo"])


def test_a_bad_story_step_warns_and_opens_the_first():
    at = open_page("pages/3_Story.py", {"step": "<script>"})
    assert at.session_state[state.STORY_STEP] == 0
    assert "no such step" in at.warning[0].value


def test_open_a_step_on_the_map_takes_its_day_and_layers():
    at = open_page("pages/3_Story.py", {"step": "riyadh-10"})
    at.button[2].click().run()
    assert not at.exception
    assert at.session_state[state.DAY] == date(2024, 11, 26)
    assert at.session_state[state.LAYERS] == ["control"]
    assert at.session_state[state.PROPOSALS] == ["buffer_10", "buffer_22"]


@pytest.mark.parametrize(
    "page", ["dashboard.py", "pages/1_Compare.py", "pages/3_Story.py", "pages/2_Timeline.py"]
)
@pytest.mark.parametrize("bad", ["2024-13-45", "NaN", "２０２４-１２-０１"])
def test_every_page_warns_the_same_way_for_a_bad_date(page, bad):
    """Compare used to replace a bad date with the default in silence."""
    at = open_page(page, {"date": bad})
    warnings = [shown(w.value) for w in at.warning]
    assert any(w.startswith("Ignored date=") and "Showing 2024-11-27" in w for w in warnings), (
        warnings
    )


def test_the_compare_table_reads_at_a_glance_with_a_change_between_two_days():
    """One column of who holds each zone (not one a holder, which scrolled sideways),
    people as a floor where places have no figure, and the change since another day."""
    at = open_page("pages/1_Compare.py", {"date": "2024-12-08"})
    t = table(at).set_index("Zone")
    assert not [c for c in t.columns if c.startswith("Held by")]
    erdogan = t.loc["22 miles: Erdogan's demand"]
    assert (
        erdogan["People"].startswith("at least ") and "places have no figure" in erdogan["People"]
    )
    assert "SNA" in erdogan["Held on 8 Dec 2024 (km²)"]
    at.selectbox(key=state.CMP_SINCE).set_value(date(2024, 11, 26)).run()
    t = table(at).set_index("Zone")
    change = t.loc["22 miles: Erdogan's demand", "Change since 26 Nov 2024 (km²)"]
    assert "SNA +" in change and "−" in change  # the SNA gained ground there; someone lost it


def test_the_compare_point_query_by_typing_a_place_or_coordinates():
    """The same report as a click on the map, by keyboard: a place by any spelling, or
    a latitude and longitude; a name that matches nothing gets the nearest names."""
    at = open_page("pages/1_Compare.py")
    at.text_input(key=state.CMP_FIND).input("Membidj").run()
    text = " ".join(shown(m.value) for m in at.markdown)
    assert "**Manbij: Point** 36.528" in text
    miles = float(text.split(" miles (")[0].split()[-1])
    assert 15 < miles < 25  # about 20 miles from the border
    assert "Inside: 22 miles: Erdogan's demand, 30 miles" in text
    at.text_input(key=state.CMP_FIND).input("36.2, 37.16").run()
    assert "Point** 36.2000° N, 37.1600° E" in " ".join(shown(m.value) for m in at.markdown)
    at.text_input(key=state.CMP_FIND).input("Kuwairis").run()
    assert any("Nearest: Kuweires" in shown(c.value) for c in at.caption)
