"""Stage: formats.

StoryMapJS's own examples (tests/samples/formats/real/, from the project's
compiled/examples/, see SOURCES.md) imported as they are: each is refused for a stated
reason (a gigapixel story) or imported and built, its slides, headlines, dates and
coordinates compared with the file as this test reads it, on its own (JSON, the tags
stripped by a regular expression, a date read only where it is a year of four digits:
these files write no other readable dates).

Until the core takes events without a date, `atlas check` after the import stops at the
undated slides' events; the test then checks that this is the only error, and the import
output (events.yaml) itself.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT, run_atlas

REAL = ROOT / "tests" / "samples" / "formats" / "real"


def records(folder: Path, name: str) -> list[dict[str, Any]]:
    return yaml.safe_load((folder / f"{name}.yaml").read_text(encoding="utf-8")) or []


def text_of(markup: Any) -> str:
    """A field's text, read here without the importer's code: tags out, entities decoded."""
    words = re.sub(r"<[^>]*>", " ", str(markup or ""))
    return " ".join(html.unescape(words).split())


def expected_events(story: dict[str, Any]) -> list[dict[str, Any]]:
    """What each slide should become: its headline, its date (a four-digit year, else none)
    and its point (none on an overview slide, which shows the whole map)."""
    slides = story["slides"]
    if slides and slides[0].get("type") == "overview":
        slides = slides[1:]
    expected = []
    for slide in slides:
        location = slide.get("location") or {}
        date = str(slide.get("date") or "").strip()
        point = [round(float(location["lat"]), 6), round(float(location["lon"]), 6)] if (
            location.get("lat") not in (None, "") and slide.get("type") != "overview") else None
        expected.append({"title": text_of((slide.get("text") or {}).get("headline")),
                         "date": date if re.fullmatch(r"\d{4}", date) else None, "point": point})
    return expected


def only_undated(result: Any) -> bool:
    """Whether `atlas check` failed only for events without a date (the core's part)."""
    errors = [line for line in result.stderr.splitlines() if ": " in line and "warning:" not in line]
    return bool(errors) and all(line.endswith("event is missing required field 'date'") for line in errors)


@pytest.mark.parametrize("name", ["population", "president", "katrina", "marktwain", "bob-boilen"])
def test_a_storymapjs_example_imports_as_its_file_says(tmp_path: Path, name: str) -> None:
    path = REAL / f"storymapjs-{name}.json"
    story = json.loads(path.read_text(encoding="utf-8"))["storymap"]
    folder = tmp_path / name
    result = run_atlas("import", path, "-o", folder)
    assert result.returncode == 0 or (result.returncode == 2 and only_undated(result)), result.stderr
    assert "Traceback" not in result.stderr
    places = {place["id"]: place["coordinates"] for place in records(folder, "places")}
    got = [{"title": event["title"], "date": event.get("date"),
            "point": places[event["places"][0]] if event.get("places") else None}
           for event in records(folder, "events")]
    wanted = expected_events(story)
    for n, event in enumerate(wanted):
        if not event["title"]:  # an empty headline: "Slide n"
            event["title"] = f"Slide {n + (story['slides'][0].get('type') == 'overview')}"
    assert got == wanted
    if result.returncode == 0:
        assert run_atlas("build", folder, "-o", tmp_path / "site").returncode == 0


def test_the_examples_notes_say_what_was_left_out(tmp_path: Path) -> None:
    result = run_atlas("import", REAL / "storymapjs-katrina.json", "-o", tmp_path / "katrina")
    assert "event 'aug-23': its date \"Aug 23\" is not one date atlas can read" in result.stdout
    assert "1 slide of the overview type after the first: such a slide shows the whole map, not its location" in result.stdout
    assert "4 slides' backgrounds (colour or image) left out" in result.stdout
    result = run_atlas("import", REAL / "storymapjs-president.json", "-o", tmp_path / "president")
    assert "21 slides give lat and lon as text" in result.stdout
    result = run_atlas("import", REAL / "storymapjs-bob-boilen.json", "-o", tmp_path / "bob")
    assert "the story's map is its own tiles" in result.stdout


def test_a_gigapixel_example_is_refused_and_nothing_written(tmp_path: Path) -> None:
    result = run_atlas("import", REAL / "storymapjs-seurat.json", "-o", tmp_path / "seurat")
    assert result.returncode == 2
    assert "storymapjs-seurat.json:/storymap/map_type: a gigapixel story" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "seurat").exists()
