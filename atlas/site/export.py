"""`data/atlas.geojson`: the whole atlas as one RFC 7946 FeatureCollection (DESIGN.md).

Places carry their own geometry; events carry their places' geometries (a Point, or a
GeometryCollection when they have several). Ends that are open are null.
"""

from __future__ import annotations

import json
from typing import Any

from atlas.geo.resolve import Geometry
from atlas.site.features import sources_json
from atlas.site.periods import periods_of
from atlas.source.dates import EdtfDate
from atlas.source.model import Atlas, Event, Form, Place


def _ends(when: EdtfDate | None) -> tuple[str | None, str | None]:
    if when is None:
        return None, None
    return (when.start.iso() if when.start else None, when.end.iso() if when.end else None)


def _forms(forms: tuple[Form, ...]) -> list[dict[str, Any]]:
    return [{"name": form.text, "lang": form.lang, "start": _ends(form.when)[0], "end": _ends(form.when)[1]}
            for form in forms]


def place_feature(place: Place, geometry: Geometry) -> dict[str, Any]:
    """A place with its names in time, each with its forms (how it was written, in which
    language or script), its own forms when its name never changed, and its roles."""
    start, end = _ends(place.when)
    names = []
    for name in place.names:
        name_start, name_end = _ends(name.when)
        entry: dict[str, Any] = {"name": name.name, "lang": name.lang, "start": name_start, "end": name_end}
        if name.forms:
            entry["forms"] = _forms(name.forms)
        names.append(entry)
    properties: dict[str, Any] = {"type": "place", "id": place.id, "name": place.name, "names": names,
                                  "kind": place.kind, "start": start, "end": end}
    if place.forms:
        properties["forms"] = _forms(place.forms)
    if place.roles:
        properties["roles"] = [{"role": role.role, "of": role.of, "start": _ends(role.when)[0],
                                "end": _ends(role.when)[1]} for role in place.roles]
    if place.outline_of:
        properties["outline_of"] = place.outline_of
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def event_feature(event: Event, geometry: dict[str, Geometry], periods: list[str]) -> dict[str, Any]:
    shapes = [geometry[ref] for ref in event.places if ref in geometry]
    shape: Geometry | None
    if not shapes:
        shape = None
    elif len(shapes) == 1:
        shape = shapes[0]
    else:
        shape = {"type": "GeometryCollection", "geometries": shapes}
    start, end = _ends(event.date)
    return {
        "type": "Feature",
        "geometry": shape,
        "properties": {
            "type": "event", "id": event.id, "title": event.title, "summary": event.summary,
            "date": event.date.text if event.date else None, "start": start, "end": end, "places": list(event.places),
            "periods": periods, "category": event.category,
            "sources": sources_json(event.sources),
        },
    }


def export_lines(atlas: Atlas, geometry: dict[str, Geometry],
                 periods: dict[str, list[str]] | None = None) -> tuple[list[str], list[str]]:
    """The export's features, one JSON text each: the places', then the events' (in the
    atlas's order). `periods` gives each event's periods (from the periods' views);
    without it they are worked out here."""
    if periods is None:
        periods = {event.id: periods_of(event, atlas.periods) for event in atlas.events}
    places = [feature_line(place_feature(place, geometry[place.id])) for place in atlas.places if place.id in geometry]
    events = [feature_line(event_feature(event, geometry, periods.get(event.id, []))) for event in atlas.events]
    return places, events


def feature_line(feature: dict[str, Any]) -> str:
    """One feature on one line: diffable, and written by json's C encoder (which `indent`
    would turn off: four times slower on a large atlas)."""
    return json.dumps(feature, ensure_ascii=False, sort_keys=True)


def geojson_text(place_lines: list[str], event_lines: list[str]) -> str:
    lines = ",\n".join([*place_lines, *event_lines])
    return f'{{"features": [\n{lines}\n], "type": "FeatureCollection"}}\n'
