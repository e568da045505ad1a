"""Headless Chromium for the tests: Debian's /usr/bin/chromium driven by Playwright.

Off CI a missing Chromium skips the browser tests; in CI (CI=true) it fails them, so a
green CI run always means the pages were really checked in a browser.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

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
