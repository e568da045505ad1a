"""Stages: site, cli (the built pages). The interface in the reader's language (issue
27): the message catalogues are complete for every word the templates ask for, keep each message's placeholders, and a built page
of an atlas whose `language:` is Chinese or Russian says its interface in that language,
with its dates in that language's form."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.pofile import read_po

from conftest import ROOT, run_atlas

LOCALES = ROOT / "atlas" / "locale"
TEMPLATES = sorted((ROOT / "templates").glob("*.html"))
MODULES = sorted((ROOT / "atlas" / "site").glob("*.py"))  # words the pages get from Python: gettext("…")
SCRIPTS = sorted((ROOT / "templates" / "static").rglob("*.js"))  # and from their script: A.t("…")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]")


def asked() -> dict[str, tuple[str, ...]]:
    """Every message the default templates and the site's modules ask for (its forms: one,
    or singular and plural)."""
    found: dict[str, tuple[str, ...]] = {}
    files = [("jinja2.ext:babel_extract", path) for path in TEMPLATES] + [("python", path) for path in MODULES]
    files += [("javascript", path) for path in SCRIPTS]
    for method, path in files:
        keywords = {"t": None, "tn": (1, 2)} if method == "javascript" else DEFAULT_KEYWORDS
        for _, message, _, _ in extract_from_file(method, str(path), keywords=keywords, options={"trimmed": "true"}):
            forms = (message,) if isinstance(message, str) else tuple(message)
            found[forms[0]] = forms
    return found


@pytest.mark.parametrize("lang", ["zh", "ru", "ar"])
def test_every_message_the_templates_ask_for_is_translated_with_its_placeholders(lang: str) -> None:
    with (LOCALES / f"{lang}.po").open("rb") as file:
        catalogue = read_po(file)
    messages = asked()
    assert len(messages) >= 30
    for msgid, forms in messages.items():
        entry = catalogue.get(msgid)
        assert entry is not None, f"{lang}.po lacks {msgid!r}"
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        assert strings and all(strings), f"{lang}.po: {msgid!r} is not translated"
        assert len(strings) == (catalogue.num_plurals if len(forms) > 1 else 1), msgid
        for string in strings:  # a lost or misspelt %(name)s would fail at render time
            assert sorted(PLACEHOLDER.findall(str(string))) == sorted(PLACEHOLDER.findall(forms[-1])), (msgid, string)
    ids = [entry.id[0] if isinstance(entry.id, tuple) else entry.id for entry in catalogue if entry.id]
    stale = [msgid for msgid in ids if msgid not in messages]
    assert stale == [], f"{lang}.po has messages no template asks for"


def text_of(page: Path) -> str:
    code = page.read_text(encoding="utf-8")
    code = re.sub(r"<(script|style|textarea)\b.*?</\1>", " ", code, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", code)))


def starter_in(lang: str, tmp_path: Path) -> Path:
    source, out = tmp_path / "atlas", tmp_path / "out"
    assert run_atlas("new", source).returncode == 0
    settings = source / "atlas.yaml"
    settings.write_text(re.sub(r"(?m)^language: en$", f"language: {lang}", settings.read_text(encoding="utf-8")),
                        encoding="utf-8")
    result = run_atlas("build", source, "-o", out)
    assert result.returncode == 0, result.stderr
    return out / "periods" / "autumn-1789.html"


ENGLISH = ["Skip to the events", "Previous event", "Next event", "Play", "Pace", "s an event", "By hand",
           "Present", "Large text", "Changes since", "The map shows places", "Nothing on the map changed",
           "Compare with the previous period", "Events,", "Embed this map", "Copy this code", "Open the map alone",
           "This page is open from this computer", "Keys:", "Last period", "Sources:", "Show on map", "October 1789"]


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", ["跳到事件列表", "上一个事件", "播放", "每个事件8秒", "演示", "1个事件", "自“Summer 1789”以来的变化",
            "1789年10月5—6日", "资料来源：", "在地图上显示",
            "地图显示的是1789年12月时的地名、归属和边界。", "事件（1789年9—12月）", "最后一个时期"]),
    ("ru", ["Перейти к событиям", "Предыдущее событие", "Показ", "8 с на событие", "Презентация", "1 событие",
            "Изменения после периода «Summer 1789»", "5–6 октября 1789 г.", "Источники:", "Показать на карте",
            "Карта показывает места такими, какими они были на декабрь 1789 г.",
            "События, сентябрь–декабрь 1789 г.", "Последний период"]),
])
def test_a_period_page_says_its_interface_in_the_atlas_language(lang: str, said: list[str], tmp_path: Path) -> None:
    page = starter_in(lang, tmp_path)
    text = text_of(page)
    assert f'<html lang="{lang}">' in page.read_text(encoding="utf-8")
    for words in said:
        assert words in text, words
    for words in ENGLISH:
        assert words not in text, words


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", ["图例", "上一个时期：Summer 1789", "地图：Autumn 1789，1789年9—12月"]),
    ("ru", ["Легенда", "Предыдущий период: Summer 1789", "Карта: Autumn 1789, сентябрь–декабрь 1789 г."]),
])
def test_an_embed_and_its_embed_code_speak_the_atlas_language(lang: str, said: list[str], tmp_path: Path) -> None:
    page = starter_in(lang, tmp_path)
    embed = page.read_text(encoding="utf-8").replace("\n", " ")
    code = html.unescape(re.search(r'<textarea id="embed-code"[^>]*>(.*?)</textarea>', embed, re.S).group(1))  # type: ignore[union-attr]
    assert html.unescape(said[2]) in html.unescape(code)  # the iframe's title, in the teacher's pasted code
    text = text_of(page.parents[1] / "embed" / page.name) + " " + " ".join(
        re.findall(r'(?:title|aria-label)="([^"]*)"', (page.parents[1] / "embed" / page.name).read_text(encoding="utf-8")))
    for words in said[:2]:
        assert words in html.unescape(text), words
    for words in ("Legend", "Previous period", "(map)", "Map of"):
        assert words not in html.unescape(text), words


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", ["跳到时期列表", "时期", "下载数据（GeoJSON）", "1789年9—12月 · 1个事件"]),
    ("ru", ["Перейти к периодам", "Периоды", "Скачать данные (GeoJSON)", "сентябрь–декабрь 1789 г. · 1 событие"]),
])
def test_the_index_speaks_the_atlas_language(lang: str, said: list[str], tmp_path: Path) -> None:
    index = starter_in(lang, tmp_path).parents[1] / "index.html"
    text = text_of(index)
    for words in said:
        assert words in text, words
    for words in ("Skip to the periods", "Download the data", "Compare two periods", "1 event", "Every place on one map",
                  "Every event on one map", "Lessons"):
        assert words not in text, words
