"""What an exported file holds, counted in the file itself (not in the atlas it came
from), for the line `atlas export` prints: so the line cannot say a file holds what its
writer left out (a Linked Places file holds places only; a story map one period's events)."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from typing import Any

from atlas.source.model import Atlas

KINDS = ("events", "places", "periods")


def counts(name: str, text: str) -> dict[str, int]:
    """How many events, places and periods the file holds, as its format keeps them
    (a TimelineJS era is a period, a story map's slide an event and its location a place)."""
    if name in ("csv", "lptsv"):  # a row an event; LP-TSV's a place
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter="," if name == "csv" else "\t"))[1:]
        return {"events" if name == "csv" else "places": sum(1 for row in rows if any(cell.strip() for cell in row))}
    data: Any = json.loads(text)
    if name == "timelinejs":
        return {"events": len(data.get("events") or []), "periods": len(data.get("eras") or [])}
    if name == "storymapjs":
        slides = [slide for slide in data["storymap"]["slides"] if slide.get("type") != "overview"]
        # (a place once however many slides show it, whatever their zoom)
        places = {(str(spot.get("name")), spot.get("lat"), spot.get("lon"))
                  for slide in slides if isinstance(spot := slide.get("location"), dict)}
        overview = any(slide.get("type") == "overview" for slide in data["storymap"]["slides"])
        return {"events": len(slides), "places": len(places), "periods": int(overview)}
    found = Counter(str((feature.get("properties") or {}).get("type")) for feature in data.get("features") or [])
    if name == "lpf":
        return {"places": sum(found.values())}
    header = data.get("atlas") or {}
    return {"events": found["event"], "places": found["place"], "periods": len(header.get("periods") or []),
            "settings": int(bool(header.get("settings")))}


def _said(count: int, kind: str) -> str:
    return f"{count} {kind if count != 1 else kind[:-1]}"


def summary(name: str, text: str, atlas: Atlas, shown: str) -> str:
    """`Exported to FILE as FORMAT: 90 events, 8 periods (left out: 78 places)`, and a part
    of a kind as `12 of 90 events`."""
    try:
        held = counts(name, text)
    except (ValueError, KeyError, TypeError, AttributeError):  # a writer's new layout: say only where it went
        return f"Exported to {shown} as {name}"
    totals = {"events": len(atlas.events), "places": len(atlas.places), "periods": len(atlas.periods)}
    parts, left = [], []
    for kind in KINDS:
        count, total = held.get(kind, 0), totals[kind]
        if count and count == total:
            parts.append(_said(count, kind))
        elif count:
            parts.append(f"{count} of {_said(total, kind)}")
        if count < total:
            left.append(_said(total - count, kind))
    if held.get("settings"):
        parts.append("the atlas's settings")
    line = f"Exported to {shown} as {name}: {', '.join(parts) or 'nothing'}"
    return line + (f" (left out: {', '.join(left)})" if left else "")
