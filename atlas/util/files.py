"""Reading an atlas folder that may come from anyone.

Every file the build reads on behalf of the data (the YAML and CSV sources, GeoJSON
regions, lessons, templates and their static files, geocoded.json) is read here, and
only if it resolves, after following symlinks, to a regular file inside the atlas
folder and is no larger than `MAX_BYTES`. A FIFO, a device, a folder where a file was
expected, a link to /etc/passwd or to /dev/zero: each is refused with a message, never
opened in a way that could hang or exhaust memory.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

MAX_BYTES = 50 * 1024 * 1024  # generous for any atlas file; a bomb or a stray video is refused


# While a build records (see `recording`): every file read, relative to its folder → the
# SHA-256 of its bytes. An incremental build compares them to know what changed.
_RECORD: dict[str, str] | None = None


@contextlib.contextmanager
def recording() -> Iterator[dict[str, str]]:
    """Note the digest of every file read inside the `with` block."""
    global _RECORD
    saved, _RECORD = _RECORD, {}
    try:
        yield _RECORD
    finally:
        _RECORD = saved


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Unreadable(Exception):
    """A path the build will not read; the message says why, for a `path:line:` problem."""


def contained(folder: Path, path: Path) -> Path:
    """`path` resolved (symlinks followed), if it lies inside `folder`; else Unreadable."""
    root = folder.resolve()
    if "\0" in str(path):
        raise Unreadable("names a file with a NUL character, which no file name can hold")
    try:
        resolved = path.resolve(strict=True)
    except FileNotFoundError as err:
        raise Unreadable("no such file") from err
    except (OSError, RuntimeError) as err:  # a symlink loop, a name too long
        raise Unreadable(f"cannot be opened ({_reason(err)})") from err
    if resolved != root and root not in resolved.parents:
        raise Unreadable(f"lies outside the atlas folder (it resolves to {resolved}); only files inside it are read")
    return resolved


def regular(folder: Path, path: Path, limit: int = MAX_BYTES) -> Path:
    """`path` resolved, if it is a regular file inside `folder` within the size limit."""
    resolved = contained(folder, path)
    try:
        _check(os.stat(resolved), limit)
    except OSError as err:
        raise Unreadable(f"cannot be opened ({_reason(err)})") from err
    return resolved


def _check(info: os.stat_result, limit: int) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise Unreadable("is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise Unreadable("is not a regular file (a device, a pipe or a socket); only plain files are read")
    if info.st_size > limit:
        raise Unreadable(f"is {_size(info.st_size)}, more than the {_size(limit)} atlas reads from one file")


def read_bytes(folder: Path, path: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file inside `folder`, at most `limit` of them."""
    resolved = contained(folder, path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer. The checks are made on
        # the open descriptor, so the file cannot be swapped between check and read.
        descriptor = os.open(resolved, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        raise Unreadable(f"cannot be opened ({_reason(err)})") from err
    try:
        _check(os.fstat(descriptor), limit)
    except Unreadable:
        os.close(descriptor)
        raise
    with os.fdopen(descriptor, "rb") as file:
        data = file.read(limit + 1)
    if len(data) > limit:  # it grew while being read
        raise Unreadable(f"is more than the {_size(limit)} atlas reads from one file")
    if _RECORD is not None:
        _RECORD[relative(folder, path)] = digest(data)
    return data


def relative(folder: Path, path: Path) -> str:
    """How a recorded path is named: from its folder, as the build named it."""
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return path.as_posix()


def read_text(folder: Path, path: Path, encoding: str = "utf-8") -> str:
    """A regular file inside `folder` as text; a decoding error becomes Unreadable."""
    data = read_bytes(folder, path)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise Unreadable(f"is not UTF-8 text: {err.reason} at byte {err.start}") from err


def _reason(err: BaseException) -> str:
    return getattr(err, "strerror", None) or str(err)


def _size(count: int) -> str:
    return f"{count / 1024 / 1024:.0f} MB" if count >= 1024 * 1024 else f"{count} bytes"
