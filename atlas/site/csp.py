"""Each page's Content-Security-Policy, as a `<meta>` tag (the pages are static files).

The policy allows only what the page itself uses: its own files ('self'), `data:`
images (the relief of a single-file page), the tile hosts the atlas configures, and
the inline scripts and styles that our templates emit, by their SHA-256 hashes. A
template emits an inline script with `{{ csp.script(code) }}`, which records its hash;
an inline script that reached the page any other way (user text that escaped its
escaping, a raw-HTML lesson) is not in the policy, and the browser refuses to run it.

A page opened from disk (file://) is where 'self' would be weakest: there it allows every
file on the disk, the atlas folder's too. So no page allows 'self' for scripts. A lesson
page, the one page with HTML written by the atlas's author, and every page of a
single-file build load no script file at all: their policy names only the hashes of their
inline scripts. The map pages of a build with an assets/ folder load Leaflet, the page
script and the places from there, each `<script>` carrying the page's nonce, which the
policy allows. The nonce is the hash of the page itself (so builds stay byte for byte the
same), filled in after rendering over a random mark that no text can know in advance:
a `<script src>` that slipped into the page any other way cannot carry it. (Hashes of
script files with `integrity=` would not do: Chromium checks a file's integrity only over
CORS, which file:// does not have.)
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from collections.abc import Iterable
from urllib.parse import urlsplit

from markupsafe import Markup, escape

CHARSET = re.compile(r"<meta charset=[^>]*>", re.IGNORECASE)
HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _normal(text: str) -> str:
    """The text as the browser hashes it: HTML parsing turns CR LF and CR into LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def tile_hosts(urls: Iterable[str]) -> tuple[str, ...]:
    """The CSP sources of tile URL templates: `https://{s}.tile.example.org/{z}/…` is
    `https://*.tile.example.org`."""
    hosts = []
    for url in urls:
        parts = urlsplit(url)
        host = re.sub(r"\{[^}]*\}", "*", parts.hostname or "")
        if parts.scheme in ("http", "https") and re.fullmatch(r"(\*\.)?[a-z0-9.-]+", host):
            hosts.append(f"{parts.scheme}://{host}")
    return tuple(dict.fromkeys(hosts))


class Policy:
    """What one page may run and load; templates add their inline code through it."""

    def __init__(self, image_hosts: tuple[str, ...] = (), script_files: bool = True) -> None:
        """`script_files`: whether the page may run the atlas's script files (each by the
        page's nonce); without, only the inline scripts its templates emit."""
        self.image_hosts = image_hosts
        self.script_files = script_files
        self.scripts: set[str] = set()
        self.styles: set[str] = set()
        self.mark = secrets.token_hex(16)  # stands for the nonce until the page is whole

    def script_file(self, url: str) -> Markup:
        """A `<script src>` of the atlas's own assets, allowed by the page's nonce."""
        if not self.script_files:
            raise ValueError("this page runs no script file: add its scripts with csp.script(code)")
        return Markup(f'<script nonce="{self.mark}" src="{escape(url)}"></script>')

    def script_files_in(self, markup: str) -> Markup:
        """Our own markup (folium's map header, which names Leaflet's file) with each of its
        `<script src>` allowed by the page's nonce."""
        if not self.script_files:
            raise ValueError("this page runs no script file")
        return Markup(str(markup).replace("<script src=", f'<script nonce="{self.mark}" src='))

    def script(self, code: str) -> Markup:
        """An inline `<script>` element whose hash the policy allows (`code` is ours)."""
        code = _normal(str(code))
        self.scripts.add(_hash(code))
        return Markup(f"<script>{code}</script>")

    def style(self, css: str) -> Markup:
        css = _normal(str(css))
        self.styles.add(_hash(css))
        return Markup(f"<style>{css}</style>")

    def allow_script(self, code: str) -> None:
        """A script the page creates as it runs (a framed map takes Leaflet from its lesson)."""
        self.scripts.add(_hash(_normal(code)))

    def allow_style(self, css: str) -> None:
        self.styles.add(_hash(_normal(css)))

    def merge(self, other: Policy) -> None:
        """Allow what another page allows: a single-file lesson's maps are `srcdoc`
        frames, which are held to their lesson's policy as well as their own."""
        self.scripts |= other.scripts
        self.styles |= other.styles

    def header(self, nonce: str | None = None) -> str:
        scripts = " ".join([*([f"'nonce-{nonce}'"] if nonce else []), *sorted(self.scripts)]) or "'none'"
        styles = " ".join(["'self'", *sorted(self.styles)])
        images = " ".join(["'self'", "data:", *self.image_hosts])
        return (f"default-src 'none'; script-src {scripts}; style-src {styles}; img-src {images}; "
                "frame-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'")

    def seal(self, html: str) -> str:
        """The page with its policy in a `<meta>` tag, first in its head (before any script),
        and its nonce, the hash of the page without it, where the mark held its place."""
        nonce = None
        if self.mark in html:
            digest = hashlib.sha256(html.replace(self.mark, "").encode("utf-8")).digest()
            nonce = base64.urlsafe_b64encode(digest[:18]).decode("ascii")
            html = html.replace(self.mark, nonce)
        meta = f'\n<meta http-equiv="Content-Security-Policy" content="{self.header(nonce)}">'
        found = CHARSET.search(html) or HEAD.search(html)
        if found is None:
            return meta.lstrip() + html
        return html[:found.end()] + meta + html[found.end():]
