"""The drawing primitives of the publication graphics (lib/graphic.py): a display
feature on matplotlib axes, in metres, with the web map's colours and dashes; the frame's
limits; a scale bar."""

from __future__ import annotations

from html import unescape

import geopandas as gpd
import matplotlib
import shapely
from matplotlib.patches import Rectangle
from matplotlib.patheffects import withStroke
from shapely.geometry import shape

from lib.data.geo import to_metric
from lib.frame import Frame

PX_TO_PT = 0.75  # the web map's CSS pixels to print points


def plain(text: str) -> str:
    """Text for matplotlib: no HTML entities, and a '$' never starts mathtext."""
    return unescape(text)


def rgba(color: str, alpha: float = 1.0):
    return matplotlib.colors.to_rgba(color, alpha)


def dashes(style: dict, scale: float = PX_TO_PT):
    dash = style.get("dashArray")
    if not dash:
        return "solid"
    return (0, tuple(float(x) * scale for x in str(dash).split()))


def draw_feature(ax, geom, style: dict, zorder: float) -> None:
    """One display feature, styled as the web map styles it."""
    kind = geom.geom_type
    weight = float(style.get("weight", 1)) * PX_TO_PT
    stroke = rgba(style.get("color", "#000000"), float(style.get("opacity", 1.0)))
    if kind in ("Polygon", "MultiPolygon"):
        filled = style.get("fill", True) is not False
        if style.get("hatch"):
            face, hatch = rgba("#e0e0e0"), "////"
        else:
            face = rgba(style.get("fillColor", "#000000"), float(style.get("fillOpacity", 0.2)))
            hatch = None
        gpd.GeoSeries([geom]).plot(
            ax=ax,
            facecolor=face if filled else "none",
            edgecolor=stroke,
            linewidth=weight,
            linestyle=dashes(style),
            hatch=hatch,
            zorder=zorder,
        )
    elif kind in ("LineString", "MultiLineString"):
        gpd.GeoSeries([geom]).plot(
            ax=ax, color=stroke, linewidth=weight, linestyle=dashes(style), zorder=zorder
        )
    elif kind == "Point":
        r = float(style.get("radius", 5))
        ax.plot(
            geom.x,
            geom.y,
            marker="o",
            markersize=2 * r * PX_TO_PT,
            markerfacecolor=rgba(style.get("fillColor", "#ffffff"), style.get("fillOpacity", 1)),
            markeredgecolor=stroke,
            markeredgewidth=weight,
            linestyle="none",
            zorder=zorder,
        )


def features_of(geojson: dict):
    for f in geojson["features"]:
        if f.get("geometry"):
            yield to_metric(shape(f["geometry"])), f["properties"]


def frame_box(frame: Frame):
    """The frame in metres, and its (x0, x1, y0, y1) limits."""
    box = shapely.box(frame.west, frame.south, frame.east, frame.north).segmentize(0.05)
    minx, miny, maxx, maxy = to_metric(box).bounds
    return (minx, maxx, miny, maxy)


def fit_aspect(limits, aspect: float):
    """Widen the shorter side of the limits to the axes' aspect (width / height)."""
    x0, x1, y0, y1 = limits
    w, h = x1 - x0, y1 - y0
    if w / h < aspect:
        extra = (h * aspect - w) / 2
        return x0 - extra, x1 + extra, y0, y1
    extra = (w / aspect - h) / 2
    return x0, x1, y0 - extra, y1 + extra


def scale_bar(ax, limits) -> None:
    """A bar of a round length, about a fifth of the map's width, lower left."""
    x0, x1, y0, y1 = limits
    target_km = (x1 - x0) / 1000 / 5
    km = max(k for k in (5, 10, 20, 25, 50, 100, 150, 200, 250, 500) if k <= max(target_km, 5))
    left, base = x0 + (x1 - x0) * 0.03, y0 + (y1 - y0) * 0.04
    height = (y1 - y0) * 0.008
    for i in range(2):  # two halves, black and white, as printed maps do
        ax.add_patch(
            Rectangle(
                (left + i * km * 500, base),
                km * 500,
                height,
                facecolor="#222222" if i == 0 else "#ffffff",
                edgecolor="#222222",
                linewidth=0.6,
                zorder=20,
            )
        )
    halo = [withStroke(linewidth=2.5, foreground="white")]
    for x, label in ((left, "0"), (left + km * 1000, f"{km} km")):
        ax.text(
            x,
            base + height * 1.8,
            label,
            ha="center",
            va="bottom",
            fontsize=7,
            zorder=20,
            path_effects=halo,
            parse_math=False,
        )
