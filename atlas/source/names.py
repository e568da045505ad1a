"""A place through time: its name in force on a day, how the atlas writes that name then,
what the place is then (its roles), and who holds it.

Days are day numbers (`EdtfDate.first`): a period's map looks at one day (its start or
its end, or a day its author names), an event's list entry at the event's own first day.

A renaming is a change of the name in force (`Place.names`); a new spelling is a change
of the form a label takes while the name stays (`Name.forms`, or the atlas's own
convention changing at a date, `NameRule.conventions`). The two are never confused:
a change of form is never told as a renaming.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from atlas.source.datelocale import language_of
from atlas.source.dates import EdtfDate, parse
from atlas.source.model import Form, Name, NameRule, Period, Place, Role

CAPITAL = "capital"
CAPITAL_ROLES = ("capital", "seat of government")  # roles drawn with the capital symbol
DAY_WRITTEN = re.compile(r"-?[0-9]{4}-[0-9]{2}-[0-9]{2}")


def covers(when: EdtfDate | None, day: float) -> bool:
    return when is None or when.first <= day <= when.last


def event_day(when: EdtfDate) -> float:
    """The day an event's places are named at: its first (its last, when it has no start)."""
    return when.first if math.isfinite(when.first) else when.last


def map_day(period: Period, rule: NameRule) -> float:
    """The day a period's map shows: its start, its end, or a day its author names."""
    chosen = period.map_date or rule.map_date
    if chosen not in ("start", "end"):
        return parse(chosen).first  # checked when the atlas was read
    day = period.when.first if chosen == "start" else period.when.last
    if not math.isfinite(day):  # an open period: the end it has
        day = period.when.last if chosen == "start" else period.when.first
    return day


# How a sentence leads to the map's day ("The map shows places as they were …"), by
# language: a day, or a month or year. Chinese needs no word; Russian's "на" ("as of")
# takes any of them.
MAP_DAY_WORDS = {"en": ("on ", "in "), "zh": ("", ""), "ru": ("на ", "на "), "ar": ("في ", "في ")}


def map_date_text(period: Period, rule: NameRule, lang: str = "en") -> str:
    """The map's day as the page tells it, as precise as it was written: "in 1937", "on 1
    October 1949" ("1949年10月1日", "на 1 октября 1949 г.")."""
    chosen = period.map_date or rule.map_date
    if chosen not in ("start", "end"):
        written, told = chosen, parse(chosen).display(lang)
    else:
        start, _, end = period.when.text.partition("/")
        written = start if chosen == "start" or end in ("", "..") else end
        if written in ("", ".."):
            written = end or start
        told = (period.when.display_start(lang) if written == start else period.when.display_end(lang)) or ""
    on_day, in_time = MAP_DAY_WORDS.get(language_of(lang), MAP_DAY_WORDS["en"])
    return f"{on_day if DAY_WRITTEN.match(written) else in_time}{told}"


def matches(lang: str | None, tag: str) -> bool:
    """BCP 47 lookup: `zh-Latn` asks for `zh-Latn-pinyin` too, never `zh-Hans` for `zh-Latn`."""
    return lang is not None and (lang == tag or lang.startswith(tag + "-"))


@dataclass(frozen=True)
class Written:
    """A place's label on a day, and what it comes from."""

    label: str
    name: int  # which of the place's names is in force (-1: none of them, the place's own `name`)
    lang: str | None  # the language tag of the form the label took (None: the name as written)


class Naming:
    """The label rule of one atlas (atlas.yaml's `names:`), applied to any place on any day."""

    def __init__(self, rule: NameRule, language: str = "en") -> None:
        self.rule = rule
        self.language = language

    def in_use(self, form: Form, day: float) -> bool:
        """Whether a form was written on `day`: in its own time, and in its script's."""
        return covers(form.when, day) and all(day >= start.first for tag, start in self.rule.since
                                              if matches(form.lang, tag))

    def tags_at(self, day: float) -> tuple[str, ...]:
        return self.rule.forms_at(day) or (self.language,)

    def name_at(self, place: Place, day: float) -> int:
        """Which name is in force on `day`: of the names whose time covers it, the one in
        the preferred form (for names that overlap, as alternatives), else the one begun
        first: a name holds through the last day its time gives (a renaming dated 20 June
        1928 ends the old name on that day, a month's "1945-08" at the month's end);
        -1 when none is."""
        tags = self.tags_at(day)
        candidates = [index for index, name in enumerate(place.names) if covers(name.when, day)]
        if not candidates:
            return -1

        def rank(index: int) -> tuple[int, float]:
            name = place.names[index]
            start = name.when.first if name.when else -math.inf
            return (self._tag_rank(forms_of(name), day, tags), start)

        return min(candidates, key=rank)

    def written(self, place: Place, day: float) -> Written:
        """The place's label on `day` under the atlas's rule."""
        index = self.name_at(place, day)
        text, lang = self._form(place, index, day, self.tags_at(day))
        if self.rule.modern:
            latest = self._latest(place)
            modern, _ = self._form(place, latest, math.inf, self.rule.modern)
            if modern != text:
                text = f"{modern} ({text})"
        return Written(text, index, lang)

    def label(self, place: Place, day: float) -> str:
        return self.written(place, day).label

    def others(self, place: Place, day: float, written: Written | None = None) -> tuple[str, ...]:
        """The name's other forms in use on `day` (its characters, other languages) and any
        other name in force then, for a popup: never the label itself (`written`, when the
        caller has it already)."""
        written = written or self.written(place, day)
        shown, index = written.label, written.name
        found = [form.text for form in forms_in_force(place, index) if self.in_use(form, day)]
        found.append(place.names[index].name if index >= 0 else place.name)
        found += [name.name for i, name in enumerate(place.names) if i != index and covers(name.when, day)]
        return tuple(dict.fromkeys(text for text in found if text and text != shown and text not in shown))

    def _form(self, place: Place, index: int, day: float, tags: Sequence[str]) -> tuple[str, str | None]:
        forms = forms_in_force(place, index)
        for tag in tags:
            usable = [form for form in forms if matches(form.lang, tag) and self.in_use(form, day)]
            if usable:  # the form begun first, where two overlap (as names do)
                best = min(usable, key=lambda form: form.when.first if form.when else -math.inf)
                return best.text, best.lang
        name = place.names[index].name if index >= 0 else place.name
        return name, None

    def _tag_rank(self, forms: Sequence[Form], day: float, tags: Sequence[str]) -> int:
        for rank, tag in enumerate(tags):
            if any(matches(form.lang, tag) and self.in_use(form, day) for form in forms):
                return rank
        return len(tags)

    @staticmethod
    def _latest(place: Place) -> int:
        """The place's name today: the one still in force, else the one that ended last."""
        if not place.names:
            return -1
        return max(range(len(place.names)), key=lambda i: _end(place.names[i].when))


def _end(when: EdtfDate | None) -> float:
    return math.inf if when is None else when.last


def forms_of(name: Name) -> tuple[Form, ...]:
    """A name's forms, the name itself first when its language is given."""
    own = (Form(name.name, name.lang),) if name.lang else ()
    return own + name.forms


def forms_in_force(place: Place, index: int) -> tuple[Form, ...]:
    """The forms of the place's name number `index` (as `Written.name` gives it), or of its
    own name (-1)."""
    return forms_of(place.names[index]) if index >= 0 else place.forms





def roles_at(place: Place, day: float) -> tuple[Role, ...]:
    return tuple(role for role in place.roles if covers(role.when, day))


def kind_at(place: Place, day: float) -> str:
    """What the map draws the place as on `day`: a capital only while it is one."""
    capital_roles = [role for role in place.roles if role.role.lower() in CAPITAL_ROLES]
    if any(covers(role.when, day) for role in capital_roles):
        return CAPITAL
    if place.kind == CAPITAL and capital_roles:
        return "city"
    return place.kind


def control_at(place: Place, day: float) -> str:
    """Who held the place on `day` ('' when the sources say nothing): of the values in
    force then, the one begun first (as for names: a holder holds through its last day)."""
    held = [item for item in place.control if covers(item.when, day)]
    if not held:
        return ""
    return min(held, key=lambda item: item.when.first if item.when else -math.inf).value


def exists_at(place: Place, day: float) -> bool:
    return covers(place.when, day)


def turning_days(place: Place, after: float, until: float, rule: NameRule | None = None) -> list[float]:
    """The days in (after, until] on which something about the place may change: where a
    name, form, holder, role or the place itself begins, or the day after one ends, and
    where the atlas's own convention changes (for a place with forms)."""
    spans = spans_of(place)
    if rule is not None and (place.forms or any(name.forms for name in place.names)):
        spans += [start for start in (c.start for c in rule.conventions) if start] + [start for _, start in rule.since]
    days = set()
    for when in spans:
        for day in (when.first, when.last + 1):
            if math.isfinite(day) and after < day <= until:
                days.add(day)
    return sorted(days)


def spans_of(place: Place) -> list[EdtfDate]:
    """Every dated part of a place's history: itself, its names and forms, holders and roles."""
    found = [place.when] + [name.when for name in place.names]
    found += [form.when for name in place.names for form in name.forms] + [form.when for form in place.forms]
    found += [item.when for item in place.control] + [role.when for role in place.roles]
    return [when for when in found if when is not None]


def names_in_time(place: Place) -> list[str]:
    """Each of the place's names with its years, in date order: "Port Arthur 1898–1905",
    "Ryojun 1905–1945", "Lüshun 1945–" (a name without dates is the name alone)."""
    dated = sorted(place.names, key=lambda name: name.when.sort_key() if name.when else (0, 0, 0, 0, ""))
    return [f"{name.name} {name.when.years()}".strip() if name.when else name.name for name in dated]
