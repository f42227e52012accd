"""Lets browsers keep the files whose names change with their content.

The map's atlas (static/atlas/atlas-<hash>.json, ~0.4 MB, and its popups beside it in
atlas-<hash>.popups.json), Leaflet (static/leaflet-<hash>/) and st_folium's script
bundle (main.<hash>.js) are named by what they hold, so a new version always comes
under a new name. Streamlit serves them with no lasting cache header, so a reader's
browser asked for them again on every visit, and the server compressed them again
each time. Marked immutable (as Streamlit marks its own hashed bundles), a returning
reader's map starts from the browser's cache. Every other response is left as
Streamlit sends it.

Since a browser keeps a content-named file for a year, a damaged one must never go
out: an atlas file is served only while it holds what was written
(lib/atlas_files.atlas_intact); otherwise the answer is a 404, which the map's loader
waits out, while the atlas is written again.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

IMMUTABLE = "public, max-age=31536000, immutable"

# The atlas's name is lib.atlas_files.atlas_target's, Leaflet's lib.offline_assets.leaflet_dir's;
# the component's is webpack's.
_CONTENT_NAMED = re.compile(
    r"/app/static/atlas/atlas-[0-9a-f]{16}(?:\.popups)?\.json$"
    r"|/component/[^/]+/(?:[^/]+/)*[^/]+\.[0-9a-f]{8,}\.(?:js|css)$"
    r"|/app/static/leaflet-[0-9a-f]{16}/(?:leaflet\.(?:js|css)|images/[a-z0-9-]+\.png)$"
)


def is_content_named(path: str) -> bool:
    """True for a URL path whose file name carries a hash of its content (any prefix,
    such as server.baseUrlPath, before it)."""
    return bool(_CONTENT_NAMED.search(path))


_ATLAS = re.compile(r"/app/static/atlas/(atlas-[0-9a-f]{16}(?:\.popups)?\.json)$")


def damaged_atlas(path: str) -> bool:
    """True for the URL path of an atlas file that is there but no longer holds what
    was written (or is being written again)."""
    match = _ATLAS.search(path)
    if not match:
        return False
    from lib.atlas_files import atlas_intact, atlas_of
    from lib.offline_assets import STATIC_DIR

    served = STATIC_DIR / "atlas" / PurePosixPath(match[1]).name
    # a missing file is Streamlit's 404 already
    return served.is_file() and not atlas_intact(atlas_of(served))


async def _not_there_yet(send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 404,
            "headers": [(b"cache-control", b"no-store"), (b"content-type", b"text/plain")],
        }
    )
    await send({"type": "http.response.body", "body": b"being written again"})


class CacheContentNamed:
    """ASGI middleware: successful responses for content-named files get IMMUTABLE.

    Only a 200: a 404 for an atlas still being written must not be kept."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not is_content_named(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        if damaged_atlas(scope["path"]):
            from ui.data import rewrite_atlas

            rewrite_atlas()  # in the writer's thread; the loader retries on a 404
            await _not_there_yet(send)
            return

        async def send_cached(message):
            if message["type"] == "http.response.start" and message.get("status") == 200:
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"
                ]
                headers.append((b"cache-control", IMMUTABLE.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_cached)
