"""One Folium map a period, cut into the parts our own page template places.

Each kind of feature goes in as one GeoJSON layer (an order of magnitude faster and
smaller than a folium object per marker). Popups and labels are not folium's (they do
not escape): the page's own script builds them from the features' properties with
DOM text nodes. Folium's random element ids are replaced by sequential ones so that two
builds of the same atlas are byte-identical.
"""

from __future__ import annotations

from dataclasses import dataclass

import folium
import xyzservices
from branca.element import Element, Figure
from folium.utilities import JsCode

from .features import PeriodFeatures, bounds
from .model import Period, View

# A label-free basemap: the period's own names must be the only names on the map.
BASEMAP = xyzservices.providers.Esri.WorldShadedRelief


@dataclass(frozen=True)
class MapParts:
    """What a page needs of a map: its header links, its element, its script, its names."""

    header: str
    html: str
    script: str
    map_name: str
    layers: dict[str, str]  # layer kind → JavaScript variable name


def period_map(period: Period, features: PeriodFeatures, default_view: View | None, assets: dict[str, str]) -> MapParts:
    """The period's map; `assets` maps 'leaflet.js'/'leaflet.css' to their URLs."""
    view = period.view or default_view
    fmap = folium.Map(
        location=[view.lat, view.lon] if view else [0, 0],
        zoom_start=view.zoom if view else 2,
        tiles=None,
        control_scale=True,
        width="100%",
        height="100%",
    )
    # Per-instance, never class-level: folium's lists are shared by every map in the process.
    fmap.default_js = [("leaflet", assets["leaflet.js"])]
    fmap.default_css = [("leaflet_css", assets["leaflet.css"])]
    folium.TileLayer(BASEMAP, name="Shaded relief (Esri)", control=False).add_to(fmap)
    layers = {}
    for kind, items in (("regions", features.regions), ("lines", features.lines),
                        ("points", features.points), ("events", features.events)):
        layer = folium.GeoJson(
            {"type": "FeatureCollection", "features": items},
            name=kind,
            marker=folium.CircleMarker(radius=5) if kind in ("points", "events") else None,
            on_each_feature=JsCode("Atlas.bindFeature"),
            control=False,
        )
        layer.add_to(fmap)
        layers[kind] = layer
    extent = bounds([*features.regions, *features.lines, *features.points, *features.events])
    if period.view is None and extent is not None:
        fmap.fit_bounds(extent, padding=(20, 20), max_zoom=7)
    _number_elements(fmap.get_root())
    return _parts(fmap, {kind: layer.get_name() for kind, layer in layers.items()})


def _number_elements(root: Element) -> None:
    """Replace folium's random ids by their order in the tree, depth first."""
    counter = 0
    stack = [root]
    while stack:
        element = stack.pop(0)
        element._id = str(counter)
        counter += 1
        stack[0:0] = list(element._children.values())


def _parts(fmap: folium.Map, layers: dict[str, str]) -> MapParts:
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
    )
