"""Where a build keeps its private record: in this user's cache, one folder an output
folder (named by a digest of its full path), never inside the output, which people
publish as it is (GitHub Pages, rsync) and `atlas serve` serves.

Each folder holds, signed with this user's key (atlas/util/signed.py), `written`: what the build
wrote, by path (every build: `atlas serve` serves only these files, and the next build
keeps those still as written); and `state`, what an incremental build needs
(recording.py), when the build left one. A plain `path` file names the output folder,
so that the records of folders that are gone can be swept away.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
from pathlib import Path
from typing import Any

from atlas.util import signed
from atlas.util.cache import cache_folder

# What the writer records of each file it wrote: its digest, size and modification time
# (the next build reuses a file only while these still hold).
Written = dict[str, tuple[str, int, int]]

WRITTEN, STATE, PATH = "written", "state", "path"


def folder(out: Path) -> Path:
    """The record folder of an output folder (by its full path: the same folder reached by
    another relative path is the same build)."""
    digest = hashlib.sha256(str(out.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return cache_folder() / "builds" / digest


def written(out: Path) -> Written | None:
    """What this user's last build into `out` wrote, or None if there is no such record."""
    value = signed.load(folder(out) / WRITTEN)
    if not (isinstance(value, tuple) and len(value) == 2 and value[0] == str(out.resolve())):
        return None
    files: Written = value[1]
    return files


def state(out: Path) -> Any | None:
    """The incremental build's state the last build into `out` left, if any (signed by this user)."""
    return signed.load(folder(out) / STATE)


def forget(out: Path) -> None:
    """Remove the record of `out` (before its output is replaced: a record never describes
    another build than the one in the folder)."""
    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(folder(out))


def remember(out: Path, files: Written, incremental_state: object | None = None) -> None:
    """Record what a build wrote into `out` (and its state for the next build). A home that
    cannot be written keeps no record: the next build is a full one, and serve serves nothing."""
    where = folder(out)
    try:
        where.mkdir(parents=True, exist_ok=True, mode=0o700)
        (where / PATH).write_text(str(out.resolve()), encoding="utf-8", errors="surrogateescape")
        signed.dump(where / WRITTEN, (str(out.resolve()), files))
        if incremental_state is not None:
            signed.dump(where / STATE, incremental_state)
    except OSError:
        forget(out)
    _sweep(where.parent, keep=where)


def _sweep(builds: Path, keep: Path) -> None:
    """Remove the records of output folders that no longer exist (tests and renamed
    folders would otherwise leave them in the cache for ever)."""
    with contextlib.suppress(OSError):
        for entry in builds.iterdir():
            if entry == keep or not entry.is_dir():
                continue
            try:
                gone = not Path((entry / PATH).read_text(encoding="utf-8", errors="surrogateescape")).exists()
            except OSError:
                continue  # a build that is making it now has not named its folder yet
            if gone:
                shutil.rmtree(entry, ignore_errors=True)
