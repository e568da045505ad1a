"""The YAML readers and the checks behind them against hostile or careless input (issue 21):
aliases budgeted in bytes, linear scans, both readers alike, no traceback from huge numbers
or odd geocoder options, EDTF times of day within their bounds, bounded did-you-mean.

Each test here reproduced its finding before the fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from atlas import fastyaml
from atlas.readers import parse_yaml

from conftest import SAMPLES, run_atlas

MB = 1_000_000


def good_atlas(tmp_path: Path) -> Path:
    return shutil.copytree(SAMPLES / "good", tmp_path / "src")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def event(n: int, summary: str) -> str:
    return (f"- id: e{n}\n  date: 1932\n  title: Event {n}\n  places: [mukden]\n  category: war\n"
            f"  sources: [{{label: Book}}]\n  summary: {summary}\n")


# V9 ---------------------------------------------------------------------------------

def test_aliases_of_one_long_summary_are_refused_by_the_text_they_repeat(tmp_path: Path) -> None:
    """299 aliases of a 1 MB summary were 299 values (within the count budget) but 299 MB
    of text on the pages: the budget is the text repeated, in characters."""
    source = good_atlas(tmp_path)
    events = source / "events.yaml"
    first = len(events.read_text(encoding="utf-8").splitlines()) + 1
    append(events, event(0, "&long " + "x" * MB) + "".join(event(n, "*long") for n in range(1, 300)))
    result = run_atlas("check", "src", cwd=tmp_path)
    assert result.returncode == 2
    # The second alias passes the budget: the record it is in starts 7 lines after the first one's.
    line = first + 2 * 7 + 6
    assert result.stderr == (f"src/events.yaml:{line}: YAML aliases (*name) repeat more than 1,000,000 characters "
                             "of text in this file (an alias bomb?): write the text out instead\n")


def test_nested_aliases_count_every_character_they_repeat() -> None:
    """Two 300,000-character texts under an anchor: `*a` inside `b` repeats 600,000 characters,
    and `c: *b` repeats them again through b (a nested alias), passing the million."""
    text = (f"a: &a ['{'y' * 300_000}', '{'z' * 300_000}']\n"
            "b: &b [*a, small]\n"
            "c: *b\n")
    problems = parse_yaml(text, "f.yaml").problems
    assert [(p.origin.line, p.message.partition(" (an alias bomb?)")[0]) for p in problems] == [
        (3, "YAML aliases (*name) repeat more than 1,000,000 characters of text in this file")]
    assert not parse_yaml(text.removesuffix("c: *b\n"), "f.yaml").problems  # 600,000 characters: allowed


def test_an_alias_the_fast_reader_could_see_takes_the_libyaml_walk() -> None:
    """rapidyaml read `"b":*x` (an alias after a quoted key's colon) as the text '*x' where
    libyaml reads the alias; no alias may be read by the fast reader at all."""
    for text in ('{"a": &x 1, "b":*x}\n', '- {"a":&x v, "b":*x}\n', '"a": &x [1]\n"b":*x\n', '["a":*x]\n'):
        assert fastyaml.read(text, "f") is fastyaml.SLOW, text
    read = parse_yaml('{"a": &x 1, "b":*x}\n', "f")
    assert read.top.values == {"a": 1, "b": 1}
    assert yaml.safe_load('{"a": &x 1, "b":*x}\n') == {"a": 1, "b": 1}
