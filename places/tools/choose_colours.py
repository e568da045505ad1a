"""Search for the map's palettes and print how far apart they stay (a maintainer's tool).

    PYTHONPATH=. python places/tools/choose_colours.py            # measure the defaults
    PYTHONPATH=. python places/tools/choose_colours.py --search events   # or periods, controls

The measure is atlas.util.colour's: the least CIEDE2000 difference between any two
colours of a palette, under each of its conditions (normal vision, deuteranopia,
protanopia, a washed-out projector, and each colour blindness on that projector).

No palette of six colours dark enough for 3:1 on white reaches ΔE00 25 on the projector
with a colour-blind eye (the veil leaves a dichromat little more than one dimension of
colour), so the search cannot aim at one threshold. It first finds, for each condition on
its own, the best least difference any palette of that size reaches; then it looks for the
palette whose worst condition comes closest to its own best (simulated annealing over
sRGB, several seeds). Event colours come first; control colours then keep away from
every event colour's hue, so that no dot reads as belonging to a line.
"""

from __future__ import annotations

import argparse
import itertools
import math
import random
from collections.abc import Callable, Sequence

from atlas.site.legend import CONTROL_COLOURS, EVENT_COLOURS, EVENT_CONTROL_GAP, EVENT_HUE_GAP, PERIOD_COLOURS
from atlas.util.colour import (
    CONDITIONS,
    Lab,
    chroma,
    closest_pair,
    contrast_ratio,
    delta_e,
    difference,
    hue_angle,
    lab,
    linear,
)

Score = Callable[[Sequence[str]], float]
_looks: dict[str, list[Lab]] = {}


def looks(colour: str) -> list[Lab]:
    if colour not in _looks:
        _looks[colour] = [lab(see(linear(colour))) for see in CONDITIONS.values()]
    return _looks[colour]


def least(colours: Sequence[str], condition: int) -> float:
    return min(delta_e(looks(a)[condition], looks(b)[condition]) for a, b in itertools.combinations(colours, 2))


def anneal(n: int, score: Score, allowed: Callable[[str], bool], seed: int, steps: int) -> tuple[float, list[str]]:
    rng = random.Random(seed)

    def any_colour() -> str:
        while True:
            colour = "#" + "".join(f"{rng.randrange(256):02X}" for _ in range(3))
            if allowed(colour):
                return colour

    def near(colour: str, spread: float) -> str:
        for _ in range(50):
            rgb = [min(255, max(0, int(colour[i:i + 2], 16) + round(rng.gauss(0, spread)))) for i in (1, 3, 5)]
            moved = "#" + "".join(f"{c:02X}" for c in rgb)
            if allowed(moved):
                return moved
        return colour

    current = [any_colour() for _ in range(n)]
    now = score(current)
    best, best_colours = now, list(current)
    for step in range(steps):
        left = 1 - step / steps
        trial = list(current)
        index = rng.randrange(n)
        trial[index] = near(trial[index], 40 * left + 3)
        value = score(trial)
        if value >= now or rng.random() < math.exp((value - now) / (0.05 * left + 1e-4)):
            current, now = trial, value
            if value > best:
                best, best_colours = value, list(trial)
    return best, best_colours


def ceilings(n: int, allowed: Callable[[str], bool], steps: int, kept: Sequence[str] = ()) -> list[float]:
    """For each condition alone, the best least difference found for `n` colours (with
    the colours `kept`)."""
    def alone(condition: int) -> Score:
        return lambda colours: least([*colours, *kept], condition)
    return [max(anneal(n, alone(c), allowed, seed, steps)[0] for seed in range(2)) for c in range(len(CONDITIONS))]


def balanced(ceiling: Sequence[float]) -> Score:
    return lambda cs: min(least(cs, c) / ceiling[c] for c in range(len(ceiling)))


PERIOD_ASKED = (16, 10, 10, 8, 4, 4)  # any two periods, by condition (tests/test_colours.py)
NEIGHBOUR_ASKED = (36, 24, 20, 18, 12, 7)  # two periods next to each other in time


def periods_score(colours: Sequence[str]) -> float:
    worst = min(least(colours, c) / PERIOD_ASKED[c] for c in range(len(CONDITIONS)))
    for a, b in itertools.pairwise(colours):
        worst = min(worst, *(delta_e(looks(a)[c], looks(b)[c]) / NEIGHBOUR_ASKED[c] for c in range(len(CONDITIONS))))
    return worst


def kept_apart(event: str, control: str) -> bool:
    """Whether a control colour keeps away from an event colour, and from its hue."""
    if difference(event, control) < EVENT_CONTROL_GAP:
        return False
    if chroma(control) < 15 or chroma(event) < 15:
        return True
    gap = abs(hue_angle(event) - hue_angle(control)) % 360
    return min(gap, 360 - gap) >= EVENT_HUE_GAP


def table(name: str, colours: Sequence[str]) -> None:
    print(f"{name}: {', '.join(colours)}")
    for condition in CONDITIONS:
        value, a, b = closest_pair(colours, condition)
        print(f"  {condition:30} {value:5.1f}  ({a} and {b})")


def dot(c: str) -> bool:
    """3:1 against the white ring, and a colour: not black or grey, which are places'."""
    return contrast_ratio(c, "#FFFFFF") >= 3.0 and lab(linear(c))[0] >= 30 and chroma(c) >= 30


def line(c: str) -> bool:
    """4.5:1 on the map's light ground, so that a railway stays a strong line."""
    return contrast_ratio(c, "#FFFFFF") >= 4.5 and chroma(c) >= 20


def search(palette: str, seeds: int, steps: int) -> None:
    if palette == "periods":
        # Periods run in date order, and neighbours in time share the index's map: the
        # score is the worst ratio, over the conditions, of each least difference (of any
        # pair, and of neighbours) to the figure tests/test_colours.py asks for.
        found = max(anneal(len(PERIOD_COLOURS), periods_score, dot, seed, steps * 3) for seed in range(seeds))
        table(f"periods ({found[0]:.2f} of the figures asked)", found[1])
        return
    if palette == "events":
        n = len(EVENT_COLOURS)
        ceiling = ceilings(n, dot, steps)
        print("ceilings:", ", ".join(f"{c:.1f}" for c in ceiling))
        found = max(anneal(n, balanced(ceiling), dot, seed, steps) for seed in range(seeds))
        table(f"{palette} ({found[0]:.2f} of the ceilings)", found[1])
        return

    def control(c: str) -> bool:
        return line(c) and all(kept_apart(e, c) for e in EVENT_COLOURS)

    # The last control colour is a neutral grey (for "contested"), kept; the others are
    # chosen around it.
    grey = CONTROL_COLOURS[-1]
    n = len(CONTROL_COLOURS) - 1
    ceiling = ceilings(n, control, steps, (grey,))
    print("ceilings:", ", ".join(f"{c:.1f}" for c in ceiling))
    score = balanced(ceiling)
    found = max(anneal(n, lambda cs: score([*cs, grey]), control, seed, steps) for seed in range(seeds))
    table(f"controls ({found[0]:.2f} of the ceilings)", [*found[1], grey])


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--search", choices=("events", "periods", "controls"),
                        help="look for this palette instead of measuring the defaults")
    parser.add_argument("--seeds", type=int, default=6)
    parser.add_argument("--steps", type=int, default=6000)
    options = parser.parse_args()
    if options.search:
        search(options.search, options.seeds, options.steps)
        return
    table("events", EVENT_COLOURS)
    table("controls", CONTROL_COLOURS)
    table("periods", PERIOD_COLOURS)


if __name__ == "__main__":
    main()
