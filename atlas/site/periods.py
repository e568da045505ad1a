"""Which events a period shows: every event whose range overlaps the period's.

(Which places a period's map draws, and how, is the map's day's: `atlas.site.views`.)
"""

from __future__ import annotations

from collections.abc import Sequence

from atlas.source.model import Event, Period


def events_in(period: Period, events: Sequence[Event]) -> list[Event]:
    """The period's events in date order (ties keep the source order); an undated event is in none."""
    chosen = [(event, event.date) for event in events if event.date is not None and event.date.overlaps(period.when)]
    return [event for event, _ in sorted(chosen, key=lambda pair: pair[1].sort_key())]


def periods_of(event: Event, periods: Sequence[Period]) -> list[str]:
    date = event.date
    return [] if date is None else [period.id for period in periods if date.overlaps(period.when)]


def undated(events: Sequence[Event]) -> list[Event]:
    """The events without a date, in the sources' order: listed as such, on no period's map."""
    return [event for event in events if event.date is None]
