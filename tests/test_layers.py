"""The layer registry: every layer keeps the same contract, and a new proposal is a
data edit only."""

from datetime import date

import pytest

from lib import layers as registry
from lib.control import changes_on
from lib.export import layers_geojson
from lib.geodata import load_dataset
from lib.map_layers import atlas, legend_html
from tests.conftest import read_json, write_json

DAY = date(2024, 12, 1)


def test_layers_are_in_draw_order_with_unique_keys(ds):
    keys = [layer.key for layer in registry.layers(ds)]
    assert len(keys) == len(set(keys))
    assert keys[0] == "control" and keys[-1] == "events"  # zones under markers
    assert [layer.key for layer in registry.layers(ds) if layer.proposal] == [
        p.id for p in ds.proposals
    ]
    assert registry.default_keys() == ("control", "sites", "captured", "events")


@pytest.mark.parametrize("key", ["control", "sites", "captured", "events", "buffer_22"])
def test_every_layer_keeps_the_contract(ds, key):
    layer = registry.by_key(ds)[key]
    shown = layer.display(ds, DAY)
    assert shown["features"]
    for f in shown["features"]:
        props = f["properties"]
        assert props["tip"] and props["info"] and isinstance(props["style"], dict)
        assert f["geometry"]
    for props in layer.export(ds, DAY):
        assert props["source"] and (props["geometry"] is not None or key == "events")
    assert all(row.startswith("<span") for row in layer.legend(ds))


def test_a_new_proposal_is_a_data_edit(geodata_copy):
    doc = read_json(geodata_copy / "proposals.json")
    new = dict(doc["proposals"][2], id="buffer_15", distance_mi=15, color="#00ff00", dash="2 2")
    new["label"] = "15 miles: a compromise"
    doc["proposals"].append(new)
    write_json(geodata_copy / "proposals.json", doc)
    ds = load_dataset(geodata_copy)
    layer = registry.by_key(ds)["buffer_15"]
    assert layer.proposal and layer.title == "15 miles: a compromise"
    style = layer.display(ds, DAY)["features"][0]["properties"]["style"]
    assert (style["color"], style["dashArray"]) == ("#00ff00", "2 2")
    assert "15 miles: a compromise" in legend_html(ds, ["buffer_15"])
    assert "buffer_15" in atlas(ds)["layers"]
    exported = layers_geojson(ds, DAY, ["proposal"], proposal_ids=["buffer_15"])
    assert [f["properties"]["id"] for f in exported["features"]] == ["buffer_15"]


def test_a_proposal_needs_a_colour(geodata_copy):
    from lib.errors import DataError

    doc = read_json(geodata_copy / "proposals.json")
    doc["proposals"][0]["color"] = "blue"
    write_json(geodata_copy / "proposals.json", doc)
    with pytest.raises(DataError, match=r"buffer_3, field 'color': must be a colour"):
        load_dataset(geodata_copy)


def test_a_zones_popup_gives_its_facts_and_since_when(ds):
    zones = {
        f["properties"].get("controller"): f["properties"]["info"]
        for f in registry.by_key(ds)["control"].display(ds, date(2024, 12, 5))["features"]
        if f["properties"].get("layer") == "control"
    }
    assert "since before the offensive" in zones["sdf"]  # no change touched it
    hts = zones["hts"]
    assert "% of Syria" in hts and "km&sup2;" in hts and 'href="http' in hts
    assert "the latest on 5 Dec 2024" in hts  # Hama fell to HTS that day


def test_the_days_change_is_outlined_in_the_takers_colour(ds):
    feats = registry.by_key(ds)["control"].display(ds, date(2024, 12, 5))["features"]
    changes = [f for f in feats if f["properties"].get("layer") == "change"]
    assert changes
    hts = ds.factions["hts"].color
    assert any(
        f["properties"]["style"]["color"] == hts and "Taken by HTS" in f["properties"]["tip"]
        for f in changes
    )
    assert all(f["properties"]["style"]["fill"] is False for f in changes)
    assert len(changes) == len(changes_on(ds, date(2024, 12, 5)))  # one outline a change


def test_zones_only_drops_the_change_outlines(ds):
    from lib.layers.control import zones_only

    shown = registry.by_key(ds)["control"].display(ds, date(2024, 12, 5))
    kept = zones_only(shown)["features"]
    assert kept and len(kept) < len(shown["features"])
    assert {f["properties"]["layer"] for f in kept} == {"control"}
