"""A short load test: several sessions at once, each must only ever see its own view."""

import json
import subprocess
import sys

from tests.browser.conftest import ROOT


def test_concurrent_sessions_keep_their_own_state(chromium_path):
    # Bounded by count (4 steps a session), not by time, so the outcome does not
    # depend on how busy the machine is; the 240 s only caps a hung run.
    res = subprocess.run(
        [sys.executable, "-m", "bench.load", "--sessions", "3", "--steps", "4", "--seconds", "240"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=400,
    )
    assert res.stdout.strip(), res.stderr
    result = json.loads(res.stdout.replace("NaN", "null"))
    assert result["errors"] == [] and result["leaks"] == [], result
    assert result["steps"] == 12 and result["uploads_checked"] == 3  # each saw its own layer only
    assert res.returncode == 0
    assert result["rss_after_mb"] < result["rss_start_mb"] + 100
