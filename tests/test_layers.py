"""The layer registry: every layer keeps the same contract, and a new proposal is a
data edit only. On the made-up dataset (tests/fixtures/make_mini.py): these test the
code, not the bundled data."""

from datetime import date

import pytest

from lib import layers as registry
from lib.control import changes_on
from lib.data import load_dataset
from lib.export import layers_geojson
from lib.layers import legend_html
from lib.map_layers import atlas
from tests.conftest import read_json, write_json

DAY = date(2024, 11, 29)  # HTS took the west on 27 Nov, the SNA the north-east today


def test_layers_are_in_draw_order_with_unique_keys(mini):
    keys = [layer.key for layer in registry.layers(mini)]
    assert len(keys) == len(set(keys))
    # zones under markers, the towns taken on top (a click on a town opens the town)
    assert keys[0] == "control" and keys[-1] == "captured"
    assert [layer.key for layer in registry.layers(mini) if layer.proposal] == [
        p.id for p in mini.proposals
    ]
    assert registry.default_keys() == ("control", "sites", "events", "captured")


@pytest.mark.parametrize("key", ["control", "sites", "captured", "events", "buffer_22"])
def test_every_layer_keeps_the_contract(mini, key):
    layer = registry.by_key(mini)[key]
    shown = layer.display(mini, DAY)
    assert shown["features"]
    for f in shown["features"]:
        props = f["properties"]
        assert props["tip"] and props["info"] and isinstance(props["style"], dict)
        assert f["geometry"]
    for props in layer.export(mini, DAY):
        assert props["source"] and (props["geometry"] is not None or key == "events")
    assert all(row.html().startswith("<span") and row.text for row in layer.legend(mini))


def test_a_new_proposal_is_a_data_edit(mini_copy):
    doc = read_json(mini_copy / "proposals.json")
    new = dict(doc["proposals"][2], id="buffer_15", distance_mi=15, color="#00ff00", dash="2 2")
    new["label"] = "15 miles: a compromise"
    doc["proposals"].append(new)
    write_json(mini_copy / "proposals.json", doc)
    ds = load_dataset(mini_copy)
    layer = registry.by_key(ds)["buffer_15"]
    assert layer.proposal and layer.title == "15 miles: a compromise"
    style = layer.display(ds, DAY)["features"][0]["properties"]["style"]
    assert (style["color"], style["dashArray"]) == ("#00ff00", "2 2")
    assert "15 miles: a compromise" in legend_html(ds, ["buffer_15"])
    assert "buffer_15" in atlas(ds)["layers"]
    exported = layers_geojson(ds, DAY, ["proposal"], proposal_ids=["buffer_15"])
    assert [f["properties"]["id"] for f in exported["features"]] == ["buffer_15"]


def test_a_proposal_needs_a_colour(mini_copy):
    from lib.data.errors import DataError

    doc = read_json(mini_copy / "proposals.json")
    doc["proposals"][0]["color"] = "blue"
    write_json(mini_copy / "proposals.json", doc)
    with pytest.raises(DataError, match=r"buffer_3, field 'color': must be a colour"):
        load_dataset(mini_copy)


def test_a_zones_popup_gives_its_facts_and_since_when(mini):
    zones = {
        f["properties"].get("controller"): f["properties"]["info"]
        for f in registry.by_key(mini)["control"].display(mini, DAY)["features"]
        if f["properties"].get("layer") == "control"
    }
    assert "since before the offensive" in zones["sdf"]  # no change touched it
    hts = zones["hts"]
    assert "% of Syria" in hts and "km&sup2;" in hts and 'href="https://example.org' in hts
    assert "All of it taken in the offensive, the latest on 27 Nov 2024" in hts
    assert "of it taken on 29 Nov 2024" in zones["sna"] and "km&sup2; of it taken" not in hts


def test_the_days_change_is_outlined_in_the_takers_colour(mini):
    feats = registry.by_key(mini)["control"].display(mini, DAY)["features"]
    changes = [f for f in feats if f["properties"].get("layer") == "change"]
    assert len(changes) == len(changes_on(mini, DAY)) == 1  # one outline a change
    style, tip = changes[0]["properties"]["style"], changes[0]["properties"]["tip"]
    assert style["color"] == mini.factions["sna"].color and "Taken by SNA" in tip
    assert style["fill"] is False


def test_zones_only_drops_the_change_outlines(mini):
    from lib.layers.control import zones_only

    shown = registry.by_key(mini)["control"].display(mini, DAY)
    kept = zones_only(shown)["features"]
    assert kept and len(kept) < len(shown["features"])
    assert {f["properties"]["layer"] for f in kept} == {"control"}


def test_the_front_lines_lie_where_two_holders_meet(mini):
    """Derived, not drawn: each line lies on the outlines of two zones of different
    holders that day, and moves when the log moves an area."""
    from lib.control import control_zones_metric
    from lib.layers.front import front_lines

    for day in mini.period.days():
        zones = control_zones_metric(mini, day)
        outline = dict(zip(zones["controller"], zones.geometry.boundary))
        for a, b, line in front_lines(mini, day):
            assert a != b
            assert line.difference(outline[a].buffer(1)).length < 1
            assert line.difference(outline[b].buffer(1)).length < 1
    first, last = mini.period.baseline, mini.period.end
    assert front_lines(mini, first) != front_lines(mini, last)


def test_the_front_layer_draws_and_exports_every_line(ds):
    from datetime import date

    from lib.layers.front import front_lines

    day = date(2024, 11, 29)
    shown = registry.by_key(ds)["front"].display(ds, day)["features"]
    exported = registry.by_key(ds)["front"].export(ds, day)
    assert len(shown) == len(exported) == len(front_lines(ds, day)) > 5
    pairs = {tuple(f["between"]) for f in exported}
    assert ("government", "hts") in pairs  # the offensive's front, west of Aleppo
