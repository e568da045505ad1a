"""Plain-language messages for the usual mistakes in an author's YAML, at their own line.

libyaml says what its parser expected ("did not find expected '-' indicator") where it
gave up, which may be lines after the mistake. For the mistakes authors make most, this
says what is wrong and how to fix it, at the line of the mistake: a tab used to indent,
a line indented too much or too little, a forgotten '- ' before an entry, a colon in
unquoted text, a quotation mark or a bracket left open, a field without its colon, a
character that may not begin unquoted text. Anything else keeps libyaml's words.

It runs only on a file that failed to parse: one pass over its lines, and at most one
over its tokens (to find where a quoted text began).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

try:
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as Loader  # type: ignore[assignment]

RESERVED = "@`%"  # characters YAML keeps for itself at the start of unquoted text
ENTRY = re.compile(r" *(?:- +)*")  # a line's indentation and any '- ' that begin entries on it
NOT_A_NAME = "{[\"'#&*!|>%@`?-"  # what a field name written as plain text does not begin with
LISTS = {"]": ("[", "list"), "}": ("{", "mapping")}
LOST = ("did not find expected key", "did not find expected '-' indicator", "could not find expected ':'",
        "mapping values are not allowed", "did not find expected ',' or", "expected <block end>")


@dataclass(frozen=True)
class Mistake:
    line: int  # 1-based
    message: str


def explain(text: str, err: yaml.MarkedYAMLError) -> Mistake | None:
    """The mistake behind libyaml's error, or None when it is not one of the usual ones."""
    mark = err.problem_mark
    if mark is None or not err.problem:
        return None
    lines = Lines(text.split("\n"))
    at = min(mark.line, len(lines.all) - 1)
    for rule in (_tab, _reserved, _second_document, _open_quote, _open_bracket, _colon, _no_colon, _indentation):
        found = rule(lines, err, at, mark.column)
        if found is not None:
            return found
    return None


class Lines:
    """The file's lines, and what a line says about indentation."""

    def __init__(self, lines: list[str]) -> None:
        self.all = lines

    def indent(self, n: int) -> int:
        line = self.all[n]
        return len(line) - len(line.lstrip(" "))

    def content(self, n: int) -> bool:
        """Whether line n holds YAML (not blank, not only a comment)."""
        stripped = self.all[n].strip()
        return bool(stripped) and not stripped.startswith("#")

    def above(self, n: int) -> int | None:
        """The nearest line above n that holds YAML."""
        return next((q for q in range(n - 1, -1, -1) if self.content(q)), None)

    def key(self, n: int) -> tuple[int, str]:
        """Where line n's field name starts (after any '- ') and the name ('' if none)."""
        line = self.all[n]
        column = ENTRY.match(line).end()  # type: ignore[union-attr]  # (it matches the empty string)
        name, colon, _ = line[column:].partition(":")
        plain = colon and name.strip() and name[0] not in NOT_A_NAME
        return column, name.strip() if plain else ""

    def levels(self, n: int) -> list[tuple[int, int, str]]:
        """The fields and entries that enclose line n, innermost first: (column, line, what),
        where `what` is a field's name or '-' for a list entry's dash."""
        found: list[tuple[int, int, str]] = []
        limit = 1 << 30
        for q in range(n - 1, -1, -1):
            if not self.content(q) or self.indent(q) >= limit:
                continue
            column, name = self.key(q)
            if name:
                found.append((column, q, name))
            if self.all[q].lstrip(" ").startswith("- "):
                found.append((self.indent(q), q, "-"))
            limit = self.indent(q)
            if limit == 0:
                break
        return found


def _spaces(n: int) -> str:
    return f"{n} space" + ("" if n == 1 else "s")


def _tab(lines: Lines, err: yaml.MarkedYAMLError, at: int, column: int) -> Mistake | None:
    line = lines.all[at]
    leading = line[:len(line) - len(line.lstrip(" \t"))]
    if "\t" in leading or line[column:column + 1] == "\t":
        return Mistake(at + 1, "this line is indented with a tab, and YAML indents with spaces only: "
                               "replace the tab with spaces (as many as the lines above use)")
    return None


def _reserved(lines: Lines, err: yaml.MarkedYAMLError, at: int, column: int) -> Mistake | None:
    char = lines.all[at][column:column + 1]
    if "cannot start any token" in str(err.problem) and char and char in RESERVED:
        return Mistake(at + 1, f"text may not begin with '{char}' unless it is in quotes: "
                               f"write it in double quotes (\"{char}…\")")
    return None


def _second_document(lines: Lines, err: yaml.MarkedYAMLError, at: int, column: int) -> Mistake | None:
    if str(err.problem).startswith("but found another document"):
        return Mistake(at + 1, "'---' starts a second YAML document here, and an atlas file holds one: remove this "
                               "line")
    return None


def _open_quote(lines: Lines, err: yaml.MarkedYAMLError, at: int, column: int) -> Mistake | None:
    """A quotation mark left open: its text runs on over the next lines up to the next
    quotation mark of its kind, where libyaml then stumbles."""
    if err.context == "while scanning a quoted scalar" and err.context_mark is not None:
        start = err.context_mark
    else:
        # (The quoted text would end on this line, before the point libyaml gave up: only
        # then are the file's tokens read again.)
        if not str(err.problem).startswith(LOST) or not set(lines.all[at][:column]) & {'"', "'"}:
            return None
        quoted = _last_quoted(lines, at, column)
        if quoted is None:
            return None
        start, end = quoted
        if start.line == end.line:
            if lines.all[at][end.column:column].strip():
                return None
            return Mistake(at + 1, "the text goes on after its closing quotation mark: put the whole text in "
                                   "quotes, or none of it")
    quote = lines.all[start.line][start.column:start.column + 1]
    other = "'" if quote == '"' else '"'
    return Mistake(start.line + 1, f"the quotation mark ({quote}) that opens the text on this line is never closed "
                                   f"on it: close it where the text ends (a {quote} inside the text may be written "
                                   f"inside {other} quotes instead)")


def _last_quoted(lines: Lines, at: int, column: int) -> tuple[yaml.Mark, yaml.Mark] | None:
    """The quoted text that ends right before the point where libyaml gave up, if any."""
    last = None
    text = "\n".join(lines.all[:at + 1])
    try:
        for token in yaml.scan(text, Loader=Loader):
            if (token.start_mark.line, token.start_mark.column) >= (at, column):
                break
            last = token
    except yaml.YAMLError:
        pass
    if not isinstance(last, yaml.ScalarToken) or last.style not in ("'", '"') or last.end_mark.line != at:
        return None
    return last.start_mark, last.end_mark


def _open_bracket(lines: Lines, err: yaml.MarkedYAMLError, at: int, column: int) -> Mistake | None:
    """A '[' or '{' not closed on its line: the next line is taken as more of the list."""
    problem, opened = str(err.problem), err.context_mark
    closer = problem[-2:-1]
    if not problem.startswith("did not find expected ',' or") or opened is None or closer not in LISTS:
        return None
    # A list written over several lines, each but the last ending with a comma, is not
    # left open: its mistake is a comma missing between two items.
    if opened.line >= at or lines.all[opened.line].split(" #")[0].rstrip().endswith((",", "[", "{")):
        return Mistake(at + 1, f"a comma is missing before '{lines.all[at][column:column + 20].rstrip()}': the "
                               "items in brackets are separated by commas (and text with a comma, a colon or a "
                               "bracket in it goes in quotes)")
    bracket, what = LISTS[closer]
    return Mistake(opened.line + 1, f"the {what} that begins with '{bracket}' on this line is never closed: end it "
                                    f"with '{closer}' on the same line (or, if this is text that begins with "
                                    f"'{bracket}', put it in quotes)")


def _colon(lines: Lines, err: yaml.MarkedYAMLError, at: int, column: int) -> Mistake | None:
    """'mapping values are not allowed': a colon in unquoted text, or a line indented more
    than the one above it, which YAML then reads as more of that line's text."""
    if not str(err.problem).startswith("mapping values are not allowed"):
        return None
    before = lines.above(at)
    first = lines.indent(at)
    if before is not None and ": " not in lines.all[at][first:column] and first > lines.indent(before):
        return _too_deep(lines, at, before, lines.all[at][first:column].strip())
    name = lines.key(at)[1]
    example = f" ({name}: \"…\")" if name else ""
    return Mistake(at + 1, "this text holds a colon followed by a space, which YAML reads as the start of a field; "
                           f"if this is text with a colon in it, put the text in quotes{example}")


def _too_deep(lines: Lines, at: int, before: int, name: str) -> Mistake:
    """A line indented more than the line above it: YAML reads it as more of that line's
    text, where its colon is not allowed. A field indented too far, or text with a colon."""
    said = f"this line is indented more than line {before + 1}, so YAML reads it as more of the text there"
    if name.startswith("- "):
        entry = next((level for level in lines.levels(at) if level[2] == "-"), None)
        if entry is not None:
            return Mistake(at + 1, f"{said}: if it is a new entry, line its '-' up with the '-' on line "
                                   f"{entry[1] + 1} ({_spaces(entry[0])})")
    field = next((level for level in lines.levels(at) if level[2] != "-" and level[0] < len(lines.all[at]) - len(
        lines.all[at].lstrip(" "))), None)
    align = f" with '{field[2]}' on line {field[1] + 1} ({_spaces(field[0])})" if field else ""
    return Mistake(at + 1, f"{said}: if '{name}' is a field, line it up{align}; "
                           "if this is text with a colon in it, put the text in quotes")


def _no_colon(lines: Lines, err: yaml.MarkedYAMLError, at: int, column: int) -> Mistake | None:
    """'could not find expected ':'': a line among fields that is not a field."""
    if not str(err.problem).startswith("could not find expected ':'") or err.context_mark is None:
        return None
    start = err.context_mark.line
    line = lines.all[start].strip()
    entry = _entry_beside(lines, start)
    if entry is not None and line.startswith(("{", "[")):
        return _no_dash(lines, start, entry)
    name, colon, rest = line.partition(":")
    if colon and rest[:1] not in ("", " "):
        shown = rest if len(rest) <= 30 else rest[:30] + "…"
        return Mistake(start + 1, f"a field's colon is followed by a space: write '{name}: {shown}'")
    return Mistake(start + 1, "this line is not a field (name: value): if it goes on with the text above, indent "
                              "it as that text is; if it is a field, write a colon and a space after its name")


def _indentation(lines: Lines, err: yaml.MarkedYAMLError, at: int, column: int) -> Mistake | None:
    """A line that lines up with nothing above it, or a new entry without its '- '."""
    if not str(err.problem).startswith(LOST) or column != lines.indent(at) or not lines.content(at):
        return None
    levels = lines.levels(at)
    entry = _entry_beside(lines, at)
    line = lines.all[at].lstrip(" ")
    if entry is not None and not line.startswith("- "):
        if line.startswith("-"):
            return Mistake(at + 1, "the '-' that starts an entry is followed by a space: write '- ' at the start "
                                   "of this line")
        if lines.key(at)[1] == lines.key(entry)[1]:
            return _no_dash(lines, at, entry)
    # An entry lines up with entries ('-'), a field with fields: the nearest deeper and
    # shallower of its kind are what the author most likely meant.
    kind = [level for level in levels if (level[2] == "-") == line.startswith("- ")]
    deeper = [level for level in kind if level[0] > column]
    shallower = [level for level in kind if level[0] < column]
    near = [min(deeper, key=lambda level: level[0])] if deeper else []
    near += [max(shallower, key=lambda level: level[0])] if shallower else []
    if not near:
        return None
    options = " or with ".join(f"{_what(what)} on line {q + 1} ({_spaces(c)})" for c, q, what in near)
    return Mistake(at + 1, f"this line is indented by {_spaces(column)}, unlike the lines around it: "
                           f"line it up with {options}")


def _entry_beside(lines: Lines, at: int) -> int | None:
    """The line of the list entry ('- ') that line `at` lines up with, if any."""
    column = lines.indent(at)
    return next((q for c, q, what in lines.levels(at) if what == "-" and c == column), None)


def _no_dash(lines: Lines, at: int, entry: int) -> Mistake:
    name = lines.key(at)[1]
    before = f"'{name}'" if name else "it"
    return Mistake(at + 1, f"this line starts a new entry without '- ': write '- ' before {before}, as on line "
                           f"{entry + 1}")


def _what(what: str) -> str:
    return "the '-'" if what == "-" else f"'{what}'"
