"""What a period's map is framed on: its area of interest.

A period's events may lie far apart: most in China, one in Moscow, one in Geneva. Fitted
to all of them, the map shows all Eurasia with China a corner of it. The author's `view:`
(a centre and a zoom) says where the period is read; its area of interest is the events
whose places lie inside what that view shows on a REFERENCE-sized map, and every fit of the
period's first view is made to their places. A period without a view (nor the atlas) has
all its events as its area. The events left out are not hidden: the page counts them and
offers to show all (templates/static/js/60-views.js).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from atlas.source.model import View

# px: the map an author's `view:` is read on, a projector's or a large laptop's screen.
# Smaller, and a view of Manchuria at zoom 5 would leave out Chita and Canton.
REFERENCE = (1920, 1080)
TILE = 256


def view_box(view: View, width: int = REFERENCE[0], height: int = REFERENCE[1]) -> list[list[float]]:
    """[[south, west], [north, east]] of what `view` shows on a map of that many pixels."""
    world = TILE * 2 ** view.zoom  # the world's width in px at the view's zoom
    half_lon = min(180.0, width / 2 / world * 360)
    y = _mercator(view.lat)
    half_y = height / 2 / world * 2 * math.pi
    return [[_latitude(y - half_y), view.lon - half_lon], [_latitude(y + half_y), view.lon + half_lon]]


def area_of_interest(events: Sequence[dict[str, Any]], view: View | None) -> list[list[float]] | None:
    """[[south, west], [north, east]] of the places of the events `view` shows (all the
    events, without a view or when it shows none of them); None without events."""
    chosen = list(events)
    if view is not None:
        box = view_box(view)
        inside = [event for event in events if all(_within(point, box) for point in _places(event))]
        chosen = inside or chosen
    points = [point for event in chosen for point in _places(event)]
    if not points:
        return None
    lats = [lat for lat, _ in points]
    lons = [lon for _, lon in points]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def _places(event: dict[str, Any]) -> list[tuple[float, float]]:
    """(lat, lon) of each place of an event: its dots, not its routes (a route to Moscow
    does not make Moscow where the period is read)."""
    return [(lat, lon) for lon, lat in _positions(event["geometry"]["coordinates"])]


def _positions(coordinates: Any) -> Iterable[tuple[float, float]]:
    if coordinates and isinstance(coordinates[0], (int, float)):
        yield float(coordinates[0]), float(coordinates[1])
        return
    for part in coordinates:
        yield from _positions(part)


def _within(point: tuple[float, float], box: list[list[float]]) -> bool:
    (south, west), (north, east) = box
    lat, lon = point
    return south <= lat <= north and (west <= lon <= east or west <= lon + 360 <= east or west <= lon - 360 <= east)


def _mercator(lat: float) -> float:
    lat = max(min(lat, 85.0511), -85.0511)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _latitude(y: float) -> float:
    return max(min(math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2), 85.0511), -85.0511)
