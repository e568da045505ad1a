"""Stage: formats.

TimelineJS's own files, and its year convention, both ways (no browser here; in TimelineJS
itself: tests/test_timelinejs_exports_browser.py).

The convention (TimelineJS 3.9.11, src/js/language/Language.js `era_labels` and
`formatDate`): a negative year is shown as its absolute value with "BCE", so TimelineJS's
year -44 is "44 BCE", which EDTF (astronomical) writes -0043; its year 0 is shown "0"
("January 1, 0" for the year alone), a year of neither era, so a slide dated so is left out with a note. Years beyond the atlas's
(999,999,999 years either side of 1 BCE) are left out with a note naming the slide.

Every real TimelineJS file found in TimelineJS's npm package (src/template/) and repository
(tests/samples/formats/real/, see SOURCES.md there) imports and builds, or is refused for a
stated reason; each is read here on its own (json, csv, html.parser) and its events' count,
titles and dates compared with what atlas imported.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from atlas.building.pipeline import check
from atlas.formats.common import slug

from conftest import ROOT, run_atlas

TEMPLATES = ROOT / ".cache" / "npm" / "node_modules" / "@knight-lab" / "timelinejs" / "src" / "template"
REAL = ROOT / "tests" / "samples" / "formats" / "real"
LARGEST = 999_999_999  # the largest astronomical year atlas dates hold (Y-999999999 to Y999999999)


def require_templates() -> Path:
    if (TEMPLATES / "cosmo.json").is_file():
        return TEMPLATES
    message = f"TimelineJS's templates not found in {TEMPLATES}; run make test (it installs TimelineJS from npm)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


class _Words(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []

    def handle_data(self, data: str) -> None:
        self.words.append(data)


def words(markup: Any) -> str:
    """The words HTML shows, spaces collapsed (how the titles are compared)."""
    reader = _Words()
    reader.feed(str(markup or ""))
    reader.close()
    return " ".join(" ".join(reader.words).split())


def records(folder: Path, name: str) -> list[dict[str, Any]]:
    path = folder / f"{name}.yaml"
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or []) if path.exists() else []


def side(date: dict[str, Any]) -> tuple[str, str] | None:
    """A TimelineJS date as EDTF (and its time of day), by the convention; None: no year atlas holds."""
    year = int(str(date["year"]).strip())
    if year == 0 or abs(year) > LARGEST + 1:
        return None
    astronomical = year + 1 if year < 0 else year  # -44, "44 BCE", is -0043
    text = f"Y{astronomical}" if abs(astronomical) > 9999 else (
        f"-{-astronomical:04d}" if astronomical < 0 else f"{astronomical:04d}")
    month, day, hour = (str(date.get(key) or "").strip() for key in ("month", "day", "hour"))
    if month:
        text += f"-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
    time = ""
    if month and day and hour:
        time = f"T{int(hour):02d}:{int(date.get('minute') or 0):02d}:{int(date.get('second') or 0):02d}"
    return text, time


def expected_date(start: dict[str, Any], end: dict[str, Any] | None) -> str | None:
    first = side(start)
    last = side(end) if end and str(end.get("year") or "").strip() else first
    if first is None or last is None:
        return None
    if last == first:
        return "".join(first)
    # An interval's ends are days: their times of day are left out.
    return first[0] if last[0] == first[0] else f"{first[0]}/{last[0]}"


def expected_from_json(data: dict[str, Any]) -> tuple[list[tuple[str, str]], list[str]]:
    """The events a TimelineJS file should give (title, date), and the slides it cannot."""
    kept: list[tuple[str, str]] = []
    left: list[str] = []
    for n, slide in enumerate(data["events"]):
        date = expected_date(slide["start_date"], slide.get("end_date"))
        if date is None:
            left.append(f"/events/{n}")
        else:
            kept.append((words(slide.get("text", {}).get("headline")) or "(untitled)", date))
    return kept, left


def imported_events(tmp_path: Path, path: Path) -> tuple[list[tuple[str, str]], str, Path]:
    folder = tmp_path / "imported"
    result = run_atlas("import", path, "-o", folder)
    assert result.returncode == 0, result.stderr
    built = run_atlas("build", folder, "-o", tmp_path / "site")
    assert built.returncode == 0, built.stderr
    events = [(" ".join(record["title"].split()), record["date"].rstrip("?~%")) for record in records(folder, "events")]
    return events, result.stdout, folder


JSON_TEMPLATES = ["cosmo.json", "cosmo-mixed.json", "eras.json", "all-media-types.json"]
REAL_FILES = sorted(path.name for path in REAL.glob("timelinejs-*.json"))


@pytest.mark.parametrize("name", JSON_TEMPLATES + REAL_FILES)
def test_timelinejs_own_files_import_and_build_with_their_events(tmp_path: Path, name: str) -> None:
    path = (require_templates() if name in JSON_TEMPLATES else REAL) / name
    data = json.loads(path.read_text(encoding="utf-8"))
    expected, left = expected_from_json(data)
    events, summary, folder = imported_events(tmp_path, path)
    assert events == expected
    for where in left:  # each slide left out is named, with why
        assert re.search(rf"left out {re.escape(where)}/\S+ \(.*\): (year 0 is no year|year -?\d+ is beyond)", summary)
    eras = [(words(era["text"]["headline"]), expected_date(era["start_date"], era["end_date"]))
            for era in data.get("eras", [])]
    periods = [(record["title"], record["when"]) for record in records(folder, "periods")]
    assert all(era in periods for era in eras)


def test_the_spreadsheet_template_imports_and_builds_with_its_events(tmp_path: Path) -> None:
    path = require_templates() / "my-own-timeline.csv"
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    expected = []
    for row in rows:
        if row["Type"].strip().lower() in ("title", "era"):
            continue
        start = {"year": row["Year"], "month": row["Month"], "day": row["Day"]}
        end = {"year": row["End Year"], "month": row["End Month"], "day": row["End Day"]}
        date = expected_date(start, end)
        assert date is not None
        expected.append((words(row["Headline"]), date))
    events, summary, folder = imported_events(tmp_path, path)
    assert events == expected
    assert "Background (1)" in summary  # the backgrounds are counted, not silently dropped
    clarke = next(r for r in records(folder, "events") if r["title"].startswith("Edith Clarke"))
    quote = clarke["media"][0]
    assert quote["quote"].endswith("who can do a good piece of work.")  # its <cite> apart
    assert quote["source"] == "Edith Clarke, first female professor of electrical engineering in the United States"


def test_the_mark_twain_example_keeps_its_interval_without_its_times(tmp_path: Path) -> None:
    events, summary, _ = imported_events(tmp_path, REAL / "timelinejs-marktwain.json")
    assert ("Hannibal, Missouri", "1920-01-05/1923-01-05") in events  # ends with times of day: days kept
    assert "1 interval's times of day left out (an EDTF interval's ends are days): /events/2" in summary
    assert "location (12)" in summary and "background (6)" in summary


def test_the_cosmological_templates_leave_out_only_what_atlas_cannot_date(tmp_path: Path) -> None:
    events, summary, _ = imported_events(tmp_path, require_templates() / "cosmo-mixed.json")
    assert summary.count("is beyond the years atlas dates hold") == 2  # -13.8 and -4.6 billion, in one run
    assert ("The Cambrian Explosion and the First Complex Eyes", "Y-539999999") in events  # 540 million BCE


@pytest.mark.parametrize("name", ["timelinejs2-example.json", "timelinejs2-welcome.json"])
def test_a_file_of_an_older_timelinejs_is_refused_with_the_reason(tmp_path: Path, name: str) -> None:
    result = run_atlas("import", REAL / name, "-o", tmp_path / "old")
    assert result.returncode == 2
    assert f"{name}:/timeline: an older TimelineJS format" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "old").exists()


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def slide(year: int, headline: str, **more: Any) -> dict[str, Any]:
    return {"start_date": {"year": year, **more.pop("date", {})}, "text": {"headline": headline}, **more}


def test_timelinejs_years_read_by_its_convention(tmp_path: Path) -> None:
    path = write_json(tmp_path / "bce.json", {"events": [
        slide(-44, "Caesar", date={"month": 3, "day": 15}), slide(-1, "One BCE"), slide(1, "One CE"),
        slide(0, "Year nought"), {**slide(-216, "Cannae"), "end_date": {"year": -215}}]})
    events, summary, _ = imported_events(tmp_path, path)
    assert events == [("Caesar", "-0043-03-15"), ("One BCE", "0000"), ("One CE", "0001"),
                      ("Cannae", "-0215/-0214")]
    assert "left out /events/3/start_date/year ('Year nought'): year 0 is no year in TimelineJS" in summary


def test_a_file_with_nothing_to_import_lists_every_problem(tmp_path: Path) -> None:
    path = write_json(tmp_path / "none.json", {"events": [
        slide(0, "Nought"), slide(-20_000_000_000, "Too early"), slide(1990, "Bad month", date={"month": 13})]})
    result = run_atlas("import", path, "-o", tmp_path / "out")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    for where in ("/events/0/start_date/year", "/events/1/start_date/year", "/events/2/start_date/month"):
        assert f"none.json:{where}" in result.stderr
    assert "nothing to import" in result.stderr and not (tmp_path / "out").exists()


def exported_slides(tmp_path: Path, events: list[dict[str, Any]], periods: list[dict[str, Any]]) -> Any:
    source = tmp_path / "source"
    source.mkdir()
    files = {"atlas": {"title": "Antiquity", "language": "en"}, "places": [], "events": events, "periods": periods}
    for name, data in files.items():
        (source / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out.json"
    result = run_atlas("export", source, "--format", "timelinejs", "-o", out)
    assert result.returncode == 0, result.stderr
    return json.loads(out.read_text(encoding="utf-8")), result


CITED = [{"label": "Polybius <iii>", "url": "https://example.org/polybius?a=1&b=2"}, {"label": "Livy & others"}]


def test_bce_dates_qualifiers_and_sources_go_out_and_come_back(tmp_path: Path) -> None:
    events = [{"id": "cannae", "date": "-0215-08-02", "title": "Cannae", "sources": CITED},
              {"id": "siege", "date": "-0263~", "title": "A siege", "sources": CITED},
              {"id": "doubt", "date": "1921?", "title": "Doubtful", "sources": CITED}]
    data, result = exported_slides(tmp_path, events, [{"id": "all", "title": "All", "when": "-0300/1999"}])
    slides = {s["unique_id"]: s for s in data["events"]}
    assert slides["cannae"]["start_date"] == {"year": -216, "month": 8, "day": 2}  # TimelineJS: 216 BCE
    assert slides["siege"]["start_date"] == {"year": -264} and slides["siege"]["display_date"] == "c. 264 BCE"
    assert slides["doubt"]["display_date"] == "1921?"
    assert slides["cannae"]["text"]["text"].endswith(
        '<p>Sources:<br><a href="https://example.org/polybius?a=1&amp;b=2">Polybius &lt;iii&gt;</a><br>'
        "Livy &amp; others</p>")
    assert "uncertain" not in result.stdout and "approximate" not in result.stdout  # kept: not said left out
    out = tmp_path / "out.json"
    folder = tmp_path / "back"
    assert run_atlas("import", out, "-o", folder).returncode == 0
    back = {record["id"]: record for record in records(folder, "events")}
    assert {key: back[key]["date"] for key in back} == {"cannae": "-0215-08-02", "siege": "-0263~", "doubt": "1921?"}
    assert back["cannae"]["sources"] == CITED and "summary" not in back["cannae"]


def test_eras_out_of_order_and_events_outside_them(tmp_path: Path) -> None:
    path = write_json(tmp_path / "eras.json", {
        "eras": [{"start_date": {"year": 618}, "end_date": {"year": 907}, "text": {"headline": "Tang"}},
                 {"start_date": {"year": -206}, "end_date": {"year": 220}, "text": {"headline": "Han"}}],
        "events": [slide(-300, "Before"), slide(500, "Between"), slide(700, "In Tang"), slide(1300, "After"),
                   {**slide(1000, "Shown"), "background": {"color": "red"}}]})
    _, summary, folder = imported_events(tmp_path, path)
    periods = [(record["title"], record["when"]) for record in records(folder, "periods")]
    assert periods == [("Before Han", "-0299"), ("Han", "-0205/0220"), ("Between Han and Tang", "0500"),
                       ("Tang", "0618/0907"), ("After Tang", "1000/1300")]
    assert "4 events lie outside every era: 3 periods added, so that each is on a page" in summary
    assert "fields not kept (how many slides had each): background (1)" in summary


def test_what_an_export_leaves_out_is_said_and_only_that(tmp_path: Path) -> None:
    events = [{"id": "mukden", "date": "1931-09-18T22:20:00+08:00", "title": "Mukden", "sources": CITED},
              {"id": "leap", "date": "-0044-02-29", "title": "A leap day of 45 BCE", "sources": CITED}]
    periods = [{"id": "all", "title": "All", "when": "-0100/1999", "summary": "Said nowhere in TimelineJS"}]
    data, result = exported_slides(tmp_path, events, periods)
    slides = {s["unique_id"]: s for s in data["events"]}
    assert slides["mukden"]["start_date"] == {"year": 1931, "month": 9, "day": 18, "hour": 22, "minute": 20,
                                              "second": 0}
    # Its TimelineJS year, -45, is no leap year in TimelineJS's calendar: the month only.
    assert slides["leap"]["start_date"] == {"year": -45, "month": 2}
    notes = [line.strip() for line in (result.stdout + result.stderr).splitlines() if line.startswith("  - ")]
    assert notes == ["- 1 period's summary left out: TimelineJS has no place for it",
                     "- 1 time of day's offset from UTC left out: TimelineJS's times have none",
                     "- 1 date on 29 February of a BCE leap year given as their month: TimelineJS's year for it "
                     "has no 29 February (leap)"]
    good = run_atlas("export", ROOT / "tests" / "samples" / "good", "--format", "timelinejs", "-o", tmp_path / "g")
    assert [line for line in (good.stdout + good.stderr).splitlines() if line.startswith("  - ")] == [
        "  - 3 places left out: TimelineJS has no places (each event names its places in its text)"]


def test_a_spreadsheet_names_the_cells_of_what_it_leaves_out(tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text("Year,Month,Day,Time,End Year,End Month,Headline,Type\n"
                    "0,,,,,,Nought,\n1990,5,1,,1991,14,Bad end,\n-44,3,15,,,,Ides,\n"
                    "1945,8,15,12:05 pm,,,Noon broadcast,\n1945,8,9,11.02,,,Nagasaki,\n1945,8,6,dawn,,,Vague,\n",
                    encoding="utf-8")
    events, summary, _ = imported_events(tmp_path, path)
    # Times as TimelineJS's parseTime reads them: am/pm, "." for ":".
    assert events == [("Ides", "-0043-03-15"), ("Noon broadcast", "1945-08-15T12:05:00"),
                      ("Nagasaki", "1945-08-09T11:02:00")]
    assert "left out row 2, Year ('Nought'): year 0 is no year in TimelineJS" in summary
    assert "left out row 3, End Month ('Bad end'): month 14 does not exist" in summary
    assert "left out row 7, Hour ('Vague'): not an hour: 'dawn'" in summary


def test_a_leap_day_only_timelinejs_has_and_an_address_without_scheme(tmp_path: Path) -> None:
    # JavaScript's year -44 (TimelineJS's 44 BCE) is a leap year; atlas's 44 BCE (-0043) is not.
    path = write_json(tmp_path / "leap.json", {"events": [
        slide(-44, "Leap", date={"month": 2, "day": 29}),
        slide(1950, "Linked", media={"url": "//example.org/picture.jpg"})]})
    events, summary, folder = imported_events(tmp_path, path)
    assert events == [("Leap", "-0043-02"), ("Linked", "1950")]
    assert "read as their month: /events/0/start_date" in summary
    assert records(folder, "events")[1]["media"] == [{"url": "https://example.org/picture.jpg"}]


def test_what_timelinejs_dates_cannot_say_goes_out_in_words(tmp_path: Path) -> None:
    events = [{"id": "spring", "date": "1950-21", "title": "Spring", "sources": CITED},
              {"id": "fifties", "date": "195X", "title": "Fifties", "sources": CITED},
              {"id": "plain", "date": "1950-04", "title": "Plain", "sources": CITED}]
    data, _ = exported_slides(tmp_path, events, [{"id": "all", "title": "All", "when": "1900/1999"}])
    shown = {s["unique_id"]: s.get("display_date") for s in data["events"]}
    assert shown == {"spring": "Spring 1950", "fifties": "1950s", "plain": None}


def test_groups_become_declared_categories_with_their_labels(tmp_path: Path) -> None:
    timeline = write_json(tmp_path / "groups.json", {"events": [slide(1931, "Mukden", group="War &amp; peace")]})
    sheet = tmp_path / "more.csv"  # our own events CSV, whose category has no label
    sheet.write_text("id,date,title,category,sources\nother,1932,Another,politics,A book\n", encoding="utf-8")
    folder = tmp_path / "new"
    result = run_atlas("import", timeline, sheet, "-o", folder)
    assert result.returncode == 0 and "no errors" in result.stdout, result.stdout + result.stderr
    info = yaml.safe_load((folder / "atlas.yaml").read_text(encoding="utf-8"))
    assert info["categories"] == {"war-peace": {"label": "War & peace"}, "politics": {}}
    existing = tmp_path / "existing"  # an atlas of its own: told which to declare
    shutil.copytree(ROOT / "tests" / "samples" / "good", existing)
    result = run_atlas("import", timeline, "-o", existing)
    assert result.returncode == 0, result.stderr
    assert "1 categories are new to the atlas: declare them in atlas.yaml's categories to give them their " \
           "labels: war-peace (War & peace)" in result.stdout


def test_the_default_atlas_comes_back_with_its_very_dates_and_sources(tmp_path: Path) -> None:
    atlas = check(ROOT / "places")[0]
    out = tmp_path / "atlas.json"
    assert run_atlas("export", ROOT / "places", "--format", "timelinejs", "-o", out).returncode == 0
    folder = tmp_path / "back"
    assert run_atlas("import", out, "-o", folder).returncode == 0
    back = {record["id"]: record for record in records(folder, "events")}
    assert {event.id: event.date and event.date.text for event in atlas.events} == {key: r["date"] for key, r in back.items()}
    assert {event.id: [{"label": s.label, **({"url": s.url} if s.url else {})} for s in event.sources]
            for event in atlas.events} == {key: r.get("sources", []) for key, r in back.items()}
    labels = {entry.value: entry.label for entry in atlas.info.categories}
    assert {key: r.get("category") for key, r in back.items()} == {
        event.id: slug(labels.get(event.category) or event.category) if event.category else None
        for event in atlas.events}
