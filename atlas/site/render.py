"""Render the site: every page of the atlas, and its assets, by output path.

Each period gives a page and an embed (its map alone); lessons, the index, the compare
view and the GeoJSON export follow. The periods' views are made once (views.py), their
features next (which fills the place catalogue every page shares), then the pages.
Templates and their rendering are pages.py's.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from atlas.geo.basemap import ATTRIBUTION, detail_zoom, max_zoom, reliefs
from atlas.geo.resolve import Geometry
from atlas.site.changes import Change, changes_in
from atlas.site.csp import Policy, tile_hosts
from atlas.site.export import export_lines, geojson_text
from atlas.site.features import PeriodFeatures, PlaceCatalogue, PlacesPart, bounds, period_features, places_part
from atlas.site.framing import area_of_interest
from atlas.site.i18n import gettext, script_words, speaking
from atlas.site.inline import Inline, inline_assets
from atlas.site.languages import alternates
from atlas.site.legend import Palette, palette_for, sections
from atlas.site.listing import IndexLists, event_views, framed_on_places, index_lists, name_steps, undated_views
from atlas.site.maps import LAYERS, MapMaker, MapParts, tile_layers
from atlas.site.media import Extras
from atlas.site.overview import overview_features, period_colours
from atlas.site.pages import Pages, default_templates, environment, hashed_assets
from atlas.site.periods import undated
from atlas.site.teacher import NoteView, note_views
from atlas.site.timeline import WHOLE, timeline, timeline_around
from atlas.site.views import PeriodView, labels_of, period_views
from atlas.source.lessons import render_lesson
from atlas.source.model import Atlas, Lesson, MapEmbed
from atlas.source.names import map_date_text
from atlas.util import parallel

# From this many events (over all periods), the pages are rendered on every core.
PARALLEL_EVENTS = 2000


@dataclass
class Notes:
    """What a full build notes for the next one (see atlas/building/recording.py): the facts every
    page shares, each period's places part and changes, the export's lines."""

    facts: SiteFacts | None = None
    views: list[PeriodView] = field(default_factory=list)
    palette: Palette | None = None
    points: Mapping[str, list[float]] = field(default_factory=dict)
    extras: Extras = field(default_factory=Extras)
    parts: list[tuple[PlacesPart, list[Change]]] = field(default_factory=list)
    exported_places: int = 0  # the export's lines of places, before its events'


def render_site(atlas: Atlas, geometry: dict[str, Geometry], extras: Extras, media_files: list[tuple[str, bytes]],
                single_file: bool = False, notes: Notes | None = None,
                language_site: str = "") -> Iterator[tuple[str, bytes]]:
    """Every output file, as (its path relative to the output folder, its bytes), made one
    after the other so that the writer can store each before the next is made.

    With `single_file`, each page carries its scripts, styles and basemap inside it
    (and a lesson its maps, as iframes with `srcdoc`): no assets/ folder is written.
    `extras` are the events' pictures and areas, `media_files` the pictures' files (made
    when the atlas was checked). A `language_site` ("zh/") is the atlas in one of its other
    languages, in that folder: its pages share the main site's assets and media, and
    the export is the main site's alone.
    """
    if language_site and atlas.info.base_url:
        atlas = dataclasses.replace(atlas, info=dataclasses.replace(atlas.info, base_url=atlas.info.base_url + language_site))
    with speaking(atlas.info.language):
        for path, data in _site_files(atlas, geometry, extras, media_files, single_file, notes, language_site):
            yield (path if path.startswith(("assets/", "media/")) else language_site + path), data


def _site_files(atlas: Atlas, geometry: dict[str, Geometry], extras: Extras, media_files: list[tuple[str, bytes]],
                single_file: bool, notes: Notes | None, language_site: str) -> Iterator[tuple[str, bytes]]:
    palette = palette_for(atlas)
    views = period_views(atlas)
    catalogue = PlaceCatalogue(atlas, geometry, palette, views)
    as_of = name_steps(atlas, catalogue)  # (a gazetteer's: before its catalogue is written)
    site, assets = make_site(atlas, geometry, single_file, palette, catalogue, views, extras,
                             "../" if language_site else "")
    if notes is not None:
        notes.facts, notes.views, notes.palette, notes.points = site.facts, views, palette, catalogue.points
        notes.extras = site.extras
    yield from assets
    yield from media_files
    big = sum(len(view.events) for view in views) >= PARALLEL_EVENTS and len(views) >= 4
    changes: list[list[Change]] = []  # each period's, as its page lists them: the compare view lists them again
    for pages, noted in parallel.map_in_order(site.period_pages, range(len(views)), parallel=big):
        if notes is not None:
            notes.parts.append(noted)
        changes.append(noted[1])
        yield from pages
    for lesson in atlas.lessons:
        yield f"lessons/{lesson.id}.html", site.lesson_page(lesson)
    left = undated(atlas.events)
    name_of = labels_of(atlas).written  # an undated event's places: by their own names
    overview = overview_features([(view.period, view, view.events) for view in views],
                                 catalogue.points, palette, period_colours(atlas.periods), site.extras,
                                 undated=(left, name_of), root=site.up)
    lists = index_lists(atlas, catalogue, undated_views(left, name_of, palette, site.extras, site.up), as_of)
    if lists.places is not None:
        overview = framed_on_places(overview, catalogue)
    yield "index.html", site.index_page(overview, {view.period.id: len(view.events) for view in views}, lists)
    if atlas.periods:  # (a gazetteer may have none: nothing to compare)
        yield "compare.html", site.compare_page(changes, geometry)
    if atlas.info.teacher_notes:
        yield "notes.html", site.notes_page(note_views(atlas, views))
    periods: dict[str, list[str]] = {}
    for view in views:
        for event in view.events:
            periods.setdefault(event.id, []).append(view.period.id)
    if language_site:
        return
    place_lines, event_lines = export_lines(atlas, geometry, periods)
    if notes is not None:
        notes.exported_places = len(place_lines)
    yield "data/atlas.geojson", geojson_text(place_lines, event_lines).encode("utf-8")


@dataclass(frozen=True)
class SiteFacts:
    """What every page of a build shares that is costly to make: the assets' addresses,
    the basemap's settings, and the two maps folium rendered (period pages, the index)."""

    urls: dict[str, str]
    basemap: dict[str, Any]
    period_map: MapParts
    index_map: MapParts


@dataclass(frozen=True)
class PeriodInputs:
    """What a period's page is made of: its view (its events, its places' names then),
    its places' part of the map, and the changes since the previous period."""

    view: PeriodView
    part: PlacesPart
    changes: list[Change]


def make_site(atlas: Atlas, geometry: dict[str, Geometry], single_file: bool, palette: Palette,
              catalogue: PlaceCatalogue, views: Sequence[PeriodView], extras: Extras,
              up: str = "") -> tuple[Site, list[tuple[str, bytes]]]:
    """The site of a full build, and its assets' files; `up` is the way from the site's top
    folder to the build's (a language's site is a folder below the main one's)."""
    catalogue.add_media(atlas, extras.pictures)
    assets = hashed_assets(atlas.source_dir)
    images = reliefs(atlas, atlas_extent(geometry))
    for name, relief in images.items():
        _add_asset(assets, name, relief.image)
    places_script = catalogue.script()
    _add_asset(assets, "places.js", places_script.encode("utf-8"))
    inline = inline_assets(assets) if single_file else None
    urls = {name: f"../{up}assets/{hashed}" for name, (hashed, _) in assets.items()}
    tiles = tile_layers(atlas.info.basemaps)
    basemap: dict[str, Any] = {
        "tiles": tiles, "attribution": ATTRIBUTION if images else None, "maxZoom": max_zoom(atlas, images, tiles),
        "detail": None if tiles else detail_zoom(images),  # tiles have their own detail
        # Bottom first: the world, then the detailed cut. A framed map names its image and
        # takes the data from its lesson, which carries each once for all its maps.
        "images": [{"name": name, "url": inline.images[name] if inline else urls[name],
                    "bounds": relief.bounds} for name, relief in images.items()],
    }
    top = {name: url[len("../"):] for name, url in urls.items()}
    facts = SiteFacts(urls, basemap, MapMaker.template_for(None if inline else urls),
                      MapMaker.template_for(None if inline else top))

    def inputs(index: int) -> PeriodInputs:
        view = views[index]
        found = changes_in(atlas, views[index - 1] if index else None, view, palette)
        return PeriodInputs(view, places_part(view, catalogue, palette, found), found)

    site = Site(atlas, palette, facts, inputs, catalogue.points, inline, places_script if inline else None, extras, up)
    # A lesson carries its presenter inside it: its policy allows no script file (see csp.py).
    site.common["lesson_script"] = assets["lesson.js"][1].decode("utf-8").replace("</script", "<\\/script")
    files = [] if inline else [(f"assets/{hashed}", data) for hashed, data in assets.values()]
    return site, files


def _add_asset(assets: dict[str, tuple[str, bytes]], name: str, data: bytes) -> None:
    stem, dot, suffix = name.rpartition(".")
    assets[name] = (f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}{dot}{suffix}", data)


class Site:
    """What every page of one build shares: templates, assets, the basemap, the maps; and
    where each period's inputs come from (a full build's views, or an incremental build's
    record of them)."""

    def __init__(self, atlas: Atlas, palette: Palette, facts: SiteFacts, inputs: Callable[[int], PeriodInputs],
                 points: Mapping[str, list[float]], inline: Inline | None = None,
                 places_script: str | None = None, extras: Extras | None = None, up: str = "") -> None:
        self.atlas, self.palette, self.facts, self.inputs, self.points = atlas, palette, facts, inputs, points
        self.up = up  # from the site's top folder to the build's, where the assets and media are
        self.extras = extras or Extras()
        self.inline = inline
        self.period_index = {period.id: index for index, period in enumerate(atlas.periods)}
        self.urls = facts.urls
        self.basemap = facts.basemap
        tiles = facts.basemap["tiles"]
        env = environment(atlas.source_dir, atlas.info.templates_trusted, atlas.info.language)
        self.pages = Pages(env, tile_hosts(str(layer["url"]) for layer in tiles), atlas.source_dir / "templates",
                           script_files=inline is None)
        self.common: dict[str, Any] = {"atlas": atlas.info, "periods": atlas.periods, "timeline": None,
                                       "page_css": "", "inline": inline, "assets": self.urls,
                                       "places_script": places_script, "lesson_script": None}
        self.links = link_root(atlas, inline is not None, "../")
        self.maps = MapMaker(facts.period_map)
        self.words = script_words(atlas.info.language, default_templates() / "static")

    def render(self, name: str, context: dict[str, Any], policy: Policy | None = None) -> bytes:
        """A page, with the way to the same page in each of the atlas's languages."""
        return self.pages.render(name, {**context, **alternates(self.atlas.info, context.get("page_path"), self.up)}, policy)

    def contexts(self, index: int) -> tuple[dict[str, Any], dict[str, Any], PeriodInputs]:
        """A period's page's and embed's contexts: made when the page is rendered (in
        whichever process renders it), and again for a lesson that frames the embed."""
        given = self.inputs(index)
        view = given.view
        period = view.period
        features = period_features(given.part, view.events, view.names_for, self.points, self.palette, self.extras,
                                   period.when, self.up + "../")
        strip = timeline_around(self.atlas.periods, index)
        context = {**self.common, **self._period_context(view, features), "changes": given.changes, "root": self.up + "../",
                   "timeline": strip, "page_css": strip.css(),
                   "link_root": self.links, "page_path": f"periods/{period.id}.html"}
        embed = {**context, "page_path": f"embed/{period.id}.html", "page_css": "",
                 "page_data": {**_without(context["page_data"], "sequence", "sequence_at"), "kind": "embed",
                               **_neighbours(self.atlas, index, self.links, "embed")}}
        if self.inline:  # the page's list carries each image once; its popups take it from there
            context["page_data"] = {**context["page_data"], "layers": _images_from_list(context["page_data"]["layers"])}
        return context, embed, given

    def _neighbour(self, folder: str, index: int) -> str | None:
        """In a single-file build without a public address, a page beside which this one
        should lie: if it is missing, the page was sent alone and says so (88-alone.js)."""
        if not self.inline or self.atlas.info.base_url or len(self.atlas.periods) < 2:
            return None
        other = self.atlas.periods[index + 1 if index + 1 < len(self.atlas.periods) else index - 1]
        return f"{folder}{other.id}.html"

    def period_pages(self, index: int) -> tuple[list[tuple[str, bytes]], tuple[PlacesPart, list[Change]]]:
        """A period's page and its embed, and what an incremental build keeps of its inputs."""
        period_id = self.atlas.periods[index].id
        context, embed, given = self.contexts(index)
        pages = [(f"periods/{period_id}.html", self.render("period.html", context)),
                 (f"embed/{period_id}.html", self.render("embed.html", embed))]
        return pages, (given.part, given.changes)

    def _period_context(self, view: PeriodView, features: PeriodFeatures) -> dict[str, Any]:
        atlas, period = self.atlas, view.period
        parts = self.maps.map_for(period.view, features, atlas.info.view)
        index = view.index
        src = f"{atlas.info.base_url or '../'}embed/{period.id}.html"
        dates = period.when.display(atlas.info.language)
        return {
            "period": period,
            "dates": dates,
            "map_date": map_date_text(period, atlas.info.names, atlas.info.language),
            "events": event_views(view, self.palette, self.extras, atlas.info.language, self.up + "../"),
            "legend": sections(features.legend),
            "map": parts,
            "previous": atlas.periods[index - 1] if index > 0 else None,
            "next": atlas.periods[index + 1] if index + 1 < len(atlas.periods) else None,
            "embed_src": src,
            "embed_code": embed_code(src, gettext("Map: %(title)s, %(dates)s") % {
                "title": period.title, "dates": dates}),
            "page_data": {
                "kind": "period", "period": period.id, "root": self.up + "../", "extent": parts.extent,
                "area": area_of_interest(features.events, period.view or atlas.info.view),
                "basemap": self.basemap, **_neighbours(atlas, index, self.links, "periods"), "map": parts.map_name,
                "layers": _layers(parts.layers, features), "marks": features.marks, "looks": features.looks,
                "dense": features.dense,
                "neighbour": self._neighbour(f"{self.links}periods/", index),
                # Every period in order (ids; their pages are in `sequence_at`): one presentation
                # runs through them all.
                "sequence": [other.id for other in atlas.periods], "sequence_at": f"{self.links}periods/",
                "words": self.words,
            },
        }

    def lesson_page(self, lesson: Lesson) -> bytes:
        """A lesson; in a single-file build its maps are `srcdoc` frames that take Leaflet, the
        styles, the relief and the places from the lesson (shared once, not once a map), and
        their event and places from the page data (a srcdoc frame has no address of its own)."""
        policy = Policy(self.pages.image_hosts, script_files=False)
        inline = self.inline

        def framed(embed: MapEmbed) -> str:
            assert inline is not None
            context = self.contexts(self.period_index[embed.period])[1]
            data = {**context["page_data"], "lesson": True, "mark": embed.event, "places": list(embed.places)}
            data["basemap"] = {**data["basemap"], "images": [{**image, "url": "shared"}
                                                             for image in data["basemap"]["images"]]}
            frame = Policy(self.pages.image_hosts, script_files=False)
            frame.allow_script(inline.js)
            frame.allow_style(inline.css)
            html = self.pages.render("embed.html", {**context, "framed": True, "framed_script": FRAMED_SCRIPT,
                                                    "page_data": data}, frame).decode()
            policy.merge(frame)
            return html

        body = render_lesson(lesson, self.atlas, framed if inline else None, gettext("Map: %(title)s, %(dates)s"))
        shared = None
        if inline:
            data = {"css": str(inline.css), "js": str(inline.js), "images": inline.images}
            shared = f"window.AtlasShared = {htmlsafe_json_dumps(data)};"
        return self.render("lesson.html", {**self.common, "lesson": lesson, "body": body, "root": self.up + "../",
                                           "lesson_words": self.words,
                                                 "link_root": self.links, "page_path": f"lessons/{lesson.id}.html",
                                                 "shared_script": shared}, policy)

    def index_page(self, overview: PeriodFeatures, counts: dict[str, int], lists: IndexLists | None = None) -> bytes:
        """The index, with its map of every event coloured by period (paths from the top folder);
        a gazetteer's draws its places instead, and lists them."""
        lists = lists or IndexLists()
        urls = {name: url[len("../"):] for name, url in self.urls.items()}
        parts = MapMaker(self.facts.index_map).map_for(None, overview, self.atlas.info.view)
        images = [{**image, "url": image["url"].removeprefix("../")} for image in self.basemap["images"]]
        data = {"kind": "index", "root": self.up, "extent": parts.extent, "previous": None, "next": None,
                "area": area_of_interest(overview.events, self.atlas.info.view),
                "basemap": {**self.basemap, "images": images}, "map": parts.map_name,
                "layers": _layers(parts.layers, overview), "marks": overview.marks, "looks": lists.looks,
                "dense": overview.dense, "neighbour": self._neighbour("periods/", -1), "words": self.words}
        periods = self.atlas.periods
        strip = timeline(periods) if 0 < len(periods) <= WHOLE else None  # past WHOLE, the list is the overview
        return self.render("index.html", {**self.common, "assets": urls, "root": self.up, "map": parts,
                                                "timeline": strip, "page_css": strip.css() if strip else "",
                                                "link_root": link_root(self.atlas, self.inline is not None, ""),
                                                "period_colours": period_colours(periods), "page_data": data,
                                                "counts": counts, "lessons": self.atlas.lessons,
                                                "undated": lists.undated, "gazetteer": lists.places,
                                                "unlisted": lists.unlisted, "as_of": lists.as_of,
                                                "page_path": "index.html",
                                                # (a gazetteer's map draws the places: its page loads them)
                                                **({} if lists.places is not None else {"no_places": True})})

    def notes_page(self, notes: list[NoteView]) -> bytes:
        """The author's notes for teachers (atlas.yaml `notes: {teacher_page: true}`)."""
        urls = {name: url[len("../"):] for name, url in self.urls.items()}
        return self.render("notes.html", {**self.common, "assets": urls, "root": self.up, "notes": notes,
                                                "page_path": "notes.html"})

    def compare_page(self, changes: Sequence[Sequence[Change]], geometry: Mapping[str, Geometry]) -> bytes:
        """Two periods' maps side by side, and what changed between their days: each period's
        own changes (those since the map before it, as its page lists them), which the page
        joins for the periods between the two chosen, with where each changed place lies."""
        urls = {name: url[len("../"):] for name, url in self.urls.items()}
        periods = [{"id": p.id, "title": p.title, "dates": p.when.display(self.atlas.info.language),
                    "map_date": map_date_text(p, self.atlas.info.names, self.atlas.info.language),
                    "changes": [compare_change(change, geometry) for change in found]}
                   for p, found in zip(self.atlas.periods, changes, strict=True)]
        return self.render("compare.html", {**self.common, "assets": urls, "root": self.up,
                                                  "link_root": link_root(self.atlas, self.inline is not None, ""),
                                                  "page_path": "compare.html",
                                                  "page_data": {"kind": "compare", "periods": periods, "words": self.words}})


def compare_change(change: Change, geometry: Mapping[str, Geometry]) -> dict[str, Any]:
    """A change as the compare view lists it, with the bounds of its place (none for a line
    about many places): the maps are fitted to these, and a tap on the change focuses them."""
    shape = geometry.get(change.place) if change.place else None
    return {"kind": change.kind, "text": change.text, "date": change.date, "place": change.place,
            "bounds": bounds([{"geometry": shape}]) if shape else None}


def _layers(names: dict[str, str], features: PeriodFeatures) -> list[dict[str, Any]]:
    """The map's layers, bottom to top, as a list (JSON objects are written with sorted
    keys): the page's script puts each place of the catalogue in the layer of its shape;
    the events come whole."""
    return [{"kind": kind, "name": names[kind], **({"features": features.events} if kind == "events" else {})}
            for kind in LAYERS]


def _images_from_list(layers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The layers with each inline image of an event named, not carried again: a single-file
    period page has it in its list already (an embed, which has no list, keeps it)."""
    def lighter(feature: dict[str, Any]) -> dict[str, Any]:
        media = feature["properties"].get("media")
        if not media:
            return feature
        kept = [{**item, "src": "list"} if item["kind"] == "image" and item["src"].startswith("data:") else item
                for item in media]
        return {**feature, "properties": {**feature["properties"], "media": kept}}

    return [{**layer, "features": [lighter(f) for f in layer["features"]]} if "features" in layer else layer
            for layer in layers]


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


def _without(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    """The page data less what a page of another kind does not use (an embed presents no slides)."""
    return {key: value for key, value in data.items() if key not in keys}


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
