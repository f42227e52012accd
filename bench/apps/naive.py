"""Benchmark 'naive': the same layers, but st_folium gets a new map every step (the
layers baked into it), so the map is rebuilt and remounted on each slider move."""

from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from lib import basemap, folium_parts, map_layers
from lib.data import load_dataset, read_period
from lib.data.dates import fmt_day
from lib.layers import base_layers
from lib.offline_assets import install_leaflet

st.set_page_config(layout="wide")
install_leaflet(Path(__file__).resolve().parent / "static")
ds = st.cache_resource(load_dataset)()
period = st.cache_resource(read_period)()
day = st.select_slider("Date", options=period.days(), value=period.start, format_func=fmt_day)
fmap = map_layers.base_map()
basemap.basemap_group(ds, "offline").add_to(fmap)
for layer in base_layers():
    folium_parts.feature_group(layer.key, layer.display(ds, day)).add_to(fmap)
st_folium(fmap, height=640, use_container_width=True, returned_objects=[])
