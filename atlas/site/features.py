"""The GeoJSON features of the maps: what each place and event looked like in a period.

Places are written once for the whole atlas, in a catalogue every page shares
(`assets/places.<hash>.js`): each place's feature with what never changes (its
geometry, kind, description, sources), and each distinct look it has over the periods
(its name then, who controlled it, its style). A period's page then names, for each of
its places, which look it has: a page is small however many places the atlas holds,
and each place's text is written once, not once a page.

Styles are decided here, in Python, from a place's kind and from who controlled it in
the period (legend.py holds the encodings); colours come from one palette for the
whole atlas, so that "Japanese" is the same colour on every page.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from atlas.geo.resolve import Geometry
from atlas.site import legend
from atlas.site.changes import Change
from atlas.site.i18n import N_, current_language, gettext, translations
from atlas.site.legend import Entry, Palette
from atlas.site.media import Extras, Picture, media_json
from atlas.site.views import PeriodView, PlaceState
from atlas.source.dates import EdtfDate
from atlas.source.model import Atlas, Event, GeoJsonFile, Place, Point, Polygon, Route, Source
from atlas.source.names import names_in_time
from atlas.source.translations import lang_of

Feature = dict[str, Any]


def sources_json(sources: Iterable[Source]) -> list[dict[str, str | None]]:
    return [{"label": source.label, "url": source.url} for source in sources]


def shape_of(geometry: Geometry) -> str:
    kind = geometry["type"]
    return "area" if "Polygon" in kind else "line" if "LineString" in kind else "point"


# Which names the map places first when labels would collide (lower first; 0 is for the
# places of the period's events). Areas come after the cities: their names are long and
# lie over the places inside them, and their colour and popup name them anyway.
RANKS = {"capital": 1, "city": 2, "port": 2, "state": 3, "territory": 3, "town": 4, "region": 5, "site": 5,
         "station": 6}
# Minor places are drawn only from the zoom at which a map has room to name them (the
# places of the period's events always are): a crowded view stays legible, and zooming
# in brings them, with their names.
MIN_ZOOMS = {"town": 4, "site": 4, "station": 5}


class PlaceCatalogue:
    """Every place's feature and its distinct looks, shared by all the pages of a build.

    A place that never changes has one look; a changing one has a look for each state it
    is in over the periods, all found when the catalogue is made (pages may be rendered in
    other processes, after the catalogue is written)."""

    def __init__(self, atlas: Atlas, geometry: dict[str, Geometry], palette: Palette,
                 views: Sequence[PeriodView]) -> None:
        self.geometry, self.palette, self.places = geometry, palette, atlas.place_by_id
        drawn_again = {place.outline_of for place in atlas.places if place.outline_of}
        self.outlines = {place.id for place in atlas.places if place.outline_of or place.id in drawn_again}
        # (Without periods, a gazetteer's, the places that never change are worked out here.)
        static = views[0].static if views else {p.id: PlaceState(p.name, (), (), ()) for p in atlas.places
                                                 if not p.changes}
        self.entries: dict[str, dict[str, Any]] = {}
        self.looks: dict[tuple[str, PlaceState], int] = {}
        self.extents: dict[str, list[list[float]]] = {}
        self.points: dict[str, list[float]] = {}
        legend: dict[tuple[str, str, str], Entry] = {}
        for place in atlas.places:
            if place.id not in geometry:
                continue
            entry = self._add(place, place.id not in static)
            if place.id in static:
                entry["s"].append(self._look(place, static[place.id]))
                for item in _place_entries(place.kind, entry["f"]["properties"]["shape"], "", palette, current_language()):
                    legend.setdefault((item.section, item.shape, item.label), item)
        for view in views:
            for place_id, state in view.dynamic.items():
                if place_id in self.entries:
                    self._find_look(self.places[place_id], state)
        # A gazetteer (no dated event) draws every place on its index, named as its entry names it,
        # with its names over time: the look of each changing place there.
        # (None: the atlas has dated events, and its index draws them, not its places.)
        self.timeless = None if any(e.date for e in atlas.events) else {
            place.id: self._timeless_look(place) for place in atlas.changing_places if place.id in self.entries}
        self.static_legend = list(legend.values())
        self.static_drawn = sum(1 for p in static if p in self.entries)  # drawn on every page
        self.static_extent = _union([self.extents[p] for p in static if p in self.extents])

    def add_media(self, atlas: Atlas, pictures: dict[str, Picture]) -> None:
        """The places' media, their addresses from the site's top folder (a page puts its
        own way there in front: the catalogue is shared by pages at different depths)."""
        for place in atlas.places:
            if place.media and place.id in self.entries:
                self.entries[place.id]["f"]["properties"]["media"] = media_json(place.media, pictures, "")

    def look(self, place: Place, state: PlaceState) -> int:
        """Which of a changing place's looks `state` is."""
        index = self.looks.get((place.id, state))
        if index is None:
            raise RuntimeError(f"a look of {place.id} that its catalogue lacks")  # a bug: every view is known
        return index

    def _find_look(self, place: Place, state: PlaceState) -> int:
        key = (place.id, state)
        index = self.looks.get(key)
        if index is None:
            entry = self.entries[place.id]
            index = len(entry["s"])
            entry["s"].append(self._look(place, state))
            self.looks[key] = index
        return index

    def _timeless_look(self, place: Place) -> int:
        index = self._find_look(place, PlaceState(place.name, (), (), ()))
        history = names_in_time(place)
        if history:
            self.entries[place.id]["s"][index]["history"] = history
        return index

    def _add(self, place: Place, changing: bool) -> dict[str, Any]:
        geometry = self.geometry[place.id]
        shape = shape_of(geometry)
        self.extents[place.id] = bounds([{"geometry": geometry}]) or [[0, 0], [0, 0]]
        self.points[place.id] = representative_point(geometry)  # where its events are pinned
        entry: dict[str, Any] = {"f": {"type": "Feature", "id": place.id, "geometry": geometry, "properties": {
            "type": "place", "id": place.id, "kind": place.kind, "kind_label": legend.kind_label(place.kind),
            "shape": shape, "anchor": None if shape == "point" else _anchor(geometry),
            "description": place.description, "sources": sources_json(place.sources),
            # An outline of a state drawn at other times with others: its years are the outline's, not the state's.
            "existed": place.when.display(current_language()) if place.when and place.id not in self.outlines else "",
            "outline": place.when.display(current_language()) if place.when and place.id in self.outlines else "",
            "rank": 8 if shape == "line" else RANKS.get(place.kind, 7), "min_zoom": MIN_ZOOMS.get(place.kind, 0),
        }}, "s": [], "d": 1 if changing else 0}
        self.entries[place.id] = entry
        return entry

    def _look(self, place: Place, state: PlaceState) -> dict[str, Any]:
        shape = self.entries[place.id]["f"]["properties"]["shape"]
        kind = state.kind or place.kind  # a capital only while it is one
        symbol = self.palette.control(state.control[0]) if state.control else None
        style = legend.point_style(kind) if shape == "point" else legend.line_style(
            symbol, kind) if shape == "line" else legend.area_style(kind, symbol)
        history = [f"{self.palette.control(value).label} ({dates})" if dates else self.palette.control(value).label
                   for value, dates in state.control_history]
        look: dict[str, Any] = {"name": state.name, "others": list(state.others), "control": list(state.control),
                                "control_history": history, "style": style}
        if state.roles:
            look["roles"] = list(state.roles)
        if state.kind:
            look.update({"kind": kind, "kind_label": legend.kind_label(kind), "rank": RANKS.get(kind, 7),
                         "min_zoom": MIN_ZOOMS.get(kind, 0)})
        return look

    def script(self) -> str:
        """The catalogue as a script for the pages, a list in the atlas's order: its JSON is
        parsed by JSON.parse from a string (faster than an object literal), escaped so that
        no text can end the string or, inline, the <script> element. Each entry: "f" the
        feature, "s" its looks, "d" 1 when it changes (a page then names its look)."""
        data = json.dumps(list(self.entries.values()), sort_keys=True, separators=(",", ":"))  # ASCII only
        quoted = data.replace("\\", "\\\\").replace("'", "\\'").replace("<", "\\x3c")
        return f"window.Atlas=window.Atlas||{{}};Atlas.places=JSON.parse('{quoted}');\n"


# From this many features on one map (places and events), the page draws them on a canvas
# rather than as one SVG element each, and gathers its events into counts at low zooms:
# a browser lays out tens of thousands of SVG elements slowly, and pans them slower.
DENSE_FEATURES = 1500


@dataclass(frozen=True)
class PeriodFeatures:
    """A period's map: the look of each of its changing places (the others are drawn as
    they always are), its events, what to mark, and its legend's entries."""

    looks: dict[str, int]
    events: list[Feature]
    legend: list[Entry]
    extent: list[list[float]] | None  # everything drawn
    focus: list[list[float]] | None  # where the events are (else everything)
    marks: dict[str, Any] = field(default_factory=dict)  # "events": places of its events; "changes"
    drawn: int = 0  # how many features its map draws

    @property
    def dense(self) -> bool:
        return self.drawn >= DENSE_FEATURES


@dataclass(frozen=True)
class PlacesPart:
    """What a period's map owes to its places alone: the look of each changing place, the
    legend's entries for places, where they lie, how many there are, the changes to mark.
    (Kept by an incremental build: a change to events alone leaves it as it was.)"""

    looks: dict[str, int]
    entries: list[Entry]  # in the order they were found: the first of equal entries wins
    extent: list[list[float]] | None
    drawn: int
    changes: dict[str, list[str]]  # place id → [kind, text]: what the map marks as changed


def places_part(view: PeriodView, catalogue: PlaceCatalogue, palette: Palette,
                changes: Sequence[Change] = ()) -> PlacesPart:
    looks: dict[str, int] = {}
    entries = {(e.section, e.shape, e.label): e for e in catalogue.static_legend}
    boxes = [catalogue.static_extent] if catalogue.static_extent else []
    for place_id, state in view.dynamic.items():
        entry = catalogue.entries.get(place_id)
        if entry is None:
            continue  # a place without a geometry (a broken one, already reported)
        place = catalogue.places[place_id]
        looks[place_id] = catalogue.look(place, state)
        boxes.append(catalogue.extents[place_id])
        control = state.control[0] if state.control else ""
        for item in _place_entries(state.kind or place.kind, entry["f"]["properties"]["shape"], control, palette,
                                       current_language()):
            entries.setdefault((item.section, item.shape, item.label), item)
    marked: dict[str, list[str]] = {}
    for c in changes:  # a place's changes in the panel's order, its first naming the mark's kind
        if c.drawn:
            told = f"{c.text}{', ' + c.date if c.date else ''}"
            marked[c.place] = [marked[c.place][0], f"{marked[c.place][1]}; {told}"] if c.place in marked else [c.kind, told]
    return PlacesPart(looks, list(entries.values()), _union(boxes), catalogue.static_drawn + len(looks), marked)


def period_features(part: PlacesPart, events: Sequence[Event], names_for: Callable[[Event], Callable[[str], str]],
                    points: Mapping[str, list[float]], palette: Palette, extras: Extras | None = None,
                    when: EdtfDate | None = None, root: str = "../") -> PeriodFeatures:
    """A period's map: its places' part, and its events (named as their places were then,
    with the routes that overlap the period `when`); `root` is the way from the page to the
    build's top folder."""
    entries = {(e.section, e.shape, e.label): e for e in part.entries}
    candidates = [event_feature(names_for(event), event, points, palette, extras or Extras(), root, when)
                  for event in events]
    features = [feature for feature in candidates if feature is not None]
    for event in events:
        symbol = palette.category(event.category)
        entries.setdefault(("Events", "event", symbol.label), Entry("Events", "event", symbol.label, symbol.colour))
    for entry in movement_entries(features):
        entries.setdefault((entry.section, entry.shape, entry.label), entry)
    focus = bounds(features)
    extent = _union([box for box in (part.extent, focus) if box])
    marks = {"events": sorted({ref for event in events for ref in event.places}), "changes": part.changes}
    return PeriodFeatures(part.looks, features, legend.ordered(entries), extent, focus or extent, marks,
                          part.drawn + len(features))


def _union(boxes: Sequence[list[list[float]]]) -> list[list[float]] | None:
    if not boxes:
        return None
    return [[min(b[0][0] for b in boxes), min(b[0][1] for b in boxes)],
            [max(b[1][0] for b in boxes), max(b[1][1] for b in boxes)]]


@functools.lru_cache(maxsize=4096)
def _place_entries(kind: str, shape: str, control: str, palette: Palette, lang: str) -> tuple[Entry, ...]:
    """The legend's entries for a place of this kind and shape, under this control, in the
    language `lang` (the current one: it is part of what is remembered)."""
    found = []
    if control:
        symbol = palette.control(control)
        label = gettext("%(kind)s control: %(control)s") % {"kind": legend.kind_label(kind), "control": symbol.label} \
            if shape == "line" else gettext("Area under %(control)s control") % {"control": symbol.label}
        found.append(Entry("Control", shape, label, symbol.colour, symbol.dash if shape == "line" else None))
    if shape == "point":
        style = legend.point_style(kind)
        found.append(Entry("Places", "point", legend.kind_label(kind), style["color"], style.get("dashArray"),
                           style["fillColor"], style["radius"]))
    elif kind == "border":
        found.append(Entry("Places", shape, legend.kind_label(kind), str(legend.BORDER["color"]),
                           str(legend.BORDER["dashArray"])))
    elif kind == "route" and shape == "line" and not control:
        found.append(Entry("Places", shape, legend.kind_label(kind), str(legend.ROUTE["color"]),
                           str(legend.ROUTE["dashArray"])))
    elif not control:
        dash = legend.AREA_DASHES.get(kind, legend.AREA_DEFAULT_DASH) if shape == "area" else None
        found.append(Entry("Places", shape, legend.kind_label(kind), legend.NEUTRAL, dash))
    return tuple(found)


def _anchor(geometry: Geometry) -> list[float]:
    """Where a line's or an area's name goes, as [lat, lon]."""
    lon, lat = representative_point(geometry)
    return [lat, lon]


ROUTE_LABEL = N_("Movement (the arrow shows its direction)")
AREA_LABEL = N_("Area of an event (a front, a zone)")


def movement_entries(features: Sequence[Feature]) -> list[Entry]:
    """The legend's entries for the routes and areas the events draw, if any do."""
    found = []
    if any(feature["properties"].get("routes") for feature in features):
        found.append(Entry("Events", "route", gettext(ROUTE_LABEL), legend.INK))
    if any(feature["properties"].get("area") for feature in features):
        found.append(Entry("Events", "area", gettext(AREA_LABEL), legend.INK, "6 4"))
    return found


def event_feature(name_of: Callable[[str], str], event: Event, points: Mapping[str, list[float]],
                  palette: Palette, extras: Extras | None = None, root: str = "../",
                  when: EdtfDate | None = None) -> Feature | None:
    """An event's dot (or dots) on a map, with its places named as `name_of` names them;
    its routes and its area, if it has them, ride along in its properties (the page draws
    them under the dots, in the event's colour). `root` is the way from its page to the
    site's top folder, where its media are; a route with its own dates is drawn only on a
    period `when` they overlap."""
    extras = extras or Extras()
    shown = [route for route in event.routes if route.shown_in(when)]
    routes = [route for route in (_route_json(route, points, name_of) for route in shown) if route]
    area = _area_geometry(event.area, extras)
    spots = [points[ref] for ref in event.places if ref in points]
    if not spots:
        # An event drawn by its movement or area alone is pinned where it ends (or in its area).
        spots = [routes[0]["geometry"]["coordinates"][-1]] if routes else [representative_point(area)] if area else []
    if not spots:
        return None
    symbol = palette.category(event.category)
    more: dict[str, Any] = {}
    if routes:
        more["routes"] = routes
    if area:
        more["area"] = area
    if event.media:
        more["media"] = media_json(event.media, extras.pictures, root)
    return {
        "type": "Feature",
        "id": event.id,
        "geometry": _points_geometry(spots),
        "properties": {
            "type": "event",
            "id": event.id,
            "title": event.title,
            **({"lang": lang} if (lang := lang_of(event.title)) and lang_of(event.summary) else {}),
            "date": date_shown(event, current_language()),
            "places": [name_of(ref) for ref in event.places],
            "category": event.category,
            "category_label": symbol.label,
            "summary": event.summary,
            "sources": sources_json(event.sources),
            "style": legend.event_style(symbol.colour),
            **more,
        },
    }


def _route_json(route: Route, points: Mapping[str, list[float]], name_of: Callable[[str], str]) -> Feature | None:
    """A route as the page draws it: its line (longitude first), from its first stop to its last."""
    coords = [[stop.lon, stop.lat] if isinstance(stop, Point) else points.get(stop) for stop in route.stops]
    line = [list(c) for c in coords if c is not None]
    if len(line) < 2:
        return None
    return {"label": route.label, "geometry": {"type": "LineString", "coordinates": line}}


def _area_geometry(area: Polygon | GeoJsonFile | None, extras: Extras) -> Feature | None:
    if isinstance(area, Polygon):
        ring = [[p.lon, p.lat] for p in area.ring]
        return {"type": "Polygon", "coordinates": [ring if ring[0] == ring[-1] else [*ring, ring[0]]]}
    if isinstance(area, GeoJsonFile):
        return extras.areas.get(area.written)
    return None


def _points_geometry(spots: list[list[float]]) -> Geometry:
    if len(spots) == 1:
        return {"type": "Point", "coordinates": spots[0]}
    return {"type": "MultiPoint", "coordinates": spots}


def representative_point(geometry: Geometry) -> list[float]:
    """Where to pin an event that happened at a line or a region: a middle vertex or the mean of the ring."""
    kind, coords = geometry["type"], geometry["coordinates"]
    if kind == "Point":
        return list(coords)
    if kind == "LineString":
        return list(coords[len(coords) // 2])
    if kind == "MultiLineString":
        return list(coords[0][len(coords[0]) // 2])
    ring = coords[0] if kind == "Polygon" else coords[0][0] if kind == "MultiPolygon" else coords
    lon = sum(p[0] for p in ring) / len(ring)
    lat = sum(p[1] for p in ring) / len(ring)
    return [round(lon, 5), round(lat, 5)]


def bounds(features: Iterable[Feature]) -> list[list[float]] | None:
    """[[south, west], [north, east]] of all the features, or None when there are none."""
    lons: list[float] = []
    lats: list[float] = []
    for feature in features:
        properties = feature.get("properties") or {}
        shapes = [feature["geometry"], *(route["geometry"] for route in properties.get("routes", ())),
                  *([properties["area"]] if properties.get("area") else [])]
        for shape in shapes:
            for lon, lat in _positions(shape["coordinates"]):
                lons.append(lon)
                lats.append(lat)
    if not lons:
        return None
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def _positions(coords: Any) -> Iterable[tuple[float, float]]:
    if coords and isinstance(coords[0], (int, float)):
        yield coords[0], coords[1]
        return
    for item in coords:
        yield from _positions(item)


UNDATED = N_("Undated")


def date_shown(event: Event, lang: str = "en") -> str:
    """The event's date in words in the language `lang`, or that it has none (nothing is
    invented for it)."""
    return event.date.display(lang) if event.date else translations(lang).gettext(UNDATED)

