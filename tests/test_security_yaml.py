"""Stage: source.

The YAML readers and the checks behind them against hostile or careless input (issue 21):
aliases budgeted in bytes, linear scans, both readers alike, no traceback from huge numbers
or odd geocoder options, EDTF times of day within their bounds, bounded did-you-mean.

Each test here reproduced its finding before the fix."""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fastyaml import same
from test_fuzz_properties import values

from atlas.errors import Origin
from atlas.source import declared, fastyaml
from atlas.source.checker import Checker
from atlas.source.dates import DateError, parse
from atlas.source.readers import parse_yaml, read_folder
from atlas.source.validate import validate
from atlas.util.suggest import MAX_CANDIDATES, Names

from conftest import ROOT, SAMPLES, run_atlas

MB = 1_000_000


def good_atlas(tmp_path: Path) -> Path:
    return shutil.copytree(SAMPLES / "good", tmp_path / "src")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def check_within(seconds: int, source: Path) -> subprocess.CompletedProcess[str]:
    """`atlas check` as run_atlas runs it, stopped after `seconds` (a guard, not a measure)."""
    return subprocess.run([sys.executable, "-m", "atlas", "check", source.name], cwd=source.parent,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=seconds)


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


# V11 --------------------------------------------------------------------------------

def test_a_long_line_of_question_marks_is_checked_in_one_pass(tmp_path: Path) -> None:
    """The fast reader looked for a complex key (`? ` first on a line) by scanning back to the
    line's start from every '?': a 1 MB line took 43-51 s, so 4 MB would take some 12 minutes.
    One pass over the line starts reads it in about a second; the timeout only guards a hang."""
    source = good_atlas(tmp_path)
    append(source / "events.yaml", event(1, "?" * (4 * MB)))
    result = check_within(120, source)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "src: 2 periods, 3 events, 3 places: no errors\n"


def test_a_long_run_of_spaces_inside_a_text_goes_to_libyaml(tmp_path: Path) -> None:
    """rapidyaml's time grows with the square of a run of spaces inside a plain text
    ("a      b"): 100,000 spaces took it 4 s, so 2 MB would take half an hour. Such a file is
    read by libyaml, in linear time, and gives the same values."""
    assert fastyaml.read(event(1, "a" + " " * 100_000 + "b"), "f") is fastyaml.SLOW
    aligned = event(1, "a" + " " * 16 + "b")  # spaces that align text: still the fast reader's
    assert fastyaml.read(aligned, "f") is not fastyaml.SLOW
    source = good_atlas(tmp_path)
    append(source / "events.yaml", event(1, "a" + " " * (2 * MB) + "b"))
    result = check_within(120, source)
    assert result.returncode == 0, result.stderr


def test_a_complex_key_is_still_found_wherever_it_is() -> None:
    for text in ("? a\n: b\n", "x: 1\n? a\n: b\n", "x:\n  ? a\n  : b\n", "x: 1\n  ?\n", "- ? a\n", "x: 1\r\n? a\r\n"):
        taken = fastyaml.read(text, "f")
        # "- ? a" is an entry whose key is complex: rapidyaml refuses it, libyaml reads it.
        assert taken is fastyaml.SLOW, text
    for text in ("x: a ? b\n", "x: '?'\n", "x: ?a\n", "x: [a?, b]\n", "x: " + "?" * 50 + "\n"):
        assert fastyaml.read(text, "f") is not fastyaml.SLOW, text


def test_the_yaml_benchmark_runs_every_shape_against_its_baseline() -> None:
    """benchmarks/bench_yaml.py times each hostile shape against a plain file of the same size
    (its figures are for reading, not asserted: no test here measures time)."""
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_yaml.py"), "--smoke"],
                            capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if "against the baseline" in line]
    assert len(lines) == 7 and "a line of '?'" in lines[0] and "a run of spaces" in lines[1]
    assert all(len(re.findall(r"ratio \d+\.\d\d", line)) == 2 for line in lines)


# Both readers read a block scalar alike --------------------------------------------------

def block_scalar(header: str, indent: int, lines: list[str]) -> str:
    """A block scalar's lines: text lines indented by `indent` (and any more they have),
    blank lines as they are (empty, or spaces only)."""
    return "".join((" " * indent + line if line.strip() else line) + "\n" for line in lines)


TEXT_LINE = st.builds(lambda extra, words: " " * extra + words, st.integers(0, 3),
                      st.text(alphabet=" ab#:-'\"|>", min_size=1, max_size=8).filter(lambda t: t.strip() != ""))
BLANK_LINE = st.integers(0, 7).map(lambda n: " " * n)


@st.composite
def block_documents(draw: st.DrawFn) -> str:
    """A small document with a block scalar (`|` or `>`, any chomping, any indentation
    indicator) as a field of a top-level mapping, of a record in a list, or as a list item;
    with blank and more-indented lines, and the end of the file right after it or not."""
    chomping, digit = draw(st.sampled_from(["", "-", "+"])), draw(st.sampled_from(["", "1", "2", "3", "4"]))
    header = draw(st.sampled_from("|>")) + (chomping + digit if draw(st.booleans()) else digit + chomping)
    header += draw(st.sampled_from(["", " # note"]))
    where = draw(st.sampled_from(["top", "record", "item"]))
    lead, base = {"top": ("text: ", 0), "record": ("- id: a\n  text: ", 2), "item": ("list:\n  - ", 2)}[where]
    indent = base + (int(digit) if digit else draw(st.integers(1, 4)))
    lines = draw(st.lists(TEXT_LINE | BLANK_LINE, max_size=6))
    after = draw(st.sampled_from(["", "next: v\n", "# the end\n", "\n"]))
    if where == "record" and after == "next: v\n":
        after = "  next: v\n"
    elif where == "item" and after == "next: v\n":
        after = "  - v\n"
    text = lead + header + "\n" + block_scalar(header, indent, lines) + after
    if draw(st.booleans()):
        text = text.removesuffix("\n")  # a file that does not end with a line break
    return text.replace("\n", "\r\n") if draw(st.integers(0, 9)) == 0 else text


BLOCKS = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@BLOCKS
@given(block_documents())
def test_both_readers_read_every_block_scalar_alike(text: str) -> None:
    same(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values, st.sampled_from(["|", ">"]), st.sampled_from([{}, {"width": 20}, {"allow_unicode": True}]))
def test_values_written_as_block_scalars_read_alike(value: Any, style: str, options: dict[str, Any]) -> None:
    same(yaml.safe_dump(value, default_style=style, **options))


def test_the_block_scalars_the_readers_read_differently() -> None:
    """Found by the property test above: rapidyaml ended a block scalar that ends the file
    with a line break libyaml does not add, and dropped the spaces of a blank line deeper
    than an indentation indicator says; such files now go to libyaml."""
    for text in ("x: |\n  a", "x: >\n  a", "x: |2\n  a", "x: |4\n      \n", "- id: a\n  x: >3\n  \n        \n"):
        same(text)
        assert fastyaml.read(text, "f") is fastyaml.SLOW, text
    for text in ("x: |\n  a\n", "x: >-\n  a\n  b\n\n", "- id: a\n  x: |\n    one\n\n    two\n"):
        assert not same(text), text  # the usual block scalars stay the fast reader's


# Huge numbers and odd geocoder options: located errors, never a traceback ---------------------

HUGE = "9" * 400  # YAML reads it as an integer; turned into a float it raised OverflowError
SHOWN = "99999999999…(400 digits)"


@pytest.mark.parametrize(("file", "old", "new", "message"), [
    ("places.yaml", "coordinates: [45.75, 126.65]", f"coordinates: [{HUGE}, 126.65]",
     f"places.yaml:11: latitude {SHOWN} is out of range (-90 to 90)"),
    ("places.yaml", "coordinates: [45.75, 126.65]", f"coordinates: [45.75, -{HUGE}]",
     f"places.yaml:11: longitude -{SHOWN} is out of range (-180 to 180)"),
    ("places.yaml", "coordinates: [45.75, 126.65]", f"polygon: [[45, 126], [46, 127], [45, {HUGE}]]",
     f"places.yaml:11: longitude {SHOWN} is out of range (-180 to 180)"),
    ("periods.yaml", "when: 1931/1945-08-15", f"when: 1931/1945-08-15\n  view: {{center: [45, 126], zoom: {HUGE}}}",
     f"periods.yaml:4: zoom {SHOWN} is out of range (0 to 20)"),
    ("periods.yaml", "when: 1931/1945-08-15", f"when: 1931/1945-08-15\n  view: {{center: [{HUGE}, 126], zoom: 5}}",
     f"periods.yaml:4: latitude {SHOWN} is out of range (-90 to 90)"),
    ("events.yaml", "category: war\n  sources: [{label: \"Britannica\"",
     f"category: war\n  view: {{center: [45, 126], zoom: -{HUGE}}}\n  sources: [{{label: \"Britannica\"",
     f"events.yaml:6: zoom -{SHOWN} is out of range (0 to 20)"),
    ("atlas.yaml", "language: en", f"language: en\nview: {{center: [45, 126], zoom: {HUGE}}}",
     f"atlas.yaml:3: zoom {SHOWN} is out of range (0 to 20)"),
    ("events.yaml", "places: [mukden]", f"places: [mukden]\n  route: [mukden, [{HUGE}, 126]]",
     f"events.yaml:5: latitude {SHOWN} is out of range (-90 to 90)"),
])
def test_a_400_digit_number_in_yaml_is_a_located_error(tmp_path: Path, file: str, old: str, new: str,
                                                        message: str) -> None:
    source = good_atlas(tmp_path)
    path = source / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run_atlas("check", "src", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert f"src/{message}\n" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_400_digit_number_in_geocoded_json_is_a_located_error(tmp_path: Path) -> None:
    source = shutil.copytree(SAMPLES / "good", tmp_path / "src")
    append(source / "places.yaml", "- id: dalian\n  name: Dalian\n  geocode: Dalian\n")
    (source / "geocoded.json").write_text(
        '{"version": 1, "places": {"dalian": {"query": "Dalian", "provider": "offline", "lat": ' + HUGE
        + ', "lon": 121.6}}}', encoding="utf-8")
    for command in ("check", "geocode"):
        result = run_atlas(command, "src", "--offline", cwd=tmp_path) if command == "geocode" else \
            run_atlas(command, "src", cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith("src/geocoded.json:1: ")
        assert f"the answer for 'dalian' is not a position on the globe (latitude {SHOWN}" in result.stderr


GEOCODER = """title: "Sample atlas"
language: en
geocoder:
  provider: {provider}
  options:
    user_agent: "atlas tests (teacher@school.example)"
    domain: "127.0.0.1:9"
    {option}
"""


@pytest.mark.parametrize(("provider", "option", "message"), [
    ("nominatim", 'timeout: "x"', "geocoder option 'timeout' should be a number of seconds, such as 10, got 'x'"),
    ("nominatim", "timeout: -1", "geocoder option 'timeout' should be a number of seconds, such as 10, got -1"),
    ("nominatim", f"timeout: {HUGE}", f"geocoder option 'timeout' should be a number of seconds, such as 10, got "
                                      f"{SHOWN}"),
    ("nominatim", "user_agent: 5", "geocoder option 'user_agent' should be text (in quotes), got 5"),
    ("nominatim", "scheme: ftp", "geocoder option 'scheme' should be http or https, got 'ftp'"),
    ("nominatim", "proxies: [a, b]", "geocoder option 'proxies' should be a proxy's address, or a mapping such as "
                                     "{https: \"http://proxy.example:3128\"}"),
    ("nominatim", "adapter_factory: urllib", "geocoder option 'adapter_factory' cannot be set in atlas.yaml"),
    ("nominatim", "timout: 5", "unknown geocoder option 'timout' for nominatim (did you mean 'timeout'?); it takes "
                               "domain, proxies, scheme, timeout, user_agent"),
    ("nominatim", "api_key: abc", "unknown geocoder option 'api_key' for nominatim; it takes domain, proxies, "
                                  "scheme, timeout, user_agent"),
    ("arcgis", "token_lifetime: soon", "geocoder option 'token_lifetime' should be a whole number, got 'soon'"),
])
def test_geocoder_options_of_the_wrong_kind_are_errors_at_check(tmp_path: Path, provider: str, option: str,
                                                                message: str) -> None:
    """`check` said "no errors" to these, and `atlas geocode` then failed with a traceback."""
    source = good_atlas(tmp_path)
    (source / "atlas.yaml").write_text(GEOCODER.format(provider=provider, option=option), encoding="utf-8")
    result = run_atlas("check", "src", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"src/atlas.yaml:8: {message}\n"


@pytest.mark.parametrize("option", ['domain: ["a", "b"]', "domain: https://example.org", "user_agent: [x]"])
def test_atlas_geocode_refuses_odd_options_before_it_asks_anyone(tmp_path: Path, option: str) -> None:
    source = good_atlas(tmp_path)
    text = GEOCODER.format(provider="nominatim", option="timeout: 5")
    text = text.replace('    domain: "127.0.0.1:9"', f"    {option}") if "domain" in option else \
        text.replace('    user_agent: "atlas tests (teacher@school.example)"', f"    {option}")
    (source / "atlas.yaml").write_text(text, encoding="utf-8")
    append(source / "places.yaml", "- id: dalian\n  name: Dalian\n  geocode: Dalian\n")
    result = run_atlas("geocode", "src", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("src/atlas.yaml:") and "geocoder option" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (source / "geocoded.json").exists()


# EDTF times of day ------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "reason"), [
    ("1985-04-12T12:00:00-13:00", "-13:00 is not an offset from UTC (from -12:00 to +14:00)"),
    ("1985-04-12T12:00:00-12:01", "-12:01 is not an offset from UTC (from -12:00 to +14:00)"),
    ("1985-04-12T12:00:00+14:01", "+14:01 is not an offset from UTC (from -12:00 to +14:00)"),
    ("1985-04-12T12:00:00+15", "+15 is not an offset from UTC (from -12:00 to +14:00)"),
    ("1985-04-12T24:00:00", "24:00:00 is not a time of day: the end of a day is the next day's 00:00:00"),
    ("1985-04-12T24:00:00Z", "24:00:00 is not a time of day: the end of a day is the next day's 00:00:00"),
])
def test_times_of_day_and_offsets_beyond_their_bounds_are_refused(text: str, reason: str) -> None:
    with pytest.raises(DateError) as refused:
        parse(text)
    assert str(refused.value) == f"invalid date '{text}': {reason}"


def test_the_offsets_at_the_bounds_are_times_of_day() -> None:
    for text in ("1985-04-12T12:00:00-12:00", "1985-04-12T12:00:00+14:00", "1985-04-12T12:00:00-12",
                 "1985-04-12T23:59:59+05:30", "1985-04-12T00:00:00Z"):
        assert parse(text).display().startswith("12 April 1985, "), text


# Did-you-mean ---------------------------------------------------------------------------

def test_did_you_mean_compares_each_unknown_reference_with_few_ids(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """10,000 events naming misspelt places, among 10,000 places: each reference was compared
    with every id (100 million difflib comparisons, minutes). Counted here: difflib compares
    each reference with at most a few dozen ids, and the usual typo still finds its place."""
    count = 10_000
    source = tmp_path / "src"
    source.mkdir()
    (source / "atlas.yaml").write_text("title: Many\n", encoding="utf-8")
    (source / "periods.yaml").write_text("- {id: all, title: All, when: 1900/1999}\n", encoding="utf-8")
    (source / "places.yaml").write_text("".join(f"- {{id: station-{n}, name: S, coordinates: [40, 120]}}\n"
                                                for n in range(count)), encoding="utf-8")
    # Every event names one place with a letter dropped (a typo) and one nothing is like.
    (source / "events.yaml").write_text("".join(
        f"- {{id: e{n}, date: 1950, title: E, places: [staton-{n}, q{n}z], sources: [{{label: B}}]}}\n"
        for n in range(count)), encoding="utf-8")
    compared = 0
    original = difflib.SequenceMatcher.real_quick_ratio

    def counted(self: difflib.SequenceMatcher[str]) -> float:
        nonlocal compared
        compared += 1
        return original(self)

    monkeypatch.setattr(difflib.SequenceMatcher, "real_quick_ratio", counted)
    _, problems = validate(read_folder(source))
    assert len(problems) == 2 * count
    assert problems[0].message == "event 'e0' names unknown place 'staton-0' (did you mean 'station-0'?)"
    assert problems[1].message == "event 'e0' names unknown place 'q0z'"
    assert problems[-2].message.endswith(f"(did you mean 'station-{count - 1}'?)")
    assert compared <= 2 * count * MAX_CANDIDATES  # was count * count for each of the two


def test_the_usual_typos_still_find_their_name() -> None:
    names = Names(["mukden", "harbin", "port-arthur", "dalian", "lushun", "beijing", "chinese-eastern-railway"])
    for typo, meant in [("mukdn", "mukden"), ("harbinn", "harbin"), ("port-artur", "port-arthur"),
                        ("dailan", "dalian"), ("lüshun", "lushun"), ("makdan", "mukden"),
                        ("chinese-eastern-railwya", "chinese-eastern-railway")]:
        assert names.closest(typo) == meant, typo
    assert names.closest("tokyo") is None and names.closest("m" * 100_000) is None


def test_categories_used_once_are_matched_against_few_others(monkeypatch: pytest.MonkeyPatch) -> None:
    """Undeclared categories: each one used once was tested against every category used more
    often (quadratic); now only against those one typo away by the index."""
    tested = 0
    original = declared.one_typo_apart

    def counted(a: str, b: str) -> bool:
        nonlocal tested
        tested += 1
        return original(a, b)

    monkeypatch.setattr(declared, "one_typo_apart", counted)
    here = Origin("events.yaml", 1)
    uses = [(f"war-{n}", here) for n in range(5000) for _ in range(2)] + [(f"wr-{n}", here) for n in range(5000)]
    checker = Checker()
    declared.check_uses(checker, "categories", (), uses)
    assert len(checker.problems) == 5000
    assert checker.problems[7].message.startswith("category 'wr-7' is used once; did you mean 'war-7'?")
    assert tested <= 5000 * MAX_CANDIDATES  # was 5,000 × 5,000
