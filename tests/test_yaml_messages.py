"""Stage: source.

The usual YAML mistakes are told in plain words at the line of the mistake itself
(issue 21): a tab, a line indented too little or too much, a forgotten '- ', a colon in
unquoted text, a quotation mark or a bracket left open. The broken samples
tests/samples/broken-yaml-*/ show each through `atlas check` (tests/test_errors.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fuzz_properties import mutated

from atlas.source.readers import parse_yaml

from conftest import SAMPLES, run_atlas

GOOD = (SAMPLES / "good" / "events.yaml").read_text(encoding="utf-8")


def problem(text: str) -> str:
    """The one problem a YAML text has, as `line: message`."""
    problems = parse_yaml(text, "events.yaml").problems
    assert len(problems) == 1, problems
    return f"{problems[0].origin.line}: {problems[0].message}"


def test_every_usual_mistake_has_a_broken_sample() -> None:
    for kind in ("tab", "indentation", "indented-too-far", "missing-dash", "unquoted-colon", "unclosed-quote"):
        expected = (SAMPLES / f"broken-yaml-{kind}" / "expected.txt").read_text(encoding="utf-8")
        assert "YAML syntax error" not in expected and "expected" not in expected and "token" not in expected, kind


def test_a_tab_is_named_as_a_tab_where_libyaml_says_token() -> None:
    """libyaml: "found character that cannot start any token"."""
    text = GOOD.replace("  sources: [{label: \"Glantz", "\tsources: [{label: \"Glantz")
    assert problem(text) == ("12: this line is indented with a tab, and YAML indents with spaces only: replace the tab "
                             "with spaces (as many as the lines above use)")
    assert problem("- id: a\n  places:\n\t- mukden\n").startswith("3: this line is indented with a tab")


def test_a_misindented_line_deep_in_a_file_is_named_with_what_to_line_it_up_with() -> None:
    """libyaml: "did not find expected '-' indicator (while parsing a block collection on line 1)"."""
    records = "".join(f"- id: e{n}\n  date: 1932\n  title: E{n}\n" for n in range(400))
    text = records.replace("  title: E316\n", " title: E316\n")
    line = text.splitlines().index(" title: E316") + 1
    assert line == 951
    assert problem(text) == ("951: this line is indented by 1 space, unlike the lines around it: line it up with "
                             "'date' on line 950 (2 spaces)")


def test_a_line_between_two_levels_names_both() -> None:
    text = "- id: a\n  sources:\n    - label: Book\n   url: https://example.org\n"
    assert problem(text) == ("4: this line is indented by 3 spaces, unlike the lines around it: line it up with "
                             "'label' on line 3 (6 spaces) or with 'sources' on line 2 (2 spaces)")
    text = "- id: a\n  sources:\n    - label: A\n  - label: B\n"
    assert problem(text) == ("4: this line is indented by 2 spaces, unlike the lines around it: line it up with the "
                             "'-' on line 3 (4 spaces) or with the '-' on line 1 (0 spaces)")


def test_a_line_indented_too_far_is_not_blamed_on_a_colon() -> None:
    """libyaml: "mapping values are not allowed in this context", and the old hint was only
    about quoting text with a colon."""
    text = GOOD.replace("  title: The Mukden", "     title: The Mukden")
    assert problem(text) == ("3: this line is indented more than line 2, so YAML reads it as more of the text there: "
                             "if 'title' is a field, line it up with 'date' on line 2 (2 spaces); if this is text "
                             "with a colon in it, put the text in quotes")
    assert problem("- id: a\n  title: x\n   - id: b\n").startswith(
        "3: this line is indented more than line 2, so YAML reads it as more of the text there: if it is a new "
        "entry, line its '-' up with the '-' on line 1 (0 spaces)")


def test_a_colon_in_text_keeps_its_hint() -> None:
    text = GOOD.replace("  title: The Mukden Incident", "  title: Mukden: the incident")
    assert problem(text) == ("3: this text holds a colon followed by a space, which YAML reads as the start of a "
                             "field; if this is text with a colon in it, put the text in quotes (title: \"…\")")


def test_a_forgotten_dash_is_named_at_the_entry_it_would_start() -> None:
    assert problem(GOOD.replace("- id: soviet-invasion", "id: soviet-invasion")) == (
        "7: this line starts a new entry without '- ': write '- ' before 'id', as on line 1")
    nested = "- id: a\n  sources:\n    - {label: A}\n    {label: B}\n"
    assert problem(nested) == "4: this line starts a new entry without '- ': write '- ' before it, as on line 3"
    assert problem("- id: a\n-id: b\n") == ("2: the '-' that starts an entry is followed by a space: write '- ' at "
                                           "the start of this line")


def test_a_forgotten_dash_that_yaml_reads_is_told_by_the_check(tmp_path: Path) -> None:
    """Indented like the fields, `id:` without its '- ' makes one event of two; every field
    of the second was "given twice" (six messages). One message says what happened."""
    source = shutil.copytree(SAMPLES / "good", tmp_path / "src")
    (source / "events.yaml").write_text(GOOD.replace("- id: soviet-invasion", "  id: soviet-invasion"),
                                        encoding="utf-8")
    result = run_atlas("check", "src", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == ("src/events.yaml:7: 'id' is given a second time in this event: if this line starts a "
                             "new entry, write '- ' before 'id'\n")


def test_a_list_written_without_dashes_says_how_a_list_is_written(tmp_path: Path) -> None:
    source = shutil.copytree(SAMPLES / "good", tmp_path / "src")
    (source / "events.yaml").write_text(
        GOOD.replace('  sources: [{label: "Glantz, August Storm (2003)"}]', '  sources:\n    label: Glantz'),
        encoding="utf-8")
    result = run_atlas("check", "src", cwd=tmp_path)
    assert ("src/events.yaml:12: 'sources' should be a list: its items one a line, each after '- ' "
            "(or in brackets: [{…}, {…}])\n") in result.stderr


def test_an_open_quotation_mark_is_named_where_it_opens_not_where_libyaml_stops() -> None:
    """libyaml stops at the next quotation mark of the same kind, lines later."""
    text = GOOD.replace("  title: The Mukden Incident", "  title: \"The Mukden Incident")
    assert problem(text).startswith('3: the quotation mark (") that opens the text on this line is never closed')
    assert problem("- id: a\n  title: 'Port Arthur\n").startswith("2: the quotation mark (') that opens the text")
    assert problem("- id: a\n  title: \"Mukden\" incident\n") == (
        "2: the text goes on after its closing quotation mark: put the whole text in quotes, or none of it")


def test_an_open_bracket_is_named_where_it_opens() -> None:
    text = GOOD.replace("  places: [harbin, mukden]", "  places: [harbin, mukden")
    assert problem(text) == ("10: the list that begins with '[' on this line is never closed: end it with ']' on the "
                             "same line (or, if this is text that begins with '[', put it in quotes)")
    text = "- id: a\n  sources: [{label: A},\n    {label: B} {label: C}]\n"
    assert problem(text).startswith("3: a comma is missing before '{label: C}]'")


def test_a_field_without_its_space_or_colon() -> None:
    assert problem("- id: a\n  title:Mukden\n  date: 1931\n") == (
        "2: a field's colon is followed by a space: write 'title: Mukden'")
    assert problem("- id: a\n  title: x\n  some words\n  date: 1931\n") == (
        "3: this line is not a field (name: value): if it goes on with the text above, indent it as that text "
        "is; if it is a field, write a colon and a space after its name")


def test_text_that_begins_with_a_reserved_character() -> None:
    assert problem("- id: a\n  title: @home\n") == (
        "2: text may not begin with '@' unless it is in quotes: write it in double quotes (\"@…\")")


def test_a_second_document_in_a_file() -> None:
    assert problem("- id: a\n  title: x\n---\n- id: b\n") == (
        "3: '---' starts a second YAML document here, and an atlas file holds one: remove this line")


def test_what_libyaml_says_of_other_mistakes_is_kept() -> None:
    assert problem("- id: a\n  title: *nowhere\n") == "2: YAML syntax error: found undefined alias"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_message_is_found_for_any_broken_file_without_a_traceback(data: st.DataObject) -> None:
    """The explanation runs on whatever failed to parse: it never fails itself, and names a
    line of the file."""
    base = data.draw(st.sampled_from([GOOD, (SAMPLES / "good" / "places.yaml").read_text(encoding="utf-8")]))
    text = data.draw(mutated(base.replace("  ", data.draw(st.sampled_from(["  ", " ", "\t", "   "])), 1)))
    for found in parse_yaml(text, "events.yaml").problems:
        assert 1 <= found.origin.line <= text.count("\n") + 1, found
