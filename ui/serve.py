"""What the server does once, before it answers any reader (app.py's lifespan): load
the data, write the map's atlas, and move all that out of the garbage collector's
reach. A light module: the server takes connections while this runs."""

from __future__ import annotations

import asyncio
import gc
import time
from contextlib import asynccontextmanager


@asynccontextmanager
async def prepared(_app):
    started = time.perf_counter()
    print("  Preparing the data and the map...", flush=True)
    from ui.data import warm_up  # imports lib/: part of what is prepared

    await asyncio.to_thread(warm_up)
    # Streamlit collects all garbage after every script run (runner.postScriptGC), which
    # means walking every object the server holds: 70-120 ms of CPU a run, most of a
    # run's cost. What the warm-up loaded lives as long as the server, so it is moved
    # out of the collector's reach; a run's collection then takes a few ms.
    gc.collect()
    gc.freeze()
    print(f"  Ready in {time.perf_counter() - started:.1f} s.", flush=True)
    yield
