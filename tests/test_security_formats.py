"""Stage: formats.

`atlas export` and `atlas import` with hostile files and folders: text escaped for each
format's fields and read back exactly; spreadsheet cells that a spreadsheet would run as
formulas neutralised; an import writes only inside its atlas folder; odd and huge input
ends in a located error (exit 2), never a traceback."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from atlas.building.pipeline import check
from atlas.formats.common import Ids, slug
from atlas.source.geometry import MAX_CROSSING_TESTS, Budget, rings_cross, self_intersects

from conftest import SAMPLES, run_atlas
from hostile_atlas import (
    CAPTION,
    CREDIT,
    EVENT,
    HOSTILE,
    LABEL,
    PERIOD,
    PERIOD_SUMMARY,
    PICTURE,
    PLACE,
    QUOTE,
    QUOTED_FROM,
    SUBTITLE,
    SUMMARY,
    TITLE,
    write_hostile_atlas,
)

FORMATS = SAMPLES / "formats"


def records(folder: Path, name: str) -> Any:
    return yaml.safe_load((folder / f"{name}.yaml").read_text(encoding="utf-8"))


def round_trip(tmp_path: Path, fmt: str) -> Path:
    """The hostile atlas exported in `fmt`, and imported again into a new folder."""
    source = tmp_path / "hostile"
    write_hostile_atlas(source)
    exported = tmp_path / f"export.{fmt}"
    result = run_atlas("export", source, "--format", fmt, "-o", exported)
    assert result.returncode == 0, result.stderr
    back = tmp_path / "back"
    result = run_atlas("import", exported, "-o", back, "--format", fmt)
    assert result.returncode == 0, result.stderr
    return back


QUOTATION = {"quote": QUOTE, "source": QUOTED_FROM, "caption": CAPTION}
LINKED = {"url": PICTURE, "credit": CREDIT, "caption": CAPTION}


def test_the_timelinejs_export_reads_back_to_the_very_text(tmp_path: Path) -> None:
    back = round_trip(tmp_path, "timelinejs")
    assert yaml.safe_load((back / "atlas.yaml").read_text(encoding="utf-8"))["title"] == TITLE
    assert yaml.safe_load((back / "atlas.yaml").read_text(encoding="utf-8"))["subtitle"] == SUBTITLE
    events = {event["id"]: event for event in records(back, "events")}
    assert events["quoted"]["title"] == EVENT
    assert events["quoted"]["summary"] == SUMMARY  # the export's "Where:" paragraph left out, with a note
    assert events["quoted"]["media"] == [QUOTATION]
    assert events["pictured"]["title"] == f"Pictured {HOSTILE}"
    assert events["pictured"]["media"] == [LINKED]
    assert events["approximate"]["summary"] == SUMMARY  # its display date "c. 1933" is its qualifier:
    assert events["approximate"]["date"] == "1933~" and events["quoted"]["sources"] == [{"label": "A book"}]
    assert events["approximate"]["category"] == slug(LABEL)  # the group: the category's label
    categories = yaml.safe_load((back / "atlas.yaml").read_text(encoding="utf-8"))["categories"]
    assert categories == {slug(LABEL): {"label": LABEL}}
    assert [period["title"] for period in records(back, "periods")] == [PERIOD]


def test_the_storymapjs_export_reads_back_to_the_very_text(tmp_path: Path) -> None:
    back = round_trip(tmp_path, "storymapjs")
    info = yaml.safe_load((back / "atlas.yaml").read_text(encoding="utf-8"))
    assert (info["title"], info["subtitle"]) == (PERIOD, PERIOD_SUMMARY)
    events = {event["date"]: event for event in records(back, "events")}
    assert events["1931-09-18"]["title"] == EVENT
    assert events["1931-09-18"]["summary"] == SUMMARY
    assert events["1931-09-18"]["media"] == [QUOTATION]
    assert events["1932-03"]["media"] == [LINKED]
    assert events["1933~"]["title"] == f"Approximate {HOSTILE}"
    assert [place["name"] for place in records(back, "places")] == [PLACE]


# Spreadsheet formulas in the CSV export.

FORMULAS = ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=HYPERLINK(\"https://example.org\")", "\r=cr",
            "'=already neutralised", "''", "'plain", "'", "plain"]


def formula_atlas(folder: Path) -> list[dict[str, Any]]:
    """The starter atlas with events whose every text starts like a formula, one BCE."""
    assert run_atlas("new", folder).returncode == 0
    shutil.rmtree(folder / "lessons")
    (folder / "periods.yaml").write_text("- {id: all, title: All, when: -0100/1800}\n", encoding="utf-8")
    events = [{"id": f"event-{n}", "date": "-0043-03-15" if n == 0 else "1789", "title": text,
               "places": ["paris"], "summary": FORMULAS[-1 - n],
               "sources": [{"label": text, "url": "https://example.org/"}, {"label": FORMULAS[-1 - n]}]}
              for n, text in enumerate(FORMULAS)]
    (folder / "events.yaml").write_text(yaml.safe_dump(events, allow_unicode=True), encoding="utf-8")
    return events


def test_no_csv_cell_starts_like_a_formula_and_each_reads_back_exactly(tmp_path: Path) -> None:
    source = tmp_path / "formulas"
    events = formula_atlas(source)
    exported = tmp_path / "events.csv"
    assert run_atlas("export", source, "--format", "csv", "-o", exported).returncode == 0
    rows = list(csv.reader(io.StringIO(exported.read_text(encoding="utf-8"), newline="")))[1:]
    assert len(rows) == len(events)
    assert [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")] == []
    assert rows[0][1] == "'-0043-03-15"  # a BCE date, as a spreadsheet shows it: text
    # Read back as an atlas's own events.csv…
    (source / "events.yaml").unlink()
    shutil.copy(exported, source / "events.csv")
    atlas, _ = check(source)
    # (Sources share a cell, `label <url>; label`: each label is trimmed of spaces and tabs.)
    assert [(e.date and e.date.text, e.title, e.summary, [s.label for s in e.sources]) for e in atlas.events] == [
        (e["date"], e["title"], e["summary"], [s["label"].strip() for s in e["sources"]]) for e in events]
    # …and imported into an atlas.
    (source / "events.csv").unlink()
    (source / "events.yaml").write_text("[]\n", encoding="utf-8")
    result = run_atlas("import", exported, "-o", source)
    assert result.returncode == 0, result.stderr
    assert [(e["date"], e["title"], e["summary"], [s["label"] for s in e["sources"]])
            for e in records(source, "events")] == [
        (e["date"], e["title"], e["summary"], [s["label"].strip() for s in e["sources"]]) for e in events]


# An import writes only inside its atlas folder.

def listing(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (links not followed) and its bytes, and every link's target."""
    found: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            found[str(path.relative_to(folder))] = str(path.readlink()).encode()
        elif path.is_file():
            found[str(path.relative_to(folder))] = path.read_bytes()
    return found


def starter(folder: Path) -> Path:
    assert run_atlas("new", folder).returncode == 0
    return folder


@pytest.mark.parametrize("link", ["shapes", "events.yaml", "places.yaml", "periods.yaml"])
def test_an_import_into_a_folder_with_a_link_out_writes_nothing(tmp_path: Path, link: str) -> None:
    folder = starter(tmp_path / "atlas")
    outside = tmp_path / "outside"
    outside.mkdir()
    if link == "shapes":
        (folder / "shapes").symlink_to(outside, target_is_directory=True)
    else:
        (outside / link).write_bytes((folder / link).read_bytes())
        (folder / link).unlink()
        (folder / link).symlink_to(outside / link)
    before, outside_before = listing(folder), listing(outside)
    result = run_atlas("import", FORMATS / "plain.geojson", "-o", "atlas", cwd=tmp_path)  # a line: a shapes/ file
    assert result.returncode == 2, result.stderr
    assert f"atlas/{link}" in result.stderr and "outside the atlas folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert listing(folder) == before
    assert listing(outside) == outside_before


def test_an_import_follows_a_link_that_stays_inside_the_folder(tmp_path: Path) -> None:
    folder = starter(tmp_path / "atlas")
    (folder / "regions").mkdir()
    (folder / "shapes").symlink_to("regions", target_is_directory=True)
    result = run_atlas("import", FORMATS / "plain.geojson", "-o", folder)
    assert result.returncode == 0, result.stderr
    assert (folder / "shapes").is_symlink() and (folder / "regions" / "grand-canal.geojson").is_file()


# Adding to an events.yaml written in another YAML style.

STARTER_EVENTS = [{"id": "first", "date": "1789-07-14", "title": "First", "places": ["paris"],
                   "sources": [{"label": "A book"}]},
                  {"id": "second", "date": "1789-10-05", "title": "Second", "places": ["paris"],
                   "sources": [{"label": "A book"}]}]
ONE_EVENT = {"events": [{"start_date": {"year": 1789, "month": 8}, "text": {"headline": "Imported"}}]}


def import_one_event(tmp_path: Path, events_yaml: str) -> tuple[Any, Path]:
    folder = starter(tmp_path / "atlas")
    shutil.rmtree(folder / "lessons")  # they show the starter's events
    (folder / "events.yaml").write_text(events_yaml, encoding="utf-8")
    assert check(folder)[0].events is not None  # a valid atlas before the import
    timeline = tmp_path / "timeline.json"
    timeline.write_text(json.dumps(ONE_EVENT), encoding="utf-8")
    return run_atlas("import", timeline, "-o", "atlas", cwd=tmp_path), folder


@pytest.mark.parametrize("events_yaml", [
    "# None yet.\n[]\n",
    "[ ]  # none yet\n",
    "".join(f"  - {json.dumps(event)}\n" for event in STARTER_EVENTS),  # a list indented as a whole
    "".join(f"- {json.dumps(event)}\n" for event in STARTER_EVENTS).rstrip("\n"),  # no line end at the end
], ids=["empty", "empty-with-space", "indented", "no-last-line-end"])
def test_an_import_adds_to_an_events_list_of_any_block_style(tmp_path: Path, events_yaml: str) -> None:
    result, folder = import_one_event(tmp_path, events_yaml)
    assert result.returncode == 0, result.stderr
    titles = [event.title for event in check(folder)[0].events]
    assert titles == ["First", "Second", "Imported"] if "First" in events_yaml else ["Imported"]
    if events_yaml.startswith("#"):
        assert (folder / "events.yaml").read_text(encoding="utf-8").startswith("# None yet.\n")  # kept


@pytest.mark.parametrize("events_yaml", [
    json.dumps(STARTER_EVENTS) + "\n",  # one flow list: [ {…}, {…} ]
    "".join(f"- {json.dumps(event)}\n" for event in STARTER_EVENTS) + "...\n",  # an end-of-document mark
], ids=["flow-list", "document-end"])
def test_an_import_refuses_to_add_to_a_list_it_cannot_extend(tmp_path: Path, events_yaml: str) -> None:
    result, folder = import_one_event(tmp_path, events_yaml)
    before = listing(folder)
    assert result.returncode == 2, result.stderr
    assert "atlas/events.yaml:1: " in result.stderr and "- id:" in result.stderr
    assert listing(folder) == before
    assert [event.title for event in check(folder)[0].events] == ["First", "Second"]


# Work that grows with the input no faster than the input.

def test_ids_for_many_items_of_one_title_are_found_in_linear_work() -> None:
    ids = Ids({"battle", "battle-3"})
    made = [ids.make(None, "Battle", "event") for _ in range(3000)]
    assert made[:3] == ["battle-2", "battle-4", "battle-5"] and len(set(made)) == 3000
    assert ids.tried <= 2 * 3000 + 2  # each id tried at most once for each name, plus the taken ones


def sawtooth(west: float, count: int) -> list[list[float]]:
    """A ring that does not cross itself but whose edges all span the same longitudes:
    the worst case of the west-to-east sweep (every pair of edges must be tested)."""
    teeth = [[west + (n % 2), -80 + 160 * n / count] for n in range(count)]
    return [*teeth, [west - 1, 80], [west - 1, -80], teeth[0]]


def test_the_self_crossing_test_is_bounded_for_a_whole_geometry() -> None:
    rings = [sawtooth(10 * n, 4990) for n in range(10)]  # each ring within the old per-ring cap
    budget = Budget()
    assert not rings_cross(rings, budget)
    assert 0 < budget.used <= MAX_CROSSING_TESTS  # once 10 × 12 million pairs
    bowtie = [[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]
    assert rings_cross([sawtooth(0, 100), bowtie])  # found while the budget lasts
    assert self_intersects(bowtie) and not self_intersects([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])


def test_a_geojson_file_of_many_large_rings_is_checked_with_a_warning_at_most(tmp_path: Path) -> None:
    folder = starter(tmp_path / "atlas")
    crossing = [[20, 0], [21, 1], [21, 0], [20, 1], [20, 0]]
    region = {"type": "MultiPolygon", "coordinates": [[crossing]] + [[sawtooth(10 * n, 4990)] for n in range(10)]}
    (folder / "region.geojson").write_text(json.dumps(region), encoding="utf-8")
    with (folder / "places.yaml").open("a", encoding="utf-8") as places:
        places.write("- {id: region, name: Region, kind: region, geojson: region.geojson}\n")
    result = run_atlas("check", folder)
    assert result.returncode == 0, result.stderr
    assert "region.geojson: a ring of place 'region' crosses itself" in result.stderr  # a warning


# Huge numbers and mistyped GeoJSON: located errors, never a traceback.

HUGE = "9" * 400  # a float cannot hold it
HUGER = "9" * 5000  # more digits than Python reads as an integer


@pytest.mark.parametrize("geometry", [
    f'{{"type": "Point", "coordinates": [{HUGE}, 1]}}',
    f'{{"type": "Point", "coordinates": [{HUGER}, 1]}}',
    '{"type": ["Polygon"], "coordinates": []}',
    '{"type": {"Polygon": 1}, "coordinates": []}',
    '{"type": "Feature", "geometry": {"type": ["Point"], "coordinates": [1, 2]}}',
    '{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": {}, "coordinates": []}}]}',
], ids=["huge", "huger", "type-list", "type-dict", "feature-type-list", "collection-type-dict"])
def test_an_odd_geojson_file_in_the_atlas_is_a_located_error(tmp_path: Path, geometry: str) -> None:
    folder = starter(tmp_path / "atlas")
    (folder / "region.geojson").write_text(geometry, encoding="utf-8")
    with (folder / "places.yaml").open("a", encoding="utf-8") as places:
        places.write("- {id: region, name: Region, kind: region, geojson: region.geojson}\n")
    result = run_atlas("check", "atlas", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert re.match(r"atlas/(places\.yaml|region\.geojson):\d+: .*(GeoJSON|number|digits)", result.stderr), result.stderr
    assert len(result.stderr) < 400  # the number is not repeated whole


def collection(geometry: str) -> str:
    """A GeoJSON FeatureCollection of one named feature with this geometry."""
    return f'{{"type": "FeatureCollection", "features": [{{"type": "Feature", "geometry": {geometry}, ' \
        '"properties": {"name": "X"}}]}'


@pytest.mark.parametrize(("name", "text"), [
    ("a.geojson", collection(f'{{"type": "Point", "coordinates": [{HUGE}, 1]}}')),
    ("b.geojson", collection(f'{{"type": "LineString", "coordinates": [[1, 1], [2, {HUGE}]]}}')),
    ("c.geojson", collection(f'{{"type": "Point", "coordinates": [{HUGER}, 1]}}')),
    ("d.geojson", collection('{"type": ["Point"], "coordinates": [1, 1]}')),
    ("e.json", '{"type": "FeatureCollection", "@context": "x", "features": [{"@id": "a", "type": "Feature", '
               f'"geometry": {{"type": "Point", "coordinates": [{HUGE}, 1]}}, "properties": {{"title": "X"}}}}]}}'),
    ("f.json", f'{{"storymap": {{"slides": [{{"location": {{"lat": {HUGE}, "lon": 1}}}}]}}}}'),
    ("g.json", f'{{"events": [{{"start_date": {{"year": "{HUGE}"}}}}]}}'),
    ("h.tsv", f"id\ttitle\tgeowkt\nx\tX\tPOINT({HUGE} 1)\n"),
])
def test_an_odd_file_to_import_is_a_located_error_or_a_clean_import(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    result = run_atlas("import", name, "-o", "new", cwd=tmp_path)
    assert "Traceback" not in result.stderr
    if result.returncode == 0:  # a geometry it cannot use is left out, and the import says so
        assert "left out" in result.stdout and "no errors" in result.stdout, result.stdout
    else:
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith(f"{name}:") and len(result.stderr) < 400, result.stderr
        assert not (tmp_path / "new").exists()


@pytest.mark.parametrize(("name", "text"), [
    ("timeline.csv", "Year,Headline\n1900,\"" + "x" * 200_000 + "\"\n"),
    ("gazetteer.tsv", "id\ttitle\tlon\tlat\na\t" + "x" * 200_000 + "\t1\t1\n"),
    ("events.csv", "id,date,title\na,1900,\"" + "x" * 200_000 + "\"\n"),
])
def test_a_spreadsheet_cell_over_the_csv_limit_is_a_located_error(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    result = run_atlas("import", name, "-o", "new", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"{name}:row 2: ") and "Traceback" not in result.stderr, result.stderr
    assert not (tmp_path / "new").exists()
