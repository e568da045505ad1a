"""Stage: site.

Every screen a lesson uses, in Chromium: a phone, a projector with a clicker, embeds in
frames of any size, the public address, a printed handout, live editing under
`atlas serve`, and the index's overview map."""

from __future__ import annotations

import io
import queue
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader

from browser import ARTIFACTS, map_idle, still, watch
from conftest import ROOT, SAMPLES, elements, page_data, run_atlas

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def period_ids() -> list[str]:
    return [str(p["id"]) for p in yaml.safe_load((ROOT / "places" / "periods.yaml").read_text(encoding="utf-8"))]


@pytest.fixture
def phone(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(**PHONE)
    page = context.new_page()
    yield page
    context.close()


def popup_shown(page: Any, title: str) -> None:
    page.wait_for_function("(t) => { const p = document.querySelectorAll('.leaflet-popup');"
                           " return p.length === 1 && p[0].style.opacity === '1'"
                           " && p[0].querySelector('.popup-title')?.textContent === t; }", arg=title)
    map_idle(page)


def share_in_view(page: Any, selector: str) -> float:
    """How much of an element lies inside the viewport (0 to 1)."""
    share: float = page.evaluate(
        "(s) => { const r = document.querySelector(s).getBoundingClientRect();"
        " const h = Math.max(0, Math.min(r.bottom, innerHeight) - Math.max(r.top, 0));"
        " const w = Math.max(0, Math.min(r.right, innerWidth) - Math.max(r.left, 0));"
        " return (h * w) / (r.width * r.height); }", selector)
    return share


def test_on_a_phone_show_on_map_brings_the_map_and_its_popup_into_view(phone: Any, default_site: Path) -> None:
    log = watch(phone)
    phone.goto((default_site / "periods" / "sino-soviet-alliance.html").as_uri())
    item = phone.locator(".event-list li").nth(15)
    item.scroll_into_view_if_needed()
    title = item.locator(".event-title").inner_text()
    item.locator("button.show-on-map").click()
    popup_shown(phone, title)
    assert share_in_view(phone, ".folium-map") >= 0.5
    assert share_in_view(phone, ".leaflet-popup-content-wrapper") > 0.99
    assert share_in_view(phone, f'#event-{item.get_attribute("data-event")}') > 0  # the line is still in view, below
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "phone-show-on-map.png"))
    assert log.errors == []


def test_on_a_phone_a_deep_link_shows_the_map_and_the_popup(phone: Any, default_site: Path) -> None:
    page = default_site / "periods" / "sino-soviet-alliance.html"
    phone.goto(page.as_uri())
    last = phone.locator(".event-list li").last
    event_id, title = last.get_attribute("data-event"), last.locator(".event-title").inner_text()
    phone.goto("about:blank")
    phone.goto(page.as_uri() + f"#{event_id}")
    popup_shown(phone, title)
    assert share_in_view(phone, ".folium-map") >= 0.5
    assert share_in_view(phone, ".leaflet-popup-content-wrapper") > 0.99


def test_on_a_phone_the_page_is_one_scrolling_area_and_the_timeline_reads(chromium: Any, default_site: Path) -> None:
    for width in (390, 320):
        context = chromium.new_context(viewport={"width": width, "height": 700}, is_mobile=True, has_touch=True)
        page = context.new_page()
        page.goto((default_site / "periods" / "sino-soviet-alliance.html").as_uri())
        assert page.evaluate("() => { const e = document.querySelector('.events'); return e.scrollHeight <= e.clientHeight + 1"
                             " || getComputedStyle(e).overflowY === 'visible'; }")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width  # nothing sticks out sideways
        strip = page.locator(".timeline ol")
        assert page.evaluate("() => { const o = document.querySelector('.timeline ol'); return o.scrollWidth > o.clientWidth; }")
        cells = page.locator(".timeline li")
        for index in range(cells.count()):
            box = cells.nth(index).bounding_box()
            assert box is not None and box["width"] >= 120, index  # no "Comin" and one letter a line
        current = page.locator(".timeline a.current").bounding_box()
        assert current is not None and current["x"] >= 0 and current["x"] + current["width"] <= width
        assert strip.locator("a.current .timeline-title").inner_text() == "The Sino-Soviet alliance"
        context.close()


def test_page_down_steps_through_the_events_then_to_the_next_period(laptop: Any, default_site: Path) -> None:
    log = watch(laptop)
    ids = period_ids()
    laptop.goto((default_site / "periods" / f"{ids[3]}.html").as_uri())
    titles = laptop.locator(".event-list li .event-title").all_inner_texts()
    for title in titles:
        laptop.keyboard.press("PageDown")
        popup_shown(laptop, title)
    with laptop.expect_navigation():
        laptop.keyboard.press("PageDown")
    assert Path(laptop.url).stem == ids[4]
    laptop.keyboard.press(" ")  # space, as some clickers send
    popup_shown(laptop, laptop.locator(".event-list li .event-title").first.inner_text())
    # Page Up from the first event goes back to the previous period, at its last event.
    with laptop.expect_navigation():
        laptop.keyboard.press("PageUp")
    assert Path(laptop.url).stem == ids[3]
    popup_shown(laptop, titles[-1])
    laptop.keyboard.press("PageUp")
    popup_shown(laptop, titles[-2])
    assert laptop.evaluate("() => scrollY") == 0  # Page Down did not scroll the page either
    assert log.errors == []


def test_the_arrow_keys_work_after_a_player_button_and_esc_closes_a_popup(laptop: Any, default_site: Path) -> None:
    ids = period_ids()
    laptop.goto((default_site / "periods" / f"{ids[2]}.html").as_uri())
    laptop.get_by_role("button", name="Next event ▶").click()
    popup_shown(laptop, laptop.locator(".event-list li .event-title").first.inner_text())
    laptop.keyboard.press("Escape")
    laptop.wait_for_function("() => document.querySelectorAll('.leaflet-popup').length === 0")
    assert laptop.evaluate("() => document.activeElement.getAttribute('data-step')") == "next"
    with laptop.expect_navigation():
        laptop.keyboard.press("ArrowRight")
    assert Path(laptop.url).stem == ids[3]
    # A click on the map focuses it; the arrows still step periods (the map pans with the keyboard only when Tabbed to).
    laptop.locator(".folium-map").click(position={"x": 30, "y": 300})
    with laptop.expect_navigation():
        laptop.keyboard.press("ArrowLeft")
    assert Path(laptop.url).stem == ids[2]
    assert "Page Down" in laptop.locator("footer .keys").inner_text()


def test_the_timeline_has_a_year_axis_and_every_period_stays_identifiable(laptop: Any, default_site: Path) -> None:
    laptop.goto((default_site / "index.html").as_uri())
    ticks = laptop.locator(".timeline-axis .tick").all_inner_texts()
    assert ticks[:2] == ["1920", "1930"] and "1990" in ticks
    for index, period in enumerate(yaml.safe_load((ROOT / "places" / "periods.yaml").read_text(encoding="utf-8"))):
        cell = laptop.locator(".timeline li").nth(index)
        years = cell.locator(".timeline-dates")
        assert re.fullmatch(r"\d{4}(–\d{4})?", years.inner_text()), years.inner_text()
        assert years.evaluate("e => e.scrollWidth <= e.clientWidth")  # the years always show whole
        link = cell.locator("a")
        assert (link.get_attribute("title") or "").startswith(period["title"])
        link.focus()
        laptop.keyboard.press("Shift+Tab")
        laptop.keyboard.press("Tab")  # a keyboard focus shows the whole title
        title = cell.locator(".timeline-title")
        assert title.evaluate("e => e.scrollWidth <= e.clientWidth + 1 && e.getBoundingClientRect().width > 0")


@pytest.mark.parametrize("frame", [(260, 320), (560, 400), (1366, 768)])
def test_every_period_s_events_lie_inside_its_embed_whatever_the_frame(chromium: Any, default_site: Path,
                                                                      frame: tuple[int, int]) -> None:
    width, height = frame
    context = chromium.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    for period in period_ids():
        page.goto((default_site / "embed" / f"{period}.html").as_uri())
        page.locator("path.event-dot").first.wait_for(state="attached")
        map_idle(page)
        outside = page.evaluate("([w, h]) => [...document.querySelectorAll('path.event-dot')].filter(p => {"
                                " const r = p.getBoundingClientRect(); return r.left < 0 || r.top < 0 || r.right > w"
                                " || r.bottom > h; }).map(p => p.dataset.feature)", [width, height])
        assert outside == [], (period, outside)
        assert page.locator(".leaflet-popup").count() == 0  # no popup unless the embed code asks for one
    # Resized, the frame fits the period again.
    page.set_viewport_size({"width": 300, "height": 260})
    page.wait_for_function("() => [...document.querySelectorAll('path.event-dot')].every(p => {"
                           " const r = p.getBoundingClientRect(); return r.left >= 0 && r.top >= 0 && r.right <= 300"
                           " && r.bottom <= 260; })", timeout=5000)
    context.close()


def test_an_embed_opens_its_event_only_when_asked_and_its_caption_covers_no_control(laptop: Any,
                                                                                    default_site: Path) -> None:
    laptop.set_viewport_size({"width": 560, "height": 400})
    laptop.goto((default_site / "embed" / "war-against-japan.html").as_uri() + "#yalta-far-east-agreement")
    popup_shown(laptop, "Yalta agreement on the Far East")
    caption = laptop.locator(".embed-caption").bounding_box()
    for control in (".leaflet-popup-close-button", ".leaflet-control-zoom", ".embed-legend summary"):
        box = laptop.locator(control).bounding_box()
        assert box is not None and caption is not None
        assert (box["x"] >= caption["x"] + caption["width"] or box["x"] + box["width"] <= caption["x"]
                or box["y"] >= caption["y"] + caption["height"] or box["y"] + box["height"] <= caption["y"]), control
    popup = laptop.locator(".leaflet-popup-content-wrapper").bounding_box()
    assert popup is not None and popup["width"] * popup["height"] < 0.4 * 560 * 400  # compact: the map stays visible


def with_base_url(tmp_path: Path, *options: str) -> Path:
    source = shutil.copytree(SAMPLES / "good", tmp_path / "src")
    with (source / "atlas.yaml").open("a", encoding="utf-8") as file:
        file.write("base_url: https://example.org/atlas\n")
    out = tmp_path / "out"
    result = run_atlas("build", source, "-o", out, *options)
    assert result.returncode == 0, result.stderr
    return out


def test_with_a_public_address_the_embed_code_and_links_are_absolute(tmp_path: Path) -> None:
    out = with_base_url(tmp_path)
    page = (out / "periods" / "manchukuo.html").read_text(encoding="utf-8")
    box = page[page.index('<textarea id="embed-code"'):]
    code = box[box.index(">") + 1:box.index("</textarea>")].replace("&lt;", "<").replace("&gt;", ">")
    code = code.replace("&#34;", '"').replace("&quot;", '"').replace("&amp;", "&")
    found = elements(code)
    assert found[0][0] == "iframe" and found[0][1]["src"] == "https://example.org/atlas/embed/manchukuo.html"
    assert '<link rel="canonical" href="https://example.org/atlas/periods/manchukuo.html">' in page
    assert '<meta property="og:url" content="https://example.org/atlas/periods/manchukuo.html">' in page
    assert '<meta property="og:title" content="Manchukuo · Sample atlas">' in page
    assert 'data-published' in page


def test_a_single_file_page_links_to_its_neighbours_at_the_public_address(tmp_path: Path) -> None:
    out = with_base_url(tmp_path, "--single-file")
    page = (out / "periods" / "manchukuo.html").read_text(encoding="utf-8")
    assert '<a rel="next" href="https://example.org/atlas/periods/after-1945.html">' in page
    assert page_data(page)["next"] == "https://example.org/atlas/periods/after-1945.html"
    assert 'href="https://example.org/atlas/index.html"' in page
    embed = (out / "embed" / "manchukuo.html").read_text(encoding="utf-8")
    assert page_data(embed)["next"] == "https://example.org/atlas/embed/after-1945.html"


def test_a_bad_public_address_is_an_error(tmp_path: Path) -> None:
    source = shutil.copytree(SAMPLES / "good", tmp_path / "src")
    with (source / "atlas.yaml").open("a", encoding="utf-8") as file:
        file.write("base_url: javascript:alert(1)\n")
    result = run_atlas("check", "src", cwd=tmp_path)
    assert result.returncode == 2 and "src/atlas.yaml:3: base_url should be the web address" in result.stderr


def test_without_a_public_address_a_local_page_says_to_publish_first(laptop: Any, default_site: Path) -> None:
    laptop.goto((default_site / "periods" / "war-against-japan.html").as_uri())
    laptop.locator(".embed-snippet summary").click()
    note = laptop.locator(".embed-note")
    assert note.is_visible() and "base_url" in note.inner_text() and "publish" in note.inner_text()


CONTROL_LABELS = ("Play", "Next event", "Previous event", "Show on map", "Embed this map", "Copy this code",
                  "Compare with the previous period", "Skip to", "Pace", "By hand")


def test_the_printed_handout_holds_every_event_and_its_sources_and_no_controls(laptop: Any, default_site: Path) -> None:
    path = default_site / "periods" / "war-against-japan.html"
    laptop.goto(path.as_uri())
    map_idle(laptop)
    titles = laptop.locator(".event-list li .event-title").all_inner_texts()
    urls = laptop.evaluate("() => [...document.querySelectorAll('.event-sources a')].map(a => a.href)")
    pdf = laptop.pdf(format="A4")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "handout.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join((page.extract_text() or "") for page in reader.pages)
    flat = re.sub(r"\s+", "", text)
    for title in titles:
        assert re.sub(r"\s+", "", title) in flat, title
    for url in urls:
        assert url.replace("%27", "'") in flat or url in flat, url
    for label in CONTROL_LABELS:
        assert re.sub(r"\s+", "", label) not in flat, label
    for heading in ("War against Japan: Soviet aid to Nationalist China", "Legend", "Changes since"):
        assert re.sub(r"\s+", "", heading) in flat, heading
    # The map and the changes on the first page or two, then about three events a page, each
    # with its sources (the war years hold 20 events since the third pass on the content).
    assert len(reader.pages) <= 2 + len(titles) // 3, (len(reader.pages), len(titles))


def test_the_index_has_an_overview_map_and_its_lessons_first(laptop: Any, default_site: Path) -> None:
    log = watch(laptop)
    laptop.goto((default_site / "index.html").as_uri())
    order = laptop.evaluate("() => [...document.querySelectorAll('main h2')].map(h => h.textContent)")
    assert order[0] == "Lessons" and "Every event on one map" in order and order.index("Lessons") < order.index("Periods")
    dots = laptop.locator("path.event-dot")
    dots.first.wait_for(state="attached")
    events = yaml.safe_load((ROOT / "places" / "events.yaml").read_text(encoding="utf-8"))
    drawn = set(laptop.evaluate("() => [...document.querySelectorAll('path.event-dot')].map(p => p.dataset.feature)"))
    assert drawn == {event["id"] for event in events}
    colours = set(laptop.evaluate("() => [...document.querySelectorAll('path.event-dot')].map(p => p.getAttribute('fill'))"))
    assert len(colours) == len(period_ids())
    laptop.evaluate("() => Atlas.show('mukden-incident', false)")
    link = laptop.locator(".leaflet-popup-content a.popup-more")
    link.wait_for()
    assert link.get_attribute("href") == "periods/civil-war-and-japan-in-manchuria.html#mukden-incident"
    map_idle(laptop)  # the popup pans the map to fit: its link moves until the map stops
    still(link)
    with laptop.expect_navigation():
        link.click()
    assert laptop.url.endswith("periods/civil-war-and-japan-in-manchuria.html#mukden-incident")
    assert log.errors == []


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    from atlas.serve.watch import serve

    source = shutil.copytree(SAMPLES / "good", tmp_path / "src")
    stop = threading.Event()
    urls: queue.Queue[str] = queue.Queue()
    thread = threading.Thread(target=serve, kwargs={"source": source, "out": tmp_path / "out", "port": 0,
                                                    "interval": 0.1, "stop": stop, "ready": urls.put}, daemon=True)
    thread.start()
    yield urls.get(timeout=30), source, tmp_path / "out"
    stop.set()
    thread.join(timeout=5)


def test_under_atlas_serve_an_edit_shows_without_a_reload_and_a_mistake_shows_its_line(
        laptop: Any, served: tuple[str, Path, Path]) -> None:
    url, source, out = served
    laptop.goto(url + "periods/manchukuo.html")
    assert laptop.locator("h1").inner_text() == "Manchukuo"
    periods = source / "periods.yaml"
    good = periods.read_text(encoding="utf-8")
    periods.write_text(good.replace("title: Manchukuo", "title: Manchukuo, edited"), encoding="utf-8")
    laptop.wait_for_function("() => document.querySelector('h1')?.textContent === 'Manchukuo, edited'", timeout=20_000)
    events = source / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace("1931-09-18", "1931-09-31"), encoding="utf-8")
    overlay = laptop.locator("#atlas-serve-errors")
    overlay.wait_for(timeout=20_000)
    assert "events.yaml:2: invalid date '1931-09-31': September 1931 has 30 days" in overlay.inner_text()
    assert laptop.locator("h1").inner_text() == "Manchukuo, edited"  # the last good build stays
    events.write_text(events.read_text(encoding="utf-8").replace("1931-09-31", "1931-09-18"), encoding="utf-8")
    overlay.wait_for(state="detached", timeout=20_000)
    # The script is the server's: the built files never carry it.
    assert not [p for p in out.rglob("*.html") if "__atlas__" in p.read_text(encoding="utf-8")]


def test_embed_code_copied_under_atlas_serve_warns_that_it_points_at_this_computer(
        laptop: Any, served: tuple[str, Path, Path]) -> None:
    url, _, _ = served
    laptop.goto(url + "periods/manchukuo.html")
    laptop.locator(".embed-snippet summary").click()
    note = laptop.locator(".embed-note")
    note.wait_for()
    assert "127.0.0.1:" in note.inner_text() and "works only on this computer" in note.inner_text()
    assert "127.0.0.1" in laptop.locator("#embed-code").input_value()  # what it warns of
