"""Benchmark floor: the dashboard's slider on a page that draws only text."""

import streamlit as st

from lib.dates import OFFENSIVE_START, all_dates, fmt_day

st.set_page_config(layout="wide")
day = st.select_slider("Date", options=all_dates(), value=OFFENSIVE_START, format_func=fmt_day)
st.markdown(f'<div id="shown-day">{fmt_day(day)}</div>', unsafe_allow_html=True)
