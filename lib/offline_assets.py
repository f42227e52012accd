"""Leaflet for the browser, with no CDN.

st_folium loads every script and stylesheet by URL, so inlining does not help: the
files must be served by the app. Streamlit's static serving (server.enableStaticServing)
serves ./static at /app/static/. At start-up we copy the plain Leaflet 1.9.4 files
from the installed `django-js-lib-leaflet` package there; nothing third-party is
committed.
"""

from __future__ import annotations

import importlib.util
import shutil
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
LEAFLET_JS_URL = f"{STATIC_URL_FROM_COMPONENT}/leaflet/leaflet.js"
LEAFLET_CSS_URL = f"{STATIC_URL_FROM_COMPONENT}/leaflet/leaflet.css"


def leaflet_source_dir() -> Path:
    spec = importlib.util.find_spec(LEAFLET_PACKAGE)
    if spec is None or spec.origin is None:
        raise RuntimeError(
            "The Leaflet package is missing: install it with pip install django-js-lib-leaflet"
        )
    return Path(spec.origin).parent / "static" / LEAFLET_PACKAGE


def install_leaflet(static_dir: Path = STATIC_DIR) -> Path:
    """Copy Leaflet into static_dir/leaflet (only files that are missing or differ)."""
    src = leaflet_source_dir()
    dst = static_dir / "leaflet"
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
