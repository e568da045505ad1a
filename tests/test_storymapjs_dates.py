"""Stage: formats.

A StoryMapJS slide's `date` is free text, and a historian's negative year in it is the
historians' (and TimelineJS's, and LP-TSV's) year: "-44" is 44 BCE, which EDTF writes
-0043, never -0044 (45 BCE); a year zero-padded to EDTF's four digits ("-0043") is EDTF's;
"0" is no year (1 BCE is followed by 1 CE): the slide is imported undated, with a note.
The import's notes say the convention whenever they use it, and count in words that agree
("1 slide has"). And the other way: the export's notes say what it leaves out and only that
(the places' kinds only when they have some; a period's dates, which a story cannot hold).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from atlas.formats.datetext import read_date
from atlas.source.dates import parse

from conftest import run_atlas

# What a historian types in a slide's date, and the EDTF atlas must read, with how it reads.
NEGATIVE = [("-44", "-0043", "44 BCE"), ("-264", "-0263", "264 BCE"), ("-1", "0000", "1 BCE"),
            ("-44-03-15", "-0043-03-15", "15 March 44 BCE"), ("-264/-241", "-0263/-0240", "264–241 BCE"),
            ("-0043", "-0043", "44 BCE"), ("-0264/-0241", "-0264/-0241", "265–242 BCE"),
            ("-1000", "-0999", "1000 BCE"), ("44 BC", "-0043", "44 BCE")]


def import_slides(tmp_path: Path, dates: list[str]) -> tuple[Any, list[dict[str, Any]]]:
    slides = [{"type": "overview", "text": {"headline": "Rome"}}]
    slides += [{"uniqueid": f"s{n}", "date": date, "text": {"headline": f"Slide {n}"},
                "location": {"lat": 41.9, "lon": 12.5, "name": "Roma"}} for n, date in enumerate(dates)]
    path = tmp_path / "story.json"
    path.write_text(json.dumps({"storymap": {"slides": slides}}), encoding="utf-8")
    result = run_atlas("import", path, "-o", tmp_path / "story")
    assert result.returncode == 0, result.stderr
    events = yaml.safe_load((tmp_path / "story" / "events.yaml").read_text(encoding="utf-8"))
    return result, events


def test_a_negative_year_reads_as_historians_write_it(tmp_path: Path) -> None:
    assert read_date("-10XX") == "-10XX"  # EDTF's own (1100–1001 BCE): not a year "-10"
    for written, meant, reads in NEGATIVE:
        assert read_date(written) == meant, written
        assert parse(meant).display() == reads, written
    result, events = import_slides(tmp_path, [written for written, _, _ in NEGATIVE])
    assert [event["date"] for event in events] == [meant for _, meant, _ in NEGATIVE]
    # The convention, said once, naming the slides that used it (not -0043, nor "44 BC").
    historians = [line.split(": ", 1)[1] for line in result.stdout.splitlines() if "historians" in line]
    assert historians == ["6 slides dated by a negative year as a number, read as historians (and TimelineJS) "
                          "write one: -44 is 44 BCE (EDTF -0043), -264/-241 is 264–241 BCE; a year zero-padded to "
                          "four digits (-0043) is EDTF's (s0, s1, s2, s3, s4, s7)"]


def test_year_zero_is_no_year_and_is_said_to_be(tmp_path: Path) -> None:
    assert read_date("0") is None and read_date("AD 0") is None and read_date("0000") == "0000"
    result, events = import_slides(tmp_path, ["0", "1945"])
    assert "date" not in events[0] and events[0]["summary"] == "(Dated in the story: 0)"
    assert events[1]["date"] == "1945"
    assert ("story.json: 1 slide dated \"0\", no year of either era (1 BCE is followed by 1 CE): imported undated, "
            "the date kept in the summary (s0)\n") in result.stdout
    assert "historians" not in result.stdout


def test_the_import_counts_in_words_that_agree(tmp_path: Path) -> None:
    slides = [{"type": "overview", "text": {"headline": "Rome"}},
              {"text": {"headline": "Undated"}, "location": {"lat": 41.9, "lon": 12.5, "line": True}},
              {"type": "overview", "date": "1945", "text": {"headline": "Again"}, "location": {"lat": 41.9, "lon": 12.5}}]
    path = tmp_path / "story.json"
    path.write_text(json.dumps({"storymap": {"slides": slides}}), encoding="utf-8")
    said = run_atlas("import", path, "-o", tmp_path / "story").stdout
    assert "1 slide has no date" in said and "1 slide's location.line" in said
    assert "1 slide of the overview type after the first" in said and "1 event has no place" in said
    assert ": 1 place, 2 events, 1 period\n" in said  # the summary line, and the check's
    assert "1 period, 2 events, 1 place: no errors" in said


def write_atlas(folder: Path, kind: bool) -> None:
    folder.mkdir(parents=True)
    place = {"id": "roma", "name": "Roma", "coordinates": [41.9, 12.5]}
    if kind:
        place["kind"] = "city"
    files = {"atlas": {"title": "Rome", "language": "en"}, "places": [place],
             "events": [{"id": "founding", "date": "-0752", "title": "Founding", "places": ["roma"]}],
             "periods": [{"id": "kings", "title": "The kings", "when": "-0999/-0508"}]}
    for name, data in files.items():
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def test_the_export_says_what_it_leaves_out_and_only_that(tmp_path: Path) -> None:
    for kind in (False, True):
        folder = tmp_path / f"kind-{kind}"
        write_atlas(folder, kind)
        result = run_atlas("export", folder, "--format", "storymapjs", "-o", tmp_path / f"{kind}.json")
        assert result.returncode == 0, result.stderr
        notes = result.stderr.splitlines()
        assert ("  - the places' kinds left out: a slide's location is a point and a name" in notes) is kind
        assert ("  - the period's dates (-0999/-0508) left out: a story has none of its own (an import makes a "
                "period of its slides' years)") in notes
        back = tmp_path / f"back-{kind}"
        assert run_atlas("import", tmp_path / f"{kind}.json", "-o", back).returncode == 0
        periods = yaml.safe_load((back / "periods.yaml").read_text(encoding="utf-8"))
        assert [period["when"] for period in periods] != ["-0999/-0508"]  # so: said to be lost
