"""The chronology of the buffer-zone bargaining, the offensive day by day, and every
source in the data."""

from __future__ import annotations

from collections import Counter
from html import escape

import streamlit as st

from lib.control import captured_places, events_on
from lib.data.dates import fmt_day
from lib.sources import cite_html, source_links_html, sources_list_html
from lib.text import md_escape
from ui import state
from ui.page import setup

ds = setup("Timeline and sources")

st.title("Timeline and sources")
state.show_url_warnings()  # a bad date in the address: said on every page
state.sync_url(ds)  # the reader's day, layers and basemap, in this page's address too
bargaining_tab, offensive_tab, sources_tab = st.tabs(
    ["The buffer-zone bargaining", "The offensive, day by day", "Sources"]
)

with bargaining_tab:
    st.caption(
        "From the Adana Agreement's 3 miles to the 30 miles Turkish-backed forces held "
        "after Aleppo fell, as the article recounts it."
    )
    events = ds.events[ds.events["track"] == "bargaining"]
    for row in events.itertuples():
        with st.container(border=True):
            when = row.date_label or fmt_day(row.date)
            st.markdown(f"**{md_escape(when)}** · {md_escape(row.title)}")
            st.markdown(md_escape(row.description))
            if row.quote:
                st.markdown(f"> {md_escape(row.quote)}")
            # linked, as on every other page (escaped HTML: lib/sources.py)
            st.html(
                f'<p class="timeline-sources">{source_links_html(ds, row.source, limit=12)}. '
                f"Confidence: {escape(row.confidence)}.</p>{cite_html(ds, row.source)}"
            )
    st.page_link(
        "pages/1_Compare.py",
        label="Compare the proposals on the map",
        icon=":material/compare_arrows:",
    )

with offensive_tab:
    st.caption("Each day's events and the towns that changed hands. Open the map on any day.")
    for day in ds.period.days():
        taken = captured_places(ds, day)
        taken = taken[taken["captured_on"] == day]
        today = events_on(ds, day)
        with st.container(border=True):
            head, button = st.columns([4, 1])
            head.html(f'<h2 class="timeline-day">{fmt_day(day)}</h2>')  # under the page's h1
            if button.button(f"Open {fmt_day(day)} on the map", key=f"open_{day}", width="stretch"):
                st.session_state[state.DAY] = day
                st.switch_page("dashboard.py")
            for row in today.itertuples():
                st.markdown(f"- **{md_escape(row.title)}**: {md_escape(row.description)}")
            if not taken.empty:
                by = Counter(taken["captured_by"])
                parts = [
                    f"{md_escape(ds.factions[f].short)}: "
                    + md_escape(", ".join(taken.loc[taken["captured_by"] == f, "name"]))
                    for f in by
                ]
                st.markdown("Taken: " + "; ".join(parts))
            if today.empty and taken.empty:
                st.caption("No recorded event or change of hands.")

with sources_tab:
    st.caption(
        "Every source the data cites, what it supports, and how many features cite it. "
        "Each title links to the page itself."
    )
    st.html(sources_list_html(ds))
