"""atlas.yaml: the settings of a whole atlas, each checked and every problem reported."""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING

from atlas.errors import Origin
from atlas.source import declared, geocoder_options, namefields
from atlas.source.model import AtlasInfo
from atlas.source.records import Record
from atlas.source.translations import TAG

if TYPE_CHECKING:
    from atlas.source.checker import Checker

# The fields atlas.yaml may have; True marks the required ones.
ATLAS_FIELDS = {"title": True, "subtitle": False, "language": False, "credits": False,
                "view": False, "basemap": False, "geocoder": False, "lessons": False,
                "templates": False, "categories": False, "controls": False, "base_url": False,
                "media": False, "names": False, "notes": False, "languages": False}

def atlas_info(checker: Checker, record: Record | None, origin: Origin, lang: str | None = None) -> AtlasInfo:
    """atlas.yaml's settings, for the pages in `lang` (by default the main language)."""
    if record is None:
        checker.error(origin, "atlas.yaml should be a mapping with at least a 'title'")
        return AtlasInfo(title="")
    checker.fields(record, ATLAS_FIELDS, "atlas.yaml")
    _geocoder(checker, record)
    _no_trust_asked(checker, record)
    langs = _languages(checker, record)
    rule = namefields.rule(checker, record)
    return AtlasInfo(
        title=checker.text(record, "title"),
        subtitle=checker.text(record, "subtitle"),
        language=lang or langs[0],
        languages=langs,
        credits=checker.text(record, "credits"),
        view=checker.view(record),
        lesson_html=_switch(checker, record, "lessons", "allow_html"),
        base_url=_base_url(checker, record),
        categories=declared.read(checker, record, "categories"),
        controls=declared.read(checker, record, "controls"),
        basemaps=_basemaps(checker, record),
        remote_media=_switch(checker, record, "media", "remote"),
        teacher_notes=_switch(checker, record, "notes", "teacher_page"),
        names=rule if lang in (None, langs[0]) else namefields.rule_in(rule, lang),
    )


def _languages(checker: Checker, record: Record) -> tuple[str, ...]:
    """`language: en` (the main language) and `languages: [zh, ru]` (the others, each a
    site of its own): every language of the atlas, the main one first."""
    main = checker.text(record, "language", "en")
    if not TAG.match(main):
        checker.error(record.at("language"), f"'language' should be a language tag such as en, zh or ru, got '{main}'")
        main = "en"
    others = record.values.get("languages", [])
    if not isinstance(others, list):
        checker.error(record.at("languages"), "'languages' should be a list of language tags: [zh, ru]")
        return (main,)
    found = [main]
    for lang, line in zip(others, getattr(others, "lines", [record.at("languages").line] * len(others)), strict=True):
        if not isinstance(lang, str) or not TAG.match(lang):
            checker.error(Origin(record.origin.path, line), f"'{lang}' in 'languages' should be a language tag such "
                          "as zh, ru or ar")
        elif lang not in found:
            found.append(lang)
    return tuple(found)


def _basemaps(checker: Checker, record: Record) -> tuple[str, ...]:
    """atlas.yaml's `basemap`: offline, a tile provider's xyzservices name, or a list of both."""
    value = record.values.get("basemap", "offline")
    names = value if isinstance(value, list) else [value]
    if not names or not all(isinstance(name, str) and name for name in names):
        checker.error(record.at("basemap"), "'basemap' should be offline, a tile provider name, or a list of them")
        return ("offline",)
    import xyzservices

    for name in names:
        if name == "offline":
            continue
        try:
            provider = xyzservices.providers.query_name(name)
        except ValueError:
            checker.error(record.at("basemap"), f"unknown basemap '{name}': use offline or an xyzservices provider "
                          "name such as Esri.WorldShadedRelief")
            continue
        if provider.requires_token():
            checker.error(record.at("basemap"), f"basemap '{name}' needs an API key, which would be published in every "
                          "page: choose offline or a provider without one, such as Esri.WorldShadedRelief")
    return tuple(names)


def _geocoder(checker: Checker, record: Record) -> None:
    """atlas.yaml's `geocoder:` (used by atlas geocode): checked here so that check reports it."""
    section = checker.section(record, "geocoder", "{provider: nominatim, options: {user_agent: …}}")
    if section is None:
        return
    checker.fields(section, {"provider": False, "options": False}, "geocoder settings")
    from geopy.geocoders import SERVICE_TO_GEOCODER

    provider = checker.text(section, "provider") or "nominatim"
    if provider.lower() not in SERVICE_TO_GEOCODER:
        close = difflib.get_close_matches(provider.lower(), list(SERVICE_TO_GEOCODER), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else " such as nominatim"
        checker.error(section.at("provider"), f"unknown geocoder '{provider}': use a geopy geocoder's name{hint}")
    options = checker.section(section, "options", "{user_agent: \"my-atlas (me@school.example)\"}")
    if options is not None and provider.lower() in SERVICE_TO_GEOCODER:
        geocoder_options.check(checker, options, provider.lower(), SERVICE_TO_GEOCODER[provider.lower()])


def _no_trust_asked(checker: Checker, record: Record) -> None:
    """`templates: {trusted: true}` is refused: trust is the builder's to give (atlas build
    --trust-templates), never the folder's, or any atlas sent to a teacher could run code."""
    if _switch(checker, record, "templates", "trusted"):
        section = record.values["templates"]
        where = section.at("trusted") if isinstance(section, Record) else record.at("templates")
        checker.error(where, "an atlas folder cannot lift the template sandbox itself ('templates: {trusted: true}'): "
                      "whoever sent the folder could run code on your computer. Remove it; if you wrote these "
                      "templates yourself, build with: atlas build --trust-templates")


def _base_url(checker: Checker, record: Record) -> str:
    """atlas.yaml's `base_url`: where the built atlas is published (https://example.org/atlas/)."""
    url = checker.text(record, "base_url")
    if not url:
        return ""
    if not re.match(r"^https?://[^\s/?#]+(/[^\s?#]*)?\Z", url):
        checker.error(record.at("base_url"), f"base_url should be the web address the atlas is published at, "
                      f"such as https://example.org/atlas/, got '{url}'")
        return ""
    return url if url.endswith("/") else url + "/"


def _switch(checker: Checker, record: Record, section_key: str, key: str) -> bool:
    """A true/false setting in a section of atlas.yaml, off unless given:
    `lessons: {allow_html: true}` (raw HTML in lessons, sanitised, not escaped),
    `media: {remote: true}` (media may link images on other sites), `notes: {teacher_page:
    true}` (a page of the author's notes for teachers, notes.html), and `templates:
    {trusted: …}`, which is read only to be refused."""
    section = checker.section(record, section_key, f"{{{key}: false}}")
    if section is None:
        return False
    checker.fields(section, {key: False}, f"{section_key} settings")
    value = section.values.get(key, False)
    if not isinstance(value, bool):
        checker.error(section.at(key), f"'{key}' should be true or false")
        return False
    return value
