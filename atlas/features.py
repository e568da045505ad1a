"""The GeoJSON features of one period's map: what each place and event looked like then.

Styles are decided here, in Python, from a place's kind and from who controlled it in
the period; colours come from one palette for the whole atlas so that "Japanese" is the
same colour on every page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .dates import overlap_days
from .model import Atlas, Event, Period, Place, Source
from .periods import control_in, exists_in, name_in
from .resolve import Geometry

Feature = dict[str, Any]

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C6D31", "#000000")
NEUTRAL = "#555555"
EVENT_COLOUR = "#B2182B"


@dataclass(frozen=True)
class Palette:
    """A colour for each controlling power and each event category, fixed for the atlas."""

    control: dict[str, str]
    category: dict[str, str]


def palette_for(atlas: Atlas) -> Palette:
    values = sorted({item.value for place in atlas.places for item in place.control})
    categories = sorted({event.category for event in atlas.events if event.category})
    return Palette(_assign(values), _assign(categories))


def _assign(keys: Sequence[str]) -> dict[str, str]:
    return {key: PALETTE[index % len(PALETTE)] for index, key in enumerate(keys)}


@dataclass(frozen=True)
class PeriodFeatures:
    """The period's features by layer, and its legend entries (label → colour)."""

    regions: list[Feature]
    lines: list[Feature]
    points: list[Feature]
    events: list[Feature]
    legend: list[tuple[str, str, str]]  # (shape, label, colour)


def sources_json(sources: Iterable[Source]) -> list[dict[str, str | None]]:
    return [{"label": source.label, "url": source.url} for source in sources]


def period_features(atlas: Atlas, period: Period, shown_events: Sequence[Event], geometry: dict[str, Geometry],
                    palette: Palette) -> PeriodFeatures:
    """The period's features; `shown_events` are its events in date order (periods.events_in)."""
    regions: list[Feature] = []
    lines: list[Feature] = []
    points: list[Feature] = []
    legend: dict[tuple[str, str], str] = {}
    # Labelled on the map: where the period's events happened, and capitals; the other
    # points name themselves on hover, so that a crowded map stays legible.
    labelled = {ref for event in shown_events for ref in event.places}
    for place in atlas.places:
        if place.id not in geometry or not exists_in(place, period):
            continue
        feature = _place_feature(place, period, geometry[place.id], palette)
        feature["properties"]["label"] = place.id in labelled or place.kind == "capital"
        kind = geometry[place.id]["type"]
        layer = regions if "Polygon" in kind else lines if "LineString" in kind else points
        layer.append(feature)
        shape = "area" if layer is regions else "line" if layer is lines else "dot"
        label = feature["properties"]["control"][0] if feature["properties"]["control"] else place.kind
        legend.setdefault((shape, label), feature["properties"]["style"]["color"])
    candidates = [_event_feature(atlas, event, period, geometry, palette) for event in shown_events]
    events = [feature for feature in candidates if feature is not None]
    for feature in events:
        props = feature["properties"]
        legend.setdefault(("event", props["category"] or "event"), props["style"]["fillColor"])
    order = {"event": 0, "dot": 1, "line": 2, "area": 3}
    entries = sorted(((shape, label, colour) for (shape, label), colour in legend.items()), key=lambda e: (order[e[0]], e[1]))
    return PeriodFeatures(regions, lines, points, events, entries)


def _place_feature(place: Place, period: Period, geometry: Geometry, palette: Palette) -> Feature:
    naming = name_in(place, period)
    control = control_in(place, period)
    colour = palette.control.get(control[0], NEUTRAL) if control else NEUTRAL
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
            "control": list(control),
            "control_history": control_history(place, period),
            "description": place.description,
            "sources": sources_json(place.sources),
            "existed": place.when.display() if place.when else "",
            "style": _place_style(geometry["type"], colour, bool(control), _partial(place, period)),
        },
    }


def control_history(place: Place, period: Period) -> list[str]:
    """Who controlled the place during the period, in date order, each with its dates."""
    in_force = [item for item in place.control if item.when is None or item.when.overlaps(period.when)]
    in_force.sort(key=lambda item: item.when.sort_key() if item.when else (0, 0, 0, 0, ""))
    return [f"{item.value} ({item.when.display()})" if item.when else item.value for item in in_force]


def _partial(place: Place, period: Period) -> bool:
    """Whether the place began or ended during the period (drawn fainter, its dates in the popup)."""
    if place.when is None:
        return False
    return overlap_days(place.when, period.when) < period.when.days()


def _place_style(geometry_type: str, colour: str, controlled: bool, partial: bool) -> dict[str, Any]:
    if "Polygon" in geometry_type:
        fill = (0.12 if controlled else 0.05) / (2 if partial else 1)
        dashes = "2 6" if partial else "4 3"
        return {"color": colour, "weight": 1.5, "fillColor": colour, "fillOpacity": fill, "dashArray": dashes}
    if "LineString" in geometry_type:
        return {"color": colour, "weight": 4, "opacity": 0.9, "dashArray": "6 6" if partial else None}
    return {"color": "#222222", "weight": 1, "fillColor": "#ffffff", "fillOpacity": 1, "radius": 4}


def _event_feature(atlas: Atlas, event: Event, period: Period, geometry: dict[str, Geometry], palette: Palette) -> Feature | None:
    spots = [representative_point(geometry[ref]) for ref in event.places if ref in geometry]
    if not spots:
        return None
    colour = palette.category.get(event.category, EVENT_COLOUR) if event.category else EVENT_COLOUR
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
            "summary": event.summary,
            "sources": sources_json(event.sources),
            "style": {"color": "#ffffff", "weight": 2, "fillColor": colour, "fillOpacity": 0.95, "radius": 8},
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
