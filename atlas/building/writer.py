"""The one owner of the output folder.

The whole site is written into a fresh folder beside the target and then swapped in,
so a build that fails at any point leaves the previous output exactly as it was. On
Linux the swap is one atomic exchange of the two folders (renameat2 with
RENAME_EXCHANGE): at every instant the output is the complete old build or the complete
new one, even if the process is killed. Elsewhere, two renames, with a moment between
them when the output is missing. Staging folders that a killed build left behind are
swept at the start of the next one. The writer refuses to replace a folder that holds
sources or that it did not write. What a build wrote is recorded outside the output, in
the user's cache (buildrecord.py): the output folder holds only what is published.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from atlas.building import buildrecord
from atlas.building.buildrecord import Written
from atlas.errors import AtlasError, display_path
from atlas.util import files

MARKER = ".atlas-build"
AT_FDCWD = -100
RENAME_EXCHANGE = 2


class Keep:
    """In place of a file's bytes: "as in the previous build" (see write_site)."""


KEEP = Keep()


class StaleOutput(Exception):
    """A file to keep from the previous build has changed or gone since it was written."""


def write_site(site: Iterable[tuple[str, bytes | Keep]], out: Path, source: Path,
               previous: Mapping[str, tuple[str, int, int]] | None = None,
               state_of: Callable[[Written], object | None] | None = None) -> Written:
    """Write every file of `site` into `out`, replacing its previous contents atomically;
    the files are stored as they come (a large atlas's pages are never all in memory at
    once). Returns what was written, by path.

    `previous` is what the last build wrote: a file whose bytes are the same (or that comes
    as KEEP) is linked from the previous build, not written again, so that it keeps its
    modification time (and a web server, rsync or a browser's cache sees it unchanged).
    `state_of(written)` gives the state an incremental build would need, recorded with what
    was written (see buildrecord.py) once the new build is in place; the old record is
    removed before it is replaced, so a record never describes another build than the one there.
    """
    out = out.resolve()
    check_output(out, source)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        sweep(out)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-{os.getpid()}-", dir=out.parent))
    except OSError as err:
        raise _cannot_write(out, err) from err
    written: Written = {}
    try:
        folders: set[Path] = set()
        for relative, data in site:
            target = staging / relative
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            before = previous.get(relative) if previous else None
            if isinstance(data, Keep):
                if not (before and _link(out / relative, target, before)):
                    raise StaleOutput(relative)
                digest = before[0]
            else:
                digest = files.digest(data)
                if not (before and before[0] == digest and _link(out / relative, target, before)):
                    target.write_bytes(data)
            info = target.stat()
            written[relative] = (digest, info.st_size, info.st_mtime_ns)
        (staging / MARKER).write_text("written by atlas build; replaced whole by the next build\n", encoding="utf-8")
        state = state_of(written) if state_of else None
        buildrecord.forget(out)
        _swap(staging, out)
    except OSError as err:
        shutil.rmtree(staging, ignore_errors=True)
        raise _cannot_write(out, err) from err
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    buildrecord.remember(out, written, state)
    return written


def unchanged(path: Path, before: tuple[str, int, int]) -> bool:
    """Whether a file of the previous build is still as it was written (no one edited it)."""
    try:
        info = path.lstat()
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and (info.st_size, info.st_mtime_ns) == before[1:]


def _link(old: Path, new: Path, before: tuple[str, int, int]) -> bool:
    """The previous build's file in the new build too, as the same file (a hard link; a
    copy with its times where links are not possible); False if it changed since."""
    if not unchanged(old, before):
        return False
    try:
        os.link(old, new)
    except OSError:
        try:
            shutil.copy2(old, new)
        except OSError:
            return False
    return True


def _cannot_write(out: Path, err: OSError) -> AtlasError:
    where = f" ({display_path(Path(err.filename))})" if err.filename else ""
    return AtlasError(f"{display_path(out)}: cannot write the build: {err.strerror or err}{where}; "
                      "the previous build, if any, is unchanged")


def check_output(out: Path, source: Path) -> None:
    """Refuse an output folder that holds the sources, lies inside them, or that atlas did not build."""
    out, source = out.resolve(), source.resolve()
    if out == source or out in source.parents:
        raise AtlasError(f"{display_path(out)}: refusing to build into a folder that holds the atlas's sources")
    if source in out.parents:
        raise AtlasError(f"{display_path(out)}: refusing to build inside the atlas's own folder (the next build would "
                         "read it as sources); choose an output folder outside it")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise AtlasError(f"{display_path(out)}: refusing to replace a folder that atlas did not build; "
                         "choose an empty or new output folder")


def sweep(out: Path) -> None:
    """Remove the staging folders of builds into `out` that died before they finished (their
    process is gone); a build still running beside this one keeps its own."""
    for path in out.parent.glob(f".{out.name}.*-*"):
        kind, _, rest = path.name[len(out.name) + 2:].partition("-")
        if kind not in ("new", "old") or not path.is_dir() or path.is_symlink():
            continue
        pid = rest.partition("-")[0]
        if pid.isdecimal() and _alive(int(pid)):
            continue
        shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # our own: left by an earlier build in this process
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _swap(staging: Path, out: Path) -> None:
    """Put the new build in place; the old one is removed only after the new one is there."""
    os.chmod(staging, 0o755)  # mkdtemp makes it private; a built site is meant to be read
    if not out.exists():
        os.rename(staging, out)
        return
    if _exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)  # it holds the old build now
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-{os.getpid()}-", dir=out.parent))
    os.rename(out, retired / "site")
    os.rename(staging, out)
    shutil.rmtree(retired, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux's renameat2); False where that is not possible."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False  # a filesystem or kernel without it: the two renames instead
    raise OSError(code, os.strerror(code), str(b))
