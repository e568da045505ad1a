"""Every input that fuzzing ever found to break a reader, replayed (see fuzz/replay.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES

sys.path.insert(0, str(ROOT / "fuzz"))
from replay import replay

CASES = sorted((SAMPLES / "fuzz-regressions").glob("*.bin"))


def test_there_are_regression_inputs() -> None:
    assert CASES


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_a_fuzzing_find_stays_fixed(case: Path) -> None:
    replay(case.read_bytes())


@pytest.mark.parametrize("seed", sorted((ROOT / "fuzz" / "seeds").iterdir()), ids=lambda p: p.name)
def test_the_fuzzing_seeds_are_good_atlases(seed: Path) -> None:
    replay(seed.read_bytes())  # each seed is a valid file: the fuzzer starts from what passes
