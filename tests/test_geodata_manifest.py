"""Each file of geodata/ against its entry in the manifest."""

import json

import pytest
from shapely.geometry import shape

from lib.data.records import GEODATA_DIR

MANIFEST = json.loads((GEODATA_DIR / "manifest.json").read_text(encoding="utf-8"))
ENTRIES = {e["name"]: e for e in MANIFEST["files"]}
LIST_KEYS = {
    "control_log": "changes",
    "proposals": "proposals",
    "factions": "factions",
    "sources": "sources",
    "story": "steps",
}


def test_manifest_lists_every_data_file():
    on_disk = {p.name for p in GEODATA_DIR.iterdir()} - {"manifest.json", "README.md"}
    assert on_disk == {e["path"] for e in MANIFEST["files"]}


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_file_matches_manifest(name):
    entry = ENTRIES[name]
    doc = json.loads((GEODATA_DIR / entry["path"]).read_text(encoding="utf-8"))
    if entry["format"] == "GeoJSON":
        assert doc["type"] == "FeatureCollection"
        assert "crs" not in doc  # RFC 7946: WGS84 only, no crs member
        assert entry["crs"] == "EPSG:4326"
        assert len(doc["features"]) == entry["rows"]
        for feat in doc["features"]:
            gtype = feat["geometry"]["type"] if feat["geometry"] else None
            assert gtype in entry["geometry"], feat["properties"]
            if feat["geometry"]:
                minx, miny, maxx, maxy = shape(feat["geometry"]).bounds
                assert -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90
    elif name in LIST_KEYS:
        assert len(doc[LIST_KEYS[name]]) == entry["rows"]
    assert entry["licence"]


@pytest.mark.parametrize("name", ["places", "sites", "events", "control_areas", "rivers"])
def test_every_feature_has_a_known_source(name, ds):
    doc = json.loads((GEODATA_DIR / ENTRIES[name]["path"]).read_text(encoding="utf-8"))
    for feat in doc["features"]:
        cited = feat["properties"]["source"]
        for sid in cited if isinstance(cited, list) else [cited]:
            assert sid in ds.sources and ds.sources[sid].url.startswith("http")


def test_every_dated_claim_cites_a_source_with_an_address(ds):
    """Captures, contested ground, baseline lines, site holders and events."""
    claims = [c.source for c in ds.changes] + [g.source for g in ds.baseline]
    claims += [e.source for entries in ds.site_control.values() for e in entries]
    claims += list(ds.events["source"])
    for value in claims:
        for sid in value.split("; "):
            assert ds.sources[sid].url.startswith(("https://", "http://"))


def test_the_article_record_has_its_address_and_authors(ds):
    article = ds.sources["newlines-2024"]
    assert (
        article.url == "https://newlinesmag.com/reportage/the-backstory-behind-the-fall-of-aleppo"
    )
    assert "Hassan" in article.author and "Weiss" in article.author


def test_every_dated_fact_says_how_sure_it_is(ds):
    assert all(c.confidence in ("high", "medium", "low") for c in ds.changes)
    assert all(g.confidence for g in ds.baseline)
    assert ds.events["confidence"].isin(["high", "medium", "low"]).all()
    assert all(e.confidence for entries in ds.site_control.values() for e in entries)


def test_the_article_is_in_the_data(ds):
    """The places, bases and proposals the article names are all there."""
    for pid in [
        "aleppo",
        "idlib",
        "hama",
        "maaret-al-numan",
        "khan-sheikhun",
        "al-bab",
        "azaz",
        "jarablus",
        "afrin",
        "manbij",
        "tel-rifaat",
        "baylun",
        "latakia",
        "tartus",
    ]:
        assert pid in ds.places.index
    for sid in [
        "kuweires-air-base",
        "hmeimim-air-base",
        "tartus-naval-base",
        "aleppo-military-academy",
        "aleppo-artillery-college",
        "aleppo-thermal-power-station",
        "al-safira-defence-factories",
        "regiment-46",
        "tel-rifaat-missile-system",
    ]:
        assert sid in ds.sites.index
    assert sorted(p.distance_mi for p in ds.proposals) == [3, 6, 10, 22, 30]
    for eid in [
        "adana-agreement",
        "afrin-2018",
        "baylun-2020",
        "riyadh-summit",
        "repelling-aggression",
        "dawn-of-freedom",
        "security-meeting",
        "north-hama-sweep",
        "maaret-al-numan-withdrawal",
        "antalya-flight",
        "khan-sheikhun-sortie",
        "russian-strikes-aleppo",
        "hts-enters-hama",
        # every dated thing the article names
        "israel-lebanon-ceasefire",
        "hur-report",
        "kisel-dismissed",
        "brics-kazan",
        "spring-shield",
        "aleppo-2016",
        "crocus-attack",
        "tusas-attack",
        "nsc-statement",
        "safe-passage",
        "palmyra-offensive",
    ]:
        assert eid in ds.events.index
    for sid in ["aleppo-airport", "abu-al-duhur-air-base", "al-tanf-garrison", "us-conoco"]:
        assert sid in ds.sites.index
    for pid in ["sheikh-maqsoud", "al-zahraa", "nubl", "palmyra", "as-sukhnah", "al-qaryatayn"]:
        assert pid in ds.places.index
    assert {"government", "hts", "sna", "sdf", "turkey", "sfa", "contested"} <= set(ds.factions)
    assert {"tanf-zone", "sheikh-maqsoud", "golan-occupied"} <= set(ds.areas.index)


def test_places_count_is_about_three_hundred(ds):
    assert 290 <= len(ds.places) <= 330
    assert ds.places["population"].dropna().ge(500).all()
