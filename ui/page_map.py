"""The protocol between a Streamlit page and its map's script (lib/assets/atlas_loader.js),
named in one place.

The map lives in st_folium's frame; the page around it is Streamlit's. The script reads
the page: the date slider's value (it follows the slider before the server's step
arrives), the slider's thumb text (Play moves it, day by day), the Pause button (a
press while Play runs hands the day over as paused), the day panel (kept on the map's
day), and the buttons whose press first gives the server the map's view. It finds them
by the class Streamlit gives a keyed element's box (`st-key-<key>`) and by the test id
of the slider's thumb text: Streamlit's DOM, which may change with a release; the
browser tests (tests/browser/test_map_browser.py) fail if it does.

Play hands its day back to the server through the address: `date` (the day), `played`
(a mark new at each hand-over) and `paused` (a press on Pause); ui/state.follow_url_day
reads them.
"""

from __future__ import annotations

KEY_CLASS = "st-key-"  # Streamlit's class on the box of an element made with key=...
SLIDER_VALUE = '[data-testid="stSliderThumbValue"] p'  # the text on a slider's thumb
DATE, PLAYED, PAUSED = "date", "played", "paused"  # the address's part in Play's hand-over

# The keys of the page's elements the script reads
DAY_SLIDER = "day_slider"  # the Map page's date slider (ui/state.MAP_DAY_SLIDER)
PAUSE = "pause"  # the Pause button (Play's, while it runs)
DAY_PANEL = "day_panel"  # the container of the day as text (lib/day_panel.py)


def box(key: str) -> str:
    """The CSS selector of the box Streamlit draws for the element with `key`."""
    return f".{KEY_CLASS}{key}"


def print_button(page: str) -> str:
    """The print popover's button on `page`: its press gives the server the view first."""
    return f"{box(f'{page}_print')} button"


def protocol(
    slider: str | None = None,
    pause: str | None = None,
    panel: str | None = None,
    view_sync: str | None = None,
) -> dict:
    """What the map's script is told of the page: selectors of the elements it reads
    (None: the page has none), and the names it uses."""
    return {
        "slider": box(slider) if slider else None,
        "pause": box(pause) if pause else None,
        "panel": f"{box(panel)} .day-panel" if panel else None,
        "viewSync": view_sync,
        "keyClass": KEY_CLASS,
        "sliderValue": SLIDER_VALUE,
        "params": {"date": DATE, "played": PLAYED, "paused": PAUSED},
    }


def map_page(page: str = "map") -> dict:
    """The Map page's protocol: slider, Pause, day panel and the print button."""
    return protocol(DAY_SLIDER, PAUSE, DAY_PANEL, print_button(page))
