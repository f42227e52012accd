"""The dates the dashboard covers, and parsing of user-given dates."""

from __future__ import annotations

from datetime import date, timedelta

BASELINE_DATE = date(2024, 11, 26)  # the day before the offensive: the control baseline
OFFENSIVE_START = date(2024, 11, 27)
END_DATE = date(2024, 12, 8)  # the fall of Damascus


def all_dates() -> list[date]:
    """Every day from the baseline to the end date, inclusive."""
    days = (END_DATE - BASELINE_DATE).days
    return [BASELINE_DATE + timedelta(days=i) for i in range(days + 1)]


def parse_iso_date(text: str) -> date:
    """Parse YYYY-MM-DD strictly; raise ValueError with a readable message."""
    if not isinstance(text, str):
        raise ValueError(f"expected a date as YYYY-MM-DD, got {type(text).__name__}")
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        shown = text if len(text) <= 40 else text[:40] + "..."
        raise ValueError(f"{shown!r} is not a date of the form YYYY-MM-DD") from None


def parse_map_date(text: str) -> date:
    """Parse a date the map can show: YYYY-MM-DD within the covered range."""
    day = parse_iso_date(text)
    if not BASELINE_DATE <= day <= END_DATE:
        raise ValueError(
            f"{text} is outside the covered range {BASELINE_DATE.isoformat()} "
            f"to {END_DATE.isoformat()}"
        )
    return day


def fmt_day(day: date) -> str:
    """'1 Dec 2024': how every page and the map name a day."""
    return f"{day.day} {day.strftime('%b %Y')}"
