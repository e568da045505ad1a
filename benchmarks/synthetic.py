"""Synthetic atlases for the benchmarks: N places, E events, P periods, with the variety
of a real atlas (names that change, railways that change hands, regions that begin and
end), written as YAML the way an author would."""

from __future__ import annotations

from pathlib import Path


def write_atlas(folder: Path, places: int, events: int, periods: int, title: str = "Benchmark atlas") -> None:
    """An atlas over the years 1000 + period: each period a year, events spread evenly."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "atlas.yaml").write_text(f'title: "{title}"\n', encoding="utf-8")
    side = max(int(places ** 0.5), 1)
    lines = []
    for n in range(places):
        lat, lon = 20 + (n % side) * 25 / side, 80 + (n // side) * 40 / side
        lines.append(f"- id: place-{n}\n  name: Place {n}\n  kind: {'city' if n % 7 else 'capital'}\n"
                     f"  coordinates: [{lat:.3f}, {lon:.3f}]\n")
        if n % 10 == 0:  # a tenth of the places were renamed halfway
            lines.append(f"  names:\n    - {{name: Old {n}, when: '../{1000 + periods // 2}'}}\n"
                         f"    - {{name: New {n}, when: '{1000 + periods // 2 + 1}/..'}}\n")
    for n in range(max(places // 50, 2)):  # railways through every fiftieth place, changing hands
        stops = ", ".join(f"place-{(n * 50 + k) % places}" for k in range(0, 50, 10))
        lines.append(f"- id: railway-{n}\n  name: Railway {n}\n  kind: railway\n  via: [{stops}]\n  control:\n"
                     f"    - {{value: First, when: '../{1000 + periods // 3}'}}\n"
                     f"    - {{value: Second, when: '{1000 + periods // 3 + 1}/..'}}\n")
    for n in range(max(places // 100, 1)):  # regions that existed for a while
        lat, lon = 20 + (n % 5) * 5, 80 + (n // 5) % 10 * 8
        lines.append(f"- id: region-{n}\n  name: Region {n}\n  kind: state\n"
                     f"  when: '{1000 + n % periods}/{1000 + (n + periods // 2) % periods + periods // 2}'\n"
                     f"  polygon: [[{lat}, {lon}], [{lat + 4}, {lon}], [{lat + 4}, {lon + 6}], [{lat}, {lon + 6}]]\n")
    (folder / "places.yaml").write_text("".join(lines), encoding="utf-8")
    lines = []
    for e in range(events):
        period = e * periods // events
        lines.append(f"- id: event-{e}\n  date: {1000 + period}-{1 + e % 12:02d}-{1 + e % 28:02d}\n"
                     f"  title: Event {e}\n  places: [place-{e % places}]\n"
                     f"  summary: Something happened at place {e % places} in the year {1000 + period}.\n"
                     f"  category: {('war', 'diplomacy', 'economy')[e % 3]}\n"
                     f"  sources: [{{label: Source {e}, url: 'https://example.org/{e}'}}]\n")
    (folder / "events.yaml").write_text("".join(lines), encoding="utf-8")
    lines = [f"- id: period-{p}\n  title: Period {p}\n  when: {1000 + p}\n" for p in range(periods)]
    (folder / "periods.yaml").write_text("".join(lines), encoding="utf-8")
