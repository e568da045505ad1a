"""An atlas in several languages: the text that the reader of one language reads.

atlas.yaml names the atlas's main language (`language: en`) and the others it is written
in (`languages: [zh, ru]`). A language's text may be given beside the main language's,
field by field (`title: {en: Mukden Incident, zh: 九一八事变}`), or in a translator's file
of its own, `translations/<lang>.yaml`, keyed by id:

    atlas: {title: …, subtitle: …, credits: …}
    categories: {war: 战争}
    controls: {Japanese: 日本}
    periods: {<id>: {title: …, summary: …}}
    events: {<id>: {title: …, summary: …, routes: [西路：广州—长沙—汉口, …]}}  (each route's label, in order)
    places: {<id>: {description: …, roles: [中华民国首都, …]}}  (each role in words, in order)

and a lesson in `lessons/<id>.<lang>.md`. The records are made over for one language
before they are checked, so the rest of the build reads plain text. What a language lacks
is the main language's text, as a `Fallback` that remembers its language: the page marks
it (`lang="en"`), so that a screen reader reads it in the right voice.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from atlas.errors import Origin, Problem, display_path
from atlas.source.records import Lines, Record

if TYPE_CHECKING:
    from atlas.source.readers import Sources

# The fields whose text is for readers, and may be given per language.
TEXT_FIELDS = frozenset({"title", "subtitle", "credits", "summary", "description", "label", "alt", "caption",
                         "quote"})
# What a translator's file may give, by section: the fields of each entry.
SECTIONS = {"periods": ("title", "summary"), "events": ("title", "summary", "routes"),
            "places": ("description", "roles")}
# Lists a translator gives in words, one text for each item, and the item's field they fill.
LISTS = {"roles": "text", "routes": "label"}
ATLAS_TEXT = ("title", "subtitle", "credits")
TAG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*\Z")
# Scripts written right to left: a page in one of these languages is laid out mirrored.
RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"})


class Fallback(str):
    """The main language's text where a translation is not given; `lang` is its language."""

    lang: str

    def __new__(cls, text: str, lang: str) -> Fallback:
        made = super().__new__(cls, text)
        made.lang = lang
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        return Fallback, (str(self), self.lang)

    # Trimmed, it is still the main language's text (the checker trims what it reads).
    def strip(self, chars: str | None = None) -> Fallback:
        return Fallback(str.strip(self, chars), self.lang)

    def rstrip(self, chars: str | None = None) -> Fallback:
        return Fallback(str.rstrip(self, chars), self.lang)


def lang_of(text: object) -> str | None:
    """The language a text stands in, when it is not the page's own (a Fallback's)."""
    return text.lang if isinstance(text, Fallback) else None


def direction(lang: str) -> str:
    """"rtl" for a language written right to left, else "ltr"."""
    return "rtl" if lang.split("-")[0].lower() in RIGHT_TO_LEFT else "ltr"


def languages_of(info: Record | None) -> tuple[str, ...]:
    """Every language of the atlas, its main language first, as atlas.yaml gives them
    (checked by settings.py; here whatever is not a tag is left out)."""
    values = info.values if info is not None else {}
    main = values.get("language")
    main = main if isinstance(main, str) and TAG.match(main) else "en"
    others = values.get("languages")
    found = [main]
    for lang in others if isinstance(others, list) else []:
        if isinstance(lang, str) and TAG.match(lang) and lang not in found:
            found.append(lang)
    return tuple(found)


def lesson_id(path: Path, langs: tuple[str, ...]) -> tuple[str, str | None]:
    """A lesson file's lesson and language: `the-split.zh.md` is the-split in zh."""
    stem, dot, lang = path.stem.rpartition(".")
    return (stem, lang) if dot and lang in langs[1:] else (path.stem, None)


@dataclasses.dataclass
class Reading:
    """One language's reading of the records: its language, the main one, the languages
    a field may be given in, and the problems found (reported once, by the main reading)."""

    lang: str
    langs: tuple[str, ...]
    problems: list[Problem]
    report: bool

    @property
    def main(self) -> str:
        return self.langs[0]

    def pick(self, record: Record, key: str, value: Any) -> Any:
        """A text field's text in this language (a Fallback in the main language when it
        has none); any other value as it is."""
        if isinstance(value, str):
            return value if self.lang == self.main or key not in TEXT_FIELDS else Fallback(value, self.main)
        if not isinstance(value, Record):
            return self.walk(value)
        if key not in TEXT_FIELDS:
            return self.walk(value)
        given = {lang: text for lang, text in value.values.items() if isinstance(text, str)}
        if self.report:
            self._check(record, key, value)
        if self.lang in given:
            return given[self.lang]
        # Without the main language's text (reported above), another stands in, so that the
        # entry is still checked.
        main = given.get(self.main) or next(iter(given.values()), None)
        return None if main is None else Fallback(main, self.main) if self.lang != self.main else main

    def _check(self, record: Record, key: str, value: Record) -> None:
        for lang, text in value.values.items():
            if lang not in self.langs:
                self.problems.append(Problem(value.at(lang), f"'{lang}' in '{key}' is not one of this atlas's languages "
                                             f"({', '.join(self.langs)}): add it to atlas.yaml's 'languages', or "
                                             "correct the tag"))
            elif not isinstance(text, str):
                self.problems.append(Problem(value.at(lang), f"'{key}' in {lang} should be text"))
        if self.main not in value.values:
            self.problems.append(Problem(record.at(key), f"'{key}' has no text in the atlas's main language "
                                         f"({self.main}), which the other languages fall back to: add {self.main}: …"))

    def walk(self, value: Any) -> Any:
        """A value with every text field in it read in this language; the same object
        when nothing in it changed."""
        if isinstance(value, Record):
            changed = {key: self.pick(value, key, item) for key, item in value.values.items()}
            if all(changed[key] is item for key, item in value.values.items()):
                return value
            texts = {key: changed[key] if isinstance(changed[key], str) else text for key, text in value.texts.items()}
            for key, text in changed.items():
                if isinstance(text, str):
                    texts[key] = text
            return dataclasses.replace(value, values=changed, texts=texts)
        if isinstance(value, list):
            items = [self.walk(item) for item in value]
            if all(new is old for new, old in zip(items, value, strict=True)):
                return value
            made = Lines(items)
            made.lines = getattr(value, "lines", [])
            return made
        return value


def overlay(record: Record, given: dict[str, tuple[str, Origin]]) -> Record:
    """A record with some of its text fields replaced by a translator's (a place's roles,
    an event's routes: each item's words, one a line)."""
    values, texts, lines = dict(record.values), dict(record.texts), dict(record.key_lines)
    for key, (text, _) in given.items():
        if key in LISTS:
            values[key] = _items_said(values.get(key), text.split("\n"), LISTS[key])
            continue
        values[key] = texts[key] = text
    return dataclasses.replace(record, values=values, texts=texts, key_lines=lines)


def _items_said(items: Any, said: list[str], field: str) -> Any:
    """A list's items (roles, routes), each with the words a translator gives it in `field`
    (in order; items past the words keep their own)."""
    if not isinstance(items, list):
        return items
    made = Lines(overlay(item, {field: (words, item.origin)}) if isinstance(item, Record) and words else item
                 for item, words in zip(items, said + [""] * len(items), strict=False))
    made.lines = getattr(items, "lines", [])
    return made


def translator_file(folder: Path, lang: str) -> Path:
    return folder / "translations" / f"{lang}.yaml"


@dataclasses.dataclass
class Translated:
    """A translator's file, read: each section's texts by id and field, with their lines."""

    atlas: dict[str, tuple[str, Origin]] = dataclasses.field(default_factory=dict)
    declared: dict[str, dict[str, tuple[str, Origin]]] = dataclasses.field(default_factory=dict)
    entries: dict[str, dict[str, dict[str, tuple[str, Origin]]]] = dataclasses.field(default_factory=dict)
    where: dict[tuple[str, str], Origin] = dataclasses.field(default_factory=dict)  # each entry's line, by section and id
    problems: list[Problem] = dataclasses.field(default_factory=list)


def read_translator_file(folder: Path, lang: str) -> Translated:
    """`translations/<lang>.yaml`, checked field by field (an empty one when there is none)."""
    from atlas.source.readers import read_yaml

    path = translator_file(folder, lang)
    found = Translated()
    if not (path.exists() or path.is_symlink()):
        return found
    read = read_yaml(path, folder)
    found.problems += read.problems
    top = read.top
    shown = display_path(path)
    if read.problems or top is None:
        return found
    if not isinstance(top, Record):
        found.problems.append(Problem(Origin(shown, 1), "a translation file should be a mapping of sections: atlas, "
                                      "categories, controls, periods, events, places"))
        return found
    for section, value in top.values.items():
        where = top.at(section)
        if not isinstance(value, Record):
            found.problems.append(Problem(where, f"'{section}' should be a mapping"))
        elif section == "atlas":
            found.atlas = _texts(value, ATLAS_TEXT, "atlas", found.problems)
        elif section in ("categories", "controls"):
            found.declared[section] = _labels(value, section, found.problems)
        elif section in SECTIONS:
            entries = {}
            for entry_id, fields in value.values.items():
                found.where[section, entry_id] = value.at(entry_id)
                if isinstance(fields, Record):
                    entries[entry_id] = _texts(fields, SECTIONS[section], f"{section[:-1]} '{entry_id}'", found.problems)
                else:
                    found.problems.append(Problem(value.at(entry_id), f"'{entry_id}' in {section} should be a mapping "
                                                  f"of its text: {{{SECTIONS[section][0]}: …}}"))
            found.entries[section] = entries
        else:
            found.problems.append(Problem(where, f"unknown section '{section}' in a translation file: the sections "
                                          "are atlas, categories, controls, periods, events and places"))
    return found


def _texts(record: Record, allowed: tuple[str, ...], what: str, problems: list[Problem]) -> dict[str, tuple[str, Origin]]:
    texts = {}
    for key, value in record.values.items():
        if key not in allowed:
            problems.append(Problem(record.at(key), f"the translation of {what} has no field '{key}': "
                                    f"it may give {', '.join(allowed)}"))
        elif key in LISTS:
            if isinstance(value, list) and all(isinstance(item, str) for item in value):
                texts[key] = ("\n".join(value), record.at(key))
            else:
                problems.append(Problem(record.at(key), f"'{key}' of {what} should be a list of texts, one for each "
                                        f"of its {key}, in order"))
        elif not isinstance(value, str):
            problems.append(Problem(record.at(key), f"'{key}' of {what} should be text"))
        else:
            texts[key] = (value, record.at(key))
    return texts


def _labels(record: Record, section: str, problems: list[Problem]) -> dict[str, tuple[str, Origin]]:
    labels = {}
    for value, label in record.values.items():
        if isinstance(label, str):
            labels[value] = (label, record.at(value))
        else:
            problems.append(Problem(record.at(value), f"'{value}' in {section} should be its label, as text"))
    return labels


def in_language(sources: Sources, lang: str) -> Sources:
    """The sources as the reader of `lang` reads them. The main language's reading reports
    what is wrong in any language's text (the others' readings would say it again)."""
    langs = languages_of(sources.info)
    main = lang == langs[0]
    reading = Reading(lang, langs, [], report=main)
    info = reading.walk(sources.info) if sources.info is not None else None
    places, events, periods = ([reading.walk(r) for r in records]
                               for records in (sources.places, sources.events, sources.periods))
    problems = list(sources.problems) + reading.problems
    if main:
        for other in langs[1:]:
            problems += _unknown(read_translator_file(sources.folder, other), sources, other)
        problems += _lesson_problems(sources, langs)
    else:
        translated = read_translator_file(sources.folder, lang)
        if info is not None:
            info = _translated_info(info, translated)
        places, events, periods = (_translated(records, translated.entries.get(section, {}))
                                   for records, section in ((places, "places"), (events, "events"),
                                                            (periods, "periods")))
    return dataclasses.replace(sources, info=info, places=places, events=events, periods=periods,
                               problems=problems, lessons=_lessons_in(sources, langs, lang))


def _translated(records: list[Record], given: dict[str, dict[str, tuple[str, Origin]]]) -> list[Record]:
    return [overlay(record, given[str(record.values.get("id"))]) if str(record.values.get("id")) in given else record
            for record in records]


def _translated_info(info: Record, translated: Translated) -> Record:
    info = overlay(info, translated.atlas)
    for section, labels in translated.declared.items():
        declared = info.values.get(section)
        if not isinstance(declared, Record):
            continue
        entries = dict(declared.values)
        for value, (label, origin) in labels.items():
            entry = entries.get(value)
            if isinstance(entry, Record):
                entries[value] = overlay(entry, {"label": (label, origin)})
            elif value in entries:  # declared without a mapping (`war:`): its label only
                entries[value] = Record({"label": label}, origin, texts={"label": label})
        info = dataclasses.replace(info, values={**info.values, section: dataclasses.replace(declared, values=entries)})
    return info


def _unknown(translated: Translated, sources: Sources, lang: str) -> list[Problem]:
    """A translator's file's problems, and the ids and values in it that the atlas does not have."""
    problems = list(translated.problems)
    for section, records in (("places", sources.places), ("events", sources.events), ("periods", sources.periods)):
        known = {str(record.values.get("id")) for record in records}
        for entry_id in translated.entries.get(section, {}):
            if entry_id not in known:
                problems.append(Problem(translated.where[section, entry_id], f"the {lang} translation names "
                                        f"{section[:-1]} '{entry_id}', which {section}.yaml does not have"))
    info = sources.info.values if sources.info is not None else {}
    for section, labels in translated.declared.items():
        declared = info.get(section)
        known = set(declared.values) if isinstance(declared, Record) else set()
        for value, (_, origin) in labels.items():
            if value not in known:
                problems.append(Problem(origin, f"the {lang} translation names {section[:-1].replace('ie', 'y')} "
                                        f"'{value}', which atlas.yaml's {section} does not declare: declare it "
                                        f"there first ({section}: {{{value}: {{label: …}}}})"))
    return problems


def _lessons_in(sources: Sources, langs: tuple[str, ...], lang: str) -> list[tuple[Path, str]]:
    """The lessons as `lang` reads them: each in its own file for that language where there
    is one, else in the main language's."""
    own = {lesson_id(path, langs)[0]: (path, text) for path, text in sources.lessons
           if lesson_id(path, langs)[1] == lang}
    return [own.get(path.stem, (path, text)) for path, text in sources.lessons if lesson_id(path, langs)[1] is None]


def _lesson_problems(sources: Sources, langs: tuple[str, ...]) -> list[Problem]:
    main = {path.stem for path, _ in sources.lessons if lesson_id(path, langs)[1] is None}
    return [Problem(Origin(display_path(path), 1), f"'{path.name}' translates lesson '{lesson_id(path, langs)[0]}', "
                    f"but there is no {lesson_id(path, langs)[0]}.md")
            for path, _ in sources.lessons if lesson_id(path, langs)[1] and lesson_id(path, langs)[0] not in main]
