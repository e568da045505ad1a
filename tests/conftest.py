"""Shared fixtures: the real `atlas` command in a subprocess, sample atlases, built sites."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from browser import CHROMIUM, CHROMIUM_ARGS, require_chromium

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = Path(__file__).resolve().parent / "samples"
# What the hostile sample writes in every text field (see tests/samples/hostile/).
HOSTILE = yaml.safe_load((SAMPLES / "hostile" / "periods.yaml").read_text(encoding="utf-8"))[0]["summary"]


def run_atlas(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m atlas ARGS` as a user would, capturing its output."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "atlas", *map(str, args)],
        cwd=cwd or ROOT, env=env, capture_output=True, text=True, timeout=300,
    )


def page_data(html: str) -> Any:
    """A map page's data block: the JSON its script reads (features, layers, basemap)."""
    found = re.search(r'<script type="application/json" id="atlas-page">(.*?)</script>', html, re.DOTALL)
    assert found, "no page data block"
    return json.loads(found.group(1))


class Elements(HTMLParser):
    """Every element start tag of a fragment, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def elements(code: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(code)
    parser.close()
    return parser.found


PLACES_SCRIPT = re.compile(r"Atlas\.places=JSON\.parse\('(.*)'\);")


def places_catalogue(html: str, page: Path | None = None) -> Any:
    """The place catalogue a map page uses: inline (a single file) or its assets/places file."""
    found = PLACES_SCRIPT.search(html)
    if found is None:
        link = re.search(r'<script nonce="[^"]*" src="([^"]*places\.[0-9a-f]{10}\.js)"></script>', html)
        assert link and page is not None, "no place catalogue"
        found = PLACES_SCRIPT.search((page.parent / link.group(1)).read_text(encoding="utf-8"))
        assert found
    # The JSON is inside a single-quoted JavaScript string: undo that string's escapes.
    text = found.group(1).replace("\\x3c", "<").replace("\\'", "'").replace("\\\\", "\\")
    return json.loads(text)


def map_features(page: Path) -> dict[str, dict[str, Any]]:
    """Every feature a period page's map draws, by id, as its script makes them: events
    from the page's data, places from the catalogue with the look the page names."""
    html = page.read_text(encoding="utf-8")
    data = page_data(html)
    catalogue = places_catalogue(html, page)
    features: dict[str, dict[str, Any]] = {}
    for layer in data["layers"]:
        for feature in layer.get("features", []):
            features[feature["properties"]["id"]] = feature["properties"]
    for entry in catalogue:
        place_id = entry["f"]["id"]
        if entry["d"] and place_id not in data["looks"]:
            continue  # a changing place that did not exist in the period
        properties = {**entry["f"]["properties"], **entry["s"][data["looks"].get(place_id, 0)]}
        change = data["marks"]["changes"].get(place_id)
        if change:
            properties.update(change=change[0], change_text=change[1])
        features[place_id] = properties
    return features


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` by relative path → sha256 of its bytes."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*")) if path.is_file()
    }


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    """A fresh browser page at laptop size."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def laptop(chromium: Any) -> Iterator[Any]:
    """A fresh browser page on a school laptop's screen (1366×768)."""
    context = chromium.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    """A private copy of tests/samples, so that tests may build and break freely."""
    copy = tmp_path / "samples"
    shutil.copytree(SAMPLES, copy)
    return copy


def built(source: Path, factory: pytest.TempPathFactory) -> Path:
    """Build an atlas with the real command into a fresh temporary folder, from that
    folder (so that anything the build wrongly wrote to its working folder lands there)."""
    out = factory.mktemp(source.name) / "build"
    result = run_atlas("build", source, "-o", out, cwd=out.parent)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def default_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default atlas (places/), built once for the whole session."""
    return built(ROOT / "places", tmp_path_factory)


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample whose every text field holds script-injection attempts, built once."""
    return built(SAMPLES / "hostile", tmp_path_factory)


@pytest.fixture(scope="session")
def single_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default atlas built with --single-file, once for the whole session."""
    out = tmp_path_factory.mktemp("single") / "build"
    result = run_atlas("build", ROOT / "places", "-o", out, "--single-file", cwd=out.parent)
    assert result.returncode == 0, result.stderr
    return out
