"""Incremental builds, 1 of 2: the record a full build leaves for the next one.

A full build leaves a record of what it read and made (a `State`) in the user's cache,
beside what it wrote (`buildrecord`), signed (`atlas.util.signed`: a record this user's
builds did not write is never loaded): the digests of every source file but events.yaml,
events.yaml itself cut into its entries, each period's events, and the parts of the site
that an edited event cannot change. `planning` decides from it what a build makes again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import re
import sys
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from atlas.building import buildrecord
from atlas.building.buildrecord import Written
from atlas.errors import Problem, display_path
from atlas.geo.resolve import Geometry
from atlas.site.changes import Change
from atlas.site.features import PlacesPart
from atlas.site.legend import Palette
from atlas.site.media import Extras
from atlas.site.overview import Seen
from atlas.site.pages import default_templates
from atlas.site.render import Notes, SiteFacts
from atlas.source.model import Atlas, Event
from atlas.util import files

EVENTS = "events.yaml"
EXPORT = "data/atlas.geojson"

# A top-level entry of the events' list: a "-" at the start of a line.
ITEM = re.compile(rb"^-(?=[ \t\r\n]|\Z)", re.M)
# What can make an entry read differently alone than in its file: anchors and aliases
# (an entry using another's), and YAML directives and document markers.
UNSAFE = re.compile(rb"(?:^|[\s\[{,])[&*]\S|^(?:---|\.\.\.)(?:\s|\Z)|^%", re.M)


@dataclass
class State:
    """What a build read and made, for the next build. Its events are not kept as such:
    a build reads again (from `raw`, in their entries' own lines) the few it renders."""

    key: str  # the code, the options, the folders
    reads: dict[str, str]  # every source file read but events.yaml → its digest
    listing: list[tuple[str, str]]  # the folder's entries, its templates' and lessons'
    raw: bytes  # events.yaml as read
    starts: list[int]  # where each of its entries starts (one an event, in the atlas's order)
    lines: list[int]  # the line each starts on
    seen: list[Seen]  # each event as the index's overview counts it
    categories: Counter[str]  # how often each category is used
    frame: Atlas  # the atlas without its places and events (its settings, periods, lessons) or folder
    places: frozenset[str]
    geometry: bytes  # pickled: place id → GeoJSON geometry
    static: bytes  # pickled: the states of the places that never change
    changing: bytes  # pickled: the places that change (their states in a period are made when needed)
    positions: list[list[int]]  # each period's events, in order, as indices into the events
    parts: list[tuple[PlacesPart, list[Change]]]
    facts: SiteFacts
    palette: Palette
    points: Mapping[str, list[float]]
    places_in_export: int  # data/atlas.geojson's lines of places, before its events'
    warnings: list[Problem]
    extras: Extras  # the events' pictures and area files, as the full build made them
    written: Written = dataclasses.field(default_factory=dict)


def code_key(source: Path, out: Path, strict: bool, trusted: bool = False) -> str:
    """What besides the sources decides the output: this code, its templates, the installed
    packages' versions, the folders, the options."""
    digest = hashlib.sha256()
    for root in (Path(__file__).parent.parent, default_templates()):  # all of atlas/
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    installed = []  # the packages' versions, from their dist-info folders' names (fast: no import)
    for folder in sys.path:
        try:
            installed += sorted(name for name in os.listdir(folder or ".") if name.endswith(".dist-info"))
        except OSError:
            continue
    where = [str(source.resolve()), str(out.resolve()), os.getcwd()]  # messages name paths from here
    digest.update(repr((sys.version, installed, where, strict, trusted)).encode())
    return digest.hexdigest()


def load(out: Path) -> State | None:
    state = buildrecord.state(out)
    return state if isinstance(state, State) else None


def listing(source: Path) -> list[tuple[str, str]]:
    """The folder's entries, and its templates' and lessons' with their digests: a file
    added anywhere the build looks (events.csv, a lesson, a template) changes it."""
    entries: list[tuple[str, str]] = []
    try:
        for path in sorted(source.iterdir()):
            entries.append((path.name, "link" if path.is_symlink() else "folder" if path.is_dir() else "file"))
        # What the build reads there: every template file, but only the lessons' *.md.
        for sub, pattern in (("templates", "**/*"), ("lessons", "*.md")):
            folder = source / sub
            if folder.is_dir() and not folder.is_symlink():
                for path in sorted(folder.glob(pattern)):
                    entries.append((path.relative_to(source).as_posix(), _kind(source, path)))
    except OSError:
        entries.append(("", "unreadable"))  # never equal to a record: a full build
    return entries


def _kind(source: Path, path: Path) -> str:
    """A folder, or the digest of a file read as the build reads it (inside the atlas
    folder, a regular file, within the size limit): a link out is never opened."""
    if path.is_dir() and not path.is_symlink():
        return "folder"
    try:
        return files.digest(files.read_bytes(source, path))
    except files.Unreadable:
        return "unreadable"


def seen_as(item: Event) -> Seen:
    return (item.id, item.places, item.title, item.date.display() if item.date else "")


def record(source: Path, key: str, reads: dict[str, str], atlas: Atlas, geometry: dict[str, Geometry],
           notes: Notes, warnings: list[Problem]) -> State | None:
    """A full build's State, or None when its events.yaml is not one a later build can
    change entry by entry (events also from events.csv, anchors, entries that are not
    one event each)."""
    path = source / EVENTS
    if EVENTS not in reads or (source / "events.csv").exists() or notes.facts is None or notes.palette is None:
        return None
    try:
        raw = files.read_bytes(source, path)
    except files.Unreadable:
        return None
    if files.digest(raw) != reads[EVENTS] or UNSAFE.search(raw):  # edited since it was read, or not plain
        return None
    starts = [match.start() for match in ITEM.finditer(raw)]
    if not starts or len(starts) != len(atlas.events):
        return None  # no events (an import of places alone): nothing to rebuild entry by entry
    if atlas.info.teacher_notes:
        return None  # the teacher's page lists every note: a full build keeps it true
    if any(item.date is None for item in atlas.events):
        return None  # undated events are listed on the index, which an incremental build makes from the periods'
    lines = entry_lines(raw, starts)
    shown = display_path(path)
    ends = [*lines[1:], raw.count(b"\n") + 2]
    for item, first, end in zip(atlas.events, lines, ends, strict=True):
        if item.origin.path != shown or not first <= item.origin.line < end:
            return None
    index = {item.id: number for number, item in enumerate(atlas.events)}
    views = notes.views
    frame = Atlas(atlas.info, (), (), atlas.periods, Path(), atlas.lessons)  # no path of this machine's
    return State(
        key, {name: value for name, value in reads.items() if name != EVENTS}, listing(source), raw, starts, lines,
        [seen_as(item) for item in atlas.events], Counter(item.category for item in atlas.events if item.category),
        frame, frozenset(atlas.place_by_id), pickled(geometry), pickled(views[0].static if views else {}),
        pickled(atlas.changing_places), [[index[item.id] for item in view.events] for view in views],
        notes.parts, notes.facts, notes.palette, notes.points, notes.exported_places, warnings, notes.extras)


def pickled(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def unpickled(data: bytes) -> Any:
    """Part of a State: bytes this user's own build wrote (the State's signature was verified)."""
    return pickle.loads(data)


def entry_lines(raw: bytes, starts: list[int], first: int = 1, offset: int = 0) -> list[int]:
    """The line each entry starts on, counting from `first` at byte `offset`."""
    lines = []
    for start in starts:
        first += raw.count(b"\n", offset, start)
        offset = start
        lines.append(first)
    return lines
