"""Start the app here: streamlit run app.py

The map page (dashboard.py) and the other pages (pages/), served once the data is
loaded and the map's atlas written (ui.data.warm_up), with the atlas and st_folium's
bundle cacheable by browsers (ui.http_cache). Without this, the first reader after
every start waits for the imports, the data and the atlas, and every visit downloads
the atlas again; `streamlit run dashboard.py` still works, and does just that. The
server takes connections at once and answers them when it is ready.
"""

from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware

from ui.http_cache import CacheContentNamed
from ui.serve import prepared

# Browsers keep the atlas and st_folium's bundle (ui/http_cache.py): a returning reader's
# map does not download them again.
app = st.App("dashboard.py", lifespan=prepared, middleware=[Middleware(CacheContentNamed)])
