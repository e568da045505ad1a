"""Stage: formats.

A digital historian's review of Linked Places (LPF) and LP-TSV, each finding a test on
the reviewer's own small files (written here): a title keeps the language of the name that
is it and is never given another; a place's timespans with gaps between them, and dates
given as earliest…latest, are named in the import's notes; links to other gazetteers go
back out as links (LPF) and matches (LP-TSV), a name's citation is said to become the
place's; what a type and a citation say beside their label is listed; a place of no kind
comes back with none; a start alone is written as a start alone; one place is "1 place"."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from test_linked_places import (
    REAL,
    built_with_a_period,
    imported,
    map_labels,
    open_index,
    open_period,
    places_of,
    popup_of,
)

from conftest import run_atlas

CAIRO = {"type": "FeatureCollection", "features": [
    {"@id": "https://example.org/cairo", "type": "Feature", "properties": {"title": "القاهرة"},
     "names": [{"toponym": "القاهرة", "lang": "ar"}, {"toponym": "Cairo", "lang": "en"},
               {"toponym": "Fustat", "lang": "ar", "when": {"timespans": [{"start": {"in": "0641"},
                                                                           "end": {"in": "0969"}}]}}],
     "geometry": {"type": "Point", "coordinates": [31.24, 30.04]}},
    {"@id": "https://example.org/dimashq", "type": "Feature", "properties": {"title": "دمشق"},
     "names": [{"toponym": "دمشق", "lang": "ar"}, {"toponym": "Dimashq", "lang": "ar-Latn"}],
     "geometry": {"type": "Point", "coordinates": [36.29, 33.51]}}]}

BYZANTIUM = {"type": "FeatureCollection", "features": [
    {"@id": "https://example.org/places/byzantium", "type": "Feature", "properties": {"title": "Byzantium"},
     "when": {"timespans": [{"start": {"in": "-0656"}}]},
     "names": [
         {"toponym": "Byzantium", "lang": "la",
          "when": {"timespans": [{"start": {"in": "-0656"}, "end": {"in": "0330"}}]}},
         {"toponym": "Constantinopolis", "lang": "la",
          "when": {"timespans": [{"start": {"in": "0330"}, "end": {"in": "1453"}}]},
          "citations": [{"label": "Notitia Urbis Constantinopolitanae", "@id": "https://example.org/notitia"}]},
         {"toponym": "Stamboul", "lang": "fr"}],
     "geometry": {"type": "Point", "coordinates": [28.9784, 41.0082]},
     "links": [{"type": "closeMatch", "identifier": "http://www.wikidata.org/entity/Q406"},
               {"type": "exactMatch", "identifier": "tgn:7002473"}],
     "descriptions": [{"value": "Greek colony on the Bosporus", "lang": "en"}]}]}

MULTI = {"type": "FeatureCollection", "features": [
    {"@id": "https://example.org/corinth", "type": "Feature", "properties": {"title": "Corinth"},
     "when": {"timespans": [{"start": {"in": "-0899"}, "end": {"in": "-0145"}}, {"start": {"in": "-0043"}}]},
     "names": [{"toponym": "Korinthos", "lang": "grc"}],
     "geometry": {"type": "Point", "coordinates": [22.88, 37.9]}},
    {"@id": "https://example.org/utica", "type": "Feature", "properties": {"title": "Utica"},
     "when": {"timespans": [{"start": {"earliest": "-1100", "latest": "-1000"},
                             "end": {"earliest": "0700", "latest": "0800"}}]},
     "names": [{"toponym": "Utica", "lang": "la"}],
     "geometry": {"type": "Point", "coordinates": [10.06, 37.05]}},
    {"@id": "https://example.org/athens", "type": "Feature", "properties": {"title": "Athens"},
     "when": {"timespans": [{"start": {"in": "-0999"}, "end": {"in": "-0500"}}, {"start": {"in": "-0499"}}]},
     "names": [{"toponym": "Athens", "lang": "en"}],
     "geometry": {"type": "Point", "coordinates": [23.72, 37.98]}}]}


def written(tmp_path: Path, name: str, data: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def exported(tmp_path: Path, folder: Path, fmt: str) -> tuple[str, str]:
    """The folder exported in `fmt`: the file's text, and what the export said."""
    out = tmp_path / f"out.{fmt}.{'tsv' if fmt == 'lptsv' else 'json'}"
    result = run_atlas("export", folder, "--format", fmt, "-o", out)
    assert result.returncode == 0, result.stderr
    return out.read_text(encoding="utf-8"), result.stdout + result.stderr


def tsv_row(text: str, n: int = 0) -> dict[str, str]:
    header, *rows = text.rstrip("\n").split("\n")
    return dict(zip(header.split("\t"), rows[n].split("\t"), strict=True))


def test_a_title_keeps_the_language_of_its_name_and_every_export_keeps_it(tmp_path: Path) -> None:
    folder, said = imported(tmp_path, written(tmp_path, "cairo.json", CAIRO))
    places = places_of(folder)
    assert places["cairo"]["forms"] == {"ar": "القاهرة", "en": "Cairo"}  # never القاهرة in English
    assert places["cairo"]["names"] == [{"name": "Fustat", "lang": "ar", "when": "0641/0969"}]
    assert places["dimashq"]["forms"] == {"ar": "دمشق", "ar-Latn": "Dimashq"}
    # An English map labels Cairo by its English name: the import says so, by name.
    assert "1 place: labelled on a period's map by their form in English" in said and "القاهرة: Cairo" in said
    lpf, told = exported(tmp_path, folder, "lpf")
    feature = json.loads(lpf)["features"][0]
    assert [(n["toponym"], n.get("lang")) for n in feature["names"]] == [
        ("القاهرة", "ar"), ("Cairo", "en"), ("Fustat", "ar")]  # the title once, in Arabic
    assert "labelled by a form" not in told
    tsv, _ = exported(tmp_path, folder, "lptsv")
    assert tsv_row(tsv)["variants"] == "القاهرة@ar; Cairo@en; Fustat@ar"


def test_an_lp_tsv_title_keeps_its_language_and_is_never_made_english(tmp_path: Path) -> None:
    source = tmp_path / "zurich.tsv"
    source.write_text("id\ttitle\ttitle_source\tvariants\tlon\tlat\n"
                      "zurich\tZürich\tA list\tZurich@en; Zürich@de\t8.55\t47.37\n"
                      "bern\tBerne@fr\tA list\tBern@de\t7.44\t46.95\n", encoding="utf-8")
    folder, said = imported(tmp_path, source)
    places = places_of(folder)
    assert places["zurich"]["forms"] == {"de": "Zürich", "en": "Zurich"}
    assert places["bern"]["forms"] == {"fr": "Berne", "de": "Bern"}
    assert "1 place: labelled on a period's map by their variant in English" in said and "Zürich: Zurich" in said
    tsv, _ = exported(tmp_path, folder, "lptsv")
    assert [tsv_row(tsv, n)["variants"] for n in (0, 1)] == ["Zürich@de; Zurich@en", "Berne@fr; Bern@de"]


def test_a_title_of_no_language_is_given_none(tmp_path: Path) -> None:
    folder, _ = imported(tmp_path, written(tmp_path, "byzantium.json", BYZANTIUM))
    (byzantium,) = places_of(folder).values()
    assert byzantium["forms"] == {"fr": "Stamboul"}  # Byzantium@la is a name of its time, not the title's language
    lpf, _ = exported(tmp_path, folder, "lpf")
    names = json.loads(lpf)["features"][0]["names"]
    assert names[0]["toponym"] == "Byzantium" and "lang" not in names[0]  # not an invented "en"
    assert [n.get("lang") for n in names if n["toponym"] == "Byzantium"] == [None, "la"]


def test_a_title_labels_the_map_unless_an_english_variant_does(tmp_path: Path, laptop: Any) -> None:
    folder, _ = imported(tmp_path, written(tmp_path, "cairo.json", CAIRO))
    site = built_with_a_period(tmp_path, folder)
    log = open_index(laptop, site)
    assert set(map_labels(laptop)) == {"القاهرة", "دمشق"}  # the gazetteer's index: the titles
    open_period(laptop, site)
    assert popup_of(laptop, "dimashq") == ("دمشق", "Also: Dimashq")  # the title, in Arabic: no English variant
    title, others = popup_of(laptop, "cairo")
    assert title == "Cairo" and "القاهرة" in others  # an English map: Cairo@en, as the import's notes say
    assert log.errors == []


def test_timespans_with_gaps_and_earliest_latest_dates_are_named_in_the_notes(tmp_path: Path) -> None:
    folder, said = imported(tmp_path, written(tmp_path, "multi.json", MULTI))
    places = places_of(folder)
    assert places["corinth"]["when"] == "-0899/.."  # the hull (the atlas keeps one span a place) ...
    assert "1 place: timespans with gaps between them made one span, the gaps filled" in said
    assert "Corinth: -0899/-0145, -0043/.." in said  # ... and the gap named
    assert places["athens"]["when"] == "-0999/.." and "Athens" not in said  # spans that touch: no gap
    assert places["utica"]["when"] == "-1100/0800"
    assert "1 place: starts and ends given as earliest…latest widened to both bounds" in said
    assert "Utica: start -1100…-1000; Utica: end 0700…0800" in said


def test_links_go_back_out_as_links_and_a_names_citation_is_said_to_be_the_places(tmp_path: Path) -> None:
    folder, said = imported(tmp_path, written(tmp_path, "byzantium.json", BYZANTIUM))
    (byzantium,) = places_of(folder).values()
    assert [s["label"] for s in byzantium["sources"]] == [
        "Linked Places record", "closeMatch: http://www.wikidata.org/entity/Q406", "exactMatch: tgn:7002473",
        "Notitia Urbis Constantinopolitanae"]
    assert "1 place: names' citations kept as sources of the whole place" in said
    assert "descriptions' language left out (the atlas's description has none) (e.g. Byzantium: en)" in said
    lpf, told = exported(tmp_path, folder, "lpf")
    feature = json.loads(lpf)["features"][0]
    assert feature["links"] == [{"type": "closeMatch", "identifier": "http://www.wikidata.org/entity/Q406"},
                                {"type": "exactMatch", "identifier": "tgn:7002473"}]
    assert [c["label"] for c in feature["names"][0]["citations"]] == [
        "Linked Places record", "Notitia Urbis Constantinopolitanae"]
    assert all("citations" not in name for name in feature["names"][1:])  # no name cites another's source
    assert "1 place's sources cited by the title's toponym alone" in told
    again, _ = imported(tmp_path / "again", written(tmp_path, "again.json", json.loads(lpf)))
    assert {s["label"] for s in places_of(again)["byzantium"]["sources"]} >= {
        "closeMatch: http://www.wikidata.org/entity/Q406", "exactMatch: tgn:7002473"}
    tsv, _ = exported(tmp_path, folder, "lptsv")
    row = tsv_row(tsv)
    assert (row["title_source"], row["title_uri"]) == ("Linked Places record", "https://example.org/places/byzantium")
    assert row["matches"] == "http://www.wikidata.org/entity/Q406;tgn:7002473"


def test_the_whg_examples_type_details_and_citation_year_are_listed(tmp_path: Path) -> None:
    folder, said = imported(tmp_path, REAL / "whg-github_example.jsonld")
    assert ("the kind's type details left out (the atlas keeps its label) (e.g. Abingdon (UK): identifier "
            "aat:300008375; sourceLabels Market Town; when)") in said
    assert "citations' year left out (a source has a label and an address) (e.g. Abingdon (UK): Ye Olde " in said
    tsv, _ = exported(tmp_path, folder, "lptsv")
    matches = tsv_row(tsv)["matches"].split(";")
    assert "http://vocab.getty.edu/tgn/7011944" in matches and "http://www.geonames.org/2657780/" in matches


def test_no_kind_stays_no_kind_and_a_start_alone_stays_a_start_alone(tmp_path: Path) -> None:
    folder = tmp_path / "atlas"
    folder.mkdir()
    (folder / "atlas.yaml").write_text("title: Kinds\n", encoding="utf-8")
    (folder / "events.yaml").write_text("[]\n", encoding="utf-8")
    (folder / "periods.yaml").write_text("- {id: p, title: P, when: 1800/2000}\n", encoding="utf-8")
    (folder / "places.yaml").write_text(
        "- {id: plain, name: Plain, coordinates: [10, 20], when: 1900/..}\n"
        "- {id: town, name: Town, kind: town, coordinates: [11, 21]}\n"
        "- {id: area, name: Area, polygon: [[1, 1], [1, 2], [2, 2]]}\n", encoding="utf-8")
    lpf, told = exported(tmp_path, folder, "lpf")
    features = {f["properties"]["title"]: f for f in json.loads(lpf)["features"]}
    assert "types" not in features["Plain"] and "types" not in features["Area"]
    assert features["Town"]["types"] == [{"label": "town"}]
    assert features["Plain"]["when"] == {"timespans": [{"start": {"in": "1900"}}]}  # no end it never had
    assert "3 places cite no source" in told
    for fmt, text in (("lpf", lpf), ("lptsv", exported(tmp_path, folder, "lptsv")[0])):
        path = tmp_path / f"back.{'tsv' if fmt == 'lptsv' else 'json'}"
        path.write_text(text, encoding="utf-8")
        again, _ = imported(tmp_path / fmt, path)
        kinds = {place["id"]: place.get("kind") for place in places_of(again).values()}
        assert kinds == {"plain": None, "town": "town", "area": None}, fmt
        assert places_of(again)["plain"]["when"] == "1900/.."


def test_one_place_is_counted_as_one(tmp_path: Path) -> None:
    folder = tmp_path / "atlas"
    folder.mkdir()
    (folder / "atlas.yaml").write_text("title: One\n", encoding="utf-8")
    (folder / "places.yaml").write_text("- {id: a, name: A, coordinates: [10, 20]}\n", encoding="utf-8")
    (folder / "events.yaml").write_text("- {id: e, title: E, date: '1900', places: [a], sources: [{label: S}]}\n",
                                        encoding="utf-8")
    (folder / "periods.yaml").write_text("- {id: p, title: P, when: 1800/2000}\n", encoding="utf-8")
    for fmt in ("lpf", "lptsv"):
        _, told = exported(tmp_path, folder, fmt)
        assert "1 event left out" in told and "1 period left out" in told, told
        assert "1 events" not in told and "1 periods" not in told, told
    assert "1 place cites no source: its title cites the atlas itself" in exported(tmp_path, folder, "lpf")[1]
