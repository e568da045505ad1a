"""TimelineJS's writer: an atlas as a TimelineJS file (the format, its year convention and
its reader are in atlas/formats/timelinejs.py). Periods go out as eras, events as slides,
each with its `unique_id`, its text escaped for each field as TimelineJS shows it, its
sources as the text's last paragraph, a qualified date's words in `display_date`; the
notes say what the file leaves out, and only that.

The rules the export keeps (tests/test_formats.py checks them): `events` is a list; each
slide has a `start_date` whose `year` is an integer; `month` is 1–12 and `day` 1–31 when
given; an `end_date` is not before its `start_date`; every era has both; `unique_id`s
are unique."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from typing import Any

from atlas.formats.common import (
    Exported,
    edtf,
    html_paragraphs,
    html_text,
    html_twice,
    media_out,
    notes_left_out,
    plural,
    story_left_out,
)
from atlas.formats.datetext import read_date
from atlas.formats.timelinejs_text import WHERE, sources_html
from atlas.site.views import labels_of
from atlas.source.dates import EdtfDate, parse
from atlas.source.days import is_leap
from atlas.source.model import Atlas, Event

UNSAID = re.compile(r"X|^-?\d{4}-2[1-4]|/-?\d{4}-2[1-4]")  # unspecified digits, a season


def timelinejs_year(year: int) -> int:
    """EDTF's (astronomical) year as TimelineJS's: -43 (44 BCE) is -44, 0 (1 BCE) is -1."""
    return year - 1 if year <= 0 else year


def write(atlas: Atlas, geometry: dict[str, Any]) -> Exported:
    undated = sum(1 for event in atlas.events if event.date is None)
    # Nothing is invented for undated events: they are left out, and said to be.
    atlas = dataclasses.replace(atlas, events=tuple(event for event in atlas.events if event.date is not None))
    labels = labels_of(atlas)
    events = [_slide(atlas, event, labels.for_event(event)) for event in atlas.events]
    eras = [{"start_date": _precise(period.when.start, period.when, "start"),
             "end_date": _precise(period.when.end, period.when, "end"), "text": {"headline": html_text(period.title)}}
            for period in atlas.periods if period.when.start and period.when.end]
    title = {"headline": html_text(atlas.info.title), "text": html_paragraphs(atlas.info.subtitle)}
    data: dict[str, Any] = {"title": {"text": title}, "events": events, "eras": eras}
    notes = [f"{plural(undated, 'undated event')} left out: a TimelineJS slide needs a date"] if undated else []
    return Exported(json.dumps(data, ensure_ascii=False, indent=1) + "\n", notes + _left_out(atlas))


def _left_out(atlas: Atlas) -> list[str]:
    """What the export leaves out, and only that (qualifiers, sources, categories' labels,
    paragraphs, the first quotation or linked image and its words are kept)."""
    notes: list[str] = []
    if atlas.places:
        notes.append(f"{plural(len(atlas.places), 'place')} left out: TimelineJS has no places (each event names its "
                     "places in its text)")
    left = sum(media_out(event.media)[1] for event in atlas.events)
    if left:
        notes.append(f"{left} media left out: a slide holds one, and images in the atlas folder have no web address")
    notes += story_left_out(atlas.events, "TimelineJS draws no maps", media=False)
    notes += notes_left_out(atlas.events, "events") + notes_left_out(atlas.periods, "periods")
    counts = {("event's view", "events' views"): sum(1 for e in atlas.events if e.view),
              ("period's summary", "periods' summaries"): sum(1 for p in atlas.periods if p.summary),
              ("period's view", "periods' views"): sum(1 for p in atlas.periods if p.view),
              ("category's colour", "categories' colours"): sum(1 for c in atlas.info.categories if c.colour),
              ("lesson", "lessons"): len(atlas.lessons),
              ("credits of the atlas", "credits of the atlas"): 1 if atlas.info.credits else 0}
    notes += [f"{plural(n, *what)} left out: TimelineJS has no place for {'it' if n == 1 else 'them'}"
              for what, n in counts.items() if n]
    open_ended = [p for p in atlas.periods if not (p.when.start and p.when.end)]
    if open_ended:
        notes.append(f"{plural(len(open_ended), 'open-ended period')} left out of the eras (an era has both ends)")
    zoned = sum(1 for event in atlas.events if event.date and re.search(r"T[\d:]+(Z|[+-])", event.date.text))
    if zoned:
        notes.append(f"{plural(zoned, 'time of day', 'times of day')}'s offset{'' if zoned == 1 else 's'} from UTC left "
                     "out: TimelineJS's times have none")
    notes += _not_back(atlas)
    shortened = [event.id for event in atlas.events if _leap_day_lost(event)]
    if shortened:
        notes.append(f"{plural(len(shortened), 'date')} on 29 February of a BCE leap year given as their month: TimelineJS's "
                     f"year for it has no 29 February ({', '.join(shortened[:8])})")
    return notes


def _slide(atlas: Atlas, event: Event, name_of: Callable[[str], str]) -> dict[str, Any]:
    """An event as a slide, its places named as on its day and its sources at the end. Its
    headline and text (and its media's) are HTML to TimelineJS: our plain text goes in
    escaped, paragraphs as `<p>`, only web addresses linked."""
    date = event.date
    if date is None:
        raise ValueError("an undated event")  # write() leaves them out
    places = ", ".join(name_of(ref) for ref in event.places if ref in atlas.place_by_id)
    text = html_paragraphs(event.summary + (f"\n\n{WHERE} {places}." if places else "")) + sources_html(event)
    slide: dict[str, Any] = {"unique_id": event.id, "text": {"headline": html_text(event.title), "text": text},
                             **_slide_dates(date)}
    if event.category:
        labels = {entry.value: entry.label for entry in atlas.info.categories}
        slide["group"] = html_twice(labels.get(event.category) or event.category)
    # What TimelineJS's dates cannot say in themselves, said in words: a qualifier, an open
    # end, a season, unspecified digits (1950s).
    if date.uncertain or date.approximate or date.start is None or date.end is None or UNSAID.search(date.text):
        slide["display_date"] = html_twice(date.display())
    media, _ = media_out(event.media)
    if media:
        slide["media"] = media
        first = next(item for item in event.media if not item.file)
        if first.url and first.alt:  # TimelineJS sets it as the image's alt: text, not HTML
            media["alt"] = first.alt
    return slide


def _precise(day: Any, date: Any, side: str) -> dict[str, Any]:
    """A TimelineJS date as precise as the EDTF date was (a year alone stays a year), in
    TimelineJS's years (see the module's docstring)."""
    text = date.text.split("/")[0 if side == "start" else -1]
    digits = text.lstrip("-Y").split("T")[0].rstrip("?~%").split("-")
    parts: dict[str, Any] = {"year": timelinejs_year(day.year)}
    if len(digits) >= 2 and digits[1].isdigit() and int(digits[1]) <= 12:
        parts["month"] = day.month
    if len(digits) >= 3 and digits[2].isdigit() and not _no_leap_day(day):
        parts["day"] = day.day
        time = re.search(r"T(\d\d):(\d\d):(\d\d)", text)
        if time:
            parts.update(hour=int(time[1]), minute=int(time[2]), second=int(time[3]))
    return parts


def _no_leap_day(day: Any) -> bool:
    """29 February of a year TimelineJS's Date (astronomical, one year off) has none."""
    return bool(day.month == 2 and day.day == 29 and not is_leap(timelinejs_year(day.year)))


def _leap_day_lost(event: Event) -> bool:
    date = event.date
    return date is not None and any(day is not None and _no_leap_day(day) for day in (date.start, date.end))


def _slide_dates(date: EdtfDate) -> dict[str, Any]:
    """A slide's start_date (and end_date, when another day) for an EDTF date."""
    start, end = date.start, date.end
    if start is None:  # open start: TimelineJS needs one; the end stands for it
        start = end
    if start is None:
        raise ValueError("an event with no dates")
    dates = {"start_date": _precise(start, date, "start")}
    if end is not None and end != start:
        dates["end_date"] = _precise(end, date, "end")
    return dates


def slide_date(text: str) -> str | None:
    """The EDTF date that the start_date and end_date written for the date `text` read
    back as (their display_date aside); None for a date with a time of day."""
    if "T" in text:
        return None
    dates = _slide_dates(parse(text))
    ends = [edtf(year + 1 if (year := parts["year"]) < 0 else year, parts.get("month"), parts.get("day"))
            for parts in (dates["start_date"], dates.get("end_date")) if parts]
    return "/".join(dict.fromkeys(ends))  # (as the import reads a slide whose ends are one date)


def shown_reading(date: str, shown: str) -> str | None:
    """The date a slide's display_date says, when it says the slide's own date (read as
    `slide_date` writes it) in other words: "c. 300 BC" for -0299 is -0299~, "Spring
    218 BCE" for -0217 is -0217-21, "from 264 BCE" for -0263 is -0263/..; else None."""
    read = read_date(shown)
    return read if read and slide_date(read) == date else None


def _not_back(atlas: Atlas) -> list[str]:
    """The dates a TimelineJS file cannot give back: neither its slide's dates nor the words
    written for them (display_date) say it (times of day's offsets and leap days aside)."""
    lost = []
    for event in atlas.events:
        date = event.date
        if date is None or "T" in date.text or _leap_day_lost(event) or slide_date(date.text) == date.text:
            continue
        back = shown_reading(slide_date(date.text) or "", date.display())
        if back != date.text:
            lost.append(f"{event.id}: {date.text} as {back or slide_date(date.text)}")
    if not lost:
        return []
    return [f"{plural(len(lost), 'date')} not given back exactly: TimelineJS's dates and the words shown for "
            f"them say less ({'; '.join(lost[:8])}{' and more' if len(lost) > 8 else ''})"]
