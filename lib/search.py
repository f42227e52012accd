"""Find a place, a site or an event by any name a reader may type: the English name,
the spellings GeoNames lists (Tell Rifaat, Tal Refaat...), the Arabic name.

Names are compared in a normal form (`normalize`) that forgives what transliteration
varies: case, accents, apostrophes and ayns, doubled letters, the article (al-, el-)
and tell/tall/tal/tel. The index (`search_index`) carries each entry's names in that
form; the map's search box (lib/assets/place_search.js) matches the reader's typing
against it in the browser, with the same rules as `find` here (the Compare page's
search and the tests). A query that matches nothing gets the nearest names.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from lib.data import Dataset
from lib.data.cache import per_dataset

MAX_RESULTS = 8
KINDS = ("place", "site", "event")  # the order of equal matches
# Spellings of one word (as normalized, doubled letters single): the first stands for all.
SAME_WORD = {"tal": "tel", "tall": "tel", "tell": "tel", "el": "al", "ul": "al"}
_APOSTROPHES = "'`‘’ʿʾ´ʼ"
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})


def normalize(text: str) -> str:
    """The form names are compared in. 'Tall Rif‘at' and 'Tell Rifaat' -> 'tel rifat';
    'Al-Bāb' -> 'al bab'; 'تل رفعت' stays Arabic, without its vowel marks."""
    text = unicodedata.normalize("NFKD", str(text)).lower()
    text = "".join(c for c in text if not unicodedata.combining(c) and c not in _APOSTROPHES)
    text = text.translate(_ARABIC_LETTERS).replace("ـ", "")  # the tatweel stretches a word
    words = re.sub(r"[^\w]+|_", " ", text).split()
    words = [re.sub(r"(.)\1+", r"\1", w) for w in words]  # 'maarrat' -> 'marat'
    return " ".join(SAME_WORD.get(w, w) for w in words)


@dataclass(frozen=True)
class Entry:
    id: str
    kind: str  # place, site or event
    name: str  # as shown
    detail: str  # what it is: "town, Aleppo", "air base", "event, 30 Nov 2024"
    lat: float
    lng: float
    keys: tuple[str, ...]  # every name, normalized
    weight: float  # among equal matches, the larger first (a town's population)


def _names(*values) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        for name in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(name, str) and name.strip():
                key = normalize(name)
                if key and key not in out:
                    out.append(key)
    return tuple(out)


@per_dataset(maxsize=4)
def search_index(ds: Dataset) -> tuple[Entry, ...]:
    """Every place, site and event that has a position, with its names normalized."""
    from lib.data.dates import fmt_day

    out = []
    for pid, row in ds.places.iterrows():
        pop = row["population"]
        alt = row["alt_names"] if "alt_names" in row and isinstance(row["alt_names"], tuple) else ()
        out.append(
            Entry(
                pid,
                "place",
                row["name"],
                f"place, {row['admin1']}" if _text(row["admin1"]) else "place",
                round(row.geometry.y, 5),
                round(row.geometry.x, 5),
                _names(row["name"], row["name_geonames"], row["name_local"], alt),
                float(pop) if pop == pop and pop is not None else 0.0,
            )
        )
    for sid, row in ds.sites.iterrows():
        out.append(
            Entry(
                sid,
                "site",
                row["name"],
                str(row["kind"]).replace("_", " "),
                round(row.geometry.y, 5),
                round(row.geometry.x, 5),
                _names(row["name"]),
                0.0,
            )
        )
    for eid, row in ds.events.iterrows():
        if row.geometry is None or row.geometry.is_empty:
            continue
        point = row.geometry.representative_point()
        out.append(
            Entry(
                eid,
                "event",
                row["title"],
                f"event, {row['date_label'] or fmt_day(row['date'])}",
                round(point.y, 5),
                round(point.x, 5),
                _names(row["title"]),
                0.0,
            )
        )
    return tuple(out)


def _score(query: str, keys: tuple[str, ...]) -> int | None:
    """0 the whole name, 1 its start, 2 a word's start, 3 anywhere; None: no match."""
    best = None
    for key in keys:
        if key == query:
            return 0
        if key.startswith(query):
            score = 1
        elif any(w.startswith(query) for w in key.split()) or f" {query}" in f" {key}":
            score = 2
        elif query in key:
            score = 3
        else:
            continue
        best = score if best is None else min(best, score)
    return best


def find(ds: Dataset, query: str, limit: int = MAX_RESULTS) -> list[Entry]:
    """The entries whose names match `query`, best first."""
    q = normalize(query)
    if not q:
        return []
    scored = []
    for entry in search_index(ds):
        score = _score(q, entry.keys)
        if score is not None:
            scored.append((score, KINDS.index(entry.kind), -entry.weight, entry.name, entry))
    return [row[-1] for row in sorted(scored, key=lambda r: r[:4])[:limit]]


def _distance(a: str, b: str) -> int:
    """Levenshtein distance: how many letters to change, add or drop."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def nearest_names(ds: Dataset, query: str, limit: int = 3) -> list[Entry]:
    """For a query that matches nothing: the entries whose names are the fewest letters
    away (a name compared on as many letters as the query has, so a short query finds
    long names)."""
    q = normalize(query)
    if not q:
        return []
    ranked = []
    for entry in search_index(ds):
        d = min(min(_distance(q, k), _distance(q, k[: len(q)]) + 1) for k in entry.keys)
        ranked.append((d, KINDS.index(entry.kind), -entry.weight, entry.name, entry))
    return [row[-1] for row in sorted(ranked, key=lambda r: r[:4])[:limit]]


def index_for_browser(ds: Dataset) -> list[list]:
    """The index as the map's search box reads it: [id, kind, name, detail, lat, lng,
    [keys], weight]."""
    return [
        [e.id, e.kind, e.name, e.detail, e.lat, e.lng, list(e.keys), e.weight]
        for e in search_index(ds)
    ]


def cards_for_browser(ds: Dataset) -> dict:
    """What the map needs to draw the card of any entry, compactly: who held each place
    and site on every day (an index into `factions` a day), the capture of each town
    taken, the events (and where), and the sources they cite. The browser builds the
    card from it (lib/assets/place_search.js), every value set as text."""
    from lib.control import captured_places, controllers_on, site_controller
    from lib.data.dates import fmt_day
    from lib.sources import citation, source_ids

    days = ds.period.days()
    factions = list(ds.factions)
    held_on = [controllers_on(ds, d) for d in days]
    holders = {
        pid: [factions.index(h[pid].faction) if pid in h else -1 for h in held_on]
        for pid in ds.places.index
    }
    for sid in ds.sites.index:
        holders[sid] = [factions.index(site_controller(ds, sid, d).faction) for d in days]
    taken = {
        row.id: [
            days.index(row.captured_on),
            row.captured_by,
            row.held_before,
            row.confidence,
            source_ids(row.source),
        ]
        for row in captured_places(ds, ds.period.end).itertuples()
    }
    events, at = {}, {}
    for eid, row in ds.events.iterrows():
        events[eid] = [
            row["date_label"] or fmt_day(row["date"]),
            row["title"],
            row["description"],
            source_ids(row["source"]),
        ]
        if isinstance(row["place"], str) and row["place"]:
            at.setdefault(row["place"], []).append(eid)
    info = {
        pid: [_text(row["name_local"]), _text(row["admin1"]), _population(row["population"])]
        for pid, row in ds.places.iterrows()
    }
    for sid, row in ds.sites.iterrows():
        info[sid] = ["", str(row["operator"]), None]
    cited = {s for e in events.values() for s in e[3]} | {s for t in taken.values() for s in t[4]}
    cited |= {s for value in ds.places["source"] for s in source_ids(value)}
    cited |= {s for value in ds.sites["source"] for s in source_ids(value)}
    place_sources = {
        key: source_ids(value)
        for frame in (ds.places, ds.sites)
        for key, value in frame["source"].items()
    }
    return {
        "factions": [[ds.factions[f].short, ds.factions[f].color] for f in factions],
        "faction_ids": factions,
        "holders": holders,
        "taken": taken,
        "events": events,
        "at": at,
        "info": info,
        "cites": place_sources,
        "sources": {
            sid: [f"{src.publisher}, {src.date}", src.title, src.url, citation(src)]
            for sid, src in ds.sources.items()
            if sid in cited
        },
    }


def _text(value) -> str:
    return value if isinstance(value, str) else ""  # a missing value is NaN in a frame


def _population(value) -> int | None:
    return None if value is None or value != value else int(value)


COORDINATES = re.compile(
    r"\s*(-?[0-9]{1,3}(?:\.[0-9]+)?)\s*°?\s*[nN]?\s*[,;\s]\s*(-?[0-9]{1,3}(?:\.[0-9]+)?)\s*°?\s*[eE]?\s*"
)


@dataclass(frozen=True)
class Located:
    lat: float
    lng: float
    label: str  # what was found: a name, or the coordinates as typed


def locate(ds: Dataset, text: str) -> tuple[Located | None, str]:
    """A point from what a reader typed: coordinates ("36.47, 37.09", latitude first)
    or a name of a place, site or event. (point, "") or (None, why not, with the nearest
    names)."""
    text = (text or "").strip()[:100]
    if not text:
        return None, "Type a place's name, or a latitude and longitude."
    match = COORDINATES.fullmatch(text)
    if match:
        lat, lng = float(match[1]), float(match[2])
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            return None, "Give a latitude (-90 to 90) and a longitude (-180 to 180)."
        return Located(lat, lng, f"{lat:.4f}° N, {lng:.4f}° E"), ""
    found = find(ds, text, limit=1)
    if found:
        e = found[0]
        return Located(e.lat, e.lng, e.name), ""
    near = ", ".join(e.name for e in nearest_names(ds, text))
    return None, f"No place, base or event is named like that. Nearest: {near}."
