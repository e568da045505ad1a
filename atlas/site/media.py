"""What events and places carry besides their text: images, quotations, links, areas.

An image in the atlas folder is read once, decoded (atlas/source/images.py: only the formats a page
shows, within limits), turned upright by its EXIF orientation, stripped of its metadata
(a phone's photo carries where it was taken), and written into `media/` at a few widths
as WebP, each file named after the image's content: `media/<name>.<hash>-<width>.webp`.
A page then offers them as a `srcset`, and the browser takes the width it needs. A
single-file build carries one width of each, inline, as a `data:` URI.

The build never fetches anything: a `url:` item (allowed only by atlas.yaml's
`media: {remote: true}`) is linked, with its credit, never shown inline.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from atlas.errors import AtlasError, Origin, Problem
from atlas.geo.resolve import Geometry
from atlas.source import images
from atlas.source.model import Atlas, Media
from atlas.source.translations import lang_of
from atlas.util import files

WIDTHS = (480, 960, 1600)  # a phone's list, a laptop's slide, a projector's slide
INLINE_WIDTH = 960
QUALITY = 80
MAX_SIDE = 4000  # pixels: a tall scan is shown no taller (WebP itself stops at 16,383)


@dataclass(frozen=True)
class Picture:
    """An image as the pages offer it: addresses from the site's top folder."""

    src: str  # the middle width (or a data: URI)
    srcset: str  # "media/a.1f2e-480.webp 480w, …" ("" when inline)
    width: int  # of `src`
    height: int


@dataclass(frozen=True)
class Extras:
    """What a build made for its events beyond their places: each image's pictures (by
    its path as written) and each area file's geometry (by its path)."""

    pictures: dict[str, Picture] = field(default_factory=dict)
    areas: dict[str, Geometry] = field(default_factory=dict)


def all_media(atlas: Atlas) -> Iterable[Media]:
    for event in atlas.events:
        yield from event.media
    for place in atlas.places:
        yield from place.media


def first_uses(atlas: Atlas) -> dict[str, Origin]:
    """Each image file the atlas shows, and where it is first named."""
    found: dict[str, Origin] = {}
    for medium in all_media(atlas):
        if medium.file:
            found.setdefault(medium.file, medium.origin)
    return found


def problems(atlas: Atlas) -> list[Problem]:
    """The images that cannot be shown: unreadable, not images, damaged, too large (for
    `atlas check`; a build finds them as it makes the pictures, decoding each once)."""
    found = []
    for written, origin in first_uses(atlas).items():
        try:
            _open(atlas, written, origin)
        except AtlasError as err:
            found += err.problems
    return found


def _open(atlas: Atlas, written: str, origin: Origin) -> tuple[Any, bytes]:
    """The image, decoded whole and upright, as 8-bit RGB or RGBA, and the file's bytes."""
    try:
        data = files.read_bytes(atlas.source_dir, atlas.source_dir / written)
    except files.Unreadable as err:
        raise AtlasError([Problem(origin, f"cannot read image '{written}': it {err}")]) from None
    try:
        return images.decode(data, written), data
    except images.Undecodable as err:
        raise AtlasError([Problem(origin, str(err))]) from None


def make_pictures(atlas: Atlas, single_file: bool) -> tuple[dict[str, Picture], list[tuple[str, bytes]], list[Problem]]:
    """Every image's pictures, the files to write (none when inline), and the images that
    cannot be shown."""
    pictures: dict[str, Picture] = {}
    written: list[tuple[str, bytes]] = []
    found: list[Problem] = []
    for path, origin in first_uses(atlas).items():
        try:
            pictures[path], out = _picture(atlas, path, origin, single_file)
        except AtlasError as err:
            found += err.problems
            continue
        written += out
    return pictures, written, found


def _picture(atlas: Atlas, written: str, origin: Origin, single_file: bool) -> tuple[Picture, list[tuple[str, bytes]]]:
    from PIL import Image

    image, data = _open(atlas, written, origin)
    stem = re.sub(r"[^a-z0-9]+", "-", written.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()).strip("-") or "image"
    digest = hashlib.sha256(data).hexdigest()[:10]
    # Never wider than the original (no blur from enlarging), never taller than MAX_SIDE.
    widest = min(image.width, max(1, image.width * MAX_SIDE // image.height))
    widths = sorted({min(width, widest) for width in ((INLINE_WIDTH,) if single_file else WIDTHS)})
    made = []
    for width in widths:
        height = max(1, round(image.height * width / image.width))
        resized = image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        try:
            resized.save(buffer, "WEBP", quality=QUALITY, method=4, icc_profile=image.info.get("icc_profile"))
        except (OSError, ValueError) as err:
            raise AtlasError([Problem(origin, f"image '{written}' cannot be written as WebP ({err})")]) from None
        made.append((f"media/{stem}.{digest}-{width}.webp", buffer.getvalue(), width, height))
    middle = made[min(1, len(made) - 1)]
    if single_file:
        uri = "data:image/webp;base64," + base64.b64encode(middle[1]).decode("ascii")
        return Picture(uri, "", middle[2], middle[3]), []
    srcset = ", ".join(f"{name} {width}w" for name, _, width, _ in made)
    return Picture(middle[0], srcset, middle[2], middle[3]), [(name, out) for name, out, _, _ in made]


def media_json(items: Sequence[Media], pictures: dict[str, Picture], root: str) -> list[dict[str, Any]]:
    """An event's or place's media as its page shows them; addresses start at `root` (the
    way from the page to the site's top folder)."""
    out: list[dict[str, Any]] = []
    for item in items:
        if item.quote:
            out.append({"kind": "quote", "quote": item.quote, "source": item.source, "caption": item.caption,
                        **_lang(item.quote)})
        elif item.url:
            out.append({"kind": "link", "url": item.url, "alt": item.alt, "caption": item.caption,
                        "credit": item.credit})
        elif item.file in pictures:
            picture = pictures[item.file]
            inline = picture.src.startswith("data:")
            srcset = ", ".join(root + part for part in picture.srcset.split(", ")) if picture.srcset else ""
            out.append({"kind": "image", "src": picture.src if inline else root + picture.src, "srcset": srcset,
                        "width": picture.width, "height": picture.height, "alt": item.alt, "caption": item.caption,
                        "credit": item.credit, **_lang(item.alt)})
    return out


def _lang(text: str) -> dict[str, str]:
    """`lang` for text in the main language standing in for a translation (the popup says so)."""
    lang = lang_of(text)
    return {"lang": lang} if lang else {}
