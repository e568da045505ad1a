"""Stages: source, site, cli. An atlas in several languages (issue 27): text given per
language inline or in a translator's file, a lesson per language, a site per language
beside the main one with a language switch and `hreflang` links, the main language's text
marked where a translation is missing, labels in the page's language by date, `atlas build
--lang`, and a right-to-left language laid out mirrored. Mistakes name their file and line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import ROOT, map_features, page_data, run_atlas


def starter(tmp_path: Path, languages: str = "[fr]") -> Path:
    """The starter atlas (French Revolution), written in English and, in part, in `languages`."""
    source = tmp_path / "atlas"
    assert run_atlas("new", source).returncode == 0
    settings = source / "atlas.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "language: en\n", f"language: en\nlanguages: {languages}\n"), encoding="utf-8")
    return source


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def build(source: Path, *args: str) -> Path:
    out = source.parent / "out"
    result = run_atlas("build", source, "-o", out, *args)
    assert result.returncode == 0, result.stderr
    return out


def test_a_title_given_per_language_is_read_in_each_site(tmp_path: Path) -> None:
    source = starter(tmp_path)
    edit(source / "events.yaml", "title: Storming of the Bastille",
         "title: {en: Storming of the Bastille, fr: Prise de la Bastille}")
    out = build(source)
    english = (out / "periods" / "summer-1789.html").read_text(encoding="utf-8")
    french = (out / "fr" / "periods" / "summer-1789.html").read_text(encoding="utf-8")
    assert '<h3 class="event-title">Storming of the Bastille</h3>' in english
    assert '<h3 class="event-title">Prise de la Bastille</h3>' in french
    assert '<html lang="fr">' in french
    # What French lacks is the English text, marked as English for a screen reader.
    assert '<p class="summary" lang="en" dir="ltr">The Estates-General meet and Paris rises.</p>' in french
    assert "Prise de la Bastille" not in english


def test_a_translators_file_gives_a_language_its_text(tmp_path: Path) -> None:
    source = starter(tmp_path, "[ru]")
    edit(source / "atlas.yaml", "language: en\n", "language: en\ncategories: {revolution: {label: Revolution}}\n")
    (source / "translations").mkdir()
    (source / "translations" / "ru.yaml").write_text(
        "atlas: {title: Мой атлас}\n"
        "categories: {revolution: Революция}\n"
        "periods:\n  summer-1789: {title: Лето 1789 года, summary: Собираются Генеральные штаты.}\n"
        "events:\n  storming-of-the-bastille: {title: Взятие Бастилии}\n", encoding="utf-8")
    out = build(source)
    page = (out / "ru" / "periods" / "summer-1789.html").read_text(encoding="utf-8")
    assert "<h1>Лето 1789 года</h1>" in page
    assert '<p class="summary">Собираются Генеральные штаты.</p>' in page
    assert '<h3 class="event-title">Взятие Бастилии</h3>' in page
    assert "Революция" in page and "<title>Лето 1789 года · Мой атлас</title>" in page
    # The event's summary has no translation: it stays English, said to be.
    assert '<p class="event-summary" lang="en" dir="ltr">Crowds in Paris seize the Bastille' in page
    assert "Взятие Бастилии" not in (out / "periods" / "summer-1789.html").read_text(encoding="utf-8")


def test_a_lesson_in_another_language_is_that_sites_lesson(tmp_path: Path) -> None:
    source = starter(tmp_path)
    english = (source / "lessons" / "first-months.md").read_text(encoding="utf-8")
    directives = [line for line in english.splitlines() if line.startswith("::: map")]
    (source / "lessons" / "first-months.fr.md").write_text(
        "# Les premiers mois\n\nLa Révolution commence.\n\n" + "\n\n".join(directives) + "\n", encoding="utf-8")
    out = build(source)
    french = (out / "fr" / "lessons" / "first-months.html").read_text(encoding="utf-8")
    assert "<h1>Les premiers mois</h1>" in french and "La Révolution commence." in french
    assert not (out / "lessons" / "first-months.fr.html").exists()
    assert "Les premiers mois" not in (out / "lessons" / "first-months.html").read_text(encoding="utf-8")
    index = (out / "fr" / "index.html").read_text(encoding="utf-8")
    assert 'href="lessons/first-months.html">Les premiers mois</a>' in index


def test_each_page_links_to_itself_in_every_language_and_the_links_lead_somewhere(tmp_path: Path) -> None:
    out = build(starter(tmp_path, "[fr, ru]"))
    pages = [path for path in out.rglob("*.html") if "embed" not in path.parts]
    assert len(pages) > 12
    for page in pages:
        code = page.read_text(encoding="utf-8")
        links = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', code)
        assert [lang for lang, _ in links] == ["en", "fr", "ru"], page
        for _, href in links:
            assert (page.parent / href).resolve().is_file(), (page, href)
        switch = re.search(r'<nav class="languages"[^>]*>(.*?)</nav>', code, re.S)
        assert switch is not None, page
        assert re.search(r'aria-current="page" lang="[a-z]+">', switch.group(1)), page
        assert len(re.findall(r"data-keep-place", switch.group(1))) == 2, page
    # One assets folder for every language: the sites share Leaflet, styles and relief.
    assert not (out / "fr" / "assets").exists() and not (out / "fr" / "data").exists()
    french = (out / "fr" / "periods" / "summer-1789.html").read_text(encoding="utf-8")
    for url in re.findall(r'(?:src|href)="(\.\./[^"]+)"', french):
        assert (out / "fr" / "periods" / url.split("#")[0]).resolve().is_file(), url


def test_with_a_public_address_the_language_links_are_absolute(tmp_path: Path) -> None:
    source = starter(tmp_path)
    edit(source / "atlas.yaml", "language: en\n", "language: en\nbase_url: https://school.example/atlas/\n")
    out = build(source)
    french = (out / "fr" / "periods" / "summer-1789.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" hreflang="en" href="https://school.example/atlas/periods/summer-1789.html">' in french
    assert '<link rel="alternate" hreflang="fr" href="https://school.example/atlas/fr/periods/summer-1789.html">' in french
    assert '<link rel="canonical" href="https://school.example/atlas/fr/periods/summer-1789.html">' in french
    assert "https://school.example/atlas/fr/embed/summer-1789.html" in french  # the embed code a teacher copies


def test_lang_builds_one_language_alone(tmp_path: Path) -> None:
    source = starter(tmp_path)
    edit(source / "periods.yaml", 'title: "Summer 1789"', "title: {en: Summer 1789, fr: Été 1789}")
    out = build(source, "--lang", "fr")
    page = (out / "periods" / "summer-1789.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in page and "<h1>Été 1789</h1>" in page
    assert not (out / "fr").exists() and 'class="languages"' not in page and "hreflang" not in page


def test_lang_that_the_atlas_is_not_written_in_is_refused_and_nothing_is_lost(tmp_path: Path) -> None:
    source = starter(tmp_path)
    out = build(source)
    before = sorted(str(path.relative_to(out)) for path in out.rglob("*"))
    result = run_atlas("build", source, "-o", out, "--lang", "de")
    assert result.returncode == 2
    assert "atlas.yaml:1: --lang de: the atlas is written in en, fr" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(str(path.relative_to(out)) for path in out.rglob("*")) == before


def test_mistakes_in_text_given_per_language_name_their_file_and_line(tmp_path: Path) -> None:
    source = starter(tmp_path)
    edit(source / "events.yaml", "title: Storming of the Bastille", "title: {fr: Prise de la Bastille, de: Sturm}")
    (source / "translations").mkdir()
    (source / "translations" / "fr.yaml").write_text(
        "events:\n  storming-of-the-bastile: {title: Prise}\n  womens-march-on-versailles: {summmary: x}\n"
        "periodes: {}\n", encoding="utf-8")
    (source / "lessons" / "nowhere.fr.md").write_text("# Nulle part\n", encoding="utf-8")
    result = run_atlas("check", source)
    assert result.returncode == 2, result.stderr
    errors = result.stderr
    assert re.search(r"events\.yaml:\d+: 'de' in 'title' is not one of this atlas's languages \(en, fr\)", errors)
    assert re.search(r"events\.yaml:\d+: 'title' has no text in the atlas's main language \(en\)", errors)
    assert "events.yaml:2: event is missing" not in errors  # (one mistake, one message)
    assert "fr.yaml:2: the fr translation names event 'storming-of-the-bastile', which events.yaml does not have" \
        in errors
    assert "fr.yaml:3: the translation of event 'womens-march-on-versailles' has no field 'summmary'" in errors
    assert "fr.yaml:4: unknown section 'periodes' in a translation file" in errors
    assert "nowhere.fr.md:1: 'nowhere.fr.md' translates lesson 'nowhere', but there is no nowhere.md" in errors
    assert "Traceback" not in errors


def test_a_bad_languages_list_is_named(tmp_path: Path) -> None:
    source = starter(tmp_path, "[fr, 'not a tag', 3]")
    result = run_atlas("check", source)
    assert result.returncode == 2
    assert re.search(r"atlas\.yaml:\d+: 'not a tag' in 'languages' should be a language tag", result.stderr)
    assert re.search(r"atlas\.yaml:\d+: '3' in 'languages' should be a language tag", result.stderr)


def test_hostile_text_in_another_language_is_shown_as_text(tmp_path: Path) -> None:
    source = starter(tmp_path)
    hostile = "</script><script>alert(1)</script>{{ 7*7 }}${x}`"
    edit(source / "events.yaml", "title: Storming of the Bastille",
         f"title: {{en: Storming of the Bastille, fr: '{hostile}'}}")
    out = build(source)
    page = (out / "fr" / "periods" / "summer-1789.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page
    assert '<h3 class="event-title">&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;{{ 7*7 }}${x}`</h3>' in page
    catalogue = page_data(page)
    titles = [f["properties"]["title"] for layer in catalogue["layers"] for f in layer.get("features", [])]
    assert hostile in titles


DEFAULT_ATLAS = ROOT / "places"


def zh_ru_default(tmp_path: Path) -> Path:
    source = tmp_path / "places"
    shutil.copytree(DEFAULT_ATLAS, source)
    if "languages:" not in (source / "atlas.yaml").read_text(encoding="utf-8"):
        edit(source / "atlas.yaml", "language: en\n", "language: en\nlanguages: [zh, ru]\n")
    return build(source)


def said(page: Path) -> str:
    """The names a period's map writes, as its script draws them, each in quotes."""
    return " ".join(f'"{feature.get("name")}"' for feature in map_features(page).values())


def test_the_default_atlas_names_places_in_chinese_and_russian_as_written_then(tmp_path: Path) -> None:
    out = zh_ru_default(tmp_path)
    text = {lang: {period: said(out / lang / "periods" / f"{period}.html")
                   for period in ("civil-war-and-japan-in-manchuria", "road-to-the-split", "normalisation")}
            for lang in ("zh", "ru")}
    # Before 1956, traditional characters and the names of the time; after, simplified.
    assert '"奉天"' in text["zh"]["civil-war-and-japan-in-manchuria"]
    assert '"新京"' in text["zh"]["civil-war-and-japan-in-manchuria"]
    assert '"沈阳"' in text["zh"]["road-to-the-split"] and '"奉天"' not in text["zh"]["road-to-the-split"]
    assert '"长春"' in text["zh"]["road-to-the-split"]
    assert '"旅大"' in text["zh"]["road-to-the-split"]
    assert '"大连"' in text["zh"]["normalisation"]
    assert '"Мукден"' in text["ru"]["civil-war-and-japan-in-manchuria"]
    assert '"Харбин"' in text["ru"]["civil-war-and-japan-in-manchuria"]
    assert '"Порт-Артур"' in text["ru"]["civil-war-and-japan-in-manchuria"]
    assert '"Mukden"' not in text["ru"]["civil-war-and-japan-in-manchuria"]


def test_a_rebuild_after_a_translation_changes_shows_it(tmp_path: Path) -> None:
    """An atlas in several languages is always built whole: an incremental build makes one
    language's pages, and a translator's file is not what it watches."""
    source = starter(tmp_path)
    (source / "translations").mkdir()
    translation = source / "translations" / "fr.yaml"
    translation.write_text("events:\n  storming-of-the-bastille: {title: Prise de la Bastille}\n", encoding="utf-8")
    out = build(source)
    translation.write_text("events:\n  storming-of-the-bastille: {title: La Bastille est prise}\n", encoding="utf-8")
    edit(source / "events.yaml", "Crowds in Paris seize", "Crowds in Paris storm")
    result = run_atlas("build", source, "-o", out)
    assert result.returncode == 0 and "incremental" not in result.stdout, result.stdout
    page = (out / "fr" / "periods" / "summer-1789.html").read_text(encoding="utf-8")
    assert "La Bastille est prise" in page and "Crowds in Paris storm" in page
