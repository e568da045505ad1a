"""The baselines `atlas build` is measured against: the same synthetic atlas made into
one map page a period by folium alone, the least it can do and the naive way.

    python benchmarks/folium_baseline.py bare|naive SOURCE OUT

- bare: the YAML read with libyaml's CSafeLoader; per period a `folium.Map` and one
  `folium.GeoJson` of that period's events; saved. No list, timeline, embed, index or
  export, no validation: the floor for a folium-based tool.
- naive: per period a `folium.Map` with the places (one `folium.CircleMarker` with its
  name each, as atlas's pages show every place) and one `folium.Marker` and
  `folium.Popup` per event (its title, date, place, summary and source): what a folium
  user writes first for the same maps.

Events belong to the period of their year (the synthetic atlas has one period a year).
"""

from __future__ import annotations

import html
import sys
from pathlib import Path
from typing import Any

import folium
import yaml


def load(source: Path, name: str) -> Any:
    return yaml.load((source / name).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def by_period(source: Path) -> tuple[dict[str, Any], list[tuple[str, list[Any]]]]:
    places = {place["id"]: place for place in load(source, "places.yaml")}
    events = load(source, "events.yaml")
    periods = load(source, "periods.yaml")
    years: dict[str, list[Any]] = {}
    for event in events:
        years.setdefault(str(event["date"])[:4], []).append(event)
    return places, [(period["id"], years.get(str(period["when"])[:4], [])) for period in periods]


def point(places: dict[str, Any], event: Any) -> list[float]:
    return list(places[event["places"][0]]["coordinates"])


def bare(source: Path, out: Path) -> None:
    places, periods = by_period(source)
    for period_id, events in periods:
        features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": point(places, e)[::-1]},
                     "properties": {"title": e["title"], "date": str(e["date"])}} for e in events]
        fmap = folium.Map(location=[35, 100], zoom_start=4, tiles=None)
        folium.GeoJson({"type": "FeatureCollection", "features": features}).add_to(fmap)
        fmap.save(str(out / f"{period_id}.html"))


def naive(source: Path, out: Path) -> None:
    places, periods = by_period(source)
    for period_id, events in periods:
        fmap = folium.Map(location=[35, 100], zoom_start=4, tiles=None)
        for place in places.values():
            if "coordinates" in place:
                folium.CircleMarker(list(place["coordinates"]), radius=4, tooltip=place["name"]).add_to(fmap)
        for e in events:
            source_ = e["sources"][0]
            text = (f"<b>{html.escape(e['title'])}</b><br>{e['date']}<br>{html.escape(e['places'][0])}"
                    f"<br>{html.escape(e.get('summary', ''))}<br><a href='{source_.get('url', '')}'>"
                    f"{html.escape(source_['label'])}</a>")
            folium.Marker(point(places, e), popup=folium.Popup(text), tooltip=e["title"]).add_to(fmap)
        fmap.save(str(out / f"{period_id}.html"))


def dense(source: Path, out: Path) -> None:
    """The dense page's baseline: one folium map of every place and every event, as GeoJSON."""
    places, periods = by_period(source)
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": list(p["coordinates"])[::-1]},
                 "properties": {"name": p["name"]}} for p in places.values() if "coordinates" in p]
    for _, events in periods:
        features += [{"type": "Feature", "geometry": {"type": "Point", "coordinates": point(places, e)[::-1]},
                      "properties": {"title": e["title"], "date": str(e["date"])}} for e in events]
    fmap = folium.Map(location=[32, 100], zoom_start=4, tiles=None)
    folium.GeoJson({"type": "FeatureCollection", "features": features},
                   marker=folium.CircleMarker(radius=4)).add_to(fmap)
    fmap.save(str(out / "dense.html"))


if __name__ == "__main__":
    mode, source, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)
    {"bare": bare, "naive": naive, "dense": dense}[mode](source, out)
