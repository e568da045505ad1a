"""The one owner of the output folder.

The whole site is written into a fresh folder beside the target and then swapped in,
so a build that fails at any point leaves the previous output exactly as it was. The
writer refuses to replace a folder that holds sources or that it did not write.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .errors import AtlasError, display_path

MARKER = ".atlas-build"


def write_site(site: dict[str, bytes], out: Path, source: Path) -> None:
    """Write every file of `site` into `out`, replacing its previous contents atomically."""
    out = out.resolve()
    check_output(out, source)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for relative, data in sorted(site.items()):
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        (staging / MARKER).write_text("written by atlas build; replaced whole by the next build\n", encoding="utf-8")
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def check_output(out: Path, source: Path) -> None:
    """Refuse an output folder that holds the sources, or one that atlas did not build."""
    out, source = out.resolve(), source.resolve()
    if out == source or out in source.parents:
        raise AtlasError(f"{display_path(out)}: refusing to build into a folder that holds the atlas's sources")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise AtlasError(f"{display_path(out)}: refusing to replace a folder that atlas did not build; "
                         "choose an empty or new output folder")


def _swap(staging: Path, out: Path) -> None:
    """Put the new build in place; the old one is removed only after the new one is there."""
    os.chmod(staging, 0o755)  # mkdtemp makes it private; a built site is meant to be read
    if not out.exists():
        os.rename(staging, out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rename(out, retired / "site")
    os.rename(staging, out)
    shutil.rmtree(retired, ignore_errors=True)
