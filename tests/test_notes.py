"""Stage: site.

An author's note (`note:` on a period, event or place) is for the author, fact-checkers and,
when the author opts in, teachers: `atlas check --notes` lists each at its line, and
`notes: {teacher_page: true}` adds notes.html, linked from the index's footer. No other file
a build writes carries a note (the pages, the embeds, the data download), so a pupil never
reads "we could not confirm…" beside the map.
"""

from __future__ import annotations

from pathlib import Path

from conftest import run_atlas

HOSTILE = "NOTE-TOKEN <script>alert(1)</script> {{ 7*7 }} ${x} `y`"


def _add_notes(folder: Path) -> None:
    """A note on a period, an event and a place of the good sample, each with its own token."""
    for name, first_id in (("periods.yaml", "manchukuo"), ("events.yaml", "mukden-incident"),
                           ("places.yaml", "mukden")):
        path = folder / name
        text = path.read_text(encoding="utf-8")
        kind = name.removesuffix("s.yaml")
        anchor = f"- id: {first_id}\n"
        assert anchor in text
        note = f'  note: "{kind.upper()}-{HOSTILE}"\n'
        path.write_text(text.replace(anchor, anchor + note, 1), encoding="utf-8")


def _every_file_text(out: Path) -> dict[str, str]:
    return {path.relative_to(out).as_posix(): path.read_bytes().decode("utf-8", "replace")
            for path in out.rglob("*") if path.is_file()}


def test_check_lists_every_note_at_its_line(samples: Path) -> None:
    source = samples / "good"
    _add_notes(source)
    result = run_atlas("check", source, "--notes")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if "NOTE-TOKEN" in line]
    assert [line.split(": ", 2)[1] for line in lines] == ["period manchukuo", "event mukden-incident", "place mukden"]
    assert [line.split(": ", 1)[0].rsplit("/", 1)[-1] for line in lines] == ["periods.yaml:1", "events.yaml:1",
                                                                             "places.yaml:1"]
    assert "EVENT-NOTE-TOKEN <script>alert(1)</script>" in lines[1]
    plain = run_atlas("check", source)
    assert plain.returncode == 0 and "NOTE-TOKEN" not in plain.stdout


def test_no_note_reaches_a_built_file(samples: Path, tmp_path: Path) -> None:
    source = samples / "good"
    _add_notes(source)
    out = tmp_path / "build"
    result = run_atlas("build", source, "-o", out)
    assert result.returncode == 0, result.stderr
    files = _every_file_text(out)
    assert "index.html" in files and "data/atlas.geojson" in files
    assert [name for name, text in files.items() if "NOTE-TOKEN" in text] == []
    assert not (out / "notes.html").exists()
    assert "notes.html" not in files["index.html"]


def test_teacher_page_shows_notes_as_text_and_nothing_else_does(samples: Path, tmp_path: Path) -> None:
    source = samples / "good"
    _add_notes(source)
    settings = source / "atlas.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "notes: {teacher_page: true}\n", encoding="utf-8")
    out = tmp_path / "build"
    result = run_atlas("build", source, "-o", out)
    assert result.returncode == 0, result.stderr
    files = _every_file_text(out)
    assert [name for name, text in files.items() if "NOTE-TOKEN" in text] == ["notes.html"]
    page = files["notes.html"]
    for kind in ("PERIOD", "EVENT", "PLACE"):
        assert f"{kind}-NOTE-TOKEN &lt;script&gt;alert(1)&lt;/script&gt; {{{{ 7*7 }}}} ${{x}} `y`" in page
    assert "<script>alert" not in page and "49" not in page.split("NOTE-TOKEN", 1)[1][:60]
    assert 'href="periods/after-1945.html' not in page.split("EVENT-NOTE-TOKEN")[0]
    assert 'href="periods/manchukuo.html#event-mukden-incident"' in page
    assert '<a href="notes.html">Notes for teachers</a>' in files["index.html"]


def test_a_teacher_page_setting_that_is_not_true_or_false_is_refused(samples: Path) -> None:
    source = samples / "good"
    settings = source / "atlas.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "notes: {teacher_page: sometimes}\n", encoding="utf-8")
    result = run_atlas("check", source)
    assert result.returncode == 2
    assert "atlas.yaml" in result.stderr and "'teacher_page' should be true or false" in result.stderr
    assert "Traceback" not in result.stderr
