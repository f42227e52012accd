"""A page left open while its server restarts (a deploy), or away longer than the
server keeps a session (Streamlit's server.disconnectedSessionTTL, 120 s): the page
reconnects to a new session on the server, which has none of the page's fragments."""

from tests.browser.conftest import App, Server


def test_after_a_server_restart_the_page_still_follows_the_slider(browser):
    first = Server()
    second = None
    app = App(browser, first.url)
    try:
        app.open("?date=2024-12-04&basemap=offline")
        mark = app.runs.mark
        first.stop()
        second = Server(port=first.port)
        # the page asks for a run of its own once reconnected, before any press: the new
        # session then has the map's fragment, so a press on the slider is not dropped
        app.runs.wait_for_run_since(mark)
        app.wait_for_whole_page()
        thumb = app.page.get_by_role("slider").first
        thumb.focus()
        thumb.press("ArrowRight")
        app.page.wait_for_function(
            "() => location.search.includes('date=2024-12-05')"
            " && document.querySelector('.st-key-day_panel').innerText.startsWith('5 Dec 2024')",
            timeout=30_000,
        )
        assert app.slider_text() == "5 Dec 2024"
        assert not app.blocked
    finally:
        app.close()
        (second or first).stop()
