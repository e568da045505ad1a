"""Give every place a GeoJSON geometry: points as written or geocoded, lines through
their stops, regions from inline polygons or GeoJSON files.

Geocoded places are answered from `geocoded.json` only: the build never touches the
network (`atlas geocode` fills the cache).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from atlas.errors import Origin, Problem, display_path
from atlas.geo.geocache import CACHE_NAME, Answer, Cache
from atlas.source.geometry import geometry_problem, rings_cross
from atlas.source.model import Atlas, Geocoded, GeoJsonFile, Place, Point, Polygon, Via
from atlas.util import files

Geometry = dict[str, Any]
GEOMETRY_TYPES = {"Polygon", "MultiPolygon", "LineString", "MultiLineString", "Point", "MultiPoint"}


def geometries(atlas: Atlas) -> tuple[dict[str, Geometry], list[Problem]]:
    """Each place's geometry (GeoJSON, longitude first), and the places that have none."""
    problems: list[Problem] = []
    try:
        cache: dict[str, Answer] | None = Cache.load(atlas.source_dir).answers
    except (OSError, ValueError) as err:
        cache = None  # reported once here, not again for every place it would have answered
        problems.append(Problem(_origin_of(atlas.source_dir / CACHE_NAME), f"cannot read the geocoder cache: {err}"))
    points: dict[str, Geometry] = {}
    for place in atlas.places:
        if not isinstance(place.shape, Via):
            geometry = _own_geometry(place, cache, atlas.source_dir, problems)
            if geometry is not None:
                points[place.id] = geometry
    for place in atlas.places:
        if isinstance(place.shape, Via):
            coords = [[stop.lon, stop.lat] if isinstance(stop, Point) else points[stop]["coordinates"]
                      for stop in place.shape.stops if isinstance(stop, Point) or stop in points]
            if len(coords) == len(place.shape.stops):
                points[place.id] = {"type": "LineString", "coordinates": coords}
    return points, problems


def _origin_of(path: Path) -> Origin:
    return Origin(display_path(path), 1)


def _own_geometry(place: Place, cache: dict[str, Answer] | None, source_dir: Path,
                  problems: list[Problem]) -> Geometry | None:
    shape = place.shape
    if isinstance(shape, Point):
        return {"type": "Point", "coordinates": [shape.lon, shape.lat]}
    if isinstance(shape, Polygon):
        ring = [[p.lon, p.lat] for p in shape.ring]
        if ring[0] != ring[-1]:
            ring.append(ring[0])  # GeoJSON rings are closed; authors need not repeat the first point
        return {"type": "Polygon", "coordinates": [ring]}
    if isinstance(shape, Geocoded):
        return _cached_point(place, shape, cache, problems)
    if isinstance(shape, GeoJsonFile):
        return _file_geometry(f"place '{place.id}'", place.origin, shape, source_dir, problems)
    return None


def event_areas(atlas: Atlas) -> tuple[dict[str, Geometry], list[Problem]]:
    """The geometry of each GeoJSON file that an event's `area` names, by its path."""
    areas: dict[str, Geometry] = {}
    problems: list[Problem] = []
    for event in atlas.events:
        area = event.area
        if isinstance(area, GeoJsonFile) and area.written not in areas:
            origin = area.origin or event.origin
            geometry = _file_geometry(f"the area of event '{event.id}'", origin, area, atlas.source_dir, problems)
            if geometry is not None and "Polygon" not in geometry["type"]:
                problems.append(Problem(origin, f"the area of event '{event.id}' should be a Polygon or "
                                        f"MultiPolygon, but {display_path(area.path)} holds a {geometry['type']}"))
            elif geometry is not None:
                areas[area.written] = geometry
    return areas, problems


def _cached_point(place: Place, shape: Geocoded, cache: dict[str, Answer] | None,
                  problems: list[Problem]) -> Geometry | None:
    if cache is None:
        return None
    answer = cache.get(place.id)
    if answer is None or not answer.answers(shape.query, shape.hints(place.kind)):
        problems.append(Problem(place.origin, f"place '{place.id}' is not geocoded yet; run atlas geocode"))
        return None
    if answer.doubt:  # kept until the author checks it: then coordinates, a hint or another query ask anew
        problems.append(Problem(place.origin, f"place '{place.id}': doubtful geocoder match {answer.display_name} "
                                f"for '{answer.query}': {answer.doubt} (once checked, remove its \"doubt\" from "
                                "geocoded.json)", warning=True))
    return {"type": "Point", "coordinates": [answer.lon, answer.lat]}


def _file_geometry(what: str, origin: Origin, shape: GeoJsonFile, source_dir: Path,
                   problems: list[Problem]) -> Geometry | None:
    shown = display_path(shape.path)
    try:
        data = json.loads(files.read_text(source_dir, shape.path))
    except files.Unreadable as err:
        problems.append(Problem(origin, f"cannot read GeoJSON file {shown}: it {err}"))
        return None
    except json.JSONDecodeError as err:
        problems.append(Problem(Origin(shown, err.lineno), f"not valid JSON ({err.msg}), in the GeoJSON file of {what}"))
        return None
    except ValueError:  # an integer of more digits than Python reads
        problems.append(Problem(Origin(shown, 1), f"a number in the GeoJSON file of {what} has too many digits"))
        return None
    except RecursionError:
        problems.append(Problem(Origin(shown, 1), f"nested too deeply to be GeoJSON ({what})"))
        return None
    geometry, where = _first_geometry(data)
    problem = geometry_problem(geometry) if geometry is not None else where
    if problem:
        problems.append(Problem(origin, f"GeoJSON file {shown}: {problem}"))
        return None
    assert geometry is not None
    if geometry["type"] in ("Polygon", "MultiPolygon"):
        rings = geometry["coordinates"] if geometry["type"] == "Polygon" else [r for p in geometry["coordinates"] for r in p]
        if rings_cross(rings):
            problems.append(Problem(origin, f"GeoJSON file {shown}: a ring of {what} crosses itself, "
                                    "so what lies inside it is unclear", warning=True))
    return {"type": geometry["type"], "coordinates": geometry["coordinates"]}


def _first_geometry(data: Any) -> tuple[Any, str]:
    """A geometry from a bare geometry, a Feature, or a FeatureCollection's first feature
    (or None, and what the file holds instead)."""
    if not isinstance(data, dict):
        return None, "the file should hold a GeoJSON object (a geometry, a Feature or a FeatureCollection)"
    if data.get("type") == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list) or not features:
            return None, "a FeatureCollection's 'features' should be a non-empty list"
        return _first_geometry(features[0])
    if data.get("type") == "Feature":
        return _first_geometry(data.get("geometry"))
    kind = data.get("type")
    if isinstance(kind, str) and kind in GEOMETRY_TYPES:
        return data, ""
    return None, f"holds no Polygon, LineString or Point geometry (its type is {str(kind)[:40]!r})"
