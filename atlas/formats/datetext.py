"""Dates written as words, read back as EDTF: what atlas itself writes for a reader
("2 August 216 BCE", "1914–1918", "c. 1945", "1921?", "3 May – 5 June 1945", "from 1950")
and the free text found in stories ("1914-1918", "Sept 3, 2013", "44 BC", "AD 79",
"Summer 1969", "c. 1900", "ca. 300 BCE", "~300 BC", "1952-12-31", "1950s"). A text is read
only where it says one date unambiguously; anything else is None, never a guess.

A negative year written as a number is read as historians write it, and as TimelineJS and
LP-TSV do: "-44" is 44 BCE (EDTF -0043), "-264/-241" is 264–241 BCE, "-44-03-15" is 15 March
44 BCE; only a year zero-padded to EDTF's four digits ("-0043") is EDTF's (astronomical).
"0" is no year (1 BCE is followed by 1 CE): not a date.
"""

from __future__ import annotations

import re

from atlas.formats.common import checked_date, edtf
from atlas.source.dates import EdtfDate

MONTH = (r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
         r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
# A year with its era on either side: "1945", "216 bce", "44 bc", "ad 79", "800 ce".
YEAR = r"(?:(?P<before>ad|ce)\s*)?(?P<year>\d{1,4})(?:\s*(?P<era>bce|bc|ce|ad))?"
DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
SIDE_FORMS = [
    re.compile(rf"{DAY}\s+{MONTH}\s+{YEAR}"),
    re.compile(rf"{MONTH}\s+{DAY}\s+{YEAR}"),
    re.compile(rf"{MONTH}\s+{YEAR}"),
    re.compile(rf"(?P<season>spring|summer|autumn|fall|winter)\s+{YEAR}(?:\s*–\s*\d{{1,4}}(?:\s*(?:bce|bc|ce|ad))?)?"),
    re.compile(rf"{YEAR}"),
]
TIME = re.compile(r"(?P<date>.+?)\s+(?P<time>\d\d:\d\d:\d\d)(?:\s+utc(?P<zone>[+-]\d\d(?::\d\d)?)?)?")
DASH = "[–—-]"
# A negative year as a number, perhaps with its month and day: "-44", "-264", "-44-03-15".
NEGATIVE = re.compile(r"-(?P<year>\d{1,4})(?:-(?P<month>\d\d)(?:-(?P<day>\d\d))?)?")


def written_date(date: EdtfDate) -> str:
    """A date as a reader reads it, where that reads back to the very date; else its EDTF
    (a few forms say the same days in other words: 19XX is shown as "1900–1999")."""
    shown = date.display()
    return shown if read_date(shown) == date.text else date.text


def read_date(text: str) -> str | None:
    """A date in words (or EDTF) as EDTF; None when it is not one date unambiguously."""
    given = " ".join(text.split())
    if not given or len(given) > 100:  # (the longest date atlas writes is about 50 characters)
        return None
    if checked_date(given) and re.fullmatch(r"[-0-9X?~%/.:TZ+Y]+", given) and not historians_year(given):
        return given  # EDTF already
    words = _normal(given)
    return checked_date(_interval(words) or "")


def _normal(text: str) -> str:
    words = text.lower().replace(",", " ").replace("—", "–")
    words = re.sub(r"\bb\.\s*c\.\s*(?:e\.)?", "bc ", words)
    words = re.sub(r"\b(a\.\s*d\.|c\.\s*e\.)", lambda m: "ad " if "a" in m[1] else "ce ", words)
    words = re.sub(r"\s*–\s*", lambda m: " – " if m[0].strip() != m[0] else "–", words)
    return " ".join(words.split())


def _interval(words: str) -> str | None:
    found = re.fullmatch(r"(until|from) (.+?)( \((?:start|end) unknown\))?", words)
    if found:
        side = _qualified(found[2])
        if side is None:
            return None
        if found[1] == "until":
            return ("/" if found[3] else "../") + side
        return side + ("/" if found[3] else "/..")
    halves = words.split("/")
    if len(halves) == 2 and all(re.fullmatch(r"\.\.|-?[0-9][-0-9]*[?~%]?", half) for half in halves):
        # An interval written as EDTF writes one, its ends as numbers ("-264/-241").
        ends = [half if half == ".." else _qualified(half) for half in halves]
        return "/".join(str(end) for end in ends) if all(ends) and ends != ["..", ".."] else None
    parts = re.split(rf" {DASH} ", words)
    if len(parts) == 2:
        return _spaced(parts[0], parts[1])
    if len(parts) == 1:
        return _qualified(words) or _compact(words)
    return None


def _spaced(left: str, right: str) -> str | None:
    """`A – B`: each side a date; the left may borrow the right's year ("3 May – 5 June 1945")."""
    end = _qualified(right)
    start = _qualified(left)
    if start is None and end is not None:
        year = re.search(r"(?:\d{1,4}(?: (?:bce|bc|ce|ad))?)\??$", right)
        start = _qualified(f"{left} {year[0].rstrip('?')}") if year else None
    return f"{start}/{end}" if start and end else None


def _qualifiers(words: str) -> tuple[str, str]:
    """The words without their qualifiers ("c. ", "?"), and the EDTF qualifier they make."""
    approximate = re.match(r"^(?:(?:c\.|ca\.|~)\s*|(?:c|ca|circa|about|approx\.|approximately)\s+)", words)
    if approximate:
        words = words[approximate.end():]
    uncertain = words.endswith("?")
    words = words.rstrip("?").strip()
    return words, {(True, True): "%", (True, False): "~", (False, True): "?"}.get(
        (bool(approximate), uncertain), "")


def _qualified(words: str) -> str | None:
    plain, qualifier = _qualifiers(words)
    side = _side(plain)
    return side + qualifier if side else None


def _side(words: str) -> str | None:
    """One date without qualifiers: a day (with its time), month, season, year or decade."""
    timed = TIME.fullmatch(words)
    if timed:
        day = _side(timed["date"])
        zone = timed["zone"] or ("Z" if words.endswith("utc") else "")
        return f"{day}T{timed['time']}{zone}" if day and re.fullmatch(r"-?\d{4}-\d\d-\d\d", day) else None
    decade = re.fullmatch(r"(\d{1,3})0s(?: (?:ce|ad))?", words)
    if decade:
        return f"{int(decade[1]):03d}X"
    negative = NEGATIVE.fullmatch(words)
    if negative:
        return _negative(negative)
    for form in SIDE_FORMS:
        found = form.fullmatch(words)
        if found:
            return _parts(found)
    return None


def _parts(found: re.Match[str]) -> str | None:
    year = _year(found["year"], found["before"], found["era"])
    if year is None:
        return None
    groups = found.groupdict()
    if (groups.get("month") or groups.get("season")) and len(found["year"]) < 3 and not (found["era"] or
                                                                                     found["before"]):
        return None  # "Sept 3", "Aug 23": a day without its year, not a year
    if groups.get("season"):
        return f"{edtf(year)}-{SEASONS[groups['season']]}"
    month = MONTHS.index(groups["month"][:3]) + 1 if groups.get("month") else None
    day = int(groups["day"]) if groups.get("day") else None
    return edtf(year, month, day)


def _year(digits: str, before: str | None, era: str | None) -> int | None:
    if before and era:
        return None
    number = int(digits)
    if era in ("bc", "bce"):
        return 1 - number if number else None  # there is no year 0 BCE: 1 BCE is year 0
    if not number:
        return None  # "0" (or "AD 0"): no year of either era
    return number


def _compact(words: str) -> str | None:
    """`A–B` without spaces: years ("1914–1918", "1914-18", "216–214 bce"), days of one
    month ("1–3 may 1945") or months of one year ("may–june 1945"); a qualifier before
    it or after it applies to both ends."""
    plain, qualifier = _qualifiers(words)
    years = re.fullmatch(rf"(\d{{1,4}}){DASH}(\d{{1,4}})(?: (bce|bc|ce|ad))?", plain)
    if years:
        first, last = years[1], years[2]
        if not years[3] and len(last) < len(first):
            last = first[: len(first) - len(last)] + last  # 1914-18 is 1914–1918
        start, end = _year(first, None, years[3]), _year(last, None, years[3])
        if start is None or end is None:
            return None
        return f"{edtf(start)}{qualifier}/{edtf(end)}{qualifier}"
    days = re.fullmatch(rf"(\d{{1,2}}){DASH}(\d{{1,2}}) (.+)", plain)
    if days:
        first_day, last_day = _side(f"{days[1]} {days[3]}"), _side(f"{days[2]} {days[3]}")
        return f"{first_day}{qualifier}/{last_day}{qualifier}" if first_day and last_day else None
    months = re.fullmatch(rf"([a-z.]+){DASH}([a-z.]+) (.+)", plain)
    if months:
        first_month, last_month = _side(f"{months[1]} {months[3]}"), _side(f"{months[2]} {months[3]}")
        if first_month and last_month and "-" in first_month[1:] and "-" in last_month[1:]:
            return f"{first_month}{qualifier}/{last_month}{qualifier}"
    return None


def historians_year(text: str) -> bool:
    """Whether `text` holds a negative year written as historians (and TimelineJS, and
    LP-TSV) write one, not zero-padded to EDTF's four digits: "-44" is 44 BCE there. A
    zero-padded one ("-0043") is EDTF's, astronomical: 44 BCE too."""
    return any(not found["year"].startswith("0") or len(found["year"]) < 4
               for found in re.finditer(r"(?:^|/|\s)-(?P<year>\d+)(?=$|[/?~%\s]|-\d)", " ".join(text.lower().split())))


def _negative(found: re.Match[str]) -> str | None:
    """A negative year as a number: EDTF's when zero-padded to four digits ("-0043" is
    44 BCE), else the historians' (and TimelineJS's) convention ("-44" is 44 BCE)."""
    digits = found["year"]
    year = -int(digits) if len(digits) == 4 and digits.startswith("0") else 1 - int(digits)
    if year == 1:
        return None  # "-0": no year
    month, day = (int(found[part]) if found[part] else None for part in ("month", "day"))
    return checked_date(edtf(year, month, day))
