"""Which events a period shows: every event whose range overlaps the period's.

(Which places a period's map draws, and how, is the map's day's: `atlas.site.views`.)
"""

from __future__ import annotations

from collections.abc import Sequence

from atlas.source.model import Event, Period


def events_in(period: Period, events: Sequence[Event]) -> list[Event]:
    """The period's events in date order (ties keep the source order)."""
    chosen = [event for event in events if event.date.overlaps(period.when)]
    return sorted(chosen, key=lambda event: event.date.sort_key())


def periods_of(event: Event, periods: Sequence[Period]) -> list[str]:
    return [period.id for period in periods if event.date.overlaps(period.when)]
