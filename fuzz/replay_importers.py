"""One fuzzing input for `atlas import`, replayed: the property every importer keeps.

The first byte says which format the rest is a file of (TimelineJS JSON or spreadsheet
CSV, StoryMapJS, Linked Places JSON or LP-TSV, GeoJSON, our events CSV) and whether it
is imported into a new atlas folder or added to an existing one (the good sample). The
import, as `atlas import` runs it, and then `check` of what it wrote, must each pass or
raise an AtlasError whose every line says where (`path:line: message`; an import may
name the place in its file by a JSON pointer or a row, `t.json:/events/0: …`,
`t.csv:row 3: …`, and a problem of the whole folder by the folder). A new atlas an
import wrote must pass `check`: the import promises one that builds at once.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import tempfile
from pathlib import Path

from atlas.building.pipeline import check
from atlas.errors import AtlasError
from atlas.formats.importing import import_files

SAMPLE = Path(__file__).resolve().parent.parent / "tests" / "samples" / "good"
# (the file's name, its format as `atlas import --format` names it)
TARGETS = (("timeline.json", "timelinejs"), ("timeline.csv", "timelinejs"), ("story.json", "storymapjs"),
           ("gazetteer.json", "lpf"), ("gazetteer.tsv", "lptsv"), ("places.geojson", "geojson"),
           ("events.csv", "csv"))
LOCATED = re.compile(r"^[^\s:][^\n]*?(:(\d+|/[^\n]*?|row \d+))?: (warning: )?\S[^\n]*$")
WORK = Path(tempfile.mkdtemp(prefix="atlas-fuzz-import-"))


class NotLocated(AssertionError):
    """An error message that does not say where the problem is."""


def target(first: int) -> tuple[str, str, bool]:
    """The file name, the format and whether to add to an existing atlas, from a first byte."""
    name, fmt = TARGETS[first % len(TARGETS)]
    return name, fmt, (first // len(TARGETS)) % 2 == 1


def first_byte(name: str, existing: bool) -> int:
    """The first byte of an input that is the file `name` (timeline.json…), imported into
    a new folder or added to the good sample: `target` read backwards."""
    names = [given for given, _ in TARGETS]
    if name not in names:
        raise SystemExit(f"ATLAS_FUZZ_IMPORT={name!r}: one of {', '.join(names)}")
    return names.index(name) + (len(TARGETS) if existing else 0)


def replay(data: bytes) -> str | None:
    """Import one input; None when it was imported and the result passes `check`, else
    the located message that refused it. Anything else raises (a crash)."""
    if not data:
        return None
    name, fmt, existing = target(data[0])
    shutil.rmtree(WORK, ignore_errors=True)
    (WORK / "in").mkdir(parents=True)
    given = WORK / "in" / name
    given.write_bytes(data[1:])
    folder = WORK / "atlas"
    if existing:
        shutil.copytree(SAMPLE, folder)
    try:
        import_files([given], folder, fmt)
    except AtlasError as err:
        return located(err)
    try:
        with contextlib.redirect_stderr(io.StringIO()):  # its warnings, as `atlas import` prints them
            check(folder)
    except AtlasError as err:
        if not existing and any(not problem.warning for problem in err.problems):
            raise AssertionError(f"the new atlas an import wrote does not pass check: {err.text!r}") from err
        return located(err)
    return None


def located(err: AtlasError) -> str:
    for line in err.text.splitlines() or ["(no message)"]:
        if not LOCATED.match(line):
            raise NotLocated(f"not a path:line message: {line!r}") from err
    return err.text
