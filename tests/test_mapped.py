"""Stage: site.

`mapped:` is when the maps draw a place: an author's choice, not a fact about it. A
battlefield known only for its battle is drawn from its battle's period on — not labelled
on the maps of the years before (Zhenbao Island on a 1920s map was an anachronism). The
place still exists then, so no page says it began; and an event at a place its `mapped:`
keeps off the map of the event's time is a warning.
"""

from __future__ import annotations

from pathlib import Path

from conftest import map_features, run_atlas

SITE = """
- id: nomonhan
  name: Khalkhin Gol
  kind: site
  coordinates: [47.73, 118.59]
  mapped: "1945-08-16/.."
"""


def _with_site(source: Path, event_places: str = "[harbin, nomonhan]") -> None:
    (source / "places.yaml").write_text((source / "places.yaml").read_text(encoding="utf-8") + SITE, encoding="utf-8")
    events = (source / "events.yaml").read_text(encoding="utf-8")
    (source / "events.yaml").write_text(events.replace("places: [harbin, mukden]", f"places: {event_places}"),
                                        encoding="utf-8")


def test_a_place_is_drawn_only_on_the_maps_its_mapped_dates_reach(samples: Path, tmp_path: Path) -> None:
    source = samples / "good"
    _with_site(source)
    out = tmp_path / "build"
    result = run_atlas("build", source, "-o", out, "--strict")
    assert result.returncode == 0, result.stderr
    before = map_features(out / "periods" / "manchukuo.html")
    after = map_features(out / "periods" / "after-1945.html")
    assert "nomonhan" not in before and "harbin" in before
    assert after["nomonhan"]["name"] == "Khalkhin Gol"
    assert not after["nomonhan"].get("existed")  # it is not said to have begun in 1945
    page = (out / "periods" / "after-1945.html").read_text(encoding="utf-8")
    changes = page.split('<section class="changes"')[1].split("</section>")[0]
    assert "Mukden → Shenyang" in changes and "Khalkhin Gol" not in changes  # drawn now, but not "began"


def test_an_event_at_a_place_kept_off_its_map_is_a_warning(samples: Path) -> None:
    source = samples / "good"
    _with_site(source)
    events = (source / "events.yaml").read_text(encoding="utf-8")
    (source / "events.yaml").write_text(events.replace("places: [mukden]", "places: [mukden, nomonhan]", 1),
                                        encoding="utf-8")
    result = run_atlas("check", source)
    assert result.returncode == 0, result.stderr
    assert ("event 'mukden-incident' (1931-09-18) is at place 'nomonhan', which its `mapped: 1945-08-16/..` keeps "
            "off the maps then") in result.stderr
    assert run_atlas("check", source, "--strict").returncode == 2


def test_mapped_must_be_a_date(samples: Path) -> None:
    source = samples / "good"
    _with_site(source)
    places = source / "places.yaml"
    places.write_text(places.read_text(encoding="utf-8").replace('mapped: "1945-08-16/.."', "mapped: soon"),
                      encoding="utf-8")
    result = run_atlas("check", source)
    assert result.returncode == 2 and "places.yaml" in result.stderr and "mapped" in result.stderr
    assert "Traceback" not in result.stderr
