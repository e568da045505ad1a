"""Stage: geo.

Doubtful geocoder matches, found by the real offline GeoNames gazetteer (and by geopy's
real Nominatim client against the Nominatim-compatible server): a country answered by a
town (Egypt → Goodyear, Arizona), a query that is only another name of the match and was
not narrowed (Kos → Sihanoukville, while Kos in Greece answers too), a match outside the
country or river its description names (Kashkar "on the Tigris" → Kashgar). Each is
marked in geocoded.json, printed by `atlas geocode`, and warned about by `atlas check`
(an error with --strict); a match narrowed by a country (Port Arthur in CN) is not."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

from conftest import ROOT, run_atlas
from nominatim_server import NominatimServer

PLACES = """\
- id: egypt
  name: Egypt
  kind: state
  geocode: Egypt
- id: kos
  name: Kos
  geocode: Kos
- id: kashkar
  name: Kashkar
  kind: town
  geocode: Kashkar
  description: A town on the Tigris, seat of a bishop.
- id: port-arthur
  name: Port Arthur
  kind: port
  geocode: Port Arthur
  country: CN
- id: herat
  name: Herat
  kind: city
  geocode: Herat
  description: A city in modern-day Afghanistan.
"""


def write_atlas(folder: Path, places: str = PLACES) -> Path:
    folder.mkdir()
    (folder / "atlas.yaml").write_text('title: "Doubts"\n', encoding="utf-8")
    (folder / "places.yaml").write_text(places, encoding="utf-8")
    (folder / "events.yaml").write_text("[]\n", encoding="utf-8")
    (folder / "periods.yaml").write_text("- id: all\n  title: All\n  when: 1900/1950\n", encoding="utf-8")
    return folder


def answers(folder: Path) -> dict[str, dict[str, object]]:
    data = json.loads((folder / "geocoded.json").read_text(encoding="utf-8"))
    places: dict[str, dict[str, object]] = data["places"]
    return places


def test_the_offline_gazetteer_marks_doubtful_matches_everywhere(tmp_path: Path) -> None:
    folder = write_atlas(tmp_path / "atlas")
    result = run_atlas("geocode", folder, "--offline")
    assert result.returncode == 0, result.stderr
    assert "5 resolved" in result.stdout and "3 doubtful matches to check by hand" in result.stdout
    found = answers(folder)
    assert "Goodyear" in str(found["egypt"]["display_name"])
    assert "'Egypt' names a country, and the match is a town" in str(found["egypt"]["doubt"])
    assert "Sihanoukville" in str(found["kos"]["display_name"])
    assert "answer to 'Kos' too (Kos, Greece)" in str(found["kos"]["doubt"])
    assert "Kashgar" in str(found["kashkar"]["display_name"])
    assert "the description names the Tigris, and the match (Kashgar, China) is not there" in str(
        found["kashkar"]["doubt"])
    # Narrowed by a country, an old name is no doubt; nor a match in the country described.
    assert "doubt" not in found["port-arthur"] and "doubt" not in found["herat"]
    for place in ("egypt", "kos", "kashkar"):
        assert f"warning: place '{place}': doubtful match" in result.stderr
    assert "kashkar: Kashgar, China" in result.stderr and "DOUBTFUL: " in result.stderr  # the progress line
    checked = run_atlas("check", folder)
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr.count("doubtful geocoder match") == 3
    assert "places.yaml:8: warning: place 'kashkar': doubtful geocoder match Kashgar" in checked.stderr
    assert run_atlas("check", folder, "--strict").returncode == 2


def test_a_checked_match_no_longer_warns_and_a_hint_asks_again(tmp_path: Path) -> None:
    folder = write_atlas(tmp_path / "atlas")
    assert run_atlas("geocode", folder, "--offline").returncode == 0
    data = json.loads((folder / "geocoded.json").read_text(encoding="utf-8"))
    del data["places"]["kos"]["doubt"]  # the author checked it: removing the doubt accepts it
    (folder / "geocoded.json").write_text(json.dumps(data), encoding="utf-8")
    checked = run_atlas("check", folder)
    assert "place 'kos'" not in checked.stderr and "place 'egypt'" in checked.stderr
    # A country hint asks again, and the match is then the Kos the author meant.
    places = (folder / "places.yaml").read_text(encoding="utf-8").replace("  geocode: Kos\n",
                                                                             "  geocode: Kos\n  country: GR\n")
    (folder / "places.yaml").write_text(places, encoding="utf-8")
    again = run_atlas("geocode", folder, "--offline")
    assert again.returncode == 0, again.stderr
    assert "Kos, Greece" in str(answers(folder)["kos"]["display_name"]) and "doubt" not in answers(folder)["kos"]


def test_answers_without_doubts_are_written_as_before(tmp_path: Path) -> None:
    folder = write_atlas(tmp_path / "atlas", PLACES.split("- id: port-arthur")[0].replace(
        "- id: egypt", "- id: herat\n  name: Herat\n  geocode: Herat\n  country: AF\n- id: egypt"))
    assert run_atlas("geocode", folder, "--offline").returncode == 0
    assert set(answers(folder)["herat"]) == {"query", "hints", "provider", "display_name", "lat", "lon", "date"}


def test_nominatim_matches_are_doubted_from_their_type_and_country(tmp_path: Path) -> None:
    places = textwrap.dedent("""\
        - id: egypt
          name: Egypt
          kind: state
          geocode: Egypt
        - id: kashkar
          name: Kashkar
          geocode: Kashkar
          description: A town on the Tigris.
        - id: harbin
          name: Harbin
          geocode: Harbin
        """)
    folder = write_atlas(tmp_path / "atlas", places)
    server_answers = {
        "egypt": [NominatimServer.answer(33.43, -112.36, "Egypt, Maricopa County, Arizona, United States",
                                         addresstype="hamlet", name="Egypt", address={"country_code": "us"})],
        "kashkar": [NominatimServer.answer(39.47, 75.99, "Kashgar, Xinjiang, China", name="Kashgar",
                                           address={"country_code": "cn"})],
        "harbin": [NominatimServer.answer(45.75, 126.64, "Harbin, Heilongjiang, China", name="Harbin",
                                          address={"country_code": "cn"})]}
    with NominatimServer(server_answers) as server:
        result = run_atlas("geocode", folder, "--domain", server.domain, "--scheme", "http",
                           "--user-agent", "atlas-tests (tests@example.net)")
        assert all(seen.params.get("addressdetails") == "1" for seen in server.seen)
    assert result.returncode == 0, result.stderr
    found = answers(folder)
    assert "'Egypt' names a country, and the match is a hamlet" in str(found["egypt"]["doubt"])
    assert "the match is called Kashgar, not 'Kashkar'" in str(found["kashkar"]["doubt"])
    assert "the description names the Tigris" in str(found["kashkar"]["doubt"])
    assert "doubt" not in found["harbin"]
    assert "2 doubtful matches" in result.stdout


def test_the_default_atlas_s_hand_checked_answers_are_not_doubted(tmp_path: Path) -> None:
    """Every city narrowed by its country, and descriptions that tell history ("founded by
    Russia", "under Japan") rather than where the town is: no doubt when asked again."""
    folder = tmp_path / "places"
    shutil.copytree(ROOT / "places", folder)
    result = run_atlas("geocode", folder, "--offline", "--refresh")
    assert result.returncode == 0, result.stderr
    assert " 0 from cache, 0 failed" in result.stdout and "doubtful" not in result.stdout + result.stderr
    assert not any("doubt" in answer for answer in answers(folder).values())
