"""The author's notes (`note:` on a period, event or place), for `atlas check --notes`.

A note is what a fact-checker or the author needs and a reader does not: what was read,
where the sources disagree, why a date carries "?". Pages never show it (tests read every
reader-visible field for such asides); the author sees the notes here, or on the teacher's
page that atlas.yaml's `teacher_notes: true` adds to a build.
"""

from __future__ import annotations

from dataclasses import dataclass

from atlas.source.model import Atlas, Event, Period, Place


@dataclass(frozen=True, slots=True)
class Note:
    kind: str  # "period", "event" or "place"
    record: Period | Event | Place
    text: str


def notes(atlas: Atlas) -> list[Note]:
    """Every note of the atlas, periods first, then events and places in their files' order."""
    found: list[Note] = []
    for kind, records in (("period", atlas.periods), ("event", atlas.events), ("place", atlas.places)):
        found.extend(Note(kind, record, record.note) for record in records if record.note.strip())
    return found


def listing(atlas: Atlas) -> list[str]:
    """One paragraph a note: where it is (file:line), whose it is, and its text."""
    return [f"{note.record.origin}: {note.kind} {note.record.id}: {' '.join(note.text.split())}"
            for note in notes(atlas)]
