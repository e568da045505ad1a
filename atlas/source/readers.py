"""Read an atlas's source files into plain records that remember their lines.

YAML goes through libyaml's composer (fast, and it keeps every node's mark); we turn
the node tree into values ourselves, so a date is always the text the author wrote
(`1945` stays "1945", never an int or a YAML timestamp) and every mapping knows the
line of each of its keys.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from atlas.errors import Origin, Problem, display_path
from atlas.source import fastyaml, yamlhelp
from atlas.source.records import Lines, Record, typed
from atlas.util import files

try:  # libyaml is in PyYAML's wheels; the pure-Python composer is the fallback.
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as Loader  # type: ignore[assignment]

@dataclass
class SourceFile:
    """What one file yielded: its records (None when unreadable) and its problems."""

    records: list[Record] | None
    top: Any = None
    problems: list[Problem] = field(default_factory=list)


def read_yaml(path: Path, folder: Path | None = None) -> SourceFile:
    """Parse a YAML file inside `folder` (default: its own) into records; syntax errors,
    unreadable files and alias bombs become problems with a line."""
    shown = display_path(path)
    try:
        text = files.read_text(folder or path.parent, path)
    except files.Unreadable as err:
        return SourceFile(None, problems=[Problem(Origin(shown, 1), str(err))])
    return parse_yaml(text, shown)


def parse_yaml(text: str, shown: str, first_line: int = 1) -> SourceFile:
    """Parse YAML text from the file shown as `shown` (see read_yaml), where it starts on
    `first_line` (an incremental build reads one entry of a file)."""
    try:
        fast = fastyaml.read(text, shown, first_line)  # rapidyaml, when the file is plain enough for it
        if fast is not fastyaml.SLOW:
            return SourceFile([], top=None) if fast is None else SourceFile(None, top=fast)
        text = "\n" * (first_line - 1) + text  # libyaml counts from the first line
        node = yaml.compose(text, Loader=Loader)
        # Without an '&' there can be no anchor, so no alias: the walk need not watch for them.
        top = None if node is None else _Walk(shown, aliases="&" in text).value(node)
    except yaml.MarkedYAMLError as err:
        return SourceFile(None, problems=[_syntax_error(text, shown, err)])
    except yaml.reader.ReaderError as err:  # a character YAML does not allow, such as NUL
        line = text.count("\n", 0, err.position) + 1
        code = err.character if isinstance(err.character, int) else ord(err.character)
        return SourceFile(None, problems=[Problem(Origin(shown, line), f"YAML does not allow the character U+{code:04X}"
                                                  " here: remove it (or write it as an escape in double quotes)")])
    except _Refused as err:
        return SourceFile(None, problems=[Problem(Origin(shown, err.line), err.message)])
    if node is None:
        return SourceFile([], top=None)
    return SourceFile(None, top=top)


def _syntax_error(text: str, shown: str, err: yaml.MarkedYAMLError) -> Problem:
    """A usual mistake in plain words at its own line (yamlhelp.py), or libyaml's words."""
    mistake = yamlhelp.explain(text, err)
    if mistake is not None:
        return Problem(Origin(shown, mistake.line), mistake.message)
    mark = err.problem_mark or err.context_mark
    line = min(mark.line + 1, text.count("\n") + 1) if mark else 1  # libyaml may mark the end past the last line
    what = err.problem or str(err)
    if err.context and err.context_mark and err.context_mark.line + 1 != line:
        what += f" ({err.context} on line {err.context_mark.line + 1})"
    return Problem(Origin(shown, line), f"YAML syntax error: {what}")


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


# An alias makes the walk below visit its anchor's nodes again: ten nested aliases of
# ten items each is a 200-byte file that would become ten billion values ("billion
# laughs"), and 299 aliases of a 1 MB summary are few values but 299 MB of text on the
# pages. Real atlases use aliases rarely and small, so both budgets are tight.
ALIAS_BUDGET = 10_000  # values produced through aliases, per file
ALIAS_TEXT_BUDGET = 1_000_000  # characters of text (values and field names) repeated through aliases, per file
MAX_DEPTH = 64  # nesting of lists and mappings; an atlas needs about five


class _Refused(Exception):
    """A YAML file refused as a whole: too many aliases, too deep, or an odd key."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


class _Walk:
    """Turns a composed YAML node tree into records, lists and scalars, in bounded work."""

    def __init__(self, path: str, aliases: bool = True) -> None:
        self.path = path
        self.aliases = aliases  # whether the file can hold aliases at all
        self.seen: set[int] = set()  # nodes already turned into values once
        self.open: set[int] = set()  # nodes being turned into values now (for recursion)
        self.through_aliases = 0  # values made again through aliases
        self.text_through_aliases = 0  # characters of text made again through aliases

    def value(self, node: yaml.Node, depth: int = 0, line: int = 0) -> Any:
        """A node's value. `line` is where it is referred to: its field's or item's line, or
        inside an alias's value, the line of the field that holds the alias (the composed
        tree keeps only the anchor's place)."""
        if depth > MAX_DEPTH:
            raise _Refused(node.start_mark.line + 1, f"YAML nested more than {MAX_DEPTH} levels deep")
        if isinstance(node, yaml.ScalarNode):
            if self.aliases:
                self._visit(node, line)
            return _scalar(node)
        if not self.aliases:
            return self._collection(node, depth)
        again = self._visit(node, line)
        self.open.add(id(node))
        try:
            return self._collection(node, depth, line if again else 0)
        finally:
            self.open.discard(id(node))

    def _visit(self, node: yaml.Node, line: int) -> bool:
        """Whether the node is met again, through an alias: then count the values and the
        text made again, and refuse a recursive alias. The children of a node met again are
        met again too (nested aliases included), so each counts only its own text: a scalar
        its value, a mapping its field names."""
        line = line or node.start_mark.line + 1
        if id(node) in self.open:
            raise _Refused(line, "YAML alias refers to itself (a recursive anchor): write the value out instead")
        if id(node) in self.seen:
            self.through_aliases += 1
            if self.through_aliases > ALIAS_BUDGET:
                raise _Refused(line, f"YAML aliases expand to more than {ALIAS_BUDGET:,} values "
                               "(an alias bomb?): write the values out instead")
            self.text_through_aliases += _own_text(node)
            if self.text_through_aliases > ALIAS_TEXT_BUDGET:
                raise _Refused(line, f"YAML aliases (*name) repeat more than {ALIAS_TEXT_BUDGET:,} characters of "
                               "text in this file (an alias bomb?): write the text out instead")
            return True
        self.seen.add(id(node))
        return False

    def _collection(self, node: yaml.Node, depth: int, alias_line: int = 0) -> Any:
        if isinstance(node, yaml.MappingNode):
            return self.record(node, depth, alias_line)
        items = Lines(self.value(child, depth + 1, alias_line or child.start_mark.line + 1) for child in node.value)
        items.lines = [child.start_mark.line + 1 for child in node.value]
        return items

    def record(self, node: yaml.MappingNode, depth: int, alias_line: int = 0) -> Record:
        record = Record({}, Origin(self.path, node.start_mark.line + 1))
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):  # `? [a, b]` or `[a, b]: c`
                raise _Refused(key_node.start_mark.line + 1, "a field name should be plain text, "
                              "not a list or a mapping (is a `?` or a bracket misplaced?)")
            key = str(key_node.value)
            if key in record.values:  # YAML forbids it, but libyaml lets the last one win silently
                record.repeated.append((key, key_node.start_mark.line + 1))
            record.values[key] = self.value(value_node, depth + 1, alias_line or key_node.start_mark.line + 1)
            record.key_lines[key] = key_node.start_mark.line + 1
            if isinstance(value_node, yaml.ScalarNode):
                record.texts[key] = str(value_node.value)
        return record


def _own_text(node: yaml.Node) -> int:
    """The characters a node holds itself (its children hold theirs)."""
    if isinstance(node, yaml.ScalarNode):
        return len(node.value)
    if isinstance(node, yaml.MappingNode):
        return sum(len(key.value) for key, _ in node.value if isinstance(key, yaml.ScalarNode))
    return 0


def _scalar(node: yaml.Node) -> Any:
    """Numbers, booleans and nulls as Python values; everything else as the text written."""
    if not isinstance(node, yaml.ScalarNode) or node.style:  # quoted: always text
        return str(node.value)
    return typed(str(node.value), node.tag)


# A spreadsheet runs a cell that starts with one of these as a formula. Our CSV export
# writes such a cell with an apostrophe first (a spreadsheet then shows it as text), and
# also a cell that starts with an apostrophe and one of these or another apostrophe; the
# reader takes that one apostrophe off again, so every text reads back as it was.
FORMULA_STARTS = frozenset("=+-@\t\r")


def csv_cell(cell: str) -> str:
    """A cell's text: trimmed, without the apostrophe that kept it from being a formula."""
    text = cell.strip()
    return text[1:] if text[:1] == "'" and spreadsheet_reads(text[1:]) else text


def formula_like(text: str) -> bool:
    """Whether a spreadsheet might run a cell of this text as a formula (some trim it first:
    ` =1+1`), or it begins with the apostrophe that guards one."""
    return text[:1] in FORMULA_STARTS or text.lstrip(" \t\r\n")[:1] in FORMULA_STARTS | {"'"}


# What else a spreadsheet reads as a value, not text, and writes back otherwise: a cell of
# digits and number or date punctuation only (LibreOffice 7.4 reads `-0263` as -263, `0700`
# as 700, `1945-08-09` as a date, `(5)` as -5). Guarded by the apostrophe too.
_NOT_A_VALUE = re.compile(r"[^\d\s.,:/%()+\-eE]")


def spreadsheet_reads(text: str) -> bool:
    """Whether a spreadsheet would run a cell of this text as a formula or read it as a
    number or a date (so that it would not show, or write back, the text as it is)."""
    plain = text.strip()
    return formula_like(text) or (any(c.isdigit() for c in plain) and not _NOT_A_VALUE.search(plain))


def read_events_csv(path: Path, folder: Path | None = None) -> SourceFile:
    """Read events.csv: one event a row, the same fields as columns, `places` split on ';'."""
    shown = display_path(path)
    try:
        text = files.read_text(folder or path.parent, path, encoding="utf-8-sig")
    except files.Unreadable as err:
        return SourceFile(None, problems=[Problem(Origin(shown, 1), str(err))])
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[Record] = []
    try:
        header = next(reader, None)
        if header is None:
            return SourceFile([])
        columns = [name.strip() for name in header]
        twice = sorted(name for name, count in Counter(columns).items() if name and count > 1)
        if twice:  # the last one would silently win, as a repeated YAML key would
            return SourceFile(None, problems=[Problem(Origin(shown, 1), f"column '{name}' is given twice in the header")
                                              for name in twice])
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
        cell = csv_cell(cell)
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
    # "places", "events" or "periods" whose file could not be read at all: references to
    # them are not reported as unknown (one mistake, one message).
    unreadable: set[str] = field(default_factory=set)


def read_folder(folder: Path) -> Sources:
    """Read atlas.yaml, places.yaml, events.yaml and/or events.csv, periods.yaml."""
    problems: list[Problem] = []
    if not folder.is_dir():
        problems.append(Problem(Origin(display_path(folder), 1), "not an atlas source folder (no such directory)"))
        return Sources(folder, None, [], [], [], problems)
    info = _read_info(folder / "atlas.yaml", problems)
    unreadable: set[str] = set()
    places = _read_list(folder / "places.yaml", "places", problems, unreadable)
    periods = _read_list(folder / "periods.yaml", "periods", problems, unreadable)
    events: list[Record] = []
    yaml_events, csv_events = folder / "events.yaml", folder / "events.csv"
    if _present(yaml_events) or not _present(csv_events):
        events += _read_list(yaml_events, "events", problems, unreadable)
    if _present(csv_events):
        read = read_events_csv(csv_events, folder)
        problems += read.problems
        events += read.records or []
        if read.records is None:
            unreadable.add("events")
    lessons = _read_lessons(folder, problems)
    problems += template_problems(folder)
    return Sources(folder, info, places, events, periods, problems, lessons, unreadable)


def _present(path: Path) -> bool:
    """Whether the folder has this entry at all (a dangling link counts: it is reported)."""
    return path.exists() or path.is_symlink()


def template_problems(folder: Path) -> list[Problem]:
    """The atlas's own templates/ and their static files must each be a regular file inside
    the folder: checked here so that `atlas check` reports them, and again when read."""
    templates = folder / "templates"
    if not _present(templates):
        return []
    problems = []
    try:
        files.contained(folder, templates)
        entries = sorted(path for path in templates.rglob("*") if path.is_symlink() or not path.is_dir())
    except (files.Unreadable, OSError) as err:
        return [Problem(Origin(display_path(templates), 1), str(err))]
    for path in entries:
        try:
            files.regular(folder, path)
        except files.Unreadable as err:
            problems.append(Problem(Origin(display_path(path), 1), str(err)))
    return problems


def _read_lessons(folder: Path, problems: list[Problem]) -> list[tuple[Path, str]]:
    """Every lessons/*.md, as text; each must be a regular file inside the atlas folder."""
    lessons_folder = folder / "lessons"
    if not _present(lessons_folder):
        return []
    try:
        files.contained(folder, lessons_folder)
    except files.Unreadable as err:
        problems.append(Problem(Origin(display_path(lessons_folder), 1), str(err)))
        return []
    lessons = []
    for path in sorted(lessons_folder.glob("*.md")):
        try:
            lessons.append((path, files.read_text(folder, path)))
        except files.Unreadable as err:
            problems.append(Problem(Origin(display_path(path), 1), str(err)))
    return lessons


def _read_info(path: Path, problems: list[Problem]) -> Record | None:
    if not _present(path):
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


def _read_list(path: Path, what: str, problems: list[Problem], unreadable: set[str]) -> list[Record]:
    if not _present(path):
        problems.append(Problem(Origin(display_path(path), 1), f"missing: every atlas needs {path.name} with its {what}"))
        unreadable.add(what)
        return []
    read = records_of(read_yaml(path), path, what)
    problems += read.problems
    if read.records is None:
        unreadable.add(what)
    return read.records or []
