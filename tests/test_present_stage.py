"""Stage: site (Present across periods, in Chromium).

One presentation from the first slide of the first period to the last slide of the last,
without a page load and in full screen throughout: the other periods' pages come in
frames over the page where Present began. Driven as schools drive it: by taps, swipes and
the slide's buttons on touch screens, by the buttons with a mouse, on every screen size the
classroom has. The host page's address follows the slide, so a reload goes on from it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser import map_idle, watch
from conftest import SAMPLES, built, page_data

SIZES = {"phone": (390, 844, True), "tablet": (820, 1180, True), "xga": (1024, 768, False),
         "wxga": (1280, 800, False), "laptop": (1366, 768, False), "projector": (1920, 1080, False)}


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built(SAMPLES / "good", tmp_path_factory)


def screen(chromium: Any, name: str) -> tuple[Any, Any]:
    width, height, touch = SIZES[name]
    context = chromium.new_context(viewport={"width": width, "height": height}, has_touch=touch, is_mobile=touch)
    return context, context.new_page()


@pytest.fixture(params=sorted(SIZES))
def sized(chromium: Any, request: pytest.FixtureRequest) -> Iterator[tuple[Any, bool]]:
    context, page = screen(chromium, request.param)
    yield page, SIZES[request.param][2]
    context.close()


def sequence(site: Path) -> list[str]:
    """Every period's id, in order, as the pages give them."""
    first = next(iter(sorted((site / "periods").glob("*.html"))))
    return list(page_data(first.read_text(encoding="utf-8"))["sequence"])


def slides(page: Any) -> int:
    """How many slides the period shown has, as its slide says."""
    found = re.search(r"of (\d+)$", shown(page).locator(".present-progress").inner_text())
    assert found
    return int(found[1])


def shown(page: Any) -> Any:
    """Where the slide is: a frame over the page, or the page itself."""
    return page.frame_locator(".stage-frame.stage-shown") if page.locator(".stage-frame.stage-shown").count() else page


def at(page: Any, host: str, period: str, slide: int) -> None:
    """Wait until the presentation shows `slide` of `period`, as the host's address says
    and as the shown slide itself says."""
    wanted = f"{host}.html?present={slide}" + ("" if period == host else f"&period={period}")
    page.wait_for_function("(wanted) => location.href.endsWith(wanted)", arg=wanted)
    shown(page).locator(".present-progress", has_text=re.compile(rf"^Slide {slide} of ")).wait_for()


def full_screen(page: Any) -> bool:
    return bool(page.evaluate("() => document.fullscreenElement === document.documentElement"))


def swipe(where: Any, dx: float) -> None:
    panel = where.locator(".present-panel")
    box = panel.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + 20
    for kind, point in (("pointerdown", x), ("pointerup", x + dx)):
        panel.dispatch_event(kind, {"clientX": point, "clientY": y, "isPrimary": True, "pointerType": "touch", "bubbles": True})


def press(where: Any, name: str, touch: bool) -> None:
    button = where.get_by_role("button", name=name)
    button.tap() if touch else button.click()


def next_slide(page: Any, step: int, touch: bool) -> None:
    """On, by a different means each time: the ▶ button; on a touch screen also a swipe
    to the left and a tap on the slide's right side."""
    where = shown(page)
    way = step % 3 if touch else 0
    if way == 0:
        press(where, "Next slide", touch)
    elif way == 1:
        swipe(where, -200)
    else:
        box = where.locator(".present-panel").bounding_box()
        title = where.locator(".present-title").bounding_box()
        # The tap lands in the page's own coordinates: a frame fills the screen from its corner.
        page.touchscreen.tap(box["x"] + box["width"] * 0.9, title["y"] + title["height"] / 2)


def walk(page: Any, site: Path, touch: bool) -> None:
    periods = sequence(site)
    host = periods[0]
    page.goto((site / "periods" / f"{host}.html").as_uri())
    page.wait_for_function("() => window.Atlas && window.Atlas.map")
    map_idle(page)
    start = page.locator(".present-button")
    start.tap() if touch else start.click()
    at(page, host, host, 1)
    assert full_screen(page)
    step = 0
    for index, period in enumerate(periods):
        if index:  # past the last slide of the one before: this period's first
            next_slide(page, step, touch)
            step += 1
            at(page, host, period, 1)
            assert full_screen(page), period
        count = slides(page)
        for slide in range(2, count + 1):
            next_slide(page, step, touch)
            step += 1
            at(page, host, period, slide)
            assert full_screen(page), (period, slide)  # never left, however the slides changed
    press(shown(page), "Previous slide", touch)
    at(page, host, periods[-1], count - 1)


def test_one_presentation_through_every_period_on_every_screen(sized: tuple[Any, bool], sample_site: Path) -> None:
    page, touch = sized
    log = watch(page)
    walk(page, sample_site, touch)
    assert log.errors == []


def test_the_default_atlas_from_its_first_slide_to_its_last_on_a_tablet(chromium: Any, default_site: Path) -> None:
    context, page = screen(chromium, "tablet")
    try:
        log = watch(page)
        walk(page, default_site, True)
        assert log.errors == []
    finally:
        context.close()


def test_back_across_periods_a_reload_and_leaving(chromium: Any, sample_site: Path) -> None:
    context, page = screen(chromium, "laptop")
    try:
        first, second = sequence(sample_site)[:2]
        first_count = 3  # the period, the Mukden Incident, the Soviet invasion (begun before it ended)
        page.goto((sample_site / "periods" / f"{first}.html").as_uri() + f"?present={first_count}")
        at(page, first, first, first_count)
        page.keyboard.press("PageDown")  # the clicker: on into the next period's frame
        at(page, first, second, 1)
        page.keyboard.press("PageDown")
        at(page, first, second, 2)
        page.reload()  # F5: the same slide of the same period
        at(page, first, second, 2)
        page.keyboard.press("PageUp")
        at(page, first, second, 1)
        page.keyboard.press("PageUp")  # back into the page's own period, at its last slide
        at(page, first, first, first_count)
        assert page.locator(".stage-frame.stage-shown").count() == 0
        page.keyboard.press("PageDown")
        at(page, first, second, 1)
        with page.expect_navigation():
            page.keyboard.press("Escape")  # leaving: the period that was on the screen, as a page
        assert re.search(rf"periods/{second}\.html$", page.url), page.url
        page.wait_for_function("() => window.Atlas && window.Atlas.map")
        assert not page.evaluate("() => document.documentElement.classList.contains('presenting')")
    finally:
        context.close()


def test_the_full_screen_button_of_another_periods_slide_works(chromium: Any, sample_site: Path) -> None:
    context, page = screen(chromium, "laptop")
    try:
        first, second = sequence(sample_site)[:2]
        first_count = 3
        page.goto((sample_site / "periods" / f"{first}.html").as_uri() + f"?present={first_count}")
        at(page, first, first, first_count)
        page.get_by_role("button", name="Next slide").click()
        at(page, first, second, 1)
        assert not full_screen(page)  # a page may not take full screen by itself
        shown(page).get_by_role("button", name="Full screen").click()
        page.wait_for_function("() => document.fullscreenElement === document.documentElement")
        shown(page).get_by_role("button", name="Next slide").click()
        at(page, first, second, 2)
        assert full_screen(page)
    finally:
        context.close()


def test_a_page_around_a_slide_cannot_break_it(page: Any, sample_site: Path, tmp_path: Path) -> None:
    """Whatever a page that frames a presentation sends (a slide that is not a number, an
    unknown key), the slide stays a slide."""
    first = sequence(sample_site)[0]
    host = tmp_path / "host.html"
    host.write_text("<!doctype html><title>host</title><iframe id=f style='width:1000px;height:700px' src='"
                    + (sample_site / "periods" / f"{first}.html").as_uri() + "?present=2&stage'></iframe>",
                    encoding="utf-8")
    page.set_viewport_size({"width": 1100, "height": 800})
    page.goto(host.as_uri())
    frame = page.frame_locator("#f")
    frame.locator(".present-progress", has_text="Slide 2 of ").wait_for()
    page.evaluate("""() => { const w = document.getElementById('f').contentWindow;
      for (const enter of [NaN, Infinity, -1e308, '2', null, {}]) w.postMessage({atlas: 'present', enter: enter}, '*');
      w.postMessage({atlas: 'present', key: 'javascript:alert(1)'}, '*');
      w.postMessage({atlas: 'present', enter: 3}, '*'); }""")
    frame.locator(".present-progress", has_text="Slide 3 of ").wait_for()  # the last, well-formed one
    assert frame.locator(".present-progress").inner_text().startswith("Slide 3 of ")
