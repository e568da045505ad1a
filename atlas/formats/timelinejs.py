"""TimelineJS (Knight Lab): its JSON and its Google spreadsheet exported as CSV.

Read: events become events (no places: TimelineJS has none), eras become periods, the
title slide gives the atlas's title. Dates are objects of `year` (astronomical, as EDTF:
-43 is 44 BCE), `month`, `day` and a time; `display_date` is kept only where it says
more than the date. Written: periods as eras, events as slides, each with its
`unique_id`; what TimelineJS cannot hold (qualifiers, places) is said in the notes and
kept in `display_date` where that helps. TimelineJS shows its text fields as HTML (and
`group` and `display_date` as HTML after taking their text): our text goes out escaped
for each, and comes back exactly.

The format: https://timeline.knightlab.com/docs/json-format.html and the spreadsheet
template's columns. The rules the export keeps (tests/test_formats.py checks them):
`events` is a list; each slide has a `start_date` whose `year` is an integer; `month`
is 1–12 and `day` 1–31 when given; an `end_date` is not before its `start_date`; every
era has both; `unique_id`s are unique.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

from atlas.formats.common import (
    Draft,
    Exported,
    Ids,
    Record,
    Unusable,
    checked_date,
    csv_rows,
    edtf,
    html_paragraphs,
    html_text,
    html_twice,
    load_json,
    media_in,
    media_out,
    number,
    plain_text,
    short,
    shown_text,
    slug,
    story_left_out,
)
from atlas.site.views import labels_of
from atlas.source.model import Atlas, Event

NAME = "timelinejs"
COLUMNS = ["Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time", "Display Date",
           "Headline", "Text", "Media", "Media Credit", "Media Caption", "Media Thumbnail", "Alt Text", "Type",
           "Group", "Background"]


def sniff(name: str, text: str) -> bool:
    head = text.lstrip("\ufeff")[:4000]
    if name.lower().endswith(".csv"):
        first = head.split("\n", 1)[0]
        return "Headline" in first and "Year" in first
    return head.lstrip().startswith("{") and '"events"' in head


def read(shown: str, text: str, ids: Ids) -> Draft:
    if shown.lower().endswith(".csv") or not text.lstrip("\ufeff").startswith("{"):
        return _read_csv(shown, text, ids)
    data = load_json(text, shown)
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise Unusable(shown, "/events", "a TimelineJS file has a list of events")
    draft = Draft()
    title = data.get("title")
    if isinstance(title, dict):
        words = title.get("text") or {}
        draft.title = plain_text(words.get("headline")) if isinstance(words, dict) else ""
        draft.subtitle = plain_text(words.get("text")) if isinstance(words, dict) else ""
    for n, era in enumerate(data.get("eras") or []):
        where = f"/eras/{n}"
        when = _span(era, where, shown)
        words = era.get("text") or {} if isinstance(era, dict) else {}
        headline = plain_text(words.get("headline")) if isinstance(words, dict) else ""
        record: Record = {"id": ids.make(None, headline, "era"), "title": headline or f"Era {n + 1}", "when": when}
        draft.periods.append(record)
    media = 0
    for n, slide in enumerate(data["events"]):
        where = f"/events/{n}"
        if not isinstance(slide, dict):
            raise Unusable(shown, where, "each event is an object")
        words = slide.get("text") or {}
        headline = plain_text(words.get("headline")) if isinstance(words, dict) else ""
        record = {"id": ids.make(slide.get("unique_id"), headline, "event"), "date": _span(slide, where, shown),
                  "title": headline or "(untitled)"}
        summary = plain_text(words.get("text")) if isinstance(words, dict) else ""
        shown_date = slide.get("display_date") or (slide.get("start_date") or {}).get("display_date")
        media += _add_event(draft, record, summary, str(shown_date or ""), str(slide.get("group") or ""),
                            slide.get("media"))
    _note_media(draft, media)
    return draft


def _add_event(draft: Draft, record: Record, summary: str, shown_date: str, group: str, media: Any) -> int:
    """An event with its summary (and the date the timeline showed, which it keeps in
    words), its group and its media; 1 when its media had to be left out. The date shown
    and the group are as the file gives them: read as TimelineJS reads them."""
    shown_date, group = shown_text(shown_date), shown_text(group)
    if shown_date:
        summary = f"{summary}\n\n(Dated in the timeline: {shown_date})".strip()
    if summary:
        record["summary"] = summary
    if group:
        record["category"] = slug(group, "group")
    kept = media_in(media) if media else None
    if kept:
        record["media"] = [kept]
    draft.events.append(record)
    return 1 if media and not kept else 0


def _note_media(draft: Draft, left: int) -> None:
    if left:
        draft.notes.append(f"{left} events' media left out: neither a web address nor a quotation")


def _date(value: Any, where: str, shown: str) -> str:
    if not isinstance(value, dict):
        raise Unusable(shown, where, "a date is an object with a year")
    year = number(value.get("year"))
    if year is None:
        raise Unusable(shown, f"{where}/year", f"the year should be a whole number, got {short(value.get('year'))}")
    month, day = number(value.get("month")), number(value.get("day"))
    if month is not None and not 1 <= month <= 12:
        raise Unusable(shown, f"{where}/month", f"month {month} does not exist")
    text = edtf(year, month, day)
    hour = number(value.get("hour"))
    if hour is not None and month and day:
        text += f"T{hour:02d}:{number(value.get('minute')) or 0:02d}:{number(value.get('second')) or 0:02d}"
    if checked_date(text) is None:
        raise Unusable(shown, where, f"not a date: {short(text)}")
    return text


def _span(item: Any, where: str, shown: str) -> str:
    if not isinstance(item, dict) or "start_date" not in item:
        raise Unusable(shown, f"{where}/start_date", "missing: every event and era has a start_date")
    start = _date(item["start_date"], f"{where}/start_date", shown)
    if item.get("end_date"):
        end = _date(item["end_date"], f"{where}/end_date", shown)
        if end != start:
            joined = f"{start}/{end}"
            if checked_date(joined) is None:
                raise Unusable(shown, f"{where}/end_date", f"ends before it starts: {joined}")
            return joined
    return start


def _read_csv(shown: str, text: str, ids: Ids) -> Draft:
    rows = csv_rows(text, shown)
    draft = Draft()
    media = 0
    for n, row in enumerate(rows, start=2):  # the header is row 1
        row = {key.strip(): (value or "").strip() for key, value in row.items() if key}
        kind = row.get("Type", "").lower()
        words = {"headline": row.get("Headline"), "text": row.get("Text")}
        if kind == "title":
            draft.title, draft.subtitle = plain_text(words["headline"]), plain_text(words["text"])
            continue
        item: dict[str, Any] = {"start_date": _parts(row, "", n)}
        if row.get("End Year"):
            item["end_date"] = _parts(row, "End ", n)
        when = _span(item, f"row {n}", shown)
        headline = plain_text(words["headline"])
        if kind == "era":
            draft.periods.append({"id": ids.make(None, headline, "era"), "title": headline or f"Era {n}",
                                  "when": when})
            continue
        record: Record = {"id": ids.make(None, headline, "event"), "date": when, "title": headline or "(untitled)"}
        given = {"url": row["Media"], "credit": row.get("Media Credit"), "caption": row.get("Media Caption"),
                 "alt": row.get("Alt Text")} if row.get("Media") else None
        media += _add_event(draft, record, plain_text(words["text"]), row.get("Display Date", ""),
                            row.get("Group", ""), given)
    _note_media(draft, media)
    return draft


def _parts(row: dict[str, str], prefix: str, n: int) -> dict[str, Any]:
    date: dict[str, Any] = {"year": row.get(f"{prefix}Year")}
    for part in ("Month", "Day"):
        if row.get(f"{prefix}{part}"):
            date[part.lower()] = row[f"{prefix}{part}"]
    time = row.get(f"{prefix}Time", "")
    if time:
        pieces = [*time.split(":"), "0", "0"][:3]
        date.update(hour=pieces[0], minute=pieces[1], second=pieces[2])
    return date


def write(atlas: Atlas, geometry: dict[str, Any]) -> Exported:
    notes: list[str] = []
    undated = sum(1 for event in atlas.events if event.date is None)
    if undated:  # nothing is invented for them: they are left out, and said to be
        notes.append(f"{undated} undated events left out: a TimelineJS slide needs a date")
        atlas = dataclasses.replace(atlas, events=tuple(event for event in atlas.events if event.date is not None))
    qualified = [event.id for event in atlas.events if event.date and (event.date.uncertain or event.date.approximate)]
    if qualified:
        notes.append(f"{len(qualified)} dates are uncertain or approximate: TimelineJS dates cannot say so; "
                     "each keeps its date as written in display_date")
    if any(event.places for event in atlas.events):
        notes.append("places left out: TimelineJS has no places (each event's names them in its text)")
    labels = labels_of(atlas)
    events = [_slide(atlas, event, labels.for_event(event)) for event in atlas.events]
    left = sum(media_out(event.media)[1] for event in atlas.events)
    if left:
        notes.append(f"{left} media left out: a slide holds one, and images in the atlas folder have no web address")
    notes += story_left_out(atlas.events, "TimelineJS draws no maps", media=False)
    eras = [{"start_date": _precise(period.when.start, period.when, "start"),
             "end_date": _precise(period.when.end, period.when, "end"), "text": {"headline": html_text(period.title)}}
            for period in atlas.periods if period.when.start and period.when.end]
    if len(eras) < len(atlas.periods):
        notes.append(f"{len(atlas.periods) - len(eras)} open-ended periods left out of the eras")
    title = {"headline": html_text(atlas.info.title), "text": html_paragraphs(atlas.info.subtitle)}
    data: dict[str, Any] = {"title": {"text": title},
                            "events": events, "eras": eras}
    return Exported(json.dumps(data, ensure_ascii=False, indent=1) + "\n", notes)


def _slide(atlas: Atlas, event: Event, name_of: Callable[[str], str]) -> dict[str, Any]:
    """An event as a slide, its places named as on its day. Its headline and text (and its
    media's) are HTML to TimelineJS: our plain text goes in escaped, paragraphs as `<p>`."""
    date = event.date
    if date is None:
        raise ValueError("an undated event")  # write() leaves them out
    start, end = date.start, date.end
    places = ", ".join(name_of(ref) for ref in event.places if ref in atlas.place_by_id)
    text = html_paragraphs(event.summary + (f"\n\nWhere: {places}." if places else ""))
    slide: dict[str, Any] = {"unique_id": event.id, "text": {"headline": html_text(event.title), "text": text}}
    if start is None:  # open start: TimelineJS needs one; the end stands for it
        start = end
    if start is None:
        raise ValueError("an event with no dates")
    slide["start_date"] = _precise(start, date, "start")
    if end is not None and end != start:
        slide["end_date"] = _precise(end, date, "end")
    if event.category:
        labels = {entry.value: entry.label for entry in atlas.info.categories}
        slide["group"] = html_twice(labels.get(event.category) or event.category)
    if date.uncertain or date.approximate or date.start is None:
        slide["display_date"] = html_twice(date.display())
    media, _ = media_out(event.media)
    if media:
        slide["media"] = media
    return slide


def _precise(day: Any, date: Any, side: str) -> dict[str, Any]:
    """A TimelineJS date as precise as the EDTF date was: a year alone stays a year."""
    text = date.text.split("/")[0 if side == "start" else -1]
    digits = text.lstrip("-Y").split("T")[0].rstrip("?~%").split("-")
    parts: dict[str, Any] = {"year": day.year}
    if len(digits) >= 2 and digits[1].isdigit() and int(digits[1]) <= 12:
        parts["month"] = day.month
    if len(digits) >= 3 and digits[2].isdigit():
        parts["day"] = day.day
    return parts
