"""Stage: building.

Incremental builds write exactly what a full build would, print the same warnings, and
are used only when they can be trusted: random edits of events.yaml, each built both
ways and compared; tampered, foreign and hostile records; outputs edited by hand."""

from __future__ import annotations

import json
import os
import pickle
import random
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from atlas.building import buildrecord, recording
from atlas.building import pipeline as build
from atlas.errors import AtlasError
from atlas.site import overview, render
from atlas.util import parallel, signed

from conftest import tree_digest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from synthetic import write_atlas


def entries(text: str) -> list[str]:
    return re.split(r"(?m)^(?=- )", text)[1:]


def rejoin(parts: list[str]) -> str:
    return "".join(parts)


HOSTILE = ["</script><script>alert(1)</script>", "{{ 7*7 }}", "`${x}`", "{% raw %}", "Port Arthur & Dairen"]


def edit(text: str, rng: random.Random, kind: str) -> str:
    """One edit of one entry (or of the list) of a synthetic events.yaml."""
    parts = entries(text)
    i = rng.randrange(len(parts))
    part = parts[i]
    year = int(re.search(r"date: (\d{4})", part).group(1))  # type: ignore[union-attr]
    if kind == "title":
        part = re.sub(r"(?m)^  title: .*$", "  title: " + json.dumps(rng.choice(HOSTILE) + f" {rng.random()}"), part)
    elif kind == "summary-lines":
        lines = "".join(f"    line {n} of {rng.random()}\n" for n in range(rng.randint(1, 4)))
        part = re.sub(r"(?m)^  summary: .*\n", "  summary: |\n" + lines, part)
    elif kind == "comment":
        part = part.replace("  title:", "  # a note to self\n  title:", 1)
    elif kind == "date-same":
        part = re.sub(r"date: (\d{4})-\d\d-\d\d", lambda m: f"date: {m.group(1)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                      part)
    elif kind == "date-move":
        part = re.sub(r"date: \d{4}", f"date: {max(1000, year + rng.choice([-2, -1, 1, 2, 40]))}", part)
    elif kind == "date-range":
        part = re.sub(r"date: (\d{4})-\d\d-\d\d", lambda m: f"date: {m.group(1)}/{int(m.group(1)) + 2}", part)
    elif kind == "sources-drop":
        part = re.sub(r"(?m)^  sources: .*\n", "", part)
    elif kind == "places":
        part = re.sub(r"places: \[place-\d+\]", f"places: [place-{rng.randrange(30)}, place-{rng.randrange(30)}]", part)
    elif kind == "category":
        part = re.sub(r"category: \w+", f"category: {rng.choice(['war', 'diplomacy', 'economy', 'culture'])}", part)
    elif kind == "id":
        part = re.sub(r"id: event-(\d+)", r"id: renamed-\1", part, count=1)
    elif kind == "add":
        parts.insert(i, f"- id: added-{rng.randrange(10**6)}\n  date: {year}\n  title: Added\n  places: [place-1]\n"
                        "  sources: [{label: S}]\n")
        return rejoin(parts)
    elif kind == "delete":
        parts.pop(i)
        return rejoin(parts)
    elif kind == "unknown-place":
        part = re.sub(r"places: \[place-\d+\]", "places: [nowhere]", part)
    parts[i] = part
    return rejoin(parts)


KINDS = ["title", "title", "summary-lines", "comment", "date-same", "date-move", "date-range", "sources-drop",
         "places", "category", "id", "add", "delete", "title"]


def build_into(source: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[build.Summary, str]:
    capsys.readouterr()
    summary = build.build(source, out)
    return summary, capsys.readouterr().err


@pytest.mark.parametrize("many", [False, True], ids=["event-dots", "place-dots"])
def test_random_edits_build_incrementally_to_exactly_what_a_full_build_writes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], many: bool) -> None:
    monkeypatch.chdir(tmp_path)
    if many:  # the index's overview counts events by place past MANY_EVENTS
        monkeypatch.setattr(overview, "MANY_EVENTS", 50)
    source = tmp_path / "src"
    write_atlas(source, 30, 160, 8)
    events = source / "events.yaml"
    out = tmp_path / "site"
    build_into(source, out, capsys)
    rng = random.Random(7 if many else 3)
    incremental_builds = full_builds = 0
    for step in range(28):
        kind = KINDS[step % len(KINDS)] if step < len(KINDS) else rng.choice(KINDS)
        before = events.read_text(encoding="utf-8")
        events.write_text(edit(before, rng, kind), encoding="utf-8")
        summary, warnings = build_into(source, out, capsys)
        clean = tmp_path / f"clean-{step}"
        _, clean_warnings = build_into(source, clean, capsys)
        assert tree_digest(out) == tree_digest(clean), (step, kind)
        assert warnings == clean_warnings, (step, kind)
        shutil.rmtree(clean)
        if summary.remade is None:
            full_builds += 1
            assert kind in {"category", "id", "add", "delete"}, (step, kind)  # only these need a full build
        else:
            incremental_builds += 1
            assert summary.remade <= 2 * 4 + 2  # at most the periods it left and joined, the index, the export
    assert incremental_builds >= 18 and full_builds >= 4


def test_a_mistake_in_a_changed_event_is_reported_as_by_a_full_build_and_nothing_is_lost(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    source, out = tmp_path / "src", tmp_path / "site"
    write_atlas(source, 30, 100, 5)
    build_into(source, out, capsys)
    kept = tree_digest(out)
    events = source / "events.yaml"
    good = events.read_text(encoding="utf-8")
    for broken in (good.replace("date: 1002-", "date: 1002-13-", 1), edit(good, random.Random(1), "unknown-place")):
        events.write_text(broken, encoding="utf-8")
        with pytest.raises(AtlasError) as raised:
            build.build(source, out)
        assert "events.yaml:" in str(raised.value)
        assert tree_digest(out) == kept
    events.write_text(good.replace("title: Event 7\n", "title: Event seven\n"), encoding="utf-8")
    summary, _ = build_into(source, out, capsys)
    assert summary.remade is not None  # the failed builds did not spoil the record
    assert "Event seven" in (out / "data/atlas.geojson").read_text(encoding="utf-8")


def test_unchanged_files_keep_their_modification_times(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    source, out = tmp_path / "src", tmp_path / "site"
    write_atlas(source, 30, 100, 5)
    build_into(source, out, capsys)
    times = {path: path.stat().st_mtime_ns for path in out.rglob("*")
             if path.is_file() and path.name != ".atlas-build"}
    events = source / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace("title: Event 50\n", "title: Event fifty\n"),
                      encoding="utf-8")
    summary, _ = build_into(source, out, capsys)
    assert summary.remade == 4  # the period's page and embed, the index, the export
    touched = {str(path.relative_to(out)) for path, mtime in times.items() if path.stat().st_mtime_ns != mtime}
    # The index maps every event (its title in the popup): it changed too.
    assert touched == {"periods/period-2.html", "embed/period-2.html", "index.html", "data/atlas.geojson"}
    events.write_text(events.read_text(encoding="utf-8").replace("  title: Event 60\n", "  # a note\n  title: Event 60\n"),
                      encoding="utf-8")
    times = {path: path.stat().st_mtime_ns for path in times}
    summary, _ = build_into(source, out, capsys)
    assert summary.remade == 4
    assert all(path.stat().st_mtime_ns == mtime for path, mtime in times.items())  # a comment changes no page
    # A full build (a place changed) also keeps every file whose bytes are the same.
    places = source / "places.yaml"
    places.write_text(places.read_text(encoding="utf-8").replace("name: Place 3\n", "name: Place three\n"),
                      encoding="utf-8")
    summary, _ = build_into(source, out, capsys)
    assert summary.remade is None
    kept = [path for path in out.glob("assets/leaflet.*.js")]
    assert kept and all(path.stat().st_mtime_ns == times[path] for path in kept)


def test_a_record_not_signed_by_this_user_is_never_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """An output folder handed over with a record in it (a zip, a shared drive) cannot
    make a build run its code or trust its contents."""
    monkeypatch.chdir(tmp_path)
    source, out = tmp_path / "src", tmp_path / "site"
    write_atlas(source, 20, 60, 4)
    build_into(source, out, capsys)
    record = buildrecord.folder(out) / buildrecord.STATE
    data = record.read_bytes()
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {marker}",))

    payload = pickle.dumps(Exploit())
    forged = [signed.MAGIC + b"\0" * 32 + payload,  # a record with a made-up signature
              data[:-1] + bytes([data[-1] ^ 1]),  # one bit changed
              data[: len(data) // 2]]  # cut short
    for bad in forged:
        record.write_bytes(bad)
        assert recording.load(out) is None
        summary, _ = build_into(source, out, capsys)
        assert summary.remade is None and not marker.exists()
    # Another user's (another key's) record is not this user's.
    record.write_bytes(data)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other-user"))
    assert recording.load(out) is None


def test_an_output_file_edited_by_hand_means_a_full_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    source, out, clean = tmp_path / "src", tmp_path / "site", tmp_path / "clean"
    write_atlas(source, 20, 60, 4)
    build_into(source, out, capsys)
    for name in ("compare.html", "data/atlas.geojson"):
        (out / name).write_text("edited by hand", encoding="utf-8")
        events = source / "events.yaml"
        events.write_text(events.read_text(encoding="utf-8").replace("title: Event 5\n", f"title: Event {name}\n"),
                          encoding="utf-8")
        summary, _ = build_into(source, out, capsys)
        assert summary.remade is None
        build_into(source, clean, capsys)
        assert tree_digest(out) == tree_digest(clean)


def test_other_sources_changing_mean_a_full_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    source, out = tmp_path / "src", tmp_path / "site"
    write_atlas(source, 20, 60, 4)
    build_into(source, out, capsys)
    summary, _ = build_into(source, out, capsys)
    assert summary.remade == 1  # nothing changed: only the index is made again (and is the same)
    changes: list[Callable[[], object]] = [
        lambda: (source / "periods.yaml").write_text((source / "periods.yaml").read_text().replace("Period 1", "P1")),
        lambda: (source / "lessons").mkdir(),
        lambda: (source / "lessons" / "a.md").write_text("# A lesson\n"),
        lambda: (source / "templates").mkdir(),
        lambda: (source / "atlas.yaml").write_text('title: "Another title"\n'),
    ]
    for change in changes:
        change()
        summary, _ = build_into(source, out, capsys)
        assert summary.remade is None
        clean = tmp_path / "clean"
        build_into(source, clean, capsys)
        assert tree_digest(out) == tree_digest(clean)
        shutil.rmtree(clean)


def test_pages_rendered_on_two_cores_are_the_same_as_on_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "src"
    write_atlas(source, 40, 400, 12)
    monkeypatch.setattr(render, "PARALLEL_EVENTS", 10**9)
    build_into(source, tmp_path / "serial", capsys)
    monkeypatch.setattr(render, "PARALLEL_EVENTS", 1)
    calls = []
    original = parallel.map_in_order

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs.get("parallel"))
        return original(*args, **kwargs)

    monkeypatch.setattr(parallel, "map_in_order", spy)
    build_into(source, tmp_path / "parallel", capsys)
    assert calls == [True]
    assert tree_digest(tmp_path / "serial") == tree_digest(tmp_path / "parallel")
