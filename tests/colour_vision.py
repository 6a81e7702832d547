"""How far apart two colours look to people with each colour-vision deficiency (for the tests).

Each colour is simulated with the Machado et al. (2009) model at full severity (colorspacious'
"sRGB1+CVD"), clipped back into sRGB as a screen would show it, and the two are compared in
CAM02-UCS, where a distance of about 1 is just noticeable and the palette asks for 12.
"""

from __future__ import annotations

import itertools

import numpy as np
from colorspacious import cspace_convert

DEFICIENCIES = ("protanomaly", "deuteranomaly", "tritanomaly")  # at severity 100: -opia
NAMES = {"protanomaly": "protanopia", "deuteranomaly": "deuteranopia", "tritanomaly": "tritanopia"}


def srgb(hex_colour: str) -> np.ndarray:
    value = hex_colour.lstrip("#")
    return np.array([int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)])


def seen(hex_colour: str, deficiency: str | None) -> np.ndarray:
    """The colour in CAM02-UCS as someone with the deficiency (None: normal vision) sees it."""
    colour = srgb(hex_colour)
    if deficiency is not None:
        space = {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100}
        colour = np.clip(cspace_convert(colour, space, "sRGB1"), 0, 1)
    return cspace_convert(colour, "sRGB1", "CAM02-UCS")


def distance(first: str, second: str, deficiency: str | None) -> float:
    return float(np.linalg.norm(seen(first, deficiency) - seen(second, deficiency)))


def closest_pair(colours: dict[str, str], deficiency: str | None) -> tuple[float, str, str]:
    """The two named colours that look most alike, and how far apart they look."""
    return min(
        (distance(colours[a], colours[b], deficiency), a, b)
        for a, b in itertools.combinations(sorted(colours), 2)
    )
