"""Turn raw records into a checked `Atlas`, reporting every problem at once.

Each field is checked on its own so that one bad value does not hide the next; cross
references (event → place, via → place, duplicate ids) are checked once all records are
read. Problems carry the file and line of the offending field.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable, Collection, Container, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from atlas.errors import Origin, Problem, display_path
from atlas.source import dates, declared, images
from atlas.source.dates import EdtfDate
from atlas.source.geometry import self_intersects
from atlas.source.lessons import check_references, read_lesson
from atlas.source.model import (
    MEDIA_URL,
    SLUG,
    Atlas,
    AtlasInfo,
    Event,
    Geocoded,
    GeoJsonFile,
    Lesson,
    Media,
    Name,
    Period,
    Place,
    Point,
    Polygon,
    Route,
    Shape,
    Source,
    TimedValue,
    Via,
    View,
)
from atlas.source.readers import Sources
from atlas.source.records import Record, shown_number
from atlas.source.settings import atlas_info
from atlas.util import files, suggest

SHAPE_FIELDS = ("coordinates", "geocode", "via", "polygon", "geojson")

# The fields each kind of record may have; True marks the required ones.
PLACE_FIELDS = {"id": True, "name": True, "kind": False, "names": False, "when": False,
                "control": False, "description": False, "sources": False,
                "country": False, "near": False, "media": False, **{key: False for key in SHAPE_FIELDS}}
EVENT_FIELDS = {"id": True, "date": True, "title": True, "places": False, "summary": False,
                "category": False, "sources": False, "view": False, "media": False,
                "route": False, "routes": False, "area": False}
PERIOD_FIELDS = {"id": True, "title": True, "when": True, "summary": False, "view": False}
NAME_FIELDS = {"name": True, "lang": False, "when": False}
TIMED_FIELDS = {"value": True, "when": False}
SOURCE_FIELDS = {"label": True, "url": False}
VIEW_FIELDS = {"center": True, "zoom": True}
MEDIA_FIELDS = {"file": False, "url": False, "quote": False, "alt": False, "caption": False, "credit": False,
                "source": False}
ROUTE_FIELDS = {"label": False, "via": True, "when": False}
AREA_FIELDS = {"polygon": False, "geojson": False}

T = TypeVar("T")


@dataclass
class Checker:
    """Collects problems while records are converted; one per atlas being validated."""

    problems: list[Problem] = field(default_factory=list)
    folder: Path | None = None  # the atlas folder, which the files that media name must be in
    remote_media: bool = False  # atlas.yaml allows media to link images elsewhere
    # Where each category and control value is used, for declared.check_uses.
    uses: dict[str, list[tuple[str, Origin]]] = field(default_factory=lambda: {"categories": [], "controls": []})

    def error(self, origin: Origin, message: str) -> None:
        self.problems.append(Problem(origin, message))

    def warn(self, origin: Origin, message: str) -> None:
        self.problems.append(Problem(origin, message, warning=True))

    def fields(self, record: Record, allowed: dict[str, bool], what: str) -> bool:
        """Report unknown and missing fields; True when all required fields are present."""
        # The entry's first field again: a '- ' left out, which joins two entries into one.
        first = next(iter(record.values), None)
        joined = [line for key, line in record.repeated if key == first]
        for key, line in record.repeated:
            if key == first:
                self.error(Origin(record.origin.path, line), f"'{key}' is given a second time in this {what}: if "
                           f"this line starts a new entry, write '- ' before '{key}'")
            elif not joined or line < joined[0]:
                self.error(Origin(record.origin.path, line), f"field '{key}' is given twice in this {what}")
        for key in record.values:
            if key not in allowed:
                self.error(record.at(key), f"unknown field '{key}' in {what}{_did_you_mean(key, allowed)}")
        missing = [key for key, required in allowed.items() if required and record.values.get(key) in (None, "", [])]
        for key in missing:
            self.error(record.origin, f"{what} is missing required field '{key}'")
        return not missing

    def text(self, record: Record, key: str, default: str = "") -> str:
        value = record.values.get(key)
        if value is None:
            return default
        if isinstance(value, (Record, list)):
            self.error(record.at(key), f"'{key}' should be text, got a {'mapping' if isinstance(value, Record) else 'list'}")
            return default
        return record.text(key) or str(value)

    def slug(self, record: Record, key: str = "id") -> str:
        value = self.text(record, key)
        if value and not SLUG.match(value):
            self.error(record.at(key), f"id '{value}' is not a safe slug "
                       "(lowercase letters, digits and single hyphens, e.g. 'port-arthur')")
        return value

    def date(self, record: Record, key: str) -> EdtfDate | None:
        if record.values.get(key) in (None, ""):
            return None
        text = record.text(key)
        if text is None:
            self.error(record.at(key), f"'{key}' should be an EDTF date such as 1931-09-18 or 1937/1945")
            return None
        try:
            return dates.parse(text)
        except dates.DateError as err:
            self.error(record.at(key), str(err))
            return None

    def records(self, record: Record, key: str, convert: Callable[[Record], T | None]) -> tuple[T, ...]:
        """A list-of-mappings field, each item converted; bad items are reported and skipped."""
        value = record.values.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error(record.at(key), f"'{key}' should be a list: its items one a line, each after '- ' "
                       "(or in brackets: [{…}, {…}])")
            return ()
        out: list[T] = []
        for item in value:
            if not isinstance(item, Record):
                self.error(record.at(key), f"each item of '{key}' should be a mapping of fields, got {item!r}")
                continue
            converted = convert(item)
            if converted is not None:
                out.append(converted)
        return tuple(out)

    def number(self, value: Any, origin: Origin, what: str, low: float, high: float) -> float | None:
        # (math.isfinite only for floats: it turns an int into one, and a 400-digit int overflows)
        if isinstance(value, bool) or not isinstance(value, (int, float)) \
                or (isinstance(value, float) and not math.isfinite(value)):
            self.error(origin, f"{what} should be a number, got {value!r}")
            return None
        if not low <= value <= high:  # exact for ints of any size
            self.error(origin, f"{what} {shown_number(value)} is out of range ({low:g} to {high:g})")
            return None
        return float(value)

    def point(self, value: Any, origin: Origin) -> Point | None:
        if not isinstance(value, list) or len(value) != 2:
            shown = "a mapping" if isinstance(value, Record) else repr(value)
            self.error(origin, f"coordinates should be [latitude, longitude], got {shown}")
            return None
        lat = self.number(value[0], origin, "latitude", -90, 90)
        lon = self.number(value[1], origin, "longitude", -180, 180)
        return Point(lat, lon) if lat is not None and lon is not None else None

    def section(self, record: Record, key: str, example: str) -> Record | None:
        """A field that is itself a mapping (None when absent; reported when it is not one)."""
        value = record.values.get(key)
        if value is None:
            return None
        if not isinstance(value, Record):
            self.error(record.at(key), f"'{key}' should be a mapping: {example}")
            return None
        return value

    def view(self, record: Record) -> View | None:
        value = self.section(record, "view", "{center: [lat, lon], zoom: 5}")
        if value is None or not self.fields(value, VIEW_FIELDS, "view"):
            return None
        center = self.point(value.values["center"], value.at("center"))
        zoom = self.number(value.values["zoom"], value.at("zoom"), "zoom", 0, 20)
        if zoom is not None and zoom != int(zoom):
            self.error(value.at("zoom"), f"zoom should be a whole number from 0 to 20, got {value.values['zoom']!r}")
            return None
        return View(center.lat, center.lon, int(zoom)) if center and zoom is not None else None

    # Small records ----------------------------------------------------------------

    def source(self, record: Record) -> Source | None:
        if not self.fields(record, SOURCE_FIELDS, "source"):
            return None
        url = self.text(record, "url") or None
        if url and not re.match(r"^https?://\S+\Z", url):
            self.error(record.at("url"), f"source url should start with http:// or https://, got '{url}'")
            url = None
        return Source(self.text(record, "label"), url)

    def name(self, record: Record) -> Name | None:
        if not self.fields(record, NAME_FIELDS, "name"):
            return None
        return Name(self.text(record, "name"), self.text(record, "lang") or None, self.date(record, "when"))

    def timed(self, record: Record) -> TimedValue | None:
        if not self.fields(record, TIMED_FIELDS, "value"):
            return None
        value = self.text(record, "value")
        self.uses["controls"].append((value, record.at("value")))
        return TimedValue(value, self.date(record, "when"))


    # Media, routes and areas -------------------------------------------------------

    def media(self, record: Record) -> tuple[Media, ...]:
        return self.records(record, "media", self.medium)

    def medium(self, record: Record) -> Media | None:
        """One item of `media:`: {file, alt, caption, credit}, {url, …} or {quote, source}."""
        if not self.fields(record, MEDIA_FIELDS, "media item"):
            return None
        given = [key for key in ("file", "url", "quote") if record.values.get(key) not in (None, "")]
        if len(given) != 1:
            found = f"it has {' and '.join(given)}" if given else "it has none"
            self.error(record.origin, f"a media item needs exactly one of file (an image in the atlas folder), url "
                       f"or quote; {found}")
            return None
        text = {key: self.text(record, key).strip() for key in MEDIA_FIELDS}
        if given == ["quote"]:
            if not text["source"]:
                self.warn(record.origin, "this quotation names no source: add `source: \"…\"`")
            return Media(record.origin, quote=text["quote"], source=text["source"], caption=text["caption"],
                         credit=text["credit"])
        if given == ["url"]:
            return self._remote(record, text)
        return self._image(record, text)

    def _remote(self, record: Record, text: dict[str, str]) -> Media | None:
        url = text["url"]
        if not MEDIA_URL.match(url):
            refused = next((c for c in url if c.isspace() or c in "<>\"'`"), None)
            why = f"it holds {refused!r}, which a web address may not" if refused and url.startswith(("http://", "https://")) \
                else "it should start with http:// or https://"
            self.error(record.at("url"), f"media url '{url[:80]}' cannot be linked: {why}")
            return None
        if not self.remote_media:
            self.error(record.at("url"), "media from other sites is off in this atlas: the build never fetches it, and "
                       "links to it only if atlas.yaml says `media: {remote: true}` (or copy the image into the atlas "
                       "folder, as `file:`)")
            return None
        return Media(record.origin, url=url, alt=text["alt"], caption=text["caption"], credit=text["credit"])

    def _image(self, record: Record, text: dict[str, str]) -> Media | None:
        written = text["file"]
        where = record.at("file")
        wrong_name = images.name_problem(written)  # its content is checked when it is decoded
        if wrong_name:
            self.error(where, wrong_name)
            return None
        if self.file_in_folder(written, where, "image file") is None:
            return None
        if not text["alt"]:
            self.error(record.origin, f"image '{written}' needs `alt`: a few words saying what it shows, for "
                       "readers who cannot see it")
            return None
        if not text["credit"]:
            self.warn(record.origin, f"image '{written}' has no `credit`: say who made it and under what licence")
        return Media(record.origin, file=written, alt=text["alt"], caption=text["caption"], credit=text["credit"])

    def routes(self, record: Record) -> tuple[Route, ...]:
        """`route: [stops]` or `routes: [[stops], {label, via: [stops]}, …]`."""
        if "route" in record.values and "routes" in record.values:
            self.error(record.at("routes"), "an event has `route` (one line) or `routes` (several), not both")
            return ()
        if "route" in record.values:
            found = self.route(record.values["route"], record.at("route"))
            return (found,) if found else ()
        value = record.values.get("routes")
        if value is None:
            return ()
        if not isinstance(value, list) or not value or all(isinstance(item, str) for item in value):
            hint = " (for one route, write `route: [...]`)" if isinstance(value, list) and value else ""
            self.error(record.at("routes"), "'routes' should be a list of routes, each a list of place ids or "
                       f"[latitude, longitude] points, or {{label, via: [...]}}{hint}")
            return ()
        lines = getattr(value, "lines", None)
        routes = [self.route(item, Origin(record.origin.path, lines[i]) if lines else record.at("routes"))
                  for i, item in enumerate(value)]
        return tuple(route for route in routes if route)

    def route(self, value: Any, origin: Origin) -> Route | None:
        """A route: its stops, or {label, via: stops, when}."""
        label, when = "", None
        if isinstance(value, Record):
            if not self.fields(value, ROUTE_FIELDS, "route"):
                return None
            label, when = self.text(value, "label"), self.date(value, "when")
            origin, value = value.at("via"), value.values["via"]
        stops = self.stops(value, origin, "a route")
        if stops and all(stop == stops[0] for stop in stops):
            self.warn(origin, "this route starts and ends at the same place, so it shows no direction")
        return Route(stops, label, origin, when) if stops else None

    def stops(self, value: Any, origin: Origin, what: str) -> tuple[str | Point, ...]:
        """A line's stops, from where it starts to where it ends: place ids or points."""
        if not isinstance(value, list) or len(value) < 2:
            self.error(origin, f"{what} should be a list of at least two stops, each a place id or "
                       "[latitude, longitude], from where it starts to where it ends")
            return ()
        stops: list[str | Point] = []
        for item in value:
            found = item if isinstance(item, str) else self.point(item, origin)
            if found is None:
                return ()
            stops.append(found)
        return tuple(stops)

    def area(self, record: Record) -> Polygon | GeoJsonFile | None:
        """`area: [[lat, lon], …]`, `area: file.geojson` or `area: {polygon | geojson}`."""
        value = record.values.get("area")
        origin = record.at("area")
        if value is None:
            return None
        if isinstance(value, Record):
            if not self.fields(value, AREA_FIELDS, "area") or len(value.values) != 1:
                self.error(origin, "an area is a polygon ([[latitude, longitude], …]) or a GeoJSON file")
                return None
            key = next(iter(value.values))
            value, origin = value.values[key], value.at(key)
        if isinstance(value, str):
            path = self.file_in_folder(value, origin, "GeoJSON file")
            return GeoJsonFile(path, value, origin) if path else None
        if not isinstance(value, list):
            self.error(origin, f"an area should be a polygon ([[latitude, longitude], …]) or a GeoJSON file's name, "
                       f"got {'a mapping' if isinstance(value, Record) else repr(value)}")
            return None
        return _polygon(self, value, origin, "an area")

    def file_in_folder(self, written: str, origin: Origin, what: str,
                       missing: str = "not found in the atlas folder") -> Path | None:
        """A file the sources name, if it lies inside the atlas folder (what kind of file it
        is, is checked when it is read)."""
        folder = self.folder or Path(".")
        path = folder / written
        try:
            files.contained(folder, path)
        except files.Unreadable as err:
            absent = not path.exists() and not path.is_symlink()
            self.error(origin, f"{what} '{written}' " + (missing if absent else str(err)))
            return None
        return path


def _did_you_mean(key: str, allowed: Collection[str]) -> str:
    close = suggest.closest(key, allowed)
    return f" (did you mean '{close}'?)" if close else ""


def place(checker: Checker, record: Record) -> Place | None:
    complete = checker.fields(record, PLACE_FIELDS, "place")
    shape = _shape(checker, record)
    if not complete or shape is None:
        return None
    return Place(
        id=checker.slug(record),
        name=checker.text(record, "name"),
        kind=checker.text(record, "kind", _default_kind(shape)),
        shape=shape,
        origin=record.origin,
        names=checker.records(record, "names", checker.name),
        when=checker.date(record, "when"),
        control=checker.records(record, "control", checker.timed),
        description=checker.text(record, "description"),
        sources=checker.records(record, "sources", checker.source),
        media=checker.media(record),
    )


def _default_kind(shape: Shape) -> str:
    if isinstance(shape, Via):
        return "line"
    if isinstance(shape, (Polygon, GeoJsonFile)):
        return "region"
    return "place"


def _shape(checker: Checker, record: Record) -> Shape | None:
    given = [key for key in SHAPE_FIELDS if key in record.values]
    if len(given) != 1:
        found = f"it has {', '.join(given)}" if given else "it has none"
        checker.error(record.origin, f"a place needs exactly one of coordinates, geocode, via, polygon or geojson; {found}")
        return None
    key = given[0]
    value = record.values[key]
    origin = record.at(key)
    if key == "coordinates":
        return checker.point(value, origin)
    if key == "geocode":
        query = checker.text(record, "geocode").strip()
        if not query:
            checker.error(origin, "'geocode' needs the name to look up, such as geocode: \"Port Arthur\"")
            return None
        near = checker.text(record, "near").strip() or None
        if near and "," in near and not _is_point(_numbers(near)):
            checker.error(record.at("near"), f"'near' should be a place id or \"latitude, longitude\", got '{near}'")
            return None
        return Geocoded(query, checker.text(record, "country") or None, near)
    if key == "via":
        stops = checker.stops(value, origin, "'via'")
        return Via(stops) if stops else None
    if key == "polygon":
        return _polygon(checker, value, origin)
    written = checker.text(record, "geojson")
    path = checker.file_in_folder(written, origin, "GeoJSON file", "not found next to places.yaml")
    return GeoJsonFile(path, written, origin) if path else None


def _is_point(value: list[Any]) -> bool:
    return (len(value) == 2 and all(isinstance(n, float) and math.isfinite(n) for n in value)
            and -90 <= value[0] <= 90 and -180 <= value[1] <= 180)


def _numbers(text: str) -> list[Any]:
    """"41.8, 123.4" as numbers (or as the text, which then fails as a point)."""
    parts = [part.strip() for part in text.split(",")]
    try:
        return [float(part) for part in parts]
    except ValueError:
        return parts


def _polygon(checker: Checker, value: Any, origin: Origin, what: str = "'polygon'") -> Polygon | None:
    if not isinstance(value, list) or len(value) < 3:
        checker.error(origin, f"{what} should be a list of at least three [latitude, longitude] points")
        return None
    points = [checker.point(item, origin) for item in value]
    if any(p is None for p in points):
        return None
    if self_intersects([[p.lon, p.lat] for p in points if p is not None]):
        checker.warn(origin, "this polygon's outline crosses itself, so what lies inside it is unclear: "
                     "check the order of its points")
    return Polygon(tuple(p for p in points if p is not None))


def event(checker: Checker, record: Record) -> Event | None:
    complete = checker.fields(record, EVENT_FIELDS, "event")
    date = checker.date(record, "date")
    places = record.values.get("places") or []
    if not isinstance(places, list) or not all(isinstance(p, str) for p in places):
        checker.error(record.at("places"), "'places' should be a list of place ids")
        places = []
    category = checker.text(record, "category")
    if category:
        checker.uses["categories"].append((category, record.at("category")))
    view = checker.view(record)
    media, routes, area = checker.media(record), checker.routes(record), checker.area(record)
    if not complete or date is None:
        return None
    return Event(
        id=checker.slug(record),
        date=date,
        title=checker.text(record, "title"),
        places=tuple(places),
        origin=record.origin,
        summary=checker.text(record, "summary"),
        category=category,
        sources=checker.records(record, "sources", checker.source),
        view=view,
        media=media,
        routes=routes,
        area=area,
    )


def period(checker: Checker, record: Record) -> Period | None:
    complete = checker.fields(record, PERIOD_FIELDS, "period")
    when = checker.date(record, "when")
    view = checker.view(record)
    if not complete or when is None:
        return None
    return Period(
        id=checker.slug(record),
        title=checker.text(record, "title"),
        when=when,
        origin=record.origin,
        summary=checker.text(record, "summary"),
        view=view,
    )


def cross_check(checker: Checker, atlas: Atlas, broken: set[str], unreadable: AbstractSet[str] = frozenset()) -> None:
    """Checks that need every record: unique ids, references, and the warnings.

    `broken` holds the ids of places already reported as invalid, and `unreadable` the
    files that could not be read at all: a reference into them is not reported again
    (one mistake, one message).
    """
    known = suggest.Names([*atlas.place_by_id, *broken])  # for did-you-mean hints, indexed once
    covered = Coverage(atlas.periods).covers
    seen: dict[str, Origin] = {}
    items: list[Place | Event | Period | Lesson] = [*atlas.places, *atlas.events, *atlas.periods, *atlas.lessons]
    for item in items:
        if item.id in seen:
            checker.error(item.origin, f"duplicate id '{item.id}' (first used at {seen[item.id]})")
        else:
            seen[item.id] = item.origin
    for place_ in atlas.places:
        if isinstance(place_.shape, Via) and "places" not in unreadable:
            _check_via(checker, atlas, place_, place_.shape, known, broken)
    for event_ in atlas.events:
        check_event(checker, atlas.place_by_id, event_, covered, known, broken, unreadable)


def check_event(checker: Checker, places: Container[str], event_: Event, covered: Callable[[EdtfDate], bool],
                known: Collection[str], broken: AbstractSet[str] = frozenset(),
                unreadable: AbstractSet[str] = frozenset()) -> None:
    """An event against the rest of the atlas, whose place ids are `places` (also for an
    incremental build's changed events)."""
    for ref in event_.places:
        if ref not in places and ref not in broken and "places" not in unreadable:
            hint = _did_you_mean(ref, known)
            checker.error(event_.origin, f"event '{event_.id}' names unknown place '{ref}'{hint}")
    for route in event_.routes:
        for stop in route.stops:
            if isinstance(stop, str) and stop not in places and stop not in broken and "places" not in unreadable:
                checker.error(route.origin or event_.origin, f"a route of event '{event_.id}' goes through unknown "
                              f"place '{stop}'{_did_you_mean(stop, known)}")
    if not event_.places and not event_.routes and event_.area is None:
        checker.warn(event_.origin, f"event '{event_.id}' names no place: it is listed in its period but not on "
                     "the map (add `places: [...]`)")
    if not event_.sources:
        checker.warn(event_.origin, f"event '{event_.id}' cites no sources")
    if "periods" not in unreadable and not covered(event_.date):
        checker.warn(event_.origin, f"event '{event_.id}' ({event_.date.text}) falls outside every period")


class Coverage:
    """The days the periods cover, merged into runs: whether a date falls in any period is
    then one bisection, not a test against every period."""

    def __init__(self, periods: Sequence[Period]) -> None:
        runs: list[list[float]] = []
        for first, last in sorted((p.when.first, p.when.last) for p in periods):
            if runs and first <= runs[-1][1] + 1:
                runs[-1][1] = max(runs[-1][1], last)
            else:
                runs.append([first, last])
        self.firsts = [run[0] for run in runs]
        self.runs = runs

    def covers(self, date: EdtfDate) -> bool:
        at = bisect.bisect_right(self.firsts, date.last) - 1  # the last run starting before the date ends
        return at >= 0 and self.runs[at][1] >= date.first


def check_swapped(checker: Checker, places: Sequence[Place]) -> None:
    """Warn of a point that lies far from the atlas's other points when, with latitude and
    longitude swapped, it would lie among them (Rome written as [12.5, 41.9] is in Eritrea)."""
    points = [(p, p.shape) for p in places if isinstance(p.shape, Point)]
    if len(points) < 4:
        return
    lats = sorted(point.lat for _, point in points)
    lons = sorted(point.lon for _, point in points)
    middle = Point(lats[len(lats) // 2], lons[len(lons) // 2])
    spread = sorted(_km(middle, point) for _, point in points)[len(points) * 3 // 4]  # most lie within this
    for place_, point in points:
        if abs(point.lon) > 90 or _km(middle, point) < max(2 * spread, 1500):
            continue
        swapped = Point(point.lon, point.lat)
        if _km(middle, swapped) <= max(1.5 * spread, 800):
            checker.warn(place_.origin, f"place '{place_.id}' at [{point.lat:g}, {point.lon:g}] lies "
                         f"{_km(middle, point):,.0f} km from the atlas's other places; were latitude and longitude "
                         f"swapped? [{point.lon:g}, {point.lat:g}] lies among them (latitude comes first)")


def _km(a: Point, b: Point) -> float:
    """Great-circle distance."""
    la, lb = math.radians(a.lat), math.radians(b.lat)
    h = math.sin((lb - la) / 2) ** 2 + math.cos(la) * math.cos(lb) * math.sin(math.radians(b.lon - a.lon) / 2) ** 2
    return 12742 * math.asin(min(1.0, math.sqrt(h)))


def _check_via(checker: Checker, atlas: Atlas, line: Place, via: Via, known: Collection[str], broken: set[str]) -> None:
    for stop in via.stops:
        if isinstance(stop, Point) or stop in broken:
            continue
        target = atlas.place_by_id.get(stop)
        if target is None:
            hint = _did_you_mean(stop, known)
            checker.error(line.origin, f"line '{line.id}' goes via unknown place '{stop}'{hint}")
        elif not isinstance(target.shape, (Point, Geocoded)):
            checker.error(line.origin, f"line '{line.id}' goes via '{stop}', which is not a point")


def validate(sources: Sources) -> tuple[Atlas, list[Problem]]:
    """Convert and check every record; the atlas is usable only when no problem is an error."""
    checker = Checker(list(sources.problems), folder=sources.folder)
    info_origin = Origin(display_path(sources.folder / "atlas.yaml"), 1)
    info = atlas_info(checker, sources.info, info_origin) if sources.info or not sources.problems else AtlasInfo("")
    checker.remote_media = info.remote_media
    places = [found for r in sources.places if (found := place(checker, r))]
    events = [found_event for r in sources.events if (found_event := event(checker, r))]
    periods = [found_period for r in sources.periods if (found_period := period(checker, r))]
    lessons = []
    for path, text in sources.lessons:
        lesson, lesson_problems = read_lesson(path, text, info.lesson_html)
        checker.problems += lesson_problems
        lessons.append(lesson)
    for key in ("categories", "controls"):
        declared.check_uses(checker, key, getattr(info, key), checker.uses[key])
    atlas = Atlas(info, tuple(places), tuple(events), tuple(periods), sources.folder, tuple(lessons))
    named = {str(record.values.get("id")) for record in sources.places}
    cross_check(checker, atlas, named - set(atlas.place_by_id), sources.unreadable)
    check_swapped(checker, atlas.places)
    valid: list[Event | Period] = [*atlas.events, *atlas.periods]
    broken = {str(r.values.get("id")) for r in [*sources.events, *sources.periods]} - {item.id for item in valid}
    checker.problems += check_references(atlas, broken, sources.unreadable)
    if not periods and not any(not p.warning for p in checker.problems):
        origin = Origin(display_path(sources.folder / "periods.yaml"), 1)
        checker.error(origin, "the atlas has no periods: add at least one to periods.yaml")
    return atlas, checker.problems
