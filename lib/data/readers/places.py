"""places.geojson: towns and cities, with their population and other names."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from lib.data.checking import Checker, read_features
from lib.data.errors import Problem
from lib.data.readers.base import Reader
from lib.data.records import PLACES_FILE


def _read_places(path: Path, sources) -> tuple[gpd.GeoDataFrame | None, list[Problem]]:
    ck = Checker(PLACES_FILE)
    rows, seen = [], set()
    for i, (_where, props, geom) in enumerate(read_features(path, ck, ("Point",))):
        pid = ck.new_id(props, i, seen)
        name = ck.text(props, "name", pid)
        pop = props.get("population")
        if pop is not None and (isinstance(pop, bool) or not isinstance(pop, int) or pop < 0):
            ck.add(pid, "population", f"must be a whole number >= 0 or null, got {pop!r}")
        approximate = ck.boolean(props, "approximate", pid)
        source = ck.sources(props, "source", pid, sources)
        alt = props.get("alt_names", [])
        if not isinstance(alt, list) or not all(isinstance(v, str) for v in alt):
            ck.add(pid, "alt_names", "must be a list of names (other spellings)")
            alt = []
        if None not in (name, approximate, source):
            rows.append(
                {
                    "id": pid,
                    "name": name,
                    "name_local": props.get("name_local"),
                    "alt_names": tuple(alt),  # other spellings, for the search
                    "name_geonames": props.get("name_geonames"),
                    "population": pop,
                    "admin1": props.get("admin1"),
                    "geonameid": props.get("geonameid"),
                    "approximate": approximate,
                    "source": source,
                    "geometry": geom,
                }
            )
    if not rows:
        if not ck.problems:
            ck.add(None, "features", "has no places")
        return None, ck.problems
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326").set_index("id", drop=False)
    return gdf, ck.problems


READER = Reader(PLACES_FILE, gives=("places",), needs=("sources",), read=_read_places)
