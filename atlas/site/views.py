"""The stage between resolve and render: each period's view of the atlas, made once.

A period's view holds its events in date order and, for every place that existed then,
how it looked on the day its map shows (its label, its other names, what it was and who
held it, whether it began or ended during the period). An event names its places as
they were on its own day (`Labels`). Features, pages, lessons, the changes panel and the
exports read these views; nothing later walks the events again.

Made fast for large atlases: a place with no dated names, control or existence looks
the same in every period, so it is worked out once; events are found for a period by
bisecting a list sorted by start day, not by testing every event against every period.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from atlas.site.i18n import current_language
from atlas.source.model import Atlas, Event, Period, Place
from atlas.source.names import Naming, control_at, covers, event_day, kind_at, map_day, roles_at
from atlas.util.packed import Packed

LONG_EVENT_DAYS = 3653  # events longer than ten years (or open-ended) are tested against every period


@dataclass(frozen=True, slots=True)
class PlaceState(Packed):
    """How a place looked during one period."""

    name: str  # its label on the map's day
    others: tuple[str, ...]  # its other forms and names then
    control: tuple[str, ...]  # who held it on the map's day (empty when the sources say nothing)
    control_history: tuple[tuple[str, str], ...]  # (value, its dates as shown) during the period, in date order
    kind: str = ""  # what it was on the map's day ("capital" only while it was one); "" for its own kind
    roles: tuple[str, ...] = ()  # what else it was then: "Capital of the Republic of China"


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
    labels: Labels
    day: float  # the day the map shows

    def names_for(self, event: Event) -> Callable[[str], str]:
        """How the event's entry names its places: as they were on the event's day."""
        return self.labels.for_event(event)

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
    labels = Labels(static, changing, naming_of(atlas))
    return [period_view(period, index, finder.events_in(period), static, labels)
            for index, period in enumerate(atlas.periods)]


def labels_of(atlas: Atlas) -> Labels:
    """The atlas's places' labels on any day (for an export, which names each event's
    places as they were on its day, as the pages do)."""
    static = {place.id: _state(place, None) for place in atlas.places if not place.changes}
    return Labels(static, atlas.changing_places, naming_of(atlas))


def naming_of(atlas: Atlas) -> Naming:
    return Naming(atlas.info.names, atlas.info.language)


def period_view(period: Period, index: int, events: list[Event], static: Mapping[str, PlaceState],
                labels: Labels) -> PeriodView:
    day = map_day(period, labels.naming.rule)
    return PeriodView(period, index, events, static, dynamic_states(labels.changing.values(), period, labels.naming),
                      labels, day)


def dynamic_states(changing: Iterable[Place], period: Period, naming: Naming) -> dict[str, PlaceState]:
    """How the places that change looked on a period's map: those that existed on its day
    (a region that ended during the period is in the changes panel, not on the map), and that
    the author has the maps draw then (`mapped:`)."""
    day = map_day(period, naming.rule)
    return {place.id: _state(place, period, naming, day) for place in changing
            if covers(place.when, day) and (place.mapped is None or place.mapped.overlaps(period.when))}


def _state(place: Place, period: Period | None, naming: Naming | None = None, day: float = 0.0) -> PlaceState:
    if period is None or naming is None:  # a place that never changes
        return PlaceState(place.name, (), (), ())
    day = own_day(place, day)
    in_force = [item for item in place.control if item.when is None or item.when.overlaps(period.when)]
    in_force.sort(key=lambda item: item.when.sort_key() if item.when else (0, 0, 0, 0, ""))
    history = tuple((item.value, item.when.display(current_language()) if item.when else "") for item in in_force)
    held = control_at(place, day)
    kind = kind_at(place, day)
    written = naming.written(place, day)
    return PlaceState(written.label, naming.others(place, day, written), (held,) if held else (), history,
                      kind if kind != place.kind else "", tuple(role.text() for role in roles_at(place, day)))


def own_day(place: Place, day: float) -> float:
    """The day itself, or, for a place that did not exist then, its nearest day of existence
    (a region that ended during the period is named as it was when it ended)."""
    if place.when is None:
        return day
    return min(max(day, place.when.first), place.when.last)


class Labels:
    """The places' labels on any day, by id: a place that never changes has its own name."""

    def __init__(self, static: Mapping[str, PlaceState], changing: Iterable[Place], naming: Naming) -> None:
        self.static = static
        self.changing = {place.id: place for place in changing}
        self.naming = naming
        self.cache: dict[tuple[str, float], str] = {}

    def at(self, place_id: str, day: float) -> str:
        place = self.changing.get(place_id)
        if place is None:
            state = self.static.get(place_id)
            return state.name if state else place_id
        key = (place_id, day)
        if key not in self.cache:
            self.cache[key] = self.naming.label(place, own_day(place, day))
        return self.cache[key]

    def for_event(self, event: Event) -> Callable[[str], str]:
        if event.date is None:  # no day to name them at: each by the name its entry gives it
            return self.written
        day = event_day(event.date)
        return lambda place_id: self.at(place_id, day)

    def written(self, place_id: str) -> str:
        """The place's own `name:`, as written, whatever the date."""
        place = self.changing.get(place_id)
        if place is not None:
            return place.name
        state = self.static.get(place_id)
        return state.name if state else place_id


class EventFinder:
    """The events of any period, found by bisection over the events sorted by start."""

    def __init__(self, events: Sequence[Event]) -> None:
        self.order = {event.id: index for index, event in enumerate(events)}
        dated = [(e, e.date) for e in events if e.date is not None]  # an undated event is in no period
        short = [(e, d) for e, d in dated if d.last - d.first <= LONG_EVENT_DAYS]
        self.long = [(e, d) for e, d in dated if not d.last - d.first <= LONG_EVENT_DAYS]
        self.short = sorted(short, key=lambda pair: pair[1].first)
        self.firsts = [d.first for _, d in self.short]

    def events_in(self, period: Period) -> list[Event]:
        """The period's events in date order (ties keep the source order), as periods.events_in."""
        low = bisect.bisect_left(self.firsts, period.when.first - LONG_EVENT_DAYS) if math.isfinite(
            period.when.first) else 0
        high = bisect.bisect_right(self.firsts, period.when.last)
        chosen = [(e, d) for e, d in self.short[low:high] if d.last >= period.when.first]
        chosen += [(e, d) for e, d in self.long if d.overlaps(period.when)]
        chosen.sort(key=lambda pair: (pair[1].sort_key(), self.order[pair[0].id]))
        return [e for e, _ in chosen]
