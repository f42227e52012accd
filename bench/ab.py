"""python -m bench.ab [--loads N] [--returning] DIR [DIR ...]

Try a change to the page before making it: the page load of the dashboard in each DIR
(a copy of this project with the change, e.g. made with `git worktree add`), of this
checkout's dashboard, and of the floor page, loaded in turn in one browser, the way
`python -m bench` times a reload of an open tab (with --returning: as it times a
returning reader, a new tab with a new renderer each time). Prints each app's median
load, its ratio to the floor and to this checkout's dashboard, each with its 90%
interval.

A copy's page must still show the map and the side panel's day heading: each load
waits for both. Noise on this machine is about 5-10% between runs; a change smaller
than that needs more loads, or several runs, before it means anything.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from bench.__main__ import Tab, paired_ratio, reloads, returning_loads
from bench.harness import ROOT, StreamlitServer, launch_chromium

FLOOR = "floor"
BASE = "this checkout"


def copies(paths: list[str]) -> list[Path]:
    """The DIR arguments as project copies; a clear error for one that is not."""
    out = []
    for raw in paths:
        path = Path(raw).resolve()
        if not (path / "app.py").is_file() or not (path / "dashboard.py").is_file():
            raise SystemExit(f"bench.ab: {raw} is not a copy of this project (no app.py)")
        if path == ROOT:
            raise SystemExit(f"bench.ab: {raw} is this checkout, which is always measured")
        out.append(path)
    return out


def compare(loads: dict[str, list[float]]) -> list[dict]:
    """One row per app: its median load in ms and, for each dashboard, its ratio to
    the floor and to this checkout's dashboard, with 90% intervals. loads[app][i] of
    every app were measured in the same round i."""
    rows = []
    for app, ms in loads.items():
        row = {"app": app, "median_ms": float(np.median(ms))}
        q1, q3 = np.percentile(ms, [25, 75])
        row["iqr_ms"] = float(q3 - q1)
        if app != FLOOR:
            row["vs_floor"] = paired_ratio(ms, loads[FLOOR])
        if app not in (FLOOR, BASE):
            row["vs_base"] = paired_ratio(ms, loads[BASE])
        rows.append(row)
    return rows


def _fmt(ratio) -> str:
    if ratio is None:
        return ""
    value, (low, high) = ratio
    return f"{value:.3f} ({low:.2f}-{high:.2f})"


def measure(dirs: list[Path], loads: int, day, returning: bool = False) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    servers = {FLOOR: StreamlitServer("bench/apps/floor.py"), BASE: StreamlitServer("app.py")}
    try:
        for path in dirs:
            servers[str(path)] = StreamlitServer("app.py", root=path)
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            tabs = {
                app: Tab(browser, s.url, FLOOR if app == FLOOR else "dashboard")
                for app, s in servers.items()
            }
            if returning:
                out = returning_loads(tabs, day, loads)
            else:
                out, _ = reloads(tabs, day, loads)
            browser.close()
    finally:
        for server in servers.values():
            server.stop()
    return out


def main(argv: list[str] | None = None) -> None:
    from lib.data import read_period

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    parser.add_argument("dirs", nargs="+", metavar="DIR", help="copies of the project")
    parser.add_argument("--loads", type=int, default=16, help="timed loads of each (default 16)")
    parser.add_argument(
        "--returning",
        action="store_true",
        help="time a returning reader (a new tab, a new renderer) instead of a reload",
    )
    args = parser.parse_args(argv)
    if args.loads < 2:
        parser.error("--loads must be at least 2")
    dirs = copies(args.dirs)
    loads = measure(dirs, args.loads, read_period().start, args.returning)
    kind = "a returning reader's new tab" if args.returning else "reload of an open tab"
    print(f"Page load, {kind}: {args.loads} loads of each, in turn")
    print(f"  {'app':40s} {'median ms':>9s} {'IQR':>5s}  {'/ floor (90%)':>20s}  / {BASE} (90%)")
    for row in compare(loads):
        print(
            f"  {row['app'][-40:]:40s} {row['median_ms']:9.0f} {row['iqr_ms']:5.0f}  "
            f"{_fmt(row.get('vs_floor')):>20s}  {_fmt(row.get('vs_base'))}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
