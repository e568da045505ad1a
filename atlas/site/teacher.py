"""The teacher's page (notes.html): the author's notes, for a teacher preparing a lesson.

A note says what a reader's page must not: what was read, where sources disagree, which
claim was examined and left out. The author opts in (`notes: {teacher_page: true}` in
atlas.yaml), and the index's footer then links it; no other page shows a note.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from atlas.site.features import UNDATED
from atlas.site.i18n import current_language, gettext
from atlas.site.views import PeriodView
from atlas.source.model import Atlas, Event, Period, Place
from atlas.source.notes import notes


@dataclass(frozen=True, slots=True)
class NoteView:
    kind: str  # "period", "event" or "place"
    title: str
    dates: str
    links: tuple[tuple[str, str], ...]  # (href, text): the pages that show what the note is about
    text: str


def note_views(atlas: Atlas, views: Sequence[PeriodView]) -> list[NoteView]:
    """Every note, with the pages its period, event or place appears on."""
    shown_in: dict[str, list[tuple[str, str]]] = {}
    for view in views:
        page = f"periods/{view.period.id}.html"
        for event in view.events:
            shown_in.setdefault(event.id, []).append((f"{page}#event-{event.id}", view.period.title))
    return [_view(note.record, note.text, shown_in) for note in notes(atlas)]


def _view(record: Period | Event | Place, text: str, shown_in: dict[str, list[tuple[str, str]]]) -> NoteView:
    if isinstance(record, Period):
        return NoteView("period", record.title, record.when.display(current_language()),
                        ((f"periods/{record.id}.html", record.title),), text)
    if isinstance(record, Event):
        return NoteView("event", record.title, record.date.display(current_language()) if record.date else gettext(UNDATED),
                        tuple(shown_in.get(record.id, ())), text)
    return NoteView("place", record.name, "", (), text)
