"""Finding a place on the map, in a real browser: by another spelling and by its Arabic
name, by keyboard alone; the card it opens, its link; and a click on a town that has
an event on it."""

from __future__ import annotations

import pytest

from lib.search import normalize, search_index
from tests.browser.conftest import IDLE

SEARCH = ".place-search input"


def _ready(app, query: str = "?date=2024-12-01&basemap=offline") -> None:
    app.open(query)
    app.frame.wait_for_function("() => !!(window.__atlas && window.__atlas.search)", timeout=30_000)


def test_the_browser_forms_names_as_the_index_does(app, ds):
    """The map's search normalizes what is typed with the rules the index was made
    with (lib/search.normalize): the same form for every name of every entry."""
    _ready(app)
    names = ["Tall Rif‘at", "Al-Bāb", "Ma‘arrat an-Nu‘mān", "أعزاز", "حَلَب", "Tell  ABYAD"]
    names += [e.name for e in search_index(ds)]
    got = app.frame.evaluate("(ns) => ns.map(n => window.__atlas.search.normalize(n))", names)
    assert got == [normalize(n) for n in names]


@pytest.mark.parametrize("typed", ["Tal Refaat", "تل رفعت"])
def test_a_search_by_another_spelling_flies_to_the_place_and_opens_its_card(app, typed, ds):
    _ready(app)
    box = app.frame.locator(SEARCH)
    box.focus()
    app.page.keyboard.type(typed, delay=20)  # keyboard alone, from here
    app.frame.locator("#place-results [role=option]").first.wait_for(timeout=10_000)
    assert app.frame.locator("#place-option-0").inner_text().startswith("Tel Rifaat")
    app.page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == "place-option-0"
    app.page.keyboard.press("Enter")
    card = app.frame.locator(".place-card")
    card.wait_for(timeout=10_000)
    text = card.inner_text()
    assert text.startswith("Tel Rifaat") and "تل رفعت" in text
    assert "Taken by SNA on 1 Dec 2024 from SDF" in text
    assert "Held by SDF 26 Nov 2024 to 30 Nov 2024; SNA 1 Dec 2024 to 8 Dec 2024." in text
    days = (ds.period.end - ds.period.baseline).days + 1  # one a day, read from the data
    assert card.locator(".day-strip span").count() == days
    assert card.locator(".card-sources a").count() >= 3
    app.frame.wait_for_function(
        "() => { const c = window.map.getCenter();"
        " return Math.abs(c.lat - 36.472) < 0.05 && Math.abs(c.lng - 37.095) < 0.05; }",
        timeout=10_000,
    )
    assert "place=tel-rifaat" in app.page.url  # the card's own link
    assert not app.blocked


def test_a_search_that_matches_nothing_says_so_and_offers_the_nearest(app):
    _ready(app)
    app.frame.locator(SEARCH).fill("Kuwairis")
    results = app.frame.locator("#place-results")
    results.locator("[role=option]").first.wait_for(timeout=10_000)
    text = results.inner_text()
    assert "No place, base or event named “Kuwairis”" in text and "Kuweires" in text


def test_a_cards_link_opens_the_card(app):
    _ready(app, "?date=2024-12-01&basemap=offline&place=manbij")
    card = app.frame.locator(".place-card")
    card.wait_for(timeout=10_000)
    assert card.inner_text().startswith("Manbij")
    app.page.wait_for_selector(IDLE)
    assert "place=manbij" in app.page.url  # kept by the page's own address


def test_a_click_on_a_town_under_an_event_opens_the_town(app):
    """On 30 Nov at zoom 10 a click on Aleppo's marker opened the event "Russian jets
    strike Aleppo"; the town, and what else happened there, is what it opens now."""
    app.open("?date=2024-11-30&layers=control,sites,captured,events&basemap=offline")
    app.frame.evaluate("() => window.map.setView([36.2012, 37.1612], 10, {animate: false})")
    app.frame.wait_for_function("() => !!window.__atlas.popups", timeout=30_000)
    app.click_latlng(36.20124, 37.16117)
    text = app.popup_text()
    assert text.startswith("Aleppo") and "Taken by" in text
    assert "Also here" in text and "Russian jets strike Aleppo" in text
