"""The guided story's logic (lib/story.py), on the made-up dataset."""

from lib.data import load_dataset
from lib.story import parse_step, step_html, step_keys
from tests.conftest import read_json, write_json

HOSTILE = '<img src=x onerror="alert(1)">'


def test_a_step_reads_its_event_and_keeps_its_layers_in_order(mini):
    attack, pact = mini.story
    assert attack.event == "attack-alpha" and step_keys(attack) == ("control", "events", "captured")
    assert step_keys(pact) == ("control", "buffer_3", "buffer_22")
    assert pact.source == "mini-source"  # the event's sources


def test_the_url_names_a_step_by_its_id(mini):
    assert parse_step(mini, None) == (0, [])
    assert parse_step(mini, "pact") == (1, [])
    index, warnings = parse_step(mini, "<b>nope</b>")
    assert index == 0 and "no such step" in warnings[0]


def test_the_text_gives_the_article_words_and_our_caption(mini):
    html = step_html(mini, 0)
    assert "step 1 of 2" in html and "27 Nov 2024: The attack on Alpha" in html
    assert "The article does not cover this step." in html  # the event has no quote
    html = step_html(mini, 1)
    assert "October 1998: An old pact" in html
    assert "&ldquo;a zone of 22 miles&rdquo;" in html  # the step's own quote wins
    assert "The map shows who held the ground on 26 Nov 2024." in html
    assert 'href="https://example.org/mini-report"' in html


def test_data_reaches_the_text_as_text(mini_copy):
    doc = read_json(mini_copy / "story.json")
    doc["steps"][0]["caption"] = HOSTILE
    write_json(mini_copy / "story.json", doc)
    doc = read_json(mini_copy / "events.geojson")
    doc["features"][1]["properties"]["title"] = HOSTILE
    write_json(mini_copy / "events.geojson", doc)
    html = step_html(load_dataset(mini_copy), 0)
    assert "<img" not in html and html.count("&lt;img src=x") == 2
