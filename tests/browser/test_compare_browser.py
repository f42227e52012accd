"""The compare page in a real browser, offline."""

from tests.browser.conftest import ARTIFACTS, IDLE

AZAZ = (36.587, 37.046)
WHATIF_TIP = """() => {
    const g = window.feature_group.find(g => g._layerKey === 'what_if' && window.map.hasLayer(g));
    if (!g) return null;
    let tip = null;
    g.eachLayer(l => l.eachLayer ? l.eachLayer(f => { tip = f.feature.properties.tip; }) : null);
    return tip;
}"""


def test_compare_page_renders_offline(app):
    app.open("Compare?proposals=buffer_10,buffer_22,buffer_30&whatif=15&basemap=offline")
    layers = app.layers()
    for key in (
        "ring_buffer_10_buffer_22",
        "ring_buffer_22_buffer_30",
        "buffer_10",
        "buffer_22",
        "buffer_30",
        "what_if",
        "control",
    ):
        assert layers[key] >= 1, key
    assert app.table_column()[:3] == [
        "10 miles: Assad's limit",
        "22 miles: Erdogan's demand",
        "30 miles: the article's de facto depth",
    ]
    assert app.blocked == []
    app.page.screenshot(path=str(ARTIFACTS / "compare.png"), full_page=True)


def test_picking_a_proposal_changes_the_table_and_the_map(app):
    app.open("Compare?proposals=buffer_10,buffer_22&basemap=offline")
    assert "buffer_30" not in app.layers()
    box = app.page.locator('[data-testid="stMultiSelect"] input').first
    box.click()
    box.type("30 miles")
    box.press("Enter")
    box.press("Escape")
    app.wait_for_layers("keys.includes('buffer_30') && keys.includes('ring_buffer_22_buffer_30')")
    app.wait_for_table_rows(["30 miles: the article's de facto depth", "30 mi adds to 22 mi"])


def test_what_if_distance_changes_the_area(app):
    app.open("Compare?whatif=10&basemap=offline")
    before = app.frame.evaluate(WHATIF_TIP)
    assert "What if: 10 miles" in before
    thumb = app.page.get_by_role("slider").nth(1)  # the date is the first slider
    thumb.focus()
    thumb.press("End")  # one key, one rerun: straight to 40 miles
    app.frame.wait_for_function(f"() => ({WHATIF_TIP})()?.includes('What if: 40 miles')")
    after = app.frame.evaluate(WHATIF_TIP)

    def area(tip):
        return float(tip.split("<br>")[1].split(" km")[0].replace(",", ""))

    assert area(after) > area(before)
    app.page.wait_for_url("**whatif=40**")


def test_clicking_the_map_reports_the_point(app):
    app.open("Compare?date=2024-12-01&basemap=offline")
    app.click_latlng(*AZAZ)
    app.page.get_by_text("from the Turkish border").wait_for(timeout=30_000)
    panel = app.page.locator('[data-testid="stMain"]').inner_text()
    # Azaz is 6.3 km from the border: outside the 3-mile zone (4.8 km), inside the 6-mile
    assert "Inside: 6 miles: Syria's offer, 10 miles: Assad's limit, 22 miles: Erdogan's" in panel
    assert "Syrian National Army" in panel


def test_a_click_on_a_map_partly_scrolled_out_lands_where_aimed(browser, server):
    """At 1400x900 the overlay map runs below the window: a press on it focused the map,
    and the page scrolled the map's frame into view on the mouse-down, so the click
    registered 135 px away ("97.2 miles from the border" for Manbij)."""
    from tests.browser.conftest import App

    app = App(browser, server.url, {"width": 1400, "height": 900})
    try:
        app.open("Compare?date=2024-12-01&basemap=offline")
        app.frame.evaluate("() => window.map.setView([36.53, 37.95], 8, {animate: false})")
        app.page.wait_for_selector(IDLE)
        before = app.page.evaluate(
            "() => document.querySelector('[data-testid=\"stMain\"]').scrollTop"
        )
        x, y = app.page_point(36.52815, 37.95495)  # Manbij
        assert y < 900  # on screen, the map's bottom below the window
        app.page.mouse.click(x, y)
        app.page.get_by_text("from the Turkish border").wait_for(timeout=30_000)
        after = app.page.evaluate(
            "() => document.querySelector('[data-testid=\"stMain\"]').scrollTop"
        )
        assert after == before  # the page did not jump
        panel = app.page.locator('[data-testid="stMain"]').inner_text()
        miles = float(panel.split(" miles (")[0].split()[-1])
        assert 15 < miles < 25, panel  # Manbij: about 20 miles from the border
        assert "22 miles: Erdogan's demand" in panel
    finally:
        app.close()


def test_side_by_side_maps_stay_on_one_view(app):
    app.open("Compare?basemap=offline")
    maps = app.side_by_side(
        "x.map && x.feature_group && x.__GLOBAL_DATA__ && x.__GLOBAL_DATA__.previous_data.center"
    )
    # Both open fitted to Syria; the first view they report becomes the shared view,
    # sent back to both: wait for it before moving one.
    app.page.wait_for_function(
        f"() => {maps}.every(x => x.__GLOBAL_DATA__.last_zoom === x.map.getZoom())",
        timeout=60_000,
    )
    app.page.wait_for_selector(IDLE)
    app.page.evaluate(f"() => {maps}[0].map.setView([36.5, 37.5], 9)")
    app.page.wait_for_function(
        f"() => {{ const m = {maps}[1].map; const c = m.getCenter();"
        " return m.getZoom() === 9 && Math.abs(c.lat - 36.5) < 0.01"
        " && Math.abs(c.lng - 37.5) < 0.01; }",
        timeout=30_000,
    )


def test_upload_of_a_users_layer(app, tmp_path):
    import json

    square = [[36.9, 36.1], [37.4, 36.1], [37.4, 36.5], [36.9, 36.5], [36.9, 36.1]]
    # HTML, and template code that branca would have run on the server (lib/map_layers)
    hostile = '<img src=x onerror="alert(1)"> {{ 7*191 }} {%'
    good = tmp_path / "mine.geojson"
    good.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": hostile},
                        "geometry": {"type": "Polygon", "coordinates": [square]},
                    }
                ],
            }
        )
    )
    app.open("Compare?basemap=offline")
    app.page.get_by_text("Add your own layer (GeoJSON)").click()
    app.page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(good))
    app.wait_for_layers("keys.includes('user_layer')")
    app.wait_for_table_rows([hostile])  # the name is a table cell's text, not HTML
    assert app.dialogs == []
    assert app.frame.locator("img").count() == 0
    tips = app.frame.evaluate(
        "() => window.feature_group.filter(g => g._layerKey === 'user_layer')"
        ".map(g => JSON.stringify(g.toGeoJSON()))"
    )
    assert "{{ 7*191 }} {%" in tips[0] and "1337" not in tips[0]

    bad = tmp_path / "points.geojson"
    bad.write_text(json.dumps({"type": "Point", "coordinates": [37, 36]}))
    app.page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(bad))
    app.page.get_by_text("points.geojson” cannot be used: it has no polygons").wait_for()
    app.wait_for_layers("!keys.includes('user_layer')")


def test_compare_page_falls_back_to_the_offline_basemap(app):
    app.open("Compare?basemap=auto")
    # the tiles were tried and blocked: the countries' fills turn opaque
    app.frame.wait_for_function(
        "() => document.documentElement.dataset.basemap === 'offline-fallback'"
    )
    opaque = app.frame.evaluate(
        """() => {
            const g = window.feature_group.find(g => g._layerKey === 'basemap');
            let fills = [];
            g.eachLayer(l => l.eachLayer && l.eachLayer(c => {
                if (c.options.fill !== false) fills.push(c.options.fillOpacity);  // not rivers
            }));
            return fills.length > 0 && fills.every(f => f === 1);
        }"""
    )
    assert opaque
    assert all("basemaps.cartocdn.com" in u for u in app.blocked)
