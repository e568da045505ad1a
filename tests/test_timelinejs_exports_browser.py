"""Stage: formats.

Every TimelineJS export the tests make, in TimelineJS itself (the npm package, 3.9.11) in
Chromium: the default atlas, the good sample, the hostile atlas and a BCE atlas written
here. Each loads with no console error, with a slide and a marker for each event and an
era for each period, and no element or script of its text on the page; BCE years are read
as TimelineJS shows them ("44 BCE" for 44 BCE: its year -44, EDTF's -0043). And the other
way: a TimelineJS file with escaped and unescaped markup in every field is shown by
TimelineJS, and atlas imports exactly the text it shows.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_timelinejs_browser import RECORD_SCRIPT, TIMELINEJS, injected, require_timelinejs

from atlas.formats.common import slug
from atlas.source.dates import parse

from browser import PageLog, watch
from conftest import ROOT, run_atlas
from hostile_atlas import write_hostile_atlas

# The text an element shows a reader (styles aside: TimelineJS capitalises headlines): its
# paragraphs apart by a blank line, a <br> a line break, a script's or style's words none,
# spaces as laid out (a run of them one).
SHOWN = """element => {
    const walk = node => node.nodeType === Node.TEXT_NODE ? node.data
        : node.nodeName === 'BR' ? '\\n' : ['SCRIPT', 'STYLE'].includes(node.nodeName) ? ''
        : [...node.childNodes].map(walk).join('');
    const paragraphs = element.querySelectorAll(':scope > p');
    const text = paragraphs.length ? [...paragraphs].map(walk).join('\\n\\n') : walk(element);
    return text.split('\\n').map(line => line.replace(/\\s+/g, ' ').trim()).join('\\n');  // as laid out
}"""
# A BCE atlas: TimelineJS's year is one less than EDTF's (its -216 is "216 BCE", EDTF -0215).
BCE = [("cannae", "-0215-08-02", "August 2, 216 BCE"), ("caesar", "-0043-03-15", "March 15, 44 BCE"),
       ("actium", "-0030-09-02", "September 2, 31 BCE"), ("siege", "-0263~", "c. 264 BCE"),
       ("ides-year", "-0043", "44 BCE"), ("last-bce", "0000", "1 BCE"), ("first-ce", "0001", "1")]
HOSTILE_SOURCE = {"label": "<corvus>Polybius</corvus> &amp; `${x}` {{ 7*7 }}",
                  "url": "https://example.org/polybius?book=3&line=<117>"}


def write_bce_atlas(folder: Path) -> None:
    folder.mkdir(parents=True)
    events = [{"id": key, "date": date, "title": key.title(), "sources": [HOSTILE_SOURCE]} for key, date, _ in BCE]
    files = {"atlas": {"title": "Rome and Carthage", "language": "en"}, "places": [], "events": events,
             "periods": [{"id": "republic", "title": "The Republic", "when": "-0300/0001"}]}
    for name, data in files.items():
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")


def source_of(kind: str, tmp_path: Path) -> Path:
    if kind == "default":
        return ROOT / "places"
    if kind == "good":
        return ROOT / "tests" / "samples" / "good"
    folder = tmp_path / kind
    (write_hostile_atlas if kind == "hostile" else write_bce_atlas)(folder)
    return folder


def exported(source: Path, out: Path) -> Any:
    result = run_atlas("export", source, "--format", "timelinejs", "-o", out)
    assert result.returncode == 0, result.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def open_timeline(page: Any, tmp_path: Path, data: Any) -> PageLog:
    """TimelineJS on a page of its own, showing `data`; ready when its slides are made."""
    require_timelinejs()
    log = watch(page)  # linked pictures (and any web font) answered by a blank image
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
    page.wait_for_function("() => window.timeline && window.timeline.ready")
    return log


def shown(page: Any, selector: str) -> str:
    element = page.locator(selector).first
    element.wait_for(state="attached")
    text: str = element.evaluate(SHOWN)
    return text


@pytest.mark.parametrize("kind", ["default", "good", "hostile", "bce"])
def test_every_export_loads_in_timelinejs(tmp_path: Path, page: Any, kind: str) -> None:
    data = exported(source_of(kind, tmp_path), tmp_path / "export.json")
    log = open_timeline(page, tmp_path, data)
    count = len(data["events"])
    assert count and page.evaluate("timeline.config.events.length") == count
    assert page.locator(".tl-slide:not(.tl-slide-titleslide)").count() == count
    assert page.locator(".tl-timemarker").count() == count
    assert page.locator(".tl-timeera").count() == len(data["eras"])
    assert injected(page, "#timeline") == []
    assert page.evaluate("window.__pwned") == []
    assert log.errors == [] and log.dialogs == []


def test_bce_years_read_as_timelinejs_shows_them(tmp_path: Path, page: Any) -> None:
    data = exported(source_of("bce", tmp_path), tmp_path / "export.json")
    open_timeline(page, tmp_path, data)
    for key, date, expected in BCE:
        page.evaluate("id => timeline.goToId(id)", key)
        assert shown(page, f"#{key} .tl-headline-date") == expected
        day = parse(date).start  # the same year as atlas's own reading of the date
        assert day is not None
        year = [str(1 - day.year), "BCE"] if day.year <= 0 else [str(day.year)]
        assert expected.split(" ")[-len(year):] == year
        assert shown(page, f"#{key} .tl-text-content") == f"Sources:\n{HOSTILE_SOURCE['label']}"
        link = page.locator(f"#{key} .tl-text-content a")
        assert link.get_attribute("href") == HOSTILE_SOURCE["url"]
    assert injected(page, "#timeline") == []


# Markup TimelineJS shows (bold, an unknown element's words), markup escaped once (shown as
# written) and twice (shown escaped once), and a script (dropped, with its words).
TRICKY = ("&lt;script&gt;pwned('x')&lt;/script&gt; <b>bold</b> <corvus>caw</corvus> &amp;lt;i&amp;gt; 1 &gt; 0 "
          "<script>pwned('y')</script>end")


def tricky_file(path: Path) -> Path:
    slide = {"unique_id": "tricky", "start_date": {"year": 1900}, "group": f"G {TRICKY}", "display_date": f"D {TRICKY}",
             "text": {"headline": f"H {TRICKY}", "text": f"<p>One {TRICKY}</p><p>Two</p>"},
             "media": {"url": "https://example.org/picture.png", "caption": f"Ca {TRICKY}", "credit": f"Cr {TRICKY}"}}
    data = {"title": {"text": {"headline": f"T {TRICKY}", "text": f"S {TRICKY}"}}, "events": [slide]}
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_atlas_imports_the_text_timelinejs_shows(tmp_path: Path, page: Any) -> None:
    path = tricky_file(tmp_path / "tricky.json")
    open_timeline(page, tmp_path, json.loads(path.read_text(encoding="utf-8")))
    page.evaluate("id => timeline.goToId(id)", "tricky")
    folder = tmp_path / "imported"
    result = run_atlas("import", path, "-o", folder)
    assert result.returncode == 0, result.stderr
    info = yaml.safe_load((folder / "atlas.yaml").read_text(encoding="utf-8"))
    (event,) = yaml.safe_load((folder / "events.yaml").read_text(encoding="utf-8"))
    assert info["title"] == shown(page, ".tl-slide-titleslide .tl-headline")
    assert info["subtitle"] == shown(page, ".tl-slide-titleslide .tl-text-content")
    assert event["title"] == shown(page, "#tricky .tl-headline")
    date = shown(page, "#tricky .tl-headline-date")
    assert event["summary"] == shown(page, "#tricky .tl-text-content") + f"\n\n(Dated in the timeline: {date})"
    assert event["media"][0]["caption"] == shown(page, "#tricky .tl-caption")
    assert event["media"][0]["credit"] == shown(page, "#tricky .tl-credit")
    group = shown(page, ".tl-timegroup-message")
    assert event["category"] == slug(group) and info["categories"] == {slug(group): {"label": group}}
    # What TimelineJS shows, written here: the findings' <corvus> and &lt; are text.
    assert event["title"] == "H <script>pwned('x')</script> bold caw &lt;i&gt; 1 > 0 end"
    assert date == "D bold caw <i> 1 > 0 pwned('y')end"  # its text taken first: the script's words too
    assert page.evaluate("window.__pwned") == []


SLIDES_SHOWN = """() => [...document.querySelectorAll('.tl-slide:not(.tl-slide-titleslide)')].map(slide => [
    slide.querySelector('.tl-headline') ? slide.querySelector('.tl-headline').textContent : '',
    slide.querySelector('.tl-headline-date').textContent])"""


@pytest.mark.parametrize("name", ["cosmo.json", "cosmo-mixed.json"])
def test_timelinejs_own_bce_years_are_imported_as_it_shows_them(tmp_path: Path, page: Any, name: str) -> None:
    path = TIMELINEJS.parent / "src" / "template" / name
    open_timeline(page, tmp_path, json.loads(path.read_text(encoding="utf-8")))
    shown_years = {}
    for headline, date in page.evaluate(SLIDES_SHOWN):
        found = re.search(r"(\d[\d,]*)( BCE)?$", date)  # "300 BCE", "1969"; not "4.60 billion years ago"
        if found:
            shown_years[" ".join(headline.split())] = (int(found[1].replace(",", "")), bool(found[2]))
    folder = tmp_path / "imported"
    assert run_atlas("import", path, "-o", folder).returncode == 0
    imported = {}
    for record in yaml.safe_load((folder / "events.yaml").read_text(encoding="utf-8")):
        day = parse(record["date"]).start
        assert day is not None
        imported[" ".join(record["title"].split())] = (1 - day.year, True) if day.year <= 0 else (day.year, False)
    assert any(bce for _, bce in shown_years.values())  # the file has BCE years TimelineJS shows as such
    assert {title: imported[title] for title in shown_years} == shown_years
