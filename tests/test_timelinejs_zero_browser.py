"""Stage: formats.

TimelineJS's year 0, in TimelineJS itself (the npm package in Chromium): it is no year of
either era (its -1 is "1 BCE", its 1 is "1"), and TimelineJS shows a slide dated so as
"January 1, 0" for the year alone, "March 0" with a month, "March 15, 0" with a day. The
import leaves such a slide out, and its note quotes what TimelineJS shows for it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from test_timelinejs_exports_browser import SLIDES_SHOWN, open_timeline

from conftest import run_atlas

DATES = {"year": {"year": 0}, "month": {"year": 0, "month": 3}, "day": {"year": 0, "month": 3, "day": 15},
         "before": {"year": -1}, "after": {"year": 1}}


def test_the_year_0_note_quotes_what_timelinejs_shows(tmp_path: Path, page: Any) -> None:
    data = {"events": [{"unique_id": key, "start_date": date, "text": {"headline": key.title()}}
                       for key, date in DATES.items()]}
    open_timeline(page, tmp_path, data)
    shown = {headline: date for headline, date in page.evaluate(SLIDES_SHOWN)}
    assert shown["Before"] == "1 BCE" and shown["After"] == "1"
    assert shown["Year"] == "January 1, 0"  # the reviewer's reading, and TimelineJS's
    path = tmp_path / "zero.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run_atlas("import", path, "-o", tmp_path / "imported")
    assert result.returncode == 0, result.stderr
    for n, key in enumerate(DATES):
        if key in ("before", "after"):
            continue
        assert (f"left out /events/{n}/start_date/year ('{key.title()}'): year 0 is no year in TimelineJS (it shows "
                f"-1 as 1 BCE, 1 as 1 CE, and this date as \"{shown[key.title()]}\"): give the year meant"
                ) in result.stdout
