"""Stages: source, cli.

Mistakes that need more than a broken sample folder to make: folders and special files,
templates, the output folder and the disk, `atlas new` and `atlas serve`, warnings, and
builds killed halfway. Each ends in `path:line: message` (or a plain message) and exit
status 2, never a traceback, and nothing already built is lost."""

from __future__ import annotations

import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from atlas.serve.preview import LiveState
from atlas.serve.watch import _build_and_report

from conftest import ROOT, SAMPLES, run_atlas, tree_digest


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return shutil.copytree(SAMPLES / "good", tmp_path / "src")


def fails_cleanly(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result.stderr


def test_a_folder_named_like_the_events_file_is_reported(source: Path, tmp_path: Path) -> None:
    (source / "events.yaml").unlink()
    (source / "events.csv").mkdir()
    assert fails_cleanly(run_atlas("check", "src", cwd=tmp_path)) == "src/events.csv:1: is a folder, not a file\n"


@pytest.mark.parametrize(("template", "line", "message"), [
    ('{% extends "default/index.html" %}\n{% block title %}{% if %}{% endblock %}\n', 2,
     "template error: Expected an expression"),
    ('{% extends "default/index.html" %}\n\n{% block title %}{{ no_such_thing }}{% endblock %}\n', 3,
     "template error: 'no_such_thing' is undefined"),
    ('{% extends "default/index.html" %}\n{% block title %}{% include "../../atlas.yaml" %}{% endblock %}\n', 2,
     "template error: ../../atlas.yaml"),
    ('{% include "index.html" %}\n', 1, "template error: the template includes or extends itself, without end"),
])
def test_a_template_mistake_names_its_file_and_line(source: Path, tmp_path: Path, template: str, line: int,
                                                    message: str) -> None:
    (source / "templates").mkdir()
    (source / "templates" / "index.html").write_text(template, encoding="utf-8")
    stderr = fails_cleanly(run_atlas("build", "src", "-o", "out", cwd=tmp_path))
    assert stderr.startswith(f"src/templates/index.html:{line}: {message}"), stderr
    assert not (tmp_path / "out").exists()


def test_check_finds_a_template_s_syntax_error_without_building(source: Path, tmp_path: Path) -> None:
    (source / "templates").mkdir()
    (source / "templates" / "period.html").write_text("{% extends 'default/period.html' %}\n{% block x %}\n",
                                                      encoding="utf-8")
    stderr = fails_cleanly(run_atlas("check", "src", cwd=tmp_path))
    assert stderr.startswith("src/templates/period.html:2: template error: Unexpected end of template")


def test_a_template_that_is_not_utf8_is_reported(source: Path, tmp_path: Path) -> None:
    (source / "templates").mkdir()
    (source / "templates" / "index.html").write_bytes(b"{% extends 'default/index.html' %}\xff\xfe\n")
    stderr = fails_cleanly(run_atlas("build", "src", "-o", "out", cwd=tmp_path))
    assert stderr.startswith("src/templates/index.html:1: is not UTF-8 text")


def test_an_output_folder_that_cannot_be_made_is_reported_and_nothing_is_lost(source: Path, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    stderr = fails_cleanly(run_atlas("build", "src", "-o", "a-file/site", cwd=tmp_path))
    assert stderr.startswith("a-file/site: cannot write the build: ") and "the previous build, if any, is unchanged" in stderr
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "not a folder"


def test_a_full_disk_is_reported_and_the_previous_build_survives(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_atlas("build", "src", "-o", out, cwd=tmp_path).returncode == 0
    before = tree_digest(out)

    def small_disk() -> None:  # files may not grow past 8 KB: as a full disk, writing a page fails
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # (files the same as the last build's are linked, not written)
        resource.setrlimit(resource.RLIMIT_FSIZE, (8 * 1024, 8 * 1024))

    periods = source / "periods.yaml"
    periods.write_text(periods.read_text(encoding="utf-8").replace("Manchukuo", "Manchukuo again"), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "atlas", "build", "src", "-o", "out"], cwd=tmp_path, text=True,
                            capture_output=True, preexec_fn=small_disk, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            timeout=120)
    stderr = fails_cleanly(result)
    assert stderr.startswith("out: cannot write the build: File too large")
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "src"]  # no staging folder left behind


def test_an_output_folder_inside_the_sources_is_refused(source: Path, tmp_path: Path) -> None:
    stderr = fails_cleanly(run_atlas("build", "src", "-o", "src/templates", cwd=tmp_path))
    assert stderr.startswith("src/templates: refusing to build inside the atlas's own folder")
    assert not (source / "templates").exists()


def test_stale_staging_folders_are_swept_and_a_live_one_is_kept(source: Path, tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    for name in (f".out.new-{dead.stdout.strip()}-abc", f".out.old-{dead.stdout.strip()}-def", ".out.new-legacy"):
        (tmp_path / name / "site").mkdir(parents=True)
        (tmp_path / name / "site" / "big").write_bytes(b"x" * 1000)
    alive = tmp_path / f".out.new-{os.getpid()}-live"  # this test's own process: a build still running
    alive.mkdir()
    assert run_atlas("build", "src", "-o", "out", cwd=tmp_path).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([alive.name, "out", "src"])


@pytest.mark.parametrize("target", ["/proc/atlas-here", "dangling"])
def test_atlas_new_where_it_cannot_write_is_reported(tmp_path: Path, target: str) -> None:
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere" / "at-all")
    stderr = fails_cleanly(run_atlas("new", target, cwd=tmp_path))
    assert stderr.startswith(f"{target}: ")


@pytest.mark.parametrize("port", ["99999", "-1"])
def test_serve_on_an_impossible_port_is_reported(source: Path, tmp_path: Path, port: str) -> None:
    stderr = fails_cleanly(run_atlas("serve", "src", "-o", "out", "--port", port, cwd=tmp_path))
    assert stderr == f"cannot serve on port {port}: a port is a number from 0 to 65535\n"


def test_a_bug_during_a_rebuild_is_reported_and_serving_goes_on(capsys: pytest.CaptureFixture[str]) -> None:
    live = LiveState()

    def broken() -> object:
        raise ZeroDivisionError("a bug")

    assert _build_and_report(broken, live, "Keeping the last good build") is False
    err = capsys.readouterr().err
    assert "ZeroDivisionError: a bug" in err and "this is a bug in atlas" in err
    assert live.errors == ["internal error while building: ZeroDivisionError: a bug (a bug in atlas: see the terminal)"]


def write_places(source: Path, text: str) -> None:
    places = source / "places.yaml"
    places.write_text(places.read_text(encoding="utf-8") + textwrap.dedent(text), encoding="utf-8")


def test_swapped_latitude_and_longitude_are_suspected(source: Path, tmp_path: Path) -> None:
    write_places(source, """\
        - {id: dalian, name: Dalian, kind: port, coordinates: [38.91, 121.60]}
        - {id: beijing, name: Peking, kind: capital, coordinates: [39.90, 116.40]}
        - {id: seoul, name: Keijo, kind: city, coordinates: [126.98, 37.57]}
        """)
    result = run_atlas("check", "src", cwd=tmp_path)
    assert result.returncode == 2  # 126.98 is no latitude at all: an error, with the swap
    source2 = shutil.copytree(SAMPLES / "good", tmp_path / "src2")
    write_places(source2, """\
        - {id: dalian, name: Dalian, kind: port, coordinates: [38.91, 121.60]}
        - {id: beijing, name: Peking, kind: capital, coordinates: [39.90, 116.40]}
        - {id: nagasaki, name: Nagasaki, kind: port, coordinates: [32.75, 129.88]}
        - {id: chita, name: Chita, kind: city, coordinates: [52.03, 113.50]}
        - {id: wonsan, name: Gensan, kind: port, coordinates: [39.15, 127.44]}
        - {id: yalu, name: Yalu mouth, kind: site, coordinates: [124.4, 39.8]}
        """)
    result = run_atlas("check", "src2", cwd=tmp_path)
    assert result.returncode == 2 and "latitude 124.4 is out of range" in result.stderr
    europe = tmp_path / "europe"
    assert run_atlas("new", europe).returncode == 0
    write_places(europe, """\
        - {id: berlin, name: Berlin, kind: capital, coordinates: [52.52, 13.40]}
        - {id: vienna, name: Vienna, kind: capital, coordinates: [48.21, 16.37]}
        - {id: london, name: London, kind: capital, coordinates: [51.51, -0.13]}
        - {id: madrid, name: Madrid, kind: capital, coordinates: [40.42, -3.70]}
        - {id: rome, name: Rome, kind: capital, coordinates: [12.50, 41.90]}
        """)
    result = run_atlas("check", "europe", cwd=tmp_path)
    assert result.returncode == 0
    assert "warning: place 'rome' at [12.5, 41.9] lies" in result.stderr
    assert "were latitude and longitude swapped? [41.9, 12.5] lies among them" in result.stderr
    assert run_atlas("check", "europe", "--strict", cwd=tmp_path).returncode == 2


def test_a_polygon_that_crosses_itself_is_a_warning(source: Path, tmp_path: Path) -> None:
    write_places(source, """\
        - id: bow-tie
          name: Bow tie
          kind: region
          polygon: [[40, 120], [45, 125], [45, 120], [40, 125]]
        """)
    result = run_atlas("check", "src", cwd=tmp_path)
    assert result.returncode == 0
    assert "warning: this polygon's outline crosses itself" in result.stderr


def test_the_offline_gazetteer_says_what_it_holds(source: Path, tmp_path: Path) -> None:
    write_places(source, """\
        - {id: hamlet, name: Hamlet, kind: town, geocode: "Xiaogoutun Nowhere"}
        """)
    result = run_atlas("geocode", "src", "--offline", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "holds only towns of 15,000 people or more" in result.stderr and "coordinates:" in result.stderr


def test_a_folder_in_place_of_geocoded_json_is_reported(source: Path, tmp_path: Path) -> None:
    (source / "geocoded.json").mkdir()
    write_places(source, '- {id: dairen, name: Dairen, kind: port, geocode: "Dalian"}\n')
    stderr = fails_cleanly(run_atlas("check", "src", cwd=tmp_path))
    assert stderr == "src/geocoded.json:1: cannot read the geocoder cache: geocoded.json is a folder, not a file\n"


# --- builds killed halfway -----------------------------------------------------------------


def large_atlas(folder: Path, title: str) -> None:
    """An atlas that takes a second or two to build: enough for a kill to land mid-write."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "atlas.yaml").write_text(f'title: "{title}"\n', encoding="utf-8")
    places = [f"- {{id: p{i}, name: Place {i}, kind: city, coordinates: [{30 + i % 25}, {100 + i % 40}]}}"
              for i in range(600)]
    (folder / "places.yaml").write_text("\n".join(places) + "\n", encoding="utf-8")
    events = [f"- {{id: e{i}, date: '{1900 + i % 100}', title: Event {i}, places: [p{i % 600}], "
              f"sources: [{{label: Source}}]}}" for i in range(8000)]
    (folder / "events.yaml").write_text("\n".join(events) + "\n", encoding="utf-8")
    periods = [f"- {{id: d{i}, title: Decade {i}, when: '{1900 + 10 * i}/{1909 + 10 * i}'}}" for i in range(10)]
    (folder / "periods.yaml").write_text("\n".join(periods) + "\n", encoding="utf-8")


def staged(out: Path) -> int:
    """How many files the builds into `out` have written into their staging folders so far."""
    # os.walk, which passes over a folder renamed away meanwhile (the new build swapped in)
    return sum(len(names) for folder in out.parent.glob(f".{out.name}.new-*") for _, _, names in os.walk(folder))


def test_builds_killed_at_random_moments_leave_a_whole_build_and_no_debris(tmp_path: Path) -> None:
    sources = {"a": tmp_path / "a", "b": tmp_path / "b"}
    large_atlas(sources["a"], "First")
    large_atlas(sources["b"], "Second")
    whole = {}
    for name, folder in sources.items():
        result = run_atlas("build", folder, "-o", tmp_path / f"whole-{name}")
        assert result.returncode == 0, result.stderr
        whole[name] = tree_digest(tmp_path / f"whole-{name}")
    out = tmp_path / "site" / "out"
    assert run_atlas("build", sources["a"], "-o", out).returncode == 0
    files = len(whole["a"])
    rng = random.Random(12)
    kills = 0
    for attempt in range(32):
        name = "a" if tree_digest(out) == whole["b"] else "b"  # the other one: a full build, not an incremental one
        process = subprocess.Popen([sys.executable, "-m", "atlas", "build", str(sources[name]), "-o", str(out)],
                                   cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Killed by how far it got, not after a time (which a busy machine stretches): at
        # once (reading the sources), or once it has written some of the new build's files.
        written = rng.randrange(-1, files)
        while written >= 0 and process.poll() is None and staged(out) <= written:
            time.sleep(0.002)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait()
        assert tree_digest(out) in whole.values(), attempt  # the old build or the new, whole
    assert kills >= 20
    assert run_atlas("build", sources["a"], "-o", out).returncode == 0
    assert [p.name for p in out.parent.iterdir()] == ["out"]  # every staging folder swept
    assert tree_digest(out) == whole["a"]


def test_fragments_that_name_no_event_are_ignored(page: Any, default_site: Path) -> None:
    from browser import watch

    log = watch(page)
    for fragment in ("%E0%A4%A", "constructor", "__proto__", "toString", "%00"):
        page.goto("about:blank")
        page.goto((default_site / "periods" / "war-against-japan.html").as_uri() + "#" + fragment)
        page.get_by_role("button", name="Next event ▶").click()
        page.wait_for_function("() => document.querySelectorAll('.leaflet-popup').length === 1")
    assert log.errors == []
