"""Stage: site (lessons on paper and as slides, in Chromium).

A lesson printed to PDF is a worksheet: every map shows its event and the names its
questions ask about (read back from the PDF's text), each map on the same sheet as its
questions; a printed period page's map shows every event of the period. A lesson's slides
are driven as a tablet drives them: buttons, a swipe, a tap on the text's side, a blank
screen, and a reload that goes on from the slide it was on.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from browser import ARTIFACTS, map_idle, still, watch
from conftest import ROOT, map_features, run_atlas

TABLET = {"viewport": {"width": 820, "height": 1180}, "is_mobile": True, "has_touch": True}
DIRECTIVE = re.compile(r"^:::\s*map\s+(\S+)(.*)$", re.MULTILINE)


@dataclass(frozen=True)
class LessonMap:
    """A lesson's map as its Markdown asks for it, and its first question."""

    period: str
    event: str | None
    places: tuple[str, ...]
    question: str


def lesson_maps(lesson: Path) -> list[LessonMap]:
    text = lesson.read_text(encoding="utf-8")
    maps = []
    for found in DIRECTIVE.finditer(text):
        options = dict(word.partition("=")[::2] for word in found.group(2).split())
        after = re.split(r"\n(?:#|:::)", text[found.end():], maxsplit=1)[0]  # up to a heading or the next map
        questions = [line[2:] for line in after.splitlines() if line.startswith("- ") and "?" in line]
        maps.append(LessonMap(found.group(1), options.get("event"), tuple(filter(None, options.get("places", "").split(","))),
                              questions[0] if questions else ""))
    return maps


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def printed(page: Any, url: str) -> list[str]:
    """Open a lesson, wait until it says every map is drawn, print it on A4: each sheet's text."""
    page.goto(url)
    page.wait_for_function("() => document.documentElement.hasAttribute('data-maps-ready')")
    assert page.locator(".lesson-print-wait").count() == 0  # the note a too-early print carries is gone
    pdf = page.pdf(format="A4")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"worksheet-{Path(url).stem}.pdf").write_bytes(pdf)
    return [flat(sheet.extract_text() or "") for sheet in PdfReader(io.BytesIO(pdf)).pages]


def check_worksheet(page: Any, site: Path, lesson: Path) -> None:
    """A lesson's worksheet; a translated lesson (`<id>.<lang>.md`) is its language's site's."""
    stem, _, lang = lesson.stem.partition(".")
    site = site / lang if lang else site
    sheets = printed(page, (site / "lessons" / f"{stem}.html").as_uri())
    maps = lesson_maps(lesson)
    assert maps
    for asked in maps:
        features = map_features(site / "embed" / f"{asked.period}.html")
        with_map = [sheet for sheet in sheets if not asked.event or flat(features[asked.event]["title"]) in sheet]
        assert with_map, f"{asked.event}: not named on its map"
        # The names written on the map, as the map's day has them, on the sheet of the map.
        for place in asked.places:
            name = flat(features[place]["name"])
            assert any(name in sheet for sheet in with_map), f"{asked.period}: {place} ({name}) is not named"
        if asked.question:  # the questions on the same sheet as their map
            assert any(flat(asked.question)[:40] in sheet for sheet in with_map), asked.question
    # Each map's frame: its event ringed inside the map, no popup over it.
    frames = [frame for frame in page.frames if frame.parent_frame]
    assert len(frames) == len(maps)
    for frame in frames:
        assert frame.evaluate("""() => {
          const mark = new URLSearchParams(location.search).get('mark') || (Atlas.page.mark || '');
          if (!mark) return true;
          const layer = Atlas.layersById[mark];
          const dots = layer.getLayers ? layer.getLayers() : [layer];
          return dots.every(d => Atlas.map.getBounds().contains(d.getLatLng()))
            && document.querySelectorAll('.lesson-mark').length === dots.length
            && !document.querySelector('.leaflet-popup');
        }""")


@pytest.mark.parametrize("lesson", sorted((ROOT / "places" / "lessons").glob("*.md")), ids=lambda path: path.stem)
def test_a_printed_lesson_is_a_worksheet(page: Any, default_site: Path, lesson: Path) -> None:
    log = watch(page)
    check_worksheet(page, default_site, lesson)
    assert log.errors == [] and log.tile_requests == []


def test_the_starter_lesson_prints_as_a_worksheet(page: Any, tmp_path: Path) -> None:
    assert run_atlas("new", tmp_path / "mine").returncode == 0
    assert run_atlas("build", tmp_path / "mine", "-o", tmp_path / "site").returncode == 0
    for lesson in sorted((tmp_path / "mine" / "lessons").glob("*.md")):
        check_worksheet(page, tmp_path / "site", lesson)


def test_a_single_file_lesson_prints_its_maps(page: Any, single_site: Path) -> None:
    """Its maps are srcdoc frames, with their event and places in their page data."""
    sheets = printed(page, (single_site / "lessons" / "railway-that-changed-hands.html").as_uri())
    text = "".join(sheets)
    for name in ("Yalta agreement on the Far East", "Hsinking", "Lüshun", "Port Arthur–Dairen area"):
        assert flat(name) in text, name


def test_a_printed_period_map_shows_every_event(laptop: Any, default_site: Path) -> None:
    """On screen the period's own view stands; paper cannot be panned, so it shows them all."""
    for period in ("border-war-and-enmity", "war-against-japan"):
        laptop.goto((default_site / "periods" / f"{period}.html").as_uri())
        map_idle(laptop)
        laptop.evaluate("""() => matchMedia('print').addEventListener('change', (e) => {
          if (!e.matches) return;
          const shown = Atlas.map.getBounds();
          window.__printed = Atlas.order.filter((id) => {
            const layer = Atlas.layersById[id];
            return (layer.getLayers ? layer.getLayers() : [layer]).some((dot) => shown.contains(dot.getLatLng()));
          }).length;
          window.__names = document.querySelectorAll('.atlas-label').length;
        })""")
        laptop.pdf(format="A4")
        assert laptop.evaluate("[window.__printed, Atlas.order.length]") == [len(laptop.evaluate("Atlas.order"))] * 2
        assert laptop.evaluate("window.__names") >= 10


@pytest.fixture
def tablet(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(**TABLET)
    page = context.new_page()
    yield page
    context.close()


def test_a_lesson_is_presented_by_touch(tablet: Any, default_site: Path) -> None:
    log = watch(tablet)
    lesson = default_site / "lessons" / "railway-that-changed-hands.html"
    slides = lesson.read_text(encoding="utf-8").count("<h2>") + 1
    tablet.goto(lesson.as_uri() + "?present")
    progress = tablet.locator(".lesson-progress")
    assert progress.inner_text() == f"Slide 1 of {slides}"
    assert tablet.locator(".lesson-keys").inner_text().startswith("Swipe, or tap")  # not keys a tablet lacks
    assert [tablet.locator(".lesson-controls button").nth(i).get_attribute("aria-label") for i in range(4)] == [
        "Previous slide", "Next slide", "Full screen", "Leave the presentation"]
    forward = tablet.get_by_role("button", name="Next slide")
    still(forward)
    forward.tap()
    assert progress.inner_text() == f"Slide 2 of {slides}"
    # A swipe to the left across the text: the next slide.
    text = tablet.locator("main.lesson h2:visible")
    box = text.bounding_box()
    y = box["y"] + box["height"] / 2
    tablet.mouse.move(box["x"] + 300, y)
    tablet.mouse.down()
    tablet.mouse.move(box["x"] + 100, y + 10, steps=4)
    tablet.mouse.up()
    assert progress.inner_text() == f"Slide 3 of {slides}"
    # A tap on the left third of the text: back.
    tablet.touchscreen.tap(15, box["y"] + box["height"] + 60)
    assert progress.inner_text() == f"Slide 2 of {slides}"
    # The slide is in the address: a reload goes on from it.
    assert tablet.url.endswith("?present=2")
    tablet.reload()
    assert progress.inner_text() == f"Slide 2 of {slides}"
    assert tablet.locator("main.lesson .lesson-map:visible iframe").count() == 1
    leave = tablet.get_by_role("button", name="Leave the presentation")
    still(leave)
    leave.tap()
    assert tablet.locator(".lesson-bar").count() == 0 and "present" not in tablet.url
    assert log.errors == [] and log.dialogs == []


def test_a_lesson_slide_blanks_to_black_and_white(page: Any, default_site: Path) -> None:
    page.goto((default_site / "lessons" / "railway-that-changed-hands.html").as_uri() + "?present=3")
    progress = page.locator(".lesson-progress")
    assert progress.inner_text().startswith("Slide 3 of")
    assert page.locator(".lesson-keys").inner_text().endswith("B: black screen · Esc: leave")
    page.keyboard.press("b")
    assert page.locator(".present-curtain-black").count() == 1
    page.keyboard.press("PageDown")  # the first key only brings the slide back
    assert page.locator(".present-curtain").count() == 0 and progress.inner_text().startswith("Slide 3 of")
    page.keyboard.press(",")
    assert page.locator(".present-curtain-white").count() == 1
    page.locator(".present-curtain").click()
    assert page.locator(".present-curtain").count() == 0
    page.keyboard.press("PageDown")
    assert progress.inner_text().startswith("Slide 4 of")
    # The map on the slide marks its event, with no popup over what the questions ask about.
    frame = page.frame_locator("main.lesson .lesson-map:visible iframe")
    frame.locator(".lesson-mark-note").wait_for()
    assert frame.locator(".leaflet-popup").count() == 0
