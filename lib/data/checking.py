"""The toolkit every reader uses: a `Checker` that collects one file's problems
(each naming the file, the feature and the field) and the reading of JSON and
GeoJSON features with their geometry checked (WGS84, in range, valid or repaired)."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry import shape

from lib.data.dates import parse_iso_date
from lib.data.errors import Problem
from lib.data.records import ID_PATTERN, MAX_FILE_BYTES, SOURCE_SEPARATOR, WGS84_CRS_NAMES


class Checker:
    """Collects problems for one file."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def add(self, feature: str | None, fld: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, feature, fld, message))

    def text(self, obj: dict, key: str, where: str, optional: bool = False) -> str | None:
        value = obj.get(key)
        if value is None:
            if not optional:
                self.add(where, key, "is missing")
            return None
        if not isinstance(value, str) or not value.strip():
            self.add(where, key, f"must be a non-empty string, got {value!r}")
            return None
        return value

    def number(self, obj: dict, key: str, where: str, optional: bool = False) -> float | None:
        value = obj.get(key)
        if value is None:
            if not optional:
                self.add(where, key, "is missing")
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
        ):
            self.add(where, key, f"must be a finite number, got {value!r}")
            return None
        return value

    def boolean(self, obj: dict, key: str, where: str) -> bool | None:
        value = obj.get(key)
        if not isinstance(value, bool):
            self.add(where, key, f"must be true or false, got {value!r}")
            return None
        return value

    def choice(self, obj: dict, key: str, where: str, allowed) -> str | None:
        value = self.text(obj, key, where)
        if value is not None and value not in allowed:
            self.add(where, key, f"'{value}' is not one of: {', '.join(sorted(allowed))}")
            return None
        return value

    def day(
        self,
        obj: dict,
        key: str,
        where: str,
        lo: date | None = None,
        hi: date | None = None,
        optional: bool = False,
    ) -> date | None:
        value = self.text(obj, key, where, optional=optional)
        if value is None:
            return None
        try:
            day = parse_iso_date(value)
        except ValueError as exc:
            self.add(where, key, str(exc))
            return None
        if lo is not None and day < lo:
            self.add(where, key, f"{value} is before {lo.isoformat()}")
            return None
        if hi is not None and day > hi:
            self.add(where, key, f"{value} is after {hi.isoformat()}")
            return None
        return day

    def sources(self, obj: dict, key: str, where: str, known) -> str | None:
        """A source id or a list of them, each known: joined with "; " (one string)."""
        value = obj.get(key)
        ids = value if isinstance(value, list) else [value]
        if value is None or not ids or not all(isinstance(v, str) and v for v in ids):
            self.add(where, key, "must be a source id or a non-empty list of source ids")
            return None
        unknown = [v for v in ids if v not in known]
        for v in unknown:
            self.add(where, key, f"refers to unknown source '{v}'")
        if len(set(ids)) != len(ids):
            self.add(where, key, "lists a source twice")
        return None if unknown else SOURCE_SEPARATOR.join(ids)

    def ref(self, obj: dict, key: str, where: str, known, what: str) -> str | None:
        value = self.text(obj, key, where)
        if value is not None and value not in known:
            self.add(where, key, f"refers to unknown {what} '{value}'")
            return None
        return value

    def new_id(self, obj: dict, index: int, seen: set) -> str:
        value = obj.get("id")
        fallback = f"item {index + 1}"
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.add(
                fallback, "id", f"must be a lower-case id of letters, digits, _ or -, got {value!r}"
            )
            return fallback
        if value in seen:
            self.add(value, "id", "is used twice")
        seen.add(value)
        return value


def read_json(path: Path, checker: Checker) -> Any:
    if not path.is_file():
        checker.add(None, None, "is missing from the data folder")  # its path stays on the server
        return None
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        checker.add(
            None,
            None,
            f"is too large ({size / 2**20:.0f} MB; the limit is {MAX_FILE_BYTES / 2**20:.0f} MB)",
        )
        return None
    try:
        raw = path.read_bytes()
    except OSError as exc:
        checker.add(None, None, f"cannot be read ({exc.strerror or type(exc).__name__})")
        return None
    if not raw.strip():
        checker.add(None, None, "is empty")
        return None
    try:
        return json.loads(raw)
    except UnicodeDecodeError:
        checker.add(None, None, "is not UTF-8 text")
    except json.JSONDecodeError as exc:
        checker.add(
            None, None, f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        )
    return None


def list_member(doc: Any, key: str, checker: Checker) -> list:
    if not isinstance(doc, dict):
        checker.add(None, None, f"must be a JSON object with a '{key}' list")
        return []
    items = doc.get(key)
    if not isinstance(items, list):
        checker.add(None, key, "must be a list")
        return []
    return items


def objects_of(doc: Any, key: str, checker: Checker) -> list[tuple[int, dict]]:
    """(index, object) of each object in `doc`'s list `key`; anything else in the list
    is a problem named by its place ("item 3"), and left out."""
    out = []
    for i, item in enumerate(list_member(doc, key, checker)):
        if isinstance(item, dict):
            out.append((i, item))
        else:
            checker.add(f"item {i + 1}", None, "must be an object")
    return out


def coords_in_range(geom_json: Any) -> bool:
    """True when every coordinate is a finite [lon, lat] inside the world."""

    def walk(c) -> bool:
        if (
            isinstance(c, (list, tuple))
            and c
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in c)
        ):
            if len(c) < 2 or not all(math.isfinite(v) for v in c):
                return False
            return -180 <= c[0] <= 180 and -90 <= c[1] <= 90
        if isinstance(c, (list, tuple)) and c:
            return all(walk(x) for x in c)
        return False

    return walk(geom_json.get("coordinates"))


def read_features(
    path: Path, checker: Checker, geometry_types: tuple[str, ...], allow_null: bool = False
) -> list[tuple[str, dict, Any]]:
    """Read a GeoJSON FeatureCollection: [(where, properties, shapely geometry or None)]."""
    doc = read_json(path, checker)
    if doc is None:
        return []
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        checker.add(None, "type", "must be a GeoJSON FeatureCollection")
        return []
    crs = doc.get("crs")
    if crs is not None:
        name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
        if name not in WGS84_CRS_NAMES:
            checker.add(None, "crs", f"must be WGS84 (RFC 7946), got {name or crs!r}")
            return []
    out = []
    for i, feat in enumerate(list_member(doc, "features", checker)):
        if not isinstance(feat, dict) or feat.get("type") != "Feature":
            checker.add(f"feature {i + 1}", "type", "must be a GeoJSON Feature")
            continue
        props = feat.get("properties")
        if not isinstance(props, dict):
            checker.add(f"feature {i + 1}", "properties", "must be an object")
            continue
        label = props.get("id") or props.get("name")
        where = label if isinstance(label, str) and label else f"feature {i + 1}"
        gj = feat.get("geometry")
        if gj is None:
            if not allow_null:
                checker.add(where, "geometry", "is missing")
            out.append((where, props, None))
            continue
        if not isinstance(gj, dict) or gj.get("type") not in geometry_types:
            got = gj.get("type") if isinstance(gj, dict) else gj
            checker.add(
                where, "geometry", f"must be one of {', '.join(geometry_types)}, got {got!r}"
            )
            continue
        if not coords_in_range(gj):
            checker.add(
                where,
                "geometry",
                "has coordinates that are not numbers or lie outside the world "
                "(longitude -180..180, latitude -90..90; GeoJSON order is [lon, lat])",
            )
            continue
        try:
            geom = shape(gj)
        except Exception as exc:  # shapely raises several types for malformed input
            checker.add(where, "geometry", f"is malformed: {exc}")
            continue
        if geom.is_empty:
            checker.add(where, "geometry", "is empty")
            continue
        out.append((where, props, geom))
    return out


def frame(rows: list[dict], index: bool = True) -> gpd.GeoDataFrame:
    """A WGS84 GeoDataFrame of rows (possibly none), indexed by id."""
    if not rows:
        return gpd.GeoDataFrame({"id": [], "geometry": []}, geometry="geometry", crs="EPSG:4326")
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    return gdf.set_index("id", drop=False) if index else gdf


def repair(geom, where: str, ck: Checker, notes: list[str], repairable: bool):
    if geom.is_valid:
        return geom
    reason = shapely.is_valid_reason(geom)
    if not repairable:
        ck.add(where, "geometry", f"is not valid ({reason})")
        return None
    fixed = shapely.make_valid(geom)
    # make_valid can return a collection with stray lines; keep the polygonal part.
    polys = shapely.get_parts(fixed)
    polys = [p for p in polys if p.geom_type in ("Polygon", "MultiPolygon")]
    fixed = shapely.union_all(polys) if polys else None
    if fixed is None or fixed.is_empty or not fixed.is_valid:
        ck.add(where, "geometry", f"is not valid ({reason}) and could not be repaired")
        return None
    notes.append(f"{ck.file}, {where}: invalid geometry ({reason}) repaired with make_valid")
    return fixed
