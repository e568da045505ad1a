"""How the YAML readers' time grows with hostile input, against a linear baseline.

Run with `.venv/bin/python benchmarks/bench_yaml.py` (`--smoke` runs every shape at a tiny
size, as the tests do, to keep this script working). Each shape of input is one that an
attacker could write into an atlas file to make a scan take time growing with the square
of its size (issue 21, V11: one 1 MB line of `?` took 43-51 s). It is read at two sizes,
n and 4n, by `atlas.readers.parse_yaml` (the fast reader, and libyaml where the fast one
declines), in this process; so is a plain events.yaml of the same sizes: the baseline,
which reads in linear time. The ratio of a shape's time to the baseline's stays about the
same from n to 4n when the reading is linear, and grows about fourfold when it is not.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from atlas.source.readers import parse_yaml


def events(size: int) -> str:
    """The baseline: plain records, as an author writes them."""
    record = "- id: e{n}\n  date: 1931-09-18\n  title: The Mukden Incident\n  places: [mukden, harbin]\n" \
             "  summary: Japanese officers blow up a stretch of railway near Mukden.\n"
    count = size // len(record.format(n=100_000)) + 1
    return "".join(record.format(n=n) for n in range(count))


# Each shape, as a function of the size in characters.
SHAPES: dict[str, Callable[[int], str]] = {
    "a line of '?'": lambda size: "- id: a\n  title: " + "?" * size + "\n",
    "a run of spaces in a text": lambda size: "- id: a\n  title: a" + " " * size + "b\n",
    "lines of '? ' (complex keys)": lambda size: "? a\n: b\n" * (size // 8),
    "blank lines": lambda size: "- id: a\n" + "\n" * size + "  title: x\n",
    "a long flow list": lambda size: "- id: a\n  places: [" + "x, " * (size // 3) + "]\n",
    "a mistake at the end": lambda size: events(size) + " title: misplaced\n",
    "an unclosed quotation mark": lambda size: '- id: a\n  title: "x\n' + "  y\n" * (size // 4),
}


def seconds(text: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.process_time()
        parse_yaml(text, "bench.yaml")
        times.append(time.process_time() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="every shape at a tiny size (a check, not figures)")
    options = parser.parse_args()
    small, runs = (20_000, 1) if options.smoke else (1_000_000, 3)
    sizes = (small, 4 * small)
    print(f"YAML readers against hostile shapes, {time.strftime('%Y-%m-%d')}, median of {runs}; sizes "
          f"{sizes[0]:,} and {sizes[1]:,} characters{' (smoke sizes)' if options.smoke else ''}")
    baseline = [seconds(events(size), runs) for size in sizes]
    print(f"   {'plain events.yaml (baseline)':30} {baseline[0]:7.3f} s {baseline[1]:7.3f} s")
    for name, shape in SHAPES.items():
        taken = [seconds(shape(size), runs) for size in sizes]
        ratios = "   ".join(f"ratio {t / b:.2f}" for t, b in zip(taken, baseline, strict=True))
        print(f"   {name:30} {taken[0]:7.3f} s {taken[1]:7.3f} s   against the baseline: {ratios}")
    print("A linear reader keeps each shape's ratio about the same at both sizes; a quadratic scan multiplies it.")


if __name__ == "__main__":
    main()
