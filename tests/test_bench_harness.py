"""The benchmark's reading of a server's CPU time (bench.harness.StreamlitServer)."""

import subprocess
import sys

from bench.harness import StreamlitServer

BURN = "import time\nwhile time.process_time() < 0.3: pass\nprint('done', flush=True)\ninput()"


def test_cpu_time_is_the_processs_own_and_grows_with_its_work():
    proc = subprocess.Popen(
        [sys.executable, "-c", BURN], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        server = StreamlitServer.__new__(StreamlitServer)  # its reading only, no server
        server.proc = proc
        assert proc.stdout.readline() == "done\n"  # 0.3 s of CPU burnt, now waiting
        assert 250 <= server.cpu_ms() < 3000  # /proc counts in clock ticks (10 ms)
    finally:
        proc.kill()
        proc.wait()


class _Page:
    """Enough of a Playwright page for RunCounter: its sockets come through `emit`."""

    def __init__(self):
        self.handlers = {}
        self.idle_asked = 0

    def on(self, event, handler):
        self.handlers[event] = handler

    def wait_for_timeout(self, ms):
        pass

    def wait_for_selector(self, selector, timeout):
        self.idle_asked += 1


class _Socket(_Page):
    def __init__(self, url):
        super().__init__()
        self.url = url

    def emit(self, kind):
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = ForwardMsg()
        if kind == "new_session":
            msg.new_session.name = "app"
        elif kind == "script_finished":
            msg.script_finished = ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
        elif kind == "stopped_for_rerun":
            msg.script_finished = ForwardMsg.FINISHED_EARLY_FOR_RERUN
        else:
            msg.delta.new_element.markdown.body = "x"
        self.handlers["framereceived"](msg.SerializeToString())


def test_the_run_counter_reads_runs_from_the_servers_messages():
    from bench.harness import RunCounter

    page = _Page()
    runs = RunCounter(page)
    other = _Socket("ws://127.0.0.1:1/other")
    page.handlers["websocket"](other)
    assert "framereceived" not in other.handlers  # only Streamlit's own socket
    ws = _Socket("ws://127.0.0.1:1/_stcore/stream")
    page.handlers["websocket"](ws)
    mark = runs.mark
    ws.emit("new_session")
    ws.emit("delta")
    try:  # started, not ended: still waiting
        runs.wait_for_run_since(mark, timeout=50)
        raise AssertionError("a run that has not ended was taken as over")
    except TimeoutError:
        pass
    ws.emit("script_finished")
    runs.wait_for_run_since(mark, timeout=50)
    assert page.idle_asked == 1 and runs.started_since(mark) == 1
    ws.emit("new_session")
    ws.emit("script_finished")
    assert runs.started_since(mark) == 2 and runs.started_since(runs.mark) == 0
    # a run stopped for the next one (a press during it, or st.rerun) has not ended
    # what was asked: only the run after it does
    mark = runs.mark
    ws.emit("new_session")
    ws.emit("stopped_for_rerun")
    try:
        runs.wait_for_run_since(mark, timeout=50)
        raise AssertionError("a run stopped for a rerun was taken as the end")
    except TimeoutError:
        pass
    ws.emit("new_session")
    ws.emit("script_finished")
    runs.wait_for_run_since(mark, timeout=50)
    assert runs.started_since(mark) == 2
