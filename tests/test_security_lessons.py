"""Stages: source, site.

Lessons from an atlas folder that may come from anyone: only their own .md files are
read (inside the folder, within the size limit), their titles are found in linear time,
and raw HTML, where an atlas allows it, is cut down to harmless elements with a warning."""

from __future__ import annotations

import hashlib
import os
import resource
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    from atlas.source.lessons import heading

    assert heading(line) == title


HARMLESS_LINKS = '<a href="mailto:teacher@example.org">mail</a> <a href="../periods/p.html#e">p</a>'
COMMENT = "<!-- a --!> <img src=x onerror=alert(1)> -->"  # ends at `--!>` in a browser, not here
TABLE = "<table><tr><th scope=col>Year</th></tr><tr><td colspan=2>1789</td></tr></table>"


# V4: `lessons: {allow_html: true}` let any HTML into a lesson page, which an atlas folder
# from anyone can set. The HTML is now written out again from what was parsed, keeping only
# harmless elements and attributes.
@pytest.mark.parametrize(("html", "kept"), [
    ('<script src="../../evil.js"></script>after', "after"),
    ('<SCRIPT>alert(1)</SCRIPT>', ""),
    ('<meta http-equiv="refresh" content="0;url=https://example.org/">', ""),
    ('<img src="map.png" alt="A map" onerror="alert(1)">', '<img src="map.png" alt="A map">'),
    ('<iframe srcdoc="<script>alert(1)</script>"></iframe>', ""),
    ('<form action="https://example.org/"><input name="q"><button>Go</button></form>', "Go"),
    ("<svg><script>alert(1)</script><svg/><style>x</style></svg>tail", "tail"),
    ("<math><mi>x</mi></math>", ""),
    ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="jav&#x09;ascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href=" JAVASCRIPT&colon;alert(1)">x</a>', "<a>x</a>"),
    ('<a href="data:text/html,<script>alert(1)</script>">x</a>', "<a>x</a>"),
    ('<a href="https://example.org/a?b=1&amp;c=2" target="_blank">x</a>', '<a href="https://example.org/a?b=1&amp;c=2">x</a>'),
    (HARMLESS_LINKS, HARMLESS_LINKS),
    ('<img src="https://example.org/t.png">', "<img>"),
    ('<img src="//example.org/t.png">', "<img>"),
    ('<img src="/\\example.org/t.png">', "<img>"),
    ('<img src="data:image/png;base64,AAAA" srcset="https://example.org/t.png 2x">', "<img>"),
    ('<video poster="https://example.org/t.png"><source src="https://example.org/v.mp4"></video>', ""),
    ('<link rel="stylesheet" href="https://example.org/s.css"><base href="https://example.org/">', ""),
    ('<p style="background: url(https://example.org/t.png)">text</p>', "<p>text</p>"),
    ('<textarea><img src=x onerror=alert(1)></textarea>ok', "ok"),
    ('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', ""),
    ('<img src="ok.png" src="https://example.org/t.png">', '<img src="ok.png">'),
    ('<div id="AtlasShared" name="x" class="note" title="a &quot;b&quot; <c>">x &lt; y</div>',
     '<div class="note" title="a &quot;b&quot; &lt;c&gt;">x &lt; y</div>'),
    ("<center><font color=red>old</font></center>", "old"),
    (TABLE, '<table><tr><th scope="col">Year</th></tr><tr><td colspan="2">1789</td></tr></table>'),
])
def test_raw_html_keeps_only_harmless_elements_and_attributes(html: str, kept: str) -> None:
    from atlas.source.sanitize import clean

    cleaned = clean(html)
    assert cleaned.html == kept
    assert (cleaned.dropped == []) == (html in (HARMLESS_LINKS, TABLE))


def test_comments_are_left_out_however_a_parser_ends_them() -> None:
    """Python's parser ends this comment at `-->`, a browser at `--!>`: nothing of it may
    come out as written (a comment is not reported: the reader never sees it)."""
    from atlas.source.sanitize import clean

    cleaned = clean(COMMENT)
    assert "<!--" not in cleaned.html and "onerror" not in cleaned.html


HOSTILE_LESSON = """\
# Traps

Some text with <span onclick="alert(1)">a handler</span>,
and on its next line <a href="javascript:alert(2)">a link</a>.

<meta http-equiv="refresh" content="0;url=https://example.org/">

<div>
<p>fine</p>
<img src="https://example.org/track.png">
</div>

::: map summer-1789

<script>alert(3)</script>
"""


def test_check_warns_of_each_thing_left_out_at_its_line(tmp_path: Path) -> None:
    source = starter(tmp_path)
    (source / "lessons" / "traps.md").write_text(HOSTILE_LESSON, encoding="utf-8")
    shown_as_text = run_atlas("check", "mine", cwd=tmp_path)  # raw HTML not allowed: it is text, nothing is lost
    assert shown_as_text.returncode == 0 and shown_as_text.stderr == ""
    with (source / "atlas.yaml").open("a", encoding="utf-8") as settings:
        settings.write("lessons: {allow_html: true}\n")
    result = run_atlas("check", "mine", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        "mine/lessons/traps.md:3: warning: the onclick attribute of <span> is left out: a lesson may not run scripts",
        "mine/lessons/traps.md:4: warning: the address 'javascript:alert(2)' of <a> is left out: a link goes to a web "
        "address (http or https), an e-mail address (mailto) or a page of the atlas",
        "mine/lessons/traps.md:6: warning: <meta> is left out: a lesson may not change the page's settings or send "
        "the reader elsewhere",
        "mine/lessons/traps.md:10: warning: the address 'https://example.org/track.png' of <img> is left out: a picture "
        "comes from the atlas itself (an address relative to the lesson), not from another site",
        "mine/lessons/traps.md:15: warning: <script> is left out: a lesson may not run scripts",
    ]
    assert run_atlas("check", "--strict", "mine", cwd=tmp_path).returncode == 2
    assert run_atlas("build", "mine", "-o", "out", cwd=tmp_path).returncode == 0
    page = (tmp_path / "out" / "lessons" / "traps.html").read_text(encoding="utf-8")
    body = page.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert "<span>a handler</span>" in body and "<p>fine</p>" in body and "<img>" in body
    for trap in ("onclick", "javascript:", "<meta", "example.org", "<script"):
        assert trap not in body, trap


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.other: list[str] = []  # comments, declarations, processing instructions

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_comment(self, data: str) -> None:
        self.other.append(data)

    def handle_decl(self, decl: str) -> None:
        self.other.append(decl)

    def unknown_decl(self, data: str) -> None:
        self.other.append(data)

    def handle_pi(self, data: str) -> None:
        self.other.append(data)


PIECES = ["<", ">", "</", "/>", "=", '"', "'", " ", "\n", "\t", "script", "img", "a", "svg", "p", "style", "textarea",
          "noscript", "iframe", "meta", "on", "error", "href", "src", "srcset", "javascript:", "&#x09;", "&colon;",
          "&lt;", "&quot;", "<!--", "-->", "--!>", "<!", "<?", "]]>", "//", "\\", "x", "http:", "data:", "#"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_whatever_the_html_only_allowed_elements_and_addresses_come_out(html: str) -> None:
    """What comes out, read again, is only listed elements with listed attributes and
    allowed addresses; reading it again changes nothing and leaves nothing out."""
    from atlas.source.sanitize import COMMON, ELEMENTS, clean, link_allowed, picture_allowed

    out = clean(html).html
    parsed = _Tags()
    parsed.feed(out)
    parsed.close()
    assert parsed.other == []
    for tag, attrs in parsed.tags:
        assert tag in ELEMENTS
        for name, value in attrs:
            assert name in COMMON | ELEMENTS[tag]
            assert name not in ("href", "cite") or link_allowed(value or "")
            assert name != "src" or picture_allowed(value or "")
    again = clean(out)
    assert again.html == out and again.dropped == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*PIECES, "# ", "## ", "\n\n", "::: map p\n", "* ", "`", "    ", "[x](", ")"]),
                max_size=60).map("".join))
def test_any_lesson_with_html_is_read_with_its_warnings_on_its_own_lines(text: str) -> None:
    from atlas.source.lessons import read_lesson

    _, problems = read_lesson(Path("lessons/x.md"), text, allow_html=True)
    last = max(1, len(text.splitlines()))
    assert all(1 <= problem.origin.line <= last for problem in problems)
