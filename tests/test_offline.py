"""Stage: site.

Offline-first pages: nothing from a CDN, an offline basemap, and single-file pages that
work alone, checked in Chromium with every request outside the build folder blocked."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser import maps_idle
from conftest import SAMPLES, page_data, run_atlas

CDN_HOSTS = re.compile(r"cdn\.jsdelivr\.net|cdnjs\.|unpkg\.com|googleapis\.com|gstatic\.com|bootstrapcdn\.com"
                       r"|code\.jquery\.com|cloudflare\.com|arcgisonline\.com|tile\.openstreetmap\.org|fontawesome")


@pytest.fixture
def offline_page(chromium: Any) -> Iterator[tuple[Any, list[str]]]:
    """A page whose every request outside file:// is refused (and recorded)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"uncaught: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url[:300]} {r.failure}"))

    def outside(route: Any) -> None:
        problems.append(f"blocked: {route.request.url[:120]}")
        route.abort()

    page.route(re.compile(r"^(?!file:|data:|blob:|about:).*"), outside)
    yield page, problems
    context.close()


def draws_basemap_and_features(frame: Any, minimum: int = 10) -> None:
    """The relief image has loaded and the period's features are drawn."""
    frame.wait_for_function("() => { const i = document.querySelector('img.leaflet-image-layer');"
                            " return i && i.complete && i.naturalWidth > 100; }")
    assert frame.locator(".leaflet-overlay-pane path").count() >= minimum


def all_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_no_built_page_names_a_cdn_host(default_site: Path, single_site: Path) -> None:
    for site in (default_site, single_site):
        for path in sorted(site.rglob("*")):
            if path.suffix in (".html", ".css", ".js"):
                text = path.read_text(encoding="utf-8")
                assert not CDN_HOSTS.search(text), (path, CDN_HOSTS.search(text))
                assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"(https?:)?//", text), path


def test_every_page_works_with_the_network_blocked(offline_page: tuple[Any, list[str]], default_site: Path) -> None:
    page, problems = offline_page
    pages = all_pages(default_site)
    assert len(pages) == 72  # in English, Chinese and Russian: index, compare, 10 periods, 10 embeds, 2 lessons
    for path in pages:
        page.goto(path.as_uri())
        if "/periods/" in path.as_uri() or "/embed/" in path.as_uri():
            draws_basemap_and_features(page)
        if "/lessons/" in path.as_uri():
            frames = page.locator("iframe")
            for index in range(frames.count()):
                frames.nth(index).scroll_into_view_if_needed()
                draws_basemap_and_features(frames.nth(index).element_handle().content_frame())
        else:  # every request made and answered before the next page: the map's images too
            maps_idle(page)
            for frame in page.frames:
                frame.wait_for_function("() => document.readyState === 'complete' && "
                                        "[...document.images].every(image => image.complete)")
    assert problems == []


def test_a_single_file_page_works_alone(offline_page: tuple[Any, list[str]], single_site: Path, tmp_path: Path) -> None:
    page, problems = offline_page
    assert not (single_site / "assets").exists()
    alone = tmp_path / "attachment"
    alone.mkdir()
    for path in (single_site / "periods" / "war-against-japan.html", single_site / "embed" / "normalisation.html",
                 single_site / "lessons" / "railway-that-changed-hands.html"):
        shutil.copy(path, alone / path.name)
    page.goto((alone / "war-against-japan.html").as_uri())
    draws_basemap_and_features(page)
    page.get_by_role("button", name="Next event ▶").click()
    page.locator(".leaflet-popup-content").wait_for()
    page.locator(".alone-note").wait_for()
    page.goto((alone / "normalisation.html").as_uri())
    draws_basemap_and_features(page)
    page.goto((alone / "railway-that-changed-hands.html").as_uri())
    frames = page.locator(".lesson-map iframe")
    assert frames.count() == 5
    for index in range(frames.count()):
        frames.nth(index).scroll_into_view_if_needed()
        inner = frames.nth(index).element_handle().content_frame()
        draws_basemap_and_features(inner)
        inner.locator(".lesson-mark-note").wait_for()  # each map marks its event, named over the map
    # The one request that may fail: a page asking whether a neighbour lies beside it (it
    # does not, and the page says so: tests/test_single_alone.py).
    assert [problem for problem in problems if not re.search(r"\.html\?neighbour net::ERR_FILE_NOT_FOUND$", problem)] == []
    # At most the period page, the embed and the lesson (none of its maps asks); the period
    # page's for sure, its note having been waited for.
    assert 1 <= len(problems) <= 3, problems


def test_single_file_pages_hold_everything_they_need(single_site: Path) -> None:
    page = (single_site / "periods" / "war-against-japan.html").read_text(encoding="utf-8")
    assert "data:image/webp;base64," in page
    assert "<link" not in page and "<script src" not in page
    assert page.count("L.Map = ") <= 1 and "window.Atlas" in page
    assert (single_site / "data" / "atlas.geojson").is_file()


def test_the_basemap_can_be_tiles_or_both(tmp_path: Path) -> None:
    source = tmp_path / "atlas"
    shutil.copytree(SAMPLES / "good", source)
    atlas_yaml = source / "atlas.yaml"
    atlas_yaml.write_text(atlas_yaml.read_text(encoding="utf-8") + "basemap: [offline, Esri.WorldShadedRelief]\n",
                          encoding="utf-8")
    assert run_atlas("build", source, "-o", tmp_path / "both").returncode == 0
    both = page_data((tmp_path / "both" / "periods" / "manchukuo.html").read_text(encoding="utf-8"))["basemap"]
    assert both["tiles"][0]["attribution"].startswith("Tiles &copy; Esri")
    assert both["attribution"].startswith("Relief:")
    assert [image["name"] for image in both["images"]] == ["basemap-world.webp", "basemap.webp"]
    atlas_yaml.write_text(atlas_yaml.read_text(encoding="utf-8").replace("[offline, Esri.WorldShadedRelief]",
                                                                        "Esri.WorldShadedRelief"), encoding="utf-8")
    assert run_atlas("build", source, "-o", tmp_path / "tiles").returncode == 0
    tiles = page_data((tmp_path / "tiles" / "periods" / "manchukuo.html").read_text(encoding="utf-8"))["basemap"]
    assert tiles["images"] == [] and not list((tmp_path / "tiles" / "assets").glob("basemap*"))
    atlas_yaml.write_text(atlas_yaml.read_text(encoding="utf-8").replace("Esri.WorldShadedRelief", "Nowhere.Tiles"),
                          encoding="utf-8")
    wrong = run_atlas("check", source)
    assert wrong.returncode == 2
    assert re.search(r"atlas\.yaml:\d+: unknown basemap 'Nowhere\.Tiles'", wrong.stderr)


def test_when_tiles_fail_the_offline_relief_shows(chromium: Any, tmp_path: Path) -> None:
    source = tmp_path / "atlas"
    shutil.copytree(SAMPLES / "good", source)
    (source / "atlas.yaml").write_text('title: "Both"\nbasemap: [offline, Esri.WorldShadedRelief]\n', encoding="utf-8")
    assert run_atlas("build", source, "-o", tmp_path / "site").returncode == 0
    site = tmp_path / "site"
    context = chromium.new_context()
    page = context.new_page()
    page.route(re.compile(r"^https?://.*"), lambda route: route.abort())  # no network: every tile fails
    page.goto((site / "periods" / "manchukuo.html").as_uri())
    draws_basemap_and_features(page, minimum=4)
    page.wait_for_function("() => document.querySelectorAll('img.leaflet-tile').length > 0")
    assert page.evaluate("() => [...document.querySelectorAll('img.leaflet-tile')].every(t => t.src.startsWith('data:'))"
                         " || document.querySelectorAll('img.leaflet-tile-loaded').length === 0")
    context.close()


def test_folium_s_shared_asset_lists_are_left_alone(tmp_path: Path) -> None:
    """Each map drops folium's CDN assets on its own instance; the class lists every map
    in the process shares stay as folium made them."""
    import folium

    from atlas.building.pipeline import build

    before = (list(folium.Map.default_js), list(folium.Map.default_css))
    build(SAMPLES / "good", tmp_path / "site")
    assert (list(folium.Map.default_js), list(folium.Map.default_css)) == before
    assert any("jquery" in url for _, url in folium.Map.default_js)
