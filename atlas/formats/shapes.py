"""GeoJSON geometries as our place shapes, and back: a Point is `coordinates` (latitude
first), a simple Polygon `polygon`; anything else goes to a GeoJSON file beside the
sources (`geojson:`), which the import writes."""

from __future__ import annotations

import json
from typing import Any

from atlas.formats.common import Draft, Record
from atlas.source.geometry import geometry_problem


def usable(geometry: Any) -> bool:
    """Whether a GeoJSON geometry is one the build draws: checked by the build's own rule, so
    that an import never writes a shape that `atlas check` then refuses (a ring of two points)."""
    return geometry_problem(geometry) is None


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
