"""What changed on the map since the previous period: places renamed, railways and
regions that changed hands, regions that began or ended, each with its date.

The comparison is between the two maps a reader steps between: a place's name (or
controller) on the previous period's map against the one on this period's map. So the
panel says exactly what a student would otherwise have to spot by eye.
"""

from __future__ import annotations

from dataclasses import dataclass

from .dates import EdtfDate
from .legend import Palette
from .model import Atlas, Name, Period, Place, TimedValue
from .periods import control_in, exists_in, name_in

KINDS = ("renamed", "control", "began", "ended")


@dataclass(frozen=True)
class Change:
    """One change, as the panel lists it and the map marks it."""

    kind: str  # one of KINDS
    place: str  # the place's id: the map marks it, and the panel's entry shows it
    text: str  # "Hsinking → Changchun", "Chinese Eastern Railway: Japanese → Sino-Soviet"
    date: str  # "20 August 1945", or "" when the sources give none
    sort: float  # day number of the change, for the panel's order
    drawn: bool  # whether the place is on this period's map


def changes_between(atlas: Atlas, before: Period, period: Period, palette: Palette) -> list[Change]:
    found: list[Change] = []
    for place in atlas.places:
        was, now = exists_in(place, before), exists_in(place, period)
        found += _existence(place, before, period, now)
        if was and now:
            found += _renamed(place, before, period) + _control(place, before, period, palette)
    # Lines that share a name after a change (three railways merged into one company)
    # make the same entry: it is listed once.
    unique = {(change.text, change.date): change for change in reversed(found)}
    return sorted(unique.values(), key=lambda change: (change.sort, KINDS.index(change.kind), change.text))


def _existence(place: Place, before: Period, period: Period, now: bool) -> list[Change]:
    """A place (usually a region) that began or ended between the two maps."""
    when = place.when
    if when is None:
        return []
    found = []
    name = name_in(place, period if now else before).name
    # Each change is listed once, on the page of the first map that shows it: a place
    # that began is new on this map if it did not exist when the previous period ended;
    # one that ended is listed on the first map where it is faint or gone.
    if when.start and before.when.last < when.first <= period.when.last:
        found.append(Change("began", place.id, f"{name} began", when.display_start() or "", when.first, now))
    if when.end and before.when.last <= when.last < period.when.last:
        found.append(Change("ended", place.id, f"{name} ended", when.display_end() or "", when.last, now))
    return found


def _renamed(place: Place, before: Period, period: Period) -> list[Change]:
    old, new = name_in(place, before).name, name_in(place, period).name
    if old == new:
        return []
    since = _since(place.names, new, period)
    return [Change("renamed", place.id, f"{old} → {new}", since.display_start() or "" if since else "",
                   since.first if since else period.when.first, True)]


def _control(place: Place, before: Period, period: Period, palette: Palette) -> list[Change]:
    old, new = control_in(place, before)[:1], control_in(place, period)[:1]
    if old == new or not (old or new):
        return []
    name = name_in(place, period).name
    was = palette.control(old[0]).label if old else "none recorded"
    now = palette.control(new[0]).label if new else "none recorded"
    since = _since(place.control, new[0], period) if new else None
    return [Change("control", place.id, f"{name}: {was} → {now}", since.display_start() or "" if since else "",
                   since.first if since else period.when.first, True)]


def _since(items: tuple[Name, ...] | tuple[TimedValue, ...], value: str, period: Period) -> EdtfDate | None:
    """The `when` of the entry that brought `value` into force for this period."""
    for item in items:
        shown = item.name if isinstance(item, Name) else item.value
        if shown == value and item.when is not None and item.when.overlaps(period.when):
            return item.when
    return None
