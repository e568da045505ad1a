"""Headless Chromium for the tests: Debian's /usr/bin/chromium driven by Playwright.

Off CI a missing Chromium skips the browser tests; in CI (CI=true) it fails them, so a
green CI run always means the pages were really checked in a browser.
"""

from __future__ import annotations

import itertools
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("ATLAS_CHROMIUM", "/usr/bin/chromium")
# The flags this machine needs: no sandbox as root, and no background traffic that a
# closed network refuses.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# A 1×1 transparent PNG, served in place of every basemap tile: the tests run offline.
BLANK_TILE = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6300010000050001a5f645400000000049454e44ae426082")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def require_chromium() -> None:
    if Path(CHROMIUM).is_file() or shutil.which(CHROMIUM):
        return
    message = f"Chromium not found at {CHROMIUM}; install Debian's chromium package"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@dataclass
class PageLog:
    """What went wrong on a page: console errors, uncaught exceptions, failed requests, dialogs."""

    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    tile_requests: list[str] = field(default_factory=list)


def watch(page: object) -> PageLog:
    from playwright.sync_api import Page, Route

    assert isinstance(page, Page)
    log = PageLog()
    page.on("console", lambda m: log.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: log.errors.append(f"uncaught: {e}"))
    page.on("requestfailed", lambda r: log.errors.append(f"failed: {r.url} {r.failure} during {page.url}"))

    def dialog(d: object) -> None:
        log.dialogs.append(getattr(d, "message", "?"))
        d.dismiss()  # type: ignore[attr-defined]

    page.on("dialog", dialog)

    def remote(route: Route) -> None:
        log.tile_requests.append(route.request.url)
        route.fulfill(status=200, body=BLANK_TILE, content_type="image/png")

    page.route("http*://**/*", remote)
    return log

AXE = Path(__file__).resolve().parent.parent / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"


def serious_accessibility_violations(page: object) -> list[str]:
    """Run axe-core in the page; its serious and critical violations, one line each."""
    if not AXE.is_file():
        message = f"axe-core not found at {AXE}; run make test (it installs it from npm)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    # Evaluated through the DevTools protocol: a <script> tag would be refused by the page's CSP.
    page.evaluate(AXE.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")  # type: ignore[attr-defined]
    return [f"{v['impact']}: {v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})"
            for v in results["violations"] if v["impact"] in ("serious", "critical")]


# Waiting for the page, never for a time: a loaded machine may take any time, but it
# still draws frame after frame, and a moving map or element changes from one to the next.
STILL_FRAMES = 5
_waits = itertools.count()

# The map's pane, the drawing its zoom animates and its popups where they are (and how far
# faded in), with its centre and zoom; null until the map is drawn (its names placed), and
# while it moves (Atlas.moving, the page's own signal, from Leaflet's movestart to moveend).
_MAP_LOOK = """(() => {
  const A = window.Atlas;
  if (!A || !A.map || A.drawnAt === undefined || A.moving) return null;
  const box = (e) => { const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height].join(); };
  const panes = [...document.querySelectorAll(".leaflet-map-pane, .leaflet-overlay-pane > *")].map(box);
  const popups = [...document.querySelectorAll(".leaflet-popup")].map(p => box(p) + " " + p.style.opacity);
  const c = A.map.getCenter();
  return [c.lat, c.lng, A.map.getZoom(), ...panes, ...popups].join(" ");
})()"""

_BOX = "(() => { const r = arg.getBoundingClientRect(); return [r.x, r.y, r.width, r.height].join(); })()"


def _unchanged(where: Any, look: str, arg: object = None, frames: int = STILL_FRAMES) -> None:
    """Wait until `look` (a JavaScript expression of `arg`) is the same, and not null, for
    `frames` animation frames in a row. wait_for_function calls the predicate once a frame
    and keeps nothing between calls: the count lives in the page, under this wait's own key."""
    predicate = ("([key, frames, arg]) => { const seen = (window.__atlasStill = window.__atlasStill || {});"
                 f" const now = {look};"
                 " const count = now !== null && seen[key] && seen[key].now === now ? seen[key].count + 1 : 0;"
                 " seen[key] = {now, count}; return count >= frames; }")
    where.wait_for_function(predicate, arg=[f"wait-{next(_waits)}", frames, arg])


def map_idle(where: Any, frames: int = STILL_FRAMES) -> None:
    """Wait until the map of a page (or of a frame) is drawn and stands still: not moving,
    and its panes, its popups and its view unchanged for `frames` frames."""
    _unchanged(where, _MAP_LOOK, frames=frames)


def maps_idle(page: Any) -> None:
    """Wait until every map a page draws is drawn and stands still: its own, and those of
    its frames in view (Chromium draws a frame out of view only once it is scrolled to)."""
    for frame in page.frames:
        if "?neighbour" in frame.url:  # a single-file page's hidden question to a neighbour: no map
            continue
        element = frame.frame_element() if frame.parent_frame else None
        if element and not element.evaluate("(e) => { const r = e.getBoundingClientRect();"
                                            " return r.bottom > 0 && r.right > 0 && r.top < innerHeight"
                                            " && r.left < innerWidth; }"):
            continue
        if frame.evaluate("() => !!(window.Atlas && Atlas.map)"):
            map_idle(frame)


def map_loaded(page: Any) -> None:
    """Wait until the map is drawn and still and every image it shows (the relief, any tiles)
    has come: a page left then aborts no request. (Chromium's "network idle" is no such
    sign: on a busy machine it may never come, and a map asks for its images after load.)"""
    map_idle(page)
    page.wait_for_function("() => [...document.querySelectorAll('.leaflet-container img')].every(i => i.complete)")


def still(locator: Any, frames: int = STILL_FRAMES) -> None:
    """Wait until an element is shown and its box stays the same for `frames` frames: a
    click then lands on it where it is, not where it was."""
    locator.wait_for(state="visible")
    _unchanged(locator.page, _BOX, locator.element_handle(), frames)


_RECORD_KEYS = """() => {
  window.__atlasKeys = [];
  window.__atlasLeaving = [];
  if (window.__atlasRecording) return;
  window.__atlasRecording = true;
  addEventListener("keyup", e => window.__atlasKeys.push(e.key), true);
  navigation.addEventListener("navigate", e => window.__atlasLeaving.push(e.destination.url));
}"""


def press_staying(page: Any, key: str) -> list[str]:
    """Press `key` and return where the page started to go because of it: nothing, for a key
    that must not leave. A script that leaves fires the Navigation API's navigate event at
    once, inside the key's handler; the key's release comes after its press was handled, so
    once the release is seen, so is every navigation the press started."""
    page.evaluate(_RECORD_KEYS)
    page.keyboard.press(key)
    # (Already on another page, it has no record: where it is then is where the key went.)
    page.wait_for_function("(key) => !window.__atlasKeys || window.__atlasKeys.includes(key)", arg=key)
    leaving: list[str] = page.evaluate("() => window.__atlasLeaving || [location.href]")
    return leaving
