"""Rings, the point report, the comparison table and its exports, against
computations that do not reuse the functions under test."""

from datetime import date

import numpy as np
import pytest
import shapely
from pyproj import Geod

from lib.buffers import border_wgs84, buffer_zone
from lib.export import zones_geojson
from lib.figures import point_report, ring_figures, rows_csv, table_rows, zone_figures
from lib.permalink import CompareView, compare_params, parse_compare
from lib.sources import source_index

GEOD = Geod(ellps="WGS84")
DAY = date(2024, 12, 1)
IDS = ["buffer_3", "buffer_6", "buffer_10", "buffer_22", "buffer_30"]


def test_ring_area_is_the_geodesic_area_of_the_difference(ds):
    ring = buffer_zone(ds, 22).difference(buffer_zone(ds, 10))
    geodesic = abs(GEOD.geometry_area_perimeter(ring)[0]) / 1e6
    assert ring_figures(ds, 10, 22, DAY)["area_km2"] == pytest.approx(geodesic, rel=0.01)


def test_ring_needs_inner_below_outer(ds):
    with pytest.raises(ValueError, match="a ring needs inner < outer"):
        ring_figures(ds, 22, 10, DAY)


def _geodesic_distance_mi(ds, lon, lat):
    coords = shapely.get_coordinates(shapely.segmentize(border_wgs84(ds), 0.002))
    _, _, d = GEOD.inv(
        np.full(len(coords), lon), np.full(len(coords), lat), coords[:, 0], coords[:, 1]
    )
    return d.min() / 1609.344


@pytest.mark.parametrize(
    "lon, lat, holder",
    [
        (37.16, 36.20, "hts"),  # Aleppo on 1 Dec
        (37.05, 36.58, "sna"),  # by Azaz
        (38.00, 34.60, "government"),  # the desert west of Palmyra
    ],
)
def test_point_report(ds, lon, lat, holder):
    report = point_report(ds, lon, lat, DAY)
    assert report["distance_mi"] == pytest.approx(_geodesic_distance_mi(ds, lon, lat), rel=0.01)
    assert report["in_syria"] and report["controller"] == holder
    expected = [p.id for p in ds.proposals if report["distance_mi"] <= p.distance_mi]
    assert report["proposals"] == expected


def test_point_outside_syria(ds):
    report = point_report(ds, 33.0, 39.0, DAY)  # central Anatolia
    assert not report["in_syria"] and report["proposals"] == [] and report["controller"] is None


def test_table_rows_proposals_rings_and_what_if(ds):
    rows = table_rows(ds, DAY, ["buffer_10", "buffer_22", "buffer_30"], 15)
    assert [r["kind"] for r in rows] == ["proposal"] * 3 + ["ring"] * 2 + ["what-if"]
    by_id = {r["id"]: r for r in rows}
    ring = by_id["ring_buffer_10_buffer_22"]
    assert ring["places"] == by_id["buffer_22"]["places"] - by_id["buffer_10"]["places"]
    assert ring["label"] == "22 mi adds to 10 mi"
    assert by_id["what_if"]["area_km2"] == pytest.approx(zone_figures(ds, 15, DAY)["area_km2"])
    # the what-if zone lies between the 10- and 22-mile zones
    assert (
        by_id["buffer_10"]["area_km2"]
        < by_id["what_if"]["area_km2"]
        < by_id["buffer_22"]["area_km2"]
    )
    held = [k for k in rows[0] if k.startswith("held_km2_")]
    assert held and all(k in r for r in rows for k in held)


def test_what_if_matches_a_proposal_of_the_same_depth(ds):
    [whatif] = table_rows(ds, DAY, [], 22)
    [proposal] = table_rows(ds, DAY, ["buffer_22"])
    for key in ("area_km2", "places", "population", "share_of_syria"):
        assert whatif[key] == pytest.approx(proposal[key])


def test_rows_csv_has_every_row(ds):
    text = rows_csv(ds, table_rows(ds, DAY, IDS, 7.5))
    lines = text.strip().splitlines()
    assert len(lines) == 1 + 5 + 4 + 1
    assert lines[0].startswith("kind,id,label,distance_mi")


def test_zones_geojson(ds):
    doc = zones_geojson(ds, DAY, ["buffer_10", "buffer_22"], 15)
    layers = [f["properties"]["layer"] for f in doc["features"]]
    assert layers == ["proposal", "proposal", "ring", "what_if"]
    assert all(f["properties"]["source"] for f in doc["features"])


def test_compare_permalink():
    view, warnings = parse_compare({"proposals": "buffer_22,buffer_3,zzz", "whatif": "12.3"}, IDS)
    assert view == CompareView(("buffer_3", "buffer_22"), 12.5) and "zzz" in warnings[0]
    assert parse_compare({}, IDS) == (CompareView(("buffer_10", "buffer_22"), None), [])
    # one way to write a number: ASCII digits (float() also reads "1_5", "١٥", "１５")
    for bad in ("0", "41", "nan", "inf", "ten", "1_5", "١٥", "１５", "1e1", " 15", "+15"):
        view, warnings = parse_compare({"whatif": bad}, IDS)
        assert view.whatif_mi is None and "whatif" in warnings[0]
    assert compare_params(CompareView(("buffer_3",), 12.5), DAY, "offline") == {
        "date": "2024-12-01",
        "proposals": "buffer_3",
        "whatif": "12.5",
        "basemap": "offline",
    }


def test_every_source_is_cited_and_every_citation_is_a_source(ds):
    index = source_index(ds)
    assert set(index) == set(ds.sources)
    assert all(index[sid] for sid in ds.sources)  # no source is listed for nothing

    def ids(value):
        return len(value.split("; "))

    total = sum(len(v) for v in index.values())
    expected = (
        len(ds.countries)
        + sum(ids(s) for s in ds.rivers["source"])
        + sum(ids(s) for s in ds.areas["source"])
        + sum(ids(s) for s in ds.places["source"])
        + sum(ids(s) for s in ds.sites["source"])
        + sum(ids(e.source) for v in ds.site_control.values() for e in v)
        + sum(ids(s) for s in ds.events["source"])
        + sum(ids(g.source) for g in ds.baseline)
        + sum(ids(c.source) for c in ds.changes)
        + sum(ids(p.source) for p in ds.proposals)
        + sum(ids(f.source) for f in ds.factions.values())
    )
    assert total == expected


def test_every_source_has_an_address_and_a_date(ds):
    for src in ds.sources.values():
        assert src.url.startswith(("https://", "http://")), src.id
        assert src.publisher and src.title and src.date, src.id


def test_an_uploaded_zone_gets_the_same_figures_as_a_proposal(ds):
    """One record, computed the same way: the 22-mile zone, uploaded as a user's layer,
    gives the proposal's area, places, people and holders."""
    import shapely

    from lib.buffers import buffer_zone_metric, place_border_distance_m
    from lib.control import places_metric, syria_metric
    from lib.figures import area_figures

    proposal = zone_figures(ds, 22, DAY)
    uploaded = area_figures(ds, buffer_zone_metric(ds, 22), DAY)
    for key in ("area_km2", "share_of_syria_pct"):
        assert uploaded[key] == pytest.approx(proposal[key], rel=1e-6), key
    # a proposal counts a place by its distance to the border; a drawn zone, by the
    # place lying inside it: they differ by the towns the 1:10m outline leaves outside
    near = place_border_distance_m(ds) <= 22 * 1609.344
    outside = ~shapely.contains(syria_metric(ds), places_metric(ds).values)
    assert uploaded["places"] == proposal["places"] - int((near & outside).sum())
    assert uploaded["faction_area_km2"].keys() == proposal["faction_area_km2"].keys()
    for faction, km2 in proposal["faction_area_km2"].items():
        assert uploaded["faction_area_km2"][faction] == pytest.approx(km2, abs=0.01)
    assert proposal["share_of_syria_pct"] == pytest.approx(100 * proposal["share_of_syria"])


def test_the_table_has_the_same_columns_on_every_day(ds):
    from lib.figures import table_records

    shapes = {tuple(table_records(ds, table_rows(ds, d))[0]) for d in ds.period.days()}
    assert len(shapes) == 1
    (columns,) = shapes
    assert "held_km2_no_holder_reported" in columns and "held_km2_unheld" not in columns


def test_the_csv_and_the_json_publish_the_same_rows(ds):
    import csv
    import io

    from lib.figures import table_records

    rows = table_rows(ds, DAY, IDS, 7.5)
    from_csv = list(csv.DictReader(io.StringIO(rows_csv(ds, rows))))
    records = table_records(ds, rows)
    assert [{k: str(v) for k, v in r.items()} for r in records] == from_csv
