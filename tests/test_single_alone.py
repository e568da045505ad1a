"""Stage: site (a single-file page sent on its own, in Chromium).

A page of a single-file build travels as an attachment or an upload, without the pages
beside it. It finds that out, says so, and turns its links to the missing pages into text;
the clicker's → and Present's last slide stay on it instead of opening an error page.
With the whole folder, nothing of this shows.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from browser import watch

PERIOD = "sino-soviet-split"


def test_a_page_sent_alone_says_so_and_links_nowhere(page: Any, single_site: Path, tmp_path: Path) -> None:
    (tmp_path / "periods").mkdir()
    alone = tmp_path / "periods" / f"{PERIOD}.html"
    shutil.copy(single_site / "periods" / f"{PERIOD}.html", alone)
    log = watch(page)
    page.goto(alone.as_uri())
    page.wait_for_selector("html[data-neighbours=missing]")
    note = page.locator(".alone-note")
    assert note.is_visible()
    assert "saved on its own" in note.inner_text()
    assert page.locator("a[rel=next]").get_attribute("href") is None
    assert page.locator(".timeline a[href]:not(.current)").count() == 0  # every other period: text now
    assert page.locator("a[href^='#'], a[href^='https://']").count() > 0  # its own and outside links stay
    assert page.evaluate("() => window.Atlas.goTo(window.Atlas.page.next)") is False
    page.keyboard.press("ArrowRight")
    page.locator(".present-button").click()
    count = page.evaluate("() => window.Atlas.order.length + 1")
    for _ in range(count):
        page.keyboard.press("PageDown")  # past the last slide: no next period to go to
    page.locator(".present-note", has_text="saved on its own").wait_for()
    assert page.url.startswith(alone.as_uri())
    assert page.locator(".present-progress").inner_text() == f"Slide {count} of {count}"
    assert [error for error in log.errors if "ERR_FILE_NOT_FOUND" not in error] == []


def test_with_its_neighbours_a_single_file_page_links_as_ever(page: Any, single_site: Path) -> None:
    page.goto((single_site / "periods" / f"{PERIOD}.html").as_uri())
    page.wait_for_selector("html[data-neighbours=here]")
    assert page.locator(".alone-note").count() == 0
    assert page.locator("a[rel=next]").get_attribute("href")
    assert page.locator(".timeline a[href]").count() > 1


def test_a_presentation_resumed_in_a_page_sent_alone_stays_on_it(page: Any, single_site: Path, tmp_path: Path) -> None:
    """A reload of a presentation that had gone on to another period (?period=…), in a page
    whose neighbours are not there: the page's own last slide and a note, not an error page."""
    (tmp_path / "periods").mkdir()
    alone = tmp_path / "periods" / f"{PERIOD}.html"
    shutil.copy(single_site / "periods" / f"{PERIOD}.html", alone)
    page.goto(alone.as_uri() + "?present=2&period=border-war-and-enmity")
    page.locator(".present-note", has_text="saved on its own").wait_for()
    assert page.url.startswith(alone.as_uri())
    assert page.locator(".stage-frame.stage-shown").count() == 0


def test_a_lesson_sent_alone_says_so_and_its_maps_still_work(page: Any, single_site: Path, tmp_path: Path) -> None:
    (tmp_path / "lessons").mkdir()
    alone = tmp_path / "lessons" / "railway-that-changed-hands.html"
    shutil.copy(single_site / "lessons" / alone.name, alone)
    page.goto(alone.as_uri())
    page.wait_for_selector("html[data-neighbours=missing]")
    assert "saved on its own" in page.locator(".alone-note").inner_text()
    assert page.locator(".lesson-map figcaption a[href]").count() == 0  # the period pages are not here
    assert page.locator(".atlas-title a[href]").count() == 0
    page.frame_locator(".lesson-map iframe").first.locator(".lesson-mark-note").wait_for()  # its maps work
    page.goto((single_site / "lessons" / alone.name).as_uri())  # with the whole folder: as ever
    page.wait_for_selector("html[data-neighbours=here]")
    assert page.locator(".alone-note").count() == 0
    assert page.locator(".lesson-map figcaption a[href]").count() > 0
