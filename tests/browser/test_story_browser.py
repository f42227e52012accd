"""The story page in a real browser: steps move the one map and show their text."""

from __future__ import annotations

import json

from tests.browser.conftest import IDLE


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
        "(t) => (document.querySelector('.story-step')?.innerText || '').includes(t)",
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


def test_every_step_has_its_heading_its_day_its_frame_and_its_key(app, ds):
    """Erdogan's step carried step 9's heading; buffer-zone steps framed all Syria with
    no key to their lines; the last step never said its day; Regiment 46 and Kuweires
    went unnamed in their steps."""
    from lib.data.dates import fmt_day
    from lib.story import heading

    app.open(f"Story?step={ds.story[0].id}&basemap=offline")
    for i, step in enumerate(ds.story):
        if i:
            app.page.get_by_role("button", name="Next").click()
        app.page.wait_for_function(
            "(h) => document.querySelector('.story-step')?.innerText.includes(h)",
            arg=heading(ds, step),
            timeout=30_000,
        )
        app.page.wait_for_selector(IDLE)
        app.frame.wait_for_function(center_in(step.bounds), timeout=20_000)
        text = app.page.locator(".story-step").inner_text()
        assert heading(ds, step) in text, step.id
        said = f"The map shows who held the ground on {fmt_day(step.map_date)}."
        assert text.count(said) == 1, step.id
        key = app.frame.locator(".map-legend .lines").inner_text()
        for pid in step.proposals:  # a key to each line shown
            label = next(p.label for p in ds.proposals if p.id == pid)
            assert label in key, (step.id, label)
        names = app.frame.eval_on_selector_all(".story-label", "els => els.map(e => e.innerText)")
        for key_id in step.labels:
            row = ds.sites.loc[key_id] if key_id in ds.sites.index else ds.places.loc[key_id]
            assert row["name"] in names, (step.id, key_id)
        if step.chapter == "bargaining":  # framed on the border strip, little of Turkey
            (south, _w), (north, _e) = step.bounds
            assert north - south < 1.6 and north <= 37.4, step.id
    erdogan = next(s for s in ds.story if s.id == "erdogan-22")
    assert "22 miles" in heading(ds, erdogan)
