"""The values read from an author's YAML and CSV: records that remember their lines.

Both YAML readers (libyaml's composer and rapidyaml, see fastyaml.py) make these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from atlas.errors import Origin

INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
BOOL_TAG = "tag:yaml.org,2002:bool"
NULL_TAG = "tag:yaml.org,2002:null"


@dataclass(slots=True)
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


class Lines(list[Any]):
    """A YAML sequence that remembers the line of each item."""

    __slots__ = ("lines",)
    lines: list[int]


def typed(text: str, tag: str) -> Any:
    """A plain scalar's value by its resolved tag (YAML 1.1's, as PyYAML resolves them)."""
    if tag in (INT_TAG, FLOAT_TAG):
        try:  # YAML 1.1 oddities (octal, 1:20 sexagesimal) stay text and fail validation
            return int(text) if tag == INT_TAG else float(text)
        except ValueError:
            return text
    if tag == BOOL_TAG:
        return text.lower() in {"true", "yes", "on"}
    if tag == NULL_TAG:
        return None
    return text


def shown_number(value: Any) -> str:
    """A number as a message shows it: a whole number of more than 15 digits (too large for
    a float, and for a message) by its first digits and its length."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**15:
        digits = str(abs(value))
        return f"{'-' if value < 0 else ''}{digits[:11]}…({len(digits)} digits)"
    return str(value)
