"""What the layers share: display features with ready-made, escaped tooltips and
popups, and the legend's symbols.

Every string from the data goes through `html.escape` here: folium's GeoJsonTooltip
and GeoJsonPopup, and the atlas loader, insert property values as HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import escape

from lib.data import Dataset
from lib.data.geo import geometry_json
from lib.sources import source_links_html

DISPLAY_DECIMALS = 4  # about 10 m: finer than the 250 m display simplification
DISPLAY_TOLERANCE_M = 250  # display simplification of zones; below a pixel at zoom 8


@dataclass(frozen=True)
class Layer:
    key: str  # in the URL and the session (a proposal's id for a proposal)
    title: str
    order: int  # draw order, bottom to top
    default: bool  # shown when the URL names no layers
    export_name: str  # the `layer` property of its exported features
    display: Callable[[Dataset, date], dict]  # display GeoJSON (style, tip, info)
    export: Callable[[Dataset, date], list[dict]]  # GeoJSON features with their facts
    legend: Callable[[Dataset], list]  # rows of the key (lib.layers.common.Key)
    proposal: bool = False  # one of the buffer-zone proposals (their own row of pills)


def source_line(ds: Dataset, source_ids: str) -> str:
    """The sources of a feature as links (escaped HTML), for its popup."""
    return source_links_html(ds, source_ids)


def faction_short(ds: Dataset, fid: str) -> str:
    return escape(ds.factions[fid].short)


def known(value):
    """None for missing values (None, NaN, NaT), else the value."""
    return None if value is None or value != value else value


def collection(features: list[dict]) -> dict:
    """A FeatureCollection whose features all have an id: folium's GeoJson writes ids
    into features that lack one, which would mutate our cached layers."""
    for i, feature in enumerate(features):
        feature.setdefault("id", str(i))
    return {"type": "FeatureCollection", "features": features}


def feature(geom, style: dict, tip: str, info: str, **props) -> dict:
    """A display feature; `geom` is a shapely geometry or an already rounded dict."""
    return {
        "type": "Feature",
        "properties": {"style": style, "tip": tip, "info": info, **props},
        "geometry": geom if isinstance(geom, dict) else geometry_json(geom, DISPLAY_DECIMALS),
    }


@dataclass(frozen=True)
class Key:
    """A row of a legend: a symbol and plain text. Drawn as HTML beside the map
    (`html`) and with matplotlib in a publication graphic (lib/graphic.py)."""

    symbol: str  # "dot" (a marker), "swatch" (a zone's fill) or "line"
    text: str  # plain text, escaped where it is drawn
    fill: str = "#ffffff"
    stroke: str = "#000000"
    width: float = 1.5  # the outline, px
    dashed: bool = False
    r: float = 6  # a dot's radius, px

    def html(self) -> str:
        symbol = {"dot": _dot, "swatch": _swatch, "line": _line}[self.symbol](self)
        return f"{symbol} {escape(self.text)}"


# Legend symbols drawn with CSS, not SVG: st.html sanitises SVG away.
def _dot(key: Key) -> str:
    size, style = 2 * key.r, "dashed" if key.dashed else "solid"
    return (
        f'<span class="key-dot" style="display:inline-block;box-sizing:border-box;'
        f"width:{size:g}px;height:{size:g}px;border-radius:50%;background:{key.fill};"
        f"border:{key.width:g}px {style} {key.stroke};vertical-align:middle;"
        f'margin:0 {9 - key.r:g}px"></span>'
    )


def _swatch(key: Key) -> str:
    style = "dashed" if key.dashed else "solid"
    return (
        f'<span class="key-swatch" style="display:inline-block;box-sizing:border-box;'
        f"width:14px;height:12px;background:{key.fill};border:1.5px {style} {key.stroke};"
        f'vertical-align:middle;margin:0 2px"></span>'
    )


def _line(key: Key) -> str:
    style = "dashed" if key.dashed else "solid"
    return (
        f'<span class="key-line" style="display:inline-block;width:26px;'
        f'border-top:2.5px {style} {key.stroke};vertical-align:middle;margin-right:2px"></span>'
    )
