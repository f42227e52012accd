"""The records of geodata/ (one class a kind of thing), the files' names and the
vocabularies and limits the readers check against."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

import geopandas as gpd

from lib.data.dates import Period

_LIB = Path(__file__).resolve().parent.parent
# The bundled data: an installed package carries it as lib/geodata (pyproject's
# package-dir); a checkout keeps it in geodata/ beside lib/.
GEODATA_DIR = _LIB / "geodata" if (_LIB / "geodata").is_dir() else _LIB.parent / "geodata"
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

BORDERS_SOURCE = "osm-borders"  # borders.geojson is generated, with no `source` per feature
# The story's article: a claim resting on it alone is its account (said so where shown,
# never at high confidence: lib/data/consistency.py)
ARTICLE_SOURCE = "newlines-2024"
SOURCE_SEPARATOR = "; "  # a record's `source`: its source ids, joined (checking.py)


def source_ids(value) -> list[str]:
    """The ids in a `source` value ("a; b" -> ["a", "b"])."""
    return [sid for sid in str(value or "").split(SOURCE_SEPARATOR) if sid]


def article_alone(value) -> bool:
    """Whether a claim rests on the story's article and nothing else."""
    return source_ids(value) == [ARTICLE_SOURCE]


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
# Two kinds of ground no one clearly held on a day, each a "holder" of factions.json
# with its own look, legend row and share: fought over or claimed by rivals, and left
# with no force reported holding it (abandoned, or held by cells no one maps).
CONTESTED = "contested"
UNHELD = "unheld"
UNCLEAR = (CONTESTED, UNHELD)
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
    change: str = ""  # the control change (control_log.json) this holder follows, if any


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
