"""The covered days, from control_log.json's `baseline_date` and `end_date`: every
dated record is checked against them, so nothing else is read when they are wrong."""

from __future__ import annotations

from pathlib import Path

from lib.data.checking import Checker, read_json
from lib.data.dates import Period
from lib.data.errors import Problem
from lib.data.readers.base import Reader
from lib.data.records import CONTROL_FILE

MAX_PERIOD_DAYS = 366  # a slider of days; a longer span is a typo, not a story


def _read_period(path: Path) -> tuple[Period | None, list[Problem]]:
    """The covered days: control_log.json's baseline_date to its end_date. Every other
    date is checked against them, so a bad period stops the load on its own."""
    ck = Checker(CONTROL_FILE)
    doc = read_json(path, ck)
    if not isinstance(doc, dict):
        if not ck.problems:
            ck.add(None, None, "must be a JSON object")
        return None, ck.problems
    baseline = ck.day(doc, "baseline_date", None)
    end = ck.day(doc, "end_date", None)
    if baseline and end and not 0 < (end - baseline).days <= MAX_PERIOD_DAYS:
        ck.add(
            None,
            "end_date",
            f"{end} must be 1 to {MAX_PERIOD_DAYS} days after the baseline date {baseline}",
        )
    if ck.problems:
        return None, ck.problems
    return Period(baseline, end), []


READER = Reader(CONTROL_FILE, gives=("period",), needs=(), read=_read_period, essential=True)
