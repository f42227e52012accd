"""A copy of the data folder with hostile text in every free-text field of every file:
markdown, HTML and long text, the way a careless or malicious edit of geodata/ would
put it. Rendered anywhere, it would make an image (which fetches `host`), a link,
bold, colour, maths or an HTML element; each carries a word of its own (zz...), so a
test can find any element it made.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

# Free text in the data files: names, titles, descriptions, notes, quotes, captions,
# sources' words. Ids, dates, colours, URLs and references stay as they are, so that
# the data still loads.
TEXT_FIELDS = frozenset(
    {
        "name",
        "short",
        "description",
        "backers",
        "label",
        "proposed_by",
        "date_label",
        "terms",
        "quote",
        "status",
        "note",
        "reason",
        "edges",
        "title",
        "publisher",
        "author",
        "supports",
        "date_note",
        "caption",
        "operator",
        "admin1",
        "name_local",
    }
)
# files whose names are read by code, not shown: left alone
SKIP_FILES = frozenset(
    {"manifest.json", "places_curated.json", "control_areas_src.json", "borders.geojson"}
)
MARKERS = ("zzbold", "zzem", "zzhtml", "zzred", "zzlink", "zzstrike", "zzcode")


def hostile_text(host: str) -> str:
    return (
        f" ![zzimg]({host}/zzimg.png) [zzlink]({host}/zzlink) **zzbold** _zzem_ "
        f"<b>zzhtml</b> :red[zzred] ~~zzstrike~~ `zzcode` $zzmath^2$ "
        f"<img src={host}/zzimg2.png> {{{{ 7*191 }}}} " + "long " * 40
    )


def _plant(value, suffix: str):
    if isinstance(value, dict):
        return {
            k: (
                v + suffix
                if k in TEXT_FIELDS and isinstance(v, str) and v
                else [x + suffix if isinstance(x, str) else x for x in v]
                if k in TEXT_FIELDS and isinstance(v, list)
                else _plant(v, suffix)
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_plant(v, suffix) for v in value]
    return value


def hostile_copy(source: Path, target: Path, host: str) -> Path:
    """A copy of the data folder `source` at `target`, with hostile text planted."""
    shutil.copytree(source, target)
    suffix = hostile_text(host)
    for path in sorted(target.iterdir()):
        if path.suffix not in (".json", ".geojson") or path.name in SKIP_FILES:
            continue
        doc = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(_plant(doc, suffix), ensure_ascii=False), encoding="utf-8")
    return target
