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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from atlas.site.periods import control_in, name_in
from atlas.source.dates import overlap_days
from atlas.source.model import Atlas, Event, Period, Place
from atlas.util.packed import Packed

LONG_EVENT_DAYS = 3653  # events longer than ten years (or open-ended) are tested against every period


@dataclass(frozen=True, slots=True)
class PlaceState(Packed):
    """How a place looked during one period."""

    name: str
    others: tuple[str, ...]
    control: tuple[str, ...]  # longest in force first
    control_history: tuple[tuple[str, str], ...]  # (value, its dates as shown) in date order
    partial: bool  # began or ended during the period: drawn fainter


@dataclass
class PeriodView:
    """A period's events, and how its places looked. A place that never changes (no dated
    names, control or existence) looks the same in every period: it is kept once, in
    `static`, shared by all the views; `dynamic` holds the others that existed then."""

    period: Period
    index: int
    events: list[Event]  # in date order
    static: Mapping[str, PlaceState]
    dynamic: dict[str, PlaceState]

    def state_of(self, place_id: str) -> PlaceState | None:
        """How the place looked in this period; None when it did not exist then."""
        return self.dynamic.get(place_id) or self.static.get(place_id)

    def name_of(self, place_id: str) -> str:
        state = self.state_of(place_id)
        return state.name if state else place_id


def period_views(atlas: Atlas) -> list[PeriodView]:
    """Every period's view, in the atlas's order."""
    finder = EventFinder(atlas.events)
    changing = atlas.changing_places
    moving = {place.id for place in changing}
    static = {place.id: _state(place, None) for place in atlas.places if place.id not in moving}
    views = []
    for index, period in enumerate(atlas.periods):
        views.append(PeriodView(period, index, finder.events_in(period), static, dynamic_states(changing, period)))
    return views


def dynamic_states(changing: Sequence[Place], period: Period) -> dict[str, PlaceState]:
    """How the places that change looked in a period (those that existed then)."""
    return {place.id: _state(place, period) for place in changing
            if place.when is None or place.when.overlaps(period.when)}


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
