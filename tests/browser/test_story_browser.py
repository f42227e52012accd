"""The story page in a real browser: steps move the one map and show their text."""

from __future__ import annotations

import json


def center_in(bounds) -> str:
    (s, w), (n, e) = bounds
    return (
        f"() => {{ const c = window.map.getCenter(); return c.lat > {s} && c.lat < {n}"
        f" && c.lng > {w} && c.lng < {e}; }}"
    )


def test_steps_move_the_map_and_show_their_text(app, ds):
    first, second = ds.story[0], ds.story[1]
    app.open(f"Story?step={first.id}&basemap=offline")
    app.frame.wait_for_function(center_in(first.bounds), timeout=20_000)
    text = app.page.locator(".story-step").inner_text()
    assert ds.events.loc[first.event, "title"] in text and "step 1 of" in text
    assert "New Lines Magazine" in text  # the article's words, as a quote
    app.frame.evaluate("() => { window.__sameMap = true; }")
    app.page.locator("body").press("ArrowRight")  # the Next button's shortcut
    app.page.wait_for_function(
        "(t) => document.querySelector('.story-step').innerText.includes(t)",
        arg=ds.events.loc[second.event, "title"],
        timeout=30_000,
    )
    app.page.wait_for_function(f"() => location.search.includes('step={second.id}')")
    # the same map, flown to the next view, with the step's layers on the step's day
    frame = app.frame
    frame.wait_for_function(center_in(second.bounds), timeout=20_000)
    assert frame.evaluate("() => window.__sameMap") is True
    shown = json.loads(frame.evaluate("() => document.documentElement.dataset.storyBounds"))
    assert shown == [list(b) for b in second.bounds]
    day = frame.evaluate("() => window.__atlas.data.days[window.__atlas.day]")
    assert day == second.map_date.isoformat()
    assert frame.evaluate("() => window.__atlas.keys") == ",".join(second.layers + second.proposals)
    app.page.get_by_role("button", name="Previous").click()
    app.page.wait_for_function(f"() => location.search.includes('step={first.id}')")
    assert not app.blocked


def test_a_bargaining_step_shows_its_proposals(app, ds):
    step = next(s for s in ds.story if s.id == "riyadh-10")
    app.open(f"Story?step={step.id}&basemap=offline")
    app.frame.wait_for_function(
        "() => window.__atlas && window.__atlas.keys === 'control,buffer_10,buffer_22'",
        timeout=20_000,
    )
    assert app.frame.evaluate("() => window.map.hasLayer(window.__atlas.groups.buffer_22)")
    assert "The most he'd go was 10" in app.page.locator(".story-step").inner_text()
