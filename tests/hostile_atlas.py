"""A small atlas whose every text field is hostile HTML, for the exports' escaping tests
(tests/test_security_formats.py, and tests/test_timelinejs_browser.py in TimelineJS itself)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

# What a page would run or show as markup if a field were written into HTML unescaped.
# `pwned(…)` is defined by the browser tests: a call records that script ran.
HOSTILE = ("<script>pwned('script')</script> </script><img src=x onerror=\"pwned('img')\"> "
           "<iframe srcdoc=\"<script>parent.pwned('iframe')</script>\"></iframe> `${pwned('template')}` "
           "{{ 7*7 }} <corvus>caw</corvus> &amp; &lt;b&gt; 'quoted' \"double\"")
TITLE = f"Title {HOSTILE}"
SUBTITLE = f"Subtitle {HOSTILE}"
PERIOD = f"Period {HOSTILE}"
PERIOD_SUMMARY = f"Period summary {HOSTILE}"
PLACE = f"Town {HOSTILE}"
LABEL = f"Label {HOSTILE}"
EVENT = f"Event {HOSTILE}"
# Two paragraphs, the first of two lines: the formats keep them apart.
SUMMARY = f"First {HOSTILE}\nits second line\n\nSecond paragraph {HOSTILE}"
QUOTE = f"Quote {HOSTILE}"
QUOTED_FROM = f"Source {HOSTILE}"
CAPTION = f"Caption {HOSTILE}"
CREDIT = f"Credit {HOSTILE}"
PICTURE = "https://example.org/picture.png"


def write_hostile_atlas(folder: Path) -> None:
    """An atlas of one period, one place and three events: one with a quotation, one with
    a linked image, one with an approximate date (which TimelineJS shows as written)."""
    folder.mkdir(parents=True)
    info: dict[str, Any] = {"title": TITLE, "subtitle": SUBTITLE, "language": "en",
                            "media": {"remote": True}, "categories": {"war": {"label": LABEL}}}
    places = [{"id": "town", "name": PLACE, "kind": "city", "coordinates": [41.8, 123.4],
               "sources": [{"label": "A gazetteer"}]}]
    cited = [{"label": "A book"}]
    events = [
        {"id": "quoted", "date": "1931-09-18", "title": EVENT, "summary": SUMMARY, "places": ["town"],
         "category": "war", "sources": cited,
         "media": [{"quote": QUOTE, "source": QUOTED_FROM, "caption": CAPTION}]},
        {"id": "pictured", "date": "1932-03", "title": f"Pictured {HOSTILE}", "summary": SUMMARY,
         "places": ["town"], "category": "war", "sources": cited,
         "media": [{"url": PICTURE, "caption": CAPTION, "credit": CREDIT}]},
        {"id": "approximate", "date": "1933~", "title": f"Approximate {HOSTILE}", "summary": SUMMARY,
         "places": ["town"], "category": "war", "sources": cited},
    ]
    periods = [{"id": "only", "title": PERIOD, "summary": PERIOD_SUMMARY, "when": "1930/1940"}]
    for name, data in (("atlas", info), ("places", places), ("events", events), ("periods", periods)):
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                              encoding="utf-8")
