"""`build()`: read → validate → resolve → assign to periods → map → render → write."""

from __future__ import annotations

import dataclasses
import itertools
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from atlas.building import buildrecord, planning, recording, writer
from atlas.building.buildrecord import Written
from atlas.errors import AtlasError, Origin, Problem, display_path
from atlas.geo import resolve
from atlas.site import media, pages, render
from atlas.source import readers, validate
from atlas.source.model import Atlas
from atlas.util import files


@dataclass(frozen=True)
class Summary:
    periods: int
    events: int
    places: int
    pages: int
    seconds: float
    out: Path
    remade: int | None = None  # an incremental build's files made again (None: a full build)
    files: int = 0

    def __str__(self) -> str:
        how = f" (incremental: {self.remade} of {self.files} files made again)" if self.remade is not None else ""
        return (f"Built {self.periods} periods, {self.events} events, {self.places} places: "
                f"{self.pages} pages written to {self.out} in {self.seconds:.2f} s{how}")


def check(source: Path, strict: bool = False) -> tuple[Atlas, dict[str, resolve.Geometry]]:
    """Read and validate an atlas, raising AtlasError with every problem found."""
    checked = _checked(source, strict)
    _report_warnings(checked.warnings)
    return checked.atlas, checked.geometry


@dataclass(frozen=True)
class Checked:
    """A valid atlas with what a build draws from it: its places' geometry, its events'
    pictures and areas (and the pictures' files), and the warnings found."""

    atlas: Atlas
    geometry: dict[str, resolve.Geometry]
    extras: media.Extras
    media_files: list[tuple[str, bytes]]
    warnings: list[Problem]
    # The atlas as the readers of its other languages read it (atlas.yaml `languages`), by language.
    others: dict[str, Atlas] = dataclasses.field(default_factory=dict)


def _checked(source: Path, strict: bool, pictures_for: bool | None = None, lang: str | None = None) -> Checked:
    """The atlas checked; with `pictures_for` (a build's single_file), its images are made
    into pictures here, each decoded once, their problems reported with the rest. With
    `lang`, the atlas in that language alone."""
    sources = readers.read_folder(source)
    atlas, problems = validate.validate(sources)
    if lang is not None and lang != atlas.info.language:
        problems += _only(atlas, lang, sources)
        atlas = validate.validate(sources, lang)[0] if lang in atlas.info.languages else atlas
    # Geometry is resolved even when validation found mistakes, so that a GeoJSON file's
    # problems and the places not yet geocoded are reported in the same run.
    geometry, unresolved = resolve.geometries(atlas)
    areas, area_problems = resolve.event_areas(atlas)
    pictures: dict[str, media.Picture] = {}
    media_files: list[tuple[str, bytes]] = []
    if pictures_for is None:
        image_problems = media.problems(atlas)
    else:
        pictures, media_files, image_problems = media.make_pictures(atlas, pictures_for)
    problems += unresolved + area_problems + image_problems + pages.template_problems(source)
    _stop_on_errors(problems, strict)
    if lang is not None:  # one language's pages, as if the atlas had no other
        atlas = dataclasses.replace(atlas, info=dataclasses.replace(atlas.info, languages=(lang,)))
    others = {other: validate.validate(sources, other)[0] for other in atlas.info.others}
    return Checked(atlas, geometry, media.Extras(pictures, areas), media_files,
                   [problem for problem in problems if problem.warning], others)


def _only(atlas: Atlas, lang: str, sources: readers.Sources) -> list[Problem]:
    """`atlas build --lang` names one of the atlas's languages, or it is a mistake."""
    if lang in atlas.info.languages:
        return []
    origin = Origin(display_path(sources.folder / "atlas.yaml"), 1)
    return [Problem(origin, f"--lang {lang}: the atlas is written in {', '.join(atlas.info.languages)} "
                    "(atlas.yaml's 'language' and 'languages')")]


def build(source: Path, out: Path, strict: bool = False, single_file: bool = False,
          trust_templates: bool = False, lang: str | None = None) -> Summary:
    """Build the site; incrementally when only events changed (see planning.py).
    `trust_templates` (the person building says so, never the folder) runs the atlas's own
    templates outside Jinja's sandbox. An atlas in several languages has a site for each
    beside the main one's (`zh/…`); `lang` builds that language's alone."""
    started = time.perf_counter()
    previous = recording.load(out)
    key = recording.code_key(source, out, strict, trust_templates)
    if previous is not None and not single_file and lang is None:
        try:
            delta = planning.plan(previous, source, key, strict)
            if delta is not None:
                written = writer.write_site(delta.files(out.resolve()), out, source, previous.written, delta.state_after)
                _report_warnings(delta.warnings)
                return _summary(delta.counts(), written, started, out, delta.remade)
        except writer.StaleOutput:
            pass  # the output was edited since, or the record does not fit: a full build
    with files.recording() as reads:
        checked = _checked(source, strict, pictures_for=single_file, lang=lang)
        atlas, geometry, warnings = checked.atlas, checked.geometry, checked.warnings
        if trust_templates:
            atlas, others = _trusted(atlas), {other: _trusted(version) for other, version in checked.others.items()}
        else:
            others = checked.others
        _report_warnings(warnings)
        notes = render.Notes()

        def state_of(written: Written) -> recording.State | None:
            if single_file or others or lang:  # (an incremental build makes one language's site)
                return None
            state = recording.record(source, key, reads, atlas, geometry, notes, warnings)
            if state is not None:
                state.written = written
            return state

        site = render.render_site(atlas, geometry, checked.extras, checked.media_files, single_file=single_file,
                                  notes=notes)
        sites = [site, *(render.render_site(version, geometry, checked.extras, [], single_file=single_file,
                                            language_site=f"{other}/") for other, version in others.items())]
        written = writer.write_site(_once(itertools.chain(*sites)), out, source, buildrecord.written(out), state_of)
    return _summary((len(atlas.periods), len(atlas.events), len(atlas.places)), written, started, out)


def _trusted(atlas: Atlas) -> Atlas:
    return dataclasses.replace(atlas, info=dataclasses.replace(atlas.info, templates_trusted=True))


def _once(files: Iterator[tuple[str, bytes]]) -> Iterator[tuple[str, bytes]]:
    """Each file once: the languages' sites share the assets that are the same in each."""
    seen: set[str] = set()
    for path, data in files:
        if path not in seen:
            seen.add(path)
            yield path, data


def _summary(counts: tuple[int, int, int], written: Written, started: float, out: Path,
             remade: int | None = None) -> Summary:
    pages = sum(1 for path in written if path.endswith(".html"))
    return Summary(*counts, pages, time.perf_counter() - started, out, remade, len(written))


def _stop_on_errors(problems: list[Problem], strict: bool) -> None:
    fatal = [p for p in problems if strict or not p.warning]
    if fatal:
        raise AtlasError(problems)


def _report_warnings(problems: list[Problem]) -> None:
    for problem in sorted(problems):
        if problem.warning:
            print(problem, file=sys.stderr)
