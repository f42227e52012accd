"""The day's front lines: where the ground of one holder meets another's, derived from
the control zones (never drawn by hand), so they move exactly as the log moves areas.
A line touching ground nobody clearly held is dashed: where the front is unsettled."""

from __future__ import annotations

from datetime import date
from html import escape

import shapely

from lib.control import control_zones_metric
from lib.data import Dataset
from lib.data.cache import per_dataset
from lib.data.dates import fmt_day
from lib.data.geo import to_wgs84
from lib.data.records import UNCLEAR
from lib.layers.common import DISPLAY_TOLERANCE_M, Key, Layer, collection, feature

COLOR = "#1a1a1a"
MIN_LENGTH_M = 200  # shorter pieces are corners where three zones meet, not a front


@per_dataset(maxsize=64)
def front_lines(ds: Dataset, day: date) -> list[tuple[str, str, object]]:
    """(holder, holder, line in metres) for every pair of zones of different holders
    that share an edge on `day`. The zones partition Syria, so their edges meet
    exactly; a pair's front is the part of one zone's outline lying on the other."""
    zones = control_zones_metric(ds, day)
    geoms, holders = list(zones.geometry), list(zones["controller"])
    tree = shapely.STRtree(geoms)
    out = []
    # zones partition Syria, so the pairs that intersect are those that touch, and
    # "intersects" is several times cheaper to test than "touches"
    for i, j in zip(*tree.query(geoms, predicate="intersects")):
        if i >= j or holders[i] == holders[j]:
            continue
        shared = shapely.line_merge(shapely.intersection(geoms[i].boundary, geoms[j]))
        lines = [g for g in shapely.get_parts(shared) if g.geom_type == "LineString"]
        line = shapely.MultiLineString(lines) if lines else None
        if line is not None and line.length >= MIN_LENGTH_M:
            a, b = sorted((holders[i], holders[j]))
            out.append((a, b, line))
    return out


def _words(ds: Dataset, a: str, b: str) -> str:
    return f"{ds.factions[a].short} and {ds.factions[b].short}"


@per_dataset(maxsize=64)
def display(ds: Dataset, day: date) -> dict:
    feats = []
    for a, b, line in front_lines(ds, day):
        unsettled = a in UNCLEAR or b in UNCLEAR
        style = {"color": COLOR, "weight": 2.5, "opacity": 0.9, "fill": False}
        if unsettled:
            style["dashArray"] = "6 4"
        between = escape(_words(ds, a, b))
        km = line.length / 1000
        tip = f'<div class="map-tip"><b>Front line</b><br>Between {between}</div>'
        info = (
            f'<div class="map-tip"><b>Front line on {fmt_day(day)}</b><br>Between {between}, '
            f"{km:,.0f} km.<br>Derived from the control zones: where one holder's ground "
            "meets another's (see the method).</div>"
        )
        geom = to_wgs84(line.simplify(DISPLAY_TOLERANCE_M))
        feats.append(feature(geom, style, tip, info, layer="front", between=f"{a}|{b}"))
    return collection(feats)


def export(ds: Dataset, day: date) -> list[dict]:
    return [
        {
            "geometry": to_wgs84(line),
            "between": [a, b],
            "length_km": round(line.length / 1000, 1),
            "unsettled": a in UNCLEAR or b in UNCLEAR,
            "source": "derived from the control zones",
        }
        for a, b, line in front_lines(ds, day)
    ]


def legend(ds: Dataset) -> list[Key]:
    return [
        Key("line", "Front line: where two holders' ground meets", stroke=COLOR, width=2.5),
        Key("line", "Front line along unclear ground", stroke=COLOR, width=2.5, dashed=True),
    ]


LAYER = Layer(
    key="front",
    title="Front lines",
    order=15,  # over the zones, under every marker
    default=False,
    export_name="front",
    display=display,
    export=export,
    legend=legend,
)
