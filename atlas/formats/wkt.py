"""Well-known text (OGC WKT, as LP-TSV's `geowkt` column holds it) as a GeoJSON geometry:
POINT, LINESTRING, POLYGON and their MULTI forms, longitude first in both. A Z or M
coordinate is dropped (the map is flat); EMPTY is no geometry; GEOMETRYCOLLECTION and
curves are refused, with the reason."""

from __future__ import annotations

import math
import re
from typing import Any

TYPES = {"POINT": "Point", "LINESTRING": "LineString", "POLYGON": "Polygon", "MULTIPOINT": "MultiPoint",
         "MULTILINESTRING": "MultiLineString", "MULTIPOLYGON": "MultiPolygon"}
# How deep each type's coordinates nest: a point is a position, a polygon a list of rings.
DEPTH = {"Point": 0, "LineString": 1, "MultiPoint": 1, "Polygon": 2, "MultiLineString": 2, "MultiPolygon": 3}
TOKEN = re.compile(r"\s*(?:(\()|(\))|(,)|([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)|([A-Za-z]+))")


class WktError(ValueError):
    """Text that is not a WKT geometry this reader takes; the message says why."""


def geometry(text: str) -> dict[str, Any] | None:
    """The GeoJSON geometry `text` describes; None for an EMPTY one."""
    tokens = _tokens(text)
    words = []
    while tokens and tokens[0][0] == "word":
        words.append(tokens.pop(0)[1].upper())
    if not words or words[0] not in TYPES:
        raise WktError(f"not a POINT, LINESTRING, POLYGON or MULTI… geometry: {text[:40]!r}")
    kind = TYPES[words[0]]
    if words[1:] == ["EMPTY"] or words[1:] in (["Z", "EMPTY"], ["M", "EMPTY"], ["ZM", "EMPTY"]):
        return None
    if any(word not in ("Z", "M", "ZM") for word in words[1:]):
        raise WktError(f"unexpected {' '.join(words[1:])!r} after {words[0]}")
    value, rest = _nested(tokens)
    if rest:
        raise WktError(f"text after the end of the {words[0]}")
    coordinates = _shaped(value, DEPTH[kind], kind)
    return {"type": kind, "coordinates": coordinates}


def _tokens(text: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise WktError(f"cannot read {text[position:position + 20]!r}")
        position = match.end()
        opened, closed, comma, number, word = match.groups()
        if opened or closed or comma:
            found.append(("mark", opened or closed or comma))
        elif number:
            found.append(("number", number))
        elif word:
            found.append(("word", word))
    return found


def _nested(tokens: list[tuple[str, str]]) -> tuple[Any, list[tuple[str, str]]]:
    """A parenthesised list: its members are lists (nested) or positions (numbers)."""
    if not tokens or tokens[0] != ("mark", "("):
        raise WktError("a '(' is missing")
    tokens = tokens[1:]
    members: list[Any] = []
    while True:
        if tokens and tokens[0] == ("mark", "("):
            member, tokens = _nested(tokens)
        else:
            member, tokens = _position(tokens)
        members.append(member)
        if not tokens:
            raise WktError("a ')' is missing")
        mark = tokens.pop(0)
        if mark == ("mark", ")"):
            return members, tokens
        if mark != ("mark", ","):
            raise WktError(f"expected ',' or ')', found {mark[1]!r}")


def _position(tokens: list[tuple[str, str]]) -> tuple[list[float], list[tuple[str, str]]]:
    numbers = []
    while tokens and tokens[0][0] == "number":
        numbers.append(float(tokens.pop(0)[1]))
    if len(numbers) < 2 or len(numbers) > 4:
        raise WktError(f"a position has 2 to 4 numbers, this one {len(numbers)}")
    if not all(math.isfinite(n) for n in numbers):
        raise WktError("a coordinate is not a finite number")
    return numbers[:2], tokens


def _shaped(value: Any, depth: int, kind: str) -> Any:
    """The coordinates at the depth GeoJSON gives the type (WKT's MULTIPOINT may write its
    points with or without their own parentheses: both are read)."""
    if depth == 0:
        if len(value) != 1 or not _is_position(value[0]):
            raise WktError(f"a {kind} is one position")
        return value[0]
    if kind == "MultiPoint":
        return [member[0] if isinstance(member, list) and len(member) == 1 and _is_position(member[0]) else
                _shaped([member], 0, kind) for member in value]
    if depth == 1:
        if not all(_is_position(member) for member in value):
            raise WktError(f"a {kind} is a list of positions")
        return value
    if any(_is_position(member) for member in value):
        raise WktError(f"a {kind} is a list of ({'rings' if kind == 'Polygon' else 'parts'}) in parentheses")
    return [_shaped(member, depth - 1, "LineString" if depth == 2 else "Polygon") for member in value]


def _is_position(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(n, float) for n in value)


def text(shape: dict[str, Any]) -> str:
    """A GeoJSON geometry as WKT (longitude first, as both write it)."""
    kind = next(name for name, value in TYPES.items() if value == shape["type"])
    return f"{kind} {_written(shape['coordinates'], DEPTH[shape['type']])}"


def _written(value: Any, depth: int) -> str:
    if depth == 0:
        return f"({_position_text(value)})"
    if depth == 1:
        return "(" + ", ".join(_position_text(position) for position in value) + ")"
    return "(" + ", ".join(_written(member, depth - 1) for member in value) + ")"


def _position_text(position: list[float]) -> str:
    # repr: the shortest text that reads back as the same float (no digit lost, none invented)
    return " ".join(repr(float(number)).removesuffix(".0") for number in position[:2])
