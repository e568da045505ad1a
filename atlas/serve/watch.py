"""`atlas serve`: build, serve the output over HTTP, and rebuild when the sources change.

A preview server for authors, not a production web server: standard library only, one
process, polling instead of OS file-change notifications (portable, and an atlas is a
handful of files, so a stat of each every half second costs nothing).

A failed rebuild never takes the site down: `build()` writes into a temporary folder
and swaps it in only on success, so the server simply keeps serving the previous output.
The HTTP side (what is served, to whom, and the live reload of open pages) is preview.py.
"""

from __future__ import annotations

import os
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path

from atlas.building.writer import check_output
from atlas.errors import AtlasError
from atlas.serve.preview import LiveState, bind, url_of

# (path relative to the source folder, mtime_ns, size) of every watched file.
Snapshot = frozenset[tuple[str, int, int]]
# What a rebuild does: True when it succeeded. Lets the watcher stay ignorant of build().
Rebuild = Callable[[], bool]

SKIPPED_FOLDERS = {"__pycache__"}


def serve(source: Path, out: Path, host: str = "127.0.0.1", port: int = 8000, interval: float = 0.5,
          stop: threading.Event | None = None, ready: Callable[[str], None] | None = None,
          trust_templates: bool = False) -> None:
    """Build `source` into `out`, serve `out` on host:port, and rebuild on every change.

    Runs until `stop` is set or Ctrl-C (KeyboardInterrupt), then shuts the server down
    and returns. `ready(url)` is called once the server answers requests.
    """
    stop = stop or threading.Event()
    try:
        _run(source, out, host, port, interval, stop, ready, trust_templates)
    except KeyboardInterrupt:
        print("Stopped", flush=True)  # Ctrl-C is how a user ends serving: not an error


def _run(source: Path, out: Path, host: str, port: int, interval: float,
         stop: threading.Event, ready: Callable[[str], None] | None, trust_templates: bool) -> None:
    from atlas.building.pipeline import build  # folium and friends load only when actually serving

    live = LiveState(out=out.resolve())

    def once() -> object:
        return build(source, out, trust_templates=trust_templates)

    def rebuild() -> bool:
        return _build_and_report(once, live, "Keeping the last good build")

    # The output folder is checked before anything listens: a folder atlas would refuse
    # to build into (a home folder, the sources) is never served either.
    check_output(out, source)
    # Bind before the first build: a port already in use fails at once, not after a build,
    # and requests arriving during the build wait in the listen backlog instead of 404ing.
    server = bind(host, port, out.resolve(), live)
    try:
        built = snapshot(source, out)  # taken before building, so edits made meanwhile count
        _build_and_report(once, live, "Serving the previous build, if any; saving a fix rebuilds")
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                  name="atlas-serve", daemon=True)
        thread.start()
        try:
            url = url_of(server)
            print(f"Serving {url} (Ctrl-C to stop)", flush=True)
            if ready is not None:
                ready(url)
            watch(source, out, built, interval, stop, rebuild)
        finally:
            server.shutdown()  # waits for serve_forever to return
            thread.join()
    finally:
        server.server_close()


def _build_and_report(run: Callable[[], object], live: LiveState, on_failure: str) -> bool:
    """Run one build and print its summary, or its `path:line: message` lines on stderr
    (and tell the open pages, which show them).

    An error that is not the author's (a bug of ours, a full disk) is printed with its
    traceback, as a bug should be, but the server keeps serving the last good build: an
    author mid-edit should not lose the preview.
    """
    try:
        summary = run()
    except AtlasError as err:
        print(err.text, file=sys.stderr)
        print(on_failure, file=sys.stderr, flush=True)
        live.failed(err.text)
        return False
    except Exception as err:  # reported in full, and serving goes on
        traceback.print_exc()
        print(f"{on_failure} (this is a bug in atlas: please report it)", file=sys.stderr, flush=True)
        live.failed(f"internal error while building: {type(err).__name__}: {err} (a bug in atlas: see the terminal)")
        return False
    print(summary, flush=True)
    live.built()
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
