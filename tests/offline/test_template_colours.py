"""Templates colour by palette role, and never let colour alone carry meaning.

Every template's code, at its defaults and at each variant, names no Manim colour, writes no
colour of its own, defines the roles it uses with the palette's values, and the colours one
scene shows together stay apart for colour-blind students. Where a template marks positive and
negative, found and missing, compared, left and right ... by colour, the tests below check the
label, shape or mark that says it too.
"""

from __future__ import annotations

import ast
import itertools
import re

import pytest
from manim.utils.color import manim_colors

from app.core import palette
from app.generators.offline import render_template
from app.generators.offline.catalogue import registry
from tests.colour_vision import DEFICIENCIES, NAMES, distance

ALL_PARAMS = [
    (template_id, index, params)
    for template_id, template in registry().items()
    for index, params in enumerate([None, *template.variants])
]
MANIM_COLOURS = frozenset(name for name in dir(manim_colors) if name.isupper())
# Manim's other colour tables (`from manim import *` brings them in as names).
COLOUR_TABLES = frozenset({"XKCD", "X11", "SVGNAMES", "DVIPSNAMES", "BS381", "AS2700"})
COLOUR_KEYWORDS = frozenset({"color", "fill_color", "stroke_color", "background_stroke_color"})
# Manim draws these in its own yellow (or red, or blue grid lines) unless told a colour.
COLOURED_BY_DEFAULT = {
    "Indicate": "color",
    "Circumscribe": "color",
    "Flash": "color",
    "SurroundingRectangle": "color",
    "Cross": "stroke_color",
    "NumberPlane": "background_line_style",
}
HEX = re.compile(r"#[0-9A-Fa-f]{3,8}")
COLOUR_WORDS = re.compile(
    r"\b(red|green|blue|yellow|orange|purple|pink|teal|gold|grey|gray|maroon)\b", re.I
)


_CODE: dict[str, str] = {}


def code_of(template_id: str, params: dict | None = None) -> str:
    """The template's code, made once per test process: five checks below read each one."""
    key = f"{template_id} {params!r}"
    if key not in _CODE:
        _CODE[key] = render_template(template_id, params).code
    return _CODE[key]


def palette_constants(tree: ast.Module) -> dict[str, str]:
    """The role constants the module defines at its top level: name → value."""
    constants = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id in palette.BY_NAME
        ):
            assert isinstance(node.value, ast.Constant), ast.unparse(node)
            constants[node.targets[0].id] = node.value.value
    return constants


def calls(tree: ast.AST, name: str) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id == name)
            or (isinstance(node.func, ast.Attribute) and node.func.attr == name)
        )
    ]


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def strings(tree: ast.AST) -> list[str]:
    return [
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


# ---------------------------------------------------------------- every template


@pytest.mark.parametrize(("template_id", "index", "params"), ALL_PARAMS)
def test_code_names_no_manim_colour_and_writes_no_colour_of_its_own(template_id, index, params):
    tree = ast.parse(code_of(template_id, params))
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    assert not names & MANIM_COLOURS, sorted(names & MANIM_COLOURS)
    assert not names & COLOUR_TABLES
    assert not calls(tree, "ManimColor")
    hex_literals = {s for s in strings(tree) if HEX.search(s)}
    assert hex_literals == set(palette_constants(tree).values())  # only the role constants
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in COLOUR_KEYWORDS:
            assert not isinstance(node.value, ast.Constant), ast.unparse(node)


@pytest.mark.parametrize(("template_id", "index", "params"), ALL_PARAMS)
def test_code_defines_the_roles_it_uses_with_the_palettes_values(template_id, index, params):
    code = code_of(template_id, params)
    tree = ast.parse(code)
    constants = palette_constants(tree)
    used = {
        n.id
        for n in ast.walk(tree)
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id in palette.BY_NAME
    }
    assert used, "the scene uses no palette role"
    assert set(constants) == used  # every role used is defined, and none defined in vain
    assert constants == {name: palette.BY_NAME[name].dark for name in used}
    # Defined once, at the top, and never reassigned further down.
    stores = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)]
    assert sum(n.id in palette.BY_NAME for n in stores) == len(constants)
    header = code.split("\n\n\n")[0]
    assert all(f'{name} = "' in header for name in constants)


@pytest.mark.parametrize(("template_id", "index", "params"), ALL_PARAMS)
def test_manim_default_colours_are_always_overridden(template_id, index, params):
    tree = ast.parse(code_of(template_id, params))
    for name, argument in COLOURED_BY_DEFAULT.items():
        for call in calls(tree, name):
            value = keyword(call, argument)
            assert value is not None, f"{name} without {argument}: {ast.unparse(call)}"
            if name == "NumberPlane":
                assert isinstance(value, ast.Dict)
                assert "stroke_color" in [ast.literal_eval(k) for k in value.keys if k]


@pytest.mark.parametrize(("template_id", "index", "params"), ALL_PARAMS)
def test_colours_shown_together_stay_apart_for_colour_blind_students(template_id, index, params):
    constants = palette_constants(ast.parse(code_of(template_id, params)))
    for (first, a), (second, b) in itertools.combinations(sorted(constants.items()), 2):
        for deficiency in DEFICIENCIES:
            gap = distance(a, b, deficiency)
            assert gap >= palette.MIN_DISTANCE, (
                f"{first} and {second}: {gap:.1f} under {NAMES[deficiency]}"
            )


@pytest.mark.parametrize(("template_id", "index", "params"), ALL_PARAMS)
def test_no_words_on_screen_point_at_a_colour(template_id, index, params):
    # "the red particle" means nothing to a student who cannot see red.
    tree = ast.parse(code_of(template_id, params))
    for text in strings(tree):
        assert not COLOUR_WORDS.search(text), text


# ---------------------------------------------------------------- meaning beyond colour


def literal_words(node: ast.expr) -> str:
    """The fixed words of a string or f-string argument ("" for anything else)."""
    if isinstance(node, ast.JoinedStr):
        return "".join(literal_words(part) for part in node.values)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return ""


def text_calls(tree: ast.AST) -> list[tuple[str, str | None]]:
    """(fixed words, colour role) for every Text, MathTex and Tex in the scene."""
    found = []
    for name in ("Text", "MathTex", "Tex"):
        for call in calls(tree, name):
            words = " ".join(literal_words(argument) for argument in call.args)
            colour = keyword(call, "color")
            found.append((words, colour.id if isinstance(colour, ast.Name) else None))
    return found


def test_riemann_sum_says_which_rectangles_count_as_negative():
    tree = ast.parse(code_of("riemann_sum", {"expression": "x**3 - 2*x", "x_range": [-2, 2]}))
    texts = text_calls(tree)
    assert ("below the x-axis: - area", "NEGATIVE") in texts
    assert ("above the x-axis: + area", "POSITIVE") in texts
    # Only where f goes below the axis: x^2 on [0, 3] has nothing negative to explain.
    plain = text_calls(ast.parse(code_of("riemann_sum")))
    assert not any("below the x-axis" in words for words, _ in plain)


def test_number_line_jumps_carry_their_sign_and_direction():
    code = code_of("number_line", {"values": [], "operation": "4 - 7 + 2"})
    assert 'MathTex(\n                ("+" if jump > 0 else "") + fmt(jump)' in code
    assert "angle=-PI / 3 if jump > 0 else PI / 3" in code
    assert "color = POSITIVE if jump > 0 else NEGATIVE" in code


def test_binary_search_says_found_or_missing_in_words():
    found = code_of("binary_search")
    assert "found it at position" in found
    assert "color=POSITIVE if value == target else TEXT" in found
    missing = code_of("binary_search", registry()["binary_search"].variants[1])
    assert (" is not in the list", "NEGATIVE") in text_calls(ast.parse(missing))
    # Discarded boxes fade (not only change colour); the middle one gets a thick outline.
    assert ".animate.set_opacity(0.25)" in found
    assert "set_stroke(HIGHLIGHT, width=6)" in found


def test_fractions_subtraction_names_the_pieces_taken_away():
    tree = ast.parse(code_of("fractions", {"fractions": ["3/4", "1/4"], "operation": "subtract"}))
    assert ("taken away", "NEGATIVE") in text_calls(tree)


def test_limit_points_differ_by_shape_and_their_readouts_show_it():
    code = code_of("limit_approach")
    tree = ast.parse(code)
    squares = [c for c in calls(tree, "Square") if ast.unparse(keyword(c, "color")) == "SECONDARY"]
    dots = [c for c in calls(tree, "Dot") if ast.unparse(keyword(c, "color")) == "HIGHLIGHT"]
    assert len(squares) == 2 and len(dots) == 2  # the point and its key in the readout
    assert ("from the left:", "HIGHLIGHT") in text_calls(tree)
    assert ("from the right:", "SECONDARY") in text_calls(tree)


def test_triangle_angles_differ_by_their_marks():
    tree = ast.parse(code_of("triangle_angle_sum"))
    wedges = calls(tree, "wedge")
    marks = [ast.literal_eval(call.args[4]) for call in wedges]
    colours = [ast.unparse(call.args[3]) for call in wedges]
    assert sorted(marks) == [1, 2, 3]
    assert len(set(colours)) == 3
    assert "for k in range(marks)" in ast.unparse(tree)


def test_sorting_marks_compared_bars_by_outline_and_says_sorted():
    code = code_of("sorting_algorithm")
    assert "set_fill(HIGHLIGHT).set_stroke(TEXT, width=6)" in code
    assert ("Sorted!", "POSITIVE") in text_calls(ast.parse(code))


def test_taylor_series_tells_the_curves_apart_by_width_and_in_words():
    code = code_of("taylor_series")
    assert "color=ACCENT, stroke_width=8" in code
    assert "color=HIGHLIGHT,\n                stroke_width=3," in code
    assert any("thick: f(x)" in words for words, _ in text_calls(ast.parse(code)))


def test_transverse_wave_follows_a_bigger_particle_on_its_dashed_line():
    code = code_of("transverse_wave")
    assert "radius=0.14 if i == 6 else 0.07" in code
    assert "the big particle moves only up and down its dashed line" in code


def test_vectors_are_named_beside_their_arrows():
    for params in [None, *registry()["vector_addition"].variants]:
        code = code_of("vector_addition", params)
        assert 'label = MathTex(rf"\\vec{{{name}}}", color=color' in code
        assert "arrows.add(VGroup(arrow, label))" in code


def test_basis_vectors_are_named_at_their_tips():
    code = code_of("matrix_transformation")
    assert 'tip_label(i_hat, r"\\hat{\\imath}", ACCENT)' in code
    assert 'tip_label(j_hat, r"\\hat{\\jmath}", SECONDARY)' in code
    assert "area of the shaded square" in code


def test_bar_chart_names_the_largest_bar():
    code = code_of("bar_chart")
    assert 'Text(f"Largest: {labels[top]} ({fmt(values[top])})"' in code
    assert "bars[top].animate.set_fill(HIGHLIGHT, opacity=1)" in code
