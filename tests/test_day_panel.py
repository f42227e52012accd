"""The panel beside the map: its content for a day, and data shown only as text. On the
made-up dataset (tests/fixtures/make_mini.py)."""

import re
from datetime import date

from lib.day_panel import day_panel_html
from lib.geodata import load_dataset
from tests.conftest import read_json, write_json

HOSTILE = '<img src=x onerror="alert(1)">'
LINK = "[click](javascript:alert(1))"


def test_the_panel_tells_the_day(mini):
    html = day_panel_html(mini, date(2024, 11, 27), ["control", "captured"])
    assert "<h3>27 Nov 2024</h3>" in html
    assert "Who holds the ground" in html and "Government:" in html
    assert "Alpha (HTS)" in html and "Delta (HTS)" in html  # taken on 27 Nov
    assert "The attack on Alpha" in html
    assert "Town taken" in html and "Base or site" not in html  # the key: shown layers only


def test_a_quiet_day_says_so(mini):
    html = day_panel_html(mini, date(2024, 11, 26), [])
    assert "No recorded change of hands." in html and "No dated event." in html


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
