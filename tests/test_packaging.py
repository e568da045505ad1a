"""Stage: all (the wheel).

The wheel: an installed `atlas` carries its templates, the default atlas and the starter."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    (found,) = out.glob("atlas-*.whl")
    return found


def test_the_wheel_holds_templates_default_atlas_and_starter(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("atlas/cli.py", "atlas/site/render.py", "atlas/serve/live.js",
                     "atlas/_data/templates/period.html", "atlas/_data/templates/static/js/99-start.js",
                     "atlas/_data/places/events.yaml", "atlas/_data/places/periods.yaml", "atlas/starter/atlas.yaml"):
        assert expected in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "atlas = atlas.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_an_installed_atlas_builds_with_its_packaged_templates(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site-packages"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=600)
    # Only the installed copy (and this venv's dependencies) on the path: not the checkout.
    env = {**os.environ, "PYTHONPATH": str(target)}
    default_atlas = target / "atlas" / "_data" / "places"
    result = subprocess.run([sys.executable, "-m", "atlas", "build", str(default_atlas), "-o", "out"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "index.html").read_text(encoding="utf-8").count("periods/") >= 5
    located = subprocess.run([sys.executable, "-c", "import atlas.site.pages as p; print(p.default_templates())"],
                             cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert Path(located.stdout.strip()) == target / "atlas" / "_data" / "templates"
