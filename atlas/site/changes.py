"""What changed on the map during a period: renamings, new spellings, changes of hands,
of what a place was (a capital, a leased port), and states or regions that began, ended
or changed their outline, each with its date and what it was before.

A period's map shows one day (its end, unless its author chose another: see
`atlas.source.names.map_day`); the panel lists what happened after the previous map's
day, up to this map's, on the page of the period in which it happened. Each change is read
from the data on the day it took effect, so "before" is what the data says held just
before it, never a guess from the previous map. A new spelling is never a renaming: the
atlas's own change of convention is one line, and spellings changed on one day are one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from babel import Locale, UnknownLocaleError

from atlas.site.i18n import current_language, gettext, ngettext
from atlas.site.legend import Palette
from atlas.source.model import Atlas, Convention, Place, Via
from atlas.source.names import (
    Naming,
    control_at,
    covers,
    exists_at,
    forms_in_force,
    roles_at,
    spans_of,
    turning_days,
)

if TYPE_CHECKING:
    from atlas.site.views import PeriodView

KINDS = ("began", "renamed", "spelling", "usage", "language", "role", "control", "outline", "ended")
EXAMPLES = 3  # new spellings named in the one line that tells them


@dataclass(frozen=True)
class Change:
    """One change, as the panel lists it and the map marks it."""

    kind: str  # one of KINDS
    place: str  # the place's id: the map marks it, and the panel's entry shows it ("" for a line about many)
    text: str  # "Peking → Peiping", "Chinese Eastern Railway: Contested → Sino-Soviet (joint)"
    date: str  # "20 June 1928", or "" when the sources give none
    sort: float  # day number of the change, for the panel's order
    drawn: bool  # whether the place is on this period's map
    subject: str = ""  # the place's label the text tells of ("" for a line about many)


@dataclass(frozen=True)
class Look:
    """What the data says of a place on one day."""

    exists: bool
    name: int
    label: str
    lang: str | None  # the language tag of the form the label took
    held: str
    roles: frozenset[str]


def look(place: Place, day: float, naming: Naming) -> Look:
    written = naming.written(place, day)
    return Look(exists_at(place, day), written.name, written.label, written.lang, control_at(place, day),
                frozenset(role.text() for role in roles_at(place, day)))


def changes_in(atlas: Atlas, before: PeriodView | None, view: PeriodView, palette: Palette) -> list[Change]:
    """The changes after the previous map's day (the period's first day, for the first
    period) up to this map's. Only places with dated names, forms, control, roles or
    existence can change: the others are not looked at."""
    naming = view.labels.naming
    after = before.day if before is not None else view.period.when.first
    found: list[Change] = []
    spellings: list[Change] = []
    for place in atlas.changing_places:
        for day in turning_days(place, after, view.day, naming.rule):
            was, now = look(place, day - 1, naming), look(place, day, naming)
            drawn = place.id in view.dynamic
            found += _existence(place, was, now, day, drawn)
            if was.exists and now.exists:
                found += _renamed(place, was, now, day, drawn, atlas.info.language == atlas.info.main_language)
                spellings += _respelled(place, was, now, day, drawn)  # one line for each day, below
                found += _roles(place, was, now, day, drawn) + _control(place, was, now, day, drawn, palette)
    conventions = [c for c in naming.rule.conventions
                   if c.told and c.start is not None and after < c.start.first <= view.day]
    lines = {place.id for place in atlas.places if isinstance(place.shape, Via)}
    # Towns before railways in the examples a line gives: they are what a reader looks for.
    spellings.sort(key=lambda change: (change.place in lines, change.text))
    found += _spelling_lines(spellings, conventions, atlas.info.language == atlas.info.main_language)
    found = _outlines(atlas, found)
    # Lines that share a name after a change (three railways merged into one company)
    # make the same entry: it is listed once.
    unique = {(change.text, change.date): change for change in reversed(found)}
    return sorted(unique.values(), key=lambda change: (change.sort, KINDS.index(change.kind), change.text))


def _existence(place: Place, was: Look, now: Look, day: float, drawn: bool) -> list[Change]:
    if was.exists == now.exists:
        return []
    if now.exists:
        return [Change("began", place.id, gettext("%(place)s began") % {"place": now.label}, *_told(place, day), drawn,
                       now.label)]
    return [Change("ended", place.id, gettext("%(place)s ended") % {"place": was.label}, *_told(place, day), drawn,
                   was.label)]


def _renamed(place: Place, was: Look, now: Look, day: float, drawn: bool, main: bool = True) -> list[Change]:
    if was.name == now.name:
        return []
    old, new = _said(place, was.name, day - 1, main), _said(place, now.name, day, main)
    if old == new:
        return []
    text = f"{was.label} → {now.label}" if was.label != now.label else \
        gettext("%(old)s renamed %(new)s (on this map: %(label)s)") % {"old": old, "new": new, "label": now.label}
    return [Change("renamed", place.id, text, *_told(place, day), drawn)]


def _said(place: Place, index: int, day: float, main: bool) -> str:
    """A name as the renaming line calls it: as the author wrote it, on the pages in the
    atlas's main language ("Fengtian renamed Shenyang"); in another language, its form in
    the script of the place's own language ("奉天 переименован в 瀋陽"), which tells the
    renaming where the page's own form of both names is the same (Мукден); else as written."""
    name = place.names[index] if index >= 0 else None
    written = name.name if name else place.name
    lang = current_language()
    if name is None or main:
        return written
    forms = [form for form in forms_in_force(place, index) if covers(form.when, day)]
    native = [form.text for form in forms if form.lang and "-Latn" not in form.lang and _language(form.lang) != "en"
              and _language(form.lang) != _language(lang)]
    return native[0] if native else written


def _respelled(place: Place, was: Look, now: Look, day: float, drawn: bool) -> list[Change]:
    """The same name in another form: a new spelling in the same language ("Canton →
    Guangzhou"), or the name in another language in place of an exonym ("Mukden →
    Shenyang": kind "language"). Neither is a renaming."""
    if was.name != now.name or was.label == now.label:
        return []
    kind = "spelling" if _language(was.lang) == _language(now.lang) or not (was.lang and now.lang) else "language"
    if _former_name(place, was.label, now.name):
        kind = "usage"  # writers kept a former name (Urga) for years after the renaming: not a spelling
    return [Change(kind, place.id, f"{was.label} → {now.label}", *_told(place, day), drawn)]


def _former_name(place: Place, label: str, current: int) -> bool:
    """Whether `label` is an earlier name of the place that writers kept for a time (the
    English "Urga", a form dated 1924–45 of the Ulaanbaatar the city became in 1924), not
    a spelling of the name in force (the postal "Peking" of Beijing, undated)."""
    if current < 0 or not any(name.name == label or any(form.text == label for form in name.forms)
                              for index, name in enumerate(place.names) if index != current):
        return False
    return any(form.text == label and form.when is not None for form in place.names[current].forms)


def _language(tag: str | None) -> str:
    return (tag or "").split("-")[0].lower()


def _spelling_lines(spellings: Sequence[Change], conventions: Sequence[Convention], main: bool = True) -> list[Change]:
    """New forms of names: the atlas's change of convention is one line (with a few examples
    of each sort); other new forms of one day are one line; a single one names its place."""
    lines: list[Change] = []
    by_day: dict[float, list[Change]] = {}
    for change in spellings:
        by_day.setdefault(change.sort, []).append(change)
    for convention in conventions:
        assert convention.start is not None
        day = convention.start.first
        note = convention.note or gettext("From here on the atlas writes names in another form")
        lines.append(Change("spelling", "", _told_forms(note.rstrip("."), by_day.pop(day, []), convention.forms),
                            convention.start.display_start(current_language()) or "", day, False))
    for day, told in by_day.items():
        if len(told) == 1:
            (change,) = told
            old, new = change.text.split(" → ", 1)
            # In another language than the atlas's, a name's form is how that language came to
            # write it (Мукден → Шэньян): its usage changed, not its spelling.
            spelling = gettext("%(old)s now written %(new)s (a new spelling, not a new name)") if main else \
                gettext("%(new)s in place of %(old)s (how the name is now written in this language; the name "
                        "itself did not change)")
            said = {"spelling": spelling,
                    "usage": gettext("%(new)s in place of %(old)s (the former name gives way to the name in force, "
                                     "not a renaming)")}.get(change.kind) or \
                gettext("%(new)s in place of %(old)s (the same place's name in another language, not a renaming)")
            text = said % {"old": old, "new": new}
            lines.append(Change(change.kind, change.place, text, change.date, day, change.drawn))
        else:
            lines.append(Change("spelling", "", _told_forms("", told, (), main), told[0].date, day, False))
    return lines


def _told_forms(note: str, told: Sequence[Change], tags: Sequence[str], main: bool = True) -> str:
    """"NOTE. New spellings, not new names: A → B, C → D and 3 more. Chinese names in
    place of English ones: E → F."""
    said = [note] if note else []
    spellings = [change.text for change in told if change.kind == "spelling"]
    if spellings and main:
        said.append(gettext("New spellings, not new names: %(examples)s") % {"examples": _examples(spellings)})
    elif spellings:
        said.append(gettext("Names now written otherwise in this language, the names themselves unchanged: "
                            "%(examples)s") % {"examples": _examples(spellings)})
    kept = [change.text for change in told if change.kind == "usage"]
    if kept:
        said.append(gettext("Former names giving way to the names in force: %(examples)s")
                    % {"examples": _examples(kept)})
    others = [change.text for change in told if change.kind == "language"]
    if others:
        said.append((gettext("%(language)s names in place of names in other languages: %(examples)s") if tags else
                     gettext("Names in another language in place of names in other languages: %(examples)s"))
                    % {"language": language_name(tags[0]) if tags else "", "examples": _examples(others)})
    return gettext(". ").join(said) + gettext(".")


def language_name(tag: str) -> str:
    """A language's name in the page's language ("Chinese", "китайский"), else its tag."""
    try:
        name = Locale.parse(current_language().replace("-", "_")).languages.get(_language(tag))
    except (ValueError, UnknownLocaleError):
        name = None
    return name or tag


def _examples(texts: Sequence[str]) -> str:
    if len(texts) <= EXAMPLES:
        return gettext(", ").join(texts)
    return ngettext("%(examples)s and %(num)d more", "%(examples)s and %(num)d more", len(texts) - EXAMPLES) % {
        "examples": gettext(", ").join(texts[:EXAMPLES]), "num": len(texts) - EXAMPLES}


def _roles(place: Place, was: Look, now: Look, day: float, drawn: bool) -> list[Change]:
    found = [Change("role", place.id, gettext("%(place)s becomes %(role)s") % {"place": now.label, "role": _lower(role)},
                    *_told(place, day), drawn, now.label)
             for role in sorted(now.roles - was.roles)]
    found += [Change("role", place.id, gettext("%(place)s no longer %(role)s") % {"place": was.label, "role": _lower(role)},
                     *_told(place, day), drawn, was.label)
              for role in sorted(was.roles - now.roles)]
    return found


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def _control(place: Place, was: Look, now: Look, day: float, drawn: bool, palette: Palette) -> list[Change]:
    if was.held == now.held:
        return []
    before = palette.control(was.held).label if was.held else ""
    after = palette.control(now.held).label if now.held else ""
    if before and after:
        text = gettext("%(place)s: %(before)s → %(after)s") % {"place": now.label, "before": before, "after": after}
    elif after:
        text = gettext("%(place)s: under %(control)s control") % {"place": now.label, "control": after}
    else:
        text = gettext("%(place)s: %(control)s control ended") % {"place": now.label, "control": before}
    return [Change("control", place.id, text, *_told(place, day), drawn)]


def _outlines(atlas: Atlas, found: list[Change]) -> list[Change]:
    """A state or region drawn with another outline at other times (`outline_of`) did not
    end or begin: its outline changed, or is not drawn for a while."""
    group = {place.id: place.outline_of or place.id for place in atlas.places}
    outlined = {place.outline_of for place in atlas.places if place.outline_of}
    kept: list[Change] = []
    for change in found:
        me = atlas.place_by_id.get(change.place)
        if change.kind not in ("began", "ended") or me is None or me.when is None or group[me.id] not in outlined:
            kept.append(change)
            continue
        start = me.when.first
        others = [p.when for p in atlas.places if group[p.id] == group[me.id] and p.id != me.id and p.when]
        name = change.subject
        later = [when for when in others if when.first > start]
        if change.kind == "ended" and later:
            if not any(when.first <= change.sort + 1 for when in later):
                kept.append(Change("outline", me.id, gettext("%(place)s: outline not drawn from here on") % {
                    "place": name}, change.date, change.sort, change.drawn, name))
            continue  # else the next outline's entry tells it
        if change.kind == "began" and any(when.first < start for when in others):
            kept.append(Change("outline", me.id, gettext("%(place)s: outline changed") % {"place": name}, change.date,
                               change.sort, change.drawn, name))
            continue
        kept.append(change)
    return kept


def _told(place: Place, day: float) -> tuple[str, float]:
    """The date a change on `day` is told with, as precisely as the sources give it (the
    start of what began that day, else the end of what ended the day before), and the
    day it names, for the panel's order."""
    spans = spans_of(place)
    begun = [when for when in spans if when.first == day]
    lang = current_language()
    if begun:
        return begun[0].display_start(lang) or "", day
    ended = [when for when in spans if when.last == day - 1]
    return (ended[0].display_end(lang) or "", day - 1) if ended else ("", day)

