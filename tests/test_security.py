"""Stage: all.

An atlas folder may come from anyone: building it never runs its text as code, never
reads outside it, survives its bombs, and the embed code it gives cannot break out.

Each test here stands for a finding of issue 9 and failed on the build before the fix.
"""

from __future__ import annotations

import html
import json
import os
import resource
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import HOSTILE, ROOT, SAMPLES, elements, map_features, run_atlas, tree_digest

MARKER = "atlas_pwned"  # the file the sample's template payload would create in the working folder


def test_the_hostile_sample_tries_template_injection_everywhere() -> None:
    assert "lipsum.__globals__.os.popen(" in HOSTILE and "{{ 7*7 }}" in HOSTILE and "{# comment #}" in HOSTILE
    for name in ("atlas.yaml", "places.yaml", "events.yaml", "periods.yaml", "events.csv"):
        assert "lipsum.__globals__" in (SAMPLES / "hostile" / name).read_text(encoding="utf-8"), name


def test_no_text_field_runs_as_a_template(hostile_site: Path) -> None:
    # The site was built with its parent as the working folder: the payload would have made the marker there.
    assert not (hostile_site.parent / MARKER).exists()
    props = map_features(hostile_site / "periods" / "only.html")
    town, road, event, csv_event = props["town"], props["road"], props["event"], props["csv-event"]
    assert town["name"] == "Old " + HOSTILE and town["others"] == []
    assert town["description"] == HOSTILE and town["kind"] == HOSTILE
    assert town["sources"][0]["label"] == HOSTILE
    assert road["control"] == [HOSTILE] and road["name"] == "Road " + HOSTILE
    assert event["title"] == "Event " + HOSTILE and event["summary"] == HOSTILE and event["category"] == HOSTILE
    assert event["sources"][0]["label"] == HOSTILE
    assert csv_event["title"] == "CSV event " + HOSTILE and csv_event["summary"] == HOSTILE
    assert csv_event["sources"][0]["label"].startswith("Source {{ 7*7 }} <script>alert(7)</script> {{ lipsum")


def test_stray_template_syntax_is_plain_text(tmp_path: Path) -> None:
    source = shutil.copytree(SAMPLES / "good", tmp_path / "src")
    strays = "unclosed {{ and {% and {# and }} %} #} {{ 1 + }} {% endfor %} ${x}"
    events = source / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace(
        "  title: The Mukden Incident\n", f"  title: The Mukden Incident\n  summary: {json.dumps(strays)}\n"), encoding="utf-8")
    assert run_atlas("check", source).returncode == 0
    result = run_atlas("build", source, "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    summaries = [f.get("summary") for page in (tmp_path / "out" / "periods").glob("*.html")
                 for f in map_features(page).values()]
    assert strays in summaries


def embed_code(period_page: str) -> str:
    """The text of the page's embed-code box, as a teacher would copy it (before the page
    script makes its address absolute)."""
    start = period_page.index('<textarea id="embed-code"')
    inner = period_page[period_page.index(">", start) + 1:period_page.index("</textarea>", start)]
    return html.unescape(inner)


def test_the_embed_code_is_one_iframe_whose_title_cannot_break_out(hostile_site: Path) -> None:
    page = (hostile_site / "periods" / "only.html").read_text(encoding="utf-8")
    found = elements(embed_code(page))
    assert [tag for tag, _ in found] == ["iframe"]
    attributes = found[0][1]
    assert attributes["title"] == f"Map: Period {HOSTILE}, 1930–1940"
    assert attributes["src"] == "../embed/only.html"
    assert set(attributes) == {"src", "title", "width", "height", "style", "loading"}


def broken_atlas(tmp_path: Path) -> Path:
    return shutil.copytree(SAMPLES / "good", tmp_path / "src")


def add_place(source: Path, text: str) -> None:
    places = source / "places.yaml"
    places.write_text(places.read_text(encoding="utf-8") + textwrap.dedent(text), encoding="utf-8")


def region(geojson: str) -> str:
    return f"""\
        - id: outside
          name: Outside
          kind: region
          geojson: {geojson}
        """


def last_line(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize("written", ["/etc/passwd", "../outside.geojson", "../src2/x.geojson"])
def test_a_geojson_path_outside_the_atlas_is_refused(tmp_path: Path, written: str) -> None:
    source = broken_atlas(tmp_path)
    (tmp_path / "outside.geojson").write_text('{"type": "Point", "coordinates": [120, 40]}', encoding="utf-8")
    add_place(source, region(written))
    result = run_atlas("check", "src", cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    line = last_line(source / "places.yaml")
    assert f"src/places.yaml:{line}: GeoJSON file '{written}'" in result.stderr
    assert "outside the atlas folder" in result.stderr or "not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_symlink_out_of_the_atlas_is_refused_wherever_the_data_names_a_file(tmp_path: Path) -> None:
    source = broken_atlas(tmp_path)
    secret = tmp_path / "private.md"
    secret.write_text("# Private notes\n\nnot for publication\n", encoding="utf-8")
    (source / "region.geojson").symlink_to(tmp_path / "outside.geojson")
    (tmp_path / "outside.geojson").write_text('{"type": "Point", "coordinates": [120, 40]}', encoding="utf-8")
    add_place(source, region("region.geojson"))
    (source / "lessons").mkdir()
    (source / "lessons" / "notes.md").symlink_to(secret)
    (source / "templates" / "static").mkdir(parents=True)
    (source / "templates" / "static" / "extra.css").symlink_to(secret)
    (source / "templates" / "index.html").symlink_to(secret)
    out = tmp_path / "out"
    result = run_atlas("build", "src", "-o", out, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert any(line.startswith("src/lessons/notes.md:1: lies outside the atlas folder") for line in lines), lines
    assert any(line.startswith("src/templates/static/extra.css:1: lies outside the atlas folder") for line in lines)
    assert any(line.startswith("src/templates/index.html:1: lies outside the atlas folder") for line in lines)
    assert any("GeoJSON file 'region.geojson' lies outside the atlas folder" in line for line in lines)
    assert not out.exists()


def test_a_symlink_inside_the_atlas_is_read(tmp_path: Path) -> None:
    source = broken_atlas(tmp_path)
    (source / "shapes").mkdir()
    (source / "shapes" / "region.geojson").write_text('{"type": "Point", "coordinates": [120, 40]}', encoding="utf-8")
    (source / "region.geojson").symlink_to(source / "shapes" / "region.geojson")
    add_place(source, region("region.geojson"))
    assert run_atlas("check", source).returncode == 0


def write_template(source: Path, text: str) -> None:
    (source / "templates").mkdir(exist_ok=True)
    (source / "templates" / "index.html").write_text(text, encoding="utf-8")


def test_an_atlas_template_runs_in_the_sandbox(tmp_path: Path) -> None:
    source = broken_atlas(tmp_path)
    write_template(source, '{% extends "default/index.html" %}\n{% block title %}\n'
                           "{{ cycler.__init__.__globals__.os.popen('touch atlas_pwned').read() }}{% endblock %}\n")
    result = run_atlas("build", source, "-o", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("src/templates/index.html:3: template error: ")
    assert "sandboxed template" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / MARKER).exists() and not (tmp_path / "out").exists()


def test_a_trusted_template_runs_outside_the_sandbox(tmp_path: Path) -> None:
    source = broken_atlas(tmp_path)
    write_template(source, '{% extends "default/index.html" %}\n{% block title %}{{ "".__class__.__name__ }}{% endblock %}\n')
    result = run_atlas("build", source, "-o", tmp_path / "out", "--trust-templates")
    assert result.returncode == 0, result.stderr
    assert "<title>str</title>" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


def test_the_readme_says_templates_are_code() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "Templates are code" in readme and "SECURITY.md" in readme
    security = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    for promise in ("never runs", "outside the atlas folder", "sandbox", "Content-Security-Policy", "Report"):
        assert promise in security, promise


def limited_atlas(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`atlas ARGS` with 2 GiB of address space and a minute: a bomb fails the test, not the machine."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    return subprocess.run([sys.executable, "-m", "atlas", *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          timeout=60, preexec_fn=limit, env={**os.environ, "PYTHONPATH": str(ROOT)})


BOMB = textwrap.dedent("""\
    title: Laughs
    a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
    d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
    e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
    f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
    g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
    h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
    i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
    """)


def test_an_alias_bomb_is_refused_at_once_in_bounded_memory(tmp_path: Path) -> None:
    source = broken_atlas(tmp_path)
    (source / "atlas.yaml").write_text(BOMB, encoding="utf-8")
    started = time.monotonic()
    result = limited_atlas("check", "src", cwd=tmp_path)
    assert result.returncode == 2
    assert "src/atlas.yaml:" in result.stderr and "aliases expand to more than 10,000 values" in result.stderr
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    assert time.monotonic() - started < 30  # a guard against a hang, not a measure of speed


def test_a_recursive_alias_is_refused(tmp_path: Path) -> None:
    source = broken_atlas(tmp_path)
    (source / "atlas.yaml").write_text("title: &t [*t]\n", encoding="utf-8")
    result = limited_atlas("check", "src", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("src/atlas.yaml:1: YAML alias refers to itself")


def test_a_fifo_in_the_lessons_does_not_hang_the_check(tmp_path: Path) -> None:
    source = broken_atlas(tmp_path)
    (source / "lessons").mkdir()
    os.mkfifo(source / "lessons" / "stuck.md")
    result = limited_atlas("check", "src", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "src/lessons/stuck.md:1: is not a regular file (a device, a pipe or a socket); " \
                            "only plain files are read\n"


def test_a_link_to_an_endless_device_is_refused(tmp_path: Path) -> None:
    source = broken_atlas(tmp_path)
    (source / "lessons").mkdir()
    (source / "lessons" / "zero.md").symlink_to("/dev/zero")
    (source / "periods.yaml").unlink()
    (source / "periods.yaml").symlink_to("/dev/zero")
    result = limited_atlas("check", "src", cwd=tmp_path)
    assert result.returncode == 2
    assert "src/lessons/zero.md:1: lies outside the atlas folder (it resolves to /dev/zero)" in result.stderr
    assert "src/periods.yaml:1: lies outside the atlas folder (it resolves to /dev/zero)" in result.stderr


def test_a_file_past_the_size_limit_is_refused(tmp_path: Path) -> None:
    source = broken_atlas(tmp_path)
    with (source / "events.yaml").open("r+b") as file:
        file.truncate(60 * 1024 * 1024)  # sparse: no disk is used
    result = limited_atlas("check", "src", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("src/events.yaml:1: is 60 MB, more than the 50 MB atlas reads from one file")


def test_a_folder_where_a_file_belongs_is_reported(tmp_path: Path) -> None:
    source = broken_atlas(tmp_path)
    (source / "lessons" / "a.md").mkdir(parents=True)
    result = run_atlas("check", "src", cwd=tmp_path)
    assert result.returncode == 2
    assert "src/lessons/a.md:1: is a folder, not a file" in result.stderr


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "file:///etc/passwd",
                                 "//evil.example/x", "https://example.org/\nhttp://x"])
def test_only_http_and_https_source_addresses_are_accepted(tmp_path: Path, url: str) -> None:
    source = broken_atlas(tmp_path)
    events = source / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace(
        "sources: [", f"sources: [{{label: Bad, url: {json.dumps(url)}}}, ", 1), encoding="utf-8")
    result = run_atlas("check", source)
    assert result.returncode == 2
    assert "source url should start with http:// or https://" in result.stderr


def test_a_csv_source_address_must_be_http_too(tmp_path: Path) -> None:
    source = broken_atlas(tmp_path)
    (source / "events.yaml").unlink()
    (source / "events.csv").write_text("id,date,title,places,sources\n"
                                       "ev,1935,Title,mukden,Bad <javascript:alert(1)>\n", encoding="utf-8")
    result = run_atlas("check", source)
    assert result.returncode == 2
    assert "src/events.csv:2: source url should start with http:// or https://, got 'javascript:alert(1)'" in result.stderr


def test_every_page_carries_its_policy_before_any_script(default_site: Path, hostile_site: Path) -> None:
    for site in (default_site, hostile_site):
        for page in sorted(site.rglob("*.html")):
            text = page.read_text(encoding="utf-8")
            policy = text.index('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; script-src ')
            assert "<script" not in text or policy < text.index("<script"), page
            assert "unsafe-inline" not in text and "unsafe-eval" not in text
            assert ' style="' not in text, page  # a style attribute would need 'unsafe-inline'



def test_a_failed_check_of_untrusted_data_changes_nothing(tmp_path: Path) -> None:
    source = broken_atlas(tmp_path)
    out = tmp_path / "out"
    assert run_atlas("build", source, "-o", out).returncode == 0
    before = tree_digest(out)
    (source / "atlas.yaml").write_text(BOMB, encoding="utf-8")
    assert limited_atlas("build", source, "-o", out, cwd=tmp_path).returncode == 2
    assert tree_digest(out) == before
