"""The field's formats, one module each (its reader and its writer side by side): a
module has NAME, `sniff(file name, text)`, `read(shown, text, ids) -> Draft` and
`write(atlas, geometry) -> Exported`. Adding a format is one module and one line here."""

from __future__ import annotations

from types import ModuleType

from . import events_csv, geojson, lpf, storymapjs, timelinejs

# In the order a format is guessed: the most particular first.
FORMATS: dict[str, ModuleType] = {module.NAME: module for module in (storymapjs, timelinejs, lpf, geojson, events_csv)}


def guess(name: str, text: str) -> ModuleType | None:
    """The format a file is in, from its name and its first characters."""
    return next((module for module in FORMATS.values() if module.sniff(name, text)), None)
