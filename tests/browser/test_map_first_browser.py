"""The map is the page: its share of the first screen, the first view of every map,
a click on a town, the day's change, and a phone."""

import pytest

from tests.browser.conftest import IDLE, MAP_FRAME, App

ALEPPO = (36.2014, 37.1612)
SYRIA = [[32.313, 35.725], [37.325, 42.378]]  # lib.map_layers.syria_bounds, rounded
# does a map's window `w` show all of Syria?
CONTAINS_SYRIA = f"(w) => w.map && w.map.getBounds().contains(w.L.latLngBounds({SYRIA}))"


def screen_share(app: App) -> dict:
    """How much of the window the map frame covers, before any scroll."""
    return app.page.evaluate(
        f"""() => {{
            const r = document.querySelector('{MAP_FRAME}').getBoundingClientRect();
            const main = document.querySelector('[data-testid="stMain"]').getBoundingClientRect();
            const visible = Math.max(0, Math.min(r.bottom, innerHeight) - Math.max(r.top, 0));
            return {{top: r.top, bottom: r.bottom, height: visible / innerHeight,
                     width: r.width / main.width}};
        }}"""
    )


@pytest.mark.parametrize("size", [(1400, 900), (1280, 720)])
def test_the_map_takes_most_of_a_laptops_first_screen(browser, server, size):
    app = App(browser, server.url, {"width": size[0], "height": size[1]})
    try:
        app.open("?basemap=offline")
        share = screen_share(app)
        assert share["top"] < 140  # a one-line header and the date row above it
        assert share["bottom"] <= size[1]  # all of it on the first screen
        assert share["height"] > 0.7 and share["width"] > 0.6, share
        # the date, Play and the day's headline sit above the map or beside it
        slider = app.page.get_by_role("slider").bounding_box()
        play = app.page.get_by_role("button", name="Play").bounding_box()
        assert slider["y"] + slider["height"] <= share["top"] + 1
        assert play["y"] + play["height"] <= share["top"] + 1
        day = app.page.locator(".day-panel").first.bounding_box()
        assert day["y"] < size[1] / 2
    finally:
        app.close()


def test_the_first_view_of_every_map_holds_all_of_syria(browser, server):
    app = App(browser, server.url, {"width": 1400, "height": 900})
    try:
        app.open("?basemap=offline")
        app.frame.wait_for_function(f"() => ({CONTAINS_SYRIA})(window)", timeout=10_000)
        app.open("Compare?proposals=buffer_22&basemap=offline")
        app.frame.wait_for_function(f"() => ({CONTAINS_SYRIA})(window)", timeout=10_000)
        maps = app.side_by_side("x.map && x.feature_group && x.feature_group.length > 0")
        app.page.wait_for_selector(IDLE)
        app.page.wait_for_function(f"() => {maps}.every({CONTAINS_SYRIA})", timeout=10_000)
        widths = app.page.evaluate(
            f"() => {{ const main = document.querySelector('[data-testid=\"stMain\"]');"
            f" return Array.from(document.querySelectorAll('{MAP_FRAME}'))"
            " .map(f => f.getBoundingClientRect().width / main.getBoundingClientRect().width); }"
        )
        assert all(w >= 0.4 for w in widths), widths
    finally:
        app.close()


def test_side_by_side_maps_draw_the_what_if_zone(app):
    app.open("Compare?proposals=buffer_10,buffer_22&whatif=15&basemap=offline")
    app.side_by_side(
        "x.feature_group && x.feature_group.some(g => g._layerKey === 'what_if'"
        " && x.map.hasLayer(g))"
    )


def test_the_zones_under_the_towns_still_answer_hover_and_click(app):
    """With the towns and bases shown, open ground between them is the zone's: its
    tooltip on hover and its popup on a click (the points' layer must not take them)."""
    app.open("?date=2024-11-30&layers=control,captured,sites&basemap=offline")
    raqqa_country = (36.3, 39.3)  # SDF-held ground, no town or base under it
    app.hover_latlng(*raqqa_country)
    app.frame.wait_for_function(
        "() => Array.from(document.querySelectorAll('.leaflet-tooltip'))"
        ".some(t => t.innerText.includes('Held by Syrian Democratic Forces'))",
        timeout=10_000,
    )
    app.click_latlng(*raqqa_country)
    assert app.popup_text().startswith("Held by Syrian Democratic Forces")


def test_a_click_on_a_town_opens_the_town_not_the_zone(app):
    app.open("?date=2024-11-30&layers=control,captured&basemap=offline")
    app.click_latlng(*ALEPPO)
    popup = app.popup_text()
    assert popup.startswith("Aleppo"), popup
    assert "Held by" not in popup  # the zone under it did not take the click


def test_the_days_change_is_drawn_in_the_takers_colour(app):
    app.open("?date=2024-12-05&layers=control&basemap=offline")
    outlines = app.frame.evaluate(
        """() => {
            const out = [];
            window.__atlas.groups.control.eachLayer(l => {
                const tip = l.feature.properties.tip || '';
                if (tip.includes('Taken by') || tip.includes('Became contested'))
                    out.push({tip, color: l.options.color, dash: l.options.dashArray,
                              fill: l.options.fill});
            });
            return out;
        }"""
    )
    assert any("Taken by HTS on 5 Dec 2024" in o["tip"] for o in outlines), outlines
    assert all(o["dash"] and o["fill"] is False for o in outlines)
    # the panel beside the map says how much changed and to whom
    panel = app.page.locator(".day-panel").first.inner_text()
    assert "Ground changing hands" in panel and "to HTS" in panel
    # contested ground is hatched, with its reason on hover
    hatched = app.frame.evaluate(
        "() => document.querySelectorAll('path[fill=\"url(#contested-hatch)\"]').length"
    )
    assert hatched >= 1


def test_on_a_phone_the_map_and_the_slider_still_work(browser, server):
    app = App(browser, server.url, {"width": 390, "height": 844})
    try:
        app.open("?date=2024-11-30&layers=control&basemap=offline")
        box = app.page.locator(MAP_FRAME).bounding_box()
        assert box["width"] >= 340 and box["height"] >= 400
        app.frame.wait_for_function(f"() => ({CONTAINS_SYRIA})(window)", timeout=10_000)
        thumb = app.page.get_by_role("slider").first
        thumb.focus()
        thumb.press("ArrowRight")
        app.wait_for_slider("1 Dec 2024")
        app.frame.wait_for_function(
            "() => window.__atlas.data.days[window.__atlas.day] === '2024-12-01'", timeout=30_000
        )
    finally:
        app.close()


def test_a_link_opens_its_view_and_the_link_control_writes_one(app):
    app.open("?date=2024-12-01&layers=control&basemap=offline&view=36.2,37.15,9")
    app.frame.wait_for_function(
        "() => window.map.getZoom() === 9"
        " && Math.abs(window.map.getCenter().lat - 36.2) < 0.01"
        " && Math.abs(window.map.getCenter().lng - 37.15) < 0.01",
        timeout=10_000,
    )
    app.frame.evaluate("() => window.map.setView([35.0, 38.0], 8, {animate: false})")
    app.frame.get_by_role("button", name="Link").click()
    link = app.frame.wait_for_function(
        "() => document.documentElement.dataset.viewLink", timeout=10_000
    ).json_value()
    assert "view=35.0000%2C38.0000%2C8" in link and "date=2024-12-01" in link
    app.open(link.split("/", 3)[3])  # the same server, the path and query of the link
    app.frame.wait_for_function("() => window.map.getZoom() === 8", timeout=10_000)


def test_the_address_follows_the_map_once_the_reader_moves_it(app):
    app.open("?date=2024-12-01&layers=control&basemap=offline")
    app.frame.wait_for_function(f"() => ({CONTAINS_SYRIA})(window)", timeout=10_000)
    assert "view=" not in app.page.evaluate("() => location.search")  # the first fit is ours
    box = app.page.locator(MAP_FRAME).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    app.page.mouse.move(x, y)
    app.page.mouse.down()
    app.page.mouse.move(x - 200, y - 120, steps=8)
    app.page.mouse.up()
    app.page.wait_for_function("() => location.search.includes('view=')", timeout=10_000)
    moved = app.frame.evaluate("() => [window.map.getCenter().lat, window.map.getCenter().lng]")
    # a run of the page (the next day) keeps the reader's view in the address
    thumb = app.page.get_by_role("slider").first
    thumb.focus()
    thumb.press("ArrowRight")
    app.wait_for_slider("2 Dec 2024")
    app.page.wait_for_function(
        "() => location.search.includes('date=2024-12-02') && location.search.includes('view=')",
        timeout=30_000,
    )
    search = app.page.evaluate("() => decodeURIComponent(location.search)")
    lat, lng = (float(v) for v in search.split("view=")[1].split("&")[0].split(",")[:2])
    assert abs(lat - moved[0]) < 0.01 and abs(lng - moved[1]) < 0.01


def test_the_print_graphic_is_of_the_view_on_screen(app):
    app.open("?date=2024-12-01&layers=control&basemap=offline")
    app.frame.wait_for_function(f"() => ({CONTAINS_SYRIA})(window)", timeout=10_000)
    app.frame.evaluate("() => window.map.setView([36.2, 37.15], 9, {animate: false})")
    # a reader's move (the address follows only those): a small drag
    box = app.page.locator(MAP_FRAME).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    app.page.mouse.move(x, y)
    app.page.mouse.down()
    app.page.mouse.move(x + 2, y + 1, steps=2)
    app.page.mouse.up()
    app.page.wait_for_function("() => location.search.includes('view=')", timeout=10_000)
    center = app.frame.evaluate("() => [window.map.getCenter().lat, window.map.getCenter().lng]")
    app.page.get_by_role("button", name="Print graphic").click()
    app.page.get_by_text("The map's view").wait_for(timeout=30_000)
    caption = app.page.get_by_text("° N, ").first.inner_text()
    south, north = (float(v) for v in caption.split("° N")[0].split("° to "))
    west, east = (float(v) for v in caption.split("N, ")[1].split("° E")[0].split("° to "))
    assert south < center[0] < north and west < center[1] < east and east - west < 4
    app.page.get_by_role("button", name="Make the graphic").click()
    with app.page.expect_download(timeout=60_000) as download:
        app.page.get_by_role("button", name="Download the PNG").click()
    data = open(download.value.path(), "rb").read()
    assert data[:4] == b"\x89PNG" and int.from_bytes(data[16:20], "big") >= 2000
    assert not app.blocked


# The page notes, from its start, when the map first showed its day, and when the side
# panel and the layer pills appeared.
FIRST_SEEN = """
if (window.top === window) {
  const seen = window.__seen = {};
  const look = (now) => {
    const f = document.querySelector('iframe[title="streamlit_folium.st_folium"]');
    const a = f && f.contentWindow && f.contentWindow.__atlas;
    if (seen.map === undefined && a && a.data && a.day !== undefined) seen.map = now;
    if (seen.panel === undefined && document.querySelector('.day-panel')) seen.panel = now;
    if (seen.pills === undefined && document.querySelector(
        '[data-testid="stSidebar"] [data-testid="stButtonGroup"]')) seen.pills = now;
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
}
"""


def test_the_map_comes_first_then_asks_for_the_rest_of_the_page(browser, server):
    app = App(browser, server.url, {"width": 1400, "height": 900})
    try:
        app.context.add_init_script(FIRST_SEEN)
        # the map asks once its day is drawn, not after its 2 s wait on a busy machine
        app.context.add_init_script("window.__atlasRestWaitMs = 600000;")
        map_pages = []
        app.page.on(
            "framenavigated",
            lambda f: map_pages.append(f.url) if "streamlit_folium" in f.url else None,
        )
        app.open("?date=2024-12-01&layers=control,captured&basemap=offline")  # no press
        seen = app.page.evaluate("() => window.__seen")
        # the map's day was on screen before the side panel and the pills were drawn
        assert seen["map"] <= seen["panel"] and seen["map"] <= seen["pills"], seen
        assert app.frame.evaluate("() => window.__atlas.restAsked") == "drawn"
        # ...and the run that drew them kept the map: the same frame, the same day
        assert len(map_pages) == 1, map_pages
        assert app.frame.evaluate("() => window.__atlas.data.days[window.__atlas.day]") == (
            "2024-12-01"
        )
        assert app.page.locator(".day-panel").first.inner_text().startswith("1 Dec 2024")
        assert app.page.get_by_role("button", name="Play").is_visible()
        assert not app.blocked
    finally:
        app.close()


@pytest.mark.parametrize("anchor", ["#the-map", "#"])
def test_a_permalink_with_an_anchor_still_gets_the_whole_page(browser, server, anchor):
    """Streamlit ignores a history event on an address with a '#' whose page and query
    it already has: the map's request for the rest of the page must not be one of those,
    and the anchor stays in the address."""
    app = App(browser, server.url, {"width": 1400, "height": 900})
    try:
        link = "?date=2024-12-01&layers=control,captured&basemap=offline" + anchor
        app.open(link)  # waits for the whole page
        assert app.page.locator(".day-panel").first.inner_text().startswith("1 Dec 2024")
        assert app.page.evaluate("() => location.href").endswith("/" + link)
    finally:
        app.close()


MAP_TOP_JS = "() => document.querySelector('.st-key-map_box').getBoundingClientRect().top"


@pytest.mark.parametrize("width", [1400, 420])
def test_nothing_moves_when_the_rest_of_the_page_arrives(browser, server, width):
    """Until the map is up the page has the title and the map alone: no control to press
    (a press would rerun the map's part before its frame could ask for the rest), and
    the empty date row keeps its height, one row wide or three stacked on a phone, so
    the map does not move when the rest of the page comes."""
    app = App(browser, server.url, {"width": width, "height": 900})
    try:
        held = app.hold("**/streamlit_folium*/**/main.*.js")  # the map's frame waits
        app.page.goto(f"{app.base_url}/?date=2024-12-01&layers=control&basemap=offline")
        # the first run drawn (the map's own placeholder stays until its frame is up)
        app.page.wait_for_selector(f".st-key-map_box {MAP_FRAME}", state="attached")
        app.page.wait_for_selector("h1", timeout=60_000)
        app.page.wait_for_selector(IDLE, timeout=60_000)
        main = app.page.locator('[data-testid="stMain"]')
        assert main.get_by_role("slider").count() == 0 and main.get_by_role("button").count() == 0
        alone = app.page.evaluate(MAP_TOP_JS)
        app.release_held(held, "st_folium's bundle")
        app.wait_for_whole_page()
        assert app.slider_text() == "1 Dec 2024"
        assert app.page.evaluate(MAP_TOP_JS) == alone
    finally:
        app.close()


def test_every_run_that_wants_the_rest_of_the_page_gets_it(app):
    """A new session (after a reconnect to a restarted server) runs the map page's first
    run again, on the map the page already has: the map asks again for the rest."""
    app.open("?date=2024-12-01&basemap=offline")
    mark = app.runs.mark
    app.frame.evaluate("() => window.__atlasThenRest()")  # what that run's step calls
    app.runs.wait_for_run_since(mark, 30_000)
    app.wait_for_whole_page()
