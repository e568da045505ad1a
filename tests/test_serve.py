"""Stage: serve.

`atlas serve`: a real server on a free port, real HTTP requests, real edits to real files."""

from __future__ import annotations

import http.client
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from atlas.errors import AtlasError
from atlas.serve.watch import Snapshot, serve, snapshot, watch

from conftest import ROOT, SAMPLES

DEADLINE = 30.0  # seconds: generous for a rebuild (~0.3 s alone, seconds on a busy machine) plus two polls
INTERVAL = 0.1


@dataclass
class Serving:
    """A `serve()` running in a background thread, and the handles to drive it."""

    source: Path
    out: Path
    url: str
    stop: threading.Event
    thread: threading.Thread
    errors: list[BaseException] = field(default_factory=list)


def start(source: Path, out: Path, interval: float = INTERVAL) -> Serving:
    stop = threading.Event()
    urls: queue.Queue[str] = queue.Queue()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            serve(source, out, port=0, interval=interval, stop=stop, ready=urls.put)
        except BaseException as err:  # surfaced by the test instead of dying silently in the thread
            errors.append(err)
            raise

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        url = urls.get(timeout=DEADLINE)
    except queue.Empty:
        stop.set()
        pytest.fail(f"serve() never became ready: {errors}")
    return Serving(source, out, url, stop, thread, errors)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    copy = tmp_path / "src"
    shutil.copytree(SAMPLES / "good", copy)
    return copy


@pytest.fixture
def serving(source: Path, tmp_path: Path) -> Iterator[Serving]:
    running = start(source, tmp_path / "out")
    yield running
    running.stop.set()
    running.thread.join(timeout=5)
    assert not running.errors


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, ""


def get_page(url: str, host: str | None = None) -> tuple[int, str]:
    """GET a URL, error pages included, optionally with another Host header."""
    response = request(url, host)
    return response.status, response.read().decode("utf-8", "replace")


def request(url: str, host: str | None = None) -> http.client.HTTPResponse:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=5)
    headers = {"Host": host} if host is not None else {}
    connection.request("GET", parts.path or "/", headers=headers)
    return connection.getresponse()


def eventually(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    pytest.fail(f"not within {DEADLINE} s: {what}")


def retitle(source: Path, title: str) -> None:
    (source / "atlas.yaml").write_text(f'title: "{title}"\nlanguage: en\n', encoding="utf-8")


def break_events(source: Path) -> str:
    """Give events.yaml an impossible date; return the good text to restore later."""
    events = source / "events.yaml"
    good = events.read_text(encoding="utf-8")
    events.write_text(good.replace("1945-08-09/1945-08-20", "1945-02-30"), encoding="utf-8")
    return good


def test_serves_the_built_site(serving: Serving) -> None:
    assert serving.url.startswith("http://127.0.0.1:") and not serving.url.endswith(":0/")
    status, page = get(serving.url)
    assert status == 200 and "Sample atlas" in page
    assert get(serving.url + "periods/manchukuo.html")[0] == 200
    assert get(serving.url + "no-such-page.html")[0] == 404


def test_an_edit_is_rebuilt_and_served(serving: Serving) -> None:
    retitle(serving.source, "Retitled atlas")
    eventually(lambda: "Retitled atlas" in get(serving.url)[1], "the new title is served")


def test_a_broken_edit_keeps_the_last_good_build(serving: Serving, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    # One burst: a new title *and* a broken file. Serving the new title would mean the
    # failed build leaked out; the old title proves the previous output was kept.
    retitle(serving.source, "Half-edited atlas")
    good_events = break_events(serving.source)
    err: list[str] = []

    def failure_reported() -> bool:
        err.append(capsys.readouterr().err)
        return "Keeping the last good build" in "".join(err)

    eventually(failure_reported, "the failed build is reported")
    reported = "".join(err)
    assert "events.yaml:8: invalid date '1945-02-30'" in reported
    assert "Traceback" not in reported
    status, page = get(serving.url)
    assert status == 200 and "Sample atlas" in page and "Half-edited atlas" not in page

    (serving.source / "events.yaml").write_text(good_events, encoding="utf-8")
    eventually(lambda: "Half-edited atlas" in get(serving.url)[1], "the fixed build is served")
    # The summary is printed just after the new build is swapped in: wait for it too.
    out: list[str] = []

    def summary_printed() -> bool:
        out.append(capsys.readouterr().out)
        return "Built " in "".join(out)

    eventually(summary_printed, "the summary")


def test_a_broken_first_build_still_serves_and_recovers(source: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    good_events = break_events(source)
    running = start(source, tmp_path / "out")
    try:
        assert "invalid date '1945-02-30'" in capsys.readouterr().err
        # Nothing was ever built, but the server is up: it says so, and lists no folder.
        status, body = get_page(running.url)
        assert status == 503 and "Nothing has been built yet" in body and "Directory listing" not in body
        (source / "events.yaml").write_text(good_events, encoding="utf-8")
        eventually(lambda: "Sample atlas" in get(running.url)[1], "the fixed build is served")
    finally:
        running.stop.set()
        running.thread.join(timeout=5)
    assert not running.errors


def test_stop_returns_promptly(source: Path, tmp_path: Path) -> None:
    # An hour between polls: serve() returns within the deadline only if a stop cuts the wait short.
    running = start(source, tmp_path / "out", interval=3600)
    get(running.url)
    running.stop.set()
    running.thread.join(timeout=DEADLINE)
    assert not running.thread.is_alive() and not running.errors
    with pytest.raises(OSError):  # the port was really closed
        urllib.request.urlopen(running.url, timeout=2)


class Polls(threading.Event):
    """The stop event of a watch() whose polls come when the test says, not with the clock:
    its wait() returns only at the test's poll() (or finish()), and poll() returns once that
    poll is over. However busy the machine, the watcher sees what the test wrote between polls."""

    def __init__(self) -> None:
        super().__init__()
        self.go: queue.Queue[bool] = queue.Queue()
        self.between: queue.Queue[None] = queue.Queue()
        self.started = False

    def wait(self, timeout: float | None = None) -> bool:
        self.between.put(None)
        return self.go.get()  # True: stop

    def poll(self) -> None:
        if not self.started:
            self.between.get(timeout=DEADLINE)  # the watcher's first wait
            self.started = True
        self.go.put(False)
        self.between.get(timeout=DEADLINE)  # its next wait: the poll is over

    def finish(self) -> None:
        self.go.put(True)


def test_a_burst_of_edits_rebuilds_once(source: Path) -> None:
    polls = Polls()
    rebuilds: list[Snapshot] = []

    def rebuild() -> bool:
        rebuilds.append(snapshot(source))
        return True

    def save(name: str) -> None:
        with (source / name).open("a", encoding="utf-8") as file:
            file.write("\n")

    watcher = threading.Thread(target=watch, args=(source, None, snapshot(source), INTERVAL, polls, rebuild))
    watcher.start()
    try:
        # An editor saving three files, one a poll: still changing at every poll, no rebuild yet.
        for name in ("atlas.yaml", "places.yaml", "events.yaml"):
            save(name)
            polls.poll()
        assert rebuilds == []
        polls.poll()  # unchanged since the last poll: one rebuild, from the final state
        assert rebuilds == [snapshot(source)]
        for _ in range(3):  # three more polls: no further rebuild for the same burst
            polls.poll()
        assert len(rebuilds) == 1
        # Three files saved between two polls: one rebuild, a poll later.
        for name in ("atlas.yaml", "places.yaml", "events.yaml"):
            save(name)
        polls.poll()
        assert len(rebuilds) == 1
        for _ in range(4):
            polls.poll()
    finally:
        polls.finish()
        watcher.join(timeout=DEADLINE)
    assert not watcher.is_alive()
    assert len(rebuilds) == 2 and rebuilds[1] == snapshot(source) != rebuilds[0]


def test_a_busy_port_is_a_user_error(source: Path, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(AtlasError, match=f"cannot serve on 127.0.0.1:{port}"):
            serve(source, tmp_path / "out", port=port, stop=threading.Event())
    assert not (tmp_path / "out").exists()  # it failed before building anything


def test_snapshot_skips_hidden_files_caches_and_the_output(source: Path) -> None:
    before = snapshot(source, source / "site")
    for noise in (".atlas.yaml.swp", ".git/HEAD", "__pycache__/x.pyc", "site/index.html"):
        (source / noise).parent.mkdir(parents=True, exist_ok=True)
        (source / noise).write_text("noise", encoding="utf-8")
    assert snapshot(source, source / "site") == before
    (source / "lessons").mkdir()
    (source / "lessons" / "one.md").write_text("# One\n", encoding="utf-8")
    assert snapshot(source, source / "site") != before


def test_ctrl_c_stops_the_process_cleanly(source: Path, tmp_path: Path) -> None:
    # A shell started in the background may hand us SIGINT ignored, and Python keeps it
    # ignored; restore the default so the child behaves as when run from a terminal.
    script = ("import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
              "from pathlib import Path; from atlas.serve.watch import serve; "
              "serve(Path(sys.argv[1]), Path(sys.argv[2]), port=0, interval=0.2)")
    process = subprocess.Popen(
        [sys.executable, "-c", script, str(source), str(tmp_path / "out")],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        url = _serving_url(process)
        status, page = get(url)
        assert status == 200 and "Sample atlas" in page
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=5)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert "Stopped" in out


def _serving_url(process: subprocess.Popen[str]) -> str:
    """Read the child's stdout until its "Serving URL" line, without risking a hang."""
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout

    def pump() -> None:
        for line in iter(stdout.readline, ""):
            lines.put(line)
            if line.startswith("Serving "):
                return  # the rest is read by communicate()

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=deadline - time.monotonic())
        except queue.Empty:
            break
        if line.startswith("Serving "):
            return line.split()[1]
    pytest.fail("the server never printed its URL")


def test_a_folder_atlas_did_not_build_is_refused_before_anything_listens(source: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "private").mkdir(parents=True)
    (home / "private" / "letter.txt").write_text("not for the web", encoding="utf-8")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.run([sys.executable, "-m", "atlas", "serve", str(source), "-o", str(home), "--port", str(port)],
                             cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                             timeout=60)
    assert process.returncode == 2
    assert "refusing to replace a folder that atlas did not build" in process.stderr
    assert "Serving" not in process.stdout and "Traceback" not in process.stderr
    assert (home / "private" / "letter.txt").read_text(encoding="utf-8") == "not for the web"


def test_only_requests_addressed_to_the_server_itself_are_answered(serving: Serving) -> None:
    port = urllib.parse.urlsplit(serving.url).port
    assert port is not None
    assert get_page(serving.url)[0] == 200
    assert get_page(serving.url, host=f"localhost:{port}")[0] == 200
    # DNS rebinding: a page of evil.example whose name now points at 127.0.0.1.
    status, body = get_page(serving.url, host=f"evil.example:{port}")
    assert status == 421 and "Sample atlas" not in body
    assert get_page(serving.url, host=f"127.0.0.1:{port + 1 if port < 65535 else port - 1}")[0] == 421
    assert get_page(serving.url, host="")[0] == 421


def test_served_pages_carry_the_security_headers_of_their_meta_tags(serving: Serving) -> None:
    response = request(serving.url + "periods/manchukuo.html")
    page = response.read().decode("utf-8")
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
    assert meta and response.getheader("Content-Security-Policy") == meta.group(1)
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Referrer-Policy") == "strict-origin-when-cross-origin"
    data = request(serving.url + "data/atlas.geojson")
    data.read()
    assert data.getheader("Content-Security-Policy") == "default-src 'none'"


def test_no_folder_is_listed_and_odd_paths_are_not_found(serving: Serving, capsys: pytest.CaptureFixture[str]) -> None:
    for path in ("periods/", "assets/", "periods/%00", "..%2f..%2fetc/passwd", "%2e%2e/%2e%2e/etc/passwd"):
        status, body = get_page(serving.url + path)
        assert status == 404, path
        assert "Directory listing" not in body and "root:" not in body
    assert "Traceback" not in capsys.readouterr().err
