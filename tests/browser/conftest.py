"""A real Streamlit server on loopback and Debian's Chromium driven by Playwright.

Every request that is not to 127.0.0.1 is blocked and recorded, so the tests prove
the app works offline. Waits are for conditions (health endpoint, idle app, map
state), never fixed sleeps.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from tests.support.harness import (
    CHROMIUM,
    IDLE,
    MAP_FRAME,
    ROOT,
    WHOLE_PAGE_JS,
    RunCounter,
    StreamlitServer,
    block_outside,
    launch_chromium,
)

ARTIFACTS = ROOT / "artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)


def Server(env_extra: dict | None = None, port: int | None = None) -> StreamlitServer:  # noqa: N802
    return StreamlitServer("app.py", env_extra, ARTIFACTS, port=port)


@pytest.fixture(scope="session")
def chromium_path():
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium to run browser tests")
    pytest.importorskip("playwright")
    return CHROMIUM


@pytest.fixture(scope="session")
def server(chromium_path):
    ARTIFACTS.mkdir(exist_ok=True)
    srv = Server()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = launch_chromium(pw)
        yield b
        b.close()


class App:
    """One browser tab on the app, with the blocked requests it tried."""

    def __init__(self, browser, base_url: str, viewport: dict | None = None):
        self.base_url = base_url
        self.context = browser.new_context(viewport=viewport or {"width": 1500, "height": 1300})
        self.page = self.context.new_page()
        self.runs = RunCounter(self.page)
        self.blocked: list[str] = []
        self.dialogs: list[str] = []
        block_outside(self.page, self.blocked)
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, query: str = "") -> App:
        self.page.goto(f"{self.base_url}/{query}")
        self.page.wait_for_selector(IDLE, timeout=90_000)
        self.page.frame_locator(MAP_FRAME).locator(".leaflet-container").wait_for(timeout=60_000)
        self.frame.wait_for_function(
            "() => window.map && window.feature_group && window.feature_group.length > 0"
            " && (!window.__atlas || (window.__atlas.data && window.__atlas.keys !== null))",
            timeout=60_000,
        )
        self.wait_for_whole_page()
        return self

    def wait_for_whole_page(self) -> None:
        """Until the map page's second run, which its map asks for once drawn, has drawn
        the rest of the page (ui/state.map_first), and the app is idle again. Call it once
        the first run has drawn something: a page with no map yet counts as whole."""
        self.page.wait_for_function(WHOLE_PAGE_JS, timeout=60_000)
        self.page.wait_for_selector(IDLE, timeout=60_000)

    @property
    def frame(self):
        handle = self.page.wait_for_selector(MAP_FRAME, timeout=60_000)
        return handle.content_frame()

    # Every map's window. The maps' iframes are same-origin: reached from the page, this
    # stays valid even when a map's frame is re-rendered.
    MAPS_JS = f"Array.from(document.querySelectorAll('{MAP_FRAME}')).map(f => f.contentWindow)"

    def side_by_side(self, ready_js: str) -> str:
        """Switch the compare page to two maps and wait until both windows `x` satisfy
        `ready_js`; returns MAPS_JS, the expression for both windows."""
        self.page.get_by_text("Side by side", exact=True).click()
        self.page.wait_for_function(
            f"() => {{ const w = {self.MAPS_JS}; return w.length === 2"
            f" && w.every(x => {ready_js}); }}",
            timeout=60_000,
        )
        return self.MAPS_JS

    def map_frames(self) -> list:
        """Every map on the page (the side-by-side view has two)."""
        return [h.content_frame() for h in self.page.query_selector_all(MAP_FRAME)]

    def table_column(self, index: int = 0, table: int = 0) -> list[str]:
        """The first column's cells of a st.dataframe (its accessible table)."""
        grid = self.page.locator('[data-testid="stDataFrame"]').nth(table)
        grid.scroll_into_view_if_needed()
        grid.locator("tbody tr td").first.wait_for(state="attached", timeout=30_000)
        return grid.locator("tbody tr").evaluate_all(
            f"rows => rows.map(r => r.querySelectorAll('td')[{index}]?.innerText || '')"
        )

    def wait_for_table_rows(self, labels: list[str], table: int = 0) -> None:
        """Wait until a st.dataframe's first column holds every label."""
        self.page.wait_for_function(
            """([labels, n]) => {
                const grid = document.querySelectorAll('[data-testid="stDataFrame"]')[n];
                if (!grid) return false;
                const cells = Array.from(grid.querySelectorAll('tbody tr'))
                    .map(r => r.querySelector('td')?.innerText);
                return labels.every(l => cells.includes(l));
            }""",
            arg=[labels, table],
            timeout=30_000,
        )

    # The groups on the map now: the map page's atlas groups (lib/map_layers.py) and
    # st_folium's feature groups (the compare page).
    SHOWN_GROUPS_JS = """() => {
        const groups = Object.values(window.__atlas?.groups || {})
            .concat(window.feature_group || []);
        return groups.filter(g => g._layerKey && window.map.hasLayer(g));
    }"""

    def layers(self) -> dict[str, int]:
        """Layer key -> number of drawn features, for the groups on the map now."""
        return self.frame.evaluate(
            f"""() => {{
                const count = (layer) => {{
                    if (!layer.eachLayer) return 1;
                    let n = 0;
                    layer.eachLayer(l => {{ n += count(l); }});
                    return n;
                }};
                const out = {{}};
                for (const g of ({self.SHOWN_GROUPS_JS})()) out[g._layerKey] = count(g);
                return out;
            }}"""
        )

    def wait_for_layers(self, predicate_js: str, timeout: float = 60_000) -> None:
        """Wait until `keys` (the layer keys on the map) satisfy a JS expression."""
        self.frame.wait_for_function(
            f"() => {{ const keys = ({self.SHOWN_GROUPS_JS})().map(g => g._layerKey);"
            f" return {predicate_js}; }}",
            timeout=timeout,
        )

    def slider_text(self) -> str:
        return self.page.locator('[data-testid="stSliderThumbValue"]').first.inner_text()

    def wait_for_slider(self, text: str, timeout: float = 60_000) -> None:
        # no slider yet is "not yet", not an error: the Map page's first run after a page
        # change draws the map alone, and its slider comes with the next run (CI saw the
        # predicate throw on null there, which ends the wait at once)
        self.page.wait_for_function(
            "(t) => document.querySelector('[data-testid=\"stSliderThumbValue\"]')"
            "?.innerText === t",
            arg=text,
            timeout=timeout,
        )

    def page_point(self, lat: float, lon: float) -> tuple[float, float]:
        """Page coordinates of a place on the map."""
        box = self.page.locator(MAP_FRAME).bounding_box()
        x, y = self.frame.evaluate(
            """([lat, lon]) => {
                const p = window.map.latLngToContainerPoint([lat, lon]);
                const r = window.map.getContainer().getBoundingClientRect();
                return [p.x + r.left, p.y + r.top];
            }""",
            [lat, lon],
        )
        return box["x"] + x, box["y"] + y

    def hover_latlng(self, lat: float, lon: float) -> None:
        x, y = self.page_point(lat, lon)
        self.page.mouse.move(x + 40, y + 40)
        self.page.mouse.move(x, y, steps=4)

    def click_latlng(self, lat: float, lon: float) -> None:
        self.page.mouse.click(*self.page_point(lat, lon))

    def popup_text(self, timeout: int = 10_000) -> str:
        """The open popup's text, once its words are there: they come in the atlas's
        popups file, after the map's first day (lib/map_layers.split_popups)."""
        self.frame.wait_for_function(
            "() => { const p = document.querySelector('.leaflet-popup-content');"
            " return p && !p.innerText.startsWith('Loading the details'); }",
            timeout=timeout,
        )
        return self.frame.locator(".leaflet-popup-content").inner_text()

    def tooltip_text(self) -> str:
        tips = self.frame.locator(".leaflet-tooltip:not(.place-label):not(.country-label)")
        return " | ".join(tips.all_inner_texts())

    def hold(self, pattern: str) -> list:
        """Hold back the requests matching `pattern`: they get no answer until
        `release_held` is called with the list returned."""
        held: list = []
        self.page.route(pattern, lambda route: held.append(route))
        return held

    def wait_for_held(self, held: list, what: str) -> None:
        """Until `hold` has kept back a request (Playwright hands one over in its own
        time)."""
        deadline = time.monotonic() + 30
        while not held and time.monotonic() < deadline:
            self.page.wait_for_timeout(50)
        assert held, f"the page never asked for {what}"

    def release_held(self, held: list, what: str) -> None:
        """Answer the requests `hold` kept back, once there is one."""
        self.wait_for_held(held, what)
        for route in held:
            route.continue_()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def app(browser, server):
    a = App(browser, server.url)
    yield a
    a.close()


@pytest.fixture(scope="session")
def hostile_server(chromium_path, tmp_path_factory):
    """A server on a copy of geodata/ where names carry HTML and script."""
    import json

    from lib.data.records import GEODATA_DIR, GEODATA_ENV

    root = tmp_path_factory.mktemp("hostile") / "geodata"
    shutil.copytree(GEODATA_DIR, root)
    hostile = '<img src=x onerror="alert(1)">'
    places = json.loads((root / "places.geojson").read_text(encoding="utf-8"))
    for f in places["features"]:
        if f["properties"]["id"] == "aleppo":
            f["properties"]["name"] = "Aleppo " + hostile
    (root / "places.geojson").write_text(json.dumps(places), encoding="utf-8")
    factions = json.loads((root / "factions.json").read_text(encoding="utf-8"))
    for f in factions["factions"]:
        if f["id"] == "hts":
            f["short"] = "HTS <script>alert(2)</script>"
    (root / "factions.json").write_text(json.dumps(factions), encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    srv = Server({GEODATA_ENV: str(root)})
    yield srv
    srv.stop()


# Where the planted markdown's images and links point: nothing listens there, and a
# request to it is still seen by the page's request log (tests/support/hostile_data).
PLANTED_HOST = "http://127.0.0.1:9"


@pytest.fixture(scope="session")
def hostile_text_server(chromium_path, tmp_path_factory):
    """A server on a copy of geodata/ with markdown, HTML and long text planted in every
    free-text field of every file."""
    from lib.data.records import GEODATA_DIR, GEODATA_ENV
    from tests.support.hostile_data import hostile_copy

    root = hostile_copy(
        GEODATA_DIR, tmp_path_factory.mktemp("hostile-text") / "geodata", PLANTED_HOST
    )
    ARTIFACTS.mkdir(exist_ok=True)
    srv = Server({GEODATA_ENV: str(root)})
    yield srv
    srv.stop()
