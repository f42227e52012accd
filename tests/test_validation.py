"""One test per kind of bad input: the error names file, feature and field."""

from datetime import date

import pytest

from lib.data.errors import DataError
from lib.layers import load
from tests.conftest import read_json, write_json


def load_fails(root, match):
    with pytest.raises(DataError, match=match) as info:
        load(root)
    return info.value


def edit(root, name, change):
    doc = read_json(root / name)
    change(doc)
    write_json(root / name, doc)


def test_bundled_data_is_valid(ds):
    assert len(ds.places) > 0 and not [n for n in ds.notes if "Syria:" in n]
    # the only notes are repairs of neighbours' borders and border towns counted in
    # the nearest area
    assert all("repaired" in n or "outside Syria's outline" in n for n in ds.notes)


def test_missing_folder(tmp_path):
    error = load_fails(tmp_path / "nowhere", "nowhere: is not a folder of geodata")
    assert str(tmp_path) not in str(error)  # a reader never sees the server's paths


def test_missing_file(geodata_copy):
    (geodata_copy / "sites.geojson").unlink()
    error = load_fails(geodata_copy, r"sites\.geojson: is missing from the data folder")
    assert str(geodata_copy) not in str(error)


def test_empty_file(geodata_copy):
    (geodata_copy / "events.geojson").write_text("")
    load_fails(geodata_copy, r"events\.geojson: is empty")


def test_malformed_json(geodata_copy):
    text = (geodata_copy / "factions.json").read_text()
    (geodata_copy / "factions.json").write_text(text[:200])
    load_fails(geodata_copy, r"factions\.json: is not valid JSON: .* at line \d+, column \d+")


def test_not_a_feature_collection(geodata_copy):
    write_json(geodata_copy / "places.geojson", {"type": "Feature"})
    load_fails(geodata_copy, r"places\.geojson, field 'type': must be a GeoJSON FeatureCollection")


def test_wrong_type(geodata_copy):
    def change(doc):
        doc["features"][0]["properties"]["population"] = "many"

    edit(geodata_copy, "places.geojson", change)
    load_fails(geodata_copy, r"places\.geojson, \S+, field 'population': must be a whole number")


def test_missing_field(geodata_copy):
    def change(doc):
        del doc["features"][0]["properties"]["name"]

    edit(geodata_copy, "sites.geojson", change)
    load_fails(geodata_copy, r"sites\.geojson, kuweires-air-base, field 'name': is missing")


def test_coordinates_outside_the_world_or_swapped(geodata_copy):
    def change(doc):
        doc["features"][0]["geometry"]["coordinates"] = [36.2, 137.16]  # lat beyond 90

    edit(geodata_copy, "sites.geojson", change)
    load_fails(
        geodata_copy, r"kuweires-air-base, field 'geometry': has coordinates .* outside the world"
    )


def test_wrong_geometry_type(geodata_copy):
    def change(doc):
        doc["features"][0]["geometry"] = {
            "type": "Polygon",
            "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]],
        }

    edit(geodata_copy, "places.geojson", change)
    load_fails(geodata_copy, r"field 'geometry': must be one of Point, got 'Polygon'")


def test_invalid_border_geometry_is_repaired_and_said(geodata_copy):
    def change(doc):
        lebanon = next(f for f in doc["features"] if f["properties"]["name"] == "Lebanon")
        # a bow-tie: self-intersecting, invalid
        lebanon["geometry"] = {
            "type": "Polygon",
            "coordinates": [[[35.2, 33.3], [35.6, 33.8], [35.6, 33.3], [35.2, 33.8], [35.2, 33.3]]],
        }

    edit(geodata_copy, "borders.geojson", change)
    loaded = load(geodata_copy)
    assert any("Lebanon: invalid geometry (Self-intersection" in n for n in loaded.notes)
    assert loaded.country("Lebanon").is_valid


def test_non_wgs84_crs_is_refused(geodata_copy):
    def change(doc):
        doc["crs"] = {"type": "name", "properties": {"name": "EPSG:3857"}}

    edit(geodata_copy, "events.geojson", change)
    load_fails(
        geodata_copy, r"events\.geojson, field 'crs': must be WGS84 \(RFC 7946\), got 'EPSG:3857'"
    )


def test_duplicate_ids(geodata_copy):
    def change(doc):
        doc["features"][1]["properties"]["id"] = doc["features"][0]["properties"]["id"]

    edit(geodata_copy, "events.geojson", change)
    load_fails(geodata_copy, r"events\.geojson, adana-agreement, field 'id': is used twice")


def test_unknown_faction(geodata_copy):
    def change(doc):
        doc["changes"][0]["faction"] = "isis"

    edit(geodata_copy, "control_log.json", change)
    load_fails(
        geodata_copy,
        r"control_log\.json, c01-west-aleppo, field 'faction': refers to unknown faction 'isis'",
    )


def test_reference_to_no_place(geodata_copy):
    def change(doc):
        doc["changes"][0]["places"] = ["atlantis"]

    edit(geodata_copy, "control_log.json", change)
    load_fails(geodata_copy, r"c01-west-aleppo, field 'places': refers to unknown place 'atlantis'")


def test_reference_to_no_area(geodata_copy):
    def change(doc):
        doc["changes"][0]["areas"].append("atlantis")

    edit(geodata_copy, "control_log.json", change)
    load_fails(geodata_copy, r"c01-west-aleppo, field 'areas': refers to unknown area 'atlantis'")


def test_contested_ground_needs_a_reason(geodata_copy):
    def change(doc):
        first = next(c for c in doc["changes"] if c["faction"] == "contested")
        assert first["id"] == "c02-east-idlib-front"
        del first["reason"]

    edit(geodata_copy, "control_log.json", change)
    load_fails(geodata_copy, r"c02-east-idlib-front, field 'reason': is missing")


def test_only_contested_ground_has_a_reason(geodata_copy):
    def change(doc):
        doc["changes"][0]["reason"] = "because"

    edit(geodata_copy, "control_log.json", change)
    load_fails(geodata_copy, r"c01-west-aleppo, field 'reason': only a change to 'contested'")


def test_a_source_needs_a_web_address(geodata_copy):
    def change(doc):
        doc["sources"][0]["url"] = "javascript:alert(1)"

    edit(geodata_copy, "sources.json", change)
    load_fails(
        geodata_copy, r"sources\.json, newlines-2024, field 'url': must be an http\(s\) address"
    )


def test_a_site_far_outside_syria(geodata_copy):
    def change(doc):
        doc["features"][0]["geometry"]["coordinates"] = [36.187, 37.583]  # lat/lon swapped

    edit(geodata_copy, "sites.geojson", change)
    load_fails(
        geodata_copy,
        r"sites\.geojson, kuweires-air-base, field 'geometry': lies \d+ km outside Syria",
    )


def test_an_event_far_from_its_place(geodata_copy):
    def change(doc):
        event = next(f for f in doc["features"] if f["properties"]["id"] == "hama-falls")
        event["geometry"]["coordinates"] = [36.3, 33.5]  # Damascus

    edit(geodata_copy, "events.geojson", change)
    load_fails(
        geodata_copy,
        r"events\.geojson, hama-falls, field 'geometry': lies \d+ km from its place 'hama'",
    )


def test_overlapping_control_areas(geodata_copy):
    def change(doc):
        city = next(f for f in doc["features"] if f["properties"]["id"] == "aleppo-centre")
        city["geometry"] = {
            "type": "Polygon",
            "coordinates": [[[37.0, 36.1], [37.3, 36.1], [37.3, 36.3], [37.0, 36.3], [37.0, 36.1]]],
        }

    edit(geodata_copy, "control_areas.geojson", change)
    load_fails(
        geodata_copy, r"control_areas\.geojson, \S+, field 'geometry': overlaps area '\S+' by"
    )


def test_unknown_source(geodata_copy):
    def change(doc):
        doc["features"][0]["properties"]["source"] = "my-blog"

    edit(geodata_copy, "sites.geojson", change)
    load_fails(
        geodata_copy, r"kuweires-air-base, field 'source': refers to unknown source 'my-blog'"
    )


def test_dates_out_of_order(geodata_copy):
    def change(doc):
        saraqib = next(c for c in doc["changes"] if c["id"] == "c03-saraqib")
        saraqib["date"] = "2024-11-27"  # before the 28 Nov changes

    edit(geodata_copy, "control_log.json", change)
    load_fails(
        geodata_copy, r"c03-saraqib, field 'date': 2024-11-27 is earlier than the change before it"
    )


def test_date_out_of_range(geodata_copy):
    def change(doc):
        doc["changes"][-1]["date"] = "2024-12-25"

    edit(geodata_copy, "control_log.json", change)
    load_fails(geodata_copy, r"c50-manbij, field 'date': 2024-12-25 is outside")


@pytest.mark.parametrize(
    "end, message",
    [
        (None, "field 'end_date': is missing"),
        ("2024-11-20", "field 'end_date': 2024-11-20 must be 1 to 366 days after the baseline"),
        ("8 Dec", "field 'end_date': '8 Dec' is not a date of the form YYYY-MM-DD"),
    ],
)
def test_the_period_is_checked_first(geodata_copy, end, message):
    def change(doc):
        doc["end_date"] = end

    edit(geodata_copy, "control_log.json", change)
    load_fails(geodata_copy, message)


def test_a_longer_period_is_a_data_edit(geodata_copy):
    """Two more days: the map, the slider and the checks follow the data."""

    def change(doc):
        doc["end_date"] = "2024-12-10"

    edit(geodata_copy, "control_log.json", change)
    ds = load(geodata_copy)
    assert (ds.period.start, ds.period.end) == (date(2024, 11, 27), date(2024, 12, 10))
    assert len(ds.period.days()) == 15
    assert ds.period.parse("2024-12-10") == date(2024, 12, 10)
    with pytest.raises(ValueError, match="outside the covered range 2024-11-26 to 2024-12-10"):
        ds.period.parse("2024-12-11")


def test_malformed_date(geodata_copy):
    def change(doc):
        doc["features"][0]["properties"]["date"] = "20 Oct 1998"

    edit(geodata_copy, "events.geojson", change)
    load_fails(
        geodata_copy,
        r"adana-agreement, field 'date': '20 Oct 1998' is not a date of the form YYYY-MM-DD",
    )


def test_area_without_baseline_holder(geodata_copy):
    def change(doc):
        doc["baseline"][0]["areas"].remove("damascus")

    edit(geodata_copy, "control_log.json", change)
    load_fails(geodata_copy, r"field 'baseline': 1 area\(s\) have no baseline holder: damascus")


def test_change_to_the_current_holder(geodata_copy):
    def change(doc):
        doc["changes"][0]["areas"].append("idlib-pocket")  # HTS already holds it

    edit(geodata_copy, "control_log.json", change)
    load_fails(
        geodata_copy, r"c01-west-aleppo, field 'areas': 'idlib-pocket' is already held by 'hts'"
    )


def test_site_control_must_start_at_baseline(geodata_copy):
    def change(doc):
        doc["features"][0]["properties"]["control"][0]["from"] = "2024-11-28"

    edit(geodata_copy, "sites.geojson", change)
    load_fails(
        geodata_copy, r"kuweires-air-base, field 'control\[0\]\.from': must be the baseline date"
    )


def test_every_problem_is_reported_and_nothing_half_loads(geodata_copy):
    def bad_site(doc):
        doc["features"][0]["properties"]["kind"] = "castle"

    def bad_event(doc):
        doc["features"][0]["properties"]["confidence"] = "certain"

    edit(geodata_copy, "sites.geojson", bad_site)
    edit(geodata_copy, "events.geojson", bad_event)
    err = load_fails(geodata_copy, "2 problem")
    assert {p.file for p in err.problems} == {"sites.geojson", "events.geojson"}


@pytest.mark.parametrize(
    "field, value, message",
    [
        (
            "event",
            "no-such-event",
            "launch, field 'event': refers to unknown event 'no-such-event'",
        ),
        ("layers", ["control", "ruins"], "launch, field 'layers': refers to unknown layer 'ruins'"),
        (
            "proposals",
            ["buffer_99"],
            "launch, field 'proposals': refers to unknown proposal 'buffer_99'",
        ),
        ("map_date", "2024-12-25", "launch, field 'map_date': 2024-12-25 is after 2024-12-08"),
        ("bounds", [[36, 37], [35, 38]], "launch, field 'bounds': must have south < north"),
        (
            "bounds",
            "Aleppo",
            "launch, field 'bounds': must be \\[\\[south, west\\], \\[north, east\\]\\]",
        ),
        ("chapter", "epilogue", "launch, field 'chapter': 'epilogue' is not one of"),
        ("source", ["nobody"], "launch, field 'source': refers to unknown source 'nobody'"),
    ],
)
def test_a_bad_story_step_is_named(geodata_copy, field, value, message):
    def change(doc):
        doc["steps"][0][field] = value

    edit(geodata_copy, "story.json", change)
    load_fails(geodata_copy, "story.json, " + message)


def _feature(doc, fid):
    return next(f for f in doc["features"] if f["properties"]["id"] == fid)


@pytest.mark.parametrize(
    "name, change, message",
    [
        (
            "events.geojson",
            lambda d: _feature(d, "hama-falls")["properties"].update(date="2024-12-04"),
            "events.geojson, hama-falls, field 'date': 2024-12-04 disagrees with "
            "control_log.json's 'c30-hama', dated 2024-12-05",
        ),
        (
            "events.geojson",
            lambda d: _feature(d, "hama-falls")["properties"].update(change="c99-nowhere"),
            "events.geojson, hama-falls, field 'change': refers to unknown change 'c99-nowhere'",
        ),
        (
            "events.geojson",
            lambda d: _feature(d, "hama-falls")["properties"].update(place="homs"),
            "events.geojson, hama-falls, field 'place': 'homs' is not among the towns",
        ),
        (
            "sites.geojson",
            lambda d: _feature(d, "kuweires-air-base")["properties"]["control"][2].update(
                faction="hts"
            ),
            "sites.geojson, kuweires-air-base, field 'control\\[2\\].faction': 'hts' disagrees "
            "with control_log.json's 'c12b-kuweires', which gives its areas to 'sna'",
        ),
        (
            "sites.geojson",
            lambda d: _feature(d, "aleppo-airport")["properties"]["control"][1].update(
                **{"from": "2024-12-01"}
            ),
            "sites.geojson, aleppo-airport, field 'control\\[1\\].from': 2024-12-01 disagrees",
        ),
        (
            "story.json",
            lambda d: d["steps"][4].update(map_date="2024-12-04"),
            "story.json, hama, field 'map_date': 2024-12-04 is not the day of its event "
            "'hama-falls' \\(2024-12-05\\)",
        ),
    ],
)
def test_a_fact_restated_in_another_file_must_agree_with_its_home(
    geodata_copy, name, change, message
):
    """A capture's date lives in control_log.json: an event or a site's holder that
    names the change, and a story step about the event, are checked against it."""
    edit(geodata_copy, name, change)
    load_fails(geodata_copy, message)


def test_the_capture_events_and_site_holders_name_their_changes(ds):
    """The data uses the links, so the checks above guard real records."""
    assert ds.events["change"].dropna().size >= 10
    assert sum(bool(e.change) for h in ds.site_control.values() for e in h) >= 5


def test_a_claim_on_the_article_alone_cannot_be_high(geodata_copy):
    """The story's article is one account: a claim no other report supports says so
    and stays below high confidence."""

    def on_article_alone(doc):
        props = _feature(doc, "six-mile-offer")["properties"]
        props.update(source=["newlines-2024"], confidence="high")

    edit(geodata_copy, "events.geojson", on_article_alone)
    load_fails(
        geodata_copy,
        "events.geojson, six-mile-offer, field 'confidence': rests on the article alone",
    )


def test_the_map_says_whose_claim_an_article_only_claim_is(ds):
    from lib.sources import ARTICLE_ALONE, source_links_html

    alone = source_links_html(ds, "newlines-2024")
    assert alone.startswith(ARTICLE_ALONE) and "New Lines" in alone
    both = source_links_html(ds, "newlines-2024; al-majalla")
    assert both.startswith("Sources: ")
