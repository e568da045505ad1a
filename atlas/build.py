"""`build()`: read → validate → resolve → assign to periods → map → render → write."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

from . import pages, readers, render, resolve, validate, writer
from .errors import AtlasError, Problem
from .model import Atlas


@dataclass(frozen=True)
class Summary:
    periods: int
    events: int
    places: int
    pages: int
    seconds: float
    out: Path

    def __str__(self) -> str:
        return (f"Built {self.periods} periods, {self.events} events, {self.places} places: "
                f"{self.pages} pages written to {self.out} in {self.seconds:.2f} s")


def check(source: Path, strict: bool = False) -> tuple[Atlas, dict[str, resolve.Geometry]]:
    """Read and validate an atlas, raising AtlasError with every problem found."""
    atlas, problems = validate.validate(readers.read_folder(source))
    # Geometry is resolved even when validation found mistakes, so that a GeoJSON file's
    # problems and the places not yet geocoded are reported in the same run.
    geometry, unresolved = resolve.geometries(atlas)
    problems += unresolved + pages.template_problems(source)
    _stop_on_errors(problems, strict)
    _report_warnings(problems)
    return atlas, geometry


def build(source: Path, out: Path, strict: bool = False, single_file: bool = False) -> Summary:
    started = time.perf_counter()
    atlas, geometry = check(source, strict)
    site = render.render_site(atlas, geometry, single_file=single_file)
    writer.write_site(site, out, source)
    pages = sum(1 for path in site if path.endswith(".html"))
    return Summary(len(atlas.periods), len(atlas.events), len(atlas.places), pages,
                   time.perf_counter() - started, out)


def _stop_on_errors(problems: list[Problem], strict: bool) -> None:
    fatal = [p for p in problems if strict or not p.warning]
    if fatal:
        raise AtlasError(problems)


def _report_warnings(problems: list[Problem]) -> None:
    for problem in sorted(problems):
        if problem.warning:
            print(problem, file=sys.stderr)
