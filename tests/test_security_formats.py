"""`atlas export` and `atlas import` with hostile files and folders: text escaped for each
format's fields and read back exactly; spreadsheet cells that a spreadsheet would run as
formulas neutralised; an import writes only inside its atlas folder; odd and huge input
ends in a located error (exit 2), never a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hostile_atlas import (
    CAPTION,
    CREDIT,
    EVENT,
    HOSTILE,
    LABEL,
    PERIOD,
    PERIOD_SUMMARY,
    PICTURE,
    PLACE,
    QUOTE,
    QUOTED_FROM,
    SUBTITLE,
    SUMMARY,
    TITLE,
    write_hostile_atlas,
)

from atlas.formats.common import slug

from conftest import run_atlas


def records(folder: Path, name: str) -> Any:
    return yaml.safe_load((folder / f"{name}.yaml").read_text(encoding="utf-8"))


def round_trip(tmp_path: Path, fmt: str) -> Path:
    """The hostile atlas exported in `fmt`, and imported again into a new folder."""
    source = tmp_path / "hostile"
    write_hostile_atlas(source)
    exported = tmp_path / f"export.{fmt}"
    result = run_atlas("export", source, "--format", fmt, "-o", exported)
    assert result.returncode == 0, result.stderr
    back = tmp_path / "back"
    result = run_atlas("import", exported, "-o", back, "--format", fmt)
    assert result.returncode == 0, result.stderr
    return back


QUOTATION = {"quote": QUOTE, "source": QUOTED_FROM, "caption": CAPTION}
LINKED = {"url": PICTURE, "credit": CREDIT, "caption": CAPTION}


def test_the_timelinejs_export_reads_back_to_the_very_text(tmp_path: Path) -> None:
    back = round_trip(tmp_path, "timelinejs")
    assert yaml.safe_load((back / "atlas.yaml").read_text(encoding="utf-8"))["title"] == TITLE
    assert yaml.safe_load((back / "atlas.yaml").read_text(encoding="utf-8"))["subtitle"] == SUBTITLE
    events = {event["id"]: event for event in records(back, "events")}
    where = f"\n\nWhere: {PLACE}."
    assert events["quoted"]["title"] == EVENT
    assert events["quoted"]["summary"] == SUMMARY + where
    assert events["quoted"]["media"] == [QUOTATION]
    assert events["pictured"]["title"] == f"Pictured {HOSTILE}"
    assert events["pictured"]["media"] == [LINKED]
    assert events["approximate"]["summary"] == SUMMARY + where + "\n\n(Dated in the timeline: c. 1933)"
    assert events["approximate"]["category"] == slug(LABEL)  # the group: the category's label
    assert [period["title"] for period in records(back, "periods")] == [PERIOD]


def test_the_storymapjs_export_reads_back_to_the_very_text(tmp_path: Path) -> None:
    back = round_trip(tmp_path, "storymapjs")
    info = yaml.safe_load((back / "atlas.yaml").read_text(encoding="utf-8"))
    assert (info["title"], info["subtitle"]) == (PERIOD, PERIOD_SUMMARY)
    events = {event["date"]: event for event in records(back, "events")}
    assert events["1931-09-18"]["title"] == EVENT
    assert events["1931-09-18"]["summary"] == SUMMARY
    assert events["1931-09-18"]["media"] == [QUOTATION]
    assert events["1932-03"]["media"] == [LINKED]
    assert events["1933~"]["title"] == f"Approximate {HOSTILE}"
    assert [place["name"] for place in records(back, "places")] == [PLACE]
