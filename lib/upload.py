"""A user's own layer (their proposed zone, a front line from another source): read,
validate and repair an uploaded GeoJSON file, and count it like a proposal.

Every problem gives a message naming it; repairs are made only where safe and said.
Nothing is written anywhere: the layer lives in the user's session only.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError
from shapely.geometry import shape

from lib.control import area_cells, area_holders, places_metric, syria_metric
from lib.geo import SQ_METRES_PER_SQ_MILE, to_metric
from lib.geodata import WGS84_CRS_NAMES, Dataset

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # also server.maxUploadSize in .streamlit/config.toml
MAX_NAME_LEN = 80


class UploadError(ValueError):
    """The upload cannot be used; the message says why."""


@dataclass(frozen=True)
class UserLayer:
    name: str
    geometry: object  # WGS84 (multi)polygon, valid
    notes: tuple[str, ...] = field(default=())  # repairs and conversions made


def _geometries(doc) -> list[tuple[dict, dict]]:
    """(geometry, properties) pairs of a FeatureCollection, Feature or bare geometry."""
    kind = doc.get("type") if isinstance(doc, dict) else None
    if kind == "FeatureCollection":
        feats = doc.get("features")
        if not isinstance(feats, list):
            raise UploadError("its 'features' is not a list")
        return [
            (f.get("geometry"), f.get("properties") or {}) for f in feats if isinstance(f, dict)
        ]
    if kind == "Feature":
        return [(doc.get("geometry"), doc.get("properties") or {})]
    if kind in (
        "Polygon",
        "MultiPolygon",
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "GeometryCollection",
    ):
        return [(doc, {})]
    raise UploadError("it is not GeoJSON (no FeatureCollection, Feature or geometry)")


def _crs_of(doc) -> CRS | None:
    """None for WGS84 (the RFC 7946 default); the CRS a legacy `crs` member names."""
    crs = doc.get("crs") if isinstance(doc, dict) else None
    if crs is None:
        return None
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    if not isinstance(name, str):
        raise UploadError("its 'crs' member names no coordinate system")
    if name in WGS84_CRS_NAMES:
        return None
    try:
        return CRS.from_user_input(name)
    except CRSError:
        raise UploadError(f"its coordinate system {name[:60]!r} is unknown") from None


def read_user_layer(raw: bytes, filename: str, ds: Dataset) -> UserLayer:
    """The polygons of an uploaded GeoJSON file, as one valid WGS84 geometry.

    Raises UploadError with a message naming the problem.
    """
    if len(raw) > MAX_UPLOAD_BYTES:
        raise UploadError(
            f"the file is {len(raw) / 2**20:.1f} MB; the limit is {MAX_UPLOAD_BYTES // 2**20} MB"
        )
    if not raw.strip():
        raise UploadError("the file is empty")
    try:
        doc = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise UploadError("the file is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise UploadError(
            f"the file is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    notes: list[str] = []
    crs = _crs_of(doc)
    polygons, other, name = [], set(), None
    for i, (gj, props) in enumerate(_geometries(doc)):
        if name is None and isinstance(props.get("name"), str) and props["name"].strip():
            name = props["name"].strip()
        if not isinstance(gj, dict):
            continue
        try:
            geom = shape(gj)
        except Exception as exc:  # shapely raises several types for malformed input
            raise UploadError(f"feature {i + 1} has a malformed geometry: {exc}") from None
        coords = shapely.get_coordinates(geom)
        if not np.isfinite(coords).all():
            raise UploadError(f"feature {i + 1} has coordinates that are not finite numbers")
        if geom.geom_type in ("Polygon", "MultiPolygon"):
            polygons.append(geom)
        else:
            other.add(geom.geom_type)
    if not polygons:
        found = f" (found: {', '.join(sorted(other))})" if other else ""
        raise UploadError(f"it has no polygons{found}: a zone must be a Polygon or MultiPolygon")
    geom = shapely.union_all([shapely.make_valid(p) if not p.is_valid else p for p in polygons])
    if crs is not None:
        to_wgs = Transformer.from_crs(crs, CRS.from_epsg(4326), always_xy=True)
        geom = shapely.transform(geom, to_wgs.transform, interleaved=False)
        notes.append(f"Reprojected from {crs.to_string()} to WGS84.")
    minx, miny, maxx, maxy = geom.bounds
    if not (math.isfinite(minx) and -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise UploadError(
            "its coordinates lie outside the world (longitude -180..180, "
            "latitude -90..90): is it in another coordinate system without "
            "a 'crs' member?"
        )
    swapped = shapely.transform(geom, lambda xy: xy[:, ::-1])
    if not geom.intersects(ds.syria) and swapped.intersects(ds.syria):
        raise UploadError(
            "its coordinates look like [latitude, longitude]; GeoJSON wants [longitude, latitude]"
        )
    invalid = [shapely.is_valid_reason(p) for p in polygons if not p.is_valid]
    if invalid:
        notes.append(f"Repaired invalid geometry ({invalid[0]}).")
    geom = shapely.make_valid(geom)
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    geom = shapely.union_all(parts)
    if geom.is_empty or not geom.intersects(ds.syria):
        raise UploadError("it does not overlap Syria")
    name = (name or filename.rsplit("/", 1)[-1] or "Your layer")[:MAX_NAME_LEN]
    return UserLayer(name, geom, tuple(notes))


def user_layer_figures(ds: Dataset, layer: UserLayer, day: date) -> dict:
    """Figures for the part of the user's layer inside Syria, like zone_figures."""
    zone = shapely.intersection(to_metric(layer.geometry), syria_metric(ds))
    shapely.prepare(zone)
    inside = shapely.contains(zone, places_metric(ds).values)
    pops = ds.places["population"][inside]
    ids, cells = area_cells(ds)
    held = area_holders(ds, day)
    by_faction: dict[str, float] = {}
    hits = shapely.intersects(zone, cells)
    for aid, cell in zip(np.asarray(ids)[hits], cells[hits]):
        area = shapely.intersection(cell, zone).area / 1e6
        by_faction[held[aid].faction] = by_faction.get(held[aid].faction, 0.0) + area
    return {
        "distance_mi": float("nan"),
        "distance_km": float("nan"),
        "area_km2": zone.area / 1e6,
        "area_mi2": zone.area / SQ_METRES_PER_SQ_MILE,
        "share_of_syria": zone.area / syria_metric(ds).area,
        "places": int(inside.sum()),
        "population": int(pops.dropna().sum()),
        "places_without_population": int(pops.isna().sum()),
        "faction_area_km2": dict(
            sorted(((f, a) for f, a in by_faction.items() if a > 0.005), key=lambda kv: -kv[1])
        ),
    }
