"""Stages: site, cli (the default atlas's Chinese and Russian pages in Chromium). Every
period page, the index, the lessons and the compare page say nothing in English but the
author's citations and the text a translation lacks (marked lang="en"); the language
switch keeps the event the reader is on; Present and print work; axe finds nothing serious."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from browser import map_loaded, serious_accessibility_violations, watch
from conftest import ROOT, run_atlas

# What a page may say in Latin letters besides: names of keys and of the map's software,
# the atlas folder's name in the note on embedding, GeoJSON, the project's name, and
# Roman numerals (the CPSU's XXII congress).
ALLOWED = {"Esc", "Page", "Up", "Down", "Space", "Ctrl", "Leaflet", "Natural", "Earth", "GeoJSON", "build",
           "GitHub", "Pages", "atlas", "Tab", "Enter", "Shift"}
ROMAN = re.compile(r"^[IVXLCDM]+$")
# The words a reader sees (text, labels, titles), outside citations, the map's attribution,
# key names and the main language's text standing in for a missing translation. A lesson's
# own text is its author's (with its bibliography, and foreign names it teaches: "沈阳（英文作
# Mukden）"): test_language_sites checks that it is the translation.
LATIN = """() => {
  const skip = 'script,style,[lang="en"],.event-sources,.leaflet-control-attribution,kbd,code,cite,' +
    '.popup-sources-box,textarea,[hidden],main.lesson';
  const found = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walk.nextNode(); node; node = walk.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest(skip) || !el.getClientRects().length) continue;
    for (const word of node.textContent.match(/[A-Za-z]{2,}/g) || []) found.push([word, node.textContent.trim().slice(0, 90)]);
  }
  for (const el of document.querySelectorAll('[aria-label],[title],[alt]')) {
    if (el.closest(skip)) continue;
    for (const name of ['aria-label', 'title', 'alt']) {
      const value = el.getAttribute(name) || '';
      for (const word of value.match(/[A-Za-z]{2,}/g) || []) found.push([word, '@' + name + ': ' + value.slice(0, 90)]);
    }
  }
  return found;
}"""


def english_on(page: Any) -> list[list[str]]:
    return [hit for hit in page.evaluate(LATIN) if hit[0] not in ALLOWED and not ROMAN.match(hit[0])]


def pages_of(site: Path, lang: str) -> list[Path]:
    folder = site / lang
    return [*sorted((folder / "periods").glob("*.html")), folder / "index.html", folder / "compare.html",
            *sorted((folder / "lessons").glob("*.html"))]


@pytest.mark.parametrize("lang", ["zh", "ru"])
def test_no_english_interface_word_on_any_page(laptop: Any, default_site: Path, lang: str) -> None:
    log = watch(laptop)
    pages = pages_of(default_site, lang)
    assert len(pages) == 14
    for path in pages:
        laptop.goto(path.as_uri())
        if "periods" in path.parts:
            map_loaded(laptop)
        assert laptop.evaluate("document.documentElement.lang") == lang
        assert english_on(laptop) == [], path.name
        # A popup too: the first event's, opened from the list.
        if "periods" in path.parts:
            laptop.locator(".event-list .show-on-map").first.click()
            laptop.wait_for_selector(".leaflet-popup-content .popup-title")
            assert english_on(laptop) == [], f"{path.name}: popup"
    assert log.errors == []


@pytest.mark.parametrize(("lang", "present", "slide"), [("zh", "演示", "第1张，共"), ("ru", "Презентация", "Слайд 1 из ")])
def test_present_speaks_the_language_and_the_switch_keeps_the_event(laptop: Any, default_site: Path, lang: str,
                                                                    present: str, slide: str) -> None:
    page = default_site / lang / "periods" / "sino-soviet-alliance.html"
    laptop.goto(page.as_uri() + "#event-sino-soviet-treaty-1950")
    map_loaded(laptop)
    # The reader's own view of the map comes along too.
    laptop.evaluate("Atlas.map.setView([45.75, 126.65], 7, {animate: false})")
    map_loaded(laptop)
    link = laptop.locator('.languages a[hreflang="en"]')
    link.click()
    laptop.wait_for_url(re.compile(r"/periods/sino-soviet-alliance\.html#event-sino-soviet-treaty-1950$"))
    map_loaded(laptop)
    assert laptop.evaluate("document.documentElement.lang") == "en"
    assert "/zh/" not in laptop.url and "/ru/" not in laptop.url
    view = laptop.evaluate("[Atlas.map.getCenter().lat, Atlas.map.getCenter().lng, Atlas.map.getZoom()]")
    assert abs(view[0] - 45.75) < 0.5 and abs(view[1] - 126.65) < 0.5 and view[2] == 7, view
    laptop.goto(page.as_uri())
    map_loaded(laptop)
    laptop.locator(".present-button").click()
    assert laptop.locator(".present-button").inner_text() == present
    laptop.wait_for_selector(".present-panel .present-progress")
    assert laptop.locator(".present-panel .present-progress").inner_text().startswith(slide)
    assert english_on(laptop) == []
    laptop.keyboard.press("PageDown")
    laptop.wait_for_function("() => /2/.test(document.querySelector('.present-panel .present-progress').textContent)")


@pytest.mark.parametrize("lang", ["zh", "ru"])
def test_a_printed_period_page_keeps_every_event_and_is_accessible(laptop: Any, default_site: Path, lang: str) -> None:
    laptop.goto((default_site / lang / "periods" / "road-to-the-split.html").as_uri())
    map_loaded(laptop)
    assert serious_accessibility_violations(laptop) == []
    events = laptop.locator(".event-list > li").count()
    assert events > 5
    laptop.emulate_media(media="print")
    shown = laptop.evaluate("() => [...document.querySelectorAll('.event-list > li')]"
                            ".filter(li => li.getClientRects().length).length")
    assert shown == events
    assert len(laptop.pdf()) > 10_000


def test_an_atlas_in_arabic_lays_out_right_to_left(laptop: Any, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_atlas("build", ROOT / "tests" / "samples" / "rtl-arabic", "-o", out)
    assert result.returncode == 0, result.stderr
    log = watch(laptop)
    laptop.goto((out / "periods" / "baghdad-capital.html").as_uri())
    map_loaded(laptop)
    assert laptop.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    width = laptop.evaluate("document.documentElement.clientWidth")
    # The page mirrors: the title and the events list start at the right; nothing lies
    # off to one side for the page to scroll to.
    title = laptop.evaluate("(() => { const r = document.createRange();"
                            " r.selectNodeContents(document.querySelector('.period-header h1'));"
                            " return r.getBoundingClientRect().toJSON(); })()")
    assert width - title["right"] < 40 and title["left"] > width / 3
    assert laptop.evaluate("document.documentElement.scrollWidth") == width
    assert laptop.locator(".stepper a[rel=prev]").inner_text().startswith("→")  # back is to the right
    events = laptop.locator("#events").bounding_box()
    assert events["x"] < width / 3  # beside the map, on its left
    # The map does not mirror: north up, east to the right (Baghdad east of Damascus).
    assert laptop.evaluate("getComputedStyle(document.querySelector('.leaflet-container')).direction") == "ltr"
    assert laptop.evaluate("document.querySelector('.event-date').textContent.trim()") == "30 يوليو 762 م"
    assert english_on(laptop) == []
    assert log.errors == []  # (before axe, whose reading of the style sheets the page's policy refuses)
    assert serious_accessibility_violations(laptop) == []
