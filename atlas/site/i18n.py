"""The interface's words in the reader's language.

Every word a page's interface says (headings, buttons, the player, Present) comes from a
message catalogue: one PO file a language in `atlas/locale/` (`zh.po`, `ru.po`), English
being the messages themselves. Adding a language is adding its file. The PO files are read
with Babel and compiled in memory, so no compiled `.mo` file is kept beside them to go stale.
The templates ask for words with Jinja's i18n extension: `{{ _("Play") }}`, and
`{{ ngettext("%(num)d event", "%(num)d events", n) }}` where a language has several plural
forms (Russian has three).
"""

from __future__ import annotations

import functools
import gettext as gnu
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from atlas.source.datelocale import language_of

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
# The language of the pages being made. Words said deep inside the build (a legend's
# sections, "Undated", the changes panel's sentences) are said in it, rather than every
# function between the site and them passing it on; `speaking` sets it for one site's
# pages (forked renderers inherit it).
_speaking: ContextVar[str] = ContextVar("speaking", default="en")


def current_language() -> str:
    return _speaking.get()


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    token = _speaking.set(lang)
    try:
        yield
    finally:
        _speaking.reset(token)


def N_(message: str) -> str:  # (the name gettext's tools look for)
    """A message to be translated where it is used, not where it is written (a table's)."""
    return message


def gettext(message: str) -> str:
    """An interface message in the current language (plain text: the caller escapes it)."""
    return translations(_speaking.get()).gettext(message)


def ngettext(one: str, many: str, count: int) -> str:
    return translations(_speaking.get()).ngettext(one, many, count)


def catalogue(lang: str) -> Path | None:
    """The catalogue for a BCP 47 tag: its own ("zh-Hant.po") or its language's ("zh.po")."""
    for name in (lang, language_of(lang)):
        path = LOCALE_DIR / f"{name}.po"
        if path.is_file():
            return path
    return None


@functools.lru_cache(maxsize=16)
def translations(lang: str) -> gnu.NullTranslations:
    """The interface's words for `lang`; English (the messages as written) when there is
    no catalogue for it."""
    path = catalogue(lang)
    if path is None:
        return gnu.NullTranslations()
    with path.open("rb") as file:
        messages = read_po(file, locale=language_of(lang))
    compiled = io.BytesIO()
    write_mo(compiled, messages)
    compiled.seek(0)
    return Translations(compiled)


# A.t("…"), A.tn("… one", "… many", n) in the pages' script (a lesson's, lesson.js: t("…"))
SCRIPT_KEYWORDS = {"t": None, "tn": (1, 2)}
PLURAL_TABLE = 200  # plural forms looked up for 0..199; past it by n % 100 (every gettext rule in use allows it)


@functools.lru_cache(maxsize=4)
def script_messages(folder: Path) -> tuple[str | tuple[str, str], ...]:
    """The messages the pages' script asks for (`A.t`, `A.tn`), read from its files."""
    found: dict[str | tuple[str, str], None] = {}
    for path in sorted(folder.rglob("*.js")):
        for _, message, _, _ in extract_from_file("javascript", str(path), keywords=SCRIPT_KEYWORDS):
            found[message if isinstance(message, str) else (message[0], message[1])] = None
    return tuple(found)


def script_words(lang: str, folder: Path) -> dict[str, Any]:
    """What the pages' script needs to speak `lang`: each of its messages translated, and
    which plural form each count takes (the catalogue's rule, worked out here: a page
    evaluates no code). Empty for English, which the script writes itself."""
    if catalogue(lang) is None:
        return {}
    words = translations(lang)
    plural = getattr(words, "plural", lambda n: int(n != 1))
    table = [plural(n) for n in range(PLURAL_TABLE)]
    # A count that takes each plural form, in the forms' order: asking for it gives that form.
    examples = [table.index(form) for form in sorted(set(table))]
    messages: dict[str, str | list[str]] = {}
    for message in script_messages(folder):
        if isinstance(message, str):
            messages[message] = words.gettext(message)
        else:
            messages[message[0]] = [words.ngettext(*message, n) for n in examples]
    return {"messages": messages, "plural": table}
