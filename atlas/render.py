"""Render the site: every page of the atlas, and its assets, by output path.

Each period gives a page and an embed (its map alone); lessons, the index, the compare
view and the GeoJSON export follow. The periods' views are made once (views.py), their
features next (which fills the place catalogue every page shares), then the pages.
Templates and their rendering are pages.py's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from . import parallel
from .basemap import ATTRIBUTION, max_zoom, reliefs
from .changes import Change, changes_between
from .csp import tile_hosts
from .export import atlas_geojson
from .features import PeriodFeatures, PlaceCatalogue, bounds, period_features
from .inline import inline_assets
from .legend import Palette, palette_for, sections
from .lessons import render_lesson
from .maps import LAYERS, MapMaker, tile_layers
from .model import Atlas, Event, Lesson
from .overview import overview_features, period_colours
from .pages import Pages, environment, hashed_assets
from .resolve import Geometry
from .timeline import timeline
from .views import PeriodView, period_views

# From this many events (over all periods), the pages are rendered on every core.
PARALLEL_EVENTS = 2000


@dataclass(frozen=True)
class EventView:
    """An event as a period page lists it."""

    event: Event
    date: str
    places: list[str]


def event_views(view: PeriodView) -> list[EventView]:
    return [EventView(event, event.date.display(), [view.name_of(ref) for ref in event.places]) for event in view.events]


def render_site(atlas: Atlas, geometry: dict[str, Geometry], single_file: bool = False) -> dict[str, bytes]:
    """Every output file, by its path relative to the output folder.

    With `single_file`, each page carries its scripts, styles and basemap inside it
    (and a lesson its maps, as iframes with `srcdoc`): no assets/ folder is written.
    """
    palette = palette_for(atlas)
    views = period_views(atlas)
    catalogue = PlaceCatalogue(atlas, geometry, palette, views[0].static if views else {})
    changes = [changes_between(atlas, views[i - 1], view, palette) if i else [] for i, view in enumerate(views)]
    features = [period_features(view, catalogue, palette, found) for view, found in zip(views, changes, strict=True)]
    site = Site(atlas, geometry, single_file, palette, catalogue)
    files = site.assets_files()
    for view, drawn, found in zip(views, features, changes, strict=True):
        site.prepare(view, drawn, found)
    big = sum(len(view.events) for view in views) >= PARALLEL_EVENTS and len(views) >= 4
    for pages in parallel.map_in_order(site.period_pages, views, parallel=big):
        files.update(pages)
    for lesson in atlas.lessons:
        files[f"lessons/{lesson.id}.html"] = site.lesson_page(lesson)
    files["index.html"] = site.index_page(views, palette)
    files["compare.html"] = site.compare_page()
    periods: dict[str, list[str]] = {}
    for view in views:
        for event in view.events:
            periods.setdefault(event.id, []).append(view.period.id)
    files["data/atlas.geojson"] = atlas_geojson(atlas, geometry, periods).encode("utf-8")
    return files


class Site:
    """What every page of one build shares: templates, assets, the basemap, the catalogue."""

    def __init__(self, atlas: Atlas, geometry: dict[str, Geometry], single_file: bool, palette: Palette,
                 catalogue: PlaceCatalogue) -> None:
        self.atlas, self.geometry, self.palette = atlas, geometry, palette
        self.assets = hashed_assets(atlas.source_dir)
        images = reliefs(atlas, atlas_extent(geometry))
        for name, relief in images.items():
            self._add_asset(name, relief.image)
        self.places_script = catalogue.script()
        self._add_asset("places.js", self.places_script.encode("utf-8"))
        self.inline = inline_assets(self.assets) if single_file else None
        self.urls = {name: f"../assets/{hashed}" for name, (hashed, _) in self.assets.items()}
        tiles = tile_layers(atlas.info.basemaps)
        env = environment(atlas.source_dir, atlas.info.templates_trusted)
        self.pages = Pages(env, tile_hosts(str(layer["url"]) for layer in tiles), atlas.source_dir / "templates")
        self.basemap: dict[str, Any] = {
            "tiles": tiles, "attribution": ATTRIBUTION if images else None, "maxZoom": max_zoom(atlas, images, tiles),
            # Bottom first: the world, then the detailed cut. A framed map names its image and
            # takes the data from its lesson, which carries each once for all its maps.
            "images": [{"name": name, "url": self.inline.images[name] if self.inline else self.urls[name],
                        "bounds": relief.bounds} for name, relief in images.items()],
        }
        strip = timeline(atlas.periods)
        self.common: dict[str, Any] = {"atlas": atlas.info, "periods": atlas.periods, "timeline": strip,
                                       "page_css": strip.css(), "inline": self.inline, "assets": self.urls,
                                       "places_script": self.places_script}
        self.links = link_root(atlas, single_file, "../")
        self.maps = MapMaker(None if self.inline else self.urls)
        self.contexts: dict[str, dict[str, Any]] = {}
        self.embeds: dict[str, dict[str, Any]] = {}
        self.counts: dict[str, int] = {}  # each period's number of events, for the index

    def _add_asset(self, name: str, data: bytes) -> None:
        stem, dot, suffix = name.rpartition(".")
        self.assets[name] = (f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}{dot}{suffix}", data)

    def assets_files(self) -> dict[str, bytes]:
        return {} if self.inline else {f"assets/{hashed}": data for hashed, data in self.assets.values()}

    def prepare(self, view: PeriodView, features: PeriodFeatures, changes: list[Change]) -> None:
        """A period's page's and embed's contexts, made before any page is rendered (so that
        the pages can be rendered in other processes, and lessons can frame the embeds)."""
        period, index = view.period, view.index
        context = {**self.common, **self._period_context(view, features), "changes": changes, "root": "../",
                   "link_root": self.links, "page_path": f"periods/{period.id}.html"}
        self.counts[period.id] = len(view.events)
        self.contexts[period.id] = context
        self.embeds[period.id] = {**context, "page_path": f"embed/{period.id}.html",
                                  "page_data": {**context["page_data"], "kind": "embed",
                                                **_neighbours(self.atlas, index, self.links, "embed")}}

    def period_pages(self, view: PeriodView) -> dict[str, bytes]:
        """A period's page and its embed."""
        period = view.period
        return {f"periods/{period.id}.html": self.pages.render("period.html", self.contexts[period.id]),
                f"embed/{period.id}.html": self.pages.render("embed.html", self.embeds[period.id])}

    def _period_context(self, view: PeriodView, features: PeriodFeatures) -> dict[str, Any]:
        atlas, period = self.atlas, view.period
        parts = self.maps.map_for(period.view, features, atlas.info.view)
        index = view.index
        src = f"{atlas.info.base_url or '../'}embed/{period.id}.html"
        return {
            "period": period,
            "dates": period.when.display(),
            "events": event_views(view),
            "legend": sections(features.legend),
            "map": parts,
            "previous": atlas.periods[index - 1] if index > 0 else None,
            "next": atlas.periods[index + 1] if index + 1 < len(atlas.periods) else None,
            "embed_src": src,
            "embed_code": embed_code(src, f"Map: {period.title}, {period.when.display()}"),
            "page_data": {
                "kind": "period", "period": period.id, "extent": parts.extent, "view_fixed": period.view is not None,
                "basemap": self.basemap, **_neighbours(atlas, index, self.links, "periods"), "map": parts.map_name,
                "layers": _layers(parts.layers, features), "marks": features.marks, "looks": features.looks,
            },
        }

    def lesson_page(self, lesson: Lesson) -> bytes:
        """A lesson; in a single-file build its maps are `srcdoc` frames that take Leaflet, the
        styles, the relief and the places from the lesson (shared once, not once a map), and
        their event from the page data (a srcdoc frame has no #fragment)."""
        policy = self.pages.policy()
        inline = self.inline

        def framed(period_id: str, event_id: str | None) -> str:
            assert inline is not None
            context = self.embeds[period_id]
            data = {**context["page_data"], "open": event_id}
            data["basemap"] = {**data["basemap"], "images": [{**image, "url": "shared"}
                                                             for image in data["basemap"]["images"]]}
            frame = self.pages.policy()
            frame.allow_script(inline.js)
            frame.allow_style(inline.css)
            html = self.pages.render("embed.html", {**context, "framed": True, "framed_script": FRAMED_SCRIPT,
                                                    "page_data": data}, frame).decode()
            policy.merge(frame)
            return html

        body = render_lesson(lesson, self.atlas, framed if inline else None)
        shared = None
        if inline:
            data = {"css": str(inline.css), "js": str(inline.js), "images": inline.images}
            shared = f"window.AtlasShared = {htmlsafe_json_dumps(data)};"
        return self.pages.render("lesson.html", {**self.common, "lesson": lesson, "body": body, "root": "../",
                                                 "link_root": self.links, "page_path": f"lessons/{lesson.id}.html",
                                                 "shared_script": shared}, policy)

    def index_page(self, views: Sequence[PeriodView], palette: Palette) -> bytes:
        """The index, with its map of every event coloured by period (paths from the top folder)."""
        urls = {name: url[len("../"):] for name, url in self.urls.items()}
        colours = period_colours(self.atlas.periods)
        features = overview_features(views, self.geometry, palette, colours)
        parts = MapMaker(None if self.inline else urls).map_for(None, features, self.atlas.info.view)
        images = [{**image, "url": image["url"].removeprefix("../")} for image in self.basemap["images"]]
        data = {"kind": "index", "extent": parts.extent, "view_fixed": False, "previous": None, "next": None,
                "basemap": {**self.basemap, "images": images}, "map": parts.map_name,
                "layers": _layers(parts.layers, features), "marks": features.marks, "looks": None}
        return self.pages.render("index.html", {**self.common, "assets": urls, "root": "", "map": parts,
                                                "link_root": link_root(self.atlas, self.inline is not None, ""),
                                                "period_colours": colours, "page_data": data, "counts": self.counts,
                                                "lessons": self.atlas.lessons, "page_path": "index.html",
                                                "no_places": True})

    def compare_page(self) -> bytes:
        urls = {name: url[len("../"):] for name, url in self.urls.items()}
        periods = [{"id": p.id, "title": p.title, "dates": p.when.display()} for p in self.atlas.periods]
        return self.pages.render("compare.html", {**self.common, "assets": urls, "root": "",
                                                  "link_root": link_root(self.atlas, self.inline is not None, ""),
                                                  "page_path": "compare.html",
                                                  "page_data": {"kind": "compare", "periods": periods}})


def _layers(names: dict[str, str], features: PeriodFeatures) -> list[dict[str, Any]]:
    """The map's layers, bottom to top, as a list (JSON objects are written with sorted
    keys): the page's script puts each place of the catalogue in the layer of its shape;
    the events come whole."""
    return [{"kind": kind, "name": names[kind], **({"features": features.events} if kind == "events" else {})}
            for kind in LAYERS]


# A single-file lesson's map frame takes Leaflet, our styles, the relief and the places
# from the lesson.
FRAMED_SCRIPT = """(function () {
  var shared = window.parent.AtlasShared;
  var style = document.createElement("style");
  style.textContent = shared.css;
  document.head.appendChild(style);
  var script = document.createElement("script");
  script.textContent = shared.js;
  document.head.appendChild(script);
  window.Atlas.places = window.parent.Atlas.places;
})();"""


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


def embed_code(src: str, title: str) -> str:
    """The `<iframe>` a teacher copies into another page: its attributes escaped for that
    page. (The template escapes the whole snippet once more, for the textarea it sits in.)"""
    return str(Markup('<iframe src="{}" title="{}" width="100%" height="480" style="border: 0" loading="lazy">'
                      "</iframe>").format(src, title))
