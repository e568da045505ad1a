"""Linked Places Format (LPF, v1.2–1.3): the World Historical Gazetteer's GeoJSON-LD,
and its spreadsheet form LP-TSV.

Read: every feature becomes a place. Its id is the last part of its `@id`; its name
`properties.title`; its `names` (each `toponym`, `lang`, `when`) our time-scoped names,
one a timespan; undated names forms of its own name, the title first in the language of
the name that is it (never in another: on a period's map in English an English variant
labels it, as the notes say); the names' `citations` (the title's first), the record's
`@id` and its `links` its sources; its `when` when it existed (a timespan's start alone
is "from then on"; timespans with gaps between them one span, as the notes say); its
geometry a point, a polygon or a
GeoJSON file (of a GeometryCollection, the member in force last). Timespans' `in`,
`earliest` and `latest` become EDTF, years as written (both astronomical), qualifiers
(~ ? %) kept. What the atlas does not keep (relations, depictions, named periods, ccodes,
other types and descriptions, what a type and a citation say beside their label) is
counted in the import's notes. LP-TSV: `lptsv`. Written: `lpf_write`.

The format: https://github.com/LinkedPasts/linked-places-format (README, "Linked Places
Feature elements"). The rules the export keeps (tests/test_formats.py checks them): an
`@context`; each feature an `@id` (a URI), `type: Feature`, `properties.title`, a
non-empty `names` whose first has a citation, and a `geometry`; every `when` has
timespans, each with a `start` of `in`, `earliest` or `latest` (ISO 8601, with ~ ? %).
"""

from __future__ import annotations

import re
from typing import Any

from atlas.formats.common import (
    Draft,
    Ids,
    Record,
    Unusable,
    checked_date,
    forms_record,
    load_json,
    obj,
    short,
    source,
)
from atlas.formats.lpf_write import write
from atlas.formats.lpshared import (
    KINDS,
    UNDETERMINED,
    Left,
    bare_toponym,
    geocode_hint,
    last_part,
    link_source,
    relabelled,
    variant_forms,
)
from atlas.formats.lptsv import read_tsv
from atlas.formats.shapes import add_place, usable
from atlas.formats.wkt import WktError
from atlas.formats.wkt import geometry as wkt_geometry
from atlas.source.dates import parse
from atlas.source.namefields import LANG_TAG

NAME = "lpf"
__all__ = ["NAME", "read", "sniff", "write"]
RELABELLED = ("labelled on a period's map by their form in English (the language of an atlas an import makes), not by "
              "their title, which is in another language or none")


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
    names, forms, (own, others) = _names(feature.get("names"), title, f"{where}/names", shown, left)
    if names:
        record["names"] = names
    if forms:
        record["forms"] = forms
        instead = relabelled(title, forms)
        if instead:
            left.add(RELABELLED, f"{title}: {instead}")
    when = _when(feature.get("when"), f"{where}/when", shown, left, title)
    if when:
        record["when"] = when
    description = _description(feature.get("descriptions"), left, title)
    if description:
        record["description"] = description
    sources = own + _record_sources(feature, left, title) + others  # the title's citations first
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
    """The first type the atlas knows is the place's kind; the others are counted as left
    out, and so is what the kind's type says beside its label (its AAT identifier, its time,
    the source's own words)."""
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
            continue
        if kind is not None and label:
            _type_details(obj(item), left, title)
    if others:
        left.add("types beyond the kind left out (the atlas keeps one kind a place)", f"{title}: {', '.join(others)}")
    return kind


def _type_details(item: dict[str, Any], left: Left, title: str) -> None:
    said = []
    for key, value in item.items():
        if key == "label" or value in (None, "", [], {}):
            continue
        if key == "sourceLabels":
            value = ", ".join(str(obj(found).get("label") or found) for found in _list(value))
        said.append(f"{key} {value}" if isinstance(value, str) else key)
    if said:
        left.add("the kind's type details left out (the atlas keeps its label)", f"{title}: {'; '.join(said)}")


def _description(descriptions: Any, left: Left, title: str) -> str:
    given = [d for d in _list(descriptions) if isinstance(d, dict) and str(d.get("value") or "").strip()]
    if len(given) > 1:
        left.add("descriptions beyond the first left out (the atlas keeps one)", title)
    if not given:
        return ""
    if str(given[0].get("lang") or "").strip():
        left.add("descriptions' language left out (the atlas's description has none)",
                 f"{title}: {str(given[0]['lang']).strip()}")
    return str(given[0]["value"]).strip()


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


def _names(names: Any, title: str, where: str, shown: str,
           left: Left) -> tuple[list[Record], Record, tuple[list[Record], list[Record]]]:
    """Linked Places names as ours: the names of one time (the same `when`) are one name in
    time, the first its name and the others its forms, by language; undated names are
    forms of the place's own name (a language's variant, not a name of another time), the
    title first, in the language of the name that is it (none if none is). The names'
    citations are the place's sources (the title's first): the atlas's names cite none."""
    own: list[Record] = []
    sources: list[Record] = []
    groups: dict[str, list[tuple[str, str]]] = {}
    for n, name in enumerate(_list(names)):
        if not isinstance(name, dict) or not str(name.get("toponym") or "").strip():
            raise Unusable(shown, f"{where}/{n}", "each name has a toponym")
        toponym = str(name["toponym"]).strip()
        for found in _citations(name, left, title):
            if found not in own + sources:
                (own if toponym == title else sources).append(found)
        lang = str(name.get("lang") or "").strip()
        for span in _spans(name.get("when"), f"{where}/{n}/when", shown, left, title) or [""]:
            groups.setdefault(span, []).append((toponym, lang if LANG_TAG.match(lang) else ""))
    if sources or (own and len(_list(names)) > 1):
        left.add("names' citations kept as sources of the whole place (the atlas's names cite none)", title)
    undated = groups.pop("", [])
    tagged = [lang for toponym, lang in undated if toponym == title and lang]  # the title has no time: nor its language
    forms = variant_forms(title, tagged[0] if tagged else "", undated)
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
    return ours, forms, (own, sources)


def _citations(name: dict[str, Any], left: Left, title: str) -> list[Record]:
    """A name's citations as sources; what else a citation says (its year) is counted."""
    found = []
    for citation in _list(name.get("citations")):
        label = str(obj(citation).get("label") or "").strip()
        if not label:
            continue
        found.append(source(label, citation.get("@id") or citation.get("id")))
        for key in sorted(set(citation) - {"label", "@id", "id"}):
            left.add(f"citations' {key} left out (a source has a label and an address)",
                     f"{title}: {label}: {citation[key]}")
    return found


def _when(when: Any, where: str, shown: str, left: Left, title: str) -> str | None:
    spans = _spans(when, where, shown, left, title)
    if len(spans) > 1:  # our places exist in one span: the whole of them
        firsts = [span.split("/")[0] for span in spans]
        lasts = [span.split("/")[-1] for span in spans]
        first = ".." if ".." in firsts else min(firsts, key=_year_key)
        last = ".." if ".." in lasts else max(lasts, key=_year_key)
        if _gaps(spans):
            left.add("timespans with gaps between them made one span, the gaps filled (a place of the atlas "
                     "exists in one span)", f"{title}: {', '.join(spans)}")
        return checked_date(f"{first}/{last}")
    return spans[0] if spans else None


def _gaps(spans: list[str]) -> bool:
    """Whether time passes between the spans (one ending the day before the next begins is no gap)."""
    dates = sorted((parse(span) for span in spans), key=lambda d: d.first)
    reach = dates[0].last
    for date in dates[1:]:
        if date.first > reach + 1:
            return True
        reach = max(reach, date.last)
    return False


def _year_key(text: str) -> tuple[int, str]:
    """Dates in time order (text order puts -0500 after -0100)."""
    found = re.match(r"(-?\d+)(.*)", text)
    return (int(found[1]), found[2]) if found else (0, text)


def _spans(when: Any, where: str, shown: str, left: Left, title: str) -> list[str]:
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
        for side in ("start", "end"):
            given = obj(span.get(side))
            if given.get("in") in (None, "") and given.get("earliest") not in (None, "", given.get("latest")) \
                    and given.get("latest") not in (None, ""):
                left.add("starts and ends given as earliest…latest widened to both bounds (the atlas's dates "
                         "have no such range)", f"{title}: {side} {given['earliest']}…{given['latest']}", title)
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
        # The member in force last: no end, or the latest end; of those, the latest start.
        return obj(max(members, key=lambda g: (_year_key(_end_of(g.get("when"))),
                                               _year_key(_start_of(g.get("when"))))))
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


def _start_of(when: Any) -> str:
    spans = when.get("timespans") if isinstance(when, dict) else None
    start = spans[0].get("start") if spans and isinstance(spans[0], dict) else None
    return _point_in_time(start, "start") or "-9999"


def _end_of(when: Any) -> str:
    spans = when.get("timespans") if isinstance(when, dict) else None
    if not spans:
        return "9999"
    end = spans[-1].get("end") if isinstance(spans[-1], dict) else None
    return _point_in_time(end, "end") or "9999"
