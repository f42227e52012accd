"""WCAG 2.1 A and AA, as axe-core checks them (the copy the PyPI package
axe-playwright-python ships), on every page, its map frames and the embed: no serious
or critical violation in what the project controls."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import IDLE, MAP_FRAME

axe_package = pytest.importorskip("axe_playwright_python")
AXE = (Path(axe_package.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
RUN = """async () => {
    const r = await axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
        iframes: false});
    return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
        .map(v => [v.id, v.nodes.map(n => n.html.slice(0, 120))]); }"""


def serious(frame) -> list:
    frame.evaluate(AXE)
    return frame.evaluate(RUN)


PAGES = {
    "map": "?date=2024-12-01&layers=control,sites,events,captured,buffer_22&basemap=offline",
    "compare": "Compare?whatif=15&basemap=offline",
    "timeline": "Timeline",
    "story": "Story?step=aleppo&basemap=offline",
}


@pytest.mark.parametrize("page", list(PAGES))
def test_no_serious_violation_on_the_page_and_its_map(app, page):
    app.page.goto(f"{app.base_url}/{PAGES[page]}")
    app.page.wait_for_selector(IDLE, timeout=90_000)
    if page == "map":
        app.wait_for_whole_page()
    if page != "timeline":
        app.page.frame_locator(MAP_FRAME).first.locator(".leaflet-container").wait_for()
    app.page.wait_for_selector(IDLE)
    assert serious(app.page.main_frame) == [], page
    for handle in app.page.query_selector_all(MAP_FRAME):
        assert serious(handle.content_frame()) == [], f"{page}: map frame"


def test_no_serious_violation_with_the_search_and_a_card_open(app):
    app.open("?date=2024-12-01&basemap=offline")
    app.frame.wait_for_function("() => !!(window.__atlas && window.__atlas.search)")
    app.frame.locator(".place-search input").fill("Tal Rif")
    app.frame.locator("#place-option-0").wait_for()
    assert serious(app.frame) == []
    app.frame.locator(".place-search input").press("Enter")
    app.frame.locator(".place-card").wait_for()
    app.frame.wait_for_function(  # the popup's fade-in over: its colours are final
        "() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"
    )
    assert serious(app.frame) == []


def test_no_serious_violation_in_the_embed(browser, ds, tmp_path):
    from lib.embed import write_embed

    index, _ = write_embed(ds, tmp_path / "site")
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    context.set_offline(True)
    try:
        page = context.new_page()
        page.goto(index.as_uri())
        page.wait_for_function("() => document.getElementById('app').dataset.ready === 'true'")
        page.locator("#day-text > summary").click()  # the day as text, open
        page.locator("#panel-toggle").click()  # the layers and sources, open
        assert serious(page.main_frame) == []
    finally:
        context.close()
