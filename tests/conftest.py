import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from lib.data.records import GEODATA_DIR
from lib.layers import load

ROOT = Path(__file__).resolve().parent.parent

# Property tests draw the same examples on every run: a failure is reproducible and a
# pass is not luck. No example database either, so no run depends on an earlier one.
settings.register_profile(
    "deterministic",
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("deterministic")


@pytest.fixture(scope="session")
def ds():
    """The bundled dataset, loaded once."""
    return load()


@pytest.fixture
def geodata_copy(tmp_path):
    """A writable copy of geodata/, to break in one place per test."""
    dst = tmp_path / "geodata"
    shutil.copytree(GEODATA_DIR, dst)
    return dst


def read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def write_json(path: Path, doc) -> None:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def shown(markdown: str) -> str:
    """What a reader sees of markdown written with lib.text.md_escape: the text without
    its escapes (AppTest gives an element's markdown source)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


MINI_DIR = ROOT / "tests" / "fixtures" / "mini"  # made up: tests/fixtures/make_mini.py


@pytest.fixture(scope="session")
def mini():
    """The small made-up dataset, for tests of the code (not of the bundled data)."""
    return load(MINI_DIR)


@pytest.fixture
def mini_copy(tmp_path):
    """A writable copy of the made-up dataset, to change in one place per test."""
    dst = tmp_path / "mini"
    shutil.copytree(MINI_DIR, dst)
    return dst
