"""Runs bench/apps/bare_map.py as app.py runs the dashboard: prepared before it answers
(ui.serve) and with the atlas and st_folium's bundle cacheable by browsers
(ui.http_cache), so that the two pages' loads differ only in what the dashboard's page
adds."""

import streamlit as st
from starlette.middleware import Middleware

from ui.http_cache import CacheContentNamed
from ui.serve import prepared

app = st.App("bare_map.py", lifespan=prepared, middleware=[Middleware(CacheContentNamed)])
