"""Incremental builds, 2 of 2: when only events in events.yaml changed, only what they touch is made again.

The next build asks `plan` first, with the record of the last (`recording.State`). The
record is used only if the code, the options and every
source file other than events.yaml are as they were, byte for byte; if events.yaml has
the same number of entries, at most MAX_CHANGED of them changed, and each changed one,
read alone, is a valid event with the same id and category naming known places; and if
no error follows (an edited event's images and area files must be ones the previous
build made, and it must still name those it named). Then only the pages and embeds of
the periods the changed events belong to (before and after the change), the index and
the export are rendered again;
every other file is the previous build's (linked, so it keeps its modification time).
Anything else (an event added or removed, a place, period, lesson, template or setting
changed, an entry that does not read the same alone, any error) means a full build,
which reports what a full build reports.

What an incremental build writes is byte for byte what a full build would, and it
prints the same warnings: tests/test_incremental.py builds both ways after random edits
and compares.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from atlas.building.buildrecord import Written
from atlas.building.recording import EVENTS, EXPORT, ITEM, UNSAFE, State, entry_lines, listing, seen_as, unpickled
from atlas.building.writer import KEEP, Keep, StaleOutput, unchanged
from atlas.errors import Origin, Problem, display_path
from atlas.site import overview
from atlas.site.export import event_feature, feature_line
from atlas.site.media import Extras
from atlas.site.overview import by_place, overview_features, period_colours
from atlas.site.render import PeriodInputs, Site
from atlas.site.views import EventFinder, Labels, PeriodView, PlaceState, naming_of, period_view
from atlas.source.checker import Checker
from atlas.source.crosscheck import Coverage, check_event
from atlas.source.declared import check_uses
from atlas.source.entries import event
from atlas.source.model import Atlas, Event, GeoJsonFile, MapEmbed, Place
from atlas.source.readers import parse_yaml, records_of
from atlas.util import files

MAX_CHANGED = 64  # past this many changed events a full build is about as fast

class Doubt(StaleOutput):
    """The record does not fit the sources after all: a full build."""


def read_events(state: State, source: Path, wanted: list[int]) -> dict[int, Event]:
    """The wanted events, read again from the record's events.yaml (each run of
    neighbouring entries in one parse), at their entries' lines."""
    found: dict[int, Event] = {}
    shown = display_path(source / EVENTS)
    runs: list[list[int]] = []
    for i in sorted(set(wanted)):
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    for run in runs:
        first, last = run[0], run[-1]
        end = state.starts[last + 1] if last + 1 < len(state.starts) else len(state.raw)
        text = state.raw[state.starts[first]:end].decode("utf-8")
        read = records_of(parse_yaml(text, shown, state.lines[first]), source / EVENTS, "events")
        if read.problems or read.records is None or len(read.records) != len(run):
            raise Doubt(EVENTS)
        for i, record in zip(run, read.records, strict=True):
            item = event(_checker(state, source), record)
            if item is None:
                raise Doubt(EVENTS)
            found[i] = item
    return found


@dataclass
class Delta:
    """An incremental build: the state after it, and what to render again."""

    state: State  # as it will be after this build
    source: Path
    previous: Written  # what the previous build wrote
    affected: list[int]  # the periods whose pages are rendered again
    changed: dict[int, Event]  # the events that changed, by index

    @property
    def warnings(self) -> list[Problem]:
        return self.state.warnings

    @property
    def remade(self) -> int:
        """How many files it makes again: the affected periods' pages and embeds, the index, the export."""
        return 2 * len(self.affected) + 1 + bool(self.changed)

    def counts(self) -> tuple[int, int, int]:
        """The atlas's periods, events and places."""
        return len(self.state.frame.periods), len(self.state.starts), len(self.state.places)

    def files(self, out: Path) -> Iterator[tuple[str, bytes | Keep]]:
        """Every file of the site: the rendered ones, and the previous build's as KEEP."""
        state = self.state
        frame = Atlas(state.frame.info, (), (), state.frame.periods, self.source, state.frame.lessons)
        made = {"index.html", EXPORT}
        for number in self.affected:
            made.update((f"periods/{frame.periods[number].id}.html", f"embed/{frame.periods[number].id}.html"))
        for path in self.previous:
            if path not in made:
                yield path, KEEP
        static: Mapping[str, PlaceState] = unpickled(state.static)
        changing: list[Place] = unpickled(state.changing)
        kept: dict[int, Event] = dict(self.changed)
        views: dict[int, PeriodView] = {}
        labels = Labels(static, changing, naming_of(frame))

        def view(number: int) -> PeriodView:
            """A period's view, made when first asked for (most periods' are not)."""
            if number not in views:
                views[number] = period_view(frame.periods[number], number, events_of(number), static, labels)
            return views[number]

        def events_of(number: int) -> list[Event]:
            wanted = [i for i in state.positions[number] if i not in kept]
            kept.update(read_events(state, self.source, wanted))
            return [kept[i] for i in state.positions[number]]

        names: dict[int, PeriodView] = {}

        def naming(number: int) -> PeriodView:
            """How the period names its places (its view without its events, made when first asked)."""
            if number not in names:
                names[number] = views.get(number) or period_view(frame.periods[number], number, [], static, labels)
            return names[number]

        site = Site(frame, state.palette, state.facts, lambda number: PeriodInputs(view(number), *state.parts[number]),
                    state.points, extras=state.extras)
        for number in self.affected:
            yield from site.period_pages(number)[0]
        colours = period_colours(frame.periods)
        numbers = range(len(frame.periods))
        if sum(len(positions) for positions in state.positions) > overview.MANY_EVENTS:
            whole = by_place([(frame.periods[n], naming(n).name_of, [state.seen[i] for i in state.positions[n]])
                              for n in numbers], state.points, colours)
        else:
            whole = overview_features([(frame.periods[n], naming(n), events_of(n)) for n in numbers],
                                      state.points, state.palette, colours, state.extras)
        yield "index.html", site.index_page(whole, {frame.periods[n].id: len(p) for n, p in enumerate(state.positions)})
        yield "data/atlas.geojson", self.export(out)

    def export(self, out: Path) -> bytes | Keep:
        """The previous build's export with the changed events' lines made again (each
        feature is one line of it: see atlas/site/export.py)."""
        if not self.changed:
            return KEEP
        path, before = out / EXPORT, self.previous.get(EXPORT)
        if before is None or not unchanged(path, before):
            raise StaleOutput(EXPORT)
        lines = path.read_bytes().split(b"\n")
        state = self.state
        if len(lines) != state.places_in_export + len(state.starts) + 3:
            raise StaleOutput(EXPORT)
        geometry = unpickled(state.geometry)
        periods: dict[int, list[str]] = {i: [] for i in self.changed}
        for period, positions in zip(state.frame.periods, state.positions, strict=True):
            for i in positions:
                if i in periods:
                    periods[i].append(period.id)
        for i, item in self.changed.items():
            at = 1 + state.places_in_export + i
            comma = b"," if lines[at].endswith(b",") else b""
            lines[at] = feature_line(event_feature(item, geometry, periods[i])).encode("utf-8") + comma
        return b"\n".join(lines)

    def state_after(self, written: Written) -> State:
        self.state.written = written
        return self.state


@dataclass(frozen=True)
class Region:
    """The entries of events.yaml an edit touched: first to last (inclusive), and where
    they lie now (their bytes, their starts and lines)."""

    first: int
    last: int
    starts: list[int]
    lines: list[int]
    shift: int  # bytes the entries after them moved
    moved: int  # lines the entries after them moved


def region(state: State, raw: bytes) -> Region | None:
    """What changed between the previous events.yaml and this one, as whole entries; None
    if the edit added or removed an entry, touched what precedes the first, or is not plain."""
    old, starts = state.raw, state.starts
    if not starts:
        return None
    same_start = _common_prefix(old, raw)
    same_end = _common_prefix(old[::-1], raw[::-1])
    same_end = min(same_end, len(old) - same_start, len(raw) - same_start)
    if same_start <= starts[0]:
        return None  # before the first entry (or at its very start): not an edit of entries alone
    first = bisect.bisect_right(starts, same_start - 1) - 1  # the entry of the last byte kept, too
    last = bisect.bisect_right(starts, min(len(old) - same_end, len(old) - 1)) - 1
    shift = len(raw) - len(old)
    end = (starts[last + 1] if last + 1 < len(starts) else len(old)) + shift
    span = raw[starts[first]:end]
    found = [starts[first] + match.start() for match in ITEM.finditer(span)]
    if len(found) != last - first + 1 or found[0] != starts[first] or UNSAFE.search(span):
        return None
    lines = entry_lines(raw, found, state.lines[first], starts[first])
    moved = raw.count(b"\n", starts[first], end) - old.count(b"\n", starts[first], end - shift)
    return Region(first, last, found, lines, shift, moved)


def _common_prefix(a: bytes, b: bytes) -> int:
    """How many bytes a and b share at their start (compared a block at a time, in C)."""
    size = 1 << 16
    limit = min(len(a), len(b))
    at = 0
    while size:
        while at + size <= limit and a[at:at + size] == b[at:at + size]:
            at += size
        size //= 16
    while at < limit and a[at] == b[at]:
        at += 1
    return at


def plan(state: State, source: Path, key: str, strict: bool) -> Delta | None:
    """The incremental build from `state` to the sources as they are now, if one can be made."""
    if state.key != key or not _same_sources(state, source):
        return None
    try:
        raw = files.read_bytes(source, source / EVENTS)
    except files.Unreadable:
        return None
    if raw == state.raw:
        return Delta(dataclasses.replace(state, written={}), source, state.written, [], {})
    edit = region(state, raw)
    if edit is None or edit.last - edit.first + 1 > MAX_CHANGED:
        return None
    shown = display_path(source / EVENTS)
    checked = _changed_events(state, source, raw, edit, shown)
    if checked is None:
        return None
    changed, problems, old = checked
    positions = [list(numbers) for numbers in state.positions]
    after = dataclasses.replace(
        state, raw=raw, positions=positions, written={}, seen=list(state.seen),
        starts=[*state.starts[:edit.first], *edit.starts,
                                           *(start + edit.shift for start in state.starts[edit.last + 1:])],
        lines=[*state.lines[:edit.first], *edit.lines, *(line + edit.moved for line in state.lines[edit.last + 1:])])
    after.warnings = _kept_warnings(state, edit, shown) + problems
    if strict and after.warnings:
        return None
    affected = {number for number, numbers in enumerate(positions) if not set(numbers).isdisjoint(changed)}
    if any(_date_text(changed[i]) != _date_text(old[i]) for i in changed):
        affected |= _moved_dates(after, source, changed, affected)
    for i, item in changed.items():
        after.seen[i] = seen_as(item)
    if not _lessons_agree(after, changed):
        return None
    return Delta(after, source, state.written, sorted(affected), changed)


def _moved_dates(state: State, source: Path, changed: dict[int, Event], affected: set[int]) -> set[int]:
    """The periods a changed date moves events out of or into; each one's order made again."""
    periods = state.frame.periods
    touched = affected | {number for number, period in enumerate(periods)
                          if any(item.date is not None and item.date.overlaps(period.when)
                                 for item in changed.values())}
    members = {i for number in touched for i in state.positions[number]} | set(changed)
    events = sorted(members)
    found = {**read_events(state, source, [i for i in events if i not in changed]), **changed}
    loaded = [found[i] for i in events]
    finder, index = EventFinder(loaded), {item.id: i for i, item in zip(events, loaded, strict=True)}
    for number in touched:
        state.positions[number] = [index[item.id] for item in finder.events_in(periods[number])]
    return touched


def _lessons_agree(state: State, changed: dict[int, Event]) -> bool:
    """Every lesson's map that names a changed event still names it in its period."""
    periods = {period.id: period for period in state.frame.periods}
    by_id = {item.id: item for item in changed.values()}
    for lesson in state.frame.lessons:
        for part in lesson.parts:
            if (isinstance(part, MapEmbed) and part.event in by_id
                    and ((when := by_id[part.event].date) is None or not when.overlaps(periods[part.period].when))):
                return False
    return True


def _same_sources(state: State, source: Path) -> bool:
    """Whether every source file but events.yaml is as the state's build read it."""
    for name, digest in state.reads.items():
        try:
            if files.digest(files.read_bytes(source, source / name)) != digest:
                return False
        except files.Unreadable:
            return False
    return listing(source) == state.listing


def _changed_events(state: State, source: Path, raw: bytes, edit: Region,
                    shown: str) -> tuple[dict[int, Event], list[Problem], dict[int, Event]] | None:
    """The touched entries as events, each read alone (at its own lines), with their
    warnings and the events they were; None if any is not a valid event with its id and
    category as before."""
    checker = _checker(state, source)
    covered = Coverage(state.frame.periods).covers
    known = dict.fromkeys(state.places, True)
    ends = [*edit.starts[1:], (state.starts[edit.last + 1] + edit.shift) if edit.last + 1 < len(state.starts)
            else len(raw)]
    found: dict[int, Event] = {}
    for offset, (start, end, line) in enumerate(zip(edit.starts, ends, edit.lines, strict=True)):
        i = edit.first + offset
        try:
            text = raw[start:end].decode("utf-8")
        except UnicodeDecodeError:
            return None
        read = records_of(parse_yaml(text, shown, line), source / EVENTS, "events")
        if read.problems or read.records is None or len(read.records) != 1:
            return None
        old = state.seen[i]
        item = event(checker, read.records[0])
        if item is None or item.id != old[0] or item.date is None:
            return None  # (an undated event is on the index and in the export: a full build lists it)
        check_event(checker, state.places, item, covered, known)
        found[i] = item
    before = read_events(state, source, list(found))
    if any(item.category != before[i].category for i, item in found.items()):
        return None
    if any(not _files_known(item, before[i], state.extras) for i, item in found.items()):
        return None  # an image or an area file the previous build did not make, or one it no longer needs
    check_uses(checker, "categories", state.frame.info.categories, checker.uses["categories"], state.categories)
    if any(not problem.warning for problem in checker.problems):
        return None
    return found, checker.problems, before


def _checker(state: State, source: Path) -> Checker:
    return Checker(folder=source, remote_media=state.frame.info.remote_media)


def _files(item: Event) -> set[str]:
    """The image and area files an event names."""
    named = {medium.file for medium in item.media if medium.file}
    return named | ({item.area.written} if isinstance(item.area, GeoJsonFile) else set())


def _files_known(item: Event, old: Event, extras: Extras) -> bool:
    """Whether an edited event's files were all made by the previous build (and were read
    then: their bytes are checked with every other source's), and it still names the files
    it named (another event may not, and a full build would then not write them)."""
    known = set(extras.pictures) | set(extras.areas)
    return _files(item) <= known and _files(old) <= _files(item)


def _kept_warnings(state: State, edit: Region, shown: str) -> list[Problem]:
    """The previous build's warnings but the touched entries', at their lines now."""
    kept = []
    for problem in state.warnings:
        if problem.origin.path == shown:
            i = bisect.bisect_right(state.lines, problem.origin.line) - 1
            if edit.first <= i <= edit.last:
                continue
            if i > edit.last and edit.moved:
                problem = Problem(Origin(shown, problem.origin.line + edit.moved), problem.message, problem.warning)
        kept.append(problem)
    return kept


def _date_text(item: Event) -> str | None:
    return item.date.text if item.date else None
