"""Stage: source.

The EDTF parser against the level 0 and 1 test cases of three other implementations
(python-edtf, edtf-validate, edtf.js), gathered in tests/data/edtf_conformance.json with
the days each valid string covers under our conventions (see EDTF_CONFORMANCE.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from atlas.source.dates import DateError, parse

TABLE: dict[str, Any] = json.loads((Path(__file__).parent / "data" / "edtf_conformance.json").read_text(encoding="utf-8"))
VALID = [case for case in TABLE["valid"] if not case.get("disputed")]
INVALID = [case for case in TABLE["invalid"] if not case.get("disputed")]
# Where a peer or the spec disagrees: our documented choices (README, "Dates").
REFUSED_ON_PURPOSE = {"/", "../", "/..", "../.."}  # an interval needs at least one end that is known


def test_the_table_is_large_and_from_all_three_peers() -> None:
    peers = {peer for case in TABLE["valid"] + TABLE["invalid"] for peer in case["from"]}
    assert peers == {"python-edtf", "edtf-validate", "edtf.js"}
    assert len(VALID) >= 200 and len(INVALID) >= 90


@pytest.mark.parametrize("case", VALID, ids=[case["edtf"] for case in VALID])
def test_every_valid_level_0_and_1_string_parses_to_its_days(case: dict[str, Any]) -> None:
    date = parse(case["edtf"])
    assert (date.start.iso() if date.start else None, date.end.iso() if date.end else None) == (case["start"], case["end"])
    assert date.text == case["edtf"] and date.display()


@pytest.mark.parametrize("case", INVALID, ids=[case["edtf"] or "(empty)" for case in INVALID])
def test_every_invalid_string_is_refused_with_a_reason(case: dict[str, Any]) -> None:
    with pytest.raises(DateError, match=r"^invalid date "):
        parse(case["edtf"])


def test_the_disputed_cases_are_our_documented_choices() -> None:
    disputed = [case["edtf"] for case in TABLE["valid"] if case.get("disputed")]
    refused = {text for text in disputed if not _parses(text)}
    assert refused == REFUSED_ON_PURPOSE


def _parses(text: str) -> bool:
    try:
        parse(text)
    except DateError:
        return False
    return True
