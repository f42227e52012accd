"""The view in the URL: ?date=2024-12-01&layers=control,sites,buffer_22&basemap=offline

Parsing never fails: a bad parameter gives a warning and its default. Warnings are
plain text quoting at most 40 characters of a value; the pages escape them before
showing them (lib/text.py), so a link cannot put an image, a link or formatting there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from lib.data.dates import Period
from lib.text import quoted

MAX_PARAM_LEN = 500  # longer values are refused rather than echoed back


@dataclass(frozen=True)
class View:
    day: date
    layers: tuple[str, ...]
    basemap: str
    map_view: tuple[float, float, float] | None = None  # lat, lng, zoom; None: all Syria


# One way to write a number in an address: ASCII digits, an optional sign and decimal
# point. float() also takes "1_5" (15), "١٥" and "１５", "nan" and "1e1": none is ours.
NUMBER = re.compile(r"-?[0-9]{1,4}(\.[0-9]{1,8})?")


def strict_number(text: str) -> float:
    """`text` as a number written the one way an address writes it; ValueError else."""
    if not NUMBER.fullmatch(text):
        raise ValueError(f"{quoted(text, 20)} is not a number written with digits 0-9")
    return float(text)


# A map view a link may carry: around Syria, at the zooms the map allows.
VIEW_LAT, VIEW_LNG, VIEW_ZOOM = (29.0, 40.0), (32.0, 46.0), (5.0, 12.0)


def parse_map_view(raw: str) -> tuple[float, float, float]:
    """ "36.2,37.16,9" -> (36.2, 37.16, 9.0); ValueError naming what is wrong."""
    parts = raw[:60].split(",")
    if len(parts) != 3:
        raise ValueError("give latitude,longitude,zoom")
    try:
        lat, lng, zoom = (strict_number(x) for x in parts)
    except ValueError:
        raise ValueError("give latitude,longitude,zoom as numbers") from None
    for value, (lo, hi), what in (
        (lat, VIEW_LAT, "latitude"),
        (lng, VIEW_LNG, "longitude"),
        (zoom, VIEW_ZOOM, "zoom"),
    ):
        if not lo <= value <= hi:  # also refuses nan
            raise ValueError(f"the {what} must be from {lo:g} to {hi:g}")
    return (round(lat, 5), round(lng, 5), round(zoom, 2))


def _shown(value: str) -> str:
    return quoted(value)


def _parse_names(raw: str, known, what: str, warnings: list[str]) -> tuple[str, ...] | None:
    """Comma-separated names: the known ones in canonical order, or None when none is
    known; unknown names give a warning."""
    names = [n.strip() for n in raw[:MAX_PARAM_LEN].split(",") if n.strip()]
    unknown = [n for n in names if n not in known]
    if unknown:
        warnings.append(
            f"Ignored unknown {what}(s) {', '.join(_shown(n) for n in unknown[:5])}; "
            f"known {what}s: {', '.join(known)}."
        )
    chosen = tuple(n for n in known if n in names)
    return chosen if chosen or not names else None


def parse_view(
    params: dict, period: Period, known_layers, default_layers, basemaps, default_basemap
):
    """(View, warnings) from query parameters (a dict of str -> str). With no date, the
    map opens on the offensive's first day."""
    warnings: list[str] = []
    day = period.start
    raw = params.get("date")
    if raw is not None:
        try:
            if len(raw) > MAX_PARAM_LEN:
                raise ValueError("the value is too long")
            day = period.parse(raw)
        except ValueError as exc:
            warnings.append(f"Ignored date={_shown(raw)}: {exc}. Showing {period.start}.")
    layers = tuple(default_layers)
    raw = params.get("layers")
    if raw is not None:
        chosen = _parse_names(raw, known_layers, "layer", warnings)
        if chosen is not None:
            layers = chosen
    basemap = default_basemap
    raw = params.get("basemap")
    if raw is not None:
        if raw in basemaps:
            basemap = raw
        else:
            warnings.append(f"Ignored basemap={_shown(raw)}; choose one of {', '.join(basemaps)}.")
    map_view = None
    raw = params.get("view")
    if raw is not None:
        try:
            map_view = parse_map_view(raw)
        except ValueError as exc:
            warnings.append(f"Ignored view={_shown(raw)}: {exc}. Showing all of Syria.")
    return View(day, layers, basemap, map_view), warnings


def view_params(view: View) -> dict[str, str]:
    """The query parameters that reopen `view`."""
    params = {
        "date": view.day.isoformat(),
        "layers": ",".join(view.layers),
        "basemap": view.basemap,
    }
    if view.map_view:  # kept in the address, so a reload opens the same view
        params["view"] = ",".join(f"{x:g}" for x in view.map_view)
    return params


WHATIF_MIN_MI, WHATIF_MAX_MI = 1.0, 40.0
DEFAULT_PROPOSALS = ("buffer_10", "buffer_22")  # the Riyadh stand-off: Assad's 10, Erdogan's 22


@dataclass(frozen=True)
class CompareView:
    proposals: tuple[str, ...]
    whatif_mi: float | None


def parse_compare(params: dict, proposal_ids) -> tuple[CompareView, list[str]]:
    """(CompareView, warnings) from ?proposals=buffer_10,buffer_22&whatif=15"""
    warnings: list[str] = []
    proposals = tuple(p for p in DEFAULT_PROPOSALS if p in proposal_ids)
    raw = params.get("proposals")
    if raw is not None:
        chosen = _parse_names(raw, proposal_ids, "proposal", warnings)
        if chosen:
            proposals = chosen
    whatif = None
    raw = params.get("whatif")
    if raw is not None:
        try:
            value = strict_number(raw[:20])
            if not WHATIF_MIN_MI <= value <= WHATIF_MAX_MI:  # also refuses nan and inf
                raise ValueError
            whatif = round(value * 2) / 2  # the control's half-mile steps
        except ValueError:
            warnings.append(
                f"Ignored whatif={_shown(raw)}: give a distance in miles from "
                f"{WHATIF_MIN_MI:g} to {WHATIF_MAX_MI:g}."
            )
    return CompareView(proposals, whatif), warnings


def compare_params(view: CompareView, day: date, basemap: str) -> dict[str, str]:
    """The query parameters that reopen the compare page's `view` on `day`, with the
    basemap the session chose: a reload or a shared link with `offline` must not ask
    for online tiles."""
    params = {"date": day.isoformat(), "proposals": ",".join(view.proposals)}
    if view.whatif_mi is not None:
        params["whatif"] = f"{view.whatif_mi:g}"
    params["basemap"] = basemap
    return params
