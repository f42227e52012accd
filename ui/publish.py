"""The print popover of the Map and Compare pages: a publication graphic (PNG or SVG,
lib/graphic.py) of what the page shows, made on request and then downloaded."""

from __future__ import annotations

from datetime import date

import streamlit as st

from lib.frame import Frame
from lib.layers import by_key
from ui import data, state

MIME = {"PNG": "image/png", "SVG": "image/svg+xml"}


def print_popover(ds, page: str, day: date, keys, frames: dict[str, Frame | None]) -> None:
    """A popover to make and download the graphic of `day` with `keys`, framed by one
    of `frames` (a label each; None: all of Syria)."""
    fmt_key, frame_key, made_key = state.print_keys(page)
    keys = tuple(k for k in keys if k in by_key(ds))
    box = st.container(key=f"{page}_print")
    with box.popover("Print graphic", icon=":material/image:", width="stretch"):
        if not keys:
            st.caption("Show at least one layer to print it.")
            return
        st.caption("Title, date, legend, scale bar, credits and sources: ready for an article.")
        fmt = st.segmented_control("Format", list(MIME), key=fmt_key, default="PNG", required=True)
        # a new choice (the map's view, once known) is offered first: a key of its own
        frame_name = st.radio("Frame", list(frames), key=f"{frame_key}:{len(frames)}")
        frame = frames.get(frame_name)
        if frame:
            st.caption(
                f"{frame.south:.2f}° to {frame.north:.2f}° N, "
                f"{frame.west:.2f}° to {frame.east:.2f}° E"
            )
        wanted = (day, keys, fmt, frame)
        if st.button("Make the graphic", key=f"{page}_print_make", width="stretch"):
            with st.spinner("Drawing the graphic..."):
                st.session_state[made_key] = (wanted, data.graphic(*wanted, ds))
        _download_made(
            made_key,
            wanted,
            fmt,
            f"syria-{day.isoformat()}.{fmt.lower()}",
            MIME[fmt],
            "The view, the day or the layers changed: make it again.",
        )


def map_frames(view) -> dict[str, Frame | None]:
    """The Map page's frames: the map's view (when the reader moved it or a link set
    it) and all of Syria."""
    frames: dict[str, Frame | None] = {}
    if view:
        frames["The map's view"] = Frame.of_view(*view)
    frames["All of Syria"] = None
    return frames


VIDEO_MIME = {"MP4": "video/mp4", "GIF": "image/gif"}


def video_popover(ds, keys) -> None:
    """The offensive as a video or GIF (lib/animate.py), for social media: every day
    with the layers shown, drawn on request with a bar that follows the days drawn."""
    fmt_key, shape_key, made_key = "video_format", "video_shape", "video_made"
    keys = tuple(k for k in keys if k in by_key(ds))
    with st.container(key="video").popover("Video", icon=":material/movie:", width="stretch"):
        if not keys:
            st.caption("Show at least one layer to make the video.")
            return
        st.caption(
            "Every day from the baseline to the last, about a second each, with the title, "
            "date, legend and shares, scale and credits: for social media."
        )
        fmt = st.segmented_control(
            "Format", list(VIDEO_MIME), key=fmt_key, default="MP4", required=True
        )
        shape = st.segmented_control(
            "Shape",
            ["square", "wide"],
            format_func={"square": "Square (1080 x 1080)", "wide": "Wide (16:9)"}.get,
            key=shape_key,
            default="square",
            required=True,
        )
        wanted = (keys, fmt, shape)
        if st.button("Make the video", key="video_make", width="stretch"):
            bar = st.progress(0.0, text="Drawing the days...")

            def progress(done: int, total: int) -> None:
                bar.progress(done / total, text=f"Drew day {done} of {total}")

            st.session_state[made_key] = (wanted, data.video(*wanted, progress, ds))
            bar.empty()
        _download_made(
            made_key,
            wanted,
            fmt,
            f"fall-of-aleppo-{shape}.{fmt.lower()}",
            VIDEO_MIME[fmt],
            "The layers or the choices changed: make it again.",
        )


def _download_made(made_key: str, wanted, fmt: str, file_name: str, mime: str, stale: str):
    """The download of what was made for `wanted`; or, when the choices have changed
    since it was made, `stale`: a made file never goes out for other choices."""
    made = st.session_state.get(made_key)
    if made and made[0] == wanted:
        st.download_button(
            f"Download the {fmt}",
            data=made[1],
            file_name=file_name,
            mime=mime,
            on_click="ignore",
            icon=":material/download:",
            width="stretch",
        )
    elif made:
        st.caption(stale)
