"""Stage: source (atlas.source.names), with the changes panel it feeds (site).

A place through time: a renaming is a change of the name in force, a new spelling a
change of the form a label takes; labels follow the atlas's rule and its conventions;
roles, holders and existence are read on a day; the changes panel tells each change once,
on the period in which it happened, with what held just before it.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from atlas.errors import Origin
from atlas.site.changes import Change, changes_in
from atlas.site.legend import palette_for
from atlas.site.views import period_views
from atlas.source.dates import parse
from atlas.source.model import (
    Atlas,
    AtlasInfo,
    Convention,
    Form,
    Name,
    NameRule,
    Period,
    Place,
    Point,
    Role,
    TimedValue,
)
from atlas.source.names import Naming, control_at, event_day, kind_at, map_date_text, map_day, turning_days

HERE = Origin("test", 1)


def day(text: str) -> float:
    return parse(text).first


CANTON = Place("guangzhou", "Guangzhou", "city", Point(23.1, 113.3), HERE,
               forms=(Form("广州", "zh-Hans"), Form("Canton", "zh-Latn-x-postal"), Form("Guangzhou", "zh-Latn-pinyin")))
SHENYANG = Place("mukden", "Shenyang", "city", Point(41.8, 123.4), HERE, names=(
    Name("Fengtian", None, parse("../1929-04-02"), (Form("奉天", "zh-Hant"), Form("Mukden", "en"))),
    Name("Shenyang", None, parse("1929-04-02/.."), (Form("Mukden", "en"), Form("Shenyang", "zh-Latn-pinyin"))),
))
PEKING = Place("beijing", "Beijing", "city", Point(39.9, 116.4), HERE, names=(
    Name("Peking", "zh-Latn-x-postal", parse("../1928-06-20")),
    Name("Peiping", "zh-Latn-x-postal", parse("1928-06-20/1949-09-27")),
    Name("Beijing", None, parse("1949-09-27/.."), (Form("Peking", "zh-Latn-x-postal"), Form("Beijing", "zh-Latn-pinyin"))),
), roles=(Role("capital", "the Republic of China (Beiyang government)", parse("../1928-06-20")),
          Role("capital", "the People's Republic of China", parse("1949-10-01/.."))))
USAGE = ("en", "zh-Latn-x-postal")  # English names first, then the postal spellings
PINYIN_FROM_1949 = NameRule((Convention(None, USAGE), Convention(parse("1949-10-01"), ("zh-Latn-pinyin", "en"),
                                                                   "Pinyin from here on")))


def test_a_label_takes_the_first_form_the_rule_asks_for() -> None:
    usage = Naming(NameRule((Convention(None, USAGE),)))
    assert usage.label(CANTON, day("1930")) == "Canton"
    assert usage.label(CANTON, day("1990")) == "Canton"  # English forms here are undated
    pinyin = Naming(NameRule((Convention(None, ("zh-Latn-pinyin",)),)))
    assert pinyin.label(CANTON, day("1930")) == "Guangzhou"
    script = Naming(NameRule((Convention(None, ("zh",)),)))  # a language asks for its scripts too
    assert script.label(CANTON, day("1930")) == "广州"


def test_without_a_rule_the_atlas_language_chooses_and_the_name_itself_is_the_last_resort() -> None:
    assert Naming(NameRule(), "zh").label(CANTON, day("1930")) == "广州"
    assert Naming(NameRule(), "fr").label(CANTON, day("1930")) == "Guangzhou"
    plain = Place("x", "Plain", "city", Point(0, 0), HERE)
    assert Naming(NameRule()).label(plain, day("1930")) == "Plain"


def test_the_name_in_force_changes_at_a_renaming_and_holds_through_its_last_day() -> None:
    naming = Naming(NameRule((Convention(None, USAGE),)))
    assert naming.written(PEKING, day("1928-06-20")).label == "Peking"  # the day of the renaming: still the old name
    assert naming.written(PEKING, day("1928-06-21")).label == "Peiping"
    assert naming.written(PEKING, day("1928-06-21")).name == 1
    assert naming.written(PEKING, day("1950")).label == "Peking"  # renamed Beijing; in English still Peking
    assert naming.written(SHENYANG, day("1928")).name != naming.written(SHENYANG, day("1930")).name
    assert naming.label(SHENYANG, day("1928")) == naming.label(SHENYANG, day("1930")) == "Mukden"


def test_a_convention_changes_the_form_from_its_date() -> None:
    naming = Naming(PINYIN_FROM_1949)
    assert naming.label(CANTON, day("1949-09-30")) == "Canton"
    assert naming.label(CANTON, day("1949-10-01")) == "Guangzhou"
    assert naming.label(PEKING, day("1949-10-01")) == "Beijing"


def test_a_script_used_only_from_a_date_is_not_shown_before_it() -> None:
    rule = NameRule((Convention(None, ("zh",)),), since=(("zh-Hans", parse("1956-01-28")),))
    both = Place("x", "Guangzhou", "city", Point(0, 0), HERE, forms=(Form("广州", "zh-Hans"), Form("廣州", "zh-Hant")))
    assert Naming(rule).label(both, day("1950")) == "廣州"
    assert Naming(rule).label(both, day("1960")) == "广州"  # the first form in order, now in use
    assert "广州" not in Naming(rule).others(both, day("1950"))


def test_a_form_in_use_for_some_years_is_used_only_then() -> None:
    taipei = Place("taipei", "Taipei", "city", Point(25, 121.5), HERE, forms=(
        Form("Taihoku", "en", parse("1895/1945-10-25")), Form("Taipei", "en", parse("1945-10-25/.."))))
    naming = Naming(NameRule((Convention(None, ("en",)),)))
    assert naming.label(taipei, day("1945-10-25")) == "Taihoku"
    assert naming.label(taipei, day("1945-10-26")) == "Taipei"


def test_modern_labels_carry_the_form_of_the_time_in_brackets() -> None:
    naming = Naming(NameRule((Convention(None, USAGE),), modern=("zh-Latn-pinyin", "en")))
    assert naming.label(CANTON, day("1930")) == "Guangzhou (Canton)"
    assert naming.label(PEKING, day("1930")) == "Beijing (Peiping)"
    assert naming.label(Place("x", "Plain", "city", Point(0, 0), HERE), day("1930")) == "Plain"
    assert "Canton" not in naming.others(CANTON, day("1930"))  # shown in the brackets already


def test_other_forms_are_listed_beside_the_label() -> None:
    naming = Naming(NameRule((Convention(None, ("en",)),)))
    assert naming.others(SHENYANG, day("1928")) == ("奉天", "Fengtian")


def test_capitals_and_holders_follow_the_date() -> None:
    assert kind_at(PEKING, day("1927")) == "capital"
    assert kind_at(PEKING, day("1930")) == "city"
    assert kind_at(PEKING, day("1949-10-01")) == "capital"
    railway = Place("cer", "CER", "railway", Point(0, 0), HERE, control=(
        TimedValue("Contested", parse("1917-11/1924-10")), TimedValue("Sino-Soviet", parse("1924-10/1929-07-10"))))
    assert control_at(railway, day("1924-10-15")) == "Contested"  # a holder holds through its last day (month)
    assert control_at(railway, day("1924-11-01")) == "Sino-Soviet"
    assert control_at(railway, day("1950")) == ""


def test_maps_name_their_day_and_events_their_own() -> None:
    period = Period("p", "P", parse("1945-08-08/1949-10-01"), HERE)
    assert map_day(period, NameRule()) == day("1949-10-01")
    assert map_day(period, NameRule(map_date="start")) == day("1945-08-08")
    chosen = Period("p", "P", parse("1945-08-08/1949-10-01"), HERE, map_date="1949-09-30")
    assert map_day(chosen, NameRule()) == day("1949-09-30")
    assert map_date_text(chosen, NameRule()) == "on 30 September 1949"
    assert map_date_text(Period("p", "P", parse("1920/1927"), HERE), NameRule()) == "in 1927"
    assert map_day(Period("p", "P", parse("1980/.."), HERE), NameRule()) == day("1980")  # an open end: its start
    assert event_day(parse("../1950")) == parse("../1950").last
    assert event_day(parse("1950-03/1950-05")) == day("1950-03-01")


def test_turning_days_are_where_something_begins_or_the_day_after_it_ends() -> None:
    found = turning_days(PEKING, day("1920"), day("1960"), PINYIN_FROM_1949)
    assert day("1928-06-20") in found and day("1928-06-21") in found and day("1949-10-01") in found
    assert all(day("1920") < d <= day("1960") for d in found)
    assert turning_days(PEKING, -math.inf, day("1900")) == []


def _atlas(*places: Place, periods: tuple[Period, ...], rule: NameRule = PINYIN_FROM_1949) -> Atlas:
    return Atlas(AtlasInfo("Test", names=rule), places, (), periods, Path("."))


def _changes(atlas: Atlas) -> list[list[Change]]:
    views = period_views(atlas)
    palette = palette_for(atlas)
    return [changes_in(atlas, views[i - 1] if i else None, view, palette) for i, view in enumerate(views)]


PERIODS = (Period("a", "A", parse("1920/1937"), HERE), Period("b", "B", parse("1937/1949-09-30"), HERE),
           Period("c", "C", parse("1949-10-01/1960"), HERE))


def test_a_convention_is_one_line_of_spellings_never_a_list_of_renamings() -> None:
    first, second, third = _changes(_atlas(CANTON, SHENYANG, PEKING, periods=PERIODS))
    renamed = [(c.text, c.date) for c in first if c.kind == "renamed"]
    assert renamed == [("Peking → Peiping", "20 June 1928"), ("Fengtian renamed Shenyang (on this map: Mukden)",
                                                                "2 April 1929")]
    assert [c.text for c in second if c.kind == "renamed"] == ["Peiping → Peking"]
    spelling = [c for c in third if c.kind == "spelling"]
    assert len(spelling) == 1 and spelling[0].date == "1 October 1949" and spelling[0].place == ""
    assert spelling[0].text == ("Pinyin from here on. New spellings, not new names: Canton → Guangzhou, Peking → Beijing. "
                                "Chinese names in place of names in other languages: Mukden → Shenyang.")
    assert not [c for c in third if c.kind == "renamed"]
    roles = [c.text for c in [*first, *third] if c.kind == "role"]
    assert roles == ["Peking no longer capital of the Republic of China (Beiyang government)",
                     "Beijing becomes capital of the People's Republic of China"]


def test_a_holder_change_says_what_held_just_before() -> None:
    railway = Place("cer", "CER", "railway", Point(0, 0), HERE, control=(
        TimedValue("Russian", parse("1897/1917-11")), TimedValue("Contested", parse("1917-11/1924-10")),
        TimedValue("Joint", parse("1924-10/1929-07-10"))))
    (found,) = _changes(_atlas(railway, periods=(Period("p", "P", parse("1920/1927"), HERE),)))
    assert [(c.text, c.date) for c in found] == [("CER: Contested → Joint", "October 1924")]


def test_a_state_whose_outline_changes_does_not_end() -> None:
    before = Place("dprk-1948", "DPRK", "state", Point(0, 0), HERE, when=parse("1948-09-09/1950-06-25"),
                   outline_of="dprk")
    after = Place("dprk", "DPRK", "state", Point(0, 0), HERE, when=parse("1953-07-27/.."))
    changes = [c for period in _changes(_atlas(before, after, periods=PERIODS)) for c in period]
    texts = [(c.kind, c.text, c.date) for c in changes]
    assert ("began", "DPRK began", "9 September 1948") in texts
    assert ("outline", "DPRK: outline not drawn from here on", "25 June 1950") in texts
    assert ("outline", "DPRK: outline changed", "27 July 1953") in texts
    assert not [c for c in changes if c.kind == "ended"]


def test_a_period_where_nothing_changed_has_an_empty_list() -> None:
    quiet = (Period("a", "A", parse("1960/1970"), HERE), Period("b", "B", parse("1970/1980"), HERE))
    assert _changes(_atlas(CANTON, SHENYANG, PEKING, periods=quiet)) == [[], []]


@pytest.mark.parametrize("tag", ["e", "en_GB", "zh-", "-en", "x" * 9])
def test_a_language_tag_is_checked(tmp_path: Path, tag: str) -> None:
    from atlas.source.namefields import LANG_TAG

    assert not LANG_TAG.match(tag)


RULED_ATLAS = """\
title: Names
names:
  forms: [en]
  conventions:
    - {from: "1949-10-01", forms: [zh-Latn-pinyin, en]}
"""
PLACES = """\
- id: zhenbao
  name: Zhenbao Island
  coordinates: [46.49, 133.84]
  names:
    - {name: Zhenbao Island, lang: zh-Latn-pinyin, when: "1900/.."}
  sources: [{label: a source}]
- id: canton
  name: Guangzhou
  coordinates: [23.13, 113.26]
  forms: {en: Canton, zh-Latn-pinyin: Guangzhou}
  sources: [{label: a source}]
- id: dalian
  name: Dalian
  coordinates: [38.91, 121.6]
  names:
    - {name: Dairen, when: "1905/1935", forms: {en: Dairen}}
    - {name: Dalian, when: "1950/..", forms: {en: Dalian}}
  sources: [{label: a source}]
- id: urga
  name: Ulaanbaatar
  coordinates: [47.9, 106.9]
  names:
    - {name: Urga, when: "../1924-11"}
    - {name: Ulaanbaatar, when: "1924-11/.."}
  sources: [{label: a source}]
"""
PERIODS_YAML = """\
- {id: early, title: Early, when: "1920/1930"}
- {id: late, title: Late, when: "1940/1960"}
"""


def test_check_warns_of_names_that_break_the_rule_gaps_and_changes_no_page_tells(tmp_path: Path) -> None:
    from conftest import run_atlas

    folder = tmp_path / "atlas"
    folder.mkdir()
    for name, text in (("atlas.yaml", RULED_ATLAS), ("places.yaml", PLACES), ("periods.yaml", PERIODS_YAML),
                       ("events.yaml", "[]\n")):
        (folder / name).write_text(text, encoding="utf-8")
    result = run_atlas("check", folder)
    assert result.returncode == 0, result.stderr
    warnings = [line.split(": warning: ", 1)[1] for line in result.stderr.splitlines() if ": warning: " in line]
    assert sorted(warnings) == sorted([
        "place 'zhenbao' is labelled 'Zhenbao Island' (zh-Latn-pinyin) on the map of 31 December 1930, where the "
        "atlas's names rule asks for en: add forms: {en: …} to that name",
        "place 'dalian' has no name between 1935 and 1950: let one name end where the next begins",
        "a change of place 'dalian' on 1 January 1936 falls between the periods: no page tells it",
    ])
    assert "canton" not in result.stderr and "urga" not in result.stderr


URGA = Place("ulaanbaatar", "Ulaanbaatar", "capital", Point(47.9, 106.9), HERE, names=(
    Name("Urga", None, parse("../1924-11"), (Form("Urga", "en"),)),
    Name("Ulaanbaatar", None, parse("1924-11/.."), (Form("Urga", "en", parse("1924-11/1945~")),
                                                   Form("Ulan Bator", "en", parse("1945~/1992")))),
))


def test_a_former_name_kept_for_years_gives_way_neither_renamed_nor_respelled() -> None:
    english = NameRule((Convention(None, ("en",)),))
    first, second, third = _changes(_atlas(URGA, periods=PERIODS, rule=english))
    assert [(c.kind, c.text) for c in first] == [("renamed", "Urga renamed Ulaanbaatar (on this map: Urga)")]
    assert [(c.kind, c.text, c.date) for c in second] == [
        ("usage", "Ulan Bator in place of Urga (the former name gives way to the name in force, not a renaming)",
         "c. 1945")]
    assert third == []
