"""`atlas serve`: build, serve the output over HTTP, and rebuild when the sources change.

A preview server for authors, not a production web server: standard library only, one
process, polling instead of OS file-change notifications (portable, and an atlas is a
handful of files, so a stat of each every half second costs nothing).

A failed rebuild never takes the site down: `build()` writes into a temporary folder
and swaps it in only on success, so the server simply keeps serving the previous output.
"""

from __future__ import annotations

import io
import ipaddress
import os
import re
import socket
import sys
import threading
from collections.abc import Callable
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .errors import AtlasError
from .writer import MARKER, check_output

# (path relative to the source folder, mtime_ns, size) of every watched file.
Snapshot = frozenset[tuple[str, int, int]]
# What a rebuild does: True when it succeeded. Lets the watcher stay ignorant of build().
Rebuild = Callable[[], bool]

SKIPPED_FOLDERS = {"__pycache__"}


def serve(source: Path, out: Path, host: str = "127.0.0.1", port: int = 8000, interval: float = 0.5,
          stop: threading.Event | None = None, ready: Callable[[str], None] | None = None) -> None:
    """Build `source` into `out`, serve `out` on host:port, and rebuild on every change.

    Runs until `stop` is set or Ctrl-C (KeyboardInterrupt), then shuts the server down
    and returns. `ready(url)` is called once the server answers requests.
    """
    stop = stop or threading.Event()
    try:
        _run(source, out, host, port, interval, stop, ready)
    except KeyboardInterrupt:
        print("Stopped", flush=True)  # Ctrl-C is how a user ends serving: not an error


def _run(source: Path, out: Path, host: str, port: int, interval: float,
         stop: threading.Event, ready: Callable[[str], None] | None) -> None:
    from .build import build  # folium and friends load only when actually serving

    def rebuild() -> bool:
        return _build_and_report(lambda: build(source, out), "Keeping the last good build")

    # The output folder is checked before anything listens: a folder atlas would refuse
    # to build into (a home folder, the sources) is never served either.
    check_output(out, source)
    # Bind before the first build: a port already in use fails at once, not after a build,
    # and requests arriving during the build wait in the listen backlog instead of 404ing.
    server = _bind(host, port, out.resolve())
    try:
        built = snapshot(source, out)  # taken before building, so edits made meanwhile count
        _build_and_report(lambda: build(source, out), "Serving the previous build, if any; saving a fix rebuilds")
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                  name="atlas-serve", daemon=True)
        thread.start()
        try:
            url = _url(server)
            print(f"Serving {url} (Ctrl-C to stop)", flush=True)
            if ready is not None:
                ready(url)
            watch(source, out, built, interval, stop, rebuild)
        finally:
            server.shutdown()  # waits for serve_forever to return
            thread.join()
    finally:
        server.server_close()


def _build_and_report(run: Callable[[], object], on_failure: str) -> bool:
    """Run one build and print its summary, or its `path:line: message` lines on stderr.

    Only AtlasError (the author's mistake) is caught: anything else is a bug and must
    surface with its traceback rather than be mistaken for bad sources.
    """
    try:
        summary = run()
    except AtlasError as err:
        print(err.text, file=sys.stderr)
        print(on_failure, file=sys.stderr, flush=True)
        return False
    print(summary, flush=True)
    return True


# --- watching ----------------------------------------------------------------------


def watch(source: Path, out: Path | None, built: Snapshot, interval: float, stop: threading.Event, rebuild: Rebuild) -> None:
    """Poll `source` every `interval` seconds; rebuild once a change has settled.

    Debounce: a changed snapshot must be seen unchanged on the next poll before we
    rebuild, so an editor saving several files (or writing one in pieces) causes one
    rebuild, from the final state, not one per write.
    """
    pending: Snapshot | None = None
    while not stop.wait(interval):
        current = snapshot(source, out)
        if current == built:
            pending = None  # changed and changed back: nothing to do
        elif current != pending:
            pending = current  # still moving: wait one more interval
        else:
            print("Sources changed; rebuilding…", flush=True)
            rebuild()
            # Even a failed build is "done" for this state: retrying the same broken files
            # would only repeat the same errors. The next edit triggers the next attempt.
            built, pending = current, None


def snapshot(source: Path, out: Path | None = None) -> Snapshot:
    """(relative path, mtime_ns, size) of every file under `source`: cheap, stat only.

    Hidden files and folders (editor swap files, .git, build staging folders) and
    `__pycache__` are skipped, and so is `out` if it lies inside `source`, lest every
    build trigger the next one.
    """
    skip = out.resolve() if out is not None else None
    found: set[tuple[str, int, int]] = set()
    for folder, subfolders, files in os.walk(source):
        subfolders[:] = [name for name in subfolders if _watched(name) and Path(folder, name).resolve() != skip]
        for name in files:
            if not _watched(name):
                continue
            path = Path(folder, name)
            try:
                stat = path.stat()
            except OSError:
                continue  # deleted between listing and stat: the next poll sees it gone
            found.add((str(path.relative_to(source)), stat.st_mtime_ns, stat.st_size))
    return frozenset(found)


def _watched(name: str) -> bool:
    return not name.startswith(".") and name not in SKIPPED_FOLDERS


# --- serving -----------------------------------------------------------------------


NOTHING_BUILT = (b"<!doctype html><title>Nothing built yet</title><p>Nothing has been built yet: the first build "
                 b"failed. Fix the errors shown in the terminal and save; this page then shows the atlas.</p>")
POLICY = re.compile(rb'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


class _Handler(SimpleHTTPRequestHandler):
    """Serves files from a folder *path*, looked up afresh on every request.

    Each rebuild renames a new folder into place, so anything that pinned the old folder
    (an open descriptor, a chdir into it) would keep serving the retired build. The base
    class joins `self.directory` (a path string) with the URL per request, which is
    exactly the per-request resolution we need — so never chdir into `out` instead.

    Only a folder that atlas built is served (its marker file is there), never a
    listing of a folder, and only to requests addressed to the server by the name it
    listens on: a web page elsewhere cannot reach it through DNS rebinding.
    """

    server: _Server4

    def send_head(self) -> Any:
        if not addressed_to(self.headers.get("Host", ""), self.server.server_address[1]):
            self.send_error(421, "Misdirected request: this preview answers only at its own address")
            return None
        if not (Path(self.directory) / MARKER).is_file():
            self.send_response(503)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(NOTHING_BUILT)))
            self.end_headers()
            return io.BytesIO(NOTHING_BUILT)
        try:
            return super().send_head()
        except ValueError:  # a NUL byte in the path: no such file
            self.send_error(404, "File not found")
            return None

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        self.send_error(404, "File not found")
        return None

    def end_headers(self) -> None:
        # A preview must show the latest build on reload, never a cached page.
        self.send_header("Cache-Control", "no-store")
        for name, value in security_headers(self._page_policy()).items():
            self.send_header(name, value)
        super().end_headers()

    def _page_policy(self) -> str:
        """The Content-Security-Policy of the page being sent (its own <meta>), else none at all."""
        try:
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            if path.suffix == ".html" and path.is_file():
                with path.open("rb") as page:
                    found = POLICY.search(page.read(4096))
                if found:
                    return found.group(1).decode("ascii", "replace")
        except (OSError, ValueError):
            pass
        return "default-src 'none'"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # one line per request would bury the build summaries and errors


def security_headers(policy: str) -> dict[str, str]:
    """What the built pages say in their <meta> tags, as HTTP headers."""
    return {"Content-Security-Policy": policy, "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "strict-origin-when-cross-origin"}


def addressed_to(host: str, port: int) -> bool:
    """Whether a request's Host header names this server by an address, not a domain.

    DNS rebinding points a domain of the attacker's at 127.0.0.1, so its requests carry
    that domain as their Host; requests to an IP address or to localhost cannot be
    rebound. The port must be ours too.
    """
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


class _Server4(ThreadingHTTPServer):
    daemon_threads = True  # an open keep-alive connection must not block shutdown


class _Server6(_Server4):
    address_family = socket.AF_INET6


def _bind(host: str, port: int, folder: Path) -> _Server4:
    """Listen on host:port (port 0: any free port), serving files from `folder`."""
    server_class = _Server6 if ":" in host else _Server4
    handler = partial(_Handler, directory=str(folder))
    try:
        return server_class((host, port), handler)
    except (OSError, OverflowError) as err:
        raise AtlasError(f"cannot serve on {host}:{port}: {getattr(err, 'strerror', None) or err}") from err


def _url(server: _Server4) -> str:
    """The URL to open: the real port (port 0 was a request), a browsable host."""
    host, port = server.server_address[:2]
    assert isinstance(host, str) and isinstance(port, int)
    if host in ("0.0.0.0", "::"):
        host = "localhost"  # listening on every interface; this one is always there
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"
