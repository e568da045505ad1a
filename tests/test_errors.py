"""Stages: source, building.

Every kind of data error: reported as `path:line: message`, exit 2, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SAMPLES, run_atlas, tree_digest

BROKEN = sorted(path.name for path in SAMPLES.glob("broken-*"))


def test_there_is_a_broken_sample_for_each_error_kind() -> None:
    kinds = {"yaml-syntax", "csv-syntax", "missing-field", "unknown-field", "duplicate-id", "unknown-place",
             "invalid-date", "reversed-interval", "coordinates", "via-unknown", "unsafe-id", "not-geocoded"}
    assert {f"broken-{kind}" for kind in kinds} <= set(BROKEN)


@pytest.mark.parametrize("name", BROKEN)
def test_check_reports_every_problem_with_file_and_line(samples: Path, name: str) -> None:
    expected = (samples / name / "expected.txt").read_text(encoding="utf-8")
    result = run_atlas("check", name, cwd=samples)
    assert result.returncode == 2
    assert result.stderr == expected
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("name", BROKEN)
def test_a_failed_build_leaves_the_previous_build_exactly_as_it_was(samples: Path, name: str) -> None:
    out = samples / "site"
    assert run_atlas("build", "good", "-o", out, cwd=samples).returncode == 0
    before = tree_digest(out)
    result = run_atlas("build", name, "-o", out, cwd=samples)
    assert result.returncode == 2
    assert result.stderr == (samples / name / "expected.txt").read_text(encoding="utf-8")
    assert tree_digest(out) == before
    leftovers = [path.name for path in samples.iterdir() if path.name.startswith(".site")]
    assert leftovers == []


def test_several_problems_are_all_reported_at_once(samples: Path) -> None:
    lines = (samples / "broken-many" / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert lines == [
        "broken-many/events.yaml:2: invalid date '1931-13-01': month 13 does not exist (01-12, or seasons 21-24)",
        "broken-many/events.yaml:7: event 'soviet-invasion' names unknown place 'mukdn' (did you mean 'mukden'?)",
        "broken-many/places.yaml:7: longitude 223.43 is out of range (-180 to 180)",
    ]


def test_an_invalid_calendar_date_names_its_line(samples: Path) -> None:
    result = run_atlas("check", "broken-invalid-date", cwd=samples)
    assert result.stderr == "broken-invalid-date/events.yaml:2: invalid date '1945-02-30': February 1945 has 28 days\n"


def test_a_missing_source_folder_is_a_user_error(samples: Path) -> None:
    result = run_atlas("build", "nowhere", cwd=samples)
    assert result.returncode == 2
    assert result.stderr.startswith("nowhere:1: not an atlas source folder")


def test_build_refuses_to_replace_a_folder_it_did_not_write(samples: Path) -> None:
    precious = samples / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work", encoding="utf-8")
    result = run_atlas("build", "good", "-o", precious, cwd=samples)
    assert result.returncode == 2
    assert "refusing to replace a folder that atlas did not build" in result.stderr
    assert (precious / "thesis.txt").read_text(encoding="utf-8") == "years of work"


def test_build_refuses_to_write_into_its_own_sources(samples: Path) -> None:
    before = tree_digest(samples / "good")
    result = run_atlas("build", "good", "-o", "good", cwd=samples)
    assert result.returncode == 2
    assert "holds the atlas's sources" in result.stderr
    assert tree_digest(samples / "good") == before


def test_strict_makes_warnings_errors(samples: Path) -> None:
    events = samples / "good" / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace(
        '  sources: [{label: "Glantz, August Storm (2003)"}]\n', ""), encoding="utf-8")
    relaxed = run_atlas("check", "good", cwd=samples)
    assert relaxed.returncode == 0
    assert "good/events.yaml:7: warning: event 'soviet-invasion' cites no sources" in relaxed.stderr
    strict = run_atlas("check", "good", "--strict", cwd=samples)
    assert strict.returncode == 2
    assert "good/events.yaml:7: warning: event 'soviet-invasion' cites no sources" in strict.stderr
