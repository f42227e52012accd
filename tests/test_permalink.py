"""URL parameters: every outcome is the view asked for, or a warning and the default."""

from datetime import date

import pytest

from lib.basemap import BASEMAPS
from lib.data.dates import Period
from lib.layers import default_keys
from lib.permalink import View, parse_view, view_params

DEFAULT_LAYERS = default_keys()

PERIOD = Period(date(2024, 11, 26), date(2024, 12, 8))
DEFAULT_DAY = date(2024, 11, 27)  # the offensive's first day: the period's start
KNOWN = ("control", "sites", "events", "captured", "buffer_3", "buffer_22")


def parse(params):
    return parse_view(params, PERIOD, KNOWN, DEFAULT_LAYERS, BASEMAPS, "auto")


def test_defaults():
    view, warnings = parse({})
    assert view == View(DEFAULT_DAY, DEFAULT_LAYERS, "auto") and not warnings


def test_round_trip():
    view = View(date(2024, 12, 1), ("control", "buffer_22"), "offline")
    assert parse(view_params(view)) == (view, [])


def test_layers_in_canonical_order_without_repeats():
    view, _ = parse({"layers": "buffer_22, control,control"})
    assert view.layers == ("control", "buffer_22")


def test_empty_layers_means_none():
    view, warnings = parse({"layers": ""})
    assert view.layers == () and not warnings


@pytest.mark.parametrize(
    "bad, message",
    [
        ("2024-12-31", "outside the covered range"),
        ("2024-02-30", "is not a date"),
        ("<script>", "is not a date"),
        ("9" * 1000, "too long"),
        ("２０２４-１２-０１", "is not a date"),  # full-width digits
        ("٢٠٢٤-١٢-٠١", "is not a date"),  # Arabic-Indic digits
        ("2024-12-01 ", "is not a date"),
    ],
)
def test_bad_date_warns_and_falls_back(bad, message):
    view, warnings = parse({"date": bad})
    assert view.day == DEFAULT_DAY
    assert len(warnings) == 1 and message in warnings[0]
    assert len(warnings[0]) < 300  # a long value is not echoed back whole


def test_unknown_layers_warn_and_known_ones_stay():
    view, warnings = parse({"layers": "control,buffer_99"})
    assert view.layers == ("control",)
    assert "buffer_99" in warnings[0] and "known layers" in warnings[0]


def test_only_unknown_layers_fall_back_to_default():
    view, warnings = parse({"layers": "nonsense"})
    assert view.layers == DEFAULT_LAYERS and warnings


def test_bad_basemap():
    view, warnings = parse({"basemap": "google"})
    assert view.basemap == "auto" and "basemap" in warnings[0]


def test_a_link_can_carry_the_maps_view():
    view, warnings = parse({"view": "36.2,37.155,9"})
    assert view.map_view == (36.2, 37.155, 9.0) and not warnings
    assert view_params(view)["view"] == "36.2,37.155,9"
    assert parse(view_params(view)) == (view, [])
    assert "view" not in view_params(parse({})[0])  # no view: all of Syria, not in the link


@pytest.mark.parametrize(
    "bad, message",
    [
        ("36.2,37.1", "latitude,longitude,zoom"),
        ("north,37.1,9", "as numbers"),
        ("nan,37.1,9", "as numbers"),
        ("36.2,37.1,1_0", "as numbers"),  # float() reads 10
        ("٣٦,37.1,9", "as numbers"),  # Arabic-Indic digits: float() reads 36
        ("３６,37.1,9", "as numbers"),  # full-width digits
        ("3.6e1,37.1,9", "as numbers"),
        ("10,37.1,9", "latitude must be"),
        ("36.2,37.1,30", "zoom must be"),
        ("36.2," * 500, "latitude,longitude,zoom"),
    ],
)
def test_a_bad_view_warns_and_shows_all_syria(bad, message):
    view, warnings = parse({"view": bad})
    assert view.map_view is None and message in warnings[0] and "all of Syria" in warnings[0]
