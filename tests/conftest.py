import json
import shutil
from pathlib import Path

import pytest

from lib.geodata import GEODATA_DIR, load_dataset

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def ds():
    """The bundled dataset, loaded once."""
    return load_dataset()


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
