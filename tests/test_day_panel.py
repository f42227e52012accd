"""The panel beside the map: its content for a day, and data shown only as text. On the
made-up dataset (tests/fixtures/make_mini.py)."""

import re
from datetime import date

from lib.data import load_dataset
from lib.day_panel import day_description, day_facts_html, day_panel_html
from tests.conftest import read_json, write_json

HOSTILE = '<img src=x onerror="alert(1)">'
LINK = "[click](javascript:alert(1))"


def test_the_panel_tells_the_day(mini):
    html = day_panel_html(mini, date(2024, 11, 27), ["control", "captured"])
    assert "<h3>27 Nov 2024</h3>" in html
    assert "<caption>Who holds the ground</caption>" in html and "Government</th>" in html
    assert '<th scope="row">Alpha</th><td>HTS</td>' in html  # taken on 27 Nov
    assert '<th scope="row">Delta</th><td>HTS</td>' in html
    assert "The attack on Alpha" in html
    assert "Town taken" in html and "Base or site" not in html  # the key: shown layers only


def test_a_quiet_day_says_so(mini):
    html = day_panel_html(mini, date(2024, 11, 26), [])
    assert "No town recorded taken this day." in html and "No dated event." in html
    assert "None recorded this day." in html


def test_data_reaches_the_panel_as_text(mini_copy):
    """Names, titles, quotes and publishers shaped like HTML or markdown links stay text."""
    doc = read_json(mini_copy / "events.geojson")
    for f in doc["features"]:
        f["properties"].update(title=HOSTILE, description=LINK, quote=HOSTILE)
    write_json(mini_copy / "events.geojson", doc)
    doc = read_json(mini_copy / "factions.json")
    for faction in doc["factions"]:
        faction["short"] = HOSTILE
    write_json(mini_copy / "factions.json", doc)
    doc = read_json(mini_copy / "sources.json")
    for source in doc["sources"]:
        source["publisher"] = HOSTILE
    write_json(mini_copy / "sources.json", doc)

    html = day_panel_html(load_dataset(mini_copy), date(2024, 11, 29), ["control"])
    assert "<img" not in html
    # the only links are the sources' own addresses, with inert text
    assert re.findall(r"<a\b[^>]*>", html)
    for tag in re.findall(r"<a\b[^>]*>", html):
        assert re.fullmatch(
            r'<a href="https?://[^"<>]+" target="_blank" rel="noopener noreferrer">', tag
        )
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert LINK in html  # shown as written: the panel is HTML, never read as markdown


def test_the_day_in_words_says_shares_changes_towns_and_events(mini):
    assert day_description(mini, date(2024, 11, 27)) == (
        "27 Nov 2024. Share of Syria held: HTS 50.0%, SDF 25.2% and Government 24.8%. "
        "Ground that changed hands: 60,391 km² to HTS (from Government). "
        "Towns taken: Alpha and Delta by HTS. Events: The attack on Alpha."
    )
    assert day_description(mini, date(2024, 11, 26)).endswith("No ground recorded changing hands.")


def test_the_panel_holds_the_days_facts_and_the_key(mini):
    day = date(2024, 11, 27)
    html = day_panel_html(mini, day, ["captured"])
    # the facts the browser swaps in for another day (lib/assets/atlas_loader.js)
    assert html.startswith('<div class="day-panel" id="day-panel" tabindex="-1" data-day="1">')
    assert day_facts_html(mini, day) in html
    assert "<summary>The day in words</summary>" in html
    assert html.index("Town taken") > html.index(day_facts_html(mini, day))  # the key after


def test_the_atlas_carries_every_days_facts_for_the_browser(mini):
    """Play and the slider swap the panel in the browser: the atlas's popups file
    carries each day's facts and words, the same the server draws."""
    from lib.map_layers import DAY_FACTS, DAY_WORDS, atlas, split_popups

    first, popups = split_popups(atlas(mini))
    days = mini.period.days()
    assert popups[DAY_FACTS] == [day_facts_html(mini, d) for d in days]
    assert popups[DAY_WORDS] == [day_description(mini, d) for d in days]
    assert DAY_FACTS not in first and DAY_WORDS not in first  # not before the first map


def test_every_event_of_the_day_can_be_cited_as_it_is(mini):
    """'Cite this': each source as a reader would paste it: author, title, publisher,
    date and address."""
    from lib.sources import citation

    html = day_panel_html(mini, date(2024, 11, 27), ["control"])
    assert "<summary>Cite this</summary>" in html
    src = next(iter(mini.sources.values()))
    text = citation(src)
    assert src.title in text and src.publisher in text and src.date in text
    assert text.endswith(src.url)
