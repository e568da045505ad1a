"""GeoJSON: atlas's own export (DESIGN.md's schema, and the whole atlas), and plain GeoJSON with dates.

Written: the features of `build/data/atlas.geojson` (every one with `properties.type`
place or event and `properties.id`, DESIGN.md's properties), and beside them, as RFC 7946
allows (foreign members, extra properties), what those leave out, so that an import gives
the atlas back whole: a top-level `atlas` member holds atlas.yaml's settings, the periods
and the geocoder's answers for `geocode:` places; each feature's `properties.atlas` is its
record as the sources write it (dates as written, qualifiers kept; a place's shape and an
event's area from a file are its geometry). Images in the atlas folder, lessons and
templates are not in it (the export says so).

Read: a feature whose `properties.type` is "place" or "event" (our export) comes back
as it was written: from `properties.atlas` when it has one (the feature's own name,
title, summary, date, places and category win, as edited in a GIS), else from DESIGN.md's
properties. Any other feature is a place (named by its `name`, `title` or `label`
property); if it has a date property (`date`, `when`, `year`, or `start` and `end`), a
region (a Polygon or MultiPolygon) is dated by it (`when`), and anything else is also an
event there (titled by its name, its `description` the summary).
"""

from __future__ import annotations

import json
import re
from typing import Any

from atlas.formats import whole
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
    plural,
    short,
    source,
    year_text,
)
from atlas.formats.datetext import read_date
from atlas.formats.shapes import add_place, usable
from atlas.site.export import event_feature, place_feature
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
    _header(obj(data.get("atlas")), draft, ids, shown)
    renamed: dict[str, str] = {}
    events: list[tuple[Record, list[str]]] = []
    dating = _Dating()
    for n, feature in enumerate(data["features"]):
        where = f"/features/{n}"
        if not isinstance(feature, dict):
            raise Unusable(shown, where, "each feature is an object")
        properties = obj(feature.get("properties"))
        ours = properties.get("type") in ("place", "event") and isinstance(properties.get("atlas"), dict)
        if properties.get("type") == "event":
            events.append(_whole_event(properties, ids, draft, where, shown) if ours
                          else _event(properties, ids, where, shown))
            continue
        try:
            place = _whole_place(feature, properties, ids, draft, where, shown) if ours \
                else _place(feature, properties, ids, draft, where, shown)
        except _NotADate as err:  # in our own schema's start/end: a broken export, refused
            raise Unusable(shown, f"{where}/properties", str(err)) from err
        old_id = str(properties.get("id") or feature.get("id") or "")
        if old_id:
            renamed[old_id] = place["id"]
        date = _date_of(properties, where, dating) if properties.get("type") != "place" else None
        if properties.get("type") != "place" and date and _region(feature):
            place["when"] = date  # a region of a time (a state's borders), not an event
        elif properties.get("type") != "place" and date:
            record: Record = {"id": ids.make(None, f"{place['name']} {date}", "event"), "date": date,
                              "title": place["name"], "places": [place["id"]]}
            if properties.get("description"):
                record["summary"] = str(properties["description"])
            draft.events.append(record)
    draft.notes += dating.notes()
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


class _NotADate(ValueError):
    """A start or end of our own export that is no ISO day."""


def _span(start: Any, end: Any) -> str | None:
    """Our export's start and end (ISO days, None when open) as an EDTF interval."""
    if not start and not end:
        return None
    first, last = _day(start), _day(end)
    if first == last:
        return first
    joined = checked_date(f"{first or '..'}/{last or '..'}")
    if joined is None:
        raise _NotADate(f"start {short(str(start))} and end {short(str(end))}: not dates atlas reads "
                        "(ISO days, -0043-03-15 for 15 March 44 BCE)")
    return joined


def _day(value: Any) -> str | None:
    """An ISO day (our export's), or a year a plain GeoJSON gives (1200, -300) as EDTF writes it."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    return year_text(int(text)) if re.fullmatch(r"-?\d{1,4}", text) else text


class _Dating:
    """How a plain GeoJSON's dates were read: the ones that could not be, and the BCE years
    read as historians write them, for the import's notes."""

    def __init__(self) -> None:
        self.unread: list[str] = []
        self.historians: list[str] = []

    def notes(self) -> list[str]:
        notes = []
        if self.unread:
            notes.append(f"{plural(len(self.unread), 'feature date')} not read, the features kept without a date "
                         f"({', '.join(self.unread[:6])}{' …' if len(self.unread) > 6 else ''}; atlas reads EDTF, "
                         "1945-08-09, -0043 for 44 BCE, and dates in words, 44 BC, c. 1411)")
        if self.historians:
            notes.append(f"{plural(len(self.historians), 'year')} before 1 CE read as historians write them, "
                         f"-44 as 44 BCE (EDTF -0043): {', '.join(self.historians[:6])}; a text of four digits "
                         "(\"-0043\") is read as ISO 8601 (0000 is 1 BCE)")
        return notes


def _date_of(properties: dict[str, Any], where: str, dating: _Dating) -> str | None:
    """A plain feature's date, from `date`, `when`, `year`, or `start` and `end`."""
    for key in ("date", "when", "year"):
        value = properties.get(key)
        if value not in (None, ""):
            return _plain_date(value, f"{where}/properties/{key}", dating)
    start, end = properties.get("start"), properties.get("end")
    if start in (None, "") and end in (None, ""):
        return None
    first = _plain_date(start, f"{where}/properties/start", dating) if start not in (None, "") else ".."
    last = _plain_date(end, f"{where}/properties/end", dating) if end not in (None, "") else ".."
    if first is None or last is None:
        return None
    if first == last:
        return first
    joined = checked_date(f"{first}/{last}")
    if joined is None:
        dating.unread.append(f"{where}/properties (ends before it starts: {first}/{last})")
    return joined


def _plain_date(value: Any, where: str, dating: _Dating) -> str | None:
    """One date of a plain GeoJSON: a year as a number (-44 is 44 BCE, as historians and
    TimelineJS write it; there is no year 0), an EDTF or ISO text, or a date in words
    ("202 BC", "c. 1411", "Sept 3, 2013")."""
    text = str(value).strip()
    historians = (isinstance(value, int) and not isinstance(value, bool)) or re.fullmatch(r"-?[1-9]\d{0,2}", text)
    if historians and re.fullmatch(r"-?\d{1,4}", text) and int(text) != 0:
        year = int(text)
        if year < 0:
            dating.historians.append(f"{where} {text}")
        return year_text(year + 1 if year < 0 else year)
    found = None if isinstance(value, (bool, float)) or historians else checked_date(text) or read_date(text)
    if found is None:
        dating.unread.append(f"{where} {short(text)}")
    return found


def write(atlas: Atlas, geometry: dict[str, Any]) -> Exported:
    sources = whole.written(atlas)
    lines = []
    for place in atlas.places:
        if place.id in geometry:
            feature = place_feature(place, geometry[place.id])
            lines.append(_line(feature, sources.places.get(place.id, {})))
    for event in atlas.events:
        feature = event_feature(event, geometry, periods_of(event, atlas.periods))
        lines.append(_line(feature, sources.events.get(event.id, {})))
    header = {"settings": sources.settings, "periods": sources.periods, "geocoded": sources.geocoded}
    text = (f'{{"type": "FeatureCollection",\n"atlas": {json.dumps(header, ensure_ascii=False)},\n'
            f'"features": [\n' + ",\n".join(lines) + "\n]}\n")
    return Exported(text, sources.notes)


def _line(feature: dict[str, Any], record: Record) -> str:
    """A feature on one line, DESIGN.md's properties sorted (as build/data/atlas.geojson
    writes them), its record last in the order written (categories' order is the legend's)."""
    properties = dict(sorted(feature["properties"].items()))
    properties["atlas"] = record
    return json.dumps({"type": "Feature", "geometry": feature["geometry"], "properties": properties},
                      ensure_ascii=False)


def _header(header: dict[str, Any], draft: Draft, ids: Ids, shown: str) -> None:
    """Our export's top-level `atlas` member: the settings, the periods, the geocoder's answers."""
    if not header:
        return
    draft.settings = whole.record_in(header.get("settings"), "/atlas/settings", shown)
    draft.title = str(draft.settings.get("title") or "")
    periods = header.get("periods")
    for n, value in enumerate(periods if isinstance(periods, list) else []):
        record = whole.record_in(value, f"/atlas/periods/{n}", shown)
        title = str(record.get("title") or "").strip() or "(untitled)"
        record["id"] = ids.make(str(record.get("id") or "") or None, title, "period")
        draft.periods.append(record)
    draft.geocoded = whole.answers_in(header.get("geocoded"), shown)


def _whole_place(feature: dict[str, Any], properties: dict[str, Any], ids: Ids, draft: Draft, where: str,
                 shown: str) -> Record:
    """A place of our export, from its record as written."""
    record = whole.record_in(properties["atlas"], f"{where}/properties/atlas", shown)
    # A record that names no kind was exported with the kind its shape gives (place, line,
    # region): that is no edit, and writing it would add a field the author never wrote.
    unwritten = "kind" not in record and properties.get("kind") in ("place", "line", "region")
    _edited(record, properties, ("name",) if unwritten else ("name", "kind"))
    name = str(record.get("name") or "").strip()
    if not name:
        raise Unusable(shown, f"{where}/properties", "a place needs a name (a name, title or label property)")
    record["id"] = ids.make(str(record.get("id") or properties.get("id") or "") or None, name, "place")
    whole.place_in(record, obj(feature.get("geometry")), draft)
    return record


def _whole_event(properties: dict[str, Any], ids: Ids, draft: Draft, where: str,
                 shown: str) -> tuple[Record, list[str]]:
    """An event of our export, from its record as written."""
    record = whole.record_in(properties["atlas"], f"{where}/properties/atlas", shown)
    _edited(record, properties, ("title", "summary", "category", "date"))
    date = str(record.get("date") or "")
    if date and checked_date(date) is None:  # (none: an undated event, as it was)
        raise Unusable(shown, f"{where}/properties/date", f"not a date atlas reads: {short(date)}")
    title = str(record.get("title") or "").strip() or "(untitled)"
    record["id"] = ids.make(str(record.get("id") or properties.get("id") or "") or None, title, "event")
    files = whole.event_in(record, draft, f"{where}/properties/atlas", shown)
    if files:
        draft.notes.append(f"event '{record['id']}': {files} images of the atlas folder left out (not in the file)")
    given = properties.get("places") if isinstance(properties.get("places"), list) else record.get("places")
    places = [str(ref) for ref in given or []]
    record.pop("places", None)
    return record, places


def _edited(record: Record, properties: dict[str, Any], keys: tuple[str, ...]) -> None:
    """The feature's own properties win over its record (as edited in a GIS); an empty one
    only where the record has the field."""
    for key in keys:
        value = properties.get(key)
        if isinstance(value, str) and (value or key in record):
            record[key] = value
        if key in record and not record[key]:
            del record[key]


def _region(feature: dict[str, Any]) -> bool:
    return str(obj(feature.get("geometry")).get("type")) in ("Polygon", "MultiPolygon")


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
