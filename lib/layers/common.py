"""What the layers share: display features with ready-made, escaped tooltips and
popups, and the legend's symbols.

Every string from the data goes through `html.escape` here: folium's GeoJsonTooltip
and GeoJsonPopup, and the atlas loader, insert property values as HTML.
"""

from __future__ import annotations

from html import escape

from lib.geo import geometry_json
from lib.geodata import Dataset
from lib.sources import source_links_html

DISPLAY_DECIMALS = 4  # about 10 m: finer than the 250 m display simplification
DISPLAY_TOLERANCE_M = 250  # display simplification of zones; below a pixel at zoom 8


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


# Legend symbols drawn with CSS, not SVG: st.html sanitises SVG away.
def dot(fill: str, stroke: str, width: float = 1.5, dashed: bool = False, r=6) -> str:
    size = 2 * r
    style = "dashed" if dashed else "solid"
    return (
        f'<span class="key-dot" style="display:inline-block;box-sizing:border-box;'
        f"width:{size}px;height:{size}px;border-radius:50%;background:{fill};"
        f'border:{width}px {style} {stroke};vertical-align:middle;margin:0 {9 - r}px"></span>'
    )


def swatch(fill: str, stroke: str, dashed: bool = False) -> str:
    """A square for a zone's fill."""
    style = "dashed" if dashed else "solid"
    return (
        f'<span class="key-swatch" style="display:inline-block;box-sizing:border-box;'
        f"width:14px;height:12px;background:{fill};border:1.5px {style} {stroke};"
        f'vertical-align:middle;margin:0 2px"></span>'
    )


def line(color: str, dash: str | None) -> str:
    style = "dashed" if dash else "solid"
    return (
        f'<span class="key-line" style="display:inline-block;width:26px;'
        f'border-top:2.5px {style} {color};vertical-align:middle;margin-right:2px"></span>'
    )
