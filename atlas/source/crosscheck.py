"""The checks that need the whole atlas: unique ids, references from events and lines to
places, events outside every period, and points whose latitude and longitude look swapped.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Collection, Container, Sequence
from collections.abc import Set as AbstractSet

from atlas.errors import Origin
from atlas.source.checker import Checker, did_you_mean
from atlas.source.dates import EdtfDate
from atlas.source.model import (
    Atlas,
    Event,
    Geocoded,
    Lesson,
    Period,
    Place,
    Point,
    Via,
)
from atlas.util import suggest


def cross_check(checker: Checker, atlas: Atlas, broken: set[str], unreadable: AbstractSet[str] = frozenset()) -> None:
    """Checks that need every record: unique ids, references, and the warnings.

    `broken` holds the ids of places already reported as invalid, and `unreadable` the
    files that could not be read at all: a reference into them is not reported again
    (one mistake, one message).
    """
    known = suggest.Names([*atlas.place_by_id, *broken])  # for did-you-mean hints, indexed once
    covered = Coverage(atlas.periods).covers
    seen: dict[str, Origin] = {}
    items: list[Place | Event | Period | Lesson] = [*atlas.places, *atlas.events, *atlas.periods, *atlas.lessons]
    for item in items:
        if item.id in seen:
            checker.error(item.origin, f"duplicate id '{item.id}' (first used at {seen[item.id]})")
        else:
            seen[item.id] = item.origin
    for place_ in atlas.places:
        if isinstance(place_.shape, Via) and "places" not in unreadable:
            _check_via(checker, atlas, place_, place_.shape, known, broken)
        if place_.outline_of:
            _check_outline(checker, atlas, place_, known, broken)
    for event_ in atlas.events:
        check_event(checker, atlas.place_by_id, event_, covered, known, broken, unreadable)
        _check_mapped(checker, atlas, event_)


def _check_mapped(checker: Checker, atlas: Atlas, event_: Event) -> None:
    """An event at a place that `mapped:` keeps off the maps of its time would be a dot
    without a name: the author is told."""
    for ref in event_.places:
        place_ = atlas.place_by_id.get(ref)
        if place_ and place_.mapped and event_.date and not place_.mapped.overlaps(event_.date):
            checker.warn(event_.origin, f"event '{event_.id}' ({event_.date.text}) is at place '{ref}', which "
                         f"its `mapped: {place_.mapped.text}` keeps off the maps then")


def check_event(checker: Checker, places: Container[str], event_: Event, covered: Callable[[EdtfDate], bool],
                known: Collection[str], broken: AbstractSet[str] = frozenset(),
                unreadable: AbstractSet[str] = frozenset()) -> None:
    """An event against the rest of the atlas, whose place ids are `places` (also for an
    incremental build's changed events)."""
    for ref in event_.places:
        if ref not in places and ref not in broken and "places" not in unreadable:
            hint = did_you_mean(ref, known)
            checker.error(event_.origin, f"event '{event_.id}' names unknown place '{ref}'{hint}")
    for route in event_.routes:
        for stop in route.stops:
            if isinstance(stop, str) and stop not in places and stop not in broken and "places" not in unreadable:
                checker.error(route.origin or event_.origin, f"a route of event '{event_.id}' goes through unknown "
                              f"place '{stop}'{did_you_mean(stop, known)}")
    if not event_.places and not event_.routes and event_.area is None:
        listed = "listed in its period" if event_.date else "listed as undated"
        checker.warn(event_.origin, f"event '{event_.id}' names no place: it is {listed} but not on "
                     "the map (add `places: [...]`)")
    if not event_.sources:
        checker.warn(event_.origin, f"event '{event_.id}' cites no sources")
    if event_.date is None:
        # Nothing is invented for it (no year, no "dated by its neighbours"): the author is told.
        checker.warn(event_.origin, f"event '{event_.id}' has no date: it is listed as undated, on no period's "
                     "map; add `date:`")
    elif "periods" not in unreadable and not covered(event_.date):
        checker.warn(event_.origin, f"event '{event_.id}' ({event_.date.text}) falls outside every period")


class Coverage:
    """The days the periods cover, merged into runs: whether a date falls in any period is
    then one bisection, not a test against every period."""

    def __init__(self, periods: Sequence[Period]) -> None:
        runs: list[list[float]] = []
        for first, last in sorted((p.when.first, p.when.last) for p in periods):
            if runs and first <= runs[-1][1] + 1:
                runs[-1][1] = max(runs[-1][1], last)
            else:
                runs.append([first, last])
        self.firsts = [run[0] for run in runs]
        self.runs = runs

    def covers(self, date: EdtfDate) -> bool:
        at = bisect.bisect_right(self.firsts, date.last) - 1  # the last run starting before the date ends
        return at >= 0 and self.runs[at][1] >= date.first


def check_swapped(checker: Checker, places: Sequence[Place]) -> None:
    """Warn of a point that lies far from the atlas's other points when, with latitude and
    longitude swapped, it would lie among them (Rome written as [12.5, 41.9] is in Eritrea)."""
    points = [(p, p.shape) for p in places if isinstance(p.shape, Point)]
    if len(points) < 4:
        return
    lats = sorted(point.lat for _, point in points)
    lons = sorted(point.lon for _, point in points)
    middle = Point(lats[len(lats) // 2], lons[len(lons) // 2])
    spread = sorted(_km(middle, point) for _, point in points)[len(points) * 3 // 4]  # most lie within this
    for place_, point in points:
        if abs(point.lon) > 90 or _km(middle, point) < max(2 * spread, 1500):
            continue
        swapped = Point(point.lon, point.lat)
        if _km(middle, swapped) <= max(1.5 * spread, 800):
            checker.warn(place_.origin, f"place '{place_.id}' at [{point.lat:g}, {point.lon:g}] lies "
                         f"{_km(middle, point):,.0f} km from the atlas's other places; were latitude and longitude "
                         f"swapped? [{point.lon:g}, {point.lat:g}] lies among them (latitude comes first)")


def _km(a: Point, b: Point) -> float:
    """Great-circle distance."""
    la, lb = math.radians(a.lat), math.radians(b.lat)
    h = math.sin((lb - la) / 2) ** 2 + math.cos(la) * math.cos(lb) * math.sin(math.radians(b.lon - a.lon) / 2) ** 2
    return 12742 * math.asin(min(1.0, math.sqrt(h)))


def _check_via(checker: Checker, atlas: Atlas, line: Place, via: Via, known: Collection[str], broken: set[str]) -> None:
    for stop in via.stops:
        if isinstance(stop, Point) or stop in broken:
            continue
        target = atlas.place_by_id.get(stop)
        if target is None:
            hint = did_you_mean(stop, known)
            checker.error(line.origin, f"line '{line.id}' goes via unknown place '{stop}'{hint}")
        elif not isinstance(target.shape, (Point, Geocoded)):
            checker.error(line.origin, f"line '{line.id}' goes via '{stop}', which is not a point")




def _check_outline(checker: Checker, atlas: Atlas, place_: Place, known: Collection[str], broken: set[str]) -> None:
    """`outline_of`: another outline of a state or region the atlas has, at other times."""
    other = atlas.place_by_id.get(place_.outline_of)
    if other is None:
        if place_.outline_of not in broken:
            checker.error(place_.origin, f"place '{place_.id}' is an outline of unknown place "
                          f"'{place_.outline_of}'{did_you_mean(place_.outline_of, known)}")
    elif other.id == place_.id or other.outline_of:
        checker.error(place_.origin, f"'outline_of' names the place whose outline this is: '{place_.id}' cannot be "
                      f"an outline of '{other.id}', which is itself {'this place' if other.id == place_.id else 'an outline'}")
    elif place_.when and other.when and place_.when.overlaps(other.when) and place_.when.first != other.when.last \
            and other.when.first != place_.when.last:
        checker.warn(place_.origin, f"place '{place_.id}' and '{other.id}' are outlines of one state at the same time "
                     f"({place_.when.display()} and {other.when.display()}): give each outline its own years")
