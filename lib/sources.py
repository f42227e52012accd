"""Which features each source supports: the timeline page's source list, so a
reader can check any feature."""

from __future__ import annotations

from dataclasses import dataclass

from lib.geodata import BORDERS_SOURCE, Dataset


@dataclass(frozen=True)
class Citation:
    kind: str  # place, site, site control, event, control change, baseline, proposal, faction
    id: str
    label: str


def source_index(ds: Dataset) -> dict[str, list[Citation]]:
    """Source id -> every citation of it in the data, in a stable order."""
    index: dict[str, list[Citation]] = {sid: [] for sid in ds.sources}

    def cite(source, kind, fid, label):
        index.setdefault(source, []).append(Citation(kind, fid, label))

    for name in ds.countries["name"]:
        cite(BORDERS_SOURCE, "border", name, name)
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
        label = f"{len(group.places)} places held by {ds.factions[group.faction].short} on 26 Nov"
        cite(group.source, "baseline", group.faction, label)
    for change in ds.changes:
        names = ", ".join(ds.places.loc[list(change.places[:4]), "name"])
        more = f" and {len(change.places) - 4} more" if len(change.places) > 4 else ""
        label = f"{change.date}: {names}{more} to {ds.factions[change.faction].short}"
        cite(change.source, "control change", change.id, label)
    for p in ds.proposals:
        cite(p.source, "proposal", p.id, p.label)
    for f in ds.factions.values():
        cite(f.source, "faction", f.id, f.name)
    return index
