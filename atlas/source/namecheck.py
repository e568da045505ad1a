"""Warnings about a place's history, found by reading it as the pages will: a label that
breaks the atlas's own naming rule, a name missing between two others, and a change that
falls between periods, where no page would tell it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

from atlas.source.checker import Checker
from atlas.source.dates import Day, EdtfDate, parse
from atlas.source.model import Atlas, Place
from atlas.source.names import Naming, exists_at, forms_in_force, map_day, matches, turning_days


def check_names(checker: Checker, atlas: Atlas, covered: Callable[[EdtfDate], bool]) -> None:
    naming = Naming(atlas.info.names, atlas.info.language)
    days = sorted({map_day(period, atlas.info.names) for period in atlas.periods})
    for place in atlas.changing_places:
        if atlas.info.names.conventions:  # an atlas without a names rule has none to break
            _against_the_rule(checker, naming, place, days)
        _gaps(checker, place)
        _between_periods(checker, atlas, place, covered)


def _against_the_rule(checker: Checker, naming: Naming, place: Place, days: list[float]) -> None:
    """A map label that falls back to a form in another language than the rule asks for
    (pinyin on a 1930 map under "English usage of the time"): said once a place."""
    for day in days:
        if not exists_at(place, day):
            continue
        written = naming.written(place, day)
        tags = naming.tags_at(day)
        lang = next((form.lang for form in forms_in_force(place, written.name) if form.text == written.label), None)
        if written.lang is None and lang and not any(matches(lang, tag) for tag in tags):
            checker.warn(place.origin, f"place '{place.id}' is labelled '{written.label}' ({lang}) on the map of "
                         f"{_year(day)}, where the atlas's names rule asks for {' or '.join(tags)}: add "
                         f"forms: {{{tags[0]}: …}} to that name")
            return


def _gaps(checker: Checker, place: Place) -> None:
    """Days between two of a place's names with no name in force: the map would fall back
    to the place's own name there."""
    spans = sorted((name.when for name in place.names if name.when is not None), key=lambda when: when.first)
    for before, after in itertools.pairwise(spans):
        if math.isfinite(before.last) and before.last + 1 < after.first:
            checker.warn(place.origin, f"place '{place.id}' has no name between {before.display_end()} and "
                         f"{after.display_start()}: let one name end where the next begins")
            return


def _between_periods(checker: Checker, atlas: Atlas, place: Place, covered: Callable[[EdtfDate], bool]) -> None:
    if not atlas.periods:
        return
    first = min(period.when.first for period in atlas.periods)
    last = max(period.when.last for period in atlas.periods)
    for day in turning_days(place, first, last):
        if not covered(_day(day)):
            checker.warn(place.origin, f"a change of place '{place.id}' on {_day(day).display()} falls between the "
                         "periods: no page tells it")
            return


def _day(day: float) -> EdtfDate:
    return parse(Day.from_ordinal(int(day)).iso())


def _year(day: float) -> str:
    return _day(day).display()
