"""What every page does first: one call, so no page repeats it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import streamlit as st

from lib.data import Dataset
from ui import data, state

PAGE_CSS = Path(__file__).resolve().parent / "assets" / "page.css"

PAGE_ICON = "🗺️"
PAGES = (
    ("dashboard.py", "Map", ":material/map:"),
    ("pages/3_Story.py", "The story, step by step", ":material/auto_stories:"),
    ("pages/1_Compare.py", "Compare buffer zones", ":material/compare_arrows:"),
    ("pages/2_Timeline.py", "Timeline and sources", ":material/event_note:"),
)


def setup(title: str) -> Dataset:
    """Page config, offline Leaflet, the data, shared state, and the navigation.

    Streamlit runs a page's file directly when its URL is opened, so each page calls
    this first (a shared entry script would be skipped).
    """
    st.set_page_config(
        page_title=f"{title} · The fall of Aleppo, mapped", page_icon=PAGE_ICON, layout="wide"
    )
    st.html(PAGE_CSS)  # style only: Streamlit adds it without taking room on the page
    rerun_on_reconnect()
    data.ensure_offline_assets()
    ds = data.dataset()
    state.init(ds)
    state.enter_page(title)
    state.keep()
    with st.sidebar:
        for path, label, icon in PAGES:
            st.page_link(path, label=label, icon=icon)
        st.divider()
    return ds


@st.fragment(run_every=timedelta(days=1))
def rerun_on_reconnect() -> None:
    """Draws nothing. A page that reconnects to a new session on the server (after a
    restart, or disconnected longer than the server keeps a session) asks for a run of
    its own only if its last run was a fragment's, a run was under way, or it has a
    timed fragment, such as this one (Streamlit 1.67's frontend). After a whole-page
    run it did not ask: the new session had none of the page's fragments until some
    press reran the whole page, and Streamlit dropped every press inside one (the map's
    slider, Play, Compare's controls): the map moved in the browser while the panel and
    the address kept the old day. Every whole-page run restarts the timer, so this
    empty fragment reruns only after a day without one. (A browser timer holds at most
    about 24.8 days: a longer interval would fire at once.)"""
