"""Hostile input in a real browser: markdown in a permalink or an upload creates no
image, link or formatting, and a hostile upload ends in a message, not a traceback."""

from __future__ import annotations

import json
from urllib.parse import urlparse

import pytest

from tests.support.hostile_uploads import hostile_uploads, long_number_upload

ALERT = '[data-testid="stAlert"]'


@pytest.fixture
def requests_seen(app):
    seen: list[str] = []
    app.page.on("request", lambda r: seen.append(r.url))
    return seen


def _alerts_are_plain_text(app) -> str:
    alerts = app.page.locator(ALERT)
    alerts.first.wait_for(timeout=30_000)
    for tag in ("img", "a", "strong", "em", "code", "h1", "li"):
        assert alerts.locator(tag).count() == 0, tag
    return " ".join(alerts.all_inner_texts())


def test_markdown_in_map_permalink_stays_text(app, server, requests_seen):
    host = server.url  # an image here would load: the browser is not blocked from it
    app.open(
        f"?date=![x]({host}/md.png)&basemap=**bold**[phish]({host}/phish)&layers=control,:red[x]"
    )
    text = _alerts_are_plain_text(app)
    assert "![x](" in text and "**bold**[phish](" in text  # shown as written, cut short
    assert not [u for u in requests_seen if urlparse(u).path in ("/md.png", "/phish")]
    assert app.page.locator('[data-testid="stException"]').count() == 0


def test_markdown_in_compare_permalink_stays_text(app, server, requests_seen):
    host = server.url
    app.open(f"Compare?proposals=![y]({host}/md2.png)&whatif=[w]({host}/w)&basemap=offline")
    text = _alerts_are_plain_text(app)
    assert "![y](" in text and "[w](" in text
    assert not [u for u in requests_seen if urlparse(u).path in ("/md2.png", "/w")]


def _upload(app, path) -> None:
    app.page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))


@pytest.mark.parametrize(
    "name, content, message",
    [
        (
            "[phish](javascript:alert(1)) **x**.geojson",
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "crs": {
                        "type": "name",
                        "properties": {"name": "![i](http://127.0.0.1:9/i.png)"},
                    },
                    "features": [],
                }
            ),
            "is unknown",
        ),
        ("deep.geojson", "[" * 100_000 + "]" * 100_000, "nests its JSON too deeply"),
        (
            "props.geojson",
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [{"type": "Feature", "properties": "x", "geometry": None}],
                }
            ),
            "'properties' that are not an object",
        ),
        (
            "vertical.geojson",
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "crs": {"type": "name", "properties": {"name": "EPSG:5703"}},
                    "features": [],
                }
            ),
            "not a horizontal one",
        ),
        # a minute of the server's CPU before (issue 31), now refused within its budget
        ("random.geojson", hostile_uploads()["random_ring_500"].decode(), "would take too long"),
        ("digits.geojson", long_number_upload().decode(), "written with 5,001 characters"),
    ],
)
def test_hostile_uploads_get_a_message_not_a_traceback(app, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    app.open("Compare?basemap=offline")
    app.page.get_by_text("Add your own layer (GeoJSON)").click()
    _upload(app, path)
    app.page.locator(ALERT, has_text=message).wait_for(timeout=30_000)
    _alerts_are_plain_text(app)
    assert app.page.locator('[data-testid="stException"]').count() == 0
    assert app.dialogs == []
