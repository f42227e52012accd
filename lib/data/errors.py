"""Errors raised for bad geodata: each problem names its file, feature and field."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    feature: str | None  # an id, or "feature 3" when the id itself is missing
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.feature is not None:
            where += f", {self.feature}"
        if self.field is not None:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


class DataError(Exception):
    """The geodata could not be loaded; `problems` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the geodata:\n{lines}")
