"""How fast and how small `atlas build` is, against folium used the naive way.

Run with `make bench` (or `.venv/bin/python benchmarks/bench_build.py`). For each
scenario it writes a synthetic atlas (periods × events per period, at shared places)
and times, in this same run on this same machine:

- atlas: `atlas.build.build()`: read, validate, render every period page and embed,
  the index and the export, write;
- baseline: one folium Map a period with one `folium.CircleMarker` per place and one
  `folium.Marker` + `Popup` per event (its title, date, places, summary and source),
  saved with `Map.save()`: what a folium user would write first.

It prints medians and the ratios atlas/baseline (below 1 means atlas is faster or
smaller). Numbers from different machines are not comparable; ratios roughly are.
"""

from __future__ import annotations

import html
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import folium

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from atlas.build import build

RUNS = 3


@dataclass(frozen=True)
class Scenario:
    name: str
    periods: int
    events_per_period: int
    places: int

    def where(self, n: int) -> tuple[float, float]:
        side = max(int(self.places ** 0.5), 1)
        return 20 + (n % side) * 25 / side, 80 + (n // side) * 40 / side

    def place_of(self, period: int, event: int) -> int:
        return (period * self.events_per_period + event) % self.places


SCENARIOS = (Scenario("100 periods × 100 events, 100 places", 100, 100, 100),
             Scenario("1 period × 10,000 events, 1,000 places", 1, 10_000, 1_000))


def write_atlas(s: Scenario, folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "atlas.yaml").write_text('title: "Benchmark atlas"\n', encoding="utf-8")
    places, events, periods = [], [], []
    for n in range(s.places):
        lat, lon = s.where(n)
        places.append(f"- id: place-{n}\n  name: Place {n}\n  kind: city\n  coordinates: [{lat:.3f}, {lon:.3f}]\n")
    for p in range(s.periods):
        year = 1000 + p
        periods.append(f"- id: period-{p}\n  title: Period {p}\n  when: {year}\n")
        for e in range(s.events_per_period):
            events.append(
                f"- id: event-{p}-{e}\n  date: {year}-{1 + e % 12:02d}-{1 + e % 28:02d}\n  title: Event {p}.{e}\n"
                f"  places: [place-{s.place_of(p, e)}]\n  summary: Something happened at place {s.place_of(p, e)}.\n"
                f"  sources: [{{label: Source {e}, url: 'https://example.org/{e}'}}]\n")
    (folder / "places.yaml").write_text("".join(places), encoding="utf-8")
    (folder / "events.yaml").write_text("".join(events), encoding="utf-8")
    (folder / "periods.yaml").write_text("".join(periods), encoding="utf-8")


def naive_folium(s: Scenario, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for p in range(s.periods):
        fmap = folium.Map(location=[35, 100], zoom_start=4, tiles=None)
        for n in range(s.places):
            folium.CircleMarker(s.where(n), radius=4, tooltip=f"Place {n}").add_to(fmap)
        for e in range(s.events_per_period):
            n = s.place_of(p, e)
            text = (f"<b>{html.escape(f'Event {p}.{e}')}</b><br>{1000 + p}-{1 + e % 12:02d}-{1 + e % 28:02d}"
                    f"<br>Place {n}<br>Something happened at place {n}.<br><a href='https://example.org/{e}'>Source {e}</a>")
            folium.Marker(s.where(n), popup=folium.Popup(text), tooltip=f"Event {p}.{e}").add_to(fmap)
        fmap.save(str(out / f"period-{p}.html"))


def median_seconds(work: Callable[[int], object]) -> float:
    times = []
    for run in range(RUNS):
        started = time.perf_counter()
        work(run)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.glob("*.html"))


def measure(s: Scenario) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_atlas(s, root / "source")
        atlas_time = median_seconds(lambda run: build(root / "source", root / f"site-{run}"))
        naive_time = median_seconds(lambda run: naive_folium(s, root / f"naive-{run}"))
        atlas_size = folder_bytes(root / "site-0" / "periods")
        naive_size = folder_bytes(root / "naive-0")
    print(f"{s.name} (median of {RUNS} runs)")
    print(f"  time   atlas build {atlas_time:7.2f} s    naive folium {naive_time:7.2f} s    ratio {atlas_time / naive_time:.2f}")
    print(f"  pages  atlas       {atlas_size / 1e6:7.2f} MB   naive folium {naive_size / 1e6:7.2f} MB   "
          f"ratio {atlas_size / naive_size:.2f}")


def loaded_bytes(page: Path, site: Path) -> int:
    """A page's own bytes and those of the embed pages it frames (a lesson's maps)."""
    framed = re.findall(r'<iframe src="\.\./embed/([a-z0-9-]+\.html)', page.read_text(encoding="utf-8"))
    return page.stat().st_size + sum(int((site / "embed" / name).stat().st_size) for name in framed)


def single_file_sizes() -> None:
    """The default atlas's single-file pages against what the same page loads when built
    normally (the page plus every asset it fetches), from builds made in this run."""
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        normal, single = Path(tmp) / "normal", Path(tmp) / "single"
        build(root / "places", normal)
        build(root / "places", single, single_file=True)
        assets = sum(path.stat().st_size for path in (normal / "assets").iterdir())
        print("default atlas, single-file pages (median size; baseline: the normal page plus the assets it loads)")
        for folder in ("periods", "embed", "lessons"):
            sizes = sorted(path.stat().st_size for path in (single / folder).glob("*.html"))
            baseline = sorted(loaded_bytes(path, normal) + assets for path in (normal / folder).glob("*.html"))
            middle, base = sizes[len(sizes) // 2], baseline[len(baseline) // 2]
            print(f"  {folder:8} {middle / 1e6:5.2f} MB (from {sizes[0] / 1e6:.2f} to {sizes[-1] / 1e6:.2f}; "
                  f"{len(sizes)} pages)   baseline {base / 1e6:5.2f} MB   ratio {middle / base:.2f}")


def main() -> None:
    single_file_sizes()
    for scenario in SCENARIOS:
        measure(scenario)
    print("atlas's time also covers reading and validating the YAML, the embeds, the index and the export;")
    print("its pages also hold the events as a text list beside the map.")


if __name__ == "__main__":
    main()
