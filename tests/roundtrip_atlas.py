"""For tests/test_roundtrip.py: a BCE atlas written as an author would, and an atlas's
records described field by field (as `atlas check` reads them: dates as written, shapes
as the geometry they draw), so that two atlases can be compared and their differences
named (`event.date`, `place.geometry`, `places` for records that did not come back)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from atlas.building.pipeline import check
from atlas.geo.resolve import event_areas
from atlas.source.dates import EdtfDate
from atlas.source.model import Atlas, GeoJsonFile, Point, Polygon

ATLAS_YAML = """\
title: "Rome and Carthage <script>alert(1)</script>"
subtitle: From the first war with Carthage to Actium
language: en
credits: "Written for the round-trip tests; {{ not a template }} and ${not code}"
view: {center: [40.0, 14.0], zoom: 5}
media: {remote: true}
categories:
  war: {label: War, colour: "#90141F"}
  politics: {label: Politics, colour: "#0C4D94"}
controls:
  Roman: {label: Roman, colour: "#678001"}
  Carthaginian: {label: Carthaginian, colour: "#0B5668"}
  "Greek: allied, #1": {label: "Allied <b>to</b> Rome {{ x }}"}
"""

PLACES_YAML = """\
- id: rome
  name: Rome
  kind: city
  coordinates: [41.893, 12.483]
  names:
    - {name: Roma, lang: la, when: "-0752/0476"}
    - {name: Rome, lang: en, when: "0477/.."}
  description: The city on the Tiber.
  sources:
    - {label: "Pleiades, 'Roma'", url: "https://pleiades.stoa.org/places/423025"}
- id: cannae
  name: Cannae
  kind: site
  coordinates: [41.306, 16.132]
  mapped: "-0263/.."
  note: "Pleiades gives the hill town; the battlefield lies on the plain below (an author's note)."
  sources:
    - {label: "Pleiades, 'Cannae'", url: "https://pleiades.stoa.org/places/442555"}
- id: brundisium
  name: Brundisium
  coordinates: [40.638, 17.946]
- id: actium
  name: Actium
  kind: site
  coordinates: [38.95, 20.77]
- id: syracuse
  name: Syracuse
  kind: city
  coordinates: [37.075, 15.287]
  control:
    - {value: Carthaginian, when: "-0263/-0262"}
    - {value: "Greek: allied, #1", when: "-0262/-0212"}
    - {value: Roman, when: "-0211/0476"}
- id: via-appia
  name: Via Appia
  kind: road
  via: [rome, brundisium]
  when: "-0311/.."
- id: sicily
  name: Sicilia
  kind: province
  polygon: [[38.3, 12.4], [38.2, 15.6], [36.7, 15.1], [37.5, 12.5]]
  when: "-0240/0440"
"""

EVENTS_YAML = """\
- id: first-punic-war
  date: "-0263~"
  title: The first war with Carthage begins
  places: [syracuse]
  category: war
  summary: "Rome crosses to Sicily. <img src=x onerror=alert(1)> `rm -rf` {{ x }}"
  sources:
    - {label: "Polybius, Histories 1.10-11"}
- id: second-punic-war
  date: "-0217/-0200"
  title: The second war with Carthage
  places: [cannae, syracuse]
  category: war
  area: [[41.5, 15.5], [41.5, 16.8], [40.9, 16.8], [40.9, 15.5]]
  sources:
    - {label: "Livy, books 21-30"}
- id: battle-of-cannae
  date: "-0215-08-02"
  title: Battle of Cannae
  note: "Polybius and Livy differ on the numbers; the day is Macrobius's (an author's note)."
  places: [cannae]
  category: war
  view: {center: [41.3, 16.1], zoom: 9}
  media:
    - url: "https://upload.wikimedia.org/wikipedia/commons/b/b1/Battle_cannae_destruction.gif"
      alt: The Roman army surrounded at Cannae
      credit: "Frank Martini, US Military Academy (public domain)"
  sources:
    - {label: "Polybius, Histories 3.107-117", url: "https://penelope.uchicago.edu/Thayer/E/Roman/Texts/Polybius/3*.html"}
- id: caesar-murdered
  date: "-0043-03-15"
  title: Caesar is murdered
  places: [rome]
  category: politics
  sources:
    - {label: "Suetonius, Divus Julius 82"}
- id: march-to-brundisium
  date: "-0048"
  title: Caesar marches to Brundisium
  places: [rome, brundisium]
  category: war
  route: [rome, brundisium]
  sources:
    - {label: "Caesar, Civil War 3.2"}
- id: battle-of-actium
  date: "-0030-09-02"
  title: Battle of Actium
  places: [actium]
  category: war
  media:
    - quote: Antony fled.
      source: "Plutarch, Antony 66"
  sources:
    - {label: "Cassius Dio 50-51"}
- id: an-undated-legend
  title: The geese of the Capitol
  places: [rome]
  category: politics
  sources:
    - {label: "Livy 5.47"}
- id: excavations
  date: "1945?"
  title: Excavations resume
  places: [cannae]
  category: politics
  sources:
    - {label: "An excavation report"}
"""

PERIODS_YAML = """\
- id: punic-wars
  title: The wars with Carthage
  when: "-0263/-0145"
  summary: Rome against Carthage.
  note: "The period starts with the First Punic War (an author's note)."
  view: {center: [39.0, 14.0], zoom: 5}
- id: civil-wars
  title: The civil wars
  when: "-0048/-0029"
- id: empire
  title: The empire and after
  when: "-0029/1899"
- id: modern
  title: Modern times
  when: "1900/2000"
"""


def write_bce_atlas(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name, text in (("atlas.yaml", ATLAS_YAML), ("places.yaml", PLACES_YAML), ("events.yaml", EVENTS_YAML),
                       ("periods.yaml", PERIODS_YAML)):
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _plain(value: Any) -> Any:
    """A checked value as plain data: dates as written, records without their line."""
    if isinstance(value, EdtfDate):
        return value.text
    if isinstance(value, Point):
        return [value.lat, value.lon]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name != "origin"}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, Path):
        return str(value)
    return value


def _closed(geometry: dict[str, Any]) -> dict[str, Any]:
    """A geometry with its rings closed (an author need not repeat a ring's first point)."""
    if geometry.get("type") == "Polygon":
        rings = [ring if ring[0] == ring[-1] else [*ring, ring[0]] for ring in geometry["coordinates"]]
        return {"type": "Polygon", "coordinates": rings}
    return {key: geometry[key] for key in ("type", "coordinates", "geometries") if key in geometry}


def _area(atlas: Atlas, area: Polygon | GeoJsonFile | None, files: dict[str, Any]) -> Any:
    if isinstance(area, Polygon):
        return _closed({"type": "Polygon", "coordinates": [[[p.lon, p.lat] for p in area.ring]]})
    return _closed(files[area.written]) if isinstance(area, GeoJsonFile) else None


def described(folder: Path) -> dict[str, Any]:
    """The atlas in `folder` (which `atlas check` accepts), each record by id, field by field."""
    atlas, geometry = check(folder)
    areas, _ = event_areas(atlas)
    settings = _plain(atlas.info)
    del settings["templates_trusted"]
    places = {}
    for place in atlas.places:
        fields = _plain(place)
        del fields["shape"]
        fields["geometry"] = _closed(geometry[place.id])
        places[place.id] = fields
    events = {}
    for event in atlas.events:
        fields = _plain(event)
        fields["area"] = _area(atlas, event.area, areas)
        events[event.id] = fields
    periods = {period.id: _plain(period) for period in atlas.periods}
    return {"settings": settings, "place": places, "event": events, "period": periods}


# What names a record when its id did not come back (a TimelineJS era, a story map's slide).
NAMED_BY = {"place": "name", "event": "title", "period": "title"}


def _matched(old: dict[str, Any], new: dict[str, Any], kind: str) -> tuple[list[tuple[str, str]], bool]:
    """Pairs of (old id, new id): by id, else by name or title (then the second is True)."""
    pairs = [(key, key) for key in old if key in new]
    by_name = {record[NAMED_BY[kind]]: key for key, record in new.items() if key not in old}
    renamed = [(key, by_name[record[NAMED_BY[kind]]]) for key, record in old.items()
               if key not in new and record[NAMED_BY[kind]] in by_name]
    return pairs + renamed, bool(renamed)


def losses(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    """What differs, by name: `settings.FIELD`; `KIND.FIELD` where a record that came back
    differs (`KIND.id`: it came back under another id, found by its name or title);
    `KINDs` where records did not come back at all, `KINDs+` where records were added."""
    found = {f"settings.{key}" for key, value in before["settings"].items() if after["settings"].get(key) != value}
    for kind in ("place", "event", "period"):
        old, new = before[kind], after[kind]
        pairs, renamed = _matched(old, new, kind)
        if renamed:
            found.add(f"{kind}.id")
        if len(pairs) < len(old):
            found.add(f"{kind}s")
        if len(pairs) < len(new):
            found.add(f"{kind}s+")
        for first, second in pairs:
            found |= {f"{kind}.{name}" for name, value in old[first].items()
                      if name != "id" and new[second].get(name) != value}
    return found


def differences(before: dict[str, Any], after: dict[str, Any], loss: str) -> str:
    """One loss shown in full, for a failing test's message."""
    kind, _, name = loss.partition(".")
    if kind == "settings":
        return f"{loss}: {before['settings'].get(name)!r} -> {after['settings'].get(name)!r}"
    if not name:
        plural = kind.rstrip("+")[:-1]
        return f"{loss}: before {sorted(before[plural])[:8]}, after {sorted(after[plural])[:8]}"
    pairs, _ = _matched(before[kind], after[kind], kind)
    shown = [f"{first}: {json.dumps(before[kind][first].get(name), default=str)[:200]} -> "
             f"{json.dumps(after[kind][second].get(name), default=str)[:200]}"
             for first, second in pairs if after[kind][second].get(name) != before[kind][first].get(name)]
    return f"{loss}: " + "; ".join(shown[:3])
