"""Read an atlas's source files into plain records that remember their lines.

YAML goes through libyaml's composer (fast, and it keeps every node's mark); we turn
the node tree into values ourselves, so a date is always the text the author wrote
(`1945` stays "1945", never an int or a YAML timestamp) and every mapping knows the
line of each of its keys.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Origin, Problem, display_path

try:  # libyaml is in PyYAML's wheels; the pure-Python composer is the fallback.
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as Loader  # type: ignore[assignment]

INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
BOOL_TAG = "tag:yaml.org,2002:bool"
NULL_TAG = "tag:yaml.org,2002:null"


@dataclass
class Record:
    """A mapping from a source file: its values, where it starts, where each key is."""

    values: dict[str, Any]
    origin: Origin
    key_lines: dict[str, int] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # scalar values as written
    repeated: list[tuple[str, int]] = field(default_factory=list)  # keys given twice, and where

    def at(self, key: str) -> Origin:
        """The origin of one field, or of the record if the field is absent."""
        return Origin(self.origin.path, self.key_lines.get(key, self.origin.line))

    def text(self, key: str) -> str | None:
        """A scalar field exactly as written (dates, ids), or None when absent or not scalar."""
        return self.texts.get(key)


@dataclass
class SourceFile:
    """What one file yielded: its records (None when unreadable) and its problems."""

    records: list[Record] | None
    top: Any = None
    problems: list[Problem] = field(default_factory=list)


def read_yaml(path: Path) -> SourceFile:
    """Parse a YAML file into records; syntax errors become problems with a line."""
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=Loader)
    except UnicodeDecodeError as err:
        return SourceFile(None, problems=[Problem(Origin(shown, 1), f"not UTF-8 text: {err.reason}")])
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        what = err.problem or str(err)
        if err.context and err.context_mark and err.context_mark.line + 1 != line:
            what += f" ({err.context} on line {err.context_mark.line + 1})"
        return SourceFile(None, problems=[Problem(Origin(shown, line), f"YAML syntax error: {what}")])
    if node is None:
        return SourceFile([], top=None)
    return SourceFile(None, top=_value(node, shown))


def records_of(source: SourceFile, path: Path, what: str) -> SourceFile:
    """Check that a file's top level is a list of mappings (one a record) and unwrap it."""
    shown = display_path(path)
    top = source.top
    if source.records is not None or source.problems:
        return source
    if not isinstance(top, list):
        return SourceFile(None, problems=[Problem(Origin(shown, 1), f"expected a list of {what}, one '- id: …' entry each")])
    records: list[Record] = []
    problems: list[Problem] = []
    for item, line in zip(top, getattr(top, "lines", [1] * len(top)), strict=True):
        if isinstance(item, Record):
            records.append(item)
        else:
            problems.append(Problem(Origin(shown, line), f"expected one of the {what} as a mapping of fields, got {item!r}"))
    return SourceFile(records, problems=problems)


class Lines(list[Any]):
    """A YAML sequence that remembers the line of each item."""

    lines: list[int]


def _value(node: yaml.Node, path: str) -> Any:
    if isinstance(node, yaml.MappingNode):
        return _record(node, path)
    if isinstance(node, yaml.SequenceNode):
        items = Lines(_value(child, path) for child in node.value)
        items.lines = [child.start_mark.line + 1 for child in node.value]
        return items
    return _scalar(node)


def _record(node: yaml.MappingNode, path: str) -> Record:
    record = Record({}, Origin(path, node.start_mark.line + 1))
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if key in record.values:  # YAML forbids it, but libyaml lets the last one win silently
            record.repeated.append((key, key_node.start_mark.line + 1))
        record.values[key] = _value(value_node, path)
        record.key_lines[key] = key_node.start_mark.line + 1
        if isinstance(value_node, yaml.ScalarNode):
            record.texts[key] = str(value_node.value)
    return record


def _scalar(node: yaml.Node) -> Any:
    """Numbers, booleans and nulls as Python values; everything else as the text written."""
    text = str(node.value)
    if not isinstance(node, yaml.ScalarNode) or node.style:  # quoted: always text
        return text
    if node.tag in (INT_TAG, FLOAT_TAG):
        try:  # YAML 1.1 oddities (octal, 1:20 sexagesimal) stay text and fail validation
            return int(text) if node.tag == INT_TAG else float(text)
        except ValueError:
            return text
    if node.tag == BOOL_TAG:
        return text.lower() in {"true", "yes", "on"}
    if node.tag == NULL_TAG:
        return None
    return text


def read_events_csv(path: Path) -> SourceFile:
    """Read events.csv: one event a row, the same fields as columns, `places` split on ';'."""
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        return SourceFile(None, problems=[Problem(Origin(shown, 1), f"not UTF-8 text: {err.reason}")])
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[Record] = []
    try:
        header = next(reader, None)
        if header is None:
            return SourceFile([])
        columns = [name.strip() for name in header]
        start = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                records.append(_csv_record(columns, row, Origin(shown, start)))
            start = reader.line_num + 1
    except csv.Error as err:
        return SourceFile(None, problems=[Problem(Origin(shown, reader.line_num or 1), f"CSV syntax error: {err}")])
    return SourceFile(records)


def _csv_record(columns: list[str], row: list[str], origin: Origin) -> Record:
    record = Record({}, origin)
    for name, cell in zip(columns, row[: len(columns)], strict=False):  # short rows leave fields empty
        cell = cell.strip()
        record.key_lines[name] = origin.line
        if name == "places":
            record.values[name] = [part.strip() for part in cell.split(";") if part.strip()]
        elif name == "sources":
            record.values[name] = [_csv_source(part, origin) for part in cell.split(";") if part.strip()]
        elif cell:
            record.values[name] = cell
            record.texts[name] = cell
    if len(row) > len(columns):
        record.values["(extra cells)"] = row[len(columns):]
        record.key_lines["(extra cells)"] = origin.line
    return record


def _csv_source(text: str, origin: Origin) -> Record:
    """A CSV source is `label <url>` or just `label`."""
    text = text.strip()
    values: dict[str, Any] = {"label": text}
    if text.endswith(">") and "<" in text:
        label, _, url = text[:-1].rpartition("<")
        values = {"label": label.strip(), "url": url.strip()}
    return Record(values, origin, {key: origin.line for key in values}, {k: str(v) for k, v in values.items()})


@dataclass
class Sources:
    """The raw records of one atlas source folder, and what went wrong reading them."""

    folder: Path
    info: Record | None
    places: list[Record]
    events: list[Record]
    periods: list[Record]
    problems: list[Problem]
    lessons: list[tuple[Path, str]] = field(default_factory=list)  # (path, Markdown text)


def read_folder(folder: Path) -> Sources:
    """Read atlas.yaml, places.yaml, events.yaml and/or events.csv, periods.yaml."""
    problems: list[Problem] = []
    if not folder.is_dir():
        problems.append(Problem(Origin(display_path(folder), 1), "not an atlas source folder (no such directory)"))
        return Sources(folder, None, [], [], [], problems)
    info = _read_info(folder / "atlas.yaml", problems)
    places = _read_list(folder / "places.yaml", "places", problems)
    periods = _read_list(folder / "periods.yaml", "periods", problems)
    events: list[Record] = []
    yaml_events, csv_events = folder / "events.yaml", folder / "events.csv"
    if yaml_events.exists() or not csv_events.exists():
        events += _read_list(yaml_events, "events", problems)
    if csv_events.exists():
        read = read_events_csv(csv_events)
        problems += read.problems
        events += read.records or []
    lessons = []
    for path in sorted((folder / "lessons").glob("*.md")):
        try:
            lessons.append((path, path.read_text(encoding="utf-8")))
        except UnicodeDecodeError as err:
            problems.append(Problem(Origin(display_path(path), 1), f"not UTF-8 text: {err.reason}"))
    return Sources(folder, info, places, events, periods, problems, lessons)


def _read_info(path: Path, problems: list[Problem]) -> Record | None:
    if not path.is_file():
        problems.append(Problem(Origin(display_path(path), 1), "missing: every atlas needs an atlas.yaml with its title"))
        return None
    read = read_yaml(path)
    problems += read.problems
    if read.problems:
        return None
    if not isinstance(read.top, Record):
        problems.append(Problem(Origin(display_path(path), 1), "atlas.yaml should be a mapping of settings (title: …)"))
        return None
    return read.top


def _read_list(path: Path, what: str, problems: list[Problem]) -> list[Record]:
    if not path.is_file():
        problems.append(Problem(Origin(display_path(path), 1), f"missing: every atlas needs {path.name} with its {what}"))
        return []
    read = records_of(read_yaml(path), path, what)
    problems += read.problems
    return read.records or []
