"""Stage: site.

A period page with the keyboard alone, in Chromium at 1366×768: Tab reaches the map's
events first, one named stop an event in date order; the places and outlines are one stop
after them (a list of every place), not fifty unnamed ones; whatever takes the focus is
named; and the map pans to what the keyboard focuses, so that nothing is focused out of
sight."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from browser import map_idle, serious_accessibility_violations, watch
from conftest import map_features

PERIOD = "war-against-japan"  # events from Xinjiang to Yalta: some lie outside the first view
# The header's four links (the atlas, the previous and next period, with the skip link
# before them) and its language switch (the page in Chinese and in Russian), the
# timeline's ten periods, "Skip the map's features", the map itself: the first event is
# the 19th stop from the top of the page.
FIRST_EVENT_WITHIN = 19

# What has the focus, as the browser's accessibility tree gives it to a screen reader (its
# computed name and role), and where it is against the map.
_FOCUSED = """() => {
  const e = document.activeElement;
  const map = document.querySelector('.leaflet-container');
  const box = (n) => { const r = n.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  return {first: e === document.querySelector('a.skip-link'), tag: e.tagName.toLowerCase(),
          feature: e.getAttribute('data-feature'), cls: e.getAttribute('class') || '',
          inMap: !!map && map.contains(e) && e !== map, box: box(e), map: map ? box(map) : null};
}"""


def accessible(page: Any, cdp: Any) -> tuple[str, str]:
    """The focused element's role and accessible name, computed by Chromium itself."""
    found = cdp.send("Runtime.evaluate", {"expression": "document.activeElement"})
    node = cdp.send("DOM.describeNode", {"objectId": found["result"]["objectId"]})
    tree = cdp.send("Accessibility.getPartialAXTree", {"backendNodeId": node["node"]["backendNodeId"],
                                                       "fetchRelatives": False})
    ax = tree["nodes"][0]
    return str(ax.get("role", {}).get("value", "")), str(ax.get("name", {}).get("value", "")).strip()


def open_period(laptop: Any, site: Path) -> Path:
    path = site / "periods" / f"{PERIOD}.html"
    laptop.goto(path.as_uri())
    map_idle(laptop)
    # The pointer off the map: a map panning under it to a focused dot would open the
    # tooltip of whatever it then hovers (a keyboard reader has no pointer there).
    laptop.mouse.move(1, 1)
    return path


def inside(box: list[float], frame: list[float]) -> bool:
    """Whether a box is drawn (Leaflet leaves a shape out of the view empty, at the corner)
    and lies inside the frame."""
    return (box[2] > box[0] and box[0] >= frame[0] - 0.5 and box[1] >= frame[1] - 0.5
            and box[2] <= frame[2] + 0.5 and box[3] <= frame[3] + 0.5)


def tab(laptop: Any) -> dict[str, Any]:
    """Press Tab; once the map has followed the focus, what has it."""
    laptop.keyboard.press("Tab")
    focused: dict[str, Any] = laptop.evaluate(_FOCUSED)
    if focused["inMap"]:
        map_idle(laptop)
        focused = laptop.evaluate(_FOCUSED)
    return focused


def drawn_events(laptop: Any) -> list[str]:
    """The events the map draws a dot for, in the list's (date) order."""
    order: list[str] = laptop.evaluate(
        "() => Atlas.order.filter(id => document.querySelector(`path.event-dot[data-feature=\"${id}\"]`))")
    return order


def test_tab_reaches_the_events_first_one_named_stop_an_event_in_date_order(laptop: Any, default_site: Path) -> None:
    log = watch(laptop)
    path = open_period(laptop, default_site)
    features = map_features(path)
    cdp = laptop.context.new_cdp_session(laptop)
    events = drawn_events(laptop)
    assert len(events) >= 8
    stops: list[dict[str, Any]] = []
    while len(stops) < FIRST_EVENT_WITHIN + len(events) + 3:
        stops.append(tab(laptop))
        stops[-1]["name"] = accessible(laptop, cdp)[1]
    first = next(i for i, stop in enumerate(stops) if stop["feature"] in events)
    assert first < FIRST_EVENT_WITHIN, [stop["name"] for stop in stops[:first + 1]]
    # No place or outline before the events, and each event once, in the list's order.
    assert not any(stop["feature"] and features[stop["feature"]]["type"] == "place" for stop in stops)
    reached = [stop["feature"] for stop in stops if stop["feature"] in events]
    assert reached == events
    for stop in stops[first:first + len(events)]:
        event = features[stop["feature"]]
        assert stop["name"] == f"{event['date']}: {event['title']}"
    # After the events (and the zoom buttons), the one stop that reaches every place.
    after = [stop["name"] for stop in stops[first + len(events):]]
    assert after[:3] == ["Zoom in", "Zoom out", "Places on this map: choose one to show it"], after
    assert log.errors == []


def test_every_stop_of_the_page_is_named_and_in_sight(laptop: Any, default_site: Path) -> None:
    """Round the whole page with Tab, from the top and again from "Skip the map's features"
    followed (Enter): every stop has a name, and every stop on the map is inside it."""
    open_period(laptop, default_site)
    cdp = laptop.context.new_cdp_session(laptop)
    for start in ("top", "skip"):
        if start == "skip":
            laptop.focus("a.skip-link >> nth=1")
            laptop.keyboard.press("Enter")
        seen = 0
        while True:
            focused = tab(laptop)
            if focused["tag"] == "body" or (seen and focused["first"]):
                break
            role, name = accessible(laptop, cdp)
            assert name, f"stop {seen + 1} ({focused['tag']}.{focused['cls']}, {role}) has no name"
            if focused["inMap"]:
                assert inside(focused["box"], focused["map"]), f"{name} is focused outside the map's view"
            seen += 1
            assert seen < 200, "Tab never came round"
        assert seen > 20


def test_the_places_list_reaches_every_place_of_the_map_by_the_arrow_keys(laptop: Any, default_site: Path) -> None:
    log = watch(laptop)
    path = open_period(laptop, default_site)
    places = {f["id"]: f for f in map_features(path).values() if f["type"] == "place"}
    select = laptop.locator(".places-control select")
    options: list[list[str]] = select.evaluate("s => [...s.options].slice(1).map(o => [o.value, o.textContent])")
    assert sorted(value for value, _ in options) == sorted(places)
    for value, text in options:  # its name on the map's day, and its kind
        assert text == f"{places[value]['name']} — {places[value]['kind_label']}"
    select.focus()
    for value, _ in options:
        laptop.keyboard.press("ArrowDown")
        # Its popup opens (once the map has panned to it), under its name on the map's day.
        laptop.wait_for_function(
            "(name) => { const p = document.querySelectorAll('.leaflet-popup');"
            " return p.length === 1 && p[0].style.opacity === '1'"
            " && p[0].querySelector('.popup-title').textContent === name; }", arg=places[value]["name"])
    assert select.evaluate("s => s.value") == options[-1][0]
    assert log.errors == []


def test_a_place_or_an_event_outside_the_view_is_panned_into_it_when_focused(laptop: Any, default_site: Path) -> None:
    open_period(laptop, default_site)
    frame = laptop.evaluate("() => { const r = document.querySelector('.leaflet-container').getBoundingClientRect();"
                            " return [r.left, r.top, r.right, r.bottom]; }")
    box = "e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }"
    # A place far from a view of China (the first view may reach Moscow): Moscow, chosen in the list.
    laptop.evaluate("() => Atlas.map.setView([38, 115], 5, {animate: false})")
    map_idle(laptop)
    moscow = laptop.locator('path.place-dot[data-feature="moscow"]')
    assert not inside(moscow.evaluate(box), frame)
    laptop.locator(".places-control select").select_option("moscow")
    laptop.wait_for_function("() => document.querySelector('.leaflet-popup .popup-title')")
    map_idle(laptop)
    assert inside(moscow.evaluate(box), frame)
    popup = laptop.locator(".leaflet-popup")
    assert popup.locator(".popup-title").inner_text() == "Moscow"
    assert inside(popup.evaluate(box), frame)  # and its popup can be read whole
    laptop.keyboard.press("Escape")
    # An event far from the view: back to China, then Tab to the Yalta agreement's dot.
    laptop.evaluate("() => Atlas.map.setView([35, 110], Atlas.map.getZoom(), {animate: false})")
    map_idle(laptop)
    yalta = laptop.locator('path.event-dot[data-feature="yalta-far-east-agreement"]')
    assert not inside(yalta.evaluate(box), frame)
    laptop.focus("a.skip-link >> nth=1")
    for _ in range(40):
        if tab(laptop)["feature"] == "yalta-far-east-agreement":
            break
    assert laptop.evaluate("() => document.activeElement.getAttribute('data-feature')") == "yalta-far-east-agreement"
    assert inside(yalta.evaluate(box), frame)
    # The names of the dots passed on the way fade out (Leaflet removes them 200 ms later):
    # the one shown is the only one not faded.
    laptop.wait_for_function("() => [...document.querySelectorAll('.leaflet-tooltip')]"
                             ".filter(t => getComputedStyle(t).opacity !== '0').length === 1")
    tooltip = laptop.locator(".leaflet-tooltip").filter(has_text="Yalta agreement on the Far East")
    assert tooltip.inner_text() == "Yalta agreement on the Far East"
    assert inside(tooltip.evaluate(box), frame)  # its name, above it, is inside too
    # Enter opens its popup, which fits the map.
    laptop.keyboard.press("Enter")
    laptop.wait_for_function("() => document.querySelector('.leaflet-popup .popup-title')")
    map_idle(laptop)
    assert inside(laptop.locator(".leaflet-popup").evaluate(box), frame)


def test_axe_finds_nothing_serious_with_the_keyboard_s_stops_in_use(laptop: Any, default_site: Path) -> None:
    open_period(laptop, default_site)
    laptop.focus("a.skip-link >> nth=1")
    tab(laptop)
    tab(laptop)  # the first event: its name shown
    assert serious_accessibility_violations(laptop) == []
    laptop.locator(".places-control select").select_option("harbin")
    laptop.wait_for_function("() => document.querySelector('.leaflet-popup .popup-title')")
    map_idle(laptop)
    assert serious_accessibility_violations(laptop) == []


def test_a_popup_opened_from_the_keyboard_comes_next_for_tab_and_escape_leads_back(laptop: Any,
                                                                                   default_site: Path) -> None:
    open_period(laptop, default_site)
    laptop.focus("a.skip-link >> nth=1")
    tab(laptop)
    first = tab(laptop)["feature"]
    laptop.keyboard.press("Enter")
    laptop.wait_for_function("() => { const p = document.querySelector('.leaflet-popup');"
                             " return p && p.style.opacity === '1'; }")
    map_idle(laptop)
    in_popup = "() => !!document.activeElement.closest('.leaflet-popup')"
    # Tab goes into the popup, not past it to the next dot (Leaflet puts popups after every dot)...
    laptop.keyboard.press("Tab")
    assert laptop.evaluate(in_popup)
    # ...through its links, and on from its last to the event after the one it belongs to.
    for _ in range(10):
        laptop.keyboard.press("Tab")
        if not laptop.evaluate(in_popup):
            break
    events = drawn_events(laptop)
    assert laptop.evaluate("() => document.activeElement.getAttribute('data-feature')") == events[events.index(first) + 1]
    # Escape inside a popup closes it and gives the focus back to what opened it.
    laptop.keyboard.press("Shift+Tab")
    assert laptop.evaluate(in_popup)
    laptop.keyboard.press("Escape")
    laptop.wait_for_function("() => !document.querySelector('.leaflet-popup')")
    assert laptop.evaluate("() => document.activeElement.getAttribute('data-feature')") == first


def test_a_map_alone_embedded_has_the_same_named_stops(laptop: Any, default_site: Path) -> None:
    """An embed (a lesson's frame, a learning platform's) has no page around its map: its
    stops are the map's own, every one named and in sight, the places list among them."""
    laptop.set_viewport_size({"width": 560, "height": 400})
    laptop.goto((default_site / "embed" / f"{PERIOD}.html").as_uri())
    map_idle(laptop)
    cdp = laptop.context.new_cdp_session(laptop)
    names: list[str] = []
    while len(names) < 60:
        focused = tab(laptop)
        if focused["tag"] == "body":
            break
        role, name = accessible(laptop, cdp)
        assert name, f"stop {len(names) + 1} ({focused['tag']}.{focused['cls']}, {role}) has no name"
        if focused["inMap"]:
            assert inside(focused["box"], focused["map"]), f"{name} is focused outside the map's view"
        names.append(name)
    assert "Places on this map: choose one to show it" in names
    assert len([name for name in names if name.endswith("Yalta agreement on the Far East")]) == 1
