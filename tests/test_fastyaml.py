"""Stage: source.

The fast YAML reader (rapidyaml) reads every file it accepts exactly as libyaml does:
the same values, the same texts, the same lines. Checked on every sample and the default
atlas, and on many generated and mutated files."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fuzz_properties import mutated, values

from atlas.source import fastyaml
from atlas.source.readers import _Walk
from atlas.source.records import Lines, Record

from conftest import ROOT, SAMPLES


def slow(text: str) -> Any:
    """What the libyaml walk makes of a text (None for an empty document)."""
    node = yaml.compose(text, Loader=yaml.CSafeLoader)
    return None if node is None else _Walk("f", aliases="&" in text).value(node)


def plain(value: Any) -> Any:
    """A value tree as comparable data: records with all their lines, lists with theirs."""
    if isinstance(value, Record):
        return ("record", value.origin.line, {k: plain(v) for k, v in value.values.items()}, value.key_lines,
                value.texts, value.repeated)
    if isinstance(value, Lines):
        return ("list", [plain(v) for v in value], value.lines)
    if isinstance(value, list):
        return ("list", [plain(v) for v in value], None)
    return ("scalar", type(value).__name__, value)


def same(text: str) -> bool:
    """Whether the fast path, when it takes the file, agrees with libyaml; True if it declines."""
    fast = fastyaml.read(text, "f")
    if fast is fastyaml.SLOW:
        return True
    try:
        expected = slow(text)
    except yaml.YAMLError:
        raise AssertionError(f"the fast path read a file libyaml refuses: {text!r}") from None
    assert plain(fast) == plain(expected), text
    return False


def yaml_files() -> list[Path]:
    return sorted([*SAMPLES.rglob("*.yaml"), *(ROOT / "places").glob("*.yaml")])


def test_every_sample_and_the_default_atlas_read_alike() -> None:
    taken = 0
    for path in yaml_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        with contextlib.suppress(yaml.YAMLError):  # a broken sample that both refuse
            taken += not same(text)
    assert taken > 40  # the fast path does read most real files


def test_the_default_atlas_takes_the_fast_path() -> None:
    for name in ("places.yaml", "events.yaml", "periods.yaml", "atlas.yaml"):
        assert fastyaml.read((ROOT / "places" / name).read_text(encoding="utf-8"), name) is not fastyaml.SLOW, name


STYLES = [{}, {"default_flow_style": True}, {"default_flow_style": False}, {"default_style": '"'},
          {"default_style": "'"}, {"width": 20}, {"allow_unicode": True}]
CHECKED = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@CHECKED
@given(values, st.sampled_from(STYLES))
def test_generated_yaml_reads_alike(value: Any, style: dict[str, Any]) -> None:
    same(yaml.safe_dump(value, **style))


@CHECKED
@given(st.data())
def test_mutated_atlas_files_read_alike(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(["places.yaml", "events.yaml", "periods.yaml"]))
    text = data.draw(mutated((ROOT / "places" / name).read_text(encoding="utf-8")[:3000]))
    with contextlib.suppress(yaml.YAMLError):  # neither reads it: the libyaml path reports it
        same(text)


def test_a_file_with_an_anchor_or_a_control_character_takes_the_slow_path() -> None:
    for text in ("a: &x 1\nb: *x\n", "a: !!str 1\n", "a: b\x01\n", "\ufeffa: 1\n", "? [a]\n: b\n", "--- \na: 1\n",
                 "a:\tb\n", ""):
        assert fastyaml.read(text, "f") is fastyaml.SLOW, text


def test_a_long_list_is_read_in_parts_as_libyaml_reads_it_whole(monkeypatch: Any) -> None:
    """Past PART_RECORDS records the file is parsed a part at a time: the records, their
    lines and the parts' seams (comments, blank lines, block text) come out as one file."""
    monkeypatch.setattr(fastyaml, "PART_RECORDS", 7)
    records = []
    for i in range(40):
        records.append(f"# record {i}\n" if i % 5 == 0 else "")
        records.append(f"- id: e{i}\n  date: 19{i:02d}\n  places: [a, b]\n")
        records.append("  summary: |\n    two\n    lines\n\n" if i % 3 == 0 else "  title: 'x: y'\n")
    text = "# events\n" + "".join(records)
    fast = fastyaml.read(text, "f")
    assert isinstance(fast, Lines) and len(fast) == 40
    assert not same(text)  # taken, and the same as libyaml's
    assert fast[39].origin.line == text.splitlines().index("- id: e39") + 1


def test_a_mapping_with_a_long_list_at_its_margin_is_not_cut_in_parts(monkeypatch: Any) -> None:
    monkeypatch.setattr(fastyaml, "PART_RECORDS", 3)
    text = "title: T\ncategories:\n" + "".join(f"- c{i}\n" for i in range(10))
    assert fastyaml.read(text, "f") is fastyaml.SLOW or not same(text)
