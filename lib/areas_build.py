"""Rebuild geodata/control_areas.geojson from the authored geodata/control_areas_src.json.

The control model's unit is an *area*: a piece of Syria whose holder changes as one
(the Idlib pocket, Aleppo city, the west bank of the Euphrates at Deir ez-Zor...). The
areas partition Syria. They are authored as rough outlines, in an order of
precedence, and made exact here:

1. each outline is cut to Syria, to one side of the Euphrates if it says so (where
   the river was the line), and to what no earlier area already covers; an outline
   may be a polygon, a circle (al-Tanf's 55 km zone) or "rest" (all that is left;
   of the last, catch-all "rest", only the largest part: its other parts are slivers
   between hand-drawn outlines, given to the neighbour they share most edge with);
   An area may instead be split into **cells** (`"cells"`: named points, each with its
   id, name and sources): each cell is the part of the area nearer to its point than to
   any other of the area's points (Thiessen cells, measured in metres), so a front can
   move village by village or quarter by quarter. Its edges run midway between
   neighbouring named places; the area itself is then not written, only its cells;
2. the pieces' edges are noded on a 1e-5 degree grid (about 1 m) and polygonised, so
   that neighbouring areas share every vertex of their common edge: the areas form an
   exact coverage, which the app dissolves by holder without slivers.

Deterministic: the same inputs give a byte-identical file.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping, shape

from lib.data.geo import polygonal, to_metric, to_wgs84
from lib.data.records import AREAS_FILE, AREAS_SOURCE_FILE, BORDERS_FILE, GEODATA_DIR, RIVERS_FILE
from lib.jsonio import dumps_geojson, write_atomic

GRID = 1e-5  # degrees: the output's precision, about 1 m
SIDES = ("north-east", "south-west")  # of the Euphrates
CARRIED = ("id", "name", "edges", "precision_km", "source")  # properties written out


def euphrates_sides(syria, euphrates) -> dict[str, object]:
    """Syria split along the Euphrates: {"north-east": the Jazira, "south-west": the rest}.

    The river line crosses the border at both ends (it runs on into Turkey and
    Iraq), so the split gives two main pieces; any sliver where the 1:10m border and
    the river disagree goes to the side it touches most, by its representative point.
    """
    pieces = shapely.get_parts(shapely.ops.split(syria, euphrates))
    pieces = sorted(pieces, key=lambda p: -p.area)
    if len(pieces) < 2:
        raise ValueError("the Euphrates line does not split Syria in two")
    north_east = pieces[0] if pieces[0].centroid.x > pieces[1].centroid.x else pieces[1]
    south_west = pieces[1] if north_east is pieces[0] else pieces[0]
    for extra in pieces[2:]:  # slivers: by which main piece is nearer
        if north_east.distance(extra.representative_point()) <= south_west.distance(
            extra.representative_point()
        ):
            north_east = north_east.union(extra)
        else:
            south_west = south_west.union(extra)
    return {"north-east": north_east, "south-west": south_west}


def _outline(spec, where: str):
    """An authored outline as a shapely geometry (None for "rest")."""
    if spec == "rest":
        return None
    if isinstance(spec, dict) and "circle" in spec:
        lon, lat = spec["circle"]["center"]
        radius_m = float(spec["circle"]["radius_km"]) * 1000
        return to_wgs84(to_metric(shapely.Point(lon, lat)).buffer(radius_m, quad_segs=32))
    if isinstance(spec, list) and len(spec) >= 3:
        ring = [tuple(c) for c in spec]
        poly = shapely.Polygon(ring)
        if not poly.is_valid:
            raise ValueError(f"{where}: outline is not a simple polygon")
        return poly
    raise ValueError(f"{where}: outline must be a list of [lon, lat], a circle or 'rest'")


def clip_areas(src: dict, syria, euphrates) -> list[tuple[dict, object]]:
    """(properties, piece) for each authored area, cut in order of precedence."""
    sides = euphrates_sides(syria, euphrates)
    taken = shapely.Polygon()
    out = []
    for i, item in enumerate(src["areas"]):
        where = f"{AREAS_SOURCE_FILE}, area {item.get('id', i + 1)}"
        outline = _outline(item.get("outline"), where)
        piece = syria if outline is None else shapely.intersection(outline, syria)
        side = item.get("side")
        if side is not None:
            if side not in SIDES:
                raise ValueError(f"{where}: side must be one of {', '.join(SIDES)}")
            piece = shapely.intersection(piece, sides[side])
        piece = shapely.difference(piece, taken)
        piece = polygonal(piece)
        if piece.is_empty or piece.area < 1e-6:
            raise ValueError(f"{where}: covers no part of Syria left by the areas before it")
        taken = shapely.union(taken, piece)
        if "cells" in item:
            out.extend(split_into_cells(item, piece, where))
            continue
        props = {k: item[k] for k in CARRIED if k in item}
        if outline is None and side is None:
            props["rest"] = True  # the catch-all: its stray parts are slivers
        out.append((props, piece))
    left = polygonal(shapely.difference(syria, taken))
    if left.area > 1e-6:
        raise ValueError(f"{AREAS_SOURCE_FILE}: the areas leave part of Syria uncovered")
    return _absorb_slivers(out)


CELL_EDGES = "Midway between {name} and the neighbouring named places of {area} (Thiessen cells)"


def split_into_cells(item: dict, piece, where: str) -> list[tuple[dict, object]]:
    """(properties, cell) for each named point of an area's `cells`: the part of the
    area's piece nearer to that point than to the others, by distance in metres."""
    cells = item["cells"]
    if not isinstance(cells, list) or len(cells) < 2:
        raise ValueError(f"{where}: cells must list two or more named points")
    points = []
    for cell in cells:
        try:
            lon, lat = (float(v) for v in cell["at"])
            props = {
                "id": str(cell["id"]),
                "name": str(cell["name"]),
                "edges": CELL_EDGES.format(name=cell["name"], area=item["name"]),
                "precision_km": float(cell.get("precision_km", item["precision_km"])),
                "source": cell.get("source", item.get("source")),
            }
        except (KeyError, TypeError, ValueError):
            raise ValueError(
                f"{where}: each cell needs an id, a name and 'at': [lon, lat]"
            ) from None
        point = shapely.Point(lon, lat)
        if not piece.contains(point):
            raise ValueError(f"{where}, cell {props['id']}: its point is outside the area")
        points.append((props, point))
    metric = to_metric(shapely.MultiPoint([p for _, p in points]))
    regions = shapely.get_parts(  # ordered: the i-th region is the i-th point's
        shapely.voronoi_polygons(
            metric, extend_to=to_metric(piece).envelope.buffer(10_000), ordered=True
        )
    )
    return [
        (props, polygonal(shapely.intersection(piece, to_wgs84(region))))
        for (props, _), region in zip(points, regions)
    ]


def _absorb_slivers(areas: list[tuple[dict, object]]) -> list[tuple[dict, object]]:
    """A "rest" area keeps its largest part; its other parts are slivers left between
    hand-drawn outlines, and each goes to the area it shares the longest edge with."""
    rests = [i for i, (props, _) in enumerate(areas) if props.get("rest")]
    pieces = [piece for _, piece in areas]
    for i in rests:
        parts = sorted(shapely.get_parts(pieces[i]), key=lambda p: -p.area)
        pieces[i] = parts[0]
        for part in parts[1:]:
            edge = part.boundary.buffer(1e-6)
            shared = [
                (shapely.intersection(edge, other.boundary).length, j)
                for j, other in enumerate(pieces)
                if j not in rests and other.intersects(edge)
            ]
            if not shared:
                pieces[i] = shapely.union(pieces[i], part)
                continue
            j = max(shared)[1]
            pieces[j] = shapely.union(pieces[j], part)
    return [
        ({k: v for k, v in props.items() if k != "rest"}, piece)
        for (props, _), piece in zip(areas, pieces)
    ]


def exact_coverage(pieces: list[object]) -> list[object]:
    """The pieces rebuilt from one noded linework on the GRID, so that neighbours
    share their edges vertex for vertex."""
    lines = shapely.union_all([p.boundary for p in pieces], grid_size=GRID)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
    tree = shapely.STRtree(pieces)
    owner_faces: list[list] = [[] for _ in pieces]
    for face in faces:
        point = face.point_on_surface()
        hits = [int(i) for i in tree.query(point, predicate="intersects")]
        if not hits:
            continue  # a hole of Syria's own polygon, if any
        best = max(hits, key=lambda i: shapely.intersection(pieces[i], face).area)
        owner_faces[best].append(face)
    return [shapely.coverage_union_all(fs) for fs in owner_faces]


def build_areas(src: dict, syria, euphrates) -> dict:
    """The areas FeatureCollection (RFC 7946 WGS84), in the authored order."""
    clipped = clip_areas(src, syria, euphrates)
    exact = exact_coverage([piece for _, piece in clipped])
    features = []
    for (props, _), geom in zip(clipped, exact):
        # rounded, outer rings counterclockwise (RFC 7946 ring order)
        geom = shapely.orient_polygons(shapely.transform(geom, lambda xy: np.round(xy, 5)))
        features.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": mapping(shapely.orient_polygons(geom)),
            }
        )  # RFC 7946 ring order
    return {"type": "FeatureCollection", "features": features}


def _read(root: Path, name: str):
    return json.loads((root / name).read_text(encoding="utf-8"))


def rebuild_areas(root: Path | None = None) -> Path:
    """Write control_areas.geojson in `root` (default: the bundled geodata/)."""
    root = Path(root) if root is not None else GEODATA_DIR
    borders = _read(root, BORDERS_FILE)["features"]
    syria = shapely.make_valid(
        shape(next(f["geometry"] for f in borders if f["properties"]["name"] == "Syria"))
    )
    rivers = _read(root, RIVERS_FILE)["features"]
    euphrates = shape(next(f["geometry"] for f in rivers if f["properties"]["id"] == "euphrates"))
    out = root / AREAS_FILE
    write_atomic(out, dumps_geojson(build_areas(_read(root, AREAS_SOURCE_FILE), syria, euphrates)))
    return out
