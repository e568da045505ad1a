"""Lessons from an atlas folder that may come from anyone: only their own .md files are
read (inside the folder, within the size limit), their titles are found in linear time,
and raw HTML, where an atlas allows it, is cut down to harmless elements with a warning."""

from __future__ import annotations

import hashlib
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_atlas


def atlas_with_cache(*args: str | Path, cwd: Path, cache: Path,
                     memory: int | None = None) -> subprocess.CompletedProcess[str]:
    """`atlas ARGS` with its own user cache (where a build may keep its record) and, if
    given, at most `memory` bytes of address space: a file read whole fails the test with
    a MemoryError, not the machine."""
    def limit() -> None:
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cache)}
    return subprocess.run([sys.executable, "-m", "atlas", *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          timeout=300, preexec_fn=limit, env=env)


# Huge files are sparse (they take no room on the disk), and 2 GiB of address space is all
# a build gets when one is near.
HUGE = 3 << 30
MEMORY = 2 << 30


def starter(tmp_path: Path) -> Path:
    assert run_atlas("new", "mine", cwd=tmp_path).returncode == 0
    return tmp_path / "mine"


def holding(text: bytes, *folders: Path) -> list[str]:
    """The files under the folders that hold `text`: the output and the user's cache,
    wherever the build keeps its record."""
    return [str(path) for folder in folders for path in sorted(folder.rglob("*")) if path.is_file()
            and text in path.read_bytes()]


def tree(folder: Path) -> dict[str, bytes]:
    return {str(path): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


# V7: a link in lessons/ that is not a lesson was read from outside the folder, and its
# SHA-256 went into the build's record.
def test_a_link_in_lessons_to_a_file_outside_is_never_read_or_hashed(tmp_path: Path) -> None:
    source = starter(tmp_path)
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("the password is swordfish\n", encoding="utf-8")
    (source / "lessons" / "notes.txt").symlink_to(secret)
    (source / "lessons" / "pictures").symlink_to(secret.parent, target_is_directory=True)
    digest = hashlib.sha256(secret.read_bytes()).hexdigest().encode()
    out, cache = tmp_path / "out", tmp_path / "cache"
    for _ in range(2):  # the full build that writes the record, then the one that compares with it
        result = atlas_with_cache("build", "mine", "-o", out, cwd=tmp_path, cache=cache)
        assert result.returncode == 0, result.stderr
        assert holding(digest, out, cache) == []
        assert holding(b"swordfish", out, cache) == []


def test_a_lesson_linked_from_outside_is_refused_unopened_after_a_good_build(tmp_path: Path) -> None:
    source = starter(tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert atlas_with_cache("build", "mine", "-o", out, cwd=tmp_path, cache=cache).returncode == 0
    outside = tmp_path / "outside.md"  # read whole, it would not fit in the memory the build has
    with open(outside, "wb") as lesson:
        lesson.truncate(HUGE)
    (source / "lessons" / "stolen.md").symlink_to(outside)
    result = atlas_with_cache("build", "mine", "-o", out, cwd=tmp_path, cache=cache, memory=MEMORY)
    assert result.returncode == 2, result.stderr[-2000:]
    assert result.stderr.startswith("mine/lessons/stolen.md:1: lies outside the atlas folder")


# A file of 3 GB in lessons/ was read whole (to hash it for the build's record) despite the
# 50 MB limit.


def test_a_huge_file_beside_the_lessons_is_not_read(tmp_path: Path) -> None:
    source = starter(tmp_path)
    with open(source / "lessons" / "film.mp4", "wb") as film:
        film.truncate(HUGE)
    out, cache = tmp_path / "out", tmp_path / "cache"
    for _ in range(2):
        result = atlas_with_cache("build", "mine", "-o", out, cwd=tmp_path, cache=cache, memory=MEMORY)
        assert result.returncode == 0, result.stderr[-2000:]
    assert (out / "lessons" / "first-months.html").is_file()


@pytest.mark.parametrize("name", ["lessons/huge.md", "templates/static/huge.css"])
def test_a_huge_file_added_after_a_good_build_is_refused_by_its_size(tmp_path: Path, name: str) -> None:
    source = starter(tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert atlas_with_cache("build", "mine", "-o", out, cwd=tmp_path, cache=cache).returncode == 0
    before = tree(out)
    (source / name).parent.mkdir(parents=True, exist_ok=True)
    with open(source / name, "wb") as huge:
        huge.truncate(HUGE)
    result = atlas_with_cache("build", "mine", "-o", out, cwd=tmp_path, cache=cache, memory=MEMORY)
    assert result.returncode == 2, result.stderr[-2000:]
    assert result.stderr.splitlines() == [f"mine/{name}:1: is 3072 MB, more than the 50 MB atlas reads from one file"]
    assert tree(out) == before  # the previous build is as it was


# The lesson's title was found by a regular expression that took cubic time on a line of
# spaces: 2,000 of them took 18 s. Found now by string methods, in one pass.
def test_a_title_line_of_a_million_spaces_is_read_at_once(tmp_path: Path) -> None:
    source = starter(tmp_path)
    title = "Paris" + " " * 1_000_000 + "1789"
    (source / "lessons" / "spaces.md").write_text(f"# {title} ##\n\nText.\n", encoding="utf-8")
    result = run_atlas("build", "mine", "-o", "out", cwd=tmp_path)  # a subprocess, ended after 300 s
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "lessons" / "spaces.html").read_text(encoding="utf-8")
    assert f"<h1>{title}</h1>" in page


def test_headings_named_like_the_lesson_are_read_in_one_pass(tmp_path: Path) -> None:
    """Each heading before any text was compared with all the blank lines before it."""
    source = starter(tmp_path)
    (source / "lessons" / "x.md").write_text("# x\n\n" * 200_000, encoding="utf-8")
    result = run_atlas("check", "mine", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("line", "title"), [
    ("# The Long March", "The Long March"),
    ("#\tThe Long March  ", "The Long March"),
    ("# The Long March ##", "The Long March"),
    ("# C#", "C#"),
    ("#  ##  ", None),
    ("#", None),
    ("#Hashtag", None),
    ("## A section", None),
    (" # Indented", None),
])
def test_a_title_is_a_first_level_heading_without_its_closing_marks(line: str, title: str | None) -> None:
    from atlas.lessons import heading

    assert heading(line) == title
