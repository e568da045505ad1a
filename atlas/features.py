"""The GeoJSON features of one period's map: what each place and event looked like then.

Styles are decided here, in Python, from a place's kind and from who controlled it in
the period (legend.py holds the encodings); colours come from one palette for the
whole atlas, so that "Japanese" is the same colour on every page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from . import legend
from .changes import Change
from .dates import overlap_days
from .legend import Entry, Palette
from .model import Atlas, Event, Period, Place, Source
from .periods import control_in, exists_in, name_in
from .resolve import Geometry

Feature = dict[str, Any]


@dataclass(frozen=True)
class PeriodFeatures:
    """The period's features by layer, and its legend's entries."""

    regions: list[Feature]
    lines: list[Feature]
    points: list[Feature]
    events: list[Feature]
    legend: list[Entry]


def sources_json(sources: Iterable[Source]) -> list[dict[str, str | None]]:
    return [{"label": source.label, "url": source.url} for source in sources]


def period_features(atlas: Atlas, period: Period, shown_events: Sequence[Event], geometry: dict[str, Geometry],
                    palette: Palette) -> PeriodFeatures:
    """The period's features; `shown_events` are its events in date order (periods.events_in)."""
    regions: list[Feature] = []
    lines: list[Feature] = []
    points: list[Feature] = []
    entries: dict[tuple[str, str, str], Entry] = {}
    # Where the period's events happened: their names are placed first on the map.
    of_events = {ref for event in shown_events for ref in event.places}
    for place in atlas.places:
        if place.id not in geometry or not exists_in(place, period):
            continue
        shape = _shape(geometry[place.id]["type"])
        feature = _place_feature(place, period, geometry[place.id], shape, palette)
        feature["properties"]["rank"] = label_rank(place, shape, place.id in of_events)
        feature["properties"]["min_zoom"] = 0 if place.id in of_events else MIN_ZOOMS.get(place.kind, 0)
        {"area": regions, "line": lines, "point": points}[shape].append(feature)
        for entry in _place_entries(place, shape, feature["properties"]["control"], palette):
            entries.setdefault((entry.section, entry.shape, entry.label), entry)
    candidates = [event_feature(atlas, event, period, geometry, palette) for event in shown_events]
    events = [feature for feature in candidates if feature is not None]
    for event in shown_events:
        symbol = palette.category(event.category)
        entries.setdefault(("Events", "event", symbol.label), Entry("Events", "event", symbol.label, symbol.colour))
    return PeriodFeatures(regions, lines, points, events, legend.ordered(entries))


def mark_changes(features: PeriodFeatures, changes: Sequence[Change]) -> None:
    """Mark on the map what changed since the previous period (the map's halo and the
    popup's note), so the panel and the map tell the same story."""
    by_place = {change.place: change for change in changes if change.drawn}
    for feature in [*features.regions, *features.lines, *features.points]:
        change = by_place.get(feature["properties"]["id"])
        if change:
            feature["properties"]["change"] = change.kind
            feature["properties"]["change_text"] = f"{change.text}{', ' + change.date if change.date else ''}"


def _shape(geometry_type: str) -> str:
    return "area" if "Polygon" in geometry_type else "line" if "LineString" in geometry_type else "point"


# Which names the map places first when labels would collide (lower first).
# Areas come after the cities: their names are long and lie over the places inside them,
# and their colour and popup name them anyway.
RANKS = {"capital": 1, "city": 2, "port": 2, "state": 3, "territory": 3, "town": 4, "region": 5, "site": 5,
         "station": 6}


# Minor places are drawn only from the zoom at which a map has room to name them (the
# places of the period's events always are): a crowded view stays legible, and zooming
# in brings them, with their names.
MIN_ZOOMS = {"town": 4, "site": 4, "station": 5}


def label_rank(place: Place, shape: str, of_an_event: bool) -> int:
    if of_an_event and shape == "point":
        return 0
    if shape == "line":
        return 8
    return RANKS.get(place.kind, 7)


def _place_entries(place: Place, shape: str, control: list[str], palette: Palette) -> list[Entry]:
    found = []
    if control:
        symbol = palette.control(control[0])
        label = f"{legend.kind_label(place.kind)} control: {symbol.label}" if shape == "line" else \
            f"Area under {symbol.label} control"
        found.append(Entry("Control", shape, label, symbol.colour, symbol.dash if shape == "line" else None))
    if shape == "point":
        style = legend.point_style(place.kind)
        found.append(Entry("Places", "point", legend.kind_label(place.kind), style["color"], style.get("dashArray"),
                           style["fillColor"], style["radius"]))
    elif not control:
        dash = legend.AREA_DASHES.get(place.kind, legend.AREA_DEFAULT_DASH) if shape == "area" else None
        found.append(Entry("Places", shape, legend.kind_label(place.kind), legend.NEUTRAL, dash))
    return found


def _place_feature(place: Place, period: Period, geometry: Geometry, shape: str, palette: Palette) -> Feature:
    naming = name_in(place, period)
    control = control_in(place, period)
    symbol = palette.control(control[0]) if control else None
    partial = _partial(place, period)
    style = legend.point_style(place.kind) if shape == "point" else legend.line_style(symbol, partial) \
        if shape == "line" else legend.area_style(place.kind, symbol, partial)
    return {
        "type": "Feature",
        "id": place.id,
        "geometry": geometry,
        "properties": {
            "type": "place",
            "id": place.id,
            "name": naming.name,
            "others": list(naming.others),
            "kind": place.kind,
            "kind_label": legend.kind_label(place.kind),
            "shape": shape,
            "anchor": None if shape == "point" else _anchor(geometry),
            "control": list(control),
            "control_history": control_history(place, period, palette),
            "description": place.description,
            "sources": sources_json(place.sources),
            "existed": place.when.display() if place.when else "",
            "style": style,
        },
    }


def _anchor(geometry: Geometry) -> list[float]:
    """Where a line's or an area's name goes, as [lat, lon]."""
    lon, lat = representative_point(geometry)
    return [lat, lon]


def control_history(place: Place, period: Period, palette: Palette) -> list[str]:
    """Who controlled the place during the period, in date order, each with its dates."""
    in_force = [item for item in place.control if item.when is None or item.when.overlaps(period.when)]
    in_force.sort(key=lambda item: item.when.sort_key() if item.when else (0, 0, 0, 0, ""))
    labels = [palette.control(item.value).label for item in in_force]
    return [f"{label} ({item.when.display()})" if item.when else label for label, item in zip(labels, in_force, strict=True)]


def _partial(place: Place, period: Period) -> bool:
    """Whether the place began or ended during the period (drawn fainter, its dates in the popup)."""
    if place.when is None:
        return False
    return overlap_days(place.when, period.when) < period.when.days()


def event_feature(atlas: Atlas, event: Event, period: Period, geometry: dict[str, Geometry], palette: Palette) -> Feature | None:
    spots = [representative_point(geometry[ref]) for ref in event.places if ref in geometry]
    if not spots:
        return None
    symbol = palette.category(event.category)
    places = [name_in(atlas.place_by_id[ref], period).name for ref in event.places]
    return {
        "type": "Feature",
        "id": event.id,
        "geometry": _points_geometry(spots),
        "properties": {
            "type": "event",
            "id": event.id,
            "title": event.title,
            "date": event.date.display(),
            "places": places,
            "category": event.category,
            "category_label": symbol.label,
            "summary": event.summary,
            "sources": sources_json(event.sources),
            "style": legend.event_style(symbol.colour),
        },
    }


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
        for lon, lat in _positions(feature["geometry"]["coordinates"]):
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
