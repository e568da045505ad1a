"""Dates in words in the reader's language: Chinese ("1957年11月2日", "公元前216年",
"约1945年"), Russian ("2 ноября 1957 г.", "216 г. до н. э.", "ок. 1945 г.") and Arabic
("30 يوليو 762 م", "216 ق.م").

English is in `datewords` (its conventions are in `dates`), which also decides how a span
shares its year or month. This module gives the parts in each language's own form rather
than translating English words: the order of day, month and year, the era words and the
case a month takes differ from one language to the next. A language without a form here
is written in English.
"""

from __future__ import annotations

from atlas.source.datewords import ENGLISH, Words
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
        return f"公元前{1 - first}—{1 - last}年"
    if first >= 1000 or (first >= 1 and last < 1000):
        return f"{first}—{_zh_year(last)}" if first >= 1000 else f"公元{first}—{last}年"
    return f"{_zh_year(first)}—{_zh_year(last)}"


def _zh_qualified(s: Side) -> str:
    prefix = "约" if s.qualifier in ("~", "%") else ""
    suffix = "（？）" if s.qualifier in ("?", "%") else ""
    return f"{prefix}{_zh_plain(s)}{suffix}"


CHINESE = Words(
    plain=_zh_plain,
    qualified=_zh_qualified,
    years=_zh_years,
    dash="—",  # a range's connector in Chinese (GB/T 15834: 一字线)
    months=lambda year, m1, m2: f"{_zh_year(year)}{m1}—{m2}月",
    days=lambda year, month, d1, d2: f"{_zh_year(year)}{month}月{d1}—{d2}日",
    day_to_day=lambda year, m1, d1, m2, d2: f"{_zh_year(year)}{m1}月{d1}日—{m2}月{d2}日",
    until=lambda side, unknown: f"至{_zh_qualified(side)}" + ("（起始时间不详）" if unknown else ""),
    since=lambda side, unknown: f"{_zh_qualified(side)}起" + ("（结束时间不详）" if unknown else ""),
)


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


RUSSIAN = Words(
    plain=_ru_plain,
    qualified=_ru_qualified,
    years=_ru_years,
    dash=" – ",
    months=lambda year, m1, m2: f"{RU_MONTHS[m1 - 1]}–{RU_MONTHS[m2 - 1]} {_ru_year(year)}",
    days=lambda year, month, d1, d2: f"{d1}–{d2} {RU_MONTHS_OF[month - 1]} {_ru_year(year)}",
    day_to_day=lambda year, m1, d1, m2, d2: f"{d1} {RU_MONTHS_OF[m1 - 1]} – {d2} {RU_MONTHS_OF[m2 - 1]} {_ru_year(year)}",
    until=lambda side, unknown: f"до {_ru_qualified(side, of=True)}" + (" (начало неизвестно)" if unknown else ""),
    since=lambda side, unknown: f"с {_ru_qualified(side, of=True)}" + (" (конец неизвестен)" if unknown else ""),
)


# ---- Arabic -----------------------------------------------------------------------------
# The Gregorian months as most Arab countries write them; years with their era, م (AD) or
# ق.م (BC); digits as the rest of the page has them.
AR_MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
             "نوفمبر", "ديسمبر")
AR_SEASONS = {3: "ربيع", 6: "صيف", 9: "خريف", 12: "شتاء"}


def _ar_year(year: int) -> str:
    return f"{_number(year)} {'ق.م' if year <= 0 else 'م'}"


def _ar_years(first: int, last: int) -> str:
    if first == last:
        return _ar_year(first)
    if (first <= 0) == (last <= 0):
        return f"{_number(first)}–{_ar_year(last)}"
    return f"{_ar_year(first)} – {_ar_year(last)}"


def _ar_plain(s: Side) -> str:
    st = s.start
    if s.kind == "day":
        return f"{st.day} {AR_MONTHS[st.month - 1]} {_ar_year(st.year)}" + (f"، {s.time}" if s.time else "")
    if s.kind == "month":
        return f"{AR_MONTHS[st.month - 1]} {_ar_year(st.year)}"
    if s.kind == "season":
        return f"{AR_SEASONS[st.month]} {_ar_years(st.year, s.end.year)}"
    return _ar_years(st.year, s.end.year)


def _ar_qualified(s: Side) -> str:
    prefix = "حوالي " if s.qualifier in ("~", "%") else ""
    suffix = " (؟)" if s.qualifier in ("?", "%") else ""
    return f"{prefix}{_ar_plain(s)}{suffix}"


ARABIC = Words(
    plain=_ar_plain,
    qualified=_ar_qualified,
    years=_ar_years,
    dash=" – ",
    months=lambda year, m1, m2: f"{AR_MONTHS[m1 - 1]}–{AR_MONTHS[m2 - 1]} {_ar_year(year)}",
    days=lambda year, month, d1, d2: f"{d1}–{d2} {AR_MONTHS[month - 1]} {_ar_year(year)}",
    day_to_day=lambda year, m1, d1, m2, d2: f"{d1} {AR_MONTHS[m1 - 1]} – {d2} {AR_MONTHS[m2 - 1]} {_ar_year(year)}",
    until=lambda side, unknown: f"حتى {_ar_qualified(side)}" + (" (البداية غير معروفة)" if unknown else ""),
    since=lambda side, unknown: f"منذ {_ar_qualified(side)}" + (" (النهاية غير معروفة)" if unknown else ""),
)

WORDS = {"en": ENGLISH, "zh": CHINESE, "ru": RUSSIAN, "ar": ARABIC}


def language_of(tag: str) -> str:
    """The primary language of a BCP 47 tag ("zh-Hans" -> "zh")."""
    return tag.split("-", 1)[0].lower()


def words_for(lang: str) -> Words:
    """How the language `lang` (a BCP 47 tag) writes dates; English for one without a form here."""
    return WORDS.get(language_of(lang), ENGLISH)
