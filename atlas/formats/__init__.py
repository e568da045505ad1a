"""Stage 4, beside the build: the field's formats, into an atlas and out of it.

Takes files of TimelineJS, StoryMapJS, Linked Places, GeoJSON and CSV, which `importing`
writes into a source folder as YAML an author would write (`yamltext`); and a checked atlas
with its geometry (`atlas.geo`) and period views (`atlas.site`), which `atlas export`
writes in those formats. Gives source files and exported files. One module a format, its reader and its writer side by side: a
module has NAME, `sniff(file name, text)`, `read(shown, text, ids) -> Draft` and
`write(atlas, geometry) -> Exported`. Adding a format is one module and one line here.
Neither this stage nor the build imports the other."""

from __future__ import annotations

from types import ModuleType

from atlas.formats import events_csv, geojson, lpf, lptsv, storymapjs, timelinejs

# In the order a format is guessed: the most particular first.
FORMATS: dict[str, ModuleType] = {module.NAME: module for module in (storymapjs, timelinejs, lpf, lptsv, geojson,
                                                                     events_csv)}


def guess(name: str, text: str) -> ModuleType | None:
    """The format a file is in, from its name and its first characters."""
    return next((module for module in FORMATS.values() if module.sniff(name, text)), None)
