"""Start the app here: streamlit run app.py

The map page (dashboard.py) and the other pages (pages/), served once the data is
loaded and the map's atlas written (ui.data.warm_up), with the atlas and st_folium's
bundle cacheable by browsers (ui.http_cache). Without this, the first reader after
every start waits for the imports, the data and the atlas, and every visit downloads
the atlas again; `streamlit run dashboard.py` still works, and does just that. The
server takes connections at once and answers them when it is ready.
"""

from __future__ import annotations

import asyncio
import gc
import time
from contextlib import asynccontextmanager

import streamlit as st
from starlette.middleware import Middleware

from ui.http_cache import CacheContentNamed


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


# Browsers keep the atlas and st_folium's bundle (ui/http_cache.py): a returning reader's
# map does not download them again.
app = st.App("dashboard.py", lifespan=prepared, middleware=[Middleware(CacheContentNamed)])
