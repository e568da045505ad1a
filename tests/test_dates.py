"""Stage: source.

Tests for atlas.dates: EDTF level 0/1 parsing, day arithmetic and display."""

from __future__ import annotations

import datetime
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atlas.source.dates import DateError, Day, EdtfDate, overlap_days, parse

EPOCH = datetime.date(1970, 1, 1).toordinal()


def leap(year: int) -> bool:
    """Independent oracle: proleptic Gregorian rule."""
    if year % 400 == 0:
        return True
    return year % 4 == 0 and year % 100 != 0


def month_length(year: int, month: int) -> int:
    if month == 2:
        return 29 if leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def iso_or_none(day: Day | None) -> str | None:
    return None if day is None else day.iso()


# text, start, end, uncertain, approximate, display
VALID = [
    ("1931-09-18", "1931-09-18", "1931-09-18", False, False, "18 September 1931"),
    ("1952-04", "1952-04-01", "1952-04-30", False, False, "April 1952"),
    ("1945", "1945-01-01", "1945-12-31", False, False, "1945"),
    ("1945~", "1945-01-01", "1945-12-31", False, True, "c. 1945"),
    ("1921?", "1921-01-01", "1921-12-31", True, False, "1921?"),
    ("1950-06%", "1950-06-01", "1950-06-30", True, True, "c. June 1950?"),
    ("1931-09-18?", "1931-09-18", "1931-09-18", True, False, "18 September 1931?"),
    ("1952-02", "1952-02-01", "1952-02-29", False, False, "February 1952"),
    ("1900-02", "1900-02-01", "1900-02-28", False, False, "February 1900"),
    ("2000-02-29", "2000-02-29", "2000-02-29", False, False, "29 February 2000"),
    ("195X", "1950-01-01", "1959-12-31", False, False, "1950s"),
    ("195X~", "1950-01-01", "1959-12-31", False, True, "c. 1950s"),
    ("190X", "1900-01-01", "1909-12-31", False, False, "1900–1909"),
    ("19XX", "1900-01-01", "1999-12-31", False, False, "1900–1999"),
    ("07XX", "0700-01-01", "0799-12-31", False, False, "700–799 CE"),
    ("085X", "0850-01-01", "0859-12-31", False, False, "850s CE"),
    ("000X", "0000-01-01", "0009-12-31", False, False, "1 BCE – 9 CE"),
    ("1985-XX", "1985-01-01", "1985-12-31", False, False, "1985"),
    ("1985-XX-XX", "1985-01-01", "1985-12-31", False, False, "1985"),
    ("1985-04-XX", "1985-04-01", "1985-04-30", False, False, "April 1985"),
    ("1985-04-XX?", "1985-04-01", "1985-04-30", True, False, "April 1985?"),
    ("2001-21", "2001-03-01", "2001-05-31", False, False, "Spring 2001"),
    ("2001-22", "2001-06-01", "2001-08-31", False, False, "Summer 2001"),
    ("2001-23", "2001-09-01", "2001-11-30", False, False, "Autumn 2001"),
    ("2001-24", "2001-12-01", "2002-02-28", False, False, "Winter 2001–2002"),
    ("2003-24", "2003-12-01", "2004-02-29", False, False, "Winter 2003–2004"),
    ("2001-21~", "2001-03-01", "2001-05-31", False, True, "c. Spring 2001"),
    ("-0044-24", "-0044-12-01", "-0043-02-28", False, False, "Winter 45–44 BCE"),
    ("-0043-03-15", "-0043-03-15", "-0043-03-15", False, False, "15 March 44 BCE"),
    ("-0043", "-0043-01-01", "-0043-12-31", False, False, "44 BCE"),
    ("0000", "0000-01-01", "0000-12-31", False, False, "1 BCE"),
    ("0001", "0001-01-01", "0001-12-31", False, False, "1 CE"),
    ("0800", "0800-01-01", "0800-12-31", False, False, "800 CE"),
    ("0800-12-25", "0800-12-25", "0800-12-25", False, False, "25 December 800 CE"),
    ("0999", "0999-01-01", "0999-12-31", False, False, "999 CE"),
    ("1000", "1000-01-01", "1000-12-31", False, False, "1000"),
    ("9999-12-31", "9999-12-31", "9999-12-31", False, False, "31 December 9999"),
    ("-9999-01-01", "-9999-01-01", "-9999-01-01", False, False, "1 January 10000 BCE"),
    ("Y170000", "170000-01-01", "170000-12-31", False, False, "170000"),
    ("Y-12000", "-12000-01-01", "-12000-12-31", False, False, "12001 BCE"),
    ("Y10000~", "10000-01-01", "10000-12-31", False, True, "c. 10000"),
    # Intervals.
    ("1952-04/1952-06", "1952-04-01", "1952-06-30", False, False, "April–June 1952"),
    (
        "1937-08/1941-06",
        "1937-08-01",
        "1941-06-30",
        False,
        False,
        "August 1937 – June 1941",
    ),
    ("1950/..", "1950-01-01", None, False, False, "from 1950"),
    ("../1945", None, "1945-12-31", False, False, "until 1945"),
    ("/1945", None, "1945-12-31", False, False, "until 1945 (start unknown)"),
    ("1950/", "1950-01-01", None, False, False, "from 1950 (end unknown)"),
    ("1950~/..", "1950-01-01", None, False, True, "from c. 1950"),
    ("../1945?", None, "1945-12-31", True, False, "until 1945?"),
    (
        "1931-09-18/1932-02-18",
        "1931-09-18",
        "1932-02-18",
        False,
        False,
        "18 September 1931 – 18 February 1932",
    ),
    (
        "1945-08-09/1945-08-20",
        "1945-08-09",
        "1945-08-20",
        False,
        False,
        "9–20 August 1945",
    ),
    (
        "1945-08-09/1945-09-02",
        "1945-08-09",
        "1945-09-02",
        False,
        False,
        "9 August – 2 September 1945",
    ),
    ("1937/1941", "1937-01-01", "1941-12-31", False, False, "1937–1941"),
    ("1945/1945", "1945-01-01", "1945-12-31", False, False, "1945"),
    ("1945-08/1945", "1945-08-01", "1945-12-31", False, False, "August 1945 – 1945"),
    ("1950~/1960?", "1950-01-01", "1960-12-31", True, True, "c. 1950 – 1960?"),
    ("1950%/1960", "1950-01-01", "1960-12-31", True, True, "c. 1950? – 1960"),
    ("-0100/-0050", "-0100-01-01", "-0050-12-31", False, False, "101–51 BCE"),
    ("-0043/0014", "-0043-01-01", "0014-12-31", False, False, "44 BCE – 14 CE"),
    ("0800/0900", "0800-01-01", "0900-12-31", False, False, "800–900 CE"),
    ("0800/1066", "0800-01-01", "1066-12-31", False, False, "800 CE – 1066"),
    (
        "-0043-03-15/-0043-04",
        "-0043-03-15",
        "-0043-04-30",
        False,
        False,
        "15 March 44 BCE – April 44 BCE",
    ),
    (
        "-0043-03/-0043-05",
        "-0043-03-01",
        "-0043-05-31",
        False,
        False,
        "March–May 44 BCE",
    ),
    ("195X/19XX", "1950-01-01", "1999-12-31", False, False, "1950s – 1900–1999"),
    (
        "2001-21/2001-23",
        "2001-03-01",
        "2001-11-30",
        False,
        False,
        "Spring 2001 – Autumn 2001",
    ),
]


@pytest.mark.parametrize(("text", "start", "end", "unc", "approx", "shown"), VALID)
def test_valid(
    text: str, start: str | None, end: str | None, unc: bool, approx: bool, shown: str
) -> None:
    d = parse(text)
    assert d.text == text
    assert iso_or_none(d.start) == start
    assert iso_or_none(d.end) == end
    assert (d.uncertain, d.approximate) == (unc, approx)
    assert d.display() == shown


# text, fragment of the message
INVALID = [
    ("", "empty"),
    ("1945-02-30", "February 1945 has 28 days"),
    ("1900-02-29", "February 1900 has 28 days"),
    ("1945-13", "month 13"),
    ("1945-00", "month 00"),
    ("1945-04-31", "April 1945 has 30 days"),
    ("1945-04-00", "day 00"),
    ("-0001-02-29", "February 2 BCE has 28 days"),
    ("-0100-02-29", "February 101 BCE has 28 days"),
    ("45", "four digits"),
    ("19450", "four digits"),
    ("1945-5", "two digits"),
    ("1945-05-1", "two digits"),
    ("1945-", "two digits"),
    ("1945-05-01-01", "too many parts"),
    (" 1945", "whitespace"),
    ("1945 ", "whitespace"),
    ("1945\n", "whitespace"),
    ("1945 / 1950", "write it as EDTF: 1945/1950"),
    ("1945?-05", "qualifier"),
    ("?1945", "qualifier"),
    ("1945??", "qualifier"),
    ("1945~?", "qualifier"),
    ("1945abc", "expected YYYY"),
    ("abc", "expected YYYY"),
    ("１９４５", "expected YYYY"),  # full-width digits are not ASCII digits
    ("1945-08-15T10:00", "time of day is written hh:mm:ss"),
    ("1945-08T10:00:00", "time of day is written hh:mm:ss"),
    ("1945-08-15T24:30:00", "not a time of day"),
    ("1945-08-15T10:00:00+15:00", "not an offset from UTC"),
    ("Y1000000000", "five to nine digits"),
    ("1" * 80, "too long to be a date"),
    ("18/05/1848", "year first, as EDTF does: 1848-05-18"),
    ("5/13/1848", "year first, as EDTF does: 1848-05-13"),
    ("1X85", "X may only"),
    ("X985", "X may only"),
    ("1XXX", "X may only"),
    ("1985-X4", "X may only"),
    ("1985-04-X1", "X may only"),
    ("195x", "uppercase X"),
    ("1985-XX-12", "month is unspecified"),
    ("195X-04", "unspecified digits cannot have a month"),
    ("2001-21-05", "season cannot have a day"),
    ("2001-25", "month 25"),
    ("-0000", "no year -0000"),
    ("Y1234", "five to nine digits"),
    ("Y01234", "leading zero"),
    ("Y", "five to nine digits"),
    ("Y12000-05", "year-only"),
    ("..", "only allowed as one side of an interval"),
    ("../..", "at least one known end"),
    ("/", "at least one known end"),
    ("../", "at least one known end"),
    ("/..", "at least one known end"),
    ("1945/1946/1947", "exactly one '/'"),
    ("1950/1940", "ends (1940-12-31) before it starts (1950-01-01)"),
    ("1946/1945", "before it starts"),
    ("1945-08-10/1945-08-09", "before it starts"),
    ("1945-02-30/1946", "February 1945 has 28 days"),
    ("1945/1946-13", "month 13"),
    ("1945/...", "expected YYYY"),
]


@pytest.mark.parametrize(("text", "fragment"), INVALID)
def test_invalid(text: str, fragment: str) -> None:
    with pytest.raises(DateError) as info:
        parse(text)
    message = str(info.value)
    assert fragment in message
    shown = repr(text) if len(text) <= 48 else f"'{text[:20]}…' ({len(text)} characters)"  # a long one is cut short
    assert message.startswith(f"invalid date {shown}: ") or message.startswith(f"invalid date {shown} ")


def test_date_error_is_value_error() -> None:
    with pytest.raises(ValueError):
        parse("nope")


def test_interval_end_may_fall_in_the_start_year() -> None:
    # Earliest day of the start against the LAST day of the end.
    d = parse("1945-08/1945")
    assert d.start == Day(1945, 8, 1) and d.end == Day(1945, 12, 31)


# --- Day arithmetic -------------------------------------------------------


def test_known_ordinals() -> None:
    assert Day(1970, 1, 1).ordinal() == 0
    assert Day(1969, 12, 31).ordinal() == -1
    assert Day(2000, 3, 1).ordinal() == 11017
    assert Day(0, 3, 1).ordinal() == -719468
    assert Day(0, 1, 1).ordinal() == -719528
    assert Day(1, 1, 1).ordinal() == -719528 + 366  # year 0 is a leap year


def test_bce_leap_years() -> None:
    for year in (0, -4, -8, -400, -2000):
        assert parse(f"{year4(year)}-02-29").end == Day(year, 2, 29)
        assert parse(year4(year)).days() == 366
    for year in (-1, -2, -3, -100, -200, -300, -500):
        with pytest.raises(DateError, match="has 28 days"):
            parse(f"-{-year:04d}-02-29")
        assert parse(f"-{-year:04d}").days() == 365


def test_year_zero_sits_between_1_bce_and_1_ce() -> None:
    assert Day(0, 12, 31).ordinal() + 1 == Day(1, 1, 1).ordinal()
    assert Day(-1, 12, 31).ordinal() + 1 == Day(0, 1, 1).ordinal()
    assert Day.from_ordinal(Day(1, 1, 1).ordinal() - 1) == Day(0, 12, 31)


def test_consecutive_days_around_era_boundaries() -> None:
    # Walk day by day, checking each step against a hand-rolled calendar.
    for first_year in (-401, -101, -5, 1599, 1899, 1969, 9998):
        day = Day(first_year, 1, 1)
        n = day.ordinal()
        while day.year < first_year + 3:
            y, m, d = day.year, day.month, day.day + 1
            if d > month_length(y, m):
                y, m, d = (y + 1, 1, 1) if m == 12 else (y, m + 1, 1)
            n += 1
            day = Day.from_ordinal(n)
            assert day == Day(y, m, d)
            assert day.ordinal() == n


def test_iso() -> None:
    assert Day(1931, 9, 18).iso() == "1931-09-18"
    assert Day(-43, 3, 15).iso() == "-0043-03-15"
    assert Day(0, 1, 1).iso() == "0000-01-01"
    assert Day(800, 1, 1).iso() == "0800-01-01"
    assert Day(170000, 1, 1).iso() == "170000-01-01"
    assert Day(-12000, 1, 1).iso() == "-12000-01-01"


def test_day_rejects_impossible_dates() -> None:
    with pytest.raises(DateError, match="February 1945 has 28 days"):
        Day(1945, 2, 30)
    with pytest.raises(DateError, match="month"):
        Day(1945, 13, 1)
    with pytest.raises(DateError):
        Day(1945, 1, 0)


def test_day_order_is_chronological() -> None:
    days = [Day(1945, 1, 2), Day(-43, 3, 15), Day(1945, 1, 1), Day(0, 12, 31)]
    assert sorted(days) == sorted(days, key=Day.ordinal)


# --- Ranges --------------------------------------------------------------


def test_days() -> None:
    assert parse("1945").days() == 365
    assert parse("2000").days() == 366
    assert parse("1945-08-09").days() == 1
    assert parse("2003-24").days() == 91
    assert parse("1950/..").days() == math.inf
    assert parse("/1945").days() == math.inf


def test_contains_day() -> None:
    d = parse("1945-08/1945-09")
    assert d.contains_day(Day(1945, 8, 1)) and d.contains_day(Day(1945, 9, 30))
    assert not d.contains_day(Day(1945, 7, 31)) and not d.contains_day(Day(1945, 10, 1))
    assert parse("../1945").contains_day(Day(-5000, 1, 1))
    assert not parse("1950/..").contains_day(Day(1949, 12, 31))


def test_overlaps_and_overlap_days() -> None:
    ww2 = parse("1939-09-01/1945-09-02")
    assert ww2.overlaps(parse("1945"))
    assert overlap_days(ww2, parse("1945")) == 245
    assert overlap_days(parse("1945"), parse("1945-12-31/1946")) == 1
    assert not parse("1945").overlaps(parse("1946/.."))
    assert overlap_days(parse("1945"), parse("1946/..")) == 0
    assert overlap_days(parse("1950/.."), parse("1960/..")) == math.inf
    assert overlap_days(parse("../1950"), parse("/1940")) == math.inf
    assert overlap_days(parse("../1950"), parse("1940/..")) == 11 * 365 + 3
    assert overlap_days(parse("1950/.."), parse("../1949")) == 0


def test_sort_key() -> None:
    texts = ["1945", "../1950", "1945/..", "1944-12/1945", "1945-01", "/1940", "1945~"]
    ordered = sorted(texts, key=lambda t: parse(t).sort_key())
    assert ordered == [
        "/1940",
        "../1950",
        "1944-12/1945",
        "1945-01",
        "1945",
        "1945~",
        "1945/..",
    ]


def test_unknown_versus_open() -> None:
    assert parse("/1945").start_unknown and not parse("../1945").start_unknown
    assert parse("1945/").end_unknown and not parse("1945/..").end_unknown
    assert parse("/1945").start is None and parse("../1945").start is None


def test_direct_construction() -> None:
    d = EdtfDate("1945", Day(1945, 1, 1), Day(1945, 12, 31), False, False)
    assert d == parse("1945")
    assert d.display() == "1945"


# --- Properties ----------------------------------------------------------

qualifiers = st.sampled_from(["", "?", "~", "%"])


def year4(year: int) -> str:
    return f"-{-year:04d}" if year < 0 else f"{year:04d}"


@st.composite
def days(draw: st.DrawFn, lo: int = -9999, hi: int = 9999) -> Day:
    year = draw(st.integers(lo, hi))
    month = draw(st.integers(1, 12))
    return Day(year, month, draw(st.integers(1, month_length(year, month))))


@st.composite
def single_dates(draw: st.DrawFn) -> str:
    d = draw(days())
    y, m, dd = year4(d.year), f"{d.month:02d}", f"{d.day:02d}"
    positive = f"{abs(d.year):04d}"
    body = draw(
        st.sampled_from(
            [
                y,
                f"{y}-{m}",
                f"{y}-{m}-{dd}",
                f"{y}-XX",
                f"{y}-XX-XX",
                f"{y}-{m}-XX",
                f"{y}-{draw(st.integers(21, 24))}",
                positive[:3] + "X",
                positive[:2] + "XX",
                f"Y{draw(st.integers(10_000, 10**9 - 1)) * draw(st.sampled_from([1, -1]))}",
            ]
        )
    )
    if body == "-0000":
        body = "0000"
    return body + draw(qualifiers)


@st.composite
def intervals(draw: st.DrawFn) -> str:
    a, b = draw(single_dates()), draw(single_dates())
    pa, pb = parse(a), parse(b)
    assert pa.start is not None and pb.end is not None
    if pb.end < pa.start:
        a, b = b, a
    left = draw(st.sampled_from([a, a, a, "..", ""]))
    right = draw(
        st.sampled_from([b, b, b, "..", ""]) if left not in ("..", "") else st.just(b)
    )
    return f"{left}/{right}"


any_dates = st.one_of(single_dates(), intervals())


@given(st.dates())
def test_ordinal_matches_datetime(d: datetime.date) -> None:
    assert Day(d.year, d.month, d.day).ordinal() == d.toordinal() - EPOCH


@given(st.integers(datetime.date.min.toordinal(), datetime.date.max.toordinal()))
def test_from_ordinal_matches_datetime(n: int) -> None:
    d = datetime.date.fromordinal(n)
    assert Day.from_ordinal(n - EPOCH) == Day(d.year, d.month, d.day)


@given(days())
def test_ordinal_round_trip(d: Day) -> None:
    assert Day.from_ordinal(d.ordinal()) == d


@given(days())
def test_round_trip_through_parse(d: Day) -> None:
    assert parse(d.iso()).start == d


@given(st.integers(10_000, 10**9 - 1), st.sampled_from([1, -1]))
def test_long_years(magnitude: int, sign: int) -> None:
    year = magnitude * sign
    d = parse(f"Y{year}")
    assert d.start == Day(year, 1, 1) and d.end == Day(year, 12, 31)
    assert d.days() == (366 if leap(year) else 365)
    assert Day.from_ordinal(Day(year, 12, 31).ordinal()) == Day(year, 12, 31)


@given(days(), days())
def test_ordinal_is_strictly_increasing(a: Day, b: Day) -> None:
    assert (a < b) == (a.ordinal() < b.ordinal())


@settings(max_examples=300)
@given(any_dates)
def test_parse_properties(text: str) -> None:
    d = parse(text)
    assert d.text == text
    if d.start is not None and d.end is not None:
        assert d.start <= d.end
        assert d.days() == d.end.ordinal() - d.start.ordinal() + 1
    assert d.display()
    assert d.uncertain == any(q in text for q in "?%")
    assert d.approximate == any(q in text for q in "~%")


@settings(max_examples=300)
@given(intervals())
def test_interval_spans_its_sides(text: str) -> None:
    d = parse(text)
    left, _, right = text.partition("/")
    if left not in ("", ".."):
        assert d.start == parse(left).start
    if right not in ("", ".."):
        assert d.end == parse(right).end
    if left not in ("", "..") and right not in ("", ".."):
        pa, pb = parse(left), parse(right)
        assert pa.start is not None and pb.end is not None
        # Sides that do not run past each other lie wholly inside the interval.
        if pa.end is not None and pb.start is not None and pa.end <= pb.end:
            assert d.contains_day(pa.start) and d.contains_day(pa.end)
        if pb.start is not None and pa.start <= pb.start:
            assert d.contains_day(pb.start) and d.contains_day(pb.end)


@settings(max_examples=300)
@given(any_dates, any_dates)
def test_overlap_is_symmetric_and_consistent(a_text: str, b_text: str) -> None:
    a, b = parse(a_text), parse(b_text)
    assert a.overlaps(b) == b.overlaps(a)
    assert overlap_days(a, b) == overlap_days(b, a)
    assert (overlap_days(a, b) > 0) == a.overlaps(b)
    assert overlap_days(a, b) <= min(a.days(), b.days())
    # A shared day exists exactly when they overlap: the later of the starts.
    starts = [s for s in (a.start, b.start) if s is not None]
    probe = max(starts) if starts else min(e for e in (a.end, b.end) if e is not None)
    assert (a.contains_day(probe) and b.contains_day(probe)) == a.overlaps(b)


def test_parse_many_is_fast() -> None:
    import time

    texts = [
        "1931-09-18",
        "1952-04",
        "1945~",
        "1937-08/1941-06",
        "195X",
        "1950/..",
    ] * 2000
    began = time.perf_counter()
    for t in texts:
        parse(t)
    assert time.perf_counter() - began < 2.0  # about 0.1 s in practice
