"""Stages: source, site.

Lessons: Markdown with map directives, checked like any reference, escaped like all text."""

from __future__ import annotations

from pathlib import Path

from conftest import run_atlas

HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(3)> `${alert(4)}`"


def write_lesson(samples: Path, text: str, name: str = "manchuria.md") -> Path:
    folder = samples / "good" / "lessons"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_lesson_becomes_a_page_with_titled_iframes(samples: Path) -> None:
    write_lesson(samples, "# Manchuria under Japan\n\nSome *text*.\n\n::: map manchukuo event=mukden-incident height=300\n\n"
                          "More text.\n\n::: map after-1945\n")
    result = run_atlas("build", "good", "-o", "site", cwd=samples)
    assert result.returncode == 0, result.stderr
    page = (samples / "site" / "lessons" / "manchuria.html").read_text(encoding="utf-8")
    assert "<h1>Manchuria under Japan</h1>" in page and page.count("<h1>") == 1
    assert "<p>Some <em>text</em>.</p>" in page
    assert ('<iframe src="../embed/manchukuo.html?lesson&amp;mark=mukden-incident" title="Map: Manchukuo, 1931 – 15 August 1945" '
            'loading="lazy" height="300"></iframe>') in page
    assert '<iframe src="../embed/after-1945.html?lesson" title="Map: After the war' in page
    assert 'height="420"' in page
    index = (samples / "site" / "index.html").read_text(encoding="utf-8")
    assert '<a href="lessons/manchuria.html">Manchuria under Japan</a>' in index


def test_unknown_periods_events_and_options_name_their_line(samples: Path) -> None:
    write_lesson(samples, "# A lesson\n\n::: map no-such-period\n\n::: map manchukuo event=no-such-event\n\n"
                          "::: map after-1945 event=mukden-incident\n\n::: map manchukuo colour=red\n\n"
                          "::: map manchukuo height=5\n")
    site = samples / "site"
    assert run_atlas("build", "good", "-o", site, cwd=samples).returncode == 2
    result = run_atlas("check", "good", cwd=samples)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "good/lessons/manchuria.md:3: map names unknown period 'no-such-period'",
        "good/lessons/manchuria.md:5: map names unknown event 'no-such-event'",
        "good/lessons/manchuria.md:7: event 'mukden-incident' is not in period 'after-1945'",
        "good/lessons/manchuria.md:9: unknown map option 'colour=red' (use event=ID, places=ID,ID or height=PIXELS)",
        "good/lessons/manchuria.md:11: map height should be a number of pixels from 150 to 2000, got '5'",
    ]
    assert not site.exists()


def test_lesson_text_is_escaped_unless_atlas_yaml_allows_html(samples: Path) -> None:
    write_lesson(samples, f"# Title {HOSTILE}\n\n{HOSTILE}\n\n<div class=raw>{HOSTILE}</div>\n\n[link](javascript:alert(5))\n")
    assert run_atlas("build", "good", "-o", "site", cwd=samples).returncode == 0
    page = (samples / "site" / "lessons" / "manchuria.html").read_text(encoding="utf-8")
    for raw in ("<script>alert", "<img src=x", "<div class=raw>", 'href="javascript:'):
        assert raw not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    atlas_yaml = samples / "good" / "atlas.yaml"
    atlas_yaml.write_text(atlas_yaml.read_text(encoding="utf-8") + "lessons: {allow_html: true}\n", encoding="utf-8")
    assert run_atlas("build", "good", "-o", "site", cwd=samples).returncode == 0
    trusted = (samples / "site" / "lessons" / "manchuria.html").read_text(encoding="utf-8")
    assert '<div class="raw">' in trusted
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in trusted.split("<main")[0]  # the title is always text


def test_a_lesson_id_shares_the_namespace(samples: Path) -> None:
    write_lesson(samples, "# Clash\n", name="mukden.md")
    result = run_atlas("check", "good", cwd=samples)
    assert result.returncode == 2
    assert "good/lessons/mukden.md:1: duplicate id 'mukden' (first used at good/places.yaml:1)" in result.stderr


def test_the_default_atlas_ships_a_lesson_on_its_periods() -> None:
    from conftest import ROOT

    lessons = sorted((ROOT / "places" / "lessons").glob("*.md"))
    assert [path.name for path in lessons] == ["railway-that-changed-hands.md", "railway-that-changed-hands.ru.md",
                                               "railway-that-changed-hands.zh.md", "the-split.md", "the-split.ru.md",
                                               "the-split.zh.md"]
    for lesson in lessons:
        assert lesson.read_text(encoding="utf-8").count("::: map ") >= 4


def test_new_atlas_can_take_a_lesson(tmp_path: Path) -> None:
    assert run_atlas("new", "mine", cwd=tmp_path).returncode == 0
    (tmp_path / "mine" / "lessons").mkdir(exist_ok=True)  # the starter has a lesson already
    (tmp_path / "mine" / "lessons" / "revolution.md").write_text("# 1789\n\n::: map summer-1789\n", encoding="utf-8")
    built = run_atlas("build", "mine", "-o", "out", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "out" / "lessons" / "revolution.html").is_file()


def test_a_map_names_the_places_its_questions_ask_about(samples: Path) -> None:
    """`places=` are place ids, checked like any reference; the map and its questions are one task."""
    write_lesson(samples, "# A lesson\n\n::: map manchukuo places=mukdn\n\n::: map manchukuo places=Mukden,\n")
    result = run_atlas("check", "good", cwd=samples)
    assert result.stderr.splitlines() == [
        "good/lessons/manchuria.md:3: map names unknown place 'mukdn' (did you mean 'mukden'?)",
        "good/lessons/manchuria.md:5: map places should be place ids separated by commas, got 'Mukden,'",
    ]
    write_lesson(samples, "# A lesson\n\n::: map manchukuo event=mukden-incident places=mukden\n\n"
                          "- What is it called?\n- A note.\n\n## Next\n\nMore.\n")
    assert run_atlas("build", "good", "-o", "site", cwd=samples).returncode == 0
    page = (samples / "site" / "lessons" / "manchuria.html").read_text(encoding="utf-8")
    assert 'src="../embed/manchukuo.html?lesson&amp;mark=mukden-incident&amp;places=mukden"' in page
    task = page.split('<div class="lesson-task">', 1)[1].split("</div>", 1)[0]
    assert "<iframe" in task and '<li class="question">What is it called?</li>' in task and "<li>A note.</li>" in task
    assert "<h2>Next</h2>" not in task and "<h2>Next</h2>" in page
