"""The stage between resolve and render: each period's view of the atlas, made once.

A period's view holds its events in date order and, for every place that existed then,
how it looked (its name, its other names, who controlled it, whether it began or ended
during the period). Features, pages, lessons, the changes panel and the exports read
these views; nothing later asks `name_in` or walks the events again.

Made fast for large atlases: a place with no dated names, control or existence looks
the same in every period, so it is worked out once; events are found for a period by
bisecting a list sorted by start day, not by testing every event against every period.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from .dates import overlap_days
from .model import Atlas, Event, Period, Place
from .periods import control_in, name_in
from .resolve import Geometry

LONG_EVENT_DAYS = 3653  # events longer than ten years (or open-ended) are tested against every period


@dataclass(frozen=True)
class PlaceState:
    """How a place looked during one period."""

    name: str
    others: tuple[str, ...]
    control: tuple[str, ...]  # longest in force first
    control_history: tuple[tuple[str, str], ...]  # (value, its dates as shown) in date order
    partial: bool  # began or ended during the period: drawn fainter


@dataclass
class PeriodView:
    period: Period
    index: int
    events: list[Event]  # in date order
    places: list[tuple[Place, PlaceState]]  # the places drawn (existing, with a geometry), in atlas order
    states: dict[str, PlaceState] = field(default_factory=dict)  # by place id, for lookups

    def name_of(self, place_id: str) -> str:
        state = self.states.get(place_id)
        return state.name if state else place_id


def period_views(atlas: Atlas, geometry: dict[str, Geometry]) -> list[PeriodView]:
    """Every period's view, in the atlas's order."""
    finder = EventFinder(atlas.events)
    constant = {place.id: _state(place, None) for place in atlas.places if _static(place)}
    views = []
    for index, period in enumerate(atlas.periods):
        places = []
        states: dict[str, PlaceState] = {}
        for place in atlas.places:
            state = constant.get(place.id)
            if state is None:
                if place.when is not None and not place.when.overlaps(period.when):
                    continue
                state = _state(place, period)
            states[place.id] = state
            if place.id in geometry:
                places.append((place, state))
        views.append(PeriodView(period, index, finder.events_in(period), places, states))
    return views


def _static(place: Place) -> bool:
    return not place.names and not place.control and place.when is None


def _state(place: Place, period: Period | None) -> PlaceState:
    if period is None:  # a place that never changes
        return PlaceState(place.name, (), (), (), False)
    naming = name_in(place, period)
    in_force = [item for item in place.control if item.when is None or item.when.overlaps(period.when)]
    in_force.sort(key=lambda item: item.when.sort_key() if item.when else (0, 0, 0, 0, ""))
    history = tuple((item.value, item.when.display() if item.when else "") for item in in_force)
    partial = place.when is not None and overlap_days(place.when, period.when) < period.when.days()
    return PlaceState(naming.name, naming.others, control_in(place, period), history, partial)


class EventFinder:
    """The events of any period, found by bisection over the events sorted by start."""

    def __init__(self, events: Sequence[Event]) -> None:
        self.order = {event.id: index for index, event in enumerate(events)}
        short = [e for e in events if e.date.last - e.date.first <= LONG_EVENT_DAYS]
        self.long = [e for e in events if not e.date.last - e.date.first <= LONG_EVENT_DAYS]
        self.short = sorted(short, key=lambda e: e.date.first)
        self.firsts = [e.date.first for e in self.short]

    def events_in(self, period: Period) -> list[Event]:
        """The period's events in date order (ties keep the source order), as periods.events_in."""
        low = bisect.bisect_left(self.firsts, period.when.first - LONG_EVENT_DAYS) if math.isfinite(
            period.when.first) else 0
        high = bisect.bisect_right(self.firsts, period.when.last)
        chosen = [e for e in self.short[low:high] if e.date.last >= period.when.first]
        chosen += [e for e in self.long if e.date.overlaps(period.when)]
        chosen.sort(key=lambda e: (e.date.sort_key(), self.order[e.id]))
        return chosen
