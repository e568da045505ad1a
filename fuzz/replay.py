"""One fuzzing input, replayed: the property every reader of an atlas keeps.

The first byte of the input says which file of the good sample it replaces (atlas.yaml,
places.yaml, events.yaml, periods.yaml, events.csv, a GeoJSON region, geocoded.json or a
lesson); the rest is that file's bytes. `atlas.build.check` must then pass, or raise an
AtlasError whose every line is `path:line: message`.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from atlas.building.pipeline import check
from atlas.errors import AtlasError

SAMPLE = Path(__file__).resolve().parent.parent / "tests" / "samples" / "good"
TARGETS = ("atlas.yaml", "places.yaml", "events.yaml", "periods.yaml", "events.csv", "region.geojson",
           "geocoded.json", "lessons/fuzz.md")
EXTRA_PLACES = ("\n- id: region\n  name: Region\n  kind: region\n  geojson: region.geojson\n"
                "- id: port\n  name: Port\n  geocode: Dalian\n")
LINE = re.compile(r"^[^\n]+:\d+: (warning: )?[^\n]+$")
WORK = Path(tempfile.mkdtemp(prefix="atlas-fuzz-"))


def atlas_with(name: str, data: bytes) -> Path:
    source = WORK / "src"
    shutil.rmtree(source, ignore_errors=True)
    shutil.copytree(SAMPLE, source)
    with (source / "places.yaml").open("a", encoding="utf-8") as places:
        places.write(EXTRA_PLACES)
    target = source / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    if name == "events.csv":
        (source / "events.yaml").unlink()
    return source


def replay(data: bytes) -> None:
    if not data:
        return
    source = atlas_with(TARGETS[data[0] % len(TARGETS)], data[1:])
    try:
        check(source)
    except AtlasError as err:
        for line in err.text.splitlines() or ["(no message)"]:
            if not LINE.match(line):
                raise AssertionError(f"not a path:line message: {line!r}") from err
