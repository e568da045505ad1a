"""Stage: formats.

StoryMapJS both ways, against what StoryMapJS's own source reads (the bare mirror of
github.com/NUKnightLab/StoryMapJS, src/js): a slide's `text.headline`, `text.text`,
`media.credit` and `media.caption` are HTML (media/types/Text.js lines 107 and 130,
media/Media.js lines 235 and 242); its `date` and `location.name` are never shown; a marker
is drawn only where `location.lat` and `lon` are numbers (map/leaflet/MapMarker.Leaflet.js
line 16); the overview fits the map to the markers (map/leaflet/Map.Leaflet.js lines 326 and
342), so a story needs one. The exports of the default atlas, the good sample and a BCE
atlas read back to every date, title, summary, place and source; dates in words and in
the free text of real stories read as EDTF; undated slides stay undated; gigapixel
stories and periods with no place are refused with a reason (exit 2, nothing written).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from atlas.building.pipeline import check
from atlas.formats.common import plain_text
from atlas.formats.datetext import read_date, written_date
from atlas.site.features import representative_point
from atlas.site.periods import events_in
from atlas.site.views import labels_of
from atlas.source.dates import parse

from conftest import ROOT, run_atlas

DEFAULT = ROOT / "places"
GOOD = ROOT / "tests" / "samples" / "good"


def records(folder: Path, name: str) -> list[dict[str, Any]]:
    path = folder / f"{name}.yaml"
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or []) if path.exists() else []


def write_bce_atlas(folder: Path) -> None:
    """Rome against Carthage, and Caesar: days, a year alone and an approximate year, all BCE."""
    folder.mkdir(parents=True)
    cited = [{"label": "Polybius, Histories", "url": "https://penelope.uchicago.edu/Thayer/E/Roman/Texts/Polybius/"},
             {"label": "Livy, Ab urbe condita"}]
    data: dict[str, Any] = {
        "atlas": {"title": "Rome and Carthage", "language": "en"},
        "places": [{"id": "rome", "name": "Roma", "kind": "city", "coordinates": [41.8933, 12.4829]},
                   {"id": "cannae", "name": "Cannae", "kind": "battlefield", "coordinates": [41.3063, 16.1325]},
                   {"id": "messana", "name": "Messana", "kind": "city", "coordinates": [38.1938, 15.554]}],
        "events": [
            {"id": "cannae-battle", "date": "-0215-08-02", "title": "Battle of Cannae", "places": ["cannae", "rome"],
             "summary": "Hannibal surrounds a Roman army.\n\nRome does not sue for peace.", "sources": cited},
            {"id": "caesar", "date": "-0043-03-15", "title": "Caesar is killed", "places": ["rome"],
             "summary": "The Ides of March.", "sources": cited[1:]},
            {"id": "first-punic-war", "date": "-0263~", "title": "War over Messana", "places": ["messana"],
             "summary": "Rome crosses to Sicily.", "sources": cited[:1]}],
        "periods": [{"id": "republic", "title": "The Republic at war", "when": "-0300/-0001",
                     "summary": "Two centuries of war."}],
    }
    for name, value in data.items():
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(value, allow_unicode=True, sort_keys=False),
                                             encoding="utf-8")


def export(tmp_path: Path, source: Path, period: str) -> tuple[Any, Path, str]:
    out = tmp_path / f"{period}.storymap.json"
    result = run_atlas("export", source, "--format", "storymapjs", "--period", period, "-o", out)
    assert result.returncode == 0, result.stderr
    return json.loads(out.read_text(encoding="utf-8")), out, result.stderr


def check_as_storymapjs_reads(data: Any, atlas: Any, geometry: dict[str, Any], period: Any) -> None:
    """The export, field by field, as StoryMapJS's source reads it (see the module docstring)."""
    slides = data["storymap"]["slides"]
    events = events_in(period, atlas.events)
    assert slides[0]["type"] == "overview" and plain_text(slides[0]["text"]["headline"]) == period.title
    assert [slide["uniqueid"] for slide in slides[1:]] == [event.id for event in events]  # as written, unencoded
    assert not any("type" in slide for slide in slides[1:])
    labels = labels_of(atlas)
    for slide, event in zip(slides[1:], events, strict=True):
        assert plain_text(slide["text"]["headline"]) == event.title  # HTML, showing the title
        assert not {"&#x27;", "&quot;"} & set(re.findall(r"&[#\w]+;", slide["text"]["headline"]))  # tooltip
        assert event.date and read_date(slide["date"]) == event.date.text  # the date as a reader reads it
        assert plain_text(slide["text"]["text"]).split("\n\n")[0] == slide["date"]  # and shown
        located = [ref for ref in event.places if ref in geometry]
        if not located:
            assert "location" not in slide
            continue
        location = slide["location"]
        for key in ("lat", "lon"):  # numbers, or MapMarker.Leaflet.js draws no marker
            assert type(location[key]) in (int, float)
        assert [location["lon"], location["lat"]] == list(representative_point(geometry[located[0]]))
        assert location["name"] == labels.for_event(event)(located[0])
    assert any("location" in slide for slide in slides[1:])  # the overview has a marker to fit


def compare_back(folder: Path, atlas: Any, geometry: dict[str, Any], period: Any, notes: str) -> None:
    """Every event of the period read back: its date, title, summary, places and sources."""
    back = {record["id"]: record for record in records(folder, "events")}
    places = {record["id"]: record for record in records(folder, "places")}
    events = events_in(period, atlas.events)
    assert list(back) == [event.id for event in events]
    labels = labels_of(atlas)
    for event in events:
        record = back[event.id]
        assert (record.get("date"), record["title"], record.get("summary", "")) == (
            event.date.text if event.date else None, event.title, event.summary)
        located = [ref for ref in event.places if ref in geometry][:1]
        others = [labels.for_event(event)(ref) for ref in event.places if ref not in located]
        names = [places[ref]["name"] for ref in record.get("places", [])]
        assert names[len(located):] == list(dict.fromkeys(others))  # named in the text
        if located:  # one place a spot, named as the first slide there names it (the others noted)
            lon, lat = representative_point(geometry[located[0]])
            assert places[record["places"][0]]["coordinates"] == [round(lat, 6), round(lon, 6)]
            name = labels.for_event(event)(located[0])
            assert names[0] == name or f"{record['places'][0]}: {name}" in notes
        assert record.get("sources", []) == [{"label": s.label, **({"url": s.url} if s.url else {})}
                                             for s in event.sources]


def round_trip(tmp_path: Path, source: Path) -> int:
    """Each period exported and imported again (its other places kept as geocode queries);
    a period without a located event is refused. Gives how many periods were told."""
    atlas, geometry = check(source)
    told = 0
    for period in atlas.periods:
        if not any(ref in geometry for event in events_in(period, atlas.events) for ref in event.places):
            result = run_atlas("export", source, "--format", "storymapjs", "--period", period.id,
                               "-o", tmp_path / "refused.json")
            assert result.returncode == 2 and "needs at least one slide with a location" in result.stderr
            assert not (tmp_path / "refused.json").exists()
            continue
        data, out, _ = export(tmp_path, source, period.id)
        check_as_storymapjs_reads(data, atlas, geometry, period)
        folder = tmp_path / f"back-{period.id}"
        result = run_atlas("import", out, "-o", folder, "--geocode")
        assert result.returncode == 0, result.stderr
        compare_back(folder, atlas, geometry, period, result.stdout)
        told += 1
    return told


def test_every_period_of_the_default_atlas_reads_back(tmp_path: Path) -> None:
    assert round_trip(tmp_path, DEFAULT) == len(check(DEFAULT)[0].periods)


def test_the_good_sample_reads_back(tmp_path: Path) -> None:
    assert round_trip(tmp_path, GOOD) >= 1


def test_a_bce_atlas_reads_back_and_builds(tmp_path: Path) -> None:
    source = tmp_path / "bce"
    write_bce_atlas(source)
    assert round_trip(tmp_path, source) == 1
    data, out, _ = export(tmp_path, source, "republic")
    assert [slide["date"] for slide in data["storymap"]["slides"][1:]] == [
        "c. 264 BCE", "2 August 216 BCE", "15 March 44 BCE"]
    text = data["storymap"]["slides"][2]["text"]["text"]
    assert text == ("<p>2 August 216 BCE</p><p>Hannibal surrounds a Roman army.</p><p>Rome does not sue for peace.</p>"
                    "<p>Also at:<br>Roma</p><p>Sources:<br><a href=\"https://penelope.uchicago.edu/Thayer/E/Roman/"
                    "Texts/Polybius/\">Polybius, Histories</a><br>Livy, Ab urbe condita</p>")
    folder = tmp_path / "built-back"
    result = run_atlas("import", out, "-o", folder)  # Roma is a location of another slide: nothing to geocode
    assert result.returncode == 0, result.stderr
    assert "no errors" in result.stdout
    assert run_atlas("build", folder, "-o", tmp_path / "site").returncode == 0


def test_the_notes_list_exactly_what_is_left_out(tmp_path: Path) -> None:
    source = tmp_path / "bce"
    write_bce_atlas(source)
    _, _, notes = export(tmp_path, source, "republic")
    assert notes.splitlines() == [
        "  - 1 event has several places: the first is the slide's location, the others are named in its text "
        "(\"Also at:\") but not on its map",
        "  - the atlas's title and subtitle left out: the overview slide tells the period",
        "  - the period's dates (-0300/-0001) left out: a story has none of its own (an import makes a period of "
        "its slides' years)",
        "  - the places' kinds left out: a slide's location is a point and a name"]
    _, _, notes = export(tmp_path, DEFAULT, "sino-soviet-split")
    assert "1 media left out" in notes and "1 events' areas left out" in notes
    assert not [line for line in notes.splitlines() if "sources" in line and "the places'" not in line]  # kept


def test_a_period_without_a_place_is_refused_not_a_broken_story(tmp_path: Path) -> None:
    source = tmp_path / "bce"
    write_bce_atlas(source)
    events = records(source, "events")
    for event in events:
        del event["places"]
    (source / "events.yaml").write_text(yaml.safe_dump(events, sort_keys=False), encoding="utf-8")
    out = tmp_path / "story.json"
    result = run_atlas("export", source, "--format", "storymapjs", "-o", out)
    assert result.returncode == 2
    assert "period 'republic' has no event at a place with a point" in result.stderr
    assert "Traceback" not in result.stderr and not out.exists()


@pytest.mark.parametrize(("text", "edtf"), [
    ("2 August 216 BCE", "-0215-08-02"), ("1914–1918", "1914/1918"), ("c. 1945", "1945~"), ("1921?", "1921?"),
    ("c. 1945?", "1945%"), ("3 May – 5 June 1945", "1945-05-03/1945-06-05"), ("1–3 May 1945", "1945-05-01/1945-05-03"),
    ("216–214 BCE", "-0215/-0213"), ("800 CE – 1200", "0800/1200"), ("from 1950", "1950/.."),
    ("until 1950 (start unknown)", "/1950"), ("Winter 1950–1951", "1950-24"), ("1950s", "195X"),
    ("c. 1945 – 1949", "1945~/1949"), ("18 September 1931, 10:00:00 UTC", "1931-09-18T10:00:00Z"),
    # Free text of real stories.
    ("1914-1918", "1914/1918"), ("Sept 3, 2013", "2013-09-03"), ("44 BC", "-0043"), ("AD 79", "0079"),
    ("Summer 1969", "1969-22"), ("c. 1900", "1900~"), ("1952-12-31", "1952-12-31"), ("31 December 1952", "1952-12-31"),
    ("June 1418", "1418-06"), ("1914-18", "1914/1918"), ("44 B.C.", "-0043"), ("May 3rd, 1945", "1945-05-03"),
    # Not one date: never a guess.
    ("Sept 3", None), ("Aug 23", None), ("sometime later", None), ("12/05/1945", None), ("0 BC", None), ("", None),
])
def test_dates_in_words_read_as_edtf(text: str, edtf: str | None) -> None:
    assert read_date(text) == edtf


def test_every_date_written_reads_back_to_the_very_date() -> None:
    texts = [event.date.text for event in check(DEFAULT)[0].events if event.date] + [
        "-0215-08-02", "-0043-03-15", "-0263~", "195X", "19XX", "1969-22", "1950-24", "0800/0900", "1985-04-XX",
        "1945?/1949~", "-0001/0005", "1944-12/1945", "1931-09-18T10:00:00+05:30", "../1950", "1950/", "0000"]
    assert [read_date(written_date(parse(text))) for text in texts] == texts


def import_story(tmp_path: Path, story: dict[str, Any]) -> tuple[Any, Path]:
    (tmp_path / "s.json").write_text(json.dumps({"storymap": story}), encoding="utf-8")
    folder = tmp_path / "story"
    return run_atlas("import", tmp_path / "s.json", "-o", folder), folder


def test_undated_slides_stay_undated_and_nothing_is_invented(tmp_path: Path) -> None:
    """The import output itself: an event without `date:` is built once the core takes it."""
    result, folder = import_story(tmp_path, {"slides": [
        {"type": "overview", "text": {"headline": "A tour"}},
        {"date": "Sept 3", "location": {"lat": 35.7, "lon": -78.6, "name": "Raleigh"}, "text": {"headline": "One"}},
        {"date": "1903", "location": {"lat": 36.1, "lon": -86.8, "name": "Nashville"}, "text": {"headline": "Two"}},
        {"location": {"lat": 39.1, "lon": -94.6}, "text": {"headline": "Three", "text": "<p>No date.</p>"}}]})
    assert result.returncode == 0 or "missing required field 'date'" in result.stderr, result.stderr
    events = records(folder, "events")
    assert [event.get("date") for event in events] == [None, "1903", None]
    assert events[0]["summary"] == "(Dated in the story: Sept 3)" and events[2]["summary"] == "No date."
    assert "event 'one': its date \"Sept 3\" is not one date" in result.stdout
    assert "1 slide has no date: imported without one, as undated events (three)" in result.stdout
    assert [place["name"] for place in records(folder, "places")] == ["Raleigh", "Nashville", "Three"]


def test_a_story_on_its_own_image_tiles_is_read_with_a_warning(tmp_path: Path) -> None:
    result, folder = import_story(tmp_path, {"map_type": "https://example.org/tiles/{z}/{x}/{y}.png",
                                             "map_as_image": True, "slides": [
        {"date": "1805", "location": {"lat": 48.2, "lon": 16.4, "name": "Wien"}, "text": {"headline": "Vienna"}}]})
    assert result.returncode == 0, result.stderr
    assert "treats its map as an image (map_as_image)" in result.stdout
    assert "the story's map is its own tiles ('https://example.org/tiles/" in result.stdout
    assert [place["coordinates"] for place in records(folder, "places")] == [[48.2, 16.4]]


def test_gigapixel_stories_are_refused(tmp_path: Path) -> None:
    result, folder = import_story(tmp_path, {"map_type": "zoomify", "map_as_image": True, "slides": [
        {"location": {"lat": 81.2, "lon": -120.5}, "text": {"headline": "Winterfell"}}]})
    assert result.returncode == 2
    assert "s.json:/storymap/map_type: a gigapixel story" in result.stderr
    assert "Traceback" not in result.stderr and not folder.exists()


def test_a_slide_as_storymapjs_shows_it(tmp_path: Path) -> None:
    """The location's name names the place; location.line is noted; a quote's <cite> is
    its source; paragraphs stay apart; a later overview slide has no place."""
    quote = "<blockquote><p>Veni, vidi, vici.</p><cite>Julius Caesar</cite></blockquote>"
    result, folder = import_story(tmp_path, {"slides": [
        {"type": "overview", "text": {"headline": "Caesar", "text": "<p>A life</p>"}},
        {"uniqueid": "zela", "date": "47 BC", "location": {"lat": 40.3, "lon": 35.89, "name": "Zela", "line": False},
         "text": {"headline": "Battle of Zela", "text": "<p>First.</p><p>Second &amp; <b>last</b>.</p>"},
         "media": {"url": quote}},
        {"type": "overview", "date": "44 BC", "location": {"lat": 41.9, "lon": 12.5}, "text": {"headline": "Rome"}}]})
    assert result.returncode == 0, result.stderr
    zela, rome = records(folder, "events")
    assert (zela["id"], zela["date"], zela["summary"]) == ("zela", "-0046", "First.\n\nSecond & last.")
    assert zela["media"] == [{"quote": "Veni, vidi, vici.", "source": "Julius Caesar"}]
    assert [place["name"] for place in records(folder, "places")] == ["Zela"]
    assert "places" not in rome
    assert "1 slide's location.line" in result.stdout and "1 slide of the overview type after the first" in result.stdout
