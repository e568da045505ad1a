"""The index's overview map: every event of the atlas on one map, coloured by its period,
each leading to its period's page."""

from __future__ import annotations

from collections.abc import Sequence

from .features import Feature, PeriodFeatures, bounds, event_feature
from .legend import Entry, Palette, event_style
from .model import Period
from .resolve import Geometry
from .views import PeriodView

# Dark enough for 3:1 on white at every step, and ordered: early periods blue, late ones
# red-brown, so that the colours read as time.
SCALE = ("#1F4E8C", "#2A7A78", "#4E7D2A", "#8A6A14", "#A8501E", "#8C2D4F")


def period_colours(periods: Sequence[Period]) -> dict[str, str]:
    """A colour for each period, evenly along the scale in date order."""
    if len(periods) == 1:
        return {periods[0].id: SCALE[0]}
    return {period.id: _along(index / (len(periods) - 1)) for index, period in enumerate(periods)}


def _along(t: float) -> str:
    position = t * (len(SCALE) - 1)
    low = min(int(position), len(SCALE) - 2)
    share = position - low
    a, b = (tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5)) for colour in (SCALE[low], SCALE[low + 1]))
    return "#" + "".join(f"{round(x + (y - x) * share):02X}" for x, y in zip(a, b, strict=True))


def overview_features(views: Sequence[PeriodView], geometry: dict[str, Geometry], palette: Palette,
                      colours: dict[str, str]) -> PeriodFeatures:
    """Each event once, in the first period it belongs to, named as in that period."""
    events: list[Feature] = []
    seen: set[str] = set()
    for view in views:
        for event in view.events:
            feature = event_feature(view, event, geometry, palette) if event.id not in seen else None
            seen.add(event.id)
            if feature is None:
                continue
            feature["properties"].update(style=event_style(colours[view.period.id]), period=view.period.id,
                                         period_title=view.period.title)
            events.append(feature)
    legend = [Entry("Events", "event", view.period.title, colours[view.period.id]) for view in views]
    extent = bounds(events)
    return PeriodFeatures({}, events, legend, extent, extent)
