"""Every input that fuzzing ever found to break a reader, replayed (see fuzz/replay.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES

sys.path.insert(0, str(ROOT / "fuzz"))
from replay_importers import replay as replay_import

from replay import replay

CASES = sorted((SAMPLES / "fuzz-regressions").glob("*.bin"))
IMPORT_CASES = sorted((SAMPLES / "fuzz-regressions" / "importers").glob("*.bin"))


def test_there_are_regression_inputs() -> None:
    assert CASES


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_a_fuzzing_find_stays_fixed(case: Path) -> None:
    replay(case.read_bytes())


@pytest.mark.parametrize("seed", sorted((ROOT / "fuzz" / "seeds").iterdir()), ids=lambda p: p.name)
def test_the_fuzzing_seeds_are_good_atlases(seed: Path) -> None:
    replay(seed.read_bytes())  # each seed is a valid file: the fuzzer starts from what passes


@pytest.mark.parametrize("case", IMPORT_CASES, ids=[case.stem for case in IMPORT_CASES])
def test_an_import_fuzzing_find_stays_fixed(case: Path) -> None:
    replay_import(case.read_bytes())  # fuzz/replay_importers.py: `atlas import`, then check


@pytest.mark.parametrize("seed", sorted((ROOT / "fuzz" / "seeds-importers").iterdir()), ids=lambda p: p.name)
def test_the_import_fuzzing_seeds_import(seed: Path) -> None:
    assert replay_import(seed.read_bytes()) is None  # each seed imports and checks: the fuzzer starts from there
