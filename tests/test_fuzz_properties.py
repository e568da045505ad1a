"""Stage: source.

Property-based tests (hypothesis) of everything that reads what an author writes: the
date parser, the YAML and CSV readers, GeoJSON files, geocoded.json and lessons.

The property: every input ends in a correct check, or in an AtlasError whose every line
reads `path:line: message` — never another exception, never a hang. The inputs are the
good sample's own files, mutated (characters that matter to YAML, CSV and JSON put in,
taken out or swapped), and arbitrary values written out as YAML and JSON.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas.building.pipeline import check
from atlas.errors import AtlasError
from atlas.source.dates import DateError, parse

from conftest import SAMPLES

LINE = re.compile(r"^[^\n]+:\d+: (warning: )?[^\n]+$")
SPECIAL = ":[]{}&*!|>-#%@`\"',\t\n\r\x00\x01\x7f\ufeff\ufffe?~/\\ XY0123456789."
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """`text` with a few edits where YAML, CSV and JSON care most."""
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        how = draw(st.sampled_from(["insert", "delete", "replace", "duplicate"]))
        piece = draw(st.text(alphabet=SPECIAL, min_size=1, max_size=4))
        if how == "insert":
            text = text[:at] + piece + text[at:]
        elif how == "delete":
            text = text[:at] + text[at + len(piece):]
        elif how == "replace":
            text = text[:at] + piece + text[at + len(piece):]
        else:
            line_start = text.rfind("\n", 0, at) + 1
            line_end = text.find("\n", at)
            line_end = len(text) if line_end == -1 else line_end
            text = text[:line_end] + "\n" + text[line_start:line_end] + text[line_end:]
    return text


values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@contextmanager
def atlas_with(files: dict[str, str | bytes]) -> Iterator[Path]:
    """A copy of the good sample, with these files written (or replaced)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(shutil.copytree(SAMPLES / "good", Path(folder) / "src"))
        for name, content in files.items():
            path = source / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", errors="surrogatepass")
        yield source


def ends_cleanly(source: Path) -> None:
    """The property: a good check, or a clean list of `path:line: message` problems."""
    try:
        check(source)
    except AtlasError as err:
        lines = err.text.splitlines()
        assert lines, "an AtlasError says what is wrong"
        for line in lines:
            assert LINE.match(line), line


def good(name: str) -> str:
    return (SAMPLES / "good" / name).read_text(encoding="utf-8")


@FUZZ
@given(st.text(max_size=60))
def test_any_text_is_a_date_or_a_date_error(text: str) -> None:
    try:
        date = parse(text)
    except DateError as err:
        assert str(err).startswith("invalid date ")
        return
    assert date.text == text and date.display()
    if date.start and date.end:
        assert date.start <= date.end


@FUZZ
@given(st.data())
def test_any_edit_of_the_yaml_files_ends_cleanly(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(["atlas.yaml", "places.yaml", "events.yaml", "periods.yaml"]))
    with atlas_with({name: data.draw(mutated(good(name)))}) as source:
        ends_cleanly(source)


@FUZZ
@given(st.sampled_from(["atlas.yaml", "places.yaml", "events.yaml", "periods.yaml"]), values)
def test_any_yaml_value_in_any_file_ends_cleanly(name: str, value: Any) -> None:
    with atlas_with({name: yaml.safe_dump(value, allow_unicode=True)}) as source:
        ends_cleanly(source)


CSV = "id,date,title,places,summary,category,sources\nev,1935,Title,mukden,Text,war,Label <https://example.org/>\n"


@FUZZ
@given(st.data())
def test_any_edit_of_an_events_csv_ends_cleanly(data: st.DataObject) -> None:
    text = data.draw(mutated(CSV))
    raw = text.encode("utf-8", "surrogatepass")
    encoded = data.draw(st.sampled_from([raw, b"\xef\xbb\xbf" + raw, raw.replace(b"\n", b"\r\n"),
                                         text.encode("utf-16", "surrogatepass")]))
    with atlas_with({"events.csv": encoded}) as source:
        (source / "events.yaml").unlink()
        ends_cleanly(source)


REGION = "- id: region\n  name: Region\n  kind: region\n  geojson: region.geojson\n"
GEOJSON = json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {
    "type": "Polygon", "coordinates": [[[120, 40], [130, 40], [130, 50], [120, 40]]]}}]})


@FUZZ
@given(st.one_of(values.map(lambda v: json.dumps(v, allow_nan=True)), mutated(GEOJSON)))
def test_any_geojson_file_ends_cleanly(text: str) -> None:
    with atlas_with({"places.yaml": good("places.yaml") + REGION, "region.geojson": text}) as source:
        ends_cleanly(source)


GEOCODED_PLACE = "- id: dairen\n  name: Dairen\n  kind: port\n  geocode: Dalian\n"
GEOCODED = json.dumps({"version": 1, "places": {"dairen": {"query": "Dalian", "hints": {"kind": "port"},
                                                          "provider": "offline", "display_name": "Dalian",
                                                          "lat": 38.91, "lon": 121.6, "date": "2026-12-01"}}})


@FUZZ
@given(st.one_of(values.map(lambda v: json.dumps(v, allow_nan=True)), mutated(GEOCODED)))
def test_any_geocoded_json_ends_cleanly(text: str) -> None:
    with atlas_with({"places.yaml": good("places.yaml") + GEOCODED_PLACE, "geocoded.json": text}) as source:
        ends_cleanly(source)


LESSON = "# A lesson\n\nSome *text*.\n\n::: map manchukuo event=mukden-incident height=300\n\n::: map after-1945\n"


@FUZZ
@given(mutated(LESSON))
def test_any_lesson_ends_cleanly(text: str) -> None:
    with atlas_with({"lessons/a-lesson.md": text}) as source:
        ends_cleanly(source)
