"""How every date of an atlas reads, for `atlas check --dates`: "-0263 = 264 BCE".

EDTF numbers years before 1 astronomically (0000 is 1 BCE), which authors coming from
books, TimelineJS or LP-TSV (where -264 is 264 BCE) get wrong by one without any error.
Listing each date beside its reading, and a hint when an atlas has such years, makes the
slip visible before a reader sees it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from atlas.source.dates import EdtfDate
from atlas.source.model import Atlas, Event, Period, Place


def readings(atlas: Atlas) -> list[str]:
    """One line a date: where (file:line, the record's id, the field) and how it reads."""
    lines = []
    records: tuple[Period | Event | Place, ...] = (*atlas.periods, *atlas.events, *atlas.places)
    for record in records:
        for field, date in _dates(record, ""):
            lines.append(f"{record.origin}: {record.id} {field}: {date.text} = {date.display()}")
    return lines


def before_year_one(atlas: Atlas) -> int:
    """How many dates reach before 1 CE."""
    return sum(1 for record in (*atlas.periods, *atlas.events, *atlas.places)
               for _, date in _dates(record, "") if _early(date))


def _early(date: EdtfDate) -> bool:
    return any(day is not None and day.year <= 0 for day in (date.start, date.end))


def _dates(value: Any, path: str) -> Iterator[tuple[str, EdtfDate]]:
    """Every date in a record, with the field path that holds it ("names[1].when")."""
    if isinstance(value, EdtfDate):
        yield path, value
    elif isinstance(value, tuple):
        for n, item in enumerate(value):
            yield from _dates(item, f"{path}[{n}]")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            if field.name != "origin":
                yield from _dates(getattr(value, field.name), f"{path}.{field.name}".lstrip("."))
