"""Which events a period shows, and what each place looked like during it.

An event belongs to every period whose range overlaps its own. Where several names (or
controlling powers) of a place are in force during a period, the one in force for the
longest part of it wins; the others are listed beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from atlas.source.dates import EdtfDate, overlap_days
from atlas.source.model import Event, Name, Period, Place, TimedValue


def events_in(period: Period, events: Sequence[Event]) -> list[Event]:
    """The period's events in date order (ties keep the source order)."""
    chosen = [event for event in events if event.date.overlaps(period.when)]
    return sorted(chosen, key=lambda event: event.date.sort_key())


def periods_of(event: Event, periods: Sequence[Period]) -> list[str]:
    return [period.id for period in periods if event.date.overlaps(period.when)]


def exists_in(place: Place, period: Period) -> bool:
    return place.when is None or place.when.overlaps(period.when)


def _share(when: EdtfDate | None, period: Period) -> float:
    """How many days of the period something is in force (all of them when undated)."""
    if when is None:
        return period.when.days()
    return overlap_days(when, period.when)


def _longest(items: Sequence[Name | TimedValue], period: Period) -> list[int]:
    """Indexes of the items in force during the period, longest in force first."""
    shares = [(_share(item.when, period), index) for index, item in enumerate(items)]
    in_force = [(share, index) for share, index in shares if share > 0]
    return [index for _, index in sorted(in_force, key=lambda pair: (-pair[0], pair[1]))]


@dataclass(frozen=True)
class NameInPeriod:
    name: str
    others: tuple[str, ...]


def name_in(place: Place, period: Period) -> NameInPeriod:
    """The name shown on the period's map, and the other names in force during it."""
    order = _longest(place.names, period)
    if not order:
        return NameInPeriod(place.name, ())
    names = [place.names[index].name for index in order]
    others = tuple(dict.fromkeys(name for name in names[1:] if name != names[0]))
    return NameInPeriod(names[0], others)


def control_in(place: Place, period: Period) -> tuple[str, ...]:
    """Who controlled the place during the period, longest in all first ('' when unrecorded):
    a railway joint-run for two spells of two years and Japanese for three was joint-run longest."""
    days: dict[str, float] = {}
    for item in place.control:
        share = _share(item.when, period)
        if share > 0:
            days[item.value] = days.get(item.value, 0) + share
    return tuple(sorted(days, key=lambda value: -days[value]))
