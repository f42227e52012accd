"""sources.json: the record of every source (publisher, title, date, address)."""

from __future__ import annotations

from pathlib import Path

from lib.data.checking import Checker, objects_of, read_json
from lib.data.errors import Problem
from lib.data.readers.base import Reader
from lib.data.records import SOURCE_DATE_PATTERN, SOURCES_FILE, URL_PATTERN, Source


def _read_sources(path: Path) -> tuple[dict[str, Source], list[Problem]]:
    ck = Checker(SOURCES_FILE)
    out: dict[str, Source] = {}
    seen: set = set()
    for i, item in objects_of(read_json(path, ck), "sources", ck):
        sid = ck.new_id(item, i, seen)
        vals = {k: ck.text(item, k, sid) for k in ("title", "publisher", "date", "supports", "url")}
        if vals["url"] is not None and not URL_PATTERN.match(vals["url"]):
            ck.add(sid, "url", f"must be an http(s) address, got {vals['url']!r}")
            vals["url"] = None
        if vals["date"] is not None and not SOURCE_DATE_PATTERN.match(vals["date"]):
            ck.add(
                sid, "date", f"must be YYYY-MM-DD, YYYY-MM, YYYY or 'undated', got {vals['date']!r}"
            )
            vals["date"] = None
        licence = ck.text(item, "licence", sid, optional=True)
        author = ck.text(item, "author", sid, optional=True)
        if None not in vals.values():
            out[sid] = Source(id=sid, licence=licence, author=author, **vals)
    return out, ck.problems


READER = Reader(SOURCES_FILE, gives=("sources",), needs=(), read=_read_sources)
