"""One Folium map a period, cut into the parts our own page template places.

Each kind of feature is one GeoJSON layer (an order of magnitude faster and smaller
than a folium object per marker). Folium never sees user text: branca compiles every
script folium renders as a Jinja template a second time, so a `{{ … }}` in a place's
description would run at build time. The layers are made empty here, and the page's
own script fills them from the page's JSON data, building popups and labels with DOM
text nodes. Folium's random element ids are replaced by sequential ones so that two
builds of the same atlas are byte-identical.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from atlas.site.features import PeriodFeatures
from atlas.source.model import View
from atlas.util import signed
from atlas.util.cache import cache_folder

if TYPE_CHECKING:
    import folium
    from branca.element import Element

LAYERS = ("regions", "lines", "points", "events")  # bottom to top


@dataclass(frozen=True)
class MapParts:
    """What a page needs of a map: its header links, its element, its script, its names."""

    header: str
    html: str
    script: str
    map_name: str
    layers: dict[str, str]  # layer kind → JavaScript variable name
    extent: list[list[float]] | None  # [[south, west], [north, east]] of the period's events


def tile_layers(names: tuple[str, ...]) -> list[dict[str, object]]:
    """The tile layers the page's script adds once it has chosen the view (so no tile is
    fetched for a view that is at once replaced)."""
    layers: list[dict[str, object]] = []
    if any(name != "offline" for name in names):
        import xyzservices
    for name in names:
        if name != "offline":
            provider = xyzservices.providers.query_name(name)
            layers.append({"url": provider.build_url(), "attribution": provider.html_attribution,
                           "maxZoom": provider.get("max_zoom", 18)})
    return layers


# Folium draws the same map for every period (its layers are empty: the page fills them),
# but for the first view. So it renders one map, with a view no real map has, and each
# period's map is that one with its own view written in: one folium render a build, not
# one a page (rendering compiles folium's and branca's templates every time).
SENTINEL = View(-11.2233, -33.4455, 19)


class MapMaker:
    """Makes each period's map from one folium render (see SENTINEL)."""

    @staticmethod
    def template_for(assets: dict[str, str] | None) -> MapParts:
        """Folium's map for these asset addresses, rendered once and kept in the user's
        cache (signed, see atlas/util/signed.py), keyed by folium's and branca's versions and this
        module: importing and running folium takes longer than many a build."""
        from importlib import metadata  # here: slow to import, and only a full build asks

        versions = [metadata.version(name) for name in ("folium", "branca")]
        code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
        key = hashlib.sha256(json.dumps([versions, code, assets, SENTINEL.lat]).encode()).hexdigest()[:20]
        path = cache_folder() / f"map-{key}"
        kept = signed.load(path)
        if isinstance(kept, dict):
            try:
                return MapParts(**kept)
            except TypeError:
                pass
        template = _render(SENTINEL, assets)
        with contextlib.suppress(OSError):  # a read-only home: rendered again next time
            signed.dump(path, dataclasses.asdict(template))
        return template

    def __init__(self, template: MapParts) -> None:
        self.template = template
        script = self.template.script
        self.center = f"center: [{SENTINEL.lat}, {SENTINEL.lon}]"
        self.zoom = f'"zoom": {SENTINEL.zoom},'
        if script.count(self.center) != 1 or script.count(self.zoom) != 1:
            raise RuntimeError("folium's map script changed: the sentinel view is not found once")

    def map_for(self, own_view: View | None, features: PeriodFeatures, default_view: View | None) -> MapParts:
        """A period's map (or the index's overview)."""
        view = own_view or (fitted_view(features.extent) if features.extent else default_view) or View(0, 0, 2)
        script = self.template.script.replace(self.center, f"center: [{view.lat}, {view.lon}]").replace(
            self.zoom, f'"zoom": {view.zoom},')
        return replace(self.template, script=script, extent=features.focus)


def _render(view: View, assets: dict[str, str] | None) -> MapParts:
    """`assets` maps 'leaflet.js'/'leaflet.css' to their URLs (None: the page carries
    Leaflet inline, so the map links to nothing)."""
    import folium
    from folium.utilities import JsCode

    fmap = folium.Map(location=[view.lat, view.lon], zoom_start=view.zoom, tiles=None, control_scale=True,
                      width="100%", height="100%")
    # Per-instance, never class-level: folium's lists are shared by every map in the process.
    fmap.default_js = [("leaflet", assets["leaflet.js"])] if assets else []
    fmap.default_css = [("leaflet_css", assets["leaflet.css"])] if assets else []
    layers = {}
    for kind in LAYERS:
        layer = folium.GeoJson(
            {"type": "FeatureCollection", "features": []},  # filled by the page (see above)
            name=kind,
            on_each_feature=JsCode("Atlas.bindFeature"),
            control=False,
        )
        layer.add_to(fmap)
        layers[kind] = layer
    _number_elements(fmap.get_root())
    return _parts(fmap, {kind: layer.get_name() for kind, layer in layers.items()}, None)


def fitted_view(extent: list[list[float]], width: int = 640, height: int = 480, max_zoom: int = 7) -> View:
    """The centre and zoom that show `extent` in a map of about that many pixels.

    Computed here rather than by Leaflet's fitBounds: fitBounds after the map is made
    animates from a first view whose tiles are then fetched for nothing.
    """
    (south, west), (north, east) = extent
    y_north, y_south = _mercator_y(north), _mercator_y(south)
    lon_fraction = max((east - west) / 360, 1e-9)
    lat_fraction = max((y_south - y_north), 1e-9)
    zoom_x = math.log2((width - 40) / 256 / lon_fraction)
    zoom_y = math.log2((height - 40) / 256 / lat_fraction)
    zoom = max(0, min(max_zoom, math.floor(min(zoom_x, zoom_y))))
    centre_lat = _mercator_lat((y_north + y_south) / 2)
    return View(round(centre_lat, 4), round((west + east) / 2, 4), zoom)


def _mercator_y(lat: float) -> float:
    """Web Mercator y as a fraction of the world's height, 0 at the top."""
    sin = math.sin(math.radians(max(min(lat, 85.0), -85.0)))
    return 0.5 - math.log((1 + sin) / (1 - sin)) / (4 * math.pi)


def _mercator_lat(y: float) -> float:
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y))))


def _number_elements(root: Element) -> None:
    """Replace folium's random ids by their order in the tree, depth first."""
    counter = 0
    stack = [root]
    while stack:
        element = stack.pop(0)
        element._id = str(counter)
        counter += 1
        stack[0:0] = list(element._children.values())


def _parts(fmap: folium.Map, layers: dict[str, str], extent: list[list[float]] | None) -> MapParts:
    from branca.element import Figure

    figure = fmap.get_root()
    assert isinstance(figure, Figure)
    figure.render()
    # The map's own header part holds document-wide styles (html, body at 100%, no
    # margin) and a viewport that forbids zooming; our template has its own, so only
    # the asset links are kept.
    header = "\n".join(
        child.render() for name, child in figure.header._children.items()
        if name != fmap.get_name() and name != "meta_http"
    )
    return MapParts(
        header=header,
        html=figure.html.render(),
        script=figure.script.render(),
        map_name=fmap.get_name(),
        layers=layers,
        extent=extent,
    )
