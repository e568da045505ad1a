"""Linked Places Format (LPF, v1.2–1.3): the World Historical Gazetteer's GeoJSON-LD,
and its spreadsheet form LP-TSV.

Read: every feature becomes a place. Its id is the last part of its `@id`; its name
`properties.title`; its `names` (each `toponym`, `lang`, `when`) our time-scoped names,
one a timespan; their `citations` its sources; its `when` when it existed; its geometry
a point, a polygon or a GeoJSON file (of a GeometryCollection, the member in force
last). Timespans' `in`, `earliest` and `latest` become EDTF, qualifiers (~ ? %) kept.
Written: every place with its names (each cited: by the place's sources, or by the
atlas), its `when`, its geometry.

The format: https://github.com/LinkedPasts/linked-places-format (README, "Linked Places
Feature elements"). The rules the export keeps (tests/test_formats.py checks them): an
`@context`; each feature an `@id` (a URI), `type: Feature`, `properties.title`, a
non-empty `names` whose first has a citation, and a `geometry`; every `when` has
timespans, each with a `start` of `in`, `earliest` or `latest` (ISO 8601, with ~ ? %).
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
    csv_rows,
    forms_record,
    load_json,
    obj,
    short,
    slug,
    source,
)
from atlas.formats.shapes import add_place, usable
from atlas.source.dates import EdtfDate
from atlas.source.model import Atlas, Place, Role
from atlas.source.namefields import LANG_TAG

NAME = "lpf"
CONTEXT = "https://raw.githubusercontent.com/LinkedPasts/linked-places/master/linkedplaces-context-v1.1.jsonld"
KINDS = {"city": "city", "town": "town", "village": "town", "port": "port", "capital": "capital",
         "region": "region", "state": "state", "country": "state", "nation": "state", "province": "region",
         "railway": "railway", "river": "river", "site": "site", "station": "station"}


def sniff(name: str, text: str) -> bool:
    if name.lower().endswith(".tsv"):
        return True
    return '"FeatureCollection"' in text[:4000] and ('"@id"' in text[:20000] or '"toponym"' in text[:20000])


def read(shown: str, text: str, ids: Ids) -> Draft:
    if shown.lower().endswith(".tsv") or not text.lstrip("\ufeff").startswith("{"):
        return _read_tsv(shown, text, ids)
    data = load_json(text, shown)
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        raise Unusable(shown, "/features", "a Linked Places file is a FeatureCollection with a list of features")
    draft = Draft()
    for n, feature in enumerate(data["features"]):
        where = f"/features/{n}"
        if not isinstance(feature, dict):
            raise Unusable(shown, where, "each feature is an object")
        properties = obj(feature.get("properties"))
        title = str(properties.get("title") or "").strip()
        if not title:
            raise Unusable(shown, f"{where}/properties/title", "missing: every Linked Places record has a title")
        record: Record = {"id": ids.make(_last_part(feature.get("@id")), title, "place"), "name": title}
        kind = _kind(feature.get("types"))
        if kind:
            record["kind"] = kind
        names, forms, sources = _names(feature.get("names"), title, f"{where}/names", shown)
        if names:
            record["names"] = names
        if forms:
            record["forms"] = forms
        when = _when(feature.get("when"), f"{where}/when", shown)
        if when:
            record["when"] = when
        descriptions = feature.get("descriptions")
        if isinstance(descriptions, list) and descriptions and isinstance(descriptions[0], dict):
            record["description"] = str(descriptions[0].get("value") or "")
        if sources:
            record["sources"] = sources
        add_place(draft, record, _geometry(feature.get("geometry")))
    return draft


def _last_part(uri: Any) -> str | None:
    if not isinstance(uri, str) or not uri.strip():
        return None
    return re.split(r"[/#:=]", uri.rstrip("/#"))[-1] or None


def _kind(types: Any) -> str | None:
    for item in types if isinstance(types, list) else []:
        label = str(item.get("label") or "").lower() if isinstance(item, dict) else ""
        if label in KINDS:
            return KINDS[label]
    return None


def _names(names: Any, title: str, where: str, shown: str) -> tuple[list[Record], Record, list[Record]]:
    """Linked Places names as ours: the names of one time (the same `when`) are one name in
    time, the first its name and the others its forms, by language; undated names are
    forms of the place's own name (a language's variant, not a name of another time)."""
    sources: list[Record] = []
    groups: dict[str, list[tuple[str, str]]] = {}
    for n, name in enumerate(names if isinstance(names, list) else []):
        if not isinstance(name, dict) or not str(name.get("toponym") or "").strip():
            raise Unusable(shown, f"{where}/{n}", "each name has a toponym")
        toponym = str(name["toponym"]).strip()
        for citation in name.get("citations") or []:
            if isinstance(citation, dict) and citation.get("label"):
                found = source(str(citation["label"]), citation.get("@id") or citation.get("id"))
                if found not in sources:
                    sources.append(found)
        lang = str(name.get("lang") or "").strip()
        for span in _spans(name.get("when"), f"{where}/{n}/when", shown) or [""]:
            groups.setdefault(span, []).append((toponym, lang if LANG_TAG.match(lang) else ""))
    undated = groups.pop("", [])
    titled = next((i for i, (toponym, _) in enumerate(undated) if toponym == title), None)
    if titled is not None:
        del undated[titled]  # the title itself: the place's own name
    forms = forms_record([(lang, toponym, "") for toponym, lang in undated if lang])
    ours: list[Record] = []
    for span, entries in groups.items():
        (first, first_lang), rest = entries[0], entries[1:]
        entry: Record = {"name": first}
        if first_lang:
            entry["lang"] = first_lang
        entry["when"] = span
        name_forms = forms_record([(lang, toponym, "") for toponym, lang in rest if lang])
        if name_forms:
            entry["forms"] = name_forms
        ours.append(entry)
    return ours, forms, sources


def _when(when: Any, where: str, shown: str) -> str | None:
    spans = _spans(when, where, shown)
    if len(spans) > 1:  # our places exist in one span: the whole of them
        firsts = [span.split("/")[0] for span in spans]
        lasts = [span.split("/")[-1] for span in spans]
        return checked_date(f"{min(firsts)}/{max(lasts)}")
    return spans[0] if spans else None


def _spans(when: Any, where: str, shown: str) -> list[str]:
    if not isinstance(when, dict):
        return []
    spans = []
    for n, span in enumerate(when.get("timespans") or []):
        if not isinstance(span, dict):
            raise Unusable(shown, f"{where}/timespans/{n}", "a timespan is an object with a start")
        start = _point_in_time(span.get("start"), "start")
        end = _point_in_time(span.get("end"), "end")
        if start is None and end is None:
            raise Unusable(shown, f"{where}/timespans/{n}/start", "a timespan has a start (in, earliest or latest)")
        if _only(span.get("start"), "latest"):  # started at the latest then: an open start
            text = f"../{end or start}"
        elif _only(span.get("end"), "earliest"):  # ended no earlier than then: an open end
            text = f"{start}/.."
        elif start and end and start != end:
            text = f"{start}/{end}"
        elif start and "end" not in span:  # a start alone: from then on (Linked Places' "from")
            text = f"{start}/.."
        else:
            text = start or f"../{end}"
        if checked_date(text) is None:
            raise Unusable(shown, f"{where}/timespans/{n}", f"not a date atlas reads: {short(text)}")
        spans.append(text)
    return spans


def _only(value: Any, key: str) -> bool:
    return isinstance(value, dict) and [k for k, v in value.items() if v not in (None, "")] == [key]


def _point_in_time(value: Any, side: str) -> str | None:
    if not isinstance(value, dict):
        return str(value) if isinstance(value, (str, int)) and str(value).strip() else None
    for key in ("in", "earliest", "latest") if side == "start" else ("in", "latest", "earliest"):
        if value.get(key) not in (None, ""):
            return _iso(str(value[key]))
    return None


def _iso(text: str) -> str:
    """An ISO 8601 year, month or day as EDTF (years padded to four digits)."""
    text = text.strip()
    found = re.fullmatch(r"(-?)(\d{1,4})(.*)", text)
    if found:
        return f"{found[1]}{int(found[2]):04d}{found[3]}"
    return text


def _geometry(geometry: Any) -> dict[str, Any] | None:
    if isinstance(geometry, dict) and geometry.get("type") == "GeometryCollection":
        members = [g for g in geometry.get("geometries") or [] if usable(g)]
        if not members:
            return None
        # The member in force last (no end, or the latest end).
        return obj(max(members, key=lambda g: _end_of(g.get("when"))))
    return obj(geometry) if usable(geometry) else None


def _end_of(when: Any) -> str:
    spans = when.get("timespans") if isinstance(when, dict) else None
    if not spans:
        return "9999"
    end = spans[-1].get("end") if isinstance(spans[-1], dict) else None
    return _point_in_time(end, "end") or "9999"


TSV_COLUMNS = ["id", "title", "title_source", "title_uri", "start", "end", "variants", "types", "ccodes",
               "lon", "lat", "geowkt", "description"]


def _read_tsv(shown: str, text: str, ids: Ids) -> Draft:
    draft = Draft()
    rows = csv_rows(text, shown, delimiter="\t")
    for n, row in enumerate(rows, start=2):
        row = {key.strip(): (value or "").strip() for key, value in row.items() if key}
        if not row.get("title"):
            raise Unusable(shown, f"row {n}", "missing: every LP-TSV row has a title")
        record: Record = {"id": ids.make(row.get("id") or None, row["title"], "place"), "name": row["title"]}
        when = _span_of(row.get("start", ""), row.get("end", ""))
        if when:
            record["when"] = when
        variants = [v.strip() for v in row.get("variants", "").split(";") if v.strip() and v.strip() != row["title"]]
        if variants:
            record["names"] = [{"name": v} for v in variants]
        kind = KINDS.get(row.get("types", "").split(";")[0].strip().lower())
        if kind:
            record["kind"] = kind
        if row.get("description"):
            record["description"] = row["description"]
        if row.get("title_source"):
            record["sources"] = [source(row["title_source"], row.get("title_uri") or None)]
        add_place(draft, record, _tsv_geometry(row, shown, n))
    return draft


def _span_of(start: str, end: str) -> str | None:
    if not start and not end:
        return None
    text = f"{_iso(start) if start else '..'}/{_iso(end)}" if end and end != start else _iso(start)
    return checked_date(text)


def _tsv_geometry(row: dict[str, str], shown: str, n: int) -> dict[str, Any] | None:
    if row.get("lon") and row.get("lat"):
        try:
            geometry = {"type": "Point", "coordinates": [float(row["lon"]), float(row["lat"])]}
        except ValueError as err:
            raise Unusable(shown, f"row {n}", f"lon and lat should be numbers: {short(row['lon'])}, "
                           f"{short(row['lat'])}") from err
        if not usable(geometry):
            raise Unusable(shown, f"row {n}", f"[{short(row['lon'])}, {short(row['lat'])}] is not on the Earth")
        return geometry
    found = re.fullmatch(r"\s*POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)\s*", row.get("geowkt", ""), re.I)
    if found:
        try:
            geometry = {"type": "Point", "coordinates": [float(found[1]), float(found[2])]}
        except ValueError as err:  # 1.2.3
            raise Unusable(shown, f"row {n}", f"geowkt: not a point: {short(row['geowkt'])}") from err
        if not usable(geometry):
            raise Unusable(shown, f"row {n}", f"geowkt {short(row['geowkt'])} is not on the Earth")
        return geometry
    return None


def write(atlas: Atlas, geometry: dict[str, Any]) -> Exported:
    notes: list[str] = []
    base = atlas.info.base_url or f"urn:x-atlas:{slug(atlas.info.title, 'atlas')}:"
    features = []
    uncited = 0
    for place in atlas.places:
        if place.id not in geometry:
            continue
        citations = [_citation(s.label, s.url) for s in place.sources] or [_citation(atlas.info.title, None)]
        uncited += not place.sources
        names: list[dict[str, Any]] = [{"toponym": place.name, "lang": atlas.info.language, "citations": citations}]
        names += [_name(form.text, form.lang, form.when, citations) for form in place.forms]
        for name in place.names:
            names.append(_name(name.name, name.lang, name.when, citations))
            names += [_name(form.text, form.lang, form.when or name.when, citations) for form in name.forms]
        feature: dict[str, Any] = {
            "@id": f"{base}#place-{place.id}" if base.startswith("http") else f"{base}{place.id}",
            "type": "Feature", "properties": {"title": place.name}, "names": names,
            "types": [{"label": place.kind}, *(_role_type(role) for role in place.roles)],
            "geometry": geometry[place.id]}
        if place.when:
            feature["when"] = {"timespans": [_timespan(place.when)]}
        if place.description:
            feature["descriptions"] = [{"value": place.description, "lang": atlas.info.language}]
        features.append(feature)
    if uncited:
        notes.append(f"{uncited} places cite no source: their names cite the atlas itself")
    if any(_control(place) for place in atlas.places):
        notes.append("who controlled each place is left out: Linked Places has no such element")
    data = {"type": "FeatureCollection", "@context": CONTEXT, "features": features}
    return Exported(json.dumps(data, ensure_ascii=False, indent=1) + "\n", notes)


def _name(toponym: str, lang: str | None, when: EdtfDate | None, citations: list[dict[str, str]]) -> dict[str, Any]:
    entry: dict[str, Any] = {"toponym": toponym, "citations": citations}
    if lang:
        entry["lang"] = lang
    if when:
        entry["when"] = {"timespans": [_timespan(when)]}
    return entry


def _role_type(role: Role) -> dict[str, Any]:
    """A role as a Linked Places type in time: "capital of the Republic of China", 1927–37."""
    found: dict[str, Any] = {"label": role.text()}
    if role.when:
        found["when"] = {"timespans": [_timespan(role.when)]}
    return found


def _control(place: Place) -> bool:
    return bool(place.control)


def _citation(label: str, url: str | None) -> dict[str, str]:
    return {"label": label, "@id": url} if url else {"label": label}


def _timespan(when: EdtfDate) -> dict[str, Any]:
    """An EDTF date as a timespan: its first side the start, its last the end. An open
    start is a start "at the latest" its end; an open end an end "at the earliest" its start."""
    sides = when.text.split("/")
    start, end = sides[0], sides[-1]
    if start in ("", ".."):
        return {"start": {"latest": end}, "end": {"in": end}}
    if len(sides) > 1 and end in ("", ".."):
        return {"start": {"in": start}, "end": {"earliest": start}}
    # A single date ends where it starts: a start alone would read as "from then on".
    return {"start": {"in": start}, "end": {"in": end}}
