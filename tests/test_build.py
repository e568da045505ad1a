"""Stage: building.

Building a sample atlas: the output layout, the pages, the export, determinism."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

from conftest import HOSTILE, map_features, run_atlas, tree_digest


def build(samples: Path, name: str = "good") -> Path:
    out = samples / f"{name}-site"
    result = run_atlas("build", name, "-o", out, cwd=samples)
    assert result.returncode == 0, result.stderr
    return out


def test_output_layout(samples: Path) -> None:
    out = build(samples)
    files = set(tree_digest(out))
    assert {"index.html", "compare.html", "periods/manchukuo.html", "periods/after-1945.html", "embed/manchukuo.html",
            "embed/after-1945.html", "data/atlas.geojson"} <= files
    assets = sorted(name for name in files if name.startswith("assets/"))
    assert sorted(re.sub(r"\.[0-9a-f]{10}\.", ".HASH.", name) for name in assets) == [
        "assets/atlas.HASH.css", "assets/atlas.HASH.js", "assets/basemap-world.HASH.webp", "assets/basemap.HASH.webp",
        "assets/leaflet.HASH.css", "assets/leaflet.HASH.js", "assets/lesson.HASH.js", "assets/places.HASH.js"]


def test_summary_line(samples: Path) -> None:
    result = run_atlas("build", "good", "-o", "site", cwd=samples)
    assert re.fullmatch(r"Built 2 periods, 2 events, 3 places: 6 pages written to site in \d+\.\d\d s\n", result.stdout)


def test_two_builds_are_byte_identical(samples: Path) -> None:
    first = tree_digest(build(samples))
    second = tree_digest(build(samples))
    assert first == second


def test_pages_load_no_cdn_and_no_folium_extras(samples: Path) -> None:
    page = (build(samples) / "periods" / "manchukuo.html").read_text(encoding="utf-8")
    assert "cdn" not in page and "jquery" not in page.lower() and "bootstrap" not in page.lower()
    assert re.search(r'<script nonce="[^"]+" src="\.\./assets/leaflet\.[0-9a-f]{10}\.js">', page)
    assert "user-scalable=no" not in page


def test_each_period_shows_the_names_and_control_of_its_own_time(samples: Path) -> None:
    out = build(samples)
    before = map_features(out / "periods" / "manchukuo.html")
    after = map_features(out / "periods" / "after-1945.html")
    assert before["mukden"]["name"] == "Mukden"
    assert after["mukden"]["name"] == "Shenyang"
    # Each map shows who held the line on its day (a holder holds through its last day:
    # Japanese through August 1945); the popup lists every holder during the period.
    assert before["cer"]["control"] == ["Japanese"]
    assert after["cer"]["control"] == ["Sino-Soviet"]
    assert before["cer"]["style"] != after["cer"]["style"]
    assert len(before["cer"]["control_history"]) == 2
    # An event names its places as they were on its own day, on every page that lists it.
    assert after["soviet-invasion"]["places"] == before["soviet-invasion"]["places"] == ["Harbin", "Mukden"]


def test_an_event_is_on_every_period_it_overlaps(samples: Path) -> None:
    out = build(samples)
    before = (out / "periods" / "manchukuo.html").read_text(encoding="utf-8")
    after = (out / "periods" / "after-1945.html").read_text(encoding="utf-8")
    assert 'id="event-mukden-incident"' in before and 'id="event-mukden-incident"' not in after
    # 9–20 August 1945 overlaps both the period ending 15 August and the one from 16 August.
    assert 'id="event-soviet-invasion"' in before and 'id="event-soviet-invasion"' in after
    assert "9–20 August 1945" in after


def test_period_page_lists_events_in_date_order_with_sources(samples: Path) -> None:
    page = (build(samples) / "periods" / "manchukuo.html").read_text(encoding="utf-8")
    assert page.index("event-mukden-incident") < page.index("event-soviet-invasion")
    assert '<a href="https://www.britannica.com/event/Mukden-Incident">Britannica</a>' in page
    assert "<cite>Glantz, August Storm (2003)</cite>" in page
    assert 'rel="next" href="../periods/after-1945.html"' in page
    assert 'aria-current="page"' in page


def test_export_follows_the_design_schema(samples: Path) -> None:
    data = json.loads((build(samples) / "data" / "atlas.geojson").read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    by_id = {f["properties"]["id"]: f for f in data["features"]}
    mukden = by_id["mukden"]
    assert mukden["geometry"] == {"type": "Point", "coordinates": [123.43, 41.8]}
    assert mukden["properties"] == {
        "type": "place", "id": "mukden", "name": "Shenyang", "kind": "city", "start": None, "end": None,
        "names": [{"name": "Mukden", "lang": "en", "start": None, "end": "1945-08-20"},
                  {"name": "Shenyang", "lang": "zh-Latn", "start": "1945-08-20", "end": None}],
    }
    assert by_id["cer"]["geometry"] == {"type": "LineString", "coordinates": [[123.43, 41.8], [126.65, 45.75]]}
    invasion = by_id["soviet-invasion"]
    assert invasion["geometry"]["type"] == "GeometryCollection"
    assert invasion["properties"] == {
        "type": "event", "id": "soviet-invasion", "title": "Soviet invasion of Manchuria", "summary": "",
        "date": "1945-08-09/1945-08-20", "start": "1945-08-09", "end": "1945-08-20",
        "places": ["harbin", "mukden"], "periods": ["manchukuo", "after-1945"], "category": "war",
        "sources": [{"label": "Glantz, August Storm (2003)", "url": None}],
    }
    assert by_id["mukden-incident"]["geometry"]["type"] == "Point"


def test_events_csv_is_read_like_events_yaml(samples: Path) -> None:
    folder = samples / "good"
    (folder / "events.yaml").unlink()
    (folder / "events.csv").write_text(
        "id,date,title,places,category,summary,sources\n"
        "mukden-incident,1931-09-18,The Mukden Incident,mukden,war,,Britannica <https://www.britannica.com/event/Mukden-Incident>\n"
        'soviet-invasion,1945-08-09/1945-08-20,"Soviet invasion of Manchuria",harbin; mukden,war,"Two, with a comma",'
        "\"Glantz, August Storm (2003)\"\n", encoding="utf-8")
    data = json.loads((build(samples) / "data" / "atlas.geojson").read_text(encoding="utf-8"))
    invasion = next(f for f in data["features"] if f["properties"]["id"] == "soviet-invasion")
    assert invasion["properties"]["places"] == ["harbin", "mukden"]
    assert invasion["properties"]["summary"] == "Two, with a comma"
    incident = next(f for f in data["features"] if f["properties"]["id"] == "mukden-incident")
    assert incident["properties"]["sources"] == [
        {"label": "Britannica", "url": "https://www.britannica.com/event/Mukden-Incident"}]


def test_a_csv_error_names_its_line(samples: Path) -> None:
    folder = samples / "good"
    (folder / "events.yaml").unlink()
    (folder / "events.csv").write_text(
        "id,date,title,places\nok,1931,Fine,mukden\nbad,1931-02-30,Broken,mukden\n", encoding="utf-8")
    result = run_atlas("check", "good", cwd=samples)
    assert result.returncode == 2
    assert "good/events.csv:3: invalid date '1931-02-30'" in result.stderr


def test_dates_stay_as_written(samples: Path) -> None:
    folder = samples / "good"
    events = folder / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace("date: 1931-09-18", "date: 1931"), encoding="utf-8")
    data = json.loads((build(samples) / "data" / "atlas.geojson").read_text(encoding="utf-8"))
    incident = next(f for f in data["features"] if f["properties"]["id"] == "mukden-incident")
    assert incident["properties"]["date"] == "1931"
    assert (incident["properties"]["start"], incident["properties"]["end"]) == ("1931-01-01", "1931-12-31")


def test_a_user_template_overrides_and_extends_the_default(samples: Path) -> None:
    templates = samples / "good" / "templates"
    templates.mkdir()
    (templates / "index.html").write_text(
        '{% extends "default/index.html" %}{% block title %}Custom: {{ atlas.title }}{% endblock %}', encoding="utf-8")
    (templates / "static").mkdir()
    (templates / "static" / "atlas.css").write_text("body { background: black; }", encoding="utf-8")
    out = build(samples)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<title>Custom: Sample atlas</title>" in index
    css = next((out / "assets").glob("atlas.*.css")).read_text(encoding="utf-8")
    assert css == "body { background: black; }"


def test_new_writes_an_atlas_that_builds(tmp_path: Path) -> None:
    created = run_atlas("new", "my-atlas", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    checked = run_atlas("check", "my-atlas", "--strict", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    built = run_atlas("build", "my-atlas", "-o", "my-atlas-site", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "my-atlas-site" / "index.html").is_file()
    again = run_atlas("new", "my-atlas", cwd=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr


def test_help_and_bad_arguments() -> None:
    assert run_atlas("--help").returncode == 0
    bad = run_atlas("build", "--no-such-option")
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr


def test_hostile_text_is_escaped_in_every_page(hostile_site: Path) -> None:
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) == 4
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for raw in ("<script>alert", "</script><script>", "<img src=x", "alert(5)</script>"):
            assert raw not in text, (page, raw)
    period = (hostile_site / "periods" / "only.html").read_text(encoding="utf-8")
    # In HTML it is entity-escaped; inside the map's JSON, < and > are \\u003c and \\u003e.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in period
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in period
    # The export is data, not HTML: it keeps the text exactly.
    export = json.loads((hostile_site / "data" / "atlas.geojson").read_text(encoding="utf-8"))
    titles = [f["properties"].get("title") for f in export["features"] if f["properties"]["type"] == "event"]
    assert titles == ["Event " + HOSTILE, "CSV event " + HOSTILE]


def test_a_region_can_come_from_a_geojson_file(samples: Path) -> None:
    folder = samples / "good"
    ring = [[120.0, 40.0], [130.0, 40.0], [130.0, 50.0], [120.0, 40.0]]
    (folder / "region.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ring]}}]}), encoding="utf-8")
    places = folder / "places.yaml"
    places.write_text(places.read_text(encoding="utf-8") + textwrap.dedent("""\
        - id: manchukuo-state
          name: Manchukuo
          kind: state
          when: 1932-03-01/1945-08-15
          geojson: region.geojson
        """), encoding="utf-8")
    out = build(samples)
    export = json.loads((out / "data" / "atlas.geojson").read_text(encoding="utf-8"))
    region = next(f for f in export["features"] if f["properties"]["id"] == "manchukuo-state")
    assert region["geometry"] == {"type": "Polygon", "coordinates": [ring]}
    assert (region["properties"]["start"], region["properties"]["end"]) == ("1932-03-01", "1945-08-15")
    assert "manchukuo-state" in map_features(out / "periods" / "manchukuo.html")
    assert "manchukuo-state" not in map_features(out / "periods" / "after-1945.html")


def test_the_default_atlas_is_strict_clean() -> None:
    result = run_atlas("check", "places", "--strict")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
