"""The basemap: the countries (OpenStreetMap's borders), the rivers and the names of towns, drawn
from the data (the offline map), with online tiles over them when the network allows."""

from __future__ import annotations

from html import escape

import folium
import shapely
from jinja2 import Template

from lib.data import Dataset
from lib.data.cache import per_dataset
from lib.data.geo import outer_rings, to_metric, to_wgs84
from lib.folium_parts import AssetCall, InertGeoJson, InertMacro, TagGroup, asset, style_of
from lib.layers.common import collection, feature, known

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

DATA_ATTRIBUTION = (
    "Borders: © OpenStreetMap contributors (ODbL) | Rivers: GSHHG (LGPL) | "
    "Places: GeoNames (CC BY 4.0)"
)

RIVER_COLOR = "#5b9bd5"
# OSM's land outlines carry every lake and islet: 5x the basemap's bytes for nothing
# a reader of this map looks for
NEIGHBOUR_MIN_PART_M2 = 5_000_000


@per_dataset(maxsize=4)
def basemap_geojson(ds: Dataset) -> tuple[dict, dict]:
    """(countries, labels): the offline basemap drawn from the borders file."""
    feats = []
    for row in ds.countries.itertuples():
        syria = row.name == "Syria"
        geom = to_metric(row.geometry)
        if not syria:  # the neighbours are for orientation: no lakes, no islets
            geom = outer_rings(geom, NEIGHBOUR_MIN_PART_M2)
        geom = to_wgs84(geom.simplify(500))
        style = {
            "fillColor": "#f7f5f0" if syria else "#ecebe6",
            "fillOpacity": 1.0,
            "color": "#555555" if syria else "#9a9a9a",
            "weight": 1.4 if syria else 0.8,
        }
        feats.append(feature(geom, style, "", "", name=row.name))
    for row in ds.rivers.itertuples():  # the Euphrates was a front line: show it offline
        geom = to_wgs84(to_metric(row.geometry).simplify(300))
        style = {
            "color": RIVER_COLOR,
            "weight": 1.6 if row.id == "euphrates" else 1.1,
            "opacity": 0.9,
            "fill": False,
        }
        feats.append(feature(geom, style, "", "", name=row.name))
    labels = []
    for row in ds.countries.itertuples():
        if row.name in ("Syria", "Cyprus", "N. Cyprus", "Palestine"):
            continue
        pt = row.geometry.representative_point()
        if row.name == "Turkey":
            pt = shapely.Point(37.5, 37.6)  # near the border, not in central Anatolia
        labels.append(
            feature(
                pt,
                {"radius": 0, "opacity": 0, "fillOpacity": 0},
                escape(row.name),
                "",
                kind="country",
                rank=-1,  # a town's name wins over a country's (draw_labels.js)
            )
        )
    places = ds.places
    major = places[places["population"].fillna(0) >= 100_000].index
    for pid in sorted((set(major) | set(LABELLED_PLACES)) & set(places.index)):
        p = places.loc[pid]
        labels.append(
            feature(
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
                rank=int(known(p["population"]) or 0),
            )
        )
    return collection(feats), collection(labels)


class OnlineTiles(InertMacro):
    """Online tiles over the offline basemap, added only once a probe tile has loaded
    (lib/assets/tile_fallback.js): made here, not by folium's TileLayer, which would
    request a screenful of tiles before the probe could say there is no network."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "({{ this.js }})(L.tileLayer({{ this.url | tojson }}, {{ this.options | tojson }}), "
        "{{ this.countries.get_name() }}, null, {{ this._parent.get_name() }});"
        "{% endmacro %}"
    )

    def __init__(self, countries):
        super().__init__()
        self.countries = countries
        self.url = TILE_URL
        self.options = {"attribution": TILE_ATTRIBUTION, "subdomains": "abcd", "maxZoom": 19}
        self.js = asset("tile_fallback.js")


def basemap_group(ds: Dataset, mode: str) -> folium.FeatureGroup:
    """The basemap: the countries, labels, and online tiles unless offline."""
    countries, labels = basemap_geojson(ds)
    group = folium.FeatureGroup(name="basemap")
    opaque = mode == "offline"
    layer = InertGeoJson(
        countries,
        style_function=style_of if opaque else (lambda f: {**style_of(f), "fillOpacity": 0}),
        interactive=False,
    )
    layer.add_to(group)
    if not opaque:  # tiles show through the countries until they fail
        OnlineTiles(layer).add_to(group)
    # (label text is already escaped)
    AssetCall("draw_labels.js", labels).add_to(group)
    TagGroup("basemap").add_to(group)
    return group
