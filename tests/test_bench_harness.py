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
