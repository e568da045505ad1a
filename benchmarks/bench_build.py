"""How fast and how small `atlas build` is, against folium used the naive way.

Run with `make bench` (or `.venv/bin/python benchmarks/bench_build.py`). It writes a
synthetic atlas (PERIODS periods × EVENTS_PER_PERIOD events, at PLACES shared places),
then times, in this same run on this same machine:

- atlas: `atlas.build.build()` — read, validate, render every page, write;
- baseline: one folium Map a period with one `folium.Marker` + `Popup` per event,
  saved with `Map.save()` — what a folium user would write first.

It prints medians and the ratios atlas/baseline (below 1 means atlas is faster or
smaller). Numbers from different machines are not comparable; ratios roughly are.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import folium

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from atlas.build import build

PERIODS = 100
EVENTS_PER_PERIOD = 100
PLACES = 100
RUNS = 3


def write_atlas(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "atlas.yaml").write_text('title: "Benchmark atlas"\n', encoding="utf-8")
    places, events, periods = [], [], []
    for n in range(PLACES):
        lat, lon = 20 + (n % 10) * 2.5, 80 + (n // 10) * 4
        places.append(f"- id: place-{n}\n  name: Place {n}\n  kind: city\n  coordinates: [{lat:.3f}, {lon:.3f}]\n")
    for p in range(PERIODS):
        year = 1000 + p
        periods.append(f"- id: period-{p}\n  title: Period {p}\n  when: {year}\n")
        for e in range(EVENTS_PER_PERIOD):
            events.append(
                f"- id: event-{p}-{e}\n  date: {year}-{1 + e % 12:02d}-{1 + e % 28:02d}\n  title: Event {p}.{e}\n"
                f"  places: [place-{(p + e) % PLACES}]\n  summary: Something happened at place {(p + e) % PLACES}.\n"
                f"  sources: [{{label: Source {e}, url: 'https://example.org/{e}'}}]\n")
    (folder / "places.yaml").write_text("".join(places), encoding="utf-8")
    (folder / "events.yaml").write_text("".join(events), encoding="utf-8")
    (folder / "periods.yaml").write_text("".join(periods), encoding="utf-8")


def naive_folium(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for p in range(PERIODS):
        fmap = folium.Map(location=[35, 100], zoom_start=4, tiles=None)
        for n in range(PLACES):
            lat, lon = 20 + (n % 10) * 2.5, 80 + (n // 10) * 4
            folium.CircleMarker([lat, lon], radius=4, tooltip=f"Place {n}").add_to(fmap)
        for e in range(EVENTS_PER_PERIOD):
            n = (p + e) % PLACES
            lat, lon = 20 + (n % 10) * 2.5, 80 + (n // 10) * 4
            popup = folium.Popup(f"<b>Event {p}.{e}</b><br>Something happened at place {n}.")
            folium.Marker([lat, lon], popup=popup, tooltip=f"Event {p}.{e}").add_to(fmap)
        fmap.save(str(out / f"period-{p}.html"))


def median_seconds(work: Callable[[int], None]) -> float:
    times = []
    for run in range(RUNS):
        started = time.perf_counter()
        work(run)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def folder_bytes(folder: Path, pattern: str) -> int:
    return sum(path.stat().st_size for path in folder.glob(pattern))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_atlas(root / "source")
        atlas_time = median_seconds(lambda run: build(root / "source", root / f"site-{run}"))
        naive_time = median_seconds(lambda run: naive_folium(root / f"naive-{run}"))
        atlas_size = folder_bytes(root / "site-0" / "periods", "*.html")
        naive_size = folder_bytes(root / "naive-0", "*.html")
    print(f"{PERIODS} period maps × {EVENTS_PER_PERIOD} events, median of {RUNS} runs")
    print(f"  time  atlas build {atlas_time:7.2f} s   naive folium {naive_time:7.2f} s   ratio {atlas_time / naive_time:.2f}")
    print(f"  size  atlas pages {atlas_size / 1e6:7.2f} MB  naive folium {naive_size / 1e6:7.2f} MB  "
          f"ratio {atlas_size / naive_size:.2f}")
    print("  (atlas's time includes reading and validating the YAML, the export and the embeds)")


if __name__ == "__main__":
    main()
