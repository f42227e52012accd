"""Benchmark 'bare map': the least a Streamlit page with the dashboard's map can be. A
title, the date slider and the same map (st_folium, the atlas, the day's step), with
no Play row, no side panel and no sidebar. Its load, against the floor's, is what
Streamlit and streamlit-folium cost before the dashboard adds anything; the dashboard's
against it, what the dashboard's own page adds (bench: page load)."""

from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from lib import atlas_files, basemap, map_layers
from lib.data.dates import fmt_day
from lib.layers import default_keys
from lib.offline_assets import install_leaflet
from ui import data, page_map

STATIC = Path(__file__).resolve().parent / "static"  # what Streamlit serves for this page

st.set_page_config(layout="wide")
install_leaflet(STATIC)
ds = data.dataset()  # loaded before the server answered (ui.serve), as the dashboard's
atlas_url = st.cache_resource(lambda: atlas_files.write_atlas(ds, STATIC))()
st.title("The fall of Aleppo, day by day")
day = st.select_slider(
    "Date", options=ds.period.days(), value=ds.period.start, format_func=fmt_day, key="day_slider"
)
st_folium(
    map_layers.atlas_map(
        atlas_url,
        basemap.DEFAULT_BASEMAP,
        map_layers.syria_bounds(ds),
        page=page_map.protocol(page_map.DAY_SLIDER),
    ),
    key="map",
    height=640,
    use_container_width=True,
    feature_group_to_add=map_layers.atlas_step(ds, day, default_keys()),
    returned_objects=[],
)
