"""StoryMapJS (Knight Lab): a story of slides, each at a place on the map.

Read: the `overview` slide gives the atlas's title and subtitle; every other slide
becomes an event, and its `location` a place (slides at the same spot share one). A
slide's `date` is free text: it is read as a date where that is unambiguous ("1903",
"31 December 1952", "December 1952", "1952-12-31", "c. 1900"); otherwise the text is
kept in the summary, the event is dated by the slides around it, and the notes say so.
Written: one period's events as slides (the period's title and summary the overview).
"""

from __future__ import annotations

import json
import re
from typing import Any

from atlas.formats.common import (
    Draft,
    Exported,
    Ids,
    Record,
    Unusable,
    checked_date,
    html_paragraphs,
    html_text,
    load_json,
    media_in,
    media_out,
    number,
    obj,
    plain_text,
    short,
    story_left_out,
)
from atlas.site.features import representative_point
from atlas.site.periods import events_in
from atlas.site.views import labels_of
from atlas.source.model import Atlas

NAME = "storymapjs"
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]


def sniff(name: str, text: str) -> bool:
    return '"storymap"' in text[:2000] and '"slides"' in text


def read(shown: str, text: str, ids: Ids) -> Draft:
    data = load_json(text, shown)
    story = data.get("storymap") if isinstance(data, dict) else None
    slides = story.get("slides") if isinstance(story, dict) else None
    if not isinstance(slides, list):
        raise Unusable(shown, "/storymap/slides", "a StoryMapJS file has a list of slides")
    draft = Draft()
    places: dict[tuple[float, float], str] = {}
    undated: list[tuple[Record, str]] = []
    last_date: str | None = None
    for n, slide in enumerate(slides):
        where = f"/storymap/slides/{n}"
        if not isinstance(slide, dict):
            raise Unusable(shown, where, "each slide is an object")
        words = obj(slide.get("text"))
        headline, body = plain_text(words.get("headline")), plain_text(words.get("text"))
        if slide.get("type") == "overview":
            draft.title, draft.subtitle = headline, body
            continue
        record: Record = {"id": ids.make(None, headline, "slide"), "title": headline or f"Slide {n}"}
        location = obj(slide.get("location"))
        spot = _spot(location, f"{where}/location", shown)
        if spot is not None:
            if spot not in places:
                name = str(location.get("name") or headline or f"Place {len(places) + 1}")
                places[spot] = ids.make(None, name, "place")
                draft.places.append({"id": places[spot], "name": name, "coordinates": [spot[0], spot[1]],
                                     "sources": [{"label": f"StoryMapJS story: {draft.title or shown}"}]})
            record["places"] = [places[spot]]
        zoom = number(location.get("zoom"))
        if spot is not None and zoom is not None and 0 <= zoom <= 20:  # the slide's own view
            record["view"] = {"center": [spot[0], spot[1]], "zoom": zoom}
        if slide.get("media"):
            kept = media_in(slide["media"])
            if kept:
                record["media"] = [kept]
        given = str(slide.get("date") or "").strip()
        date = read_date(given) if given else None
        if body:
            record["summary"] = body
        if date:
            record["date"] = last_date = date
        else:
            undated.append((record, given))
            if last_date:
                record["date"] = last_date
        draft.events.append(record)
    _date_the_rest(draft, undated)
    return draft


def _spot(location: Any, where: str, shown: str) -> tuple[float, float] | None:
    if not isinstance(location, dict) or location.get("lat") in (None, "") or location.get("lon") in (None, ""):
        return None
    try:
        lat, lon = float(location["lat"]), float(location["lon"])
    except (TypeError, ValueError, OverflowError) as err:
        raise Unusable(shown, where, f"lat and lon should be numbers, got {short(location['lat'])}, "
                       f"{short(location['lon'])}") from err
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):  # (inf and nan too)
        raise Unusable(shown, where, f"[{lat}, {lon}] is not on the Earth (lat −90…90, lon −180…180)")
    return round(lat, 6), round(lon, 6)


def _date_the_rest(draft: Draft, undated: list[tuple[Record, str]]) -> None:
    """Slides without a readable date take the date of the slide before (or after) them."""
    following = None
    for record in reversed(draft.events):
        if "date" in record:
            following = record["date"]
        elif following:
            record["date"] = following
    for record, given in undated:
        if "date" not in record:
            record["date"] = "1900/2000"  # the story gives no date at all: a wide span, to be set by hand
        said = f"the slide's date \"{given}\" could not be read" if given else "the slide has no date"
        record["summary"] = f"{record.get('summary', '')}\n\n(Date to check: {said}.)".strip()
        draft.notes.append(f"event '{record['id']}': {said}; dated {record['date']} from the slides around it")


def read_date(text: str) -> str | None:
    """A free-text date as EDTF, where it is unambiguous; None otherwise."""
    words = text.strip().lower().replace(",", " ")
    approximate = ""
    found = re.match(r"^(c\.|ca\.|circa|about)\s*", words)
    if found:
        approximate, words = "~", words[found.end():]
    words = " ".join(words.split())
    if re.fullmatch(r"-?\d{1,4}", words):
        year = int(words)
        return checked_date((f"-{-year:04d}" if year < 0 else f"{year:04d}") + approximate)
    if checked_date(words) and re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", words):
        return words + approximate
    month_names = "|".join(MONTHS) + "|" + "|".join(m[:3] for m in MONTHS)
    found = re.fullmatch(rf"(\d{{1,2}})\s+({month_names})\.?\s+(\d{{3,4}})", words)
    if found:
        day, month, year = int(found[1]), _month(found[2]), int(found[3])
        return checked_date(f"{year:04d}-{month:02d}-{day:02d}{approximate}")
    found = re.fullmatch(rf"({month_names})\.?\s+(\d{{1,2}})\s+(\d{{3,4}})", words)
    if found:
        month, day, year = _month(found[1]), int(found[2]), int(found[3])
        return checked_date(f"{year:04d}-{month:02d}-{day:02d}{approximate}")
    found = re.fullmatch(rf"({month_names})\.?\s+(\d{{3,4}})", words)
    if found:
        return checked_date(f"{int(found[2]):04d}-{_month(found[1]):02d}{approximate}")
    found = re.fullmatch(r"(\d{3,4})s", words)
    if found and int(found[1]) % 10 == 0:
        return checked_date(f"{found[1][:-1]}X{approximate}")
    return None


def _month(name: str) -> int:
    return next(n for n, month in enumerate(MONTHS, start=1) if month.startswith(name[:3]))


def write(atlas: Atlas, geometry: dict[str, Any], period_id: str | None = None) -> Exported:
    notes: list[str] = []
    period = next((p for p in atlas.periods if p.id == period_id), None) if period_id else atlas.periods[0]
    if period is None:
        raise ValueError(period_id)
    # A slide's headline and text are HTML to StoryMapJS (its media's too): our plain text goes
    # in escaped. The location's name and the date are plain text to it.
    slides: list[dict[str, Any]] = [{"type": "overview", "text": {"headline": html_text(period.title),
                                                                  "text": html_paragraphs(period.summary)}}]
    unplaced = left = 0
    labels = labels_of(atlas)
    for event in events_in(period, atlas.events):
        slide: dict[str, Any] = {"text": {"headline": html_text(event.title), "text": html_paragraphs(event.summary)},
                                 "date": event.date.display() if event.date else ""}
        spot = _point(geometry, event.places)
        if spot is None:
            unplaced += 1
        else:
            name = labels.for_event(event)(event.places[0])  # as it was on the event's day
            slide["location"] = {"lat": spot[1], "lon": spot[0], "name": name}
            if event.view:
                slide["location"]["zoom"] = event.view.zoom
        media, dropped = media_out(event.media)
        if media:
            slide["media"] = media
        left += dropped
        slides.append(slide)
    if left:
        notes.append(f"{left} media left out: a slide holds one, and images in the atlas folder have no web address")
    notes += story_left_out(events_in(period, atlas.events), "a StoryMapJS slide has one point", media=False)
    if unplaced:
        notes.append(f"{unplaced} events without a point to show are slides without a location")
    undated = sum(1 for event in atlas.events if event.date is None)
    if undated:
        notes.append(f"{undated} undated events left out: a story map tells one period's events")
    if len(atlas.periods) > 1:
        notes.append(f"one period of {len(atlas.periods)} ({period.id}): a story map is one story")
    data = {"storymap": {"slides": slides, "language": atlas.info.language}}
    return Exported(json.dumps(data, ensure_ascii=False, indent=1) + "\n", notes)


def _point(geometry: dict[str, Any], places: tuple[str, ...]) -> list[float] | None:
    for ref in places:
        if ref in geometry:
            return list(representative_point(geometry[ref]))
    return None
