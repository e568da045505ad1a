"""Stage: site.

In Chromium, from disk (file://): a lesson's raw HTML, in an atlas that allows it, runs
nothing and sends the reader nowhere, and the lesson page's policy would refuse a script
file even if one slipped through; the lesson's maps and its presenter still work.

Under file:// a policy's 'self' covers every file on the disk, so the lesson's policy
names no script source but the hashes of the page's own inline scripts."""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser import watch
from conftest import run_atlas

HOSTILE_LESSON = """\
# Hostile

Before the traps.

<script src="../../mine/evil.js"></script>
<meta http-equiv="refresh" content="0;url=https://example.org/refreshed">

<img class="trap" src="missing.png" onerror="window.__ran = 'onerror'">

<iframe srcdoc="<script>parent.__ran = 'srcdoc'</script>"></iframe>

<form action="https://example.org/form"><input name="q"><button>Go</button></form>

<svg><script>window.__ran = 'svg'</script></svg>

Some <a class="trap" href="javascript:window.__ran = 'link'">link</a> and <em>kept emphasis</em>.

## The Bastille

::: map summer-1789 event=storming-of-the-bastille

## Versailles

::: map autumn-1789
"""
# In the atlas folder, built beside it (`atlas build mine -o site`): from the output's
# lessons/, `../../mine/evil.js` is this file, which a policy with 'self' lets a page
# opened from disk run.
EVIL = "window.__ran = 'evil.js'; document.title = 'taken over';"
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", e => window.__violations.push(e.violatedDirective + " " + e.blockedURI));
"""


@pytest.fixture(scope="module", params=["files", "single-file"])
def hostile(request: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The starter atlas with `allow_html` and a hostile lesson, built beside it; the lesson
    page's path."""
    folder = tmp_path_factory.mktemp("hostile-lesson")
    assert run_atlas("new", "mine", cwd=folder).returncode == 0
    source = folder / "mine"
    with (source / "atlas.yaml").open("a", encoding="utf-8") as settings:
        settings.write("lessons: {allow_html: true}\n")
    (source / "lessons" / "hostile.md").write_text(HOSTILE_LESSON, encoding="utf-8")
    (source / "evil.js").write_text(EVIL, encoding="utf-8")
    options = ["--single-file"] if request.param == "single-file" else []
    result = run_atlas("build", "mine", "-o", "site", *options, cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "site" / "lessons" / "hostile.html"


def open_lesson(page: Any, lesson: Path) -> list[str]:
    """Open the lesson and wait until its maps are drawn and its picture has failed to load
    (when an `onerror` would have run); the addresses the page went to."""
    went: list[str] = []
    page.on("framenavigated", lambda frame: went.append(frame.url) if frame == page.main_frame else None)
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(lesson.as_uri())
    for frame in page.locator(".lesson-map iframe").all():
        frame.scroll_into_view_if_needed()
        frame.content_frame.locator(".leaflet-overlay-pane path").first.wait_for(state="attached")
    page.wait_for_function("() => [...document.querySelectorAll('main img')].every(img => img.complete)")
    return went


def test_a_hostile_lesson_runs_nothing_and_goes_nowhere(page: Any, hostile: Path) -> None:
    log = watch(page)
    went = open_lesson(page, hostile)
    assert page.evaluate("window.__ran") is None
    assert page.title().startswith("Hostile ·")  # evil.js would have changed it
    assert page.evaluate("window.__violations") == []  # nothing was left for the policy to refuse
    # What could run or lead away is not in the page at all.
    assert page.evaluate("""() => ({
        scripts: [...document.querySelectorAll('main script')].length,
        frames: [...document.querySelectorAll('main iframe')].filter(f => !f.closest('.lesson-map')).length,
        refresh: [...document.querySelectorAll('meta[http-equiv]')]
            .filter(m => m.httpEquiv.toLowerCase() !== 'content-security-policy').length,
        forms: document.querySelectorAll('form, input, button:not(.lesson-present-button)').length,
        drawings: document.querySelectorAll('svg, math').length,
        handlers: [...document.querySelectorAll('main *')]
            .filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
        scriptLinks: [...document.querySelectorAll('a[href]')].filter(a => a.protocol === 'javascript:').length,
    })""") == {"scripts": 0, "frames": 0, "refresh": 0, "forms": 0, "drawings": 0, "handlers": 0, "scriptLinks": 0}
    assert page.locator("main em", has_text="kept emphasis").count() == 1  # harmless HTML stays
    page.locator("main a.trap").click()  # what is left of the link goes nowhere when clicked
    page.locator("main em", has_text="kept emphasis").click()  # a round trip: the click was handled
    assert page.evaluate("window.__ran") is None
    assert went == [hostile.as_uri()] and page.url == hostile.as_uri()
    assert [url for url in log.tile_requests if "example.org" in url] == []
    assert log.dialogs == []


def test_the_lesson_still_presents_its_slides(page: Any, hostile: Path) -> None:
    open_lesson(page, hostile)
    page.locator(".lesson-present-button").click()
    progress = page.locator(".lesson-progress")
    assert progress.inner_text() == "Slide 1 of 3"
    page.keyboard.press("PageDown")
    assert progress.inner_text() == "Slide 2 of 3"
    assert page.locator("main.lesson .lesson-map:visible iframe").count() == 1
    page.keyboard.press("Escape")
    assert page.locator(".lesson-progress").count() == 0
    assert page.evaluate("window.__ran") is None


def test_the_lesson_policy_refuses_a_script_file_that_self_would_allow(page: Any, hostile: Path) -> None:
    """Should a `<script src>` ever reach a lesson page, the page's own policy refuses it."""
    html = hostile.read_text(encoding="utf-8")
    slipped = hostile.with_name("slipped.html")
    slipped.write_text(html.replace("</main>", '<script src="../../mine/evil.js"></script></main>'), encoding="utf-8")
    refused = "evil.js' violates the following Content Security Policy directive"
    with page.expect_console_message(lambda message: refused in message.text):
        page.goto(slipped.as_uri())
    assert page.evaluate("window.__ran") is None
    assert page.title().startswith("Hostile ·")
    assert "'self'" not in html.split("script-src", 1)[1].split(";", 1)[0]


# A single-file build's pages need no script file either; the map pages of a build with an
# assets/ folder load theirs by the page's nonce, which a script that slipped in lacks (see csp.py).
PAGES = ["lessons/hostile.html", "periods/summer-1789.html", "embed/summer-1789.html", "index.html", "compare.html"]


@pytest.mark.parametrize("name", PAGES)
def test_no_page_runs_a_script_file_that_slipped_in(page: Any, hostile: Path, name: str) -> None:
    site = hostile.parent.parent
    built = site / name
    evil = Path(os.path.relpath(site.parent / "mine" / "evil.js", built.parent)).as_posix()
    slipped = built.with_name(f"slipped-{built.name}")
    slipped.write_text(built.read_text(encoding="utf-8").replace("</body>", f'<script src="{evil}"></script></body>'),
                       encoding="utf-8")
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(slipped.as_uri())
    page.wait_for_function("() => window.__ran !== undefined || window.__violations.some(v => v.startsWith('script-src'))")
    assert page.evaluate("window.__ran") is None


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`atlas serve` of the starter atlas with a lesson: its address and the lesson's file."""
    from atlas.serve.watch import serve

    assert run_atlas("new", "mine", cwd=tmp_path).returncode == 0
    stop = threading.Event()
    urls: queue.Queue[str] = queue.Queue()
    thread = threading.Thread(target=serve, kwargs={"source": tmp_path / "mine", "out": tmp_path / "out", "port": 0,
                                                    "interval": 0.1, "stop": stop, "ready": urls.put}, daemon=True)
    thread.start()
    yield urls.get(timeout=60), tmp_path / "mine" / "lessons" / "first-months.md"
    stop.set()
    thread.join(timeout=5)


def test_a_served_lesson_still_shows_an_edit_without_a_reload(page: Any, served: tuple[str, Path]) -> None:
    """The preview's live script is a file of the preview server: its pages' policy allows it."""
    url, lesson = served
    page.goto(url + "lessons/first-months.html")
    assert page.locator("h1").inner_text() == "The first months of the Revolution"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("# The first months", "# The very first months"),
                      encoding="utf-8")
    page.wait_for_function("() => document.querySelector('h1')?.textContent.startsWith('The very first')",
                           timeout=30_000)
