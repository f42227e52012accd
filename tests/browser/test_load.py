"""A short load test: several sessions at once, each must only ever see its own view."""

import json
import subprocess
import sys

from tests.browser.conftest import ROOT


def test_concurrent_sessions_keep_their_own_state(chromium_path):
    res = subprocess.run(
        [sys.executable, "-m", "bench.load", "--sessions", "3", "--seconds", "10"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    result = json.loads(res.stdout.replace("NaN", "null"))
    assert result["errors"] == [] and result["leaks"] == [], result
    assert result["steps"] >= 6
    assert res.returncode == 0
    assert result["rss_after_mb"] < result["rss_start_mb"] + 100
