"""The lists of text beside the maps: a period's events; and on the index, the events
without a date and, for a gazetteer, every place with its names over time.

Nothing is invented for an undated event: the index lists it as undated and draws it (in
grey) on its map when it has places; no period shows it. A gazetteer (an atlas without
dated events: a Linked Places import, a new atlas) has an index that draws every place,
named as its entry names it, framed on the places rather than on the world.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from atlas.site import legend
from atlas.site.features import PeriodFeatures, PlaceCatalogue, date_shown
from atlas.site.i18n import current_language
from atlas.site.legend import Palette, Symbol
from atlas.site.media import Extras, media_json
from atlas.site.views import PeriodView, labels_of
from atlas.source.days import Day, year_text
from atlas.source.model import Atlas, Event, Place
from atlas.source.names import names_in_time, turning_days

# Past this many places, the index's list of a gazetteer stops (the map's own list of places has them all).
LISTED_PLACES = 2000


@dataclass(frozen=True)
class EventView:
    """An event as a page lists it."""

    event: Event
    date: str
    places: list[str]
    media: list[dict[str, Any]] = field(default_factory=list)
    routes: list[str] = field(default_factory=list)  # the routes' labels
    # The category in words beside its dot, so that no reader depends on telling colours apart.
    category: Symbol | None = None


def event_views(view: PeriodView, palette: Palette, extras: Extras | None = None, lang: str = "en",
                root: str = "../") -> list[EventView]:
    """A period's events as its page lists them; `root` is the way to the build's top folder."""
    pictures = extras.pictures if extras else {}
    when = view.period.when
    return [EventView(event, date_shown(event, lang), [view.names_for(event)(ref) for ref in event.places],
                      media_json(event.media, pictures, root),
                      [route.label for route in event.routes if route.label and route.shown_in(when)],
                      palette.category(event.category) if event.category else None)
            for event in view.events]


def undated_views(events: Sequence[Event], name_of: Callable[[str], str], palette: Palette,
                  extras: Extras, root: str = "") -> list[EventView]:
    """The undated events as the index lists them (its media from the top folder, `root`)."""
    return [EventView(event, date_shown(event, current_language()), [name_of(ref) for ref in event.places],
                      media_json(event.media, extras.pictures, root),
                      [route.label for route in event.routes if route.label],
                      palette.category(event.category) if event.category else None)
            for event in events]


@dataclass(frozen=True)
class PlaceLine:
    """A place as a gazetteer's index lists it."""

    id: str
    name: str
    kind: str  # in words
    names: list[str]  # its names with their years, in date order
    existed: str
    forms: list[str] = field(default_factory=list)  # how else its name is written: "Bern (de)"


@dataclass(frozen=True)
class IndexLists:
    """What the index shows beside its periods."""

    undated: list[EventView] = field(default_factory=list)
    # A gazetteer's places, and the look of each changing one on the index's map (None: the
    # atlas has dated events, and its map shows them, not its places).
    places: list[PlaceLine] | None = None
    looks: dict[str, int] | None = None
    unlisted: int = 0  # places past LISTED_PLACES
    as_of: list[tuple[str, int]] = field(default_factory=list)  # the years the map may name places at


def name_steps(atlas: Atlas, catalogue: PlaceCatalogue) -> list[tuple[str, int]]:
    """A gazetteer's map may name its places as of a year the reader chooses (no period
    does it for it): each changing place's look on the index carries its label before its
    first turning day and from each of them (day numbers, compared in the page, never
    through JavaScript's Date); the choices are the years something turns, each at its
    last turning day. Made before the catalogue is written."""
    if not catalogue.timeless:
        return []
    labels = labels_of(atlas)
    years: dict[int, int] = {}
    for place_id, index in catalogue.timeless.items():
        place = catalogue.places[place_id]
        days = [int(day) for day in turning_days(place, -math.inf, math.inf, labels.naming.rule)]
        if not days or not place.names:
            continue
        steps: list[list[object]] = [[None, labels.at(place_id, days[0] - 1)]]
        steps += [[day, labels.at(place_id, day)] for day in days]
        catalogue.entries[place_id]["s"][index]["steps"] = steps
        for day in days:
            year = Day.from_ordinal(day).year
            years[year] = max(years.get(year, day), day)
    return [(year_text(year), day) for year, day in sorted(years.items())]


def index_lists(atlas: Atlas, catalogue: PlaceCatalogue, undated: list[EventView],
                as_of: list[tuple[str, int]] | None = None) -> IndexLists:
    if catalogue.timeless is None:
        return IndexLists(undated)
    drawn = [place for place in atlas.places if place.id in catalogue.entries]
    drawn.sort(key=lambda place: (place.name.casefold(), place.id))
    lines = [PlaceLine(place.id, place.name, legend.kind_label(place.kind), names_in_time(place),
                       place.when.years() if place.when else "", other_forms(place))
             for place in drawn[:LISTED_PLACES]]
    return IndexLists(undated, lines, catalogue.timeless, max(0, len(drawn) - LISTED_PLACES), as_of or [])


def other_forms(place: Place) -> list[str]:
    """How else the place's own name is written (a gazetteer's variants): each with its
    language tag, and its years when it was in use for a time ("Canton (en) –1979")."""
    shown = []
    for form in place.forms:
        if form.text == place.name and form.when is None:
            continue
        tag = f" ({form.lang})" if form.lang and form.lang != "und" else ""
        shown.append(f"{form.text}{tag} {form.when.years()}".strip() if form.when else f"{form.text}{tag}")
    return list(dict.fromkeys(shown))


def framed_on_places(overview: PeriodFeatures, catalogue: PlaceCatalogue) -> PeriodFeatures:
    """A gazetteer's overview: its map fitted to the places (and any undated events), which it draws."""
    boxes = [box for box in (*catalogue.extents.values(), overview.extent) if box]
    if not boxes:
        return overview
    whole = [[min(b[0][0] for b in boxes), min(b[0][1] for b in boxes)],
             [max(b[1][0] for b in boxes), max(b[1][1] for b in boxes)]]
    return dataclasses.replace(overview, extent=whole, focus=whole, drawn=overview.drawn + len(catalogue.entries))
