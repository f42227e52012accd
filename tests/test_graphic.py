"""Publication graphics (lib/graphic.py): print-sized, deterministic, with their text."""

import struct
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from lib import graphic
from lib.data import load_dataset
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
    # the proposals named in the title, and keyed with the ground held inside each
    assert "Syria on 29 Nov 2024: the 22-mile buffer zone, and who held what" in text
    assert "HTS: 50.0% of Syria" in text and "SDF: 25.2% of Syria" in text  # the holders
    assert "22 miles: a demand" in text and "Town taken (colour: by whom)" in text
    assert " km" in text  # the scale bar
    assert "OpenStreetMap" in text and "Sources: Test Gazette" in text


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


def test_a_zones_legend_says_the_ground_held_inside_it(mini):
    from lib.figures import zone_figures

    text = svg_text(graphic.render(mini, DAY, ["control", "buffer_22"], "svg"))
    figs = zone_figures(mini, 22, DAY)
    assert f"22 miles: a demand: {figs['area_km2']:,.0f} km²" in text
    first = max(figs["faction_area_km2"], key=figs["faction_area_km2"].get)
    assert f"{mini.factions[first].short} {figs['faction_area_km2'][first]:,.0f}" in text


def test_every_publisher_is_named_not_some_and_more(ds):
    from datetime import date as day_

    line = graphic.sources_line(ds, day_(2024, 12, 1), ["control", "sites", "events"])
    assert " more" not in line and line.count(";") > 20


def test_a_graphic_of_the_border_strip_is_framed_on_it(ds):
    """No third of empty Turkey: the map is as high as the strip asks, not a square."""
    from datetime import date as day_

    day = day_(2024, 12, 1)
    strip = graphic.Frame.around(ds, ["buffer_10", "buffer_22"], day)
    wide = png_size(graphic.render(ds, day, ["control", "buffer_10", "buffer_22"], "png", strip))
    full = png_size(graphic.render(ds, day, ["control", "buffer_10", "buffer_22"], "png"))
    assert wide[0] == full[0] and wide[1] < 0.85 * full[1]
