"""Buffer zones along the Syria-Turkey border, computed in metres.

A zone of depth d is the part of Syria within d of the border line, which is the
boundary Syria shares with Turkey (OpenStreetMap's land borders, about 10 m from
OSM's lines). Those outlines leave the border rivers out of both countries (the Tigris
for 40 km, the Euphrates at Jarablus), so Syria's bank within BORDER_SNAP_M of Turkey's
counts as the border: a river's width, a few hundred metres, bounds the accuracy there.
"""

from __future__ import annotations

import pandas as pd
import shapely

from lib.control import places_metric, syria_metric
from lib.data import Dataset
from lib.data.cache import per_dataset
from lib.data.geo import METRES_PER_MILE, shared_border, to_metric, to_wgs84

BORDER_SNAP_M = 400.0  # the Tigris is 100-300 m wide along the border
MAX_DISTANCE_MI = 100.0  # beyond this a "border zone" covers most of Syria; refuse it


def check_distance(miles) -> float:
    """A buffer depth in miles, as a float; ValueError naming the problem."""
    if isinstance(miles, bool):
        raise ValueError(f"buffer distance must be a number of miles, got {miles!r}")
    try:
        value = float(miles)
    except (TypeError, ValueError):
        raise ValueError(f"buffer distance must be a number of miles, got {miles!r}") from None
    if not 0 < value <= MAX_DISTANCE_MI:
        raise ValueError(
            f"buffer distance must be more than 0 and at most {MAX_DISTANCE_MI:g} miles, "
            f"got {miles!r}"
        )
    return value


@per_dataset(maxsize=8)
def border_metric(ds: Dataset):
    """The Syria-Turkey border line, in METRIC_CRS metres."""
    return shared_border(syria_metric(ds), to_metric(ds.turkey), tolerance_m=BORDER_SNAP_M)


@per_dataset(maxsize=8)
def border_wgs84(ds: Dataset):
    return to_wgs84(border_metric(ds))


BASE_BAND_M = METRES_PER_MILE


@per_dataset(maxsize=2)
def _base_band_metric(ds: Dataset):
    """The 1-mile band along the border, made once. Buffering the 10 m border line
    itself takes about 200 ms a zone (its zigzags make the offset curves cross); growing
    this band, whose edge is smooth, takes about 25, for the same zone to within the
    arcs' chords (tens of metres at 30 miles)."""
    return shapely.buffer(border_metric(ds), BASE_BAND_M, quad_segs=16)


@per_dataset(maxsize=128)
def buffer_zone_metric(ds: Dataset, miles: float):
    """The part of Syria within `miles` of the Turkish border (metres), prepared for
    fast predicates before any thread shares it."""
    distance_m = check_distance(miles) * METRES_PER_MILE
    if distance_m <= BASE_BAND_M:
        band = shapely.buffer(border_metric(ds), distance_m, quad_segs=16)
    else:  # a band of d is the base band grown by d - BASE_BAND_M (disks add up)
        band = shapely.buffer(_base_band_metric(ds), distance_m - BASE_BAND_M, quad_segs=16)
    zone = shapely.intersection(band, syria_metric(ds))
    shapely.prepare(zone)
    return zone


@per_dataset(maxsize=128)
def buffer_zone(ds: Dataset, miles: float):
    """buffer_zone_metric in WGS84 lon/lat."""
    return to_wgs84(buffer_zone_metric(ds, miles))


@per_dataset(maxsize=8)
def place_border_distance_m(ds: Dataset) -> pd.Series:
    """Distance in metres from each place to the Turkish border.

    Places are counted in a zone by this distance, not by point-in-polygon: the
    1:10m border is smoothed, so border towns such as Kobani or Tell Abyad fall a
    few hundred metres outside Syria's polygon although they are plainly inside
    any zone.
    """
    pts = places_metric(ds)
    return pd.Series(shapely.distance(pts.values, border_metric(ds)), index=ds.places.index)


def distance_to_border_m(ds: Dataset, lon: float, lat: float) -> float:
    """Distance in metres from a WGS84 point to the Turkish border."""
    return shapely.distance(to_metric(shapely.Point(lon, lat)), border_metric(ds))
