"""The folium objects every map is made of, each adding its text to the page as it is.

Branca adds what each element renders to the figure as a new Element, which
compiles that text as a Jinja template, and renders it again with the figure
(st_folium renders the whole figure on every run). Text from the data, such as an
uploaded layer's name or a place's, then ran as template code on the server: "{{"
failed the page, and "{{ ... }}" was evaluated. Our elements and the GeoJSON layers
add their text as it is (Text). It also spares each run compiling the map's 25 KB
of script (about half of st_folium's time in a run).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import folium
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

ASSETS_DIR = Path(__file__).resolve().parent / "assets"


@lru_cache(maxsize=8)
def asset(name: str) -> str:
    """A script or style sheet of lib/assets/, read once (inlined in the map's page)."""
    return (ASSETS_DIR / name).read_text(encoding="utf-8")


class Text(Element):
    """Text a figure includes as it is, never read as a template."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class InertMacro(MacroElement):
    """A MacroElement whose rendered header, html and script go into the figure as
    Text (branca's MacroElement.render, but with no second, template pass)."""

    def render(self, **kwargs):
        figure = self.get_root()
        assert isinstance(figure, Figure), "render an element in a Figure"
        macros = self._template.module.__dict__
        for part in ("header", "html", "script"):
            if macros.get(part) is not None:
                getattr(figure, part).add_child(
                    Text(macros[part](self, kwargs)), name=self.get_name()
                )
        for child in self._children.values():
            child.render(**kwargs)


class InertGeoJson(folium.GeoJson, InertMacro):
    """folium's GeoJson, its data (names, sources) added to the page as text."""


class TagGroup(InertMacro):
    """Marks a feature group with its layer key (read by the browser tests)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}._layerKey = {{ this.key | tojson }};"
        "{% endmacro %}"
    )

    def __init__(self, key: str):
        super().__init__()
        self.key = key


class AssetCall(InertMacro):
    """Calls the function of a script of lib/assets/ with the element it is added to
    (a map or a group) and `data`: `(script)(parent, data)`. With `on_map`, the
    page's map (st_folium's window.map) instead of the parent: for a script a step
    sends in a feature group that acts on the map."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "({{ this.script }})({{ 'window.map' if this.on_map else this._parent.get_name() }}, "
        "{{ this.data | tojson }});"
        "{% endmacro %}"
    )

    def __init__(self, script: str, data, on_map: bool = False):
        super().__init__()
        self.script = asset(script)
        self.data = data
        self.on_map = on_map


class Attribution(InertMacro):
    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text | tojson }});"
        "{% endmacro %}"
    )

    def __init__(self, text: str):
        super().__init__()
        self.text = text


def style_of(feature):
    return {k: v for k, v in feature["properties"]["style"].items() if v is not None}


def feature_group(key: str, geojson: dict, interactive: bool = True) -> folium.FeatureGroup:
    """A feature group drawing `geojson` (from one of the *_geojson functions)."""
    group = folium.FeatureGroup(name=key)
    TagGroup(key).add_to(group)
    if not geojson["features"]:
        return group  # e.g. no town captured yet; folium's tooltip needs a feature
    has_points = any(
        f["geometry"] and f["geometry"]["type"] == "Point" for f in geojson["features"]
    )
    layer = InertGeoJson(
        geojson,
        style_function=style_of,
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
