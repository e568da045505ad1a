"""GeoJSON: atlas's own export (DESIGN.md's schema), and plain GeoJSON with dates.

Read: a feature whose `properties.type` is "place" or "event" (our export) comes back
as it was written. Any other feature is a place (named by its `name`, `title` or
`label` property), and, if it has a date property (`date`, `when`, `year`, or `start`
and `end`), also an event there (titled by its name, its `description` the summary).
Written: the same file as `build/data/atlas.geojson`.
"""

from __future__ import annotations

import re
from typing import Any

from atlas.formats.common import (
    Draft,
    Exported,
    Ids,
    Record,
    Unusable,
    checked_date,
    forms_record,
    load_json,
    obj,
    short,
    source,
    story_left_out,
)
from atlas.formats.shapes import add_place, usable
from atlas.site.export import export_lines, geojson_text
from atlas.site.periods import periods_of
from atlas.source.model import Atlas

NAME = "geojson"


def sniff(name: str, text: str) -> bool:
    return '"FeatureCollection"' in text[:4000] or '"Feature"' in text[:4000]


def read(shown: str, text: str, ids: Ids) -> Draft:
    data = load_json(text, shown)
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = {"type": "FeatureCollection", "features": [data]}
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        raise Unusable(shown, "/features", "a GeoJSON file here is a FeatureCollection (or a Feature)")
    draft = Draft()
    renamed: dict[str, str] = {}
    events: list[tuple[Record, list[str]]] = []
    for n, feature in enumerate(data["features"]):
        where = f"/features/{n}"
        if not isinstance(feature, dict):
            raise Unusable(shown, where, "each feature is an object")
        properties = obj(feature.get("properties"))
        if properties.get("type") == "event":
            events.append(_event(properties, ids, where, shown))
            continue
        place = _place(feature, properties, ids, draft, where, shown)
        old_id = str(properties.get("id") or feature.get("id") or "")
        if old_id:
            renamed[old_id] = place["id"]
        date = _date_of(properties)
        if properties.get("type") != "place" and date:
            record: Record = {"id": ids.make(None, f"{place['name']} {date}", "event"), "date": date,
                              "title": place["name"], "places": [place["id"]]}
            if properties.get("description"):
                record["summary"] = str(properties["description"])
            draft.events.append(record)
    for record, places in events:
        record["places"] = [renamed.get(ref, ref) for ref in places]
        if not record["places"]:
            del record["places"]
        draft.events.append(record)
    return draft


def _place(feature: dict[str, Any], properties: dict[str, Any], ids: Ids, draft: Draft, where: str,
           shown: str) -> Record:
    name = str(properties.get("name") or properties.get("title") or properties.get("label") or "").strip()
    if not name:
        raise Unusable(shown, f"{where}/properties", "a place needs a name (a name, title or label property)")
    given = properties.get("id") or feature.get("id")
    record: Record = {"id": ids.make(str(given) if given else None, name, "place"), "name": name}
    if properties.get("kind"):
        record["kind"] = str(properties["kind"])
    names = []
    for entry in properties.get("names") or []:
        if isinstance(entry, dict) and entry.get("name"):
            item: Record = {"name": str(entry["name"])}
            if entry.get("lang"):
                item["lang"] = str(entry["lang"])
            when = _span(entry.get("start"), entry.get("end"))
            if when:
                item["when"] = when
            forms = _forms(entry.get("forms"))
            if forms:
                item["forms"] = forms
            names.append(item)
    if names:
        record["names"] = names
    forms = _forms(properties.get("forms"))
    if forms:
        record["forms"] = forms
    roles = [_role(entry) for entry in properties.get("roles") or [] if isinstance(entry, dict) and entry.get("role")]
    if roles:
        record["roles"] = roles
    if isinstance(properties.get("outline_of"), str) and properties["outline_of"]:
        record["outline_of"] = properties["outline_of"]
    if properties.get("type") == "place":
        when = _span(properties.get("start"), properties.get("end"))
        if when:
            record["when"] = when
    geometry = obj(feature.get("geometry"))
    add_place(draft, record, geometry if usable(geometry) else None)
    return record


def _event(properties: dict[str, Any], ids: Ids, where: str, shown: str) -> tuple[Record, list[str]]:
    title = str(properties.get("title") or "").strip() or "(untitled)"
    date = str(properties.get("date") or "")
    if date and checked_date(date) is None:
        raise Unusable(shown, f"{where}/properties/date", f"not a date atlas reads: {short(date)}")
    record: Record = {"id": ids.make(str(properties.get("id") or "") or None, title, "event"),
                      # A null date (our export's undated event) stays undated: nothing is made up.
                      **({"date": date} if date else {}), "title": title}
    for key in ("summary", "category"):
        if properties.get(key):
            record[key] = str(properties[key])
    sources = [source(str(s["label"]), s.get("url")) for s in properties.get("sources") or []
               if isinstance(s, dict) and s.get("label")]
    if sources:
        record["sources"] = sources
    places = [str(ref) for ref in properties.get("places") or []]
    return record, places


def _span(start: Any, end: Any) -> str | None:
    """Our export's start and end (ISO days, None when open) as an EDTF interval."""
    if not start and not end:
        return None
    first, last = _day(start), _day(end)
    if first == last:
        return first
    return checked_date(f"{first or '..'}/{last or '..'}")


def _day(value: Any) -> str | None:
    return str(value) if value else None


def _date_of(properties: dict[str, Any]) -> str | None:
    for key in ("date", "when", "year"):
        value = properties.get(key)
        if value not in (None, ""):
            text = str(value).strip()
            if re.fullmatch(r"-?\d{1,4}", text):
                year = int(text)
                text = f"-{-year:04d}" if year < 0 else f"{year:04d}"
            return checked_date(text)
    if properties.get("start"):
        return _span(properties.get("start"), properties.get("end"))
    return None


def write(atlas: Atlas, geometry: dict[str, Any]) -> Exported:
    periods = {event.id: periods_of(event, atlas.periods) for event in atlas.events}
    places, events = export_lines(atlas, geometry, periods)
    return Exported(geojson_text(places, events), story_left_out(atlas.events, "each event's geometry is its places'"))


def _forms(value: Any) -> Record:
    if not isinstance(value, list):
        return {}
    return forms_record([(str(entry.get("lang") or ""), str(entry.get("name") or ""),
                          _span(entry.get("start"), entry.get("end")) or "")
                         for entry in value if isinstance(entry, dict)])


def _role(entry: dict[str, Any]) -> Record:
    role: Record = {"role": str(entry["role"])}
    if entry.get("of"):
        role["of"] = str(entry["of"])
    when = _span(entry.get("start"), entry.get("end"))
    if when:
        role["when"] = when
    return role
