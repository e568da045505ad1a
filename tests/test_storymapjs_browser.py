"""Stage: formats.

The StoryMapJS export of the hostile atlas (tests/hostile_atlas.py, with hostile sources
and a second, hostile place added), its fields put on a page in Chromium exactly as
StoryMapJS's source puts them (github.com/NUKnightLab/StoryMapJS at 0ee78aab, src/js):

- media/types/Text.js line 107: the headline, `innerHTML`; line 130: the text, through
  core/Util.js `htmlify` (lines 147–151: wrapped in `<p>` unless it has one), `innerHTML`;
- slider/SlideNav.js line 150: the navigation's title (the headline, slider/StorySlider.js
  line 298), `innerHTML`;
- media/Media.js lines 235 and 242: the media's credit and caption, `innerHTML`;
- media/types/Blockquote.js line 28 sanitises a quotation; here it goes in by `innerHTML`,
  as StoryMapJS did before, which is stricter.

No script runs, no element the data would make appears, every text shows as written
(sources linked to their very address), and the import of the export gives back what the
page shows.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from test_timelinejs_browser import RECORD_SCRIPT, TEXT_OF

from browser import watch
from conftest import run_atlas
from hostile_atlas import (
    CAPTION,
    CREDIT,
    EVENT,
    HOSTILE,
    PERIOD,
    PERIOD_SUMMARY,
    QUOTE,
    QUOTED_FROM,
    SUMMARY,
    write_hostile_atlas,
)

SOURCE = f"Source {HOSTILE}"
ADDRESS = "https://example.org/?q=\"><script>pwned('href')</script>&x='y'"
ELSEWHERE = f"Village {HOSTILE}"
SHOW = "slide => { const textOf = " + TEXT_OF + """;
    const htmlify = text => /<p>[\\s\\S]*?<\\/p>/.test(text) ? text : '<p>' + text + '</p>';
    const shown = html => {
        const element = document.createElement('div');
        element.innerHTML = html;
        document.body.appendChild(element);
        return {text: textOf(element), tags: [...element.querySelectorAll('*')].map(e => e.tagName),
                links: [...element.querySelectorAll('a')].map(a => [a.getAttribute('href'),
                        [...a.attributes].map(at => at.name)]),
                handlers: [...element.querySelectorAll('*')].flatMap(e => [...e.attributes])
                          .filter(at => at.name.startsWith('on')).length};
    };
    const text = slide.text || {}, media = slide.media || {};
    const fields = {headline: shown(text.headline || ''), text: shown(htmlify(text.text || '')),
                    nav: shown(text.headline || '')};
    for (const key of ['url', 'credit', 'caption']) {
        if (media[key]) fields[key] = shown(media[key]);
    }
    return fields;
}"""


def hostile_story(tmp_path: Path) -> Path:
    """The hostile atlas, its first event citing hostile sources and at a second place."""
    source = tmp_path / "hostile"
    write_hostile_atlas(source)
    places = yaml.safe_load((source / "places.yaml").read_text(encoding="utf-8"))
    places.append({"id": "village", "name": ELSEWHERE, "kind": "village", "coordinates": [42.0, 123.0],
                   "sources": [{"label": "A gazetteer"}]})
    events = yaml.safe_load((source / "events.yaml").read_text(encoding="utf-8"))
    events[0]["places"] = ["town", "village"]
    events[0]["sources"] = [{"label": SOURCE, "url": ADDRESS}, {"label": SOURCE}]
    for name, data in (("places", places), ("events", events)):
        (source / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                             encoding="utf-8")
    return source


def test_storymapjs_shows_the_hostile_export_as_text(tmp_path: Path, page: Any) -> None:
    out = tmp_path / "story.json"
    result = run_atlas("export", hostile_story(tmp_path), "--format", "storymapjs", "-o", out)
    assert result.returncode == 0, result.stderr
    slides = json.loads(out.read_text(encoding="utf-8"))["storymap"]["slides"]
    log = watch(page)
    page.add_init_script(RECORD_SCRIPT)
    blank = tmp_path / "blank.html"
    blank.write_text("<!doctype html><title>StoryMapJS fields</title>", encoding="utf-8")
    page.goto(blank.as_uri())
    shown = [page.evaluate(SHOW, slide) for slide in slides]
    assert shown[0]["headline"]["text"] == PERIOD and shown[0]["text"]["text"] == PERIOD_SUMMARY
    quoted = shown[1]
    assert quoted["headline"]["text"] == quoted["nav"]["text"] == EVENT
    assert quoted["text"]["text"] == (
        f"18 September 1931\n\n{SUMMARY}\n\nAlso at:\n{ELSEWHERE}\n\nSources:\n{SOURCE}\n{SOURCE}")
    assert quoted["text"]["links"] == [[ADDRESS, ["href"]]]  # the very address, and nothing else on the link
    assert (quoted["url"]["text"], quoted["credit"]["text"], quoted["caption"]["text"]) == (
        QUOTE, QUOTED_FROM, CAPTION)
    assert shown[2]["credit"]["text"] == CREDIT and shown[2]["url"]["tags"] == []
    allowed = {"P", "BR", "A", "BLOCKQUOTE"}
    for fields in shown:
        for field in fields.values():
            assert set(field["tags"]) <= allowed and field["handlers"] == 0
    assert page.evaluate("window.__pwned") == [] and log.dialogs == []
    back = tmp_path / "back"
    result = run_atlas("import", out, "-o", back, "--geocode")
    assert result.returncode == 0, result.stderr
    event = yaml.safe_load((back / "events.yaml").read_text(encoding="utf-8"))[0]
    assert (event["title"], event["summary"]) == (quoted["headline"]["text"], SUMMARY)
    assert event["sources"] == [{"label": SOURCE, "url": ADDRESS}, {"label": SOURCE}]
    names = {p["id"]: p["name"] for p in yaml.safe_load((back / "places.yaml").read_text(encoding="utf-8"))}
    assert [names[ref] for ref in event["places"]][1:] == [ELSEWHERE]
