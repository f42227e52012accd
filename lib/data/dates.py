"""The days the dashboard covers (a `Period`, read from the data), and parsing of
user-given dates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Period:
    """The covered days: the control baseline (the day before the offensive) to the
    last day. They come from control_log.json (`baseline_date`, `end_date`), so a
    longer story is a data edit."""

    baseline: date
    end: date

    @property
    def start(self) -> date:
        """The offensive's first day: the day after the baseline."""
        return self.baseline + timedelta(days=1)

    def days(self) -> list[date]:
        """Every day from the baseline to the end, inclusive."""
        return [
            self.baseline + timedelta(days=i) for i in range((self.end - self.baseline).days + 1)
        ]

    def check(self, day: date) -> date:
        """`day`, or ValueError when it is outside the period."""
        if not self.baseline <= day <= self.end:
            raise ValueError(
                f"{day.isoformat()} is outside the covered range {self.baseline.isoformat()} "
                f"to {self.end.isoformat()}"
            )
        return day

    def parse(self, text: str) -> date:
        """A day the map can show: YYYY-MM-DD within the period."""
        return self.check(parse_iso_date(text))


ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_iso_date(text: str) -> date:
    """Parse YYYY-MM-DD strictly; raise ValueError with a readable message."""
    if not isinstance(text, str):
        raise ValueError(f"expected a date as YYYY-MM-DD, got {type(text).__name__}")
    try:
        if not ISO_DAY.fullmatch(text):  # ASCII digits only, one form
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        shown = text if len(text) <= 40 else text[:40] + "..."
        raise ValueError(f"{shown!r} is not a date of the form YYYY-MM-DD") from None


def fmt_day(day: date) -> str:
    """'1 Dec 2024': how every page and the map name a day."""
    return f"{day.day} {day.strftime('%b %Y')}"
