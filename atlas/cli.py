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

from .errors import AtlasError, display_path

STARTER = Path(__file__).parent / "starter"


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        result: int = args.run(args)
        return result
    except AtlasError as err:
        print(err.text, file=sys.stderr)
        return err.exit_code
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
    build.set_defaults(run=_build)

    check = commands.add_parser("check", help="report every problem in an atlas's sources, build nothing")
    check.add_argument("source", nargs="?", default="places", type=Path, help="atlas source folder (default: places)")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.set_defaults(run=_check)

    new = commands.add_parser("new", help="write a small working atlas to start from")
    new.add_argument("folder", type=Path, help="folder to create (must not exist or be empty)")
    new.set_defaults(run=_new)
    return parser


def _build(args: argparse.Namespace) -> int:
    from .build import build

    summary = build(args.source, args.out, strict=args.strict)
    print(summary)
    return 0


def _check(args: argparse.Namespace) -> int:
    from .build import check

    atlas, _ = check(args.source, strict=args.strict)
    print(f"{display_path(args.source)}: {len(atlas.periods)} periods, {len(atlas.events)} events, "
          f"{len(atlas.places)} places: no errors")
    return 0


def _new(args: argparse.Namespace) -> int:
    folder: Path = args.folder
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise AtlasError(f"{display_path(folder)}: already exists and is not empty; choose a new folder")
    shutil.copytree(STARTER, folder, dirs_exist_ok=True)
    shown = display_path(folder)
    print(f"Wrote a new atlas in {shown}; build it with: atlas build {shown} -o {shown}-site")
    return 0
