"""The index's overview map: every event of the atlas on one map, coloured by its period,
each leading to its period's page.

Past MANY_EVENTS a dot an event would bury the map (and weigh megabytes): the map then
has a dot a place, sized by how many events happened there, in the colour of the first
period one did, leading to that first event.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from atlas.site.features import (
    UNDATED,
    Feature,
    PeriodFeatures,
    bounds,
    date_shown,
    event_feature,
    movement_entries,
)
from atlas.site.i18n import gettext
from atlas.site.legend import PERIOD_COLOURS, Entry, Palette, event_style
from atlas.site.media import Extras
from atlas.source.model import Event, Period

MANY_EVENTS = 3000
# Past the palette's eight periods, colours evenly along a scale, dark enough for 3:1 on
# white at every step and ordered (early periods blue, late ones red-brown): each period
# keeps a colour of its own, though neighbours come close.
SCALE = ("#1F4E8C", "#2A7A78", "#4E7D2A", "#8A6A14", "#A8501E", "#8C2D4F")


def period_colours(periods: Sequence[Period]) -> dict[str, str]:
    """A colour for each period in date order: the palette's (legend.PERIOD_COLOURS, apart
    for colour-blind readers and on a projector), else evenly along the scale."""
    if len(periods) <= len(PERIOD_COLOURS):
        return {period.id: PERIOD_COLOURS[index] for index, period in enumerate(periods)}
    return {period.id: _along(index / (len(periods) - 1)) for index, period in enumerate(periods)}


def _along(t: float) -> str:
    position = t * (len(SCALE) - 1)
    low = min(int(position), len(SCALE) - 2)
    share = position - low
    a, b = (tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5)) for colour in (SCALE[low], SCALE[low + 1]))
    return "#" + "".join(f"{round(x + (y - x) * share):02X}" for x, y in zip(a, b, strict=True))




class Naming(Protocol):
    """How a period names its places: on its map, and in each event's entry (as on the
    event's own day). A `PeriodView` is one."""

    def name_of(self, place_id: str) -> str: ...

    def names_for(self, event: Event) -> Callable[[str], str]: ...


# The events without a date, and how they name their places (by their own names: no day to name them at).
Undated = tuple[Sequence[Event], Callable[[str], str]]
UNDATED_COLOUR = "#666666"  # grey, as no period is: 5.7:1 on white


def _undated_features(undated: Undated, points: Mapping[str, list[float]], palette: Palette,
                      extras: Extras | None, root: str = "") -> list[Feature]:
    """The undated events' dots: they lead to no period (their text is in the index's list)."""
    events, name_of = undated
    found = [event_feature(name_of, event, points, palette, extras, root=root) for event in events]
    for feature in found:
        if feature is not None:
            feature["properties"]["style"] = event_style(UNDATED_COLOUR)
    return [feature for feature in found if feature is not None]


# A period, how it names its places, and its events in order.
PeriodEvents = tuple[Period, Naming, Sequence[Event]]
# An event as the overview counts it: its id, its places, its title, its date as shown.
Seen = tuple[str, tuple[str, ...], str, str]


def overview_features(periods: Sequence[PeriodEvents], points: Mapping[str, list[float]], palette: Palette,
                      colours: dict[str, str], extras: Extras | None = None,
                      undated: Undated = ((), str), root: str = "") -> PeriodFeatures:
    """Each event once, in the first period it belongs to, named as in that period (or,
    past MANY_EVENTS, each place once); then the `undated` events (and how to name their
    places), in grey, in no period. `root` is the way from the index to the build's top folder."""
    if sum(len(events) for _, _, events in periods) + len(undated[0]) > MANY_EVENTS:
        return by_place([(period, naming.name_of, [(e.id, e.places, e.title, date_shown(e)) for e in events])
                         for period, naming, events in periods], points, colours)
    features: list[Feature] = []
    seen: set[str] = set()
    for period, naming, events in periods:
        for event in events:
            feature = event_feature(naming.names_for(event), event, points, palette, extras, root=root) \
                if event.id not in seen else None
            seen.add(event.id)
            if feature is None:
                continue
            feature["properties"].update(style=event_style(colours[period.id]), period=period.id,
                                         period_title=period.title)
            features.append(feature)
    legend = [Entry("Events", "event", period.title, colours[period.id]) for period, _, _ in periods]
    undated_features = _undated_features(undated, points, palette, extras, root)
    if undated_features:
        legend.append(Entry("Events", "event", gettext(UNDATED), UNDATED_COLOUR))
    features += undated_features
    legend += movement_entries(features)
    extent = bounds(features)
    return PeriodFeatures({}, features, legend, extent, extent, drawn=len(features))


@dataclass
class _Tally:
    """The events at one place: the first (its period, its name then) and how many."""

    first: Seen
    period: Period
    name: str
    last: Seen
    count: int = 0
    periods: set[str] = field(default_factory=set)


def by_place(periods: Sequence[tuple[Period, Callable[[str], str], Sequence[Seen]]],
             points: Mapping[str, list[float]], colours: dict[str, str]) -> PeriodFeatures:
    """A dot a place where events happened, in the order the places are first met."""
    tallies: dict[str, _Tally] = {}
    seen: set[str] = set()
    for period, name_of, events in periods:
        for event in events:
            event_id, places = event[0], event[1]
            for ref in places:
                if ref not in points:
                    continue
                tally = tallies.get(ref)
                if tally is None:
                    tally = tallies[ref] = _Tally(event, period, name_of(ref), event)
                tally.periods.add(period.id)
                if event_id not in seen:
                    tally.count += 1
                    tally.last = event
            seen.add(event_id)
    features = [_place_dot(ref, tally, points[ref], colours) for ref, tally in tallies.items()]
    legend = [Entry("Events", "event", period.title, colours[period.id]) for period, _, _ in periods]
    extent = bounds(features)
    return PeriodFeatures({}, features, legend, extent, extent, drawn=len(features))


def _place_dot(ref: str, tally: _Tally, point: list[float], colours: dict[str, str]) -> Feature:
    period, count = tally.period, tally.count
    (first_id, _, first_title, first), last = tally.first, tally.last[3]
    style = event_style(colours[period.id])
    style["radius"] = min(14, 5 + round(2 * math.log2(count)))
    where = f"{count} events" if count > 1 else "1 event"
    periods = len(tally.periods)
    return {
        "type": "Feature",
        "id": f"{ref}-events",
        "geometry": {"type": "Point", "coordinates": point},
        "properties": {
            "type": "event", "id": first_id, "title": tally.name,
            "date": first if count == 1 or first == last else f"{first} – {last}",
            "places": [], "category": "", "category_label": "",
            "summary": f"{where} here, in {periods} {'period' if periods == 1 else 'periods'}; "
                       f"the first: {first_title}.",
            "sources": [], "style": style, "period": period.id, "period_title": period.title,
        },
    }
