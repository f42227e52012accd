"""The standalone embed: a folder (index.html and its assets) that shows every day of
the map with the slider, Play, the layer toggles, the legend, popups and the sources,
with no Python and no server behind it.

It opens from file:// and from any static host or CDN: the atlas (lib/map_layers.py)
travels as a script (atlas.js, since a page opened from a file may not fetch one),
Leaflet comes from the installed package with its licence, and the map scripts are
the app's own files of lib/assets/, each once. Nothing is requested from outside
unless the reader turns the online tiles on. Deterministic: the same data and code
give the same bytes, and the zip (`embed_zip`) has fixed dates.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, replace
from datetime import date
from html import escape
from importlib import metadata
from pathlib import Path

from lib.basemap import DATA_ATTRIBUTION, TILE_ATTRIBUTION, TILE_URL
from lib.data import Dataset
from lib.data.dates import fmt_day
from lib.folium_parts import asset
from lib.jsonio import write_atomic_bytes
from lib.layers import default_keys, layers
from lib.map_layers import PLAY_SPEEDS, atlas, syria_bounds
from lib.offline_assets import LEAFLET_FILES, leaflet_source_dir

MAX_BYTES = 3 * 1024 * 1024  # the promise: a folder any host serves in one go
LEAFLET_DIST = "django-js-lib-leaflet"
# The map's scripts, in the order the page needs them; each is a function expression.
SCRIPTS = {
    "atlasLoader": "atlas_loader.js",
    "drawLabels": "draw_labels.js",
    "tileFallback": "tile_fallback.js",
    "fitBounds": "fit_bounds.js",
    "placeSearch": "place_search.js",
    "mapList": "map_list.js",
}
ZIP_DATE = (2024, 12, 8, 0, 0, 0)  # every file of the zip: the same bytes each time


def leaflet_licence() -> str:
    """Leaflet's licence, from the installed package that ships it."""
    text = metadata.distribution(LEAFLET_DIST).read_text("LICENSE")
    if not text:
        raise RuntimeError(f"{LEAFLET_DIST} has no LICENSE file: reinstall it")
    return text


def _map_js() -> str:
    parts = [
        "// The map's scripts, copied from the dashboard's lib/assets/ (one copy each).",
        *(f"var {name} = ({asset(file).strip()});" for name, file in SCRIPTS.items()),
        asset("embed.js"),
    ]
    return "\n".join(parts) + "\n"


@dataclass(frozen=True)
class Opening:
    """What the embed opens on (a link's #hash still wins): the day, the layers, the
    online tiles or not, and the map's view (lat, lng, zoom; None: all of Syria)."""

    day: date
    layers: tuple[str, ...]
    tiles: bool = False
    view: tuple[float, float, float] | None = None


def _config(ds: Dataset, opening: Opening | None = None) -> dict:
    days = ds.period.days()
    start = opening.day if opening and opening.day in days else ds.period.start
    known = [layer.key for layer in layers(ds)]
    shown = [k for k in known if opening and k in opening.layers] if opening else None
    return {
        "days": [d.isoformat() for d in days],
        "start": days.index(start),
        "layers": [[layer.key, layer.title, layer.proposal] for layer in layers(ds)],
        "defaults": shown if shown is not None else list(default_keys()),
        "tiles": bool(opening and opening.tiles),
        "view": list(opening.view) if opening and opening.view else None,
        "speeds": PLAY_SPEEDS,
        "bounds": syria_bounds(ds),
        "tileUrl": TILE_URL,
        "tileAttribution": TILE_ATTRIBUTION,
        "attribution": DATA_ATTRIBUTION,
    }


def _sources_html(ds: Dataset) -> str:
    items = []
    for sid, src in sorted(ds.sources.items(), key=lambda kv: (kv[1].publisher, kv[0])):
        items.append(
            f'<li id="src-{escape(sid)}">{escape(src.publisher)}, '
            f'<a href="{escape(src.url)}" target="_blank" rel="noopener noreferrer">'
            f"{escape(src.title)}</a> ({escape(src.date)})</li>"
        )
    return "\n".join(items)


def _layers_html(ds: Dataset) -> str:
    rows = []
    for layer in layers(ds):
        key = escape(layer.key)
        # a proposal's row would repeat its title: its line alone
        keys = [replace(r, text="") if r.text == layer.title else r for r in layer.legend(ds)]
        legend = "".join(f'<div class="key">{row.html()}</div>' for row in keys)
        rows.append(
            f'<label class="layer"><input type="checkbox" name="layer" value="{key}"> '
            f"{escape(layer.title)}</label>{legend}"
        )
    return "\n".join(rows)


def index_html(ds: Dataset, opening: Opening | None = None) -> str:
    """The page: the map, the day bar, the layer list and the sources."""
    start, end = fmt_day(ds.period.start), fmt_day(ds.period.end)
    template = asset("embed.html")
    return (
        template.replace("{{TITLE}}", escape(f"The fall of Aleppo, day by day ({start} to {end})"))
        .replace("{{CONFIG}}", escape(json.dumps(_config(ds, opening), ensure_ascii=False)))
        .replace("{{LAYERS}}", _layers_html(ds))
        .replace("{{SOURCES}}", _sources_html(ds))
        .replace("{{ATTRIBUTION}}", escape(DATA_ATTRIBUTION))
    )


EMBED_ID = "aleppo-map"  # the frame's id in the host page, and Pym.js's child id
# Sizes the frame from the height the embed says (lib/assets/embed.js), in the messages
# of NPR's Pym.js: a host page that already loads Pym can use pym.Parent instead.
HOST_SCRIPT = """<script>
(function () {
  var frame = document.getElementById('%(id)s');
  window.addEventListener('message', function (e) {
    if (e.source !== frame.contentWindow || typeof e.data !== 'string') return;
    var part = e.data.split('xPYMx');
    if (part[0] === 'pym' && part[1] === '%(id)s' && part[2] === 'height') {
      frame.style.height = parseInt(part[3], 10) + 'px';
    }
  });
})();
</script>"""


def default_description(ds: Dataset, opening: Opening | None = None) -> str:
    """The embed's description (its alt text) unless the publisher writes one: the
    day it opens on, in words (lib/day_panel)."""
    from lib.day_panel import day_description

    day = opening.day if opening else ds.period.start
    return f"Map of Syria. {day_description(ds, day)}"


def embed_code(
    ds: Dataset, description: str | None = None, src: str = "aleppo-map/index.html"
) -> str:
    """The code a newsroom pastes where the map goes: the frame (sized to its content,
    from 320 px wide), its description for screen readers, and a small script that
    makes no outside request."""
    start, end = fmt_day(ds.period.start), fmt_day(ds.period.end)
    title = f"The fall of Aleppo, day by day ({start} to {end}): an interactive map"
    text = description if description is not None else default_description(ds)
    hidden = (
        "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);"
        "white-space:nowrap"
    )
    return (
        f'<div class="{EMBED_ID}-embed">\n'
        f'<iframe id="{EMBED_ID}" src="{escape(src)}?childId={EMBED_ID}" '
        f'title="{escape(title)}" aria-describedby="{EMBED_ID}-description" '
        f'style="width:100%;min-width:300px;height:640px;border:0" loading="lazy"></iframe>\n'
        f'<p id="{EMBED_ID}-description" style="{hidden}">{escape(text)}</p>\n'
        f"{HOST_SCRIPT % {'id': EMBED_ID}}\n</div>\n"
    )


def files(
    ds: Dataset,
    opening: Opening | None = None,
    description: str | None = None,
    folder: str = EMBED_ID,
) -> dict[str, bytes]:
    """Every file of the embed, by its path in the folder; it opens on `opening` (the
    app's download: what the reader was looking at), else the period's first day.
    embed-code.html is the code to paste into a page beside the folder `folder`, with
    `description` as the map's alt text (default: the opening day in words)."""
    data = json.dumps(atlas(ds), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    leaflet = leaflet_source_dir()
    out = {
        "index.html": index_html(ds, opening).encode("utf-8"),
        "atlas.js": f"window.ATLAS = {data};\n".encode(),
        "map.js": _map_js().encode("utf-8"),
        "map.css": (asset("map.css") + asset("embed.css")).encode("utf-8"),
        "leaflet/LICENSE.txt": leaflet_licence().encode("utf-8"),
        "embed-code.html": embed_code(
            ds,
            description if description is not None else default_description(ds, opening),
            f"{folder}/index.html",
        ).encode("utf-8"),
    }
    for name in LEAFLET_FILES:
        out[f"leaflet/{name}"] = (leaflet / name).read_bytes()
    total = sum(len(b) for b in out.values())
    if total > MAX_BYTES:
        raise RuntimeError(f"the embed would be {total / 1e6:.1f} MB, over its 3 MB limit")
    return out


def write_embed(
    ds: Dataset, out_dir, opening: Opening | None = None, description: str | None = None
) -> tuple[Path, int]:
    """Write the embed into `out_dir` (made if missing); its index.html and size."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = files(ds, opening, description, out.resolve().name)
    for name, data in written.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic_bytes(path, data)
    return out / "index.html", sum(len(b) for b in written.values())


def embed_zip(ds: Dataset, opening: Opening | None = None, description: str | None = None) -> bytes:
    """The embed as a zip with a folder `aleppo-map/` (the app's download)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in sorted(files(ds, opening, description).items()):
            info = zipfile.ZipInfo(f"{EMBED_ID}/{name}", date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return buf.getvalue()
