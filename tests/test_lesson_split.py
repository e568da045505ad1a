"""Stage: all (content: the default atlas's lesson "The split, 1956–69").

Each of the lesson's questions is answered from the map beside it: a label, the note
over the map that names the ringed event, a popup, the legend or the scale bar. Read
from the built lesson page: each section's map (its iframe's period, ringed event and
the places it names first) shows the labels its questions ask about, and the note,
popups and legend say what its questions ask for. If a place's name changes in
places.yaml, or a period is re-cut so that an event leaves it, this says which section
of the lesson to rewrite.

A place that is one of the ringed event's places opens the event's popup when clicked,
not its own: the questions ask for a place's popup only where the place is not ringed.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from browser import watch
from conftest import map_features

LESSON = "the-split"
FRAME = re.compile(r'<iframe src="\.\./embed/([a-z0-9-]+)\.html\?lesson&amp;mark=([a-z0-9-]+)&amp;places=([a-z0-9,-]+)"')


@dataclass(frozen=True)
class Section:
    period: str
    mark: str
    labels: dict[str, str]  # place id → the label a question asks about, as the map writes it
    note: str = ""  # words in the ringed event's title, which the note over the map shows
    popups: dict[str, tuple[str, str]] = field(default_factory=dict)  # id → (popup field, words it holds)
    legend: str = ""  # words in the map's legend
    answers: frozenset[str] = frozenset()  # places whose label answers a question, so not in the text


SECTIONS = {
    "1. 1956–57: one camp, two leaders": Section(
        "road-to-the-split", "moscow-conference-1957", {"moscow": "Moscow", "beijing": "Beijing"}),
    "2. 1958: a fleet refused, an island shelled": Section(
        "road-to-the-split", "second-taiwan-strait-crisis", {"jinmen": "Jinmen", "taipei": "Taipei"},
        note="Jinmen (Quemoy)"),
    "3. 1959–60: quarrels in the open, experts recalled": Section(
        "road-to-the-split", "soviet-experts-withdrawn",
        {"anshan": "Anshan", "changchun": "Changchun", "harbin": "Harbin", "wuhan": "Wuhan"},
        legend="Railway control: Chinese", answers=frozenset({"anshan", "changchun"})),
    "4. 1961–62: Xinjiang and the Himalayas": Section(
        "road-to-the-split", "yi-ta-incident", {"yining": "Yining"}, answers=frozenset({"yining"})),
    "5. 1963–64: open polemics and old treaties": Section(
        "sino-soviet-split", "border-talks-1964", {"vladivostok": "Vladivostok", "khabarovsk": "Khabarovsk"},
        popups={"vladivostok": ("kind_label", "Port")}),
    "6. March 1969: Zhenbao Island (Damansky)": Section(
        "border-war-and-enmity", "zhenbao-island-clashes",
        {"zhenbao-island": "Zhenbao Island", "khabarovsk": "Khabarovsk"}, note="Zhenbao (Damansky)"),
    "7. August 1969: Tielieketi (Terekty), and a war scare": Section(
        "border-war-and-enmity", "tielieketi-incident",
        {"tielieketi": "Tielieketi", "zhenbao-island": "Zhenbao Island"}, note="Lake Zhalanashkol"),
}


def sections(page: str) -> dict[str, str]:
    """The lesson page's sections, by heading: each heading's HTML up to the next one."""
    parts = re.split(r"<h2>(.*?)</h2>", page)
    return {html.unescape(parts[i]): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def words(value: Any) -> str:
    return " · ".join(value) if isinstance(value, list) else str(value or "")


def legend(embed: str) -> str:
    """The words of an embedded map's legend."""
    found = re.search(r'<details class="embed-legend">(.*?)</details>', embed, re.DOTALL)
    assert found, "the map has a legend"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())


@pytest.fixture(scope="module")
def lesson(default_site: Path) -> dict[str, str]:
    return sections((default_site / "lessons" / f"{LESSON}.html").read_text(encoding="utf-8"))


def test_the_lesson_has_a_map_for_each_section(lesson: dict[str, str]) -> None:
    mapped = [heading for heading, text in lesson.items() if "<iframe" in text]
    assert mapped == list(SECTIONS)


@pytest.mark.parametrize("heading", list(SECTIONS))
def test_each_map_shows_what_its_questions_ask_about(heading: str, lesson: dict[str, str], default_site: Path) -> None:
    expected = SECTIONS[heading]
    text = html.unescape(lesson[heading])
    frames = FRAME.findall(lesson[heading])
    assert len(frames) == 1, f"{heading}: one map"
    period, mark, named = frames[0]
    assert (period, mark) == (expected.period, expected.mark)
    embed = default_site / "embed" / f"{period}.html"
    features = map_features(embed)
    assert mark in features, f"{heading}: the ringed event is on the {period} map"
    ringed = set(features[mark].get("places") or [])
    for place, label in expected.labels.items():
        assert place in features, f"{heading}: {place} is on the {period} map"
        name = features[place]["name"]
        # Named first, so written on the map: asked for by the directive, or one of the ringed event's places.
        assert place in named.split(",") or name in ringed, f"{heading}: {place} is named on the map"
        # The label, or the label with another name in brackets ("Yining (Ghulja)" for "Yining").
        assert name == label or name.startswith(f"{label} ("), f"{heading}: {place} is labelled {name!r}, not {label!r}"
        assert place in expected.answers or label in text, f"{heading}: the text or a question names {label}"
    assert expected.note in features[mark]["title"], f"{heading}: the note over the map says {expected.note!r}"
    for place, (key, said) in expected.popups.items():
        assert features[place]["name"] not in ringed, f"{heading}: {place} opens its own popup, not the event's"
        assert said in words(features[place].get(key)), f"{heading}: {place}'s popup ({key}) says {said!r}"
    assert expected.legend in legend(embed.read_text(encoding="utf-8")), f"{heading}: the legend says {expected.legend!r}"


def test_the_zhenbao_popup_quotes_moscow_s_account(default_site: Path) -> None:
    """Section 6 asks whom Moscow's account blames: the ringed dot's popup shows its first quote.
    The ringed dot is the only event at the island on that map, so a click opens this popup."""
    features = map_features(default_site / "embed" / "border-war-and-enmity.html")
    at_the_island = [key for key, value in features.items() if "Zhenbao Island" in str(value.get("places", ""))]
    assert at_the_island == ["zhenbao-island-clashes"]
    quotes = [medium for medium in features["zhenbao-island-clashes"].get("media", []) if medium.get("kind") == "quote"]
    assert quotes[0]["caption"] == "Moscow's account"
    assert "Chinese authorities organized an armed provocation" in quotes[0]["quote"][:140]


def test_the_clashes_of_1969_are_drawn_on_their_maps(default_site: Path) -> None:
    """The two border clashes are drawn (an area around each) on the 1969 map of their sections."""
    features = map_features(default_site / "embed" / "border-war-and-enmity.html")
    for event in ("zhenbao-island-clashes", "tielieketi-incident"):
        assert features[event].get("area"), f"{event} is drawn as an area"


def test_in_a_browser_each_map_writes_the_names_its_questions_ask_about(page: Any, default_site: Path) -> None:
    """On the lesson page in Chromium: each map's note names its event, and the labels the
    questions ask about are written on the map, not hidden behind other names."""
    log = watch(page)
    page.goto((default_site / "lessons" / f"{LESSON}.html").as_uri())
    figures = page.locator("main.lesson .lesson-map")
    assert figures.count() == len(SECTIONS)
    for index, (heading, expected) in enumerate(SECTIONS.items()):
        figure = figures.nth(index)
        figure.scroll_into_view_if_needed()
        frame = figure.locator("iframe").content_frame
        frame.locator("html[data-map-ready]").wait_for(state="attached")
        assert expected.note in frame.locator(".lesson-mark-note").inner_text(), heading
        for place, label in expected.labels.items():
            written = frame.locator(f'.atlas-label[data-label="{place}"]')
            assert written.count() == 1 and written.is_visible(), f"{heading}: {place} is written on the map"
            name = written.inner_text()
            assert name == label or name.startswith(f"{label} ("), f"{heading}: {place} is written {name!r}"
    assert log.errors == []
