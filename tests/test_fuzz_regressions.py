"""Stages: source, formats, building.

Every input that fuzzing ever found to break a reader, replayed (see fuzz/replay.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES

sys.path.insert(0, str(ROOT / "fuzz"))
from replay import replay
from replay_importers import TARGETS, first_byte
from replay_importers import replay as replay_import
from replay_incremental import replay_edit

CASES = sorted((SAMPLES / "fuzz-regressions").glob("*.bin"))
IMPORT_CASES = sorted((SAMPLES / "fuzz-regressions" / "importers").glob("*.bin"))
# Inputs of fuzz/fuzz_incremental.py: each a whole events.yaml, replayed in order after the seeds.
EDITS = [*sorted((ROOT / "fuzz" / "seeds-incremental").iterdir()),
         *sorted((SAMPLES / "fuzz-regressions" / "incremental").glob("*.yaml"))]


def test_there_are_regression_inputs() -> None:
    assert CASES


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_a_fuzzing_find_stays_fixed(case: Path) -> None:
    replay(case.read_bytes())


@pytest.mark.parametrize("seed", sorted((ROOT / "fuzz" / "seeds-readers").iterdir()), ids=lambda p: p.name)
def test_the_fuzzing_seeds_are_good_atlases(seed: Path) -> None:
    replay(seed.read_bytes())  # each seed is a valid file: the fuzzer starts from what passes


def test_edits_build_incrementally_as_a_full_build_would() -> None:
    assert len(EDITS) >= 4
    for edit in EDITS:  # one after the other: each builds on the record the previous one left
        replay_edit(edit.read_bytes())


@pytest.mark.parametrize("case", IMPORT_CASES, ids=[case.stem for case in IMPORT_CASES])
def test_an_import_fuzzing_find_stays_fixed(case: Path) -> None:
    replay_import(case.read_bytes())  # fuzz/replay_importers.py: `atlas import`, then check


@pytest.mark.parametrize("seed", sorted((ROOT / "fuzz" / "seeds-importers").iterdir()), ids=lambda p: p.name)
def test_the_import_fuzzing_seeds_import(seed: Path) -> None:
    refused = replay_import(seed.read_bytes())  # each seed imports and checks: the fuzzer starts from there
    assert refused is None, refused


IMPORT_SEEDS = sorted((ROOT / "fuzz" / "seeds-import").glob("*/*"))


@pytest.mark.parametrize("seed", IMPORT_SEEDS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_each_importers_own_fuzzing_seeds_import(seed: Path) -> None:
    # fuzz/fuzz_import.py fuzzes one format a target, from its own folder of seeds.
    refused = replay_import(bytes([first_byte(seed.parent.name, existing=False)]) + seed.read_bytes())
    assert refused is None, refused


def test_every_importer_has_its_own_fuzzing_target() -> None:
    assert {seed.parent.name for seed in IMPORT_SEEDS} == {name for name, _ in TARGETS}
