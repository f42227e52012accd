"""Keeping the side-by-side maps on one view, and telling a new click from a repeat."""

from lib.mapview import moved_view, new_click, tolerance_deg

SYNCED = {"center": [35.45, 38.3], "zoom": 7}


def out(lat, lng, zoom=7):
    return {"center": {"lat": lat, "lng": lng}, "zoom": zoom}


def test_a_map_reporting_the_shared_view_moved_nothing():
    reports = {}
    assert (
        moved_view(reports, {"left": out(35.45, 38.3), "right": out(35.45, 38.3)}, SYNCED) is None
    )
    assert reports == {"left": [35.45, 38.3, 7], "right": [35.45, 38.3, 7]}


def test_a_nudge_of_a_pixel_or_two_is_ours_not_the_users():
    nudge = tolerance_deg(7) / 2
    assert moved_view({}, {"left": out(35.45 + nudge, 38.3)}, SYNCED) is None


def test_a_pan_or_a_zoom_is_the_users():
    far = tolerance_deg(7) * 10
    assert moved_view({}, {"left": out(35.45, 38.3 + far)}, SYNCED) == [
        35.45,
        round(38.3 + far, 4),
        7,
    ]
    assert moved_view({}, {"right": out(35.45, 38.3, zoom=9)}, SYNCED) == [35.45, 38.3, 9]


def test_a_view_already_reported_is_not_moved_again():
    reports = {"left": [36.0, 37.0, 8]}
    assert moved_view(reports, {"left": out(36.0, 37.0, 8)}, SYNCED) is None


def test_tolerance_halves_with_each_zoom_level():
    assert tolerance_deg(8) == tolerance_deg(7) / 2


def test_a_click_is_new_once():
    seen = {}
    click = {"lat": 36.2, "lng": 37.1}
    assert new_click({"last_clicked": click}, seen, None) == click
    assert new_click({"last_clicked": click}, seen, click) is None  # st_folium repeats it
    zone = {"lat": 36.0, "lng": 38.0}
    assert new_click({"last_clicked": click, "last_object_clicked": zone}, seen, click) == zone
    assert new_click(None, seen, zone) is None


def test_before_any_move_a_maps_first_report_is_its_fitted_view():
    reports = {}
    first = {"left": out(35.0, 38.5, 6.25), "right": out(35.0, 38.5, 6.25)}
    assert moved_view(reports, first, None) is None
    assert moved_view(reports, first, None) is None  # repeated on every run
    assert moved_view(
        reports, {"left": out(36.2, 37.1, 8), "right": out(35.0, 38.5, 6.25)}, None
    ) == [
        36.2,
        37.1,
        8,
    ]
