"""Content-named files (the atlas, Leaflet, st_folium's bundle) are cached by browsers;
nothing else is, and never an error."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urljoin, urlparse

import pytest

from lib.atlas_files import atlas_target
from ui.http_cache import IMMUTABLE, CacheContentNamed, is_content_named


def test_the_atlas_url_the_map_uses_is_content_named(ds, tmp_path):
    _, url = atlas_target(ds, tmp_path)
    # the map asks for it relative to st_folium's page
    page = "http://127.0.0.1:8501/component/streamlit_folium.st_folium/index.html"
    assert is_content_named(urlparse(urljoin(page, url)).path)


def test_the_leaflet_the_map_uses_is_content_named():
    from lib.offline_assets import LEAFLET_FILES, leaflet_dir, leaflet_js_url

    page = "http://127.0.0.1:8501/component/streamlit_folium.st_folium/index.html"
    assert is_content_named(urlparse(urljoin(page, leaflet_js_url())).path)
    for name in LEAFLET_FILES:  # the style sheet's images too
        assert is_content_named(f"/app/static/{leaflet_dir()}/{name}")


@pytest.mark.parametrize(
    "path",
    [
        "/app/static/atlas/atlas-7d7e3b772d72b135.json",
        "/app/static/atlas/atlas-7d7e3b772d72b135.popups.json",
        "/prefix/app/static/atlas/atlas-7d7e3b772d72b135.json",
        "/component/streamlit_folium.st_folium/static/js/main.521860b0.js",
        "/component/streamlit_folium.st_folium/static/css/main.0a1b2c3d.css",
    ],
)
def test_hashed_names_are_content_named(path):
    assert is_content_named(path)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/component/streamlit_folium.st_folium/index.html",
        "/component/streamlit_folium.st_folium/bootstrap.min.css",
        "/app/static/leaflet/leaflet.js",  # same name for any Leaflet version
        "/app/static/leaflet-0123456789abcdef/leaflet.js.tmp",  # being copied
        "/app/static/atlas/atlas-latest.json",
        "/app/static/atlas/atlas-7d7e3b772d72b135.json.tmp",
        "/_stcore/health",
    ],
)
def test_other_names_are_not(path):
    assert not is_content_named(path)


def _respond(path: str, status: int) -> dict:
    """The headers the middleware sends for an app answering `status` with no-cache."""

    async def app(scope, receive, send):
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"cache-control", b"no-cache"), (b"etag", b'"x"')],
            }
        )
        await send({"type": "http.response.body", "body": b""})

    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request"}

    scope = {"type": "http", "path": path, "method": "GET"}
    # in a thread of its own: the browser tests' Playwright may hold this thread's loop
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, CacheContentNamed(app)(scope, receive, send)).result()
    headers = sent[0]["headers"]
    assert [k for k, _ in headers].count(b"cache-control") == 1
    return dict(headers)


def test_a_served_atlas_is_immutable_and_keeps_its_other_headers():
    headers = _respond("/app/static/atlas/atlas-7d7e3b772d72b135.json", 200)
    assert headers[b"cache-control"] == IMMUTABLE.encode()
    assert headers[b"etag"] == b'"x"'


def test_a_missing_atlas_is_not_kept():
    # the map retries while the atlas is written: a cached 404 would stick for a year
    headers = _respond("/app/static/atlas/atlas-7d7e3b772d72b135.json", 404)
    assert headers[b"cache-control"] == b"no-cache"


def test_other_responses_are_untouched():
    headers = _respond("/component/streamlit_folium.st_folium/index.html", 200)
    assert headers[b"cache-control"] == b"no-cache"
