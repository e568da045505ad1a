"""Stage: source.

A sentence names a place as the map beside it does, or gives both names: "Port Arthur was
returned" beside a map labelled Lüshun makes two places of one. `atlas check` warns at the
sentence's line, naming the label to write; an event may use its own day's name, a
period's summary any label of the period, and a lesson's questions after its map may ask
"what is Mukden called on this map?".
"""

from __future__ import annotations

from pathlib import Path

from conftest import run_atlas

PLACES = """\
- id: port-arthur
  name: Port Arthur
  kind: port
  coordinates: [38.81, 121.26]
  names:
    - {name: Port Arthur, lang: en, when: "../1945-08-21"}
    - {name: Lüshun, lang: zh-Latn, when: "1945-08-22/.."}
"""
PERIODS = """\
- id: war
  title: War
  when: "1937/1945-08-21"
- id: after
  title: After the war
  when: "1945-08-22/1955"
"""
EVENTS = """\
- id: taken
  date: "1945-08-22"
  title: Soviet troops land at Port Arthur
  places: [port-arthur]
  summary: SUMMARY
  sources: [{label: Glantz}]
"""
LESSON = """\
# The base

## 1. After the war

NARRATIVE

::: map after event=taken places=port-arthur

**Look at the map:**

- What is Port Arthur called on this map?
"""


def _atlas(root: Path, summary: str, period_summary: str = "", narrative: str = "Soviet troops came.") -> Path:
    folder = root / "atlas"
    (folder / "lessons").mkdir(parents=True)
    (folder / "atlas.yaml").write_text('title: "Test"\n', encoding="utf-8")
    (folder / "places.yaml").write_text(PLACES, encoding="utf-8")
    periods = PERIODS + (f"  summary: {period_summary}\n" if period_summary else "")
    (folder / "periods.yaml").write_text(periods, encoding="utf-8")
    (folder / "events.yaml").write_text(EVENTS.replace("SUMMARY", summary), encoding="utf-8")
    (folder / "lessons" / "base.md").write_text(LESSON.replace("NARRATIVE", narrative), encoding="utf-8")
    return folder


def _warnings(folder: Path) -> list[str]:
    result = run_atlas("check", folder)
    assert result.returncode == 0, result.stderr
    return [line for line in result.stderr.splitlines() if "where its map labels" in line]


def test_a_title_naming_the_place_otherwise_than_its_map_is_a_warning(tmp_path: Path) -> None:
    warnings = _warnings(_atlas(tmp_path, "They landed."))  # the title says Port Arthur, the map Lüshun
    assert len(warnings) == 1
    assert warnings[0].endswith("events.yaml:1: warning: event 'taken' says 'Port Arthur' where its map labels the "
                                "place 'Lüshun': write 'Lüshun', or give both names")


def test_both_names_or_the_label_are_right(tmp_path: Path) -> None:
    folder = _atlas(tmp_path, "They took the base.")
    events = folder / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace("at Port Arthur", "at Lüshun (Port Arthur)"),
                      encoding="utf-8")
    assert _warnings(folder) == []


def test_a_period_summary_may_use_a_label_of_the_period_but_not_another(tmp_path: Path) -> None:
    folder = _atlas(tmp_path, "x", period_summary="Port Arthur changed hands.")
    events = folder / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace("at Port Arthur", "at Lüshun"), encoding="utf-8")
    # The summary is the last period's (after the war): Port Arthur was never its label.
    warnings = _warnings(folder)
    assert len(warnings) == 1 and "period 'after' says 'Port Arthur'" in warnings[0]
    periods = folder / "periods.yaml"
    text = periods.read_text(encoding="utf-8").replace("  summary: Port Arthur changed hands.\n", "")
    periods.write_text(text.replace('  when: "1937/1945-08-21"\n', '  when: "1937/1945-08-21"\n'
                                    "  summary: Japan held Port Arthur.\n"), encoding="utf-8")
    assert _warnings(folder) == []


def test_a_lesson_section_is_read_up_to_its_map_and_its_questions_are_not(tmp_path: Path) -> None:
    folder = _atlas(tmp_path, "x", narrative="Soviet troops held Port Arthur for ten years.")
    events = folder / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace("at Port Arthur", "at Lüshun"), encoding="utf-8")
    warnings = _warnings(folder)
    assert len(warnings) == 1 and "lesson 'base' (its map of after) says 'Port Arthur'" in warnings[0]
    lesson = folder / "lessons" / "base.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("held Port Arthur", "held Lüshun (Port Arthur)"),
                      encoding="utf-8")
    assert _warnings(folder) == []  # "What is Port Arthur called on this map?" stays a question
