"""The colour swap: raw Manim colours in a scene → the roles of Chalk's palette.

`swap_to_palette(code)` rewrites Manim colour constants (RED, BLUE_E, DARK_GREY, PURE_GREEN…)
and hex strings given as a colour (`color=`, `fill_color=`, `stroke_color=`, `set_color(…)`,
`set_fill(…)`, `set_stroke(…)`) to palette roles (app/core/palette.py), and defines the roles it
used under the imports. The pipeline applies it when the post-render check measured text that
is hard to read (app/pipeline/palette_swap.py); a teacher's colours are left alone otherwise.

The rule, deterministic and cheap (the palette tests measure it in CAM02-UCS):
- a colour with a hue (OKLCH chroma at least `CHROMA_MIN`) goes to the chromatic role nearest
  in OKLCH hue; when a scene uses several such colours, they are matched to distinct roles with
  the least total hue change (roles the code already uses count as taken), so two colours that
  told two things apart still do. Past the six chromatic roles, the rest share the nearest.
- WHITE → TEXT and BLACK → BACKGROUND (their values on the dark background, so nothing changes
  on screen; a light video would swap both together, keeping dark-on-light text readable);
  other greys → MUTED, except as a fill, where a grey is a panel behind something.
- Never touched: the background colour itself, names the code defines, attribute chains
  (`RED.interpolate(…)`: roles are plain hex strings), the colours given to
  interpolate_color/invert_color (they need Manim colour objects).
Code that does not parse comes back unchanged; the swap never runs the code.
"""

from __future__ import annotations

import ast
import itertools
import logging
import math
import re
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import ParentNodeProvider, PositionProvider

from app.core import palette, syntax
from app.core.codeblock import parses
from app.core.fixer.nodes import func_name, source_of
from app.core.fixer.result import Fix, FixResult

log = logging.getLogger(__name__)

RULE = "palette-colour"
CONSTANTS_RULE = "palette-constants"
WHY = " (colour-blind-safe palette)"  # ends each swap's Fix: "RED → NEGATIVE (colour-blind-…)"
CHROMA_MIN = 0.04  # OKLCH chroma below this is a grey (GREY_BROWN is 0.028, MAROON_A 0.08)

# Manim Community's colour constants (manim.utils.color.manim_colors, v0.18-0.19), by value.
_FAMILIES = {
    "BLUE": ("#C7E9F1", "#9CDCEB", "#58C4DD", "#29ABCA", "#236B8E"),
    "TEAL": ("#ACEAD7", "#76DDC0", "#5CD0B3", "#55C1A7", "#49A88F"),
    "GREEN": ("#C9E2AE", "#A6CF8C", "#83C167", "#77B05D", "#699C52"),
    "YELLOW": ("#FFF1B6", "#FFEA94", "#F7D96F", "#F4D345", "#E8C11C"),
    "GOLD": ("#F7C797", "#F9B775", "#F0AC5F", "#E1A158", "#C78D46"),
    "RED": ("#F7A1A3", "#FF8080", "#FC6255", "#E65A4C", "#CF5044"),
    "MAROON": ("#ECABC1", "#EC92AB", "#C55F73", "#A24D61", "#94424F"),
    "PURPLE": ("#CAA3E8", "#B189C6", "#9A72AC", "#715582", "#644172"),
    "GREY": ("#DDDDDD", "#BBBBBB", "#888888", "#444444", "#222222"),
}
MANIM_COLOURS: dict[str, str] = {
    "WHITE": "#FFFFFF",
    "BLACK": "#000000",
    "ORANGE": "#FF862F",
    "PINK": "#D147BD",
    "LIGHT_PINK": "#DC75CD",
    "DARK_BLUE": "#236B8E",
    "LIGHT_BROWN": "#CD853F",
    "DARK_BROWN": "#8B4513",
    "GREY_BROWN": "#736357",
    "GRAY_BROWN": "#736357",
    "LIGHTER_GREY": "#DDDDDD",
    "LIGHT_GREY": "#BBBBBB",
    "DARK_GREY": "#444444",
    "DARKER_GREY": "#222222",
    "LIGHTER_GRAY": "#DDDDDD",
    "LIGHT_GRAY": "#BBBBBB",
    "GRAY": "#888888",
    "DARK_GRAY": "#444444",
    "DARKER_GRAY": "#222222",
    "PURE_RED": "#FF0000",
    "PURE_GREEN": "#00FF00",
    "PURE_BLUE": "#0000FF",
    "PURE_YELLOW": "#FFFF00",
    "PURE_CYAN": "#00FFFF",
    "PURE_MAGENTA": "#FF00FF",
    "LOGO_WHITE": "#ECE7E2",
    "LOGO_GREEN": "#87C2A5",
    "LOGO_BLUE": "#525893",
    "LOGO_RED": "#E07A5F",
    "LOGO_BLACK": "#343434",
}
for _family, _shades in _FAMILIES.items():
    MANIM_COLOURS[_family] = _shades[2]
    for _letter, _value in zip("ABCDE", _shades, strict=True):
        MANIM_COLOURS[f"{_family}_{_letter}"] = _value
        if _family == "GREY":
            MANIM_COLOURS[f"GRAY_{_letter}"] = _value

# Where a colour is given: keywords and the methods whose first argument is one.
COLOUR_KEYWORDS = frozenset({"color", "fill_color", "stroke_color", "background_stroke_color"})
COLOUR_METHODS = frozenset({"set_color", "set_fill", "set_stroke"})
FILL_KEYWORDS = frozenset({"fill_color"})
FILL_METHODS = frozenset({"set_fill"})
# Colours here are never swapped: the background itself, and functions needing ManimColor.
BACKGROUND_WORDS = ("background_color",)
NEEDS_MANIM_COLOUR = frozenset({"interpolate_color", "invert_color"})
HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


# --- colour arithmetic ------------------------------------------------------------------------


def _hex6(value: str) -> str:
    digits = value.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits.upper()


def oklch(hex_colour: str) -> tuple[float, float, float]:
    """OKLCH (lightness 0..1, chroma, hue in degrees) of #RRGGBB (Björn Ottosson's OKLab)."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in palette.srgb(_hex6(hex_colour)))
    l_ = (0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b) ** (1 / 3)
    m_ = (0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b) ** (1 / 3)
    s_ = (0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b) ** (1 / 3)
    lightness = 0.2104542553 * l_ + 0.7936177850 * m_ - 0.0040720468 * s_
    a = 1.9779984951 * l_ - 2.4285922050 * m_ + 0.4505937099 * s_
    b_ = 0.0259040371 * l_ + 0.7827717662 * m_ - 0.8086757660 * s_
    return lightness, math.hypot(a, b_), math.degrees(math.atan2(b_, a)) % 360


def hue_distance(first: str, second: str) -> float:
    """Degrees between the OKLCH hues of two colours (0..180)."""
    gap = abs(oklch(first)[2] - oklch(second)[2]) % 360
    return min(gap, 360 - gap)


def is_grey(hex_colour: str) -> bool:
    return oklch(hex_colour)[1] < CHROMA_MIN


def grey_role(hex_colour: str) -> str:
    value = _hex6(hex_colour)
    if value == "#FFFFFF":
        return "TEXT"
    if value == "#000000":
        return "BACKGROUND"
    return "MUTED"


def assign_roles(colours: list[str], taken: frozenset[str] = frozenset()) -> dict[str, str]:
    """Chromatic colours (#RRGGBB, in order of first use) → palette roles.

    The first colours, as many as there are free chromatic roles, get distinct roles with the
    least total hue change (ties go to the earlier permutation in palette order); any further
    colour gets its nearest role. Deterministic: the same colours always map the same way.
    """
    dark = {name: palette.BY_NAME[name].dark for name in palette.CHROMATIC}
    free = [name for name in palette.CHROMATIC if name not in taken] or list(palette.CHROMATIC)
    head, tail = colours[: len(free)], colours[len(free) :]
    best: tuple[str, ...] = ()
    best_cost = math.inf
    for roles in itertools.permutations(free, len(head)):
        cost = sum(hue_distance(c, dark[r]) for c, r in zip(head, roles, strict=True))
        if cost < best_cost - 1e-9:
            best, best_cost = roles, cost
    mapping = dict(zip(head, best, strict=True))
    for colour in tail:
        mapping[colour] = min(palette.CHROMATIC, key=lambda r: hue_distance(colour, dark[r]))
    return mapping


def role_for(colour: str) -> str:
    """The role one raw colour goes to when it is the only one (the mapping table)."""
    value = _hex6(colour)
    return grey_role(value) if is_grey(value) else assign_roles([value])[value]


# --- finding the colours ----------------------------------------------------------------------


@dataclass
class Use:
    node: cst.Name | cst.SimpleString
    raw: str  # as written: RED, "#ff0000"
    value: str  # #RRGGBB
    line: int | None
    fill: bool


class _Finder(cst.CSTVisitor):
    """Every raw colour the swap may rewrite, in source order."""

    METADATA_DEPENDENCIES = (PositionProvider, ParentNodeProvider)

    def __init__(self, defined: set[str]) -> None:
        super().__init__()
        self.defined = defined
        self.uses: list[Use] = []
        self.skip_depth = 0  # inside a background colour or a function needing ManimColor

    def _line(self, node: cst.CSTNode) -> int | None:
        try:
            return int(self.get_metadata(PositionProvider, node).start.line)
        except KeyError:
            return None

    def _parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        try:
            return self.get_metadata(ParentNodeProvider, node)
        except KeyError:
            return None

    # contexts where colours stay as they are

    def _skips(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.Arg) and node.keyword is not None:
            return node.keyword.value in BACKGROUND_WORDS
        if isinstance(node, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
            targets = (
                [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
            )
            return any(source_of(t).endswith(BACKGROUND_WORDS) for t in targets)
        if isinstance(node, cst.Call):
            return func_name(node) in NEEDS_MANIM_COLOUR
        return False

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self._skips(node):
            self.skip_depth += 1
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        super().on_leave(original_node)
        if self._skips(original_node):
            self.skip_depth -= 1

    # where a colour sits

    def _colour_arg(self, node: cst.CSTNode) -> tuple[bool, bool]:
        """(given as a colour, as a fill) for a node that is a call argument itself."""
        arg = self._parent(node)
        if not isinstance(arg, cst.Arg) or arg.value is not node:
            return False, False
        call = self._parent(arg)
        if not isinstance(call, cst.Call):
            return False, False
        method = func_name(call) if isinstance(call.func, cst.Attribute) else None
        if arg.keyword is not None:
            keyword = arg.keyword.value
            fill = keyword in FILL_KEYWORDS or (method in FILL_METHODS and keyword == "color")
            return keyword in COLOUR_KEYWORDS, fill
        if method in COLOUR_METHODS and arg is next((a for a in call.args if not a.star), None):
            return True, method in FILL_METHODS
        return False, False

    def visit_Name(self, node: cst.Name) -> None:
        name = node.value
        if self.skip_depth or name not in MANIM_COLOURS or name in self.defined:
            return
        parent = self._parent(node)
        if isinstance(parent, cst.Attribute):
            return  # x.RED, or RED.interpolate(…): a role is a plain string
        if isinstance(parent, (cst.ImportAlias, cst.FunctionDef, cst.ClassDef, cst.Param)):
            return
        if isinstance(parent, cst.Arg) and parent.keyword is node:
            return
        if isinstance(parent, cst.Call) and parent.func is node:
            return
        _, fill = self._colour_arg(node)
        self.uses.append(Use(node, name, MANIM_COLOURS[name], self._line(node), fill))

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if self.skip_depth:
            return
        given, fill = self._colour_arg(node)
        value = node.evaluated_value
        if given and isinstance(value, str) and HEX.fullmatch(value):
            self.uses.append(Use(node, node.value, _hex6(value), self._line(node), fill))


class _Swapper(cst.CSTTransformer):
    def __init__(self, roles: dict[int, str]) -> None:
        super().__init__()
        self.roles = roles  # id(original node) → role

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        role = self.roles.get(id(original_node))
        return cst.Name(role) if role else updated_node

    def leave_SimpleString(
        self, original_node: cst.SimpleString, updated_node: cst.SimpleString
    ) -> cst.BaseExpression:
        role = self.roles.get(id(original_node))
        return cst.Name(role) if role else updated_node


# --- the entry point --------------------------------------------------------------------------


def _defined_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
    return names


def swap_to_palette(code: str, background: str = "dark") -> FixResult:
    """Raw colours → palette roles, one Fix per rewrite; unchanged code has no fixes."""
    try:
        tree = syntax.parse(code)
        # A module parsed for this pass alone: no copy to protect (see fix_code).
        wrapper = cst.MetadataWrapper(cst.parse_module(code), unsafe_skip_copy=True)
    except (SyntaxError, ValueError, cst.ParserSyntaxError, RecursionError, MemoryError):
        return FixResult(code=code)
    defined = _defined_names(tree)
    own_roles = palette.defined_roles(tree)
    # A role the code defines as something else is not the palette's: never swap to it.
    foreign = {
        name
        for name, value in own_roles.items()
        if value is None or value.upper() != palette.BY_NAME[name].hex(background).upper()
    }
    finder = _Finder(defined)
    try:
        wrapper.visit(finder)
    except Exception:  # a bug here must never cost the user their code
        log.exception("colour swap failed; code left as it was")
        return FixResult(code=code)
    uses = [
        u
        for u in finder.uses
        if not (u.fill and is_grey(u.value) and grey_role(u.value) == "MUTED")
    ]
    used_roles = {
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id in palette.CHROMATIC and node.id not in foreign
    }
    chromatic = list(dict.fromkeys(u.value for u in uses if not is_grey(u.value)))
    taken = frozenset(used_roles | foreign)
    mapping = assign_roles(chromatic, taken) if chromatic else {}
    roles: dict[int, str] = {}
    fixes: list[Fix] = []
    for use in uses:
        role = grey_role(use.value) if is_grey(use.value) else mapping[use.value]
        if role in foreign:
            continue
        roles[id(use.node)] = role
        fixes.append(Fix(RULE, use.line, f"{use.raw} → {role}{WHY}"))
    if not roles:
        return FixResult(code=code)
    try:
        swapped = wrapper.module.visit(_Swapper(roles)).code
    except Exception:
        log.exception("colour swap failed; code left as it was")
        return FixResult(code=code)
    with_roles = palette.with_constants(swapped, background)
    if with_roles != swapped:
        added = sorted(set(roles.values()) - set(own_roles), key=list(palette.BY_NAME).index)
        fixes.append(
            Fix(
                CONSTANTS_RULE,
                None,
                f"the palette's {', '.join(added)} defined at the top of the code",
            )
        )
    if not parses(with_roles):
        log.error("colour swap produced code that does not parse; code left as it was")
        return FixResult(code=code)
    return FixResult(code=with_roles, fixes=fixes)
