"""This user's cache folder for atlas: basemap cuts, compiled templates, build records."""

from __future__ import annotations

import os
from pathlib import Path


def cache_folder() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "atlas"
