"""EDTF dates (levels 0 and 1) resolved to inclusive ranges of days.

Accepted forms, each optionally followed by one qualifier (``?`` uncertain,
``~`` approximate, ``%`` both) that is recorded but does not widen the range:

* ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``; years are four digits with an optional
  ``-`` in astronomical numbering (``0000`` is 1 BCE, ``-0043`` is 44 BCE);
* long years ``Y170000`` / ``Y-12000`` (five or more digits, year only);
* unspecified digits: ``195X``, ``19XX`` (year only, non-negative years),
  ``1985-XX``, ``1985-04-XX``, ``1985-XX-XX``;
* seasons ``YYYY-21`` .. ``YYYY-24`` (northern hemisphere: spring is March to
  May, winter runs from 1 December to the end of the next February);
* intervals ``a/b``; ``..`` marks an open end and an empty side an unknown end.

The calendar (`days`) is the proleptic Gregorian one for every year, including year 0
and negative years; day numbers come from Howard Hinnant's civil-date
algorithms because ``datetime.date`` stops at year 1.

Display text (`datewords`) uses these conventions: years before 1 are shown as BCE
(``0000`` -> ``1 BCE``); years 1..999 get a ``CE`` suffix so that a bare small
number is never mistaken for a day or a count (``0800`` -> ``800 CE``); years
from 1000 on are shown bare. ``~`` becomes a ``c.`` prefix and ``?`` a ``?``
suffix. Ranges use an en dash, spaced when either side has spaces.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field

from atlas.source.datehints import Hint, edtf_for
from atlas.source.datelocale import words_for
from atlas.source.datewords import Sides, in_words, year_span
from atlas.source.days import (
    SEASONS,
    DateError,
    Day,
    Side,
    days_in_month,
    month_length_text,
    year_text,
)
from atlas.util.packed import Packed

__all__ = ["DateError", "Day", "EdtfDate", "overlap_days", "parse"]


_SIDE_RE = re.compile(
    r"(?:Y(?P<long>-?[1-9][0-9]{4,8})"
    r"|(?P<year>-?[0-9]{4}|-?[0-9]{3}X|-?[0-9]{2}XX)"
    r"(?:-(?P<month>[0-9]{2}|XX)(?:-(?P<day>[0-9]{2}|XX)"
    # A time of day (EDTF level 0), local or with its offset from UTC.
    r"(?:T(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})"
    r"(?P<zone>Z|[+-][0-9]{2}(?::[0-9]{2})?)?)?)?)?)"
    r"(?P<q>[?~%])?",
    re.ASCII,
)
# Loose shape used only to explain a failed match: digit groups with X's.
_LOOSE_RE = re.compile(r"-?(?P<year>[0-9X]+)(?:-(?P<rest>[0-9X-]*))?[?~%]?", re.ASCII)
_OPEN = ("", "..")


def _fail(whole: str, reason: str) -> DateError:
    return DateError(f"invalid date {whole!r}: {reason}")


def _explain(side: str) -> str:
    """Why `side` does not match _SIDE_RE; only runs on the error path."""
    if side == "":
        return "empty date"
    if side == "..":
        return "'..' (open end) is only allowed as one side of an interval"
    if any(c.isspace() for c in side):
        return "contains whitespace"
    if "T" in side or ":" in side:
        return "a time of day is written hh:mm:ss after a full date and a T, e.g. 1985-04-12T23:20:30 (or …Z, …+04:30)"
    if "x" in side and _LOOSE_RE.fullmatch(side.replace("x", "X")):
        return "unspecified digits must be an uppercase X"
    if any(c in "?~%" for c in side[:-1]):
        return "a qualifier (?, ~, %) may only come at the end of a date"
    if side.startswith("Y"):
        return (
            "a Y year is year-only, five to nine digits, no leading zero (e.g. Y170000)"
        )
    loose = _LOOSE_RE.fullmatch(side)
    if loose is None:
        return "expected YYYY, YYYY-MM or YYYY-MM-DD"
    if len(loose["year"]) != 4:
        return "the year must have exactly four digits (use Y for longer years)"
    parts = loose["rest"].split("-") if loose["rest"] is not None else []
    if len(parts) > 2:
        return "too many parts; expected YYYY, YYYY-MM or YYYY-MM-DD"
    if any(len(p) != 2 for p in parts):
        return "month and day must have exactly two digits"
    return (
        "X may only replace the last one or two digits of a non-negative year,"
        " or a whole month or day"
    )


def _parse_side(side: str, whole: str) -> Side:
    m = _SIDE_RE.fullmatch(side)
    if m is None:
        raise _fail(whole, _explain(side))
    q = m["q"] or ""
    if m["long"] is not None:
        y = int(m["long"])
        return Side(Day(y, 1, 1), Day(y, 12, 31), "year", q)
    ytext, month, day = m["year"], m["month"], m["day"]
    if "X" in ytext:
        if month is not None:
            raise _fail(
                whole, "a year with unspecified digits cannot have a month or day"
            )
        low, high = int(ytext.replace("X", "0")), int(ytext.replace("X", "9"))
        # -01XX is 199 to 100 years before year 0: the largest number is the earliest.
        first, last = (high, low) if ytext.startswith("-") else (low, high)
        return Side(Day(first, 1, 1), Day(last, 12, 31), "years", q)
    if ytext == "-0000":
        raise _fail(whole, "there is no year -0000; 1 BCE is 0000")
    y = int(ytext)
    if month is None or month == "XX":
        if day not in (None, "XX"):
            raise _fail(
                whole, "a day cannot be given when the month is unspecified (XX)"
            )
        return Side(Day(y, 1, 1), Day(y, 12, 31), "year", q)
    side_ = _parse_month(y, int(month), day, q, whole)
    if m["hour"] is not None:
        return side_._replace(time=_time(m, whole))
    return side_


# Offsets from UTC in use on the earth, in minutes: from -12:00 (Baker Island) to +14:00 (Kiribati).
_OFFSETS = range(-12 * 60, 14 * 60 + 1)


def _time(m: re.Match[str], whole: str) -> str:
    """A time of day, checked, as the reader reads it; the date stays the day written.
    24:00:00 (an end of day some ISO 8601 editions allow) is refused: it is the next day's
    00:00:00, and a day written here is the day it covers."""
    hour, minute, second = int(m["hour"]), int(m["minute"]), int(m["second"])
    if (hour, minute, second) == (24, 0, 0):
        raise _fail(whole, "24:00:00 is not a time of day: the end of a day is the next day's 00:00:00")
    if not (hour < 24 and minute < 60 and second < 60):
        raise _fail(whole, f"{m['hour']}:{m['minute']}:{m['second']} is not a time of day")
    zone = m["zone"] or ""
    if zone not in ("", "Z"):
        hours, minutes = int(zone[1:3]), int(zone[4:6] or 0)
        if minutes > 59 or (-1 if zone[0] == "-" else 1) * (hours * 60 + minutes) not in _OFFSETS:
            raise _fail(whole, f"{zone} is not an offset from UTC (from -12:00 to +14:00)")
    if zone.startswith("-") and not zone[1:].replace(":", "").strip("0"):
        raise _fail(whole, f"{zone} is not allowed: UTC itself is written Z or +00:00")
    shown = "UTC" if zone == "Z" else f"UTC{zone}" if zone else ""
    return f"{m['hour']}:{m['minute']}:{m['second']}" + (f" {shown}" if shown else "")


def _parse_month(y: int, mo: int, day: str | None, q: str, whole: str) -> Side:
    if mo in SEASONS:
        if day is not None:
            raise _fail(whole, "a season cannot have a day")
        first, last = SEASONS[mo]
        end_year = y + 1 if last < first else y  # winter ends the next year
        end = Day(end_year, last, days_in_month(end_year, last))
        return Side(Day(y, first, 1), end, "season", q)
    if not 1 <= mo <= 12:
        raise _fail(whole, f"month {mo:02d} does not exist (01-12, or seasons 21-24)")
    length = days_in_month(y, mo)
    if day is None or day == "XX":
        return Side(Day(y, mo, 1), Day(y, mo, length), "month", q)
    d = int(day)
    if not 1 <= d <= length:
        reason = "day 00 does not exist" if d == 0 else month_length_text(y, mo)
        raise _fail(whole, reason)
    exact = Day(y, mo, d)
    return Side(exact, exact, "day", q)


@dataclass(frozen=True, slots=True)
class EdtfDate(Packed):
    """A parsed EDTF date or interval; `start`/`end` are inclusive, None = unbounded."""

    text: str
    start: Day | None
    end: Day | None
    uncertain: bool
    approximate: bool
    # The range as day numbers (open ends infinite), computed once: assigning events to
    # periods compares ranges millions of times in a large atlas.
    first: float = field(init=False, repr=False, compare=False)
    last: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "first", self.start.ordinal() if self.start else -math.inf)
        object.__setattr__(self, "last", self.end.ordinal() if self.end else math.inf)

    def overlaps(self, other: EdtfDate) -> bool:
        return self.first <= other.last and other.first <= self.last

    def contains_day(self, day: Day) -> bool:
        return (self.start is None or self.start <= day) and (
            self.end is None or day <= self.end
        )

    def days(self) -> float:
        if self.start is None or self.end is None:
            return math.inf
        return float(self.end.ordinal() - self.start.ordinal() + 1)

    def sort_key(self) -> tuple[int, int, int, int, str]:
        """Open start first, then by start day, then end day (open end last), then text."""
        start = self.start.ordinal() if self.start is not None else 0
        end = self.end.ordinal() if self.end is not None else 0
        return (self.start is not None, start, self.end is None, end, self.text)

    def display(self, lang: str = "en") -> str:
        """Reader-facing words in the language `lang` (a BCP 47 tag), derived from `text`:
        English by the module docstring's conventions, Chinese and Russian by
        `datelocale`'s; another language in English."""
        return _display(self.text, lang)

    def display_start(self, lang: str = "en") -> str | None:
        """The first end as a reader reads it ("20 August 1945"); None when open."""
        left, sep, _ = self.text.partition("/")
        return None if sep and left in _OPEN else words_for(lang).qualified(_parse_side(left, self.text))

    def display_end(self, lang: str = "en") -> str | None:
        """The last end as a reader reads it; None when open."""
        left, sep, right = self.text.partition("/")
        side = right if sep else left
        return None if sep and right in _OPEN else words_for(lang).qualified(_parse_side(side, self.text))

    def years(self) -> str:
        """The years it spans, for a compact label: "1945–1949", "1937", "1950–"."""
        if self.start is None and self.end is None:
            return ""
        if self.start is None:
            return f"–{year_text(self.end.year)}" if self.end else ""
        if self.end is None:
            return f"{year_text(self.start.year)}–"
        return year_span(self.start.year, self.end.year)

    @property
    def start_unknown(self) -> bool:
        """True for `/b` (start not known), as opposed to `../b` (no start)."""
        return self.text.startswith("/")

    @property
    def end_unknown(self) -> bool:
        """True for `a/` (end not known), as opposed to `a/..` (still ongoing)."""
        return self.text.endswith("/")


@functools.lru_cache(maxsize=65536)
def _display(text: str, lang: str = "en") -> str:
    """An EDTF text as a reader of `lang` reads it; cached: a page shows each date several times."""
    return in_words(_sides(text), words_for(lang))


def _sides(text: str) -> Sides:
    """An EDTF text's ends parsed: one date twice, or an interval's ends (`None` when open)."""
    left, sep, right = text.partition("/")
    if not sep:
        one = _parse_side(left, text)
        return Sides(one, one)
    first = None if left in _OPEN else _parse_side(left, text)
    last = None if right in _OPEN else _parse_side(right, text)
    return Sides(first, last, unknown="" in (left, right))


def _flags(q: str) -> tuple[bool, bool]:
    return q in ("?", "%"), q in ("~", "%")


MAX_LENGTH = 64  # the longest date here is about 40 characters; an interval of two times of day (refused: ends are days) is 51
DAY_MONTH_YEAR = re.compile(r"(?P<d>[0-9]{1,2})[/.](?P<m>[0-9]{1,2})[/.](?P<y>[0-9]{4})")


def parse(text: str) -> EdtfDate:
    """Parse an EDTF level 0/1 date or interval; raise DateError if it is not one, saying
    the EDTF to write when the text is a date in words ("264 BCE": -0263)."""
    try:
        return _parse(text)
    except DateError:
        hint = edtf_for(text) if len(text) <= MAX_LENGTH else None
        if hint is None or not _parses(hint.edtf) or (hint.naive and not _parses(hint.naive)):
            raise
        raise _fail(text, _advice(hint)) from None


def _advice(hint: Hint) -> str:
    """What to write, and how it reads (and, for a short negative year, what the obvious
    fix would mean instead)."""
    reads = _display(hint.edtf)
    if hint.naive:
        return (f"a year has four digits; if you mean {reads} write {hint.edtf} (EDTF counts 1 BCE as year 0000, "
                f"so {hint.naive} would be {_display(hint.naive)})")
    zero = "; EDTF counts 1 BCE as year 0000" if hint.bce else ""
    lead = "a year has four digits: write" if hint.short else "write it as EDTF:"
    return f"{lead} {hint.edtf} ({reads}{zero})"


def _parses(text: str) -> bool:
    try:
        _parse(text)
    except DateError:
        return False
    return True


def _parse(text: str) -> EdtfDate:
    if len(text) > MAX_LENGTH:
        raise DateError(f"invalid date '{text[:20]}…' ({len(text)} characters): too long to be a date "
                        "(years beyond nine digits are not supported)")
    written = DAY_MONTH_YEAR.fullmatch(text)
    if written:
        d, m, y = (int(written[k]) for k in "dmy")
        guess = f"{y:04d}-{m:02d}-{d:02d}" if m <= 12 else f"{y:04d}-{d:02d}-{m:02d}"
        raise _fail(text, f"write dates year first, as EDTF does: {guess}")
    if "/" not in text:
        s = _parse_side(text, text)
        unc, approx = _flags(s.qualifier)
        return EdtfDate(text, s.start, s.end, unc, approx)
    left, _, right = text.partition("/")
    if "/" in right:
        raise _fail(text, "an interval has exactly one '/'")
    if left in _OPEN and right in _OPEN:
        raise _fail(text, "an interval needs at least one known end")
    a = None if left in _OPEN else _parse_side(left, text)
    b = None if right in _OPEN else _parse_side(right, text)
    if (a and a.time) or (b and b.time):
        raise _fail(text, "the ends of an interval are dates, without a time of day")
    if a is not None and b is not None and b.end < a.start:
        raise _fail(
            text,
            f"the interval ends ({b.end.iso()}) before it starts ({a.start.iso()})",
        )
    qualifiers = (a.qualifier if a else "") + (b.qualifier if b else "")
    return EdtfDate(
        text,
        a.start if a is not None else None,
        b.end if b is not None else None,
        "?" in qualifiers or "%" in qualifiers,
        "~" in qualifiers or "%" in qualifiers,
    )


def overlap_days(a: EdtfDate, b: EdtfDate) -> float:
    """Days in the intersection of a and b: 0 if none, inf if it is unbounded."""
    if not a.overlaps(b):
        return 0.0
    # Unbounded on a side only if both are: otherwise the bounded one limits it.
    if (a.start is None and b.start is None) or (a.end is None and b.end is None):
        return math.inf
    first = max(d for d in (a.start, b.start) if d is not None)
    last = min(d for d in (a.end, b.end) if d is not None)
    return float(last.ordinal() - first.ordinal() + 1)
