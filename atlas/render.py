"""Render the site: every page through Jinja templates, every asset with a content hash.

Templates are looked up in the atlas's own `templates/` first and the defaults last;
`default/page.html` always names the default, so a user's template can extend it.
All user text reaches HTML through autoescaping and JavaScript through `tojson`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

import jinja2
import xstatic.pkg.leaflet

from .basemap import ATTRIBUTION, offline_basemap
from .export import atlas_geojson
from .features import Palette, PeriodFeatures, bounds, palette_for, period_features
from .inline import inline_assets
from .lessons import render_lesson
from .maps import period_map, tile_layers
from .model import Atlas, Event, Period
from .periods import events_in, name_in
from .resolve import Geometry

PACKAGE_DATA = Path(__file__).parent / "_data"
REPO_ROOT = Path(__file__).parent.parent


def default_templates() -> Path:
    """The default templates: packaged beside the code in a wheel, at the repo root in a checkout."""
    packaged = PACKAGE_DATA / "templates"
    return packaged if packaged.is_dir() else REPO_ROOT / "templates"


def environment(source_dir: Path) -> jinja2.Environment:
    defaults = jinja2.FileSystemLoader(default_templates())
    loaders: list[jinja2.BaseLoader] = []
    if (source_dir / "templates").is_dir():
        loaders.append(jinja2.FileSystemLoader(source_dir / "templates"))
    loaders += [defaults, jinja2.PrefixLoader({"default": defaults})]
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def hashed_assets(source_dir: Path) -> dict[str, tuple[str, bytes]]:
    """Asset name → (file name with a content hash, bytes): Leaflet and our static files."""
    files: dict[str, Path] = {}
    leaflet = Path(xstatic.pkg.leaflet.BASE_DIR)
    files["leaflet.js"] = leaflet / "leaflet.js"
    files["leaflet.css"] = leaflet / "leaflet.css"
    for folder in (default_templates() / "static", source_dir / "templates" / "static"):
        if folder.is_dir():
            files.update((path.name, path) for path in sorted(folder.iterdir()) if path.is_file())
    assets = {}
    for name, path in files.items():
        data = path.read_bytes()
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
    env = environment(atlas.source_dir)
    assets = hashed_assets(atlas.source_dir)
    relief = offline_basemap(atlas_extent(geometry)) if "offline" in atlas.info.basemaps else None
    if relief:
        assets["basemap.webp"] = (f"basemap.{hashlib.sha256(relief.image).hexdigest()[:10]}.webp", relief.image)
    inline = inline_assets(assets) if single_file else None
    site: dict[str, bytes] = {} if inline else {f"assets/{hashed}": data for hashed, data in assets.values()}
    urls = {name: f"../assets/{hashed}" for name, (hashed, _) in assets.items()}
    basemap: dict[str, Any] = {"tiles": tile_layers(atlas.info.basemaps), "image": None}
    if relief:
        image = inline.images["basemap.webp"] if inline else urls["basemap.webp"]
        basemap["image"] = {"url": image, "bounds": relief.bounds, "attribution": ATTRIBUTION}
    palette = palette_for(atlas)
    common: dict[str, Any] = {"atlas": atlas.info, "periods": atlas.periods, "timeline": timeline(atlas.periods),
                              "inline": inline, "assets": urls}
    embeds: dict[str, dict[str, Any]] = {}
    counts: dict[str, int] = {}  # each period's number of events, for the index
    for index, period in enumerate(atlas.periods):
        context = {**common, **_period_context(atlas, period, index, geometry, palette, None if inline else urls,
                                               basemap), "root": "../"}
        site[f"periods/{period.id}.html"] = _page(env, "period.html", context)
        counts[period.id] = len(context["events"])
        embeds[period.id] = {**context, "page_data": {**context["page_data"], "kind": "embed"}}
        site[f"embed/{period.id}.html"] = _page(env, "embed.html", embeds[period.id])

    def framed(period_id: str, event_id: str | None) -> str:
        """An embed page for a single-file lesson's iframe: it takes Leaflet, the styles and
        the relief from the lesson around it (shared once, not once a map), and its event
        from the page data (a srcdoc frame has no #fragment)."""
        context = embeds[period_id]
        data = {**context["page_data"], "open": event_id}
        if data["basemap"]["image"]:
            data["basemap"] = {**data["basemap"], "image": {**data["basemap"]["image"], "url": "shared"}}
        return _page(env, "embed.html", {**context, "framed": True, "page_data": data}).decode()

    shared = {"css": str(inline.css), "js": str(inline.js), "basemap": inline.images.get("basemap.webp")} if inline else None

    for lesson in atlas.lessons:
        body = render_lesson(lesson, atlas, framed if inline else None)
        site[f"lessons/{lesson.id}.html"] = _page(env, "lesson.html", {**common, "lesson": lesson, "body": body,
                                                                       "root": "../", "shared": shared})
    index_assets = {name: url[len("../"):] for name, url in urls.items()}
    site["index.html"] = _page(env, "index.html", {**common, "assets": index_assets, "counts": counts, "root": "",
                                                   "lessons": atlas.lessons})
    site["data/atlas.geojson"] = atlas_geojson(atlas, geometry).encode("utf-8")
    return site


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
    return {
        "period": period,
        "dates": period.when.display(),
        "events": event_views(atlas, period, shown_events),
        "legend": features.legend,
        "map": parts,
        "previous": previous,
        "next": following,
        "page_data": {
            "kind": "period",
            "period": period.id,
            "extent": parts.extent,
            "basemap": basemap,
            "previous": f"{previous.id}.html" if previous else None,
            "next": f"{following.id}.html" if following else None,
            "map": parts.map_name,
            "layers": parts.layers,
        },
    }


def _page(env: jinja2.Environment, name: str, context: dict[str, Any]) -> bytes:
    return env.get_template(name).render(context).encode("utf-8")

