"""Helpers for the tests that run the app's pages with Streamlit's AppTest."""

from __future__ import annotations

import json
import re

from streamlit.testing.v1 import AppTest

from tests.support.harness import ROOT

APP = str(ROOT / "dashboard.py")


def first_run(params=None) -> AppTest:
    """The map page's first run in a session: the map alone (ui/state.map_first)."""
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def run(params=None) -> AppTest:
    """The map page as a reader gets it: its first run, then the run its map asks for
    once drawn, which draws the whole page (AppTest runs no map: the test asks)."""
    at = first_run(params)
    at.run()
    assert not at.exception, at.exception
    return at


def map_args(at) -> dict:
    """The arguments st_folium sent to the browser (AppTest cannot render the map)."""
    [component] = [e for e in walk(at) if type(e).__name__ == "UnknownElement"]
    return json.loads(component.proto.json_args)


def walk(at):
    stack = [at._tree]
    while stack:
        node = stack.pop()
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            stack.extend(children.values())
        yield node


def layer_keys(args) -> list[str]:
    """The layers a map shows: the map page's atlas step names them; the compare page
    tags each feature group."""
    step = re.search(r"window.__atlasShow\((\d+), (\[.*?\])\)", args["feature_group"])
    if step:
        return ["basemap", *json.loads(step.group(2))]
    return re.findall(r'_layerKey = "([a-z_0-9]+)"', args["feature_group"])


def shown_day(args) -> int:
    return int(re.search(r"window.__atlasShow\((\d+),", args["feature_group"]).group(1))
