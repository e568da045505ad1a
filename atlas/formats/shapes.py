"""GeoJSON geometries as our place shapes, and back: a Point is `coordinates` (latitude
first), a simple Polygon `polygon`; anything else goes to a GeoJSON file beside the
sources (`geojson:`), which the import writes."""

from __future__ import annotations

import json
from typing import Any

from ..geometry import finite
from .common import Draft, Record


def _position(value: Any) -> bool:
    return isinstance(value, list) and len(value) >= 2 and finite(value[0]) and finite(value[1]) \
        and -180 <= value[0] <= 180 and -90 <= value[1] <= 90


def usable(geometry: Any) -> bool:
    """Whether a GeoJSON geometry has coordinates a map can draw."""
    if not isinstance(geometry, dict):
        return False
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Point":
        return _position(coords)
    if kind in ("LineString", "MultiPoint"):
        return isinstance(coords, list) and len(coords) >= 1 and all(_position(c) for c in coords)
    if kind in ("Polygon", "MultiLineString"):
        return isinstance(coords, list) and bool(coords) and all(
            isinstance(r, list) and r and all(_position(c) for c in r) for r in coords)
    if kind == "MultiPolygon":
        return isinstance(coords, list) and bool(coords) and all(
            isinstance(p, list) and p and all(isinstance(r, list) and r and all(_position(c) for c in r) for r in p)
            for p in coords)
    return False


def add_place(draft: Draft, record: Record, geometry: dict[str, Any] | None) -> None:
    """A place into the draft with its shape's fields, or, without a geometry (None), among
    the places the import leaves out or keeps as geocode queries."""
    if geometry is None:
        draft.unplaced.append(record)
        return
    record.update(shape_fields(geometry, record["id"], draft))
    draft.places.append(record)


def shape_fields(geometry: dict[str, Any], place_id: str, draft: Draft) -> Record:
    """The fields that give a place this geometry."""
    kind, coords = geometry["type"], geometry["coordinates"]
    if kind == "Point":
        return {"coordinates": [coords[1], coords[0]]}
    if kind == "Polygon" and len(coords) == 1 and len(coords[0]) >= 4:
        ring = coords[0][:-1] if coords[0][0] == coords[0][-1] else coords[0]
        return {"polygon": [[point[1], point[0]] for point in ring]}
    path = f"shapes/{place_id}.geojson"
    draft.files[path] = json.dumps({"type": kind, "coordinates": coords}) + "\n"
    return {"geojson": path}
