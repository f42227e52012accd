"""Keyboard all the way: everything whose details a mouse opens is reachable and named
(the day's features in "What is on the map"), a link skips the map, the focus ring
shows, and the keyboard stays on Play/Pause and Previous/Next when the page redraws."""

from __future__ import annotations

from tests.browser.conftest import IDLE


def test_the_maps_features_are_listed_and_open_by_keyboard(app):
    app.open("?date=2024-12-01&layers=control,sites,events,captured&basemap=offline")
    # the shapes themselves are out of the tab order (40-60 unnamed stops before)
    app.frame.wait_for_function(
        "() => document.querySelectorAll('path.leaflet-interactive').length > 0 &&"
        " document.querySelectorAll('path.leaflet-interactive:not([tabindex])').length === 0",
        timeout=10_000,
    )
    button = app.frame.locator(".map-list-button")
    button.focus()
    app.page.keyboard.press("Enter")
    listing = app.frame.locator("#map-list")
    listing.locator("button").first.wait_for()
    text = listing.inner_text()
    assert "What the map shows on 1 Dec 2024" in text
    for heading in ("Control zones", "Bases and sites", "Events", "Towns taken"):
        assert heading in text
    zone = listing.locator("section").first.locator("button").first
    name = zone.inner_text()
    assert name.startswith(("Held by", "Contested", "No force reported"))
    zone.focus()
    app.page.keyboard.press("Enter")
    popup = app.frame.locator(".leaflet-popup-content")
    popup.wait_for()
    # the zone's details: holder, area, since when, sources; the keyboard is in them
    assert "Source" in popup.inner_text() and "km²" in popup.inner_text()
    assert app.frame.evaluate("() => document.activeElement.className") == ("leaflet-popup-content")
    app.page.keyboard.press("Escape")
    assert app.frame.evaluate("() => document.activeElement.textContent") == name
    # a visible ring where the keyboard is
    outline = app.frame.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_a_link_skips_the_map(app):
    app.open("?date=2024-12-01&basemap=offline")
    skip = app.page.locator(".skip-link")
    skip.focus()
    assert skip.is_visible()  # seen once the keyboard reaches it
    app.page.keyboard.press("Enter")
    app.page.wait_for_function("() => document.activeElement.id === 'day-panel'")
    app.page.keyboard.press("Tab")  # onward into the panel: its first link
    assert app.page.evaluate("() => !!document.activeElement.closest('.st-key-day_panel')"), (
        "the next stop is in the panel, not back in the map"
    )


def test_the_keyboard_stays_on_play_and_pause(app):
    app.open("?date=2024-11-27&basemap=offline")
    app.page.get_by_role("button", name="Play").focus()
    app.page.keyboard.press("Enter")
    app.page.get_by_role("button", name="Pause").wait_for()
    app.page.wait_for_function(
        "() => document.activeElement.innerText.includes('Pause')", timeout=10_000
    )
    app.page.keyboard.press("Enter")
    app.page.get_by_role("button", name="Play").wait_for()
    app.page.wait_for_function(
        "() => document.activeElement.innerText.includes('Play')", timeout=10_000
    )


def test_the_keyboard_stays_on_previous_and_next(app, ds):
    app.open(f"Story?step={ds.story[1].id}&basemap=offline")
    app.page.get_by_role("button", name="Previous").focus()
    app.page.wait_for_selector(IDLE)
    app.page.wait_for_function("() => document.activeElement.innerText.includes('Previous')")
    mark = app.runs.mark
    app.page.keyboard.press("Enter")
    app.runs.wait_for_run_since(mark)  # the press's run, over
    app.page.wait_for_function(f"() => location.search.includes('step={ds.story[0].id}')")
    # Previous is now disabled: the keyboard goes on to Next, not to the page's body
    app.page.wait_for_function(
        "() => document.activeElement.innerText.includes('Next')", timeout=10_000
    )
    # (the press goes to the button by name: a redraw of the page between the check
    # above and a bare key press would send the key to the page's body, and the
    # keyboard is put back only after it)
    mark = app.runs.mark
    app.page.get_by_role("button", name="Next").press("Enter")
    app.runs.wait_for_run_since(mark)
    app.page.wait_for_function(f"() => location.search.includes('step={ds.story[1].id}')")
    app.page.wait_for_function(
        "() => document.activeElement.innerText.includes('Next')", timeout=10_000
    )
    skip = app.page.locator(".skip-link")
    skip.focus()
    app.page.keyboard.press("Enter")
    app.page.wait_for_function("() => document.activeElement.id === 'story-step'")
