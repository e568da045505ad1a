"""Stages: site, cli (pages in Chromium). The words the pages' script writes (the player,
the places list, the count of events outside the view) in the atlas's language, with the
language's plural forms for any count."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from test_interface_language import starter_in

from browser import map_loaded, watch


@pytest.mark.parametrize(("lang", "play", "pause", "places", "status"), [
    ("zh", "播放", "暂停", "本图地点（3）", "第1个事件，共1个：Women's March on Versailles"),
    ("ru", "Показ", "Пауза", "Места на этой карте (3)", "Событие 1 из 1: Women's March on Versailles"),
])
def test_the_player_and_the_places_list_speak_the_atlas_language(laptop: Any, tmp_path: Path, lang: str, play: str,
                                                                 pause: str, places: str, status: str) -> None:
    log = watch(laptop)
    laptop.goto(starter_in(lang, tmp_path).as_uri())
    map_loaded(laptop)
    button = laptop.locator(".player [data-step=play]")
    assert button.inner_text() == play
    assert laptop.locator(".places-select option").first.inner_text() == places
    assert laptop.locator(".places-select").get_attribute("aria-label").startswith(re.split(r" ?[(（]", places)[0])
    laptop.locator(".player [data-step=next]").click()
    laptop.wait_for_function("(want) => document.querySelector('.player-status').textContent === want", arg=status)
    laptop.locator(".player-pace").select_option("15")
    button.click()
    laptop.wait_for_function("(want) => document.querySelector('.player [data-step=play]').textContent === want", arg=pause)
    button.click()
    assert log.errors == []


def test_counts_take_the_russian_plural_forms(laptop: Any, tmp_path: Path) -> None:
    laptop.goto(starter_in("ru", tmp_path).as_uri())
    map_loaded(laptop)
    said = laptop.evaluate("() => [1, 2, 5, 11, 21, 22, 25, 111, 212, 1001].map("
                           "(n) => Atlas.tn('%(num)d event', '%(num)d events', n))")
    assert said == ["1 событие", "2 события", "5 событий", "11 событий", "21 событие", "22 события", "25 событий",
                    "111 событий", "212 событий", "1001 событие"]


def test_an_english_page_carries_no_words_and_writes_its_own(laptop: Any, tmp_path: Path) -> None:
    page = starter_in("en", tmp_path)
    assert '"words": {}' in page.read_text(encoding="utf-8") or '"words":{}' in page.read_text(encoding="utf-8")
    laptop.goto(page.as_uri())
    map_loaded(laptop)
    assert laptop.evaluate("() => [Atlas.tn('%(num)d event', '%(num)d events', 1), "
                           "Atlas.tn('%(num)d event', '%(num)d events', 3)]") == ["1 event", "3 events"]
