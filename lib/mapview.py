"""Keeping two maps on one view: which map the user moved, from what each reports."""

from __future__ import annotations

NUDGE_PX = 3  # a map reports its view after any move, ours included: less is not the user


def tolerance_deg(zoom: int) -> float:
    """NUDGE_PX pixels in degrees of longitude at `zoom` (Web Mercator tiles of 256 px)."""
    return NUDGE_PX * 360 / (256 * 2**zoom)


def moved_view(reports: dict, outs: dict, synced: dict) -> list | None:
    """The view ([lat, lng, zoom]) a user moved one of the maps to, or None.

    reports: each map's last reported view, updated in place; outs: what each map
    returned this run ({"center": {"lat", "lng"}, "zoom"}); synced: the shared view
    ({"center": [lat, lng], "zoom"}), or None while the maps still show their first
    view (fitted to Syria), when any change of a map's report is the user's.
    """
    moved = None
    for key, out in outs.items():
        center, zoom = (out or {}).get("center"), (out or {}).get("zoom")
        if not center or not zoom:
            continue
        report = [round(center["lat"], 4), round(center["lng"], 4), zoom]
        before = reports.get(key)
        if report == before:
            continue
        reports[key] = report
        if synced is None:
            if before is not None:  # a map's first report is its first view
                moved = report
            continue
        tolerance = tolerance_deg(synced["zoom"])
        if (
            abs(report[0] - synced["center"][0]) > tolerance
            or abs(report[1] - synced["center"][1]) > tolerance
            or zoom != synced["zoom"]
        ):
            moved = report
    return moved


def new_click(out: dict | None, seen: dict, current) -> dict | None:
    """A point the user just clicked, or None: st_folium repeats its last click on
    every run, as last_clicked (open ground) or last_object_clicked (a zone took the
    click); `seen` remembers each, updated in place."""
    for field in ("last_clicked", "last_object_clicked"):
        value = (out or {}).get(field)
        if value and value != seen.get(field):
            seen[field] = value
            if value != current:
                return value
    return None
