"""Linked Places (LPF) written: every place with a geometry as a feature, with its names
(its title first, in its own language, citing the place's sources; links to other
gazetteers as `links`), its kind as a type (none for a place of no kind), its roles as
types in time, its `when` (a start alone for "from then on"), its geometry; what Linked
Places cannot hold, counted. Read: `lpf`."""

from __future__ import annotations

import json
from typing import Any

from atlas.formats.common import Exported, places_unheld, plural, slug
from atlas.formats.lpshared import UNDETERMINED, default_kind, link_of
from atlas.source.dates import EdtfDate
from atlas.source.model import Atlas, Place, Role

CONTEXT = "https://raw.githubusercontent.com/LinkedPasts/linked-places/master/linkedplaces-context-v1.1.jsonld"
POSSESSIVE = "places'"


def write(atlas: Atlas, geometry: dict[str, Any]) -> Exported:
    notes: list[str] = []
    base = atlas.info.base_url or f"urn:x-atlas:{slug(atlas.info.title, 'atlas')}:"
    features = []
    uncited = shared = 0
    for place in atlas.places:
        if place.id not in geometry:
            continue
        feature = _feature_of(place, geometry[place.id], atlas, base)
        uncited += not any(link_of(s.label) is None for s in place.sources)
        shared += len(feature["names"]) > 1 and any(link_of(s.label) is None for s in place.sources)
        features.append(feature)
    if uncited:
        one = uncited == 1
        notes.append(f"{plural(uncited, 'place')} {'cites' if one else 'cite'} no source: {'its' if one else 'their'} "
                     "title cites the atlas itself")
    if shared:
        notes.append(f"{_counted(shared, POSSESSIVE)} sources cited by the title's toponym alone: the atlas keeps "
                     "sources of a whole place, not of each name")
    notes += _not_held(atlas, geometry) + places_unheld(atlas.places)
    data = {"type": "FeatureCollection", "@context": CONTEXT, "features": features}
    return Exported(json.dumps(data, ensure_ascii=False, indent=1) + "\n", notes)


def _feature_of(place: Place, shape: dict[str, Any], atlas: Atlas, base: str) -> dict[str, Any]:
    """A place as a feature: its sources cited by its title (links to other gazetteers as
    `links`), its title in its own language (that of its form that is it; none if none is)."""
    links = [found for found in map(link_of, (s.label for s in place.sources)) if found]
    citations = [_citation(s.label, s.url) for s in place.sources if link_of(s.label) is None]
    own = next((form.lang for form in place.forms if form.text == place.name and form.when is None), "")
    names = [_name(place.name, own if own != UNDETERMINED else "", None, citations or
                   [_citation(atlas.info.title, None)])]
    names += [_name(form.text, form.lang, form.when, []) for form in place.forms
              if (form.text, form.lang, form.when) != (place.name, own, None)]
    for name in place.names:
        names.append(_name(name.name, name.lang, name.when, []))
        names += [_name(form.text, form.lang, form.when or name.when, []) for form in name.forms]
    feature: dict[str, Any] = {
        "@id": f"{base}#place-{place.id}" if base.startswith("http") else f"{base}{place.id}",
        "type": "Feature", "properties": {"title": place.name}, "names": names}
    types = ([{"label": place.kind}] if place.kind != default_kind(shape) else []) + [
        _role_type(role) for role in place.roles]
    if types:  # a place of the kind its geometry gives by default had no kind written
        feature["types"] = types
    feature["geometry"] = shape
    if place.when:
        feature["when"] = {"timespans": [_timespan(place.when)]}
    if place.description:
        feature["descriptions"] = [{"value": place.description, "lang": atlas.info.language}]
    if links:
        feature["links"] = [{"type": kind, "identifier": identifier} for kind, identifier in links]
    return feature



def _name(toponym: str, lang: str | None, when: EdtfDate | None, citations: list[dict[str, str]]) -> dict[str, Any]:
    entry: dict[str, Any] = {"toponym": toponym}
    if lang:
        entry["lang"] = lang
    if citations:
        entry["citations"] = citations
    if when:
        entry["when"] = {"timespans": [_timespan(when)]}
    return entry


def _role_type(role: Role) -> dict[str, Any]:
    """A role as a Linked Places type in time: "capital of the Republic of China", 1927–37."""
    found: dict[str, Any] = {"label": role.text()}
    if role.when:
        found["when"] = {"timespans": [_timespan(role.when)]}
    return found


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
    return [_counted(count, what) for what, count in counts.items() if count]


def _counted(count: int, what: str) -> str:
    """ "1 event left out", "2 places' control left out": the noun a note begins with, counted."""
    noun, _, rest = what.partition(" ")
    one = {"events": "event", "periods": "period", "places": "place", "places'": "place's"}.get(noun, noun)
    return f"{count} {one if count == 1 else noun} {rest}".rstrip()


def _citation(label: str, url: str | None) -> dict[str, str]:
    return {"label": label, "@id": url} if url else {"label": label}


def _timespan(when: EdtfDate) -> dict[str, Any]:
    """An EDTF date as a timespan: its first side the start, its last the end. An open
    start is a start "at the latest" its end; an open end no end (a start alone)."""
    sides = when.text.split("/")
    start, end = sides[0], sides[-1]
    if start in ("", ".."):
        return {"start": {"latest": end}, "end": {"in": end}}
    if len(sides) > 1 and end in ("", ".."):  # from then on: a start alone, as the spec's examples write it
        return {"start": {"in": start}}
    # A single date ends where it starts: a start alone would read as "from then on".
    return {"start": {"in": start}, "end": {"in": end}}
