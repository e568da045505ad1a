"""The built pages in a real headless Chromium: stepping, popups, no errors, hostile text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from browser import ARTIFACTS, watch
from conftest import ROOT


def period_ids() -> list[str]:
    """The default atlas's periods, in order, as its source lists them."""
    periods = yaml.safe_load((ROOT / "places" / "periods.yaml").read_text(encoding="utf-8"))
    return [str(item["id"]) for item in periods]


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


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
        with page.expect_navigation():
            page.keyboard.press("ArrowRight")
        seen.append(Path(page.url).stem)
    page.keyboard.press("ArrowRight")  # the last period has no next: nothing happens
    page.wait_for_timeout(200)
    assert Path(page.url).stem == period_ids()[-1]
    for _ in period_ids()[1:]:
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
        page.wait_for_timeout(100)
        assert page.locator("img[src=x]").count() == 0
    page.goto((hostile_site / "periods" / "only.html").as_uri())
    heading = page.locator("h1").inner_text()
    assert heading == "Period <script>alert(1)</script> </script><script>alert(2)</script> " \
                      "<img src=x onerror=alert(3)> `${alert(4)}` \\u003c '\"&amp;"
    page.locator("button.show-on-map").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "<script>alert(1)</script>" in popup.inner_text()
    for tooltip in page.locator(".atlas-label").all():
        assert re.match(r"^(Old |City)", tooltip.inner_text())
    page.locator(".leaflet-overlay-pane path").first.click(force=True)
    page.wait_for_timeout(200)
    assert page.locator("img[src=x]").count() == 0
    assert log.dialogs == []
    assert log.errors == []
