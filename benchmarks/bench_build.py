"""How fast and how small `atlas` is at scale, against baselines measured in the same run.

Run with `make bench` (or `.venv/bin/python benchmarks/bench_build.py`; `--smoke` runs
every measure at a tiny size, as `make test` does, to keep this script working). Each
scenario writes a synthetic atlas (benchmarks/synthetic.py) and times the real command,
`python -m atlas build`, in a subprocess: what a user waits for, start-up included.

1. 1,000 places × 10,000 events × 100 periods: a full build against folium's bare
   minimum and against folium used the naive way (benchmarks/folium_baseline.py).
2. The same atlas rebuilt after one event's title changed, against its full build.
3. 10,000 places × 100,000 events × 1,000 periods: time and peak memory.
4. A dense page (10,000 places, 5,000 events, one period) in headless Chromium at
   1366×768: until the map has drawn (Atlas.drawnAt), and its slowest frame while
   panning, against folium's page of the same features as one GeoJSON layer.
5. `atlas --help`, against a bare `python -c pass`.
6. The default atlas's single-file pages against the normal page and its assets.
7. The default atlas in its three languages (a site each) against its main language alone
   (`--lang en`): build time and the output's size.

It prints medians (with the range over the runs) and the ratios (below 1: atlas is
faster or smaller). Numbers from different machines are not comparable; ratios roughly are.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import write_atlas  # noqa: E402

PYTHON = sys.executable
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@dataclass(frozen=True)
class Sizes:
    scale: tuple[int, int, int]  # places, events, periods
    big: tuple[int, int, int]
    dense: tuple[int, int, int]
    runs: int
    rebuilds: int


FULL = Sizes((1000, 10_000, 100), (10_000, 100_000, 1000), (10_000, 5000, 1), runs=3, rebuilds=5)
SMOKE = Sizes((40, 200, 5), (100, 1000, 10), (300, 200, 1), runs=1, rebuilds=2)


@dataclass(frozen=True)
class Timing:
    times: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    def __str__(self) -> str:
        if len(self.times) == 1:
            return f"{self.median:7.2f} s"
        return f"{self.median:7.2f} s ({min(self.times):.2f}–{max(self.times):.2f})"


def timed(work: Callable[[int], object], runs: int) -> Timing:
    times = []
    for run in range(runs):
        started = time.perf_counter()
        work(run)
        times.append(time.perf_counter() - started)
    return Timing(times)


def run(*args: str | Path) -> None:
    result = subprocess.run([str(arg) for arg in args], capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(map(str, args))}\n{result.stderr[-2000:]}")


def atlas_build(source: Path, out: Path) -> None:
    run(PYTHON, "-m", "atlas", "build", source, "-o", out)


def baseline(mode: str, source: Path, out: Path) -> None:
    run(PYTHON, ROOT / "benchmarks" / "folium_baseline.py", mode, source, out)


def ratio(a: float, b: float) -> str:
    return f"ratio {a / b:.2f}" if b else "ratio –"


def scale(root: Path, sizes: Sizes) -> None:
    places, events, periods = sizes.scale
    source = root / "scale"
    write_atlas(source, places, events, periods)
    print(f"1. full build, {places:,} places × {events:,} events × {periods:,} periods (median of {sizes.runs})")
    full = timed(lambda n: atlas_build(source, root / f"scale-{n}"), sizes.runs)
    bare = timed(lambda n: baseline("bare", source, root / f"bare-{n}"), sizes.runs)
    naive = timed(lambda n: baseline("naive", source, root / f"naive-{n}"), 1)
    print(f"   atlas build   {full}")
    print(f"   bare folium   {bare}    atlas/bare  {ratio(full.median, bare.median)}")
    print(f"   naive folium  {naive}    atlas/naive {ratio(full.median, naive.median)}")
    print(f"2. rebuild after one event's title changed (median of {sizes.rebuilds})")
    out = root / "scale-0"
    events_file = source / "events.yaml"
    text = events_file.read_text(encoding="utf-8")

    def rebuild(n: int) -> None:
        events_file.write_text(text.replace("title: Event 5\n", f"title: Event five, take {n}\n", 1), encoding="utf-8")
        atlas_build(source, out)

    again = timed(rebuild, sizes.rebuilds)
    print(f"   rebuild       {again}    rebuild/full {ratio(again.median, full.median)}")
    events_file.write_text(text, encoding="utf-8")


def peak_rss(args: Sequence[str | Path]) -> tuple[float, int]:
    """Run a command; its time and the peak resident memory of its largest process (KiB),
    measured by a fresh Python so that no earlier child counts."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "subprocess.run(sys.argv[1:], check=True, capture_output=True); "
             "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    result = subprocess.run([PYTHON, "-c", probe, *map(str, args)], capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(map(str, args))}\n{result.stderr[-2000:]}")
    seconds, kib = result.stdout.split()
    return float(seconds), int(kib)


def big(root: Path, sizes: Sizes) -> None:
    places, events, periods = sizes.big
    source = root / "big"
    write_atlas(source, places, events, periods)
    print(f"3. full build, {places:,} places × {events:,} events × {periods:,} periods (one run)")
    seconds, kib = peak_rss([PYTHON, "-m", "atlas", "build", source, "-o", root / "big-out"])
    output = sum(path.stat().st_size for path in (root / "big-out").rglob("*") if path.is_file())
    print(f"   atlas build   {seconds:7.2f} s, peak memory {kib / 1024:,.0f} MiB (largest process), "
          f"output {output / 1e6:,.0f} MB")
    shutil.rmtree(root / "big-out")


DRAWN = "() => window.Atlas && window.Atlas.drawnAt !== undefined"
# The slowest frame while the map pans eight times.
PANNING = """() => new Promise(done => {
  var gaps = [], last = performance.now(), stop = false, n = 0;
  function tick(t) { gaps.push(t - last); last = t; if (!stop) requestAnimationFrame(tick); }
  requestAnimationFrame(tick);
  function step() {
    if (n++ >= 8) { stop = true; setTimeout(() => done(Math.max.apply(null, gaps)), 100); return; }
    Atlas.map.panBy([120, 40], {animate: true, duration: 0.25});
    Atlas.map.once('moveend', () => setTimeout(step, 50));
  }
  step();
})"""


def dense(root: Path, sizes: Sizes) -> None:
    places, events, periods = sizes.dense
    source = root / "dense"
    write_atlas(source, places, events, periods)
    atlas_build(source, root / "dense-out")
    baseline("dense", source, root / "dense-folium")
    page_path = root / "dense-out" / "periods" / "period-0.html"
    print(f"4. dense page: {places:,} places and {events:,} events in one period, Chromium at 1366×768 "
          f"(median of {sizes.runs})")
    if not Path(CHROMIUM).exists():
        print(f"   skipped: no Chromium at {CHROMIUM}")
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        drawn, frames, folium_times = [], [], []
        for _ in range(sizes.runs):
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.goto(page_path.as_uri(), wait_until="load", timeout=300_000)
            page.wait_for_function(DRAWN, timeout=300_000)
            drawn.append(page.evaluate("Atlas.drawnAt") / 1000)
            frames.append(page.evaluate(PANNING) / 1000)
            page.close()
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.goto((root / "dense-folium" / "dense.html").as_uri(), wait_until="load", timeout=300_000)
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            folium_times.append(page.evaluate("performance.now()") / 1000)
            page.close()
        browser.close()
    size = page_path.stat().st_size + sum(path.stat().st_size for path in (root / "dense-out" / "assets").iterdir())
    ours, theirs = Timing(drawn), Timing(folium_times)
    print(f"   atlas page    {ours} until drawn; slowest frame panning {max(frames) * 1000:.0f} ms; "
          f"{size / 1e6:.1f} MB with its assets")
    print(f"   folium page   {theirs} until drawn    atlas/folium {ratio(ours.median, theirs.median)}")


def startup(sizes: Sizes) -> None:
    runs = max(sizes.runs * 3, 3)
    helped = timed(lambda _: run(PYTHON, "-m", "atlas", "--help"), runs)
    bare = timed(lambda _: run(PYTHON, "-c", "pass"), runs)
    print(f"5. atlas --help  {helped} (median of {runs})    python -c pass {bare}    "
          f"{ratio(helped.median, bare.median)}")


def loaded_bytes(page: Path, site: Path) -> int:
    """A page's own bytes and those of the embed pages it frames (a lesson's maps)."""
    framed = re.findall(r'<iframe src="\.\./embed/([a-z0-9-]+\.html)', page.read_text(encoding="utf-8"))
    return page.stat().st_size + sum(int((site / "embed" / name).stat().st_size) for name in framed)


def single_file_sizes(root: Path) -> None:
    """The default atlas's single-file pages against what the same page loads when built
    normally (the page plus every asset it fetches), from builds made in this run."""
    normal, single = root / "normal", root / "single"
    atlas_build(ROOT / "places", normal)
    run(PYTHON, "-m", "atlas", "build", ROOT / "places", "-o", single, "--single-file")
    assets = sum(path.stat().st_size for path in (normal / "assets").iterdir())
    print("6. default atlas, single-file pages (median size; baseline: the normal page plus the assets it loads)")
    for folder in ("periods", "embed", "lessons"):
        sizes = sorted(path.stat().st_size for path in (single / folder).glob("*.html"))
        base_sizes = sorted(loaded_bytes(path, normal) + assets for path in (normal / folder).glob("*.html"))
        middle, base = sizes[len(sizes) // 2], base_sizes[len(base_sizes) // 2]
        print(f"   {folder:8} {middle / 1e6:5.2f} MB (from {sizes[0] / 1e6:.2f} to {sizes[-1] / 1e6:.2f}; "
              f"{len(sizes)} pages)   baseline {base / 1e6:5.2f} MB   ratio {middle / base:.2f}")


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def languages(root: Path, sizes: Sizes) -> None:
    """Each language a site of its own (sharing assets and media) against one language."""
    every, one = root / "languages", root / "one-language"

    def build_every(n: int) -> None:
        shutil.rmtree(every, ignore_errors=True)
        atlas_build(ROOT / "places", every)

    def build_one(n: int) -> None:
        shutil.rmtree(one, ignore_errors=True)
        run(PYTHON, "-m", "atlas", "build", ROOT / "places", "-o", one, "--lang", "en")

    runs = sizes.runs
    three, alone = timed(build_every, runs), timed(build_one, runs)
    print(f"7. default atlas in en, zh, ru  {three}    en alone {alone}    {ratio(three.median, alone.median)}")
    print(f"   output {folder_bytes(every) / 1e6:5.2f} MB    en alone {folder_bytes(one) / 1e6:5.2f} MB    "
          f"{ratio(folder_bytes(every), folder_bytes(one))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="every measure at a tiny size (a check, not figures)")
    parser.add_argument("--skip-big", action="store_true", help="leave out the 100,000-event atlas")
    options = parser.parse_args()
    sizes = SMOKE if options.smoke else FULL
    print(f"atlas benchmarks, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, Python {sys.version.split()[0]}"
          f"{' (smoke sizes)' if options.smoke else ''}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        scale(root, sizes)
        if not options.skip_big:
            big(root, sizes)
        dense(root, sizes)
        startup(sizes)
        single_file_sizes(root)
        languages(root, sizes)
    print("atlas's build also reads and validates the sources and writes each period's list, timeline, embed,")
    print("the index, the lessons and the export; the baselines write one bare map a period.")


if __name__ == "__main__":
    main()
