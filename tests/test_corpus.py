"""Every case of tests/support/broken_data.py (patches to the mini fixture): the CLI
names the problem, exits 1 and prints no traceback; the app shows the problem and keeps
serving the last good data."""

import re
import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from lib.cli import main
from lib.data.records import GEODATA_ENV
from tests.conftest import MINI_DIR, shown
from tests.support import broken_data
from tests.support.apptest import APP, layer_keys, map_args

pytestmark = pytest.mark.slow  # runs the app, a server or a rebuild

CASES = sorted(broken_data.CASES)


def broken_copy(case: str, tmp_path: Path) -> tuple[Path, str]:
    root = tmp_path / "geodata"
    shutil.copytree(MINI_DIR, root)
    return root, broken_data.apply(case, root)


def test_the_corpus_covers_the_kinds_of_bad_input():
    assert len(CASES) >= 12


def test_each_case_breaks_only_what_it_names(tmp_path):
    """The fixture is sound, and every patch changes its file: a case that no longer
    applies (an id renamed in the fixture) fails here, not by luck elsewhere."""
    assert main(["validate", str(MINI_DIR)]) == 0
    for case in CASES:
        root, _ = broken_copy(case, tmp_path / case)
        changed = [
            p.name
            for p in sorted(root.iterdir())
            if p.read_bytes() != (MINI_DIR / p.name).read_bytes()
        ]
        assert changed == [broken_data.CASES[case].file], case


@pytest.mark.parametrize("case", CASES)
def test_cli_names_the_problem(case, tmp_path, capsys):
    root, expected = broken_copy(case, tmp_path)
    assert main(["validate", str(root)]) == 1
    out = capsys.readouterr()
    assert re.search(expected, out.err), out.err
    assert "Traceback" not in out.err + out.out


def test_huge_file_is_refused_not_parsed(tmp_path, capsys):
    root = tmp_path / "geodata"
    shutil.copytree(MINI_DIR, root)
    with open(root / "places.geojson", "wb") as fh:
        fh.truncate(60 * 1024 * 1024)  # 60 MB, sparse: instant to make
    assert main(["validate", str(root)]) == 1
    assert "places.geojson: is too large (60 MB; the limit is 50 MB)" in capsys.readouterr().err


@pytest.mark.parametrize("case", CASES)
def test_app_shows_the_problem_and_keeps_the_last_good_data(case, tmp_path, monkeypatch):
    st.cache_data.clear()
    st.cache_resource.clear()
    root = tmp_path / "geodata"
    shutil.copytree(MINI_DIR, root)
    monkeypatch.setenv(GEODATA_ENV, str(root))
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception
    expected = broken_data.apply(case, root)
    at.run()
    assert not at.exception
    warning = shown(at.warning[0].value)
    assert "showing the last good data" in warning
    assert re.search(expected, warning)
    assert layer_keys(map_args(at))  # the map is still served
