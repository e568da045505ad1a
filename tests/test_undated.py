"""Stages: source, site, formats.

Nothing is invented for what has no date. An event without `date:` is undated: `atlas
check` says so at its line (an error with --strict), no period shows it, the index lists
it under "Undated" and draws it when it has places, and the GeoJSON export gives it null
dates and no periods; the exports that need a date leave it out and say so. An atlas of
places alone (a gazetteer: every Linked Places import) needs no period: the import no
longer invents one, and the build gives an index that draws and lists every place.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from html import unescape
from pathlib import Path

from conftest import SAMPLES, page_data, places_catalogue, run_atlas

PLACES = """\
- id: port-arthur
  name: Lüshun
  kind: port
  coordinates: [38.81, 121.26]
  names:
    - {name: Port Arthur, lang: en, when: 1898/1905}
    - {name: Ryojun, lang: ja, when: 1905/1945}
    - {name: Lüshun, lang: zh, when: 1945/..}
- id: dalian
  name: Dalian
  kind: city
  coordinates: [38.91, 121.60]
"""

EVENTS = """\
- id: siege
  date: 1904-08/1905-01
  title: Siege of Port Arthur
  places: [port-arthur]
  sources: [{label: Connaughton}]
- id: harbour-planned
  title: A harbour is planned at Dalny
  places: [dalian]
  summary: The slide that told of it gave no date.
  category: building
  sources: [{label: A StoryMapJS slide, url: "https://example.org/story"}]
- id: rumour
  title: A rumour of the fleet
  sources: [{label: Hearsay}]
"""

PERIODS = """\
- id: war
  title: The Russo-Japanese War
  when: 1904-02/1905-09
"""


def write_atlas(folder: Path, events: str = EVENTS, periods: str = PERIODS, places: str = PLACES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "atlas.yaml").write_text("title: Liaodong\n", encoding="utf-8")
    for name, text in (("places", places), ("events", events), ("periods", periods)):
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return folder


def build(tmp_path: Path, source: Path) -> Path:
    out = tmp_path / "build"
    result = run_atlas("build", source, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return out


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def section(html: str, name: str) -> str:
    found = re.search(rf'<section class="{name}".*?</section>', html, re.DOTALL)
    assert found, f"no {name} section"
    return found.group(0)


def test_check_warns_of_each_undated_event_at_its_line_and_strict_refuses_it(tmp_path: Path) -> None:
    source = write_atlas(tmp_path / "atlas")
    result = run_atlas("check", source)
    assert result.returncode == 0, result.stderr
    said = [line for line in result.stderr.splitlines() if "has no date" in line]
    assert said == [f"{source}/events.yaml:6: warning: event 'harbour-planned' has no date: it is listed as "
                    "undated, on no period's map; add `date:`",
                    f"{source}/events.yaml:12: warning: event 'rumour' has no date: it is listed as undated, on "
                    "no period's map; add `date:`"]
    assert f"{source}/events.yaml:12: warning: event 'rumour' names no place: it is listed as undated but not on " \
           "the map" in result.stderr
    strict = run_atlas("check", "--strict", source)
    assert strict.returncode == 2
    assert "event 'harbour-planned' has no date" in strict.stderr and "Traceback" not in strict.stderr


def test_a_date_written_wrong_is_still_an_error_not_an_undated_event(tmp_path: Path) -> None:
    source = write_atlas(tmp_path / "atlas", EVENTS.replace("date: 1904-08/1905-01", "date: 19o4"))
    result = run_atlas("check", source)
    assert result.returncode == 2
    assert re.search(rf"{re.escape(str(source))}/events.yaml:2: .*19o4", result.stderr), result.stderr
    assert "has no date" not in result.stderr.split("\n")[0]


def test_undated_events_are_on_the_index_in_no_period_and_null_in_the_export(tmp_path: Path) -> None:
    out = build(tmp_path, write_atlas(tmp_path / "atlas"))
    period = (out / "periods" / "war.html").read_text(encoding="utf-8")
    assert "Siege of Port Arthur" in period
    assert "harbour-planned" not in period and "rumour" not in period
    assert [f["properties"]["id"] for f in page_data(period)["layers"][-1]["features"]] == ["siege"]

    index = (out / "index.html").read_text(encoding="utf-8")
    undated = text_of(section(index, "undated"))
    assert "2 events without a date: on no period’s map" in undated
    assert "A harbour is planned at Dalny" in undated and "Dalian" in undated and "A StoryMapJS slide" in undated
    assert "The slide that told of it gave no date." in undated and "A rumour of the fleet" in undated
    assert undated.index("A harbour") < undated.index("A rumour")  # the sources' order
    drawn = {f["properties"]["id"]: f["properties"] for f in page_data(index)["layers"][-1]["features"]}
    assert set(drawn) == {"siege", "harbour-planned"}  # the rumour has no place to draw
    assert drawn["harbour-planned"]["date"] == "Undated" and "period" not in drawn["harbour-planned"]
    assert drawn["harbour-planned"]["style"]["fillColor"] == "#666666"
    assert drawn["siege"]["period"] == "war"

    exported = json.loads((out / "data" / "atlas.geojson").read_text(encoding="utf-8"))
    events = {f["properties"]["id"]: f for f in exported["features"] if f["properties"]["type"] == "event"}
    for name in ("harbour-planned", "rumour"):
        assert {key: events[name]["properties"][key] for key in ("date", "start", "end", "periods")} == \
            {"date": None, "start": None, "end": None, "periods": []}
    assert events["harbour-planned"]["geometry"] == {"type": "Point", "coordinates": [121.6, 38.91]}
    assert events["siege"]["properties"]["periods"] == ["war"]


def test_exports_that_need_a_date_leave_undated_events_out_and_say_so(tmp_path: Path) -> None:
    source = write_atlas(tmp_path / "atlas")
    for form, out in (("timelinejs", "t.json"), ("storymapjs", "s.json"), ("csv", "e.csv"), ("geojson", "g.json")):
        result = run_atlas("export", source, "--format", form, "-o", tmp_path / out)
        assert result.returncode == 0, result.stderr
        if form in ("timelinejs", "storymapjs"):
            assert "2 undated events left out" in result.stderr, (form, result.stderr)
    timeline = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert [slide["unique_id"] for slide in timeline["events"]] == ["siege"]
    story = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert [slide["text"]["headline"] for slide in story["storymap"]["slides"][1:]] == ["Siege of Port Arthur"]
    with (tmp_path / "e.csv").open(encoding="utf-8", newline="") as rows:
        dates = {row["id"]: row["date"] for row in csv.DictReader(rows)}
    # (A date is written as a spreadsheet shows it as text: events_csv.py's rule.)
    assert dates == {"siege": "'1904-08/1905-01", "harbour-planned": "", "rumour": ""}
    # The GeoJSON export imported again: its null dates stay undated.
    again = run_atlas("import", tmp_path / "g.json", "-o", tmp_path / "again")
    assert again.returncode == 0, again.stderr
    assert again.stderr.count("has no date") == 2 and "'harbour-planned' has no date" in again.stderr
    # The CSV read back as the atlas's own events: still undated, nothing made up.
    (source / "events.yaml").unlink()
    shutil.copy(tmp_path / "e.csv", source / "events.csv")
    again = run_atlas("check", source)
    assert again.returncode == 0 and again.stderr.count("has no date") == 2, again.stderr


def test_a_lesson_cannot_show_an_undated_event_in_a_period(tmp_path: Path) -> None:
    source = write_atlas(tmp_path / "atlas")
    (source / "lessons").mkdir()
    (source / "lessons" / "harbours.md").write_text("# Harbours\n\n::: map war event=harbour-planned\n",
                                                    encoding="utf-8")
    result = run_atlas("check", source)
    assert result.returncode == 2
    assert f"{source}/lessons/harbours.md:3: event 'harbour-planned' has no date: it is in no period, so period " \
           "'war' cannot show it" in result.stderr


def test_an_edit_to_an_undated_event_is_built_whole(tmp_path: Path) -> None:
    source = write_atlas(tmp_path / "atlas")
    out = build(tmp_path, source)
    events = source / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace("A rumour of the fleet", "A rumour of peace"),
                      encoding="utf-8")
    build(tmp_path, source)
    undated = text_of(section((out / "index.html").read_text(encoding="utf-8"), "undated"))
    assert "A rumour of peace" in undated and "fleet" not in undated


def test_a_date_taken_away_after_a_build_makes_the_event_undated_everywhere(tmp_path: Path) -> None:
    dated = EVENTS.replace("- id: harbour-planned\n", "- id: harbour-planned\n  date: 1904-09\n").replace(
        "- id: rumour\n", "- id: rumour\n  date: 1905\n")
    source = write_atlas(tmp_path / "atlas", dated)
    out = build(tmp_path, source)  # every event dated: a build a later one may redo in part
    assert "A harbour is planned" in (out / "periods" / "war.html").read_text(encoding="utf-8")
    (source / "events.yaml").write_text(dated.replace("  date: 1904-09\n", ""), encoding="utf-8")
    build(tmp_path, source)
    assert "A harbour is planned" not in (out / "periods" / "war.html").read_text(encoding="utf-8")
    assert "A harbour is planned" in section((out / "index.html").read_text(encoding="utf-8"), "undated")


def test_a_gazetteer_builds_without_periods_and_its_index_draws_every_place(tmp_path: Path) -> None:
    source = write_atlas(tmp_path / "atlas", events="[]\n", periods="[]\n")
    out = build(tmp_path, source)
    assert sorted(path.name for path in out.iterdir() if not path.name.startswith(".")) == ["assets", "data", "index.html"]
    index = (out / "index.html").read_text(encoding="utf-8")
    data = page_data(index)
    catalogue = {entry["f"]["id"]: entry for entry in places_catalogue(index, out / "index.html")}
    assert set(catalogue) == {"port-arthur", "dalian"}
    look = catalogue["port-arthur"]["s"][data["looks"]["port-arthur"]]
    assert look["name"] == "Lüshun"
    assert look["history"] == ["Port Arthur 1898–1905", "Ryojun 1905–1945", "Lüshun 1945–"]
    (south, west), (north, east) = data["extent"]
    assert (south, west, north, east) == (38.81, 121.26, 38.91, 121.6)  # the places', not the world
    places = text_of(section(index, "gazetteer"))
    assert "2 places, each with its names over time" in places
    assert "Port Arthur 1898–1905 · Ryojun 1905–1945 · Lüshun 1945–" in places
    assert places.index("Dalian") < places.index("Lüshun")  # by name
    assert 'class="periods"' not in index and 'class="timeline' not in index
    story = run_atlas("export", source, "--format", "storymapjs", "-o", tmp_path / "s.json")
    assert story.returncode == 2 and "Traceback" not in story.stderr and not (tmp_path / "s.json").exists()
    assert "has no periods, and a story map tells one period's events" in story.stderr


def test_the_import_of_places_alone_invents_no_period(tmp_path: Path) -> None:
    for name in ("gazetteer.tsv", "names.lpf.json", "gazetteer.lpf.json"):
        folder = tmp_path / name.replace(".", "-")
        result = run_atlas("import", SAMPLES / "formats" / name, "-o", folder)
        assert result.returncode == 0, result.stderr
        assert ", 0 periods" in result.stdout and "spans everything" not in result.stdout + result.stderr
        assert (folder / "periods.yaml").read_text(encoding="utf-8").strip() == "[]"
        build(tmp_path / name, folder)
    # With events but no periods, one period still spans them.
    folder = tmp_path / "plain"
    result = run_atlas("import", SAMPLES / "formats" / "plain.geojson", "-o", folder)
    assert result.returncode == 0, result.stderr
    assert "spans everything imported" in result.stdout + result.stderr
    assert 'when: "0609/1900"' in (folder / "periods.yaml").read_text(encoding="utf-8")


def test_a_new_atlas_emptied_of_events_builds_as_a_gazetteer(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    assert run_atlas("new", folder).returncode == 0
    (folder / "events.yaml").write_text("[]\n", encoding="utf-8")
    shutil.rmtree(folder / "lessons")  # its maps name the events
    out = build(tmp_path, folder)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Every place on one map" in index and 'class="gazetteer"' in index
    assert (out / "periods").is_dir()  # its periods keep their pages, each naming its places then


def test_hostile_text_in_undated_events_and_a_gazetteer_stays_text(tmp_path: Path) -> None:
    hostile = "<script>pwned(1)</script><img src=x onerror=pwned(2)>`${pwned(3)}`{{ 7*7 }}"
    events = EVENTS.replace("A rumour of the fleet", json.dumps(hostile)).replace(
        "The slide that told of it gave no date.", json.dumps(hostile))
    places = PLACES.replace("{name: Ryojun,", "{name: " + json.dumps(hostile) + ",")
    for name, evs in (("events", events), ("gazetteer", "[]\n")):
        out = build(tmp_path / name, write_atlas(tmp_path / name / "atlas", evs, places=places))
        index = (out / "index.html").read_text(encoding="utf-8")
        assert "<script>pwned" not in index and "<img src=x" not in index
        listed = section(index, "undated" if name == "events" else "gazetteer")
        assert "&lt;script&gt;pwned(1)&lt;/script&gt;&lt;img src=x onerror=pwned(2)&gt;" in listed
        assert hostile in unescape(listed)  # `{{ 7*7 }}` too: never template source


def test_a_gazetteer_lists_how_else_each_place_is_written(tmp_path: Path) -> None:
    given = tmp_path / "g.tsv"
    given.write_text("id\ttitle\ttitle_source\tvariants\tlon\tlat\n"
                     "bern\tBerne@en\tme\tBern@de;Berne@fr;بيرن@ar\t7.44\t46.95\n", encoding="utf-8")
    source = tmp_path / "gazetteer"
    assert run_atlas("import", given, "-o", source, "--format", "lptsv").returncode == 0
    out = build(tmp_path, source)
    places = section((out / "index.html").read_text(encoding="utf-8"), "gazetteer")
    # (Berne@fr is the name as it is: not another way of writing it)
    assert "Also written: <bdi>Bern (de)</bdi> · <bdi>بيرن (ar)</bdi></p>" in places
