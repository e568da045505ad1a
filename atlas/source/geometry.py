"""GeoJSON geometry from a file someone else wrote: checked whole before a map sees it.

A map fails at run time ("Invalid LatLng") on a position that is not two finite numbers,
and draws nothing sensible for a ring of two points; so every geometry read from a
GeoJSON file is checked here, and each problem named with where in the file it is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

POSITIONS_DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2,
                   "MultiPolygon": 3}
# Pairs of edges tested for a crossing in one geometry (all its rings together): a country's
# border takes far fewer, as only edges side by side are paired. Past it, the rest of the
# geometry goes untested (the test only ever warns), so no file can make a check slow.
MAX_CROSSING_TESTS = 1_000_000


@dataclass
class Budget:
    """The crossing tests one geometry may make, and how many it made."""

    limit: int = MAX_CROSSING_TESTS
    used: int = 0


def geometry_problem(geometry: Any) -> str | None:
    """What is wrong with a GeoJSON geometry, or None when a map can draw it."""
    if not isinstance(geometry, dict):
        return "a geometry should be an object with a type and coordinates"
    kind = geometry.get("type")
    if not isinstance(kind, str) or kind not in POSITIONS_DEPTH:
        return f"geometry type {_short(kind)} is not one of {', '.join(POSITIONS_DEPTH)}"
    return _coordinates(geometry.get("coordinates"), kind, POSITIONS_DEPTH[kind], "coordinates")


def _coordinates(value: Any, kind: str, depth: int, where: str) -> str | None:
    if depth == 0:
        return _position(value, where)
    if not isinstance(value, list) or not value:
        return f"{where} of a {kind} should be a non-empty list"
    for index, item in enumerate(value):
        problem = _coordinates(item, kind, depth - 1, f"{where}[{index}]")
        if problem:
            return problem
    if depth == 1 and kind in ("LineString", "MultiLineString") and len(value) < 2:
        return f"{where} of a {kind} needs at least two positions"
    if depth == 1 and kind in ("Polygon", "MultiPolygon"):
        if len(value) < 4:
            return f"{where}: a polygon's ring needs at least four positions (the last one repeating the first)"
        if value[0][:2] != value[-1][:2]:
            return f"{where}: a polygon's ring should end where it starts"
    return None


def _position(value: Any, where: str) -> str | None:
    if not isinstance(value, list) or len(value) not in (2, 3):
        return f"{where} should be a position [longitude, latitude], got {_short(value)}"
    if not all(finite(n) for n in value):
        return f"{where} should hold finite numbers, got {_short(value)}"
    lon, lat = value[0], value[1]
    if not -180 <= lon <= 180 or not -90 <= lat <= 90:
        return (f"{where} {_short(value)} is off the globe (longitude -180 to 180, latitude -90 to 90; "
                "GeoJSON is longitude first)")
    return None


def finite(value: Any) -> bool:
    """Whether a JSON value is a finite number. (An integer always is, even one of 400
    digits, which no float can hold: it is compared as an integer, never converted.)"""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def rings_cross(rings: list[list[list[float]]], budget: Budget | None = None) -> bool:
    """Whether any ring of a polygon (or of all a MultiPolygon's polygons) crosses itself,
    within one budget of tests for them all."""
    budget = budget or Budget()
    return any(self_intersects(ring, budget) for ring in rings)


def self_intersects(ring: list[list[float]], budget: Budget | None = None) -> bool:
    """Whether a closed ring crosses itself (a figure of eight: its inside is ambiguous).
    Edges are swept from west to east, each paired only with those whose span of
    longitudes overlaps its own; the budget bounds the pairs (False once it runs out)."""
    points = ring[:-1] if ring and ring[0] == ring[-1] else ring
    count = len(points)
    if count < 4:
        return False
    budget = budget or Budget()
    spans = ((points[i][0], points[(i + 1) % count][0], i) for i in range(count))
    edges = sorted((min(a, b), max(a, b), i) for a, b, i in spans)
    for position, (_, east, i) in enumerate(edges):
        for other in range(position + 1, count):
            west, _, j = edges[other]
            if west > east:
                break
            if abs(i - j) in (1, count - 1):
                continue  # neighbours share a point
            if budget.used >= budget.limit:
                return False
            budget.used += 1
            if _cross(points[i], points[(i + 1) % count], points[j], points[(j + 1) % count]):
                return True
    return False


def _cross(a: list[float], b: list[float], c: list[float], d: list[float]) -> bool:
    """Whether segments ab and cd properly cross."""
    def side(p: list[float], q: list[float], r: list[float]) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    d1, d2, d3, d4 = side(c, d, a), side(c, d, b), side(a, b, c), side(a, b, d)
    return ((d1 > 0) != (d2 > 0)) and ((d3 > 0) != (d4 > 0)) and 0 not in (d1, d2, d3, d4)
