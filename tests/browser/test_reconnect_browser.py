"""A page left open while its server restarts (a deploy), or away longer than the
server keeps a session (Streamlit's server.disconnectedSessionTTL, 120 s): the page
reconnects to a new session on the server, which has none of the page's fragments.
It must ask for a run at once (ui/page.rerun_on_reconnect), or Streamlit drops every
press inside a fragment from then on."""

from contextlib import contextmanager

from tests.browser.conftest import App, Server
from tests.browser.test_compare_browser import AZAZ


@contextmanager
def restarted(browser, query: str):
    """A tab opened on `query`, then its server restarted on the same port; yields once
    the page has reconnected and the run it asked for is over."""
    first = Server()
    second = None
    app = App(browser, first.url)
    try:
        app.open(query)
        mark = app.runs.mark
        first.stop()
        second = Server(port=first.port)
        app.runs.wait_for_run_since(mark)  # before any press of ours
        yield app
        assert not app.blocked
    finally:
        app.close()
        (second or first).stop()


def test_after_a_server_restart_the_map_page_still_follows_the_slider(browser):
    with restarted(browser, "?date=2024-12-04&basemap=offline") as app:
        app.wait_for_whole_page()  # its map first, then the rest, as on a page opened
        thumb = app.page.get_by_role("slider").first
        thumb.focus()
        thumb.press("ArrowRight")  # a run of the map's fragment
        app.page.wait_for_function(
            "() => location.search.includes('date=2024-12-05')"
            " && (document.querySelector('.st-key-day_panel')?.innerText || '')"
            ".startsWith('5 Dec 2024')",
            timeout=30_000,
        )
        assert app.slider_text() == "5 Dec 2024"


def test_after_a_server_restart_the_compare_map_still_answers_a_click(browser):
    with restarted(browser, "Compare?date=2024-12-01&basemap=offline") as app:
        app.click_latlng(*AZAZ)  # a run of the overlay map's fragment
        app.page.get_by_text("from the Turkish border").wait_for(timeout=30_000)
