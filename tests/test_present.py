"""Stage: site.

Presentation mode in Chromium: a period as slides, stepped with a clicker's keys, on to
the next period and back, left with Esc; its text is the page's, as text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from browser import map_idle
from conftest import ROOT, page_data

ARTIFACTS = ROOT / "test-artifacts"
PERIOD = "soviet-invasion-and-civil-war"


def open_presenting(page: Any, site: Path, period: str = PERIOD, width: int = 1366, height: int = 768) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.goto((site / "periods" / f"{period}.html").as_uri() + "?present")
    page.wait_for_function("() => document.documentElement.classList.contains('presenting')", timeout=30000)


def progress(page: Any) -> str:
    return str(page.locator(".present-progress").inner_text())


def events_of(site: Path, period: str) -> list[str]:
    html = (site / "periods" / f"{period}.html").read_text(encoding="utf-8")
    return re.findall(r'<h3 class="event-title">([^<]*)</h3>', html)


def test_a_period_is_shown_as_slides_and_stepped_with_a_clicker(page: Any, default_site: Path) -> None:
    titles = events_of(default_site, PERIOD)
    open_presenting(page, default_site)
    count = len(titles) + 1
    assert progress(page) == f"Slide 1 of {count}"
    assert page.locator(".present-title").inner_text() == "The Soviet invasion of Manchuria and the Chinese Civil War"
    assert page.locator(".events").is_hidden() and page.locator(".site-header").is_hidden()
    box = page.locator(".map-panel").bounding_box()
    assert box["width"] >= 1360 and box["height"] >= 760  # the map fills the screen
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "present-laptop.png"))
    page.keyboard.press("PageDown")
    assert progress(page) == f"Slide 2 of {count}"
    assert page.locator(".present-title").inner_text() == titles[0].replace("&#39;", "'")
    # Its category in words, as the event list says it (a colour alone fails on a projector).
    first = page.locator(".event-list li").first.locator(".event-category").inner_text()
    assert first and page.locator(".present-category").inner_text() == first
    page.keyboard.press("ArrowRight")
    page.keyboard.press(" ")
    assert progress(page) == f"Slide 4 of {count}"
    page.keyboard.press("PageUp")
    page.keyboard.press("ArrowLeft")
    assert progress(page) == f"Slide 2 of {count}"
    page.keyboard.press("Escape")
    assert not page.evaluate("document.documentElement.classList.contains('presenting')")
    assert page.locator(".present-panel").count() == 0 and page.locator(".events").is_visible()
    assert "present" not in page.url


def test_the_map_flies_to_each_events_places(page: Any, default_site: Path) -> None:
    open_presenting(page, default_site)
    page.keyboard.press("PageDown")
    map_idle(page)  # the flight has ended
    first = page.evaluate("Atlas.order[0]")
    inside = page.evaluate("""(id) => {
      var layer = Atlas.layersById[id];
      var at = layer.getBounds ? layer.getBounds().getCenter() : layer.getLatLng();
      return Atlas.map.getBounds().contains(at);
    }""", first)
    assert inside


def test_after_the_last_slide_comes_the_next_period_and_back(page: Any, default_site: Path) -> None:
    data = page_data((default_site / "periods" / f"{PERIOD}.html").read_text(encoding="utf-8"))
    open_presenting(page, default_site)
    count = len(events_of(default_site, PERIOD)) + 1
    for _ in range(count - 1):
        page.keyboard.press("PageDown")
    assert progress(page) == f"Slide {count} of {count}"
    page.keyboard.press("PageDown")  # the next period, over this page in a frame (no page load)
    page.wait_for_function("(w) => location.href.endsWith(w)", arg=f"{PERIOD}.html?present=1&period=sino-soviet-alliance")
    frame = page.frame_locator(".stage-frame.stage-shown")
    frame.locator(".present-progress", has_text="Slide 1 of").wait_for()
    assert frame.locator(".present-title").inner_text() == "The Sino-Soviet alliance"
    assert data["next"].endswith("sino-soviet-alliance.html")
    page.keyboard.press("PageUp")  # back: this period, at its last slide
    page.wait_for_function("(w) => location.href.endsWith(w)", arg=f"{PERIOD}.html?present={count}")
    assert page.locator(".stage-frame.stage-shown").count() == 0
    assert progress(page) == f"Slide {count} of {count}"


def test_the_present_button_starts_it_and_a_projector_reads_it(page: Any, default_site: Path) -> None:
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto((default_site / "periods" / f"{PERIOD}.html").as_uri())
    page.wait_for_function("() => window.Atlas && Atlas.drawnAt !== undefined", timeout=30000)
    page.locator(".present-button").click()
    assert page.evaluate("document.documentElement.classList.contains('presenting')")
    page.keyboard.press("PageDown")
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.present-summary')).fontSize)")
    assert size >= 24  # large type on a projector
    panel = page.locator(".present-panel").bounding_box()
    assert panel["x"] + panel["width"] <= 1920 and panel["y"] + panel["height"] <= 1080
    page.screenshot(path=str(ARTIFACTS / "present-projector.png"))


def test_a_phone_shows_the_slide_below_the_map(page: Any, default_site: Path) -> None:
    open_presenting(page, default_site, width=390, height=844)
    page.keyboard.press("PageDown")
    panel = page.locator(".present-panel").bounding_box()
    assert panel["y"] > 844 * 0.4 and panel["y"] + panel["height"] <= 844
    page.screenshot(path=str(ARTIFACTS / "present-phone.png"))


def test_hostile_text_is_shown_as_text_in_the_slides(page: Any, hostile_site: Path) -> None:
    dialogs: list[str] = []

    def refuse(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", refuse)
    page.goto((hostile_site / "periods" / "only.html").as_uri() + "?present")
    page.wait_for_function("() => document.querySelector('.present-progress') !== null", timeout=30000)
    for _ in range(int(page.evaluate("Atlas.order.length"))):
        page.keyboard.press("PageDown")
        assert page.locator(".present-panel script, .present-panel img, .present-panel iframe").count() == 0
    assert dialogs == []


def test_an_event_with_its_own_view_is_shown_there(page: Any, default_site: Path) -> None:
    """`view:` on an event: the invasion's slide shows its three fronts at zoom 5."""
    open_presenting(page, default_site)
    at = page.evaluate("Atlas.order.indexOf('soviet-invasion-of-manchuria')")
    assert at >= 0
    for _ in range(at + 1):
        page.keyboard.press("PageDown")
    assert page.locator(".present-title").inner_text() == "The Soviet invasion of Manchuria"
    map_idle(page)  # the flight has ended
    assert page.evaluate("Atlas.map.getZoom()") == 5
    centre = page.evaluate("""() => {
      var map = Atlas.map, panel = document.querySelector('.present-panel');
      // The map's free part: left of the slide, above the legend along the bottom.
      var legend = document.querySelector('.present-legend'), bottom = map.getSize().y;
      if (legend) bottom = legend.getBoundingClientRect().top;
      var free = map.containerPointToLatLng([(map.getSize().x - panel.offsetWidth) / 2, bottom / 2]);
      return [free.lat, free.lng];
    }""")
    assert abs(centre[0] - 46.5) < 1.0 and abs(centre[1] - 124.0) < 2.0  # in the middle of the map's free part


def test_a_bad_event_view_is_reported_with_its_line(tmp_path: Path) -> None:
    from conftest import run_atlas

    source = tmp_path / "src"
    (source).mkdir()
    (source / "atlas.yaml").write_text("title: T\n", encoding="utf-8")
    (source / "places.yaml").write_text("- {id: p, name: P, coordinates: [10, 10]}\n", encoding="utf-8")
    (source / "periods.yaml").write_text("- {id: a, title: A, when: '1900'}\n", encoding="utf-8")
    (source / "events.yaml").write_text("- id: e\n  date: '1900'\n  title: E\n  places: [p]\n"
                                        "  sources: [{label: S}]\n  view: {center: [10, 10], zoom: 5.5}\n",
                                        encoding="utf-8")
    result = run_atlas("check", source)
    assert result.returncode == 2
    assert "events.yaml:6: zoom should be a whole number" in result.stderr


SIZES_SEEN = """(selector) => [...document.querySelectorAll(selector)].filter((e) => {
  const r = e.getBoundingClientRect();
  return r.width > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
}).map((e) => parseFloat(getComputedStyle(e).fontSize))"""


def test_a_projector_reads_the_names_and_the_legend_of_a_slide(page: Any, default_site: Path) -> None:
    """At 1920×1080 the map's names and the legend (what the dots' and lines' colours
    mean) are at least 24 px, and the legend is open beside the slide, not under it."""
    open_presenting(page, default_site, width=1920, height=1080)
    map_idle(page)
    labels = page.evaluate(SIZES_SEEN, ".atlas-label")
    assert len(labels) >= 3 and min(labels) >= 24, labels
    legend = page.locator(".present-legend")
    assert legend.get_attribute("open") is not None
    entries = page.evaluate(SIZES_SEEN, ".present-legend li, .present-legend .legend-section, .present-legend summary")
    assert len(entries) >= 5 and min(entries) >= 24, entries
    assert page.locator(".present-legend li", has_text="War").count() == 1  # the events' colours
    box, slide = legend.bounding_box(), page.locator(".present-panel").bounding_box()
    assert box["x"] + box["width"] <= slide["x"] and box["y"] + box["height"] <= 1080
    page.keyboard.press("Escape")
    assert page.locator(".present-legend").count() == 0


def test_large_text_is_a_page_option_that_lasts(page: Any, default_site: Path) -> None:
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto((default_site / "periods" / f"{PERIOD}.html").as_uri())
    map_idle(page)
    before = page.evaluate(SIZES_SEEN, ".atlas-label")
    button = page.get_by_role("button", name="Large text")
    assert button.get_attribute("aria-pressed") == "false"
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    map_idle(page)
    after = page.evaluate(SIZES_SEEN, ".atlas-label")
    assert min(after) >= 24 and min(after) > max(before), (before, after)
    legend = page.evaluate("() => [...document.querySelectorAll('.legend-panel li')]"
                           ".map((e) => parseFloat(getComputedStyle(e).fontSize))")
    assert legend and min(legend) >= 24, legend
    page.reload()  # kept for the atlas's pages
    map_idle(page)
    assert page.get_by_role("button", name="Large text").get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="Large text").click()
    assert page.evaluate("document.documentElement.classList.contains('large-text')") is False


def test_at_200_percent_zoom_the_slide_text_reads_and_scrolls(chromium: Any, default_site: Path) -> None:
    """A laptop at 200 % zoom is 683×384 CSS pixels: the slide sits beside the map with
    room for its text, which scrolls to its end rather than being cut off."""
    context = chromium.new_context(viewport={"width": 683, "height": 384}, device_scale_factor=2)
    try:
        page = context.new_page()
        open_presenting(page, default_site, width=683, height=384)
        page.keyboard.press("PageDown")
        page.keyboard.press("PageDown")
        page.keyboard.press("PageDown")  # the invasion: a long text
        body = page.locator(".present-body")
        assert body.evaluate("(b) => b.clientHeight") >= 150  # several lines, not a strip
        body.evaluate("(b) => { b.scrollTop = b.scrollHeight; }")
        last = body.locator("p").last.bounding_box()
        box = body.bounding_box()
        assert last["y"] + last["height"] <= box["y"] + box["height"] + 1  # its end can be read
        assert page.locator(".present-progress").is_visible()
    finally:
        context.close()


def test_large_text_leaves_presents_own_scale_alone(page: Any, default_site: Path) -> None:
    """Present has its projector scale; "Large text" on top of it would make the slide's
    text shrink to fit, smaller than without it."""
    sizes = []
    for query in ("?present=2", "?present=2&large"):
        page.set_viewport_size({"width": 1024, "height": 768})
        page.goto((default_site / "periods" / f"{PERIOD}.html").as_uri() + query)
        page.wait_for_selector(".present-summary")
        sizes.append(page.evaluate("parseFloat(getComputedStyle(document.querySelector('.present-summary')).fontSize)"))
    assert page.evaluate("document.documentElement.classList.contains('large-text')")
    assert sizes[1] >= sizes[0], sizes
