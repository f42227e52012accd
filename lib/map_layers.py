"""Map layers: display GeoJSON for each layer on a date, and the folium objects.

Two steps, so that the app can cache the first (plain dicts) and rebuild the cheap
second on every run:

- `*_geojson(ds, day)` -> a FeatureCollection dict whose features carry a `style`
  and ready-made, HTML-escaped `tip` (tooltip) and `info` (popup) strings;
- `feature_group(key, geojson)` -> a folium.FeatureGroup.

The base map (`base_map`) never changes, so st_folium never remounts it: every
layer, basemaps included, travels as a feature group.

Every string from the data goes through `html.escape` here: folium's
GeoJsonTooltip and GeoJsonPopup insert property values as HTML.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from functools import lru_cache
from html import escape
from pathlib import Path

import folium
import shapely
from branca.element import Element, MacroElement
from jinja2 import Template

from lib.buffers import buffer_zone_metric
from lib.control import captured_places, control_zones_metric, events_until, sites_on
from lib.dates import OFFENSIVE_START, all_dates
from lib.export import geometry_json
from lib.figures import ring_figures, zone_figures
from lib.geo import to_metric, to_wgs84
from lib.geodata import CONTESTED, Dataset
from lib.jsonio import write_atomic
from lib.offline_assets import LEAFLET_CSS_URL, LEAFLET_JS_URL, STATIC_URL_FROM_COMPONENT
from lib.sources import source_links_html

CENTER = (35.45, 38.3)  # Syria, its north in the upper half
ZOOM = 7
BASE_LAYERS = ("control", "sites", "captured", "events")
DEFAULT_LAYERS = ("control", "sites", "captured", "events")
LAYER_TITLES = {
    "control": "Control zones",
    "sites": "Bases and sites",
    "captured": "Captured towns",
    "events": "Events",
}
BASEMAPS = {"auto": "Online tiles", "offline": "Offline"}
DEFAULT_BASEMAP = "auto"
TILE_URL = "https://{s}.basemaps.cartocdn.com/light_nolabels/{z}/{x}/{y}{r}.png"
TILE_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
    'contributors &copy; <a href="https://carto.com/attributions">CARTO</a>'
)
# Labelled on the basemap besides cities over 100,000: the towns the story turns on.
LABELLED_PLACES = (
    "afrin",
    "azaz",
    "al-bab",
    "jarablus",
    "manbij",
    "tel-rifaat",
    "kobani",
    "tell-abyad",
    "ras-al-ain",
    "saraqib",
    "maaret-al-numan",
    "khan-sheikhun",
    "latakia",
    "tartus",
    "palmyra",
    "qamishli",
)
DATA_ATTRIBUTION = "Borders: Natural Earth | Rivers: GSHHG (LGPL) | Places: GeoNames (CC BY 4.0)"
RIVER_COLOR = "#5b9bd5"
DISPLAY_TOLERANCE_M = 250  # display simplification of zones; below a pixel at zoom 8
BUFFER_STYLES = {  # stroke colour and dash by depth: readable where zones nest
    3: ("#08306b", None),
    6: ("#2171b5", "8 4"),
    10: ("#6a51a3", None),
    22: ("#cb181d", "10 5"),
    30: ("#252525", "3 5"),
}
KIND_LABELS = {
    "air_base": "Air base",
    "naval_base": "Naval base",
    "military_academy": "Military academy",
    "military_base": "Military base",
    "power_station": "Power station",
    "military_industry": "Military industry",
    "missile_system": "Missile system",
}
MAP_CSS = """
<style>
.leaflet-container { background: #d4e3ec; font-family: system-ui, sans-serif; }
.place-label, .country-label { white-space: nowrap; pointer-events: none; }
.place-label span { font-size: 11px; color: #222;
  text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 1px #fff; }
.country-label span { display: inline-block; transform: translate(-50%, -50%); font-size: 13px;
  letter-spacing: 3px; text-transform: uppercase; color: #8a8a8a; }
.map-tip b { font-size: 13px; } .map-tip .muted { color: #666; }
.map-tip .approx { color: #a04000; font-style: italic; }
</style>
"""


def fmt_day(day: date) -> str:
    return f"{day.day} {day.strftime('%b %Y')}"


def _source_line(ds: Dataset, source_ids: str) -> str:
    """The sources of a feature as links (escaped HTML), for its popup."""
    return source_links_html(ds, source_ids)


def _faction(ds: Dataset, fid: str) -> str:
    return escape(ds.factions[fid].short)


def _known(value):
    """None for missing values (None, NaN, NaT), else the value."""
    return None if value is None or value != value else value


def _fc(features: list[dict]) -> dict:
    """A FeatureCollection whose features all have an id: folium's GeoJson writes ids
    into features that lack one, which would mutate our cached layers."""
    for i, feature in enumerate(features):
        feature.setdefault("id", str(i))
    return {"type": "FeatureCollection", "features": features}


DISPLAY_DECIMALS = 4  # about 10 m: finer than the 250 m display simplification


def _feature(geom, style: dict, tip: str, info: str, **props) -> dict:
    """A display feature; `geom` is a shapely geometry or an already rounded dict."""
    return {
        "type": "Feature",
        "properties": {"style": style, "tip": tip, "info": info, **props},
        "geometry": geom if isinstance(geom, dict) else geometry_json(geom, DISPLAY_DECIMALS),
    }


@lru_cache(maxsize=256)
def _zone_display(ds: Dataset, miles: float, inner_miles: float | None = None) -> dict:
    """The display geometry of a zone (or of the ring between two depths): the same on
    every date, so computed once."""
    zone = buffer_zone_metric(ds, miles)
    if inner_miles is not None:
        zone = zone.difference(buffer_zone_metric(ds, inner_miles))
    return geometry_json(to_wgs84(zone.simplify(DISPLAY_TOLERANCE_M)), DISPLAY_DECIMALS)


# ---------------------------------------------------------------------------
# Display GeoJSON per layer (plain dicts: cacheable)


CONTESTED_STYLE = {"color": "#424242", "weight": 1.5, "dashArray": "4 3", "fillOpacity": 0.5}


def _zone_facts(ds: Dataset, row, day: date) -> str:
    """The lines of a zone's tooltip and popup: area, share, what it gained today."""
    gained = ""
    if row.gained_km2 > 0.5:
        gained = f"<br>{row.gained_km2:,.0f} km&sup2; of it taken on {fmt_day(day)}"
    return f"{row.area_km2:,.0f} km&sup2;, {row.share:.1%} of Syria, on {fmt_day(day)}{gained}"


@lru_cache(maxsize=64)
def control_geojson(ds: Dataset, day: date) -> dict:
    zones = control_zones_metric(ds, day)
    # coverage_simplify keeps shared edges shared: no slivers between zones
    simple = shapely.coverage_simplify(zones.geometry.values, DISPLAY_TOLERANCE_M)
    feats = []
    for row, geom in zip(zones.itertuples(), simple):
        fac = ds.factions[row.controller]
        contested = row.controller == CONTESTED
        title = "Contested or unclear" if contested else f"Held by {escape(fac.name)}"
        claim = ""
        if contested and row.contested_by:
            claim = "<br>Claimed or fought over by: " + escape(
                ", ".join(ds.factions[f].short for f in row.contested_by)
            )
        why = f"<br>{escape(row.reason)}" if contested else ""
        facts = _zone_facts(ds, row, day)
        tip = f'<div class="map-tip"><b>{title}</b><br>{facts}{why}</div>'
        names = ", ".join(row.area_names[:6]) + (
            f" and {len(row.area_names) - 6} more" if len(row.area_names) > 6 else ""
        )
        info = (
            f'<div class="map-tip"><b>{title}</b><br>{facts}{claim}{why}<br>'
            f"Areas: {escape(names)}<br>Confidence: {escape(row.confidence)}. "
            f'<span class="approx">Edges drawn along the lines the front followed; '
            f"see the method.</span><br>"
            f'<span class="muted">{_source_line(ds, row.source)}</span></div>'
        )
        style = {"fillColor": fac.color, "color": "#ffffff", "weight": 1, "fillOpacity": 0.38}
        if contested:
            style = {**style, **CONTESTED_STYLE}
        feats.append(
            _feature(to_wgs84(geom), style, tip, info, controller=row.zone, layer="control")
        )
    return _fc(feats)


@lru_cache(maxsize=64)
def sites_geojson(ds: Dataset, day: date) -> dict:
    feats = []
    for row in sites_on(ds, day).itertuples():
        fac = ds.factions[row.controller]
        changed = row.controller_since == day and day > OFFENSIVE_START
        approx = '<br><span class="approx">Position approximate</span>' if row.approximate else ""
        since = row.controller_since
        since_text = f" since {fmt_day(since)}" if since > OFFENSIVE_START else ""
        tip = (
            f'<div class="map-tip"><b>{escape(row.name)}</b><br>'
            f"{escape(KIND_LABELS.get(row.kind, row.kind))}, held by {escape(fac.short)}"
            f"{since_text}{approx}</div>"
        )
        info = (
            f'<div class="map-tip"><b>{escape(row.name)}</b><br>'
            f"Kind: {escape(KIND_LABELS.get(row.kind, row.kind))}<br>"
            f"Operator: {escape(row.operator)}<br>"
            f"Held by: {escape(fac.name)} "
            f"(since {fmt_day(row.controller_since)}; confidence {escape(row.control_confidence)})"
            f"<br>{escape(row.control_note)}<br>{escape(row.note)}{approx}<br>"
            f'<span class="muted">{_source_line(ds, row.source)}</span></div>'
        )
        style = {
            "radius": 8 if changed else 6,
            "color": "#000000",
            "weight": 2.5 if changed else 1.5,
            "fillColor": fac.color,
            "fillOpacity": 0.95,
            "dashArray": "3 3" if row.approximate else None,
        }
        feats.append(_feature(row.geometry, style, tip, info, id=row.id, layer="sites"))
    return _fc(feats)


@lru_cache(maxsize=64)
def captured_geojson(ds: Dataset, day: date) -> dict:
    feats = []
    for row in captured_places(ds, day).itertuples():
        fac = ds.factions[row.captured_by]
        today = row.captured_on == day
        known = _known(row.population)
        pop = f"; population {int(known):,}" if known else ""
        tip = (
            f'<div class="map-tip"><b>{escape(row.name)}</b>'
            f"{' &ndash; taken today' if today else ''}<br>"
            f"Taken by {_faction(ds, row.captured_by)} on {fmt_day(row.captured_on)} "
            f"from {_faction(ds, row.held_before)}</div>"
        )
        info = (
            f'<div class="map-tip"><b>{escape(row.name)}</b>{pop}<br>'
            f"Taken by {escape(fac.name)} on {fmt_day(row.captured_on)} "
            f"(confidence {escape(row.confidence)})<br>{escape(row.note)}<br>"
            f'<span class="muted">{_source_line(ds, row.source)}</span></div>'
        )
        style = {
            "radius": 9 if today else 5,
            "color": "#ffeb3b" if today else "#ffffff",
            "weight": 3 if today else 1.5,
            "fillColor": fac.color,
            "fillOpacity": 1.0,
            "dashArray": "2 2" if row.confidence == "low" else None,
        }
        feats.append(
            _feature(row.geometry, style, tip, info, id=row.id, layer="captured", today=today)
        )
    return _fc(feats)


@lru_cache(maxsize=64)
def events_geojson(ds: Dataset, day: date) -> dict:
    feats = []
    for row in events_until(ds, day).itertuples():
        if row.geometry is None:
            continue  # not located: listed beside the map, not drawn
        end = _known(row.end_date) or row.date
        current = row.date <= day <= end and row.date_precision == "day"
        line = row.geometry.geom_type == "LineString"
        history = row.date < OFFENSIVE_START
        when = escape(row.date_label) if row.date_label else fmt_day(row.date)
        approx = '<br><span class="approx">Location approximate</span>' if row.approximate else ""
        quote = f"<br><i>&ldquo;{escape(row.quote)}&rdquo;</i>" if row.quote else ""
        tip = f'<div class="map-tip"><b>{escape(row.title)}</b><br>{when}{approx}</div>'
        info = (
            f'<div class="map-tip"><b>{escape(row.title)}</b><br>{when}<br>'
            f"{escape(row.description)}{quote}<br>Confidence: {escape(row.confidence)}{approx}<br>"
            f'<span class="muted">{_source_line(ds, row.source)}</span></div>'
        )
        color = "#6d4c41" if history else ("#d81b60" if current else "#8e6c88")
        style = {
            "radius": 7 if current else 4,
            "color": color,
            "weight": 3 if line else 2,
            "fillColor": "#ffffff",
            "fillOpacity": 0.9,
            "opacity": 1.0 if current else 0.7,
            "dashArray": "6 4" if line or row.approximate else None,
        }
        feats.append(
            _feature(row.geometry, style, tip, info, id=row.id, layer="events", current=current)
        )
    return _fc(feats)


def _held_text(ds: Dataset, faction_area_km2: dict) -> str:
    return ", ".join(f"{_faction(ds, f)} {a:,.0f} km&sup2;" for f, a in faction_area_km2.items())


def _figures_text(figs: dict) -> str:
    return (
        f"{figs['area_km2']:,.0f} km&sup2; ({figs['share_of_syria']:.1%} of Syria), "
        f"{figs['places']} places"
    )


@lru_cache(maxsize=256)
def buffer_geojson(ds: Dataset, proposal_id: str, day: date) -> dict:
    proposal = next(p for p in ds.proposals if p.id == proposal_id)
    figs = zone_figures(ds, proposal.distance_mi, day)
    color, dash = BUFFER_STYLES.get(int(proposal.distance_mi), ("#333333", None))
    tip = f'<div class="map-tip"><b>{escape(proposal.label)}</b><br>{_figures_text(figs)}</div>'
    info = (
        f'<div class="map-tip"><b>{escape(proposal.label)}</b><br>'
        f"Proposed by {escape(proposal.proposed_by)}, {escape(proposal.date_label)}<br>"
        f"Terms: {escape(proposal.terms)}<br><i>&ldquo;{escape(proposal.quote)}&rdquo;</i><br>"
        f"Area {figs['area_km2']:,.0f} km&sup2; / {figs['area_mi2']:,.0f} sq mi, "
        f"{figs['share_of_syria']:.1%} of Syria; held on {fmt_day(day)}: "
        f"{_held_text(ds, figs['faction_area_km2'])}<br>"
        f'<span class="muted">{_source_line(ds, proposal.source)}</span></div>'
    )
    style = {
        "color": color,
        "weight": 2.5,
        "fillColor": color,
        "fillOpacity": 0.07,
        "dashArray": dash,
    }
    zone = _zone_display(ds, proposal.distance_mi)
    return _fc([_feature(zone, style, tip, info, id=proposal.id, layer=proposal.id)])


WHATIF_COLOR = "#ef6c00"


@lru_cache(maxsize=256)
def whatif_geojson(ds: Dataset, miles: float, day: date) -> dict:
    """A zone of any depth, drawn like the proposals (in orange)."""
    figs = zone_figures(ds, miles, day)
    zone = _zone_display(ds, figs["distance_mi"])
    label = f"What if: {figs['distance_mi']:g} miles"
    tip = f'<div class="map-tip"><b>{label}</b><br>{_figures_text(figs)}</div>'
    info = (
        f'<div class="map-tip"><b>{label}</b> ({figs["distance_km"]:.1f} km)<br>'
        f"{_figures_text(figs)}; held on {fmt_day(day)}: "
        f"{_held_text(ds, figs['faction_area_km2'])}</div>"
    )
    style = {
        "color": WHATIF_COLOR,
        "weight": 3,
        "fillColor": WHATIF_COLOR,
        "fillOpacity": 0.08,
        "dashArray": None,
    }
    return _fc([_feature(zone, style, tip, info, id="what_if", layer="what_if")])


@lru_cache(maxsize=256)
def ring_geojson(ds: Dataset, inner_id: str, outer_id: str, day: date) -> dict:
    """The ground a deeper proposal adds to a shallower one, as its own ring."""
    inner = next(p for p in ds.proposals if p.id == inner_id)
    outer = next(p for p in ds.proposals if p.id == outer_id)
    figs = ring_figures(ds, inner.distance_mi, outer.distance_mi, day)
    ring = _zone_display(ds, outer.distance_mi, inner.distance_mi)
    color, _ = BUFFER_STYLES.get(int(outer.distance_mi), ("#333333", None))
    label = f"What {outer.distance_mi:g} miles adds to {inner.distance_mi:g}"
    tip = f'<div class="map-tip"><b>{label}</b><br>{_figures_text(figs)}</div>'
    info = (
        f'<div class="map-tip"><b>{label}</b><br>{_figures_text(figs)}, '
        f"{figs['population']:,} people (where known); held on {fmt_day(day)}: "
        f"{_held_text(ds, figs['faction_area_km2'])}</div>"
    )
    style = {
        "color": color,
        "weight": 0,
        "fillColor": color,
        "fillOpacity": 0.22,
        "dashArray": None,
    }
    return _fc([_feature(ring, style, tip, info, id=f"ring_{inner_id}_{outer_id}", layer="ring")])


def point_geojson(lon: float, lat: float, tip: str) -> dict:
    """A marker for a point the user clicked; `tip` must already be escaped."""
    style = {
        "radius": 7,
        "color": "#000000",
        "weight": 2,
        "fillColor": "#ffffff",
        "fillOpacity": 1.0,
    }
    return _fc([_feature(shapely.Point(lon, lat), style, tip, tip, layer="point")])


@lru_cache(maxsize=4)
def basemap_geojson(ds: Dataset) -> tuple[dict, dict]:
    """(countries, labels): the offline basemap drawn from Natural Earth."""
    feats = []
    for row in ds.countries.itertuples():
        geom = to_wgs84(to_metric(row.geometry).simplify(500))
        syria = row.name == "Syria"
        style = {
            "fillColor": "#f7f5f0" if syria else "#ecebe6",
            "fillOpacity": 1.0,
            "color": "#555555" if syria else "#9a9a9a",
            "weight": 1.4 if syria else 0.8,
        }
        feats.append(_feature(geom, style, "", "", name=row.name))
    for row in ds.rivers.itertuples():  # the Euphrates was a front line: show it offline
        geom = to_wgs84(to_metric(row.geometry).simplify(300))
        style = {
            "color": RIVER_COLOR,
            "weight": 1.6 if row.id == "euphrates" else 1.1,
            "opacity": 0.9,
            "fill": False,
        }
        feats.append(_feature(geom, style, "", "", name=row.name))
    labels = []
    for row in ds.countries.itertuples():
        if row.name in ("Syria", "Cyprus", "N. Cyprus", "Palestine"):
            continue
        pt = row.geometry.representative_point()
        if row.name == "Turkey":
            pt = shapely.Point(37.5, 37.6)  # near the border, not in central Anatolia
        labels.append(
            _feature(
                pt,
                {"radius": 0, "opacity": 0, "fillOpacity": 0},
                escape(row.name),
                "",
                kind="country",
            )
        )
    places = ds.places
    major = places[places["population"].fillna(0) >= 100_000].index
    for pid in sorted((set(major) | set(LABELLED_PLACES)) & set(places.index)):
        p = places.loc[pid]
        labels.append(
            _feature(
                p.geometry,
                {
                    "radius": 2,
                    "color": "#444444",
                    "weight": 1,
                    "fillColor": "#444444",
                    "fillOpacity": 1,
                },
                escape(p["name"]),
                "",
                kind="place",
            )
        )
    return _fc(feats), _fc(labels)


# ---------------------------------------------------------------------------
# folium objects


class _TagGroup(MacroElement):
    """Marks a feature group with its layer key (read by the browser tests)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}._layerKey = {{ this.key | tojson }};"
        "{% endmacro %}"
    )

    def __init__(self, key: str):
        super().__init__()
        self.key = key


class _OfflineFallback(MacroElement):
    """Drops a tile layer at its first failed tile: the offline basemap beneath shows."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "(function(t, countries){t.on('tileerror', function(){"
        " if (t._map) { t._map.attributionControl.addAttribution('Offline basemap');"
        " t.remove(); countries.setStyle(function(f) { return f.properties.style; });"
        " document.documentElement.dataset.basemap = 'offline-fallback'; }"
        "});})({{ this._parent.get_name() }}, {{ this.countries.get_name() }});"
        "{% endmacro %}"
    )

    def __init__(self, countries):
        super().__init__()
        self.countries = countries


# Draws basemap labels into a Leaflet group: shared by _Labels and the atlas loader.
DRAW_LABELS_JS = """function(group, labels) {
  labels.features.forEach(function(f) {
    var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]], p = f.properties;
    if (p.kind === 'place') {
      L.circleMarker(ll, Object.assign({interactive: false}, p.style)).addTo(group); }
    L.marker(ll, {interactive: false, keyboard: false, icon: L.divIcon({
      className: p.kind + '-label', html: '<span>' + p.tip + '</span>', iconSize: null,
      iconAnchor: p.kind === 'place' ? [-5, 8] : [0, 0]})}).addTo(group);
  });
}"""


class _Labels(MacroElement):
    """Text labels as divIcon markers: placed by an anchor, not by measuring the
    label (Leaflet's CSS may still be loading when the map script runs, so measured
    tooltips land in the wrong place). The label text is already HTML-escaped."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "({{ this.draw }})({{ this._parent.get_name() }}, {{ this.data | tojson }});"
        "{% endmacro %}"
    )

    def __init__(self, data: dict):
        super().__init__()
        self.data = data
        self.draw = DRAW_LABELS_JS


class _Attribution(MacroElement):
    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text | tojson }});"
        "{% endmacro %}"
    )

    def __init__(self, text: str):
        super().__init__()
        self.text = text


def _style(feature):
    return {k: v for k, v in feature["properties"]["style"].items() if v is not None}


def feature_group(key: str, geojson: dict, interactive: bool = True) -> folium.FeatureGroup:
    """A feature group drawing `geojson` (from one of the *_geojson functions)."""
    group = folium.FeatureGroup(name=key)
    _TagGroup(key).add_to(group)
    if not geojson["features"]:
        return group  # e.g. no town captured yet; folium's tooltip needs a feature
    has_points = any(
        f["geometry"] and f["geometry"]["type"] == "Point" for f in geojson["features"]
    )
    layer = folium.GeoJson(
        geojson,
        style_function=_style,
        marker=folium.CircleMarker(fill=True) if has_points else None,
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True)
        if interactive
        else None,
        popup=folium.GeoJsonPopup(fields=["info"], labels=False, max_width=380)
        if interactive
        else None,
        highlight_function=(lambda f: {"weight": 3}) if interactive else None,
        interactive=interactive,
        embed=True,
    )
    layer.add_to(group)
    return group


def basemap_group(ds: Dataset, mode: str) -> folium.FeatureGroup:
    """The basemap: Natural Earth countries, labels, and online tiles unless offline."""
    countries, labels = basemap_geojson(ds)
    group = folium.FeatureGroup(name="basemap")
    opaque = mode == "offline"
    layer = folium.GeoJson(
        countries,
        style_function=_style if opaque else (lambda f: {**_style(f), "fillOpacity": 0}),
        interactive=False,
    )
    layer.add_to(group)
    if not opaque:  # tiles show through the countries until they fail
        tiles = folium.TileLayer(
            TILE_URL, attr=TILE_ATTRIBUTION, subdomains="abcd", max_zoom=19, name="tiles"
        )
        tiles.add_to(group)
        _OfflineFallback(layer).add_to(tiles)
    _Labels(labels).add_to(group)
    _TagGroup("basemap").add_to(group)
    return group


def base_map() -> folium.Map:
    """The fixed base map: Leaflet from our own server, no tiles, no CDN assets."""
    fmap = folium.Map(
        location=CENTER,
        zoom_start=ZOOM,
        tiles=None,
        min_zoom=5,
        max_zoom=12,
        prefer_canvas=True,
        control_scale=True,
    )
    # Only Leaflet itself, served by the app (lib/offline_assets.py): no jQuery,
    # Bootstrap or icon fonts from CDNs.
    fmap.default_js = [("leaflet", LEAFLET_JS_URL)]
    fmap.default_css = [("leaflet_css", LEAFLET_CSS_URL)]
    fmap.get_root().header.add_child(Element(MAP_CSS), name="map_css")
    _Attribution(DATA_ATTRIBUTION).add_to(fmap)
    return fmap


# ---------------------------------------------------------------------------
# Legend (HTML for beside the map; every data string escaped)


# Symbols drawn with CSS, not SVG: st.html sanitises SVG away.
def _dot(fill: str, stroke: str, width: float = 1.5, dashed: bool = False, r=6) -> str:
    size = 2 * r
    style = "dashed" if dashed else "solid"
    return (
        f'<span class="key-dot" style="display:inline-block;box-sizing:border-box;'
        f"width:{size}px;height:{size}px;border-radius:50%;background:{fill};"
        f'border:{width}px {style} {stroke};vertical-align:middle;margin:0 {9 - r}px"></span>'
    )


def _line(color: str, dash: str | None) -> str:
    style = "dashed" if dash else "solid"
    return (
        f'<span class="key-line" style="display:inline-block;width:26px;'
        f'border-top:2.5px {style} {color};vertical-align:middle;margin-right:2px"></span>'
    )


def legend_html(ds: Dataset, layers) -> str:
    """A key to the symbols of the layers shown."""
    rows = []
    if "captured" in layers:
        rows.append(f"{_dot('#2e7d32', '#ffffff')} Town taken (colour: by whom)")
        rows.append(f"{_dot('#2e7d32', '#ffeb3b', 3, r=7)} Taken on this day")
    if "sites" in layers:
        rows.append(f"{_dot('#c0392b', '#000000')} Base or site (colour: holder)")
        rows.append(f"{_dot('#ffffff', '#000000', dashed=True)} Position approximate")
    if "events" in layers:
        rows.append(f"{_dot('#ffffff', '#d81b60', 2.5)} Event on this day")
        rows.append(f"{_dot('#ffffff', '#8e6c88', 2, r=4)} Earlier event")
    for p in ds.proposals:
        if p.id in layers:
            color, dash = BUFFER_STYLES.get(int(p.distance_mi), ("#333333", None))
            rows.append(f"{_line(color, dash)} {escape(p.label)}")
    return "".join(f"<div>{row}</div>" for row in rows)


# ---------------------------------------------------------------------------
# The atlas: every layer on every day, shipped to the browser once.
#
# Scrubbing the date then sends one line of script ("show day 5 with these layers")
# instead of every layer again. Features that look the same on several days are
# stored once, with the variant (style, tooltip, popup) to use on each day.


def atlas_layer_keys(ds: Dataset) -> tuple[str, ...]:
    """Draw order, bottom to top."""
    return ("control", *(p.id for p in ds.proposals), "sites", "captured", "events")


def day_layer(ds: Dataset, key: str, day: date) -> dict:
    """Display GeoJSON of one layer (a base layer or a proposal id) on `day`."""
    builders = {
        "control": control_geojson,
        "sites": sites_geojson,
        "captured": captured_geojson,
        "events": events_geojson,
    }
    if key in builders:
        return builders[key](ds, day)
    return buffer_geojson(ds, key, day)


@lru_cache(maxsize=4)
def atlas(ds: Dataset) -> dict:
    """{"days": [...], "order": [...], "layers": {key: {"features": [{"g": geometry,
    "v": [variant index or None, a day each]}], "variants": [[style, tip, info]]}}}"""
    days = all_dates()
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
        "days": [d.isoformat() for d in days],
        "order": list(atlas_layer_keys(ds)),
        "layers": layers,
        "basemap": {"countries": countries, "labels": labels},
    }


def atlas_source_key(data_dir) -> str:
    """A hash of everything the atlas is made from: the data files, this package's
    code and the geometry library's version. Same key, same atlas."""
    digest = hashlib.sha256(shapely.__version__.encode())
    code_dir = Path(__file__).resolve().parent
    for path in sorted(Path(data_dir).iterdir()) + sorted(code_dir.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


ATLAS_FILES_KEPT = 8  # atlases of other data or code, kept for servers still using them


def atlas_target(ds: Dataset, static_dir) -> tuple[Path, str]:
    """Where the atlas of `ds` goes under static_dir/atlas/, named by atlas_source_key
    (a new dataset or code gives a new file, so browsers never use a stale one), and
    its URL as seen from st_folium's component page."""
    name = f"atlas-{atlas_source_key(ds.path)}.json"
    return Path(static_dir) / "atlas" / name, f"{STATIC_URL_FROM_COMPONENT}/atlas/{name}"


def write_atlas(ds: Dataset, static_dir) -> str:
    """Write the atlas (unless a server restarted on the same data and code already
    did) and return its URL. Old atlases beyond the newest few are removed."""
    path, url = atlas_target(ds, static_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file():
        text = json.dumps(atlas(ds), ensure_ascii=False, separators=(",", ":"))
        write_atomic(path, text)
    others = sorted(
        (p for p in path.parent.glob("atlas-*.json") if p != path),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in others[ATLAS_FILES_KEPT - 1 :]:
        old.unlink(missing_ok=True)
    return url


class _AtlasLoader(MacroElement):
    """Fetches the atlas once, draws the basemap from it, and defines
    window.__atlasShow(day, keys): shows that day's features of those layers."""

    _template = Template(
        """{% macro script(this, kwargs) %}
(function(map, url, mode, tileUrl, tileAttr, slider) {
  var state = {data: null, groups: {}, items: {}, pending: null, keys: null};
  window.__atlas = state;
  function toLayer(g) {
    if (g.type === 'Point') return L.circleMarker([g.coordinates[1], g.coordinates[0]]);
    return L.GeoJSON.geometryToLayer({type: 'Feature', geometry: g, properties: {}});
  }
  function group(key) {
    if (!state.groups[key]) {
      var g = L.featureGroup(); g._layerKey = key;
      // A feature's Leaflet layer is made the first time a day shows it: a page load
      // builds the day on screen only, not every geometry of every day.
      state.items[key] = state.data.layers[key].features.map(function(f) {
        return {layer: null, g: f.g, v: f.v, cur: null};
      });
      state.groups[key] = g;
    }
    return state.groups[key];
  }
  function apply(key, day) {
    var g = group(key), variants = state.data.layers[key].variants;
    state.items[key].forEach(function(it) {
      var vi = it.v[day];
      if (vi === null || vi === undefined) {
        if (it.layer && g.hasLayer(it.layer)) g.removeLayer(it.layer);
        return;
      }
      if (!it.layer) {
        it.layer = toLayer(it.g);
        it.layer.feature = {type: 'Feature', geometry: it.g, properties: {layer: key}};
      }
      var l = it.layer;
      if (vi !== it.cur) {
        var v = variants[vi]; it.cur = vi;
        l.setStyle(v[0]);
        l.feature.properties = {layer: key, tip: v[1], info: v[2]};
        if (l.getTooltip()) l.setTooltipContent(v[1]); else l.bindTooltip(v[1], {sticky: true});
        if (l.getPopup()) l.setPopupContent(v[2]); else l.bindPopup(v[2], {maxWidth: 380});
        if (!l._hover && !(l instanceof L.CircleMarker)) {
          l._hover = true;
          l.on('mouseover', function() {
            l.setStyle({weight: (variants[it.cur][0].weight || 1) + 2}); });
          l.on('mouseout', function() { l.setStyle(variants[it.cur][0]); });
        }
      }
      if (!g.hasLayer(l)) g.addLayer(l);
    });
  }
  // The page's date slider, when there is one: its value is the index of a day. The
  // browser has every day already, so the map follows the slider as it moves, with no
  // wait for the server; the server's step for the same day then changes nothing.
  function sliderDay() {
    if (!slider || !state.data) return null;
    try {
      var input = window.parent.document.querySelector(slider + ' input[type="range"]');
      var i = input ? parseInt(input.value, 10) : NaN;
      return i >= 0 && i < state.data.days.length ? i : null;
    } catch (e) { return null; }  // no access to the page: the server's steps still work
  }
  function followSlider() {
    var doc;
    try { doc = window.parent.document; } catch (e) { return; }
    if (!slider || !doc || doc === document) return;
    var observer = new MutationObserver(function() {
      var i = sliderDay();
      if (i !== null && state.keyList && i !== state.day) show(i, state.keyList);
    });
    observer.observe(doc.body, {subtree: true, attributes: true,
                                attributeFilter: ['aria-valuetext']});
    window.addEventListener('pagehide', function() { observer.disconnect(); });
  }
  function show(day, keys) {
    if (!state.data) { state.pending = [day, keys]; return; }
    var moved = sliderDay();
    if (moved !== null) day = moved;  // a step from the server may be older than the slider
    var order = state.data.order, same = state.keys === keys.join(',');
    order.forEach(function(k) {  // a new set of layers: re-add all, in draw order
      var g = state.groups[k];
      if (!same && g && map.hasLayer(g)) map.removeLayer(g);
    });
    order.forEach(function(k) {
      if (keys.indexOf(k) < 0) return;
      apply(k, day);
      if (!map.hasLayer(state.groups[k])) map.addLayer(state.groups[k]);
    });
    state.keys = keys.join(','); state.keyList = keys; state.day = day;
  }
  function drawBasemap(base) {
    var opaque = mode === 'offline', group = L.featureGroup();
    group._layerKey = 'basemap'; state.groups.basemap = group;
    var countries = L.geoJSON(base.countries, {interactive: false, style: function(f) {
      var s = Object.assign({}, f.properties.style);
      if (!opaque) s.fillOpacity = 0;  // tiles show through until they fail
      return s; }}).addTo(group);
    ({{ this.draw_labels }})(group, base.labels);
    group.addTo(map);
    if (!opaque) {
      var tiles = L.tileLayer(tileUrl, {attribution: tileAttr, subdomains: 'abcd', maxZoom: 19});
      tiles.on('tileerror', function() {
        if (!tiles._map) return;
        tiles.remove();
        countries.setStyle(function(f) { return f.properties.style; });
        map.attributionControl.addAttribution('Offline basemap');
        document.documentElement.dataset.basemap = 'offline-fallback';
      });
      tiles.addTo(map);
    }
  }
  // On a server's first start on new data or code the atlas is still being written
  // when the map asks for it (HTTP 404): wait for it, saying so on the map.
  var notice = L.control({position: 'topright'}), started = Date.now();
  notice.onAdd = function() {
    var div = L.DomUtil.create('div', 'atlas-notice');
    div.style.cssText = 'background:#fff;padding:4px 8px;border-radius:4px;font:13px sans-serif;'
      + 'box-shadow:0 1px 4px rgba(0,0,0,.3)';
    div.textContent = 'Preparing the map for every day\u2026';
    return div;
  };
  function load(attempt) {
    fetch(url, {cache: attempt ? 'reload' : 'default'}).then(function(r) {
      if (r.status === 404 && Date.now() - started < 120000) {
        if (!attempt) notice.addTo(map);
        setTimeout(function() { load(attempt + 1); }, 150);
        return null;
      }
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    }).then(function(data) {
      if (!data) return;
      notice.remove();
      state.data = data;
      drawBasemap(data.basemap);
      if (state.pending) { var p = state.pending; state.pending = null; show(p[0], p[1]); }
      followSlider();
    }).catch(function(e) {
      notice.remove();
      state.error = String(e);
      map.attributionControl.addAttribution('<b>Map data failed to load: reload the page</b>');
    });
  }
  load(0);
  window.__atlasShow = show;
})({{ this._parent.get_name() }}, {{ this.url | tojson }}, {{ this.mode | tojson }},
   {{ this.tile_url | tojson }}, {{ this.tile_attr | tojson }}, {{ this.slider | tojson }});
{% endmacro %}"""
    )

    def __init__(self, url: str, mode: str, slider: str | None):
        super().__init__()
        self.url, self.mode, self.slider = url, mode, slider
        self.tile_url, self.tile_attr = TILE_URL, TILE_ATTRIBUTION
        self.draw_labels = DRAW_LABELS_JS


class _AtlasStep(MacroElement):
    _template = Template(
        "{% macro script(this, kwargs) %}"
        "window.__atlasShow({{ this.day }}, {{ this.keys | tojson }});"
        "{% endmacro %}"
    )

    def __init__(self, day: int, keys):
        super().__init__()
        self.day, self.keys = day, list(keys)


def atlas_map(url: str, basemap: str, slider: str | None = None) -> folium.Map:
    """The map page's fixed base map: Leaflet, and the loader of the atlas at `url`.
    It changes only with the data or the basemap, so st_folium never remounts it
    while the user scrubs or toggles.

    `slider`: a CSS selector of the page element holding the date slider (whose value
    is the index of the day). The map then follows the slider in the browser as it
    moves, before the server's step arrives."""
    fmap = base_map()
    _AtlasLoader(url, basemap, slider).add_to(fmap)
    return fmap


def atlas_step(day: date, keys) -> folium.FeatureGroup:
    """The one line of script a slider step or a toggle sends."""
    group = folium.FeatureGroup(name="step")
    _AtlasStep(all_dates().index(day), keys).add_to(group)
    return group


USER_COLOR = "#00897b"


def user_layer_geojson(ds: Dataset, layer, figs: dict) -> dict:
    """A user's uploaded zone, drawn in teal; its name is escaped like all data."""
    geom = to_wgs84(to_metric(layer.geometry).simplify(DISPLAY_TOLERANCE_M / 5))
    name = escape(layer.name)
    tip = f'<div class="map-tip"><b>{name}</b> (your layer)<br>{_figures_text(figs)}</div>'
    info = (
        f'<div class="map-tip"><b>{name}</b> (your layer)<br>{_figures_text(figs)}; held: '
        f"{_held_text(ds, figs['faction_area_km2'])}</div>"
    )
    style = {
        "color": USER_COLOR,
        "weight": 3,
        "fillColor": USER_COLOR,
        "fillOpacity": 0.15,
        "dashArray": "1 6",
    }
    return _fc([_feature(geom, style, tip, info, id="user_layer", layer="user_layer")])
