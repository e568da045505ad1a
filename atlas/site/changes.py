"""What changed on the map since the previous period: places renamed, railways and
regions that changed hands, regions that began or ended, each with its date.

The comparison is between the two maps a reader steps between: a place's name (or
controller) on the previous period's map against the one on this period's map. So the
panel says exactly what a student would otherwise have to spot by eye.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from atlas.site.legend import Palette
from atlas.source.dates import EdtfDate
from atlas.source.model import Atlas, Name, Period, Place, TimedValue

if TYPE_CHECKING:
    from atlas.site.views import PeriodView, PlaceState

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


def changes_between(atlas: Atlas, before: PeriodView, view: PeriodView, palette: Palette) -> list[Change]:
    """Only a place with dated names, control or existence can change: the others are not
    looked at (in a large atlas, most places never change)."""
    found: list[Change] = []
    for place in atlas.changing_places:
        was, now = before.dynamic.get(place.id), view.dynamic.get(place.id)
        found += _existence(place, before, view)
        if was is not None and now is not None and was != now:
            found += _renamed(place, was, now, view.period) + _control(place, was, now, view.period, palette)
    # Lines that share a name after a change (three railways merged into one company)
    # make the same entry: it is listed once.
    unique = {(change.text, change.date): change for change in reversed(found)}
    return sorted(unique.values(), key=lambda change: (change.sort, KINDS.index(change.kind), change.text))


def _existence(place: Place, before: PeriodView, view: PeriodView) -> list[Change]:
    """A place (usually a region) that began or ended between the two maps."""
    when = place.when
    if when is None:
        return []
    found = []
    now = place.id in view.dynamic
    state = view.dynamic.get(place.id) or before.dynamic.get(place.id)
    name = state.name if state else place.name
    # Each change is listed once, on the page of the first map that shows it: a place
    # that began is new on this map if it did not exist when the previous period ended;
    # one that ended is listed on the first map where it is faint or gone.
    if when.start and before.period.when.last < when.first <= view.period.when.last:
        found.append(Change("began", place.id, f"{name} began", when.display_start() or "", when.first, now))
    if when.end and before.period.when.last <= when.last < view.period.when.last:
        found.append(Change("ended", place.id, f"{name} ended", when.display_end() or "", when.last, now))
    return found


def _renamed(place: Place, was: PlaceState, now: PlaceState, period: Period) -> list[Change]:
    if was.name == now.name:
        return []
    since = _since(place.names, now.name, period)
    date, first = (since.display_start() or "", since.first) if since else ("", period.when.first)
    # The map switches names when the old one ends, if that is later than the new one's
    # start (an English name kept after an official renaming: Mukden until 1949).
    ended = _until(place.names, was.name, period)
    if ended is not None and ended.last < period.when.last and (since is None or ended.last > since.first):
        date, first = ended.display_end() or "", ended.last
    return [Change("renamed", place.id, f"{was.name} → {now.name}", date, first, True)]


def _control(place: Place, was: PlaceState, now: PlaceState, period: Period, palette: Palette) -> list[Change]:
    old, new = was.control[:1], now.control[:1]
    if old == new or not (old or new):
        return []
    since = _since(place.control, new[0], period) if new else None
    # "Before" is who held it just before the change (which may differ from who held it
    # longest in the previous period: the CER was Soviet–Manchukuo just before its sale).
    prior = [item for item in place.control if since is not None and item.when is not None
             and item.value != new[0] and item.when.last <= since.first]
    held = max(prior, key=lambda item: item.when.last if item.when else 0).value if prior else (old[0] if old else "")
    before = palette.control(held).label if held else "none recorded"
    after = palette.control(new[0]).label if new else "none recorded"
    return [Change("control", place.id, f"{now.name}: {before} → {after}", since.display_start() or "" if since else "",
                   since.first if since else period.when.first, True)]


def _until(names: tuple[Name, ...], value: str, period: Period) -> EdtfDate | None:
    """The `when` of the last entry of the name `value` that ended by this period's end."""
    ended = [name.when for name in names if name.name == value and name.when is not None
             and name.when.last <= period.when.last]
    return max(ended, key=lambda when: when.last) if ended else None


def _since(items: tuple[Name, ...] | tuple[TimedValue, ...], value: str, period: Period) -> EdtfDate | None:
    """The `when` of the entry that brought `value` into force for this period."""
    for item in items:
        shown = item.name if isinstance(item, Name) else item.value
        if shown == value and item.when is not None and item.when.overlaps(period.when):
            return item.when
    return None
