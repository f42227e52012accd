"""python -m bench.why [--loads N]

Where the CPU of a page load goes: the floor page and the dashboard (the same ones
`python -m bench` times), loaded in turn from a blank tab, as in the benchmark.

  1. CPU ms by process (Linux /proc) from the request to the day shown, the span
     `python -m bench` times: the Streamlit server, Chromium's browser process, its
     renderers (the page and the map's frame), GPU process and network service, and
     the benchmark's own Playwright driver and Python. All share the same cores.
  2. Three traced loads of each: self time by script on the renderers' main threads
     (sampled; "(program)" is the browser's own work: style, layout, paint, parsing),
     and V8's optimising compilers on background threads.

A diagnostic, not a target: tracing slows the traced load, and the figures move with
the machine's load. Compare the two apps within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
from collections import Counter
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from bench.__main__ import Tab
from bench.harness import StreamlitServer, launch_chromium, proc_stat, process_cpu_s

TRACED_LOADS = 3
APPS = {"floor": "bench/apps/floor.py", "dashboard": "app.py"}
TRACE_CATEGORIES = [
    "__metadata",
    "disabled-by-default-v8.compile",
    "disabled-by-default-v8.cpu_profiler",
]
HARNESS = "benchmark (driver, python)"
WALL = "load, ms (median)"


def _process_tree_cpu() -> dict[int, tuple[str, float]]:
    """{pid: (role, CPU seconds)} for this process and everything it started."""
    parent, info = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            fields = proc_stat(int(entry.name))
        except OSError:  # gone meanwhile
            continue
        pid = int(entry.name)
        parent[pid] = int(fields[1])
        info[pid] = (_role(cmd), process_cpu_s(fields))
    me, out = os.getpid(), {}
    for pid in info:
        p = pid
        while p > 1 and p != me:
            p = parent.get(p, 0)
        if p == me:
            out[pid] = info[pid]
    return out


def _role(cmd: str) -> str:
    if "streamlit" in cmd:
        return "server"
    for flag, role in (
        ("--type=renderer", "renderer"),
        ("--type=gpu-process", "gpu"),
        ("--type=utility", "network and utility"),
        ("--type=", "chromium other"),
    ):
        if flag in cmd:
            return role
    if "chrom" in cmd:
        return "browser process"
    return HARNESS


def _cpu_delta(before: dict, after: dict) -> Counter:
    spent = Counter()
    for pid, (role, cpu) in after.items():
        spent[role] += cpu - before.get(pid, (role, 0.0))[1]
    return spent


def cpu_per_load(tabs: dict[str, Tab], day, loads: int) -> dict[str, dict[str, float]]:
    """CPU ms by role from the request to the day shown (what the benchmark times as
    page load), and that time's median, the apps loaded in turn as in the benchmark."""
    spent = {k: Counter() for k in tabs}
    walls = {k: [] for k in tabs}

    @contextmanager
    def counted(k: str):
        before, own0 = _process_tree_cpu(), os.times()
        yield
        after, own1 = _process_tree_cpu(), os.times()
        spent[k].update(_cpu_delta(before, after))
        spent[k][HARNESS] += own1.user + own1.system - own0.user - own0.system

    for _ in range(loads):
        for k, tab in tabs.items():
            walls[k].append(tab.load(day, during=partial(counted, k)))
    out = {k: {role: 1000 * s / loads for role, s in spent[k].items()} for k in tabs}
    for k in tabs:
        out[k][WALL] = statistics.median(walls[k])
    return out


def traced_loads(browser, tab: Tab, day, loads: int) -> tuple[Counter, Counter]:
    """Per load: JS self ms by script on the renderers' main threads, and V8's
    background compile ms, from the request to the day shown."""
    scripts, compiles = Counter(), Counter()

    @contextmanager
    def traced():
        browser.start_tracing(page=tab.page, categories=TRACE_CATEGORIES)
        yield
        events = json.loads(browser.stop_tracing())["traceEvents"]
        scripts.update(_js_by_script(events))
        compiles.update(_background_compile(events))

    for _ in range(loads):
        tab.load(day, during=traced)
    return (
        Counter({k: v / loads for k, v in scripts.items()}),
        Counter({k: v / loads for k, v in compiles.items()}),
    )


def _js_by_script(events) -> Counter:
    frames, by_script = {}, Counter()
    for e in events:
        if e.get("name") != "ProfileChunk":
            continue
        data = e["args"]["data"]
        profile = data.get("cpuProfile", {})
        chunk = (e["pid"], e.get("id"))
        for node in profile.get("nodes") or []:
            frames[(chunk, node["id"])] = node.get("callFrame", {})
        # a sample stands for the time until the next one
        deltas = list(data.get("timeDeltas") or [])
        for sample, delta in zip(profile.get("samples") or [], deltas[1:], strict=False):
            frame = frames.get((chunk, sample), {})
            name = frame.get("url", "").rsplit("/", 1)[-1].split("?")[0]
            function = frame.get("functionName") or "native"
            # V8 names its own entries "(program)", "(garbage collector)", "(idle)"
            name = name or (function if function.startswith("(") else f"({function})")
            by_script[name] += delta / 1000
    by_script.pop("(idle)", None)
    return by_script


def _background_compile(events) -> Counter:
    threads = {
        (e["pid"], e["tid"]): e["args"]["name"]
        for e in events
        if e.get("name") == "thread_name" and e.get("ph") == "M"
    }
    spent = Counter()
    for e in events:
        if e.get("ph") == "X" and e.get("name") in ("V8.MaglevTask", "V8.TurbofanTask"):
            if threads.get((e["pid"], e["tid"]), "").startswith("ThreadPool"):
                spent[e["name"]] += e.get("dur", 0) / 1000
    return spent


def main() -> None:
    from playwright.sync_api import sync_playwright

    from lib.data import read_period

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loads", type=int, default=10, help="loads of each app (default 10)")
    args = parser.parse_args()
    day = read_period().start
    servers = {k: StreamlitServer(script) for k, script in APPS.items()}
    try:
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            tabs = {k: Tab(browser, servers[k].url, k) for k in APPS}
            for tab in tabs.values():  # caches and code caches filled, as in the bench
                tab.load(day)
                tab.load(day)
            cpu = cpu_per_load(tabs, day, args.loads)
            traced = {k: traced_loads(browser, tab, day, TRACED_LOADS) for k, tab in tabs.items()}
            browser.close()
    finally:
        for server in servers.values():
            server.stop()

    roles = {r for v in cpu.values() for r in v} - {WALL}
    roles = sorted(roles, key=lambda r: -cpu["dashboard"].get(r, 0))
    print(f"CPU ms per page load, request to day shown ({args.loads} loads each, in turn)")
    print(f"  {'':28s} {'floor':>8s} {'dashboard':>10s}")
    for role in [*roles, WALL]:
        floor, dashboard = cpu["floor"].get(role, 0), cpu["dashboard"].get(role, 0)
        print(f"  {role:28s} {floor:8.0f} {dashboard:10.0f}")
    for k in APPS:
        total = sum(v for r, v in cpu[k].items() if r != WALL)
        print(
            f"  {k}: {total:.0f} ms of CPU in {cpu[k][WALL]:.0f} ms, "
            f"{total / cpu[k][WALL]:.2f} cores busy on average"
        )
    for k, (scripts, compile_ms) in traced.items():
        print(f"\n{k}, {TRACED_LOADS} traced loads: main-thread self time by script, ms per load")
        for name, ms in scripts.most_common(12):
            print(f"  {ms:7.1f}  {name}")
        print(
            "  background JIT compile: "
            + ", ".join(
                f"{name.removeprefix('V8.')} {ms:.0f} ms" for name, ms in sorted(compile_ms.items())
            )
        )


if __name__ == "__main__":
    main()
