"""How the map encodes what it shows, and the legend that says so.

Three encodings that never share a meaning: events are filled dots in their
category's colour; who controlled a railway or a region is a colour of its own
palette with a dash pattern of its own (so it reads without colour too); places are
black-and-white symbols by kind. Colours come from atlas.yaml when declared there;
otherwise each value keeps one colour however many others are added (it is chosen
from the value itself, not from its position among the others).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from atlas.site.i18n import N_, gettext
from atlas.source.declared import label_of
from atlas.source.model import Atlas, Declared

# The palettes are chosen and measured by places/tools/choose_colours.py with the measure
# of atlas.util.colour (CIEDE2000 under normal vision, deuteranopia, protanopia, a
# washed-out projector, and both); tests/test_colours.py holds the figures. Event colours:
# at least ΔE00 25 apart to normal vision, 15 to a red-green colour-blind reader, 12 on the
# projector and 6 to a colour-blind reader at the projector (the best six colours found
# reach 10 there: this is why each event also says its category in words); each has 3:1
# against the white ring around the dot and is a colour, never the black or white of a place.
EVENT_COLOURS = ("#0C4D94", "#90141F", "#23A595", "#AD66FC", "#BC8210", "#FF3C84")
# Control colours: dark (4.5:1 on white, a strong line), none nearer an event colour than
# EVENT_HUE_GAP in hue or EVENT_CONTROL_GAP in ΔE00, and each with a dash pattern besides.
CONTROL_COLOURS = ("#678001", "#0B5668", "#207D9A", "#00390E", "#2D8659", "#2E5F03", "#666666")
# Dash patterns for control, so a line's controller reads in grey print and with any
# colour vision: solid, dashes, dots, dash-dot, …
CONTROL_DASHES = (None, "12 6", "2 6", "12 5 2 5", "6 4", "16 4 2 4 2 4", "1 4")
# The index's period colours, in date order (overview.period_colours): chosen as the event
# colours are, for eight, and ordered so that each is further still from the periods
# either side, whose events share places on the index's map.
# Ten, in date order (the default atlas has ten periods): found by places/tools/choose_colours.py
# with each pair of neighbours in time kept further apart (tests/test_colours.py holds the figures).
PERIOD_COLOURS = ("#D55076", "#0454A9", "#118972", "#1C07FA", "#119822", "#107A9E", "#FE3C12", "#A54EEF",
                  "#77481C", "#948ADE")
# No control colour comes nearer an event colour's hue than this (CIELAB hue angle,
# degrees), so that a dot never reads as belonging to the line under it.
EVENT_HUE_GAP = 25
EVENT_CONTROL_GAP = 15  # and never nearer than this ΔE00 (normal vision), hue or none
NEUTRAL = "#555555"
EVENT_FALLBACK = "#B2182B"


@dataclass(frozen=True)
class Symbol:
    label: str
    colour: str
    dash: str | None = None


@dataclass(frozen=True, eq=False)  # hashed by identity: one palette a build
class Palette:
    """Each event category's and each control value's symbol, fixed for the whole atlas."""

    categories: dict[str, Symbol]
    controls: dict[str, Symbol]

    def category(self, value: str) -> Symbol:
        return self.categories.get(value) or Symbol(gettext("Event"), EVENT_FALLBACK)

    def control(self, value: str) -> Symbol:
        return self.controls.get(value) or Symbol(value, NEUTRAL)


def palette_for(atlas: Atlas) -> Palette:
    used_categories = sorted({event.category for event in atlas.events if event.category})
    used_controls = sorted({item.value for place in atlas.places for item in place.control})
    return Palette(_symbols(used_categories, atlas.info.categories, EVENT_COLOURS, (None,)),
                   _symbols(used_controls, atlas.info.controls, CONTROL_COLOURS, CONTROL_DASHES))


def _symbols(used: Sequence[str], declared: tuple[Declared, ...], colours: Sequence[str],
             dashes: Sequence[str | None]) -> dict[str, Symbol]:
    """Declared values in their declared order (their own colour, else the palette's next);
    undeclared values by a hash of the value, so that adding one never recolours another."""
    symbols: dict[str, Symbol] = {}
    for index, entry in enumerate(declared):
        symbols[entry.value] = Symbol(entry.label, entry.colour or colours[index % len(colours)],
                                      dashes[index % len(dashes)])
    for value in used:
        if value not in symbols:
            index = stable_index(value)
            symbols[value] = Symbol(label_of(value, declared), colours[index % len(colours)], dashes[index % len(dashes)])
    return symbols


def stable_index(value: str) -> int:
    return int.from_bytes(hashlib.sha256(value.encode("utf-8")).digest()[:4], "big")


# --- places by kind ---------------------------------------------------------------

KIND_LABELS = {"capital": N_("Capital"), "city": N_("City"), "port": N_("Port"), "town": N_("Town"),
               "station": N_("Railway station"), "site": N_("Site"), "railway": N_("Railway"), "state": N_("State"),
               "territory": N_("Territory"), "region": N_("Region"), "line": N_("Line"), "border": N_("Border"),
               "place": N_("Place"), "route": N_("Route")}
INK = "#1d1d1f"
# Black-and-white point symbols, smallest for the most numerous; none is filled with
# colour, so no place is ever mistaken for an event.
POINT_STYLES: dict[str, dict[str, Any]] = {
    "capital": {"radius": 5, "color": "#ffffff", "weight": 1.5, "fillColor": INK, "fillOpacity": 1},
    "city": {"radius": 4, "color": INK, "weight": 1.5, "fillColor": "#ffffff", "fillOpacity": 1},
    "port": {"radius": 4, "color": INK, "weight": 1.5, "fillColor": "#ffffff", "fillOpacity": 1},
    "town": {"radius": 3, "color": INK, "weight": 1, "fillColor": "#ffffff", "fillOpacity": 1},
    "station": {"radius": 2.5, "color": "#ffffff", "weight": 1, "fillColor": INK, "fillOpacity": 1},
    "site": {"radius": 4, "color": INK, "weight": 1.5, "fillColor": "#ffffff", "fillOpacity": 1, "dashArray": "2 2"},
}
POINT_DEFAULT = POINT_STYLES["town"]
# Areas by kind: the outline's dash says what sort of area it is.
AREA_DASHES = {"state": None, "territory": "8 4", "region": "2 5"}
AREA_DEFAULT_DASH = "4 3"


def kind_label(kind: str) -> str:
    """A kind of place as the legend names it: ours in the page's language, an author's own as written."""
    return gettext(KIND_LABELS[kind]) if kind in KIND_LABELS else label_of(kind, ())


def point_style(kind: str) -> dict[str, Any]:
    return {**POINT_STYLES.get(kind, POINT_DEFAULT), "fill": True}


def event_style(colour: str) -> dict[str, Any]:
    return {"radius": 8, "color": "#ffffff", "weight": 2, "fill": True, "fillColor": colour, "fillOpacity": 1}


# A route (a trade route, a migration path) is a long-dashed brown line, thinner than a
# railway and unlike a border: the way people went, not a line anyone owned.
ROUTE: dict[str, Any] = {"color": "#7A4A12", "weight": 3, "opacity": 0.85, "dashArray": "10 6", "lineCap": "round"}

# A border is drawn dash-dot in dark violet: never taken for a railway (solid, or dashed
# in a control's colour) or for an area's outline.
BORDER = {"color": "#4B2E83", "weight": 2.5, "opacity": 0.9, "dashArray": "10 4 2 4", "lineCap": "butt"}


def line_style(control: Symbol | None, kind: str = "") -> dict[str, Any]:
    if kind == "border":
        return {**BORDER}
    if kind == "route" and control is None:
        return {**ROUTE}
    if control is None:
        return {"color": NEUTRAL, "weight": 3, "opacity": 0.85, "dashArray": None}
    return {"color": control.colour, "weight": 4, "opacity": 0.95, "dashArray": control.dash,
            "lineCap": "butt"}


def area_style(kind: str, control: Symbol | None) -> dict[str, Any]:
    colour = control.colour if control else NEUTRAL
    fill = 0.14 if control else 0.05
    return {"color": colour, "weight": 2 if control else 1.5, "opacity": 0.9, "fillColor": colour,
            "fillOpacity": fill, "dashArray": AREA_DASHES.get(kind, AREA_DEFAULT_DASH)}


# --- the legend ---------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One line of the legend: its section, the symbol drawn, what it means."""

    section: str  # "Events", "Control", "Places"
    shape: str  # "event", "line", "area", or "point"
    label: str
    colour: str  # the line, the outline, or the event's fill
    dash: str | None = None
    fill: str = ""  # for points: the symbol's fill (its outline is `colour`)
    radius: float = 0


SECTIONS = ("Events", "Control", "Places")
HEADINGS = {"Events": N_("Events"), "Control": N_("Who controlled it"), "Places": N_("Places")}
SHAPES = ("event", "route", "point", "line", "area")


def ordered(entries: dict[tuple[str, str, str], Entry]) -> list[Entry]:
    return sorted(entries.values(), key=lambda e: (SECTIONS.index(e.section), SHAPES.index(e.shape), e.label))


def sections(entries: Sequence[Entry]) -> list[tuple[str, str, list[Entry]]]:
    """The legend's entries under their headings (each with its section's name, which the
    page script reads), in the order the legend reads."""
    return [(name, gettext(HEADINGS[name]), [e for e in entries if e.section == name]) for name in SECTIONS
            if any(e.section == name for e in entries)]
