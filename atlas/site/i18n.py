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
import gettext
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from atlas.source.datelocale import language_of

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"


def catalogue(lang: str) -> Path | None:
    """The catalogue for a BCP 47 tag: its own ("zh-Hant.po") or its language's ("zh.po")."""
    for name in (lang, language_of(lang)):
        path = LOCALE_DIR / f"{name}.po"
        if path.is_file():
            return path
    return None


def languages() -> list[str]:
    """The languages the interface speaks: English and one a catalogue."""
    return ["en", *sorted(path.stem for path in LOCALE_DIR.glob("*.po"))]


@functools.lru_cache(maxsize=16)
def translations(lang: str) -> gettext.NullTranslations:
    """The interface's words for `lang`; English (the messages as written) when there is
    no catalogue for it."""
    path = catalogue(lang)
    if path is None:
        return gettext.NullTranslations()
    with path.open("rb") as file:
        messages = read_po(file, locale=language_of(lang))
    compiled = io.BytesIO()
    write_mo(compiled, messages)
    compiled.seek(0)
    return Translations(compiled)
