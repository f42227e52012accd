"""python -m bench.neighbour [--steps N] [--upload NAME]

A second reader's slider steps while another reader's costly upload is read (issue 31):
reader B steps the Map page's slider with the keyboard, first on a quiet server, then
while reader A uploads the costliest file of the test corpus on the Compare page, again
and again. Prints each phase's median and p95 (key press to the day on B's map, ms) and
how many of B's steps fell inside an upload's reading.
"""

from __future__ import annotations

import argparse
import time
from datetime import date

import numpy as np

from bench.__main__ import Tab
from bench.harness import IDLE, StreamlitServer, launch_chromium

DAYS = [date(2024, 11, 27 + i) if i < 4 else date(2024, 12, i - 3) for i in range(12)]


def _steps(tab: Tab, n: int, busy=None) -> list[float]:
    """n steps of B's slider, back to the first day whenever it reaches the last."""
    out = []
    while len(out) < n:
        tab.load(DAYS[0])
        for day in DAYS[1:]:
            if busy is not None and not busy():
                return out
            out.append(tab.step(day)[0])
            if len(out) >= n:
                break
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.neighbour")
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--upload", default="random_ring_48000")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from tests.support.hostile_uploads import hostile_uploads

    raw = hostile_uploads()[args.upload]
    server = StreamlitServer("app.py")
    try:
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            reader_b = Tab(browser, f"{server.url}/?basemap=offline", "dashboard")
            quiet = _steps(reader_b, args.steps)
            reader_a = browser.new_context().new_page()
            reader_a.goto(f"{server.url}/Compare?basemap=offline")
            reader_a.wait_for_selector(IDLE, timeout=90_000)
            reader_a.get_by_text("Add your own layer (GeoJSON)").click()
            during: list[float] = []
            uploads, reading_s = 0, []
            while len(during) < args.steps:
                uploads += 1
                alert = reader_a.locator(
                    '[data-testid="stAlert"]', has_text=f"worst-{uploads}.geojson"
                )
                t0 = time.perf_counter()
                reader_a.locator(
                    '[data-testid="stFileUploader"] input[type="file"]'
                ).set_input_files(
                    files=[
                        {
                            "name": f"worst-{uploads}.geojson",
                            "mimeType": "application/json",
                            "buffer": raw,
                        }
                    ]
                )
                # B steps while A's file is read: until A's page says it cannot be used
                during += _steps(
                    reader_b, args.steps - len(during), busy=lambda alert=alert: alert.count() == 0
                )
                alert.wait_for(timeout=60_000)
                reading_s.append(time.perf_counter() - t0)
            browser.close()
    finally:
        server.stop()
    for name, values in (("quiet", quiet), ("during the upload", during)):
        print(
            f"B's step, {name:18s} median {np.median(values):6.1f} ms   "
            f"p95 {np.percentile(values, 95):6.1f} ms   n={len(values)}"
        )
    print(f"A's uploads: {uploads}, each read and refused in {np.median(reading_s):.1f} s (median)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
