"""Chalk's colour palette: every colour generated code uses, by role, for dark and light videos.

Scenes colour things by what they are (ACCENT for the main object, NEGATIVE for what is
negative or removed ...), never by Manim colour names. The dark values are the Okabe-Ito
colours that stay apart under colour-vision deficiencies (their sky blue in place of the blue,
which is too dark on black, and their reddish purple a little darker, which tritanopes otherwise
confuse with the orange); the light values were searched for with the same measure. Every pair
of roles, grey and white included, stays at least MIN_DISTANCE apart in CAM02-UCS after
simulated protanopia, deuteranopia and tritanopia (Machado 2009 at full severity), and every
role reaches TEXT_CONTRAST against its background, so any role may colour text or lines.
tests/test_palette.py measures both.

Every Chalk video has Manim's black background today, so generated code uses the dark values.
Pure data and arithmetic (the WCAG formula is the frame checks' own, app/core/flash_meter.py):
generators, core checks and the LLM prompt all read it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.core import flash_meter  # the one WCAG luminance and contrast formula

MIN_DISTANCE = 12.0  # CAM02-UCS distance two roles keep under each simulated deficiency
TEXT_CONTRAST = 4.5  # WCAG 2.1 contrast ratio for text
SHAPE_CONTRAST = 3.0  # WCAG 2.1 contrast ratio for lines and shapes (1.4.11)

BACKGROUNDS = {"dark": "#000000", "light": "#FFFFFF"}
BACKGROUND_NAMES = {"dark": "black", "light": "white"}


@dataclass(frozen=True)
class Role:
    """One named colour: its hex value on each background and what it is for."""

    name: str
    dark: str
    light: str
    use: str  # said beside the constant in emitted code and in the LLM prompt

    def hex(self, background: str = "dark") -> str:
        return self.dark if background == "dark" else self.light


ROLES: tuple[Role, ...] = (
    Role("TEXT", "#FFFFFF", "#000000", "words, formulas and plain outlines"),
    Role("MUTED", "#B0B0B0", "#595959", "guides, side notes and what is set aside"),
    Role("ACCENT", "#56B4E9", "#1450FF", "the main object (a curve, a shape, the bars)"),
    Role("SECONDARY", "#E69F00", "#906608", "a second object beside the main one"),
    Role("TERTIARY", "#B275A3", "#732D91", "a third object"),
    Role("HIGHLIGHT", "#F0E442", "#CE3689", "what to look at now (a moving point, the answer)"),
    Role("POSITIVE", "#009E73", "#488257", "positive, correct, found, done"),
    Role("NEGATIVE", "#D55E00", "#813623", "negative, wrong, removed, not found"),
)
# Not a colour to draw meaning with: the video's own background, to fill a shape that must
# hide the lines behind it (a node over its edges, an open dot on a curve) or text on a fill.
BACKGROUND = Role(
    "BACKGROUND",
    BACKGROUNDS["dark"],
    BACKGROUNDS["light"],
    "the background, to cover lines behind a shape",
)

BY_NAME: dict[str, Role] = {role.name: role for role in (*ROLES, BACKGROUND)}
# Roles with a hue; TEXT and MUTED are greys (they are measured against the rest all the same).
CHROMATIC = ("ACCENT", "SECONDARY", "TERTIARY", "HIGHLIGHT", "POSITIVE", "NEGATIVE")


def colours(background: str = "dark") -> dict[str, str]:
    """Role name → hex value on that background (BACKGROUND included)."""
    return {name: role.hex(background) for name, role in BY_NAME.items()}


def constants_code(names: Iterable[str], background: str = "dark") -> str:
    """The emitted constants for the roles used, in palette order, one commented line each."""
    wanted = set(names)
    unknown = wanted - set(BY_NAME)
    if unknown:
        raise KeyError(f"not palette roles: {', '.join(sorted(unknown))}")
    lines = [
        "# Colours by role, from Chalk's palette: they stay distinct for colour-blind viewers",
        f"# and readable on the {BACKGROUND_NAMES[background]} background; change a role here to"
        " recolour it.",
    ]
    lines += [
        f'{role.name} = "{role.hex(background)}"  # palette role: {role.use}'
        for role in (*ROLES, BACKGROUND)
        if role.name in wanted
    ]
    return "\n".join(lines) + "\n"


def srgb(hex_colour: str) -> tuple[float, float, float]:
    """#RRGGBB as sRGB values in 0..1."""
    value = hex_colour.lstrip("#")
    red, green, blue = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return red, green, blue


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour written #RRGGBB."""
    return flash_meter.relative_luminance(srgb(hex_colour))


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    return flash_meter.contrast_ratio(srgb(first), srgb(second))
