"""Project rules: lib/ without Streamlit, nothing read at import, lib/ committed."""

import subprocess
import sys

from tests.conftest import ROOT


def test_lib_never_imports_streamlit():
    code = (
        "import sys, lib.cli, lib.export, lib.figures, lib.control, lib.buffers, "
        "lib.places_build; print('streamlit' in sys.modules)"
    )
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert res.stdout.strip() == "False", res.stderr


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
