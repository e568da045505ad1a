"""Render the site: every page through Jinja templates, every asset with a content hash.

Templates are looked up in the atlas's own `templates/` first and the defaults last;
`default/page.html` always names the default, so a user's template can extend it.
All user text reaches HTML through autoescaping and JavaScript through `tojson`.
"""

from __future__ import annotations

import hashlib
import math
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any, TypedDict

import jinja2
import xstatic.pkg.leaflet
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from . import files
from .basemap import ATTRIBUTION, Basemap, native_zoom, offline_basemap, world_basemap
from .changes import changes_between
from .csp import Policy, tile_hosts
from .errors import AtlasError, display_path
from .export import atlas_geojson
from .features import PeriodFeatures, bounds, mark_changes, period_features
from .inline import Inline, inline_assets
from .legend import Palette, palette_for, sections
from .lessons import render_lesson
from .maps import LAYERS, period_map, tile_layers
from .model import Atlas, Event, Lesson, Period
from .periods import events_in, name_in
from .resolve import Geometry

PACKAGE_DATA = Path(__file__).parent / "_data"
REPO_ROOT = Path(__file__).parent.parent


def default_templates() -> Path:
    """The default templates: packaged beside the code in a wheel, at the repo root in a checkout."""
    packaged = PACKAGE_DATA / "templates"
    return packaged if packaged.is_dir() else REPO_ROOT / "templates"


class AtlasSandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox, and no paths: a template given a `Path` could read any file."""

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, PurePath) or isinstance(value, PurePath):
            return False
        return bool(super().is_safe_attribute(obj, attr, value))


class AtlasTemplates(jinja2.BaseLoader):
    """The atlas's own templates/: only regular files inside the atlas folder are read."""

    def __init__(self, source_dir: Path) -> None:
        self.source_dir = source_dir
        self.folder = source_dir / "templates"

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self.folder.joinpath(*split_template_path(template))
        if not path.exists() and not path.is_symlink():
            raise jinja2.TemplateNotFound(template)
        try:
            return files.read_text(self.source_dir, path), str(path), lambda: True
        except files.Unreadable as err:
            raise AtlasError(f"{display_path(path)}:1: {err}") from err


def environment(source_dir: Path, trusted: bool = False) -> jinja2.Environment:
    """Templates are looked up in the atlas's templates/ first, the defaults last. An
    atlas's own templates are code from whoever wrote the atlas: they run in Jinja's
    sandbox unless atlas.yaml says `templates: {trusted: true}`."""
    defaults = jinja2.FileSystemLoader(default_templates())
    loaders: list[jinja2.BaseLoader] = []
    own = (source_dir / "templates").is_dir()
    if own:
        loaders.append(AtlasTemplates(source_dir))
    loaders += [defaults, jinja2.PrefixLoader({"default": defaults})]
    kind = AtlasSandbox if own and not trusted else jinja2.Environment
    return kind(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def hashed_assets(source_dir: Path) -> dict[str, tuple[str, bytes]]:
    """Asset name → (file name with a content hash, bytes): Leaflet and our static files,
    then the atlas's own templates/static files (each a regular file inside the atlas)."""
    found: dict[str, bytes] = {}
    leaflet = Path(xstatic.pkg.leaflet.BASE_DIR)
    found["leaflet.js"] = (leaflet / "leaflet.js").read_bytes()
    found["leaflet.css"] = (leaflet / "leaflet.css").read_bytes()
    ours = default_templates() / "static"
    found.update((path.name, path.read_bytes()) for path in sorted(ours.iterdir()) if path.is_file())
    # The page script is written in parts, one concern a file (static/js/NN-name.js),
    # joined here in the order of their names; an atlas may replace or add parts.
    parts = {path.name: path.read_bytes() for path in sorted((ours / "js").glob("*.js"))}
    theirs = source_dir / "templates" / "static"
    if theirs.is_dir():
        for path in sorted([*theirs.iterdir(), *theirs.glob("js/*.js")]):
            if path.is_dir() and not path.is_symlink():
                continue
            try:
                data = files.read_bytes(source_dir, path)
            except files.Unreadable as err:
                raise AtlasError(f"{display_path(path)}:1: {err}") from err
            (parts if path.parent.name == "js" else found)[path.name] = data
    found.setdefault("atlas.js", b"\n;\n".join(data for _, data in sorted(parts.items())))
    assets = {}
    for name, data in found.items():
        stem, dot, suffix = name.rpartition(".")
        digest = hashlib.sha256(data).hexdigest()[:10]
        assets[name] = (f"{stem}.{digest}{dot}{suffix}", data)
    return assets


class TimelineEntry(TypedDict):
    id: str
    title: str
    dates: str
    left: float
    width: float


def timeline(periods: Sequence[Period]) -> list[TimelineEntry]:
    """Each period's place on a strip proportional to the dates (open ends clamp to the atlas)."""
    starts = [p.when.start.ordinal() for p in periods if p.when.start]
    ends = [p.when.end.ordinal() for p in periods if p.when.end]
    low = min(starts + ends, default=0)
    high = max(starts + ends, default=1)
    span = max(high - low + 1, 1)
    entries: list[TimelineEntry] = []
    for period in periods:
        first = period.when.start.ordinal() if period.when.start else low
        last = period.when.end.ordinal() if period.when.end else high
        entries.append({
            "id": period.id, "title": period.title, "dates": period.when.display(),
            "left": round(100 * (first - low) / span, 3),
            "width": round(max(100 * (last - first + 1) / span, 0.5), 3),
        })
    return entries


def timeline_css(entries: Sequence[TimelineEntry]) -> str:
    """Where each period sits on the strip, as rules of the page's own stylesheet (style
    attributes would need the policy to allow inline styles). Ids are slugs: safe in CSS."""
    return "".join(f"#timeline-{e['id']}{{left:{e['left']}%;width:{e['width']}%}}" for e in entries)


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
    reliefs = _reliefs(atlas, geometry)
    for name, relief in reliefs.items():
        stem = name.rpartition(".")[0]
        assets[name] = (f"{stem}.{hashlib.sha256(relief.image).hexdigest()[:10]}.webp", relief.image)
    inline = inline_assets(assets) if single_file else None
    site: dict[str, bytes] = {} if inline else {f"assets/{hashed}": data for hashed, data in assets.values()}
    urls = {name: f"../assets/{hashed}" for name, (hashed, _) in assets.items()}
    tiles = tile_layers(atlas.info.basemaps)
    pages = Pages(env, tile_hosts(str(layer["url"]) for layer in tiles), atlas.source_dir / "templates")
    basemap: dict[str, Any] = {
        "tiles": tiles, "attribution": ATTRIBUTION if reliefs else None, "maxZoom": max_zoom(atlas, reliefs, tiles),
        # Bottom first: the world, then the detailed cut. A framed map names its image and
        # takes the data from its lesson, which carries each once for all its maps.
        "images": [{"name": name, "url": inline.images[name] if inline else urls[name], "bounds": relief.bounds}
                   for name, relief in reliefs.items()],
    }
    palette = palette_for(atlas)
    entries = timeline(atlas.periods)
    common: dict[str, Any] = {"atlas": atlas.info, "periods": atlas.periods, "timeline": entries,
                              "page_css": timeline_css(entries), "inline": inline, "assets": urls}
    embeds: dict[str, dict[str, Any]] = {}
    counts: dict[str, int] = {}  # each period's number of events, for the index
    for index, period in enumerate(atlas.periods):
        context = {**common, **_period_context(atlas, period, index, geometry, palette, None if inline else urls,
                                               basemap), "root": "../"}
        site[f"periods/{period.id}.html"] = pages.render("period.html", context)
        counts[period.id] = len(context["events"])
        embeds[period.id] = {**context, "page_data": {**context["page_data"], "kind": "embed"}}
        site[f"embed/{period.id}.html"] = pages.render("embed.html", embeds[period.id])

    for lesson in atlas.lessons:
        site[f"lessons/{lesson.id}.html"] = _lesson_page(pages, lesson, atlas, common, embeds, inline)
    index_assets = {name: url[len("../"):] for name, url in urls.items()}
    top = {**common, "assets": index_assets, "root": ""}
    site["index.html"] = pages.render("index.html", {**top, "counts": counts, "lessons": atlas.lessons})
    periods = [{"id": p.id, "title": p.title, "dates": p.when.display()} for p in atlas.periods]
    site["compare.html"] = pages.render("compare.html", {**top, "page_data": {"kind": "compare", "periods": periods}})
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


@dataclass(frozen=True)
class Pages:
    """Renders pages, each with its own Content-Security-Policy (see csp.py)."""

    env: jinja2.Environment
    image_hosts: tuple[str, ...]
    own_templates: Path  # the atlas's templates/ folder: its errors are the author's

    def policy(self) -> Policy:
        return Policy(self.image_hosts)

    def render(self, name: str, context: dict[str, Any], policy: Policy | None = None) -> bytes:
        policy = policy or self.policy()
        try:
            html = self.env.get_template(name).render({**context, "csp": policy})
        except jinja2.TemplateError as err:
            mistake = self._mistake(err)
            if mistake is None:
                raise
            raise mistake from err
        return policy.seal(html).encode("utf-8")

    def _mistake(self, err: jinja2.TemplateError) -> AtlasError | None:
        """An error in one of the atlas's own templates, as `templates/x.html:LINE: message`
        (None when the error lies in our default templates: that is a bug of ours)."""
        where: tuple[str, int] | None = None
        if isinstance(err, jinja2.TemplateSyntaxError) and err.filename:
            where = (err.filename, err.lineno)
        for frame in traceback.extract_tb(err.__traceback__):  # Jinja names template frames by file
            if frame.filename.endswith(".html") and frame.lineno is not None:
                where = (frame.filename, frame.lineno)
        if where is None or self.own_templates.resolve() not in Path(where[0]).resolve().parents:
            return None
        what = "not allowed in a sandboxed template (see SECURITY.md)" if isinstance(err, SecurityError) else ""
        message = f"{err.message or type(err).__name__}{': ' + what if what else ''}"
        return AtlasError(f"{display_path(Path(where[0]))}:{where[1]}: template error: {message}")


def _reliefs(atlas: Atlas, geometry: dict[str, Geometry]) -> dict[str, Basemap]:
    """The offline relief images, by asset name, bottom first (none when tiles alone are chosen)."""
    if "offline" not in atlas.info.basemaps:
        return {}
    return {"basemap-world.webp": world_basemap(), "basemap.webp": offline_basemap(atlas_extent(geometry))}


def max_zoom(atlas: Atlas, reliefs: dict[str, Basemap], tiles: list[dict[str, Any]]) -> int:
    """How far a reader may zoom in: two levels past the detail the relief holds (or the
    tiles' own limit), and never less than the atlas's own closest view needs."""
    limits = [int(str(tile["maxZoom"])) for tile in tiles]
    if "basemap.webp" in reliefs:
        limits.append(math.ceil(native_zoom(reliefs["basemap.webp"])) + 2)
    views = [view.zoom + 1 for view in (atlas.info.view, *(period.view for period in atlas.periods)) if view]
    return min(18, max([*limits, *views, 6]))


def atlas_extent(geometry: dict[str, Geometry]) -> list[list[float]]:
    """Where the whole atlas lies: every place of every period."""
    return bounds({"geometry": shape} for shape in geometry.values()) or [[-60.0, -180.0], [75.0, 180.0]]


def _period_context(atlas: Atlas, period: Period, index: int, geometry: dict[str, Geometry],
                    palette: Palette, urls: dict[str, str] | None, basemap: dict[str, Any]) -> dict[str, Any]:
    shown_events = events_in(period, atlas.events)
    features: PeriodFeatures = period_features(atlas, period, shown_events, geometry, palette)
    parts = period_map(period, features, atlas.info.view, urls)
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
        "embed_code": embed_code(f"../embed/{period.id}.html", f"Map: {period.title}, {period.when.display()}"),
        "page_data": {
            "kind": "period",
            "period": period.id,
            "extent": parts.extent,
            "basemap": basemap,
            "previous": f"{previous.id}.html" if previous else None,
            "next": f"{following.id}.html" if following else None,
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
