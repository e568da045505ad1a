"""Dates in words in the reader's language: Chinese ("1957年11月2日", "公元前216年",
"约1945年") and Russian ("2 ноября 1957 г.", "216 г. до н. э.", "ок. 1945 г.").

English stays in `datewords` (its conventions are in `dates`); this module writes the same
parsed dates by each language's own rules rather than translating English words, because
the order of day, month and year, the era words and the way a span shares its year differ
from one language to the next. A language without rules here is written in English.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from atlas.source.days import Side

# Russian months: the genitive after a day number or a preposition ("2 ноября", "до ноября"),
# the nominative alone ("ноябрь 1957 г.").
RU_MONTHS_OF = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                "сентября", "октября", "ноября", "декабря")
RU_MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
             "сентябрь", "октябрь", "ноябрь", "декабрь")
RU_SEASONS = {3: "весна", 6: "лето", 9: "осень", 12: "зима"}
RU_SEASONS_OF = {3: "весны", 6: "лета", 9: "осени", 12: "зимы"}
ZH_SEASONS = {3: "春", 6: "夏", 9: "秋", 12: "冬"}


@dataclass(frozen=True)
class Sides:
    """A parsed EDTF text: one date, or the two ends of an interval, either of which may be
    open (`None`), with whether an open end is unknown rather than ongoing."""

    first: Side | None
    last: Side | None
    unknown: bool = False


# ---- Chinese -------------------------------------------------------------------------


def _zh_year(year: int) -> str:
    if year <= 0:
        return f"公元前{1 - year}年"
    return f"{year}年" if year >= 1000 else f"公元{year}年"


def _zh_plain(s: Side) -> str:
    st = s.start
    if s.kind == "day":
        return f"{_zh_year(st.year)}{st.month}月{st.day}日" + (f" {s.time}" if s.time else "")
    if s.kind == "month":
        return f"{_zh_year(st.year)}{st.month}月"
    if s.kind == "season":
        return f"{_zh_years(st.year, s.end.year)}{ZH_SEASONS[st.month]}"
    first, last = st.year, s.end.year
    if s.kind == "years" and last - first == 9 and first % 100 != 0 and first > 0:
        return f"{first}年代"
    return _zh_years(first, last)


def _zh_years(first: int, last: int) -> str:
    if first == last:
        return _zh_year(first)
    if last <= 0:
        return f"公元前{1 - first}–{1 - last}年"
    if first >= 1000 or (first >= 1 and last < 1000):
        return f"{first}–{_zh_year(last)}" if first >= 1000 else f"公元{first}–{last}年"
    return f"{_zh_year(first)}–{_zh_year(last)}"


def _zh_qualified(s: Side) -> str:
    prefix = "约" if s.qualifier in ("~", "%") else ""
    suffix = "（？）" if s.qualifier in ("?", "%") else ""
    return f"{prefix}{_zh_plain(s)}{suffix}"


def _zh_span(a: Side, b: Side) -> str:
    if a.qualifier or b.qualifier or a.kind != b.kind or a.kind in ("season", "years"):
        return f"{_zh_qualified(a)}–{_zh_qualified(b)}"
    if a == b:
        return _zh_plain(a)
    sa, sb = a.start, b.start
    if a.kind == "year" or sa.year != sb.year:
        return _zh_years(sa.year, sb.year) if a.kind == "year" else f"{_zh_plain(a)}–{_zh_plain(b)}"
    if a.kind == "month":
        return f"{_zh_year(sa.year)}{sa.month}–{sb.month}月"
    if sa.month == sb.month:
        return f"{_zh_year(sa.year)}{sa.month}月{sa.day}–{sb.day}日"
    return f"{_zh_year(sa.year)}{sa.month}月{sa.day}日–{sb.month}月{sb.day}日"


def chinese(sides: Sides) -> str:
    first, last = sides.first, sides.last
    if first is None and last is not None:
        return f"至{_zh_qualified(last)}" + ("（起始时间不详）" if sides.unknown else "")
    if last is None and first is not None:
        return f"{_zh_qualified(first)}起" + ("（结束时间不详）" if sides.unknown else "")
    assert first is not None and last is not None
    return _zh_qualified(first) if first is last else _zh_span(first, last)


# ---- Russian -------------------------------------------------------------------------


def _ru_era(year: int, plural: bool = False) -> str:
    mark = "гг." if plural else "г."
    if year <= 0:
        return f"{mark} до н. э."
    return mark if year >= 1000 else f"{mark} н. э."


def _ru_year(year: int) -> str:
    return f"{_number(year)} {_ru_era(year)}"


def _number(year: int) -> str:
    """A year as written without its era: 0000 is 1 (BCE)."""
    return str(1 - year if year <= 0 else year)


def _ru_years(first: int, last: int) -> str:
    if first == last:
        return _ru_year(first)
    if (first <= 0) == (last <= 0) and (first >= 1000) == (last >= 1000):  # one era word for both
        return f"{_number(first)}–{_number(last)} {_ru_era(last, plural=True)}"
    return f"{_ru_year(first)} – {_ru_year(last)}"


def _ru_plain(s: Side, of: bool = False) -> str:
    """`of`: the genitive, after "до" or "с" ("до ноября 1957 г.")."""
    st = s.start
    if s.kind == "day":
        return f"{st.day} {RU_MONTHS_OF[st.month - 1]} {_ru_year(st.year)}" + (f", {s.time}" if s.time else "")
    if s.kind == "month":
        return f"{(RU_MONTHS_OF if of else RU_MONTHS)[st.month - 1]} {_ru_year(st.year)}"
    if s.kind == "season":
        return f"{(RU_SEASONS_OF if of else RU_SEASONS)[st.month]} {_ru_years(st.year, s.end.year)}"
    first, last = st.year, s.end.year
    if s.kind == "years" and last - first == 9 and first % 100 != 0 and first >= 1000:
        return f"{first}-{'х' if of else 'е'} гг."
    return _ru_years(first, last)


def _ru_qualified(s: Side, of: bool = False) -> str:
    prefix = "ок. " if s.qualifier in ("~", "%") else ""
    suffix = " (?)" if s.qualifier in ("?", "%") else ""
    return f"{prefix}{_ru_plain(s, of)}{suffix}"


def _ru_span(a: Side, b: Side) -> str:
    if a.qualifier or b.qualifier or a.kind != b.kind or a.kind in ("season", "years"):
        return f"{_ru_qualified(a)} – {_ru_qualified(b)}"
    if a == b:
        return _ru_plain(a)
    sa, sb = a.start, b.start
    if a.kind == "year":
        return _ru_years(sa.year, sb.year)
    if sa.year != sb.year:
        return f"{_ru_plain(a)} – {_ru_plain(b)}"
    year = _ru_year(sa.year)
    if a.kind == "month":
        return f"{RU_MONTHS[sa.month - 1]}–{RU_MONTHS[sb.month - 1]} {year}"
    if sa.month == sb.month:
        return f"{sa.day}–{sb.day} {RU_MONTHS_OF[sa.month - 1]} {year}"
    return f"{sa.day} {RU_MONTHS_OF[sa.month - 1]} – {sb.day} {RU_MONTHS_OF[sb.month - 1]} {year}"


def russian(sides: Sides) -> str:
    first, last = sides.first, sides.last
    if first is None and last is not None:
        return f"до {_ru_qualified(last, of=True)}" + (" (начало неизвестно)" if sides.unknown else "")
    if last is None and first is not None:
        return f"с {_ru_qualified(first, of=True)}" + (" (конец неизвестен)" if sides.unknown else "")
    assert first is not None and last is not None
    return _ru_qualified(first) if first is last else _ru_span(first, last)


WRITERS: dict[str, Callable[[Sides], str]] = {"zh": chinese, "ru": russian}


def language_of(tag: str) -> str:
    """The primary language of a BCP 47 tag ("zh-Hans" -> "zh")."""
    return tag.split("-", 1)[0].lower()
