"""Event categories and control values: declared in atlas.yaml, checked wherever used.

    categories:
      war: {label: War, colour: "#b34700"}
    controls:
      Japanese: {label: Japanese, colour: "#882255"}

Once an atlas declares its categories (or its control values), a value it did not
declare is a `path:line` error with a did-you-mean: a typo cannot add a legend entry.
An atlas that declares none keeps working; there, a value used once that is one typo
away from a value used more often is a warning.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from atlas.errors import Origin
from atlas.source.model import Declared
from atlas.source.records import Record
from atlas.util import suggest

if TYPE_CHECKING:
    from atlas.source.checker import Checker

COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}\Z")
FIELDS = {"label": False, "colour": False}
WHAT = {"categories": ("category", "event category"), "controls": ("control value", "control value")}


def read(checker: Checker, record: Record, key: str) -> tuple[Declared, ...]:
    """atlas.yaml's `categories` or `controls`: value → {label, colour}, both optional."""
    section = checker.section(record, key, '{war: {label: War, colour: "#b34700"}}')
    if section is None:
        return ()
    found = []
    for value, entry in section.values.items():
        origin = section.at(value)
        if entry is None:
            found.append(Declared(value, _label(value)))
            continue
        if not isinstance(entry, Record):
            checker.error(origin, f"'{value}' in {key} should be a mapping such as {{label: War, colour: \"#b34700\"}}")
            continue
        checker.fields(entry, FIELDS, f"{WHAT[key][0]} '{value}'")
        colour = checker.text(entry, "colour") or None
        if colour and not COLOUR.match(colour):
            checker.error(entry.at("colour"), f"colour '{colour}' should be a hex colour such as \"#b34700\"")
            colour = None
        found.append(Declared(value, checker.text(entry, "label") or _label(value), colour))
    return tuple(found)


def _label(value: str) -> str:
    """A legend label made from a value: 'military-cooperation' → 'Military cooperation'."""
    words = re.sub(r"[-_]+", " ", value).strip()
    return words[:1].upper() + words[1:] if words else value


def label_of(value: str, declared: tuple[Declared, ...]) -> str:
    for entry in declared:
        if entry.value == value:
            return entry.label
    return _label(value)


def check_uses(checker: Checker, key: str, declared: tuple[Declared, ...], uses: list[tuple[str, Origin]],
               counts: Counter[str] | None = None) -> None:
    """Every use of a category (or control value) against what atlas.yaml declares.
    (`counts`, how often each value is used in the whole atlas, when `uses` is a part of it.)"""
    singular, what = WHAT[key]
    if declared:
        known = suggest.Names(entry.value for entry in declared)  # indexed once: each use looks up a few
        for value, origin in uses:
            if value not in known:
                close = known.closest(value)
                hint = f" (did you mean '{close}'?)" if close else f"; atlas.yaml declares {_listed(known)}"
                checker.error(origin, f"{what} '{value}' is not declared in atlas.yaml's {key}{hint}")
        return
    counts = counts or Counter(value for value, _ in uses)
    common = suggest.Names(other for other in counts if counts[other] > 1)
    for value, origin in uses:
        if counts[value] != 1:
            continue
        likely = [other for other in common.near(value) if one_typo_apart(value, other)]
        likely.sort(key=common.rank.__getitem__)  # the one used first, as the atlas lists them
        if likely:
            checker.warn(origin, f"{singular} '{value}' is used once; did you mean '{likely[0]}'? "
                         f"(declare the {key} in atlas.yaml to make this an error)")


def _listed(known: suggest.Names, most: int = 12) -> str:
    """The declared values, the first dozen of them when there are many."""
    names = list(known)
    return ", ".join(names[:most]) + (f" and {len(names) - most:,} more" if len(names) > most else "")


def one_typo_apart(a: str, b: str) -> bool:
    """One letter added, dropped or changed, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diffs) == 1 or (len(diffs) == 2 and diffs[1] == diffs[0] + 1
                                   and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]])
    shorter, longer = sorted((a, b), key=len)
    return any(longer[:i] + longer[i + 1:] == shorter for i in range(len(longer)))
