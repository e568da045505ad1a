"""Stage: site (Present, in Chromium, without a keyboard).

Presenting from a tablet, a phone, a touch whiteboard or a mouse: the slide's own
buttons, a swipe, a tap on its side; a black screen from the clicker; a reload that goes
on from the slide it was on; and a clicker's Page Down that steps after the pace was
chosen with the mouse.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser import map_idle, watch

FIRST = "comintern-and-first-united-front"
SECOND = "civil-war-and-japan-in-manchuria"
TOUCH = {"phone": (390, 844), "tablet": (820, 1180)}


@pytest.fixture(params=sorted(TOUCH))
def touch(chromium: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    width, height = TOUCH[request.param]
    context = chromium.new_context(viewport={"width": width, "height": height}, has_touch=True, is_mobile=True)
    page = context.new_page()
    yield page
    context.close()


def progress(page: Any) -> tuple[int, int]:
    """The slide shown and how many there are, as the slide says it."""
    shown = page.locator(".present-progress").inner_text()
    found = re.fullmatch(r"Slide (\d+) of (\d+)", shown)
    assert found, shown
    return int(found[1]), int(found[2])


def on_slide(page: Any, number: int) -> None:
    page.wait_for_function("(n) => (document.querySelector('.present-progress')?.textContent || '')"
                           ".startsWith('Slide ' + n + ' of ')", arg=number)


def open_period(page: Any, site: Path, period: str, query: str = "") -> None:
    page.goto((site / "periods" / f"{period}.html").as_uri() + query)
    page.wait_for_function("() => window.Atlas && window.Atlas.map")
    map_idle(page)


def test_present_with_the_slide_buttons_alone_from_one_period_into_the_next(touch: Any, default_site: Path) -> None:
    log = watch(touch)
    open_period(touch, default_site, FIRST)
    touch.locator(".present-button").tap()
    on_slide(touch, 1)
    _, count = progress(touch)
    assert touch.locator(".present-keys").inner_text().startswith("Swipe")  # told in touch words
    for number in range(2, count + 1):
        touch.get_by_role("button", name="Next slide").tap()
        on_slide(touch, number)
    touch.get_by_role("button", name="Previous slide").tap()
    on_slide(touch, count - 1)
    touch.get_by_role("button", name="Next slide").tap()
    on_slide(touch, count)
    touch.get_by_role("button", name="Next slide").tap()  # past the last slide: the next period, in a frame
    touch.wait_for_function("(w) => location.href.endsWith(w)", arg=f"{FIRST}.html?present=1&period={SECOND}")
    slide = touch.frame_locator(".stage-frame.stage-shown")
    slide.locator(".present-progress", has_text="Slide 1 of ").wait_for()
    with touch.expect_navigation():
        slide.get_by_role("button", name="Leave the presentation").tap()  # to the period shown, as a page
    assert re.search(rf"periods/{SECOND}\.html$", touch.url), touch.url
    touch.wait_for_function("() => window.Atlas && window.Atlas.map")
    assert "presenting" not in (touch.locator("html").get_attribute("class") or "")
    assert log.errors == []


def _swipe(page: Any, dx: float) -> None:
    box = page.locator(".present-panel").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + 20
    for kind, at in (("pointerdown", x), ("pointerup", x + dx)):
        page.locator(".present-panel").dispatch_event(kind, {"clientX": at, "clientY": y, "isPrimary": True,
                                                              "pointerType": "touch", "bubbles": True})


def test_a_swipe_or_a_tap_on_the_side_turns_the_slide(touch: Any, default_site: Path) -> None:
    open_period(touch, default_site, FIRST, "?present")
    on_slide(touch, 1)
    _swipe(touch, -200)  # to the left: on
    on_slide(touch, 2)
    _swipe(touch, 200)
    on_slide(touch, 1)
    for side, number in ((0.9, 2), (0.1, 1)):  # its right side, then its left, on the slide's title
        box = touch.locator(".present-panel").bounding_box()
        title = touch.locator(".present-title").bounding_box()
        touch.touchscreen.tap(box["x"] + box["width"] * side, title["y"] + title["height"] / 2)
        on_slide(touch, number)


def test_a_reload_goes_on_from_the_slide_in_the_address(laptop: Any, default_site: Path) -> None:
    open_period(laptop, default_site, FIRST, "?present")
    on_slide(laptop, 1)
    for _ in range(2):
        laptop.keyboard.press("PageDown")
    on_slide(laptop, 3)
    assert laptop.url.endswith("?present=3")
    laptop.reload()
    laptop.wait_for_selector(".present-panel")
    on_slide(laptop, 3)


def test_the_clicker_blanks_the_screen_and_brings_the_same_slide_back(laptop: Any, default_site: Path) -> None:
    open_period(laptop, default_site, FIRST, "?present=2")
    on_slide(laptop, 2)
    for key, colour in (("b", "black"), (".", "black"), ("w", "white")):
        laptop.keyboard.press(key)
        curtain = laptop.locator(f".present-curtain-{colour}")
        curtain.wait_for()
        box = curtain.bounding_box()
        assert box["width"] == 1366 and box["height"] == 768  # the whole screen
        laptop.keyboard.press("PageDown")  # the first key brings the slide back, unturned
        curtain.wait_for(state="detached")
        on_slide(laptop, 2)
    laptop.keyboard.press("PageDown")
    on_slide(laptop, 3)


def test_page_down_steps_after_the_pace_was_chosen_with_the_mouse(laptop: Any, default_site: Path) -> None:
    open_period(laptop, default_site, FIRST)
    select = laptop.locator(".player-pace")
    select.dispatch_event("pointerdown")  # chosen with the mouse (without its open list, which headless
    select.select_option("4")              # Chromium keeps to itself): the list keeps the focus
    select.focus()
    assert laptop.evaluate("() => document.activeElement.className") == "player-pace"
    before = laptop.evaluate("() => window.Atlas.current")
    laptop.keyboard.press("PageDown")
    laptop.wait_for_function("(was) => window.Atlas.current !== was", arg=before)
    assert select.input_value() == "4"  # the list was not moved


def _finger_swipe(page: Any, x: float, y: float, dx: float) -> None:
    """A real finger across the screen (touch events from the browser's own input, which
    the browser may take for a scroll and cancel), not pointer events made in the page."""
    cdp = page.context.new_cdp_session(page)
    steps = 8
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y, "id": 1}]})
    for step in range(1, steps + 1):
        point = {"x": x + dx * step / steps, "y": y, "id": 1}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def test_a_finger_swiped_across_the_slide_turns_it(touch: Any, default_site: Path) -> None:
    open_period(touch, default_site, FIRST, "?present")
    on_slide(touch, 1)
    for start, across, number in ((0.8, -0.6, 2), (0.2, 0.6, 1)):  # to the left: on; to the right: back
        box = touch.locator(".present-panel").bounding_box()  # (a slide's panel is as tall as its text)
        title = touch.locator(".present-title").bounding_box()
        _finger_swipe(touch, box["x"] + box["width"] * start, title["y"] + title["height"] / 2, box["width"] * across)
        on_slide(touch, number)
