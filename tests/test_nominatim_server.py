"""Stage: geo (the test's geocoding server).

The fake Nominatim server, exercised through geopy's real `Nominatim` client over real HTTP.

These tests pin down two things other tests rely on: that the server answers like Nominatim, and
which geopy exception each planned fault turns into — per adapter, because geopy's default
`RequestsAdapter` retries some faults by itself (urllib3 `Retry(total=2)`), which changes the outcome.
"""

from __future__ import annotations

import functools
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from geopy.adapters import RequestsAdapter, URLLibAdapter
from geopy.exc import (
    GeocoderParseError,
    GeocoderRateLimited,
    GeocoderServiceError,
    GeocoderTimedOut,
    GeocoderUnavailable,
)
from geopy.geocoders import Nominatim, options

from nominatim_server import NominatimServer

AdapterFactory = Callable[..., object]
USER_AGENT = "atlas-tests/1.0"
MUKDEN = NominatimServer.answer(41.8, 123.4, "Shenyang, Liaoning, China", country_code="cn")
SPRINGFIELDS = [
    NominatimServer.answer(39.8, -89.65, "Springfield, Illinois, United States", country_code="us"),
    NominatimServer.answer(42.1, -72.59, "Springfield, Massachusetts, United States", country_code="us"),
    NominatimServer.answer(-43.3, 172.2, "Springfield, Canterbury, New Zealand", country_code="nz"),
]

# Without retries the two sync adapters agree on everything except a dropped connection.
ADAPTERS: dict[str, AdapterFactory] = {
    "urllib": URLLibAdapter,
    "requests-no-retry": functools.partial(RequestsAdapter, max_retries=0),
}


@pytest.fixture
def server() -> Iterator[NominatimServer]:
    with NominatimServer({" Mukden ": [MUKDEN], "springfield": SPRINGFIELDS}) as running:
        yield running


@pytest.fixture(params=sorted(ADAPTERS))
def adapter(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


def client(server: NominatimServer, adapter: str | None = None, timeout: float = 5) -> Nominatim:
    """geopy's real client aimed at `server`; `adapter=None` means geopy's own default adapter."""
    factory = ADAPTERS[adapter] if adapter else options.default_adapter_factory
    return Nominatim(user_agent=USER_AGENT, domain=server.domain, scheme="http", timeout=timeout, adapter_factory=factory)


def test_geopy_defaults_to_requests_in_this_venv() -> None:
    """The retry tests below describe RequestsAdapter; if geopy stops picking it, they describe nothing."""
    assert options.default_adapter_factory is RequestsAdapter


def test_known_query_gives_a_location(server: NominatimServer, adapter: str) -> None:
    location = client(server, adapter).geocode("mukden")
    assert (location.latitude, location.longitude) == (41.8, 123.4)
    assert location.address == "Shenyang, Liaoning, China"
    assert location.raw["country_code"] == "cn"


def test_unknown_query_gives_none(server: NominatimServer, adapter: str) -> None:
    assert client(server, adapter).geocode("atlantis") is None


def test_empty_mode_hides_a_known_place(server: NominatimServer) -> None:
    server.plan("empty")
    assert client(server).geocode("mukden") is None


def test_limit_and_countrycodes_are_honoured(server: NominatimServer) -> None:
    geocoder = client(server)
    assert len(geocoder.geocode("springfield", exactly_one=False)) == 3
    assert len(geocoder.geocode("springfield", exactly_one=False, limit=2)) == 2
    kiwi = geocoder.geocode("springfield", exactly_one=False, country_codes="nz")
    assert [place.address for place in kiwi] == ["Springfield, Canterbury, New Zealand"]


def test_requests_are_recorded_with_user_agent_and_params(server: NominatimServer) -> None:
    before = time.monotonic()
    client(server).geocode("Mukden", language="en", country_codes=["cn"])
    (seen,) = server.seen
    assert before <= seen.at <= time.monotonic()
    assert (seen.path, seen.user_agent) == ("/search", USER_AGENT)
    assert seen.params == {"q": "Mukden", "format": "json", "limit": "1", "accept-language": "en", "countrycodes": "cn"}


def test_reverse_answers_empty(server: NominatimServer) -> None:
    assert client(server).reverse((41.8, 123.4)) is None
    assert server.seen[0].path == "/reverse"


def test_plan_applies_modes_in_order_then_ok(server: NominatimServer) -> None:
    server.plan("500", "empty")
    geocoder = client(server)
    with pytest.raises(GeocoderServiceError):
        geocoder.geocode("mukden")
    assert geocoder.geocode("mukden") is None
    assert geocoder.geocode("mukden") is not None


def test_plan_rejects_unknown_modes(server: NominatimServer) -> None:
    for mode in ("404", "slow", "slow:soon", "429:x", "ok:1"):
        with pytest.raises(ValueError, match="unknown NominatimServer mode"):
            server.plan(mode)


# mode -> the exact geopy exception class, for adapters that do not retry.
FAULTS: dict[str, type[Exception]] = {
    "429": GeocoderRateLimited,
    "429:2": GeocoderRateLimited,
    "500": GeocoderServiceError,
    "502": GeocoderServiceError,
    "503": GeocoderTimedOut,  # geopy's ERROR_CODE_MAP maps 503 (and 504) to GeocoderTimedOut
    "bad-json": GeocoderParseError,
    "slow:2": GeocoderTimedOut,
}
CLOSE_FAULT = {"urllib": GeocoderServiceError, "requests-no-retry": GeocoderUnavailable}


@pytest.mark.parametrize("mode", sorted(FAULTS))
def test_fault_raises_exact_geopy_exception(server: NominatimServer, adapter: str, mode: str) -> None:
    assert_fault(server, adapter, mode, FAULTS[mode])


def test_dropped_connection_exception_depends_on_adapter(server: NominatimServer, adapter: str) -> None:
    """urllib lets http.client's RemoteDisconnected through (→ ServiceError); requests wraps it in ConnectionError."""
    assert_fault(server, adapter, "close", CLOSE_FAULT[adapter])


def assert_fault(server: NominatimServer, adapter: str, mode: str, expected: type[Exception]) -> None:
    """One planned fault, one request, exactly `expected` (not merely a subclass of it)."""
    server.plan(mode)
    with pytest.raises(GeocoderServiceError) as caught:
        client(server, adapter, timeout=0.5).geocode("mukden")
    assert type(caught.value) is expected
    assert len(server.seen) == 1


def test_rate_limit_carries_retry_after(server: NominatimServer, adapter: str) -> None:
    server.plan("429:2")
    with pytest.raises(GeocoderRateLimited) as caught:
        client(server, adapter).geocode("mukden")
    assert caught.value.retry_after == 2


# geopy's default RequestsAdapter: urllib3 Retry(total=2) retries dropped connections, read
# timeouts, and 429/503 responses that carry Retry-After (sleeping as told) — one mode per attempt.


def test_default_adapter_retries_a_dropped_connection(server: NominatimServer) -> None:
    server.plan("close")
    assert client(server).geocode("mukden") is not None
    assert len(server.seen) == 2


def test_default_adapter_sleeps_for_retry_after(server: NominatimServer) -> None:
    server.plan("429:1")
    assert client(server).geocode("mukden") is not None
    first, second = server.seen
    assert second.at - first.at >= 0.9


def test_default_adapter_rate_limit_after_three_attempts(server: NominatimServer) -> None:
    server.plan("429:0", "429:0", "429:0")
    with pytest.raises(GeocoderRateLimited) as caught:
        client(server).geocode("mukden")
    assert caught.value.retry_after == 0
    assert len(server.seen) == 3


def test_default_adapter_turns_repeated_timeouts_into_unavailable(server: NominatimServer) -> None:
    """Not GeocoderTimedOut: urllib3 gives up with MaxRetryError, which requests reports as ConnectionError."""
    server.plan("slow:1", "slow:1", "slow:1")
    with pytest.raises(GeocoderServiceError) as caught:
        client(server, timeout=0.3).geocode("mukden")
    assert type(caught.value) is GeocoderUnavailable
    assert len(server.seen) == 3


def test_stop_is_quick_while_a_slow_request_sleeps() -> None:
    server = NominatimServer().start()
    server.plan("slow:30")
    outcome: list[BaseException | None] = []
    thread = threading.Thread(target=lambda: outcome.append(call_quietly(client(server, "urllib", timeout=30).geocode)))
    thread.start()
    wait_for(lambda: bool(server.seen))
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 1
    thread.join(timeout=5)
    assert isinstance(outcome[0], GeocoderServiceError)  # the sleeping request is dropped, not answered
    host, port = server.domain.split(":")
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((host, int(port)), timeout=1).close()


def call_quietly(geocode: Callable[[str], object]) -> BaseException | None:
    """Run a geocode on a helper thread and hand back its exception, since threads cannot raise to pytest."""
    try:
        geocode("mukden")
    except Exception as error:
        return error
    return None


def wait_for(condition: Callable[[], bool], timeout: float = 5) -> None:
    """Poll until `condition` holds, so the test does not race the request it started."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition never became true"
        time.sleep(0.01)


def test_answer_is_shaped_like_nominatim() -> None:
    place = NominatimServer.answer(41.8, 123.4, "Shenyang", country_code="cn")
    assert (place["lat"], place["lon"], place["country_code"]) == ("41.8", "123.4", "cn")
    assert isinstance(place["place_id"], int) and isinstance(place["osm_id"], int)
    assert (place["osm_type"], place["class"], place["type"], place["importance"]) == ("node", "place", "city", 0.5)
    assert isinstance(place["boundingbox"], list) and all(isinstance(edge, str) for edge in place["boundingbox"])
    assert len(place["boundingbox"]) == 4
