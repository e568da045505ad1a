"""Doubts about a geocoder's match: reasons to check it by hand before trusting it.

A gazetteer answers a name with the first place of that name it holds, and the offline
one holds only towns: asked for a country ("Egypt") it finds a town called so (Goodyear,
Arizona, whose other names include Egypt); asked for "Kashkar", a town on the Tigris, it
finds Kashgar in China, one of whose other names is Kashkar. A match is doubtful when:
the query names a country, river or region (or the place is one) but the match is a
town; the match's own name is not the query (the query is only another name of it) and
no country or nearby place was given to narrow it; its country contradicts the country
asked for or the countries and rivers the place's description names ("on the Tigris");
or other places of that name, far from it, answer as well."""

from __future__ import annotations

import re
from dataclasses import dataclass

from atlas.geo.gazetteer import City, Gazetteer, km_between, normalise

# Kinds of place that are not a town: a town matching them is a homonym.
NOT_TOWNS = {"state", "region", "territory", "river", "country", "border", "sea", "lake", "mountain", "mountains",
             "province", "desert", "island", "islands", "empire", "kingdom"}
NOT_TOWN_WORDS = re.compile(r"\b(river|sea|lake|mountains?|desert|province|region|empire|kingdom|gulf|strait)\b",
                            re.IGNORECASE)
# Rivers a description may place a town on, and the modern countries they run through
# (ISO 3166-1 codes): "on the Tigris" rules out a match in China.
RIVERS = {"tigris": {"IQ", "TR", "SY"}, "euphrates": {"IQ", "SY", "TR"}, "nile": {"EG", "SD", "SS", "UG", "ET"},
          "jordan": {"JO", "IL", "PS", "SY"}, "orontes": {"LB", "SY", "TR"}, "indus": {"PK", "IN", "CN"},
          "ganges": {"IN", "BD"}, "oxus": {"AF", "TJ", "UZ", "TM"}, "amu darya": {"AF", "TJ", "UZ", "TM"},
          "syr darya": {"KZ", "UZ", "TJ", "KG"}, "volga": {"RU"}, "don": {"RU", "UA"}, "dnieper": {"RU", "BY", "UA"},
          "danube": {"DE", "AT", "SK", "HU", "HR", "RS", "BG", "RO", "MD", "UA"},
          "rhine": {"CH", "LI", "AT", "DE", "FR", "NL"}, "amur": {"RU", "CN"}, "ussuri": {"RU", "CN"},
          "sungari": {"CN"}, "songhua": {"CN"}, "yangtze": {"CN"}, "yellow river": {"CN"}, "huang he": {"CN"},
          "mekong": {"CN", "MM", "LA", "TH", "KH", "VN"}, "irrawaddy": {"MM"}, "niger": {"GN", "ML", "NE", "BJ", "NG"},
          "congo": {"CD", "CG", "AO"}, "mississippi": {"US"}, "amazon": {"BR", "PE", "CO"}}
FAR_KM = 300.0  # places of one name farther apart than this are different places


@dataclass(frozen=True)
class Asked:
    """What was asked: the query (its first part the name), the hints, and the place's own words."""

    query: str
    kind: str = ""
    country: str | None = None
    near: tuple[float, float] | None = None
    description: str = ""


def doubts(asked: Asked, match: City, candidates: list[City], gazetteer: Gazetteer) -> list[str]:
    """Why `match` (the first of `candidates`) may be the wrong place; empty when none."""
    name = asked.query.split(",")[0].strip()
    where = f"{match.name}, {gazetteer.country_names.get(match.country, match.country)}"
    found = []
    named_country = gazetteer.country_code(name)
    if named_country is not None:
        found.append(f"'{name}' names a country, and the match is a town ({where})")
    elif asked.kind.lower() in NOT_TOWNS or NOT_TOWN_WORDS.search(name):
        found.append(f"'{name}' is a {asked.kind or 'river or region'}, and the match is a town ({where})")
    if normalise(name) != normalise(match.name) and not _narrowed(asked):
        found.append(f"the match is called {match.name}: '{name}' is only another name of it in GeoNames, and "
                     "no country or nearby place narrowed the search")
    found += _contradictions(asked, match.country, gazetteer, where)
    others = [city for city in candidates[1:] if km_between((city.lat, city.lon), (match.lat, match.lon)) > FAR_KM]
    if others and asked.near is None:
        shown = "; ".join(f"{c.name}, {gazetteer.country_names.get(c.country, c.country)}" for c in others[:3])
        found.append(f"{len(others)} other places far from it answer to '{name}' too ({shown})")
    return found


def _contradictions(asked: Asked, country: str, gazetteer: Gazetteer, where: str) -> list[str]:
    """The match's country (an ISO code) against the country asked for and the place's description."""
    found = []
    wanted = gazetteer.country_codes(asked.country) if asked.country else None
    if wanted and country and country not in wanted:
        found.append(f"the match ({where}) is not in {asked.country}")
    said = described_countries(asked.description, gazetteer)
    if said and country and country not in set().union(*said.values()):
        told = ", ".join(said)
        found.append(f"the description names {told}, and the match ({where}) is not there")
    return found


TOWN_TYPES = {"city", "town", "village", "hamlet", "suburb", "locality", "municipality", "neighbourhood",
              "quarter", "isolated_dwelling", "borough", "city_district"}


def online_doubts(asked: Asked, raw: dict[str, object], gazetteer: Gazetteer) -> list[str]:
    """Doubts about a Nominatim result (its JSON): the same tests, on what it tells of the
    match (its type, its name, its country, with address details)."""
    name = asked.query.split(",")[0].strip()
    where = str(raw.get("display_name") or "")
    found = []
    kind = str(raw.get("addresstype") or raw.get("type") or "")
    if kind in TOWN_TYPES:
        if gazetteer.country_code(name) is not None:
            found.append(f"'{name}' names a country, and the match is a {kind} ({where})")
        elif asked.kind.lower() in NOT_TOWNS or NOT_TOWN_WORDS.search(name):
            found.append(f"'{name}' is a {asked.kind or 'river or region'}, and the match is a {kind} ({where})")
    own = str(raw.get("name") or "")
    if own and normalise(own) != normalise(name) and not _narrowed(asked):
        found.append(f"the match is called {own}, not '{name}', and no country or nearby place narrowed the search")
    address = raw.get("address")
    country = str((address if isinstance(address, dict) else raw).get("country_code") or "").upper()
    return found + _contradictions(asked, country, gazetteer, where)


# Where a description places a town: "on the Tigris", "in Syria", "in modern-day Afghanistan"
# (not any country it names: "founded by Russia", "under Japan" tell history, not place).
ON_RIVER = r"\b(?:on|by|near|along|upon)\s+(?:the\s+)?(?:river\s+)?{}\b"
IN_COUNTRY = r"\b(?:in|near)\s+(?:the\s+)?(?:(?:modern|present)(?:\s+day)?\s+|today'?s\s+)?{}\b"


def described_countries(description: str, gazetteer: Gazetteer) -> dict[str, set[str]]:
    """The countries and rivers a description places the town in or on, each with the
    countries it stands for."""
    text = normalise(description)
    found: dict[str, set[str]] = {}
    for river, codes in RIVERS.items():
        if re.search(ON_RIVER.format(re.escape(river)), text):
            found[f"the {river.title()}"] = codes
    for code, country in gazetteer.country_names.items():
        if len(country) > 3 and re.search(IN_COUNTRY.format(re.escape(normalise(country))), text):
            found[country] = {code}
    return found


def _narrowed(asked: Asked) -> bool:
    """Whether the search was kept to a country, a neighbourhood or a qualifier ('Port Arthur, Texas')."""
    return bool(asked.country or asked.near or "," in asked.query)
