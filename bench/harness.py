"""The benchmark's harness is the tests' (tests/support/harness.py): a Streamlit server
on loopback and Debian's Chromium. The benchmark may import the tests' support code,
never the reverse."""

from tests.support.harness import *  # noqa: F403
from tests.support.harness import (  # noqa: F401  (names the benchmark uses, explicitly)
    CHROMIUM,
    CHROMIUM_ARGS,
    IDLE,
    MAP_FRAME,
    ROOT,
    WHOLE_PAGE_JS,
    RunCounter,
    StreamlitServer,
    block_outside,
    click_and_finish_its_run,
    free_port,
    launch_chromium,
    launch_chromium_profile,
    proc_stat,
    process_cpu_s,
    record_outside,
)
