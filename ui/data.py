"""Cached access to the dataset and to the display layers."""

from __future__ import annotations

import functools
import json
import logging
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from pathlib import Path

import streamlit as st

from lib import atlas_files, map_layers
from lib.data import Dataset, geodata_dir
from lib.data.errors import DataError
from lib.day_panel import day_panel_html
from lib.export import layers_geojson, zones_geojson
from lib.figures import places_in_zone, rows_csv, table_rows
from lib.layers import by_key, load, proposals
from lib.offline_assets import STATIC_DIR, install_leaflet
from lib.text import md_escape

_log = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def ensure_offline_assets() -> str:
    """Copy Leaflet into ./static once per server process."""
    return str(install_leaflet())


def geodata_signature() -> tuple:
    """Changes whenever a file of the geodata folder changes: the dataset's cache key."""
    root = geodata_dir()
    try:
        files = tuple(
            (p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(root.iterdir())
        )
    except OSError:
        files = ()  # a missing folder: load_dataset says so
    return (str(root), files)


@st.cache_resource(show_spinner="Loading the map data...", max_entries=2)
def _load(signature: tuple) -> Dataset:
    return load(signature[0])


@st.cache_resource
def _last_good() -> dict:
    return {}


def dataset() -> Dataset:
    """The dataset; on bad data, the last good one with a warning, or an error page."""
    holder = _last_good()
    try:
        ds = _load(geodata_signature())
    except DataError as exc:
        # the log keeps the folder; a reader sees each file's name and its problem
        _log.warning("the data in %s is not valid:\n%s", geodata_dir(), exc)
        # a problem quotes the data (an id, a value): shown as text, never as markdown
        problems = "\n".join(f"- {md_escape(p, 300)}" for p in exc.problems[:20])
        if "dataset" in holder:
            st.warning(
                "The data files changed and are not valid; showing the last good data.\n\n"
                + problems
            )
            return holder["dataset"]
        st.error("The map data could not be loaded:\n\n" + problems)
        st.stop()
    holder["dataset"] = ds
    return ds


# One writer thread for atlases: a first visit need not wait for its atlas (below).
_ATLAS_WRITER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="atlas-writer")


@st.cache_resource(show_spinner=False, max_entries=2)
def _atlas_job(_ds: Dataset, signature: tuple) -> tuple[Path, str, Future]:
    path, url = atlas_files.atlas_target(_ds, STATIC_DIR)
    return path, url, _ATLAS_WRITER.submit(atlas_files.write_atlas, _ds, STATIC_DIR)


def atlas_url(ds: Dataset) -> str:
    """The URL of the file with every layer of every day, written once per dataset.

    It is written in a background thread: the page (and the map's frame, Leaflet...)
    loads meanwhile, and the map waits for the file if it is not there yet. That takes
    the writing off a first visit's critical path."""
    signature = geodata_signature()
    path, url, job = _atlas_job(ds, signature)
    if job.done():
        error = job.exception()
        # failed, or removed or damaged since (checked by content): written again
        if error is not None or not atlas_files.atlas_intact(path):
            _atlas_job.clear()
            _atlas_job(ds, signature)
            if error is not None:
                # the error names server paths: the log keeps it, the reader gets the gist
                _log.error("writing the atlas failed: %r", error)
                st.error(
                    "The map could not be prepared; trying again. Reload the page in a moment."
                )
    return url


def rewrite_atlas() -> None:
    """Write the atlas of the data in use again (its file was found damaged when a
    browser asked for it, ui/http_cache); the map's loader waits for it meanwhile."""
    ds = _last_good().get("dataset")
    if ds is None:
        return
    signature = geodata_signature()
    job = _atlas_job(ds, signature)[2]
    if job.done():  # not while a write is under way
        _atlas_job.clear()
        _atlas_job(ds, signature)


@st.cache_data(show_spinner=False, max_entries=512)
def _layer_geojson(key: str, day: date, _ds: Dataset, signature: tuple) -> dict:
    """Display GeoJSON of one layer on a date (a fresh copy for every caller)."""
    return map_layers.day_layer(_ds, key, day)


@st.cache_data(show_spinner=False, max_entries=512)
def _day_panel(day: date, layers: tuple[str, ...], _ds: Dataset, signature: tuple) -> str:
    """The HTML of the panel beside the map: every reader of a day and set of layers
    gets the same, so it is made once (it reads the control zones, captures, events)."""
    return day_panel_html(_ds, day, layers)


@st.cache_data(show_spinner=False, max_entries=64)
def _export_json(day: date, layers: tuple[str, ...], _ds: Dataset, signature: tuple) -> str:
    """The download: the shown layers as of `day`, as the CLI's export."""
    shown = [by_key(_ds)[k] for k in layers if k in by_key(_ds)]
    chosen = list(dict.fromkeys(layer.export_name for layer in shown))  # once each
    proposals = [layer.key for layer in shown if layer.proposal]
    doc = layers_geojson(_ds, day, chosen, proposal_ids=proposals)
    return json.dumps(doc, ensure_ascii=False)


@st.cache_data(show_spinner=False, max_entries=16)
def _graphic(day, keys: tuple, fmt: str, frame, _ds: Dataset, signature: tuple) -> bytes:
    """A publication graphic (lib/graphic.py); fmt 'PNG' or 'SVG'."""
    from lib import graphic

    return graphic.render(_ds, day, keys, fmt.lower(), frame)


_VIDEOS: dict = {}  # (keys, format, shape, data) -> bytes: a video is made once per server


def video(keys: tuple, fmt: str, shape: str, progress, ds: Dataset) -> bytes:
    """The offensive as a video or GIF (lib/animate.py), made once for these choices
    and this data; `progress(done, total)` follows the days drawn."""
    from lib.animate import animate

    key = (keys, fmt, shape, geodata_signature())
    if key not in _VIDEOS:
        if len(_VIDEOS) > 4:
            _VIDEOS.clear()
        _VIDEOS[key] = animate(ds, fmt.lower(), keys, shape, progress)
    return _VIDEOS[key]


@st.cache_data(show_spinner=False, max_entries=8)
def _embed_zip(opening, description: str, _ds: Dataset, signature: tuple) -> bytes:
    """The standalone embed as a zip (lib/embed.py), opening on `opening`, with its
    description."""
    from lib.embed import embed_zip

    return embed_zip(_ds, opening, description)


@st.cache_data(show_spinner=False, max_entries=1024)
def _compare_layer(kind: str, a, b, day: date, _ds: Dataset, signature: tuple) -> dict:
    """Display GeoJSON of a ring (a, b: proposal ids) or a what-if zone (a: miles)."""
    if kind == "ring":
        return proposals.ring_display(_ds, a, b, day)
    return proposals.whatif_display(_ds, float(a), day)


@st.cache_data(show_spinner=False, max_entries=256)
def _comparison_rows(day, proposals: tuple, whatif, _ds: Dataset, signature: tuple) -> list:
    return table_rows(_ds, day, proposals, whatif)


@st.cache_data(show_spinner=False, max_entries=64)
def _comparison_csv(day, proposals: tuple, whatif, _ds: Dataset, signature: tuple) -> str:
    return rows_csv(_ds, table_rows(_ds, day, proposals, whatif))


@st.cache_data(show_spinner=False, max_entries=64)
def _zones_json(day, proposals: tuple, whatif, _ds: Dataset, signature: tuple) -> str:
    return json.dumps(zones_geojson(_ds, day, proposals, whatif), ensure_ascii=False)


@st.cache_data(show_spinner=False, max_entries=256)
def _places_table(miles: float, day, _ds: Dataset, signature: tuple):
    return places_in_zone(_ds, miles, day).reset_index(drop=True)


def warm_up() -> None:
    """Load what the first reader after a start would otherwise wait for: the modules
    the pages import, the data, and the map's atlas. Run once before the server takes
    readers (app.py). It only saves time: anything that fails here is logged and left
    to the page, which reports and retries it with the same checks."""
    # st.cache_* outside a script run warns once per call that it has no script context
    quiet = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        # streamlit_folium itself must be imported in a script run (its component
        # registers only there); folium.plugins is most of its import time
        import folium.plugins  # noqa: F401

        # st.set_page_config checks the page's icon against every emoji, a regular
        # expression Streamlit compiles on first use: ~0.15 s of the first page
        from streamlit.string_util import is_emoji

        from ui.page import PAGE_ICON

        is_emoji(PAGE_ICON)

        ensure_offline_assets()
        signature = geodata_signature()
        ds = _load(signature)
        _last_good()["dataset"] = ds  # for rewrite_atlas, before any page has run
        _atlas_job(ds, signature)[2].exception()  # waits for the writer
    except DataError:
        pass  # the page lists the problems
    except Exception as exc:  # noqa: BLE001 - a warm-up must never stop the server
        logging.getLogger(__name__).warning("warm-up skipped, the first page will retry: %s", exc)
    finally:
        quiet.setLevel(level)


def _keyed(cached):
    """A cached function the pages call with the dataset last: the cache key is the
    data folder's signature, added here, so no page handles it."""

    @functools.wraps(cached)
    def call(*args):
        *rest, ds = args
        return cached(*rest, ds, geodata_signature())

    return call


layer_geojson = _keyed(_layer_geojson)
day_panel = _keyed(_day_panel)
export_json = _keyed(_export_json)
graphic = _keyed(_graphic)
embed_zip = _keyed(_embed_zip)
compare_layer = _keyed(_compare_layer)
comparison_rows = _keyed(_comparison_rows)
comparison_csv = _keyed(_comparison_csv)
zones_json = _keyed(_zones_json)
places_table = _keyed(_places_table)
