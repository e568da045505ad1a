"""One fuzzing input for incremental builds, replayed: the property they keep.

The input is a whole new events.yaml for a small synthetic atlas (benchmarks/synthetic.py)
whose previous build, into the same output folder, left its record. Building it must
give exactly what a full build of the same sources gives (every file byte for byte, the
same warnings), or fail as the full build fails (the same messages, each `path:line:
message`), and a failed build leaves the output as it was. Successive inputs edit the
atlas one after the other, as an author does.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import write_atlas  # noqa: E402  (benchmarks/ is not a package)

from atlas.building import buildrecord  # noqa: E402
from atlas.building.pipeline import build  # noqa: E402
from atlas.errors import AtlasError  # noqa: E402

LINE = re.compile(r"^[^\n]+:\d+: (warning: )?[^\n]+$")
WORK = Path(tempfile.mkdtemp(prefix="atlas-fuzz-incremental-"))
SOURCE, OUT, FULL = WORK / "src", WORK / "out", WORK / "full"
PLACES, EVENTS, PERIODS = 20, 24, 4


def seed_events() -> bytes:
    """The synthetic atlas's own events.yaml: the fuzzer's seed."""
    folder = Path(tempfile.mkdtemp(prefix="atlas-seed-"))
    write_atlas(folder, PLACES, EVENTS, PERIODS)
    data = (folder / "events.yaml").read_bytes()
    shutil.rmtree(folder)
    return data


def tree(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def outcome(out: Path) -> tuple[str, str]:
    """("ok", warnings) or ("error", messages) of building SOURCE into `out`."""
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            build(SOURCE, out)
    except AtlasError as error:
        for line in error.text.splitlines() or ["(no message)"]:
            if not LINE.match(line):
                raise AssertionError(f"not a path:line message: {line!r}") from error
        return "error", error.text
    return "ok", err.getvalue()


def replay_edit(data: bytes) -> None:
    if not SOURCE.exists():
        write_atlas(SOURCE, PLACES, EVENTS, PERIODS)
        assert outcome(OUT)[0] == "ok"
    before = tree(OUT)
    (SOURCE / "events.yaml").write_bytes(data)
    step = outcome(OUT)  # incremental wherever the record allows it
    buildrecord.forget(FULL)  # no record: a full build
    full = outcome(FULL)
    assert step == full, f"an incremental build differs from a full one:\n{step}\n{full}"
    if step[0] == "ok":
        assert tree(OUT) == tree(FULL), "an incremental build wrote other files than a full build"
    else:
        assert tree(OUT) == before, "a failed build changed the output"
