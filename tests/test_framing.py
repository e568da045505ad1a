"""Stage: site.

Maps framed for what is read, in Chromium at six screens (a phone and a tablet by touch,
a 4:3 and a 16:10 projector, two laptops, a 1920×1080 projector): every period's first
view and Present's first slide show the events of its area of interest inside the part
of the map no slide covers; no fit comes closer than the context zoom; the events left
outside are counted, and Show all brings them in; an image popup fits inside the map;
the printed page holds every event of its period."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_story_browser import story_site  # noqa: F401  (a fixture: an atlas with an image)

from atlas.site.framing import area_of_interest
from atlas.source.model import View

from browser import map_idle, still, watch
from conftest import page_data

SIZES = {"phone": (390, 844, True), "tablet": (820, 1180, True), "xga": (1024, 768, False),
         "wxga": (1280, 800, False), "laptop": (1366, 768, False), "projector": (1920, 1080, False)}
CONTEXT_KM = 400  # what a fit shows at least across the free part's narrower side (60-views.js)
MANCHURIA_1945 = "soviet-invasion-and-civil-war"

# The map's free part, measured from the page as a reader sees it: the map's box within
# the window, less the Present slide (beside the map on a wide screen, below it on a phone).
FREE = """() => {
  const box = Atlas.map.getContainer().getBoundingClientRect();
  const free = {left: box.left, top: Math.max(box.top, 0), right: Math.min(box.right, innerWidth),
                bottom: Math.min(box.bottom, innerHeight)};
  const slide = document.querySelector('.present-panel');
  if (slide) {
    const r = slide.getBoundingClientRect();
    if (r.width < 0.6 * box.width) free.right = Math.min(free.right, r.left); else free.bottom = Math.min(free.bottom, r.top);
  }
  return free;
}"""

# The events whose places all lie in the period's area of interest and which are not
# all inside the free part, or lie under what covers the map (the slide, its legend, a
# caption); and how far the free part's narrower side spans, in km.
CHECK = """(free) => {
  const map = Atlas.map, box = map.getContainer().getBoundingClientRect();
  const covers = [...document.querySelectorAll('.present-panel, .present-legend, .embed-caption')]
    .map(c => c.getBoundingClientRect()).filter(r => r.width > 0);
  const area = L.latLngBounds(Atlas.page.area), missing = [];
  let shown = 0;
  Atlas.eventsLayer.eachLayer(layer => {
    const dots = (layer.getLayers ? layer.getLayers() : [layer]).map(d => d.getLatLng());
    if (!dots.every(at => area.contains(at))) return;
    shown += 1;
    const out = dots.some(at => { const p = map.latLngToContainerPoint(at);
      const x = p.x + box.left, y = p.y + box.top;
      return x < free.left || x > free.right || y < free.top || y > free.bottom
        || covers.some(r => x >= r.left && x <= r.right && y >= r.top && y <= r.bottom); });
    if (out) missing.push(layer.feature.properties.id);
  });
  // The narrower side of the free part, across its middle.
  const x = (free.left + free.right) / 2 - box.left, y = (free.top + free.bottom) / 2 - box.top;
  const tall = free.bottom - free.top > free.right - free.left;
  const a = tall ? [free.left - box.left, y] : [x, free.top - box.top];
  const b = tall ? [free.right - box.left, y] : [x, free.bottom - box.top];
  const km = map.containerPointToLatLng(a).distanceTo(map.containerPointToLatLng(b)) / 1000;
  return {missing, shown, km, zoom: map.getZoom(), detail: Atlas.page.basemap.detail};
}"""


@pytest.fixture(params=list(SIZES), scope="module")
def screen(request: pytest.FixtureRequest, chromium: Any) -> Iterator[Any]:
    """A page at one of the six screens (the phone and the tablet touch, not point)."""
    width, height, touch = SIZES[request.param]
    context = chromium.new_context(viewport={"width": width, "height": height}, is_mobile=touch, has_touch=touch)
    page = context.new_page()
    page.size_name = request.param
    yield page
    context.close()


def periods(site: Path) -> list[Path]:
    return sorted((site / "periods").glob("*.html"))


def open_map(page: Any, path: Path, query: str = "") -> None:
    page.goto(path.as_uri() + query)
    page.wait_for_function("() => window.Atlas && Atlas.map && Atlas.eventsLayer", timeout=30000)
    map_idle(page)


def framed(page: Any) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(CHECK, page.evaluate(FREE))
    return result


def close_enough(found: dict[str, Any]) -> bool:
    """No closer than the context: not past the relief's detail, and CONTEXT_KM across at
    least (less a tenth: Mercator's scale changes across the map, the fit takes its middle's)."""
    return bool(found["zoom"] <= found["detail"] and found["km"] >= CONTEXT_KM * 0.9)


def test_first_views_and_first_slides_show_the_area_of_interest(screen: Any, default_site: Path) -> None:
    log = watch(screen)
    for path in periods(default_site):
        for query in ("", "?present"):
            open_map(screen, path, query)
            found = framed(screen)
            where = f"{path.stem}{query} at {screen.size_name}"
            assert found["shown"] >= 1, where
            assert found["missing"] == [], f"{where}: outside the free part of the map"
            assert close_enough(found), f"{where}: {found}"
    assert log.errors == []


def test_the_1945_area_holds_manchouli_hailar_and_chita(default_site: Path) -> None:
    data = page_data((default_site / "periods" / f"{MANCHURIA_1945}.html").read_text(encoding="utf-8"))
    (south, west), (north, east) = data["area"]
    for lat, lon in ((49.6, 117.43), (49.2, 119.7), (52.04, 113.49)):  # Manchouli, Hailar, Chita
        assert south <= lat <= north and west <= lon <= east
    assert west > 100  # and not Moscow: the author's view is of Manchuria


def test_no_slide_nor_step_comes_closer_than_the_context(screen: Any, default_site: Path) -> None:
    # The period's slide, then its events: one in the Yenan hills, one in Moscow alone,
    # one across Manchuria, one in Moscow again.
    open_map(screen, default_site / "periods" / f"{MANCHURIA_1945}.html", "?present")
    for slide in range(2, 6):
        screen.keyboard.press("PageDown")
        screen.wait_for_function("(n) => document.querySelector('.present-progress').textContent.startsWith('Slide ' + n + ' ')",
                                 arg=slide)
        map_idle(screen)
        found = framed(screen)
        assert close_enough(found), f"slide {slide} at {screen.size_name}: {found}"
    # The player's steps too, on the page: Moscow alone is the second.
    open_map(screen, default_site / "periods" / f"{MANCHURIA_1945}.html")
    step = screen.locator(".player [data-step=next]")
    for number in range(1, 4):
        step.scroll_into_view_if_needed()
        still(step)
        step.click()
        screen.wait_for_function("(n) => document.querySelector('.player-status').textContent.startsWith('Event ' + n + ' ')",
                                 arg=number)
        map_idle(screen)
        found = framed(screen)
        assert close_enough(found), f"step {number} at {screen.size_name}: {found}"


def test_events_outside_the_view_are_counted_and_shown_all(screen: Any, default_site: Path) -> None:
    open_map(screen, default_site / "periods" / "civil-war-and-japan-in-manchuria.html")
    control = screen.locator(".show-all")
    counted = screen.evaluate("""() => { const seen = Atlas.map.getBounds(); let n = 0;
      Atlas.eventsLayer.eachLayer(l => { const dots = l.getLayers ? l.getLayers() : [l];
        if (dots.some(d => !seen.contains(d.getLatLng()))) n += 1; }); return n; }""")
    assert counted >= 1
    words = "1 event outside this view" if counted == 1 else f"{counted} events outside this view"
    assert control.is_visible() and control.locator(".show-all-count").inner_text() == words
    button = control.locator("button")
    still(button)
    if SIZES[screen.size_name][2]:
        button.tap()
    else:  # by keyboard
        button.focus()
        screen.keyboard.press("Enter")
    map_idle(screen)
    assert screen.evaluate("""() => { const seen = Atlas.map.getBounds(); let all = true;
      Atlas.eventsLayer.eachLayer(l => (l.getLayers ? l.getLayers() : [l]).forEach(d => {
        if (!seen.contains(d.getLatLng())) all = false; })); return all; }""")
    assert control.is_hidden()  # none outside: nothing to say
    screen.evaluate("Atlas.map.setView([35.7, 139.7], 6, {animate: false})")  # the reader goes to Tokyo
    map_idle(screen)
    assert control.is_visible() and "outside this view" in control.inner_text()


def test_an_image_popup_fits_inside_the_map(screen: Any, story_site: Path) -> None:  # noqa: F811
    open_map(screen, story_site / "periods" / "y1789.html")
    for feature in ("march", "paris"):
        screen.evaluate(f"Atlas.show('{feature}', false)")
        screen.wait_for_function("() => { const i = document.querySelector('.leaflet-popup .popup-media img');"
                                 " return i && i.complete && i.naturalWidth > 0; }", timeout=10000)
        map_idle(screen)
        inside = screen.evaluate("""() => { const m = Atlas.map.getContainer().getBoundingClientRect();
          const p = document.querySelector('.leaflet-popup').getBoundingClientRect();
          return p.top >= m.top && p.bottom <= m.bottom && p.left >= m.left && p.right <= m.right; }""")
        assert inside, f"{feature}'s popup at {screen.size_name}"
        screen.evaluate("Atlas.map.closePopup()")


def test_the_printed_page_holds_every_event_of_its_period(page: Any, default_site: Path) -> None:
    open_map(page, default_site / "periods" / f"{MANCHURIA_1945}.html")
    page.emulate_media(media="print")
    map_idle(page)
    missing = page.evaluate("""() => { const map = Atlas.map, out = [];
      const box = map.getContainer().getBoundingClientRect();
      Atlas.eventsLayer.eachLayer(l => (l.getLayers ? l.getLayers() : [l]).forEach(d => {
        const p = map.latLngToContainerPoint(d.getLatLng());
        if (p.x < 0 || p.y < 0 || p.x > box.width || p.y > box.height) out.push(l.feature.properties.id); }));
      return out; }""")
    assert missing == []  # the invasion's Manchouli, Hailar and Chita too


def test_the_overview_opens_on_the_atlas_and_no_dot_hides_another(laptop: Any, default_site: Path) -> None:
    open_map(laptop, default_site / "index.html")
    found = laptop.evaluate("""() => { const map = Atlas.map, size = map.getSize(), dots = [];
      Atlas.eventsLayer.eachLayer(l => { if (!l.getLayers) dots.push(map.latLngToContainerPoint(l.getLatLng())); });
      let stacked = 0;
      dots.forEach((a, i) => dots.slice(i + 1).forEach(b => { if (a.distanceTo(b) < 6) stacked += 1; }));
      const inside = dots.filter(p => p.x >= 0 && p.y >= 0 && p.x <= size.x && p.y <= size.y).length;
      return {centre: map.getCenter(), zoom: map.getZoom(), stacked, inside, all: dots.length}; }""")
    assert 20 <= found["centre"]["lat"] <= 60 and 60 <= found["centre"]["lng"] <= 130  # Asia, not the world
    assert found["zoom"] >= 3
    assert found["stacked"] == 0 and found["inside"] >= 0.9 * found["all"]


def test_the_area_of_interest_is_what_the_view_shows_else_every_event() -> None:
    peking: dict[str, Any] = {"geometry": {"type": "Point", "coordinates": [116.4, 39.9]}}
    mukden: dict[str, Any] = {"geometry": {"type": "MultiPoint", "coordinates": [[123.4, 41.8], [125.3, 43.9]]}}
    moscow: dict[str, Any] = {"geometry": {"type": "Point", "coordinates": [37.6, 55.75]}}
    events = [peking, mukden, moscow]
    assert area_of_interest(events, View(42.0, 122.0, 5)) == [[39.9, 116.4], [43.9, 125.3]]
    assert area_of_interest(events, None) == [[39.9, 37.6], [55.75, 125.3]]
    assert area_of_interest([moscow], View(42.0, 122.0, 5)) == [[55.75, 37.6], [55.75, 37.6]]  # none shown: all
    assert area_of_interest([], View(42.0, 122.0, 5)) is None


def test_the_detailed_relief_fades_into_the_worlds(default_site: Path) -> None:
    from PIL import Image

    relief = next((default_site / "assets").glob("basemap.*.webp"))
    with Image.open(relief) as image:
        assert image.mode == "RGBA"
        channel = image.getchannel("A")
        width, height = image.size

        def alpha(x: int, y: int) -> int:
            value = channel.getpixel((x, y))
            assert isinstance(value, int)
            return value

        assert alpha(0, height // 2) < 16 and alpha(width // 2, 0) < 16  # clear at the edges
        assert alpha(width // 2, height // 2) == 255  # whole inside
