"""Session state, set up in one place, and its two-way link with the URL."""

from __future__ import annotations

import uuid

import streamlit as st

from lib.basemap import BASEMAPS, DEFAULT_BASEMAP
from lib.data import Dataset
from lib.layers import base_keys, default_keys, layers
from lib.map_layers import PLAY_SPEEDS
from lib.permalink import (
    DEFAULT_PROPOSALS,
    WHATIF_MAX_MI,
    WHATIF_MIN_MI,
    CompareView,
    View,
    compare_params,
    parse_compare,
    parse_map_view,
    parse_view,
    view_params,
)
from lib.text import md_escape, quoted
from ui import page_map

# The reader's state, one for every page: the day, the layers and proposals shown, the
# basemap (and the map's view, in the address). Plain session values, written only by
# this module: a widget shows one and writes it back when the reader moves it (bind).
# A widget's own value is Streamlit's to drop: a day picked on the map's slider (in a
# fragment) was gone when another page opened.
DAY = "day"
BASEMAP = "basemap"
LAYERS = "layers"  # the base layers shown (a list of keys)
PROPOSALS = "proposals"  # the buffer-zone proposals shown (a list of ids)
# the widgets bound to them
MAP_DAY_SLIDER = page_map.DAY_SLIDER  # the Map page's; its map follows it (ui/page_map)
COMPARE_DAY_SLIDER = "compare_day_slider"
LAYER_PILLS = "layer_pills"
PROPOSAL_PILLS = "proposal_pills"
BASEMAP_CHOICE = "basemap_choice"
PLAYING = "playing"
SPEED = "speed"
URL_WARNINGS = "url_warnings"
MAP_VIEW = "map_view"  # the view the map opened on (lat, lng, zoom), or None: Syria
HANDED_OVER = "handed_over"  # the mark of the last day Play handed back (?played=)
PLAYED_FROM = "played_from"  # the day the page's slider held when the browser began Play
HANDED_DAY = "handed_day"  # (day Play handed back, slider's value then): for the next run
MAP_PAGE_RUN = "map_page_run"  # this session's id, once the map page's first run began
WHOLE_PAGE = "whole_page"  # a run of the whole map page has begun in this session
MAP_FIRST = "map_first"  # this run of the map page draws the map alone, first
# seconds a day while playing
SPEEDS = PLAY_SPEEDS


def layer_keys(ds: Dataset) -> tuple[str, ...]:
    """Every layer a user can toggle: the base layers, then one per proposal."""
    return base_keys() + tuple(layer.key for layer in layers(ds) if layer.proposal)


def init(ds: Dataset) -> None:
    """Fill session state from the URL, once per session."""
    if DAY in st.session_state:
        return
    view, warnings = parse_view(
        st.query_params.to_dict(),
        ds.period,
        layer_keys(ds),
        default_keys(),
        BASEMAPS,
        DEFAULT_BASEMAP,
    )
    st.session_state[DAY] = view.day
    st.session_state[BASEMAP] = view.basemap
    st.session_state[MAP_VIEW] = view.map_view
    st.session_state[LAYERS] = [k for k in view.layers if k in base_keys()]
    st.session_state[PROPOSALS] = [k for k in view.layers if k not in base_keys()]
    st.session_state[PLAYING] = False
    st.session_state[SPEED] = "Normal"
    raw = st.query_params.get("place")
    if raw is not None and place_now(ds) is None:
        warnings.append(f"Ignored place={quoted(raw)}: no such place, base or event.")
    st.session_state[URL_WARNINGS] = warnings
    st.session_state[HANDED_OVER] = st.query_params.get(page_map.PLAYED)


def keep() -> None:
    """Keep page values across pages: Streamlit drops a widget's value when a page
    without that widget runs, unless it is written back as plain session state. (The
    reader's state is plain session state already.)"""
    for key in (SPEED,) + tuple(
        k for k in st.session_state if isinstance(k, str) and k.startswith("cmp_")
    ):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def bind(widget_key: str, state_key: str, on_change=None) -> dict:
    """A widget's arguments for showing the reader's `state_key`: its value is set from
    it before the widget is drawn, and a move of the reader's writes it back (then
    calls `on_change`). Call just before drawing the widget."""
    seed(widget_key, state_key)
    return {"key": widget_key, "on_change": _write_back, "args": (widget_key, state_key, on_change)}


def seed(widget_key: str, state_key: str) -> None:
    """Set a widget to the reader's value, only where it differs: a value set through
    session state is forced on the browser's widget, and a slider pressed again while
    a run was under way was sent back to where that run began."""
    if (
        widget_key not in st.session_state
        or st.session_state[widget_key] != st.session_state[state_key]
    ):
        st.session_state[widget_key] = st.session_state[state_key]


def _write_back(widget_key: str, state_key: str, then) -> None:
    st.session_state[state_key] = st.session_state[widget_key]
    if then is not None:
        then()


LAST_PAGE = "last_page"  # the page of the last whole-page run: a switch is a new entry


def enter_page(page: str) -> None:
    """Note the page now running. On entering the Map page from another page, its map
    opens on the reader's last view of it (the map's own view is fixed while the page
    stays, so that it never remounts)."""
    if st.session_state.get(LAST_PAGE) not in (None, page) and page == "Map":
        st.session_state[MAP_VIEW] = st.session_state.get(READER_VIEW)
    st.session_state[LAST_PAGE] = page


READER_VIEW = "reader_view"  # the map's view (lat, lng, zoom) when the Map page last ran


def opening_view() -> tuple[float, float, float] | None:
    """The view the map opened on: fixed for the session, so the map never remounts."""
    return st.session_state.get(MAP_VIEW)


def view_now() -> tuple[float, float, float] | None:
    """The map's view now: the address follows the map once the reader moves it
    (lib/assets/view_link.js), and every run reads the address anew."""
    raw = st.query_params.get("view")
    if raw:
        try:
            return parse_map_view(raw)
        except ValueError:
            pass  # a bad view in a link was reported when the page opened
    return opening_view()


def current_view(ds: Dataset) -> View:
    shown = set(st.session_state.get(LAYERS) or ()) | set(st.session_state.get(PROPOSALS) or ())
    layers = tuple(k for k in layer_keys(ds) if k in shown)
    return View(st.session_state[DAY], layers, st.session_state[BASEMAP], view_now())


def place_now(ds: Dataset) -> str | None:
    """The card the address names (?place=id: the map's search sets it, a link opens
    it, lib/assets/place_search.js), if it names one."""
    from lib.search import search_index

    raw = st.query_params.get("place")
    return raw if raw and raw in {e.id for e in search_index(ds)} else None


EMBED_TEXT = "embed_text"  # the embed's description, as the reader has it
EMBED_TEXT_DEFAULT = "embed_text_default"  # the generated one it was last set from


def embed_opening(ds: Dataset):
    """What the embed a reader downloads opens on: what they are looking at."""
    from lib.embed import Opening

    view = current_view(ds)
    return Opening(view.day, view.layers, view.basemap != "offline", view.map_view)


def sync_url(ds: Dataset) -> None:
    """Write the view into the URL (only when it changed: no needless history)."""
    view = current_view(ds)
    if st.session_state.get(LAST_PAGE) == "Map":
        st.session_state[READER_VIEW] = view.map_view  # for the next entry (enter_page)
    wanted = view_params(view)
    place = place_now(ds)
    if place and st.session_state.get(LAST_PAGE) == "Map":
        wanted["place"] = place  # the card open on the map stays in its link
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def follow_url_day(ds: Dataset) -> None:
    """Take the day Play handed back: Play runs in the browser and puts its day in the
    address with a mark, `played`, new at each hand-over (lib/assets/atlas_loader.js).
    Only a new mark counts: a run may carry an older address. At the last day, or with
    `paused` (a press on Pause), Play has ended. Call before the date slider is drawn."""
    mark, raw = st.query_params.get(page_map.PLAYED), st.query_params.get(page_map.DATE)
    if not mark or not raw or mark == st.session_state.get(HANDED_OVER):
        st.session_state.pop(HANDED_DAY, None)  # a run after the hand-over's: settled
        return
    st.session_state[HANDED_OVER] = mark
    try:
        day = ds.period.parse(raw)
    except ValueError:
        return  # not a day of ours: the server's own day stays, and sync_url rewrites it
    st.session_state[DAY] = day
    st.session_state[HANDED_DAY] = (day, st.session_state.get(PLAYED_FROM))
    # Play ends at the last day, or on Pause: a press on Pause hands over with `paused`,
    # so Play stops even when the press's own run is lost to the hand-over's (both are
    # asked for at once; the button's trigger does not always survive)
    if day >= ds.period.end or st.query_params.get(page_map.PAUSED):
        st.session_state[PLAYING] = False


def map_first() -> bool:
    """Whether this run of the map page draws only the map and the title: the
    session's first run of the page. The map asks for the next run once it is ready
    (rest_wanted), and that run, like any later one, draws the whole page. So the map
    never waits for the sidebar and the side panel, whose drawing took the browser
    about as long as the map's own (bench: page load). Call once per run of the whole
    page; its fragment asks `map_first_in_fragment`."""
    first = MAP_PAGE_RUN not in st.session_state
    if first:  # the map asks for the rest once per session: this names the session
        st.session_state[MAP_PAGE_RUN] = uuid.uuid4().hex[:12]
    st.session_state[MAP_FIRST] = first
    if not first:
        st.session_state[WHOLE_PAGE] = True
    return first


def map_first_in_fragment() -> bool:
    """`map_first` for the page's fragment: true only when the whole page's first run
    runs it. A rerun of the fragment alone (a step) draws its whole part."""
    return st.session_state.pop(MAP_FIRST, False)


def rest_wanted() -> str | None:
    """The session's id while the map should ask for a run of the whole page
    (lib/assets/atlas_loader.js: once its day is on screen, or its atlas is late or
    failed): until one has begun in this session; else None. A step before then reruns
    the fragment alone, and the map must still ask: the first run's request may not
    have reached it. The map asks once per id, so a new session (after a reconnect)
    gets its own request, and a step the map sees twice makes no second one."""
    return None if WHOLE_PAGE in st.session_state else st.session_state[MAP_PAGE_RUN]


def play_from(day) -> None:
    """Note the day the browser's Play starts from: the page's slider keeps it as its
    value while Play moves only its look (lib/assets/atlas_loader.js, setSliderDay)."""
    st.session_state[PLAYED_FROM] = day


def map_day_moved() -> None:
    """The Map page's date slider moved (its on_change): the reader's day, and Play
    stops. Unless the move is stale: a press made as Play hands its day over (Pause, a
    layer) asks for a run that still carries the slider's value from before Play (the
    browser moved the slider's look, not its value). In the run after the hand-over
    that value is stale: the handed day stays."""
    value = st.session_state[MAP_DAY_SLIDER]
    handed, stale = st.session_state.pop(HANDED_DAY, (None, None))
    if handed is not None and value == stale:
        st.session_state[MAP_DAY_SLIDER] = handed
        return
    st.session_state[DAY] = value
    st.session_state[PLAYING] = False


def show_url_warnings() -> None:
    for message in st.session_state.get(URL_WARNINGS, []):
        st.warning(md_escape(message), icon="⚠️")


def at_end(ds: Dataset) -> bool:
    return st.session_state[DAY] >= ds.period.end


def rewind(ds: Dataset) -> None:
    st.session_state[DAY] = ds.period.baseline


# ---- compare page -----------------------------------------------------------------
CMP_STARTED = "cmp_started"  # the page's state has been read from its first address
COMPARE_PICK = "compare_proposal_pick"  # its proposals' widget, bound to PROPOSALS
CMP_CHOSE = "cmp_chose"  # the reader has picked proposals on this page (even none)
CMP_WHATIF_ON = "cmp_whatif_on"
CMP_WHATIF = "cmp_whatif"
CMP_WARNINGS = "cmp_warnings"
CMP_VIEW = "cmp_view"  # the synchronised centre and zoom of the side-by-side maps
CMP_CLICK = "cmp_click"
CMP_SEEN_CLICKS = "cmp_seen_clicks"  # the clicks st_folium already reported
CMP_REPORTS = "cmp_reports"  # each side-by-side map's last reported view
CMP_MODE = "cmp_mode"
CMP_SHOW_CONTROL = "cmp_show_control"
CMP_LEFT, CMP_RIGHT = "cmp_left_pick", "cmp_right_pick"
CMP_FOCUS = "cmp_focus"
CMP_SINCE = "cmp_since"  # the other day of Compare's change column, or None
CMP_FIND = "cmp_find"  # the place or coordinates typed for the point query
CMP_FIND_NOTE = "cmp_find_note"  # why the last one found nothing ("" when it did)
# Not cmp_: keep() writes cmp_ keys back, and Streamlit refuses that for an uploader;
# nor is the read layer carried across pages, as the uploader's file is not.
CMP_UPLOAD = "user_layer_upload"
CMP_UPLOAD_READ = "user_layer_read"
DEFAULT_WHATIF_MI = 15.0


def init_compare(ds: Dataset) -> None:
    """Fill the compare page's state from the URL, the first time it is opened."""
    if CMP_STARTED in st.session_state:
        st.session_state[CMP_WARNINGS] = []
        return
    st.session_state[CMP_STARTED] = True
    params = st.query_params.to_dict()
    view, warnings = parse_compare(params, [p.id for p in ds.proposals])
    if "proposals" in params:  # a link's proposals are the reader's
        st.session_state[PROPOSALS] = list(view.proposals)
    st.session_state[CMP_WHATIF_ON] = view.whatif_mi is not None
    st.session_state[CMP_WHATIF] = view.whatif_mi or DEFAULT_WHATIF_MI
    st.session_state[CMP_WARNINGS] = warnings
    st.session_state[CMP_CLICK] = None
    st.session_state[CMP_SHOW_CONTROL] = True  # its toggle's first value (keep() holds it)


def compare_picks(ds: Dataset) -> list[str]:
    """The proposals Compare shows: the reader's (the same as the map's), or, until the
    reader has picked any, the Riyadh stand-off (Assad's 10 miles, Erdogan's 22)."""
    if st.session_state[PROPOSALS] or st.session_state.get(CMP_CHOSE):
        return list(st.session_state[PROPOSALS])
    ids = [p.id for p in ds.proposals]
    return [p for p in DEFAULT_PROPOSALS if p in ids]


def bind_compare_picks(ds: Dataset) -> dict:
    """The proposals widget's arguments: it shows compare_picks, and a pick of the
    reader's becomes the reader's proposals, in the data's order, on every page."""
    if st.session_state.get(COMPARE_PICK) != compare_picks(ds):  # see seed
        st.session_state[COMPARE_PICK] = compare_picks(ds)
    return {"key": COMPARE_PICK, "on_change": _picked, "args": ([p.id for p in ds.proposals],)}


def _picked(order: list[str]) -> None:
    picked = st.session_state[COMPARE_PICK]
    st.session_state[PROPOSALS] = sorted((p for p in picked if p in order), key=order.index)
    st.session_state[CMP_CHOSE] = True


def compare_view(ds: Dataset) -> CompareView:
    whatif = st.session_state[CMP_WHATIF] if st.session_state[CMP_WHATIF_ON] else None
    return CompareView(tuple(compare_picks(ds)), whatif)


def sync_compare_url(ds: Dataset) -> None:
    order = [p.id for p in ds.proposals]
    view = compare_view(ds)
    view = CompareView(tuple(sorted(view.proposals, key=order.index)), view.whatif_mi)
    wanted = compare_params(view, st.session_state[DAY], st.session_state[BASEMAP])
    wanted["layers"] = ",".join(st.session_state[LAYERS])  # the map's, kept in the link
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


WHATIF_RANGE = (WHATIF_MIN_MI, WHATIF_MAX_MI)


# ---- print graphics (ui/publish.py), one set a page -------------------------------
def print_keys(page: str) -> tuple[str, str, str]:
    """The session keys of a page's print popover: its format, its frame, and the
    graphic last made ((what it shows, bytes))."""
    return f"{page}_print_format", f"{page}_print_frame", f"{page}_print_made"


# ---- story page -------------------------------------------------------------------
STORY_STEP = "story_step"  # the index of the step shown
STORY_WARNINGS = "story_warnings"


def init_story(ds: Dataset) -> None:
    """The step from the URL (?step=<id>), the first time the page opens."""
    from lib.story import parse_step

    if STORY_STEP in st.session_state:
        st.session_state[STORY_WARNINGS] = []
        return
    index, warnings = parse_step(ds, st.query_params.get("step"))
    st.session_state[STORY_STEP] = index
    st.session_state[STORY_WARNINGS] = warnings


def move_story(ds: Dataset, delta: int) -> None:
    st.session_state[STORY_STEP] = max(
        0, min(len(ds.story) - 1, st.session_state[STORY_STEP] + delta)
    )


def sync_story_url(ds: Dataset) -> None:
    # the basemap too: a reload or a shared link with `offline` asks for no online tiles
    wanted = {
        "step": ds.story[st.session_state[STORY_STEP]].id,
        "basemap": st.session_state[BASEMAP],
    }
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def follow_step(ds: Dataset) -> None:
    """The step shown is what the reader sees: its day, layers and proposals become the
    reader's, so the Map and Compare pages open on them."""
    step = ds.story[st.session_state[STORY_STEP]]
    st.session_state[DAY] = step.map_date
    st.session_state[LAYERS] = list(step.layers)
    st.session_state[PROPOSALS] = list(step.proposals)


def open_step_on_map(ds: Dataset) -> None:
    """The map page on the step's day, with its layers and proposals."""
    follow_step(ds)
    st.session_state[PLAYING] = False
