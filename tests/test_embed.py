"""The standalone embed (lib/embed.py): complete, small, deterministic, inert text.
Drawn in a real browser from file:// in tests/browser/test_embed_browser.py."""

import io
import json
import re
import zipfile
from html import unescape

from lib import embed
from lib.data import load_dataset
from tests.conftest import read_json, write_json
from tests.test_cli import run

HOSTILE = '<img src=x onerror="alert(1)">'


def config(index: str) -> dict:
    raw = re.search(r'data-config="([^"]*)"', index).group(1)
    return json.loads(unescape(raw))


def test_the_folder_holds_the_page_its_data_leaflet_and_its_licence(mini):
    files = embed.files(mini)
    assert {"index.html", "atlas.js", "map.js", "map.css"} <= set(files)
    assert {"leaflet/leaflet.js", "leaflet/leaflet.css", "leaflet/LICENSE.txt"} <= set(files)
    assert b"BSD 2-Clause" in files["leaflet/LICENSE.txt"]
    atlas = json.loads(files["atlas.js"].decode().removeprefix("window.ATLAS = ").rstrip(";\n"))
    assert atlas["days"] == [d.isoformat() for d in mini.period.days()]
    index = files["index.html"].decode()
    cfg = config(index)
    assert cfg["days"] == atlas["days"] and cfg["defaults"] == [
        "control",
        "sites",
        "events",
        "captured",
    ]
    assert [k for k, _title, proposal in cfg["layers"] if proposal] == [
        "buffer_3",
        "buffer_10",
        "buffer_22",
    ]
    for source in mini.sources.values():  # every source, with its address
        assert source.url in index
    # no script or style from outside: only the folder's own files
    assert not re.search(
        r'(src|href)="(https?:)?//', index.replace('href="https://example.org', "")
    )
    # one copy of each map script, the app's own
    for name in embed.SCRIPTS.values():
        assert files["map.js"].decode().count(embed.asset(name).strip()) == 1


def test_the_bundled_embed_is_under_3_mb_and_the_same_every_time(ds):
    first = embed.files(ds)
    assert sum(len(b) for b in first.values()) <= embed.MAX_BYTES
    assert embed.files(ds) == first
    assert embed.embed_zip(ds) == embed.embed_zip(ds)  # fixed dates: the same zip
    names = zipfile.ZipFile(io.BytesIO(embed.embed_zip(ds))).namelist()
    assert "aleppo-map/index.html" in names and "aleppo-map/leaflet/LICENSE.txt" in names


def test_names_from_the_data_stay_text(mini_copy):
    doc = read_json(mini_copy / "sources.json")
    doc["sources"][0]["title"] = HOSTILE
    write_json(mini_copy / "sources.json", doc)
    doc = read_json(mini_copy / "proposals.json")
    doc["proposals"][0]["label"] = HOSTILE
    write_json(mini_copy / "proposals.json", doc)
    index = embed.index_html(load_dataset(mini_copy))
    assert "<img" not in index and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in index
    layers = {key: title for key, title, _ in config(index)["layers"]}  # JSON, escaped
    assert layers["buffer_3"] == HOSTILE  # escaped there, and read back as the text


def test_the_command_line_writes_the_folder(tmp_path):
    res = run("embed", "--out", str(tmp_path / "site"), "--data", "tests/fixtures/mini")
    assert res.returncode == 0, res.stderr
    # the message on stderr: stdout is for data
    assert (tmp_path / "site" / "index.html").is_file() and "MB" in res.stderr
    assert res.stdout == ""
    assert (tmp_path / "site" / "leaflet" / "leaflet.js").is_file()
    code = (tmp_path / "site" / "embed-code.html").read_text(encoding="utf-8")
    assert 'src="site/index.html?childId=aleppo-map"' in code


def test_the_embed_code_frames_the_map_with_its_description_and_no_outside_request(mini):
    from lib.embed import default_description, embed_code

    code = embed_code(mini, '<b>Alt</b> "text"')
    assert 'aria-describedby="aleppo-map-description"' in code
    assert "&lt;b&gt;Alt&lt;/b&gt; &quot;text&quot;" in code  # the description is text
    assert "xPYMx" in code and "http" not in code  # nothing from outside
    assert not re.search(r"<script[^>]+src=", code)
    assert default_description(mini).startswith("Map of Syria. 27 Nov 2024.")
