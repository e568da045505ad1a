"""atlas's own events CSV: the columns `events.csv` reads (`id`, `date`, `title`,
`places` separated by `;`, `summary`, `category`, `sources` as `label <url>; label`).
An export is a valid `events.csv`; an import reads one (a spreadsheet's byte-order mark
and Windows line ends included). A cell that a spreadsheet would run as a formula (one
that starts with = + - @, a tab or a carriage return: a BCE date too) is written with an
apostrophe first, which both readers take off (`atlas.readers.csv_cell`)."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from atlas.formats.common import Draft, Exported, Ids, Record, Unusable, checked_date, csv_rows, short, source, story_left_out
from atlas.source.model import Atlas
from atlas.source.readers import csv_cell, formula_like

NAME = "csv"
COLUMNS = ["id", "date", "title", "places", "summary", "category", "sources"]


def sniff(name: str, text: str) -> bool:
    first = text.lstrip("\ufeff").split("\n", 1)[0].lower()
    return name.lower().endswith(".csv") and "date" in first and "title" in first


def read(shown: str, text: str, ids: Ids) -> Draft:
    draft = Draft()
    for n, row in enumerate(csv_rows(text, shown), start=2):
        row = {key.strip().lower(): csv_cell(value or "") for key, value in row.items() if key}
        if not any(row.values()):
            continue
        date = row.get("date", "")
        if checked_date(date) is None:
            raise Unusable(shown, f"row {n}", f"not a date atlas reads: {short(date)} (write EDTF: 1945-08-09)")
        title = row.get("title") or "(untitled)"
        record: Record = {"id": ids.make(row.get("id") or None, title, "event"), "date": date, "title": title}
        places = [part.strip() for part in row.get("places", "").split(";") if part.strip()]
        if places:
            record["places"] = places
        for key in ("summary", "category"):
            if row.get(key):
                record[key] = row[key]
        sources = [_source(part) for part in row.get("sources", "").split(";") if part.strip()]
        if sources:
            record["sources"] = sources
        draft.events.append(record)
    return draft


def _cell(text: str) -> str:
    """A text as a cell that a spreadsheet shows as text and `csv_cell` reads back as it was."""
    guarded = formula_like(text) or csv_cell(text) != text.strip()
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
                                                  event.summary, event.category, sources)])
    notes = []
    viewed = sum(1 for event in atlas.events if event.view)
    if viewed:
        notes.append(f"{viewed} events' own views left out: the CSV has no column for them")
    notes += story_left_out(atlas.events, "the CSV has no column for them")
    if any(";" in s.label or "<" in s.label for e in atlas.events for s in e.sources):
        notes.append("a source's label holds ';' or '<': it may read back as two sources")
    return Exported(out.getvalue(), notes)
