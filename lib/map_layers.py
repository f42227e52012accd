"""The page's map (`base_map`) and the atlas: every layer of every day, shipped to the
browser once. Its parts: lib/folium_parts.py (folium objects that add text as it is)
and lib/basemap.py (the offline basemap and the online tiles).

The layers themselves (their display GeoJSON, export and legend) live in lib/layers/,
one module a layer. Two steps, so that the app can cache the first (plain dicts) and
rebuild the cheap second on every run:

- `layer.display(ds, day)` -> a FeatureCollection dict whose features carry a `style`
  and ready-made, HTML-escaped `tip` (tooltip) and `info` (popup) strings;
- `feature_group(key, geojson)` -> a folium.FeatureGroup.

The base map (`base_map`) never changes, so st_folium never remounts it: every
layer, basemaps included, travels as a feature group.
"""

from __future__ import annotations

import json
from datetime import date
from html import escape

import folium
import shapely
from jinja2 import Template

from lib.basemap import DATA_ATTRIBUTION, TILE_ATTRIBUTION, TILE_URL, basemap_geojson
from lib.data import Dataset
from lib.data.cache import per_dataset
from lib.data.dates import fmt_day
from lib.data.geo import to_metric, to_wgs84
from lib.data.records import CONTESTED, UNCLEAR
from lib.day_panel import day_description, day_facts_html
from lib.folium_parts import (
    AssetCall,
    Attribution,
    InertMacro,
    Text,
    asset,
)
from lib.layers import by_key, layers
from lib.layers.common import DISPLAY_TOLERANCE_M, collection, feature
from lib.layers.proposals import figures_text, held_text
from lib.offline_assets import leaflet_css_url, leaflet_js_url
from lib.search import cards_for_browser, index_for_browser

CENTER = (35.45, 38.3)  # Syria, its north in the upper half
ZOOM = 7
PLAY_SPEEDS = {"Slow": 2.0, "Normal": 1.0, "Fast": 0.5}  # seconds a day: the app's, the embed's


def point_geojson(lon: float, lat: float, tip: str) -> dict:
    """A marker for a point the user clicked; `tip` must already be escaped."""
    style = {
        "radius": 7,
        "color": "#000000",
        "weight": 2,
        "fillColor": "#ffffff",
        "fillOpacity": 1.0,
    }
    return collection([feature(shapely.Point(lon, lat), style, tip, tip, layer="point")])


def base_map(bounds: list | None = None, view=None) -> folium.Map:
    """The fixed base map: Leaflet from our own server, no tiles, no CDN assets.
    The first view: `view` (lat, lng, zoom) if given, else `bounds` ([[south, west],
    [north, east]]) fitted to the frame."""
    fmap = folium.Map(
        location=list(view[:2]) if view else CENTER,
        zoom_start=view[2] if view else ZOOM,
        tiles=None,
        min_zoom=5,
        max_zoom=12,
        prefer_canvas=True,
        control_scale=True,
        zoom_snap=0.25,  # the first view can fit Syria to the frame exactly
    )
    # Only Leaflet itself, served by the app (lib/offline_assets.py): no jQuery,
    # Bootstrap or icon fonts from CDNs.
    fmap.default_js = [("leaflet", leaflet_js_url())]
    fmap.default_css = [("leaflet_css", leaflet_css_url())]
    fmap.get_root().header.add_child(Text(f"<style>{asset('map.css')}</style>"), name="map_css")
    Attribution(DATA_ATTRIBUTION).add_to(fmap)
    AssetCall("no_scroll_focus.js", None).add_to(fmap)
    AssetCall("pinch_zoom.js", None).add_to(fmap)
    if bounds and not view:
        AssetCall("fit_bounds.js", bounds).add_to(fmap)
    return fmap


# ---------------------------------------------------------------------------
# The atlas: every layer on every day, shipped to the browser once.
#
# Scrubbing the date then sends one line of script ("show day 5 with these layers")
# instead of every layer again. Features that look the same on several days are
# stored once, with the variant (style, tooltip, popup) to use on each day.


def atlas_layer_keys(ds: Dataset) -> tuple[str, ...]:
    """Draw order, bottom to top."""
    return tuple(layer.key for layer in layers(ds))


def day_layer(ds: Dataset, key: str, day: date) -> dict:
    """Display GeoJSON of one layer (a base layer or a proposal id) on `day`."""
    return by_key(ds)[key].display(ds, day)


@per_dataset(maxsize=4)
def atlas(ds: Dataset) -> dict:
    """{"days": [...], "order": [...], "layers": {key: {"features": [{"g": geometry,
    "v": [variant index or None, a day each]}], "variants": [[style, tip, info]]}}}"""
    days = ds.period.days()
    layers = {}
    for key in atlas_layer_keys(ds):
        variants: dict[tuple, int] = {}
        features: dict[tuple, dict] = {}
        for i, day in enumerate(days):
            for f in day_layer(ds, key, day)["features"]:
                props = f["properties"]
                geometry = json.dumps(f["geometry"], separators=(",", ":"))
                fkey = (props.get("id") or props.get("controller") or f["id"], geometry)
                style = {k: v for k, v in props["style"].items() if v is not None}
                vkey = (json.dumps(style, sort_keys=True), props["tip"], props["info"])
                v = variants.setdefault(vkey, len(variants))
                entry = features.setdefault(fkey, {"g": f["geometry"], "v": [None] * len(days)})
                entry["v"][i] = v
        layers[key] = {
            "features": list(features.values()),
            "variants": [[json.loads(s), tip, info] for s, tip, info in variants],
        }
    countries, labels = basemap_geojson(ds)
    return {
        # each day's panel and its words (lib/day_panel): what the browser shows beside
        # the map for the day Play or the slider is on, with no server asked
        DAY_FACTS: [day_facts_html(ds, d) for d in days],
        DAY_WORDS: [day_description(ds, d) for d in days],
        # the search box's index and the cards it opens (lib/search.py)
        SEARCH: {"index": index_for_browser(ds), "cards": cards_for_browser(ds)},
        "legend": map_legend(ds),
        # each proposal's line in the key, shown while its zone is: [label, colour, dash]
        "lines": {p.id: [p.label, p.color, p.dash] for p in ds.proposals},
        "days": [d.isoformat() for d in days],
        "labels": [fmt_day(d) for d in days],  # as the page's slider names them
        "order": list(atlas_layer_keys(ds)),
        "layers": layers,
        "basemap": {"countries": countries, "labels": labels},
    }


def map_legend(ds: Dataset) -> list[list]:
    """[short name, colour, hatched] of every holder the control zones show on some day,
    largest holder on the baseline first: the key drawn on the map."""
    from lib.control import shares

    seen: dict[str, float] = {}
    for day in ds.period.days():
        for row in shares(ds, day):
            seen[row["faction"]] = max(seen.get(row["faction"], 0.0), row["km2"])
    order = sorted(seen, key=lambda f: (f in UNCLEAR, -seen[f]))
    return [[ds.factions[f].short, ds.factions[f].color, f == CONTESTED] for f in order]


# Atlas keys of each day's panel and words: not layer keys (ids have no space), so they
# can travel in the popups file beside the layers' popups.
DAY_FACTS, DAY_WORDS, SEARCH = "day facts", "day words", "search index"


def split_popups(data: dict) -> tuple[dict, dict]:
    """(the atlas without its popups, the popups): the atlas the map loads first has
    each variant's style and tooltip ([style, tip]); a feature's popup (its `info`, half
    of the atlas's bytes) comes from a second file, {key: [info of each variant]}, which
    the map asks for once the day is drawn. A page load parses half as much before the
    first map."""
    layers = {
        key: {**spec, "variants": [v[:2] for v in spec["variants"]]}
        for key, spec in data["layers"].items()
    }
    popups = {key: [v[2] for v in spec["variants"]] for key, spec in data["layers"].items()}
    days = {k: data[k] for k in (DAY_FACTS, DAY_WORDS, SEARCH)}  # wanted once drawn
    first = {k: v for k, v in data.items() if k not in days}
    return {**first, "layers": layers}, {**popups, **days}


class _AtlasLoader(InertMacro):
    """Fetches the atlas once, draws the basemap from it, and defines
    window.__atlasShow(day, keys): shows that day's features of those layers."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "({{ this.js }})({{ this._parent.get_name() }}, {{ this.url | tojson }}, "
        "{{ this.mode | tojson }}, {{ this.tile_url | tojson }}, {{ this.tile_attr | tojson }}, "
        "{{ this.page | tojson }}, ({{ this.draw_labels }}), ({{ this.tile_fallback }}), "
        "({{ this.view_link }}), ({{ this.place_search }}), ({{ this.map_list }}));"
        "{% endmacro %}"
    )

    def __init__(self, url: str, mode: str, page: dict):
        super().__init__()
        self.url, self.mode, self.page = url, mode, page
        self.view_link = asset("view_link.js")
        self.tile_url, self.tile_attr = TILE_URL, TILE_ATTRIBUTION
        self.js = asset("atlas_loader.js")
        self.draw_labels = asset("draw_labels.js")
        self.tile_fallback = asset("tile_fallback.js")
        self.place_search = asset("place_search.js")
        self.map_list = asset("map_list.js")


class _AtlasStep(InertMacro):
    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{% if this.then_rest %}window.__atlasThenRest({{ this.then_rest | tojson }});{% endif %}"
        "{% if this.seconds %}"
        "window.__atlasPlay({{ this.day }}, {{ this.keys | tojson }}, {{ this.seconds }});"
        "{% else %}"
        "window.__atlasShow({{ this.day }}, {{ this.keys | tojson }});"
        "{% endif %}"
        "{% endmacro %}"
    )

    def __init__(self, day: int, keys, seconds: float | None = None, then_rest: str | None = None):
        super().__init__()
        self.day, self.keys, self.seconds = day, list(keys), seconds
        self.then_rest = then_rest


def atlas_map(url: str, basemap: str, bounds, view=None, page: dict | None = None) -> folium.Map:
    """The map page's fixed base map: Leaflet, and the loader of the atlas at `url`.
    It changes only with the data, the basemap or the view a link opened it on, so
    st_folium never remounts it while the user scrubs or toggles.

    `bounds`: [[south, west], [north, east]], the first view unless `view` (lat, lng,
    zoom) is given. `page`: what the script is told of the page around the map (its
    slider, Pause button, day panel and the names of Play's hand-over): the protocol
    ui/page_map.py owns; None for a map with no such page (the Story's)."""
    fmap = base_map(bounds, view)
    _AtlasLoader(url, basemap, page or {}).add_to(fmap)
    return fmap


def syria_bounds(ds: Dataset) -> list[list[float]]:
    """[[south, west], [north, east]] of Syria: every map's first view."""
    minx, miny, maxx, maxy = ds.syria.bounds
    return [[round(miny, 3), round(minx, 3)], [round(maxy, 3), round(maxx, 3)]]


def atlas_step(
    ds: Dataset, day: date, keys, play_seconds: float | None = None, then_rest: str | None = None
):
    """The one line of script a slider step or a toggle sends: show `day`, or, with
    `play_seconds`, play the days from it in the browser, that many seconds a day.
    `then_rest`: no run has drawn the whole page yet in the session of that id; the map
    asks for one once it is ready, once per session (ui/state.rest_wanted;
    lib/assets/atlas_loader.js says when)."""
    group = folium.FeatureGroup(name="step")
    _AtlasStep(ds.period.days().index(day), keys, play_seconds, then_rest).add_to(group)
    return group


def story_step(ds: Dataset, step, heading: str = "") -> folium.FeatureGroup:
    """A story step (a lib.data.StoryStep): the atlas shows its day and layers, the
    map moves to its bounds from wherever it was, names the sites and places the step
    is about, and a screen reader hears `heading`."""
    group = atlas_step(ds, step.map_date, step.layers + step.proposals)
    labels = []
    for key in step.labels:
        row = ds.sites.loc[key] if key in ds.sites.index else ds.places.loc[key]
        labels.append([round(row.geometry.y, 5), round(row.geometry.x, 5), str(row["name"])])
    data = {"bounds": [list(b) for b in step.bounds], "labels": labels, "announce": heading}
    AssetCall("story_view.js", data, on_map=True).add_to(group)
    return group


def zone_key(rows: list[list]) -> folium.FeatureGroup:
    """The compare map's key (lib/assets/zone_key.js): [label, colour, dashed, kind] a
    zone drawn, kind 'line' (an outline) or 'fill' (a ring's shading)."""
    group = folium.FeatureGroup(name="zone_key")
    AssetCall("zone_key.js", rows, on_map=True).add_to(group)
    return group


USER_COLOR = "#00897b"


def user_layer_geojson(ds: Dataset, layer, figs: dict) -> dict:
    """A user's uploaded zone, drawn in teal; its name is escaped like all data."""
    geom = to_wgs84(to_metric(layer.geometry).simplify(DISPLAY_TOLERANCE_M / 5))
    name = escape(layer.name)
    tip = f'<div class="map-tip"><b>{name}</b> (your layer)<br>{figures_text(figs)}</div>'
    info = (
        f'<div class="map-tip"><b>{name}</b> (your layer)<br>{figures_text(figs)}; held: '
        f"{held_text(ds, figs['faction_area_km2'])}</div>"
    )
    style = {
        "color": USER_COLOR,
        "weight": 3,
        "fillColor": USER_COLOR,
        "fillOpacity": 0.15,
        "dashArray": "1 6",
    }
    return collection([feature(geom, style, tip, info, id="user_layer", layer="user_layer")])
