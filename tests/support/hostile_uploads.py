"""Uploads shaped to cost the server as much as possible, each inside the stated limits
(10 MB, 1,000 features, 50,000 vertices): the classes of issue 31. Made the same way
every time (a fixed seed), for the tests and the benchmark (bench: worst upload).

Each costs minutes of CPU or gigabytes of memory to repair without a budget.
"""

from __future__ import annotations

import json
import math

import numpy as np

# northern Syria, where a reader's zone would be
LON, LAT = (36.5, 40.5), (35.9, 36.9)


def _random_ring(rng, n: int) -> list:
    pts = np.column_stack([rng.uniform(*LON, n), rng.uniform(*LAT, n)]).round(4).tolist()
    return pts + [pts[0]]


def _star_ring(n: int) -> list:
    """n points on a circle visited nearly half a turn at a time: every edge crosses
    most of the others."""
    cx, cy, r, step = 38.0, 36.4, 0.4, n // 2 - 1
    pts = [
        [
            round(cx + r * math.cos(2 * math.pi * (i * step % n) / n), 5),
            round(cy + r * math.sin(2 * math.pi * (i * step % n) / n), 5),
        ]
        for i in range(n)
    ]
    return pts + [pts[0]]


def _collection(*geometries) -> bytes:
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": {}, "geometry": g} for g in geometries],
        }
    ).encode()


def hostile_uploads() -> dict[str, bytes]:
    """name -> file content, for every class of costly geometry."""
    rng = np.random.default_rng(31)
    shell = [[37.0, 36.0], [39.0, 36.0], [39.0, 36.8], [37.0, 36.8], [37.0, 36.0]]
    return {
        # 10 kB: tens of thousands of crossings
        "random_ring_500": _collection(
            {"type": "Polygon", "coordinates": [_random_ring(rng, 500)]}
        ),
        # 60 kB: the most memory of them all (about 12 GB unbounded)
        "random_ring_3000": _collection(
            {"type": "Polygon", "coordinates": [_random_ring(rng, 3_000)]}
        ),
        # 1 MB (2 MB with more digits): asked for 12 GB and crashed the server
        "random_ring_48000": _collection(
            {"type": "Polygon", "coordinates": [_random_ring(rng, 48_000)]}
        ),
        "star_20000": _collection({"type": "Polygon", "coordinates": [_star_ring(20_001)]}),
        "overlapping_parts_400": _collection(
            {
                "type": "MultiPolygon",
                "coordinates": [[_random_ring(rng, 100)] for _ in range(400)],
            }
        ),
        "holes_crossing_shell_400": _collection(
            {
                "type": "Polygon",
                "coordinates": [shell] + [_random_ring(rng, 40) for _ in range(400)],
            }
        ),
        # valid parts, each simple, whose union crosses itself everywhere
        "valid_stars_1000": _collection(
            *({"type": "Polygon", "coordinates": [_convex_blob(rng)]} for _ in range(1000))
        ),
    }


def _convex_blob(rng) -> list:
    """A 48-gon (valid) somewhere over northern Syria, overlapping many others."""
    cx, cy = rng.uniform(*LON), rng.uniform(*LAT)
    t = np.linspace(0, 2 * np.pi, 48, endpoint=False)
    r = rng.uniform(0.2, 0.6)
    ring = np.c_[cx + r * np.cos(t), cy + 0.7 * r * np.sin(t)].round(5).tolist()
    return ring + [ring[0]]


def long_number_upload(digits: int = 5_000) -> bytes:
    """A coordinate written with `digits` digits: Python refuses ints of over 4,300."""
    ring = [[36.9, 36.1], [37.4, 36.1], [37.4, 36.5], [36.9, 36.5], [36.9, 36.1]]
    text = json.dumps({"type": "Polygon", "coordinates": [ring]})
    return text.replace("36.5]", "3" + "1" * digits + "]", 1).encode()
