"""Stage: site.

In Chromium: every page keeps its Content-Security-Policy, an injected script is refused,
hostile text stays text, and the embed code a teacher copies is one harmless iframe."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from browser import maps_idle, watch
from conftest import HOSTILE, SAMPLES, elements, run_atlas

# Recorded from the first moment of every page: the violations the policy reported.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  e => window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sample));
"""


def violations(page: Any) -> list[str]:
    found: list[str] = page.evaluate("window.__violations")
    for frame in page.frames[1:]:
        found += frame.evaluate("window.__violations || []")
    return found


def test_no_page_reports_a_policy_violation(page: Any, default_site: Path, single_site: Path,
                                            hostile_site: Path) -> None:
    page.add_init_script(RECORD_VIOLATIONS)
    log = watch(page)
    for site in (default_site, single_site, hostile_site):
        for path in sorted(site.rglob("*.html")):
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            # A lesson's maps are frames with policies of their own. (A single-file page also
            # asks a neighbour, in a hidden frame gone once it answers, whether it is beside it.)
            maps = [frame for frame in page.frames[1:] if "?neighbour" not in frame.url]
            for frame in maps:
                frame.wait_for_selector(".leaflet-overlay-pane path", state="attached")
            maps_idle(page)
            # One more turn of every frame's event loop: a violation is reported in a task of its own.
            for frame in [page.main_frame, *maps]:
                frame.evaluate("() => new Promise(done => setTimeout(done))")
            assert violations(page) == [], path
            if path.parent.name in ("periods", "embed"):
                assert page.locator(".leaflet-overlay-pane path").count() > 0, path
    assert [e for e in log.errors if "Content Security Policy" in e] == []
    assert log.errors == []


def test_an_injected_inline_script_is_refused(page: Any, default_site: Path) -> None:
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto((default_site / "periods" / "war-against-japan.html").as_uri())
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.__ran = true";
        document.body.appendChild(script);
        const handler = document.createElement("img");
        handler.setAttribute("onerror", "window.__ran = true");
        handler.addEventListener("error", () => { window.__failed = true; });
        handler.src = "data:,not-an-image";
        document.body.appendChild(handler);
    }""")
    # The image has failed (its onerror would have run by then) and the refusals are reported.
    page.wait_for_function("() => window.__failed && window.__violations.filter(v => v.startsWith('script-src')).length >= 2")
    assert page.evaluate("window.__ran === undefined")
    assert any(v.startswith("script-src") for v in violations(page))


def test_copied_embed_code_is_one_iframe_with_the_title_as_text(page: Any, hostile_site: Path) -> None:
    page.goto((hostile_site / "periods" / "only.html").as_uri())
    page.locator(".embed-snippet summary").click()
    code = page.locator("#embed-code").input_value()
    found = elements(code)
    assert [tag for tag, _ in found] == ["iframe"]
    attributes = found[0][1]
    assert attributes["title"] == f"Map: Period {HOSTILE}, 1930–1940"
    assert attributes["src"] == (hostile_site / "embed" / "only.html").as_uri()
    # Pasted into a plain page, it is a frame and nothing else.
    host = hostile_site.parent / "pasted.html"
    host.write_text(f"<!doctype html><title>Lesson</title><p>Our map:</p>{code}", encoding="utf-8")
    log = watch(page)
    page.goto(host.as_uri())
    maps_idle(page)
    assert page.locator("iframe").count() == 1 and page.locator("body *").count() == 2
    assert page.locator("iframe").get_attribute("title") == f"Map: Period {HOSTILE}, 1930–1940"
    assert log.dialogs == []


def test_template_syntax_in_the_data_shows_exactly_as_written(page: Any, hostile_site: Path) -> None:
    log = watch(page)
    page.goto((hostile_site / "periods" / "only.html").as_uri())
    assert page.locator("h1").inner_text() == "Period " + HOSTILE
    assert page.locator(".summary").inner_text() == HOSTILE
    csv_item = page.locator('.event-list li[data-event="csv-event"]')
    assert csv_item.locator(".event-title").inner_text() == "CSV event " + HOSTILE
    csv_item.locator("button.show-on-map").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator(".popup-title").inner_text() == "CSV event " + HOSTILE
    assert csv_item.locator(".event-summary").inner_text() == HOSTILE
    brief = popup.locator(".popup-summary").inner_text()  # the popup gives the start; the list, all of it
    assert brief.endswith(" …") and HOSTILE.startswith(brief[:-2])
    assert "{{ 7*7 }}" in popup.inner_text() and "{# comment #}" in popup.inner_text()
    assert log.dialogs == [] and log.errors == []


def test_the_policy_lets_the_configured_tiles_in_and_nothing_else(page: Any, tmp_path: Path) -> None:
    source = shutil.copytree(SAMPLES / "good", tmp_path / "src")
    (source / "atlas.yaml").write_text('title: "Tiles"\nbasemap: Esri.WorldShadedRelief\n', encoding="utf-8")
    assert run_atlas("build", source, "-o", tmp_path / "out").returncode == 0
    html = (tmp_path / "out" / "periods" / "manchukuo.html").read_text(encoding="utf-8")
    assert "img-src 'self' data: https://server.arcgisonline.com;" in html
    page.add_init_script(RECORD_VIOLATIONS)
    log = watch(page)  # answers every tile request with a blank tile
    page.goto((tmp_path / "out" / "periods" / "manchukuo.html").as_uri())
    page.wait_for_function("() => document.querySelectorAll('img.leaflet-tile-loaded').length > 0")
    assert all(url.startswith("https://server.arcgisonline.com/") for url in log.tile_requests)
    page.evaluate("() => { const i = new Image(); i.src = 'https://elsewhere.example/track.png'; document.body.append(i); }")
    page.wait_for_function("() => window.__violations.some(v => v.includes('elsewhere.example'))")
    assert not [v for v in violations(page) if "arcgisonline" in v]
    assert not any("elsewhere.example" in url for url in log.tile_requests)
