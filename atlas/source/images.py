"""Decoding an image from the atlas folder, whose files may come from anyone.

Only the formats a web page shows are decoded: JPEG, PNG, GIF, WebP, and AVIF where the
installed Pillow reads it. What a file is comes from its first bytes, and its name must
say the same: a PostScript file named `poster.jpg` is refused as PostScript. Pillow is
then told the one reader to use, so no other is ever tried; none of these five starts
another program (Pillow's EPS reader starts Ghostscript, and is never reached).

Before any pixel is decoded, the size the header declares, the frames of an animation
and the scans of a progressive JPEG are checked against limits; whatever a decoder raises
on damaged or hostile bytes becomes a plain message. Only the first frame is decoded: a
page shows a still picture.
"""

from __future__ import annotations

import io
import struct
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

MAX_PIXELS = 50_000_000  # more than any photograph needs; past it, a decompression bomb
MAX_FRAMES = 1000  # an animation is shown by its first frame; a longer one is refused unread
MAX_SCANS = 100  # a progressive JPEG has about ten; each one more decodes the whole image again


@dataclass(frozen=True)
class Format:
    """A format atlas reads: as a reader knows it, Pillow's reader for it, its file names."""

    label: str
    pillow: str
    suffixes: tuple[str, ...]
    article: str = "a"

    def __str__(self) -> str:
        return f"{self.article} {self.label} image"


FORMATS = (Format("JPEG", "JPEG", (".jpg", ".jpeg")), Format("PNG", "PNG", (".png",)),
           Format("GIF", "GIF", (".gif",)), Format("WebP", "WEBP", (".webp",)), Format("AVIF", "AVIF", (".avif",), "an"))
LISTED = "JPEG, PNG, GIF, WebP or AVIF"
READS_ONLY = "atlas reads only JPEG, PNG, GIF, WebP and AVIF images"
CONVERT_TIFF = "convert it to PNG (or JPEG, for a photograph)"
NO_TIFF = f"atlas does not read TIFF; {CONVERT_TIFF}"

# Other files an image's name may hide, known by their first bytes (only to say what a
# refused file is: none of them is ever decoded), and what to say about each.
OTHERS = {
    "TIFF": ("a TIFF image", NO_TIFF),
    "EPS": ("a PostScript (EPS) file", READS_ONLY),
    "PDF": ("a PDF document", READS_ONLY),
    "SVG": ("an SVG drawing", "SVG is refused, as it can carry script"),
    "XML": ("an HTML or XML text", READS_ONLY),
    "BMP": ("a BMP image", READS_ONLY + "; convert it to PNG"),
    "DDS": ("a DDS texture", READS_ONLY),
    "BLP": ("a BLP texture", READS_ONLY),
    "PSD": ("a Photoshop (PSD) file", READS_ONLY + "; export it as PNG or JPEG"),
    "JPEG 2000": ("a JPEG 2000 image", READS_ONLY),
    "HEIC": ("a HEIC photo (as phones take them)", "atlas does not read HEIC; convert it to JPEG"),
    "QOI": ("a QOI image", READS_ONLY),
    "IM": ("an IM image", READS_ONLY),
    "ZIP": ("a ZIP archive (or an office document)", READS_ONLY),
    "ISO": ("a video or other ISO media file", READS_ONLY),
}
_SIGNATURES = ((b"\xff\xd8\xff", "JPEG"), (b"\x89PNG\r\n\x1a\n", "PNG"), (b"GIF87a", "GIF"), (b"GIF89a", "GIF"),
               (b"II*\0", "TIFF"), (b"MM\0*", "TIFF"), (b"II+\0", "TIFF"), (b"MM\0+", "TIFF"), (b"%!PS", "EPS"),
               (b"\xc5\xd0\xd3\xc6", "EPS"), (b"%PDF", "PDF"), (b"BM", "BMP"), (b"DDS ", "DDS"), (b"BLP1", "BLP"),
               (b"BLP2", "BLP"), (b"8BPS", "PSD"), (b"\0\0\0\x0cjP  \r\n\x87\n", "JPEG 2000"),
               (b"\xff\x4f\xff\x51", "JPEG 2000"), (b"qoif", "QOI"), (b"Image type:", "IM"), (b"PK\x03\x04", "ZIP"))
_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}


class Undecodable(Exception):
    """An image atlas will not or cannot decode; the message, for a `path:line:` problem."""


# What Pillow's readers raise on damaged or hostile bytes: ZeroDivisionError, OverflowError
# and IndexError among them, from a size or an offset of nonsense; RuntimeError from the
# AVIF decoder.
DECODER_ERRORS = (OSError, ValueError, SyntaxError, struct.error, EOFError, ArithmeticError, LookupError, TypeError,
                  RuntimeError)


def named(written: str) -> Format | None:
    """The format a file's name says it is, if one atlas reads."""
    suffix = "." + written.rsplit(".", 1)[-1].lower() if "." in written else ""
    return next((fmt for fmt in FORMATS if suffix in fmt.suffixes), None)


def name_problem(written: str) -> str | None:
    """What is wrong with an image file's name, if its suffix names no format atlas reads."""
    if named(written):
        return None
    if written.lower().endswith((".tif", ".tiff")):
        return f"image file '{written}' is a TIFF image, which atlas does not read: {CONVERT_TIFF}"
    svg = " (SVG is refused: it can carry script)" if written.lower().endswith(".svg") else ""
    return f"image file '{written}' should be a {LISTED} image{svg}"


def sniffed(data: bytes) -> str | None:
    """What a file is, by its first bytes: a format's label, a key of OTHERS, or None."""
    kind = next((kind for prefix, kind in _SIGNATURES if data.startswith(prefix)), None)
    if kind:
        return kind
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "WebP"
    if data[4:8] == b"ftyp":
        size = int.from_bytes(data[:4], "big")
        brands = {data[8:12]} | {data[at:at + 4] for at in range(16, min(size, 256), 4)}
        return "AVIF" if brands & {b"avif", b"avis"} else "HEIC" if brands & _HEIC_BRANDS else "ISO"
    text = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<"):
        return "SVG" if b"<svg" in text else "XML"
    return None


def decode(data: bytes, written: str) -> Image.Image:
    """The image's first frame, upright, as 8-bit RGB or RGBA; or Undecodable."""
    fmt = _format(data, written)
    image = _opened(data, fmt, written)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow's notes on odd files would be lines without a `path:line`
            return _eight_bit(image)
    except DECODER_ERRORS:
        raise Undecodable(_damaged(written)) from None


def _format(data: bytes, written: str) -> Format:
    """The format of an image atlas reads, whose content and name agree."""
    fmt, kind = named(written), sniffed(data)
    if fmt is None:
        raise Undecodable(name_problem(written) or "")
    if kind in OTHERS:
        what, advice = OTHERS[kind]
        raise Undecodable(f"image '{written}' is really {what}, not {fmt}: {advice}")
    found = next((other for other in FORMATS if other.label == kind), None)
    if found is None:
        raise Undecodable(f"'{written}' is not an image atlas can read ({LISTED})")
    if found != fmt:
        raise Undecodable(f"image '{written}' is {found}, but its name ends in "
                          f".{written.rsplit('.', 1)[-1]}: rename it to end in {found.suffixes[0]}")
    if fmt.label == "AVIF" and not reads_avif():
        raise Undecodable(f"image '{written}' is an AVIF image, which this installation of atlas cannot read (its "
                          "Pillow has no AVIF support): convert it to JPEG or PNG")
    return fmt


def reads_avif() -> bool:
    """Whether the installed Pillow reads AVIF (a recent one may; an older one knows no such module)."""
    from PIL import features

    return "avif" in features.modules and bool(features.check_module("avif"))


def _opened(data: bytes, fmt: Format, written: str) -> Image.Image:
    """The image with its header read and its limits checked, its pixels not yet decoded."""
    from PIL import Image

    if fmt.label == "JPEG" and data.count(b"\xff\xda") > MAX_SCANS:  # SOS: a scan starts (never inside one)
        raise Undecodable(f"image '{written}' is a progressive JPEG of more than {MAX_SCANS} scans, each decoded "
                          "over the whole image: save it again as an ordinary JPEG")
    if fmt.label == "GIF" and _gif_frames(data, MAX_FRAMES) > MAX_FRAMES:
        raise Undecodable(_too_many_frames(written))
    too_large = f"image '{written}' has more than the {MAX_PIXELS // 1_000_000} million pixels atlas reads: make it smaller"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow's bomb warning (ours is the limit below), its notes on odd files
            image = Image.open(io.BytesIO(data), formats=[fmt.pillow])  # that reader alone
    except Image.DecompressionBombError:
        raise Undecodable(too_large) from None
    except DECODER_ERRORS:
        raise Undecodable(_damaged(written)) from None
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise Undecodable(too_large.replace("has more", f"is {width}×{height} pixels, more"))
    if width < 1 or height < 1:
        raise Undecodable(_damaged(written))
    if fmt.label != "GIF" and getattr(image, "n_frames", 1) > MAX_FRAMES:  # from the header: never counted by seeking
        raise Undecodable(_too_many_frames(written))
    return image


def _too_many_frames(written: str) -> str:
    return (f"image '{written}' is an animation of more than {MAX_FRAMES} frames: a page shows only the first, so "
            "save that one as a PNG")


def _damaged(written: str) -> str:
    return f"image '{written}' is damaged: it cannot be read whole (open it in an image editor and save it again)"


def _gif_frames(data: bytes, limit: int) -> int:
    """A GIF's frames, counted up to `limit + 1`: its blocks are stepped over, never decoded
    (Pillow would count them all, however many)."""
    at, frames = 13 + _colour_table(data, 10), 0
    while at < len(data) and frames <= limit:
        if data[at] == 0x2C:  # an image: 9 bytes of position, size and flags, a table, the code size
            frames += 1
            at = _after_sub_blocks(data, at + 11 + _colour_table(data, at + 9))
        elif data[at] == 0x21:  # an extension: its label, then its data
            at = _after_sub_blocks(data, at + 2)
        else:
            break  # the trailer, or damage that the decoder will find
    return frames


def _colour_table(data: bytes, flags_at: int) -> int:
    flags = data[flags_at] if flags_at < len(data) else 0
    return 3 << ((flags & 7) + 1) if flags & 0x80 else 0


def _after_sub_blocks(data: bytes, at: int) -> int:
    while at < len(data) and data[at]:
        at += data[at] + 1
    return at + 1


def _eight_bit(image: Image.Image) -> Image.Image:
    """The first frame, turned by its EXIF orientation, as RGB or RGBA (its colour profile
    kept, its other metadata dropped): 16-bit scans scaled down, not clipped to white."""
    from PIL import ImageOps

    profile = image.info.get("icc_profile")
    image.load()
    image = ImageOps.exif_transpose(image)
    if image.mode in ("I", "F") or image.mode.startswith("I;16"):
        image = image.convert("I") if image.mode != "F" else image
        top = image.getextrema()[1] or 1
        assert isinstance(top, (int, float))
        image = image.point(lambda value: value * 255 / (65535 if top > 255 else 255)).convert("L")
    converted = image.convert("RGBA" if _has_alpha(image) else "RGB")
    if profile:
        converted.info["icc_profile"] = profile
    return converted


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
