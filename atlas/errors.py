"""One root for the errors a user can cause, and the problems they are made of.

The command line prints an `AtlasError` as `path:line: message` lines and exits with
its status (2: the user's data or arguments are wrong). Anything else is a bug.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from atlas.util.packed import Packed


@dataclass(frozen=True, order=True, slots=True)
class Origin(Packed):
    """Where a record came from: the file and the 1-based line it starts on."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, order=True, slots=True)
class Problem(Packed):
    """One thing wrong with the input, tied to where it was found."""

    origin: Origin
    message: str
    warning: bool = False

    def __str__(self) -> str:
        prefix = "warning: " if self.warning else ""
        return printable(f"{self.origin}: {prefix}{self.message}")


# Control characters in a message (a newline in a URL or a file name) would split it into
# lines that look like `path:line:` lines of their own: they are written as escapes.
# (C0 and C1 controls, the Unicode line and paragraph separators, which split lines too, and
# the bidirectional controls, which make a line read other than it is.)
_CONTROLS = ({code: f"\\x{code:02x}" for code in [*range(0, 32), *range(127, 160)]}
             | {10: "\\n", 13: "\\r", 9: "\\t", 0x2028: "\\u2028", 0x2029: "\\u2029"}
             # and the bidirectional overrides and isolates, which reorder what follows them
             | {code: f"\\u{code:04x}" for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]})


def printable(text: str) -> str:
    return text.translate(_CONTROLS)


# What reaches the terminal keeps its line breaks and tabs, and nothing else that controls
# it: a place's name or a geocoder's answer holding ESC [2J would clear the screen.
_TERMINAL = {code: escape for code, escape in _CONTROLS.items() if code not in (9, 10)}


class TerminalText:
    """A text stream that writes every control character but line breaks and tabs as an escape."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(text.translate(_TERMINAL))

    def flush(self) -> None:
        self.stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


class AtlasError(Exception):
    """A mistake in the user's data or arguments; never a bug of ours."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | str) -> None:
        if isinstance(problems, str):
            self.problems: list[Problem] = []
            self.text = problems
        else:
            self.problems = sorted(problems)
            self.text = "\n".join(str(p) for p in self.problems)
        super().__init__(self.text)


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory if inside it."""
    # Not resolve(): a symlink is shown by its own name, not by the file it points to.
    try:
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
