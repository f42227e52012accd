"""Publication graphics (lib/graphic.py): print-sized, deterministic, with their text."""

import struct
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from lib import graphic
from lib.geodata import load_dataset
from tests.conftest import read_json, write_json
from tests.test_cli import run

KEYS = ["control", "sites", "captured", "events", "buffer_22"]
DAY = date(2024, 11, 29)  # a day of the made-up dataset


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])  # the IHDR chunk: width, height


def svg_text(data: bytes) -> str:
    root = ET.fromstring(data)  # parses, or the test fails
    return " ".join("".join(el.itertext()) for el in root.iter("{http://www.w3.org/2000/svg}text"))


def test_a_png_is_print_sized_and_the_same_every_time(mini):
    first = graphic.render(mini, DAY, KEYS, "png")
    width, height = png_size(first)
    assert width >= graphic.MIN_PNG_WIDTH_PX and height > 1000
    assert graphic.render(mini, DAY, KEYS, "png") == first  # deterministic
    assert graphic.render(mini, date(2024, 11, 26), KEYS, "png") != first  # another day


def test_an_svg_holds_title_date_legend_scale_and_sources(mini):
    data = graphic.render(mini, DAY, KEYS, "svg")
    assert graphic.render(mini, DAY, KEYS, "svg") == data
    text = svg_text(data)
    assert "Syria on 29 Nov 2024: who held what" in text
    assert "HTS: 50.0% of Syria" in text and "SDF: 25.2% of Syria" in text  # the holders
    assert "22 miles: a demand" in text and "Town taken (colour: by whom)" in text
    assert " km" in text  # the scale bar
    assert "Natural Earth" in text and "Sources: Test Gazette" in text


def test_the_legend_follows_the_layers(mini):
    text = svg_text(graphic.render(mini, DAY, ["buffer_10"], "svg"))
    assert "10 miles: an offer" in text and "of Syria" not in text and "Town taken" not in text


def test_names_from_the_data_stay_text(mini_copy):
    doc = read_json(mini_copy / "factions.json")
    doc["factions"][1]["short"] = '<b>$x$</b> & "co"'
    write_json(mini_copy / "factions.json", doc)
    text = svg_text(graphic.render(load_dataset(mini_copy), DAY, ["control"], "svg"))
    assert '<b>$x$</b> & "co": 50.0% of Syria' in text  # no markup, no mathtext


def test_a_view_frames_the_ground_it_names():
    frame = graphic.Frame.of_view(36.2, 37.16, 9)
    assert frame.west < 37.16 < frame.east and frame.south < 36.2 < frame.north
    assert 2.5 < frame.east - frame.west < 3.5  # zoom 9: 1100 px are 3 degrees
    assert graphic.Frame.of_view(36.2, 37.16, 10).east - 37.16 < 0.8  # zoom in: half


@pytest.mark.parametrize(
    "keys, day, message",
    [
        (["nope"], DAY, "unknown layer"),
        (["control"], date(2024, 12, 25), "outside the covered range"),
    ],
)
def test_bad_requests_are_named(mini, keys, day, message):
    with pytest.raises(ValueError, match=message):
        graphic.render(mini, day, keys, "png")


def test_the_command_line_writes_png_and_svg(tmp_path):
    png, svg = tmp_path / "map.png", tmp_path / "map.svg"
    res = run("figure", "--date", "2024-12-01", "--out", str(png))
    assert res.returncode == 0, res.stderr
    assert png_size(png.read_bytes())[0] >= graphic.MIN_PNG_WIDTH_PX
    res = run("figure", "--date", "2024-12-01", "--layers", "control,buffer_22", "--out", str(svg))
    assert res.returncode == 0, res.stderr
    text = svg_text(svg.read_bytes())
    assert "Syria on 1 Dec 2024" in text and "22 miles: Erdogan's demand" in text


@pytest.mark.parametrize(
    "args, message",
    [
        (["--out", "map.jpg"], "must end in .png or .svg"),
        (["--out", "map.png", "--layers", "control,nope"], "unknown layer(s) nope"),
        (["--out", "map.png", "--view", "1,2,3"], "argument --view: the latitude"),
        (["--out", "/no/such/dir/map.png"], "does not exist"),
    ],
)
def test_the_command_line_names_what_is_wrong(args, message):
    res = run("figure", "--date", "2024-12-01", *args)
    assert res.returncode == 2 and message in res.stderr and "Traceback" not in res.stderr
