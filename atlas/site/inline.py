"""Single-file pages: every script, style and image a page uses, written into the page
itself, so that one file opens from an e-mail attachment or a learning platform upload.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from markupsafe import Markup

MEDIA_TYPES = {"webp": "image/webp", "png": "image/png", "jpg": "image/jpeg", "svg": "image/svg+xml"}


@dataclass(frozen=True)
class Inline:
    """The page's assets as text to place inside <style> and <script>, and data: URIs."""

    css: Markup
    js: Markup
    images: dict[str, str]  # asset name → data: URI


def inline_assets(assets: dict[str, tuple[str, bytes]]) -> Inline:
    """Leaflet's and our CSS and JS (in that order: ours overrides Leaflet's), and the images."""
    css = "\n".join(assets[name][1].decode("utf-8") for name in ("leaflet.css", "atlas.css"))
    js = "\n;\n".join(assets[name][1].decode("utf-8") for name in ("leaflet.js", "atlas.js"))
    images = {name: data_uri(name, data) for name, (_, data) in assets.items() if name.rpartition(".")[2] in MEDIA_TYPES}
    # A literal "</style" or "</script" inside would end the element early. Line ends are
    # made LF, as HTML parsing would: the text is hashed for the page's CSP, and a framed
    # map inserts it with textContent, which keeps CRs.
    css, js = (_lf(text) for text in (css.replace("</style", "<\\/style"), js.replace("</script", "<\\/script")))
    return Inline(Markup(css), Markup(js), images)


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def data_uri(name: str, data: bytes) -> str:
    return f"data:{MEDIA_TYPES[name.rpartition('.')[2]]};base64,{base64.b64encode(data).decode('ascii')}"
