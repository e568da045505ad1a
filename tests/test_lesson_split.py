"""Stage: all (content: the default atlas's lesson "The split, 1956–69").

Each of the lesson's questions is answered from the map beside it: a label, a popup, a
colour or the scale bar. Read from the built lesson page: each section's map (its
iframe's period, ringed event and the places it names first) shows the labels its
questions ask about, and the popups say what the "click it" questions ask for. If a
place's name changes in places.yaml, or a period is re-cut so that an event leaves it,
this says which section of the lesson to rewrite.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from conftest import map_features

LESSON = "the-split"
FRAME = re.compile(r'<iframe src="\.\./embed/([a-z0-9-]+)\.html\?lesson&amp;mark=([a-z0-9-]+)&amp;places=([a-z0-9,-]+)"')


@dataclass(frozen=True)
class Section:
    period: str
    mark: str
    labels: dict[str, str]  # place id → the label a question asks about (or its answer)
    popups: dict[str, tuple[str, str]] = field(default_factory=dict)  # place id → (popup field, words it holds)
    answers: frozenset[str] = frozenset()  # places whose label is a question's answer, not in the text


SECTIONS = {
    "1. 1956–57: one camp, two leaders": Section(
        "road-to-the-split", "moscow-conference-1957", {"moscow": "Moscow", "beijing": "Beijing"}),
    "2. 1958: a fleet refused, an island shelled": Section(
        "road-to-the-split", "second-taiwan-strait-crisis", {"jinmen": "Jinmen", "taipei": "Taipei"},
        {"jinmen": ("others", "Quemoy"), "taipei": ("roles", "Seat of government of the Republic of China")}),
    "3. 1959–60: quarrels in the open, experts recalled": Section(
        "road-to-the-split", "soviet-experts-withdrawn",
        {"anshan": "Anshan", "changchun": "Changchun", "mukden": "Shenyang", "harbin": "Harbin", "wuhan": "Wuhan"},
        {"mukden": ("others", "Mukden"), "cer-southern-branch": ("control_history", "Chinese")},
        frozenset({"mukden"})),
    "4. 1961–62: Xinjiang and the Himalayas": Section(
        "road-to-the-split", "yi-ta-incident", {"yining": "Yining"}, {"yining": ("others", "Kuldja")}),
    "5. 1963–64: open polemics and old treaties": Section(
        "sino-soviet-split", "border-talks-1964", {"vladivostok": "Vladivostok", "khabarovsk": "Khabarovsk"},
        {"vladivostok": ("kind_label", "Port")}),
    "6. March 1969: Zhenbao Island (Damansky)": Section(
        "border-war-and-enmity", "zhenbao-island-clashes",
        {"zhenbao-island": "Zhenbao Island (Damansky)", "khabarovsk": "Khabarovsk"}),
    "7. August 1969: Tielieketi (Terekty), and a war scare": Section(
        "border-war-and-enmity", "tielieketi-incident",
        {"tielieketi": "Tielieketi (Terekty)", "zhenbao-island": "Zhenbao Island (Damansky)"}),
}


def sections(page: str) -> dict[str, str]:
    """The lesson page's sections, by heading: each heading's HTML up to the next one."""
    parts = re.split(r"<h2>(.*?)</h2>", page)
    return {html.unescape(parts[i]): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def words(value: Any) -> str:
    return " · ".join(value) if isinstance(value, list) else str(value or "")


@pytest.fixture(scope="module")
def lesson(default_site: Path) -> dict[str, str]:
    return sections((default_site / "lessons" / f"{LESSON}.html").read_text(encoding="utf-8"))


def test_the_lesson_has_a_map_for_each_section(lesson: dict[str, str]) -> None:
    mapped = [heading for heading, text in lesson.items() if "<iframe" in text]
    assert mapped == list(SECTIONS)


@pytest.mark.parametrize("heading", list(SECTIONS))
def test_each_map_shows_what_its_questions_ask_about(heading: str, lesson: dict[str, str], default_site: Path) -> None:
    expected = SECTIONS[heading]
    text = lesson[heading]
    frames = FRAME.findall(text)
    assert len(frames) == 1, f"{heading}: one map"
    period, mark, named = frames[0]
    assert (period, mark) == (expected.period, expected.mark)
    features = map_features(default_site / "embed" / f"{period}.html")
    assert mark in features, f"{heading}: the ringed event is on the {period} map"
    event_places = set(features[mark].get("places") or [])
    for place, label in expected.labels.items():
        # Named first on the map: asked for by the directive, or the ringed event's own place.
        assert place in named.split(",") or features[place]["name"] in event_places, f"{heading}: {place} is named"
        assert place in features, f"{heading}: {place} is on the {period} map"
        assert features[place]["name"].startswith(label), f"{heading}: {place} is labelled {features[place]['name']!r}"
        if place not in expected.answers:
            assert label.split(" (")[0] in html.unescape(text), f"{heading}: the text or a question names {label}"
    for place, (key, said) in expected.popups.items():
        assert said in words(features[place].get(key)), f"{heading}: {place}'s popup ({key}) says {said!r}"


def test_both_accounts_of_zhenbao_are_in_its_popup(default_site: Path) -> None:
    """Section 6 asks whom Moscow's and Beijing's accounts blame: the ringed dot's popup quotes both."""
    features = map_features(default_site / "embed" / "border-war-and-enmity.html")
    captions = [medium.get("caption") for medium in features["zhenbao-island-clashes"].get("media", [])]
    assert "Moscow's account" in captions and any("Peking" in str(c) or "Beijing" in str(c) for c in captions)


def test_the_clashes_of_1969_are_drawn_on_their_maps(default_site: Path) -> None:
    """The two border clashes are drawn (an area around each), on the 1969 map of their section."""
    features = map_features(default_site / "embed" / "border-war-and-enmity.html")
    for event in ("zhenbao-island-clashes", "tielieketi-incident"):
        assert features[event].get("area"), f"{event} is drawn as an area"
