"""Stage: formats. Round trips, the issue's done-means: the default atlas and a BCE atlas
(tests/roundtrip_atlas.py: Cannae, Caesar, Actium, an approximate and an uncertain date, an undated event,
an interval, dated names, a control history, a route, an area, media with a credit),
each exported in every format, imported into a new folder, checked, and compared with
the original record by record, field by field. Each format declares exactly what it
cannot hold: any other difference fails, and so does a declared loss that no longer
happens (the lists stay exact). The export's line says what the file holds; the GeoJSON
export stays RFC 7946 GeoJSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from roundtrip_atlas import described, differences, losses, write_bce_atlas

from conftest import ROOT, run_atlas

FORMATS = ("geojson", "lpf", "lptsv", "timelinejs", "storymapjs", "csv")
# atlas.yaml's settings that only our GeoJSON holds.
SETTINGS = frozenset({"settings.credits", "settings.view", "settings.categories", "settings.controls",
                      "settings.names", "settings.languages"})
# (An atlas's other languages: our GeoJSON keeps the list with the other settings; their
# text, in translations/<lang>.yaml and lessons/<id>.<lang>.md, no export carries.)
TITLE = frozenset({"settings.title", "settings.subtitle"})
# What each format cannot hold (tests/roundtrip_atlas.py names the differences). `KINDs`:
# records that do not come back; `KINDs+`: records the import makes (a period spanning
# everything); `KIND.id`: records that come back under another id (by name or title).
CANNOT_HOLD: dict[str, frozenset[str]] = {
    "geojson": frozenset(),
    # One row an event, nothing else: no places (so events name none), no periods, no settings.
    "csv": SETTINGS | TITLE | {"settings.remote_media", "places", "periods", "periods+", "event.places",
                               "event.view", "event.media", "event.routes", "event.area"},
    # A gazetteer: places with their names, forms, kinds and times; no events or periods, no
    # control or other outline of a state; roles go as types in time and come back as types;
    # a name cites a source (a place without one cites the atlas, which comes back as one).
    # LPF's names are toponyms each with its language and time: a form in use for a time
    # (an exonym such as Ryojun) comes back as a name of that time, and the title comes
    # back first among the forms, in its own language: names and forms come back with the
    # same words, languages and times, in another shape or order.
    # Notes and `mapped:` are the author's, not the gazetteer's: left out, and said.
    "lpf": SETTINGS | TITLE | {"settings.remote_media", "events", "periods", "place.control", "place.outline_of",
                               "place.roles", "place.sources", "place.forms", "place.names", "place.note",
                               "place.mapped"},
    # LP-TSV: the same, one row a place (its names as variants, its geometry as WKT), and
    # its start and end are plain dates: a qualifier (1928~) does not come back.
    "lptsv": SETTINGS | TITLE | {"settings.remote_media", "events", "periods", "place.control", "place.outline_of",
                                 "place.roles", "place.sources", "place.forms", "place.names", "place.when",
                                 "place.note", "place.mapped"},
    # A timeline: slides (one media each, the category's label as its group, the places
    # named at the end of the text, a paragraph the import leaves out of the summary, with
    # a note; an undated event has no slide) and eras (a title and dates); no places, maps
    # or views; the author's notes are not for readers.
    "timelinejs": SETTINGS | {"places", "events", "event.places", "event.routes", "event.area",
                              "event.view", "event.media", "event.category", "period.id", "period.summary",
                              "period.view", "period.map_date", "event.note", "period.note"},
    # One period's story, its title and text the atlas's: a slide an event (one media, no
    # category, route or area, its view its location) at a place named as on the event's
    # day, with nothing else of the place (its ids are new where its name was another);
    # the period is its slides' years.
    "storymapjs": SETTINGS | TITLE | {
        "events", "event.places", "event.routes", "event.area", "event.media", "event.category", "event.view",
        "event.note", "period.note",
        "places", "places+", "place.id", "place.name", "place.kind", "place.sources", "place.description",
        "place.names", "place.forms", "place.control", "place.when", "place.note", "place.mapped",
        "periods", "period.id", "period.summary", "period.view", "period.when"},
}
# Formats another helper is fixing at the same time (their modules are not this work's):
# failing today, to be unmarked when that work is merged.
FIXED_ELSEWHERE: dict[str, str] = {}


@pytest.fixture(scope="module")
def atlases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {"default": ROOT / "places", "bce": write_bce_atlas(tmp_path_factory.mktemp("bce") / "bce")}


@pytest.fixture(scope="module")
def originals(atlases: dict[str, Path]) -> dict[str, dict[str, Any]]:
    return {name: described(folder) for name, folder in atlases.items()}


def round_trip(folder: Path, fmt: str, tmp_path: Path, name: str) -> tuple[Path, str]:
    """The atlas exported in `fmt`, imported into a new folder and checked: the folder, and
    the export's line."""
    exported = tmp_path / f"{name}.{fmt}"
    result = run_atlas("export", folder, "--format", fmt, "-o", exported)
    assert result.returncode == 0, result.stderr
    back = tmp_path / f"{name}-{fmt}"
    imported = run_atlas("import", exported, "-o", back, "--format", fmt)
    assert imported.returncode == 0, imported.stderr
    assert "no errors" in imported.stdout
    checked = run_atlas("check", back)
    assert checked.returncode == 0, checked.stderr
    return back, result.stdout


def params() -> list[Any]:
    return [pytest.param(fmt, marks=pytest.mark.xfail(strict=True, reason=FIXED_ELSEWHERE[fmt]))
            if fmt in FIXED_ELSEWHERE else fmt for fmt in FORMATS]


@pytest.mark.parametrize("fmt", params())
def test_a_round_trip_loses_exactly_what_the_format_cannot_hold(
        fmt: str, atlases: dict[str, Path], originals: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    happened: set[str] = set()
    for name, folder in atlases.items():
        back, _ = round_trip(folder, fmt, tmp_path, name)
        after = described(back)
        lost = losses(originals[name], after)
        unexpected = sorted(lost - CANNOT_HOLD[fmt])
        assert not unexpected, f"{name} atlas through {fmt}:\n" + "\n".join(
            differences(originals[name], after, loss) for loss in unexpected)
        happened |= lost
    assert sorted(CANNOT_HOLD[fmt] - happened) == [], "declared lost, but kept: update CANNOT_HOLD"


def test_geojson_gives_back_the_bce_atlas_exactly_as_written(atlases: dict[str, Path], tmp_path: Path) -> None:
    back, line = round_trip(atlases["bce"], "geojson", tmp_path, "bce")
    assert (back / "atlas.yaml").read_text(encoding="utf-8").startswith(
        'title: "Rome and Carthage <script>alert(1)</script>"\n')
    events = described(back)["event"]
    assert [events[key]["date"] for key in ("first-punic-war", "battle-of-cannae", "caesar-murdered",
                                            "battle-of-actium", "excavations", "second-punic-war",
                                            "an-undated-legend")] == [
        "-0263~", "-0215-08-02", "-0043-03-15", "-0030-09-02", "1945?", "-0217/-0200", None]
    assert line.startswith(f"Exported to {tmp_path / 'bce.geojson'} as geojson: 8 events, 7 places, 4 periods, "
                           "the atlas's settings")


def geometry_problems(geometry: Any, where: str) -> list[str]:
    """RFC 7946 section 3.1 for one geometry: its type, and positions of two or three
    numbers, longitude and latitude in range, lines of two positions, closed rings of four."""
    if geometry is None:
        return []
    kind = geometry.get("type")
    if kind == "GeometryCollection":
        return [p for n, part in enumerate(geometry["geometries"]) for p in geometry_problems(part, f"{where}/{n}")]
    depth = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}
    if kind not in depth:
        return [f"{where}: type {kind!r}"]
    problems: list[str] = []

    def walk(value: Any, level: int) -> None:
        if level == 0:
            if not (2 <= len(value) <= 3 and all(isinstance(n, (int, float)) for n in value)
                    and -180 <= value[0] <= 180 and -90 <= value[1] <= 90):
                problems.append(f"{where}: position {value!r}")
            return
        if level == 1 and kind in ("LineString", "MultiLineString") and len(value) < 2:
            problems.append(f"{where}: a line of {len(value)} positions")
        if level == 1 and "Polygon" in kind and (len(value) < 4 or value[0] != value[-1]):
            problems.append(f"{where}: a ring not closed, or of fewer than four positions")
        for item in value:
            walk(item, level - 1)

    walk(geometry["coordinates"], depth[kind])
    return problems


@pytest.mark.parametrize("atlas", ["default", "bce"])
def test_the_geojson_export_is_rfc_7946_geojson_with_the_design_schema(
        atlas: str, atlases: dict[str, Path], tmp_path: Path) -> None:
    # (No geopandas, shapely or fiona here: RFC 7946's rules are checked one by one.)
    out = tmp_path / "atlas.geojson"
    assert run_atlas("export", atlases[atlas], "--format", "geojson", "-o", out).returncode == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    assert set(data) == {"type", "features", "atlas"}  # one foreign member
    problems = []
    for n, feature in enumerate(data["features"]):
        assert set(feature) == {"type", "geometry", "properties"} and feature["type"] == "Feature"
        problems += geometry_problems(feature["geometry"], f"/features/{n}/geometry")
        properties = feature["properties"]
        design = {"place": {"name", "names", "kind", "start", "end"},
                  "event": {"title", "summary", "date", "start", "end", "places", "periods", "category", "sources"}}
        assert design[properties["type"]] | {"type", "id", "atlas"} <= set(properties)
        if properties["type"] == "event":
            assert properties["date"] == properties["atlas"].get("date")  # the EDTF string as written (None: undated)
    assert problems == []
    if atlas == "bce":
        dates = {f["properties"]["id"]: f["properties"] for f in data["features"]}
        assert (dates["first-punic-war"]["date"], dates["first-punic-war"]["start"]) == ("-0263~", "-0263-01-01")


def test_the_export_line_says_what_each_file_holds(atlases: dict[str, Path], tmp_path: Path) -> None:
    said = {}
    for fmt in FORMATS:
        out = tmp_path / f"bce.{fmt}"
        result = run_atlas("export", atlases["bce"], "--format", fmt, "-o", out)
        assert result.returncode == 0, result.stderr
        said[fmt] = result.stdout.strip().removeprefix(f"Exported to {out} as {fmt}: ")
    assert said == {
        "geojson": "8 events, 7 places, 4 periods, the atlas's settings",
        "lpf": "7 places (left out: 8 events, 4 periods)",
        "lptsv": "7 places (left out: 8 events, 4 periods)",
        "timelinejs": "7 of 8 events, 4 periods (left out: 1 event, 7 places)",
        "storymapjs": "3 of 8 events, 2 of 7 places, 1 of 4 periods (left out: 5 events, 5 places, 3 periods)",
        "csv": "8 events (left out: 7 places, 4 periods)",
    }
