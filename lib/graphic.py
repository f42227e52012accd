"""Publication graphics: a map of one day as a PNG or an SVG, for an article.

Drawn with geopandas and matplotlib from the same display layers as the web map (the
same features, colours and dashes), with a title, the date, a legend, a scale bar,
credits and a line of the sources shown. Offline and deterministic: the same data,
day, layers and view give the same bytes (no timestamps in the files, fixed SVG ids,
matplotlib's own DejaVu fonts).

The map is drawn in lib.data.geo's METRIC_CRS (via to_metric), the equal-area projection
the figures use, so the scale bar holds across Syria (to within 0.1 %).
"""

from __future__ import annotations

import io
import math
import textwrap
from datetime import date

import matplotlib
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.patheffects import withStroke

from lib.basemap import DATA_ATTRIBUTION, basemap_geojson
from lib.control import shares
from lib.data import Dataset
from lib.data.dates import fmt_day
from lib.data.records import CONTESTED, UNHELD
from lib.figures import zone_figures
from lib.frame import Frame
from lib.graphic_draw import (
    PX_TO_PT,
    draw_feature,
    features_of,
    fit_aspect,
    frame_box,
    plain,
    rgba,
    scale_bar,
)
from lib.layers import by_key, layers
from lib.layers.common import Key

FORMATS = ("png", "svg")
WIDTH_IN = 11.0
PNG_DPI = 200  # 2200 px wide
MIN_PNG_WIDTH_PX = 2000
MAP_HEIGHT_IN = 7.4  # at most: a wide frame (the border strip) gets a lower map
MIN_MAP_HEIGHT_IN = 3.4
CREDIT = "Map: The fall of Aleppo dashboard"
SALT = "aleppo-map"  # fixed ids inside SVG files: the same input, the same bytes


def format_of(path: str) -> str:
    """'png' or 'svg' from a file name; ValueError naming the choices."""
    ext = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    if ext not in FORMATS:
        raise ValueError(f"{path!r}: the file name must end in .png or .svg")
    return ext


def _zone_label(ds: Dataset, proposal, day: date) -> str:
    """A buffer zone's line in the legend: its name, its area, and who holds how much
    of it on the day."""
    figs = zone_figures(ds, proposal.distance_mi, day)
    held = ", ".join(
        f"{plain(ds.factions[f].short)} {a:,.0f}"
        for f, a in figs["faction_area_km2"].items()
        if a >= 0.5
    )
    return f"{plain(proposal.label)}: {figs['area_km2']:,.0f} km² ({held} km²)"


def _legend_handles(ds: Dataset, day: date, keys) -> list:
    handles = []
    proposals = {p.id: p for p in ds.proposals}
    if "control" in keys:
        for row in shares(ds, day):
            faction = ds.factions[row["faction"]]
            if row["faction"] == CONTESTED:
                handle = Patch(facecolor="#e0e0e0", edgecolor="#424242", hatch="////")
            elif row["faction"] == UNHELD:
                handle = Patch(facecolor=rgba(faction.color, 0.5), edgecolor="#616161", ls=":")
            else:
                handle = Patch(facecolor=rgba(faction.color, 0.6), edgecolor="#ffffff")
            handle.set_label(f"{plain(faction.short)}: {100 * row['share']:.1f}% of Syria")
            handles.append(handle)
    for layer in layers(ds):
        if layer.key not in keys:
            continue
        for key in layer.legend(ds):
            if layer.key == "control":
                continue  # the holders above say it, with their shares
            handle = _key_handle(key)
            if layer.key in proposals:  # the ground held inside the zone, that day
                handle.set_label(_zone_label(ds, proposals[layer.key], day))
            handles.append(handle)
    return handles


def title_of(ds: Dataset, day: date, keys) -> str:
    """The graphic's title: the day, and the buffer zones it shows ("the 10- and
    22-mile buffer zones"; the subtitle and the legend name each)."""
    miles = [f"{p.distance_mi:g}" for p in ds.proposals if p.id in keys]
    if not miles:
        return f"Syria on {fmt_day(day)}: who held what"
    depths = miles[0] if len(miles) == 1 else f"{'-, '.join(miles[:-1])}- and {miles[-1]}"
    zone = "zone" if len(miles) == 1 else "zones"
    return f"Syria on {fmt_day(day)}: the {depths}-mile buffer {zone}, and who held what"


def _key_handle(key: Key):
    label = plain(key.text.replace(" (hover: why)", ""))
    if key.symbol == "line":
        return Line2D([], [], color=key.stroke, lw=2, ls="--" if key.dashed else "-", label=label)
    if key.symbol == "swatch":
        return Patch(facecolor=key.fill, edgecolor=key.stroke, label=label)
    return Line2D(
        [],
        [],
        marker="o",
        ls="none",
        markersize=2 * key.r * PX_TO_PT,
        markerfacecolor=key.fill,
        markeredgecolor=key.stroke,
        markeredgewidth=key.width * PX_TO_PT,
        label=label,
    )


def sources_line(ds: Dataset, day: date, keys) -> str:
    """'Sources: New Lines Magazine, Enab Baladi, ...': every publisher of what the
    graphic shows, most cited first (a print has no link to the rest)."""
    counts: dict[str, int] = {}
    for key in keys:
        for props in by_key(ds)[key].export(ds, day):
            for sid in str(props.get("source") or "").replace(",", ";").split(";"):
                source = ds.sources.get(sid.strip())
                if source:
                    counts[source.publisher] = counts.get(source.publisher, 0) + 1
    names = sorted(counts, key=lambda p: (-counts[p], p))
    shown = "; ".join(plain(n) for n in names)
    return f"Sources: {shown}. Each feature's own sources are in the app." if names else ""


def render(
    ds: Dataset,
    day: date,
    keys,
    fmt: str = "png",
    frame: Frame | None = None,
    size_px: tuple[int, int] | None = None,
) -> bytes:
    """The graphic of `day` with the layers `keys` (base layer keys and proposal ids)
    over `frame` (default: all of Syria), as PNG or SVG bytes. `size_px`: a page of
    exactly that many pixels (a video's frame, lib/animate.py), its sources counted
    rather than listed; default: 2,200 px wide, as high as its content."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    known = by_key(ds)
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise ValueError(f"unknown layer(s) {', '.join(unknown)}; known: {', '.join(known)}")
    ds.period.check(day)
    keys = [layer.key for layer in layers(ds) if layer.key in keys]  # draw order
    frame = frame or Frame.of_syria(ds)
    rc = {
        "svg.hashsalt": SALT,
        "svg.fonttype": "none",  # text stays text: searchable, editable in a newsroom
        "font.family": "DejaVu Sans",
        "hatch.linewidth": 0.8,
        "hatch.color": "#757575",
    }
    with matplotlib.rc_context(rc):
        return _render(ds, day, keys, fmt, frame, size_px)


VIDEO_DPI = 100  # a video frame's pixels: inches x 100


def _render(
    ds: Dataset,
    day: date,
    keys: list[str],
    fmt: str,
    frame: Frame,
    size_px: tuple[int, int] | None = None,
) -> bytes:
    known = by_key(ds)
    # a video frame: the print's type sizes, on a page of the frame's pixels
    dpi = max(VIDEO_DPI, size_px[0] / WIDTH_IN) if size_px else PNG_DPI
    width_in = size_px[0] / dpi if size_px else WIDTH_IN
    handles = _legend_handles(ds, day, keys)
    long_labels = any(len(h.get_label()) > 60 for h in handles)
    columns = 2 if long_labels or width_in < WIDTH_IN else 3
    legend_rows = math.ceil(len(handles) / columns)
    margin = 0.35 / width_in
    box = frame_box(frame)
    map_w_in = width_in * (1 - 2 * margin)
    sources = sources_line(ds, day, keys)
    if size_px:  # a video: no room for every publisher; the app lists them
        count = sources.count(";") + 1 if sources else 0
        sources = f"Sources: {count} publishers; each feature's are in the app." if count else ""
    notes = [
        "Control zones follow the lines the front followed, to within a few km; hatched "
        "ground was contested that day, pale ground with a dotted edge held by no force reported.",
        f"{DATA_ATTRIBUTION}. {CREDIT}.",
        sources,
    ]
    wrap = int(215 * width_in / WIDTH_IN)
    note_text = "\n".join(textwrap.fill(n, wrap) for n in notes if n)
    footer_in = 0.35 + 0.19 * legend_rows + 0.115 * (note_text.count("\n") + 1)
    header_in = 0.95
    if size_px:  # the page's size is given: the map takes what is left
        height_in = size_px[1] / dpi
        map_h_in = max(1.5, height_in - header_in - footer_in)
    else:
        # The map as high as its frame asks, within bounds: the border strip is a wide
        # band, not a square with a third of it empty Turkey.
        map_h_in = min(
            MAP_HEIGHT_IN,
            max(MIN_MAP_HEIGHT_IN, map_w_in * (box[3] - box[2]) / (box[1] - box[0])),
        )
        height_in = header_in + map_h_in + footer_in
    fig = Figure(figsize=(width_in, height_in), facecolor="white")
    ax = fig.add_axes((margin, footer_in / height_in, 1 - 2 * margin, map_h_in / height_in))
    aspect = map_w_in / map_h_in
    limits = fit_aspect(box, aspect)
    ax.set_xlim(limits[0], limits[1])
    ax.set_ylim(limits[2], limits[3])
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor("#dfe9f2")  # the sea
    for side in ax.spines.values():
        side.set_edgecolor("#777777")
        side.set_linewidth(0.6)

    countries, labels = basemap_geojson(ds)
    for geom, props in features_of(countries):
        style = dict(props["style"])
        draw_feature(ax, geom, style, zorder=1 if geom.geom_type.endswith("Polygon") else 2)
    for z, key in enumerate(keys):
        for geom, props in features_of(known[key].display(ds, day)):
            draw_feature(ax, geom, props["style"], zorder=3 + z)
    halo = [withStroke(linewidth=2.2, foreground="white")]
    x0, x1, y0, y1 = limits
    for geom, props in features_of(labels):
        if not (x0 < geom.x < x1 and y0 < geom.y < y1):
            continue
        country = props.get("kind") == "country"
        ax.text(
            geom.x,
            geom.y,
            plain(props["tip"]).upper() if country else "  " + plain(props["tip"]),
            fontsize=8.5 if country else 6.5,
            color="#666666" if country else "#222222",
            ha="center" if country else "left",
            va="center",
            zorder=15,
            path_effects=halo,
            parse_math=False,
            clip_on=True,
        )
    scale_bar(ax, limits)
    ax.set_xlabel("")  # geopandas names the axes x and y
    ax.set_ylabel("")

    shown = ", ".join(plain(by_key(ds)[k].title) for k in keys) or "no layers"
    top = 1 - 0.18 / height_in
    fig.text(
        margin,
        top,
        title_of(ds, day, keys),
        fontsize=17 if len(title_of(ds, day, keys)) < 75 else 14,
        weight="bold",
        va="top",
        parse_math=False,
    )
    fig.text(
        margin,
        top - 0.4 / height_in,
        f"The fall of Aleppo and the buffer-zone bargain, {fmt_day(ds.period.start)} to "
        f"{fmt_day(ds.period.end)}. Shown: {shown}.",
        fontsize=9,
        color="#444444",
        va="top",
        parse_math=False,
    )
    if handles:
        legend = fig.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(margin, (footer_in - 0.05) / height_in),
            ncol=columns,
            frameon=False,
            fontsize=8,
            handlelength=1.8,
            columnspacing=1.6,
        )
        for label in legend.get_texts():
            label.set_parse_math(False)  # a '$' in a name is a dollar sign
    fig.text(
        margin,
        0.1 / height_in,
        note_text,
        fontsize=6.5,
        color="#555555",
        va="bottom",
        parse_math=False,
        linespacing=1.4,
    )

    buf = io.BytesIO()
    if fmt == "png":
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    else:
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return buf.getvalue()
