"""Turn raw records into a checked `Atlas`, reporting every problem at once.

Each field is checked on its own (`checker`), so that one bad value does not hide the next;
each entry is made from its fields (`entries`), atlas.yaml by `settings`, lessons by
`lessons`; cross references (event → place, via → place, duplicate ids) are checked once
all records are read (`crosscheck`). Problems carry the file and line of the offending field.
"""

from __future__ import annotations

import dataclasses

from atlas.errors import Origin, Problem, display_path
from atlas.source import declared
from atlas.source.checker import Checker
from atlas.source.crosscheck import Coverage, check_swapped, cross_check
from atlas.source.entries import event, period, place
from atlas.source.lessons import check_references, read_lesson
from atlas.source.model import (
    Atlas,
    AtlasInfo,
    Event,
    Period,
)
from atlas.source.namecheck import check_names
from atlas.source.readers import Sources
from atlas.source.settings import atlas_info
from atlas.source.translations import Fallback, in_language, languages_of, lesson_id
from atlas.source.wording import check_wording


def validate(sources: Sources, lang: str | None = None) -> tuple[Atlas, list[Problem]]:
    """Convert and check every record, as the reader of `lang` (by default the atlas's main
    language) reads them; the atlas is usable only when no problem is an error."""
    langs = languages_of(sources.info)
    lang = lang or langs[0]
    sources = in_language(sources, lang)
    checker = Checker(list(sources.problems), folder=sources.folder)
    info_origin = Origin(display_path(sources.folder / "atlas.yaml"), 1)
    info = atlas_info(checker, sources.info, info_origin, lang) if sources.info or not sources.problems else AtlasInfo("")
    checker.remote_media = info.remote_media
    places = [found for r in sources.places if (found := place(checker, r))]
    events = [found_event for r in sources.events if (found_event := event(checker, r))]
    periods = [found_period for r in sources.periods if (found_period := period(checker, r))]
    lessons = []
    for path, text in sources.lessons:
        lesson_name, written_in = lesson_id(path, langs)
        lesson, lesson_problems = read_lesson(path, text, info.lesson_html, lesson_name)
        if lang != langs[0] and written_in is None:  # not translated: the page says it is in the main language
            lesson = dataclasses.replace(lesson, title=Fallback(lesson.title, langs[0]))
        checker.problems += lesson_problems
        lessons.append(lesson)
    for key in ("categories", "controls"):
        declared.check_uses(checker, key, getattr(info, key), checker.uses[key])
    atlas = Atlas(info, tuple(places), tuple(events), tuple(periods), sources.folder, tuple(lessons))
    named = {str(record.values.get("id")) for record in sources.places}
    cross_check(checker, atlas, named - set(atlas.place_by_id), sources.unreadable)
    check_swapped(checker, atlas.places)
    if lang == langs[0]:  # (another language's labels fall back to the main language's where they must)
        check_names(checker, atlas, Coverage(atlas.periods).covers)
    check_wording(checker, atlas)
    valid: list[Event | Period] = [*atlas.events, *atlas.periods]
    broken = {str(r.values.get("id")) for r in [*sources.events, *sources.periods]} - {item.id for item in valid}
    checker.problems += check_references(atlas, broken, sources.unreadable)
    # Periods are there to show dated events: a gazetteer (places, no dated event) needs none,
    # and its index shows every place (an import that could use nothing is empty, not wrong).
    needs_periods = any(e.date is not None for e in events)
    if not periods and needs_periods and not any(not p.warning for p in checker.problems):
        origin = Origin(display_path(sources.folder / "periods.yaml"), 1)
        checker.error(origin, "the atlas has no periods: add at least one to periods.yaml")
    return atlas, checker.problems
