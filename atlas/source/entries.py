"""The entries of places.yaml, events.yaml and periods.yaml, each checked into a model
record (`Place`, `Event`, `Period`) by the field checks of `checker.Checker`.
"""

from __future__ import annotations

import math
from typing import Any

from atlas.source import namefields
from atlas.source.checker import Checker
from atlas.source.model import (
    Event,
    Geocoded,
    GeoJsonFile,
    Period,
    Place,
    Polygon,
    Shape,
    Via,
)
from atlas.source.records import Record

SHAPE_FIELDS = ("coordinates", "geocode", "via", "polygon", "geojson")

# The fields each kind of record may have; True marks the required ones.
PLACE_FIELDS = {"id": True, "name": True, "kind": False, "names": False, "forms": False, "roles": False,
                "outline_of": False, "when": False, "control": False, "description": False, "sources": False,
                "country": False, "near": False, "media": False, "note": False,
                "mapped": False, **{key: False for key in SHAPE_FIELDS}}
EVENT_FIELDS = {"id": True, "date": False, "title": True, "places": False, "summary": False,
                "category": False, "sources": False, "view": False, "media": False,
                "route": False, "routes": False, "area": False, "note": False}
PERIOD_FIELDS = {"id": True, "title": True, "when": True, "summary": False, "view": False, "map_date": False,
                 "note": False}


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
        names=checker.records(record, "names", lambda item: namefields.name(checker, item)),
        when=checker.date(record, "when"),
        control=checker.records(record, "control", checker.timed),
        description=checker.text(record, "description"),
        sources=checker.records(record, "sources", checker.source),
        media=checker.media(record),
        forms=namefields.forms(checker, record),
        roles=checker.records(record, "roles", lambda item: namefields.role(checker, item)),
        outline_of=checker.text(record, "outline_of").strip(),
        note=checker.text(record, "note"),
        mapped=checker.date(record, "mapped"),
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
        return checker.polygon(value, origin)
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
    # Without `date:` the event is undated (crosscheck warns); a date written wrong is an error.
    if not complete or (date is None and record.values.get("date") not in (None, "")):
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
        note=checker.text(record, "note"),
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
        map_date=namefields.map_date(checker, record),
        note=checker.text(record, "note"),
    )


