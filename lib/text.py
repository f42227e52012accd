"""Text from a URL, an upload or a data file, made inert for Streamlit's markdown.

Streamlit renders markdown in st.markdown, st.caption, st.warning, st.error and
st.info: a value like `![x](http://host/x.png)` would fetch an image, `[a](http://x)`
would make a link, and a bare `http://x` or `www.x` becomes a link too (GitHub
markdown's autolinks). So lib/ writes its messages as plain text, quoting the values
they echo (`quoted`), and the pages pass every message through `md_escape`.
"""

from __future__ import annotations

import re

# Markdown punctuation, and ":" and "." that start Streamlit's colour directives and
# end autolinks: each is shown as itself once backslash-escaped.
MARKDOWN_PUNCTUATION = frozenset("\\`*_{}[]()#+-.!|<>~=$:@&\"'%;/")
SHOWN_LEN = 40  # how much of a value a message echoes


def _cut(text: str, limit: int | None) -> str:
    text = " ".join(str(text).split())  # no line breaks: no lists, quotes or headings
    if limit is not None and len(text) > limit:
        text = text[:limit] + "…"
    return text


# GitHub markdown turns a bare http://, www. or e-mail address into a link, escapes or
# not; an invisible word joiner before it stops that (it must follow a space or the
# start of the text to be a link).
AUTOLINK_START = re.compile(r"(?i)(https?:|ftp:|mailto:|xmpp:|www\.|@)")
WORD_JOINER = "\u2060"


def md_escape(value, limit: int | None = None) -> str:
    """`value` as text markdown shows literally (cut to `limit` characters)."""
    text = AUTOLINK_START.sub(lambda m: WORD_JOINER + m.group(1), _cut(value, limit))
    return "".join(f"\\{c}" if c in MARKDOWN_PUNCTUATION else c for c in text)


def quoted(value, limit: int = SHOWN_LEN) -> str:
    """A user-given value quoted in a plain-text message: on one line, cut, in quotes.
    Messages stay plain text; whatever shows them as markdown escapes them whole."""
    return f"“{_cut(value, limit)}”"
