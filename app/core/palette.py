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
generators, the fixer's colour swap (app/core/fixer/colours.py) and the LLM prompt all read
it, and `with_constants` puts the roles a scene uses at the top of its code.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass

from app.core import (
    flash_meter,  # the one WCAG luminance and contrast formula
    syntax,
)

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


def defined_roles(tree: ast.Module) -> dict[str, str | None]:
    """Role names the module itself assigns at top level, each with the string it is given
    (None when it is given anything else)."""
    defined: dict[str, str | None] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            value = statement.value
            text = value.value if isinstance(value, ast.Constant) else None
            for target in statement.targets:
                if isinstance(target, ast.Name) and target.id in BY_NAME:
                    defined[target.id] = text if isinstance(text, str) else None
    return defined


def with_constants(code: str, background: str = "dark") -> str:
    """The code with a constant for each palette role it uses but does not define yet.

    A scene with none of them defined gets the commented block of `constants_code` under its
    imports (after a module docstring, if any); one that already has some gets the missing
    lines after its last one. Code that does not parse, or needs nothing, comes back as it was.
    """
    try:
        tree = syntax.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return code
    used = {
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id in BY_NAME and isinstance(node.ctx, ast.Load)
    }
    defined = defined_roles(tree)
    missing = used - set(defined)
    if not missing:
        return code
    lines = code.splitlines(keepends=True)
    if defined:
        last = max(
            statement.end_lineno or statement.lineno
            for statement in tree.body
            if isinstance(statement, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id in defined for t in statement.targets)
        )
        new = constants_code(missing, background).splitlines(keepends=True)[2:]  # no header
        return "".join(lines[:last]) + "".join(new) + "".join(lines[last:])
    end = 0
    for index, statement in enumerate(tree.body):
        docstring = (
            index == 0
            and isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str)
        )
        if not (docstring or isinstance(statement, (ast.Import, ast.ImportFrom))):
            break
        end = statement.end_lineno or statement.lineno
    head, rest = "".join(lines[:end]), "".join(lines[end:]).lstrip("\n")
    block = constants_code(missing, background) + "\n\n"
    return head + "\n" + block + rest if head else block + rest


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
