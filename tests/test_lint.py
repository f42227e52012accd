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


def test_the_import_contracts_hold():
    """pyproject's [tool.importlinter]: ui above lib, lib without Streamlit, the data
    package importing nothing else of lib."""
    lint = shutil.which("lint-imports") or pytest.skip("import-linter is not installed")
    done = subprocess.run(
        [lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and "0 broken" in done.stdout, done.stdout + done.stderr


def test_the_data_package_contract_names_every_other_module_of_lib():
    """A module added to lib is forbidden to lib.data too, not forgotten by the list."""
    import pkgutil
    import tomllib

    import lib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (data,) = [c for c in config["contracts"] if c.get("source_modules") == ["lib.data"]]
    others = {f"lib.{m.name}" for m in pkgutil.iter_modules(lib.__path__)}
    assert set(data["forbidden_modules"]) == others - {"lib.data", "lib.__main__"}
