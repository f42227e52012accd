"""Sources: which features each source supports (the timeline page's source list, so a
reader can check any feature), and the source lines with links shown on the map.

A feature's `source` is one source id or several joined by "; " (the readers of
lib/data read a list in the files that way).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from html import escape

from lib.data import Dataset
from lib.data.records import BORDERS_SOURCE, Source, article_alone, source_ids


@dataclass(frozen=True)
class Citation:
    kind: str  # place, site, site control, event, area, control change, baseline, ...
    id: str
    label: str


def sources_of(ds: Dataset, value: str) -> list[Source]:
    """The Source records a `source` value names, in order (unknown ids skipped)."""
    return [ds.sources[sid] for sid in source_ids(value) if sid in ds.sources]


def source_label(src: Source) -> str:
    """'Publisher, date' as plain text."""
    return f"{src.publisher}, {src.date}"


def citation(src: Source) -> str:
    """A source as a reader would cite it, ready to paste (plain text): author, title in
    quotes, publisher, date, address."""
    by = f"{src.author}, " if src.author else ""
    return f"{by}“{src.title}”, {src.publisher}, {src.date}. {src.url}"


def cite_html(ds: Dataset, value: str) -> str:
    """'Cite this': the citations of every source a `source` value names, one a line,
    in a disclosure (escaped HTML); "" when it names none."""
    found = sources_of(ds, value)
    if not found:
        return ""
    lines = "".join(f"<li>{escape(citation(s))}</li>" for s in found)
    return f'<details class="cite"><summary>Cite this</summary><ul>{lines}</ul></details>'


def source_links_html(ds: Dataset, value: str, limit: int = 2) -> str:
    """'Sources: <a>Publisher, date</a> · ...' as escaped HTML; the rest counted."""
    found = sources_of(ds, value)
    links = [
        f'<a href="{escape(s.url)}" target="_blank" rel="noopener noreferrer">'
        f"{escape(source_label(s))}</a>"
        for s in found[:limit]
    ]
    more = f" and {len(found) - limit} more" if len(found) > limit else ""
    word = "Source" if len(found) == 1 else "Sources"
    if article_alone(value):  # the claim is the article's: say whose it is
        word = ARTICLE_ALONE
    return f"{word}: {' · '.join(links)}{more}" if links else ""


ARTICLE_ALONE = "By the article's account alone (no other report found)"


def source_index(ds: Dataset) -> dict[str, list[Citation]]:
    """Source id -> every citation of it in the data, in a stable order."""
    index: dict[str, list[Citation]] = {sid: [] for sid in ds.sources}

    def cite(source, kind, fid, label):
        for sid in source_ids(source):
            index.setdefault(sid, []).append(Citation(kind, fid, label))

    def area_names(ids):
        names = [ds.areas.loc[a, "name"] for a in ids[:3]]
        return ", ".join(names) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")

    for name in ds.countries["name"]:
        cite(BORDERS_SOURCE, "border", name, name)
    for rid, row in ds.rivers.iterrows():
        cite(row["source"], "river", rid, row["name"])
    for aid, row in ds.areas.iterrows():
        cite(row["source"], "area", aid, f"The line of: {row['name']}")
    for pid, row in ds.places.iterrows():
        cite(row["source"], "place", pid, row["name"])
    for sid, row in ds.sites.iterrows():
        cite(row["source"], "site", sid, row["name"])
        for entry in ds.site_control[sid]:
            label = f"{row['name']}: held by {ds.factions[entry.faction].short} from {entry.start}"
            cite(entry.source, "site control", sid, label)
    for eid, row in ds.events.iterrows():
        cite(row["source"], "event", eid, f"{row['date']}: {row['title']}")
    for group in ds.baseline:
        label = f"26 Nov: {area_names(group.areas)} held by {ds.factions[group.faction].short}"
        cite(group.source, "baseline", group.faction, label)
    for change in ds.changes:
        to = ds.factions[change.faction].short
        label = f"{change.date}: {area_names(change.areas)} to {to}"
        cite(change.source, "control change", change.id, label)
    for p in ds.proposals:
        cite(p.source, "proposal", p.id, p.label)
    for f in ds.factions.values():
        cite(f.source, "faction", f.id, f.name)
    return index


def sources_list_html(ds: Dataset) -> str:
    """Every source as escaped HTML: title (linked), publisher and date, what it
    supports, and how many features cite it. One block: 160-odd sources drawn as
    Streamlit elements would cost the browser seconds."""
    index = source_index(ds)
    items = []
    for sid, src in ds.sources.items():
        counts = Counter(c.kind for c in index.get(sid, []))
        cited = ", ".join(f"{n} {kind}{'s' if n > 1 else ''}" for kind, n in counts.most_common())
        extra = []
        if src.author:
            extra.append(f"by {escape(src.author)}")
        if src.licence:
            extra.append(f"licence: {escape(src.licence)}")
        items.append(
            f'<li id="source-{escape(sid)}"><a href="{escape(src.url)}" target="_blank" '
            f'rel="noopener noreferrer">{escape(src.title)}</a><br>'
            f"<small>{escape(source_label(src))}"
            f"{'; ' + '; '.join(extra) if extra else ''} &middot; id <code>{escape(sid)}</code>"
            f"</small><br>{escape(src.supports)}<br>"
            f"<small>Cited by: {escape(cited or 'nothing')}</small><br>"
            f'<small class="cite">Cite: {escape(citation(src))}</small></li>'
        )
    return f'<ol class="sources">{"".join(items)}</ol>'
