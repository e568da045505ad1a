"""Dates in words, as a reader reads them: "18 September 1931", "c. 1945?", "1950s",
"216 BCE", "Spring 1950", "1–3 May 1945" (the conventions are in `dates`).

How a span shares its year or month, and when it cannot, is the same in every language;
how each part is written is not. `Words` holds one language's ways of writing the parts
(English here, Chinese and Russian in `datelocale`), and `in_words` and `span` apply them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from atlas.source.days import MONTHS, SEASON_NAMES, Side, year_text


@dataclass(frozen=True)
class Sides:
    """A parsed EDTF text: one date (the same Side twice), or the two ends of an interval,
    either of which may be open (`None`), with whether an open end is unknown rather than
    ongoing."""

    first: Side | None
    last: Side | None
    unknown: bool = False


@dataclass(frozen=True)
class Words:
    """How one language writes a date's parts."""

    plain: Callable[[Side], str]  # a date with no qualifier
    qualified: Callable[[Side], str]  # with "c." or "?" as the date has them
    years: Callable[[int, int], str]  # a span of whole years: "1945–1949"
    dash: str  # between two dates written whole
    months: Callable[[int, int, int], str]  # year, first month, last month: "August–October 1945"
    days: Callable[[int, int, int, int], str]  # year, month, first day, last day: "1–3 May 1945"
    day_to_day: Callable[[int, int, int, int, int], str]  # year, month, day, month, day: "1 May – 3 June 1945"
    until: Callable[[Side, bool], str]  # an interval with no start (`True`: the start is unknown)
    since: Callable[[Side, bool], str]  # an interval with no end (`True`: the end is unknown)


def in_words(sides: Sides, words: Words) -> str:
    first, last = sides.first, sides.last
    if first is None:
        assert last is not None  # an interval open at both ends is refused when read
        return words.until(last, sides.unknown)
    if last is None:
        return words.since(first, sides.unknown)
    return words.qualified(first) if first is last else span(first, last, words)


def span(a: Side, b: Side, words: Words) -> str:
    """Both ends known: share the year (and month) when nothing is lost."""
    if a.qualifier or b.qualifier or a.kind != b.kind or a.kind in ("season", "years"):
        return f"{words.qualified(a)}{words.dash}{words.qualified(b)}"
    if a == b:
        return words.plain(a)
    sa, sb = a.start, b.start
    if a.kind == "year":
        return words.years(sa.year, sb.year)
    if sa.year != sb.year:
        return f"{words.plain(a)}{words.dash}{words.plain(b)}"
    if a.kind == "month":
        return words.months(sa.year, sa.month, sb.month)
    if sa.month == sb.month:
        return words.days(sa.year, sa.month, sa.day, sb.day)
    return words.day_to_day(sa.year, sa.month, sa.day, sb.month, sb.day)


def year_span(first: int, last: int) -> str:
    """Two years joined by an en dash, sharing the era suffix where they can."""
    if first == last:
        return year_text(first)
    if last <= 0:
        return f"{1 - first}–{1 - last} BCE"
    if first >= 1000 or (first >= 1 and last < 1000):
        return f"{first}–{year_text(last)}"
    return f"{year_text(first)} – {year_text(last)}"


def plain(s: Side) -> str:
    st = s.start
    if s.kind == "day":
        return f"{st.day} {MONTHS[st.month - 1]} {year_text(st.year)}" + (f", {s.time}" if s.time else "")
    if s.kind == "month":
        return f"{MONTHS[st.month - 1]} {year_text(st.year)}"
    if s.kind == "season":
        name = SEASON_NAMES[st.month]
        return f"{name} {year_span(st.year, s.end.year)}"
    first, last = st.year, s.end.year
    # "1950s" only for one X with a non-zero tens digit: "1900s" would be
    # read as a century, so 190X and 19XX are written out as year ranges.
    if s.kind == "years" and last - first == 9 and first % 100 != 0 and first > 0:
        return f"{first}s" + (" CE" if first < 1000 else "")
    return year_span(first, last)


def qualified(s: Side) -> str:
    prefix = "c. " if s.qualifier in ("~", "%") else ""
    suffix = "?" if s.qualifier in ("?", "%") else ""
    return f"{prefix}{plain(s)}{suffix}"


ENGLISH = Words(
    plain=plain,
    qualified=qualified,
    years=year_span,
    dash=" – ",
    months=lambda year, m1, m2: f"{MONTHS[m1 - 1]}–{MONTHS[m2 - 1]} {year_text(year)}",
    days=lambda year, month, d1, d2: f"{d1}–{d2} {MONTHS[month - 1]} {year_text(year)}",
    day_to_day=lambda year, m1, d1, m2, d2: f"{d1} {MONTHS[m1 - 1]} – {d2} {MONTHS[m2 - 1]} {year_text(year)}",
    until=lambda side, unknown: f"until {qualified(side)}" + (" (start unknown)" if unknown else ""),
    since=lambda side, unknown: f"from {qualified(side)}" + (" (end unknown)" if unknown else ""),
)
