"""Project rules: nothing read at import, lib/ committed (the import rules are
pyproject's import-linter contracts, tests/test_lint.py)."""

import subprocess

from tests.conftest import ROOT


def test_lib_is_not_git_ignored():
    res = subprocess.run(["git", "check-ignore", "-q", "lib/__init__.py"], cwd=ROOT)
    assert res.returncode == 1  # 1: not ignored


def test_streamlit_config_keeps_xsrf_on_stats_off_and_caps_uploads():
    import tomllib

    from lib.upload import MAX_UPLOAD_BYTES

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableXsrfProtection"] is True
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == MAX_UPLOAD_BYTES
    assert config["server"]["enableStaticServing"] is True  # Leaflet and the atlas
