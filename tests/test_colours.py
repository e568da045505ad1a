"""Stage: site.

The map's colours stay apart for every reader: the event categories, the railway-control
colours and the index's period colours, read from the built default atlas (its legends,
its page data, its index), measured with CIEDE2000 under normal vision, deuteranopia and
protanopia, on a washed-out projector, and both at once (atlas.util.colour says how).
The measure itself is checked against Sharma, Wu & Dalal's published pairs and Machado,
Oliveira & Fernandes's matrices; and since no colour survives a washed-out projector for
a colour-blind reader, each event says its category in words too, which Chromium shows."""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path
from typing import Any

import pytest

from atlas.site.legend import CONTROL_COLOURS, EVENT_COLOURS, EVENT_CONTROL_GAP, EVENT_HUE_GAP
from atlas.util.colour import (
    CONDITIONS,
    DEUTERANOPIA,
    PROTANOPIA,
    chroma,
    closest_pair,
    contrast_ratio,
    delta_e,
    difference,
    hue_angle,
    lab,
    linear,
    simulate,
)

from browser import watch
from conftest import page_data, places_catalogue

# The least ΔE00 between any two colours of a palette, by condition. Not one threshold:
# a dichromat looking at a veiled projector has hardly one dimension of colour left, and
# no six colours dark enough for their white ring reach more than about ΔE00 10 there
# (places/tools/choose_colours.py finds these ceilings); the figures below are what the
# palettes reach, a little rounded down.
EVENT_LEAST = {"normal vision": 25, "deuteranopia": 15, "protanopia": 15, "projector": 12,
               "deuteranopia on a projector": 6, "protanopia on a projector": 5.5}
# (Ten period colours: what the ten-colour palette reaches, a little rounded down.)
PERIOD_LEAST = {"normal vision": 16, "deuteranopia": 10, "protanopia": 10, "projector": 8,
                "deuteranopia on a projector": 4, "protanopia on a projector": 4}
# Periods next to each other in time share places on the index's map: they stay further apart.
NEIGHBOUR_LEAST = {"normal vision": 36, "deuteranopia": 24, "protanopia": 20, "projector": 18,
                   "deuteranopia on a projector": 12, "protanopia on a projector": 7}
# An event colour and a control colour: never the same hue (CIELAB hue angles at least
# this far apart, where both have a hue), and never close in any case. The default
# atlas's maps keep further apart than the palette must (a green railway under a teal dot
# read as one thing at 26°).
HUE_GAP = 25
DRAWN_HUE_GAP = 35
EVENT_CONTROL_LEAST = 15

SWATCH = re.compile(r'<(circle|line|rect)[^>]*?(?:fill|stroke)="(#[0-9A-Fa-f]{6})"[^>]*>')


def legend_sections(html: str) -> dict[str, set[str]]:
    """The colours of a page's legend, by section heading."""
    start = html.index('<div class="legend">')
    legend = html[start:html.index("</div>", start)]
    parts = re.split(r'<h3 class="legend-section"[^>]*>(.*?)</h3>', legend)
    return {heading: {colour.upper() for _, colour in SWATCH.findall(rest)}
            for heading, rest in zip(parts[1::2], parts[2::2], strict=True)}


def built_colours(site: Path) -> tuple[dict[str, str], set[str]]:
    """Every event category's colour by its label (the legends' and the events' own
    dots agreeing), and every control colour, as the built period pages draw them."""
    categories: dict[str, str] = {}
    controls: set[str] = set()
    for page in sorted((site / "periods").glob("*.html")):
        html = page.read_text(encoding="utf-8")
        sections = legend_sections(html)
        controls |= sections.get("Who controlled it", set())
        for place in places_catalogue(html, page):
            controls |= {state["style"]["color"].upper() for state in place["s"] if state["control"]}
        for feature in (f for layer in page_data(html)["layers"] for f in layer.get("features", [])):
            properties = feature["properties"]
            if properties.get("type") == "event":
                colour = properties["style"]["fillColor"].upper()
                assert categories.setdefault(properties["category_label"], colour) == colour
                assert colour in sections["Events"], (page.name, colour)
    return categories, controls


def period_colours(site: Path) -> list[str]:
    """The index's period swatches, in date order."""
    html = (site / "index.html").read_text(encoding="utf-8")
    items = html[html.index('class="period-list"'):]
    return [c.upper() for c in re.findall(r'<h3><svg class="swatch"[^>]*><circle [^>]*fill="(#[0-9A-Fa-f]{6})"', items)]


@pytest.fixture(scope="module")
def colours(default_site: Path) -> tuple[dict[str, str], set[str], list[str]]:
    categories, controls = built_colours(default_site)
    return categories, controls, period_colours(default_site)


def test_the_event_categories_stay_apart_for_every_reader(colours: tuple[dict[str, str], set[str], list[str]]) -> None:
    categories, _, _ = colours
    assert len(categories) == 6  # the default atlas's six categories, each its own colour
    palette = sorted(set(categories.values()))
    assert len(palette) == len(categories)
    for condition, least in EVENT_LEAST.items():
        value, a, b = closest_pair(palette, condition)
        assert value >= least, f"{condition}: {a} and {b} are only ΔE00 {value:.1f} apart"
    for colour in palette:
        assert contrast_ratio(colour, "#FFFFFF") >= 3.0, colour  # the dot against its white ring
        assert chroma(colour) >= 30, colour  # a colour, never taken for a place's black or white


def test_no_event_colour_shares_a_hue_with_a_control_colour(colours: tuple[dict[str, str], set[str], list[str]]) -> None:
    categories, drawn, _ = colours
    # The colours the default atlas's maps draw for who held a line or a region (four of
    # its seven values are in force on some period's day), and the whole default palette,
    # which an atlas that declares no colours takes its own from.
    assert len(drawn) >= 4
    assert (EVENT_HUE_GAP, EVENT_CONTROL_GAP) == (HUE_GAP, EVENT_CONTROL_LEAST)  # the tool chose by these
    for events, controls, least_gap in ((set(categories.values()), drawn, DRAWN_HUE_GAP),
                                        (set(EVENT_COLOURS), set(CONTROL_COLOURS), HUE_GAP)):
        for event in events:
            for control in controls:
                assert difference(event, control) >= EVENT_CONTROL_LEAST, (event, control)
                if chroma(event) >= 15 and chroma(control) >= 15:
                    gap = abs(hue_angle(event) - hue_angle(control)) % 360
                    assert min(gap, 360 - gap) >= least_gap, (event, control)
        for control in controls:
            assert contrast_ratio(control, "#FFFFFF") >= 4.5, control  # a railway is a strong line


def test_the_index_tells_its_periods_apart(colours: tuple[dict[str, str], set[str], list[str]]) -> None:
    _, _, periods = colours
    assert len(periods) == 10 and len(set(periods)) == 10
    for condition in CONDITIONS:
        value, a, b = closest_pair(periods, condition)
        assert value >= PERIOD_LEAST[condition], f"{condition}: {a} and {b} are only ΔE00 {value:.1f} apart"
        for earlier, later in itertools.pairwise(periods):
            assert difference(earlier, later, condition) >= NEIGHBOUR_LEAST[condition], (condition, earlier, later)
    for colour in periods:
        assert contrast_ratio(colour, "#FFFFFF") >= 3.0, colour


def test_each_event_says_its_category_in_words(laptop: Any, default_site: Path,
                                               colours: tuple[dict[str, str], set[str], list[str]]) -> None:
    categories, _, _ = colours
    log = watch(laptop)
    laptop.goto((default_site / "periods" / "sino-soviet-split.html").as_uri())
    items = laptop.locator(".event-list li")
    said = [items.nth(i).locator(".event-category").inner_text().strip() for i in range(items.count())]
    assert set(said) <= set(categories) and len(set(said)) >= 4
    item = items.nth(said.index("Military cooperation"))
    item.locator("button.show-on-map").click()
    popup = laptop.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator(".popup-category").inner_text() == "Military cooperation"
    assert log.errors == []


# --- the measure ---------------------------------------------------------------------

# Sharma, Wu & Dalal 2005, Table 1: pairs 1, 7, 9, 11, 15, 17, 19, 20, 25 and 34 (among them
# the hue-averaging and rotation cases most implementations get wrong).
SHARMA = [
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.49, -0.001), (50.0, -2.49, 0.0009), 7.1792),
    ((50.0, 2.49, -0.001), (50.0, -2.49, 0.0011), 7.2195),
    ((50.0, -0.001, 2.49), (50.0, 0.0011, -2.49), 4.7461),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((50.0, 2.5, 0.0), (56.0, -27.0, -3.0), 31.9030),
    ((50.0, 2.5, 0.0), (58.0, 24.0, 15.0), 19.4535),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((2.0776, 0.0795, -1.135), (0.9033, -0.0636, -0.5514), 0.9082),
]


@pytest.mark.parametrize(("first", "second", "expected"), SHARMA)
def test_ciede2000_matches_sharmas_table(first: tuple[float, float, float], second: tuple[float, float, float],
                                         expected: float) -> None:
    assert delta_e(first, second) == pytest.approx(expected, abs=1e-4)
    assert delta_e(second, first) == pytest.approx(expected, abs=1e-4)


def test_srgb_to_cielab_gives_the_known_values() -> None:
    assert lab(linear("#FFFFFF")) == pytest.approx((100, 0, 0), abs=0.01)
    assert lab(linear("#FF0000")) == pytest.approx((53.24, 80.09, 67.20), abs=0.05)
    assert lab(linear("#0000FF")) == pytest.approx((32.30, 79.19, -107.86), abs=0.05)


def test_the_colour_blindness_matrices_are_machados() -> None:
    # Each primary becomes the matrix's column (a transposed matrix would give its row).
    assert simulate(DEUTERANOPIA, (1.0, 0.0, 0.0)) == pytest.approx((0.367322, 0.280085, 0.0))
    assert simulate(DEUTERANOPIA, (0.0, 1.0, 0.0)) == pytest.approx((0.860646, 0.672501, 0.042940))
    assert simulate(PROTANOPIA, (0.0, 1.0, 0.0)) == pytest.approx((1.0, 0.786281, 0.0))  # clipped at 1
    # Greys are seen as they are, and a dichromat's colours lie on a plane (no inverse).
    for grey in (0.0, 0.2, 1.0):
        assert simulate(DEUTERANOPIA, (grey, grey, grey)) == pytest.approx((grey, grey, grey), abs=1e-5)
        assert simulate(PROTANOPIA, (grey, grey, grey)) == pytest.approx((grey, grey, grey), abs=1e-5)
    for m in (DEUTERANOPIA, PROTANOPIA):
        det = (m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
               + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]))
        assert math.isclose(det, 0, abs_tol=1e-5)


def test_the_old_palette_failed_as_the_issue_says() -> None:
    """The colours readers could not tell apart measure as close: Diplomacy and Military
    cooperation on a projector, War and Party relations to a protanope."""
    assert difference("#0072B2", "#3D85B8", "projector") < 3
    assert difference("#D55E00", "#B06B00", "protanopia") < 1
    # and a pair Okabe and Ito made for colour-blind readers stays apart for them.
    assert difference("#0072B2", "#D55E00", "deuteranopia") > 25
