"""`streamlit run app.py` (the README's command) prepares the data and the map's atlas
before the server answers its first request, and lets browsers keep the atlas."""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from lib.atlas_files import atlas_source_key
from lib.offline_assets import STATIC_DIR
from tests.support.harness import ROOT, StreamlitServer
from ui.http_cache import IMMUTABLE

pytest.importorskip("streamlit")
pytestmark = pytest.mark.slow  # runs the app, a server or a rebuild


def test_the_server_answers_only_once_the_atlas_is_written(geodata_copy):
    # data of its own (one more line in a file): an atlas no earlier run has written
    sources = geodata_copy / "sources.json"
    sources.write_text(sources.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    atlas = STATIC_DIR / "atlas" / f"atlas-{atlas_source_key(geodata_copy)}.json"
    atlas.unlink(missing_ok=True)
    server = StreamlitServer(
        "app.py", {"ALEPPO_GEODATA": str(geodata_copy)}, log_dir=ROOT / "artifacts"
    )
    try:
        assert atlas.is_file()  # healthy: the warm-up has finished
        # app.py's middleware: browsers keep the atlas (ui/http_cache.py)
        with urllib.request.urlopen(f"{server.url}/app/static/atlas/{atlas.name}") as r:
            assert r.headers["Cache-Control"] == IMMUTABLE
        with urllib.request.urlopen(server.url) as r:
            assert "immutable" not in (r.headers["Cache-Control"] or "")
    finally:
        server.stop()
        atlas.unlink(missing_ok=True)


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, b""


def test_a_damaged_atlas_is_never_served_across_a_restart_or_while_running(geodata_copy):
    """A content-named file cut in half used to be served for ever, restarts included:
    a reader's map said "Map data failed to load" until someone deleted it by hand."""
    import json
    import time

    from lib.atlas_files import popups_path

    sources = geodata_copy / "sources.json"
    sources.write_text(sources.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    atlas = STATIC_DIR / "atlas" / f"atlas-{atlas_source_key(geodata_copy)}.json"
    env = {"ALEPPO_GEODATA": str(geodata_copy)}
    server = StreamlitServer("app.py", env, log_dir=ROOT / "artifacts")
    server.stop()
    for path in (atlas, popups_path(atlas)):  # damaged while no server ran
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    server = StreamlitServer("app.py", env, log_dir=ROOT / "artifacts")
    try:
        for path in (atlas, popups_path(atlas)):  # the restart wrote them again
            status, body = _get(f"{server.url}/app/static/atlas/{path.name}")
            assert status == 200 and json.loads(body)
        popups = popups_path(atlas)
        popups.write_bytes(popups.read_bytes()[:1000])  # damaged while it runs
        status, _ = _get(f"{server.url}/app/static/atlas/{popups.name}")
        assert status == 404  # never the damaged file; the map's loader waits on a 404
        deadline = time.monotonic() + 120
        while (status := _get(f"{server.url}/app/static/atlas/{popups.name}")[0]) != 200:
            assert time.monotonic() < deadline, "the atlas was not written again"
            time.sleep(0.2)
        assert json.loads(_get(f"{server.url}/app/static/atlas/{popups.name}")[1])
    finally:
        server.stop()
        for path in atlas.parent.glob(atlas.stem + ".*"):
            path.unlink(missing_ok=True)


def _python(code: str) -> str:
    """What `code` prints, run in a fresh interpreter in the project (nothing this
    test process imported is there)."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout


FROZEN_AFTER_WARM_UP = """
import asyncio, gc
import app
from ui.data import _load, geodata_signature


async def main():
    async with app.prepared(None):
        ds = _load(geodata_signature())  # what the warm-up loaded, from its cache
        walked = {id(o) for o in gc.get_objects()}  # what a full collection walks
        print(gc.get_freeze_count(), len(walked), id(ds) in walked, id(ds.places) in walked)

asyncio.run(main())
"""


def test_what_the_warm_up_loaded_is_left_out_of_every_runs_garbage_collection():
    # Streamlit runs a full collection after every script run: it must not walk the
    # data and the modules the server holds for its whole life (app.py)
    out = _python(FROZEN_AFTER_WARM_UP).split("\n")[-2]
    frozen, walked, dataset_walked, places_walked = out.split()
    assert (dataset_walked, places_walked) == ("False", "False")
    assert int(walked) < int(frozen) / 10


FIRST_RUN_AFTER_WARM_UP = """
import sys
from streamlit.testing.v1 import AppTest
from ui.data import warm_up

warm_up()
before = set(sys.modules)
at = AppTest.from_file("dashboard.py", default_timeout=120)
at.run()
at.run()  # the run the map asks for once drawn, which draws the whole page
assert not at.exception, at.exception
print(sorted(m for m in set(sys.modules) - before if "." not in m))
"""


def test_the_first_map_page_after_a_start_imports_no_print_library():
    # matplotlib (the print graphics, lib/graphic.py) took 0.4-0.7 s of the first page
    # after a start; the map page names a graphic's frame (lib/frame.py) without it
    out = _python(FIRST_RUN_AFTER_WARM_UP)
    imported = out.strip().splitlines()[-1]
    assert "matplotlib" not in imported and "streamlit_folium" in imported, imported
