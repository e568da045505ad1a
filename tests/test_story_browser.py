"""Stage: site.

Telling the story, in Chromium: routes drawn with arrowheads that point the way they
went, areas that show at any zoom, images that load offline with their alt text (in the
list, the popup and the slide), lessons shown as slides, and axe-core clean throughout."""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from browser import map_idle, maps_idle, serious_accessibility_violations, watch
from conftest import ROOT, built, run_atlas
from test_story import IMAGE, photo, write_atlas

ARTIFACTS = ROOT / "test-artifacts"
INVASION = "soviet-invasion-and-civil-war"


@pytest.fixture(scope="module")
def story_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small atlas whose event has an image, a quotation, a route and an area."""
    source = write_atlas(tmp_path_factory.mktemp("story") / "story", IMAGE.replace(
        "  media:", "  route: [paris, [48.83, 2.25], versailles]\n  area: [[48.9, 2.2], [48.9, 2.5], [48.78, 2.5]]\n"
                    "  media:"))
    photo(source / "images" / "march.jpg")
    photo(source / "images" / "paris.png", size=(800, 600))
    places = (source / "places.yaml").read_text(encoding="utf-8").replace(
        "coordinates: [48.8566, 2.3522]}", "coordinates: [48.8566, 2.3522],\n"
        "   media: [{file: images/paris.png, alt: 'The city wall of Paris', credit: 'Test image, CC0'}]}")
    (source / "places.yaml").write_text(places, encoding="utf-8")
    return built(source, tmp_path_factory)


def open_page(page: Any, site: Path, path: str, query: str = "") -> None:
    page.goto((site / path).as_uri() + query)
    page.wait_for_function("() => window.Atlas && Atlas.map && Atlas.drawnAt !== undefined", timeout=30000)


def test_routes_end_in_arrowheads_pointing_the_way_they_went(page: Any, default_site: Path) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    log = watch(page)
    open_page(page, default_site, f"periods/{INVASION}.html")
    arrows = page.evaluate("""() => {
      var map = Atlas.map, box = map.getContainer().getBoundingClientRect(), found = [];
      Atlas.page.layers.forEach(function (layer) {
        (layer.features || []).forEach(function (f) {
          (f.properties.routes || []).forEach(function (route, i) {
            var c = route.geometry.coordinates, n = c.length;
            var tip = map.latLngToContainerPoint([c[n - 1][1], c[n - 1][0]]);
            var before = map.latLngToContainerPoint([c[n - 2][1], c[n - 2][0]]);
            var head = document.querySelector('.route-arrow[data-route-of="' + f.id + '"][data-route="' + i + '"] polygon');
            var r = head ? head.getBoundingClientRect() : null;
            found.push({event: f.id, label: route.label, tip: [tip.x + box.left, tip.y + box.top],
                        before: [before.x + box.left, before.y + box.top],
                        head: r ? [r.left + r.width / 2, r.top + r.height / 2] : null});
          });
        });
      });
      return {routes: found, heads: document.querySelectorAll('.route-arrow[data-route-of] polygon').length,
              lines: document.querySelectorAll('path.event-route[data-route-of]').length};
    }""")
    routes = [r for r in arrows["routes"] if r["event"] == "soviet-invasion-of-manchuria"]
    assert len(routes) == 6 and arrows["lines"] >= 6
    assert arrows["heads"] == len(arrows["routes"])  # one arrowhead a route
    for route in arrows["routes"]:
        tip, before, head = route["tip"], route["before"], route["head"]
        assert head is not None and math.dist(head, tip) < 16, route["label"]  # at the route's end
        way = (tip[0] - before[0], tip[1] - before[1])  # the route's last leg, on the screen
        pointing = (tip[0] - head[0], tip[1] - head[1])  # from the arrowhead's middle to its tip
        cosine = (way[0] * pointing[0] + way[1] * pointing[1]) / (math.hypot(*way) * math.hypot(*pointing))
        assert cosine > 0.9, f"{route['label']}: the arrow points {cosine:.2f} off the way it went"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "routes-laptop.png"))
    assert log.errors == [] and log.tile_requests == []


def test_a_route_opens_its_event(page: Any, default_site: Path) -> None:
    open_page(page, default_site, f"periods/{INVASION}.html")
    page.evaluate("""() => {
      var line = Array.from(document.querySelectorAll('path.event-route'))
        .find(function (p) { return p.getAttribute('data-route-of') === 'northern-expedition' ||
                                    p.getAttribute('data-route-of') === 'soviet-invasion-of-manchuria'; });
      var length = line.getTotalLength(), at = line.getPointAtLength(length / 2);
      var svg = line.ownerSVGElement.getScreenCTM();
      var x = svg.a * at.x + svg.e, y = svg.d * at.y + svg.f;
      line.dispatchEvent(new MouseEvent('click', {bubbles: true, clientX: x, clientY: y}));
    }""")
    page.wait_for_selector(".leaflet-popup .popup-title")
    assert page.locator(".leaflet-popup .popup-title").inner_text() == "The Soviet invasion of Manchuria"


def test_a_small_area_shows_as_a_ring_until_zoomed_in(page: Any, default_site: Path, story_site: Path) -> None:
    open_page(page, default_site, "periods/border-war-and-enmity.html")
    assert page.locator("path.event-area").count() == 2  # Zhenbao and Tielieketi
    assert page.locator("path.event-area-ring").count() == 2  # too small to see at the period's zoom
    open_page(page, story_site, "periods/y1789.html")
    page.evaluate("Atlas.map.setView([48.84, 2.35], 4, {animate: false})")
    map_idle(page)
    assert page.locator("path.event-area-ring").count() == 1
    page.evaluate("Atlas.map.setView([48.84, 2.35], Atlas.map.getMaxZoom(), {animate: false})")
    map_idle(page)
    assert page.locator("path.event-area-ring").count() == 0
    box = page.locator("path.event-area").first.bounding_box()
    assert box["width"] > 24 and box["height"] > 24  # the area itself, now large enough to read


def test_images_load_offline_with_their_alt_text(page: Any, story_site: Path) -> None:
    log = watch(page)  # every request off this machine fails the test
    open_page(page, story_site, "periods/y1789.html")
    image = page.locator(".event-list .media-image img")
    image.scroll_into_view_if_needed()
    page.wait_for_function("() => { var i = document.querySelector('.event-list .media-image img'); "
                           "return i.complete && i.naturalWidth > 0; }", timeout=10000)
    assert image.get_attribute("alt") == "Women marching with pikes"
    assert page.evaluate("document.querySelector('.event-list .media-image img').currentSrc").startswith("file://")
    assert "The march <b>reaches</b> Versailles" in page.locator(".event-list figcaption").first.inner_text()
    page.evaluate("Atlas.show('march', false)")
    page.wait_for_function("() => { var i = document.querySelector('.leaflet-popup .popup-media img'); "
                           "return i && i.complete && i.naturalWidth > 0; }", timeout=10000)
    assert page.locator(".leaflet-popup .popup-media img").get_attribute("alt") == "Women marching with pikes"
    map_idle(page)  # the pan that brings the popup, image and all, into the map has ended
    popup = page.locator(".leaflet-popup").bounding_box()
    frame = page.locator(".folium-map").bounding_box()
    assert popup["y"] >= frame["y"] - 1 and popup["y"] + popup["height"] <= frame["y"] + frame["height"] + 1
    assert log.errors == [] and log.tile_requests == [] and log.dialogs == []


def test_a_slide_shows_the_events_image_and_quotation(page: Any, story_site: Path) -> None:
    page.set_viewport_size({"width": 1920, "height": 1080})
    open_page(page, story_site, "periods/y1789.html", "?present")
    page.keyboard.press("PageDown")
    page.wait_for_function("() => { var i = document.querySelector('.present-panel img'); "
                           "return i && i.complete && i.naturalWidth > 0; }", timeout=10000)
    assert page.locator(".present-panel img").get_attribute("alt") == "Women marching with pikes"
    assert page.locator(".present-panel blockquote").inner_text() == "Du pain!"
    body = page.locator(".present-body")
    assert page.evaluate("(b) => b.scrollHeight <= b.clientHeight + 1", body.element_handle())  # nothing to scroll
    map_idle(page)  # the flight to the event's route and area has ended
    inside = page.evaluate("() => Atlas.map.getBounds().contains(Atlas.movementBounds.march)")
    assert inside
    page.screenshot(path=str(ARTIFACTS / "present-media-projector.png"))
    assert serious_accessibility_violations(page) == []


def test_presenting_the_invasion_stays_accessible(page: Any, default_site: Path) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    open_page(page, default_site, f"periods/{INVASION}.html", "?present")
    assert serious_accessibility_violations(page) == []
    for _ in range(int(page.evaluate("Atlas.order.indexOf('soviet-invasion-of-manchuria')")) + 1):
        page.keyboard.press("PageDown")
    assert page.locator(".present-title").inner_text() == "The Soviet invasion of Manchuria"
    assert "Transbaikal Front" in page.locator(".present-routes").inner_text()
    assert serious_accessibility_violations(page) == []


def test_every_slide_of_the_zhenbao_period_fits_without_scrolling(page: Any, default_site: Path) -> None:
    for width, height in ((1366, 768), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        open_page(page, default_site, "periods/border-war-and-enmity.html", "?present")
        for _ in range(int(page.evaluate("Atlas.order.length")) + 1):
            fits = page.evaluate("() => { var b = document.querySelector('.present-body'); "
                                 "return b.scrollHeight <= b.clientHeight + 1; }")
            assert fits, f"{page.locator('.present-progress').inner_text()} at {width}×{height}"
            if page.locator(".present-progress").inner_text().startswith(f"Slide {page.evaluate('Atlas.order.length') + 1}"):
                break
            page.keyboard.press("PageDown")


def test_a_lesson_is_presented_as_slides(page: Any, default_site: Path) -> None:
    page.set_viewport_size({"width": 1920, "height": 1080})
    log = watch(page)
    lesson = default_site / "lessons" / "railway-that-changed-hands.html"
    headings = lesson.read_text(encoding="utf-8").count("<h2>")
    page.goto(lesson.as_uri())
    page.locator(".lesson-present-button").click()
    progress = page.locator(".lesson-progress")
    assert progress.inner_text() == f"Slide 1 of {headings + 1}"
    assert page.locator("main.lesson h2:visible").count() == 0  # the title and the introduction
    page.keyboard.press("PageDown")
    assert progress.inner_text() == f"Slide 2 of {headings + 1}"
    assert page.locator("main.lesson h2:visible").count() == 1
    frame = page.locator("main.lesson .lesson-map:visible iframe")
    assert frame.count() == 1
    box = frame.bounding_box()
    assert box["height"] > 700 and box["x"] > 1920 / 3  # large, beside the text
    page.frame_locator("main.lesson .lesson-map:visible iframe").locator(".leaflet-overlay-pane path").first.wait_for(
        state="attached")  # the map frame loads
    maps_idle(page)
    page.screenshot(path=str(ARTIFACTS / "lesson-present-projector.png"))
    assert log.errors == [] and log.dialogs == []
    assert serious_accessibility_violations(page) == []  # (axe's own requests for the styles are refused by the CSP)
    for _ in range(headings + 3):  # past the end it stays on the last slide
        page.keyboard.press("PageDown")
    assert progress.inner_text() == f"Slide {headings + 1} of {headings + 1}"
    page.keyboard.press("PageUp")
    assert progress.inner_text() == f"Slide {headings} of {headings + 1}"
    page.keyboard.press("Escape")
    assert page.locator(".lesson-progress").count() == 0
    assert page.locator("main.lesson h2:visible").count() == headings  # the whole lesson again


def test_a_lesson_opened_with_present_starts_as_slides(page: Any, default_site: Path) -> None:
    page.goto((default_site / "lessons" / "railway-that-changed-hands.html").as_uri() + "?present")
    page.wait_for_selector(".lesson-progress")
    assert page.locator(".lesson-progress").inner_text().startswith("Slide 1 of")


def test_a_places_image_shows_in_its_popup(page: Any, story_site: Path) -> None:
    log = watch(page)
    open_page(page, story_site, "periods/y1789.html")
    page.evaluate("Atlas.show('paris', false)")
    page.wait_for_function("() => { var i = document.querySelector('.leaflet-popup .popup-media img'); "
                           "return i && i.complete && i.naturalWidth > 0; }", timeout=10000)
    assert page.locator(".leaflet-popup .popup-media img").get_attribute("alt") == "The city wall of Paris"
    assert page.locator(".leaflet-popup .popup-media img").get_attribute("src").startswith("../media/paris.")
    assert log.errors == [] and log.tile_requests == []


def test_a_printed_page_carries_its_images(page: Any, story_site: Path) -> None:
    open_page(page, story_site, "periods/y1789.html")
    page.emulate_media(media="print")
    image = page.locator(".event-list .media-image img")
    page.evaluate("document.querySelector('.event-list .media-image img').loading = 'eager'")
    page.wait_for_function("() => { var i = document.querySelector('.event-list .media-image img'); "
                           "return i.complete && i.naturalWidth > 0; }", timeout=10000)
    box = image.bounding_box()
    assert box and 50 < box["width"] <= 7 / 2.54 * 96 + 3 and box["height"] <= 5 / 2.54 * 96 + 3  # 7 × 5 cm and its border
    pdf = page.pdf(format="A4", print_background=False)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Women marching" not in text  # alt text is not printed, the caption and credit are
    assert "reaches" in text and "public domain" in text and "Du pain!" in text


def test_a_deep_link_to_an_event_with_routes_shows_them_all(page: Any, default_site: Path) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto((default_site / "periods" / f"{INVASION}.html").as_uri() + "#soviet-invasion-of-manchuria")
    page.wait_for_selector(".leaflet-popup .popup-routes", timeout=30000)
    assert page.locator(".leaflet-popup .popup-routes").inner_text().startswith("6 routes on the map: Transbaikal Front")
    inside = page.evaluate("() => Atlas.map.getBounds().pad(0.02).contains(Atlas.movementBounds['soviet-invasion-of-manchuria'])")
    assert inside


def test_each_slide_shows_its_event(page: Any, default_site: Path) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    open_page(page, default_site, f"periods/{INVASION}.html", "?present")
    order = page.evaluate("Atlas.order")
    for number, event in enumerate(order, start=2):
        page.keyboard.press("PageDown")
        assert page.locator(".present-progress").inner_text() == f"Slide {number} of {len(order) + 1}"
        map_idle(page)  # the flight has ended
        seen = page.evaluate("""(id) => {
          var map = Atlas.map, panel = document.querySelector('.present-panel');
          var layer = Atlas.layersById[id];
          if (!layer) return 'no layer';
          var dots = layer.getLayers ? layer.getLayers() : [layer];
          var free = map.getSize().x - panel.offsetWidth - 20;  // the part of the map the slide leaves
          var shown = dots.some(function (dot) {
            var at = map.latLngToContainerPoint(dot.getLatLng());
            return at.x >= 0 && at.x <= free && at.y >= 0 && at.y <= map.getSize().y;
          });
          return shown ? 'shown' : 'hidden';
        }""", event)
        assert seen == "shown", f"slide {number}: {event}"


def test_a_single_file_lesson_is_presented_too(page: Any, single_site: Path) -> None:
    """Its presenter is inline, allowed by the page's CSP hash: nothing is refused."""
    log = watch(page)
    page.goto((single_site / "lessons" / "railway-that-changed-hands.html").as_uri() + "?present")
    page.wait_for_selector(".lesson-progress", timeout=30000)
    page.keyboard.press("PageDown")
    assert page.locator(".lesson-progress").inner_text().startswith("Slide 2 of")
    assert page.locator("main.lesson .lesson-map:visible iframe").count() == 1
    assert log.errors == [] and log.tile_requests == []


def test_a_single_file_page_shows_its_image_in_the_popup(page: Any, tmp_path: Path) -> None:
    source = write_atlas(tmp_path / "story", IMAGE)
    photo(source / "images" / "march.jpg")
    out = tmp_path / "single"
    assert run_atlas("build", source, "-o", out, "--single-file").returncode == 0
    log = watch(page)
    open_page(page, out, "periods/y1789.html")
    page.evaluate("Atlas.show('march', false)")
    page.wait_for_function("() => { var i = document.querySelector('.leaflet-popup .popup-media img'); "
                           "return i && i.complete && i.naturalWidth > 0; }", timeout=10000)
    assert page.locator(".leaflet-popup .popup-media img").get_attribute("src").startswith("data:image/webp;base64,")
    assert log.errors == [] and log.tile_requests == []
