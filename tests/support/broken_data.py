"""Broken geodata, one kind of fault a case: each is a small patch applied at test
time to a copy of the mini fixture (tests/fixtures/mini), with the regular expression
the validation message must match. tests/test_corpus.py runs each through the CLI
(exit 1, the message, no traceback) and the app (an error, the last good data kept).
The huge file is made by its own test (60 MB is not worth writing here)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Case:
    file: str  # the file of the fixture the patch changes
    patch: Callable  # the parsed JSON, changed in place; or the bytes -> new bytes
    expected: str  # a regular expression of the message
    raw: bool = False  # the patch works on bytes, not on JSON


def _feature(doc, fid):
    return next(f for f in doc["features"] if f["properties"].get("id") == fid)


def _change(doc, cid):
    return next(c for c in doc["changes"] if c["id"] == cid)


def _set(path, value):
    """A patch that sets doc[path...] = value."""

    def patch(doc):
        *head, last = path
        for key in head:
            doc = doc[key]
        doc[last] = value

    return patch


def _shrink_area(doc):  # the south-east area becomes a small square inside it
    _feature(doc, "south-east")["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[38.5, 34.5], [39.5, 34.5], [39.5, 35.0], [38.5, 35.0], [38.5, 34.5]]],
    }


def _add_lebanon(doc):  # a neighbour drawn over Syria's west
    box = [[36.0, 34.0], [36.6, 34.0], [36.6, 34.6], [36.0, 34.6], [36.0, 34.0]]
    doc["features"].append(
        {
            "type": "Feature",
            "properties": {"name": "Lebanon", "iso_n3": "422"},
            "geometry": {"type": "Polygon", "coordinates": [box]},
        }
    )


def _events(fn):
    return lambda doc: fn(doc["features"])


CASES: dict[str, Case] = {
    "control_areas_leave_a_gap": Case(
        "control_areas.geojson",
        _shrink_area,
        r"control_areas\.geojson, field 'geometry': the areas leave [\d,]+ km² of Syria "
        "uncovered",
    ),
    "coordinates_out_of_the_world": Case(
        "places.geojson",
        lambda doc: _feature(doc, "alpha")["geometry"].update(coordinates=[500.0, 35.5]),
        r"places\.geojson, alpha, field 'geometry': has coordinates .* outside the world",
    ),
    "date_out_of_range": Case(
        "control_log.json",
        lambda doc: _change(doc, "c01-west").update(date="2024-11-20"),
        r"c01-west, field 'date': 2024-11-20 is outside",
    ),
    "dates_out_of_order": Case(
        "control_log.json",
        lambda doc: _change(doc, "c03-beta").update(date="2024-11-27"),
        r"c03-beta, field 'date': 2024-11-27 is earlier than the change before it",
    ),
    "duplicate_ids": Case(
        "events.geojson",
        _events(lambda fs: fs[1]["properties"].update(id=fs[0]["properties"]["id"])),
        r"events\.geojson, old-pact, field 'id': is used twice",
    ),
    "empty_file": Case("events.geojson", lambda raw: b"", r"events\.geojson: is empty", raw=True),
    "event_far_away": Case(
        "events.geojson",
        lambda doc: _feature(doc, "old-pact")["geometry"].update(coordinates=[100.0, 36.0]),
        r"events\.geojson, old-pact, field 'geometry': lies far outside the region of the story",
    ),
    "invalid_geometry": Case(
        "sites.geojson",
        lambda doc: _feature(doc, "beta-air-base")["geometry"].update(coordinates=["x", 36.0]),
        r"beta-air-base, field 'geometry': has coordinates that are not numbers",
    ),
    "malformed_json": Case(
        "factions.json",
        lambda raw: raw.replace(b"]", b",]", 1),
        r"factions\.json: is not valid JSON: .* at line \d+, column \d+",
        raw=True,
    ),
    "missing_field": Case(
        "events.geojson",
        lambda doc: _feature(doc, "old-pact")["properties"].pop("title"),
        r"events\.geojson, old-pact, field 'title': is missing",
    ),
    "neighbour_overlaps_syria": Case(
        "borders.geojson",
        _add_lebanon,
        r"borders\.geojson, Lebanon, field 'geometry': overlaps Syria by [\d,]+ km²",
    ),
    "not_a_feature_collection": Case(
        "places.geojson",
        _set(["type"], "Feature"),
        r"places\.geojson, field 'type': must be a GeoJSON FeatureCollection",
    ),
    "not_utf8": Case(
        "sources.json",
        lambda raw: raw.replace(b"mini-report", "mini-caf\u00e9".encode("latin-1"), 1),
        r"sources\.json: is not UTF-8 text",
        raw=True,
    ),
    "other_crs": Case(
        "events.geojson",
        _set(["crs"], {"type": "name", "properties": {"name": "EPSG:3857"}}),
        r"events\.geojson, field 'crs': must be WGS84",
    ),
    "place_outside_every_area": Case(
        "places.geojson",
        lambda doc: _feature(doc, "gamma")["geometry"].update(coordinates=[39.0, 38.0]),
        r"places\.geojson, gamma, field 'geometry': lies [\d,.]+ km outside every control area",
    ),
    "reference_to_nothing": Case(
        "control_log.json",
        lambda doc: _change(doc, "c01-west")["places"].append("atlantis"),
        r"c01-west, field 'places': refers to unknown place 'atlantis'",
    ),
    "source_without_url": Case(
        "sources.json",
        lambda doc: doc["sources"][0].pop("url"),
        r"sources\.json, mini-source, field 'url': is missing",
    ),
    "town_outside_its_changes_areas": Case(
        "control_log.json",
        lambda doc: _change(doc, "c01-west")["places"].append("beta"),
        r"c01-west, field 'places': 'beta' lies in area 'north-east', which is not one of "
        r"this change's areas",
    ),
    "unknown_faction": Case(
        "control_log.json",
        lambda doc: _change(doc, "c01-west").update(faction="wagner"),
        r"c01-west, field 'faction': refers to unknown faction 'wagner'",
    ),
    "wrong_type": Case(
        "sites.geojson",
        lambda doc: _feature(doc, "beta-air-base")["properties"].update(approximate="yes"),
        r"sites\.geojson, beta-air-base, field 'approximate': must be true or false",
    ),
}


def apply(name: str, root: Path) -> str:
    """Break the copy of the fixture at `root` as case `name` says; its expected message."""
    case = CASES[name]
    path = Path(root) / case.file
    if case.raw:
        path.write_bytes(case.patch(path.read_bytes()))
    else:
        doc = json.loads(path.read_text(encoding="utf-8"))
        case.patch(doc)
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return case.expected
