"""Benchmark floor: the dashboard's slider on a page that draws only text."""

import streamlit as st

from lib.data import read_period
from lib.data.dates import fmt_day

st.set_page_config(layout="wide")
period = st.cache_resource(read_period)()
day = st.select_slider("Date", options=period.days(), value=period.start, format_func=fmt_day)
st.markdown(f'<div id="shown-day">{fmt_day(day)}</div>', unsafe_allow_html=True)
