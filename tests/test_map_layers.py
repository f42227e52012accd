"""Map layers: rendered to HTML and checked there, escaping included."""

import json
import re
from datetime import date

import pytest
import streamlit_folium

from lib import atlas_files
from lib import basemap as bm
from lib import folium_parts as fp
from lib import map_layers as ml
from lib.data import load_dataset
from lib.data.records import STORY_REGION
from lib.layers import captured, control, events, legend_html, proposals, sites
from lib.offline_assets import install_leaflet, leaflet_css_url, leaflet_js_url
from lib.sources import ARTICLE_ALONE
from tests.conftest import read_json, write_json
from ui import page_map

MINI_DAY = date(2024, 11, 29)  # a day of the made-up dataset (tests/fixtures)
DAY = date(2024, 12, 1)
HOSTILE = '<img src=x onerror="alert(1)">'


def render(groups) -> str:
    """The script st_folium sends: the base map, then each feature group."""
    fmap = ml.base_map()
    fmap.get_root().render()
    text = streamlit_folium._get_map_string(fmap)
    for i, group in enumerate(groups):
        text += streamlit_folium._get_feature_group_string(group, fmap, i)
    return text


def test_base_map_loads_only_local_assets():
    fmap = ml.base_map()
    fmap.get_root().render()
    header = streamlit_folium._get_header(fmap) + streamlit_folium._get_html(fmap)
    assert fmap.default_js == [("leaflet", leaflet_js_url())]
    assert fmap.default_css == [("leaflet_css", leaflet_css_url())]
    assert not re.search(r"(src|href)=.https?://", header)


def test_leaflet_is_installed_from_the_package(tmp_path):
    dst = install_leaflet(tmp_path)
    assert (dst / "leaflet.js").stat().st_size > 100_000
    assert b"Leaflet" in (dst / "leaflet.js").read_bytes()[:500]
    assert (dst / "leaflet.css").is_file() and (dst / "images" / "layers.png").is_file()


@pytest.mark.parametrize("key", ["control", "sites", "captured", "events"])
def test_each_layer_renders_with_tooltips(ds, key):
    geojson = {
        "control": control.display,
        "sites": sites.display,
        "captured": captured.display,
        "events": events.display,
    }[key](ds, DAY)
    assert geojson["features"]
    for f in geojson["features"]:
        info = f["properties"]["info"]
        # every popup cites its sources; one resting on the article alone says so
        cited = rf'(Sources?|{re.escape(ARTICLE_ALONE)}): <a href="https?://'
        assert f["properties"]["tip"] and re.search(cited, info)
    script = render([fp.feature_group(key, geojson)])
    assert f'._layerKey = "{key}"' in script
    assert "bindTooltip" in script and "bindPopup" in script


def test_captured_today_stand_out(ds):
    feats = captured.display(ds, DAY)["features"]
    today = [f for f in feats if f["properties"]["today"]]
    earlier = [f for f in feats if not f["properties"]["today"]]
    assert today and earlier
    assert all(f["properties"]["style"]["radius"] > 5 for f in today)
    assert "taken today" in today[0]["properties"]["tip"]


def test_approximate_positions_look_it(ds):
    shown = {f["properties"]["id"]: f for f in sites.display(ds, DAY)["features"]}
    assert shown["kuweires-air-base"]["properties"]["style"]["dashArray"]
    assert "Position approximate" in shown["kuweires-air-base"]["properties"]["tip"]
    assert shown["hmeimim-air-base"]["properties"]["style"]["dashArray"] is None


def test_buffer_layer_has_its_figures(ds):
    feat = proposals.display(ds, "buffer_22", DAY)["features"][0]
    assert "22 miles" in feat["properties"]["tip"] and "of Syria" in feat["properties"]["tip"]
    assert "Erdogan" in feat["properties"]["info"]


def test_basemap_has_countries_and_labels(ds):
    countries, labels = bm.basemap_geojson(ds)
    assert {f["properties"]["name"] for f in countries["features"]} >= {"Syria", "Turkey"}
    tips = {f["properties"]["tip"] for f in labels["features"]}
    assert {"Aleppo", "Turkey", "Tel Rifaat"} <= tips
    for mode in ("auto", "offline"):
        script = render([bm.basemap_group(ds, mode)])
        assert ("cartocdn" in script) == (mode == "auto")


def test_hostile_names_are_escaped_everywhere(mini_copy):
    """A place, site, event and faction named like an HTML tag reach the page as text."""

    def rename(name, change):
        doc = read_json(mini_copy / name)
        change(doc)
        write_json(mini_copy / name, doc)

    def place(doc):
        for f in doc["features"]:
            if f["properties"]["id"] == "alpha":
                f["properties"]["name"] = HOSTILE

    rename("places.geojson", place)
    rename("sites.geojson", lambda d: d["features"][0]["properties"].update(name=HOSTILE))
    rename(
        "events.geojson",
        lambda d: [f["properties"].update(title=HOSTILE, quote=HOSTILE) for f in d["features"]],
    )
    rename("factions.json", lambda d: d["factions"][2].update(name=HOSTILE, short=HOSTILE))
    ds = load_dataset(mini_copy)
    groups = [bm.basemap_group(ds, "offline")] + [
        fp.feature_group(k, f(ds, MINI_DAY))
        for k, f in [
            ("control", control.display),
            ("sites", sites.display),
            ("captured", captured.display),
            ("events", events.display),
        ]
    ]
    # what the browser's JavaScript sees once the JSON string literals are decoded
    script = render(groups)
    for code, char in (("\\u003c", "<"), ("\\u003e", ">"), ("\\u0026", "&"), ("\\u0027", "'")):
        script = script.replace(code, char)
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in script
    assert "<img" not in script


def test_text_from_the_data_is_never_read_as_a_template(ds):
    """Branca renders each element's text again as a Jinja template: a '{{' in a name
    (an uploaded layer's, a place's) failed the page, and '{{ ... }}' ran on the
    server. It must reach the browser as it is, in the feature groups st_folium sends
    and in the whole figure it renders on every run."""
    tricky = "{{ 7*191 }} {% if x %} {# x"
    import shapely

    from lib.layers.common import collection, feature

    layer = collection([feature(shapely.Point(37.1, 36.2), {"color": "#000"}, tricky, tricky)])
    fmap = ml.atlas_map("/atlas.json", "offline", ml.syria_bounds(ds))
    fp.AssetCall("fit_bounds.js", [tricky]).add_to(fmap)
    fp.feature_group("user_layer", layer).add_to(fmap)
    page = fmap.get_root().render()  # as st_folium does first, every run
    assert page.count(tricky) == 3 and "1337" not in page
    assert tricky in render([fp.feature_group("user_layer", layer)])


def test_an_empty_layer_renders(ds):
    empty = captured.display(ds, ds.period.baseline)  # nothing taken yet
    assert empty["features"] == []
    assert '._layerKey = "captured"' in render([fp.feature_group("captured", empty)])


def test_legend_follows_the_layers_shown(ds):
    assert legend_html(ds, ()) == ""
    both = legend_html(ds, ("captured", "buffer_22"))
    assert "Taken on this day" in both and "22 miles" in both and "Base or site" not in both


def test_every_display_layer_is_in_lon_lat_over_the_region(ds):
    """A metric geometry slipped into a display layer would have coordinates in metres."""
    import shapely.geometry

    layers = [
        control.display(ds, DAY),
        sites.display(ds, DAY),
        captured.display(ds, DAY),
        events.display(ds, DAY),
        proposals.display(ds, "buffer_22", DAY),
        proposals.whatif_display(ds, 12.5, DAY),
        proposals.ring_display(ds, "buffer_10", "buffer_22", DAY),
        *bm.basemap_geojson(ds),
    ]
    region = shapely.box(*STORY_REGION)  # the Levant to Kazan and Riyadh, in lon/lat
    for layer in layers:
        for f in layer["features"]:
            assert region.contains(shapely.geometry.shape(f["geometry"])), f["properties"]


def test_rendering_does_not_mutate_cached_layers(mini):
    import copy

    layer = control.display(mini, MINI_DAY)
    before = copy.deepcopy(layer)
    render([fp.feature_group("control", layer)])
    assert layer == before


def test_atlas_holds_every_day_of_every_layer(mini):
    """Each day of the atlas gives back that day's layer, feature for feature."""
    data = ml.atlas(mini)
    assert data["days"] == [d.isoformat() for d in mini.period.days()]
    assert data["order"][0] == "control" and data["order"][-1] == "captured"
    for key in data["order"]:
        spec = data["layers"][key]
        for i, day in enumerate(mini.period.days()):
            shown = [
                (f["g"], spec["variants"][f["v"][i]][1])
                for f in spec["features"]
                if f["v"][i] is not None
            ]
            expected = [
                (f["geometry"], f["properties"]["tip"])
                for f in ml.day_layer(mini, key, day)["features"]
            ]
            assert sorted(map(str, shown)) == sorted(map(str, expected)), (key, day)


def test_the_atlas_loads_first_without_its_popups(mini):
    """The atlas the map loads first holds every style and tooltip; the popups file,
    each variant's popup in the same order. Together they are the whole atlas."""
    data = ml.atlas(mini)
    first, popups = ml.split_popups(data)
    assert (
        set(popups) - {ml.DAY_FACTS, ml.DAY_WORDS, ml.SEARCH}
        == set(first["layers"])
        == set(data["layers"])
    )
    for key, spec in data["layers"].items():
        assert [v[:2] for v in spec["variants"]] == first["layers"][key]["variants"]
        assert [v[2] for v in spec["variants"]] == popups[key]
        assert first["layers"][key]["features"] == spec["features"]
    assert all(len(v) == 2 for s in first["layers"].values() for v in s["variants"])
    assert any(p for ps in popups.values() for p in ps)  # the popups carry words
    assert len(json.dumps(first)) < len(json.dumps(data))


def test_atlas_file_is_named_by_what_it_is_made_of(mini, mini_copy, tmp_path):
    url = atlas_files.write_atlas(mini, tmp_path)
    assert url == atlas_files.write_atlas(
        mini, tmp_path
    )  # same data and code: the same file, reused
    name = url.rsplit("/", 1)[1]
    assert url.startswith("../../app/static/atlas/atlas-")
    first, popups = ml.split_popups(json.loads(json.dumps(ml.atlas(mini))))
    assert json.loads((tmp_path / "atlas" / name).read_text()) == {
        **first,
        "popups": name.replace(".json", ".popups.json"),
    }
    assert json.loads((tmp_path / "atlas" / name.replace(".json", ".popups.json")).read_text()) == (
        popups
    )
    # changed data: a new name, so no browser or server reuses the old atlas
    (mini_copy / "sources.json").write_text(
        (mini_copy / "sources.json").read_text().replace("Test Gazette", "Test  Gazette")
    )
    changed = load_dataset(mini_copy)
    assert atlas_files.write_atlas(changed, tmp_path) != url


@pytest.mark.parametrize("damaged", ["atlas", "popups", "digest"])
def test_a_damaged_atlas_file_is_written_again_not_reused(mini, tmp_path, damaged):
    """A file cut in half (a full disk, a crash) keeps its content-named name: a restart
    used to serve it for ever. Its content is checked against what was written."""
    url = atlas_files.write_atlas(mini, tmp_path)
    path = tmp_path / "atlas" / url.rsplit("/", 1)[1]
    whole = {p: p.read_bytes() for p in (path, atlas_files.popups_path(path))}
    assert atlas_files.atlas_intact(path)
    target = {
        "atlas": path,
        "popups": atlas_files.popups_path(path),
        "digest": atlas_files.digest_path(path),
    }[damaged]
    target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])
    assert not atlas_files.atlas_intact(path)
    assert atlas_files.write_atlas(mini, tmp_path) == url  # as a restart does
    assert atlas_files.atlas_intact(path)
    assert {p: p.read_bytes() for p in whole} == whole


def test_an_atlas_without_its_digest_is_not_trusted(mini, tmp_path):
    url = atlas_files.write_atlas(mini, tmp_path)
    path = tmp_path / "atlas" / url.rsplit("/", 1)[1]
    atlas_files.digest_path(path).unlink()  # an atlas written before the digest existed
    assert not atlas_files.atlas_intact(path)
    atlas_files.write_atlas(mini, tmp_path)
    assert atlas_files.atlas_intact(path)


def test_old_atlases_are_removed_beyond_the_newest_few(mini, tmp_path):
    import os

    folder = tmp_path / "atlas"
    folder.mkdir()
    for i in range(12):  # atlases of other data or code, oldest first, with their popups
        for name in (f"atlas-old{i:02d}.json", f"atlas-old{i:02d}.popups.json"):
            old = folder / name
            old.write_text("{}")
            os.utime(old, (1_000_000 + i, 1_000_000 + i))
    url = atlas_files.write_atlas(mini, tmp_path)
    mine = folder / url.rsplit("/", 1)[1]
    kept = sorted(p.name for p in folder.glob("atlas-*.json") if ".popups." not in p.name)
    assert len(kept) == atlas_files.ATLAS_FILES_KEPT and mine.name in kept
    assert "atlas-old11.json" in kept and "atlas-old04.json" not in kept  # newest stay
    popups = sorted(p.name for p in folder.glob("atlas-*.popups.json"))
    assert popups == [name.replace(".json", ".popups.json") for name in kept]  # theirs too
    assert mine.stat().st_mode & 0o777 == 0o644  # readable by whatever serves it


def test_a_step_sends_a_day_and_layer_names_only(ds):
    script = render([ml.atlas_step(ds, date(2024, 12, 1), ["control", "sites"])])
    assert 'window.__atlasShow(5, ["control", "sites"]);' in script
    assert len(script) < 2000


def test_offline_basemap_draws_the_rivers(ds):
    countries, _ = bm.basemap_geojson(ds)
    rivers = [f for f in countries["features"] if f["geometry"]["type"] == "LineString"]
    assert {"Euphrates", "Orontes", "Khabur"} <= {f["properties"]["name"] for f in rivers}
    assert all(f["properties"]["style"]["fill"] is False for f in rivers)


def test_scripts_and_styles_come_from_files_each_once(ds):
    """lib/assets holds each script once; a map carries each once."""
    atlas_page = ml.atlas_map("atlas.json", "auto", [[32, 35], [37, 42]]).get_root().render()
    assert atlas_page.count("aleppo-map-tiles-failed") == 1  # tile_fallback.js
    assert atlas_page.count(fp.asset("draw_labels.js").splitlines()[-3]) == 1
    assert fp.asset("map.css").splitlines()[1] in atlas_page
    compare = render([bm.basemap_group(ds, "auto")])
    assert compare.count("aleppo-map-tiles-failed") == 1
    for name in ("atlas_loader.js", "draw_labels.js", "tile_fallback.js"):
        code = "\n".join(line for line in fp.asset(name).splitlines() if not line.startswith("//"))
        assert code.startswith("function(") and code.rstrip().endswith("}"), name


def sent(monkeypatch, fmap, groups, render: bool) -> dict:
    """What st_folium sends the browser for `fmap` and its feature `groups`."""
    args = {}
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: args.update(kw))
    streamlit_folium.st_folium(
        fmap, key="map", feature_group_to_add=groups, returned_objects=[], render=render
    )
    args.pop("on_change")
    return args


def test_the_pages_maps_need_no_first_render_pass(ds, monkeypatch):
    """The pages call st_folium with render=False, which skips rendering the whole
    page before the map: it sends the same map, at a quarter less of the server's time."""

    def atlas():
        fmap = ml.atlas_map("atlas.json", "auto", ml.syria_bounds(ds), page=page_map.map_page())
        return fmap, [ml.atlas_step(ds, DAY, ["control", "sites"], then_rest="session")]

    def compare():
        groups = [bm.basemap_group(ds, "auto")]
        groups += [fp.feature_group("control", control.display(ds, DAY))]
        groups += [fp.feature_group("sites", sites.display(ds, DAY))]
        return ml.base_map(ml.syria_bounds(ds)), groups

    for build in (atlas, compare):
        with_pass = sent(monkeypatch, *build(), render=True)
        assert with_pass["script"] and with_pass["header"] and with_pass["js_links"]
        assert sent(monkeypatch, *build(), render=False) == with_pass, build.__name__
