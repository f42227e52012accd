"""Values shown through Streamlit's markdown stay text (the browser tests check the
page itself: tests/browser/test_hostile_browser.py)."""

import pytest

from lib.text import MARKDOWN_PUNCTUATION, md_escape, quoted

ATTACKS = [
    "![x](http://127.0.0.1:8629/md.png)",
    "**bold**[phish](http://evil.example)",
    "<img src=x onerror=alert(1)>",
    ":red[coloured] :material/home:",
    "http://evil.example www.evil.example a@evil.example",
    "# heading\n- list\n> quote",
    "`code` $x^2$ ~~strike~~ | table | \\",
]


def _unescaped_marks(shown: str) -> list[str]:
    """Punctuation marks not preceded by their escaping backslash."""
    out, i = [], 0
    while i < len(shown):
        if shown[i] == "\\":
            i += 2  # the escape and what it escapes
            continue
        if shown[i] in MARKDOWN_PUNCTUATION:
            out.append(shown[i])
        i += 1
    return out


@pytest.mark.parametrize("text", ATTACKS)
def test_markdown_in_a_value_is_escaped(text):
    shown = md_escape(text)
    assert _unescaped_marks(shown) == []
    assert "\n" not in shown  # no line starts a heading, a list or a quote


def test_escaping_keeps_the_text():
    text = "a[b](c) *d* e:f"
    assert md_escape(text) == r"a\[b\]\(c\) \*d\* e\:f"


@pytest.mark.parametrize("link", ["http://x.example", "HTTPS://x", "www.x.example", "a@x.example"])
def test_bare_addresses_cannot_become_links(link):
    """An autolink must start the text or follow a space: a word joiner is neither."""
    shown = md_escape(f"see {link}")
    start = shown.index("see ") + 4
    assert shown[start] == "\u2060" or "\u2060\\@" in shown


def test_values_are_cut_and_quoted():
    assert quoted("x" * 100) == "“" + "x" * 40 + "…”"
    assert quoted("a\nb") == "“a b”"
    assert len(md_escape("y" * 500, 40)) == 41
