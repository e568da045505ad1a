"""The timeline: the periods on a strip proportional to time, over a year axis.

An atlas of many periods would give each a sliver and every page a long strip: past
WHOLE periods, a period's page shows the periods around it (WINDOW on each side) on a
strip of their own dates, with links to the earlier and later ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict

from atlas.site.i18n import current_language
from atlas.source.datelocale import words_for
from atlas.source.dates import Day
from atlas.source.model import Period


class TimelineEntry(TypedDict):
    id: str
    title: str
    dates: str
    years: str
    left: float
    width: float


class Tick(TypedDict):
    id: str
    label: str
    left: float


WHOLE = 60
WINDOW = 15


class Beyond(TypedDict):
    """The nearest period outside a windowed strip, and how many lie that way."""

    id: str
    title: str
    count: int


@dataclass(frozen=True)
class Timeline:
    """A strip of periods, proportional to time, and its year axis."""

    entries: list[TimelineEntry]
    ticks: list[Tick]
    earlier: Beyond | None = None
    later: Beyond | None = None

    def css(self) -> str:
        """Where each period and tick sits, as rules of the page's own stylesheet (style
        attributes would need the policy to allow inline styles). Ids are slugs: safe in CSS."""
        cells = "".join(f"#timeline-{e['id']}{{left:{e['left']}%;width:{e['width']}%}}" for e in self.entries)
        return cells + "".join(f"#{t['id']}{{left:{t['left']}%}}" for t in self.ticks)


def timeline_around(periods: Sequence[Period], index: int) -> Timeline:
    """The strip a period's page shows: every period, or past WHOLE of them, its window."""
    if len(periods) <= WHOLE:
        return timeline(periods)
    low = max(0, min(index - WINDOW, len(periods) - 2 * WINDOW - 1))
    high = min(len(periods), low + 2 * WINDOW + 1)
    strip = timeline(periods[low:high])
    earlier = _beyond(periods[low - 1], low) if low else None
    later = _beyond(periods[high], len(periods) - high) if high < len(periods) else None
    return Timeline(strip.entries, strip.ticks, earlier, later)


def _beyond(period: Period, count: int) -> Beyond:
    return {"id": period.id, "title": period.title, "count": count}


def timeline(periods: Sequence[Period]) -> Timeline:
    """Each period's place on a strip proportional to the dates (open ends clamp to the strip)."""
    starts = [p.when.start.ordinal() for p in periods if p.when.start]
    ends = [p.when.end.ordinal() for p in periods if p.when.end]
    low = min(starts + ends, default=0)
    high = max(starts + ends, default=1)
    span = max(high - low + 1, 1)
    entries: list[TimelineEntry] = []
    for period in periods:
        first = period.when.start.ordinal() if period.when.start else low
        last = period.when.end.ordinal() if period.when.end else high
        entries.append({
            "id": period.id, "title": period.title, "dates": period.when.display(current_language()),
            "years": _years(period),
            "left": round(100 * (first - low) / span, 3),
            "width": round(max(100 * (last - first + 1) / span, 0.5), 3),
        })
    return Timeline(entries, year_ticks(low, high, span))


def year_ticks(low: int, high: int, span: int) -> list[Tick]:
    """Round years along the strip, at most eleven of them, however long it is (a strip of
    two billion years has a tick every 200 million, not one a thousand years)."""
    first, last = Day.from_ordinal(low).year, Day.from_ordinal(high).year
    step = tick_step(last - first)
    ticks: list[Tick] = []
    for round_year in range(-(-(first - 1) // step) * step, last + 1, step):
        if round_year == 0:
            continue  # neither 1 BCE nor 1 CE is round
        # Round as the reader counts: 200 BCE is the astronomical year -199.
        year = round_year if round_year > 0 else round_year + 1
        left = 100 * (Day(year, 1, 1).ordinal() - low) / span
        if 0 <= left <= 100:
            ticks.append({"id": f"tick-{year}" if year >= 0 else f"tick-bce-{-year}", "label": _tick_label(year),
                          "left": round(left, 3)})
    return ticks


def tick_step(years: int) -> int:
    """The smallest round step (1, 2, 2.5 or 5 times a power of ten, in whole years) that
    cuts `years` into at most ten parts."""
    scale = 1
    while True:
        for step in (scale, 2 * scale, 5 * scale // 2, 5 * scale):  # 5 // 2 is 2: no step of 2.5 years
            if step * 10 >= years:
                return step
        scale *= 10


def _tick_label(year: int) -> str:
    """A tick's year: BCE before 1 (year 0 is 1 BCE), with thousands grouped past 9999."""
    shown = year if year > 0 else 1 - year
    text = f"{shown:,}" if shown > 9999 else str(shown)
    return text if year > 0 else f"{text} BCE"


def _years(period: Period) -> str:
    """A period's years on the strip: bare numbers from the year 1000 on; before it, with
    the era in the page's language ("749–762 CE", "公元749–762年", "749–762 م")."""
    when, lang = period.when, current_language()
    if when.start is None or when.end is None or min(when.start.year, when.end.year) >= 1000 or lang == "en":
        return when.years()
    return words_for(lang).years(when.start.year, when.end.year)
