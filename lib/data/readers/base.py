"""What a reader of one geodata file is: the file, the Dataset fields it fills and
the fields of earlier readers it checks its ids against."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Reader:
    file: str  # its file in geodata/
    gives: tuple[str, ...]  # Dataset fields, in the order `read` returns them
    needs: tuple[str, ...]  # what it is given: earlier readers' fields, "notes", "layer_keys"
    read: Callable[..., tuple]  # read(path, *needs) -> (*gives, problems)
    essential: bool = False  # when it has problems nothing else can be checked: stop
    needs_clean: bool = False  # read only when every reader before it had no problems


def ids(frame) -> set:
    """The ids of a reader's frame; none when the file could not be read."""
    return set(frame.index) if frame is not None else set()
