"""A cache of results computed from a dataset, that lets the dataset go.

functools.lru_cache keyed on a `Dataset` keeps it (its frames, its geometry) alive for
as long as it is among the last N keys: after the data is reloaded, the old dataset
stayed in 34 caches. `per_dataset` keeps each dataset's results beside it, in a
WeakKeyDictionary: when nothing else holds the dataset, its results go with it.
Results must not hold the dataset themselves (plain data, frames, geometry).
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections import OrderedDict


def per_dataset(maxsize: int = 128):
    """Like functools.lru_cache(maxsize) for a function whose first argument is a
    dataset: at most `maxsize` results a dataset, least recently used dropped first."""

    def decorate(fn):
        caches: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        lock = threading.Lock()  # Streamlit runs sessions in threads

        @functools.wraps(fn)
        def cached(ds, *args, **kwargs):
            key = (args, tuple(sorted(kwargs.items()))) if kwargs else args
            with lock:
                results = caches.get(ds)
                if results is not None and key in results:
                    results.move_to_end(key)
                    return results[key]
            value = fn(ds, *args, **kwargs)  # outside the lock: other keys go on
            with lock:
                results = caches.setdefault(ds, OrderedDict())
                results[key] = value
                if len(results) > maxsize:
                    results.popitem(last=False)
            return value

        cached.cache_clear = lambda: caches.clear()
        cached.cached_datasets = lambda: len(caches)
        return cached

    return decorate
