"""Stage: site.

Assigning events to periods and choosing the name and control in force in a period."""

from __future__ import annotations

from atlas.errors import Origin
from atlas.site.periods import control_in, events_in, exists_in, name_in, periods_of
from atlas.source.dates import parse
from atlas.source.model import Event, Name, Period, Place, Point, TimedValue

HERE = Origin("test", 1)


def period(when: str, id: str = "p") -> Period:
    return Period(id, id, parse(when), HERE)


def event(id: str, date: str) -> Event:
    return Event(id, parse(date), id, (), HERE)


PORT_ARTHUR = Place(
    "port-arthur", "Lüshun", "city", Point(38.8, 121.2), HERE,
    names=(
        Name("Port Arthur", "en", parse("../1905-01-02")),
        Name("Ryojun", "ja-Latn", parse("1905-01-02/1945-08-22")),
        Name("Port Arthur", "en", parse("1945-08-22/1955-05-24")),
        Name("Lüshun", "zh-Latn", parse("1955-05-24/..")),
    ),
    control=(TimedValue("Russian", parse("1898/1905-01-02")), TimedValue("Japanese", parse("1905-01-02/1945-08-22")),
             TimedValue("Soviet", parse("1945-08-22/1955-05-24"))),
)


def test_the_name_in_force_longest_wins_and_the_others_are_listed() -> None:
    assert name_in(PORT_ARTHUR, period("1931/1945-08-30")).name == "Ryojun"
    assert name_in(PORT_ARTHUR, period("1931/1945-08-30")).others == ("Port Arthur",)
    assert name_in(PORT_ARTHUR, period("1945-08/1949")).name == "Port Arthur"
    assert name_in(PORT_ARTHUR, period("1950/1959")).name == "Port Arthur"  # until May 1955: 5.4 of 10 years
    assert name_in(PORT_ARTHUR, period("1954/1970")).name == "Lüshun"
    assert name_in(PORT_ARTHUR, period("1904/1906")).name == "Ryojun"


def test_a_place_without_names_in_force_keeps_its_own_name() -> None:
    plain = Place("x", "Plain", "city", Point(0, 0), HERE)
    assert name_in(plain, period("1900")).name == "Plain"
    assert name_in(plain, period("1900")).others == ()


def test_undated_names_are_in_force_throughout() -> None:
    names = (Name("Always", None, None), Name("Briefly", None, parse("1900-01")))
    place = Place("x", "X", "city", Point(0, 0), HERE, names=names)
    assert name_in(place, period("1900")).name == "Always"
    assert name_in(place, period("1900")).others == ("Briefly",)


def test_control_in_a_period_longest_first() -> None:
    assert control_in(PORT_ARTHUR, period("1931/1944")) == ("Japanese",)
    assert control_in(PORT_ARTHUR, period("1945-08-08/1949-10-01")) == ("Soviet", "Japanese")
    assert control_in(PORT_ARTHUR, period("1960")) == ()


def test_events_are_in_every_period_they_overlap_in_date_order() -> None:
    events = [event("late", "1945-08-20"), event("span", "1945-08-09/1945-08-20"), event("early", "1931-09-18"),
              event("vague", "1945"), event("open", "1944/..")]
    first, second = period("1931/1945-08-15", "first"), period("1945-08-16/1949", "second")
    assert [e.id for e in events_in(first, events)] == ["early", "open", "vague", "span"]
    assert [e.id for e in events_in(second, events)] == ["open", "vague", "span", "late"]
    assert periods_of(events[1], [first, second]) == ["first", "second"]
    assert periods_of(event("before", "1900"), [first, second]) == []


def test_a_place_exists_only_in_the_periods_its_when_overlaps() -> None:
    manchukuo = Place("manchukuo", "Manchukuo", "state", Point(0, 0), HERE, when=parse("1932-03-01/1945-08-18"))
    assert exists_in(manchukuo, period("1931/1932-02-29")) is False
    assert exists_in(manchukuo, period("1932-03-01")) is True
    assert exists_in(manchukuo, period("1950")) is False
