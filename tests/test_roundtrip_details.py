"""Stage: formats. What the round trips rest on, one rule at a time: a plain GeoJSON
region with dates is a region of that time; a CSV cell that a spreadsheet would run as a
formula or read as a number or a date is written so that it shows as text, and reads back
exactly (checked in LibreOffice where it is installed); an import into an existing atlas
extends a places.yaml of `[]`, comments or nothing without breaking it, and writes links
to media elsewhere only where atlas.yaml allows them; a GeoJSON export edited into
something atlas does not write is refused, naming where, with nothing written."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT, SAMPLES, run_atlas, tree_digest

DATES = ["-0263", "0700", "1945-08-09", "1945-08", "1950/1951", "-0043-03-15", "1945?", "07XX", "1275~"]
TITLES = ["=1+1", "+43", "@SUM(A1)", "-x", "1984", "(5)", "1/2", "'quoted", "''twice", "3.5e2", "Cannae", "50%",
          "C'est la guerre"]
# Texts a spreadsheet shows as they are: written without an apostrophe.
AS_THEY_ARE = {"1945?", "07XX", "1275~", "Cannae", "C'est la guerre"}


def records(folder: Path, name: str) -> list[dict[str, Any]]:
    return yaml.safe_load((folder / f"{name}.yaml").read_text(encoding="utf-8")) or []


def small_atlas(folder: Path, places: str = "[]\n") -> Path:
    folder.mkdir(parents=True)
    (folder / "atlas.yaml").write_text("title: Small\n", encoding="utf-8")
    (folder / "places.yaml").write_text(places, encoding="utf-8")
    (folder / "events.yaml").write_text("[]\n", encoding="utf-8")
    (folder / "periods.yaml").write_text("- {id: all, title: All, when: -0999/2000}\n", encoding="utf-8")
    return folder


def imported(path: Path, folder: Path) -> subprocess.CompletedProcess[str]:
    result = run_atlas("import", path, "-o", folder)
    assert result.returncode == 0, result.stderr
    assert "no errors" in result.stdout  # what was written passes `atlas check`
    return result


def test_a_plain_geojson_region_with_dates_is_a_region_of_that_time(tmp_path: Path) -> None:
    square = {"type": "Polygon", "coordinates": [[[10, 40], [12, 40], [12, 42], [10, 42], [10, 40]]]}
    features = [
        {"type": "Feature", "geometry": square, "properties": {"name": "Kingdom", "start": "1200", "end": "1300"}},
        {"type": "Feature", "geometry": {"type": "MultiPolygon", "coordinates": [square["coordinates"]]},
         "properties": {"name": "League", "start": -300, "end": -200}},
        {"type": "Feature", "geometry": square, "properties": {"name": "Realm", "when": "1066/1154"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [11, 41]},
         "properties": {"name": "Battle", "date": "1212"}},
    ]
    path = tmp_path / "regions.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    folder = tmp_path / "atlas"
    imported(path, folder)
    places = {record["name"]: record for record in records(folder, "places")}
    # (a year as a number is read as historians write it: -300 is 300 BCE, EDTF -0299)
    assert {name: places[name].get("when") for name in places} == {
        "Kingdom": "1200/1300", "League": "-0299/-0199", "Realm": "1066/1154", "Battle": None}
    assert [(e["title"], e["date"]) for e in records(folder, "events")] == [("Battle", "1212")]


def cells_atlas(folder: Path) -> list[dict[str, Any]]:
    """An atlas whose events' dates and titles are the cells a spreadsheet reads otherwise."""
    small_atlas(folder)
    events = [{"id": f"e{n}", "date": DATES[n % len(DATES)], "title": title, "summary": f"About {title}",
               "sources": [{"label": title}]} for n, title in enumerate(TITLES)]
    (folder / "events.yaml").write_text(yaml.safe_dump(events, allow_unicode=True), encoding="utf-8")
    return events


def test_a_csv_cell_a_spreadsheet_reads_otherwise_is_guarded_and_reads_back_exactly(tmp_path: Path) -> None:
    events = cells_atlas(tmp_path / "source")
    out = tmp_path / "events.csv"
    assert run_atlas("export", tmp_path / "source", "--format", "csv", "-o", out).returncode == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    for row, event in zip(rows, events, strict=True):
        for key in ("date", "title"):
            guarded = event[key] not in AS_THEY_ARE
            assert row[key] == ("'" if guarded else "") + event[key], (key, event[key])
    folder = small_atlas(tmp_path / "back")
    imported(out, folder)
    assert [(e["date"], e["title"], e["sources"][0]["label"]) for e in records(folder, "events")] == [
        (e["date"], e["title"], e["title"]) for e in events]


def libreoffice_cells(path: Path, tmp_path: Path) -> list[list[tuple[str, str, bool]]]:
    """A CSV as LibreOffice reads it with its default options: each cell's value type, its
    text as shown, and whether it holds a formula."""
    soffice = shutil.which("soffice")
    if soffice is None:
        message = "LibreOffice (soffice) is not installed: .ci/run installs libreoffice-calc-nogui"
        if os.environ.get("CI") == "true":
            pytest.fail(message)  # CI runs every test: a spreadsheet is this format's own software
        pytest.skip(message)
    env = {**os.environ, "HOME": str(tmp_path)}
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--infilter=CSV:44,34,76,1", "--convert-to", "fods", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180, env=env)
    tree = ET.parse(tmp_path / f"{path.stem}.fods")
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    rows = []
    for row in tree.iter(f"{{{table}}}table-row"):
        cells = [(cell.get(f"{{{office}}}value-type", ""), "".join(cell.itertext()).strip(),
                  cell.get(f"{{{table}}}formula") is not None)
                 for cell in row.iter(f"{{{table}}}table-cell") if cell.get(f"{{{office}}}value-type")]
        rows.append(cells)
    return [row for row in rows if row]


def test_libreoffice_shows_every_exported_cell_as_text_and_runs_none(tmp_path: Path) -> None:
    cells_atlas(tmp_path / "source")
    out = tmp_path / "events.csv"
    assert run_atlas("export", tmp_path / "source", "--format", "csv", "-o", out).returncode == 0
    naive = tmp_path / "naive.csv"  # the same cells without the apostrophes: what the guard is for
    naive.write_text("date,title\r\n" + "".join(f"{d},{t}\r\n" for d, t in zip(DATES, TITLES, strict=False)),
                     encoding="utf-8")
    read = libreoffice_cells(out, tmp_path)
    written = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert [[text for _, text, _ in row] for row in read] == [[cell for cell in row if cell] for row in written]
    assert {(kind, formula) for row in read for kind, _, formula in row} == {("string", False)}
    unguarded = {text: (kind, formula) for row in libreoffice_cells(naive, tmp_path) for kind, text, formula in row}
    assert unguarded["-263"] == ("float", False) and unguarded["700"] == ("float", False)
    assert unguarded["1945-08-09"][0] == "date" and unguarded["2"] == ("float", True)  # =1+1 ran


@pytest.mark.parametrize("before", [
    "[]\n", "[] # none yet\n", "# places come later\n", "", "[]", "# a\n[]  # b\n# c", "---\n[]\n",
    "# only a comment, no line end"])
def test_an_import_extends_an_empty_places_file_keeping_its_comments(before: str, tmp_path: Path) -> None:
    folder = small_atlas(tmp_path / "atlas", before)
    path = tmp_path / "one.geojson"
    path.write_text(json.dumps({"type": "Feature", "geometry": {"type": "Point", "coordinates": [12.5, 41.9]},
                                "properties": {"name": "Rome"}}), encoding="utf-8")
    imported(path, folder)
    text = (folder / "places.yaml").read_text(encoding="utf-8")
    comments = [part.strip() for line in before.splitlines() if "#" in line for part in [line[line.index("#"):]]]
    assert [line for line in text.splitlines() if line.startswith("#")] == comments
    assert records(folder, "places") == [{"id": "rome", "name": "Rome", "coordinates": [41.9, 12.5]}]


def timeline_with_a_link(tmp_path: Path) -> Path:
    path = tmp_path / "timeline.json"
    path.write_text(json.dumps({"events": [{"start_date": {"year": 1950}, "text": {"headline": "A picture"},
                                            "media": {"url": "https://example.org/a.jpg", "credit": "Someone"}}]}),
                    encoding="utf-8")
    return path


def test_links_to_media_elsewhere_are_allowed_in_an_atlas_that_says_nothing_of_media(tmp_path: Path) -> None:
    folder = small_atlas(tmp_path / "atlas")
    result = imported(timeline_with_a_link(tmp_path), folder)
    assert "`media: {remote: true}` was added to atlas.yaml" in result.stdout
    assert yaml.safe_load((folder / "atlas.yaml").read_text(encoding="utf-8")) == {
        "title": "Small", "media": {"remote": True}}
    assert records(folder, "events")[0]["media"] == [{"url": "https://example.org/a.jpg", "credit": "Someone"}]


def test_links_to_media_elsewhere_are_left_out_where_atlas_yaml_refuses_them(tmp_path: Path) -> None:
    folder = small_atlas(tmp_path / "atlas")
    (folder / "atlas.yaml").write_text("title: Small\nmedia: {remote: false}\n", encoding="utf-8")
    result = imported(timeline_with_a_link(tmp_path), folder)
    assert "1 event's link to media elsewhere left out" in result.stdout
    assert (folder / "atlas.yaml").read_text(encoding="utf-8") == "title: Small\nmedia: {remote: false}\n"
    assert "media" not in records(folder, "events")[0]


@pytest.mark.parametrize(("change", "unknown"), [
    (lambda f: f["properties"]["atlas"].update({"a: b, c": 1}), "unknown field 'a: b, c' in place"),
    (lambda f: f["properties"]["atlas"]["names"].append({"name": "X", "when\n- id: evil": "1"}),
     "unknown field 'when\\n- id: evil'"),
])
def test_a_field_name_of_a_geojson_record_is_text_and_an_unknown_one_is_refused(
        change: Any, unknown: str, tmp_path: Path) -> None:
    # (Written as YAML the name would be YAML source: it is quoted, read back as the text
    # it is, and refused as a field no place has, before anything is written.)
    out = tmp_path / "atlas.geojson"
    assert run_atlas("export", ROOT / "places", "--format", "geojson", "-o", out).returncode == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    feature = next(f for f in data["features"] if f["properties"]["atlas"].get("names"))
    data["features"] = [feature]
    change(feature)
    out.write_text(json.dumps(data), encoding="utf-8")
    folder = small_atlas(tmp_path / "atlas")
    before = tree_digest(folder)
    result = run_atlas("import", out, "-o", folder)
    assert result.returncode == 2, result.stderr
    assert "atlas import wrote nothing" in result.stderr and unknown in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(folder) == before


def test_an_import_that_check_would_refuse_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "atlas.geojson"
    assert run_atlas("export", ROOT / "places", "--format", "geojson", "-o", out).returncode == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    place = next(f for f in data["features"] if f["properties"]["id"] == "lake-khasan")
    place["properties"]["atlas"]["colour"] = "red"  # a field no place has
    data["features"] = [place]
    out.write_text(json.dumps(data), encoding="utf-8")
    folder = small_atlas(tmp_path / "atlas")
    before = tree_digest(folder)
    result = run_atlas("import", out, "-o", folder)
    assert result.returncode == 2
    assert "atlas import wrote nothing" in result.stderr
    assert re.search(f"^{re.escape(str(folder / 'places.yaml'))}:[0-9]+: unknown field 'colour' in place",
                     result.stderr, re.MULTILINE)
    assert tree_digest(folder) == before


def test_a_category_the_atlas_does_not_declare_is_left_out_of_the_events(tmp_path: Path) -> None:
    folder = small_atlas(tmp_path / "atlas")
    (folder / "atlas.yaml").write_text("title: Small\ncategories:\n  war: {label: War}\n", encoding="utf-8")
    path = tmp_path / "timeline.json"
    path.write_text(json.dumps({"events": [
        {"unique_id": "a", "start_date": {"year": 1950}, "text": {"headline": "A"}, "group": "War"},
        {"unique_id": "b", "start_date": {"year": 1951}, "text": {"headline": "B"}, "group": "Trade"}]}),
        encoding="utf-8")
    result = imported(path, folder)
    assert "categories left out of the events, as atlas.yaml does not declare them: trade" in result.stdout
    assert [(e["id"], e.get("category")) for e in records(folder, "events")] == [("a", "war"), ("b", None)]


def test_a_geocoded_place_without_its_answer_in_the_file_keeps_its_point(tmp_path: Path) -> None:
    out = tmp_path / "atlas.geojson"
    assert run_atlas("export", ROOT / "places", "--format", "geojson", "-o", out).returncode == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    answers = data["atlas"]["geocoded"]
    del answers["beijing"]
    answers["moscow"]["query"] = "Moskva"  # an answer to another question
    out.write_text(json.dumps(data), encoding="utf-8")
    result = imported(out, tmp_path / "atlas")
    assert "place 'beijing': the file holds no geocoder answer" in result.stdout
    places = {record["id"]: record for record in records(tmp_path / "atlas", "places")}
    point = next(f["geometry"]["coordinates"] for f in data["features"] if f["properties"]["id"] == "beijing")
    assert places["beijing"]["coordinates"] == [point[1], point[0]] and "geocode" not in places["moscow"]
    assert places["shanghai"]["geocode"] == "Shanghai"  # answered: kept as the query it is


def test_an_event_whose_media_is_not_a_list_of_mappings_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "atlas.geojson"
    assert run_atlas("export", ROOT / "places", "--format", "geojson", "-o", out).returncode == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    event = next(f for f in data["features"] if f["properties"]["atlas"].get("media"))
    event["properties"]["atlas"]["media"] = [True]
    data["features"] = [event]
    out.write_text(json.dumps(data), encoding="utf-8")
    result = run_atlas("import", out, "-o", tmp_path / "atlas")
    assert result.returncode == 2 and f"{out}:/features/0/properties/atlas/media: media is a list" in result.stderr
    assert not (tmp_path / "atlas").exists()


def test_an_import_names_only_the_categories_an_atlas_lacks(tmp_path: Path) -> None:
    timeline = tmp_path / "t.json"
    timeline.write_text(json.dumps({"events": [
        {"start_date": {"year": 1950}, "text": {"headline": "A"}, "group": "War"},
        {"start_date": {"year": 1951}, "text": {"headline": "B"}, "group": "Trade"}]}), encoding="utf-8")
    declaring = tmp_path / "declaring"  # the default atlas declares war, not trade
    shutil.copytree(ROOT / "places", declaring)
    said = run_atlas("import", timeline, "-o", declaring)
    assert said.returncode == 0, said.stderr
    assert "as atlas.yaml does not declare them: trade (Trade)" in said.stdout
    assert "new to the atlas" not in said.stdout
    silent = tmp_path / "silent"  # the good sample declares no categories: both are kept, both named
    shutil.copytree(SAMPLES / "good", silent)
    said = run_atlas("import", timeline, "-o", silent)
    assert "2 categories are new to the atlas" in said.stdout and "war (War), trade (Trade)" in said.stdout
