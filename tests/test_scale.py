"""Stage: site.

Large atlases read well: many periods get a timeline window and an index list, many
events an index of places, and a dense page draws on a canvas with events gathered into
counts at low zoom (still reachable from the list and the keyboard)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest

from atlas.building.pipeline import build
from atlas.site import overview

from browser import map_idle, still
from conftest import page_data

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from synthetic import write_atlas


@pytest.fixture(scope="module")
def many_periods(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("many") / "src"
    write_atlas(source, 20, 300, 100)
    out = source.parent / "site"
    build(source, out)
    return out


def test_a_page_of_many_periods_shows_those_around_it_and_links_to_the_rest(many_periods: Path) -> None:
    html = (many_periods / "periods" / "period-50.html").read_text(encoding="utf-8")
    strip = re.search(r'<nav class="timeline".*?</nav>', html, re.S)
    assert strip
    shown = re.findall(r'id="timeline-(period-\d+)"', strip.group(0))
    assert shown == [f"period-{n}" for n in range(35, 66)]  # fifteen on each side
    assert re.search(r'class="timeline-earlier" href="[^"]*period-34.html">← 35 earlier periods', strip.group(0))
    assert re.search(r'class="timeline-later" href="[^"]*period-66.html">34 later periods →', strip.group(0))
    assert "All 100 periods" in strip.group(0)
    first = re.search(r'<nav class="timeline".*?</nav>', (many_periods / "periods" / "period-0.html").read_text(
        encoding="utf-8"), re.S)
    assert first  # at an end, the window holds as many periods, all on one side
    assert re.findall(r'id="timeline-(period-\d+)"', first.group(0)) == [f"period-{n}" for n in range(31)]
    assert "timeline-earlier" not in first.group(0) and "69 later periods" in first.group(0)


def test_the_index_of_many_periods_lists_them_rather_than_drawing_a_strip(many_periods: Path) -> None:
    html = (many_periods / "index.html").read_text(encoding="utf-8")
    assert '<nav class="timeline"' not in html
    assert all(f"periods/period-{n}.html" in html for n in range(100))


def test_an_index_of_many_events_maps_a_dot_a_place_sized_by_its_events(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(overview, "MANY_EVENTS", 100)
    source = tmp_path / "src"
    write_atlas(source, 20, 300, 5)
    build(source, tmp_path / "site")
    data = page_data((tmp_path / "site" / "index.html").read_text(encoding="utf-8"))
    events = next(layer for layer in data["layers"] if layer["kind"] == "events")["features"]
    assert len(events) == 20  # one a place, not 300
    dots = {feature["id"]: feature["properties"] for feature in events}
    first = dots["place-0-events"]
    assert first["summary"].startswith("15 events here, in 5 periods; the first: Event 0.")
    assert first["id"] == "event-0" and first["period"] == "period-0"
    assert first["style"]["radius"] == min(14, 5 + round(2 * 3.9))


@pytest.fixture(scope="module")
def dense_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("dense") / "src"
    write_atlas(source, 2000, 1200, 1)
    out = source.parent / "site"
    build(source, out)
    return out


def open_dense(page: Any, site: Path, fragment: str = "") -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto((site / "periods" / "period-0.html").as_uri() + fragment)
    page.wait_for_function("() => window.Atlas && Atlas.drawnAt !== undefined", timeout=30000)


def test_a_dense_page_draws_on_a_canvas_and_gathers_its_events(page: Any, dense_site: Path) -> None:
    data = page_data((dense_site / "periods" / "period-0.html").read_text(encoding="utf-8"))
    assert data["dense"] is True
    open_dense(page, dense_site)
    assert page.locator(".leaflet-overlay-pane canvas").count() >= 1
    assert page.locator(".leaflet-overlay-pane svg path").count() == 0  # no SVG element a feature
    clusters = int(page.locator("#map, .folium-map").first.get_attribute("data-clusters") or
                   page.evaluate("Atlas.map.getContainer().getAttribute('data-clusters')"))
    assert clusters > 0
    marks = page.locator(".event-cluster")
    assert marks.count() == clusters
    counts = [int(text) for text in marks.all_inner_texts()]
    assert all(count > 1 for count in counts)
    zoom = page.evaluate("Atlas.map.getZoom()")
    still(marks.first)
    marks.first.click()
    page.wait_for_function(f"() => Atlas.map.getZoom() > {zoom}")


def test_an_event_gathered_into_a_count_opens_from_the_list(page: Any, dense_site: Path) -> None:
    open_dense(page, dense_site)
    button = page.locator('.show-on-map[data-event="event-600"]')
    button.scroll_into_view_if_needed()
    button.click()
    page.wait_for_function("() => document.querySelector('.leaflet-popup') !== null")
    assert "Event 600" in page.locator(".leaflet-popup").inner_text()


def test_a_dense_page_opened_at_an_event_shows_it(page: Any, dense_site: Path) -> None:
    open_dense(page, dense_site, "#event-77")
    page.wait_for_function("() => document.querySelector('.leaflet-popup') !== null")
    assert "Event 77" in page.locator(".leaflet-popup").inner_text()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.mouse.move(683, 400)
    page.mouse.down()
    page.mouse.move(500, 300, steps=8)
    page.mouse.up()
    page.keyboard.press("Minus")
    map_idle(page)  # the drag's glide and any zoom have ended, and the map has redrawn after them
    assert errors == []
