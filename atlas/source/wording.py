"""Warnings where a sentence names a place otherwise than the map beside it.

A reader compares the text with the map: "Port Arthur was returned" beside a map labelled
Lüshun makes two places of one. An event's title and summary may name its places as they
were on its day (its list and popup do) or as its period's map labels them; a period's
summary, and a lesson's section up to its map, as the place was labelled at some time in
the period (the page's changes panel tells a renaming). Giving both ("Lüshun (Port
Arthur)") is always right. A lesson's questions after its map are not read: "What is
Mukden called on this map?" names the place otherwise on purpose. Only the names the
atlas itself gives a place are looked for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache

from atlas.errors import Origin
from atlas.source.checker import Checker
from atlas.source.model import Atlas, MapEmbed, Period, Place
from atlas.source.names import Naming, event_day, exists_at, map_day, turning_days

LATIN = re.compile(r"[A-Za-z]")


def check_wording(checker: Checker, atlas: Atlas) -> None:
    naming = Naming(atlas.info.names, atlas.info.language)
    days = {period.id: map_day(period, atlas.info.names) for period in atlas.periods}
    for event in atlas.events:
        if event.date is None:
            continue
        periods = [p for p in atlas.periods if p.when.overlaps(event.date)]
        shown = [event_day(event.date), *(days[p.id] for p in periods)]
        places = [atlas.place_by_id[ref] for ref in dict.fromkeys(event.places) if ref in atlas.place_by_id]
        _check(checker, naming, event.origin, f"event '{event.id}'", f"{event.title}\n{event.summary}", places, shown)
    for period in atlas.periods:
        _check_period(checker, naming, atlas, period, period.origin, f"period '{period.id}'", period.summary)
    by_id = {period.id: period for period in atlas.periods}
    for lesson in atlas.lessons:
        for embed, text in _sections(lesson.parts):
            if embed.period in by_id:
                _check_period(checker, naming, atlas, by_id[embed.period], embed.origin,
                              f"lesson '{lesson.id}' (its map of {embed.period})", text)


def _check_period(checker: Checker, naming: Naming, atlas: Atlas, period: Period, origin: Origin, who: str,
                  text: str) -> None:
    """A text that tells a period: each place it names as it was labelled at some time in it."""
    rule = atlas.info.names
    first, day = period.when.first, map_day(period, rule)
    for place in atlas.places:
        if exists_at(place, day) and (place.mapped is None or place.mapped.overlaps(period.when)):
            days = [first, day, *turning_days(place, first, day, rule)]
            _check(checker, naming, origin, who, text, [place], days)


def _sections(parts: Sequence[str | MapEmbed]) -> Iterable[tuple[MapEmbed, str]]:
    """Each map with its section's words before it (from its heading)."""
    for index, embed in enumerate(parts):
        before = parts[index - 1] if index > 0 else ""
        if isinstance(embed, MapEmbed) and isinstance(before, str):
            yield embed, before.rsplit("\n## ", 1)[-1]


def _check(checker: Checker, naming: Naming, origin: Origin, who: str, text: str, places: Iterable[Place],
           days: Sequence[float]) -> None:
    for place in places:
        named = [name for name in _names(place) if name in text]  # (most places are not named at all)
        if not named or not any(_said(name, text) for name in named):
            continue
        labels = list(dict.fromkeys(naming.label(place, day) for day in days if exists_at(place, day)))
        right = {part.strip() for label in labels for part in re.split(r"[()]", label) if part.strip()}
        if not labels or any(_said(name, text) for name in right):
            continue
        wrong = [name for name in named if not any(name in ok for ok in right) and _said(name, text)]
        if wrong:
            shown = " or ".join(f"'{label}'" for label in labels)
            checker.warn(origin, f"{who} says '{wrong[0]}' where its map labels the place {shown}: write "
                         f"{shown}, or give both names")


@cache
def _names(place: Place) -> tuple[str, ...]:
    """Every name and form the atlas gives the place in a Latin script."""
    texts = [place.name, *(form.text for form in place.forms)]
    for name in place.names:
        texts += [name.name, *(form.text for form in name.forms)]
    parts = [part.strip() for text in texts for part in re.split(r"[()]", text)]
    return tuple(part for part in dict.fromkeys(parts) if LATIN.search(part))


@cache
def _pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")


def _said(name: str, text: str) -> bool:
    return bool(_pattern(name).search(text))
