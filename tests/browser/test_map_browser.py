"""The map page in a real browser, offline."""

import pytest

from lib.data import read_period
from tests.browser.conftest import ARTIFACTS, IDLE, MAP_FRAME, App
from tests.support.harness import click_and_finish_its_run

ALEPPO = (36.2014, 37.1612)


def test_map_renders_offline_with_polygons_and_markers(app, ds):
    app.open(
        "?date=2024-12-01&layers=control,sites,captured,events,buffer_10,buffer_30&basemap=offline"
    )
    layers = app.layers()
    assert layers["control"] >= 5  # one zone a faction at least
    assert layers["sites"] == len(ds.sites)  # every site, read from the data
    assert layers["captured"] >= 15
    assert layers["buffer_10"] == 1 and layers["buffer_30"] == 1
    assert layers["basemap"] > 9  # countries and labels
    # the basemap's names and towns, drawn a frame after the day's zones: every one
    app.frame.wait_for_function(
        "() => window.__atlas.labelled && document.querySelectorAll("
        "'.place-label, .country-label').length === "
        "window.__atlas.data.basemap.labels.features.length",
        timeout=10_000,
    )
    assert app.frame.locator(".country-label", has_text="Turkey").count() == 1
    assert app.frame.locator(".place-label", has_text="Aleppo").count() >= 1
    # the key beside the map keeps its symbols (the page's HTML sanitiser drops SVG)
    assert app.page.locator(".day-panel .key-dot").count() == 6
    assert app.page.locator(".day-panel .key-line").count() == 2
    # the two kinds of unclear ground: contested, and held by no force reported
    assert app.page.locator(".day-panel .key-swatch").count() == 2
    assert app.blocked == []  # not one request left the machine
    app.page.screenshot(path=str(ARTIFACTS / "map.png"), full_page=True)


def test_scripts_come_from_the_app_and_tiles_fall_back(app):
    app.open("?basemap=auto")
    scripts = app.frame.evaluate(
        "() => Array.from(document.scripts).map(s => s.src).filter(Boolean)"
    )
    assert scripts and all(s.startswith(app.base_url) for s in scripts)
    # tiles were tried and blocked: the page falls back to the offline basemap
    app.frame.wait_for_function(
        "() => document.documentElement.dataset.basemap === 'offline-fallback'"
    )
    assert all("basemaps.cartocdn.com" in u for u in app.blocked)


def test_offline_the_tiles_fail_once_a_tab_not_dozens_of_times(app):
    app.open("?basemap=auto")
    app.frame.wait_for_function(
        "() => document.documentElement.dataset.basemap === 'offline-fallback'"
    )
    assert len(app.blocked) == 1  # the probe tile; the tile layer was never added
    # the compare page's maps in the same tab remember it and try no tile at all
    app.page.get_by_text("Compare buffer zones").click()
    app.page.wait_for_selector(IDLE, timeout=90_000)
    app.frame.wait_for_function(
        "() => document.documentElement.dataset.basemap === 'offline-fallback'"
    )
    assert len(app.blocked) == 1


def test_toggling_a_layer_removes_and_restores_its_features(app, ds):
    app.open()
    assert app.layers()["sites"] == len(ds.sites)
    app.page.get_by_text("Bases and sites", exact=True).click()
    app.wait_for_layers("!keys.includes('sites') && keys.includes('control')")
    assert "sites" not in app.layers()
    assert (
        "layers=control%2Ccaptured%2Cevents" in app.page.url
        or "layers=control%2Cevents%2Ccaptured" in app.page.url
    )
    app.page.get_by_text("Bases and sites", exact=True).click()
    app.wait_for_layers("keys.includes('sites')")
    assert app.layers()["sites"] == len(ds.sites)


def _holder_of_aleppo(app: App, expected: str) -> str:
    """Hover Aleppo until the control zone's tooltip names `expected` (or time out)."""
    text = ""
    for _ in range(20):
        app.hover_latlng(*ALEPPO)
        try:
            app.frame.wait_for_function(
                "() => Array.from(document.querySelectorAll('.leaflet-tooltip'))"
                ".some(t => t.innerText.includes('Held by'))",
                timeout=1500,
            )
        except Exception:
            continue
        text = app.tooltip_text()
        if expected in text:
            break
    return text


def test_slider_changes_who_holds_aleppo_without_remounting(app):
    app.open("?date=2024-11-26&layers=control&basemap=offline")
    assert "Held by Syrian government" in _holder_of_aleppo(app, "Syrian government")
    # the user's view, and a marker of this very page load, must survive the date change
    app.frame.evaluate("() => { window.__sameMount = true; window.map.setView([36.2, 37.16], 9); }")
    thumb = app.page.get_by_role("slider")
    thumb.focus()
    for _ in range(5):
        thumb.press("ArrowRight")
    app.wait_for_slider("1 Dec 2024")
    app.page.wait_for_selector(IDLE)
    assert "Held by HTS-led Military Operations Command" in _holder_of_aleppo(app, "HTS-led")
    assert app.frame.evaluate("() => window.__sameMount === true")  # not remounted
    assert app.frame.evaluate("() => window.map.getZoom()") == 9  # zoom kept
    assert "date=2024-12-01" in app.page.url


def _map_day_js() -> str:
    """The day the map's control zones are drawn for (their tooltips name it)."""
    return """() => {
        for (const l of Object.values(window.map._layers)) {
            const p = l.feature?.properties;
            if (p?.layer === 'control' && window.map.hasLayer(l))
                return p.tip.match(/on ([^<]+)/)[1];
        }
        return null; }"""


def test_the_map_follows_the_slider_before_the_server_answers(app):
    """The browser has every day: the slider redraws the map with no round trip. Once
    the page is loaded its messages to the server are held back, so only the browser
    can have drawn the new day."""
    hold = {"on": False, "held": 0}

    def route(ws):
        server = ws.connect_to_server()

        def from_page(message):
            if hold["on"]:
                hold["held"] += 1
            else:
                server.send(message)

        ws.on_message(from_page)

    app.page.route_web_socket("**/_stcore/stream", route)
    app.open("?date=2024-11-26&layers=control&basemap=offline")
    assert app.frame.evaluate(_map_day_js()) == "26 Nov 2024"
    app.frame.evaluate("() => window.map.setView([36.2, 37.16], 9)")
    hold["on"] = True
    thumb = app.page.get_by_role("slider")
    thumb.focus()
    for _ in range(5):
        thumb.press("ArrowRight")
    app.frame.wait_for_function(f"() => ({_map_day_js()})() === '1 Dec 2024'", timeout=10_000)
    assert "Held by HTS-led Military Operations Command" in _holder_of_aleppo(app, "HTS-led")
    # the server never heard of it, and the panel beside the map tells the map's day
    # too: the browser swapped it in (lib/assets/atlas_loader.js, syncPanel)
    assert hold["held"] > 0
    app.page.wait_for_function(
        "() => document.querySelector('.day-panel h3')?.innerText === '1 Dec 2024'",
        timeout=10_000,
    )


def test_a_popup_opened_before_its_words_arrive_fills_in(browser, server):
    """The popups come after the first day (the atlas's second file). One opened before
    they arrive says so, then shows its words; here they are held back until the test
    has seen it, whatever the page's timing."""
    app = App(browser, server.url)
    try:
        held = app.hold("**/atlas/atlas-*.popups.json")
        app.open("?date=2024-11-30&layers=control,captured&basemap=offline")
        app.wait_for_held(held, "its popups")  # the map asks for them once the day is drawn
        app.click_latlng(*ALEPPO)
        loading = app.frame.locator(".leaflet-popup-content")
        loading.wait_for(timeout=10_000)
        assert loading.inner_text().startswith("Loading the details")
        app.release_held(held, "its popups")
        assert app.popup_text().startswith("Aleppo")
    finally:
        app.close()


def test_the_map_waits_for_an_atlas_still_being_written(browser, server):
    """On a first start the atlas is written while the page loads: the map asks again
    until it is there, saying so meanwhile. The atlas is "missing" (404) until the
    test has seen the notice, whatever the page's timing."""
    app = App(browser, server.url)
    answers = []
    written = {"yet": False}

    def atlas(route):
        answers.append(200 if written["yet"] else 404)
        if written["yet"]:
            route.continue_()
        else:
            route.fulfill(status=404, body="not yet")

    try:
        app.page.route("**/atlas/atlas-*.json", atlas)
        app.page.goto(f"{app.base_url}/?date=2024-12-01&layers=control&basemap=offline")
        app.page.frame_locator(MAP_FRAME).locator(".atlas-notice").wait_for(timeout=60_000)
        # the page does not wait for the atlas: the map asks for the rest of it at once
        app.wait_for_whole_page()
        assert app.frame.locator(".atlas-notice").count() == 1
        written["yet"] = True
        app.frame.wait_for_function(f"() => ({_map_day_js()})() === '1 Dec 2024'")
        assert answers[0] == 404 and answers[-1] == 200
        assert app.frame.locator(".atlas-notice").count() == 0  # gone once drawn
    finally:
        app.close()


def test_permalink_reopens_its_date_and_layers(app):
    app.open("?date=2024-12-03&layers=control,buffer_22&basemap=offline")
    assert app.slider_text() == "3 Dec 2024"
    assert set(app.layers()) == {"basemap", "control", "buffer_22"}


def test_bad_url_parameter_shows_a_warning(app):
    app.open("?date=2024-02-31&layers=control,nonsense")
    alerts = app.page.locator('[data-testid="stAlert"]').all_inner_texts()
    text = " ".join(alerts)
    assert "Ignored date=“2024-02-31”" in text and "Ignored unknown layer(s) “nonsense”" in text
    assert app.slider_text() == "27 Nov 2024"
    assert set(app.layers()) == {"basemap", "control"}


def test_the_page_reads_title_controls_slider_map_though_the_map_is_sent_first(app):
    app.open("?basemap=offline")
    page = app.page

    def top(locator) -> float:
        return locator.first.bounding_box()["y"]

    title = top(page.get_by_role("heading", name="The fall of Aleppo, day by day"))
    play = top(page.get_by_role("button", name="Play"))
    slider = top(page.get_by_role("slider"))
    map_top = top(page.locator(MAP_FRAME))
    assert title < min(play, slider) and max(play, slider) < map_top  # Play and date: one row
    # the panel beside the map, not below it
    panel = page.locator(".day-panel").first.bounding_box()
    map_box = page.locator(MAP_FRAME).first.bounding_box()
    assert panel["x"] > map_box["x"] + map_box["width"] - 1


def test_play_runs_in_the_browser_with_no_rerun_a_day(app):
    days = [d.isoformat() for d in read_period().days()[-5:]]  # the last five days
    labels = [f"{d.day} {d:%b %Y}" for d in read_period().days()[-4:]]
    app.open(f"?date={days[0]}&layers=control&basemap=offline")
    # the speed's own run is over before Play's are counted, from here on
    since = click_and_finish_its_run(app.runs, app.page.get_by_text("Fast", exact=True), 30_000)
    app.frame.evaluate("() => { window.__sameMap = true; }")
    app.page.get_by_role("button", name="Play").click()
    app.frame.wait_for_function("() => window.__playLog.length === 4", timeout=30_000)
    app.wait_for_slider(labels[-1], timeout=30_000)
    app.page.get_by_role("button", name="Play").wait_for(timeout=30_000)  # stopped by itself
    app.page.wait_for_selector(IDLE)
    # at every day the map, the slider and the address agreed
    log = app.frame.evaluate("() => window.__playLog")
    assert log == [[d, label, d, label] for d, label in zip(days[1:], labels)]
    # the Play click, and the hand-over at the end: not one run a day
    assert app.runs.started_since(since) <= 2
    assert "date=2024-12-08" in app.page.evaluate("() => location.search")
    assert app.frame.evaluate("() => window.__sameMap") is True  # the hand-over kept the map
    assert not app.blocked


def test_the_panel_shows_the_maps_day_at_every_day_of_play(app):
    """The panel beside the map (its heading, shares, changes, towns and events) is
    swapped in the browser as Play draws each day: it used to keep the day Play began
    on, "27 Nov, Government 64.8 %" beside a map of 1 Dec."""
    app.open("?layers=control,captured&basemap=offline")
    click_and_finish_its_run(app.runs, app.page.get_by_text("Fast", exact=True), 30_000)
    days = app.frame.evaluate("() => window.__atlas.data.days")
    labels = app.frame.evaluate("() => window.__atlas.data.labels")
    start = days.index(app.frame.evaluate("() => window.__atlas.data.days[window.__atlas.day]"))
    # each day's panel, as the browser will show it: the popups file's facts
    app.frame.wait_for_function("() => !!(window.__atlas.popups || {})['day facts']")
    seen = []
    app.frame.evaluate(
        """() => { window.__panels = [];
        const doc = window.parent.document;
        new MutationObserver(() => {
            const p = doc.querySelector('.st-key-day_panel .day-panel');
            if (p) window.__panels.push([window.__atlas.day, p.querySelector('h3').textContent,
                                         p.querySelector('.day-table').innerText]);
        }).observe(doc.querySelector('.st-key-day_panel'), {subtree: true, childList: true});
        }"""
    )
    app.page.get_by_role("button", name="Play").click()
    played = len(days) - 1 - start
    app.frame.wait_for_function(f"() => window.__playLog.length === {played}", timeout=60_000)
    app.page.get_by_role("button", name="Play").wait_for(timeout=30_000)
    log = app.frame.evaluate("() => window.__playLog")
    assert [row[3] for row in log] == labels[start + 1 :]  # the panel's heading, each day
    assert [row[0] for row in log] == days[start + 1 :]  # the map's day
    seen = app.frame.evaluate("() => window.__panels")
    for day, heading, _table in seen:  # whatever the panel showed, it was the map's day
        assert heading == labels[day] or day is None, (day, heading, seen, log)
    # the shares shown for a played day are that day's, not the first day's
    last, first, shown = app.frame.evaluate(
        """() => {
        const text = (html) => { const d = document.createElement('div');
                                 d.innerHTML = html; return d.textContent; };
        const facts = window.__atlas.popups['day facts'];
        return [text(facts[facts.length - 1]), text(facts[window.__playLog.length === 0 ? 0
                : facts.length - 1 - window.__playLog.length]),
                window.parent.document.querySelector('.st-key-day_panel .day-facts').textContent];
        }"""
    )
    assert shown == last and last != first


def test_pause_keeps_the_day_play_reached(app):
    app.open("?date=2024-11-26&layers=control&basemap=offline")
    click_and_finish_its_run(app.runs, app.page.get_by_text("Fast", exact=True), 30_000)
    app.page.get_by_role("button", name="Play").click()
    app.frame.wait_for_function("() => window.__playLog.length >= 2", timeout=30_000)
    app.page.get_by_role("button", name="Pause").click()
    app.page.get_by_role("button", name="Play").wait_for(timeout=30_000)
    app.page.wait_for_selector(IDLE)
    day = app.frame.evaluate("() => window.__atlas.data.days[window.__atlas.day]")
    shown = app.page.locator('[data-testid="stSliderThumbValue"]').inner_text()
    d = int(day[-2:])
    assert shown == f"{d} {'Nov' if day[5:7] == '11' else 'Dec'} 2024" and day > "2024-11-27"
    assert f"date={day}" in app.page.evaluate("() => location.search")


def test_hostile_names_show_as_text_and_run_nothing(browser, hostile_server):
    app = App(browser, hostile_server.url)
    try:
        app.open("?date=2024-12-01&layers=control,captured&basemap=offline")
        side = app.page.locator('[data-testid="stMain"]').inner_text()
        assert '<img src=x onerror="alert(1)">' in side or "HTS <script>" in side
        # open Aleppo's popup: its name and captor's name are drawn as text
        app.click_latlng(*ALEPPO)
        popup = app.popup_text()
        assert "Aleppo <img" in popup or "HTS <script>" in popup
        assert app.frame.locator(".leaflet-popup-content img").count() == 0
        assert app.dialogs == []  # no alert() ran
    finally:
        app.close()


def test_the_page_does_not_wait_for_an_atlas_on_a_slow_line(browser, server):
    """The map page's first run draws the map alone; the rest of the page comes once the
    map is drawn, or after 2 s if its atlas is slow to arrive (ui/state.map_first)."""
    app = App(browser, server.url, {"width": 1400, "height": 900})
    try:
        held = app.hold("**/atlas/atlas-*.json")  # no answer yet
        app.page.goto(f"{app.base_url}/?date=2024-12-01&layers=control&basemap=offline")
        # the map's loader is running (before the first run arrives, the page has no map
        # yet, and "whole" would hold of an empty page)
        app.frame.wait_for_function("() => !!window.__atlas", timeout=60_000)
        app.wait_for_whole_page()  # with the atlas still on its way
        assert app.frame.evaluate("() => window.__atlas.data") is None
        assert app.page.locator(".day-panel").first.inner_text().startswith("1 Dec 2024")
        app.release_held(held, "the atlas")
        app.frame.wait_for_function(f"() => ({_map_day_js()})() === '1 Dec 2024'")
    finally:
        app.close()


LABEL_RECTS_JS = """() => Array.from(document.querySelectorAll('.place-label, .country-label'))
    .filter(el => el.style.visibility !== 'hidden')
    .map(el => { const r = el.firstChild.getBoundingClientRect();
                 return [el.innerText, r.left, r.top, r.right, r.bottom]; })"""


@pytest.mark.parametrize("view", [None, (36.35, 37.2, 9), (36.3, 37.1, 11)])
def test_the_maps_names_never_overlap_and_aleppo_is_named(app, view):
    """At the country view the names of Afrin, Azaz, Tel Rifaat and al-Bab overlapped
    and Aleppo was buried under markers: names sit above every marker, and the less
    populous of two names that would overlap gives way at that zoom."""
    app.open("?date=2024-11-30&basemap=offline")
    if view:
        app.frame.evaluate(
            f"() => window.map.setView([{view[0]}, {view[1]}], {view[2]}, {{animate: false}})"
        )
    # once the names have been placed after the page settled (draw_labels.js, 500 ms)
    app.frame.wait_for_function(
        "() => parseInt(document.documentElement.dataset.labelsChecked || '0') >= 3"
    )
    app.frame.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
    shown = app.frame.evaluate(LABEL_RECTS_JS)
    for i, a in enumerate(shown):
        for b in shown[i + 1 :]:
            overlap = a[1] < b[3] and a[3] > b[1] and a[2] < b[4] and a[4] > b[2]
            assert not overlap, (a, b)
    if view is None or view[2] <= 9:
        assert "Aleppo" in [s[0] for s in shown]
    pane = app.frame.evaluate("() => getComputedStyle(window.map.getPane('labels')).zIndex")
    assert int(pane) > 600  # above the markers' pane


def test_on_a_phone_the_sidebar_toggle_leaves_the_title_alone(browser, server):
    app = App(browser, server.url, {"width": 390, "height": 800})
    try:
        app.open("?basemap=offline")
        title = app.page.locator("h1").first.bounding_box()
        toggle = app.page.locator('[data-testid="stExpandSidebarButton"]').first.bounding_box()
        assert toggle["y"] + toggle["height"] <= title["y"]
    finally:
        app.close()


def test_the_day_picked_on_the_slider_is_the_day_on_every_page(app):
    """A day set with the Map page's slider was lost on opening Compare: it said 27 Nov,
    and so did the Map page on coming back."""
    app.open("?basemap=offline")
    thumb = app.page.get_by_role("slider")
    thumb.focus()
    for _ in range(6):
        thumb.press("ArrowRight")
    app.wait_for_slider("3 Dec 2024")
    app.page.wait_for_selector(IDLE)
    app.page.get_by_role("link", name="Compare buffer zones").click()
    app.page.wait_for_url("**/Compare**")
    app.page.wait_for_function(
        "() => Array.from(document.querySelectorAll('[data-testid=\"stSliderThumbValue\"]'))"
        ".some(e => e.innerText === '3 Dec 2024')",
        timeout=60_000,
    )
    assert "date=2024-12-03" in app.page.url
    app.page.get_by_role("link", name="Timeline and sources").click()
    app.page.wait_for_url("**/Timeline**")
    app.page.wait_for_selector(IDLE)
    assert "date=2024-12-03" in app.page.url
    app.page.get_by_role("link", name="Map", exact=True).click()
    app.page.wait_for_selector(IDLE)
    app.wait_for_slider("3 Dec 2024")
    app.frame.wait_for_function(f"() => ({_map_day_js()})() === '3 Dec 2024'", timeout=30_000)
