"""The fields that tell a place's history, checked: its names in time and their forms in
languages and scripts, its roles, and atlas.yaml's rule for choosing a label.

    names:
      - name: Fengtian
        when: "../1929-04-02"
        forms: {zh-Hant: 奉天, en: Mukden}
      - name: Shenyang
        when: "1929-04-02/.."
        forms:
          zh-Hans: 沈阳
          en: [{name: Mukden, when: "../1955"}, {name: Shenyang, when: "1955/.."}]
    roles:
      - {role: capital, of: the Republic of China, when: "1927-04-18/1949-04-23"}
"""

from __future__ import annotations

import re
from typing import Any

from atlas.errors import Origin
from atlas.source.checker import Checker
from atlas.source.dates import EdtfDate
from atlas.source.model import Convention, Form, Name, NameRule, Role
from atlas.source.records import Record

# A BCP 47 tag as Linked Places writes them: a language, then script, region or variants.
LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*\Z")
NAME_FIELDS = {"name": True, "lang": False, "when": False, "forms": False}
FORM_FIELDS = {"name": True, "when": False}
ROLE_FIELDS = {"role": True, "of": False, "when": False, "text": False}
RULE_FIELDS = {"forms": False, "conventions": False, "modern": False, "map_date": False, "since": False}
CONVENTION_FIELDS = {"from": True, "forms": True, "note": False}
MAP_DATES = ("start", "end")
TAG_EXAMPLE = "a language tag such as en, zh-Hans, zh-Latn-pinyin or ru"


def lang(checker: Checker, record: Record, key: str = "lang") -> str | None:
    text = checker.text(record, key).strip()
    if text and not LANG_TAG.match(text):
        checker.error(record.at(key), f"'{key}' should be {TAG_EXAMPLE}, got '{text}'")
        return None
    return text or None


def name(checker: Checker, record: Record) -> Name | None:
    if not checker.fields(record, NAME_FIELDS, "name"):
        return None
    return Name(checker.text(record, "name"), lang(checker, record), checker.date(record, "when"),
                forms(checker, record))


def forms(checker: Checker, record: Record) -> tuple[Form, ...]:
    """`forms: {tag: text}` or `{tag: [{name, when}, …]}`: how a name is written."""
    value = checker.section(record, "forms", "{zh-Hans: 沈阳, en: Mukden}")
    if value is None:
        return ()
    found: list[Form] = []
    for tag, written in value.values.items():
        where = value.at(tag)
        if not LANG_TAG.match(tag):
            checker.error(where, f"'{tag}' in 'forms' should be {TAG_EXAMPLE}")
            continue
        found += _forms_in(checker, value, tag, written, where)
    return tuple(found)


def _forms_in(checker: Checker, record: Record, tag: str, written: Any, where: Origin) -> list[Form]:
    if isinstance(written, list):
        items = checker.records(record, tag, lambda item: _dated_form(checker, item, tag))
        return list(items)
    if isinstance(written, Record) or written in (None, ""):
        checker.error(where, f"the form in '{tag}' should be the name as written in it, or a list of "
                      "{name, when} for forms used in different years")
        return []
    return [Form(record.text(tag) or str(written), tag)]


def _dated_form(checker: Checker, record: Record, tag: str) -> Form | None:
    if not checker.fields(record, FORM_FIELDS, f"form in '{tag}'"):
        return None
    return Form(checker.text(record, "name"), tag, checker.date(record, "when"))


def role(checker: Checker, record: Record) -> Role | None:
    if not checker.fields(record, ROLE_FIELDS, "role"):
        return None
    return Role(checker.text(record, "role").strip(), checker.text(record, "of").strip(), checker.date(record, "when"),
                checker.text(record, "text").strip())


def map_date(checker: Checker, record: Record) -> str:
    """A period's (or atlas.yaml's) `map_date`: start, end, or an EDTF date."""
    text = checker.text(record, "map_date").strip()
    if not text or text in MAP_DATES:
        return text
    if checker.date(record, "map_date") is None:
        return ""
    return text


def rule(checker: Checker, record: Record) -> NameRule:
    """atlas.yaml's `names:`."""
    section = checker.section(record, "names", "{forms: [en], conventions: [{from: 1949-10-01, forms: [...]}]}")
    if section is None or not checker.fields(section, RULE_FIELDS, "names settings"):
        return NameRule()
    conventions = [Convention(None, _tags(checker, section, "forms"))] if "forms" in section.values else []
    conventions += checker.records(section, "conventions", lambda item: _convention(checker, item))
    return NameRule(tuple(conventions), _tags(checker, section, "modern"), since=_since(checker, section),
                    map_date=map_date(checker, section) or "end")


def _since(checker: Checker, record: Record) -> tuple[tuple[str, EdtfDate], ...]:
    """`since: {zh-Hans: "1956-01-28"}`: scripts used only from a date."""
    value = checker.section(record, "since", '{zh-Hans: "1956-01-28"}')
    if value is None:
        return ()
    found = []
    for tag in value.values:
        when = checker.date(value, tag)
        if not LANG_TAG.match(tag):
            checker.error(value.at(tag), f"'{tag}' in 'since' should be {TAG_EXAMPLE}")
        elif when is not None:
            found.append((tag, when))
    return tuple(found)


def _convention(checker: Checker, record: Record) -> Convention | None:
    if not checker.fields(record, CONVENTION_FIELDS, "naming convention"):
        return None
    start = checker.date(record, "from")
    tags = _tags(checker, record, "forms")
    return Convention(start, tags, checker.text(record, "note").strip()) if start and tags else None


def _tags(checker: Checker, record: Record, key: str) -> tuple[str, ...]:
    value = record.values.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not value or not all(isinstance(tag, str) and LANG_TAG.match(tag) for tag in value):
        checker.error(record.at(key), f"'{key}' should be a list of language tags, first choice first, "
                      "such as [en, zh-Latn-wadegile]")
        return ()
    return tuple(value)


# The forms a page in a language names places in, first choice first: Chinese pages take
# simplified characters where the rule's `since` allows them (from 1956), else traditional.
SCRIPTS = {"zh": ("zh-Hans", "zh-Hant", "zh"), "zh-Hans": ("zh-Hans", "zh-Hant", "zh"),
           "zh-Hant": ("zh-Hant", "zh-Hans", "zh"), "sr": ("sr-Cyrl", "sr")}


def rule_in(rule: NameRule, lang: str) -> NameRule:
    """The atlas's label rule on the pages in another language: that language's forms of a
    name first, then the rule's own (the main language's, where a place has none in it),
    changing on the rule's dates. Those changes, of the main language's spellings, are not
    told as the atlas's: a label that changes form on such a day is told on its own."""
    own = SCRIPTS.get(lang, (lang,))
    conventions = rule.conventions or (Convention(None, ()),)
    return NameRule(tuple(Convention(c.start, own + tuple(tag for tag in c.forms if tag not in own), told=False)
                          for c in conventions), since=rule.since, map_date=rule.map_date)
