"""Stage: formats.

A TimelineJS slide's `display_date` read as a historian writes it: "c. 300 BC", "ca. 300
BCE", "circa 300 BC", "~300 BC", "300 BC?", "c. 300 B.C.", "c. 264–241 BC" read with the
free-text reader StoryMapJS's dates use (atlas/formats/datetext.py); when they say the
slide's own date, their qualifier is the date's and the words are not kept in the summary;
when they say another date, the words are kept and noted. And so the export's own words
for what TimelineJS's dates cannot say (an open end, a season, a qualifier) come back as
the date; what still cannot come back is named in the export's notes. The export's "Where:"
paragraph is recognised: left out of the summary, its places named in a note (TimelineJS
has no places). An import into an existing atlas says that the file's title is not
taken, and adds no period for events already inside the atlas's own periods.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from conftest import run_atlas

# display_date as people write it, for a slide whose start_date is TimelineJS's year -300
# (300 BCE, EDTF -0299): the date it means.
SAID = [("c. 300 BC", "-0299~"), ("c.300 BC", "-0299~"), ("ca. 300 BCE", "-0299~"), ("circa 300 BC", "-0299~"),
        ("300 BC?", "-0299?"), ("~300 BC", "-0299~"), ("c. 300 B.C.", "-0299~"), ("300 BC", "-0299"),
        ("300 BCE", "-0299")]


def records(folder: Path, name: str) -> list[dict[str, Any]]:
    path = folder / f"{name}.yaml"
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or []) if path.exists() else []


def imported(path: Path, folder: Path) -> str:
    result = run_atlas("import", path, "-o", folder)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_display_date_qualifiers_as_historians_write_them(tmp_path: Path) -> None:
    slides = [{"unique_id": f"s{n}", "start_date": {"year": -300}, "display_date": said,
               "text": {"headline": f"Slide {n}", "text": "<p>Words.</p>"}} for n, (said, _) in enumerate(SAID)]
    slides.append({"unique_id": "other", "start_date": {"year": -44}, "display_date": "15 March 44 BC",
                   "text": {"headline": "Ides"}})
    slides.append({"unique_id": "unread", "start_date": {"year": -44}, "display_date": "The Ides of March",
                   "text": {"headline": "Unread"}})
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"events": slides}), encoding="utf-8")
    said = imported(path, tmp_path / "imported")
    events = {record["id"]: record for record in records(tmp_path / "imported", "events")}
    assert [events[f"s{n}"]["date"] for n in range(len(SAID))] == [meant for _, meant in SAID]
    assert all(events[f"s{n}"]["summary"] == "Words." for n in range(len(SAID)))  # no "(Dated in the timeline"
    assert events["other"]["date"] == "-0043"
    assert events["other"]["summary"] == "(Dated in the timeline: 15 March 44 BC)"
    assert events["unread"]["summary"] == "(Dated in the timeline: The Ides of March)"
    assert ("t.json: 1 display_date says another date than the slide's start_date and end_date: the slide's dates "
            "kept, the display_date kept in the summary (/events/9 (15 March 44 BC))\n") in said


def test_a_spreadsheets_qualified_range(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,Media,"
                    "Media Credit,Media Caption,Media Thumbnail,Type,Group,Background\n"
                    "-264,,,,-241,,,,c. 264–241 BC,First Punic War,Rome against Carthage.,,,,,,,\n", encoding="utf-8")
    imported(path, tmp_path / "imported")
    (event,) = records(tmp_path / "imported", "events")
    assert event["date"] == "-0263~/-0240~" and event["summary"] == "Rome against Carthage."


# What TimelineJS's dates cannot say, which the export says in words, and how it comes back.
DATES = {"war-begins": "-0263/..", "until": "../-0100", "spring": "-0217-21", "fifties": "195X",
         "ides": "-0043-03-15~", "range": "-0500~/-0400?", "plain": "-0215-08-02", "century": "-03XX"}


def write_atlas(folder: Path, periods: list[dict[str, Any]]) -> None:
    folder.mkdir(parents=True)
    places = [{"id": "byzantion", "name": "Byzantion", "coordinates": [41.01, 28.98]}]
    events = [{"id": key, "date": date, "title": key.title(), "summary": f"About {key}.", "places": ["byzantion"]}
              for key, date in DATES.items()]
    files = {"atlas": {"title": "Greeks", "subtitle": "Cities", "language": "en"}, "places": places,
             "events": events, "periods": periods}
    for name, data in files.items():
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def test_a_round_trip_gives_back_open_ends_seasons_and_qualifiers(tmp_path: Path) -> None:
    write_atlas(tmp_path / "atlas", [{"id": "all", "title": "All", "when": "-0600/1999"}])
    result = run_atlas("export", tmp_path / "atlas", "--format", "timelinejs", "-o", tmp_path / "t.json")
    assert result.returncode == 0, result.stderr
    lost = [line for line in result.stderr.splitlines() if "not given back" in line]
    assert lost == ["  - 1 date not given back exactly: TimelineJS's dates and the words shown for them say less "
                    "(century: -03XX as -0399/-0300)"]
    said = imported(tmp_path / "t.json", tmp_path / "back")
    back = {record["id"]: record for record in records(tmp_path / "back", "events")}
    assert {key: record["date"] for key, record in back.items()} == {**DATES, "century": "-0399/-0300"}
    # The export's "Where:" paragraph is no part of the summary, and is said to be left out.
    assert all(back[key]["summary"] == f"About {key}." for key in DATES)
    assert (f"t.json: {len(DATES)} paragraphs \"Where: …\" (as atlas's export names an event's places) left out of "
            "the summaries, and the places named there not imported as places: TimelineJS has none (Byzantion)\n"
            ) in said


def test_an_import_into_an_atlas_keeps_its_title_and_its_periods(tmp_path: Path) -> None:
    """The atlas's own period holds -0100; the file's era holds -0263 and -0217; 0500 is
    outside both: a period is added for it alone."""
    write_atlas(tmp_path / "atlas", [{"id": "greeks", "title": "Greeks", "when": "-0199/-0001"}])
    (tmp_path / "atlas" / "events.yaml").write_text("[]\n", encoding="utf-8")
    slides = [{"unique_id": key, "start_date": {"year": year}, "text": {"headline": key.title()}}
              for key, year in (("messana", -264), ("cannae", -216), ("corinth", -146), ("later", 500))]
    data = {"title": {"text": {"headline": "Rome and Carthage", "text": "The Punic Wars"}}, "events": slides,
            "eras": [{"start_date": {"year": -264}, "end_date": {"year": -201}, "text": {"headline": "Punic Wars"}}]}
    (tmp_path / "t.json").write_text(json.dumps(data), encoding="utf-8")
    said = imported(tmp_path / "t.json", tmp_path / "atlas")
    assert "the file's title ('Rome and Carthage' / 'The Punic Wars') not imported: this atlas keeps its own title" \
        in said
    periods = [(record["title"], record["when"]) for record in records(tmp_path / "atlas", "periods")]
    assert periods == [("Greeks", "-0199/-0001"), ("Punic Wars", "-0263/-0200"), ("After Punic Wars", "0500")]
    assert ("1 event lies outside every era and every period of the atlas: 1 period added, so that each is on a "
            "page ('After Punic Wars')") in said
    info = yaml.safe_load((tmp_path / "atlas" / "atlas.yaml").read_text(encoding="utf-8"))
    assert info["title"] == "Greeks"
