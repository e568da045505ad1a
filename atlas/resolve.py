"""Give every place a GeoJSON geometry: points as written or geocoded, lines through
their stops, regions from inline polygons or GeoJSON files.

Geocoded places are answered from `geocoded.json` only: the build never touches the
network (`atlas geocode` fills the cache).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .errors import Origin, Problem, display_path
from .model import Atlas, Geocoded, GeoJsonFile, Place, Point, Polygon, Via

Geometry = dict[str, Any]
CACHE_NAME = "geocoded.json"
GEOMETRY_TYPES = {"Polygon", "MultiPolygon", "LineString", "MultiLineString", "Point", "MultiPoint"}


def read_cache(folder: Path) -> dict[str, Any]:
    """The geocoder's answers by place id ({} when there is no cache yet)."""
    path = folder / CACHE_NAME
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    places = data.get("places", {}) if isinstance(data, dict) else {}
    return places if isinstance(places, dict) else {}


def geometries(atlas: Atlas) -> tuple[dict[str, Geometry], list[Problem]]:
    """Each place's geometry (GeoJSON, longitude first), and the places that have none."""
    problems: list[Problem] = []
    try:
        cache = read_cache(atlas.source_dir)
    except (OSError, ValueError) as err:
        cache = {}
        problems.append(Problem(_origin_of(atlas.source_dir / CACHE_NAME), f"cannot read the geocoder cache: {err}"))
    points: dict[str, Geometry] = {}
    for place in atlas.places:
        if not isinstance(place.shape, Via):
            geometry = _own_geometry(place, cache, problems)
            if geometry is not None:
                points[place.id] = geometry
    for place in atlas.places:
        if isinstance(place.shape, Via):
            coords = [points[stop]["coordinates"] for stop in place.shape.stops if stop in points]
            if len(coords) == len(place.shape.stops):
                points[place.id] = {"type": "LineString", "coordinates": coords}
    return points, problems


def _origin_of(path: Path) -> Origin:
    return Origin(display_path(path), 1)


def _own_geometry(place: Place, cache: dict[str, Any], problems: list[Problem]) -> Geometry | None:
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
        return _file_geometry(place, shape, problems)
    return None


def _cached_point(place: Place, shape: Geocoded, cache: dict[str, Any], problems: list[Problem]) -> Geometry | None:
    answer = cache.get(place.id)
    if not isinstance(answer, dict) or answer.get("query") != shape.query:
        problems.append(Problem(place.origin, f"place '{place.id}' is not geocoded yet; run atlas geocode"))
        return None
    lat, lon = answer.get("lat"), answer.get("lon")
    if not isinstance(lat, (int, float)) or not isinstance(lon, (int, float)):
        message = f"place '{place.id}' has a broken answer in {CACHE_NAME}; run atlas geocode --refresh"
        problems.append(Problem(place.origin, message))
        return None
    return {"type": "Point", "coordinates": [float(lon), float(lat)]}


def _file_geometry(place: Place, shape: GeoJsonFile, problems: list[Problem]) -> Geometry | None:
    try:
        data = json.loads(shape.path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        problems.append(Problem(place.origin, f"cannot read GeoJSON file {display_path(shape.path)}: {err}"))
        return None
    geometry = _first_geometry(data)
    if geometry is None:
        problems.append(Problem(place.origin, f"{display_path(shape.path)} holds no Polygon, LineString or Point geometry"))
    return geometry


def _first_geometry(data: Any) -> Geometry | None:
    """A geometry from a bare geometry, a Feature, or a FeatureCollection's first feature."""
    if not isinstance(data, dict):
        return None
    if data.get("type") == "FeatureCollection":
        features = data.get("features") or [None]
        return _first_geometry(features[0])
    if data.get("type") == "Feature":
        return _first_geometry(data.get("geometry"))
    if data.get("type") in GEOMETRY_TYPES and isinstance(data.get("coordinates"), list):
        return {"type": data["type"], "coordinates": data["coordinates"]}
    return None
