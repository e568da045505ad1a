"""Stage: all (the benchmark).

The benchmark keeps working: `make bench`'s script, every measure at a tiny size."""

from __future__ import annotations

import re
import subprocess
import sys

from browser import require_chromium
from conftest import ROOT


def test_the_benchmark_runs_every_measure_and_prints_its_ratios() -> None:
    require_chromium()
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_build.py"), "--smoke"],
                            capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for heading in ("1. full build", "2. rebuild", "3. full build", "4. dense page", "5. atlas --help",
                    "6. default atlas", "7. default atlas in en, zh, ru"):
        assert heading in out
    assert "skipped" not in out
    ratios = [float(value) for value in re.findall(r"ratio (\d+\.\d\d)", out)]
    assert len(ratios) == 10 and all(value > 0 for value in ratios)
    assert re.search(r"peak memory \d+ MiB", out)
