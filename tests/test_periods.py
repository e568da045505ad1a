"""Stage: site.

Assigning events to periods."""

from __future__ import annotations

from atlas.errors import Origin
from atlas.site.periods import events_in, periods_of
from atlas.source.dates import parse
from atlas.source.model import Event, Period

HERE = Origin("test", 1)


def period(when: str, id: str = "p") -> Period:
    return Period(id, id, parse(when), HERE)


def event(id: str, date: str) -> Event:
    return Event(id, parse(date), id, (), HERE)


def test_events_are_in_every_period_they_overlap_in_date_order() -> None:
    events = [event("late", "1945-08-20"), event("span", "1945-08-09/1945-08-20"), event("early", "1931-09-18"),
              event("vague", "1945"), event("open", "1944/..")]
    first, second = period("1931/1945-08-15", "first"), period("1945-08-16/1949", "second")
    assert [e.id for e in events_in(first, events)] == ["early", "open", "vague", "span"]
    assert [e.id for e in events_in(second, events)] == ["open", "vague", "span", "late"]
    assert periods_of(events[1], [first, second]) == ["first", "second"]
    assert periods_of(event("before", "1900"), [first, second]) == []
