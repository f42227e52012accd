"""Load and validate the files of geodata/.

`load_dataset` reads every file, checks it (schema, geometry, CRS, dates, ids that
refer to nothing) and either returns a complete `Dataset` or raises `DataError`
listing every problem found, each naming the file, the feature and the field.
Nothing half-loads.
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry import shape

from lib.dates import Period, parse_iso_date
from lib.errors import DataError, Problem

GEODATA_DIR = Path(__file__).resolve().parent.parent / "geodata"
GEODATA_ENV = "ALEPPO_GEODATA"  # another geodata folder (a fork's data, or tests')

BORDERS_FILE = "borders.geojson"
PLACES_FILE = "places.geojson"
SITES_FILE = "sites.geojson"
EVENTS_FILE = "events.geojson"
FACTIONS_FILE = "factions.json"
SOURCES_FILE = "sources.json"
CONTROL_FILE = "control_log.json"
STORY_FILE = "story.json"
STORY_CHAPTERS = ("offensive", "bargaining")
PROPOSALS_FILE = "proposals.json"
RIVERS_FILE = "rivers.geojson"
AREAS_FILE = "control_areas.geojson"
AREAS_SOURCE_FILE = "control_areas_src.json"

BORDERS_SOURCE = "natural-earth"  # borders.geojson is an unchanged copy, with no `source`
CONFIDENCE_LEVELS = ("high", "medium", "low")
DATE_PRECISIONS = ("day", "month", "year")
EVENT_TRACKS = ("bargaining", "offensive", "background")  # the timeline page's sections
SITE_KINDS = (
    "air_base",
    "naval_base",
    "military_academy",
    "military_base",
    "power_station",
    "military_industry",
    "missile_system",
)
# Names RFC 7946 readers accept for WGS84; anything else in a `crs` member is refused.
WGS84_CRS_NAMES = {
    "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:OGC::CRS84",
    "EPSG:4326",
    "urn:ogc:def:crs:EPSG::4326",
}
MAX_FILE_BYTES = 50 * 1024 * 1024  # the bundled files are under 0.2 MB; refuse, don't stall
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
URL_PATTERN = re.compile(r"^https?://[^\s<>\"']+$")
SOURCE_DATE_PATTERN = re.compile(r"^(\d{4}(-\d{2}(-\d{2})?)?|undated)$")  # a day, month or year
CONTESTED = "contested"  # the holder of ground no one clearly held on a day (factions.json)
# Geography checks, in metres: how far a place may lie outside Syria's 1:10m outline and
# still be counted (Kobani and Tell Abyad sit a few hundred metres outside it), how
# far an event may be from the place it names, and how much a neighbour may overlap.
PLACE_OUTSIDE_M = 5_000
EVENT_FROM_PLACE_M = 10_000
SITE_OUTSIDE_M = 5_000
NEIGHBOUR_OVERLAP_KM2 = 1.0
AREA_GAP_KM2 = 1.0  # uncovered ground, or overlap between control areas, that is an error
# Events may lie anywhere the story goes (Riyadh, Ankara, Kazan), but not beyond this.
STORY_REGION = (20.0, 10.0, 60.0, 62.0)  # lon/lat box
COLOR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")
DASH_PATTERN = re.compile(r"^\d+( \d+)*$")


# ---------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class Faction:
    id: str
    name: str
    short: str
    color: str
    backers: tuple[str, ...]
    description: str
    source: str


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    date: str
    supports: str
    url: str
    licence: str | None = None
    author: str | None = None


@dataclass(frozen=True)
class ControlChange:
    """Areas passing to `faction` on `date` (or becoming contested: then `reason` says
    why and `contested_by` who claimed them); `places` are the towns taken with them."""

    id: str
    date: date
    faction: str
    areas: tuple[str, ...]
    places: tuple[str, ...]
    source: str  # one source id, or several joined by "; "
    confidence: str
    note: str
    reason: str = ""
    contested_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class BaselineGroup:
    faction: str
    areas: tuple[str, ...]
    source: str
    confidence: str
    note: str


@dataclass(frozen=True)
class SiteControl:
    start: date
    faction: str
    source: str
    confidence: str
    note: str


@dataclass(frozen=True)
class Proposal:
    id: str
    distance_mi: float
    label: str
    proposed_by: str
    date: date
    date_label: str
    terms: str
    quote: str
    status: str
    source: str
    confidence: str
    color: str = "#333333"  # the zone's outline on the map and its legend
    dash: str | None = None  # an SVG dash pattern, e.g. "8 4"; None: a solid line


@dataclass(frozen=True)
class StoryStep:
    """A step of the guided story (story.json): an event of the article, the map's
    day and view, and the layers and proposals that step is about."""

    id: str
    chapter: str  # one of STORY_CHAPTERS
    event: str  # an event id: its title, date, the article's words and sources
    map_date: date  # the day the map shows
    bounds: tuple[tuple[float, float], tuple[float, float]]  # ((south, west), (north, east))
    layers: tuple[str, ...]  # base layer keys
    proposals: tuple[str, ...]  # proposal ids
    caption: str  # our words
    quote: str  # the article's words for this step ("" : the event's quote, if any)
    source: str  # "; "-joined source ids: the event's, and the step's own
    title: str = ""  # the step's heading ("": its event's title)
    labels: tuple[str, ...] = ()  # ids of the sites and places the step names on the map


@dataclass(eq=False)
class Dataset:
    """Everything in geodata/, validated. Derived geometry is computed lazily, once."""

    path: Path
    period: Period  # the covered days, from control_log.json
    factions: dict[str, Faction]
    sources: dict[str, Source]
    countries: gpd.GeoDataFrame  # name, iso_n3, geometry (valid)
    places: gpd.GeoDataFrame  # indexed by id
    sites: gpd.GeoDataFrame  # indexed by id
    site_control: dict[str, tuple[SiteControl, ...]]
    events: gpd.GeoDataFrame  # indexed by id; geometry may be None
    baseline: tuple[BaselineGroup, ...]
    changes: tuple[ControlChange, ...]
    proposals: tuple[Proposal, ...]
    areas: gpd.GeoDataFrame | None = None  # control areas, indexed by id; a partition of Syria
    rivers: gpd.GeoDataFrame | None = None  # indexed by id
    place_area: dict[str, str] = field(default_factory=dict)  # place id -> control area id
    story: tuple[StoryStep, ...] = ()  # the guided story, in order
    notes: tuple[str, ...] = field(default=())  # repairs made while loading

    def country(self, name: str):
        return self.countries.loc[self.countries["name"] == name, "geometry"].iloc[0]

    @cached_property
    def syria(self):
        return self.country("Syria")

    @cached_property
    def turkey(self):
        return self.country("Turkey")


# ---------------------------------------------------------------------------
# Reading


class _Checker:
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
        return None if unknown else "; ".join(ids)

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


def _read_json(path: Path, checker: _Checker) -> Any:
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


def _list_member(doc: Any, key: str, checker: _Checker) -> list:
    if not isinstance(doc, dict):
        checker.add(None, None, f"must be a JSON object with a '{key}' list")
        return []
    items = doc.get(key)
    if not isinstance(items, list):
        checker.add(None, key, "must be a list")
        return []
    return items


def _coords_in_range(geom_json: Any) -> bool:
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


def _read_features(
    path: Path, checker: _Checker, geometry_types: tuple[str, ...], allow_null: bool = False
) -> list[tuple[str, dict, Any]]:
    """Read a GeoJSON FeatureCollection: [(where, properties, shapely geometry or None)]."""
    doc = _read_json(path, checker)
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
    for i, feat in enumerate(_list_member(doc, "features", checker)):
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
        if not _coords_in_range(gj):
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


# ---------------------------------------------------------------------------
# One reader per file


def _frame(rows: list[dict], index: bool = True) -> gpd.GeoDataFrame:
    """A WGS84 GeoDataFrame of rows (possibly none), indexed by id."""
    if not rows:
        return gpd.GeoDataFrame({"id": [], "geometry": []}, geometry="geometry", crs="EPSG:4326")
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    return gdf.set_index("id", drop=False) if index else gdf


def _read_sources(path: Path) -> tuple[dict[str, Source], list[Problem]]:
    ck = _Checker(SOURCES_FILE)
    out: dict[str, Source] = {}
    seen: set = set()
    for i, item in enumerate(_list_member(_read_json(path, ck), "sources", ck)):
        if not isinstance(item, dict):
            ck.add(f"item {i + 1}", None, "must be an object")
            continue
        sid = ck.new_id(item, i, seen)
        vals = {k: ck.text(item, k, sid) for k in ("title", "publisher", "date", "supports", "url")}
        if vals["url"] is not None and not URL_PATTERN.match(vals["url"]):
            ck.add(sid, "url", f"must be an http(s) address, got {vals['url']!r}")
            vals["url"] = None
        if vals["date"] is not None and not SOURCE_DATE_PATTERN.match(vals["date"]):
            ck.add(
                sid, "date", f"must be YYYY-MM-DD, YYYY-MM, YYYY or 'undated', got {vals['date']!r}"
            )
            vals["date"] = None
        licence = ck.text(item, "licence", sid, optional=True)
        author = ck.text(item, "author", sid, optional=True)
        if None not in vals.values():
            out[sid] = Source(id=sid, licence=licence, author=author, **vals)
    return out, ck.problems


def _read_factions(path: Path, sources) -> tuple[dict[str, Faction], list[Problem]]:
    ck = _Checker(FACTIONS_FILE)
    out: dict[str, Faction] = {}
    seen: set = set()
    for i, item in enumerate(_list_member(_read_json(path, ck), "factions", ck)):
        if not isinstance(item, dict):
            ck.add(f"item {i + 1}", None, "must be an object")
            continue
        fid = ck.new_id(item, i, seen)
        name, short, desc = (ck.text(item, k, fid) for k in ("name", "short", "description"))
        color = ck.text(item, "color", fid)
        if color is not None and not COLOR_PATTERN.match(color):
            ck.add(fid, "color", f"must be a colour like #1a2b3c, got {color!r}")
            color = None
        backers = item.get("backers")
        if not isinstance(backers, list) or not all(isinstance(b, str) for b in backers):
            ck.add(fid, "backers", "must be a list of names")
            backers = None
        source = ck.sources(item, "source", fid, sources)
        if None not in (name, short, desc, color, backers, source):
            out[fid] = Faction(fid, name, short, color, tuple(backers), desc, source)
    return out, ck.problems


def _repair(geom, where: str, ck: _Checker, notes: list[str], repairable: bool):
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


def _read_borders(path: Path, notes: list[str]) -> tuple[gpd.GeoDataFrame | None, list[Problem]]:
    ck = _Checker(BORDERS_FILE)
    rows = []
    for where, props, geom in _read_features(path, ck, ("Polygon", "MultiPolygon")):
        name = ck.text(props, "name", where)
        # Natural Earth stores Turkey and Iraq with self-touching rings: repair, and say so.
        geom = _repair(geom, where, ck, notes, repairable=True)
        if name and geom is not None:
            rows.append({"name": name, "iso_n3": props.get("iso_n3"), "geometry": geom})
    names = {r["name"] for r in rows}
    for needed in ("Syria", "Turkey"):
        if not ck.problems and needed not in names:
            ck.add(None, "name", f"no feature named '{needed}'")
    if len(names) != len(rows):
        ck.add(None, "name", "two features share a name")
    return (_frame(rows, index=False) if rows else None), ck.problems


def _read_places(path: Path, sources) -> tuple[gpd.GeoDataFrame | None, list[Problem]]:
    ck = _Checker(PLACES_FILE)
    rows, seen = [], set()
    for i, (_where, props, geom) in enumerate(_read_features(path, ck, ("Point",))):
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


def _read_sites(path: Path, sources, factions, period: Period):
    ck = _Checker(SITES_FILE)
    rows, history, seen = [], {}, set()
    for i, (_where, props, geom) in enumerate(_read_features(path, ck, ("Point",))):
        sid = ck.new_id(props, i, seen)
        name = ck.text(props, "name", sid)
        kind = ck.choice(props, "kind", sid, SITE_KINDS)
        operator = ck.text(props, "operator", sid)
        approximate = ck.boolean(props, "approximate", sid)
        source = ck.sources(props, "source", sid, sources)
        steps = props.get("control")
        entries: list[SiteControl] = []
        if not isinstance(steps, list) or not steps:
            ck.add(
                sid, "control", "must be a non-empty list of {from, faction, source, confidence}"
            )
        else:
            for j, step in enumerate(steps):
                at = f"control[{j}]"
                if not isinstance(step, dict):
                    ck.add(sid, at, "must be an object")
                    continue
                start = ck.day(step, "from", sid, hi=period.end)
                faction = ck.ref(step, "faction", sid, factions, "faction")
                src = ck.sources(step, "source", sid, sources)
                conf = ck.choice(step, "confidence", sid, CONFIDENCE_LEVELS)
                if None in (start, faction, src, conf):
                    continue
                if entries and start <= entries[-1].start:
                    ck.add(sid, f"{at}.from", f"{start} is not after the previous entry's date")
                    continue
                if entries and faction == entries[-1].faction:
                    ck.add(sid, f"{at}.faction", f"repeats the previous controller '{faction}'")
                entries.append(SiteControl(start, faction, src, conf, step.get("note") or ""))
            if entries and entries[0].start != period.baseline:
                ck.add(sid, "control[0].from", f"must be the baseline date {period.baseline}")
        if None not in (name, kind, operator, approximate, source) and entries:
            history[sid] = tuple(entries)
            rows.append(
                {
                    "id": sid,
                    "name": name,
                    "kind": kind,
                    "operator": operator,
                    "approximate": approximate,
                    "note": props.get("note") or "",
                    "source": source,
                    "geometry": geom,
                }
            )
    return _frame(rows), history, ck.problems


def _read_events(path: Path, sources, place_ids, period: Period):
    ck = _Checker(EVENTS_FILE)
    rows, seen = [], set()
    features = _read_features(path, ck, ("Point", "LineString"), allow_null=True)
    for i, (_where, props, geom) in enumerate(features):
        eid = ck.new_id(props, i, seen)
        day = ck.day(props, "date", eid, lo=date(1900, 1, 1), hi=period.end)
        end = ck.day(props, "end_date", eid, hi=period.end, optional=True)
        if day and end and end < day:
            ck.add(eid, "end_date", f"{end} is before the start date {day}")
        precision = ck.choice(props, "date_precision", eid, DATE_PRECISIONS)
        track = ck.choice(props, "track", eid, EVENT_TRACKS)
        title = ck.text(props, "title", eid)
        description = ck.text(props, "description", eid)
        source = ck.sources(props, "source", eid, sources)
        conf = ck.choice(props, "confidence", eid, CONFIDENCE_LEVELS)
        place = props.get("place")
        if place is not None and place not in place_ids:
            ck.add(eid, "place", f"refers to unknown place '{place}'")
        approximate = props.get("approximate", False)
        if not isinstance(approximate, bool):
            ck.add(eid, "approximate", f"must be true or false, got {approximate!r}")
        if None not in (day, precision, track, title, description, source, conf):
            rows.append(
                {
                    "id": eid,
                    "track": track,
                    "date": day,
                    "end_date": end,
                    "date_precision": precision,
                    "date_label": props.get("date_label") or "",
                    "title": title,
                    "description": description,
                    "quote": props.get("quote") or "",
                    "place": place,
                    "approximate": bool(approximate),
                    "source": source,
                    "confidence": conf,
                    "geometry": geom,
                }
            )
    rows.sort(key=lambda r: (r["date"], r["id"]))
    return _frame(rows), ck.problems


def _read_story(path: Path, sources, events, proposal_ids, period: Period, labelled=frozenset()):
    """The guided story: each step names an event, a day within the period, a view
    inside the story's region, and known layers and proposals."""
    from lib.layers import base_keys  # the registry (lib/layers imports this module)

    ck = _Checker(STORY_FILE)
    steps: list[StoryStep] = []
    seen: set = set()
    event_ids = set(events.index) if events is not None else set()
    lo_x, lo_y, hi_x, hi_y = STORY_REGION
    for i, item in enumerate(_list_member(_read_json(path, ck), "steps", ck)):
        if not isinstance(item, dict):
            ck.add(f"item {i + 1}", None, "must be an object")
            continue
        sid = ck.new_id(item, i, seen)
        chapter = ck.choice(item, "chapter", sid, STORY_CHAPTERS)
        event = ck.ref(item, "event", sid, event_ids, "event")
        day = ck.day(item, "map_date", sid, lo=period.baseline, hi=period.end)
        caption = ck.text(item, "caption", sid)
        quote = ck.text(item, "quote", sid, optional=True) or ""
        title = ck.text(item, "title", sid, optional=True) or ""
        extra = ck.sources(item, "source", sid, sources) if "source" in item else ""
        labels = item.get("labels", [])
        if not isinstance(labels, list) or not all(isinstance(v, str) for v in labels):
            ck.add(sid, "labels", "must be a list of site or place ids")
            labels = []
        for v in labels:
            if v not in labelled:
                ck.add(sid, "labels", f"refers to unknown site or place '{v}'")
        names = {}
        for key, known, what in (
            ("layers", base_keys(), "layer"),
            ("proposals", proposal_ids, "proposal"),
        ):
            value = item.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                ck.add(sid, key, f"must be a list of {what} ids")
                names[key] = None
                continue
            for v in value:
                if v not in known:
                    ck.add(sid, key, f"refers to unknown {what} '{v}'")
            names[key] = tuple(v for v in known if v in value)  # canonical order
        bounds = item.get("bounds")
        try:
            (south, west), (north, east) = bounds
            if not all(isinstance(v, (int, float)) for v in (south, west, north, east)):
                raise TypeError
        except (TypeError, ValueError):
            ck.add(sid, "bounds", "must be [[south, west], [north, east]] in degrees")
            bounds = None
        else:
            if not (lo_y <= south < north <= hi_y and lo_x <= west < east <= hi_x):
                ck.add(
                    sid,
                    "bounds",
                    "must have south < north and west < east, inside the story's region "
                    f"(longitude {lo_x:g} to {hi_x:g}, latitude {lo_y:g} to {hi_y:g})",
                )
                bounds = None
        if None in (chapter, event, day, caption, extra, bounds, *names.values()):
            continue
        cited = [s for s in str(events.loc[event, "source"]).split("; ")]
        cited += [s for s in extra.split("; ") if s and s not in cited]
        steps.append(
            StoryStep(
                id=sid,
                chapter=chapter,
                event=event,
                map_date=day,
                bounds=((float(south), float(west)), (float(north), float(east))),
                layers=names["layers"],
                proposals=names["proposals"],
                caption=caption,
                quote=quote,
                source="; ".join(cited),
                title=title,
                labels=tuple(v for v in labels if v in labelled),
            )
        )
    if not steps and not ck.problems:
        ck.add(None, "steps", "has no steps")
    return tuple(steps), ck.problems


MAX_PERIOD_DAYS = 366  # a slider of days; a longer span is a typo, not a story


def _read_period(path: Path) -> tuple[Period | None, list[Problem]]:
    """The covered days: control_log.json's baseline_date to its end_date. Every other
    date is checked against them, so a bad period stops the load on its own."""
    ck = _Checker(CONTROL_FILE)
    doc = _read_json(path, ck)
    if not isinstance(doc, dict):
        if not ck.problems:
            ck.add(None, None, "must be a JSON object")
        return None, ck.problems
    baseline = ck.day(doc, "baseline_date", None)
    end = ck.day(doc, "end_date", None)
    if baseline and end and not 0 < (end - baseline).days <= MAX_PERIOD_DAYS:
        ck.add(
            None,
            "end_date",
            f"{end} must be 1 to {MAX_PERIOD_DAYS} days after the baseline date {baseline}",
        )
    if ck.problems:
        return None, ck.problems
    return Period(baseline, end), []


def _read_control(path: Path, sources, factions, area_ids, place_ids, period: Period):
    """The control log: each area's holder on the baseline date and every change after.

    Returns (baseline groups, changes, {place id: area id} for places the log assigns
    by hand, problems). Whether a change's places lie in its areas is checked later,
    with the geometry (`_check_geography`).
    """
    ck = _Checker(CONTROL_FILE)
    doc = _read_json(path, ck)
    baseline: list[BaselineGroup] = []
    changes: list[ControlChange] = []
    overrides: dict[str, str] = {}
    if doc is None:
        return baseline, changes, overrides, ck.problems
    if not isinstance(doc, dict):
        ck.add(None, None, "must be a JSON object")
        return baseline, changes, overrides, ck.problems

    def id_list(item, key, where, known, what, required=True):
        ids = item.get(key)
        if ids is None and not required:
            return ()
        if not isinstance(ids, list) or not ids or not all(isinstance(x, str) for x in ids):
            ck.add(where, key, f"must be a non-empty list of {what} ids")
            return None
        unknown = [x for x in ids if x not in known]
        for x in unknown:
            ck.add(where, key, f"refers to unknown {what} '{x}'")
        if len(set(ids)) != len(ids):
            ck.add(where, key, f"lists a {what} twice")
        return None if unknown else tuple(ids)

    holder: dict[str, str] = {}
    for i, item in enumerate(_list_member(doc, "baseline", ck)):
        where = f"baseline group {i + 1}"
        if not isinstance(item, dict):
            ck.add(where, None, "must be an object")
            continue
        faction = ck.ref(item, "faction", where, factions, "faction")
        if faction == CONTESTED:
            ck.add(where, "faction", "the baseline gives each area a holder, not 'contested'")
            faction = None
        src = ck.sources(item, "source", where, sources)
        conf = ck.choice(item, "confidence", where, CONFIDENCE_LEVELS)
        ids = id_list(item, "areas", where, area_ids, "area")
        for a in ids or ():
            if a in holder:
                ck.add(where, "areas", f"area '{a}' is already in another baseline group")
            holder[a] = faction
        if None not in (faction, src, conf, ids):
            baseline.append(BaselineGroup(faction, ids, src, conf, item.get("note") or ""))
    missing = [a for a in area_ids if a not in holder]
    if missing and not ck.problems:
        shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
        ck.add(None, "baseline", f"{len(missing)} area(s) have no baseline holder: {shown}")

    seen: set = set()
    last_day = period.baseline
    for i, item in enumerate(_list_member(doc, "changes", ck)):
        if not isinstance(item, dict):
            ck.add(f"item {i + 1}", None, "must be an object")
            continue
        cid = ck.new_id(item, i, seen)
        day = ck.day(item, "date", cid)
        if day is not None and not period.baseline < day <= period.end:
            ck.add(cid, "date", f"{day} is outside {period.baseline} (exclusive) to {period.end}")
            day = None
        if day is not None and day < last_day:
            ck.add(
                cid,
                "date",
                f"{day} is earlier than the change before it ({last_day}): "
                "keep the log in date order",
            )
        faction = ck.ref(item, "faction", cid, factions, "faction")
        src = ck.sources(item, "source", cid, sources)
        conf = ck.choice(item, "confidence", cid, CONFIDENCE_LEVELS)
        ids = id_list(item, "areas", cid, area_ids, "area")
        places = id_list(item, "places", cid, place_ids, "place", required=False)
        reason, claimants = "", ()
        if faction == CONTESTED:
            reason = ck.text(item, "reason", cid) or ""
            claimants = (
                id_list(item, "contested_by", cid, factions, "faction", required=False) or ()
            )
            if places:
                ck.add(cid, "places", "a contested change takes no town: list none")
        elif "reason" in item or "contested_by" in item:
            ck.add(cid, "reason", f"only a change to '{CONTESTED}' has a reason and claimants")
        if None in (day, faction, src, conf, ids, places) or (faction == CONTESTED and not reason):
            continue
        last_day = day
        for a in ids:
            if holder.get(a) == faction and faction != CONTESTED:
                ck.add(cid, "areas", f"'{a}' is already held by '{faction}' at that date")
            holder[a] = faction
        changes.append(
            ControlChange(
                cid, day, faction, ids, places, src, conf, item.get("note") or "", reason, claimants
            )
        )

    assigned = doc.get("place_areas", {})
    if not isinstance(assigned, dict):
        ck.add(None, "place_areas", "must be an object of place id: area id")
        assigned = {}
    for pid, aid in assigned.items():
        if pid not in place_ids:
            ck.add("place_areas", pid, "is not a known place")
        elif aid not in area_ids:
            ck.add("place_areas", pid, f"refers to unknown area {aid!r}")
        else:
            overrides[pid] = aid
    return baseline, changes, overrides, ck.problems


def _read_areas(path: Path, sources, notes: list[str]):
    ck = _Checker(AREAS_FILE)
    rows, seen = [], set()
    for i, (_where, props, geom) in enumerate(
        _read_features(path, ck, ("Polygon", "MultiPolygon"))
    ):
        aid = ck.new_id(props, i, seen)
        name = ck.text(props, "name", aid)
        edges = ck.text(props, "edges", aid)
        precision = ck.number(props, "precision_km", aid)
        source = ck.sources(props, "source", aid, sources)
        geom = _repair(geom, aid, ck, notes, repairable=True)
        if None not in (name, edges, precision, source, geom):
            rows.append(
                {
                    "id": aid,
                    "name": name,
                    "edges": edges,
                    "precision_km": precision,
                    "source": source,
                    "geometry": geom,
                }
            )
    if not rows and not ck.problems:
        ck.add(None, "features", "has no areas")
    return (_frame(rows) if rows else None), ck.problems


def _read_rivers(path: Path, sources):
    ck = _Checker(RIVERS_FILE)
    rows, seen = [], set()
    for i, (_where, props, geom) in enumerate(
        _read_features(path, ck, ("LineString", "MultiLineString"))
    ):
        rid = ck.new_id(props, i, seen)
        name = ck.text(props, "name", rid)
        source = ck.sources(props, "source", rid, sources)
        if None not in (name, source):
            rows.append({"id": rid, "name": name, "source": source, "geometry": geom})
    return _frame(rows), ck.problems


def _read_proposals(path: Path, sources, period: Period):
    ck = _Checker(PROPOSALS_FILE)
    out, seen = [], set()
    for i, item in enumerate(_list_member(_read_json(path, ck), "proposals", ck)):
        if not isinstance(item, dict):
            ck.add(f"item {i + 1}", None, "must be an object")
            continue
        pid = ck.new_id(item, i, seen)
        dist = ck.number(item, "distance_mi", pid)
        if dist is not None and not 0 < dist <= 100:
            ck.add(pid, "distance_mi", f"must be between 0 and 100 miles, got {dist}")
            dist = None
        texts = {
            k: ck.text(item, k, pid)
            for k in ("label", "proposed_by", "date_label", "terms", "quote", "status")
        }
        day = ck.day(item, "date", pid, lo=date(1900, 1, 1), hi=period.end)
        src = ck.sources(item, "source", pid, sources)
        conf = ck.choice(item, "confidence", pid, CONFIDENCE_LEVELS)
        color = ck.text(item, "color", pid)
        if color is not None and not COLOR_PATTERN.match(color):
            ck.add(pid, "color", f"must be a colour like #1a2b3c, got {color!r}")
            color = None
        dash = item.get("dash")
        if dash is not None and not (isinstance(dash, str) and DASH_PATTERN.match(dash)):
            ck.add(pid, "dash", f"must be numbers separated by spaces, like '8 4', got {dash!r}")
            dash = None
        if None not in (dist, day, src, conf, color, *texts.values()):
            out.append(
                Proposal(
                    id=pid,
                    distance_mi=float(dist),
                    date=day,
                    source=src,
                    confidence=conf,
                    color=color,
                    dash=dash,
                    **texts,
                )
            )
    return tuple(sorted(out, key=lambda p: p.distance_mi)), ck.problems


# ---------------------------------------------------------------------------


def geodata_dir() -> Path:
    """The geodata folder: $ALEPPO_GEODATA if set, else the bundled geodata/."""
    override = os.environ.get(GEODATA_ENV)
    return Path(override) if override else GEODATA_DIR


def _check_geography(countries, places, sites, events, areas, overrides, changes, notes):
    """What the schema cannot see: features far from where they belong, neighbours
    overlapping Syria, control areas that do not partition Syria, and places that fall
    in no area. Returns ({place id: area id}, problems)."""
    from lib.geo import to_metric  # geometry only: kept out of the schema checks

    problems: list[Problem] = []
    syria = countries.loc[countries["name"] == "Syria", "geometry"].iloc[0]
    syria_m = to_metric(syria)
    for row in countries.itertuples():
        if row.name == "Syria":
            continue
        overlap = to_metric(row.geometry).intersection(syria_m).area / 1e6
        if overlap > NEIGHBOUR_OVERLAP_KM2:
            problems.append(
                Problem(BORDERS_FILE, row.name, "geometry", f"overlaps Syria by {overlap:,.0f} km²")
            )
    if areas is not None:
        area_m = [to_metric(g) for g in areas.geometry]
        tree = shapely.STRtree(area_m)
        for i, geom in enumerate(area_m):
            outside = geom.difference(syria_m.buffer(100)).area / 1e6
            if outside > AREA_GAP_KM2:
                problems.append(
                    Problem(
                        AREAS_FILE,
                        areas.index[i],
                        "geometry",
                        f"lies {outside:,.0f} km² outside Syria",
                    )
                )
            for j in tree.query(geom, predicate="intersects"):
                if j > i:
                    both = geom.intersection(area_m[j]).area / 1e6
                    if both > AREA_GAP_KM2:
                        problems.append(
                            Problem(
                                AREAS_FILE,
                                areas.index[i],
                                "geometry",
                                f"overlaps area '{areas.index[j]}' by {both:,.1f} km²",
                            )
                        )
        gap = syria_m.difference(shapely.union_all(area_m))
        gap_km2 = sum(p.area for p in shapely.get_parts(gap) if p.area / 1e6 > 0.01) / 1e6
        if gap_km2 > AREA_GAP_KM2:
            at = max(shapely.get_parts(gap), key=lambda p: p.area).representative_point()
            from lib.geo import to_wgs84

            at = to_wgs84(at)
            problems.append(
                Problem(
                    AREAS_FILE,
                    None,
                    "geometry",
                    f"the areas leave {gap_km2:,.0f} km² of Syria uncovered "
                    f"(e.g. near {at.x:.3f}, {at.y:.3f})",
                )
            )
    place_area: dict[str, str] = {}
    if areas is not None and places is not None:
        tree = shapely.STRtree(area_m)
        for pid, point in zip(places.index, places.geometry):
            if pid in overrides:
                place_area[pid] = overrides[pid]
                continue
            pm = to_metric(point)
            hits = tree.query(pm, predicate="intersects")
            if len(hits):
                place_area[pid] = areas.index[int(min(hits))]
                continue
            nearest = int(tree.nearest(pm))
            away = area_m[nearest].distance(pm)
            if away > PLACE_OUTSIDE_M:
                problems.append(
                    Problem(
                        PLACES_FILE,
                        pid,
                        "geometry",
                        f"lies {away / 1000:,.1f} km outside every control area "
                        f"(at {point.x:.4f}, {point.y:.4f}); assign it in {CONTROL_FILE}'s "
                        "place_areas if it belongs to one",
                    )
                )
                continue
            place_area[pid] = areas.index[nearest]
            notes.append(
                f"{PLACES_FILE}, {pid}: {away / 1000:.1f} km outside Syria's outline, "
                f"counted in the nearest control area, '{areas.index[nearest]}'"
            )
        for change in changes:
            for pid in change.places:
                if pid in place_area and place_area[pid] not in change.areas:
                    problems.append(
                        Problem(
                            CONTROL_FILE,
                            change.id,
                            "places",
                            f"'{pid}' lies in area '{place_area[pid]}', which is not one of "
                            f"this change's areas ({', '.join(change.areas)})",
                        )
                    )
    if sites is not None and len(sites):
        for sid, point in zip(sites.index, sites.geometry):
            away = syria_m.distance(to_metric(point))
            if away > SITE_OUTSIDE_M:
                problems.append(
                    Problem(
                        SITES_FILE, sid, "geometry", f"lies {away / 1000:,.0f} km outside Syria"
                    )
                )
    if events is not None and len(events):
        lo_x, lo_y, hi_x, hi_y = STORY_REGION
        for eid, geom, place in zip(events.index, events.geometry, events["place"]):
            if geom is None:
                continue
            if not shapely.box(lo_x, lo_y, hi_x, hi_y).contains(geom):
                problems.append(
                    Problem(
                        EVENTS_FILE,
                        eid,
                        "geometry",
                        "lies far outside the region of the story "
                        f"(longitude {lo_x:g} to {hi_x:g}, latitude {lo_y:g} to {hi_y:g})",
                    )
                )
            elif place is not None and places is not None and place in places.index:
                away = to_metric(geom).distance(to_metric(places.geometry[place]))
                if away > EVENT_FROM_PLACE_M:
                    problems.append(
                        Problem(
                            EVENTS_FILE,
                            eid,
                            "geometry",
                            f"lies {away / 1000:,.0f} km from its place '{place}'",
                        )
                    )
    return place_area, problems


def read_period(path: str | Path | None = None) -> Period:
    """The covered days of a geodata folder (default: `geodata_dir()`), without loading
    the rest: for a page or a tool that needs only the days. Raises DataError."""
    root = Path(path) if path is not None else geodata_dir()
    period, problems = _read_period(root / CONTROL_FILE)
    if problems:
        raise DataError(problems)
    return period


def load_dataset(path: str | Path | None = None) -> Dataset:
    """Load and validate every file of a geodata folder (default: `geodata_dir()`).

    Raises
    ------
    DataError
        Listing every problem found; no partial dataset is returned.
    """
    root = Path(path) if path is not None else geodata_dir()
    if not root.is_dir():
        # named by the folder's name only: a server's paths never reach a reader
        raise DataError([Problem(root.name or str(root), None, None, "is not a folder of geodata")])
    problems: list[Problem] = []
    notes: list[str] = []

    sources, p = _read_sources(root / SOURCES_FILE)
    problems += p
    if not p and BORDERS_SOURCE not in sources:
        problems.append(
            Problem(
                SOURCES_FILE, BORDERS_SOURCE, "id", "is missing: borders.geojson is credited to it"
            )
        )
    factions, p = _read_factions(root / FACTIONS_FILE, sources)
    problems += p
    period, p = _read_period(root / CONTROL_FILE)
    if p:
        raise DataError(problems + p)
    countries, p = _read_borders(root / BORDERS_FILE, notes)
    problems += p
    places, p = _read_places(root / PLACES_FILE, sources)
    problems += p
    place_ids = set(places.index) if places is not None else set()
    sites, site_control, p = _read_sites(root / SITES_FILE, sources, factions, period)
    problems += p
    events, p = _read_events(root / EVENTS_FILE, sources, place_ids, period)
    problems += p
    areas, p = _read_areas(root / AREAS_FILE, sources, notes)
    problems += p
    area_ids = list(areas.index) if areas is not None else []
    rivers, p = _read_rivers(root / RIVERS_FILE, sources)
    problems += p
    baseline, changes, overrides, p = _read_control(
        root / CONTROL_FILE, sources, factions, area_ids, place_ids, period
    )
    problems += p
    proposals, p = _read_proposals(root / PROPOSALS_FILE, sources, period)
    problems += p
    story: tuple[StoryStep, ...] = ()
    if not problems:  # it refers to events and proposals: checked once they load
        labelled = set(place_ids) | (set(sites.index) if sites is not None else set())
        story, problems = _read_story(
            root / STORY_FILE, sources, events, [pr.id for pr in proposals], period, labelled
        )
    if CONTESTED not in factions and not problems:
        problems.append(Problem(FACTIONS_FILE, CONTESTED, "id", "is missing: the map needs it"))

    if problems:
        raise DataError(problems)
    place_area, problems = _check_geography(
        countries, places, sites, events, areas, overrides, changes, notes
    )
    if problems:
        raise DataError(problems)
    return Dataset(
        path=root,
        period=period,
        factions=factions,
        sources=sources,
        countries=countries,
        places=places,
        sites=sites,
        site_control=site_control,
        events=events,
        baseline=tuple(baseline),
        changes=tuple(changes),
        proposals=proposals,
        areas=areas,
        rivers=rivers,
        place_area=place_area,
        story=story,
        notes=tuple(notes),
    )
