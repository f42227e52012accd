"""Loading a geodata folder: every reader in turn, then the geography checks. Either a
complete `Dataset` or a `DataError` listing every problem found; nothing half-loads."""

from __future__ import annotations

import os
from pathlib import Path

from lib.data.consistency import check_consistency
from lib.data.dates import Period
from lib.data.errors import DataError, Problem
from lib.data.geography import check_geography
from lib.data.readers import readers
from lib.data.readers.period import READER as PERIOD_READER
from lib.data.records import (
    BORDERS_SOURCE,
    CONTESTED,
    FACTIONS_FILE,
    GEODATA_DIR,
    GEODATA_ENV,
    SOURCES_FILE,
    Dataset,
)


def geodata_dir() -> Path:
    """The geodata folder: $ALEPPO_GEODATA if set, else the bundled geodata/."""
    override = os.environ.get(GEODATA_ENV)
    return Path(override) if override else GEODATA_DIR


def read_period(path: str | Path | None = None) -> Period:
    """The covered days of a geodata folder (default: `geodata_dir()`), without loading
    the rest: for a page or a tool that needs only the days. Raises DataError."""
    root = Path(path) if path is not None else geodata_dir()
    period, problems = PERIOD_READER.read(root / PERIOD_READER.file)
    if problems:
        raise DataError(problems)
    return period


def load_dataset(path: str | Path | None = None, layer_keys=None) -> Dataset:
    """Load and validate every file of a geodata folder (default: `geodata_dir()`).

    `layer_keys`: the layers a story step may name (lib.layers.base_keys()); None
    leaves them unchecked (this package knows no layers).

    Raises
    ------
    DataError
        Listing every problem found; no partial dataset is returned.
    """
    root = Path(path) if path is not None else geodata_dir()
    if not root.is_dir():
        # named by the folder's name only: a server's paths never reach a reader
        raise DataError([Problem(root.name or str(root), None, None, "is not a folder of geodata")])
    problems: list[Problem] = []
    got: dict = {"notes": [], "layer_keys": layer_keys}
    for reader in readers():
        if reader.needs_clean and problems:
            continue
        *values, p = reader.read(root / reader.file, *(got[n] for n in reader.needs))
        if reader.essential and p:
            raise DataError(problems + p)
        got.update(zip(reader.gives, values))
        problems += p
    if not problems:
        problems = _missing_ids(got)
    if not problems:  # a fact restated in another file agrees with its home
        problems = check_consistency(got)
    if problems:
        raise DataError(problems)
    place_area, problems = check_geography(
        got["countries"],
        got["places"],
        got["sites"],
        got["events"],
        got["areas"],
        got["overrides"],
        got["changes"],
        got["notes"],
    )
    if problems:
        raise DataError(problems)
    return Dataset(
        path=root,
        period=got["period"],
        factions=got["factions"],
        sources=got["sources"],
        countries=got["countries"],
        places=got["places"],
        sites=got["sites"],
        site_control=got["site_control"],
        events=got["events"],
        baseline=tuple(got["baseline"]),
        changes=tuple(got["changes"]),
        proposals=got["proposals"],
        areas=got["areas"],
        rivers=got["rivers"],
        place_area=place_area,
        story=got.get("story", ()),
        notes=tuple(got["notes"]),
    )


def _missing_ids(got) -> list[Problem]:
    """Records the code relies on by id."""
    problems = []
    if BORDERS_SOURCE not in got["sources"]:
        problems.append(
            Problem(
                SOURCES_FILE, BORDERS_SOURCE, "id", "is missing: borders.geojson is credited to it"
            )
        )
    if CONTESTED not in got["factions"]:
        problems.append(Problem(FACTIONS_FILE, CONTESTED, "id", "is missing: the map needs it"))
    return problems
