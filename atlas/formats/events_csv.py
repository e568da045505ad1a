"""atlas's own events CSV: the columns `events.csv` reads (`id`, `date`, `title`,
`places` separated by `;`, `summary`, `category`, `sources` as `label <url>; label`).
An export is a valid `events.csv`; an import reads one (a spreadsheet's byte-order mark
and Windows line ends included).

Spreadsheet-safe, and read back exactly. A spreadsheet runs a cell that starts with
`=`, `+`, `-` or `@` (and, in some, a tab or a carriage return, or one of these behind
spaces) as a formula: CSV injection (OWASP, CWE-1236). It also reads a cell of digits and
number or date punctuation as a value, and writes it back otherwise: LibreOffice 7.4,
opening a CSV with its default options, reads `-0263` as the number -263, `0700` as 700
and `1945-08-09` as a date (double quotes around the cell change nothing). So, as OWASP
advises, such a cell is written with an apostrophe first: LibreOffice (checked, 7.4, in
tests/test_roundtrip_details.py) keeps the cell as text with the apostrophe shown
(`'-0263`), never a formula or a number; Excel, as OWASP and others report (not checked
here: no Excel on Linux), takes it as its mark for text. atlas's readers (events.csv and
`atlas import`) take that one apostrophe off again (`atlas.source.readers.csv_cell`),
and a text that itself starts with an apostrophe is written with a second one, so every
text reads back exactly as it was. The rule, `spreadsheet_reads` in the same module: a
cell is guarded when it starts like a formula or an apostrophe (after any spaces), or
holds digits and only number or date punctuation (`. , : / % ( ) + - e E` and spaces):
more than LibreOffice reads as values in English (`1950/1951` and `1945-08` stay text
there), because other languages read other forms (`1.5.1945` is a date in German). Not
guarded: words a spreadsheet may take for a date in some languages ("9 August 1945") and
currency amounts; no column of ours holds those alone but a title or summary.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from atlas.errors import AtlasError, printable
from atlas.formats.common import Draft, Exported, Ids, Record, checked_date, csv_rows, short, source, story_left_out
from atlas.source.dates import DateError, parse
from atlas.source.model import Atlas
from atlas.source.readers import csv_cell, spreadsheet_reads

NAME = "csv"
COLUMNS = ["id", "date", "title", "places", "summary", "category", "sources", "note"]


def sniff(name: str, text: str) -> bool:
    first = text.lstrip("\ufeff").split("\n", 1)[0].lower()
    return name.lower().endswith(".csv") and "date" in first and "title" in first


def read(shown: str, text: str, ids: Ids) -> Draft:
    draft = Draft()
    refused: list[str] = []  # rows whose date cannot be read: each said, with the EDTF to write
    for n, row in enumerate(csv_rows(text, shown), start=2):
        row = {key.strip().lower(): csv_cell(value or "") for key, value in row.items() if key}
        if not any(row.values()):
            continue
        date = row.get("date", "")
        if date and checked_date(date) is None:  # (an empty cell: an undated event, as events.csv reads it)
            refused.append(f"row {n}: {_why(date)}")
            continue
        title = row.get("title") or "(untitled)"
        record: Record = {"id": ids.make(row.get("id") or None, title, "event"), **({"date": date} if date else {}),
                          "title": title}
        places = [part.strip() for part in row.get("places", "").split(";") if part.strip()]
        if places:
            record["places"] = places
        for key in ("summary", "category", "note"):
            if row.get(key):
                record[key] = row[key]
        sources = [_source(part) for part in row.get("sources", "").split(";") if part.strip()]
        if sources:
            record["sources"] = sources
        draft.events.append(record)
    if refused and not draft.events:
        raise AtlasError("\n".join(printable(f"{shown}:{problem}") for problem in refused))
    draft.notes += [f"{problem}: the row left out" for problem in refused]
    return draft


def _why(date: str) -> str:
    """Why a date cannot be read, as `atlas check` says it (with the EDTF to write)."""
    try:
        parse(date)
    except DateError as err:
        return str(err)
    return f"not a date atlas reads: {short(date)}"


def _cell(text: str) -> str:
    """A text as a cell that a spreadsheet shows as text and `csv_cell` reads back as it was."""
    guarded = spreadsheet_reads(text) or csv_cell(text) != text.strip()
    return f"'{text}" if guarded else text


def _source(text: str) -> Record:
    found = re.fullmatch(r"(.*?)\s*<([^<>]+)>\s*", text.strip())
    return source(found[1], found[2]) if found else source(text.strip())


def write(atlas: Atlas, geometry: dict[str, Any]) -> Exported:
    out = io.StringIO(newline="")
    # Lines end in CRLF (as RFC 4180 says): the writer then quotes a cell holding either
    # character, so a carriage return in a text cannot end its row.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for event in atlas.events:
        sources = "; ".join(f"{s.label} <{s.url}>" if s.url else s.label for s in event.sources)
        date = event.date.text if event.date else ""  # an undated event: its cell left empty, as it was read
        writer.writerow([_cell(text) for text in (event.id, date, event.title, ";".join(event.places),
                                                  event.summary, event.category, sources, event.note)])
    notes = []
    viewed = sum(1 for event in atlas.events if event.view)
    if viewed:
        notes.append(f"{viewed} events' own views left out: the CSV has no column for them")
    notes += story_left_out(atlas.events, "the CSV has no column for them")
    if any(";" in s.label or "<" in s.label for e in atlas.events for s in e.sources):
        notes.append("a source's label holds ';' or '<': it may read back as two sources")
    return Exported(out.getvalue(), notes)
