"""The colour swap: raw Manim colours and hex strings → palette roles (app/core/fixer/colours.py).

The runtime rule is OKLCH hue; here it is measured against CAM02-UCS (colorspacious, a test
dependency only), and the rewrite is checked for what it must keep: comments, layout, the
background, the code's own names, and two different colours staying two different roles.
"""

from __future__ import annotations

import ast
import math
import re

import pytest
from colorspacious import cspace_convert

from app.core import palette
from app.core.fixer import fix_code, swap_to_palette
from app.core.fixer.colours import MANIM_COLOURS, assign_roles, is_grey, role_for
from tests.colour_vision import DEFICIENCIES, distance
from tests.conftest import scene_code

HEAD = "from manim import *\n\n\nclass S(Scene):\n    def construct(self):\n"


def scene(*lines: str) -> str:
    return HEAD + "".join(f"        {line}\n" for line in lines)


def role_of(code: str, variable: str) -> str:
    """The role name `variable = Thing(..., color=ROLE)` ends up with."""
    match = re.search(rf"{variable} = .*color=(\w+)", code)
    assert match, code
    return match.group(1)


def defined_constants(code: str) -> dict[str, str]:
    tree = ast.parse(code)
    return {
        t.id: s.value.value
        for s in tree.body
        if isinstance(s, ast.Assign) and isinstance(s.value, ast.Constant)
        for t in s.targets
        if isinstance(t, ast.Name)
    }


# --- the mapping ------------------------------------------------------------------------------

TABLE = {
    "RED": "NEGATIVE",
    "ORANGE": "NEGATIVE",
    "GOLD": "SECONDARY",
    "YELLOW": "HIGHLIGHT",
    "GREEN": "POSITIVE",
    "TEAL": "POSITIVE",
    "BLUE": "ACCENT",
    "PURPLE": "TERTIARY",
    "PINK": "TERTIARY",
    "MAROON": "TERTIARY",
    "PURE_RED": "NEGATIVE",
    "PURE_GREEN": "POSITIVE",
    "PURE_BLUE": "ACCENT",
    "PURE_YELLOW": "HIGHLIGHT",
    "PURE_MAGENTA": "TERTIARY",
    "PURE_CYAN": "POSITIVE",
    "BLUE_E": "ACCENT",
    "RED_E": "NEGATIVE",
    "DARK_BLUE": "ACCENT",
    "WHITE": "TEXT",
    "BLACK": "BACKGROUND",
    "GREY": "MUTED",
    "GRAY_E": "MUTED",
    "DARK_GREY": "MUTED",
    "LIGHTER_GRAY": "MUTED",
}


@pytest.mark.parametrize(("name", "role"), TABLE.items())
def test_a_colour_alone_goes_to_its_role(name, role):
    assert role_for(MANIM_COLOURS[name]) == role
    result = swap_to_palette(scene(f"a = Circle(color={name})"))
    assert role_of(result.code, "a") == role


def cam02_hue(hex_colour: str) -> float:
    _, a, b = cspace_convert(palette.srgb(hex_colour), "sRGB1", "CAM02-UCS")
    return math.degrees(math.atan2(b, a)) % 360


def hue_gap(first: float, second: float) -> float:
    gap = abs(first - second) % 360
    return min(gap, 360 - gap)


@pytest.mark.parametrize("name", [n for n, v in MANIM_COLOURS.items() if not is_grey(v)])
def test_every_manim_colour_goes_to_one_of_the_two_roles_nearest_in_cam02_ucs_hue(name):
    hue = cam02_hue(MANIM_COLOURS[name])
    nearest = sorted(
        palette.CHROMATIC, key=lambda r: hue_gap(hue, cam02_hue(palette.BY_NAME[r].dark))
    )
    assert role_for(MANIM_COLOURS[name]) in nearest[:2]


def test_the_table_knows_manims_values():
    manim_colors = pytest.importorskip("manim.utils.color.manim_colors")
    for name, value in MANIM_COLOURS.items():
        assert getattr(manim_colors, name).to_hex().upper() == value, name


# --- names, shades, hex, set_color --------------------------------------------------------------


def test_names_and_shades_are_swapped_with_a_fix_each():
    code = scene(
        "a = Circle(color=RED)  # the loss",
        "b = Square(color=GREEN_C)",
        "c = Dot(color=GRAY_B)",
        "self.add(a, b, c)",
    )
    result = swap_to_palette(code)
    assert [str(fix) for fix in result.fixes] == [
        "line 6: RED → NEGATIVE (colour-blind-safe palette)",
        "line 7: GREEN_C → POSITIVE (colour-blind-safe palette)",
        "line 8: GRAY_B → MUTED (colour-blind-safe palette)",
        "the palette's MUTED, POSITIVE, NEGATIVE defined at the top of the code",
    ]
    assert "a = Circle(color=NEGATIVE)  # the loss" in result.code
    constants = defined_constants(result.code)
    assert constants == {
        "MUTED": palette.BY_NAME["MUTED"].dark,
        "POSITIVE": palette.BY_NAME["POSITIVE"].dark,
        "NEGATIVE": palette.BY_NAME["NEGATIVE"].dark,
    }


def test_hex_strings_in_colour_arguments_are_swapped_and_other_strings_are_not():
    code = scene(
        'a = Circle(color="#FF0000", fill_color="#0f0", stroke_color="#0000ff")',
        'b = Square().set_color("#ffff00")',
        'c = Text("#FF0000", font="#00FF00")',
        "self.add(a, b, c)",
    )
    result = swap_to_palette(code)
    assert "a = Circle(color=NEGATIVE, fill_color=POSITIVE, stroke_color=ACCENT)" in result.code
    assert "b = Square().set_color(HIGHLIGHT)" in result.code
    assert 'c = Text("#FF0000", font="#00FF00")' in result.code
    assert '"#0f0" → POSITIVE (colour-blind-safe palette)' in [f.description for f in result.fixes]


def test_set_color_set_fill_and_set_stroke_take_roles():
    code = scene(
        "a = Circle().set_color(PURPLE)",
        "a.set_stroke(TEAL, width=2)",
        "a.set_fill(color=GOLD, opacity=0.5)",
        "self.add(a)",
    )
    result = swap_to_palette(code)
    assert "set_color(TERTIARY)" in result.code
    assert "set_stroke(POSITIVE, width=2)" in result.code
    assert "set_fill(color=SECONDARY, opacity=0.5)" in result.code


def test_a_grey_fill_stays_a_panel_but_grey_text_becomes_muted():
    code = scene(
        "box = Rectangle(fill_color=DARK_GREY, fill_opacity=1).set_fill(GREY_E)",
        "t = Text('x', color=DARK_GREY)",
        "self.add(box, t)",
    )
    result = swap_to_palette(code)
    assert "Rectangle(fill_color=DARK_GREY, fill_opacity=1).set_fill(GREY_E)" in result.code
    assert "Text('x', color=MUTED)" in result.code


def test_the_background_the_codes_own_names_and_colour_objects_are_left_alone():
    code = (
        "from manim import *\n\nRED = '#AA0000'\n\n\nclass S(Scene):\n"
        "    def construct(self):\n"
        "        self.camera.background_color = GREY\n"
        "        plane = NumberPlane(background_color=BLUE)\n"
        "        mix = interpolate_color(YELLOW, PINK, 0.5)\n"
        "        hexed = ORANGE.to_hex()\n"
        "        a = Circle(color=RED)\n"
        "        self.add(plane, a)\n"
    )
    assert swap_to_palette(code) == swap_to_palette(code)  # deterministic
    result = swap_to_palette(code)
    assert result.code == code and result.fixes == []


# --- what the rewrite keeps ---------------------------------------------------------------------


def test_comments_and_formatting_are_kept():
    code = (
        "from manim import *  # everything\n"
        "import numpy as np\n\n\n"
        "class S(Scene):\n"
        "    def construct(self):\n"
        "        # two labels\n"
        "        a = Text( 'a' ,   color = BLUE_E )   # odd spacing stays\n"
        "        b = VGroup(\n"
        "            a,\n"
        "            Dot(color=RED),  # trailing comma stays\n"
        "        )\n"
        "        self.add(b)\n"
    )
    result = swap_to_palette(code)
    expected = (
        code.replace("BLUE_E", "ACCENT")
        .replace("color=RED", "color=NEGATIVE")
        .replace(
            "import numpy as np\n\n\n",
            "import numpy as np\n\n" + palette.constants_code({"ACCENT", "NEGATIVE"}) + "\n\n",
        )
    )
    assert result.code == expected


def test_the_swap_is_idempotent():
    once = swap_to_palette(scene_code("low_contrast_scene"))
    assert once.changed
    twice = swap_to_palette(once.code)
    assert twice.code == once.code and not twice.changed


@pytest.mark.parametrize("code", ["def (:\n  color=RED", "", "x = RED +", "\x00"])
def test_code_that_does_not_parse_comes_back_unchanged(code):
    result = swap_to_palette(code)
    assert result.code == code and result.fixes == []


def test_code_without_raw_colours_is_unchanged():
    code = scene("a = Circle(color=ACCENT)", "self.add(a)")
    assert swap_to_palette(code).code == code


def test_a_palette_block_already_there_gets_only_the_missing_roles():
    code = palette.with_constants(scene("a = Circle(color=ACCENT)", "b = Dot(color=RED)"))
    result = swap_to_palette(code)
    constants = defined_constants(result.code)
    assert set(constants) == {"ACCENT", "NEGATIVE"}
    assert result.code.count("# Colours by role") == 1
    assert result.code.index("NEGATIVE = ") < result.code.index("class S")


# --- distinct colours stay distinct ------------------------------------------------------------


@pytest.mark.parametrize(
    "names",
    [
        ("GREEN", "RED"),  # positive and negative: the Riemann sums
        ("RED", "ORANGE"),  # both nearest to NEGATIVE
        ("GREEN", "TEAL"),  # both nearest to POSITIVE
        ("BLUE", "BLUE_E"),  # two shades of one family
        ("GREEN", "GOLD", "ORANGE"),
        ("RED", "ORANGE", "GOLD", "YELLOW", "GREEN", "BLUE"),
    ],
)
def test_distinct_raw_colours_go_to_distinct_roles(names):
    lines = [f"m{i} = Circle(color={name})" for i, name in enumerate(names)]
    result = swap_to_palette(scene(*lines))
    roles = [role_of(result.code, f"m{i}") for i in range(len(names))]
    assert len(set(roles)) == len(names), dict(zip(names, roles, strict=True))
    # …and the roles stay apart for colour-blind students, as the palette promises.
    values = defined_constants(result.code)
    for first in set(roles):
        for second in set(roles) - {first}:
            for deficiency in DEFICIENCIES:
                assert distance(values[first], values[second], deficiency) >= 12


def test_the_same_colour_twice_is_one_role_and_roles_in_use_are_taken():
    result = swap_to_palette(
        scene("a = Circle(color=BLUE)", "b = Dot(color=BLUE_C)", "c = Line(color=ACCENT)")
    )
    assert role_of(result.code, "a") == role_of(result.code, "b") != "ACCENT"


def test_more_colours_than_roles_share_the_nearest():
    many = ["#FF0000", "#FF8800", "#FFFF00", "#00FF00", "#00FFFF", "#0000FF", "#FF00FF"]
    mapping = assign_roles(many)
    assert len(set(mapping.values())) == 6
    assert mapping["#FF00FF"] == "TERTIARY"


# --- the GraphScene shim ----------------------------------------------------------------------


def test_the_graphscene_shim_colours_by_role():
    code = (
        "from manimlib.imports import *\n\n\nclass G(GraphScene):\n    def construct(self):\n"
        "        self.setup_axes()\n"
        "        graph = self.get_graph(lambda x: x)\n"
        "        rects = self.get_riemann_rectangles(graph)\n"
        "        self.add(graph, rects)\n"
    )
    fixed = fix_code(code).code
    assert not re.search(r"\b(GREY|BLUE|GREEN|BLACK)\b", fixed)
    assert set(defined_constants(fixed)) == {"MUTED", "ACCENT", "POSITIVE", "BACKGROUND"}
    assert not swap_to_palette(fixed).changed  # nothing raw left to swap
