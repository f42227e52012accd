"""Finding a place, a site or an event by any name: the code on the made-up dataset,
the spellings on the bundled data (GeoNames' alternate names)."""

from __future__ import annotations

import pytest

from lib.search import cards_for_browser, find, index_for_browser, nearest_names, normalize


@pytest.mark.parametrize(
    "a, b",
    [
        ("Tall Rif‘at", "Tell Rifaat"),  # ayn, doubled letters, tall/tell
        ("Tal Rifaat", "tel rifaat"),
        ("Al-Bāb", "al bab"),  # accents and hyphens
        ("El Bab", "Al-Bab"),  # the article's spellings
        ("Ma‘arrat an-Nu‘mān", "Maarat an Numan"),
        ("أعزاز", "اعزاز"),  # Arabic alef with hamza, and without
        ("حَلَب", "حلب"),  # Arabic vowel marks
    ],
)
def test_spellings_of_one_name_meet_in_one_form(a, b):
    assert normalize(a) == normalize(b)


def test_different_names_stay_apart():
    assert normalize("Manbij") != normalize("Menagh")
    assert normalize("Tel Rifaat") != normalize("Tel Abyad")


def test_a_place_is_found_by_its_name_and_its_start(mini):
    assert [e.id for e in find(mini, "alpha")][:1] == ["alpha"]
    assert [e.id for e in find(mini, "ALPH")][:1] == ["alpha"]
    # a site and an event are found by a word of theirs; places come first
    assert [e.kind for e in find(mini, "beta")] == ["place", "site"]
    assert [e.id for e in find(mini, "attack")] == ["attack-alpha"]
    assert find(mini, "   ") == []


def test_a_query_that_matches_nothing_gets_the_nearest_names(mini):
    assert find(mini, "Alfa") == []
    assert nearest_names(mini, "Alfa")[0].id == "alpha"


def test_the_index_holds_every_place_site_and_located_event(mini):
    index = index_for_browser(mini)
    ids = {row[0] for row in index}
    assert set(mini.places.index) <= ids and set(mini.sites.index) <= ids
    located = mini.events[mini.events.geometry.notna()].index
    assert set(located) <= ids
    for row in index:  # [id, kind, name, detail, lat, lng, [keys], weight]
        assert row[6] and all(k == normalize(k) for k in row[6])


def test_a_card_knows_who_held_the_place_each_day_and_its_capture(mini):
    cards = cards_for_browser(mini)
    days = mini.period.days()
    factions = cards["faction_ids"]
    alpha = cards["holders"]["alpha"]
    assert len(alpha) == len(days)
    # alpha was the government's on the baseline and HTS's from its capture on 27 Nov
    assert factions[alpha[0]] == "government" and factions[alpha[-1]] == "hts"
    day, taker, before, _confidence, sources = cards["taken"]["alpha"]
    assert days[day].isoformat() == "2024-11-27" and (taker, before) == ("hts", "government")
    assert all(s in cards["sources"] for s in sources)
    assert "attack-alpha" in cards["at"]["alpha"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Tel Rifaat", "tel-rifaat"),
        ("Tell Rifaat", "tel-rifaat"),  # GeoNames' spellings
        ("Tal Refaat", "tel-rifaat"),
        ("تل رفعت", "tel-rifaat"),  # its Arabic name
        ("Membidj", "manbij"),
        ("منبج", "manbij"),
        ("kuweires air", "kuweires-air-base"),
    ],
)
def test_the_bundled_places_are_found_by_every_spelling(ds, query, expected):
    assert find(ds, query)[0].id == expected
