"""The atlas's files on disk: where they go, their names, and a check of their content.

The atlas (every layer of every day, lib/map_layers.atlas) is written once per dataset
and code to static/atlas/atlas-<key>.json, its popups beside it, and browsers keep it
for a year (ui/http_cache): its name is a hash of what it is made from. A file whose
content no longer matches (cut by a full disk, a crash, a hand edit) would be served
under that name for ever, restarts included; so a third file records the SHA-256 of
the other two as written, and nothing is reused or served unless both still match.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

import shapely

from lib.data import Dataset
from lib.jsonio import write_atomic
from lib.offline_assets import STATIC_URL_FROM_COMPONENT

ATLAS_FILES_KEPT = 8  # atlases of other data or code, kept for servers still using them
_log = logging.getLogger(__name__)


def atlas_source_key(data_dir) -> str:
    """A hash of everything the atlas is made from: the data files, this package's
    code and the geometry library's version. Same key, same atlas."""
    digest = hashlib.sha256(shapely.__version__.encode())
    code_dir = Path(__file__).resolve().parent
    for path in sorted(Path(data_dir).iterdir()) + sorted(code_dir.rglob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def atlas_target(ds: Dataset, static_dir) -> tuple[Path, str]:
    """Where the atlas of `ds` goes under static_dir/atlas/, named by atlas_source_key
    (a new dataset or code gives a new file, so browsers never use a stale one), and
    its URL as seen from st_folium's component page. Its popups go beside it
    (popups_path)."""
    name = f"atlas-{atlas_source_key(ds.path)}.json"
    return Path(static_dir) / "atlas" / name, f"{STATIC_URL_FROM_COMPONENT}/atlas/{name}"


def popups_path(atlas_path: Path) -> Path:
    """The popups of the atlas at `atlas_path`: atlas-<key>.popups.json."""
    return atlas_path.with_name(atlas_path.stem + ".popups.json")


def digest_path(atlas_path: Path) -> Path:
    """The SHA-256 of the atlas and its popups as written: atlas-<key>.sha256."""
    return atlas_path.with_name(atlas_path.stem + ".sha256")


def atlas_of(served: Path) -> Path:
    """The atlas a served file (the atlas or its popups) belongs to."""
    name = served.name.removesuffix(".json").removesuffix(".popups")
    return served.with_name(name + ".json")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


_verdicts: dict[tuple, bool] = {}  # the files' (name, mtime, size) -> intact


def _stamp(atlas_path: Path) -> tuple | None:
    try:
        return tuple(
            (p.name, p.stat().st_mtime_ns, p.stat().st_size)
            for p in (atlas_path, popups_path(atlas_path), digest_path(atlas_path))
        )
    except OSError:
        return None  # one is missing


def atlas_intact(atlas_path: Path) -> bool:
    """Whether the atlas and its popups are there and hold what was written. Read again
    only when a file's time or size changed, so a page run or a request checks it for
    the price of three stat calls."""
    stamp = _stamp(atlas_path)
    if stamp is None:
        return False
    if stamp not in _verdicts:
        try:
            recorded = json.loads(digest_path(atlas_path).read_text(encoding="utf-8"))
            intact = recorded == {p.name: _sha256(p) for p in (atlas_path, popups_path(atlas_path))}
        except (OSError, ValueError):
            intact = False
        if not intact:
            _log.warning("%s does not hold what was written: it will be written again", atlas_path)
        if len(_verdicts) > 64:
            _verdicts.clear()
        _verdicts[stamp] = intact
    return _verdicts[stamp]


def write_atlas(ds: Dataset, static_dir) -> str:
    """Write the atlas, its popups and their digest (unless a server on the same data
    and code already did, and the files still hold it) and return the atlas's URL.
    The popups are written first and the digest last: once the digest is there, so
    are the rest. Old atlases beyond the newest few are removed."""
    from lib.map_layers import atlas, split_popups

    path, url = atlas_target(ds, static_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not atlas_intact(path):
        digest_path(path).unlink(missing_ok=True)  # not served while it is rewritten
        first, popups = split_popups(atlas(ds))
        first["popups"] = popups_path(path).name  # the map's loader asks for it by this
        digests = {}
        for target, doc in ((popups_path(path), popups), (path, first)):
            # no NaN: browsers refuse it in JSON, and the map would not load
            text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
            write_atomic(target, text)
            digests[target.name] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        write_atomic(digest_path(path), json.dumps(digests, indent=1))
    others = sorted(
        (
            p
            for p in path.parent.glob("atlas-*.json")
            if p != path and not p.name.endswith(".popups.json")
        ),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in others[ATLAS_FILES_KEPT - 1 :]:
        for stale in (old, popups_path(old), digest_path(old)):
            stale.unlink(missing_ok=True)
    return url
