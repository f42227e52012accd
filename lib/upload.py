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
from pyproj.exceptions import CRSError, ProjError
from shapely.geometry import shape

from lib.bounded_repair import RepairRefused, repair_union
from lib.control import syria_metric
from lib.data import Dataset
from lib.data.geo import to_metric
from lib.data.records import WGS84_CRS_NAMES
from lib.figures import area_figures
from lib.text import quoted

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # also server.maxUploadSize in .streamlit/config.toml
MAX_NAME_LEN = 80
# The work a file may cost is bounded, so that readers uploading at once cannot stall
# the server: a file at these limits is read in a fraction of a second (the benchmark
# measures it). Past them the file is refused with the limit it broke.
MAX_FEATURES = 1_000
MAX_VERTICES = 50_000
# Only the part of a layer near Syria is counted: clipping in lon/lat first keeps a
# huge polygon (a box over half the world) right, and its edges are then given a
# point every DENSIFY_DEG so that projecting them to metres does not cut corners.
REGION_MARGIN_DEG = 2.0
DENSIFY_DEG = 0.05
MOSTLY_OUTSIDE = 0.5  # share of a layer's ground (near Syria) outside Syria worth a note


class UploadError(ValueError):
    """The upload cannot be used; the message says why (markdown, values escaped)."""


@dataclass(frozen=True)
class UserLayer:
    name: str
    geometry: object  # WGS84 (multi)polygon, valid, clipped to the region around Syria
    notes: tuple[str, ...] = field(default=())  # repairs and conversions made


def _properties(value, where: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise UploadError(f"{where} has 'properties' that are not an object")
    return value


def _geometries(doc) -> list[tuple[dict | None, dict]]:
    """(geometry, properties) pairs of a FeatureCollection, Feature or bare geometry;
    any JSON value where an object belongs is named."""
    kind = doc.get("type") if isinstance(doc, dict) else None
    if kind == "FeatureCollection":
        feats = doc.get("features")
        if not isinstance(feats, list):
            raise UploadError("its 'features' is not a list")
        if len(feats) > MAX_FEATURES:
            raise UploadError(
                f"it has {len(feats):,} features; the limit is {MAX_FEATURES:,} "
                "(merge them, or simplify the file)"
            )
        out = []
        for i, f in enumerate(feats):
            if not isinstance(f, dict) or f.get("type") != "Feature":
                raise UploadError(f"feature {i + 1} is not a GeoJSON Feature object")
            out.append((f.get("geometry"), _properties(f.get("properties"), f"feature {i + 1}")))
        return out
    if kind == "Feature":
        return [(doc.get("geometry"), _properties(doc.get("properties"), "the feature"))]
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
    """None for WGS84 (the RFC 7946 default); the horizontal CRS a legacy `crs` member
    names, if it can be converted to WGS84."""
    crs = doc.get("crs") if isinstance(doc, dict) else None
    if crs is None:
        return None
    props = crs.get("properties") if isinstance(crs, dict) else None
    name = props.get("name") if isinstance(props, dict) else None
    if not isinstance(name, str):
        raise UploadError("its 'crs' member names no coordinate system")
    if name in WGS84_CRS_NAMES:
        return None
    try:
        parsed = CRS.from_user_input(name)
    except (CRSError, ValueError, TypeError):
        raise UploadError(f"its coordinate system {quoted(name)} is unknown") from None
    if not (parsed.is_geographic or parsed.is_projected) or parsed.is_vertical:
        raise UploadError(
            f"its coordinate system {quoted(name)} is not a horizontal one (geographic or "
            "projected): its coordinates cannot be placed on the map"
        )
    try:
        Transformer.from_crs(parsed, CRS.from_epsg(4326), always_xy=True)
    except ProjError:
        raise UploadError(
            f"its coordinate system {quoted(name)} cannot be converted to WGS84"
        ) from None
    return parsed


MAX_NUMBER_DIGITS = 64  # no coordinate needs more; Python refuses ints over 4,300


def _number(text: str, kind=float):
    if len(text) > MAX_NUMBER_DIGITS:
        raise UploadError(
            f"it has a number written with {len(text):,} characters "
            f"({quoted(text, 20)}); the limit is {MAX_NUMBER_DIGITS}"
        )
    return kind(text)


def _no_constant(name: str):
    raise UploadError(f"it has the value {name}, which is not a number JSON allows")


def _parse(raw: bytes):
    try:
        return json.loads(
            raw.decode("utf-8-sig"),  # a byte-order mark is harmless
            parse_int=lambda t: _number(t, int),
            parse_float=_number,
            parse_constant=_no_constant,  # NaN, Infinity, -Infinity
        )
    except UnicodeDecodeError:
        raise UploadError("the file is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise UploadError(
            f"the file is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    except RecursionError:
        raise UploadError("the file nests its JSON too deeply to be GeoJSON") from None


def _to_wgs84(geom, crs: CRS):
    try:
        to_wgs = Transformer.from_crs(crs, CRS.from_epsg(4326), always_xy=True)
        out = shapely.transform(geom, to_wgs.transform, interleaved=False)
    except ProjError as exc:
        raise UploadError(f"its coordinates could not be converted to WGS84 ({exc})") from None
    if not np.isfinite(shapely.get_coordinates(out)).all():
        raise UploadError(
            f"some coordinates lie outside where {quoted(crs.to_string())} can be converted"
        )
    return out


def read_user_layer(raw: bytes, filename: str, ds: Dataset) -> UserLayer:
    """The polygons of an uploaded GeoJSON file, as one valid WGS84 geometry.

    Raises UploadError with a message naming the problem (markdown: every value from
    the file is escaped).
    """
    if len(raw) > MAX_UPLOAD_BYTES:
        raise UploadError(
            f"the file is {len(raw) / 2**20:.1f} MB; the limit is {MAX_UPLOAD_BYTES // 2**20} MB"
        )
    if not raw.strip():
        raise UploadError("the file is empty")
    doc = _parse(raw)
    notes: list[str] = []
    crs = _crs_of(doc)
    polygons, other, name, vertices = [], set(), None, 0
    for i, (gj, props) in enumerate(_geometries(doc)):
        if name is None and isinstance(props.get("name"), str) and props["name"].strip():
            name = props["name"].strip()
        if gj is None:
            continue
        if not isinstance(gj, dict):
            raise UploadError(f"feature {i + 1} has a geometry that is not an object")
        try:
            geom = shape(gj)
        except RecursionError:
            raise UploadError(f"feature {i + 1} nests its geometry too deeply") from None
        except Exception as exc:  # shapely raises several types for malformed input
            raise UploadError(
                f"feature {i + 1} has a malformed geometry: {str(exc)[:120]}"
            ) from None
        vertices += shapely.get_num_coordinates(geom)
        if vertices > MAX_VERTICES:
            raise UploadError(
                f"it has more than {MAX_VERTICES:,} vertices; the limit is {MAX_VERTICES:,} "
                "(simplify the file)"
            )
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
    if crs is not None:  # before the repair: a reprojection can fold a polygon
        polygons = [_to_wgs84(p, crs) for p in polygons]
        notes.append(f"Reprojected from {crs.to_string()} to WGS84.")
    minx, miny, maxx, maxy = shapely.total_bounds(polygons)
    if not (math.isfinite(minx) and -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise UploadError(
            "its coordinates lie outside the world (longitude -180..180, "
            "latitude -90..90): is it in another coordinate system without "
            "a 'crs' member?"
        )
    # the repair and the union cost whatever the shapes ask: bounded (lib/bounded_repair)
    try:
        repaired = repair_union(polygons)
    except RepairRefused as exc:
        raise UploadError(str(exc)) from None
    geom = repaired.geometry
    if repaired.invalid_reasons:
        notes.append(f"Repaired invalid geometry ({repaired.invalid_reasons[0][:80]}).")
    region = _region(ds)
    swapped = shapely.transform(geom, lambda xy: xy[:, ::-1])
    if not geom.intersects(ds.syria) and swapped.intersects(ds.syria):
        raise UploadError(
            "its coordinates look like [latitude, longitude]; GeoJSON wants [longitude, latitude]"
        )
    geom = _polygonal(shapely.intersection(geom, region))
    if geom.is_empty or not geom.intersects(ds.syria):
        raise UploadError("it does not overlap Syria")
    geom = shapely.segmentize(geom, DENSIFY_DEG)
    near_m = to_metric(geom).area
    inside_m = shapely.intersection(to_metric(geom), syria_metric(ds)).area
    if near_m > 0 and 1 - inside_m / near_m > MOSTLY_OUTSIDE:
        notes.append(
            f"Most of this layer ({1 - inside_m / near_m:.0%} of it near Syria) lies outside "
            "Syria: only the part inside is counted. Check that it is where you meant."
        )
    name = (name or filename.rsplit("/", 1)[-1] or "Your layer")[:MAX_NAME_LEN]
    return UserLayer(name, geom, tuple(notes))


def _polygonal(geom):
    """The polygons of a union's result (no stray lines or points), without a second
    union: they are disjoint already."""
    polys = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon"]
    if len(polys) == 1:
        return polys[0]
    return shapely.MultiPolygon(polys) if polys else shapely.Polygon()


def _region(ds: Dataset):
    """Syria's bounding box with a margin, in lon/lat: what a layer is clipped to."""
    minx, miny, maxx, maxy = ds.syria.bounds
    m = REGION_MARGIN_DEG
    return shapely.box(minx - m, miny - m, maxx + m, maxy + m)


def user_layer_figures(ds: Dataset, layer: UserLayer, day: date) -> dict:
    """Figures for the part of the user's layer inside Syria: the same record as a
    proposal's zone (lib.figures.figures_record), with no depth."""
    return area_figures(ds, shapely.intersection(to_metric(layer.geometry), syria_metric(ds)), day)
