"""Stage: formats.

`atlas import` and `atlas export`: the field's formats, both ways.

Round trips of the default atlas keep what each format can hold; hand-written samples
of each format (tests/samples/formats/: BCE years, a year alone, HTML text, a slide
without a location or a readable date, an LPF name with two timespans, non-ASCII
names, a spreadsheet's byte-order mark and Windows line ends) import as they should;
the exports keep the rules of TimelineJS's and Linked Places' specifications; bad input
ends in a message naming where, exit 2, and nothing written."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from atlas.building.pipeline import check
from atlas.source import dates

from conftest import ROOT, run_atlas, tree_digest

SAMPLES = ROOT / "tests" / "samples" / "formats"
DEFAULT = ROOT / "places"


def records(folder: Path, name: str) -> list[dict[str, Any]]:
    path = folder / f"{name}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) or [] if path.exists() else []


def days(text: str) -> tuple[float, float]:
    parsed = dates.parse(text)
    return parsed.first, parsed.last


def export(tmp_path: Path, fmt: str, *extra: str) -> Path:
    out = tmp_path / f"atlas.{fmt}"
    result = run_atlas("export", DEFAULT, "--format", fmt, "-o", out, *extra)
    assert result.returncode == 0, result.stderr
    return out


def imported(tmp_path: Path, path: Path, *extra: str, name: str = "imported") -> Path:
    folder = tmp_path / name
    result = run_atlas("import", path, "-o", folder, *extra)
    assert result.returncode == 0, result.stderr
    assert "no errors" in result.stdout  # the result passes `atlas check`
    return folder


def default_atlas() -> Any:
    return check(DEFAULT)[0]


# Round trips of the default atlas.

def test_geojson_round_trip_keeps_every_event_and_place(tmp_path: Path) -> None:
    folder = imported(tmp_path, export(tmp_path, "geojson"), "--format", "geojson")
    atlas = default_atlas()
    events = {record["id"]: record for record in records(folder, "events")}
    assert set(events) == {event.id for event in atlas.events}
    for event in atlas.events:
        record = events[event.id]
        assert record["date"] == event.date.text
        assert (record["title"], record.get("summary", ""), record.get("category", "")) == (
            event.title, event.summary, event.category)
        assert record.get("places", []) == list(event.places)
        assert record.get("sources", []) == [{"label": s.label, **({"url": s.url} if s.url else {})}
                                             for s in event.sources]
    places = {record["id"]: record for record in records(folder, "places")}
    assert set(places) == {place.id for place in atlas.places}
    for place in atlas.places:
        record = places[place.id]
        assert record["name"] == place.name
        names = [(n["name"], days(n["when"]) if "when" in n else None) for n in record.get("names", [])]
        assert names == [(n.name, (n.when.first, n.when.last) if n.when else None) for n in place.names]
        if place.when:
            assert days(record["when"]) == (place.when.first, place.when.last)
    built = run_atlas("build", folder, "-o", tmp_path / "site")
    assert built.returncode == 0, built.stderr


def test_csv_round_trip_into_an_atlas_with_the_places_is_exact(tmp_path: Path) -> None:
    exported = export(tmp_path, "csv")
    folder = tmp_path / "copy"
    shutil.copytree(DEFAULT, folder)
    original = records(folder, "events")
    (folder / "events.yaml").write_text("[]\n", encoding="utf-8")
    result = run_atlas("import", exported, "-o", folder)
    assert result.returncode == 0, result.stderr
    # Everything but an event's own view, media, routes and area, which a CSV has no column
    # for (the export says so).
    story = {"view", "media", "route", "routes", "area"}
    assert records(folder, "events") == [{key: value for key, value in record.items() if key not in story}
                                         for record in original]
    # A CSV export is a valid events.csv source, too.
    (folder / "events.yaml").unlink()
    shutil.copy(exported, folder / "events.csv")
    assert len(check(folder)[0].events) == len(original)


def test_lpf_round_trip_keeps_places_names_and_geometry(tmp_path: Path) -> None:
    folder = imported(tmp_path, export(tmp_path, "lpf"), "--format", "lpf")
    atlas = default_atlas()
    places = {record["id"]: record for record in records(folder, "places")}
    assert set(places) == {place.id for place in atlas.places}
    back, geometry = check(folder)
    original_geometry = check(DEFAULT)[1]
    for place in back.places:
        first = atlas.place_by_id[place.id]
        assert place.name == first.name
        # Every name and form, in its language, with its time: what Linked Places can carry
        # (the title in its own language, never given another).
        assert spelled(place) == spelled(first), place.id
        if first.when:
            assert place.when is not None and (place.when.first, place.when.last) == (first.when.first, first.when.last)
        else:
            assert place.when is None
        assert geometry[place.id] == original_geometry[place.id]


def spelled(place: Any) -> set[tuple[str, str | None, float | None, float | None]]:
    """A place's names and forms: (text, language, first day, last day)."""
    def span(when: Any) -> tuple[float | None, float | None]:
        return (when.first, when.last) if when else (None, None)

    found = {(form.text, form.lang, *span(form.when)) for form in place.forms}
    for name in place.names:
        found.add((name.name, name.lang, *span(name.when)))
        found |= {(form.text, form.lang, *span(form.when or name.when)) for form in name.forms}
    return found


def test_linked_places_names_in_three_languages_and_two_times_come_back_whole(tmp_path: Path) -> None:
    folder = imported(tmp_path, SAMPLES / "names.lpf.json")
    (place,) = records(folder, "places")
    assert place["names"] == [
        {"name": "Fengtian", "lang": "en", "when": "1657/1929-04-02", "forms": {"zh-Hant": "奉天", "ru": "Мукден"}},
        {"name": "Shenyang", "lang": "en", "when": "1929-04-02/..", "forms": {"zh-Hant": "瀋陽", "ru": "Шэньян"}}]
    # Undated: a language's form of the name, not a name of its own; the title in its language.
    assert place["forms"] == {"en": "Shenyang", "de": "Mukden"}
    built = run_atlas("build", folder, "-o", tmp_path / "site")
    assert built.returncode == 0, built.stderr
    exported = run_atlas("export", folder, "--format", "lpf", "-o", tmp_path / "back.json")
    assert exported.returncode == 0, exported.stderr
    back = json.loads((tmp_path / "back.json").read_text(encoding="utf-8"))
    given = json.loads((SAMPLES / "names.lpf.json").read_text(encoding="utf-8"))

    def span(when: dict[str, Any] | None) -> tuple[tuple[str, str], ...]:
        """A timespan's meaning: an end "at the earliest" its start is as open as no end."""
        spans = (when or {}).get("timespans", [])
        return tuple((s["start"]["in"], s.get("end", {}).get("in", "..")) for s in spans)

    def names(feature: dict[str, Any]) -> set[tuple[str, str, tuple[tuple[str, str], ...]]]:
        return {(n["toponym"], n.get("lang", ""), span(n.get("when"))) for n in feature["names"]}

    assert names(back["features"][0]) == names(given["features"][0])


def test_timelinejs_round_trip_keeps_events_dates_and_eras(tmp_path: Path) -> None:
    folder = imported(tmp_path, export(tmp_path, "timelinejs"), "--format", "timelinejs")
    atlas = default_atlas()
    events = {record["id"]: record for record in records(folder, "events")}
    assert set(events) == {event.id for event in atlas.events}
    for event in atlas.events:
        record = events[event.id]
        assert record["title"] == event.title
        assert days(record["date"]) == (event.date.first, event.date.last)  # a year stays a year
        assert record.get("summary", "").startswith(event.summary)
    periods = records(folder, "periods")
    assert [(p["title"], days(p["when"])) for p in periods] == [
        (p.title, (p.when.first, p.when.last)) for p in atlas.periods]


def test_storymapjs_export_tells_one_period_and_reads_back(tmp_path: Path) -> None:
    atlas = default_atlas()
    period = atlas.periods[3]
    exported = export(tmp_path, "storymapjs", "--period", period.id)
    slides = json.loads(exported.read_text(encoding="utf-8"))["storymap"]["slides"]
    assert slides[0]["type"] == "overview" and html.unescape(slides[0]["text"]["headline"]) == period.title
    events = [e for e in atlas.events if e.date.overlaps(period.when)]
    assert len(slides) == len(events) + 1
    folder = imported(tmp_path, exported, "--format", "storymapjs")
    back = records(folder, "events")
    assert [record["title"] for record in back] == [html.unescape(slide["text"]["headline"]) for slide in slides[1:]]
    assert all("location" not in slide or record.get("places") for slide, record in zip(slides[1:], back, strict=True))


# The formats' own rules, checked on the exports.

def test_the_timelinejs_export_keeps_timelinejs_rules(tmp_path: Path) -> None:
    data = json.loads(export(tmp_path, "timelinejs").read_text(encoding="utf-8"))
    assert isinstance(data["events"], list) and data["events"]
    ids = [slide["unique_id"] for slide in data["events"]]
    assert len(ids) == len(set(ids))
    for slide in [*data["events"], *data["eras"]]:
        start = slide["start_date"]
        assert isinstance(start["year"], int)
        assert 1 <= start.get("month", 1) <= 12 and 1 <= start.get("day", 1) <= 31
        if "end_date" in slide:
            end = slide["end_date"]
            assert (end["year"], end.get("month", 12), end.get("day", 31)) >= (
                start["year"], start.get("month", 1), start.get("day", 1))
    assert all("end_date" in era and "headline" in era["text"] for era in data["eras"])
    qualified = [s for s in data["events"] if "display_date" in s]
    assert qualified and all(re.search(r"c\.|\?|uncertain|–", s["display_date"]) for s in qualified)


def test_the_lpf_export_keeps_linked_places_rules(tmp_path: Path) -> None:
    data = json.loads(export(tmp_path, "lpf").read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and data["@context"].startswith("https://")
    for feature in data["features"]:
        assert re.match(r"^[a-z][a-z0-9+.-]*:", feature["@id"])  # a URI
        assert feature["type"] == "Feature" and feature["properties"]["title"]
        assert feature["names"] and feature["names"][0]["citations"]
        assert feature["geometry"]["type"] in ("Point", "LineString", "Polygon", "MultiPolygon", "MultiLineString")
        whens = [feature.get("when")] + [name.get("when") for name in feature["names"]]
        for when in filter(None, whens):
            assert when["timespans"]
            for span in when["timespans"]:
                start = span["start"]
                assert set(start) <= {"in", "earliest", "latest"} and start
                for value in [*start.values(), *span.get("end", {}).values()]:
                    assert re.fullmatch(r"-?\d{4}(-\d\d){0,2}[~?%]?", value), value


# Samples of each format.

def test_a_timelinejs_file_with_bce_years_html_and_eras(tmp_path: Path) -> None:
    folder = imported(tmp_path, SAMPLES / "timeline.json")
    info = yaml.safe_load((folder / "atlas.yaml").read_text(encoding="utf-8"))
    # The envoys' image is elsewhere: linked (so allowed), never fetched.
    assert info == {"title": "The Silk Road & its cities", "subtitle": "Trade across Asia.", "media": {"remote": True},
                    "categories": {"diplomacy": {"label": "Diplomacy"}, "war": {"label": "War"}}}  # the groups
    events = {record["id"]: record for record in records(folder, "events")}
    mission = events["zhang-qian"]  # its unique_id
    assert mission["date"] == "-0137/-0125"  # TimelineJS's -138 is "138 BCE": EDTF's -0137
    assert mission["title"] == "Zhang Qian’s mission"
    assert mission["summary"] == "Sent west by Emperor Wu.\n\nHe returned after 13\u00a0years."  # &nbsp; kept
    assert mission["category"] == "diplomacy"
    assert events["roman-envoys-reach-luoyang"]["date"] == "0166"  # a year given as text
    assert events["battle-of-talas"]["date"] == "0751-07-15"
    assert events["roman-envoys-reach-luoyang"]["media"] == [{"url": "https://example.org/envoy.jpg"}]
    assert events["battle-of-talas"]["media"] == [{"quote": "A quotation <script> from a source", "source": "A chronicle"}]
    hostile = next(record for record in events.values() if "7*7" in record["title"])
    assert hostile["title"] == "{{ 7*7 }}" and hostile["summary"] == "`${x}` <b>"  # as TimelineJS shows it
    assert [p["title"] for p in records(folder, "periods")] == ["Han dynasty", "Tang dynasty", "After Tang dynasty"]
    checked = run_atlas("check", folder)  # TimelineJS has no places: check says so, event by event
    assert checked.returncode == 0 and "event 'zhang-qian' names no place" in checked.stderr
    site = tmp_path / "site"
    assert run_atlas("build", folder, "-o", site).returncode == 0
    page = (site / "periods" / "han-dynasty.html").read_text(encoding="utf-8")
    assert "Zhang Qian’s mission" in page and "<b>Emperor" not in page
    assert '<a href="https://example.org/envoy.jpg" rel="noopener noreferrer">' in page
    tang = (site / "periods" / "tang-dynasty.html").read_text(encoding="utf-8")
    assert "<blockquote><p>A quotation &lt;script&gt; from a source</p></blockquote>" in tang
    exported = tmp_path / "again.json"
    assert run_atlas("export", folder, "--format", "timelinejs", "-o", exported).returncode == 0
    slides = {slide["text"]["headline"]: slide for slide in json.loads(exported.read_text(encoding="utf-8"))["events"]}
    assert slides["Battle of Talas"]["media"] == {"url": "<blockquote>A quotation &lt;script&gt; from a source</blockquote>",
                                                  "credit": "A chronicle"}


def test_a_timelinejs_spreadsheet_with_a_bom_and_windows_line_ends(tmp_path: Path) -> None:
    folder = imported(tmp_path, SAMPLES / "timeline.csv")
    assert yaml.safe_load((folder / "atlas.yaml").read_text(encoding="utf-8"))["title"] == "The Silk Road"
    events = {record["title"]: record for record in records(folder, "events")}
    assert events["Zhang Qian’s mission"]["date"] == "-0137/-0125"  # 138–126 BCE, as TimelineJS shows it
    assert events["Zhang Qian’s mission"]["summary"] == "Sent west.\n\nBack after 13 years."
    assert events["Zheng He’s voyages"]["date"] == "1405/1433"
    assert [p["title"] for p in records(folder, "periods")] == ["Han dynasty", "After Han dynasty"]  # Zheng He's


def test_a_story_map_with_free_text_dates_and_a_slide_without_a_place(tmp_path: Path) -> None:
    result = run_atlas("import", SAMPLES / "story.json", "-o", tmp_path / "story")
    # The slide without a readable date is an undated event, which `atlas check` takes once the core does.
    assert result.returncode == 0 or "missing required field 'date'" in result.stderr, result.stderr
    assert "not one date atlas can read" in result.stdout and "no place" in result.stdout
    folder = tmp_path / "story"
    events = {record["title"]: record for record in records(folder, "events")}
    assert events["War in Ceylon"]["date"] == "1411~"
    assert events["War in Ceylon"]["view"] == {"center": [7.29, 80.63], "zoom": 6}  # the slide's own zoom
    assert events["Back at Nanjing"]["date"] == "1424-12-31"
    assert events["A giraffe from Malindi"]["date"] == "1418-06"
    laid_up = events["The fleet is laid up"]
    assert "places" not in laid_up and "date" not in laid_up  # nothing invented
    assert laid_up["summary"] == "(Dated in the story: sometime later)"
    places = records(folder, "places")
    assert [p["name"] for p in places] == ["Nanjing", "Ceylon", "Malindi"]  # the two Nanjing slides share one
    assert events["The fleet leaves"]["places"] == events["Back at Nanjing"]["places"]


def test_a_linked_places_gazetteer_with_time_scoped_names(tmp_path: Path) -> None:
    result = run_atlas("import", SAMPLES / "gazetteer.lpf.json", "-o", tmp_path / "lpf")
    assert result.returncode == 0, result.stderr
    assert "1 places left out: no usable geometry (A lost city)" in result.stdout
    places = {record["id"]: record for record in records(tmp_path / "lpf", "places")}
    shenyang = places["shenyang"]  # the last part of its @id
    assert shenyang["names"] == [{"name": "Mukden", "lang": "en", "when": "1625/1929"},
                                 {"name": "Mukden", "lang": "en", "when": "1932/1949"},
                                 {"name": "奉天", "lang": "zh", "when": "1657/1929~"}]
    assert shenyang["coordinates"] == [41.8, 123.43]  # the geometry in force last
    assert shenyang["sources"] == [{"label": "Times Atlas (1958)", "url": "https://example.org/times"},
                                   {"label": "Linked Places record", "url": "http://example.org/places/shenyang"}]
    assert places["manchukuo"]["when"] == "1932-03-01/1945-08-18"
    assert places["manchukuo"]["polygon"][0] == [40, 119]
    kept = run_atlas("import", SAMPLES / "gazetteer.lpf.json", "-o", tmp_path / "kept", "--geocode")
    assert kept.returncode == 0
    lost = next(r for r in records(tmp_path / "kept", "places") if r["name"] == "A lost city")
    assert lost["geocode"] == "A lost city"


def test_an_lp_tsv_gazetteer(tmp_path: Path) -> None:
    folder = imported(tmp_path, SAMPLES / "gazetteer.tsv")
    places = {record["id"]: record for record in records(folder, "places")}
    # Undated variants of no stated language: other forms of the name, never its label.
    assert places["port-arthur"]["forms"] == {"und": [{"name": "Lüshun"}, {"name": "Ryojun"}]}
    assert places["port-arthur"]["when"] == "1898/1955"
    assert places["port-arthur"]["coordinates"] == [38.81, 121.25]
    assert places["dairen"]["coordinates"] == [38.91, 121.6]  # from its WKT
    assert places["dairen"]["when"] == "1905/.."  # a start alone: from then on (LP-TSV v0.5)


def test_plain_geojson_with_dates_gives_places_and_events(tmp_path: Path) -> None:
    folder = imported(tmp_path, SAMPLES / "plain.geojson")
    places = {record["name"]: record for record in records(folder, "places")}
    assert places["Grand Canal"]["geojson"] == "shapes/grand-canal.geojson"
    assert json.loads((folder / "shapes" / "grand-canal.geojson").read_text())["type"] == "LineString"
    events = {record["title"]: record for record in records(folder, "events")}
    assert events["Peking"]["date"] == "1900-08-14" and events["Grand Canal"]["date"] == "0609"


# Adding to an atlas, and mistakes.

def test_importing_into_an_atlas_adds_to_it_and_clashing_ids_change_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "copy"
    shutil.copytree(DEFAULT, folder)
    before = tree_digest(folder)
    timeline = {"events": [{"unique_id": "xian-incident", "start_date": {"year": 1936}, "text": {"headline": "A"}},
                           {"unique_id": "mukden-incident", "start_date": {"year": 1931}, "text": {"headline": "B"}},
                           {"start_date": {"year": 1950}, "text": {"headline": "A new event"}}]}
    (tmp_path / "t.json").write_text(json.dumps(timeline), encoding="utf-8")
    result = run_atlas("import", tmp_path / "t.json", "-o", folder)
    assert result.returncode == 2
    assert "id 'xian-incident' is used already" in result.stderr and "id 'mukden-incident'" in result.stderr
    assert tree_digest(folder) == before
    timeline["events"] = timeline["events"][2:]
    (tmp_path / "t.json").write_text(json.dumps(timeline), encoding="utf-8")
    result = run_atlas("import", tmp_path / "t.json", "-o", folder)
    assert result.returncode == 0, result.stderr
    text = (folder / "events.yaml").read_text(encoding="utf-8")
    assert text.startswith((DEFAULT / "events.yaml").read_text(encoding="utf-8"))  # comments and all, kept
    assert records(folder, "events")[-1]["id"] == "a-new-event"
    assert records(folder, "periods") == records(DEFAULT, "periods")  # the atlas's own periods


@pytest.mark.parametrize(("text", "message"), [
    ('{"events": [', "t.json:1: not JSON"),
    ('{"events": [{"start_date": {"year": "soon"}}]}', "t.json:/events/0/start_date/year: the year should be"),
    ('{"events": [{"start_date": {"year": 1950, "month": 13}}]}', "/events/0/start_date/month: month 13"),
    ('{"events": [{"text": {}}]}', "/events/0/start_date: missing"),
    ('{"storymap": {"slides": [{"location": {"lat": 95, "lon": 0}}]}}', "/storymap/slides/0/location: [95.0, 0.0]"),
    ('{"type": "FeatureCollection", "@context": "x", "features": [{"@id": "a", "properties": {}}]}',
     "/features/0/properties/title: missing"),
    ('"just a string"', "not a format atlas knows"),
])
def test_a_file_that_cannot_be_imported_says_where_and_writes_nothing(tmp_path: Path, text: str,
                                                                      message: str) -> None:
    (tmp_path / "t.json").write_text(text, encoding="utf-8")
    result = run_atlas("import", "t.json", "-o", "new", cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "new").exists()


def test_a_csv_export_is_what_events_csv_reads(tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(export(tmp_path, "csv").read_text(encoding="utf-8"))))
    assert list(rows[0]) == ["id", "date", "title", "places", "summary", "category", "sources", "note"]
    atlas = default_atlas()
    assert [row["id"] for row in rows] == [event.id for event in atlas.events]
    assert [row["note"] for row in rows] == [event.note for event in atlas.events]  # the author's, kept
