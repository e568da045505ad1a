"""Stage: site (read in Chromium).

Every statement about a place through time, read from the rendered pages as a reader
sees them: the changes panel of every period page of the default atlas (renamings apart
from new spellings, each on the page of its period, no state that "ended" when only its
outline changed), popups whose capital follows the date, events whose places are named
as on their own day; and the same on a second atlas of another place and era.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from browser import map_idle, watch
from conftest import run_atlas

PERIODS = ["comintern-and-first-united-front", "civil-war-and-japan-in-manchuria", "war-against-japan",
           "soviet-invasion-and-civil-war", "sino-soviet-alliance", "sino-soviet-split", "border-war-and-enmity",
           "normalisation"]


def panel(page: Any) -> dict[str, Any]:
    """The changes panel as a reader sees it: its heading, its map-date line, its entries
    by kind (in order), and its "nothing changed" line."""
    found: dict[str, Any] = page.evaluate(r"""() => {
      const p = document.querySelector('.changes');
      if (!p) return null;
      const entries = [...p.querySelectorAll('li')].map(li => ({
        kind: [...li.classList].find(c => c.startsWith('change-')).slice(7),
        text: li.textContent.replace(/\s+/g, ' ').trim()}));  // folded ones too
      return {heading: p.querySelector('h2').innerText, date: p.querySelector('.map-date').innerText,
              entries: entries, nothing: p.querySelector('.no-changes')?.innerText || ''};
    }""")
    return found


def open_page(page: Any, site: Path, period: str) -> None:
    page.goto((site / "periods" / f"{period}.html").as_uri())
    page.wait_for_function("() => window.Atlas && window.Atlas.layersById && Object.keys(window.Atlas.layersById).length")
    map_idle(page)


def popup_of(page: Any, place: str) -> dict[str, str]:
    page.evaluate("(id) => window.Atlas.show(id, false)", place)
    page.wait_for_function("(id) => document.querySelectorAll('.leaflet-popup').length === 1", arg=place)
    map_idle(page)
    shown: dict[str, str] = page.evaluate("""() => {
      const box = document.querySelector('.leaflet-popup .popup');
      const text = (s) => (box.querySelector(s)?.textContent || '').trim();
      return {title: text('.popup-title'), kind: text('.popup-kind'), roles: text('.popup-roles'),
              existed: [...box.querySelectorAll('.popup-existed')].map(e => e.textContent.trim()).join(' / ')};
    }""")
    return shown


def event_places(page: Any, event: str) -> str:
    return str(page.locator(f"#event-{event} .event-places").inner_text())


def test_the_default_atlas_tells_only_what_happened_on_each_page(laptop: Any, default_site: Path) -> None:
    log = watch(laptop)
    panels = {}
    for period in PERIODS:
        open_page(laptop, default_site, period)
        panels[period] = panel(laptop)
        assert panels[period] is not None, f"{period} has no changes panel"
        assert panels[period]["date"].startswith("The map shows places as they were "), period
    texts = {period: [entry["text"] for entry in found["entries"]] for period, found in panels.items()}
    everything = " | ".join(text for found in texts.values() for text in found)
    assert "none recorded" not in everything
    assert "Democratic People's Republic of Korea ended" not in everything

    alliance = panels["sino-soviet-alliance"]
    renamed = [entry["text"] for entry in alliance["entries"] if entry["kind"] == "renamed"]
    for spelling in ("Canton → Guangzhou", "Nanking → Nanjing", "Mukden → Shenyang", "Port Arthur → Lüshun"):
        assert not any(spelling in text for text in renamed), renamed
    spellings = [entry["text"] for entry in alliance["entries"] if entry["kind"] == "spelling"]
    assert len(spellings) == 1 and spellings[0].endswith("1 October 1949")
    same, _, other = spellings[0].partition("Chinese names in place of names in other languages: ")
    assert "New spellings, not new names: Ang-ang-hsi → Angangxi, Antung → Andong, Canton → Guangzhou" in same  # respelled
    assert other.startswith("Dairen → Dalian")  # exonyms and other languages' names are not spellings either
    assert any(text.startswith("Democratic People's Republic of Korea: outline changed") and "27 July 1953" in text
               for text in texts["sino-soviet-alliance"])
    assert any(text.startswith("Beijing becomes capital of the People's Republic of China") for text in renamed + [
        entry["text"] for entry in alliance["entries"] if entry["kind"] == "role"])

    # Each change on the page of the period in which it happened, with what held before.
    assert any(text.startswith("Urga renamed Ulaanbaatar (on this map: Urga)") and "November 1924" in text
               for text in texts["comintern-and-first-united-front"])
    # English writers kept "Urga" for years: the former name giving way is neither a renaming nor a spelling.
    assert any(text.startswith("Ulan Bator in place of Urga (the former name gives way to the name in force")
               for text in texts["civil-war-and-japan-in-manchuria"])
    assert any(text.startswith("Andong → Dandong") and "20 January 1965" in text for text in texts["sino-soviet-split"])
    assert any(text.startswith("Chinese Eastern Railway: Contested → Sino-Soviet (joint)")
               for text in texts["comintern-and-first-united-front"])
    assert any(text.startswith("Manchukuo (State of Manchuria) began") for text in texts["civil-war-and-japan-in-manchuria"])
    assert any(text.startswith("Peiping → Peking") and "27 September 1949" in text
               for text in texts["soviet-invasion-and-civil-war"])
    assert panels["normalisation"]["nothing"].startswith("Nothing on the map changed")
    assert log.errors == []


def test_capitals_and_names_follow_the_date_in_popups_and_lists(laptop: Any, default_site: Path) -> None:
    log = watch(laptop)
    open_page(laptop, default_site, "civil-war-and-japan-in-manchuria")
    nanking = popup_of(laptop, "nanjing")
    assert nanking["title"] == "Nanking" and nanking["kind"] == "Capital"
    assert nanking["roles"] == "Capital of the Republic of China (Nationalist government)"
    peiping = popup_of(laptop, "beijing")
    assert peiping["title"] == "Peiping" and peiping["kind"] != "Capital" and peiping["roles"] == ""

    open_page(laptop, default_site, "sino-soviet-alliance")
    assert popup_of(laptop, "nanjing")["kind"] != "Capital"
    beijing = popup_of(laptop, "beijing")
    assert beijing["kind"] == "Capital" and beijing["roles"] == "Capital of the People's Republic of China"
    dprk = popup_of(laptop, "north-korea")
    assert dprk["existed"] == "This outline: from 27 July 1953"  # the outline's years, not the state's
    # The People's Republic was proclaimed in Beijing: the place as it was named that day.
    assert event_places(laptop, "prc-proclaimed") == "Beijing"
    assert event_places(laptop, "northeast-peoples-government") == "Mukden"  # 27 August 1949, before the PRC
    assert log.errors == []


OTHER_ATLAS = {
    "atlas.yaml": """\
title: "Names test: the Baltic and Ukraine"
names:
  forms: [en]
""",
    "places.yaml": """\
- id: kaliningrad
  name: Kaliningrad
  kind: city
  coordinates: [54.71, 20.51]
  names:
    - {name: Königsberg, when: "../1946-07-04", forms: {de: Königsberg, en: Königsberg, ru: Кёнигсберг}}
    - {name: Kaliningrad, when: "1946-07-04/..", forms: {ru: Калининград, en: Kaliningrad}}
  sources: [{label: "Encyclopaedia Britannica, 'Kaliningrad' (renamed 4 July 1946)"}]
- id: kyiv
  name: Kyiv
  kind: city
  coordinates: [50.45, 30.52]
  forms:
    uk: Київ
    en: [{name: Kiev, when: "../2019-08-13"}, {name: Kyiv, when: "2019-08-14/.."}]
  sources: [{label: "AP Stylebook, 14 August 2019: Kyiv"}]
- id: bonn
  name: Bonn
  kind: city
  coordinates: [50.73, 7.10]
  roles:
    - {role: capital, of: West Germany, when: "1949-05-23/1990-10-03"}
  sources: [{label: "Encyclopaedia Britannica, 'Bonn'"}]
- id: poland-1921
  name: Poland
  kind: state
  when: "1921-03-18/1939-09-28"
  outline_of: poland
  polygon: [[54.8, 17.5], [54.4, 18.6], [52.0, 26.0], [49.0, 24.0], [49.5, 19.0], [51.0, 15.5], [53.0, 16.2]]
  sources: [{label: "Treaty of Riga, 18 March 1921"}]
- id: poland
  name: Poland
  kind: state
  when: "1945-08-16/.."
  polygon: [[54.8, 14.2], [54.4, 19.6], [54.2, 23.5], [50.8, 24.1], [49.0, 22.6], [49.5, 19.0], [50.8, 14.8]]
  sources: [{label: "Soviet–Polish border agreement, 16 August 1945"}]
""",
    "periods.yaml": """\
- {id: between-the-wars, title: Between the wars, when: "1921/1939-08-31"}
- {id: war, title: The Second World War, when: "1939-09-01/1945-05-08"}
- {id: cold-war, title: The Cold War, when: "1945-05-09/1991-12-26"}
- {id: since, title: Since 1991, when: "1991-12-27/2022"}
""",
    "events.yaml": """\
- id: koenigsberg-taken
  date: 1945-04-06/1945-04-09
  title: The Red Army takes the city
  places: [kaliningrad]
  sources: [{label: "Encyclopaedia Britannica, 'Battle of Königsberg'"}]
- id: kaliningrad-oblast
  date: 1946-04-07
  title: The Königsberg region becomes part of the Russian republic
  places: [kaliningrad]
  sources: [{label: "Encyclopaedia Britannica, 'Kaliningrad'"}]
- id: orange-revolution
  date: 2004-11-22/2005-01-23
  title: The Orange Revolution
  places: [kyiv]
  sources: [{label: "Encyclopaedia Britannica, 'Orange Revolution'"}]
""",
}


@pytest.fixture(scope="module")
def other_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("names-atlas")
    for name, text in OTHER_ATLAS.items():
        (folder / name).write_text(text, encoding="utf-8")
    out = tmp_path_factory.mktemp("names-site")
    result = run_atlas("build", folder, "-o", out, "--strict")
    assert result.returncode == 0, result.stderr
    return out


def test_another_atlas_tells_renamings_spellings_roles_and_outlines(laptop: Any, other_site: Path) -> None:
    log = watch(laptop)
    found = {}
    for period in ("between-the-wars", "war", "cold-war", "since"):
        open_page(laptop, other_site, period)
        found[period] = panel(laptop)["entries"]
    cold_war = {(entry["kind"], entry["text"]) for entry in found["cold-war"]}
    assert ("renamed", "Königsberg → Kaliningrad 4 July 1946") in cold_war
    assert ("outline", "Poland: outline changed 16 August 1945") in cold_war
    assert ("role", "Bonn becomes capital of West Germany 23 May 1949") in cold_war
    assert ("role", "Bonn no longer capital of West Germany 3 October 1990") in cold_war
    assert {(entry["kind"], entry["text"]) for entry in found["war"]} == {
        ("outline", "Poland: outline not drawn from here on 28 September 1939")}
    assert [(entry["kind"], entry["text"]) for entry in found["since"]] == [
        ("spelling", "Kiev now written Kyiv (a new spelling, not a new name) 14 August 2019")]
    assert not any(entry["text"].startswith("Poland ended") for entries in found.values() for entry in entries)

    open_page(laptop, other_site, "war")
    assert event_places(laptop, "koenigsberg-taken") == "Königsberg"
    open_page(laptop, other_site, "cold-war")
    assert event_places(laptop, "kaliningrad-oblast") == "Königsberg"  # three months before the renaming
    assert popup_of(laptop, "bonn")["kind"] != "Capital"  # the map's day, 26 December 1991
    assert popup_of(laptop, "kaliningrad")["title"] == "Kaliningrad"
    open_page(laptop, other_site, "since")
    assert event_places(laptop, "orange-revolution") == "Kiev"
    assert popup_of(laptop, "kyiv")["title"] == "Kyiv"
    assert log.errors == []
