"""Render the site: every page of the atlas, and its assets, by output path.

Each period gives a page and an embed (its map alone); lessons, the index, the compare
view and the GeoJSON export follow. Templates and their rendering are pages.py's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from .basemap import ATTRIBUTION, max_zoom, reliefs
from .changes import changes_between
from .csp import tile_hosts
from .export import atlas_geojson
from .features import PeriodFeatures, bounds, mark_changes, period_features
from .inline import Inline, inline_assets
from .legend import Palette, palette_for, sections
from .lessons import render_lesson
from .maps import LAYERS, period_map, tile_layers
from .model import Atlas, Event, Lesson, Period
from .overview import overview_features, period_colours
from .pages import Pages, environment, hashed_assets
from .periods import events_in, name_in
from .resolve import Geometry
from .timeline import timeline


@dataclass(frozen=True)
class EventView:
    """An event as a period page lists it."""

    event: Event
    date: str
    places: list[str]


def event_views(atlas: Atlas, period: Period, shown_events: Sequence[Event]) -> list[EventView]:
    return [
        EventView(event, event.date.display(), [name_in(atlas.place_by_id[ref], period).name for ref in event.places])
        for event in shown_events
    ]


def render_site(atlas: Atlas, geometry: dict[str, Geometry], single_file: bool = False) -> dict[str, bytes]:
    """Every output file, by its path relative to the output folder.

    With `single_file`, each page carries its scripts, styles and basemap inside it
    (and a lesson its maps, as iframes with `srcdoc`): no assets/ folder is written.
    """
    env = environment(atlas.source_dir, atlas.info.templates_trusted)
    assets = hashed_assets(atlas.source_dir)
    images = reliefs(atlas, atlas_extent(geometry))
    for name, relief in images.items():
        stem = name.rpartition(".")[0]
        assets[name] = (f"{stem}.{hashlib.sha256(relief.image).hexdigest()[:10]}.webp", relief.image)
    inline = inline_assets(assets) if single_file else None
    site: dict[str, bytes] = {} if inline else {f"assets/{hashed}": data for hashed, data in assets.values()}
    urls = {name: f"../assets/{hashed}" for name, (hashed, _) in assets.items()}
    tiles = tile_layers(atlas.info.basemaps)
    pages = Pages(env, tile_hosts(str(layer["url"]) for layer in tiles), atlas.source_dir / "templates")
    basemap: dict[str, Any] = {
        "tiles": tiles, "attribution": ATTRIBUTION if images else None, "maxZoom": max_zoom(atlas, images, tiles),
        # Bottom first: the world, then the detailed cut. A framed map names its image and
        # takes the data from its lesson, which carries each once for all its maps.
        "images": [{"name": name, "url": inline.images[name] if inline else urls[name], "bounds": relief.bounds}
                   for name, relief in images.items()],
    }
    palette = palette_for(atlas)
    strip = timeline(atlas.periods)
    common: dict[str, Any] = {"atlas": atlas.info, "periods": atlas.periods, "timeline": strip,
                              "page_css": strip.css(), "inline": inline, "assets": urls}
    embeds: dict[str, dict[str, Any]] = {}
    counts: dict[str, int] = {}  # each period's number of events, for the index
    links = link_root(atlas, single_file, "../")
    for index, period in enumerate(atlas.periods):
        context = {**common, **_period_context(atlas, period, index, geometry, palette, None if inline else urls,
                                               basemap, links), "root": "../", "link_root": links}
        site[f"periods/{period.id}.html"] = pages.render("period.html", {**context, "page_path": f"periods/{period.id}.html"})
        counts[period.id] = len(context["events"])
        embeds[period.id] = {**context, "page_path": f"embed/{period.id}.html",
                             "page_data": {**context["page_data"], "kind": "embed",
                                           **_neighbours(atlas, index, links, "embed")}}
        site[f"embed/{period.id}.html"] = pages.render("embed.html", embeds[period.id])

    for lesson in atlas.lessons:
        site[f"lessons/{lesson.id}.html"] = _lesson_page(pages, lesson, atlas, common, embeds, inline)
    index_assets = {name: url[len("../"):] for name, url in urls.items()}
    top = {**common, "assets": index_assets, "root": "", "link_root": link_root(atlas, single_file, "")}
    site["index.html"] = pages.render("index.html", {**top, **_overview(atlas, geometry, palette, None if inline else
                                                                        index_assets, basemap),
                                                      "counts": counts, "lessons": atlas.lessons, "page_path": "index.html"})
    periods = [{"id": p.id, "title": p.title, "dates": p.when.display()} for p in atlas.periods]
    site["compare.html"] = pages.render("compare.html", {**top, "page_path": "compare.html",
                                                         "page_data": {"kind": "compare", "periods": periods}})
    site["data/atlas.geojson"] = atlas_geojson(atlas, geometry).encode("utf-8")
    return site


def _lesson_page(pages: Pages, lesson: Lesson, atlas: Atlas, common: dict[str, Any],
                 embeds: dict[str, dict[str, Any]], inline: Inline | None) -> bytes:
    """A lesson; in a single-file build its maps are `srcdoc` frames that take Leaflet, the
    styles and the relief from the lesson (shared once, not once a map), and their event
    from the page data (a srcdoc frame has no #fragment)."""
    policy = pages.policy()

    def framed(period_id: str, event_id: str | None) -> str:
        assert inline is not None
        context = embeds[period_id]
        data = {**context["page_data"], "open": event_id}
        data["basemap"] = {**data["basemap"], "images": [{**image, "url": "shared"} for image in data["basemap"]["images"]]}
        frame = pages.policy()
        frame.allow_script(inline.js)
        frame.allow_style(inline.css)
        html = pages.render("embed.html", {**context, "framed": True, "framed_script": FRAMED_SCRIPT,
                                           "page_data": data}, frame).decode()
        policy.merge(frame)
        return html

    body = render_lesson(lesson, atlas, framed if inline else None)
    shared = None
    if inline:
        data = {"css": str(inline.css), "js": str(inline.js), "images": inline.images}
        shared = f"window.AtlasShared = {htmlsafe_json_dumps(data)};"
    return pages.render("lesson.html", {**common, "lesson": lesson, "body": body, "root": "../",
                                        "link_root": link_root(atlas, inline is not None, "../"),
                                        "page_path": f"lessons/{lesson.id}.html",
                                        "shared_script": shared}, policy)


# A single-file lesson's map frame takes Leaflet, our styles and the relief from the lesson.
FRAMED_SCRIPT = """(function () {
  var shared = window.parent.AtlasShared;
  var style = document.createElement("style");
  style.textContent = shared.css;
  document.head.appendChild(style);
  var script = document.createElement("script");
  script.textContent = shared.js;
  document.head.appendChild(script);
})();"""


def _overview(atlas: Atlas, geometry: dict[str, Geometry], palette: Palette, urls: dict[str, str] | None,
              basemap: dict[str, Any]) -> dict[str, Any]:
    """The index's map of every event, coloured by period (its relief paths from the top folder)."""
    colours = period_colours(atlas.periods)
    features = overview_features(atlas, geometry, palette, colours)
    parts = period_map(None, features, atlas.info.view, urls)
    images = [{**image, "url": image["url"].removeprefix("../")} for image in basemap["images"]]
    return {
        "map": parts, "period_colours": colours,
        "page_data": {"kind": "index", "extent": parts.extent, "view_fixed": False, "previous": None, "next": None,
                      "basemap": {**basemap, "images": images}, "map": parts.map_name,
                      "layers": [{"name": parts.layers[kind], "features": getattr(features, kind)} for kind in LAYERS]},
    }


def atlas_extent(geometry: dict[str, Geometry]) -> list[list[float]]:
    """Where the whole atlas lies: every place of every period."""
    return bounds({"geometry": shape} for shape in geometry.values()) or [[-60.0, -180.0], [75.0, 180.0]]


def link_root(atlas: Atlas, single_file: bool, root: str) -> str:
    """Where a link to another page of the atlas starts. A single file may travel alone
    (an attachment, an upload), away from its neighbours: with a public address, its
    links go there."""
    return atlas.info.base_url if single_file and atlas.info.base_url else root


def _neighbours(atlas: Atlas, index: int, links: str, folder: str) -> dict[str, str | None]:
    """The previous and next period's pages of the same kind, for the keys and the stepper."""
    before = atlas.periods[index - 1] if index > 0 else None
    after = atlas.periods[index + 1] if index + 1 < len(atlas.periods) else None
    return {"previous": f"{links}{folder}/{before.id}.html" if before else None,
            "next": f"{links}{folder}/{after.id}.html" if after else None}


def _period_context(atlas: Atlas, period: Period, index: int, geometry: dict[str, Geometry], palette: Palette,
                    urls: dict[str, str] | None, basemap: dict[str, Any], links: str) -> dict[str, Any]:
    shown_events = events_in(period, atlas.events)
    features: PeriodFeatures = period_features(atlas, period, shown_events, geometry, palette)
    parts = period_map(period.view, features, atlas.info.view, urls)
    previous = atlas.periods[index - 1] if index > 0 else None
    following = atlas.periods[index + 1] if index + 1 < len(atlas.periods) else None
    changes = changes_between(atlas, previous, period, palette) if previous else []
    mark_changes(features, changes)
    return {
        "period": period,
        "changes": changes,
        "dates": period.when.display(),
        "events": event_views(atlas, period, shown_events),
        "legend": sections(features.legend),
        "map": parts,
        "previous": previous,
        "next": following,
        "embed_src": f"{atlas.info.base_url or '../'}embed/{period.id}.html",
        "embed_code": embed_code(f"{atlas.info.base_url or '../'}embed/{period.id}.html",
                                 f"Map: {period.title}, {period.when.display()}"),
        "page_data": {
            "kind": "period",
            "period": period.id,
            "extent": parts.extent,
            "view_fixed": period.view is not None,
            "basemap": basemap,
            **_neighbours(atlas, index, links, "periods"),
            "map": parts.map_name,
            # Bottom to top, as a list: JSON objects are written with sorted keys.
            "layers": [{"name": parts.layers[kind], "features": getattr(features, kind)} for kind in LAYERS],
        },
    }


def embed_code(src: str, title: str) -> str:
    """The `<iframe>` a teacher copies into another page: its attributes escaped for that
    page. (The template escapes the whole snippet once more, for the textarea it sits in.)"""
    return str(Markup('<iframe src="{}" title="{}" width="100%" height="480" style="border: 0" loading="lazy">'
                      "</iframe>").format(src, title))
