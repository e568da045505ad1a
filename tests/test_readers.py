"""Stage: source.

Reading source files: values as written, the line of every record and field."""

from __future__ import annotations

from pathlib import Path

from atlas.source.readers import read_events_csv, read_yaml, records_of
from atlas.source.records import Record


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_dates_stay_the_text_the_author_wrote(tmp_path: Path) -> None:
    path = write(tmp_path, "events.yaml", "- id: a\n  date: 1945\n- id: b\n  date: 1945-08-15\n- id: c\n  date: -0043\n")
    records = records_of(read_yaml(path), path, "events").records
    assert records is not None
    assert [r.text("date") for r in records] == ["1945", "1945-08-15", "-0043"]
    # The values themselves are YAML's, for the fields that are numbers.
    assert records[0].values["date"] == 1945


def test_every_record_and_field_knows_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "places.yaml", "# a comment\n- id: a\n  name: A\n\n- id: b\n  coordinates: [1.5, 2]\n")
    records = records_of(read_yaml(path), path, "places").records
    assert records is not None
    assert [r.origin.line for r in records] == [2, 5]
    assert records[1].at("coordinates").line == 6
    assert records[1].values["coordinates"] == [1.5, 2]
    assert records[1].at("missing").line == 5


def test_nested_mappings_are_records_too(tmp_path: Path) -> None:
    text = "- id: a\n  names:\n    - {name: X, when: 1900/1910}\n    - name: Y\n      when: 1911\n"
    path = write(tmp_path, "places.yaml", text)
    records = records_of(read_yaml(path), path, "places").records
    assert records is not None
    names = records[0].values["names"]
    assert all(isinstance(name, Record) for name in names)
    assert [(n.text("when"), n.origin.line) for n in names] == [("1900/1910", 3), ("1911", 4)]


def test_quoted_numbers_stay_text_and_yaml_booleans_do_not_leak(tmp_path: Path) -> None:
    path = write(tmp_path, "atlas.yaml", 'title: "1984"\nsubtitle: no\nlanguage: null\n')
    top = read_yaml(path).top
    assert isinstance(top, Record)
    assert top.values == {"title": "1984", "subtitle": False, "language": None}
    assert top.text("subtitle") == "no"


def test_a_syntax_error_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "events.yaml", "- id: a\n  title: ok\n- id: b\n  title: : broken\n   bad indent\n")
    problems = read_yaml(path).problems
    assert len(problems) == 1
    assert problems[0].origin.line == 4
    assert problems[0].message.endswith("put the text in quotes (title: \"…\")")


def test_a_repeated_key_is_remembered(tmp_path: Path) -> None:
    path = write(tmp_path, "events.yaml", "- id: a\n  date: 1900\n  date: 1901\n")
    records = records_of(read_yaml(path), path, "events").records
    assert records is not None
    assert records[0].repeated == [("date", 3)]


def test_a_top_level_that_is_not_a_list_is_a_problem(tmp_path: Path) -> None:
    path = write(tmp_path, "events.yaml", "id: a\ndate: 1900\n")
    read = records_of(read_yaml(path), path, "events")
    assert read.records is None
    assert read.problems[0].message.startswith("expected a list of events")


def test_csv_rows_know_their_first_line_even_after_multiline_cells(tmp_path: Path) -> None:
    path = write(tmp_path, "events.csv",
                 'id,date,title,places,sources\na,1900,"Two\nlines",x;y,Book\nb,1901,B,,Site <https://example.org/b>\n')
    records = read_events_csv(path).records
    assert records is not None
    assert [r.origin.line for r in records] == [2, 4]
    assert records[0].values["places"] == ["x", "y"]
    assert records[0].values["title"] == "Two\nlines"
    assert records[1].values["sources"][0].values == {"label": "Site", "url": "https://example.org/b"}
    assert "places" not in records[1].texts


def test_a_bom_and_blank_rows_in_csv_are_harmless(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_bytes("\ufeffid,date,title\na,1900,A\n,,\n".encode())
    records = read_events_csv(path).records
    assert records is not None
    assert [r.values["id"] for r in records] == ["a"]
