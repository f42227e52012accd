"""The readers of geodata/, one module a file, each with a `READER` naming its file,
what it gives and what it refers to. `load_dataset` runs them in this order (a reader
comes after the readers it needs). A new kind of data is a module here, added below,
and a field of `Dataset`.
"""

from __future__ import annotations

from functools import lru_cache

from lib.data.readers.base import Reader


def _modules():
    from lib.data.readers import (
        areas,
        borders,
        control,
        events,
        factions,
        period,
        places,
        proposals,
        rivers,
        sites,
        sources,
        story,
    )

    return (
        sources,
        factions,
        period,
        borders,
        places,
        sites,
        events,
        areas,
        rivers,
        control,
        proposals,
        story,
    )


@lru_cache(maxsize=1)
def readers() -> tuple[Reader, ...]:
    return tuple(m.READER for m in _modules())
