"""Leaflet for the browser, with no CDN.

st_folium loads every script and stylesheet by URL, so inlining does not help: the
files must be served by the app. Streamlit's static serving (server.enableStaticServing)
serves ./static at /app/static/. At start-up we copy the plain Leaflet 1.9.4 files
from the installed `django-js-lib-leaflet` package there; nothing third-party is
committed.
"""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
from functools import lru_cache
from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
LEAFLET_PACKAGE = "js_lib_leaflet"  # import name of django-js-lib-leaflet
LEAFLET_FILES = (
    "leaflet.js",
    "leaflet.css",
    "images/layers.png",
    "images/layers-2x.png",
    "images/marker-icon.png",
    "images/marker-icon-2x.png",
    "images/marker-shadow.png",
)
# st_folium's component page lives at <base>/component/streamlit_folium.st_folium/index.html;
# relative URLs keep working when the app is served under a path prefix.
STATIC_URL_FROM_COMPONENT = "../../app/static"


def leaflet_source_dir() -> Path:
    spec = importlib.util.find_spec(LEAFLET_PACKAGE)
    if spec is None or spec.origin is None:
        raise RuntimeError(
            "The Leaflet package is missing: install it with pip install django-js-lib-leaflet"
        )
    return Path(spec.origin).parent / "static" / LEAFLET_PACKAGE


@lru_cache(maxsize=1)
def leaflet_dir() -> str:
    """The name of Leaflet's folder under static/: leaflet-<hash of its files>. A new
    Leaflet comes under a new name, so browsers keep these files for good
    (ui/http_cache.py). Under one fixed name they were asked for again, on the way to
    the map, whenever their copy was recent (a copy is as new as the server's start)."""
    src = leaflet_source_dir()
    digest = hashlib.sha256()
    for name in LEAFLET_FILES:
        digest.update(name.encode() + b"\0" + (src / name).read_bytes())
    return f"leaflet-{digest.hexdigest()[:16]}"


def leaflet_js_url() -> str:
    return f"{STATIC_URL_FROM_COMPONENT}/{leaflet_dir()}/leaflet.js"


def leaflet_css_url() -> str:
    return f"{STATIC_URL_FROM_COMPONENT}/{leaflet_dir()}/leaflet.css"


def install_leaflet(static_dir: Path = STATIC_DIR) -> Path:
    """Copy Leaflet into static_dir/leaflet-<hash> (only files that are missing or
    differ)."""
    src = leaflet_source_dir()
    dst = static_dir / leaflet_dir()
    for name in LEAFLET_FILES:
        target = dst / name
        source = src / name
        if target.is_file() and target.stat().st_size == source.stat().st_size:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".tmp")
        shutil.copyfile(source, tmp)
        tmp.replace(target)  # atomic: a browser never gets half a file
    return dst
