"""The same page in each of an atlas's languages: where it is, and what the switch calls it.

The main language's site is the build's top folder; each other language's is a folder in
it (`zh/`), with the same pages under the same names, so that a page's other languages are
found by its path alone.
"""

from __future__ import annotations

import functools
from typing import Any

from babel import Locale, UnknownLocaleError

from atlas.source.model import AtlasInfo
from atlas.source.translations import direction


def alternates(info: AtlasInfo, page_path: str | None, up: str) -> dict[str, Any]:
    """The page in each language of the atlas, its own first in the atlas's order, for the
    language switch and the `hreflang` links: the main language's site is the build's top
    folder, each other's a folder in it (`zh/`); `up` leads from this site's top to the build's."""
    if len(info.languages) < 2 or page_path is None:
        return {"alternates": [], "page_dir": direction(info.language)}
    top = "../" * page_path.count("/") + up
    found = []
    for lang in info.languages:
        folder = "" if lang == info.main_language else f"{lang}/"
        href = f"{info.base_url.removesuffix(up and info.language + '/')}{folder}{page_path}" if info.base_url \
            else f"{top}{folder}{page_path}"
        found.append({"lang": lang, "name": autonym(lang), "href": href, "current": lang == info.language})
    return {"alternates": found, "page_dir": direction(info.language)}


@functools.lru_cache(maxsize=32)
def autonym(lang: str) -> str:
    """A language's name in itself, as a language switch offers it: "中文", "Русский"."""
    try:
        name = Locale.parse(lang.replace("-", "_")).get_display_name(lang.replace("-", "_")) or lang
    except (ValueError, UnknownLocaleError):
        return lang
    return name[:1].upper() + name[1:]
