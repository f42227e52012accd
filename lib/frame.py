"""The ground a print graphic shows (lib/graphic.py): a box in degrees, from all of
Syria, the features of some layers, or a web map's view. Apart from lib.graphic so that
the pages offering the graphic need not import matplotlib to name its frame: that
import was most of a server's first page after its start."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from shapely.geometry import shape

from lib.data import Dataset
from lib.layers import by_key
from lib.map_layers import syria_bounds


@dataclass(frozen=True)
class Frame:
    """The ground shown: west, south, east, north in degrees."""

    west: float
    south: float
    east: float
    north: float

    @classmethod
    def of_syria(cls, ds: Dataset) -> Frame:
        (s, w), (n, e) = syria_bounds(ds)
        return cls(w - 0.3, s - 0.25, e + 0.3, n + 0.35)

    @classmethod
    def around(cls, ds: Dataset, keys, day: date, pad: float = 0.35) -> Frame | None:
        """The ground of these layers' features on `day` (e.g. the buffer zones along
        the border), with a margin; None when they have none."""
        bounds = [
            shape(f["geometry"]).bounds
            for key in keys
            for f in by_key(ds)[key].display(ds, day)["features"]
            if f.get("geometry")
        ]
        if not bounds:
            return None
        return cls(
            min(b[0] for b in bounds) - pad,
            min(b[1] for b in bounds) - pad,
            max(b[2] for b in bounds) + pad,
            max(b[3] for b in bounds) + pad,
        )

    @classmethod
    def of_view(cls, lat: float, lng: float, zoom: float, px=(1100, 720)) -> Frame:
        """The ground a web map of `px` (width, height) shows at this centre and zoom."""
        deg_per_px = 360 / (256 * 2**zoom)
        half_w = px[0] / 2 * deg_per_px
        half_h = px[1] / 2 * deg_per_px * math.cos(math.radians(lat))
        return cls(lng - half_w, lat - half_h, lng + half_w, lat + half_h)
