"""The atlas as its sources write it, for a format that carries it whole (our GeoJSON).

Out: every record's fields as the author wrote them (dates as the text written, never a
number), read again from the source folder; what a file elsewhere holds (a GeoJSON shape,
a place's geocoder answer) goes with them, since the file does not. In: such records,
from a file nobody vouches for, as records an import writes (which it checks before
writing them), images in the atlas folder left out (they are not in the export), shapes
from the GeoJSON geometry.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any

from atlas.formats.common import Draft, Record, Unusable, obj, remote_media
from atlas.formats.shapes import shape_fields, usable
from atlas.formats.yamltext import records_text, scalar
from atlas.geo.geocache import Cache
from atlas.geo.resolve import event_areas
from atlas.source.model import SLUG, Atlas
from atlas.source.readers import read_folder
from atlas.source.records import Record as Written

# Fields that hold EDTF dates: always the text written (`1945` stays "1945", `0700` is not 448).
DATE_KEYS = frozenset({"date", "when", "from", "map_date", "mapped"})
# A place's shape fields that its feature's geometry gives back (`via` and `geocode` are
# kept as written: they say where the geometry came from).
GEOMETRY_KEYS = ("coordinates", "polygon", "geojson")
# atlas.yaml's fields that name files of the atlas folder, which the export does not hold.
FOLDER_SETTINGS = ("templates",)


def plain(value: Any, key: str = "", text: str | None = None) -> Any:
    """A value read from the sources as JSON: mappings and lists as they are, a date as the
    text written, and a number YAML read otherwise than it was written (`0700`, `.inf`) as
    its text too."""
    if isinstance(value, Written):
        return {name: plain(item, name, value.text(name)) for name, item in value.values.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if text is not None and value is not None and (key in DATE_KEYS or _misread(value, text)):
        return text
    return value


def _misread(value: Any, text: str) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return (isinstance(value, float) and not math.isfinite(value)) or str(value) != text


@dataclass
class Sources:
    """The atlas's records as written, by id, and what the export leaves out of them."""

    settings: Record
    places: dict[str, Record]
    events: dict[str, Record]
    periods: list[Record]
    geocoded: dict[str, Record]
    notes: list[str] = field(default_factory=list)


def written(atlas: Atlas) -> Sources:
    """The checked atlas's records, read again from its folder as the author wrote them."""
    sources = read_folder(atlas.source_dir)
    settings = plain(sources.info) if sources.info is not None else {"title": atlas.info.title}
    dropped = [key for key in FOLDER_SETTINGS if key in settings]
    for key in dropped:
        del settings[key]
    places = {str(r.values.get("id")): plain(r) for r in sources.places}
    events = {str(r.values.get("id")): plain(r) for r in sources.events}
    found = Sources(settings, places, events, [plain(r) for r in sources.periods], {})
    found.notes += [f"atlas.yaml's `{key}` left out: it names files of the atlas folder" for key in dropped]
    found.geocoded = _answers(atlas, places)
    areas, _ = event_areas(atlas)
    files = 0
    for record in [*places.values(), *events.values()]:
        files += _without_files(record)
    for record in places.values():
        if "via" not in record and "geocode" not in record:
            for key in GEOMETRY_KEYS:
                record.pop(key, None)
    for record in events.values():
        _area_out(record, areas)
    if files:
        found.notes.append(f"{files} images in the atlas folder left out (`media: file:`): the export holds no "
                           "images, and an import of it no reference to them")
    if atlas.lessons:
        found.notes.append(f"{len(atlas.lessons)} lesson{'s' if len(atlas.lessons) > 1 else ''} left out: "
                           "GeoJSON holds no lessons")
    return found


def _answers(atlas: Atlas, places: dict[str, Record]) -> dict[str, Record]:
    """The geocoder's answers for the `geocode:` places (the import writes them to geocoded.json)."""
    wanted = {key for key, record in places.items() if "geocode" in record}
    if not wanted:
        return {}
    answers = Cache.load(atlas.source_dir).answers
    return {key: asdict(answer) for key, answer in sorted(answers.items()) if key in wanted}


def _without_files(record: Record) -> int:
    """The record's media without images of the atlas folder; how many it had."""
    media = record.get("media")
    if not isinstance(media, list):
        return 0
    kept = [item for item in media if not (isinstance(item, dict) and "file" in item)]
    if kept:
        record["media"] = kept
    else:
        del record["media"]
    return len(media) - len(kept)


def _area_out(record: Record, areas: dict[str, Any]) -> None:
    """An event's area from a GeoJSON file goes out as its geometry (`{geometry: …}`)."""
    area = record.get("area")
    written_path = area.get("geojson") if isinstance(area, dict) else area
    if isinstance(written_path, str) and written_path in areas:
        record["area"] = {"geometry": areas[written_path]}


# The import side.

def clean(value: Any, where: str, shown: str) -> Any:
    """A JSON value as one an import may write (YAML has no NaN or infinity of JSON's
    kind). Field names need no check here: yamltext quotes any that YAML would misread,
    and the import's check refuses a field atlas does not know."""
    if isinstance(value, dict):
        return {key: clean(item, f"{where}/{key[:40]}", shown) for key, item in value.items()}
    if isinstance(value, list):
        return [clean(item, f"{where}/{n}", shown) for n, item in enumerate(value)]
    if isinstance(value, float) and not math.isfinite(value):
        raise Unusable(shown, where, "not a finite number")
    return value


def record_in(value: Any, where: str, shown: str) -> Record:
    """A record of the export (a mapping), checked."""
    record = clean(obj(value), where, shown)
    assert isinstance(record, dict)
    return record


def place_in(record: Record, geometry: dict[str, Any], draft: Draft) -> None:
    """A place's shape: as written when it is a line through places or a geocoder query,
    else from its feature's geometry."""
    if "geocode" in record and not _answered(record, draft.geocoded.get(record["id"])):
        for key in ("geocode", "country", "near"):  # the feature's point is the answer there is
            record.pop(key, None)
        draft.notes.append(f"place '{record['id']}': the file holds no geocoder answer to its query; kept at the "
                           "feature's point (coordinates)")
    if "via" in record or "geocode" in record:
        draft.places.append(record)
        return
    for key in GEOMETRY_KEYS:
        record.pop(key, None)
    if usable(geometry):
        record.update(shape_fields(geometry, record["id"], draft))
        draft.places.append(record)
    else:
        draft.unplaced.append(record)


def _answered(record: Record, answer: Record | None) -> bool:
    """Whether the geocoder's answer is the one `atlas check` takes for the place: to its
    query, with its hints (country, near, kind; a place's kind is "place" unless given)."""
    given = {"country": record.get("country"), "near": record.get("near"), "kind": record.get("kind") or "place"}
    hints = {key: str(value) for key, value in given.items() if value}
    return answer is not None and answer["query"] == str(record["geocode"]) and answer["hints"] == hints


def event_in(record: Record, draft: Draft, where: str, shown: str) -> int:
    """An event's area from its geometry, images of the atlas folder left out (how many)."""
    media = record.get("media")
    if media is not None and not (isinstance(media, list) and all(isinstance(item, dict) for item in media)):
        raise Unusable(shown, f"{where}/media", "media is a list of mappings ({url, credit}, {quote, source}, …)")
    area = record.get("area")
    if isinstance(area, dict) and "geometry" in area:
        shape = obj(area["geometry"])
        if not usable(shape) or "Polygon" not in str(shape.get("type")):
            raise Unusable(shown, f"{where}/area/geometry", "an area is a Polygon or a MultiPolygon")
        record["area"] = shape_fields(shape, record["id"], draft)
    return _without_files(record)


def answers_in(value: Any, shown: str) -> dict[str, Record]:
    """The export's geocoder answers, each one geocoded.json holds (a position on the globe)."""
    answers: dict[str, Record] = {}
    for key, entry in obj(value).items():
        answer, hints = obj(entry), obj(obj(entry).get("hints"))
        lat, lon = answer.get("lat", math.nan), answer.get("lon", math.nan)
        texts = [answer.get(name, "") for name in ("query", "provider", "display_name", "date")]
        # (compared, never made floats: NaN and infinities fail, a 400-digit integer is no overflow)
        on_globe = all(isinstance(n, (int, float)) and not isinstance(n, bool) and -limit <= n <= limit
                       for n, limit in ((lat, 90), (lon, 180)))
        if not (SLUG.match(key) and on_globe and all(isinstance(t, str) for t in texts) and answer.get("query")
                and all(isinstance(v, str) for v in hints.values())):
            raise Unusable(shown, f"/atlas/geocoded/{key[:40]}", "not a geocoder answer atlas reads (a query, "
                           "a provider, and a latitude and longitude on the globe)")
        answers[key] = {"query": texts[0], "hints": hints, "provider": texts[1], "display_name": texts[2],
                        "lat": lat, "lon": lon, "date": texts[3]}
    return answers


def new_settings(name: str, draft: Draft) -> str:
    """A new atlas's atlas.yaml: the settings the import brings (our GeoJSON's), else a
    title (the folder's `name` without one); media elsewhere allowed when the events link some."""
    if draft.settings:
        settings = dict(draft.settings)
        media = obj(settings.get("media"))
        if remote_media(draft.events) and media.get("remote") is not True:
            settings["media"] = {**media, "remote": True}
        return settings_text(settings)
    title = draft.title or name
    lines = [f"title: {scalar(title)}"] + ([f"subtitle: {scalar(draft.subtitle)}"] if draft.subtitle else [])
    if remote_media(draft.events):
        lines += ["# The imported events link images elsewhere: shown as links, never fetched by the build.",
                  "media: {remote: true}"]
    # The categories the events name, declared with the labels the files gave them (TimelineJS's groups).
    used = dict.fromkeys(str(record["category"]) for record in draft.events if record.get("category"))
    if draft.categories:
        lines += ["categories:"] + [f"  {scalar(key)}:" + (f"\n    label: {scalar(draft.categories[key])}"
                                                          if key in draft.categories else " {}") for key in used]
    return "\n".join(lines) + "\n"


def settings_text(settings: Record) -> str:
    """atlas.yaml from its settings: the fields as an import writes a record's."""
    lines = records_text([settings]).splitlines(keepends=True)
    return "".join(line[2:] if line.startswith(("- ", "  ")) else line for line in lines)


def geocoded_text(before: str | None, answers: dict[str, Record]) -> str:
    """geocoded.json with the answers added (written as `atlas geocode` writes it)."""
    places = dict(obj(obj(json.loads(before)).get("places"))) if before else {}
    places.update(answers)
    data = {"version": 1, "places": dict(sorted(places.items()))}
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
