"""Deterministic, atomic writing of files (JSON under geodata/, graphics, embeds)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def dumps_geojson(doc: Any) -> str:
    """Stable text: same input, byte-identical output (one feature a line)."""
    if isinstance(doc, dict) and doc.get("type") == "FeatureCollection":
        head = {k: v for k, v in doc.items() if k != "features"}
        lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in doc["features"]]
        body = ",\n".join(lines)
        head_text = json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1]
        return f'{head_text},"features":[\n{body}\n]}}\n'
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename: an interrupted write
    leaves the old file intact."""
    write_atomic_bytes(path, text.encode("utf-8"))


def write_atomic_bytes(path: Path, data: bytes) -> None:
    """`write_atomic` for bytes (a PNG, a zip)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; these files are for everyone
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
