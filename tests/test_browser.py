"""Stage: site.

The built pages in a real headless Chromium: stepping, popups, no errors, hostile text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from browser import ARTIFACTS, map_idle, map_loaded, maps_idle, press_staying, serious_accessibility_violations, watch
from conftest import ROOT


def period_ids() -> list[str]:
    """The default atlas's periods, in order, as its source lists them."""
    periods = yaml.safe_load((ROOT / "places" / "periods.yaml").read_text(encoding="utf-8"))
    return [str(item["id"]) for item in periods]


def test_index_lists_every_period(page: Any, default_site: Path) -> None:
    log = watch(page)
    page.goto((default_site / "index.html").as_uri())
    links = page.locator("main .period-list h3 a")
    assert links.count() == len(period_ids())
    timeline = page.locator("nav.timeline a")
    assert timeline.count() == len(period_ids())
    assert log.errors == []


def test_arrow_keys_walk_through_every_period_and_back(page: Any, default_site: Path) -> None:
    log = watch(page)
    page.goto((default_site / "periods" / f"{period_ids()[0]}.html").as_uri())
    seen = [Path(page.url).stem]
    for _ in period_ids()[1:]:
        map_loaded(page)  # leaving earlier would abort its images' requests in flight
        with page.expect_navigation():
            page.keyboard.press("ArrowRight")
        seen.append(Path(page.url).stem)
    assert press_staying(page, "ArrowRight") == []  # the last period has no next: nothing happens
    assert Path(page.url).stem == period_ids()[-1]
    for _ in period_ids()[1:]:
        map_loaded(page)
        with page.expect_navigation():
            page.keyboard.press("ArrowLeft")
        seen.append(Path(page.url).stem)
    assert seen == period_ids() + period_ids()[-2::-1]
    assert log.errors == []


def test_every_period_page_draws_its_features_without_errors(page: Any, default_site: Path) -> None:
    log = watch(page)
    ARTIFACTS.mkdir(exist_ok=True)
    for period in period_ids():
        page.goto((default_site / "periods" / f"{period}.html").as_uri())
        page.wait_for_selector(".leaflet-overlay-pane path, .leaflet-marker-pane *")
        markers = page.locator(".leaflet-overlay-pane path").count()
        assert markers > 0, period
        title = page.locator("h1").inner_text()
        assert page.locator(f'nav.timeline a.current[href$="{period}.html"]').count() == 1
        assert title
    page.screenshot(path=str(ARTIFACTS / "period.png"))
    assert log.errors == []


def test_show_on_map_opens_the_event_popup(page: Any, default_site: Path) -> None:
    log = watch(page)
    page.goto((default_site / "periods" / f"{period_ids()[0]}.html").as_uri())
    first = page.locator(".event-list li").first
    title = first.locator(".event-title").inner_text()
    first.locator("button.show-on-map").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator(".popup-title").inner_text() == title
    assert "selected" in (first.get_attribute("class") or "")
    assert log.errors == []


def test_a_deep_link_opens_its_event(page: Any, default_site: Path) -> None:
    period = period_ids()[0]
    page.goto((default_site / "periods" / f"{period}.html").as_uri())
    event_id = page.locator(".event-list li").nth(1).get_attribute("data-event")
    title = page.locator(".event-list li").nth(1).locator(".event-title").inner_text()
    page.goto((default_site / "periods" / f"{period}.html").as_uri() + f"#{event_id}")
    page.reload()
    page.locator(".leaflet-popup-content").wait_for()
    assert page.locator(".leaflet-popup-content .popup-title").inner_text() == title


def test_embed_fills_its_frame(page: Any, default_site: Path) -> None:
    log = watch(page)
    page.set_viewport_size({"width": 320, "height": 240})
    page.goto((default_site / "embed" / f"{period_ids()[0]}.html").as_uri())
    box = page.locator(".folium-map").bounding_box()
    assert box is not None and (box["width"], box["height"]) == (320, 240)
    assert page.evaluate("document.documentElement.scrollHeight") <= 240
    assert log.errors == []


def test_hostile_text_is_shown_as_text_and_never_runs(page: Any, hostile_site: Path) -> None:
    log = watch(page)
    for relative in ("index.html", "periods/only.html", "embed/only.html"):
        page.goto((hostile_site / relative).as_uri())
        map_idle(page)  # drawn: its names placed, its deep link's popup opened
        assert page.locator("img[src=x]").count() == 0
    page.goto((hostile_site / "periods" / "only.html").as_uri())
    heading = page.locator("h1").inner_text()
    assert heading.startswith("Period <script>alert(1)</script> </script><script>alert(2)</script> "
                              "<img src=x onerror=alert(3)> `${alert(4)}` \\u003c '\"&amp; {{ 7*7 }}")
    page.locator("button.show-on-map").first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "<script>alert(1)</script>" in popup.inner_text()
    for tooltip in page.locator(".atlas-label").all():
        assert re.match(r"^(Old |City)", tooltip.inner_text())
    # A click on a feature itself (dispatched: it may lie under the open popup) opens its own.
    feature = page.locator(".leaflet-overlay-pane path").first
    name = feature.evaluate("(p) => Atlas.layersById[p.dataset.feature].feature.properties.name")
    feature.dispatch_event("click")
    assert popup_title(page) == name
    assert page.locator("img[src=x]").count() == 0
    assert log.dialogs == []
    assert log.errors == []


def popup_title(page: Any) -> str:
    """The title in the one open popup: a closing popup fades out (to opacity 0) for 200 ms
    first, and a new one fades in (to 1) once the map has stopped moving."""
    page.wait_for_function("() => { const p = document.querySelectorAll('.leaflet-popup');"
                           " return p.length === 1 && p[0].style.opacity === '1'; }")
    return str(page.locator(".leaflet-popup-content .popup-title").inner_text())


THE_MAP = "window[Object.keys(window).find(k => /^map_\\d+$/.test(k))]"
MAP_ZOOM = f"() => {THE_MAP}.getZoom()"


def test_the_player_steps_through_the_events_in_date_order(page: Any, default_site: Path) -> None:
    log = watch(page)
    page.goto((default_site / "periods" / "sino-soviet-alliance.html").as_uri())
    titles = page.locator(".event-list li .event-title").all_inner_texts()
    status = page.locator(".player-status")
    assert status.inner_text() == f"{len(titles)} events"
    page.get_by_role("button", name="Next event ▶").click()
    assert status.inner_text() == f"Event 1 of {len(titles)}: {titles[0]}"
    assert popup_title(page) == titles[0]
    page.get_by_role("button", name="Next event ▶").click()
    assert page.locator(".event-list li.selected .event-title").inner_text() == titles[1]
    page.get_by_role("button", name="◀ Previous event").click()
    assert page.locator(".event-list li.selected .event-title").inner_text() == titles[0]
    assert page.url.endswith("#" + (page.locator(".event-list li.selected").get_attribute("data-event") or "?"))
    play = page.get_by_role("button", name="Play")
    play.click()
    assert page.get_by_role("button", name="Pause").get_attribute("aria-pressed") == "true"
    page.wait_for_function("() => document.querySelector('.player-status').textContent.startsWith('Event 3 of')",
                           timeout=12_000)
    page.get_by_role("button", name="Pause").click()
    assert log.errors == []


def test_list_and_map_point_at_each_other(page: Any, default_site: Path) -> None:
    log = watch(page)
    page.goto((default_site / "periods" / "war-against-japan.html").as_uri())
    item = page.locator('.event-list li[data-event="sino-soviet-non-aggression-pact"]')
    item.locator(".event-title").click()
    assert popup_title(page) == item.locator(".event-title").inner_text()
    assert "selected" in (item.get_attribute("class") or "")
    # A click on the place's marker (dispatched: the marker may lie under a popup or off screen).
    page.locator('[data-feature="lake-khasan"]').dispatch_event("click")
    assert popup_title(page) == "Lake Khasan"
    related = page.locator(".event-list li.related").evaluate_all("items => items.map(i => i.dataset.event)")
    assert related == ["battle-of-lake-khasan"]
    assert log.errors == []


def test_stepping_keeps_the_view_over_the_same_area_and_fits_a_new_one(page: Any, default_site: Path) -> None:
    page.goto((default_site / "periods" / "civil-war-and-japan-in-manchuria.html").as_uri())
    start_zoom = page.evaluate(MAP_ZOOM)
    page.evaluate(f"() => {THE_MAP}.setZoom({THE_MAP}.getZoom() - 1, {{animate: false}})")
    zoomed_out = page.evaluate(MAP_ZOOM)
    assert zoomed_out == start_zoom - 1
    with page.expect_navigation():
        page.keyboard.press("ArrowRight")  # war against Japan: still China and Manchuria
    assert page.evaluate(MAP_ZOOM) == zoomed_out
    # Zoomed right into one spot, the next period's events are elsewhere: its own view is fitted.
    page.evaluate(f"() => {THE_MAP}.setView([23.1, 113.3], 9, {{animate: false}})")
    with page.expect_navigation():
        page.keyboard.press("ArrowRight")
    assert page.evaluate(MAP_ZOOM) != 9


def test_embeds_fit_a_phone_and_a_projector_and_step(page: Any, default_site: Path) -> None:
    log = watch(page)
    first, second = period_ids()[:2]
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in ((320, 240), (1920, 1080)):
        page.goto("about:blank")  # resizing a live map would start tile requests the next page aborts
        page.set_viewport_size({"width": width, "height": height})
        page.goto((default_site / "embed" / f"{first}.html").as_uri())
        map_loaded(page)  # the next navigation would abort its images' requests in flight
        box = page.locator(".folium-map").bounding_box()
        assert box is not None and (box["width"], box["height"]) == (width, height)
        assert page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]") == [
            width, height]
    page.screenshot(path=str(ARTIFACTS / "embed.png"))
    full = page.locator(".embed-caption a[target=_blank][rel=noopener]")  # out of any platform's frame
    assert full.get_attribute("href") == f"../periods/{first}.html"
    map_loaded(page)  # leaving earlier would abort its images' requests in flight
    with page.expect_navigation():
        page.locator(".embed-caption a[rel=next]").click()
    assert Path(page.url).name == f"{second}.html" and "/embed/" in page.url
    map_loaded(page)
    page.goto("about:blank")  # a fresh load: on the same page a new #fragment would pan a live map
    page.goto((default_site / "embed" / f"{second}.html").as_uri() + "#mukden-incident")
    assert page.locator(".leaflet-popup-content .popup-title").inner_text() == "The Mukden Incident"
    assert log.errors == []


def test_the_iframe_snippet_is_ready_to_copy(page: Any, default_site: Path) -> None:
    period = period_ids()[0]
    page.goto((default_site / "periods" / f"{period}.html").as_uri())
    page.locator(".embed-snippet summary").click()
    code = page.locator("#embed-code").input_value()
    assert code.startswith(f'<iframe src="{(default_site / "embed" / f"{period}.html").as_uri()}" title="Map: ')
    page.get_by_role("button", name="Copy").click()
    page.wait_for_function("() => document.querySelector('.embed-snippet button').textContent === 'Copied'")
    assert page.evaluate("() => window.getSelection().toString() || document.activeElement.value") == code


def lesson_pages(site: Path) -> list[Path]:
    return sorted((site / "lessons").glob("*.html"))


def test_a_lesson_shows_its_maps_in_iframes_that_load(page: Any, default_site: Path) -> None:
    log = watch(page)
    lessons = lesson_pages(default_site)
    assert lessons, "the default atlas ships a lesson"
    page.goto(lessons[0].as_uri())
    frames = page.locator("iframe")
    assert frames.count() >= 3
    for index in range(frames.count()):
        frame = frames.nth(index)
        assert (frame.get_attribute("title") or "").startswith("Map: ")
        frame.scroll_into_view_if_needed()
        inner = frame.content_frame
        inner.locator(".leaflet-overlay-pane path").first.wait_for(state="attached")
        src = frame.get_attribute("src") or ""
        if "mark=" in src:  # the event ringed and named, not opened over what the questions ask about
            inner.locator(".lesson-mark-note").wait_for()
            assert inner.locator(".leaflet-popup").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "lesson.png"), full_page=False)
    assert log.errors == []


@pytest.mark.parametrize("relative", ["index.html", "periods/war-against-japan.html", "embed/war-against-japan.html",
                                      "compare.html", "lessons/railway-that-changed-hands.html"])
def test_axe_finds_nothing_serious(page: Any, default_site: Path, relative: str) -> None:
    page.goto((default_site / relative).as_uri())
    maps_idle(page)
    assert serious_accessibility_violations(page) == []


def test_every_control_is_reachable_by_keyboard_with_a_visible_focus(page: Any, default_site: Path) -> None:
    page.goto((default_site / "periods" / "war-against-japan.html").as_uri())
    page.keyboard.press("Tab")
    first = page.evaluate("() => document.activeElement.textContent")
    assert first == "Skip to the events"
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    reached = []
    for _ in range(20):  # through the header, the timeline, to the map itself
        page.keyboard.press("Tab")
        reached.append(page.evaluate("() => (document.activeElement.getAttribute('class') || '') + ' ' + "
                                     "document.activeElement.textContent.slice(0, 40)"))
        if "leaflet-container" in reached[-1]:
            break
    assert "leaflet-container" in reached[-1]
    assert reached[-2] == "skip-link Skip the map's features"  # the way past the map's many features
    page.keyboard.press("Tab")  # the map's first stop is its first event: Enter opens its popup
    page.keyboard.press("Enter")
    titles = page.locator(".event-list li .event-title").all_inner_texts()
    assert popup_title(page) == titles[0]
    # The skip link leads past the map to the events and the player, all operable by keyboard.
    page.keyboard.press("Shift+Tab")
    page.focus("a.skip-link")
    page.keyboard.press("Enter")
    for _ in range(40):  # past the period's summary, its changes and the compare link, to the player
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.getAttribute('data-step')") == "previous":
            break
    assert page.evaluate("() => document.activeElement.getAttribute('data-step')") == "previous"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('data-step')") == "next"
    page.keyboard.press("Enter")  # on from the event opened on the map
    assert popup_title(page) == titles[1]
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"
