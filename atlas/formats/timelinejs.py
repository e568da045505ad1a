"""TimelineJS (Knight Lab): its JSON and its Google spreadsheet exported as CSV.

Read here: events become events (no places: TimelineJS has none), eras become periods
(sorted by start, with periods added for the events outside every era), the title slide
gives the atlas's title. Written (atlas/formats/timelinejs_write.py): periods as eras,
events as slides, each with its `unique_id`.

Years. TimelineJS shows a negative year as its absolute value with "BCE"
(src/js/language/Language.js, `era_labels`, `formatDate`): its year -44 is "44 BCE", and
its JavaScript `Date` year 0 is shown "0" ("January 1, 0" for the year alone), a year of neither era. EDTF (atlas) numbers
astronomically: `-0043` is 44 BCE, `0000` 1 BCE. So TimelineJS's year Y < 0 is EDTF
Y + 1, year 0 means nothing (a slide dated so is left out, with a note), and EDTF's
year y <= 0 goes out as y - 1.

Text. TimelineJS shows headline, text, and media caption and credit as HTML (after
DOMPurify), and `group` and `display_date` as HTML after taking their text
(src/js/core/TimelineConfig.js, STRIP_MARKUP_FIELDS): our text goes out escaped for each
and comes back as exactly what TimelineJS shows. A slide's text ends with the event's
sources, after a paragraph naming its places ("Where: …"), which the import leaves out of
the summary, with a note. What TimelineJS's dates cannot say (a qualifier, an open end, a
season) goes out in `display_date` in the reader's words ("c. 1945", "from 264 BCE"), and a
`display_date` is read as free text (atlas/formats/datetext.py: "c. 300 BC", "~300 BC",
"300 BC?"): when it says the slide's own date, it is the date (with its qualifier, open end
or season); when it says another, it is kept in the summary, with a note.

Imports are partial: a slide or era that cannot be imported (year 0, a year beyond the
atlas's, not a date) is left out and named in the notes, every one at once; only a file
with no event to import is refused. Times of day are dropped from the ends of intervals
(EDTF interval ends are days), with a note. Every field not kept is counted in the notes.

The format: https://timeline.knightlab.com/docs/json-format.html and the spreadsheet
template's columns.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from atlas.errors import AtlasError, printable
from atlas.formats.common import (
    Draft,
    Ids,
    Record,
    Unusable,
    checked_date,
    csv_rows,
    edtf,
    load_json,
    media_in,
    number,
    obj,
    plain_text,
    plural,
    short,
    slug,
    year_text,
)
from atlas.formats.datetext import read_date
from atlas.formats.timelinejs_text import cite_apart, displayed, summary_and_sources, where_apart
from atlas.formats.timelinejs_write import shown_reading
from atlas.formats.timelinejs_write import write as write  # the writer's side, beside this reader
from atlas.source.dates import parse
from atlas.source.days import is_leap

NAME = "timelinejs"
# What the import keeps of a slide, an era, a date, a media object and the spreadsheet's
# columns (the template's, Media Thumbnail and Background aside): the rest is counted in the notes.
SLIDE_KEPT = {"unique_id", "start_date", "end_date", "text", "display_date", "group", "media"}
ERA_KEPT = {"start_date", "end_date", "text"}
DATE_KEPT = {"year", "month", "day", "hour", "minute", "second", "display_date"}
MEDIA_KEPT = {"url", "credit", "caption", "alt"}
CSV_KEPT = {"Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time", "Display Date",
            "Headline", "Text", "Media", "Media Credit", "Media Caption", "Alt Text", "Type", "Group"}
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")
OLD_FORMAT = re.compile(r'\s*\{\s*"timeline"\s*:')  # TimelineJS 2's files (and drafts of 3's)
def sniff(name: str, text: str) -> bool:
    head = text.lstrip("\ufeff")[:4000]
    if name.lower().endswith(".csv"):
        first = head.split("\n", 1)[0]
        return "Headline" in first and "Year" in first
    # (A TimelineJS 2 file, `{"timeline": …}`, is taken too: to be refused with the reason.)
    return head.lstrip().startswith("{") and ('"events"' in head or OLD_FORMAT.match(head) is not None)


def edtf_year(year: int) -> int | None:
    """TimelineJS's year as EDTF's (astronomical): -44 ("44 BCE" in TimelineJS) is -43;
    None for year 0, which TimelineJS shows as "0", no year of either era."""
    if year == 0:
        return None
    return year + 1 if year < 0 else year


class _Skip(Exception):
    """A slide or era that cannot be imported: where in it, and why."""

    def __init__(self, where: str, why: str) -> None:
        super().__init__(why)
        self.where, self.why = where, why


@dataclass
class _Reader:
    """One file's slides and eras read into a draft; what it leaves out, listed."""

    shown: str
    ids: Ids
    draft: Draft = field(default_factory=Draft)
    left: list[str] = field(default_factory=list)  # "where ('headline'): why", each item left out
    timeless: list[str] = field(default_factory=list)  # where times of day were dropped from an interval
    unused: Counter[str] = field(default_factory=Counter)  # fields not kept: how many slides had each
    media: list[str] = field(default_factory=list)  # where media had to be left out
    leap: list[str] = field(default_factory=list)  # where a 29 February was read as its month
    schemeless: int = 0  # media addresses without a scheme (//host/…), read as https
    other_day: list[str] = field(default_factory=list)  # where display_date says another date than the slide's
    where: list[str] = field(default_factory=list)  # the places the export's "Where:" paragraphs named

    def count_unused(self, item: dict[str, Any], kept: set[str], prefix: str = "") -> None:
        for key, value in item.items():
            if key not in kept and value not in (None, "", {}, [], False):
                self.unused[f"{prefix}{key}"] += 1

    def era(self, era: Any, where: str) -> None:
        words = obj(obj(era).get("text"))
        headline = displayed(words.get("headline"))
        try:
            if not isinstance(era, dict):
                raise _Skip(where, "an era is an object")
            when = self.span(era, where)
        except _Skip as err:
            self.skip(err, headline)
            return
        self.count_unused(era, ERA_KEPT)
        self.count_unused(words, {"headline"}, "text.")
        self.draft.periods.append({"id": self.ids.make(None, headline, "era"),
                                   "title": headline or f"Era {len(self.draft.periods) + 1}", "when": when})

    def slide(self, slide: Any, where: str) -> None:
        words = obj(obj(slide).get("text"))
        headline = displayed(words.get("headline"))
        try:
            if not isinstance(slide, dict):
                raise _Skip(where, "each event is an object")
            date = self.span(slide, where)
        except _Skip as err:
            self.skip(err, headline)
            return
        self.count_unused(slide, SLIDE_KEPT)
        self.count_unused(obj(slide.get("start_date")), DATE_KEPT, "start_date.")
        self.count_unused(obj(slide.get("end_date")), DATE_KEPT - {"display_date"}, "end_date.")
        media = obj(slide.get("media"))
        self.count_unused(media, MEDIA_KEPT, "media.")
        given_id = slide.get("unique_id")
        record: Record = {"id": self.ids.make(str(given_id) if isinstance(given_id, (str, int)) else None, headline,
                                              "event"), "date": date,
                          "title": headline or "(untitled)"}
        shown_date = slide.get("display_date") or obj(slide.get("start_date")).get("display_date")
        self.event(where, record, words.get("text"), str(shown_date or ""), str(slide.get("group") or ""),
                   slide.get("media"))

    def skip(self, err: _Skip, headline: str) -> None:
        named = f" ({short(headline)})" if headline else ""
        self.left.append(f"{_cell(err.where)}{named}: {err.why}")

    def event(self, where: str, record: Record, text: Any, shown_date: str, group: str, media: Any) -> None:
        """An event with its summary and sources (from the slide's text), the date the
        timeline showed (as the date's qualifier when it is that date's reader form, else
        kept in words), its group and its media. The date shown and the group are as the
        file gives them: read as TimelineJS reads them."""
        summary, sources = summary_and_sources(str(text or ""))
        summary, named = where_apart(summary)
        if named:
            self.where.append(named)
        # As TimelineJS shows them: their text taken (a script's words too), then as HTML.
        shown_date, group = displayed(plain_text(shown_date)), displayed(plain_text(group))
        meant = shown_reading(record["date"], shown_date) if shown_date else None
        if meant:  # its own date in words, perhaps with what the slide's dates cannot say
            record["date"] = meant
        elif shown_date and shown_date != parse(record["date"]).display():
            summary = f"{summary}\n\n(Dated in the timeline: {shown_date})".strip()
            if read_date(shown_date):
                self.other_day.append(f"{where} ({shown_date[:60]}{'…' if len(shown_date) > 60 else ''})")
        if summary:
            record["summary"] = summary
        if sources:
            record["sources"] = sources
        if group:
            record["category"] = slug(group, "group")
            self.draft.categories.setdefault(record["category"], group)  # its label: the group as shown
        given = cite_apart(media)
        if str(given.get("url") or "").startswith("//"):  # as TimelineJS loads it on a secure page
            given["url"] = "https:" + given["url"]
            self.schemeless += 1
        kept = media_in(given) if media else None
        alt = obj(media).get("alt")
        if kept and "url" in kept and isinstance(alt, str) and alt.strip():
            kept["alt"] = alt.strip()  # the image's alt attribute: text as it is, not HTML
        if kept:
            record["media"] = [kept]
        self.draft.events.append(record)
        if any(str(value).strip() for value in obj(media).values()) and not kept:  # (an empty one says nothing)
            self.media.append(where)

    def span(self, item: dict[str, Any], where: str) -> str:
        if not item.get("start_date"):
            raise _Skip(f"{where}/start_date", "missing: every event and era has a start_date")
        start, start_time = self.date(item["start_date"], f"{where}/start_date")
        if not item.get("end_date"):
            return start + start_time
        end, end_time = self.date(item["end_date"], f"{where}/end_date")
        if (end, end_time) == (start, start_time):
            return start + start_time
        if start_time or end_time:  # EDTF interval ends are days
            self.timeless.append(where)
            if end == start:
                return start
        joined = f"{start}/{end}"
        if checked_date(joined) is None:
            raise _Skip(f"{where}/end_date", f"ends before it starts: {joined}")
        return joined

    def date(self, value: Any, where: str) -> tuple[str, str]:
        """`_date`, and 29 February of a BCE year TimelineJS's calendar has it in and atlas's
        not (its -44 is a leap year to JavaScript, and 44 BCE, EDTF -0043, none) as its month."""
        try:
            return _date(value, where)
        except _Skip:
            parts = obj(value)
            year = number(parts.get("year"))
            if year is None or year >= 0 or not is_leap(year) or \
                    (number(parts.get("month")), number(parts.get("day"))) != (2, 29):
                raise
            self.leap.append(where)
            return _date({**parts, "day": None, "hour": None}, where)

    def finish(self) -> Draft:
        """The draft, its notes saying what was left out; refused when no event is left."""
        if not self.draft.events:
            problems = self.left or ["/events: no events"]
            raise AtlasError("\n".join(printable(f"{self.shown}:{problem}") for problem in problems) +
                             f"\n{printable(self.shown)}: nothing to import: no event could be read")
        notes = self.draft.notes
        notes += [f"left out {problem}" for problem in self.left]
        if self.timeless:
            whose = plural(len(self.timeless), "interval's", "intervals'")
            notes.append(f"{whose} times of day left out (an EDTF interval's ends are "
                         f"days): {_listed(self.timeless)}")
        if self.unused:
            fields = ", ".join(f"{key} ({n})" for key, n in sorted(self.unused.items()))
            notes.append(f"fields not kept (how many slides had each): {fields}")
        if self.leap:
            notes.append(f"{len(self.leap)} dates on 29 February of a year TimelineJS's calendar makes a leap year "
                         f"and atlas's not (its year -44, 44 BCE) read as their month: {_listed(self.leap)}")
        if self.schemeless:
            notes.append(f"{plural(self.schemeless, 'media address', 'media addresses')} without a scheme (//…) read as https://…")
        if self.other_day:
            notes.append(f"{plural(len(self.other_day), 'display_date')} {'says' if len(self.other_day) == 1 else 'say'}"
                         f" another date than the slide's start_date and end_date: the slide's dates kept, the "
                         f"display_date kept in the summary ({_listed(self.other_day)})")
        if self.where:
            notes.append(f"{plural(len(self.where), 'paragraph')} \"Where: …\" (as atlas's export names an event's "
                         "places) left out of the summaries, and the places named there not imported as places: "
                         f"TimelineJS has none ({_listed(list(dict.fromkeys(self.where)))})")
        if self.media:
            whose = plural(len(self.media), "event's", "events'")
            notes.append(f"{whose} media left out: neither a web address nor a quotation "
                         f"({_listed(self.media)})")
        _periods_for_all(self.draft, self.ids)
        return self.draft


def _cell(where: str) -> str:
    """A spreadsheet's place in its own words: "row 5/end_date/month" is "row 5, End Month"."""
    row, _, rest = where.partition("/")
    if not row.startswith("row ") or not rest:
        return where
    side, _, part = rest.partition("/")
    return f"{row}, {'End ' if side == 'end_date' else ''}{(part or 'year').title()}"


def _listed(wheres: list[str], most: int = 8) -> str:
    return ", ".join(wheres[:most]) + (f" and {len(wheres) - most} more" if len(wheres) > most else "")


def read(shown: str, text: str, ids: Ids) -> Draft:
    if shown.lower().endswith(".csv") or not text.lstrip("\ufeff").lstrip().startswith("{"):
        return _read_csv(shown, text, ids)
    data = load_json(text, shown)
    if isinstance(data, dict) and "timeline" in data and "events" not in data:
        raise Unusable(shown, "/timeline", "an older TimelineJS format (a `timeline` object, as TimelineJS 2 wrote): "
                       "TimelineJS 3 reads a top-level list of `events`, and so does atlas; convert the file first "
                       "(TimelineJS3's util/convert_json.py converts TimelineJS 2's)")
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise Unusable(shown, "/events", "a TimelineJS file has a list of events")
    reader = _Reader(shown, ids)
    title = obj(data.get("title"))
    words = obj(title.get("text"))
    reader.draft.title, reader.draft.subtitle = displayed(words.get("headline")), displayed(words.get("text"))
    reader.count_unused(title, {"text", "start_date", "end_date", "unique_id", "display_date", "group"}, "title.")
    eras = data.get("eras")
    for n, era in enumerate(eras if isinstance(eras, list) else []):
        reader.era(era, f"/eras/{n}")
    for n, slide in enumerate(data["events"]):
        reader.slide(slide, f"/events/{n}")
    return reader.finish()


def _date(value: Any, where: str) -> tuple[str, str]:
    """A TimelineJS date as an EDTF day, month or year, and its time of day ("T…", or "")."""
    if not isinstance(value, dict):
        raise _Skip(where, "a date is an object with a year")
    year = number(value.get("year"))
    if year is None:
        raise _Skip(f"{where}/year", f"the year should be a whole number, got {short(value.get('year'))}")
    month, day = number(value.get("month")), number(value.get("day"))
    if month is not None and not 1 <= month <= 12:
        raise _Skip(f"{where}/month", f"month {month} does not exist")
    astronomical = edtf_year(year)
    if astronomical is None:
        raise _Skip(f"{where}/year", "year 0 is no year in TimelineJS (it shows -1 as 1 BCE, 1 as 1 CE, and this "
                    f"date as \"{_zero_shown(month, day)}\"): give the year meant")
    text = edtf(astronomical, month, day)
    if checked_date(text) is None:
        if abs(astronomical) > 999_999_999:
            raise _Skip(f"{where}/year", f"year {year} is beyond the years atlas dates hold "
                        "(up to 999,999,999 years either side of 1 BCE)")
        raise _Skip(where, f"not a date: {short(text)}")
    hour = number(value.get("hour"))
    if hour is None and value.get("hour") not in (None, ""):
        raise _Skip(f"{where}/hour", f"not an hour: {short(value.get('hour'))}")
    time = ""
    if hour is not None and month and day:
        time = f"T{hour:02d}:{number(value.get('minute')) or 0:02d}:{number(value.get('second')) or 0:02d}"
        if checked_date(text + time) is None:
            raise _Skip(where, f"not a time of day: {short(time[1:])}")
    return text, time


def _periods_for_all(draft: Draft, ids: Ids) -> None:
    """Periods sorted by start; when the file has eras, periods added for the events
    outside every one (before, between and after them) and outside every period of the
    atlas imported into, so that every event is on a page."""
    if not draft.periods:
        return
    eras = sorted(draft.periods, key=lambda p: parse(p["when"]).sort_key())
    spans = [parse(p["when"]) for p in eras]
    pages = spans + [parse(when) for when in ids.periods if checked_date(when)]
    outside: dict[int, list[Any]] = {}  # by how many eras start before the event
    for record in draft.events:
        date = parse(record["date"])
        if not any(date.overlaps(span) for span in pages):
            outside.setdefault(sum(1 for span in spans if span.first < date.first), []).append(date)
    added = [_gap_period(eras, at, dates, ids) for at, dates in sorted(outside.items())]
    draft.periods = sorted(eras + added, key=lambda p: parse(p["when"]).sort_key())
    if added:
        count = sum(len(dates) for dates in outside.values())
        draft.notes.append(f"{plural(count, 'event')} {'lies' if count == 1 else 'lie'} outside every era"
                           f"{' and every period of the atlas' if ids.periods else ''}: "
                           f"{plural(len(added), 'period')} added, so that each is on a page "
                           f"({', '.join(repr(p['title']) for p in added)})")


def _gap_period(eras: list[Record], at: int, dates: list[Any], ids: Ids) -> Record:
    first = min(date.start.year for date in dates if date.start)
    last = max(date.end.year for date in dates if date.end)
    when = year_text(first) if first == last else f"{year_text(first)}/{year_text(last)}"
    if at == 0:
        title = f"Before {eras[0]['title']}"
    elif at >= len(eras):
        title = f"After {eras[-1]['title']}"
    else:
        title = f"Between {eras[at - 1]['title']} and {eras[at]['title']}"
    return {"id": ids.make(None, title, "period"), "title": title, "when": when}


def _read_csv(shown: str, text: str, ids: Ids) -> Draft:
    reader = _Reader(shown, ids)
    draft = reader.draft
    rows = csv_rows(text, shown)
    if rows and not {"Year", "Headline"} <= {str(key).strip() for key in rows[0] if key}:
        raise Unusable(shown, "row 1", "a TimelineJS spreadsheet has the template's columns (Year, Headline, …)")
    for n, row in enumerate(rows, start=2):  # the header is row 1
        row = {key.strip(): (value or "").strip() for key, value in row.items() if key}
        kind = row.get("Type", "").lower()
        headline = displayed(row.get("Headline"))
        if kind == "title":
            draft.title, draft.subtitle = headline, displayed(row.get("Text"))
            reader.count_unused(row, CSV_KEPT, "title ")
            continue
        item: dict[str, Any] = {"start_date": _parts(row, "")}
        if row.get("End Year"):
            item["end_date"] = _parts(row, "End ")
        try:
            when = reader.span(item, f"row {n}")
        except _Skip as err:
            reader.skip(err, headline)
            continue
        reader.count_unused(row, CSV_KEPT)
        if kind == "era":
            draft.periods.append({"id": ids.make(None, headline, "era"), "title": headline or f"Era {n}",
                                  "when": when})
            continue
        record: Record = {"id": ids.make(None, headline, "event"), "date": when, "title": headline or "(untitled)"}
        given = {"url": row["Media"], "credit": row.get("Media Credit"), "caption": row.get("Media Caption"),
                 "alt": row.get("Alt Text")} if row.get("Media") else None
        reader.event(f"row {n}", record, row.get("Text"), row.get("Display Date", ""), row.get("Group", ""), given)
    return reader.finish()


def _parts(row: dict[str, str], prefix: str) -> dict[str, Any]:
    date: dict[str, Any] = {"year": row.get(f"{prefix}Year")}
    for part in ("Month", "Day"):
        if row.get(f"{prefix}{part}"):
            date[part.lower()] = row[f"{prefix}{part}"]
    time = row.get(f"{prefix}Time", "")
    if time:
        date.update(_clock(time))
    return date


def _clock(text: str) -> dict[str, Any]:
    """A spreadsheet's time of day as TimelineJS's parseTime reads it (src/js/date/DateUtil.js):
    h, h:mm, h:mm:ss(.fraction) or hmm, with "." for ":" too, and am/pm."""
    period = re.search(r"\s*([AaPp])\.?[Mm]\.?\s*$", text)
    text = text[: period.start()].strip() if period else text.strip()
    joined = re.fullmatch(r"(\d{1,2})(\d{2})", text)
    parts = list(joined.groups()) if joined else text.split(":") if ":" in text else text.split(".")
    hour: Any = number(parts[0])
    if hour is None:
        return {"hour": text}  # not an hour: said so, with the slide
    if period:
        afternoon = period[1].lower() == "p"
        hour = hour + 12 if afternoon and hour != 12 else 0 if not afternoon and hour == 12 else hour
    second = re.split(r"[.,]", parts[2])[0] if len(parts) > 2 else None
    return {"hour": hour, "minute": parts[1] if len(parts) > 1 else None, "second": second}


def _zero_shown(month: int | None, day: int | None) -> str:
    """How TimelineJS (in English) shows a date of its year 0: a year alone as its first
    day, "January 1, 0" (it takes the year for a day's date), else "March 0", "March 15, 0"."""
    name = MONTH_NAMES[(month or 1) - 1]
    return f"{name} {day or 1}, 0" if day or month is None else f"{name} 0"
