"""The benchmark's tab counts the bytes it receives only once asked: a timed page load
must not carry Playwright's per-request traffic (bench/__main__.py, Tab)."""

from __future__ import annotations

from bench.__main__ import Tab
from lib.data import read_period


def test_a_tab_counts_bytes_only_once_asked(server, browser):
    day = read_period().start
    tab = Tab(browser, server.url, "dashboard")
    try:
        tab.load(day)
        assert (tab.http_bytes, tab.ws_bytes) == (0, 0)

        tab.count_bytes()
        tab.count_bytes()  # asked twice: still counted once
        tab.load(day)
        first_http, first_ws = tab.http_bytes, tab.ws_bytes
        assert first_http > 0 and first_ws > 0

        tab.reopen()  # a new tab goes on counting
        tab.load(day)
        again_ws = tab.ws_bytes - first_ws
        # the same page and day: about the same bytes, not twice as many
        assert 0.5 * first_ws < again_ws < 1.5 * first_ws
    finally:
        tab.close()
