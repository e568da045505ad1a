"""Days of the proleptic Gregorian calendar, for every year (0 and negative ones too).

`Day` is one day; day numbers come from Howard Hinnant's civil-date algorithms because
`datetime.date` stops at year 1. `Side` is what one written date (one side of an EDTF
interval) covers: its first and last day, and how it was written. `dates` reads EDTF text
into them and `datewords` says them in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from atlas.util.packed import Packed


class DateError(ValueError):
    """A date that is not valid EDTF level 0/1, or not a real calendar date."""


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# Season code -> (first month, last month) and the name shown to readers.
SEASONS = {21: (3, 5), 22: (6, 8), 23: (9, 11), 24: (12, 2)}
SEASON_NAMES = {3: "Spring", 6: "Summer", 9: "Autumn", 12: "Winter"}


def is_leap(year: int) -> bool:
    # Python's % floors, so this is right for negative years too (-4 is leap).
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    if month == 2 and is_leap(year):
        return 29
    return MONTH_DAYS[month - 1]


def days_from_civil(y: int, m: int, d: int) -> int:
    # Hinnant: count in 400-year eras of a March-based year, so the leap day
    # falls at the end of the year and the month lengths follow a formula.
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m - 3 if m > 2 else m + 9) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil_from_days(z: int) -> tuple[int, int, int]:
    z += 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (m <= 2), m, d


def year_text(year: int) -> str:
    if year <= 0:
        return f"{1 - year} BCE"
    return str(year) if year >= 1000 else f"{year} CE"


@dataclass(frozen=True, order=True, slots=True)
class Day(Packed):
    """One proleptic Gregorian day; field order makes comparison chronological."""

    year: int
    month: int
    day: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise DateError(f"invalid day {self.iso()}: month must be 1..12")
        if not 1 <= self.day <= days_in_month(self.year, self.month):
            reason = month_length_text(self.year, self.month)
            raise DateError(f"invalid day {self.iso()}: {reason}")

    def iso(self) -> str:
        sign = "-" if self.year < 0 else ""
        return f"{sign}{abs(self.year):04d}-{self.month:02d}-{self.day:02d}"

    def ordinal(self) -> int:
        """Days since 1970-01-01 (negative before it)."""
        return days_from_civil(self.year, self.month, self.day)

    @classmethod
    def from_ordinal(cls, n: int) -> Day:
        return cls(*civil_from_days(n))


def month_length_text(year: int, month: int) -> str:
    return f"{MONTHS[month - 1]} {year_text(year)} has {days_in_month(year, month)} days"


class Side(NamedTuple):
    """One parsed date (one side of an interval) with what display needs."""

    start: Day
    end: Day
    kind: str  # "day", "month", "season", "year" or "years" (X digits)
    qualifier: str  # "", "?", "~" or "%"
    time: str = ""  # a time of day as the reader reads it ("09:30:01 UTC+04:30"), on a day only


