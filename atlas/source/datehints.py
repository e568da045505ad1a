"""The EDTF an author meant, for dates written the way history books write them.

Dates in the sources are EDTF only (DESIGN.md), so that a date means one thing to every
tool. But "264 BCE", "44 BC", "c. 300 BCE", "AD 79", "3rd century BCE" and "-149" are what
people type, and EDTF's years before 1 are astronomical (year 0000 is 1 BCE, so 264 BCE is
-0263): the natural fix of "-149", "-0149", silently means 150 BCE. So when a date does not
parse, `edtf_for` works out the exact EDTF for what was written, one end of an interval at
a time, and `dates.parse` says it in the error with how it reads. Only ever called on the
error path; `dates.parse` checks that what it proposes parses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from atlas.source.days import MONTHS

_MONTH = {name.lower()[:3]: n for n, name in enumerate(MONTHS, start=1)}
_MONTH_WORD = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}"
_ERA = r"(?P<era>b\.?\s?c\.?(?:\s?e\.?)?|c\.?\s?e\.?|a\.?\s?d\.?)"
# One date in words: an optional "circa", a day and month in either order, a year with an
# era before or after it, an optional "?".
_ONE = re.compile(
    r"(?P<circa>(?:c\.?|ca\.?|circa|about|~)\s*)?"
    r"(?:(?P<lead>a\.?\s?d\.?)\s*)?"
    r"(?:(?P<d1>\d{1,2})\s+(?P<m1>" + _MONTH_WORD + r")\.?,?\s+|(?P<m2>" + _MONTH_WORD + r")\.?\s+"
    r"(?:(?P<d2>\d{1,2}),?\s+)?)?"
    r"(?P<year>\d{1,9})(?:\s*" + _ERA + r")?\s*(?P<q>\?)?",
    re.IGNORECASE,
)
_CENTURY = re.compile(r"(?P<n>\d{1,2})(?:st|nd|rd|th)\s+century(?:\s*" + _ERA + r")?", re.IGNORECASE)
_RANGE = re.compile(r"(?P<a>.+?)\s*(?:–|—|-|\bto\b)\s*(?P<b>.+)", re.IGNORECASE)
_SHORT = re.compile(r"(?P<minus>-?)(?P<year>\d{1,3})(?P<rest>(?:-\d{2}){0,2})(?P<q>[?~%])?")
_OPEN = ("", "..")


@dataclass(frozen=True)
class Hint:
    """What to write (`edtf`); `naive`, when the author wrote a short negative year, is
    what the obvious fix would mean instead (-0149 for -149); `bce` whether it reaches
    before 1 CE."""

    edtf: str
    naive: str | None = None
    bce: bool = False
    short: bool = False  # a year written with fewer than four digits


def year_edtf(year: int) -> str:
    """An astronomical year as EDTF: four digits and a sign, or Y and more digits."""
    if abs(year) > 9999:
        return f"Y{year}"
    return f"{year:05d}" if year < 0 else f"{year:04d}"


def edtf_for(text: str) -> Hint | None:
    """The EDTF to write instead of `text`; None when no reading is sure."""
    written = " ".join(text.split())
    if "/" in written:
        left, _, right = written.partition("/")
        return _joined(_side(left.strip()), _side(right.strip()), "/")
    one = _side(written, keep=False)
    if one is not None:
        return one
    both = _RANGE.fullmatch(written)
    if both is None:
        return None
    first, last = _words(both["a"], era_of=both["b"], bare=True), _words(both["b"], bare=True)
    return _joined(first, last, "/") if first and last else None


def _joined(a: Hint | None, b: Hint | None, sep: str) -> Hint | None:
    if a is None or b is None:
        return None
    naive = f"{a.naive or a.edtf}{sep}{b.naive or b.edtf}" if a.naive or b.naive else None
    return Hint(f"{a.edtf}{sep}{b.edtf}", naive, a.bce or b.bce, a.short or b.short)


def _side(text: str, keep: bool = True) -> Hint | None:
    """One date, or one end of an interval: open, short years, a century, words, or (with
    `keep`, an end beside another) anything else as written, for the parser to judge."""
    if text in _OPEN:
        return Hint(text) if keep else None
    short = _SHORT.fullmatch(text)
    if short:
        n, rest, q = int(short["year"]), short["rest"], short["q"] or ""
        if short["minus"]:
            return Hint(year_edtf(1 - n) + rest + q, year_edtf(-n) + rest + q, True, True)
        return Hint(year_edtf(n) + rest + q, short=True)
    century = _CENTURY.fullmatch(text)
    if century:
        return _century(int(century["n"]), _era(century["era"]))
    words = _words(text)
    return words if words is not None or not keep else Hint(text)


def _century(n: int, era: str) -> Hint | None:
    if n == 0:
        return None
    if era in ("bc", "bce"):  # the 3rd century BCE is 300–201 BCE: astronomical -0299 to -0200
        return Hint(f"-{n - 1:02d}XX", bce=True)
    return Hint(f"{100 * (n - 1) + 1:04d}/{100 * n:04d}")  # 1801–1900: not 18XX, which is 1800–1899


def _era(text: str | None) -> str:
    return (text or "").lower().replace(".", "").replace(" ", "")


def _words(text: str, era_of: str | None = None, bare: bool = False) -> Hint | None:
    """One date in words, or None. `era_of` is the other end of a range, whose era a bare
    first end shares ("264–241 BCE"); a `bare` four-digit year is a date at the end of a
    range ("1914-1918")."""
    m = _ONE.fullmatch(text.strip())
    if m is None:
        return None
    era = _era(m["era"] or m["lead"])
    if not era and era_of is not None:
        other = _ONE.fullmatch(era_of.strip())
        era = _era(other["era"]) if other else ""
    word = m["m1"] or m["m2"]
    if not era and not word and not m["circa"] and not (bare and len(m["year"]) == 4):
        return None  # a bare number alone is not a date in words
    bce = era in ("bc", "bce")
    number = int(m["year"])
    if number == 0:
        return None  # no year 0 in either era
    year = 1 - number if bce else number
    edtf = year_edtf(year)
    if word:
        month = _MONTH.get(word.lower()[:3])
        if month is None or abs(year) > 9999:
            return None
        day = m["d1"] or m["d2"]
        edtf += f"-{month:02d}" + (f"-{int(day):02d}" if day else "")
    qualifier = ("~" if m["circa"] else "") + ("?" if m["q"] else "")
    return Hint(edtf + ("%" if len(qualifier) == 2 else qualifier), bce=bce)
