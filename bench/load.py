"""python -m bench.load [--sessions 10] [--seconds 60] [--steps N]

A load test on loopback, bounded in count and time: N browser sessions at once, each
scrubbing the date slider and toggling layers on its own schedule for S seconds after
its page has loaded (or, with --steps, for exactly that many steps, S capping it).
Each session first uploads a layer of its own on the compare page and checks that
its table shows that layer and no other session's. Checks, after every step, that the
session's page shows the session's own date and layers (one user's state never leaks
into another's); counts errors; reports the
p50/p95 step latency and the server's resident memory at start, at peak and after
the sessions close. Exits 1 on any error or leak.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time

import numpy as np

from bench.harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    IDLE,
    MAP_FRAME,
    WHOLE_PAGE_JS,
    StreamlitServer,
)
from lib.layers import default_keys

SHOWN = f"""() => {{
    const f = document.querySelector('{MAP_FRAME}');
    const a = f && f.contentWindow && f.contentWindow.__atlas;
    return a && a.data ? {{day: a.day, keys: a.keys}} : null;
}}"""


def own_layer(n: int) -> bytes:
    """Session n's layer: a square of its own near Aleppo, named for the session."""
    x, y = 36.9 + 0.02 * n, 36.1
    ring = [[x, y], [x + 0.3, y], [x + 0.3, y + 0.3], [x, y + 0.3], [x, y]]
    feature = {
        "type": "Feature",
        "properties": {"name": f"Layer of session {n}"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()


async def upload_own_layer(n: int, page, url: str, sessions: int, out: dict) -> None:
    """Upload session n's layer and check that the page shows it and no other's."""
    await page.goto(f"{url}/Compare?basemap=offline")
    await page.wait_for_selector(IDLE, timeout=120_000)
    await page.get_by_text("Add your own layer (GeoJSON)").click()
    await page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        {"name": f"session-{n}.geojson", "mimeType": "application/json", "buffer": own_layer(n)}
    )
    mine = f"Layer of session {n}"
    await page.wait_for_function(
        """(name) => Array.from(document.querySelectorAll('[data-testid="stDataFrame"] td'))
            .some(td => td.innerText === name)""",
        arg=mine,
        timeout=60_000,
    )
    await page.wait_for_selector(IDLE, timeout=60_000)
    cells = await page.evaluate(
        """() => Array.from(document.querySelectorAll('[data-testid="stDataFrame"] td'))
            .map(td => td.innerText)"""
    )
    others = {c for c in cells if c.startswith("Layer of session ") and c != mine}
    if others:
        out["leaks"].append(f"session {n}: its table shows {sorted(others)}")
    out["uploads"] += 1


async def session(
    n: int,
    browser,
    url: str,
    seconds: float,
    max_steps: int | None,
    out: dict,
    uploads: bool = True,
    sessions: int = 1,
) -> None:
    """One user: random steps and toggles for `seconds` after loading (or `max_steps`
    steps); every step checked."""
    rng = random.Random(n)  # each session its own, reproducible schedule
    context = await browser.new_context(viewport={"width": 1300, "height": 900})
    page = await context.new_page()

    async def route(r):
        if r.request.url.startswith("http://127.0.0.1:"):
            await r.continue_()
        else:
            await r.abort()

    await page.route("**/*", route)
    page.on("pageerror", lambda e: out["errors"].append(f"session {n}: {e}"))
    day = rng.randrange(1, 13)
    every = list(default_keys())  # in the map's order: its step names them so
    layers = every
    try:
        if uploads:
            await upload_own_layer(n, page, url, sessions, out)
        await page.goto(
            f"{url}/?date=2024-{11 if day < 5 else 12}-"
            f"{26 + day if day < 5 else day - 4:02d}&basemap=offline"
        )
        await page.wait_for_selector(IDLE, timeout=120_000)
        await page.wait_for_function(f"({SHOWN})()?.day !== undefined", timeout=120_000)
        await page.wait_for_function(WHOLE_PAGE_JS, timeout=120_000)
        await page.wait_for_selector(IDLE, timeout=120_000)
        until = time.monotonic() + seconds
        done = 0
        while time.monotonic() < until and (max_steps is None or done < max_steps):
            done += 1
            t0 = time.perf_counter()
            if rng.random() < 0.75:  # scrub a day forward or back
                delta = 1 if (rng.random() < 0.5 and day < 12) or day == 0 else -1
                thumb = page.get_by_role("slider").first
                await thumb.focus()
                await thumb.press("ArrowRight" if delta > 0 else "ArrowLeft")
                day += delta
            else:  # toggle the bases layer
                await page.get_by_text("Bases and sites", exact=True).click()
                layers = [k for k in every if k != "sites"] if "sites" in layers else every
            want = {"day": day, "keys": ",".join(layers)}
            await page.wait_for_function(
                f"(w) => {{ const s = ({SHOWN})(); return s && s.day === w.day"
                " && s.keys === w.keys; }",
                arg=want,
                timeout=60_000,
            )
            out["steps"].append((time.perf_counter() - t0) * 1000)
            await page.wait_for_selector(IDLE, timeout=60_000)
            shown = await page.evaluate(SHOWN)
            if shown != want:  # something else moved this session's map
                out["leaks"].append(f"session {n}: wanted {want}, shows {shown}")
    except Exception as exc:  # a failed wait is an error of the run, reported
        out["errors"].append(f"session {n}: {type(exc).__name__}: {str(exc)[:200]}")
    finally:
        await context.close()


async def run(
    sessions: int, seconds: float, max_steps: int | None = None, uploads: bool = True
) -> dict:
    from playwright.async_api import async_playwright

    server = StreamlitServer("app.py")
    out = {"steps": [], "errors": [], "leaks": [], "uploads": 0}
    try:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            warm = await browser.new_page()
            await warm.goto(server.url)
            await warm.wait_for_selector(IDLE, timeout=120_000)
            await warm.close()
            out["rss_start_mb"] = server.rss_mb()
            peak = [out["rss_start_mb"]]

            async def watch():
                while True:
                    peak.append(server.rss_mb())
                    await asyncio.sleep(1)

            watcher = asyncio.create_task(watch())
            await asyncio.gather(
                *(
                    session(n, browser, server.url, seconds, max_steps, out, uploads, sessions)
                    for n in range(sessions)
                )
            )
            watcher.cancel()
            await browser.close()
        await asyncio.sleep(5)  # let the server drop the closed sessions
        out["rss_peak_mb"] = max(peak)
        out["rss_after_mb"] = server.rss_mb()
    finally:
        server.stop()
    steps = np.asarray(out["steps"] or [float("nan")])
    return {
        "sessions": sessions,
        "seconds": seconds,
        "steps": len(out["steps"]),
        "uploads_checked": out["uploads"],
        "step_p50_ms": float(np.percentile(steps, 50)),
        "step_p95_ms": float(np.percentile(steps, 95)),
        "errors": out["errors"],
        "leaks": out["leaks"],
        "rss_start_mb": out["rss_start_mb"],
        "rss_peak_mb": out["rss_peak_mb"],
        "rss_after_mb": out["rss_after_mb"],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--sessions", type=int, default=10, choices=range(1, 21), metavar="1-20")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--steps", type=int, default=None, help="steps a session, then stop")
    parser.add_argument(
        "--no-uploads", action="store_true", help="skip each session's upload of its own layer"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.seconds <= 600:
        parser.error("--seconds must be from 1 to 600")
    result = asyncio.run(run(args.sessions, args.seconds, args.steps, not args.no_uploads))
    print(json.dumps(result, indent=1))
    return 1 if result["errors"] or result["leaks"] or not result["steps"] else 0


if __name__ == "__main__":
    sys.exit(main())
