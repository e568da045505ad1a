"""StoryMapJS (Knight Lab): a story of slides, each at a place on the map.

How StoryMapJS reads its JSON (github.com/NUKnightLab/StoryMapJS, src/js): a slide's
`text.headline` and `text.text` are HTML (`innerHTML`, media/types/Text.js; the text is
wrapped in a `<p>` unless it has one, core/Util.js `htmlify`), so are `media.credit` and
`media.caption` (media/Media.js); a blockquote given as `media.url` is sanitised markup
(media/EmbedUtil.js). The slide's `date` and `location.name` are kept but never shown, and
`location.line` is never read. A marker is drawn only where `location.lat` and `lon` are
numbers (map/leaflet/MapMarker.Leaflet.js); the overview fits the map to the markers
(map/leaflet/Map.Leaflet.js `_markerOverview`), which fails when there is none. A story
whose `map_type` is "zoomify" is a gigapixel image: its lat/lon are points on the image.

Read: the first slide, when it is an overview, gives the atlas's title and subtitle; every
other slide becomes an event, its `location` a place named after the location's `name`
(slides at the same spot share one). The date is free text, read where it says one date
(`datetext`; a negative year as a number, "-44", is 44 BCE as historians and TimelineJS
write it, noted); otherwise the event is left undated, the text kept in its summary. The
text's last paragraphs "Also at:" and "Sources:" (as atlas writes them) are read back as
places and sources, and a first paragraph that is the slide's date is dropped. Written: one
period's events as slides, the date as a reader reads it both in `date` and, since
StoryMapJS shows no `date`, as the text's first paragraph; the text ends with the event's
other places and its sources. The headline is escaped only as HTML needs (`&`, `<`, `>`):
its marker's tooltip shows it as plain text.
"""

from __future__ import annotations

import html
import html.parser
import json
import re
from dataclasses import dataclass, field
from typing import Any

from atlas.errors import AtlasError
from atlas.formats.common import (
    Draft,
    Exported,
    Ids,
    Record,
    Unusable,
    html_paragraphs,
    html_text,
    load_json,
    media_in,
    media_out,
    notes_left_out,
    number,
    obj,
    plain_text,
    plural,
    short,
    source,
    story_left_out,
)
from atlas.formats.datetext import historians_year, read_date, written_date
from atlas.site.features import representative_point
from atlas.site.periods import events_in
from atlas.site.views import labels_of
from atlas.source.model import Atlas, Event, Period
from atlas.source.sanitize import parse_whole

NAME = "storymapjs"
OTHERS = "Also at:"  # the heading of the paragraph naming an event's other places
SOURCES = "Sources:"  # the heading of the paragraph of an event's sources


def sniff(name: str, text: str) -> bool:
    return '"storymap"' in text[:2000] and '"slides"' in text


@dataclass
class _Reading:
    """A story being read: the draft, its places by spot and by name, and what to note."""

    shown: str
    ids: Ids
    draft: Draft = field(default_factory=Draft)
    spots: dict[tuple[float, float], str] = field(default_factory=dict)
    named: dict[str, str] = field(default_factory=dict)
    counts: dict[str, list[str]] = field(default_factory=dict)

    def count(self, what: str, event_id: str) -> None:
        self.counts.setdefault(what, []).append(event_id)


def read(shown: str, text: str, ids: Ids) -> Draft:
    data = load_json(text, shown)
    story = data.get("storymap") if isinstance(data, dict) else None
    slides = story.get("slides") if isinstance(story, dict) else None
    if not isinstance(story, dict) or not isinstance(slides, list):
        raise Unusable(shown, "/storymap/slides", "a StoryMapJS file has a list of slides")
    _refuse_images(story, shown)
    reading = _Reading(shown, ids)
    refused: list[str] = []  # every slide that cannot be read, each said: the others are imported
    for n, slide in enumerate(slides):
        try:
            if not isinstance(slide, dict):
                raise Unusable(shown, f"/storymap/slides/{n}", "each slide is an object")
            words = obj(slide.get("text"))
            if n == 0 and slide.get("type") == "overview":
                reading.draft.title = plain_text(words.get("headline"))
                reading.draft.subtitle = plain_text(words.get("text"))
                continue
            _slide(reading, slide, n)
        except Unusable as err:
            refused.append(err.text)
    if refused and not reading.draft.events:
        raise AtlasError("\n".join(refused))
    reading.draft.notes += [f"slide left out: {problem.removeprefix(shown + ':')}" for problem in refused]
    _note(reading, story)
    return reading.draft


def _refuse_images(story: dict[str, Any], shown: str) -> None:
    if story.get("map_type") == "zoomify":
        raise Unusable(shown, "/storymap/map_type", "a gigapixel story (map_type \"zoomify\"): its slides' lat and "
                       "lon are points on an image, not on the Earth, so atlas cannot place them on a map")


def _slide(reading: _Reading, slide: dict[str, Any], n: int) -> None:
    words, location = obj(slide.get("text")), obj(slide.get("location"))
    headline = plain_text(words.get("headline"))
    given = " ".join(str(slide.get("date") or "").split())
    summary, others, sources = _body(words.get("text"), given)
    record: Record = {"id": reading.ids.make(str(slide.get("uniqueid") or "") or None, headline, "slide"),
                      "title": headline or f"Slide {n}"}
    date = read_date(given)
    if date:
        record["date"] = date
        if historians_year(given):
            reading.count("historians", record["id"])
    elif re.fullmatch(r"[-+]?0+", given):
        summary = f"{summary}\n\n(Dated in the story: {given})".strip()
        reading.count("zero", record["id"])
    elif given:
        summary = f"{summary}\n\n(Dated in the story: {given})".strip()
        reading.draft.notes.append(f"event '{record['id']}': its date \"{given}\" is not one date atlas can read: "
                                   "left undated, the date kept in its summary")
    else:
        reading.count("undated", record["id"])
    if summary:
        record["summary"] = summary
    located = _places(reading, slide, location, n, headline, record["id"])
    places = located + _others(reading, others)
    if places:
        record["places"] = list(dict.fromkeys(places))
    if sources:
        record["sources"] = sources
    zoom = number(location.get("zoom"))
    if located and zoom is not None and 0 <= zoom <= 20:  # the slide's own view, centred on its location
        record["view"] = {"center": next(list(p["coordinates"]) for p in reading.draft.places if p["id"] == located[0]),
                          "zoom": zoom}
    _media(reading, slide, record)
    reading.draft.events.append(record)


def _places(reading: _Reading, slide: dict[str, Any], location: dict[str, Any], n: int, headline: str,
            event_id: str) -> list[str]:
    """The slide's location as a place (a slide of the overview type shows the whole map, not it)."""
    spot = _spot(location, f"/storymap/slides/{n}/location", reading.shown)
    if "line" in location:
        reading.count("line", event_id)
    if spot is None:
        return []
    if isinstance(location["lat"], str) or isinstance(location["lon"], str):
        reading.count("text", event_id)
    if slide.get("type") == "overview":
        reading.count("overview", event_id)
        return []
    if spot not in reading.spots:
        name = " ".join(str(location.get("name") or "").split()) or headline or f"Place {len(reading.spots) + 1}"
        named = next((p for p in reading.draft.unplaced if p["id"] == reading.named.get(name)), None)
        if named:  # a place a slide before named in its text: here is where it is
            reading.draft.unplaced.remove(named)
        reading.spots[spot] = named["id"] if named else reading.ids.make(None, name, "place")
        reading.named.setdefault(name, reading.spots[spot])
        reading.draft.places.append({"id": reading.spots[spot], "name": name, "coordinates": [spot[0], spot[1]],
                                     "sources": [{"label": f"StoryMapJS story: {reading.draft.title or reading.shown}"}]})
    else:
        _renamed(reading, reading.spots[spot], " ".join(str(location.get("name") or "").split()))
    return [reading.spots[spot]]


def _renamed(reading: _Reading, place_id: str, name: str) -> None:
    """A later slide at the same spot that names it otherwise (Mukden, then Shenyang): one
    place, as the first slide names it; the other name noted (when it was used, the story
    does not say)."""
    place = next(p for p in reading.draft.places if p["id"] == place_id)
    if name and name != place["name"] and f"{place_id}: {name}" not in reading.counts.get("renamed", []):
        reading.count("renamed", f"{place_id}: {name}")


def _others(reading: _Reading, names: list[str]) -> list[str]:
    """The places a slide's text names besides its location: a place of the story of that
    name, else one without a geometry yet (kept with --geocode)."""
    found = []
    for name in names:
        if name not in reading.named:
            reading.named[name] = reading.ids.make(None, name, "place")
            reading.draft.unplaced.append({"id": reading.named[name], "name": name})
        found.append(reading.named[name])
    return found


def _media(reading: _Reading, slide: dict[str, Any], record: Record) -> None:
    if slide.get("media"):
        kept = media_in(_cite_apart(obj(slide["media"])))
        if kept:
            record["media"] = [kept]
        elif obj(slide["media"]).get("url"):
            reading.count("media", record["id"])
    if slide.get("background"):
        reading.count("background", record["id"])


def _cite_apart(media: dict[str, Any]) -> dict[str, Any]:
    """A quotation's `<cite>` is whom it quotes, not words of it: kept as its source."""
    url = str(media.get("url") or "")
    lower = url.lower()  # (found by `find`, not a pattern: linear in any text)
    start = lower.find("<cite")
    inner = lower.find(">", start) + 1
    end = lower.find("</cite", inner)
    close = lower.find(">", end) + 1
    if not lower.lstrip().startswith("<blockquote") or start < 0 or not inner or end < 0 or not close:
        return media
    return {**media, "url": url[:start] + url[close:], "credit": media.get("credit") or url[inner:end]}


class _Lines(html.parser.HTMLParser):
    """The lines of an HTML text (as `plain_text` gives them), each with the address of
    the link in it, if any."""

    BREAKS = frozenset({"p", "div", "br", "li", "blockquote", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[str, str | None]] = []
        self.words: list[str] = []
        self.href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BREAKS:
            self.flush()
        elif tag == "a":
            self.href = dict(attrs).get("href") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BREAKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        self.words.append(data)

    def flush(self) -> None:
        for line in "".join(self.words).split("\n"):
            text = re.sub(r"\s+", " ", line).strip()
            if text:
                self.lines.append((text, self.href))
        self.words, self.href = [], None


def _body(markup: Any, date: str) -> tuple[str, list[str], list[Record]]:
    """A slide's text: its summary, the other places it names and its sources (the last
    paragraphs "Also at:" and "Sources:", each a line an item, as the export writes them);
    a first paragraph that is the slide's date (which the export shows there) is the date."""
    paragraphs = [part for part in plain_text(markup).split("\n\n") if part]
    if date and paragraphs and paragraphs[0] == date:
        paragraphs.pop(0)
    sources: list[Record] = []
    if paragraphs and paragraphs[-1].split("\n")[0] == SOURCES:
        labels = [line for line in paragraphs.pop().split("\n")[1:] if line]
        reader = _Lines()
        parse_whole(reader, str(markup))
        reader.flush()
        lines = reader.lines[-len(labels):] if labels else []
        lines = [("", None)] * (len(labels) - len(lines)) + lines
        sources = [source(label, href if text == label else None)
                   for label, (text, href) in zip(labels, lines, strict=True)]
    others = paragraphs.pop().split("\n")[1:] if paragraphs and paragraphs[-1].split("\n")[0] == OTHERS else []
    return "\n\n".join(paragraphs), [name for name in others if name], sources


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


NOTES = {
    "undated": "{slides} {have} no date: imported without one, as undated events ({ids})",
    "historians": "{slides} dated by a negative year as a number, read as historians (and TimelineJS) write "
                  "one: -44 is 44 BCE (EDTF -0043), -264/-241 is 264–241 BCE; a year zero-padded to four "
                  "digits (-0043) is EDTF's ({ids})",
    "zero": "{slides} dated \"0\", no year of either era (1 BCE is followed by 1 CE): imported undated, the "
            "date kept in the summary ({ids})",
    "line": "{slides_} location.line (whether StoryMapJS draws the line to the slide) not kept: atlas draws "
            "no line between slides ({ids})",
    "overview": "{slides} of the overview type after the first: such a slide shows the whole map, not its "
                "location, so each is imported without a place ({ids})",
    "media": "{slides_} media left out: neither a web address nor a quotation ({ids})",
    "renamed": "{n} other names of places, given by later slides at the same spot: each place is named as the "
               "first slide there names it; add the others to its names in places.yaml, with when ({ids})",
    "text": "{slides} {give} lat and lon as text, for which StoryMapJS (since 2020) draws no marker: read as the "
            "numbers they write ({ids})",
    "background": "{slides_} backgrounds (colour or image) left out: atlas has none ({ids})",
}


def _note(reading: _Reading, story: dict[str, Any]) -> None:
    for what, ids in reading.counts.items():
        n, one = len(ids), len(ids) == 1
        reading.draft.notes.append(NOTES[what].format(
            n=n, slides=plural(n, "slide"), slides_=f"{n} slide's" if one else f"{n} slides'",
            have="has" if one else "have", give="gives" if one else "give", ids=", ".join(ids)))
    map_type = story.get("map_type")
    if story.get("map_as_image") is True:  # (a zoomify story is refused: this is a map of tiles)
        reading.draft.notes.append("the story treats its map as an image (map_as_image): its slides' lat and lon "
                                   "are read as places on the Earth; check them on the map")
    if isinstance(map_type, str) and map_type.startswith(("http:", "https:", "//")):
        reading.draft.notes.append(f"the story's map is its own tiles ({short(map_type)}): its slides' lat and lon "
                                   "are read as places on the Earth; check them on the map")
    elif map_type:
        reading.draft.notes.append(f"the story's basemap ({short(map_type)}) left out: atlas draws its own")


def write(atlas: Atlas, geometry: dict[str, Any], period_id: str | None = None) -> Exported:
    period = next((p for p in atlas.periods if p.id == period_id), None) if period_id else atlas.periods[0]
    if period is None:
        raise ValueError(period_id)
    events = events_in(period, atlas.events)
    if not any(_point(geometry, event.places) for event in events):
        raise AtlasError(f"period '{period.id}' has no event at a place with a point: a StoryMapJS story needs at "
                         "least one slide with a location (its overview fits the map to them); choose another "
                         "period with --period")
    # The overview slide: our plain text, escaped for the HTML StoryMapJS takes it as.
    slides: list[dict[str, Any]] = [{"type": "overview", "text": {"headline": _headline(period.title),
                                                                  "text": html_paragraphs(period.summary)}}]
    labels = labels_of(atlas)
    slides += [_slide_of(event, geometry, labels.for_event(event)) for event in events]
    data = {"storymap": {"slides": slides, "language": atlas.info.language}}
    return Exported(json.dumps(data, ensure_ascii=False, indent=1) + "\n", _left_out(atlas, period, events, geometry))


def _slide_of(event: Event, geometry: dict[str, Any], name_of: Any) -> dict[str, Any]:
    """An event as a slide: its first place with a point the location (named as on the
    event's day), the others named in the text, its sources after them."""
    located = [ref for ref in event.places if ref in geometry]
    others = [name_of(ref) for ref in event.places if ref not in located[:1]]
    date = written_date(event.date) if event.date else ""  # (a period's events are all dated)
    text = f"<p>{html_text(date)}</p>" + html_paragraphs(event.summary)  # StoryMapJS never shows `date`
    if others:
        text += "<p>" + "<br>".join([OTHERS, *(html_text(name) for name in others)]) + "</p>"
    if event.sources:
        text += "<p>" + "<br>".join([SOURCES, *(_cited(item.label, item.url) for item in event.sources)]) + "</p>"
    slide: dict[str, Any] = {"uniqueid": event.id, "date": date, "text": {"headline": _headline(event.title),
                                                                          "text": text}}
    if located:
        lon, lat = representative_point(geometry[located[0]])
        slide["location"] = {"lat": lat, "lon": lon, "name": name_of(located[0])}
        if event.view:
            slide["location"]["zoom"] = event.view.zoom
    media, _ = media_out(event.media)
    if media:
        slide["media"] = media
    return slide


def _headline(text: str) -> str:
    """A headline is HTML to the slide and its navigation, and plain text to its marker's
    tooltip (map/leaflet/MapMarker.Leaflet.js line 34): only what HTML needs is escaped,
    so that quotes and apostrophes show as themselves in both."""
    return html.escape(text, quote=False).replace("\n", "<br>")


def _cited(label: str, url: str | None) -> str:
    shown = html_text(" ".join(label.split()))  # one line: a line is a source
    if url and re.fullmatch(r"https?://\S+", url):
        return f'<a href="{html.escape(url, quote=True)}">{shown}</a>'
    return shown


def _left_out(atlas: Atlas, period: Period, events: list[Event], geometry: dict[str, Any]) -> list[str]:
    """What the export leaves out, each once, and nothing it keeps."""
    notes = []
    left = sum(media_out(event.media)[1] for event in events)
    if left:
        notes.append(f"{left} media left out: a slide holds one, and images in the atlas folder have no web address")
    notes += story_left_out(events, "a StoryMapJS slide has one point", media=False)
    notes += notes_left_out(events, "events") + notes_left_out([period], "periods")
    counts = {
        "several": sum(1 for e in events if len(e.places) > 1),
        "unplaced": sum(1 for e in events if _point(geometry, e.places) is None),
        "categories": sum(1 for e in events if e.category),
        "views": sum(1 for e in events if e.view and _point(geometry, e.places) != [e.view.lon, e.view.lat]),
    }
    said = {
        "several": "{events} {have} several places: the first is the slide's location, the others are named in "
                   "its text (\"Also at:\") but not on its map",
        "unplaced": "{n} events without a place with a point are slides without a location",
        "categories": "{n} events' categories left out: StoryMapJS has none",
        "views": "{n} events' own views left out but for their zoom: a slide is centred on its location",
    }
    notes += [said[what].format(n=n, events=plural(n, "event"), have="has" if n == 1 else "have")
              for what, n in counts.items() if n]
    if period.view:
        notes.append("the period's view left out: StoryMapJS's overview fits the map to the slides")
    notes.append("the atlas's title and subtitle left out: the overview slide tells the period")
    if period.when.text:  # a story has no dates but its slides': an import spans their years
        notes.append(f"the period's dates ({period.when.text}) left out: a story has none of its own (an import "
                     "makes a period of its slides' years)")
    notes += _places_left_out(atlas, events, geometry)
    undated = sum(1 for event in atlas.events if event.date is None)
    if len(atlas.periods) > 1:
        outside = len(atlas.events) - len(events) - undated
        notes.append(f"one period of {len(atlas.periods)} ({period.id}): a story map is one story; "
                     f"{outside} events outside it left out")
    if undated:
        notes.append(f"{undated} undated events left out: a story map tells one period's events")
    return notes


def _places_left_out(atlas: Atlas, events: list[Event], geometry: dict[str, Any]) -> list[str]:
    """A place is a slide's point and a name (as on the event's day): what else it has is left out."""
    used = [atlas.place_by_id[ref] for ref in dict.fromkeys(r for e in events for r in e.places)
            if ref in atlas.place_by_id]
    # (a place of no kind given is a "place": an imported slide's location is one too)
    what = {"kinds": any(p.kind != "place" for p in used), "descriptions": any(p.description for p in used),
            "sources": any(p.sources for p in used),
            "other names": any(p.names or p.forms for p in used), "control": any(p.control for p in used),
            "shapes (a point stands for each)": any(geometry.get(p.id, {}).get("type") != "Point" for p in used)}
    kept = [name for name, there in what.items() if there]
    return [f"the places' {', '.join(kept)} left out: a slide's location is a point and a name"] if kept else []


def _point(geometry: dict[str, Any], places: tuple[str, ...]) -> list[float] | None:
    for ref in places:
        if ref in geometry:
            return list(representative_point(geometry[ref]))
    return None
