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


def test_streamlit_selectors_are_named_only_by_the_page_map_protocol():
    """The map's scripts and the Python code reach Streamlit's DOM (st-key-<key>
    boxes, the slider's thumb) only through ui/page_map.py: one place to mend when a
    Streamlit release changes it. (ui/assets/page.css styles the page: its own.)"""
    import re

    pattern = re.compile(r"st-key-|stSlider|data-testid")
    code = [*(ROOT / "lib").rglob("*.py"), *(ROOT / "lib" / "assets").glob("*.js")]
    code += [*(ROOT / "ui").glob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "dashboard.py"]
    found = [
        str(p.relative_to(ROOT))
        for p in code
        if p.name != "page_map.py" and pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert found == []
