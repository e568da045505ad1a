"""The HTTP side of `atlas serve`: a preview of the built folder for its author.

It serves only the files this user's last good build wrote (their list is the build's
signed record, kept outside the output: atlas/building/buildrecord.py), each a regular file reached
without following a link; never a folder listing, never anything else a handed-over folder
holds; and only to requests addressed to it by an IP address or `localhost` (DNS
rebinding cannot reach it). Every response carries the pages' own security policy as headers.

Served pages, and only served pages (never the built files), get a small script that
reloads them after a good rebuild and shows the `path:line` messages of a broken one
over the page until the edit is fixed. It asks `/__atlas__/state` for the build's
generation and errors, which the watcher updates.
"""

from __future__ import annotations

import io
import ipaddress
import json
import os
import re
import socket
import stat
import threading
import urllib.parse
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from atlas.building import buildrecord
from atlas.errors import AtlasError

LIVE_PATH = "/__atlas__/live.js"
STATE_PATH = "/__atlas__/state"
LIVE_SCRIPT = (Path(__file__).parent / "live.js").read_bytes()
NOTHING_BUILT = (b"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Nothing built yet</title></head>"
                 b"<body><p>Nothing has been built yet: the first build failed. Fix the errors shown here and in the "
                 b"terminal and save; this page then shows the atlas.</p></body></html>")
POLICY = re.compile(rb'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
NO_PAGE_POLICY = "default-src 'none'"


@dataclass
class LiveState:
    """What open pages ask the server: which build is current, and what broke the last one;
    and what the server may serve: the files the last good build wrote (None: nothing yet)."""

    generation: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    out: Path | None = None  # the output folder served
    files: frozenset[str] | None = None

    def __post_init__(self) -> None:
        self.files = self.recorded()  # a previous good build, if this user's build made it

    def recorded(self) -> frozenset[str] | None:
        """The files the last build into `out` wrote, by its signed record (None: none)."""
        written = buildrecord.written(self.out) if self.out is not None else None
        return frozenset(written) if written is not None else None

    def built(self) -> None:
        files = self.recorded()
        with self.lock:
            self.generation += 1
            self.errors = []
            self.files = files

    def served(self) -> frozenset[str] | None:
        with self.lock:
            return self.files

    def failed(self, text: str) -> None:
        with self.lock:
            self.errors = text.splitlines()

    def json(self) -> bytes:
        with self.lock:
            return json.dumps({"generation": self.generation, "errors": self.errors}).encode("utf-8")


def with_live_reload(page: bytes, host: str) -> bytes:
    """A served page: the live script before </body>, and the page's policy letting it ask
    the server for the build's state and run that one script, by its whole address (never
    'self', which would allow every script file the server serves: a page allows only its own)."""
    page = POLICY.sub(lambda m: _served_policy(m.group(0), host), page, count=1)
    tag = f'<script src="{LIVE_PATH}"></script>'.encode()
    at = page.rfind(b"</body>")
    return page[:at] + tag + page[at:] if at != -1 else page + tag


def _served_policy(meta: bytes, host: str) -> bytes:
    meta = meta.replace(b"default-src 'none';", b"default-src 'none'; connect-src 'self';")
    return meta.replace(b"script-src ", f"script-src http://{host}{LIVE_PATH} ".encode(), 1)


class _Handler(SimpleHTTPRequestHandler):
    """Serves files from a folder *path*, looked up afresh on every request.

    Each rebuild renames a new folder into place, so anything that pinned the old folder
    (an open descriptor, a chdir into it) would keep serving the retired build. The base
    class joins `self.directory` (a path string) with the URL per request, which is
    exactly the per-request resolution we need — so never chdir into `out` instead.
    """

    server: PreviewServer

    def send_head(self) -> Any:
        if not addressed_to(self.headers.get("Host", ""), self.server.server_address[1]):
            self.send_error(421, "Misdirected request: this preview answers only at its own address")
            return None
        host = self.headers.get("Host", "")  # an address of this server: checked just above
        path = self.path.split("?", 1)[0]
        if path == LIVE_PATH:
            return self._send(LIVE_SCRIPT, "text/javascript; charset=utf-8", NO_PAGE_POLICY)
        if path == STATE_PATH:
            return self._send(self.server.live.json(), "application/json", NO_PAGE_POLICY)
        files = self.server.live.served()
        if files is None:
            page = with_live_reload(NOTHING_BUILT, host)
            return self._send(page, "text/html; charset=utf-8", f"default-src 'none'; script-src http://{host}{LIVE_PATH}; "
                              "connect-src 'self'; style-src 'self'", status=503)
        relative = urllib.parse.unquote(path).lstrip("/")
        if relative == "" or relative.endswith("/"):
            relative += "index.html"
        body = own_file(Path(self.directory), relative) if relative in files else None
        if body is None:
            self.send_error(404, "File not found")
            return None
        if relative.endswith(".html"):
            page = with_live_reload(body, host)
            found = POLICY.search(page)
            return self._send(page, "text/html; charset=utf-8", found.group(1).decode() if found else NO_PAGE_POLICY)
        return self._send(body, self.guess_type(relative), NO_PAGE_POLICY)

    def _send(self, body: bytes, kind: str, policy: str, status: int = 200) -> io.BytesIO:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self._policy = policy
        self.end_headers()
        return io.BytesIO(body)

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        self.send_error(404, "File not found")
        return None

    def end_headers(self) -> None:
        # A preview must show the latest build on reload, never a cached page.
        self.send_header("Cache-Control", "no-store")
        for name, value in security_headers(getattr(self, "_policy", NO_PAGE_POLICY)).items():
            self.send_header(name, value)
        self._policy = NO_PAGE_POLICY
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # one line per request would bury the build summaries and errors


def own_file(folder: Path, relative: str) -> bytes | None:
    """A built file's bytes, if it is a regular file reached from `folder` without a link
    at any step (a build writes none: a link is someone else's), else None."""
    at = folder
    for part in relative.split("/"):
        if part in ("", ".", "..") or "\0" in part:
            return None
        at = at / part
        try:
            info = at.lstat()
        except OSError:  # gone mid-rebuild
            return None
        if stat.S_ISLNK(info.st_mode):
            return None
    if not stat.S_ISREG(info.st_mode):
        return None
    try:
        return at.read_bytes()
    except OSError:
        return None


def security_headers(policy: str) -> dict[str, str]:
    """What the built pages say in their <meta> tags, as HTTP headers."""
    return {"Content-Security-Policy": policy, "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "strict-origin-when-cross-origin"}


def addressed_to(host: str, port: int) -> bool:
    """Whether a request's Host header names this server by an address, not a domain.

    DNS rebinding points a domain of the attacker's at 127.0.0.1, so its requests carry
    that domain as their Host; requests to an IP address or to localhost cannot be
    rebound. The port must be ours too (a browser leaves out port 80, HTTP's own).
    """
    name, given_port = host, "80"
    if not host.endswith("]") and ":" in host:
        name, _, given_port = host.rpartition(":")
    if not given_port.isdecimal() or int(given_port) != port:
        return False
    if name == "localhost":
        return True
    try:
        ipaddress.ip_address(name[1:-1] if name.startswith("[") and name.endswith("]") else name)
    except ValueError:
        return False
    return True


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # an open keep-alive connection must not block shutdown
    live: LiveState


class _PreviewServer6(PreviewServer):
    address_family = socket.AF_INET6


def bind(host: str, port: int, folder: Path, live: LiveState) -> PreviewServer:
    """Listen on host:port (port 0: any free port), serving files from `folder`."""
    if not 0 <= port <= 65535:
        raise AtlasError(f"cannot serve on port {port}: a port is a number from 0 to 65535")
    server_class = _PreviewServer6 if ":" in host else PreviewServer
    handler = partial(_Handler, directory=str(folder))
    try:
        server = server_class((host, port), handler)
    except (OSError, OverflowError) as err:
        raise AtlasError(f"cannot serve on {host}:{port}: {getattr(err, 'strerror', None) or err}") from err
    server.live = live
    return server


def url_of(server: PreviewServer) -> str:
    """The URL to open: the real port (port 0 was a request), a browsable host."""
    host, port = server.server_address[:2]
    assert isinstance(host, str) and isinstance(port, int)
    if host in ("0.0.0.0", "::"):
        host = "localhost"  # listening on every interface; this one is always there
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"
