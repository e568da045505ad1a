"""Stages: site, building, serve.

Trust comes from the person building, never from the atlas folder; an atlas's own
templates fail with their line, whatever they raise (issue 21: V1 and the tracebacks of
sandboxed templates)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from atlas.building import buildrecord
from atlas.serve.preview import addressed_to
from atlas.site.timeline import year_ticks
from atlas.source.dates import Day

from conftest import SAMPLES, run_atlas
from test_security import limited_atlas
from test_serve import eventually, get, get_page, start

PAYLOAD = ('{% extends "default/index.html" %}\n{% block title %}\n'
           "{{ cycler.__init__.__globals__.os.system('touch atlas_pwned') }}{% endblock %}\n")


def atlas_with_template(tmp_path: Path, template: str, settings: str = "") -> Path:
    source = shutil.copytree(SAMPLES / "good", tmp_path / "src")
    (source / "templates").mkdir()
    (source / "templates" / "index.html").write_text(template, encoding="utf-8")
    if settings:
        with (source / "atlas.yaml").open("a", encoding="utf-8") as file:
            file.write(settings)
    return source


@pytest.mark.parametrize("command", ["check", "build"])
def test_an_atlas_cannot_lift_its_own_sandbox(tmp_path: Path, command: str) -> None:
    source = atlas_with_template(tmp_path, PAYLOAD, "templates: {trusted: true}\n")
    line = (source / "atlas.yaml").read_text(encoding="utf-8").splitlines().index("templates: {trusted: true}") + 1
    args: list[str | Path] = ["-o", tmp_path / "out"] if command == "build" else []
    result = run_atlas(command, source, *args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"src/atlas.yaml:{line}: an atlas folder cannot lift the template sandbox itself")
    assert "atlas build --trust-templates" in result.stderr
    assert not (tmp_path / "atlas_pwned").exists() and not (tmp_path / "out").exists()


def test_trusted_false_is_harmless(tmp_path: Path) -> None:
    source = atlas_with_template(tmp_path, '{% extends "default/index.html" %}\n', "templates: {trusted: false}\n")
    assert run_atlas("check", source).returncode == 0


def test_the_builder_trusts_with_a_flag_and_the_next_build_without_it_is_sandboxed_again(tmp_path: Path) -> None:
    source = atlas_with_template(tmp_path, PAYLOAD)
    out = tmp_path / "out"
    assert run_atlas("build", source, "-o", out, "--trust-templates", cwd=tmp_path).returncode == 0
    assert (tmp_path / "atlas_pwned").exists()  # the builder said so: the template ran as code
    (tmp_path / "atlas_pwned").unlink()
    again = run_atlas("build", source, "-o", out, cwd=tmp_path)  # no flag: not an incremental build of the trusted one
    assert again.returncode == 2 and "sandboxed template" in again.stderr
    assert not (tmp_path / "atlas_pwned").exists()


@pytest.mark.parametrize(("expression", "said"), [
    ("{{ 1/0 }}", "ZeroDivisionError: division by zero"),
    ('{{ 1 + "a" }}', "TypeError: unsupported operand"),
    ('{{ "a b c"|wordwrap(0) }}', "ValueError"),
    ("{{ range(10**8)|list }}", "Range too big"),
    ('{{ "x" * 10**10 }}', "too large"),
    ("{{ 7 ** (10**10) }}", "too large"),
    ("{{ [1] * 10**9 }}", "too large"),
])
def test_a_template_that_fails_at_run_time_says_where(tmp_path: Path, expression: str, said: str) -> None:
    atlas_with_template(tmp_path, '{% extends "default/index.html" %}\n{% block title %}\n'
                        f"{expression}{{% endblock %}}\n")
    result = limited_atlas("build", "src", "-o", "out", cwd=tmp_path)  # a bomb fails the test, not the machine
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("src/templates/index.html:3: template error: "), result.stderr
    assert said in result.stderr and "Traceback" not in result.stderr


# --- the build's record and atlas serve (V3, and the record published with the output) ---


def test_the_output_holds_only_what_is_published(tmp_path: Path) -> None:
    source, out = shutil.copytree(SAMPLES / "good", tmp_path / "src"), tmp_path / "out"
    assert run_atlas("build", source, "-o", out).returncode == 0
    (out / ".atlas-cache").mkdir()  # as a build of the last version left it
    (out / ".atlas-cache" / "state").write_bytes(b"old record")
    events = source / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace("The Mukden Incident", "The Mukden incident"),
                      encoding="utf-8")
    result = run_atlas("build", source, "-o", out)
    assert result.returncode == 0, result.stderr
    assert not (out / ".atlas-cache").exists()
    hidden = sorted(path.name for path in out.rglob(".*"))
    assert hidden == [".atlas-build"]  # the writer's mark, and nothing private
    record = buildrecord.written(out)
    assert record is not None and "index.html" in record and (buildrecord.folder(out) / "written").is_file()
    assert not any(part.startswith(".atlas-cache") for path in record for part in path.split("/"))


def test_records_of_output_folders_that_are_gone_are_swept(tmp_path: Path) -> None:
    source = shutil.copytree(SAMPLES / "good", tmp_path / "src")
    first, second = tmp_path / "first", tmp_path / "second"
    assert run_atlas("build", source, "-o", first).returncode == 0
    kept = buildrecord.folder(first)
    assert kept.is_dir()
    shutil.rmtree(first)
    assert run_atlas("build", source, "-o", second).returncode == 0
    assert not kept.exists() and buildrecord.folder(second).is_dir()


def handed_over(tmp_path: Path) -> Path:
    """An output folder from someone else: atlas's mark forged, a link to the whole disk."""
    out = tmp_path / "site"
    out.mkdir()
    (out / ".atlas-build").write_text("written by atlas build\n", encoding="utf-8")
    (out / "root").symlink_to("/")
    (out / "index.html").write_text("<p>theirs</p>", encoding="utf-8")
    return out


def test_serve_never_serves_a_handed_over_folder(tmp_path: Path) -> None:
    source = shutil.copytree(SAMPLES / "good", tmp_path / "src")
    events = source / "events.yaml"
    good = events.read_text(encoding="utf-8")
    events.write_text(good.replace("1945-08-09/1945-08-20", "1945-02-30"), encoding="utf-8")  # the first build fails
    out = handed_over(tmp_path)
    running = start(source, out)
    try:
        for path in ("root/etc/passwd", "root/etc/hostname", "index.html", "", ".atlas-build"):
            status, body = get_page(running.url + path)
            assert status in (404, 503), path
            assert "root:" not in body and "theirs" not in body
        events.write_text(good, encoding="utf-8")
        eventually(lambda: "Sample atlas" in get(running.url)[1], "the fixed build is served")
        # Now built by this user: what the build wrote is served, and nothing put there since.
        (out / "periods" / "extra.html").write_text("<p>added</p>", encoding="utf-8")
        (out / "assets" / "disk").symlink_to("/")
        (out / "periods" / "manchukuo.html").unlink()
        (out / "periods" / "manchukuo.html").symlink_to("/etc/passwd")
        for path in ("periods/extra.html", "assets/disk/etc/passwd", "periods/manchukuo.html", ".atlas-build"):
            status, body = get_page(running.url + path)
            assert status == 404 and "root:" not in body, path
        assert get_page(running.url + "periods/after-1945.html")[0] == 200
    finally:
        running.stop.set()
        running.thread.join(timeout=5)
    assert not running.errors


def test_a_browser_on_port_80_is_answered() -> None:
    # A browser leaves HTTP's own port out of the Host header: `Host: 127.0.0.1`.
    assert addressed_to("127.0.0.1", 80) and addressed_to("localhost", 80) and addressed_to("[::1]", 80)
    assert addressed_to("127.0.0.1:80", 80) and addressed_to("[::1]:8000", 8000)
    assert not addressed_to("127.0.0.1", 8000) and not addressed_to("evil.example", 80)
    assert not addressed_to("", 80) and not addressed_to("[::1]", 8000) and not addressed_to("::1", 80)


@pytest.mark.parametrize("events", ["[]\n", "", "# nothing yet\n"])
def test_an_atlas_without_events_builds_and_builds_again(tmp_path: Path, events: str) -> None:
    # What every gazetteer import makes: places and a period, no events.
    assert run_atlas("new", tmp_path / "src").returncode == 0
    shutil.rmtree(tmp_path / "src" / "lessons")
    (tmp_path / "src" / "events.yaml").write_text(events, encoding="utf-8")
    for _ in range(2):
        result = run_atlas("build", tmp_path / "src", "-o", tmp_path / "out")
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("Built 2 periods, 0 events, 3 places")


@pytest.mark.parametrize("when", ["Y-999999999/Y999999999", "Y-170000000/2020", "-0999/0001", "1914-07-28/1918-11-11"])
def test_a_period_of_any_length_has_a_handful_of_year_ticks(tmp_path: Path, when: str) -> None:
    # V10: two billion years gave two million ticks, 179 MB a page.
    assert run_atlas("new", tmp_path / "src").returncode == 0
    shutil.rmtree(tmp_path / "src" / "lessons")
    (tmp_path / "src" / "events.yaml").write_text("[]\n", encoding="utf-8")
    (tmp_path / "src" / "periods.yaml").write_text(f'- {{id: all, title: All, when: "{when}"}}\n', encoding="utf-8")
    assert run_atlas("build", tmp_path / "src", "-o", tmp_path / "out").returncode == 0
    page = (tmp_path / "out" / "periods" / "all.html").read_text(encoding="utf-8")
    ticks = re.findall(r'<[^>]* id="tick-[^"]*"[^>]*>([^<]*)<', page)
    assert 3 <= len(ticks) <= 11, ticks
    assert len(page) < 200_000


def test_ticks_are_round_years_as_the_reader_counts_them() -> None:
    def labels(first: int, last: int) -> list[str]:
        low, high = Day(first, 1, 1).ordinal(), Day(last, 12, 31).ordinal()
        return [tick["label"] for tick in year_ticks(low, high, high - low + 1)]

    assert labels(-216, -100) == ["200 BCE", "180 BCE", "160 BCE", "140 BCE", "120 BCE", "100 BCE"]
    assert labels(-999_999_999, 999_999_999)[:2] == ["1,000,000,000 BCE", "800,000,000 BCE"]
    assert labels(1914, 1918) == ["1914", "1915", "1916", "1917", "1918"]


def test_no_page_allows_every_file_on_the_disk_to_run(tmp_path: Path) -> None:
    # From file://, a policy's 'self' allows every file of the disk: each script file of a
    # page is allowed by the page's own nonce instead, the hash of the page.
    assert run_atlas("build", SAMPLES / "good", "-o", tmp_path / "out").returncode == 0
    nonces = set()
    for page in (tmp_path / "out").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        scripts = re.search(r"script-src ([^;]*);", html)
        assert scripts and "'self'" not in scripts.group(1), page
        files = re.findall(r"<script ([^>]*)src=", html)
        allowed = re.findall(r"'nonce-([^']+)'", scripts.group(1))
        assert files == [f'nonce="{nonce}" ' for nonce in allowed for _ in files], page
        nonces.update(allowed)
    assert len(nonces) >= 5  # one a page: periods, embeds, index, compare
