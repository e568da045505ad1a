"""atlas.yaml's `geocoder: {options: …}`: what geopy's geocoder takes, checked by kind at
`atlas check`, so that `atlas geocode` never hands a geocoder an option it would fail on
later, in the middle of a run (`timeout: "x"`, `user_agent: 5`, `domain: [a, b]`).

An option is known when the configured geocoder's constructor names it; its kind comes
from geopy's documented meaning of that name (the same in every geocoder that takes it).
Options that are Python objects (an SSL context, an adapter class) cannot come from a
YAML file at all.
"""

from __future__ import annotations

import difflib
import inspect
import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from atlas.source.records import Record, shown_number

if TYPE_CHECKING:
    from atlas.source.checker import Checker

OBJECTS = {"ssl_context", "adapter_factory"}  # Python objects: not for atlas.yaml
# A server's name (or an IPv6 address in brackets), optionally a port and a path: no scheme.
HOST = re.compile(r"(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\])(?::[0-9]{1,5})?(?:/[^\s?#]*)?")


def check(checker: Checker, options: Record, provider: str, geocoder: type) -> None:
    """Each option against what `geocoder` (geopy's class for `provider`) takes."""
    takes = sorted(inspect.signature(geocoder).parameters)  # the constructor's, without self
    settable = [name for name in takes if name not in OBJECTS]
    for name, value in options.values.items():
        origin = options.at(name)
        if name in OBJECTS:
            checker.error(origin, f"geocoder option '{name}' cannot be set in atlas.yaml")
        elif name not in takes:
            close = difflib.get_close_matches(name, settable, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            checker.error(origin, f"unknown geocoder option '{name}' for {provider}{hint}; it takes "
                          f"{', '.join(settable)}")
        else:
            problem = KINDS.get(name, _text)(value)
            if problem:
                checker.error(origin, f"geocoder option '{name}' {problem}")


def _text(value: Any) -> str | None:
    """Names, keys and passwords: text."""
    return None if isinstance(value, str) and value else f"should be text (in quotes), got {_shown(value)}"


def _seconds(value: Any) -> str | None:
    fine = isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value <= 3600 \
        and (isinstance(value, int) or math.isfinite(value))
    return None if fine else f"should be a number of seconds, such as 10, got {_shown(value)}"


def _whole(value: Any) -> str | None:
    fine = isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 100_000
    return None if fine else f"should be a whole number, got {_shown(value)}"


def _scheme(value: Any) -> str | None:
    return None if value in ("http", "https") else f"should be http or https, got {_shown(value)}"


def _domain(value: Any) -> str | None:
    if not isinstance(value, str) or not HOST.fullmatch(value):
        return (f"should be a server's name, such as nominatim.example.org (with scheme: http or https "
                f"beside it, not in it), got {_shown(value)}")
    return None


def _proxies(value: Any) -> str | None:
    """One proxy for every request, or one by scheme ({https: "http://proxy:3128"})."""
    if isinstance(value, str) and value:
        return None
    if isinstance(value, Record) and value.values and all(isinstance(item, str) and item
                                                          for item in value.values.values()):
        return None
    return "should be a proxy's address, or a mapping such as {https: \"http://proxy.example:3128\"}"


def _shown(value: Any) -> str:
    if isinstance(value, Record):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return shown_number(value) if isinstance(value, int) and not isinstance(value, bool) else repr(value)


KINDS: dict[str, Callable[[Any], str | None]] = {
    "timeout": _seconds, "token_lifetime": _whole, "scheme": _scheme, "domain": _domain, "auth_domain": _domain,
    "proxies": _proxies,
}
