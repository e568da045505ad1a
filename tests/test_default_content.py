"""Stage: all (the default atlas's content).

What the default atlas says to its readers is the history, not the fact-checking: no page,
popup, slide, lesson or data download mentions "the source excerpt", "we could not…" or
places/NOTES.md (those belong in `note:`, which readers never see). Every event cites a
source, and every place has its names in Chinese characters and in Russian, ready for the
reader's-language pages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from atlas.building.pipeline import check
from atlas.source.model import Atlas, Event, Period, Place

from conftest import ROOT, map_features, run_atlas

# A fact-checker's aside, in any file a reader can open.
ASIDES = re.compile(r"excerpt|we could|we did not|notes\.md|unverified|could not (?:be )?(?:confirm|verif)", re.I)
HAN = re.compile(r"[\u3400-\u9fff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return check(ROOT / "places")[0]


def test_no_built_file_speaks_as_a_fact_checker(default_site: Path) -> None:
    found = []
    for path in sorted(default_site.rglob("*")):
        if path.suffix in (".html", ".js", ".geojson", ".json") and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            found += [f"{path.relative_to(default_site)}: …{text[max(0, m.start() - 60):m.end() + 40]}…"
                      for m in ASIDES.finditer(text)]
    assert found == []


def test_no_source_field_a_reader_sees_speaks_as_a_fact_checker(atlas: Atlas) -> None:
    fields = [(e.id, "summary", e.summary) for e in atlas.events] + [(e.id, "title", e.title) for e in atlas.events]
    fields += [(p.id, "description", p.description) for p in atlas.places]
    fields += [(p.id, "summary", p.summary) for p in atlas.periods]
    fields += [("atlas.yaml", "credits", atlas.info.credits)]
    fields += [(e.id, "caption", m.caption) for e in atlas.events for m in e.media]
    fields += [(lesson.id, "lesson", str(lesson.parts)) for lesson in atlas.lessons]
    assert [(who, field) for who, field, text in fields if ASIDES.search(text)] == []


def test_every_event_cites_a_source(atlas: Atlas) -> None:
    assert [event.id for event in atlas.events if not event.sources] == []
    assert [event.id for event in atlas.events if not any(source.label.strip() for source in event.sources)] == []


def _written(place: Place) -> list[str]:
    """Every form of every name of the place, in every language tag."""
    texts = [form.text for form in place.forms]
    texts += [form.text for name in place.names for form in name.forms]
    return [*texts, place.name]


def test_every_place_has_a_chinese_and_a_russian_name(atlas: Atlas) -> None:
    missing = {place.id: [script for script, pattern in (("Chinese", HAN), ("Russian", CYRILLIC))
                          if not any(pattern.search(text) for text in _written(place))]
               for place in atlas.places}
    assert {place: scripts for place, scripts in missing.items() if scripts} == {}


def test_no_sentence_names_a_place_otherwise_than_its_map() -> None:
    result = run_atlas("check", ROOT / "places")
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if "where its map labels" in line] == []


def test_every_note_is_a_note_and_not_a_summary(atlas: Atlas) -> None:
    """The asides moved into `note:` are there: the default atlas keeps its fact-checking."""
    records: list[Event | Place | Period] = [*atlas.events, *atlas.places, *atlas.periods]
    noted = [record.id for record in records if record.note.strip()]
    assert len(noted) >= 14


def test_no_battlefield_is_labelled_before_its_battle(default_site: Path) -> None:
    early = map_features(default_site / "periods" / "comintern-and-first-united-front.html")
    later = ("zhenbao-island", "tielieketi", "lake-khasan", "khalkhin-gol", "khunjerab-pass", "cao-bang", "lop-nur",
             "peitashan", "jinmen", "new-delhi")
    assert [place for place in later if place in early] == []
    assert "harbin" in early and "moscow" in early
    clashes = map_features(default_site / "periods" / "border-war-and-enmity.html")
    assert {"zhenbao-island", "tielieketi", "lake-khasan"} <= set(clashes)
