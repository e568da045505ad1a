"""Shared fixtures: the real `atlas` command in a subprocess, sample atlases, built sites."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser import CHROMIUM, CHROMIUM_ARGS, require_chromium

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = Path(__file__).resolve().parent / "samples"


def run_atlas(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m atlas ARGS` as a user would, capturing its output."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "atlas", *map(str, args)],
        cwd=cwd or ROOT, env=env, capture_output=True, text=True, timeout=300,
    )


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
def samples(tmp_path: Path) -> Path:
    """A private copy of tests/samples, so that tests may build and break freely."""
    copy = tmp_path / "samples"
    shutil.copytree(SAMPLES, copy)
    return copy


def built(source: Path, factory: pytest.TempPathFactory) -> Path:
    """Build an atlas with the real command into a fresh temporary folder."""
    out = factory.mktemp(source.name) / "build"
    result = run_atlas("build", source, "-o", out)
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
