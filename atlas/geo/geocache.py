"""`geocoded.json`: the geocoder's answers, by place id, committed beside the sources so
that builds need no network.

Each answer records the query and hints it answers, the provider, the display name, the
coordinates and the date, so a reviewer can see where every coordinate came from. The
file is rewritten atomically (a temporary file, then a rename) after every answer: a run
that dies keeps everything it had resolved, and the file is never half-written.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from atlas.source.records import shown_number
from atlas.util import files

CACHE_NAME = "geocoded.json"
VERSION = 1


@dataclass(frozen=True)
class Answer:
    query: str
    hints: dict[str, str]
    provider: str
    display_name: str
    lat: float
    lon: float
    date: str  # ISO day the answer was obtained
    doubt: str = ""  # why the match may be the wrong place ("" when none): written only when there is one

    def answers(self, query: str, hints: dict[str, str]) -> bool:
        """Whether this answer is for that question (a changed query or hint asks anew)."""
        return self.query == query and self.hints == hints


@dataclass
class Cache:
    path: Path
    answers: dict[str, Answer] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> Cache:
        """Read the cache; a missing file is an empty cache, a broken one raises ValueError."""
        path = folder / CACHE_NAME
        if not path.exists() and not path.is_symlink():
            return cls(path)
        try:
            data = json.loads(files.read_text(folder, path))
        except files.Unreadable as err:
            raise ValueError(f"{CACHE_NAME} {err}") from err
        except RecursionError as err:
            raise ValueError(f"{CACHE_NAME} is nested too deeply") from err
        places = data.get("places") if isinstance(data, dict) else None
        if not isinstance(places, dict):
            raise ValueError(f"{CACHE_NAME} should hold {{\"version\": 1, \"places\": {{…}}}}")
        return cls(path, {place_id: _answer(place_id, entry) for place_id, entry in places.items()})

    def save(self) -> None:
        """Write the whole cache atomically: readers see the old file or the new one."""
        data = {"version": VERSION, "places": {key: _entry(value) for key, value in sorted(self.answers.items())}}
        text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        descriptor, temporary = tempfile.mkstemp(prefix=f".{CACHE_NAME}.", dir=self.path.parent)
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, 0o644)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def put(self, place_id: str, answer: Answer) -> None:
        self.answers[place_id] = answer
        self.save()


def _answer(place_id: str, entry: Any) -> Answer:
    try:
        answer = Answer(
            query=str(entry["query"]), hints={str(k): str(v) for k, v in (entry.get("hints") or {}).items()},
            provider=str(entry["provider"]), display_name=str(entry.get("display_name", "")),
            lat=_degrees(entry["lat"]), lon=_degrees(entry["lon"]), date=str(entry.get("date", "")),
            doubt=str(entry.get("doubt") or ""),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise ValueError(f"the answer for '{place_id}' is incomplete ({err})") from err
    if not (math.isfinite(answer.lat) and math.isfinite(answer.lon) and -90 <= answer.lat <= 90
            and -180 <= answer.lon <= 180):
        raise ValueError(f"the answer for '{place_id}' is not a position on the globe (latitude "
                         f"{_shown(entry['lat'], answer.lat)}, longitude {_shown(entry['lon'], answer.lon)}); "
                         "run atlas geocode --refresh")
    return answer


def _entry(answer: Answer) -> dict[str, Any]:
    """An answer as the file holds it: `doubt` only when there is one (files of answers
    without doubts stay as they were)."""
    entry = asdict(answer)
    if not entry["doubt"]:
        del entry["doubt"]
    return entry


def _degrees(value: Any) -> float:
    """A coordinate as a float; a whole number too large for one (400 digits) is infinite,
    and so off the globe, rather than an OverflowError."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def _shown(written: Any, value: float) -> str:
    return shown_number(written) if math.isinf(value) and isinstance(written, int) else str(value)
