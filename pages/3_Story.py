"""The story, step by step: the offensive and the bargain over the buffer zone, as the
article tells them, each step a day, a view and the layers it is about."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from lib import map_layers
from lib.data.dates import fmt_day
from lib.story import heading, step_html
from lib.text import md_escape
from ui import data, state
from ui.page import setup

ds = setup("Story")
state.init_story(ds)

st.title("The story, step by step")
state.show_url_warnings()  # a bad date in the address: said on every page
for message in st.session_state.get(state.STORY_WARNINGS, []):
    st.warning(md_escape(message), icon="⚠️")
state.sync_story_url(ds)
state.follow_step(ds)
index = st.session_state[state.STORY_STEP]
step = ds.story[index]

map_col, text_col = st.columns([2.3, 1])
with map_col, st.container(key="story_map_box"):
    st.html('<a class="skip-link" href="#story-step">Skip the map: the step</a>')
    # the same map as the Map page's, never remounted: a step sends its day, layers
    # and view, and the map flies there
    st_folium(
        map_layers.atlas_map(
            data.atlas_url(ds), st.session_state[state.BASEMAP], map_layers.syria_bounds(ds)
        ),
        key="story_map",
        height=600,
        use_container_width=True,
        feature_group_to_add=map_layers.story_step(
            ds,
            step,
            f"Step {index + 1} of {len(ds.story)}. {heading(ds, step)}. "
            f"The map shows {fmt_day(step.map_date)}.",
        ),
        render=False,  # st_folium's own render pass only: the same map (test_map_layers)
        returned_objects=[],
    )
with text_col:
    back_col, next_col = st.columns(2)
    back_col.button(
        "Previous",
        icon=":material/arrow_back:",
        on_click=state.move_story,
        args=(ds, -1),
        disabled=index == 0,
        key="story_prev",  # the map's loader puts the keyboard back on it after a step
        shortcut="Left",
        width="stretch",
    )
    next_col.button(
        "Next",
        icon=":material/arrow_forward:",
        on_click=state.move_story,
        args=(ds, 1),
        disabled=index == len(ds.story) - 1,
        key="story_next",
        shortcut="Right",
        type="primary",
        width="stretch",
    )
    st.progress((index + 1) / len(ds.story))
    st.html(step_html(ds, index))
    if st.button("Open this day on the map", icon=":material/map:", width="stretch"):
        state.open_step_on_map(ds)
        st.switch_page("dashboard.py")
