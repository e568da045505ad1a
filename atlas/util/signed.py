"""A build's record for the next build, stored signed.

The record lies in the user's cache (atlas/building/buildrecord.py), which can still be handed over or
written by others: a copied home folder, a shared drive. It is signed (HMAC-SHA256) with a
key that never leaves this user's cache folder, and its bytes are unpickled only once
the signature is verified: so only what this user's own builds wrote is ever loaded,
and a record from anywhere else is ignored (the build is then a full one). Any doubt (a
damaged file, another Python, another key) means the same.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
import sys
from pathlib import Path
from typing import Any, BinaryIO

from atlas.util.cache import cache_folder

MAGIC = b"atlas-record-2\n"
# A record is read only by the Python that wrote it.
VERSION = f"{sys.implementation.cache_tag}-{sys.version}".encode()


def _key() -> bytes | None:
    """This user's signing key, made on first use (readable by this user only)."""
    path = cache_folder() / "record.key"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(key)
        return key
    except FileExistsError:  # another build made it meanwhile
        return path.read_bytes()
    except OSError:
        return None  # a read-only home: builds are full ones


def dump(path: Path, value: Any) -> bool:
    """Store `value` signed; False if there is no key. The pickle is written as it is made
    (a large build's record is never all in memory twice), its signature then put first."""
    key = _key()
    if key is None:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    signer = hmac.new(key, VERSION, hashlib.sha256)
    with path.open("wb") as file:
        file.write(MAGIC + bytes(32))
        pickle.dump(value, _Signing(file, signer), protocol=pickle.HIGHEST_PROTOCOL)
        file.seek(len(MAGIC))
        file.write(signer.digest())
    return True


class _Signing:
    """A file that signs what is written to it."""

    def __init__(self, file: BinaryIO, signer: hmac.HMAC) -> None:
        self.file, self.signer = file, signer

    def write(self, data: bytes) -> int:
        self.signer.update(data)
        return self.file.write(data)


def load(path: Path) -> Any | None:
    """The value stored at `path`, or None if there is none this user's builds signed."""
    key = _key()
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if key is None or not data.startswith(MAGIC) or len(data) < len(MAGIC) + 32:
        return None
    mac, payload = data[len(MAGIC):len(MAGIC) + 32], memoryview(data)[len(MAGIC) + 32:]  # (a view: no copy)
    signer = hmac.new(key, VERSION, hashlib.sha256)
    signer.update(payload)
    if not hmac.compare_digest(mac, signer.digest()):
        return None
    try:
        return pickle.loads(payload)  # signed by this user's own key, verified above
    except Exception:  # written by another version of atlas: a full build
        return None
