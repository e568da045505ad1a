"""The checker of field values: every value an author writes, converted and checked on its own.

One `Checker` serves one atlas being checked: each method converts one kind of value (text,
ids, dates, numbers, points, views, sources, media, routes, areas; a place's names and
roles are `namefields`'), reports what is wrong with it at its own line and goes on, so
that one bad value does not hide the next.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from atlas.errors import Origin, Problem
from atlas.source import dates, images
from atlas.source.dates import EdtfDate
from atlas.source.geometry import self_intersects
from atlas.source.model import (
    MEDIA_URL,
    SLUG,
    GeoJsonFile,
    Media,
    Point,
    Polygon,
    Route,
    Source,
    TimedValue,
    View,
)
from atlas.source.records import Record, shown_number
from atlas.util import files, suggest

# The fields each kind of record may have; True marks the required ones.
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
                self.error(record.at(key), f"unknown field '{key}' in {what}{did_you_mean(key, allowed)}")
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
        return self.polygon(value, origin, "an area")

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

    def polygon(self, value: Any, origin: Origin, what: str = "'polygon'") -> Polygon | None:
        """A polygon as written: at least three [latitude, longitude] points; an outline that
        crosses itself is warned of."""
        if not isinstance(value, list) or len(value) < 3:
            self.error(origin, f"{what} should be a list of at least three [latitude, longitude] points")
            return None
        points = [self.point(item, origin) for item in value]
        if any(p is None for p in points):
            return None
        if self_intersects([[p.lon, p.lat] for p in points if p is not None]):
            self.warn(origin, "this polygon's outline crosses itself, so what lies inside it is unclear: "
                      "check the order of its points")
        return Polygon(tuple(p for p in points if p is not None))


def did_you_mean(key: str, allowed: Collection[str]) -> str:
    close = suggest.closest(key, allowed)
    return f" (did you mean '{close}'?)" if close else ""

