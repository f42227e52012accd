"""The map page: who held what on each day of the offensive, 26 Nov - 8 Dec 2024.

Run the app with: streamlit run app.py (see app.py)
"""

from __future__ import annotations

from functools import partial

import streamlit as st
from streamlit_folium import st_folium

from lib import map_layers
from lib.basemap import BASEMAPS
from lib.data.dates import fmt_day
from lib.embed import default_description, embed_code
from lib.layers import titles
from lib.text import md_escape
from ui import data, page_map, publish, state
from ui.page import setup


def start_play(ds) -> None:
    st.session_state[state.PLAYING] = True
    if state.at_end(ds):
        state.rewind(ds)


def pause_play() -> None:
    # its own callback, not a toggle: a Pause whose run comes after Play's hand-over
    # (which already stopped it, ui/state.follow_url_day) must not start it again
    st.session_state[state.PLAYING] = False


def sidebar(ds) -> None:
    """The layers and the basemap."""
    with st.sidebar:
        st.header("Layers")
        layer_pills("Layers", titles(), state.LAYER_PILLS, state.LAYERS)
        st.subheader("Buffer-zone proposals", help=proposals_help(ds))
        layer_pills(
            "Buffer-zone proposals",
            {p.id: p.label for p in ds.proposals},
            state.PROPOSAL_PILLS,
            state.PROPOSALS,
        )
        st.subheader(
            "Basemap",
            help="Online tiles need the internet; without it the map falls back to the "
            "offline basemap drawn from OpenStreetMap's borders.",
        )
        # segmented controls, not a radio or a select box: one click, and the page
        # loads faster (bench: page load)
        st.segmented_control(
            "Basemap",
            options=list(BASEMAPS),
            format_func=BASEMAPS.get,
            required=True,
            label_visibility="collapsed",
            **state.bind(state.BASEMAP_CHOICE, state.BASEMAP),
        )
        st.subheader("Publish")
        opening = state.embed_opening(ds)
        description = embed_description(ds, opening)
        st.download_button(
            "Embeddable map (zip)",
            # made only when clicked, opening on what the reader is looking at
            data=partial(data.embed_zip, opening, description, ds),
            on_click="ignore",
            file_name="aleppo-map.zip",
            mime="application/zip",
            icon=":material/code:",
            width="stretch",
            help="Every day of the map, with its slider, Play, layers, legend, popups and "
            "sources, opening on the day, layers and view on screen, in one folder under "
            "3 MB: unzip it and put it on any web host (or "
            "open index.html). No server, and no outside request unless a reader turns "
            "the online tiles on. The same as `python -m lib embed --out DIR`.",
        )


def embed_description(ds, opening) -> str:
    """The embed's description (its alt text), written by the reader or, until then,
    the day it opens on in words; with the code to paste into a page."""
    default = default_description(ds, opening)
    with st.expander("Embed code and description"):
        if st.session_state.get(state.EMBED_TEXT_DEFAULT) != default:  # a new day: new words
            if st.session_state.get(state.EMBED_TEXT) in (
                None,
                st.session_state.get(state.EMBED_TEXT_DEFAULT),
            ):
                st.session_state[state.EMBED_TEXT] = default
            st.session_state[state.EMBED_TEXT_DEFAULT] = default
        text = st.text_area(
            "Description of the map, for screen readers (its alt text)",
            key=state.EMBED_TEXT,
            max_chars=2000,
        )
        st.caption(
            "Paste this where the map goes, beside the unzipped folder aleppo-map/. The frame "
            "takes its content's height (Pym.js's messages) and asks nothing from outside. Add "
            "#controls=0, #static=1 or #theme=dark to its address to change how it shows."
        )
        st.code(embed_code(ds, text), language="html")
    return text


def layer_pills(label: str, titles: dict[str, str], key: str, shows: str) -> None:
    """Layers to show, one pill each. Pills, not a toggle per layer: one click each,
    and the page loads faster (bench.ab: 8-10% off a reload). A pill shows markdown: a
    title from the data (a proposal's label) is escaped, so it stays text."""
    st.pills(
        label,
        options=list(titles),
        format_func=lambda key: md_escape(titles[key]),
        selection_mode="multi",
        label_visibility="collapsed",
        **state.bind(key, shows),
    )


def proposals_help(ds) -> str:
    """Who proposed each zone, when, and on what terms."""
    return "\n".join(
        f"- **{md_escape(p.label)}**: {md_escape(p.proposed_by)}, {md_escape(p.date_label)}. "
        f"{md_escape(p.terms)}"
        for p in ds.proposals
    )


def header() -> None:
    """The title, in one line: the map gets the first screen."""
    st.title("The fall of Aleppo, day by day")
    state.show_url_warnings()


def playback(ds, map_alone: bool) -> None:
    """Play, its speed and the date, in one row on top of the map. When the map comes
    first the row stays empty, at its height (page.css), so nothing moves when it fills:
    the date slider's drawing held the map's frame back (bench.ab: a reload 0.93-0.96x)."""
    row = st.container(key="playback")
    play_col, speed_col, date_col = row.columns([1.1, 2.5, 6.4], vertical_alignment="bottom")
    if map_alone:
        return
    play_and_speed(ds, play_col, speed_col)
    state.seed(state.MAP_DAY_SLIDER, state.DAY)
    date_col.select_slider(
        "Date",
        options=ds.period.days(),
        format_func=fmt_day,
        label_visibility="collapsed",
        # moving it by hand stops Play (unless stale: state.map_day_moved)
        key=state.MAP_DAY_SLIDER,
        on_change=state.map_day_moved,
    )


def play_and_speed(ds, play_col, speed_col) -> None:
    playing = st.session_state[state.PLAYING]
    play_col.button(
        "Pause" if playing else "Play",
        key=page_map.PAUSE if playing else "play",
        icon=":material/pause:" if playing else ":material/play_arrow:",
        on_click=pause_play if playing else partial(start_play, ds),
        width="stretch",
        # no tooltip: one resting over the button covered the page's title
    )
    speed_col.segmented_control(
        "Speed",
        list(state.SPEEDS),
        key=state.SPEED,
        required=True,
        label_visibility="collapsed",
    )


@st.fragment
def map_panel(ds) -> None:
    # Play runs in the browser, from the atlas: no run of this script a day. Where it
    # got to comes back in the address when the reader presses something, or at the end.
    map_alone = state.map_first_in_fragment()
    state.follow_url_day(ds)
    playback(ds, map_alone)
    state.sync_url(ds)
    view = state.current_view(ds)
    day = view.day

    play_seconds = (
        state.SPEEDS[st.session_state[state.SPEED]] if st.session_state[state.PLAYING] else None
    )
    if play_seconds:
        state.play_from(day)
    map_col, side_col = st.columns([3, 1])
    with map_col, st.container(key="map_box"):
        if not map_alone:  # the keyboard's way past the map's controls (WCAG 2.4.1)
            st.html('<a class="skip-link" href="#day-panel">Skip the map: the day as text</a>')
        # Every layer of every day is in a static file the browser loads once; the map
        # follows the slider in the browser, and a step from the server sends only which
        # day and layers to show (see lib/map_layers.py, "atlas").
        st_folium(
            map_layers.atlas_map(
                data.atlas_url(ds),
                view.basemap,
                map_layers.syria_bounds(ds),
                view=state.opening_view(),
                page=page_map.map_page(),
            ),
            key="map",
            height=640,  # page.css gives it the window's height
            use_container_width=True,
            feature_group_to_add=map_layers.atlas_step(
                ds, day, view.layers, play_seconds, then_rest=state.rest_wanted()
            ),
            render=False,  # st_folium's own render pass only: the same map (test_map_layers)
            returned_objects=[],  # panning and zooming never rerun the script
        )
        if not map_alone:
            st.caption(
                "Control zones follow the lines the front followed, to within a few km; grey "
                "hatched ground was contested that day, pale dotted ground held by no force "
                "reported (see README). Dashed markers are approximate positions or low "
                "confidence. Borders: © OpenStreetMap contributors (ODbL). Rivers: GSHHG. "
                "Places: GeoNames (CC BY 4.0). Story: New Lines Magazine and public reporting."
            )
    with side_col, st.container(key=page_map.DAY_PANEL):
        if not map_alone:
            side_panel(ds, day, view.layers)


def side_panel(ds, day, layers) -> None:
    # One block of HTML: markdown costs the browser more to draw on every step.
    st.html(data.day_panel(day, tuple(layers), ds))
    st.download_button(
        "Download these layers (GeoJSON)",
        # made only when clicked: a large GeoJSON on every step would slow scrubbing
        data=partial(data.export_json, day, tuple(layers), ds),
        on_click="ignore",
        file_name=f"aleppo-{day.isoformat()}.geojson",
        mime="application/geo+json",
        width="stretch",
        disabled=not layers,
        help="The layers shown, as of this date; the same content as `python -m lib export`.",
    )
    publish.print_popover(ds, "map", day, layers, publish.map_frames(state.view_now()))
    publish.video_popover(ds, layers)


def main() -> None:
    ds = setup("Map")
    # The map goes out first, into its place under the header: the browser starts its
    # frame (Leaflet, the atlas) while it draws the header. On the session's first run
    # the map comes alone, and the sidebar and the side panel in the run it asks for
    # once drawn (bench: page load).
    map_alone = state.map_first()
    header_slot = st.container()
    map_panel(ds)
    with header_slot:
        header()
    if not map_alone:
        sidebar(ds)


main()
