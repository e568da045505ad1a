"""How far apart two colours look: to anyone, to a colour-blind reader, on a washed-out
projector. It measures the palettes the maps use (atlas.site.legend) and the tests that
keep them apart.

The measure is CIEDE2000 (ΔE00) between colours in CIELAB, after a colour has been
passed through what stands between the page and the reader:

- sRGB to CIELAB: IEC 61966-2-1 (sRGB's transfer curve and its primaries with the D65
  white), then CIE 15:2004's XYZ → L*a*b* with the same white.
- CIEDE2000: CIE 142-2001, written as in G. Sharma, W. Wu and E. N. Dalal, "The CIEDE2000
  colour-difference formula: implementation notes, supplementary test data, and
  mathematical observations", Color Research & Application 30(1), 2005, pp. 21–30 (their
  equations (1)–(22); the tests check their Table 1).
- Colour blindness: G. M. Machado, M. M. Oliveira and L. A. F. Fernandes, "A
  physiologically-based model for simulation of color vision deficiency", IEEE
  Transactions on Visualization and Computer Graphics 15(6), 2009, pp. 1291–1298: their
  matrices for protanopia and deuteranopia at severity 1.0 (a dichromat, the severest
  case), applied to linear RGB as the paper does.
- A washed-out projector: the room's light falls on the screen as well as the
  projector's, so every colour is mixed with a white veil in linear light,
  c' = (1 − VEIL)·c + VEIL·white. With VEIL = 0.4 the projector's white is 2.5 times its
  black, the contrast measured for a small or ageing projector in a classroom with the
  lights on (a 1000-lumen image on a 2.5 m² screen gives 400 lux, about what the room's
  lights add). The eye takes the screen's white as white, so the veiled colours are
  measured against the same white: the veil costs lightness contrast and chroma together,
  which is what a reader at the back sees.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from itertools import combinations

Linear = tuple[float, float, float]  # linear-light sRGB, each channel 0–1
Lab = tuple[float, float, float]
Matrix = tuple[Linear, Linear, Linear]

# Machado, Oliveira & Fernandes 2009, severity 1.0 (their supplementary table).
PROTANOPIA: Matrix = ((0.152286, 1.052583, -0.204868),
                      (0.114503, 0.786281, 0.099216),
                      (-0.003882, -0.048116, 1.051998))
DEUTERANOPIA: Matrix = ((0.367322, 0.860646, -0.227968),
                        (0.280085, 0.672501, 0.047413),
                        (-0.011820, 0.042940, 0.968881))
VEIL = 0.4

# sRGB's primaries with the D65 white, linear RGB → XYZ (IEC 61966-2-1).
_TO_XYZ: Matrix = ((0.4124, 0.3576, 0.1805),
                   (0.2126, 0.7152, 0.0722),
                   (0.0193, 0.1192, 0.9505))
_WHITE = tuple(sum(row) for row in _TO_XYZ)  # the XYZ of linear (1, 1, 1)


def linear(colour: str) -> Linear:
    """A CSS colour "#RRGGBB" in linear light."""
    if len(colour) != 7 or colour[0] != "#":
        raise ValueError(f"not a #RRGGBB colour: {colour!r}")
    encoded = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in encoded)
    return r, g, b


def hex_of(rgb: Linear) -> str:
    """Linear light back to "#RRGGBB" (clipped to the screen's gamut)."""
    def encode(c: float) -> int:
        c = min(1.0, max(0.0, c))
        return round(255 * (12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055))
    return "#" + "".join(f"{encode(c):02X}" for c in rgb)


def _apply(matrix: Matrix, rgb: Linear) -> Linear:
    x, y, z = (sum(m * c for m, c in zip(row, rgb, strict=True)) for row in matrix)
    return x, y, z


def lab(rgb: Linear) -> Lab:
    """CIELAB (D65) of a linear sRGB colour."""
    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29
    fx, fy, fz = (f(v / w) for v, w in zip(_apply(_TO_XYZ, rgb), _WHITE, strict=True))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(lab1: Lab, lab2: Lab) -> float:
    """CIEDE2000 colour difference (kL = kC = kH = 1), as Sharma, Wu & Dalal write it."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0

    dl = l2 - l1
    dc = c2p - c1p
    dh = 0.0
    if c1p * c2p:  # a hue difference only between two colours that have a hue
        dh = h2p - h1p
        dh = dh - 360 if dh > 180 else dh + 360 if dh < -180 else dh
    dh_big = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))

    l_mean = (l1 + l2) / 2
    cp_mean = (c1p + c2p) / 2
    if not c1p * c2p:
        h_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_mean = (h1p + h2p) / 2
    else:  # the mean of two hues either side of 0°
        h_mean = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_mean - 30)) + 0.24 * math.cos(math.radians(2 * h_mean))
         + 0.32 * math.cos(math.radians(3 * h_mean + 6)) - 0.20 * math.cos(math.radians(4 * h_mean - 63)))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c = 1 + 0.045 * cp_mean
    s_h = 1 + 0.015 * cp_mean * t
    rotation = -2 * math.sqrt(cp_mean ** 7 / (cp_mean ** 7 + 25 ** 7)) * math.sin(
        math.radians(60 * math.exp(-(((h_mean - 275) / 25) ** 2))))
    return math.sqrt((dl / s_l) ** 2 + (dc / s_c) ** 2 + (dh_big / s_h) ** 2
                     + rotation * (dc / s_c) * (dh_big / s_h))


def simulate(matrix: Matrix, rgb: Linear) -> Linear:
    """What a reader with the deficiency `matrix` stands for sees, clipped to the screen
    (the matrices push a few saturated colours just outside it)."""
    r, g, b = (min(1.0, max(0.0, c)) for c in _apply(matrix, rgb))
    return r, g, b


def projected(rgb: Linear, veil: float = VEIL) -> Linear:
    """The colour on a washed-out projector: mixed with the room's white light."""
    r, g, b = ((1 - veil) * c + veil for c in rgb)
    return r, g, b


def _normal(rgb: Linear) -> Linear:
    return rgb


# Who sees the page, and how: each a way from the colour on the page to the colour seen.
CONDITIONS: dict[str, Callable[[Linear], Linear]] = {
    "normal vision": _normal,
    "deuteranopia": lambda c: simulate(DEUTERANOPIA, c),
    "protanopia": lambda c: simulate(PROTANOPIA, c),
    "projector": projected,
    "deuteranopia on a projector": lambda c: simulate(DEUTERANOPIA, projected(c)),
    "protanopia on a projector": lambda c: simulate(PROTANOPIA, projected(c)),
}


def seen(colour: str, condition: str) -> Lab:
    return lab(CONDITIONS[condition](linear(colour)))


def difference(a: str, b: str, condition: str = "normal vision") -> float:
    """ΔE00 between two "#RRGGBB" colours as seen under `condition`."""
    return delta_e(seen(a, condition), seen(b, condition))


def closest_pair(colours: Sequence[str], condition: str) -> tuple[float, str, str]:
    """The smallest ΔE00 between any two of `colours` under `condition`, and the pair."""
    if len(colours) < 2:
        return math.inf, "", ""
    looks = {colour: seen(colour, condition) for colour in colours}
    return min((delta_e(looks[a], looks[b]), a, b) for a, b in combinations(colours, 2))


def hue_angle(colour: str) -> float:
    """The CIELAB hue angle h_ab in degrees (normal vision)."""
    _, a, b = seen(colour, "normal vision")
    return math.degrees(math.atan2(b, a)) % 360


def chroma(colour: str) -> float:
    _, a, b = seen(colour, "normal vision")
    return math.hypot(a, b)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2's contrast ratio between two colours (1 to 21)."""
    high, low = sorted((_apply(_TO_XYZ, linear(a))[1], _apply(_TO_XYZ, linear(b))[1]), reverse=True)
    return (high + 0.05) / (low + 0.05)
