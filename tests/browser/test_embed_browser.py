"""The standalone embed in a real browser: opened from file:// with the network off, it
draws every day, toggles layers, opens popups, plays to the end and asks nothing from
outside."""

from __future__ import annotations

import pytest

from lib.embed import write_embed


@pytest.fixture
def embed_page(browser, ds, tmp_path):
    index, _size = write_embed(ds, tmp_path / "site")
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    context.set_offline(True)
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(index.as_uri())
    page.wait_for_function("() => document.getElementById('app').dataset.ready === 'true'")
    yield page, requests, errors
    context.close()


def test_the_embed_draws_every_day_offline(embed_page, ds):
    page, requests, errors = embed_page
    days = ds.period.days()
    slider = page.locator("#day")
    slider.focus()
    slider.press("Home")
    for i, day in enumerate(days):
        if i:
            slider.press("ArrowRight")
        page.wait_for_function(f"() => window.__atlas.day === {i}", timeout=5_000)
        assert page.locator("#day-label").inner_text() == f"{day.day} {day.strftime('%b %Y')}"
        assert page.evaluate("() => window.__atlas.groups.control.getLayers().length") > 0
        assert day.isoformat() in page.evaluate("() => location.hash")
    assert not errors
    assert all(url.startswith("file://") for url in requests), requests


def test_layers_toggle_and_popups_cite_their_sources(embed_page):
    page, requests, errors = embed_page
    page.click("#panel-toggle")
    page.check('input[name="layer"][value="buffer_22"]')
    page.wait_for_function("() => window.__atlas.keys.split(',').includes('buffer_22')")
    assert page.evaluate("() => window.map.hasLayer(window.__atlas.groups.buffer_22)")
    page.uncheck('input[name="layer"][value="events"]')
    page.wait_for_function("() => !window.map.hasLayer(window.__atlas.groups.events)")
    page.click("#panel-toggle")  # closed again, out of the map's way
    # a real click on a base: markers sit above the zones
    point = page.evaluate(
        """() => {
          const town = window.__atlas.groups.sites.getLayers()[0];
          const p = window.map.latLngToContainerPoint(town.getLatLng());
          const box = document.getElementById('map').getBoundingClientRect();
          return [box.left + p.x, box.top + p.y];
        }"""
    )
    page.mouse.click(*point)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=5_000)
    # its sources, or that the article alone says so (lib/sources.ARTICLE_ALONE)
    assert "Source" in popup.inner_text() or "the article's account alone" in popup.inner_text()
    assert not errors and all(url.startswith("file://") for url in requests)


def test_play_runs_to_the_end_in_the_browser(embed_page, ds):
    page, requests, errors = embed_page
    page.select_option("#speed", "Fast")
    page.locator("#day").focus()
    page.locator("#day").press("Home")
    # Home's draw is logged at the next frame: count after it, or the count is one short
    drawn = page.evaluate(
        "() => new Promise(r => requestAnimationFrame(() => r(window.__drawTimes.length)))"
    )
    page.click("#play")
    assert page.locator("#play").inner_text() == "Pause"
    page.wait_for_function(
        "() => document.getElementById('app').dataset.playing === 'false'", timeout=30_000
    )
    last = len(ds.period.days()) - 1
    assert page.evaluate("() => window.__atlas.day") == last
    # a draw a day (each timed at the frame after it)
    page.wait_for_function(f"() => window.__drawTimes.length - {drawn} === {last}")
    assert page.locator("#play").inner_text() == "Play"
    assert not errors and all(url.startswith("file://") for url in requests)


def _open(browser, index, width: int, height: int = 700):
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_offline(True)
    page = context.new_page()
    page.goto(index.as_uri())
    page.wait_for_function("() => document.getElementById('app').dataset.ready === 'true'")
    return context, page


def test_the_embed_opens_on_what_the_reader_was_looking_at(browser, ds, tmp_path):
    """The app's download opens on the reader's day, layers and view, not on the first
    day with the default layers."""
    from datetime import date

    from lib.embed import Opening

    opening = Opening(date(2024, 12, 1), ("control", "buffer_22"), False, (36.3, 37.5, 9.0))
    index, _ = write_embed(ds, tmp_path / "site", opening)
    context, page = _open(browser, index, 1200)
    try:
        assert page.locator("#day-label").inner_text() == "1 Dec 2024"
        assert page.evaluate("() => window.__atlas.keys") == "control,buffer_22"
        checked = page.eval_on_selector_all(
            'input[name="layer"]:checked', "els => els.map(e => e.value)"
        )
        assert checked == ["control", "buffer_22"]
        zoom, lat, lng = page.evaluate(
            "() => { const c = window.map.getCenter();"
            " return [window.map.getZoom(), c.lat, c.lng]; }"
        )
        assert zoom == 9 and abs(lat - 36.3) < 0.01 and abs(lng - 37.5) < 0.01
    finally:
        context.close()


@pytest.mark.parametrize("width", [320, 390])
def test_the_embed_fits_a_phone_with_no_sideways_scroll(browser, ds, tmp_path, width):
    index, _ = write_embed(ds, tmp_path / "site")
    context, page = _open(browser, index, width, 640)
    try:
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        for control in ("#play", "#day", "#day-label", "#panel-toggle"):
            box = page.locator(control).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, control
    finally:
        context.close()


@pytest.mark.parametrize("width, origin", [(320, "file"), (900, "file"), (390, "same site")])
def test_in_a_host_pages_frame_the_embed_says_its_height_and_fits(
    browser, ds, tmp_path, width, origin
):
    """The host page pastes embed-code.html beside the folder: the frame is as wide as
    the page, as tall as its content (Pym.js's height messages), and asks nothing. On
    the host's own site (same origin) the embed keeps to its own page: its day text is
    its own, not the host's."""
    site = tmp_path / "site"
    write_embed(ds, site / "aleppo-map")
    code = (site / "aleppo-map" / "embed-code.html").read_text(encoding="utf-8")
    host = site / "article.html"
    host.write_text(
        "<!doctype html><html><head><meta name='viewport' content='width=device-width'>"
        "<script>window.__pym = []; window.addEventListener('message', e => "
        "{ if (typeof e.data === 'string') window.__pym.push(e.data); });</script></head>"
        f"<body style='margin:0'><p>An article.</p>{code}<p>More text.</p></body></html>",
        encoding="utf-8",
    )
    context = browser.new_context(viewport={"width": width, "height": 700})
    context.set_offline(True)
    requests = []
    try:
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        url = host.as_uri()
        if origin == "same site":  # served from one made-up origin, from disk
            base = "http://news.example"

            def serve(route):
                path = site / route.request.url[len(base) + 1 :].split("?")[0].split("#")[0]
                route.fulfill(path=str(path)) if path.is_file() else route.abort()

            context.route(f"{base}/**", serve)
            url = f"{base}/article.html"
        page.goto(url)
        page.wait_for_function("() => window.__pym.some(m => m.includes('xPYMxheightxPYMx'))")
        frame = page.frame_locator("#aleppo-map")
        frame.locator("#app[data-ready='true']").wait_for()
        page.wait_for_timeout(300)  # a last height, once the map has settled
        said = int(page.evaluate("() => window.__pym[window.__pym.length - 1]").split("xPYMx")[-1])
        box = page.locator("#aleppo-map").bounding_box()
        assert abs(box["height"] - said) <= 1  # the frame took the height it was told
        content = (
            page.frame_locator("#aleppo-map")
            .locator("#app")
            .evaluate(
                "el => [el.getBoundingClientRect().height, document.documentElement.scrollWidth,"
                " document.documentElement.clientWidth]"
            )
        )
        assert abs(content[0] - said) <= 1 and content[1] <= content[2]  # no sideways scroll
        assert box["width"] <= width
        assert all(u.startswith(("file://", "http://news.example/")) for u in requests)
        # its day as text is its own page's (the host's has none)
        heading = frame.locator("#day-panel h3")
        heading.wait_for(state="attached")
        assert heading.text_content() == "27 Nov 2024"
        assert page.locator("#atlas-live").count() == 0
    finally:
        context.close()


def test_display_options_in_the_address(browser, ds, tmp_path):
    index, _ = write_embed(ds, tmp_path / "site")
    context, page = _open(browser, index, 900)
    try:
        page.goto(index.as_uri() + "#controls=0&theme=dark")
        page.reload()
        page.wait_for_function("() => document.getElementById('app').dataset.ready === 'true'")
        assert not page.locator(".embed-bar").is_visible()
        assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
        page.goto(index.as_uri() + "#static=1&date=2024-12-01&theme=light")
        page.reload()
        page.wait_for_function("() => document.getElementById('app').dataset.ready === 'true'")
        assert not page.locator("#day").is_visible() and not page.locator("#play").is_visible()
        assert page.locator("#day-label").inner_text() == "1 Dec 2024"
        assert page.evaluate("() => document.documentElement.dataset.theme") == "light"
        assert "static=1" in page.evaluate("() => location.hash")  # kept in its address
    finally:
        context.close()
