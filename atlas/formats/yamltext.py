"""Source records as YAML an author would write: one `- id:` entry each, a field a
line, short lists in brackets, long text as a block. Every value goes through PyYAML's
safe emitter, so whatever the text holds (quotes, colons, `{{`, a date-like "1945"),
it reads back as the same string."""

from __future__ import annotations

import re
from typing import Any

import yaml

# What a literal block may hold as it is: printable characters, no line break but "\n"
# (U+0085, U+2028 and U+2029 break lines in YAML too). Other text is double-quoted, where
# the emitter writes such characters as escapes.
_BLOCK_TEXT = re.compile("[\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*")


def scalar(value: Any) -> str:
    """One value as a YAML flow scalar (strings quoted where YAML would read them otherwise;
    double-quoted, with escapes, where they hold a control character or an odd line break)."""
    odd = isinstance(value, str) and not _BLOCK_TEXT.fullmatch(value.replace("\t", " "))
    text = yaml.safe_dump(value, allow_unicode=True, width=1 << 30, default_flow_style=True,
                          default_style='"' if odd else None)
    return text.removesuffix("\n...\n").removesuffix("\n")


# Text safe unquoted inside brackets (a flow collection ends at ',', ']' or '}' and
# treats ': ', ' #', '?' specially): anything else is double-quoted there.
_FLOW_PLAIN = re.compile(r"[^\W_][\w ._()'/-]*")


# Fields that hold dates: always double-quoted, because other YAML tools read an unquoted
# `-0263` as the octal integer -179 and `1945` as a number (atlas reads both as written).
DATE_KEYS = frozenset({"date", "when"})


def _quoted(value: str) -> str:
    return yaml.safe_dump(value, allow_unicode=True, width=1 << 30, default_style='"').removesuffix("\n")


def _field(key: str, value: Any) -> str:
    return _quoted(value) if key in DATE_KEYS and isinstance(value, str) else _flow(value)


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_field(key, item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    if isinstance(value, str) and not (_FLOW_PLAIN.fullmatch(value) and scalar(value) == value):
        return _quoted(value)
    return scalar(value)


def _block(text: str, indent: str) -> str | None:
    """A multi-line text as a literal block, when it reads back exactly so."""
    lines = text.split("\n")
    if not _BLOCK_TEXT.fullmatch(text) or text != text.strip() or lines[0].startswith(" "):
        return None
    if any(line != line.rstrip() or "\t" in line for line in lines):
        return None
    return "|-\n" + "\n".join(f"{indent}{line}" if line else "" for line in lines)


# Fields in the order the README writes them (others after, as they come).
ORDER = ["id", "name", "title", "kind", "date", "when", "coordinates", "polygon", "geojson", "geocode", "via",
         "places", "names", "forms", "roles", "outline_of", "control", "summary", "description", "category", "view", "sources"]


def records_text(records: list[dict[str, Any]]) -> str:
    out = []
    for record in records:
        lines = []
        fields = sorted(record.items(), key=lambda item: ORDER.index(item[0]) if item[0] in ORDER else len(ORDER))
        for n, (key, value) in enumerate(fields):
            lead = "- " if n == 0 else "  "
            if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
                lines.append(f"{lead}{key}:")
                lines += [f"    - {_flow(item)}" for item in value]
            elif isinstance(value, str) and "\n" in value:
                block = _block(value, "    ")
                lines.append(f"{lead}{key}: {block if block else scalar(value)}")
            else:
                lines.append(f"{lead}{key}: {_field(key, value)}")
        out.append("\n".join(lines) + "\n")
    return "".join(out)
