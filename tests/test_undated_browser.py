"""Stage: site (undated events and gazetteers, in Chromium).

What a reader sees of what has no date, read from the pages in Chromium: a gazetteer's
index (places alone, with dated names or none) names every place on its map, framed on
the places, and gives each place's names over time in its popup and in its list; with
periods, each period's map names the places as they were then. An atlas with a dated
and an undated event lists the undated one under "Undated" on the index and draws it
there, never on a period's map. No page has a console error or a serious axe finding;
hostile names stay text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_undated import EVENTS, PERIODS, PLACES, build, write_atlas

from browser import ARTIFACTS, map_idle, serious_accessibility_violations, still, watch

HOSTILE = "<img src=x onerror=pwned(1)>`${pwned(2)}`{{ 7*7 }}"
# Places far apart (a sea's breadth), with no dated name and no `when`.
UNDATED_PLACES = """\
- {id: carthage, name: Carthage, kind: city, coordinates: [36.85, 10.32]}
- {id: alexandria, name: Alexandria, kind: city, coordinates: [31.2, 29.92]}
- {id: massalia, name: Massalia, kind: port, coordinates: [43.3, 5.37]}
- {id: cyrene, name: Cyrene, kind: town, coordinates: [32.82, 21.86]}
"""
TWO_PERIODS = """\
- {id: leased, title: Leased to Japan, when: 1910/1920}
- {id: peoples-republic, title: The People's Republic, when: 1950/1960}
"""
PWNED = "window.__pwned = []; window.pwned = what => window.__pwned.push(what);"


def open_index(page: Any, site: Path) -> Any:
    page.add_init_script(PWNED)
    log = watch(page)
    page.goto((site / "index.html").as_uri())
    map_idle(page)
    return log


def labels(page: Any) -> list[str]:
    found: list[str] = page.evaluate("() => [...document.querySelectorAll('.atlas-label')].map(l => l.textContent)")
    return found


def popup(page: Any, place: str) -> str:
    page.evaluate("(id) => window.Atlas.showPlace(id)", place)
    page.wait_for_function("() => document.querySelectorAll('.leaflet-popup .popup').length === 1")
    map_idle(page)
    return str(page.locator(".leaflet-popup .popup").inner_text())


def framed(page: Any, points: list[tuple[float, float]]) -> int:
    """The map's zoom, once every point lies inside its view."""
    inside = page.evaluate("(points) => points.every(([lat, lon]) => Atlas.map.getBounds().contains([lat, lon]))",
                           points)
    assert inside
    zoom: int = page.evaluate("() => Atlas.map.getZoom()")
    return zoom


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_a_gazetteer_s_index_names_its_places_and_their_names_over_time(laptop: Any, tmp_path: Path) -> None:
    site = build(tmp_path, write_atlas(tmp_path / "atlas", "[]\n", "[]\n"))
    log = open_index(laptop, site)
    assert sorted(labels(laptop)) == ["Dalian", "Lüshun"]
    assert framed(laptop, [(38.81, 121.26), (38.91, 121.6)]) >= 5  # the places' region, not the world
    listed = laptop.locator(".place-list li").all_inner_texts()
    assert [" ".join(text.split()) for text in listed] == [
        "Dalian City", "Lüshun Port Port Arthur 1898–1905 · Ryojun 1905–1945 · Lüshun 1945–"]
    said = popup(laptop, "port-arthur")
    assert "Lüshun" in said and "Names: Port Arthur 1898–1905 · Ryojun 1905–1945 · Lüshun 1945–" in said
    assert "Names:" not in popup(laptop, "dalian")
    assert laptop.locator(".places-select option").all_inner_texts()[1:] == ["Dalian — City", "Lüshun — Port"]
    # The map as of a year: each place named as it was then (the years something turns), and back.
    choices = laptop.locator("#names-as-of option").all_inner_texts()
    assert choices == ["each place’s own entry", "1898", "1905", "1906", "1945", "1946"]
    for year, name in (("1898", "Port Arthur"), ("1906", "Ryojun"), ("1946", "Lüshun"), ("1905", "Port Arthur")):
        laptop.select_option("#names-as-of", label=year)
        laptop.wait_for_function("(name) => [...document.querySelectorAll('.atlas-label')]"
                                 ".some(l => l.textContent === name)", arg=name)
        assert sorted(labels(laptop)) == sorted([name, "Dalian"]), year
    assert "Names: Port Arthur 1898–1905" in popup(laptop, "port-arthur")
    laptop.select_option("#names-as-of", label="each place’s own entry")
    laptop.wait_for_function("() => [...document.querySelectorAll('.atlas-label')].some(l => l.textContent === 'Lüshun')"
                             " && !document.querySelector('.leaflet-popup')")  # (the choice closes a popup)
    map_idle(laptop)
    assert log.errors == [], log.errors
    # (axe reads the stylesheets as data, which the page's policy refuses and the console tells.)
    assert serious_accessibility_violations(laptop) == []


def test_a_gazetteer_without_dates_is_framed_on_its_places(laptop: Any, tmp_path: Path) -> None:
    site = build(tmp_path, write_atlas(tmp_path / "atlas", "[]\n", "[]\n", UNDATED_PLACES))
    log = open_index(laptop, site)
    assert sorted(labels(laptop)) == ["Alexandria", "Carthage", "Cyrene", "Massalia"]
    assert framed(laptop, [(36.85, 10.32), (31.2, 29.92), (43.3, 5.37)]) >= 3  # the Mediterranean
    laptop.evaluate("() => Atlas.map.setZoom(2, {animate: false})")
    map_idle(laptop)
    assert laptop.evaluate("() => Atlas.map.hasLayer(Atlas.layersById.cyrene)")  # a town too, at any zoom
    assert laptop.locator(".place-names").count() == 0 and laptop.locator("#names-as-of").count() == 0
    assert laptop.locator(".gazetteer-note").inner_text() == "4 places, each with its names over time."
    assert "Names:" not in popup(laptop, "carthage")
    assert log.errors == [], log.errors
    # (axe reads the stylesheets as data, which the page's policy refuses and the console tells.)
    assert serious_accessibility_violations(laptop) == []


def test_with_periods_each_period_s_map_names_the_places_as_they_were(laptop: Any, tmp_path: Path) -> None:
    site = build(tmp_path, write_atlas(tmp_path / "atlas", "[]\n", TWO_PERIODS))
    log = watch(laptop)
    for period, name in (("leased", "Ryojun"), ("peoples-republic", "Lüshun")):
        laptop.goto((site / "periods" / f"{period}.html").as_uri())
        map_idle(laptop)
        assert name in labels(laptop) and "Port Arthur" not in labels(laptop), period
    open_index(laptop, site)
    assert "Lüshun" in labels(laptop) and laptop.locator(".period-list li").count() == 2
    assert log.errors == [], log.errors


def test_an_undated_event_is_on_the_index_and_on_no_period_s_map(laptop: Any, tmp_path: Path) -> None:
    site = build(tmp_path, write_atlas(tmp_path / "atlas", EVENTS, PERIODS))
    log = watch(laptop)
    laptop.goto((site / "periods" / "war.html").as_uri())
    map_idle(laptop)
    assert laptop.evaluate("() => Object.keys(Atlas.layersById).filter(id => !Atlas.places.some(p => p.f.id === id))"
                           ) == ["siege"]
    assert laptop.locator(".event-list .event-title").all_inner_texts() == ["Siege of Port Arthur"]

    open_index(laptop, site)
    undated = laptop.locator("section.undated")
    assert undated.locator("h2").inner_text() == "Undated"
    assert undated.locator(".event-title").all_inner_texts() == ["A harbour is planned at Dalny",
                                                                 "A rumour of the fleet"]
    assert undated.locator(".event-date").all_inner_texts() == ["Undated", "Undated"]
    button = undated.locator(".show-on-map")
    assert button.count() == 1  # the rumour has no place
    still(button)
    button.click()
    laptop.wait_for_function("() => document.querySelectorAll('.leaflet-popup .popup-event').length === 1")
    map_idle(laptop)
    said = laptop.locator(".leaflet-popup .popup").inner_text()
    assert "Undated" in said and "A harbour is planned at Dalny" in said and "Open " not in said
    assert laptop.evaluate("() => Object.keys(Atlas.layersById).sort()") == ["harbour-planned", "siege"]
    assert log.errors == [], log.errors
    # (axe reads the stylesheets as data, which the page's policy refuses and the console tells.)
    assert serious_accessibility_violations(laptop) == []


@pytest.mark.parametrize("kind", ["gazetteer", "undated"])
def test_the_index_on_a_phone_and_a_laptop_with_hostile_names(chromium: Any, tmp_path: Path, kind: str) -> None:
    # (Away from Lüshun: a long name beside another is left out where they would overlap.)
    places = PLACES.replace("name: Dalian", f'name: "{HOSTILE}"').replace("[38.91, 121.60]", "[41.8, 123.43]")
    events, periods = ("[]\n", "[]\n") if kind == "gazetteer" else (EVENTS, PERIODS)
    site = build(tmp_path, write_atlas(tmp_path / "atlas", events, periods, places))
    for width, height in ((390, 844), (1366, 768)):
        context = chromium.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        log = open_index(page, site)
        assert page.evaluate("() => window.__pwned") == []
        assert page.locator("img[src=x]").count() == 0
        if kind == "gazetteer":
            if width > 1000:  # (on a phone the long name finds no room beside its dot: it is not drawn)
                assert HOSTILE in labels(page)
            assert HOSTILE in page.locator(".place-list").inner_text()
        else:
            assert HOSTILE in page.locator("section.undated .event-places").inner_text()
        # Nothing wider than the screen: the page scrolls down, never sideways.
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        shot(page, f"undated-index-{kind}-{width}")
        assert log.errors == [], log.errors
        context.close()
