"""Dates in words, as a reader reads them: "18 September 1931", "c. 1945?", "1950s",
"216 BCE", "Spring 1950", "1–3 May 1945" (the conventions are in `dates`).
"""

from __future__ import annotations

from atlas.source.days import MONTHS, SEASON_NAMES, Side, year_text


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


def span(a: Side, b: Side) -> str:
    """Both ends known: share the year (and month) when nothing is lost."""
    if a.qualifier or b.qualifier or a.kind != b.kind or a.kind in ("season", "years"):
        return f"{qualified(a)} – {qualified(b)}"
    if a == b:
        return plain(a)
    sa, sb = a.start, b.start
    if a.kind == "year":
        return year_span(sa.year, sb.year)
    if sa.year != sb.year:
        return f"{plain(a)} – {plain(b)}"
    year = year_text(sa.year)
    m1, m2 = MONTHS[sa.month - 1], MONTHS[sb.month - 1]
    if a.kind == "month":
        return f"{m1}–{m2} {year}"
    if sa.month == sb.month:
        return f"{sa.day}–{sb.day} {m1} {year}"
    return f"{sa.day} {m1} – {sb.day} {m2} {year}"


