"""Borders of the default atlas from Natural Earth, not from memory (a maintainer's tool).

    pip install pyshp   # once, anywhere; it is not a dependency of atlas
    python places/tools/natural_earth_borders.py NE_10M_ADMIN_0_COUNTRIES.shp

Reads Natural Earth's 1:10m Admin 0 countries (public domain, version 5.1.1; the file
used was the German point-of-view edition, whose lines here are the same as the
default's) and prints, simplified to the map's scale (Douglas-Peucker, 0.02°, about
2 km), the present-day boundary lines the atlas draws or follows:

- China with Russia, Kazakhstan, Kyrgyzstan and Tajikistan: the Sino-Soviet border,
  written to places/shapes/sino-soviet-border.geojson;
- China with Mongolia between 115.5°E and 120.5°E: the edge of Manchuria (Manchukuo)
  against the Mongolian People's Republic near Khalkhin Gol;
- China with Russia by Lake Khasan;
- the outlines of Mongolia (the Mongolian People's Republic's, whose borders were today's)
  and of North Korea (today's: the 1953 armistice line), each its largest ring, written to
  places/shapes/mongolia.geojson and places/shapes/north-korea.geojson.

Where the historical line differs from today's, places.yaml and NOTES.md say how.
"""

from __future__ import annotations

import itertools
import json
import math
import sys
from pathlib import Path

import shapefile  # type: ignore[import-not-found]

SOVIET = ("RUS", "KAZ", "KGZ", "TJK")
TOLERANCE = 0.02


def rings(reader: shapefile.Reader, code: str) -> list[list[tuple[float, float]]]:
    for shape, record in zip(reader.iterShapes(), reader.iterRecords(fields=["ADM0_A3"]), strict=True):
        if record["ADM0_A3"] == code:
            parts = [*shape.parts, len(shape.points)]
            return [[tuple(p) for p in shape.points[a:b]] for a, b in itertools.pairwise(parts)]
    raise SystemExit(f"no {code} in the file")


def shared(ring: list[tuple[float, float]], other: set[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """The runs of a ring's points that the other country's rings share."""
    runs: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for point in ring:
        if (round(point[0], 6), round(point[1], 6)) in other:
            current.append(point)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return [run for run in runs if len(run) > 1]


def simplify(points: list[tuple[float, float]], tolerance: float = TOLERANCE) -> list[tuple[float, float]]:
    if len(points) < 3:
        return points
    (ax, ay), (bx, by) = points[0], points[-1]
    length = math.hypot(bx - ax, by - ay) or 1e-12
    far, at = 0.0, 0
    for index, (x, y) in enumerate(points[1:-1], start=1):
        distance = abs((bx - ax) * (ay - y) - (ax - x) * (by - ay)) / length
        if distance > far:
            far, at = distance, index
    if far <= tolerance:
        return [points[0], points[-1]]
    return simplify(points[: at + 1], tolerance)[:-1] + simplify(points[at:], tolerance)


def points_of(reader: shapefile.Reader, code: str) -> set[tuple[float, float]]:
    return {(round(x, 6), round(y, 6)) for ring in rings(reader, code) for x, y in ring}


def main() -> None:
    reader = shapefile.Reader(sys.argv[1])
    china = rings(reader, "CHN")
    soviet = set().union(*(points_of(reader, code) for code in SOVIET))
    lines = [simplify(run) for ring in china for run in shared(ring, soviet)]
    lines = [[(round(x, 3), round(y, 3)) for x, y in line] for line in lines if len(line) > 1]
    out = Path(__file__).resolve().parent.parent / "shapes" / "sino-soviet-border.geojson"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"type": "MultiLineString", "coordinates": lines}) + "\n", encoding="utf-8")
    print(f"{out}: {len(lines)} lines, {sum(map(len, lines))} points")
    mongolia = points_of(reader, "MNG")
    for ring in china:
        for run in shared(ring, mongolia):
            part = [p for p in run if 115.5 <= p[0] <= 120.5]
            if len(part) > 1:
                print("China–Mongolia, 115.5–120.5°E, [lat, lon]:",
                      [[round(y, 2), round(x, 2)] for x, y in simplify(part, 0.03)])
    russia = points_of(reader, "RUS")
    for ring in china:
        for run in shared(ring, russia):
            part = [p for p in run if 42.2 <= p[1] <= 43.2 and 130.2 <= p[0] <= 131.2]
            if len(part) > 1:
                print("China–Russia by Lake Khasan, [lat, lon]:", [[round(y, 3), round(x, 3)] for x, y in part])
    write_outlines(reader)
    korea(reader)


def outline(reader: shapefile.Reader, code: str, tolerance: float = 0.03) -> list[list[float]]:
    """A country's largest ring, simplified, as [lat, lon] pairs without the closing point."""
    ring = max(rings(reader, code), key=len)
    half = len(ring) // 2  # a closed ring is simplified in two halves (its ends are one point)
    points = simplify(ring[: half + 1], tolerance) + simplify(ring[half:], tolerance)[1:]
    return [[round(y, 2), round(x, 2)] for x, y in points[:-1]]


OUTLINES = {"MNG": "mongolia", "PRK": "north-korea"}  # country → the place whose shape it is


def korea(reader: shapefile.Reader) -> None:
    """The peninsula (North and South Korea joined: Japanese Korea, 1910–45), and its part
    north of the 38th parallel (1945–50), written to places/shapes/. Needs shapely too."""
    from shapely.geometry import Polygon, box, mapping  # type: ignore[import-not-found]

    whole = Polygon(max(rings(reader, "PRK"), key=len)).union(Polygon(max(rings(reader, "KOR"), key=len)))
    whole = whole.buffer(0.001).buffer(-0.001)  # close the hairline seams between the two
    if whole.geom_type != "Polygon":
        whole = max(whole.geoms, key=lambda part: part.area)
    folder = Path(__file__).resolve().parent.parent / "shapes"
    for place, shape in (("korea", whole), ("north-korea-1945", whole.intersection(box(120, 38.0, 135, 44)))):
        simple = shape.simplify(0.03, preserve_topology=True)
        data = mapping(simple)
        rounded = [[[round(x, 2), round(y, 2)] for x, y in ring] for ring in data["coordinates"][:1]]
        (folder / f"{place}.geojson").write_text(json.dumps({"type": "Polygon", "coordinates": rounded}) + "\n",
                                                 encoding="utf-8")
        print(f"{place}: {len(rounded[0])} points")


def write_outlines(reader: shapefile.Reader) -> None:
    for code, place in OUTLINES.items():
        points = outline(reader, code)
        ring = [[lon, lat] for lat, lon in points] + [[points[0][1], points[0][0]]]
        path = Path(__file__).resolve().parent.parent / "shapes" / f"{place}.geojson"
        path.write_text(json.dumps({"type": "Polygon", "coordinates": [ring]}) + "\n", encoding="utf-8")
        print(f"{path}: {len(points)} points")


if __name__ == "__main__":
    main()
