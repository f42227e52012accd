"""The map's layers, one module a layer: its key, title, draw order, whether it is
shown by default, its display GeoJSON for a day, its export and its legend rows.

The atlas, the compare page's maps, the export, the legend, the URL and the layer
pills all loop over `layers(ds)`. A new layer is a module here (with a `LAYER`) added
to BASE_MODULES; a new buffer-zone proposal is an entry of geodata/proposals.json.
"""

from __future__ import annotations

from functools import lru_cache

from lib.data import Dataset, load_dataset
from lib.data.cache import per_dataset
from lib.layers.common import Layer  # each layer module makes one


def _base_modules():
    from lib.layers import captured, control, events, front, sites

    return (control, front, sites, captured, events)


@lru_cache(maxsize=1)
def base_layers() -> tuple[Layer, ...]:
    """The layers every dataset has, in draw order."""
    return tuple(sorted((m.LAYER for m in _base_modules()), key=lambda layer: layer.order))


@per_dataset(maxsize=8)
def layers(ds: Dataset) -> tuple[Layer, ...]:
    """Every layer of `ds`, bottom to top: the base layers and one per proposal."""
    from lib.layers import proposals

    return tuple(sorted(base_layers() + proposals.layers(ds), key=lambda layer: layer.order))


def by_key(ds: Dataset) -> dict[str, Layer]:
    return {layer.key: layer for layer in layers(ds)}


def base_keys() -> tuple[str, ...]:
    return tuple(layer.key for layer in base_layers())


def load(path=None) -> Dataset:
    """A geodata folder loaded and checked (lib.data.load_dataset), its story's layer
    names checked against this registry: what the app and the CLI read."""
    return load_dataset(path, layer_keys=base_keys())


def default_keys() -> tuple[str, ...]:
    return tuple(layer.key for layer in base_layers() if layer.default)


def titles() -> dict[str, str]:
    return {layer.key: layer.title for layer in base_layers()}


def export_names() -> tuple[str, ...]:
    """The `layer` values an export can hold (proposals share one)."""
    return tuple(layer.export_name for layer in base_layers()) + ("proposal",)


def legend_html(ds: Dataset, keys) -> str:
    """A key to the symbols of the layers shown, in draw order."""
    rows = [row for layer in layers(ds) if layer.key in keys for row in layer.legend(ds)]
    return "".join(f"<div>{row.html()}</div>" for row in rows)
