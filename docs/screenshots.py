"""python docs/screenshots.py: the README's pictures, made from the app itself.

Starts the app on its bundled data (tests/support/harness.py: loopback only, every
outside request blocked, so the offline basemap shows), opens each view in headless
Chromium at a laptop's size and writes docs/map.png, docs/compare.png and docs/story.png. Run it
after a change that shows, and commit the pictures with the change.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.harness import (  # noqa: E402
    IDLE,
    MAP_FRAME,
    StreamlitServer,
    block_outside,
    launch_chromium,
)

VIEWS = {
    "map.png": "?date=2024-12-01&layers=control,sites,captured,events&basemap=offline",
    "compare.png": "Compare?date=2024-12-01&proposals=buffer_10,buffer_22&basemap=offline",
    "story.png": "Story?step=aleppo&basemap=offline",
    "aleppo-29nov.png": (
        "?date=2024-11-29&layers=control,front,sites,captured&basemap=offline&view=36.2,37.15,11"
    ),
    "hama-3dec.png": (
        "?date=2024-12-03&layers=control,front,sites,captured&basemap=offline&view=35.3,36.7,10"
    ),
}
SIZE = {"width": 1400, "height": 900}


def main() -> int:
    from playwright.sync_api import sync_playwright

    server = StreamlitServer("app.py")
    try:
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            for name, query in VIEWS.items():
                page = browser.new_page(viewport=SIZE)
                block_outside(page, [])
                page.goto(f"{server.url}/{query}")
                page.wait_for_selector(IDLE, timeout=120_000)
                frame = page.wait_for_selector(MAP_FRAME, timeout=60_000).content_frame()
                frame.wait_for_function(
                    "() => window.map && (!window.__atlas || window.__atlas.keys !== null)",
                    timeout=60_000,
                )
                page.wait_for_timeout(1500)  # the last tiles, and a story step's flight
                out = ROOT / "docs" / name
                page.screenshot(path=str(out))
                print(f"wrote {out}")
                page.close()
            browser.close()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
