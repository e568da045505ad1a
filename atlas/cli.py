"""The `atlas` command. Stage modules are imported inside the commands that need them,
so `atlas --help` stays fast; a user's mistake prints `path:line: message` and exits 2,
never a traceback.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from atlas.errors import AtlasError, TerminalText, display_path, printable

STARTER = Path(__file__).parent / "starter"
FORMAT_NAMES = ["timelinejs", "storymapjs", "lpf", "lptsv", "geojson", "csv"]  # as atlas/formats registers them


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalText(sys.stdout), TerminalText(sys.stderr)
    try:
        return _run(args)
    finally:
        sys.stdout, sys.stderr = streams


def _run(args: argparse.Namespace) -> int:
    """The command, its user's mistakes as messages and an exit status."""
    try:
        result: int = args.run(args)
        return result
    except AtlasError as err:
        print(err.text, file=sys.stderr)
        return err.exit_code
    except OSError as err:  # the machine refused (a full disk, no permission): not a bug in atlas
        where = f"{printable(str(err.filename))}: " if err.filename else ""
        print(f"{where}{err.strerror or err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="atlas", description="Build a historical atlas: one map page per period.")
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")

    build = commands.add_parser("build", help="build the atlas's pages into an output folder")
    build.add_argument("source", nargs="?", default="places", type=Path, help="atlas source folder (default: places)")
    build.add_argument("-o", "--out", default="build", type=Path, help="output folder (default: build)")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.add_argument("--lang", help="build the pages in this one of the atlas's languages only (default: every "
                                      "language atlas.yaml names, the main one at the top, each other in its folder)")
    build.add_argument("--single-file", dest="single_file", action="store_true",
                       help="make every period, embed and lesson page one self-contained file (scripts, styles, basemap inside)")
    _trust_option(build)
    build.set_defaults(run=_build)

    check = commands.add_parser("check", help="report every problem in an atlas's sources, build nothing")
    check.add_argument("source", nargs="?", default="places", type=Path, help="atlas source folder (default: places)")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--dates", action="store_true",
                       help="list how every date reads (-0263 = 264 BCE: EDTF counts 1 BCE as year 0000)")
    check.add_argument("--notes", action="store_true",
                       help="list the author's notes (`note:` fields), which readers never see")
    check.set_defaults(run=_check)

    geocode = commands.add_parser("geocode", help="resolve the atlas's geocode: places into geocoded.json")
    geocode.add_argument("source", nargs="?", default="places", type=Path, help="atlas source folder (default: places)")
    geocode.add_argument("--offline", action="store_true", help="use only the offline GeoNames gazetteer")
    geocode.add_argument("--refresh", action="store_true", help="ask again even for places already answered")
    geocode.add_argument("--provider", help="a geopy geocoder name (default: atlas.yaml's, else nominatim)")
    geocode.add_argument("--user-agent", dest="user_agent", help="identifies your atlas to the geocoder")
    geocode.add_argument("--domain", help="the geocoder's server, e.g. a self-hosted Nominatim")
    geocode.add_argument("--scheme", choices=["http", "https"], help="http or https for --domain")
    geocode.add_argument("--timeout", type=float, help="seconds to wait for an answer (default 10)")
    geocode.add_argument("--min-delay", dest="min_delay", type=float,
                         help="seconds between requests (default 1; never less for the public Nominatim server)")
    geocode.set_defaults(run=_geocode)

    serve = commands.add_parser("serve", help="build, serve on 127.0.0.1, and rebuild when a source changes")
    serve.add_argument("source", nargs="?", default="places", type=Path, help="atlas source folder (default: places)")
    serve.add_argument("-o", "--out", default="build", type=Path, help="output folder (default: build)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", default=8000, type=int, help="port (default: 8000; 0 picks a free one)")
    _trust_option(serve)
    serve.set_defaults(run=_serve)

    imports = commands.add_parser("import", help="bring TimelineJS, StoryMapJS, Linked Places, GeoJSON or CSV into an "
                                  "atlas folder")
    imports.add_argument("files", nargs="+", type=Path, metavar="FILE", help="the files to import")
    imports.add_argument("-o", "--out", required=True, type=Path,
                         help="the atlas folder: made if new, else the records are added to it")
    imports.add_argument("--format", choices=FORMAT_NAMES, help="the files' format (default: guessed from each)")
    imports.add_argument("--geocode", action="store_true",
                         help="keep places without a geometry as geocode queries (else they are left out)")
    imports.set_defaults(run=_import)

    export = commands.add_parser("export", help="write the atlas in another tool's format")
    export.add_argument("source", nargs="?", default="places", type=Path, help="atlas source folder (default: places)")
    export.add_argument("--format", required=True, choices=FORMAT_NAMES, help="the format to write")
    export.add_argument("-o", "--out", required=True, type=Path, help="the file to write ('-': standard output)")
    export.add_argument("--period", help="storymapjs: the period to tell (default: the first)")
    export.set_defaults(run=_export)

    new = commands.add_parser("new", help="write a small working atlas to start from")
    new.add_argument("folder", type=Path, help="folder to create (must not exist or be empty)")
    new.set_defaults(run=_new)
    return parser


def _trust_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--trust-templates", dest="trust_templates", action="store_true",
                         help="run the atlas's own templates outside the sandbox, as code (only for templates you "
                              "wrote or read yourself: see SECURITY.md)")


def _build(args: argparse.Namespace) -> int:
    from atlas.building.pipeline import build

    summary = build(args.source, args.out, strict=args.strict, single_file=args.single_file,
                    trust_templates=args.trust_templates, lang=args.lang)
    print(summary)
    return 0


def _check(args: argparse.Namespace) -> int:
    from atlas.building.pipeline import check
    from atlas.formats.common import plural
    from atlas.source.datelist import before_year_one, readings
    from atlas.source.notes import listing

    atlas, _ = check(args.source, strict=args.strict)
    if args.dates:
        print("\n".join(readings(atlas)))
    if args.notes:
        print("\n\n".join(listing(atlas)) or "no notes")
    print(f"{display_path(args.source)}: {plural(len(atlas.periods), 'period')}, {plural(len(atlas.events), 'event')}, "
          f"{plural(len(atlas.places), 'place')}: no errors")
    early = before_year_one(atlas)
    if early and not args.dates:
        print(f"{early} dates reach before 1 CE: EDTF counts 1 BCE as year 0000, so -0263 is 264 BCE; "
              "`atlas check --dates` lists how every date reads")
    return 0


def _geocode(args: argparse.Namespace) -> int:
    from atlas.geo.geocode import geocode_atlas

    overrides = {key: getattr(args, key) for key in ("provider", "user_agent", "domain", "scheme", "timeout", "min_delay")}
    overrides.update(offline=args.offline, refresh=args.refresh)
    report = geocode_atlas(args.source, overrides)
    for problem in report.failed + report.doubtful:
        print(problem, file=sys.stderr)
    print(report.summary())
    return 2 if report.failed or report.interrupted else 0


def _serve(args: argparse.Namespace) -> int:
    from atlas.serve.watch import serve

    serve(args.source, args.out, host=args.host, port=args.port, trust_templates=args.trust_templates)
    return 0


def _import(args: argparse.Namespace) -> int:
    from atlas.building.pipeline import check
    from atlas.formats.common import plural
    from atlas.formats.importing import import_files

    result = import_files(args.files, args.out, args.format, args.geocode)
    print(result.summary())
    if args.geocode:
        shown = display_path(args.out)
        print(f"Next: atlas geocode {shown} (for the places kept as queries), then atlas build {shown}")
        return 0
    atlas, _ = check(args.out)  # what was written builds (its warnings printed, as `atlas check` would)
    print(f"{display_path(args.out)}: {plural(len(atlas.periods), 'period')}, {plural(len(atlas.events), 'event')}, "
          f"{plural(len(atlas.places), 'place')}: no errors; build it with: atlas build {display_path(args.out)}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from atlas.building.pipeline import check
    from atlas.formats import FORMATS
    from atlas.formats.holds import summary

    atlas, geometry = check(args.source)
    module = FORMATS[args.format]
    if args.format == "storymapjs":
        if not atlas.periods:
            raise AtlasError(f"{display_path(args.source)}: has no periods, and a story map tells one period's "
                             "events: add one to periods.yaml")
        if args.period and args.period not in {period.id for period in atlas.periods}:
            raise AtlasError(f"--period {args.period}: no such period in {display_path(args.source)}")
        exported = module.write(atlas, geometry, args.period)
    else:
        exported = module.write(atlas, geometry)
    if str(args.out) == "-":
        sys.stdout.write(exported.text)
    else:
        try:
            args.out.write_text(exported.text, encoding="utf-8")
        except OSError as err:
            raise AtlasError(f"{display_path(args.out)}: cannot write the export: {err.strerror or err}") from err
        print(summary(args.format, exported.text, atlas, display_path(args.out)))
    for note in exported.notes:
        print(f"  - {note}", file=sys.stderr)
    return 0


def _new(args: argparse.Namespace) -> int:
    folder: Path = args.folder
    if folder.is_symlink() and not folder.exists():
        raise AtlasError(f"{display_path(folder)}: is a link to nothing (a dangling symlink); choose a new folder")
    try:
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise AtlasError(f"{display_path(folder)}: already exists and is not empty; choose a new folder")
        shutil.copytree(STARTER, folder, dirs_exist_ok=True)
    except OSError as err:
        raise AtlasError(f"{display_path(folder)}: cannot write the new atlas there: {err.strerror or err}") from err
    shown = display_path(folder)
    print(f"Wrote a new atlas in {shown}; build it with: atlas build {shown} -o {shown}-site")
    return 0
