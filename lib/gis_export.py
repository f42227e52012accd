"""The export in the formats GIS users open: GeoJSON, GeoPackage, KML and CSV (with
the geometry as WKT), one layer a kind of feature (control, site, captured, proposal,
event), for one day or for the whole period.

Over the period, a feature that stays the same for several days is one row, with
`valid_from` (its first day) and `valid_to` (the day after its last: the end is
excluded), so QGIS's temporal controller plays the offensive day by day. GeoPackage,
KML and CSV are written by GDAL (pyogrio, geopandas's engine).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from lib.data import Dataset
from lib.export import LAYERS, layers_geojson

FORMATS = ("geojson", "gpkg", "kml", "csv")
DRIVERS = {"gpkg": "GPKG", "kml": "KML", "csv": "CSV"}
SUFFIX = {"geojson": ".geojson", "gpkg": ".gpkg", "kml": ".kml", "csv": ""}  # csv: a folder


def period_features(ds: Dataset, days=None) -> list[dict]:
    """The features of every layer over `days` (default: the whole period), a run of
    identical days merged into one feature with `valid_from` and `valid_to` (ISO
    dates; valid_to excluded)."""
    days = list(days or ds.period.days())
    runs: dict[str, dict] = {}  # the same feature, seen on consecutive days
    out: list[dict] = []
    for day in days:
        seen = set()
        for feat in layers_geojson(ds, day)["features"]:
            key = json.dumps([feat["properties"], feat["geometry"]], sort_keys=True)
            seen.add(key)
            run = runs.get(key)
            if run is not None and run["properties"]["valid_to"] == day.isoformat():
                run["properties"]["valid_to"] = (day + timedelta(days=1)).isoformat()
                continue
            props = {
                **feat["properties"],
                "valid_from": day.isoformat(),
                "valid_to": (day + timedelta(days=1)).isoformat(),
            }
            run = {"type": "Feature", "properties": props, "geometry": feat["geometry"]}
            runs[key] = run
            out.append(run)
        for key in [k for k in runs if k not in seen]:  # ended: a later return is a new run
            del runs[key]
    return out


def day_features(ds: Dataset, day: date) -> list[dict]:
    """One day's features, each with its `date`."""
    feats = layers_geojson(ds, day)["features"]
    return [{**f, "properties": {**f["properties"], "date": day.isoformat()}} for f in feats]


def _frames(features: list[dict]) -> dict[str, gpd.GeoDataFrame]:
    """One frame a layer, in LAYERS order; lists joined with '; ', dicts as JSON, the
    days as date-times (so GDAL writes DateTime fields QGIS can animate)."""
    frames = {}
    for layer in LAYERS:
        rows = [f for f in features if f["properties"]["layer"] == layer]
        if not rows:
            continue
        records = [{k: _flat(v) for k, v in f["properties"].items()} for f in rows]
        geoms = [shapely.geometry.shape(f["geometry"]) if f["geometry"] else None for f in rows]
        frame = gpd.GeoDataFrame(pd.DataFrame(records), geometry=geoms, crs="EPSG:4326")
        for col in ("valid_from", "valid_to", "date"):
            if col in frame:
                frame[col] = pd.to_datetime(frame[col])
        frames[layer] = frame
    return frames


def _flat(value):
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def write(features: list[dict], fmt: str, out: Path) -> Path:
    """Write `features` in `fmt` to `out` (a file; for csv, a folder of one CSV a
    layer), replacing what was there only once the whole export is written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format '{fmt}'; choose from {', '.join(FORMATS)}")
    out = Path(out)
    if fmt == "geojson":
        from lib.jsonio import dumps_geojson, write_atomic

        write_atomic(out, dumps_geojson({"type": "FeatureCollection", "features": features}))
        return out
    work = Path(tempfile.mkdtemp(prefix=".export-", dir=out.parent))
    try:
        target = work / ("layers" if fmt == "csv" else out.name)
        if fmt == "csv":
            target.mkdir()
        for layer, frame in _frames(features).items():
            if fmt == "csv":
                frame.to_file(
                    target / f"{layer}.csv", driver="CSV", engine="pyogrio", GEOMETRY="AS_WKT"
                )
            else:
                # GDAL makes a layer multi only where single and multi shapes mix
                frame.to_file(target, driver=DRIVERS[fmt], layer=layer, engine="pyogrio")
        if out.is_dir():
            shutil.rmtree(out)
        elif out.exists():
            out.unlink()
        target.replace(out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out


def write_days(ds: Dataset, fmt: str, folder: Path) -> list[Path]:
    """One file a day (`<folder>/<date><suffix>`), every layer in each."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [
        write(day_features(ds, day), fmt, folder / f"{day.isoformat()}{SUFFIX[fmt]}")
        for day in ds.period.days()
    ]
