"""Lets browsers keep the files whose names change with their content.

The map's atlas (static/atlas/atlas-<hash>.json, ~0.4 MB, and its popups beside it in
atlas-<hash>.popups.json), Leaflet (static/leaflet-<hash>/) and st_folium's script
bundle (main.<hash>.js) are named by what they hold, so a new version always comes
under a new name. Streamlit serves them with no lasting cache header, so a reader's
browser asked for them again on every visit, and the server compressed them again
each time. Marked immutable (as Streamlit marks its own hashed bundles), a returning
reader's map starts from the browser's cache. Every other response is left as
Streamlit sends it.
"""

from __future__ import annotations

import re

IMMUTABLE = "public, max-age=31536000, immutable"

# The atlas's name is lib.map_layers.atlas_target's, Leaflet's lib.offline_assets.leaflet_dir's;
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


class CacheContentNamed:
    """ASGI middleware: successful responses for content-named files get IMMUTABLE.

    Only a 200: a 404 for an atlas still being written must not be kept."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not is_content_named(scope.get("path", "")):
            await self.app(scope, receive, send)
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
