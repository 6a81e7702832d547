"""Deterministic fixer: rewrite old Manim (ManimGL, pre-0.18 Community) into Manim Community.

`fix_code(code)` applies a concrete-syntax-tree transform (libcst, so comments and layout
survive) and lists every rewrite it made. It never runs the code. It is applied to LLM output
before validation and by `chalk fix --code FILE.py`; code it cannot parse comes back unchanged
(the static policy then names the syntax error).

The rules follow Manim Community's changelog and the ManimGL → Community differences: renamed
classes (ShowCreation → Create, TextMobject/TexMobject → Text/Tex/MathTex, ParametricSurface →
Surface…), removed animations (FadeInFrom*, FadeOutAndShift*, ShowCreationThenDestruction,
CircleIndicate…), `manimlib` imports, ManimGL `CONFIG` dicts, `self.play(mob.method, args)`,
`get_graph` → `plot`, `x_min/x_max` → `x_range`, GraphScene, FRAME_* constants and common
LaTeX slips (unescaped backslashes, `$` inside MathTex, Unicode symbols in formulas).
"""

from __future__ import annotations

import ast
import keyword
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import libcst as cst
from libcst.metadata import ParentNodeProvider, PositionProvider

from app.core.codeblock import extract_code, parses

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Fix:
    """One rewrite: a stable rule id, the line in the code as given, and what changed."""

    rule: str
    line: int | None
    description: str

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "line": self.line, "description": self.description}

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.description}"


@dataclass
class FixResult:
    code: str
    fixes: list[Fix] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.fixes)


# --- rule tables -------------------------------------------------------------------------


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Classes renamed with the same arguments.
RENAMES = {
    "ShowCreation": "Create",
    "TexMobject": "MathTex",
    "OldTex": "MathTex",
    "OldTexText": "Tex",
    "WiggleOutThenIn": "Wiggle",
    "VFadeIn": "FadeIn",
    "VFadeOut": "FadeOut",
    "ParametricSurface": "Surface",
    "ContinualChangingDecimal": "ChangingDecimal",
}
# ManimGL's Tex is math mode (Community's MathTex) and TexText is text mode (Community's Tex).
GL_RENAMES = {"Tex": "MathTex", "TexText": "Tex"}
GL_MODULES = ("manimlib", "manim_imports_ext", "big_ol_pile_of_manim_imports")
GL_ONLY_NAMES = frozenset({"TexText", "OldTexText"})

METHOD_RENAMES = {
    "scale_in_place": "scale",
    "rotate_in_place": "rotate",
    "get_graph": "plot",
    "get_derivative_graph": "plot_derivative_graph",
    "get_v_line": "get_vertical_line",
    "get_h_line": "get_horizontal_line",
    "add_coordinate_labels": "add_coordinates",
}
KWARG_RENAMES = {
    "get_graph_label": {"x": "x_val"},
    "get_axis_labels": {"x_label_tex": "x_label", "y_label_tex": "y_label"},
}

# Animation classes of Manim Community 0.22 and the old names rewritten here: an argument of
# `self.play` that calls one of these is an animation, not an argument of a method before it.
ANIMATIONS = _names(
    """Add AddTextLetterByLetter AddTextWordByWord Animation AnimationGroup ApplyComplexFunction
    ApplyFunction ApplyMatrix ApplyMethod ApplyPointwiseFunction ApplyPointwiseFunctionToCenter
    ApplyWave Blink Broadcast ChangeDecimalToValue ChangeSpeed ChangingDecimal Circumscribe
    ClockwiseTransform ComplexHomotopy CounterclockwiseTransform Create CyclicReplace
    DrawBorderThenFill FadeIn FadeOut FadeToColor FadeTransform FadeTransformPieces Flash FocusOn
    GrowArrow GrowFromCenter GrowFromEdge GrowFromPoint Homotopy Indicate LaggedStart
    LaggedStartMap MaintainPositionRelativeTo MoveAlongPath MoveToTarget PhaseFlow
    RemoveTextLetterByLetter ReplacementTransform Restore Rotate Rotating ScaleInPlace
    ShowIncreasingSubsets ShowPartial ShowPassingFlash ShowPassingFlashWithThinningStrokeWidth
    ShowSubmobjectsOneByOne ShrinkToCenter SmoothedVectorizedHomotopy SpinInFromNothing SpiralIn
    Succession Swap Transform TransformAnimations TransformFromCopy TransformMatchingShapes
    TransformMatchingTex TypeWithCursor Uncreate UntypeWithCursor Unwrite UpdateFromAlphaFunc
    UpdateFromFunc Wait Wiggle Write ShowCreation FadeInFrom FadeInFromDown FadeOutAndShift
    FadeOutAndShiftDown FadeInFromLarge FadeInFromPoint FadeOutToPoint
    ShowCreationThenDestruction ShowCreationThenFadeOut CircleIndicate ShowPassingFlashAround
    ShowCreationThenDestructionAround ShowCreationThenFadeAround FlashAround WiggleOutThenIn
    VFadeIn VFadeOut"""
)

# Mobject methods that old code passed to `self.play` with their arguments after them.
PLAYABLE_METHODS = _names(
    """shift move_to next_to scale rotate set_color set_fill set_stroke set_opacity to_edge
    to_corner align_to flip stretch stretch_to_fit_width stretch_to_fit_height
    scale_to_fit_width scale_to_fit_height set_width set_height match_width match_height
    match_color match_style center arrange arrange_in_grid arrange_submobjects become set_x
    set_y set_z fade fade_to set_value increment_value set_color_by_gradient set_sheen
    rotate_about_origin put_start_and_end_on set_points_as_corners set_style to_original_color
    shift_onto_screen surround replace set_color_by_tex scale_in_place rotate_in_place
    scale_about_point set_angle set_submobject_colors_by_gradient restore"""
)

DIRECTIONS = frozenset({"UP", "DOWN", "LEFT", "RIGHT", "UL", "UR", "DL", "DR", "IN", "OUT"})
OPPOSITE = {
    "UP": "DOWN",
    "DOWN": "UP",
    "LEFT": "RIGHT",
    "RIGHT": "LEFT",
    "UL": "DR",
    "DR": "UL",
    "UR": "DL",
    "DL": "UR",
    "IN": "OUT",
    "OUT": "IN",
}

# FRAME_* constants left Manim Community; inside a method the camera knows the real size.
FRAME_IN_METHOD = {
    "FRAME_WIDTH": "self.camera.frame_width",
    "FRAME_HEIGHT": "self.camera.frame_height",
    "FRAME_X_RADIUS": "(self.camera.frame_width / 2)",
    "FRAME_Y_RADIUS": "(self.camera.frame_height / 2)",
    "TOP": "(self.camera.frame_height / 2 * UP)",
    "BOTTOM": "(self.camera.frame_height / 2 * DOWN)",
    "LEFT_SIDE": "(self.camera.frame_width / 2 * LEFT)",
    "RIGHT_SIDE": "(self.camera.frame_width / 2 * RIGHT)",
}
FRAME_LITERAL = {
    "FRAME_WIDTH": "14.22",
    "FRAME_HEIGHT": "8.0",
    "FRAME_X_RADIUS": "7.11",
    "FRAME_Y_RADIUS": "4.0",
    "TOP": "(4.0 * UP)",
    "BOTTOM": "(4.0 * DOWN)",
    "LEFT_SIDE": "(7.11 * LEFT)",
    "RIGHT_SIDE": "(7.11 * RIGHT)",
}

# Keyword arguments that only the LaTeX classes take (so TextMobject stays Tex with them).
TEX_ONLY_KWARGS = frozenset(
    {"tex_to_color_map", "arg_separator", "tex_template", "substrings_to_isolate", "t2c", "isolate"}
)
GL_TEX_KWARGS = {"t2c": "tex_to_color_map", "isolate": "substrings_to_isolate"}
CIRCUMSCRIBE_KWARGS = frozenset(
    {"run_time", "rate_func", "color", "buff", "time_width", "stroke_width", "lag_ratio"}
)

# LaTeX commands whose first letter Python reads as an escape (\a \b \f \n \r \t \v) when the
# string is not raw: "\frac" is a form feed followed by "rac".
ESCAPED_COMMANDS = re.compile(
    r"\\(alpha|approx|angle|ast|arccos|arcsin|arctan|aleph|beta|bar|bf|begin|binom|bigg?|"
    r"boxed|bullet|bmod|backslash|bot|boldsymbol|frac|forall|flat|frown|nabla|neq|nu|ne|neg|"
    r"newline|nleq|ngeq|not|notin|ni|right|rho|rangle|rightarrow|rm|rfloor|rceil|theta|times|"
    r"tan|text|textbf|textit|tau|to|top|triangle|tilde|tfrac|tiny|vec|varepsilon|varphi|"
    r"vartheta|vdots|vee|vert|varnothing)(?![a-zA-Z])"
)
UNICODE_MATH = {
    "π": r"\pi",
    "θ": r"\theta",
    "α": r"\alpha",
    "β": r"\beta",
    "γ": r"\gamma",
    "δ": r"\delta",
    "Δ": r"\Delta",
    "λ": r"\lambda",
    "μ": r"\mu",
    "σ": r"\sigma",
    "Σ": r"\Sigma",
    "φ": r"\phi",
    "ω": r"\omega",
    "Ω": r"\Omega",
    "ε": r"\epsilon",
    "≤": r"\leq",
    "≥": r"\geq",
    "≠": r"\neq",
    "≈": r"\approx",
    "×": r"\times",
    "÷": r"\div",
    "·": r"\cdot",
    "±": r"\pm",
    "→": r"\to",
    "←": r"\leftarrow",
    "⇒": r"\Rightarrow",
    "∞": r"\infty",
    "√": r"\sqrt",
    "∫": r"\int",
    "∑": r"\sum",
    "∂": r"\partial",
    "∈": r"\in",
    "°": r"^\circ",
    "²": "^2",
    "³": "^3",
    "½": r"\frac{1}{2}",
}
# Escapes Python reads in a non-raw string (besides those starting LaTeX commands).
PY_ESCAPE = re.compile(r"\\[abfnrtv\\'\"0-7xuUN\n]")
MATH_ONLY = re.compile(
    r"[\^_]|\\(frac|sqrt|int|sum|prod|lim|infty|pi|alpha|beta|theta|cdot|leq|geq)"
)

GRAPH_SCENE_DEFAULTS = {
    "x_min": "-1",
    "x_max": "10",
    "x_axis_width": "9",
    "x_tick_frequency": "1",
    "x_labeled_nums": "None",
    "x_axis_label": '"$x$"',
    "y_min": "-1",
    "y_max": "10",
    "y_axis_height": "6",
    "y_tick_frequency": "1",
    "y_labeled_nums": "None",
    "y_axis_label": '"$y$"',
    "axes_color": "GREY",
    "graph_origin": "2.5 * DOWN + 4 * LEFT",
    "exclude_zero_label": "True",
    "default_graph_color": "BLUE",
    "axes": "None",
}
# GraphScene methods rebuilt on Community's Axes; added to a former GraphScene when used.
GRAPH_SCENE_METHODS = {
    "setup_axes": """
def setup_axes(self, animate=False):
    self.axes = Axes(
        x_range=[self.x_min, self.x_max, self.x_tick_frequency],
        y_range=[self.y_min, self.y_max, self.y_tick_frequency],
        x_length=self.x_axis_width,
        y_length=self.y_axis_height,
        axis_config={"color": self.axes_color, "include_tip": False},
        tips=False,
    )
    self.axes.shift(self.graph_origin - self.axes.c2p(0, 0))
    excluded = [0] if self.exclude_zero_label else []
    if self.x_labeled_nums:
        self.axes.x_axis.add_numbers(list(self.x_labeled_nums), excluding=excluded)
    if self.y_labeled_nums:
        self.axes.y_axis.add_numbers(list(self.y_labeled_nums), excluding=excluded)
    self.x_axis, self.y_axis = self.axes.x_axis, self.axes.y_axis
    self.axes_labels = VGroup()
    if self.x_axis_label:
        label = Tex(self.x_axis_label).next_to(self.axes.x_axis.get_end(), UR, buff=SMALL_BUFF)
        self.axes_labels.add(label)
    if self.y_axis_label:
        label = Tex(self.y_axis_label).next_to(self.axes.y_axis.get_end(), UR, buff=SMALL_BUFF)
        self.axes_labels.add(label)
    if animate:
        self.play(Create(self.axes), *[Write(label) for label in self.axes_labels])
    else:
        self.add(self.axes, self.axes_labels)
""",
    "coords_to_point": """
def coords_to_point(self, x, y):
    return self.axes.c2p(x, y)
""",
    "point_to_coords": """
def point_to_coords(self, point):
    return self.axes.p2c(point)[:2]
""",
    "get_graph": """
def get_graph(self, func, color=None, x_min=None, x_max=None, **kwargs):
    x_min = self.x_min if x_min is None else x_min
    x_max = self.x_max if x_max is None else x_max
    color = self.default_graph_color if color is None else color
    return self.axes.plot(func, x_range=[x_min, x_max], color=color, **kwargs)
""",
    "input_to_graph_point": """
def input_to_graph_point(self, x, graph):
    return self.axes.input_to_graph_point(x, graph)
""",
    "get_vertical_line_to_graph": """
def get_vertical_line_to_graph(self, x, graph, line_class=Line, **line_kwargs):
    return line_class(
        self.axes.c2p(x, 0), self.axes.input_to_graph_point(x, graph), **line_kwargs
    )
""",
    "get_riemann_rectangles": """
def get_riemann_rectangles(
    self,
    graph,
    x_min=None,
    x_max=None,
    dx=0.1,
    input_sample_type="left",
    stroke_width=1,
    stroke_color=BLACK,
    fill_opacity=1,
    start_color=BLUE,
    end_color=GREEN,
    **kwargs,
):
    x_min = self.x_min if x_min is None else x_min
    x_max = self.x_max if x_max is None else x_max
    return self.axes.get_riemann_rectangles(
        graph,
        x_range=[x_min, x_max],
        dx=dx,
        input_sample_type=input_sample_type,
        stroke_width=stroke_width,
        stroke_color=stroke_color,
        fill_opacity=fill_opacity,
        color=(start_color, end_color),
    )
""",
    "get_area": """
def get_area(self, graph, t_min, t_max, **kwargs):
    return self.axes.get_area(graph, x_range=[t_min, t_max], opacity=0.5)
""",
    "get_graph_label": """
def get_graph_label(
    self, graph, label="f(x)", x_val=None, direction=RIGHT, buff=MED_SMALL_BUFF, color=None
):
    return self.axes.get_graph_label(
        graph, label, x_val=x_val, direction=direction, buff=buff, color=color
    )
""",
    "get_derivative_graph": """
def get_derivative_graph(self, graph, **kwargs):
    return self.axes.plot_derivative_graph(graph, **kwargs)
""",
    "get_secant_slope_group": """
def get_secant_slope_group(self, x, graph, dx=None, **kwargs):
    return self.axes.get_secant_slope_group(x, graph, dx=dx or 0.1, **kwargs)
""",
    "angle_of_tangent": """
def angle_of_tangent(self, x, graph, dx=0.0001):
    return self.axes.angle_of_tangent(x, graph, dx)
""",
    "slope_of_tangent": """
def slope_of_tangent(self, x, graph, dx=0.0001):
    return self.axes.slope_of_tangent(x, graph, dx)
""",
}

CAMERA_FRAME = re.compile(r"self\.camera\.frame\b")
_EMPTY = cst.SimpleWhitespace("")


# --- small CST helpers -------------------------------------------------------------------


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def _expr(text: str) -> cst.BaseExpression:
    return cst.parse_expression(text)


def _kwarg(name: str, value: cst.BaseExpression) -> cst.Arg:
    return cst.Arg(
        value=value,
        keyword=cst.Name(name),
        equal=cst.AssignEqual(whitespace_before=_EMPTY, whitespace_after=_EMPTY),
    )


def _pos(value: cst.BaseExpression) -> cst.Arg:
    return cst.Arg(value=value)


def _call(func: str | cst.BaseExpression, args: Sequence[cst.Arg]) -> cst.Call:
    func_node = cst.Name(func) if isinstance(func, str) else func
    return cst.Call(func=func_node, args=_tidy(args))


def _tidy(args: Sequence[cst.Arg]) -> list[cst.Arg]:
    """Arguments in a new order: each keeps its own comma (and line break), the last has none."""
    tidy = []
    for index, arg in enumerate(args):
        last = index == len(args) - 1
        if last or not isinstance(arg.comma, cst.Comma):
            arg = arg.with_changes(comma=cst.MaybeSentinel.DEFAULT)
        tidy.append(arg)
    return tidy


def _func_name(call: cst.Call) -> str | None:
    func = call.func
    if isinstance(func, cst.Name):
        return func.value
    if isinstance(func, cst.Attribute):
        return func.attr.value
    return None


def _split_args(call: cst.Call) -> tuple[list[cst.Arg], dict[str, cst.Arg], list[cst.Arg]]:
    """Positional args, keyword args by name, and starred args (*x, **y) of a call."""
    positional: list[cst.Arg] = []
    keywords: dict[str, cst.Arg] = {}
    starred: list[cst.Arg] = []
    for arg in call.args:
        if arg.star:
            starred.append(arg)
        elif arg.keyword is not None:
            keywords[arg.keyword.value] = arg
        else:
            positional.append(arg)
    return positional, keywords, starred


def _negate(value: cst.BaseExpression) -> cst.BaseExpression:
    if isinstance(value, cst.Name) and value.value in OPPOSITE:
        return cst.Name(OPPOSITE[value.value])
    if isinstance(value, cst.UnaryOperation) and isinstance(value.operator, cst.Minus):
        return value.expression
    if isinstance(value, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)):
        return cst.UnaryOperation(operator=cst.Minus(), expression=value)
    return _expr(f"-({_code(value)})")


def _is_direction(value: cst.BaseExpression) -> bool:
    """An expression made only of direction constants, numbers and arithmetic."""
    names: list[str] = []

    def walk(node: cst.BaseExpression) -> bool:
        if isinstance(node, cst.Name):
            names.append(node.value)
            return node.value in DIRECTIONS
        if isinstance(node, (cst.Integer, cst.Float)):
            return True
        if isinstance(node, cst.UnaryOperation):
            return walk(node.expression)
        if isinstance(node, cst.BinaryOperation):
            return walk(node.left) and walk(node.right)
        return False

    return walk(value) and bool(names)


def _is_simple_ref(value: cst.BaseExpression) -> bool:
    """A name, attribute chain or constant subscript: safe to evaluate twice."""
    if isinstance(value, cst.Name):
        return True
    if isinstance(value, cst.Attribute):
        return _is_simple_ref(value.value)
    if isinstance(value, cst.Subscript):
        return _is_simple_ref(value.value) and all(
            isinstance(s.slice, cst.Index) and isinstance(s.slice.value, (cst.Integer, cst.Name))
            for s in value.slice
        )
    return False


def _is_animation(value: cst.BaseExpression) -> bool:
    if isinstance(value, cst.Call):
        name = _func_name(value)
        if name in ANIMATIONS:
            return True
        return ".animate" in _code(value.func)
    return ".animate" in _code(value)


def _string_value(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _string_prefix(node: cst.SimpleString) -> str:
    return node.prefix.lower()


# --- analysis ----------------------------------------------------------------------------


@dataclass
class _Facts:
    gl: bool = False
    defined: set[str] = field(default_factory=set)


def _is_gl_marker(node: ast.AST) -> bool:
    """An import of ManimGL or a name only ManimGL has."""
    if isinstance(node, ast.ImportFrom):
        return (node.module or "").startswith(GL_MODULES)
    if isinstance(node, ast.Import):
        return any(a.name.startswith(GL_MODULES) for a in node.names)
    return isinstance(node, ast.Name) and node.id in GL_ONLY_NAMES


def _facts(tree: ast.Module) -> _Facts:
    facts = _Facts()
    for node in ast.walk(tree):
        if _is_gl_marker(node):
            facts.gl = True
        elif isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            facts.defined.add(node.name)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    facts.defined.add(target.id)
    return facts


# --- the transform -----------------------------------------------------------------------


class _Fixer(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider, ParentNodeProvider)

    def __init__(self, facts: _Facts) -> None:
        super().__init__()
        self.facts = facts
        self.fixes: list[Fix] = []
        self.self_scopes: list[bool] = []
        self.class_stack: list[dict[str, Any]] = []
        self.star_import_done = False
        self.has_manim_star = False

    # bookkeeping

    def _line(self, node: cst.CSTNode) -> int | None:
        try:
            return int(self.get_metadata(PositionProvider, node).start.line)
        except KeyError:
            return None

    def _note(self, rule: str, node: cst.CSTNode, description: str) -> None:
        fix = Fix(rule=rule, line=self._line(node), description=description)
        if fix not in self.fixes:
            self.fixes.append(fix)

    def _parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        try:
            return self.get_metadata(ParentNodeProvider, node)
        except KeyError:
            return None

    # imports

    def visit_Module(self, node: cst.Module) -> None:
        for statement in node.body:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if (
                        isinstance(small, cst.ImportFrom)
                        and isinstance(small.module, cst.Name)
                        and small.module.value == "manim"
                        and isinstance(small.names, cst.ImportStar)
                    ):
                        self.has_manim_star = True

    def _manim_star(self, original: cst.CSTNode, what: str) -> cst.ImportFrom | cst.RemovalSentinel:
        self._note("manimlib-import", original, f"{what} → from manim import *")
        if self.has_manim_star or self.star_import_done:
            return cst.RemoveFromParent()
        self.star_import_done = True
        return cst.ImportFrom(module=cst.Name("manim"), names=cst.ImportStar())

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom | cst.RemovalSentinel:
        module = _code(original_node.module) if original_node.module else ""
        if module.startswith(GL_MODULES):
            return self._manim_star(original_node, f"from {module} import …")
        if module == "manim" and isinstance(updated_node.names, Sequence):
            names = []
            for alias in updated_node.names:
                name = alias.name.value if isinstance(alias.name, cst.Name) else None
                new = RENAMES.get(name or "") or ("Tex" if name == "TextMobject" else None)
                if name in self.facts.defined:
                    new = None
                if new:
                    self._note(name or "", original_node, f"import of {name} → {new}")
                    alias = alias.with_changes(name=cst.Name(new))
                names.append(alias)
            return updated_node.with_changes(names=names)
        return updated_node

    def leave_Import(
        self, original_node: cst.Import, updated_node: cst.Import
    ) -> cst.Import | cst.ImportFrom | cst.RemovalSentinel:
        modules = [_code(a.name) for a in original_node.names]
        if any(m.startswith(GL_MODULES) for m in modules):
            return self._manim_star(original_node, f"import {', '.join(modules)}")
        return updated_node

    # scopes

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        params = node.params.params
        is_method = bool(params) and params[0].name.value == "self"
        self.self_scopes.append(is_method or self.sees_self)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        self.self_scopes.pop()
        return updated_node

    @property
    def sees_self(self) -> bool:
        """Inside a method (or a function nested in one), where `self` is the scene."""
        return bool(self.self_scopes) and self.self_scopes[-1]

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        graph_scene = any(_code(b.value) == "GraphScene" for b in node.bases)
        self.class_stack.append({"self_calls": set(), "graph_scene": graph_scene})

    # names

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        name = original_node.value
        parent = self._parent(original_node)
        if isinstance(parent, cst.Attribute) and parent.attr is original_node:
            return updated_node
        if isinstance(parent, (cst.ImportAlias, cst.FunctionDef, cst.ClassDef, cst.Param)):
            return updated_node
        if isinstance(parent, cst.Arg) and parent.keyword is original_node:
            return updated_node
        if name in self.facts.defined:
            return updated_node
        if isinstance(parent, cst.Call) and parent.func is original_node:
            return updated_node  # calls are rewritten as a whole in leave_Call
        new = self._renamed(name)
        if new:
            self._note(name, original_node, f"{name} → {new}")
            return cst.Name(new)
        if name in FRAME_IN_METHOD:
            text = FRAME_IN_METHOD[name] if self.sees_self else FRAME_LITERAL[name]
            self._note("FRAME-constants", original_node, f"{name} → {text}")
            return _expr(text)
        return updated_node

    def _renamed(self, name: str) -> str | None:
        if self.facts.gl and name in GL_RENAMES:
            return GL_RENAMES[name]
        if name in RENAMES:
            return RENAMES[name]
        if name == "TextMobject":
            return "Tex"
        return None

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        code = _code(original_node)
        if code == "self.camera_frame":
            self._note("camera_frame", original_node, "self.camera_frame → self.camera.frame")
            return _expr("self.camera.frame")
        if self.facts.gl and code == "self.frame":
            self._note("gl-frame", original_node, "self.frame → self.camera.frame")
            return _expr("self.camera.frame")
        return updated_node

    # calls

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        if isinstance(func, cst.Attribute):
            if isinstance(func.value, cst.Name) and func.value.value == "self" and self.class_stack:
                self.class_stack[-1]["self_calls"].add(func.attr.value)
            return self._method_call(original_node, updated_node)
        if not isinstance(func, cst.Name) or func.value in self.facts.defined:
            return updated_node
        name = func.value
        handler = CALL_HANDLERS.get(name)
        if handler is not None:
            return handler(self, original_node, updated_node)
        new = self._renamed(name)
        if name in ("TextMobject",) or (self.facts.gl and name == "TexText"):
            return self._text_mobject(original_node, updated_node, name)
        if new == "MathTex" or name == "MathTex":
            if new:
                self._note(name, original_node, f"{name}(…) → MathTex(…)")
            return self._latex_strings(
                original_node, updated_node.with_changes(func=cst.Name("MathTex")), math=True
            )
        if name == "Tex" and not self.facts.gl:
            return self._community_tex(original_node, updated_node)
        if new:
            self._note(name, original_node, f"{name}(…) → {new}(…)")
            updated_node = updated_node.with_changes(func=cst.Name(new))
            name = new
        return RANGE_HANDLERS.get(name, _no_change)(self, original_node, updated_node)

    def _method_call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        assert isinstance(updated.func, cst.Attribute)
        method = updated.func.attr.value
        receiver = updated.func.value
        in_graph_scene = bool(self.class_stack and self.class_stack[-1].get("graph_scene"))
        on_self = isinstance(receiver, cst.Name) and receiver.value == "self"
        if method == "play":
            return self._play(original, updated)
        if method in ("embed", "interact") and on_self and not updated.args:
            return updated  # removed with its statement in leave_SimpleStatementLine
        if on_self and in_graph_scene and method in GRAPH_SCENE_METHODS:
            return updated  # provided by the GraphScene shim
        positional, keywords, _ = _split_args(updated)
        if method in KWARG_RENAMES:
            renames = KWARG_RENAMES[method]
            args = []
            for arg in updated.args:
                if arg.keyword is not None and arg.keyword.value in renames:
                    new = renames[arg.keyword.value]
                    self._note(method, original, f".{method}({arg.keyword.value}=…) → {new}=…")
                    arg = arg.with_changes(keyword=cst.Name(new))
                args.append(arg)
            updated = updated.with_changes(args=args)
        vertical_line = method == "get_vertical_line_to_graph" and len(positional) >= 2
        if vertical_line and _is_simple_ref(receiver):
            point = _call(
                cst.Attribute(value=receiver, attr=cst.Name("i2gp")),
                [_pos(positional[0].value), _pos(positional[1].value)],
            )
            rest = [a for a in updated.args if a.keyword is not None]
            self._note(
                method,
                original,
                ".get_vertical_line_to_graph(x, graph) → .get_vertical_line(.i2gp(x, graph))",
            )
            return _call(
                cst.Attribute(value=receiver, attr=cst.Name("get_vertical_line")),
                [_pos(point), *rest],
            )
        if method == "scale_about_point" and len(positional) == 2:
            self._note(method, original, ".scale_about_point(f, p) → .scale(f, about_point=p)")
            return _call(
                cst.Attribute(value=receiver, attr=cst.Name("scale")),
                [positional[0], _kwarg("about_point", positional[1].value)],
            )
        if method in ("set_camera_orientation", "move_camera") and "distance" in keywords:
            self._note(method, original, f".{method}(distance=…) → removed (use zoom)")
            updated = updated.with_changes(
                args=_tidy([a for a in updated.args if a is not keywords["distance"]])
            )
        if method in METHOD_RENAMES:
            new = METHOD_RENAMES[method]
            self._note(method, original, f".{method}(…) → .{new}(…)")
            updated = updated.with_changes(func=updated.func.with_changes(attr=cst.Name(new)))
            method = new
        if method == "plot":
            updated = self._ranges(original, updated, [("x_range", "x_min", "x_max")])
        if method in ("get_riemann_rectangles",):
            updated = self._ranges(original, updated, [("x_range", "x_min", "x_max")])
        if method == "get_area":
            updated = self._ranges(original, updated, [("x_range", "t_min", "t_max")])
        return updated

    # self.play(mob.method, args) → self.play(mob.animate.method(args))

    def _play(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        new_args: list[cst.Arg] = []
        group: tuple[cst.BaseExpression, str, list[cst.Arg]] | None = None
        built: list[tuple[str, cst.Call]] = []  # receiver code → animate chain
        changed = False

        def flush() -> None:
            nonlocal group
            if group is None:
                return
            receiver, method, method_args = group
            call = self._animate_call(receiver, method, method_args)
            key = _code(receiver)
            if built and built[-1][0] == key and new_args and new_args[-1].value is built[-1][1]:
                chained = cst.Call(
                    func=cst.Attribute(value=built[-1][1], attr=call.func.attr),  # type: ignore[attr-defined]
                    args=call.args,
                )
                built[-1] = (key, chained)
                new_args[-1] = new_args[-1].with_changes(value=chained)
            else:
                built.append((key, call))
                new_args.append(_pos(call))
            group = None

        for arg in updated.args:
            value = arg.value
            if arg.keyword is None and not arg.star:
                if (
                    isinstance(value, cst.Attribute)
                    and value.attr.value in PLAYABLE_METHODS
                    and not (isinstance(value.value, cst.Name) and value.value.value[:1].isupper())
                ):
                    flush()
                    group = (value.value, value.attr.value, [])
                    changed = True
                    continue
                if group is not None and not _is_animation(value):
                    group[2].append(_pos(value))
                    continue
            flush()
            new_args.append(arg)
        flush()
        if not changed:
            return updated
        self._note(
            "play-method",
            original,
            "self.play(mob.method, args) → self.play(mob.animate.method(args))",
        )
        return updated.with_changes(args=_tidy(new_args))

    def _animate_call(
        self, receiver: cst.BaseExpression, method: str, args: list[cst.Arg]
    ) -> cst.Call:
        animate = cst.Attribute(value=receiver, attr=cst.Name("animate"))
        if method == "scale_about_point" and len(args) == 2:
            return _call(
                cst.Attribute(value=animate, attr=cst.Name("scale")),
                [args[0], _kwarg("about_point", args[1].value)],
            )
        method = METHOD_RENAMES.get(method, method)
        return _call(cst.Attribute(value=animate, attr=cst.Name(method)), args)

    # animations that were removed

    def _fade_from(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        name = _func_name(original) or ""
        positional, keywords, starred = _split_args(updated)
        if not positional or starred:
            return updated
        mob = positional[0]
        rest = [
            a
            for a in updated.args
            if a.keyword is not None
            and a.keyword.value not in ("direction", "scale_factor", "point")
        ]
        extra: list[cst.Arg] = []
        second = positional[1].value if len(positional) > 1 else None
        if name == "FadeInFrom":
            direction = second or (keywords["direction"].value if "direction" in keywords else None)
            shift = _negate(direction) if direction is not None else cst.Name("UP")
            target, extra = "FadeIn", [_kwarg("shift", shift)]
        elif name == "FadeInFromDown":
            target, extra = "FadeIn", [_kwarg("shift", cst.Name("UP"))]
        elif name == "FadeOutAndShift":
            direction = second or (keywords["direction"].value if "direction" in keywords else None)
            target, extra = "FadeOut", [_kwarg("shift", direction or cst.Name("DOWN"))]
        elif name == "FadeOutAndShiftDown":
            target, extra = "FadeOut", [_kwarg("shift", cst.Name("DOWN"))]
        elif name == "FadeInFromLarge":
            factor = second or (
                keywords["scale_factor"].value if "scale_factor" in keywords else cst.Integer("2")
            )
            target, extra = "FadeIn", [_kwarg("scale", factor)]
        elif name in ("FadeInFromPoint", "FadeOutToPoint"):
            point = second or (keywords["point"].value if "point" in keywords else None)
            if point is None:
                return updated
            target = "FadeIn" if name == "FadeInFromPoint" else "FadeOut"
            extra = [_kwarg("target_position", point)]
        else:
            return updated
        new = _call(target, [mob.with_changes(comma=cst.MaybeSentinel.DEFAULT), *extra, *rest])
        self._note(name, original, f"{name}(…) → {_code(new)}")
        return new

    def _fade(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        """ManimGL's FadeIn(mob, UP): the second positional argument is the shift."""
        positional, keywords, starred = _split_args(updated)
        if len(positional) == 2 and not starred and "shift" not in keywords:
            direction = positional[1].value
            if _is_direction(direction):
                name = _func_name(original) or "FadeIn"
                args = [
                    positional[0].with_changes(comma=cst.MaybeSentinel.DEFAULT),
                    _kwarg("shift", direction),
                    *[a for a in updated.args if a.keyword is not None],
                ]
                new = updated.with_changes(args=_tidy(args))
                self._note(
                    "fade-direction",
                    original,
                    f"{name}(mob, {_code(direction)}) → {name}(mob, shift={_code(direction)})",
                )
                return new
        return updated

    def _flash(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        name = _func_name(original) or ""
        positional, keywords, starred = _split_args(updated)
        if not positional or starred:
            return updated
        mob = positional[0].value
        kept = [a for k, a in keywords.items() if k in CIRCUMSCRIBE_KWARGS]
        if name == "ShowCreationThenDestruction":
            if "time_width" not in keywords:
                kept.append(_kwarg("time_width", _expr("2.0")))
            new = _call("ShowPassingFlash", [_pos(mob), *kept])
        elif name == "ShowCreationThenFadeOut":
            if _is_simple_ref(mob):
                new = _call(
                    "Succession",
                    [
                        _pos(_call("Create", [_pos(mob)])),
                        _pos(_call("FadeOut", [_pos(mob)])),
                        *kept,
                    ],
                )
            else:
                new = _call("ShowPassingFlash", [_pos(mob), _kwarg("time_width", _expr("2.0"))])
        elif name == "CircleIndicate":
            new = _call("Circumscribe", [_pos(mob), _pos(cst.Name("Circle")), *kept])
        elif name == "ShowCreationThenFadeAround":
            new = _call("Circumscribe", [_pos(mob), _kwarg("fade_out", cst.Name("True")), *kept])
        else:
            new = _call("Circumscribe", [_pos(mob), *kept])
        self._note(name, original, f"{name}(…) → {_func_name(new)}(…)")
        return new

    def _lagged_start(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        positional, _, _ = _split_args(updated)
        if len(positional) >= 2:
            first = positional[0].value
            if isinstance(first, cst.Name) and first.value in ANIMATIONS:
                self._note(
                    "LaggedStart-class",
                    original,
                    "LaggedStart(AnimationClass, group) → LaggedStartMap(AnimationClass, group)",
                )
                return updated.with_changes(func=cst.Name("LaggedStartMap"))
        return updated

    def _text(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        _, keywords, _ = _split_args(updated)
        if "size" not in keywords:
            return updated
        size = keywords["size"].value
        if isinstance(size, (cst.Integer, cst.Float)):
            font = _expr(repr(round(48 * float(size.evaluated_value), 3)))
        else:
            font = _expr(f"48 * ({_code(size)})")
        self._note("Text-size", original, "Text(size=…) → Text(font_size=48 × size)")
        args = [_kwarg("font_size", font) if a is keywords["size"] else a for a in updated.args]
        return updated.with_changes(args=_tidy(args))

    # text and LaTeX

    def _text_mobject(self, original: cst.Call, updated: cst.Call, name: str) -> cst.BaseExpression:
        positional, keywords, starred = _split_args(updated)
        plain = (
            len(positional) == 1
            and not starred
            and not (set(keywords) & TEX_ONLY_KWARGS)
            and (value := _string_value(positional[0].value)) is not None
            and "$" not in value
            and "\\" not in value
        )
        if plain:
            self._note(name, original, f"{name}(…) → Text(…) (plain text needs no LaTeX)")
            return updated.with_changes(func=cst.Name("Text"))
        self._note(name, original, f"{name}(…) → Tex(…)")
        return self._latex_strings(original, updated.with_changes(func=cst.Name("Tex")), math=False)

    def _community_tex(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        """Tex is text mode in Community: math without $…$ belongs in MathTex."""
        positional, _, _ = _split_args(updated)
        values = [_string_value(a.value) for a in positional]
        if values and all(v is not None for v in values):
            joined = "".join(v or "" for v in values)
            if "$" not in joined and "\\text" not in joined and MATH_ONLY.search(joined):
                self._note("Tex-math", original, "Tex(math without $…$) → MathTex(…)")
                return self._latex_strings(
                    original, updated.with_changes(func=cst.Name("MathTex")), math=True
                )
        return self._latex_strings(original, updated, math=False)

    def _latex_strings(self, original: cst.Call, updated: cst.Call, *, math: bool) -> cst.Call:
        args = []
        name = _func_name(updated) or "Tex"
        for arg in updated.args:
            if arg.keyword is not None and self.facts.gl and arg.keyword.value in GL_TEX_KWARGS:
                new_kw = GL_TEX_KWARGS[arg.keyword.value]
                self._note("gl-tex-kwargs", original, f"{arg.keyword.value}= → {new_kw}=")
                arg = arg.with_changes(keyword=cst.Name(new_kw))
            if arg.keyword is None and isinstance(arg.value, cst.SimpleString):
                arg = arg.with_changes(value=self._latex_string(original, arg.value, name, math))
            args.append(arg)
        return updated.with_changes(args=args)

    def _latex_string(
        self, original: cst.Call, node: cst.SimpleString, name: str, math: bool
    ) -> cst.SimpleString:
        prefix = _string_prefix(node)
        if "b" in prefix:
            return node
        body = node.value[len(node.prefix) :]
        quote = body[:3] if body[:3] in ('"""', "'''") else body[0]
        inner = body[len(quote) : -len(quote)]
        new_prefix = node.prefix
        raw = "r" in prefix
        if not raw and ESCAPED_COMMANDS.search(inner):
            # Only when every escape Python would read is the start of a LaTeX command.
            rest = ESCAPED_COMMANDS.sub("", inner)
            if not PY_ESCAPE.search(rest):
                self._note("latex-raw-string", original, f'{name}("\\…") → {name}(r"\\…")')
                new_prefix = node.prefix + "r"
                raw = True
        if math:
            stripped = inner.strip()
            for dollars in ("$$", "$"):
                if (
                    stripped.startswith(dollars)
                    and stripped.endswith(dollars)
                    and len(stripped) > 2 * len(dollars)
                    and "$" not in stripped[len(dollars) : -len(dollars)]
                ):
                    self._note("mathtex-dollars", original, f'{name}("$…$") → {name}("…")')
                    inner = stripped[len(dollars) : -len(dollars)]
                    break
        found = [ch for ch in UNICODE_MATH if ch in inner]
        for ch in found:
            command = UNICODE_MATH[ch] if math else f"${UNICODE_MATH[ch]}$"
            if not raw:
                command = command.replace("\\", "\\\\")
            # "2πr" → "2\pi r": a command needs a space before a following letter.
            spaced = command + " " if command[-1].isalpha() else command
            inner = re.sub(re.escape(ch) + r"(?=[A-Za-z])", spaced.replace("\\", "\\\\"), inner)
            inner = inner.replace(ch, command)
        if found:
            self._note("latex-unicode", original, f"{name}: {' '.join(found)} → LaTeX commands")
        if new_prefix == node.prefix and inner == body[len(quote) : -len(quote)]:
            return node
        return node.with_changes(value=f"{new_prefix}{quote}{inner}{quote}")

    # x_min / x_max → x_range

    def _ranges(
        self,
        original: cst.Call,
        updated: cst.Call,
        specs: Sequence[tuple[str, str, str]],
        defaults: dict[str, tuple[str, str]] | None = None,
        steps: dict[str, Sequence[str]] | None = None,
    ) -> cst.Call:
        _, keywords, _ = _split_args(updated)
        drop: set[str] = set()
        add: list[cst.Arg] = []
        for target, low, high in specs:
            if low not in keywords and high not in keywords:
                continue
            if target in keywords:
                continue
            default_low, default_high = (defaults or {}).get(target, ("0", "1"))
            low_value = keywords[low].value if low in keywords else _expr(default_low)
            high_value = keywords[high].value if high in keywords else _expr(default_high)
            items = [low_value, high_value]
            for step_name in (steps or {}).get(target, ()):
                if step_name in keywords:
                    items.append(keywords[step_name].value)
                    drop.add(step_name)
                    break
            drop.update({low, high})
            add.append(
                _kwarg(
                    target,
                    cst.List(
                        [
                            cst.Element(
                                value=v,
                                comma=cst.MaybeSentinel.DEFAULT,
                            )
                            for v in items
                        ]
                    ),
                )
            )
            self._note("x_min-range", original, f"{low}=…, {high}=… → {target}=[{low}, {high}…]")
        if "number_line_config" in keywords and _func_name(updated) in AXES_CLASSES:
            self._note("number_line_config", original, "number_line_config= → axis_config=")
            keywords["number_line_config"] = keywords["number_line_config"].with_changes(
                keyword=cst.Name("axis_config")
            )
            drop.add("number_line_config")
            add.append(keywords["number_line_config"])
        if not add:
            return updated
        kept = [a for a in updated.args if not (a.keyword is not None and a.keyword.value in drop)]
        return updated.with_changes(args=_tidy([*kept, *add]))

    # statements and classes

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.RemovalSentinel:
        if len(updated_node.body) == 1 and isinstance(updated_node.body[0], cst.Expr):
            value = updated_node.body[0].value
            code = _code(value)
            if code in ("self.embed()", "self.interact()", "embed()"):
                self._note("embed", original_node, f"{code} (interactive ManimGL shell) → removed")
                return cst.RemoveFromParent()
        return updated_node

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        if not updated_node.body:
            return updated_node.with_changes(body=[cst.SimpleStatementLine([cst.Pass()])])
        return updated_node

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        info = self.class_stack.pop() if self.class_stack else {"self_calls": set()}
        updated_node = self._config_dict(original_node, updated_node)
        bases = [_code(b.value) for b in updated_node.bases]
        if "GraphScene" in bases:
            updated_node = self._graph_scene(original_node, updated_node, info["self_calls"])
            bases = [_code(b.value) for b in updated_node.bases]
        if "Scene" in bases and CAMERA_FRAME.search(_code(updated_node)):
            self._note(
                "MovingCameraScene",
                original_node,
                "Scene that moves self.camera.frame → MovingCameraScene",
            )
            updated_node = updated_node.with_changes(
                bases=[
                    b.with_changes(value=cst.Name("MovingCameraScene"))
                    if _code(b.value) == "Scene"
                    else b
                    for b in updated_node.bases
                ]
            )
        return updated_node

    def _config_dict(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        body = list(updated.body.body)
        for index, statement in enumerate(body):
            if not (
                isinstance(statement, cst.SimpleStatementLine)
                and len(statement.body) == 1
                and isinstance(statement.body[0], cst.Assign)
                and len(statement.body[0].targets) == 1
                and _code(statement.body[0].targets[0].target) == "CONFIG"
                and isinstance(statement.body[0].value, cst.Dict)
            ):
                continue
            entries = statement.body[0].value.elements
            new_statements: list[cst.BaseStatement] = []
            background: cst.BaseExpression | None = None
            for entry in entries:
                if not isinstance(entry, cst.DictElement):
                    return updated
                key = _string_value(entry.key)
                if key is None or not key.isidentifier() or keyword.iskeyword(key):
                    return updated
                if key == "camera_config" and isinstance(entry.value, cst.Dict):
                    for sub in entry.value.elements:
                        if (
                            isinstance(sub, cst.DictElement)
                            and _string_value(sub.key) == "background_color"
                        ):
                            background = sub.value
                    continue
                new_statements.append(
                    cst.SimpleStatementLine(
                        [cst.Assign(targets=[cst.AssignTarget(cst.Name(key))], value=entry.value)]
                    )
                )
            self._note(
                "CONFIG-dict",
                original,
                "CONFIG = {…} → class attributes (Community ignores CONFIG)",
            )
            body[index : index + 1] = new_statements
            updated = updated.with_changes(body=updated.body.with_changes(body=body))
            if background is not None:
                updated = self._prepend_to_construct(
                    updated, f"self.camera.background_color = {_code(background)}"
                )
            return updated
        return updated

    def _prepend_to_construct(self, cls: cst.ClassDef, statement: str) -> cst.ClassDef:
        body = list(cls.body.body)
        for index, item in enumerate(body):
            if isinstance(item, cst.FunctionDef) and item.name.value == "construct":
                block = item.body
                assert isinstance(block, cst.IndentedBlock)
                new_block = block.with_changes(
                    body=[cst.parse_statement(statement + "\n"), *block.body]
                )
                body[index] = item.with_changes(body=new_block)
                return cls.with_changes(body=cls.body.with_changes(body=body))
        return cls

    def _graph_scene(
        self, original: cst.ClassDef, updated: cst.ClassDef, self_calls: set[str]
    ) -> cst.ClassDef:
        self._note(
            "GraphScene",
            original,
            "GraphScene (removed) → Scene with Axes-based setup_axes/get_graph… methods",
        )
        body = list(updated.body.body)
        assigned = {
            _code(t.target)
            for s in body
            if isinstance(s, cst.SimpleStatementLine)
            for small in s.body
            if isinstance(small, cst.Assign)
            for t in small.targets
        }
        defined = {s.name.value for s in body if isinstance(s, cst.FunctionDef)}
        attributes = [
            cst.parse_statement(f"{key} = {value}\n")
            for key, value in GRAPH_SCENE_DEFAULTS.items()
            if key not in assigned
        ]
        wanted = {"setup_axes"} | (self_calls & set(GRAPH_SCENE_METHODS))
        methods = [
            cst.parse_statement(GRAPH_SCENE_METHODS[name].lstrip("\n"))
            for name in GRAPH_SCENE_METHODS
            if name in wanted and name not in defined
        ]
        bases = [
            b.with_changes(value=cst.Name("Scene")) if _code(b.value) == "GraphScene" else b
            for b in updated.bases
        ]
        return updated.with_changes(
            bases=bases,
            body=updated.body.with_changes(body=[*attributes, *body, *methods]),
        )


def _no_change(fixer: _Fixer, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
    return updated


AXES_CLASSES = frozenset({"Axes", "ThreeDAxes", "NumberPlane", "ComplexPlane"})


def _axes_ranges(fixer: _Fixer, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
    specs = [
        ("x_range", "x_min", "x_max"),
        ("y_range", "y_min", "y_max"),
        ("z_range", "z_min", "z_max"),
    ]
    return fixer._ranges(
        original,
        updated,
        specs,
        defaults={"x_range": ("-7", "7"), "y_range": ("-4", "4"), "z_range": ("-4", "4")},
        steps={
            "x_range": ("x_tick_frequency", "x_step"),
            "y_range": ("y_tick_frequency", "y_step"),
            "z_range": ("z_tick_frequency", "z_step"),
        },
    )


def _number_line_range(fixer: _Fixer, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
    return fixer._ranges(
        original,
        updated,
        [("x_range", "x_min", "x_max")],
        defaults={"x_range": ("-7", "7")},
        steps={"x_range": ("tick_frequency",)},
    )


def _function_graph_range(
    fixer: _Fixer, original: cst.Call, updated: cst.Call
) -> cst.BaseExpression:
    return fixer._ranges(
        original, updated, [("x_range", "x_min", "x_max")], {"x_range": ("-7", "7")}
    )


def _parametric_range(fixer: _Fixer, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
    return fixer._ranges(
        original, updated, [("t_range", "t_min", "t_max")], {"t_range": ("0", "1")}
    )


def _surface_range(fixer: _Fixer, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
    return fixer._ranges(
        original,
        updated,
        [("u_range", "u_min", "u_max"), ("v_range", "v_min", "v_max")],
        {"u_range": ("0", "1"), "v_range": ("0", "1")},
    )


CALL_HANDLERS = {
    "FadeInFrom": _Fixer._fade_from,
    "FadeInFromDown": _Fixer._fade_from,
    "FadeOutAndShift": _Fixer._fade_from,
    "FadeOutAndShiftDown": _Fixer._fade_from,
    "FadeInFromLarge": _Fixer._fade_from,
    "FadeInFromPoint": _Fixer._fade_from,
    "FadeOutToPoint": _Fixer._fade_from,
    "FadeIn": _Fixer._fade,
    "FadeOut": _Fixer._fade,
    "ShowCreationThenDestruction": _Fixer._flash,
    "ShowCreationThenFadeOut": _Fixer._flash,
    "CircleIndicate": _Fixer._flash,
    "ShowPassingFlashAround": _Fixer._flash,
    "ShowCreationThenDestructionAround": _Fixer._flash,
    "ShowCreationThenFadeAround": _Fixer._flash,
    "FlashAround": _Fixer._flash,
    "LaggedStart": _Fixer._lagged_start,
    "Text": _Fixer._text,
}
RANGE_HANDLERS = {
    "Axes": _axes_ranges,
    "ThreeDAxes": _axes_ranges,
    "NumberPlane": _axes_ranges,
    "ComplexPlane": _axes_ranges,
    "NumberLine": _number_line_range,
    "FunctionGraph": _function_graph_range,
    "ParametricFunction": _parametric_range,
    "Surface": _surface_range,
}


def fix_code(code: str) -> FixResult:
    """Rewrite known old-Manim pitfalls; the result lists each rewrite. Never runs the code."""
    fence_fixes: list[Fix] = []
    source = code
    if not parses(source):
        extracted = extract_code(source)
        if extracted is not None and extracted.strip() != source.strip() and parses(extracted):
            fence_fixes.append(
                Fix("markdown-fence", None, "Markdown fences and prose around the code → removed")
            )
            source = extracted
    try:
        tree = ast.parse(source)
        module = cst.parse_module(source)
    except (SyntaxError, ValueError, cst.ParserSyntaxError, RecursionError, MemoryError):
        return FixResult(code=source, fixes=fence_fixes)
    fixer = _Fixer(_facts(tree))
    try:
        new_code = cst.MetadataWrapper(module).visit(fixer).code
    except Exception:  # a fixer bug must never cost the user their code
        log.exception("fixer failed; code left as it was")
        return FixResult(code=source, fixes=fence_fixes)
    if not parses(new_code):
        log.error("fixer produced code that does not parse; code left as it was")
        return FixResult(code=source, fixes=fence_fixes)
    ordered = sorted(fixer.fixes, key=lambda f: f.line or 0)
    return FixResult(code=new_code, fixes=fence_fixes + ordered)
