"""The EDTF an author meant, for dates written the way history books write them.

Dates in the sources are EDTF only (DESIGN.md), so that a date means one thing to every
tool. But "264 BCE", "44 BC", "c. 300 BCE", "AD 79" and "-149" are what people type, and
EDTF's years before 1 are astronomical (year 0000 is 1 BCE, so 264 BCE is -0263): the
natural fix of "-149", "-0149", silently means 150 BCE. So when a date does not parse,
`edtf_for` works out the exact EDTF for what was written, and the error says it, with how
that EDTF reads ("-0263 = 264 BCE"). It is only ever called on the error path.
"""

from __future__ import annotations

import re

from atlas.source.days import MONTHS

_MONTH = {name.lower()[:3]: n for n, name in enumerate(MONTHS, start=1)}
_ERA = r"(?P<era>b\.?\s?c\.?(?:\s?e\.?)?|c\.?\s?e\.?|a\.?\s?d\.?)"
# One date: an optional "circa", a day and month in either order, a year with an era
# before or after it, an optional "?".
_ONE = re.compile(
    r"(?P<circa>(?:c\.?|ca\.?|circa|about|~)\s*)?"
    r"(?:(?P<lead>a\.?\s?d\.?)\s*)?"
    r"(?:(?P<d1>\d{1,2})\s+(?P<m1>[a-z]{3,9})\.?,?\s+|(?P<m2>[a-z]{3,9})\.?\s+(?:(?P<d2>\d{1,2}),?\s+)?)?"
    r"(?P<year>\d{1,9})(?:\s*" + _ERA + r")?\s*(?P<q>\?)?",
    re.IGNORECASE,
)
_RANGE = re.compile(r"(?P<a>.+?)\s*(?:–|—|-|\bto\b)\s*(?P<b>.+)", re.IGNORECASE)
_NEGATIVE = re.compile(r"-(?P<year>\d{1,3})(?P<rest>(?:-\d{2}){0,2})(?P<q>[?~%])?")
_POSITIVE = re.compile(r"(?P<year>\d{1,3})(?P<rest>(?:-\d{2}){0,2})(?P<q>[?~%])?")


def year_edtf(year: int) -> str:
    """An astronomical year as EDTF: four digits and a sign, or Y and more digits."""
    if abs(year) > 9999:
        return f"Y{year}"
    return f"{year:05d}" if year < 0 else f"{year:04d}"


def reads(year: int) -> str:
    """How an astronomical year reads: 0 is 1 BCE."""
    return f"{1 - year} BCE" if year <= 0 else f"{year} CE" if year < 1000 else str(year)


def edtf_for(text: str) -> tuple[str, str] | None:
    """The EDTF to write instead of `text`, and the advice saying it with how it reads;
    None when no reading is sure."""
    written = " ".join(text.split())
    negative = _NEGATIVE.fullmatch(written)
    if negative:
        n = int(negative["year"])
        rest, q = negative["rest"], negative["q"] or ""
        meant, other = year_edtf(1 - n) + rest + q, year_edtf(-n) + rest + q
        return meant, (f"a year has four digits; if you mean {n} BCE write {meant} (EDTF counts 1 BCE as "
                       f"year 0000, so {other} would be {n + 1} BCE)")
    positive = _POSITIVE.fullmatch(written)
    if positive:
        fixed = year_edtf(int(positive["year"])) + positive["rest"] + (positive["q"] or "")
        return fixed, f"a year has four digits: write {fixed} ({reads(int(positive['year']))})"
    one = _one(written)
    if one is not None:
        return one[0], _advice(*one)
    both = _RANGE.fullmatch(written)
    if both is None:
        return None
    first, last = _one(both["a"], era_of=both["b"], bare=True), _one(both["b"], bare=True)
    if first is None or last is None:
        return None
    edtf = f"{first[0]}/{last[0]}"
    return edtf, f"write it as EDTF: {edtf} ({first[1]} to {last[1]}{_zero_note(first[2] or last[2])})"


def _advice(edtf: str, shown: str, bce: bool) -> str:
    return f"write it as EDTF: {edtf} ({shown}{_zero_note(bce)})"


def _zero_note(bce: bool) -> str:
    return "; EDTF counts 1 BCE as year 0000" if bce else ""


def _one(text: str, era_of: str | None = None, bare: bool = False) -> tuple[str, str, bool] | None:
    """(EDTF, how it reads, whether it is BCE) for one date in words, or None. `era_of`
    is the other end of a range, whose era a bare first end shares ("264–241 BCE"); a
    `bare` four-digit year is a date at the end of a range ("1914-1918")."""
    m = _ONE.fullmatch(text.strip())
    if m is None:
        return None
    era = (m["era"] or m["lead"] or "").lower().replace(".", "").replace(" ", "")
    if not era and era_of is not None:
        other = _ONE.fullmatch(era_of.strip())
        era = (other["era"] or "").lower().replace(".", "").replace(" ", "") if other else ""
    word = m["m1"] or m["m2"]
    if not era and not word and not m["circa"] and not (bare and len(m["year"]) == 4):
        return None  # a bare number alone is not a date in words
    bce = era in ("bc", "bce")
    number = int(m["year"])
    if number == 0:
        return None  # no year 0 in either era
    year = 1 - number if bce else number
    edtf = year_edtf(year)
    shown = reads(year)
    if word:
        month = _MONTH.get(word.lower()[:3])
        if month is None or abs(year) > 9999:
            return None
        edtf += f"-{month:02d}"
        shown = f"{MONTHS[month - 1]} {shown}"
        day = m["d1"] or m["d2"]
        if day:
            edtf += f"-{int(day):02d}"
            shown = f"{int(day)} {shown}"
    qualifier = ("~" if m["circa"] else "") + ("?" if m["q"] else "")
    if qualifier:
        edtf += "%" if len(qualifier) == 2 else qualifier
        shown = ("c. " if m["circa"] else "") + shown + ("?" if m["q"] else "")
    return edtf, shown, bce
