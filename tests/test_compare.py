"""Stage: site (the compare view, in Chromium).

Two periods compared as a reader sees them: on a laptop and a projector the two maps side
by side with the changes beside them, on a tablet the changes under them, on a phone one
map over the other with a divider to drag (by touch or with the keys). Both maps are
fitted to where the changes are (never all Eurasia, never one dot), the list says what
the period pages' changes say, a change chosen in it is shown on both maps, and the maps
move together."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from browser import map_idle, serious_accessibility_violations, still, watch
from conftest import ROOT

EARLIER, LATER = "war-against-japan", "soviet-invasion-and-civil-war"
SCREENS = {"phone": (390, 844), "tablet": (820, 1180), "laptop": (1366, 768), "projector": (1920, 1080)}
TOUCH = ("phone", "tablet")
CLOSEST = 6  # the closest zoom a fit may reach (90-compare.js)
MAP = "window[Object.keys(window).find(k => /^map_\\d+$/.test(k))]"


@cache
def changes_between(earlier: str, later: str) -> list[tuple[str, str, list[list[float]] | None]]:
    """(text, date, bounds of its place) of each change from the earlier map's day to the
    later one's, from the period pages' own changes (as the build makes them)."""
    from atlas.building.pipeline import check
    from atlas.site.changes import changes_in
    from atlas.site.features import bounds
    from atlas.site.legend import palette_for
    from atlas.site.views import period_views

    atlas, geometry = check(ROOT / "places")
    views = period_views(atlas)
    ids = [view.period.id for view in views]
    found = []
    for index in range(ids.index(earlier) + 1, ids.index(later) + 1):
        for change in changes_in(atlas, views[index - 1], views[index], palette_for(atlas)):
            shape = geometry.get(change.place)
            found.append((change.text, change.date, bounds([{"geometry": shape}]) if shape else None))
    return found


@pytest.fixture(params=list(SCREENS))
def screen(chromium: Any, request: pytest.FixtureRequest) -> Iterator[tuple[str, Any]]:
    width, height = SCREENS[request.param]
    touch = request.param in TOUCH
    context = chromium.new_context(viewport={"width": width, "height": height}, has_touch=touch, is_mobile=touch)
    yield request.param, context.new_page()
    context.close()


def open_compare(page: Any, site: Path, a: str = EARLIER, b: str = LATER) -> tuple[Any, Any]:
    page.goto((site / "compare.html").as_uri() + f"?a={a}&b={b}")
    return frames(page, a, b)


def frames(page: Any, a: str, b: str) -> tuple[Any, Any]:
    """Both maps' frames, once each shows its period's map and stands still."""
    found = []
    for side, period in (("a", a), ("b", b)):
        frame = page.locator(f"iframe[data-side={side}]").element_handle().content_frame()
        frame.wait_for_url(re.compile(rf"/embed/{period}\.html\?compare$"))
        frame.wait_for_function("() => window.Atlas && Atlas.map && Atlas.drawnAt !== undefined")
        found.append(frame)
    return found[0], found[1]


def shows(frame: Any, boxes: list[list[list[float]]], closest: int = CLOSEST) -> None:
    """Wait until the frame's map stands still showing every box whole, no closer than the
    closest zoom."""
    frame.wait_for_function(
        f"([boxes, closest]) => {{ const m = {MAP}; if (!m || Atlas.moving || m.getZoom() > closest) return false;"
        " const v = m.getBounds(); return boxes.every(b => v.contains(L.latLngBounds(b))); }", arg=[boxes, closest])
    map_idle(frame)


def view_of(frame: Any) -> dict[str, float]:
    view: dict[str, float] = frame.evaluate(
        f"() => {{ const m = {MAP}, b = m.getBounds(), c = m.getCenter();"
        " return {lat: c.lat, lng: c.lng, zoom: m.getZoom(), span: b.getEast() - b.getWest()}; }")
    return view


def box(page: Any, selector: str) -> dict[str, float]:
    found: dict[str, float] = page.locator(selector).first.evaluate(
        "(e) => { const r = e.getBoundingClientRect(); return {x: r.x, y: r.y, right: r.right, bottom: r.bottom,"
        " width: r.width, height: r.height}; }")
    return found


def listed(page: Any) -> list[tuple[str, str]]:
    """The list's entries: (what changed, its date)."""
    items = page.locator(".compare-list li")
    return [(items.nth(i).locator("button, span:not(.change-date)").first.inner_text(),
             items.nth(i).locator(".change-date").inner_text() if items.nth(i).locator(".change-date").count() else "")
            for i in range(items.count())]


def test_both_maps_open_on_the_changes_with_the_list_beside_them(screen: tuple[str, Any], default_site: Path) -> None:
    name, page = screen
    log = watch(page)
    left, right = open_compare(page, default_site)
    expected = changes_between(EARLIER, LATER)
    assert listed(page) == [(text, date) for text, date, _ in expected]
    places = [where for _, _, where in expected if where]
    for frame in (left, right):
        shows(frame, places)
        # Framed on the changes (from Sinkiang to Korea), as close as they fit whole: not
        # on all of Eurasia.
        fits = frame.evaluate(f"(boxes) => {{ const m = {MAP}; return m.getBoundsZoom("
                              "L.latLngBounds(boxes.flat())); }", places)
        assert view_of(frame)["zoom"] >= fits - 1, (view_of(frame), fits)
    assert view_of(left) == view_of(right)
    width = page.evaluate("() => innerWidth")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width  # no sideways scroll
    a, b = box(page, "iframe[data-side=a]"), box(page, "iframe[data-side=b]")
    changes = box(page, ".compare-changes")
    if name == "phone":  # one over the other, cut at the divider
        assert (a["x"], a["y"], a["width"], a["height"]) == (b["x"], b["y"], b["width"], b["height"])
        assert page.get_by_role("slider", name=re.compile("Divider between the two maps")).is_visible()
        assert changes["y"] >= a["bottom"]
    else:  # side by side, whole on the screen
        assert b["x"] >= a["right"] and a["y"] == b["y"] and a["width"] == b["width"] > 300
        assert a["bottom"] <= page.evaluate("() => innerHeight")
        assert not page.locator("#compare-divider").is_visible()
        if name == "tablet":
            assert changes["y"] >= a["bottom"]
        else:
            assert changes["x"] >= b["right"] and changes["y"] < a["bottom"]
    assert log.errors == []
    # (axe reads the stylesheets as data, which the page's policy refuses and the console tells.)
    assert serious_accessibility_violations(page) == []


def test_a_change_chosen_in_the_list_is_shown_on_both_maps(screen: tuple[str, Any], default_site: Path) -> None:
    name, page = screen
    left, right = open_compare(page, default_site)
    entry = page.locator(".compare-list button", has_text="Hsinking → Changchun")
    bounds = next(where for text, _, where in changes_between(EARLIER, LATER) if text == "Hsinking → Changchun")
    assert bounds is not None
    for frame in (left, right):
        map_idle(frame)
    entry.scroll_into_view_if_needed()
    still(entry)
    if name in TOUCH:
        entry.tap()
    else:
        entry.click()
    assert entry.get_attribute("aria-pressed") == "true"
    for frame in (left, right):
        shows(frame, [bounds])
        # A town is shown with its region around it, at the closest zoom: not one dot.
        assert view_of(frame)["zoom"] == CLOSEST and view_of(frame)["span"] > 3
        assert frame.locator("path.compare-ring").count() == 1
    assert view_of(left) == view_of(right)
    stage = box(page, ".compare-stage")
    assert stage["y"] > -1 and stage["bottom"] < page.evaluate("() => innerHeight") + 1  # the maps are in sight
    assert "Hsinking → Changchun" in page.locator(".compare-status").inner_text()


def test_on_a_phone_the_divider_shows_either_map_by_touch_or_keys(chromium: Any, default_site: Path) -> None:
    context = chromium.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    open_compare(page, default_site)
    divider = page.get_by_role("slider", name=re.compile("Divider between the two maps"))
    stage = box(page, ".compare-stage")
    middle = stage["y"] + stage["height"] / 2

    def map_at(fraction: float) -> str | None:
        """Which map a tap at this fraction of the stage's width reaches."""
        side: str | None = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y)?.closest('iframe')?.dataset.side ?? null",
            [stage["x"] + stage["width"] * fraction, middle])
        return side

    assert (map_at(0.25), map_at(0.75)) == ("a", "b")  # the divider starts in the middle
    divider.focus()
    page.keyboard.press("End")
    assert divider.input_value() == "100" and (map_at(0.05), map_at(0.95)) == ("a", "a")
    assert divider.get_attribute("aria-valuetext") == "all left map"
    page.keyboard.press("Home")
    assert (map_at(0.05), map_at(0.95)) == ("b", "b")
    track = box(page, "#compare-divider")
    page.touchscreen.tap(track["x"] + track["width"] * 0.8, track["y"] + track["height"] / 2)
    page.wait_for_function("() => Number(document.getElementById('compare-divider').value) > 60")
    assert (map_at(0.6), map_at(0.95)) == ("a", "b")
    # The phone turned: the two maps side by side, each fitted again to the changes.
    page.set_viewport_size({"width": 844, "height": 390})
    left, right = frames(page, EARLIER, LATER)
    a, b = box(page, "iframe[data-side=a]"), box(page, "iframe[data-side=b]")
    assert b["x"] >= a["right"] and page.evaluate("() => document.documentElement.scrollWidth") <= 844
    for frame in (left, right):
        shows(frame, [where for _, _, where in changes_between(EARLIER, LATER) if where])
    context.close()


def test_two_periods_with_nothing_changed_between_them_open_together(laptop: Any, default_site: Path) -> None:
    left, right = open_compare(laptop, default_site, "after-mao", "normalisation")
    together(left, right)
    assert laptop.locator(".compare-none").inner_text().startswith("Nothing on the map changed")
    laptop.locator("select[data-side=b]").select_option("after-mao")
    left, right = frames(laptop, "after-mao", "after-mao")
    together(left, right)
    assert laptop.locator(".compare-none").inner_text() == "The same map on both sides: nothing changed."


def test_the_maps_move_together_and_follow_the_periods_chosen(laptop: Any, default_site: Path) -> None:
    log = watch(laptop)
    left, right = open_compare(laptop, default_site)
    for frame in (left, right):
        map_idle(frame)
    left.evaluate(f"() => {MAP}.setView([45.75, 126.65], 5, {{animate: false}})")
    right.wait_for_function(f"() => {{ const m = {MAP}, c = m.getCenter(); return m.getZoom() === 5"
                            " && Math.abs(c.lat - 45.75) < 0.01 && Math.abs(c.lng - 126.65) < 0.01; }")
    right.evaluate(f"() => {MAP}.setView([41.8, 123.4], 4, {{animate: false}})")
    left.wait_for_function(f"() => {MAP}.getZoom() === 4 && Math.abs({MAP}.getCenter().lat - 41.8) < 0.01")
    # Another period on the right: the list and both maps follow the new pair's changes.
    laptop.locator("select[data-side=b]").select_option("sino-soviet-split")
    assert "b=sino-soviet-split" in laptop.url
    left, right = frames(laptop, EARLIER, "sino-soviet-split")
    expected = changes_between(EARLIER, "sino-soviet-split")
    assert listed(laptop) == [(text, date) for text, date, _ in expected]
    for frame in (left, right):
        shows(frame, [where for _, _, where in expected if where])
    assert view_of(left) == view_of(right)
    # Two periods with nothing changed between their maps say so.
    laptop.locator("select[data-side=a]").select_option("after-mao")
    laptop.locator("select[data-side=b]").select_option("normalisation")
    assert changes_between("after-mao", "normalisation") == []
    none = laptop.locator(".compare-none")
    none.wait_for(state="visible")
    assert none.inner_text().startswith("Nothing on the map changed between these two days")
    assert laptop.locator(".compare-list li").count() == 0
    assert "Choose a change" not in laptop.locator(".compare-hint").inner_text()
    left, right = frames(laptop, "after-mao", "normalisation")
    together(left, right)  # the newly loaded map takes the view of the one that stayed
    assert log.errors == []


def together(leader: Any, follower: Any) -> None:
    """Wait until the follower's map shows the leader's view."""
    map_idle(leader)
    view = view_of(leader)
    # Within two pixels: each map is kept inside the world to the whole pixel on its own.
    follower.wait_for_function(f"(v) => {{ const m = {MAP}; return !Atlas.moving && m.getZoom() === v.zoom"
                               " && m.project(m.getCenter(), v.zoom).distanceTo(m.project([v.lat, v.lng], v.zoom)) < 2; }",
                               arg=view)
