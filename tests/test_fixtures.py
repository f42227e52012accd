"""The made-up dataset the code tests use is valid and is what its script writes."""

import json

from tests.conftest import MINI_DIR
from tests.fixtures import make_mini


def test_the_made_up_dataset_is_what_its_script_writes():
    for name, doc in make_mini.FILES.items():
        on_disk = json.loads((MINI_DIR / name).read_text(encoding="utf-8"))
        assert on_disk == doc, f"{name}: run python -m tests.fixtures.make_mini"


def test_the_made_up_dataset_loads(mini):
    assert len(mini.period.days()) == 5 and mini.period.end.isoformat() == "2024-11-30"
    assert list(mini.areas.index) == ["west", "north-east", "south-east"]
    assert [p.id for p in mini.proposals] == ["buffer_3", "buffer_10", "buffer_22"]
