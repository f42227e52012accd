"""Running Streamlit servers and headless Chromium, for the benchmark and the
browser tests: loopback only, every outside request blocked, waits on conditions."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# The page is whole: not the map page's first run, which draws the map alone and leaves
# the side panel and sidebar to the run the map asks for once drawn (ui/state.map_first),
# nor a step's run of the map's part alone before then (the side panel but no sidebar),
# and no control still waiting for its code (Streamlit shows a skeleton meanwhile).
# A page with no map yet counts as whole: wait for the map first.
WHOLE_PAGE_JS = """() => !document.querySelector('.st-key-map_box')
    || (!!document.querySelector('.st-key-day_panel .day-panel')
        && !!document.querySelector('[data-testid="stSidebar"] [data-testid="stButtonGroup"]')
        && !document.querySelector('[data-testid="stSkeleton"]'))"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StreamlitServer:
    """`streamlit run SCRIPT` on a loopback port (a free one unless given), healthy when
    constructed."""

    def __init__(
        self,
        script: str = "app.py",
        env_extra: dict | None = None,
        log_dir: Path | None = None,
        root: Path = ROOT,
        port: int | None = None,
    ):
        """`root`: the project checkout to run (bench.ab runs copies of it); `port`: a
        given one (a restart, on the port the first server had) instead of a free one."""
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        log_dir = log_dir or ROOT / "artifacts"
        log_dir.mkdir(parents=True, exist_ok=True)
        # a restart on the same port adds to the first server's log
        self.log = open(log_dir / f"streamlit-{self.port}.log", "a" if port else "w")  # noqa: SIM115
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                script,
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--server.fileWatcherType",
                "none",
                "--server.enableStaticServing",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=root,
            env={**os.environ, **(env_extra or {})},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.wait_healthy()
        # start to healthy: app.py does its warm-up (data, atlas) before this
        self.ready_ms = (time.perf_counter() - self.started) * 1000

    def wait_healthy(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)  # polling interval of the health check
        raise RuntimeError("streamlit did not become healthy")

    def cpu_ms(self) -> float:
        """CPU time the server process has used so far (user and system), ms."""
        return 1000 * process_cpu_s(proc_stat(self.proc.pid))

    def rss_mb(self) -> float:
        """Resident memory of the server process, MB."""
        with open(f"/proc/{self.proc.pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def proc_stat(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command name (field 3 onwards)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def process_cpu_s(stat: list[str]) -> float:
    """CPU seconds (user and system) from proc_stat's fields."""
    return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")


class RunCounter:
    """The app's script runs, as the server reports them on the page's socket: a run
    starts with a `new_session` message and ends with a `script_finished` one (unless
    stopped for a rerun, which starts the run that does what was asked). Make it
    before the page opens its socket (it listens for new sockets). The page's own mark
    of a run (data-test-script-state) cannot count them: when a short run's start and
    end reach the browser together, React draws both in one render and the mark never
    shows "running" (one fragment run in ten here, right after a page load)."""

    def __init__(self, page):
        self.page = page
        self.events: list[str] = []  # "start", "end" or "stopped", in the order received
        page.on("websocket", self._socket)

    def _socket(self, ws) -> None:
        if "/_stcore/stream" in ws.url:
            ws.on("framereceived", self._frame)

    def _frame(self, payload) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if not isinstance(payload, bytes):
            return
        msg = ForwardMsg()
        msg.ParseFromString(payload)
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.events.append("start")
        elif kind == "script_finished":
            # a run stopped for the next one has not done what was asked: the next has
            stopped = msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN
            self.events.append("stopped" if stopped else "end")

    @property
    def mark(self) -> int:
        """Where "from now on" begins, for started_since and wait_for_run_since."""
        return len(self.events)

    def started_since(self, mark: int) -> int:
        return self.events[mark:].count("start")

    def wait_for_run_since(self, mark: int, timeout: int = 60_000) -> None:
        """Until a run that started after `mark` has ended, and the page is idle."""
        deadline = time.monotonic() + timeout / 1000
        while not ("start" in self.events[mark:] and self.events[-1] == "end"):
            if time.monotonic() > deadline:
                raise TimeoutError(f"no script run ended within {timeout} ms: {self.events[mark:]}")
            self.page.wait_for_timeout(20)  # lets Playwright deliver the socket's frames
        self.page.wait_for_selector(IDLE, timeout=timeout)


def click_and_finish_its_run(runs: RunCounter, target, timeout: int = 60_000) -> int:
    """Click `target` (a locator) and wait until the script run the click asks for is
    over. Returns the mark just after it: count the next action's runs from there.
    Just after a click the page may still show idle, before that run has started:
    waiting for idle alone can end too early."""
    mark = runs.mark
    target.click()
    runs.wait_for_run_since(mark, timeout)
    return runs.mark


def _offline_proxy() -> dict:
    # a port free a moment ago, that nothing of ours will listen on
    return {"server": f"http://127.0.0.1:{free_port()}", "bypass": "127.0.0.1,localhost"}


def launch_chromium(playwright):
    """Debian's Chromium, headless, with every request that is not to loopback sent to
    a proxy that does not exist, so it fails: offline, whatever the page asks for."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, proxy=_offline_proxy()
    )


def launch_chromium_profile(playwright, profile_dir, viewport: dict):
    """As launch_chromium, but one browser context on a profile kept in `profile_dir`,
    as a reader's own browser is. Playwright's other contexts are off the record, and
    Chromium keeps no compiled code (V8's code cache) for those: a returning reader's
    browser does."""
    return playwright.chromium.launch_persistent_context(
        str(profile_dir),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        proxy=_offline_proxy(),
        viewport=viewport,
    )


def record_outside(page, failed: list[str]) -> None:
    """Record the requests that left loopback (and failed, see launch_chromium)
    without routing every request through Python, which would slow what is timed."""

    def on_failed(request):
        if not request.url.startswith(("http://127.0.0.1:", "data:", "blob:")):
            failed.append(request.url)

    page.on("requestfailed", on_failed)


def block_outside(page, blocked: list[str]) -> None:
    """Let only loopback (and inline data) through; record what was blocked. Every
    request goes through Python: for tests, not for timings (see record_outside)."""

    def route(r):
        url = r.request.url
        if url.startswith(("http://127.0.0.1:", "data:", "blob:")):
            r.continue_()
        else:
            blocked.append(url)
            r.abort()

    page.route("**/*", route)
