"""Stage: site (in Chromium, as schools set pages up).

An embed in a learning platform's sandboxed frame opens the period's page in a new tab
instead of a dead link; a link to an event the page does not have says so.
"""

from __future__ import annotations

import functools
import io
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from browser import map_idle, map_loaded, watch

PERIOD = "civil-war-and-japan-in-manchuria"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def platform(default_site: Path, tmp_path: Path) -> Iterator[str]:
    """A learning platform on 127.0.0.1 whose lesson frames the embed as some platforms do:
    sandboxed, with scripts and popups allowed and nothing else."""
    shutil.copytree(default_site, tmp_path / "site")
    (tmp_path / "lesson.html").write_text(
        '<!doctype html><title>A platform</title><link rel="icon" href="data:,"><h1>Lesson</h1>'
        f'<iframe sandbox="allow-scripts allow-popups" src="site/embed/{PERIOD}.html" width="800" height="500"></iframe>',
        encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_a_sandboxed_platform_frame_opens_the_period_page_in_a_new_tab(page: Any, platform: str) -> None:
    log = watch(page)
    page.unroute("http*://**/*")  # the platform is served over HTTP on 127.0.0.1 (the atlas needs no tiles)
    page.context.on("page", lambda opened: opened.unroute("http*://**/*"))
    page.goto(platform + "lesson.html")
    frame = page.frame_locator("iframe")
    frame.locator(".folium-map").wait_for()
    with page.context.expect_page() as opened:
        frame.locator(".embed-caption a[target=_blank]").click()
    period = opened.value
    period.wait_for_load_state()
    assert period.url.endswith(f"/periods/{PERIOD}.html")
    assert period.locator("h1").inner_text() == "Civil war, the railway war and Japan in Manchuria"
    assert page.locator("h1").inner_text() == "Lesson"  # the platform's page stays
    period.close()
    # The map's credits too: inside the frame they would replace the map with an error page.
    with page.context.expect_page() as credit:
        frame.locator(".leaflet-control-attribution a", has_text="Leaflet").click()
    credit.value.close()  # (its page cannot load here: no network; what counts is where it opened)
    assert frame.locator(".folium-map").is_visible()
    assert log.errors == []


def test_a_lesson_map_keeps_its_corners_clear(page: Any, default_site: Path) -> None:
    """A lesson's map is framed to its event: no count of events elsewhere and no list of
    places over what its questions ask about; an embed's legend sits clear of the controls
    along the bottom."""
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto((default_site / "lessons" / "railway-that-changed-hands.html").as_uri())
    frame = page.frame_locator("iframe").first
    frame.locator(".lesson-mark-note").wait_for()
    assert frame.locator(".show-all").is_hidden() and frame.locator(".places-control").is_hidden()
    page.goto((default_site / "embed" / f"{PERIOD}.html").as_uri())
    page.locator(".embed-legend summary").wait_for()
    legend = page.locator(".embed-legend").bounding_box()
    for control in page.locator(".leaflet-bottom .leaflet-control").all():
        box = control.bounding_box()
        if box is None or box["width"] == 0:
            continue
        apart = (legend["y"] + legend["height"] <= box["y"] or box["y"] + box["height"] <= legend["y"]
                 or legend["x"] + legend["width"] <= box["x"] or box["x"] + box["width"] <= legend["x"])
        assert apart, (legend, box)


def test_a_printed_period_page_prints_its_folded_changes(page: Any, default_site: Path) -> None:
    page.goto((default_site / "periods" / "sino-soviet-alliance.html").as_uri())
    page.wait_for_function("() => window.Atlas && window.Atlas.map")
    folded = page.locator(".more-changes li").last.text_content().split()[0:3]
    assert page.locator(".more-changes[open]").count() == 0
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages)
    assert " ".join(folded) in " ".join(text.split()), folded
    assert page.locator(".more-changes[open]").count() == 0  # folded again on screen


def test_a_link_to_an_event_this_page_lacks_says_so(page: Any, default_site: Path) -> None:
    log = watch(page)
    page.goto((default_site / "periods" / f"{PERIOD}.html").as_uri() + "#mukden-incidnet")
    map_loaded(page)
    note = page.locator(".unknown-event")
    note.wait_for()
    assert "“mukden-incidnet” that is not on this map" in note.inner_text()
    note.get_by_role("button", name="Close").click()
    note.wait_for(state="detached")
    page.goto("about:blank")
    page.goto((default_site / "periods" / f"{PERIOD}.html").as_uri() + "#events")  # the page's own anchor: no note
    map_loaded(page)
    assert page.locator(".unknown-event").count() == 0
    page.goto("about:blank")
    page.goto((default_site / "periods" / f"{PERIOD}.html").as_uri() + "#%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    map_loaded(page)
    assert "<script>alert(1)</script>" in page.locator(".unknown-event").inner_text()  # shown as text
    assert log.errors == []


def test_the_player_comes_before_a_long_list_of_changes_which_folds(page: Any, default_site: Path) -> None:
    page.goto((default_site / "periods" / f"{PERIOD}.html").as_uri())
    player = page.locator(".player").bounding_box()
    changes = page.locator(".changes").bounding_box()
    assert player["y"] + player["height"] <= changes["y"]
    assert player["y"] + player["height"] < 768  # within a laptop's first screen
    shown = page.locator(".changes > ul > li")
    assert shown.count() == 5
    folded = page.locator(".more-changes")
    assert folded.locator("summary").inner_text() == f"{page.locator('.changes li').count() - 5} more changes"
    assert not folded.locator("li").first.is_visible()
    folded.locator("summary").click()
    assert folded.locator("li").first.is_visible()


@pytest.mark.parametrize("size", [(1024, 768), (1366, 768), (1920, 1080)])
def test_the_first_slide_shows_the_period_s_own_area_beside_the_slide(chromium: Any, default_site: Path,
                                                                      size: tuple[int, int]) -> None:
    context = chromium.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.goto((default_site / "periods" / "sino-soviet-alliance.html").as_uri() + "?present")
    page.wait_for_selector(".present-panel")
    map_loaded(page)
    map_idle(page)  # the flight to the first slide's view has ended
    free = page.evaluate("() => document.querySelector('.present-panel').getBoundingClientRect().left")
    for city in ("beijing", "mukden", "port-arthur"):  # where the period happened: in the map's free part
        x, y = page.evaluate("(id) => { const p = window.Atlas.map.latLngToContainerPoint("
                             "window.Atlas.layersById[id].getLatLng()); return [p.x, p.y]; }", city)
        assert 0 < x < free and 0 < y < size[1], (city, x, y, free)
    context.close()
