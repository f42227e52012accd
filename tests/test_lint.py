"""The code passes ruff (pyproject's rules) and is formatted by it: one command each,
run by CI like every other test. A name left undefined in a benchmark app (found by
ruff, missed by every test) is what this is for."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.support.harness import ROOT


def _ruff(*args: str) -> subprocess.CompletedProcess:
    ruff = shutil.which("ruff") or pytest.skip("ruff is not installed (pip install -e '.[test]')")
    return subprocess.run([ruff, *args], cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_finds_nothing():
    done = _ruff("check", "--no-cache", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format_changes_nothing():
    done = _ruff("format", "--check", "--no-cache", ".")
    assert done.returncode == 0, done.stdout + done.stderr
