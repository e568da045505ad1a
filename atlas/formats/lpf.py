"""Linked Places Format (LPF, v1.2–1.3): the World Historical Gazetteer's GeoJSON-LD,
and its spreadsheet form LP-TSV.

Read: every feature becomes a place. Its id is the last part of its `@id`; its name
`properties.title`; its `names` (each `toponym`, `lang`, `when`) our time-scoped names,
one a timespan; undated names forms of its own name (the title stays the label); their
`citations`, the record's `@id` and its `links` its sources; its `when` when it existed
(a timespan's start alone is "from then on"); its geometry a point, a polygon or a
GeoJSON file (of a GeometryCollection, the member in force last). Timespans' `in`,
`earliest` and `latest` become EDTF, years as written (both astronomical), qualifiers
(~ ? %) kept. What the atlas does not keep (relations, depictions, named periods, ccodes,
other types and descriptions) is counted in the import's notes. LP-TSV: `lptsv`.
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
    forms_record,
    load_json,
    obj,
    short,
    slug,
    source,
)
from atlas.formats.lpshared import (
    KINDS,
    UNDETERMINED,
    Left,
    bare_toponym,
    geocode_hint,
    last_part,
    link_source,
    variant_forms,
)
from atlas.formats.lptsv import read_tsv
from atlas.formats.shapes import add_place, usable
from atlas.formats.wkt import WktError
from atlas.formats.wkt import geometry as wkt_geometry
from atlas.source.dates import EdtfDate
from atlas.source.model import Atlas, Place, Role
from atlas.source.namefields import LANG_TAG

NAME = "lpf"
CONTEXT = "https://raw.githubusercontent.com/LinkedPasts/linked-places/master/linkedplaces-context-v1.1.jsonld"


def sniff(name: str, text: str) -> bool:
    return '"FeatureCollection"' in text[:4000] and ('"@id"' in text[:20000] or '"toponym"' in text[:20000])


def read(shown: str, text: str, ids: Ids) -> Draft:
    if shown.lower().endswith(".tsv") or not text.lstrip("\ufeff").startswith("{"):
        return read_tsv(shown, text, ids)  # `--format lpf` given a spreadsheet: its LP-TSV form
    data = load_json(text, shown)
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        raise Unusable(shown, "/features", "a Linked Places file is a FeatureCollection with a list of features")
    draft, left = Draft(), Left()
    for n, feature in enumerate(data["features"]):
        where = f"/features/{n}"
        if not isinstance(feature, dict):
            raise Unusable(shown, where, "each feature is an object")
        _feature(draft, left, feature, where, shown, ids)
    draft.notes += left.notes()
    return draft


def _feature(draft: Draft, left: Left, feature: dict[str, Any], where: str, shown: str, ids: Ids) -> None:
    properties = obj(feature.get("properties"))
    title = str(properties.get("title") or "").strip()
    if not title:
        raise Unusable(shown, f"{where}/properties/title", "missing: every Linked Places record has a title")
    record: Record = {"id": ids.make(last_part(feature.get("@id")), title, "place"), "name": title}
    kind = _kind(feature.get("types"), left, title)
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
    description = _description(feature.get("descriptions"), left, title)
    if description:
        record["description"] = description
    sources += _record_sources(feature, left, title)
    if sources:
        record["sources"] = list({(s["label"], s.get("url")): s for s in sources}.values())
    _left_out(feature, properties, left, title)
    geometry = _geometry(feature.get("geometry"))
    if geometry is None:
        first = next((obj(name).get("toponym") for name in _list(feature.get("names"))), None)
        toponym = str(first).strip() if isinstance(first, str) and first.strip() else bare_toponym(title)
        geocode_hint(record, toponym, _list(properties.get("ccodes")))
    elif not kind and geometry["type"] in ("LineString", "MultiLineString"):
        record["kind"] = "line"
    add_place(draft, record, geometry)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _kind(types: Any, left: Left, title: str) -> str | None:
    """The first type the atlas knows is the place's kind; the others are counted as left out."""
    kind: str | None = None
    others: list[str] = []
    for item in _list(types):
        label = str(item.get("label") or "").strip() if isinstance(item, dict) else ""
        if kind is None and label.lower() in KINDS:
            kind = KINDS[label.lower()]
        elif kind is None and not others and re.fullmatch(r"[a-z][a-z -]{0,30}", label):
            kind = label  # a kind of the atlas's own ("border", "territory"), as its export writes it
        elif label:
            others.append(label)
    if others:
        left.add("types beyond the kind left out (the atlas keeps one kind a place)", f"{title}: {', '.join(others)}")
    return kind


def _description(descriptions: Any, left: Left, title: str) -> str:
    found = [str(d.get("value") or "").strip() for d in _list(descriptions) if isinstance(d, dict)]
    found = [text for text in found if text]
    if len(found) > 1:
        left.add("descriptions beyond the first left out (the atlas keeps one)", title)
    return found[0] if found else ""


def _record_sources(feature: dict[str, Any], left: Left, title: str) -> list[Record]:
    """The record's own address and its links to other gazetteers, as sources."""
    found: list[Record] = []
    uri = str(feature.get("@id") or "").strip()
    if re.match(r"https?://", uri):
        found.append(source("Linked Places record", uri))
    for link in _list(feature.get("links")):
        made = link_source(str(link.get("type") or ""), link.get("identifier")) if isinstance(link, dict) else None
        if made:
            found.append(made)
        else:
            left.add("links without an identifier left out", title)
    return found


KEPT = {"@id", "type", "properties", "names", "when", "types", "geometry", "links", "descriptions"}
NOT_KEPT = {"relations": "relations to other places left out (the atlas has no such field)",
            "depictions": "depictions left out (the atlas shows only media of events)"}


def _left_out(feature: dict[str, Any], properties: dict[str, Any], left: Left, title: str) -> None:
    for key, why in NOT_KEPT.items():
        if _list(feature.get(key)):
            left.add(why, title)
    when = obj(feature.get("when"))
    if _list(when.get("periods")):
        names = ", ".join(str(obj(p).get("name") or obj(p).get("@id") or "") for p in when["periods"])
        left.add("named periods (when.periods) left out: the place keeps its timespans", f"{title}: {names}")
    for key in ("label", "duration", "certainty"):
        if when.get(key) not in (None, ""):
            left.add(f"when.{key} left out", f"{title}: {when[key]}")
    if _list(properties.get("ccodes")):
        left.add("ccodes left out (modern countries; a geocode query's country hint when the place has no "
                 "geometry)", f"{title}: {', '.join(map(str, properties['ccodes']))}")
    others = sorted(set(feature) - KEPT - set(NOT_KEPT)) + [f"properties.{key}" for key in sorted(properties)
                                                            if key not in ("title", "ccodes")]
    if others:
        left.add("other fields left out", f"{title}: {', '.join(others)}")


def _names(names: Any, title: str, where: str, shown: str) -> tuple[list[Record], Record, list[Record]]:
    """Linked Places names as ours: the names of one time (the same `when`) are one name in
    time, the first its name and the others its forms, by language; undated names are
    forms of the place's own name (a language's variant, not a name of another time), and
    the title stays its label."""
    sources: list[Record] = []
    groups: dict[str, list[tuple[str, str]]] = {}
    for n, name in enumerate(_list(names)):
        if not isinstance(name, dict) or not str(name.get("toponym") or "").strip():
            raise Unusable(shown, f"{where}/{n}", "each name has a toponym")
        toponym = str(name["toponym"]).strip()
        for citation in _list(name.get("citations")):
            if isinstance(citation, dict) and str(citation.get("label") or "").strip():
                found = source(str(citation["label"]).strip(), citation.get("@id") or citation.get("id"))
                if found not in sources:
                    sources.append(found)
        lang = str(name.get("lang") or "").strip()
        for span in _spans(name.get("when"), f"{where}/{n}/when", shown) or [""]:
            groups.setdefault(span, []).append((toponym, lang if LANG_TAG.match(lang) else ""))
    undated = groups.pop("", [])
    title_langs = {lang for toponym, lang in undated if toponym == title and lang}
    forms = variant_forms(title, title_langs, undated, own=True)
    ours: list[Record] = []
    for span, entries in groups.items():
        (first, first_lang), rest = entries[0], entries[1:]
        entry: Record = {"name": first}
        if first_lang:
            entry["lang"] = first_lang
        entry["when"] = span
        name_forms = forms_record([(lang or UNDETERMINED, toponym, "") for toponym, lang in rest
                                   if lang or toponym != first])
        if name_forms:
            entry["forms"] = name_forms
        ours.append(entry)
    return ours, forms, sources


def _when(when: Any, where: str, shown: str) -> str | None:
    spans = _spans(when, where, shown)
    if len(spans) > 1:  # our places exist in one span: the whole of them
        firsts = [span.split("/")[0] for span in spans]
        lasts = [span.split("/")[-1] for span in spans]
        first = ".." if ".." in firsts else min(firsts, key=_year_key)
        last = ".." if ".." in lasts else max(lasts, key=_year_key)
        return checked_date(f"{first}/{last}")
    return spans[0] if spans else None


def _year_key(text: str) -> tuple[int, str]:
    """Dates in time order (text order puts -0500 after -0100)."""
    found = re.match(r"(-?\d+)(.*)", text)
    return (int(found[1]), found[2]) if found else (0, text)


def _spans(when: Any, where: str, shown: str) -> list[str]:
    """A `when`'s timespans as EDTF. A start alone is "from then on" (the spec's own examples,
    and LP-TSV's rule, read it so: Abingdon-on-Thames "from 1600"); an end alone "until then"."""
    if not isinstance(when, dict):
        return []
    spans = []
    for n, span in enumerate(_list(when.get("timespans"))):
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
        elif start and not end:  # a start alone: from then on
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
        return iso_year(str(value)) if isinstance(value, (str, int)) and str(value).strip() else None
    for key in ("in", "earliest", "latest") if side == "start" else ("in", "latest", "earliest"):
        if value.get(key) not in (None, ""):
            return iso_year(str(value[key]))
    return None


def iso_year(text: str) -> str:
    """An ISO 8601 year, month or day (Linked Places' timespans) as EDTF. Both number years
    astronomically (ISO 8601 and OWL-Time, which the spec names: `0000` is 1 BCE, `-0320`
    is 321 BCE), so the year is kept as written, padded to four digits."""
    text = text.strip()
    found = re.fullmatch(r"(-?)(\d{1,4})(.*)", text)
    if found:
        sign = found[1] if int(found[2]) else ""
        return f"{sign}{int(found[2]):04d}{found[3]}"
    return text


def _geometry(geometry: Any) -> dict[str, Any] | None:
    if isinstance(geometry, dict) and geometry.get("type") == "GeometryCollection":
        members = [g for g in map(_with_wkt, _list(geometry.get("geometries"))) if usable(g)]
        if not members:
            return None
        # The member in force last (no end, or the latest end).
        return obj(max(members, key=lambda g: _year_key(_end_of(g.get("when")))))
    geometry = _with_wkt(geometry)
    return obj(geometry) if usable(geometry) else None


def _with_wkt(geometry: Any) -> Any:
    """A geometry given as `geowkt` alone (the spec allows it in place of coordinates) as GeoJSON."""
    if not isinstance(geometry, dict) or "coordinates" in geometry or not isinstance(geometry.get("geowkt"), str):
        return geometry
    try:
        shape = wkt_geometry(geometry["geowkt"])
    except WktError:
        return geometry  # not usable: the place is left out (or geocoded) with the others that have none
    return {**geometry, **shape} if shape else geometry


def _end_of(when: Any) -> str:
    spans = when.get("timespans") if isinstance(when, dict) else None
    if not spans:
        return "9999"
    end = spans[-1].get("end") if isinstance(spans[-1], dict) else None
    return _point_in_time(end, "end") or "9999"


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
    relabelled = [place.name for place in atlas.places if place.id in geometry and _relabelled(place, atlas)]
    if relabelled:
        shown = ", ".join(relabelled[:3]) + (" …" if len(relabelled) > 3 else "")
        notes.append(f"{len(relabelled)} places are labelled by a form in the atlas's language other than their name "
                     f"({shown}): Linked Places has no label beside the title, which an import of it labels them with")
    if uncited:
        notes.append(f"{uncited} places cite no source: their names cite the atlas itself")
    notes += _not_held(atlas, geometry)
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


def _relabelled(place: Place, atlas: Atlas) -> bool:
    """Whether the map labels the place (its own name) with a form other than its name."""
    tag = atlas.info.language
    return any(form.text != place.name and form.when is None and (form.lang == tag or form.lang.startswith(tag + "-"))
               for form in place.forms)


def _not_held(atlas: Atlas, geometry: dict[str, Any]) -> list[str]:
    """What Linked Places cannot hold, each with its count (a gazetteer: places only)."""
    placed = [place for place in atlas.places if place.id in geometry]
    counts = {
        "events left out: Linked Places holds places only": len(atlas.events),
        "periods left out: Linked Places holds places only": len(atlas.periods),
        "places left out: they have no geometry yet (run atlas geocode)": len(atlas.places) - len(placed),
        "places' control left out (who held them): Linked Places has no such element":
            sum(1 for p in placed if p.control),
        "places' roles written as types in time (\"Capital of …\"): an import of them reads types, not roles":
            sum(1 for p in placed if p.roles),
        "places' media left out: Linked Places' depictions are not written": sum(1 for p in placed if p.media),
        "places' outline_of left out: Linked Places has no such element": sum(1 for p in placed if p.outline_of)}
    return [f"{count} {what}" for what, count in counts.items() if count]


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
