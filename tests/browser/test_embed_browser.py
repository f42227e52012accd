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
    assert "Source" in popup.inner_text()
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
