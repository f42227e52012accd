"""The package installs as a package: a wheel built from the sources, installed with
no checkout in sight, validates and exports its bundled data from another folder, as
the `aleppo-map` command and as python -m lib."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def _run(args, cwd, env=None, check=True):
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    if check:
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(site folder, env, an empty working folder): the wheel installed with --target."""
    tmp = tmp_path_factory.mktemp("package")
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for name in ("lib", "geodata"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    # no build isolation: the test extra brings setuptools>=77, so no network is asked
    _run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp / "dist"), "."], src)
    (wheel,) = (tmp / "dist").glob("aleppo_map-*.whl")
    site = tmp / "site"
    _run([*pip, "install", "--no-deps", "--no-index", "--target", str(site), str(wheel)], tmp)
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("ALEPPO_GEODATA", None)
    elsewhere = tmp / "elsewhere"
    elsewhere.mkdir()
    return site, env, elsewhere


def test_the_installed_package_is_the_one_that_runs(installed):
    site, env, elsewhere = installed
    code = "import lib, lib.data.records as r; print(lib.__file__); print(r.GEODATA_DIR)"
    out = _run([sys.executable, "-c", code], elsewhere, env).stdout.splitlines()
    assert out[0].startswith(str(site)) and out[1] == str(site / "lib" / "geodata")


def test_the_installed_command_validates_and_exports_from_another_folder(installed):
    site, env, elsewhere = installed
    command = [sys.executable, str(site / "bin" / "aleppo-map")]
    assert _run([*command, "--version"], elsewhere, env).stdout.strip() == "aleppo-map 0.1.0"
    assert _run([*command, "validate"], elsewhere, env).stdout.startswith("OK: ")
    exported = _run([*command, "export", "--date", "2024-12-01"], elsewhere, env).stdout
    doc = json.loads(exported)
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) > 50
    embed = _run(
        [sys.executable, "-m", "lib", "embed", "--out", str(elsewhere / "embed")], elsewhere, env
    )
    assert (elsewhere / "embed" / "index.html").is_file()
    assert embed.stdout == ""  # its messages go to stderr; stdout is for data


def test_the_package_list_names_every_package_of_lib():
    """pyproject's explicit list (it maps geodata/ in, which find cannot): a new
    subpackage of lib that is left out would be missing from every install."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    on_disk = {
        ".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "lib").rglob("__init__.py")
    }
    assert on_disk <= set(config["packages"])
    assert config["package-dir"] == {"lib.geodata": "geodata"}
