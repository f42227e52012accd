"""Property-based tests: whatever a URL or a data file holds, the outcome is a
result or a clean, named error; never a crash."""

import json
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.basemap import BASEMAPS
from lib.data import load_dataset
from lib.data.dates import Period
from lib.data.errors import DataError
from lib.data.records import GEODATA_DIR
from lib.layers import default_keys
from lib.permalink import WHATIF_MAX_MI, WHATIF_MIN_MI, parse_compare, parse_view

pytestmark = pytest.mark.slow  # runs the app, a server or a rebuild

DEFAULT_LAYERS = default_keys()
PERIOD = Period(date(2024, 11, 26), date(2024, 12, 8))

LAYERS = ("control", "sites", "events", "captured", "buffer_3", "buffer_22")
PROPOSALS = ["buffer_3", "buffer_6", "buffer_10", "buffer_22", "buffer_30"]
PARAM_TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "2024-12-01",
            "2024-11-26",
            "2024-12-08",
            "2024-12-09",
            "control,sites",
            "buffer_22,buffer_3",
            "15",
            "0.5",
            "nan",
            "inf",
            "-1e309",
            "offline",
        ]
    ),
)
PARAMS = st.dictionaries(
    st.sampled_from(["date", "layers", "basemap", "proposals", "whatif", "zoom"]), PARAM_TEXT
)


@given(PARAMS)
def test_any_url_gives_a_view_or_warnings(params):
    view, warnings = parse_view(params, PERIOD, LAYERS, DEFAULT_LAYERS, BASEMAPS, "auto")
    assert PERIOD.baseline <= view.day <= PERIOD.end
    assert set(view.layers) <= set(LAYERS) and view.basemap in BASEMAPS
    assert all(isinstance(w, str) and len(w) < 600 for w in warnings)
    compare, warnings = parse_compare(params, PROPOSALS)
    assert set(compare.proposals) <= set(PROPOSALS) and compare.proposals
    assert compare.whatif_mi is None or WHATIF_MIN_MI <= compare.whatif_mi <= WHATIF_MAX_MI


JSON_VALUES = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)
    ),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
FILES = [
    "sites.geojson",
    "events.geojson",
    "proposals.json",
    "factions.json",
    "sources.json",
    "control_log.json",
]


def _items(doc):
    """The records of a file: features' properties, or the items of its list."""
    if "features" in doc:
        return [f["properties"] for f in doc["features"]] + [f for f in doc["features"]]
    return [
        item
        for value in doc.values()
        if isinstance(value, list)
        for item in value
        if isinstance(item, dict)
    ]


@settings(max_examples=40)
@given(st.sampled_from(FILES), st.integers(min_value=0, max_value=10_000), st.data())
def test_any_mutation_of_a_valid_file_loads_or_fails_cleanly(name, pick, data):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "geodata"
        shutil.copytree(GEODATA_DIR, root)
        text = (root / name).read_text(encoding="utf-8")
        how = data.draw(st.sampled_from(["truncate", "delete", "set"]))
        if how == "truncate":
            (root / name).write_text(text[: pick % max(len(text), 1)], encoding="utf-8")
        else:
            doc = json.loads(text)
            items = _items(doc)
            item = items[pick % len(items)]
            key = sorted(item)[pick % len(item)] if item else "id"
            if how == "delete":
                item.pop(key, None)
            else:
                item[key] = data.draw(JSON_VALUES)
            (root / name).write_text(json.dumps(doc), encoding="utf-8")
        try:
            load_dataset(root)
        except DataError as exc:
            assert exc.problems and all(p.file and p.message for p in exc.problems)
