"""Caches of results computed from a dataset let the dataset go once nothing else
holds it (lib/data/cache.py): a reload of the data does not keep the old one alive."""

from __future__ import annotations

import gc
import weakref

from lib.data.cache import per_dataset
from lib.layers import load
from tests.conftest import MINI_DIR


def test_every_cache_lets_an_old_dataset_go():
    """Everything the map, the figures and the search compute for a dataset, then
    the dataset dropped: it is collected, and no cache keeps its results."""
    from lib import figures, map_layers, search
    from lib.layers import layers

    ds = load(MINI_DIR)
    map_layers.atlas(ds)  # every layer of every day, the basemap, the search index
    figures.zone_figures(ds, 10.0, ds.period.end)
    search.search_index(ds)
    assert {layer.key for layer in layers(ds)}
    gone = weakref.ref(ds)
    del ds
    gc.collect()
    assert gone() is None


def test_per_dataset_is_an_lru_cache_per_dataset():
    calls = []

    class Data:  # any object that can be weakly referenced, like a Dataset
        pass

    @per_dataset(maxsize=2)
    def f(ds, x, scale=1):
        calls.append(x)
        return x * scale

    a, b = Data(), Data()
    assert [f(a, 1), f(a, 1), f(b, 1), f(a, 2, scale=3)] == [1, 1, 1, 6]
    assert calls == [1, 1, 2]  # a's second call hit; b has its own results
    f(a, 3)  # a now holds 3 and (2, scale=3): 1 was the least recently used
    f(a, 1)
    assert calls == [1, 1, 2, 3, 1]
    assert f.cached_datasets() == 2
    del b
    gc.collect()
    assert f.cached_datasets() == 1
    f.cache_clear()
    assert f.cached_datasets() == 0
