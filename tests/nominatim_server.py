"""A local Nominatim look-alike that can misbehave on demand.

Tests point geopy's real `Nominatim` client at it (`domain=server.domain, scheme="http"`), so every
network fault — rate limits, server errors, broken JSON, dropped connections, slowness — travels
through real HTTP and geopy's real adapter, not through mocks that might disagree with either.
Standard library only: a `ThreadingHTTPServer` on 127.0.0.1 in a background thread.
"""

from __future__ import annotations

import json
import threading
import time
import zlib
from collections import deque
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

Answers = dict[str, list[dict[str, object]]]

# Real Nominatim returns at most 10 results when `limit` is absent.
DEFAULT_LIMIT = 10
ERROR_STATUSES = {"500", "502", "503"}
FIXED_MODES = {"ok", "bad-json", "empty", "close", *ERROR_STATUSES}


@dataclass
class Seen:
    """One request as it arrived, recorded before any planned misbehaviour is applied."""

    at: float  # time.monotonic() on arrival: lets tests assert on request spacing (rate limits)
    path: str  # e.g. "/search"
    params: dict[str, str]  # the query string, one value per key
    user_agent: str


def check_mode(mode: str) -> None:
    """Reject a misspelt mode at `plan()` time, where the mistake is, not mid-request in a server thread."""
    kind, _, arg = mode.partition(":")
    if mode in FIXED_MODES or (kind == "429" and (not arg or arg.isdigit())):
        return
    if kind == "slow" and arg:
        try:
            float(arg)
        except ValueError:
            pass
        else:
            return
    raise ValueError(f"unknown NominatimServer mode: {mode!r}")


class _HTTPServer(ThreadingHTTPServer):
    """The socket server, carrying a link back to its `NominatimServer` for the handlers."""

    daemon_threads = True  # a handler stuck on a dead client must never keep the test process alive

    def __init__(self, owner: NominatimServer) -> None:
        self.owner = owner
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay silent: clients that time out or hang up are exactly what the tests provoke."""


class _Handler(BaseHTTPRequestHandler):
    """Records each request, then answers it according to the next planned mode."""

    server: _HTTPServer
    protocol_version = "HTTP/1.0"  # one request per connection: a planned mode maps to one request

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def do_GET(self) -> None:
        """Serve `/search` and `/reverse`; anything else is a 404 as on the real service."""
        owner = self.server.owner
        url = urlsplit(self.path)
        params = dict(parse_qsl(url.query, keep_blank_values=True))
        owner.record(Seen(time.monotonic(), url.path, params, self.headers.get("User-Agent", "")))
        self.apply(owner.next_mode(), url.path, params)

    def apply(self, mode: str, path: str, params: dict[str, str]) -> None:
        """Carry out one mode; see `NominatimServer.plan` for what each means."""
        kind, _, arg = mode.partition(":")
        if kind == "slow" and not self.server.owner.pause(float(arg)):
            kind = "close"  # the server is stopping: drop the request rather than answer late
        if kind == "close":
            self.close_connection = True  # finish() then closes the socket with nothing sent
        elif kind == "429":
            self.send_error_page(HTTPStatus.TOO_MANY_REQUESTS, {"Retry-After": arg} if arg else {})
        elif kind in ERROR_STATUSES:
            self.send_error_page(HTTPStatus(int(kind)), {})
        elif kind == "bad-json":
            self.send_body(HTTPStatus.OK, "application/json", b'[{"place_id": 1, "lat": ')
        elif kind == "empty":
            self.send_json([])
        else:
            self.send_normal(path, params)

    def send_normal(self, path: str, params: dict[str, str]) -> None:
        """Answer as Nominatim would when all is well."""
        if path == "/search":
            self.send_json(self.server.owner.search(params))
        elif path == "/reverse":
            self.send_json({})
        else:
            self.send_error_page(HTTPStatus.NOT_FOUND, {})

    def send_json(self, value: object) -> None:
        """Send `value` as a 200 JSON response."""
        self.send_body(HTTPStatus.OK, "application/json; charset=utf-8", json.dumps(value).encode())

    def send_error_page(self, status: HTTPStatus, headers: dict[str, str]) -> None:
        """Send `status` with a short HTML body, like the proxies in front of the real service do."""
        html = f"<html><body><h1>{status.value} {status.phrase}</h1></body></html>"
        self.send_body(status, "text/html; charset=utf-8", html.encode(), headers)

    def send_body(self, status: HTTPStatus, content_type: str, body: bytes, headers: dict[str, str] | None = None) -> None:
        """Send one complete response with an exact Content-Length."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


class NominatimServer:
    """A Nominatim-compatible HTTP server on 127.0.0.1 whose next responses can be planned.

    Use it as a context manager (or `start()`/`stop()`); `domain` is then "127.0.0.1:PORT".
    """

    def __init__(self, answers: Answers | None = None) -> None:
        """`answers`: lowercased, stripped `q` → the JSON list to return. Unknown queries get []."""
        self.answers: Answers = {key.strip().lower(): value for key, value in (answers or {}).items()}
        self.domain = ""
        self.seen: list[Seen] = []
        self._modes: deque[str] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._http: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    @staticmethod
    def answer(lat: float, lon: float, display_name: str, **extra: object) -> dict[str, object]:
        """Build one search result shaped like Nominatim's (coordinates as strings, as it sends them)."""
        place_id = zlib.crc32(f"{lat},{lon},{display_name}".encode())  # stable across runs
        result: dict[str, object] = {
            "place_id": place_id,
            "licence": "Data © OpenStreetMap contributors, ODbL 1.0. https://osm.org/copyright",
            "osm_type": "node",
            "osm_id": place_id,
            "lat": str(lat),
            "lon": str(lon),
            "display_name": display_name,
            "class": "place",
            "type": "city",
            "importance": 0.5,
            "boundingbox": [str(lat - 0.1), str(lat + 0.1), str(lon - 0.1), str(lon + 0.1)],
        }
        result.update(extra)
        return result

    def plan(self, *modes: str) -> None:
        """Queue one behaviour per upcoming request, in order; once used up, requests get "ok".

        Modes: "ok", "slow:S", "429", "429:N" (Retry-After: N), "500", "502", "503",
        "bad-json", "empty", "close". Note that a client that retries consumes one mode per attempt.
        """
        for mode in modes:
            check_mode(mode)
        with self._lock:
            self._modes.extend(modes)

    def start(self) -> NominatimServer:
        """Bind an OS-chosen free port and serve in a daemon thread."""
        if self._http is not None:
            raise RuntimeError("NominatimServer already started")
        self._stopping.clear()
        self._http = _HTTPServer(self)
        self.domain = f"127.0.0.1:{self._http.server_address[1]}"
        self._thread = threading.Thread(
            target=self._http.serve_forever, kwargs={"poll_interval": 0.05}, name="nominatim-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop quickly: wake sleeping "slow" handlers, end the serve loop, close the listening socket."""
        self._stopping.set()
        if self._http is None:
            return
        self._http.shutdown()
        self._http.server_close()
        if self._thread is not None:
            self._thread.join(timeout=1)
        self._http = None
        self._thread = None

    def __enter__(self) -> NominatimServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # Called from handler threads.

    def record(self, seen: Seen) -> None:
        """Append to `seen` under the lock: handlers run on concurrent threads."""
        with self._lock:
            self.seen.append(seen)

    def next_mode(self) -> str:
        """Take the next planned mode, or "ok" when none is left."""
        with self._lock:
            return self._modes.popleft() if self._modes else "ok"

    def pause(self, seconds: float) -> bool:
        """Sleep for a "slow" request; False if `stop()` cut it short."""
        return not self._stopping.wait(seconds)

    def search(self, params: dict[str, str]) -> list[dict[str, object]]:
        """The normal `/search` answer: the planned list, filtered by `countrycodes`, cut to `limit`."""
        results = self.answers.get(params.get("q", "").strip().lower(), [])
        codes = {code.strip().lower() for code in params.get("countrycodes", "").split(",") if code.strip()}
        if codes:
            results = [r for r in results if str(r.get("country_code", "")).lower() in codes or "country_code" not in r]
        limit = params.get("limit", "")
        return results[: int(limit) if limit.isdigit() else DEFAULT_LIMIT]
