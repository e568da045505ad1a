"""Stage: formats.

The TimelineJS and StoryMapJS exports of an atlas whose every text is hostile HTML
(tests/hostile_atlas.py), in the formats' own software in Chromium: the text is shown as
text, no element is injected, no script runs.

TimelineJS is the npm package (`make test` installs it beside axe-core) running our
export. StoryMapJS has no build in a registry, so its export's HTML fields are put on a
page as StoryMapJS does: `innerHTML` (the text wrapped in a paragraph unless it has its own).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from browser import watch
from conftest import ROOT, run_atlas
from hostile_atlas import (
    CAPTION,
    CREDIT,
    EVENT,
    LABEL,
    PERIOD,
    PERIOD_SUMMARY,
    PLACE,
    QUOTE,
    QUOTED_FROM,
    SUBTITLE,
    SUMMARY,
    TITLE,
    write_hostile_atlas,
)

TIMELINEJS = ROOT / ".cache" / "npm" / "node_modules" / "@knight-lab" / "timelinejs" / "dist"
# Script that runs records itself here (the hostile text calls `pwned(…)`).
RECORD_SCRIPT = "window.__pwned = []; window.pwned = what => window.__pwned.push(what);"
# The text an element holds, as a reader sees it (styles aside: TimelineJS capitalises
# headlines): its paragraphs apart by a blank line, a <br> a line break.
TEXT_OF = """element => {
    const walk = node => node.nodeType === Node.TEXT_NODE ? node.data
        : node.nodeName === 'BR' ? '\\n' : [...node.childNodes].map(walk).join('');
    const paragraphs = element.querySelectorAll(':scope > p');
    return paragraphs.length ? [...paragraphs].map(walk).join('\\n\\n') : walk(element);
}"""
WHERE = f"\n\nWhere: {PLACE}."
CITED = "\n\nSources:\nA book"  # the events' sources, the last paragraph of their text


def require_timelinejs() -> None:
    if (TIMELINEJS / "js" / "timeline.js").is_file():
        return
    message = f"TimelineJS not found in {TIMELINEJS}; run make test (it installs it from npm)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def exported(tmp_path: Path, fmt: str) -> Any:
    source = tmp_path / "hostile"
    write_hostile_atlas(source)
    out = tmp_path / f"export.{fmt}.json"
    result = run_atlas("export", source, "--format", fmt, "-o", out)
    assert result.returncode == 0, result.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def injected(page: Any, root: str) -> list[str]:
    """Elements under `root` that only markup in the data could have made."""
    found: list[str] = page.evaluate(
        """root => [...document.querySelectorAll(root + ' *')]
             .filter(e => ['SCRIPT', 'IFRAME', 'CORVUS'].includes(e.tagName)
                          || (e.tagName === 'IMG' && !e.classList.contains('tl-media-image')))
             .map(e => e.outerHTML.slice(0, 80))""", root)
    return found


def text_of(page: Any, selector: str) -> str:
    element = page.locator(selector).first
    element.wait_for(state="attached")
    shown: str = element.evaluate(TEXT_OF)
    return shown


def test_timelinejs_shows_hostile_text_as_text(tmp_path: Path, page: Any) -> None:
    require_timelinejs()
    data = exported(tmp_path, "timelinejs")
    log = watch(page)  # the linked picture (and any web font) answered by a blank image
    page.add_init_script(RECORD_SCRIPT)
    holder = tmp_path / "timeline.html"
    holder.write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<link rel="stylesheet" href="{(TIMELINEJS / "css" / "timeline.css").as_uri()}">'
        f'<script src="{(TIMELINEJS / "js" / "timeline.js").as_uri()}"></script></head>'
        '<body><div id="timeline" style="width: 1200px; height: 800px"></div></body></html>', encoding="utf-8")
    page.goto(holder.as_uri())
    page.evaluate("([data, path]) => { window.timeline = new TL.Timeline('timeline', data, {script_path: path}) }",
                  [data, (TIMELINEJS / "js").as_uri() + "/"])
    assert text_of(page, ".tl-slide-titleslide .tl-headline") == TITLE
    assert text_of(page, ".tl-slide-titleslide .tl-text-content") == SUBTITLE
    for slide, title in (("quoted", EVENT), ("pictured", None), ("approximate", None)):
        page.evaluate("id => timeline.goToId(id)", slide)  # its media are loaded when it is shown
        if title:
            assert text_of(page, f"#{slide} .tl-headline") == title
        assert text_of(page, f"#{slide} .tl-text-content") == SUMMARY + WHERE + CITED
    assert text_of(page, "#quoted blockquote") == QUOTE
    assert text_of(page, "#quoted .tl-credit") == QUOTED_FROM
    assert text_of(page, "#quoted .tl-caption") == CAPTION
    assert text_of(page, "#pictured .tl-credit") == CREDIT
    assert text_of(page, "#pictured .tl-caption") == CAPTION
    assert text_of(page, "#approximate .tl-headline-date") == "c. 1933"
    assert text_of(page, ".tl-timegroup-message") == LABEL  # the events' group: their category's label
    assert text_of(page, ".tl-timeera-text") == PERIOD  # the period, as an era
    assert EVENT in page.locator(".tl-timemarker-text").all_inner_texts()
    assert injected(page, "#timeline") == []
    assert page.evaluate("window.__pwned") == []
    assert log.dialogs == []


STORYMAP_FIELDS = "slide => { const textOf = " + TEXT_OF + """;
    // As StoryMapJS's Text, Media and SlideNav put them on the page (src/js/media/types/Text.js,
    // media/Media.js, slider/SlideNav.js): innerHTML, the text through htmlify.
    const htmlify = text => /<p>[\\s\\S]*?<\\/p>/.test(text) ? text : '<p>' + text + '</p>';
    const shown = html => {
        const element = document.createElement('div');
        element.innerHTML = html;
        document.body.appendChild(element);
        return {text: textOf(element), tags: [...element.querySelectorAll('*')].map(e => e.tagName)};
    };
    const text = slide.text || {}, media = slide.media || {};
    const fields = {headline: shown(text.headline || ''), text: shown(htmlify(text.text || ''))};
    for (const key of ['url', 'credit', 'caption']) {
        if (media[key]) fields[key] = shown(media[key]);
    }
    return fields;
}"""


def test_storymapjs_html_fields_are_text_where_storymapjs_puts_them(tmp_path: Path, page: Any) -> None:
    slides = exported(tmp_path, "storymapjs")["storymap"]["slides"]
    log = watch(page)
    page.add_init_script(RECORD_SCRIPT)
    blank = tmp_path / "blank.html"
    blank.write_text("<!doctype html><title>StoryMapJS fields</title>", encoding="utf-8")
    page.goto(blank.as_uri())
    shown = [page.evaluate(STORYMAP_FIELDS, slide) for slide in slides]
    paragraphs = ["P", "BR", "P"]
    assert shown[0] == {"headline": {"text": PERIOD, "tags": []}, "text": {"text": PERIOD_SUMMARY, "tags": ["P"]}}
    quoted, pictured = shown[1], shown[2]
    assert quoted["headline"] == {"text": EVENT, "tags": []}
    assert quoted["text"] == {"text": "18 September 1931\n\n" + SUMMARY + "\n\nSources:\nA book",
                              "tags": ["P", *paragraphs, "P", "BR"]}
    assert quoted["url"] == {"text": QUOTE, "tags": ["BLOCKQUOTE"]}
    assert quoted["credit"] == {"text": QUOTED_FROM, "tags": []}
    assert quoted["caption"] == {"text": CAPTION, "tags": []}
    assert pictured["credit"] == {"text": CREDIT, "tags": []}
    assert pictured["caption"] == {"text": CAPTION, "tags": []}
    assert pictured["url"]["tags"] == []  # a web address, not markup
    assert page.evaluate("window.__pwned") == []
    assert log.dialogs == []
