"""The compare page's state that is not a widget: the user's layer, read once per
upload and kept in the session only."""

from __future__ import annotations

import streamlit as st

from lib.data import Dataset
from lib.text import md_escape, quoted
from lib.upload import UploadError, UserLayer, read_user_layer
from ui import state


def user_layer(upload, ds: Dataset) -> UserLayer | None:
    """The uploaded layer (read once per file), with its problem or notes shown.
    Kept in this session's state only: st.cache_data would share it beyond it."""
    if upload is None:
        return None
    cached = st.session_state.get(state.CMP_UPLOAD_READ)
    if not cached or cached[0] != upload.file_id:
        try:
            # a few seconds at most: a costly shape is refused (lib/bounded_repair)
            with st.spinner("Reading and checking your layer..."):
                layer = read_user_layer(upload.getvalue(), upload.name, ds)
            cached = (upload.file_id, layer, None)
        except UploadError as exc:
            cached = (upload.file_id, None, str(exc))
        st.session_state[state.CMP_UPLOAD_READ] = cached
    _, layer, problem = cached
    if problem:
        st.error(md_escape(f"{quoted(upload.name)} cannot be used: {problem}.", 600), icon="🚫")
    else:
        for note in layer.notes:
            st.info(md_escape(f"{quoted(upload.name)}: {note}", 600))
    return layer
