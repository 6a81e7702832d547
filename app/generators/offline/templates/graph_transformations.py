"""Transformations of graphs: y = f(x) and one transformation of it (f(x) + a, f(x + a),
a·f(x), f(ax), -f(x) or f(-x)) on the same axes, with one point followed to its image."""

from __future__ import annotations

import math
import re

from app.generators.offline import codegen, controls, mathexpr
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.extract import NUM, Prompt
from app.generators.offline.templates import common
from app.generators.offline.templates.common import Spoken

ID = "graph_transformations"
TITLE = "Transformations of graphs"
SUBJECT = "Math"
EXAMPLE_PROMPT = "Transform the graph of f(x) = x^2 into y = f(x) + 3"
KINDS = ("up", "left", "stretch_y", "stretch_x", "reflect_x", "reflect_y")
DEFAULTS = {"expression": "x**2", "x_range": [-4.0, 4.0], "kind": "up", "amount": 3.0}
VARIANTS = [
    {"expression": "x**2", "x_range": [-5.0, 3.0], "kind": "left", "amount": 2.0},
    {"expression": "sin(x)", "x_range": [-6.0, 6.0], "kind": "stretch_y", "amount": 2.0},
    {"expression": "x**3 - 3*x", "x_range": [-3.0, 3.0], "kind": "reflect_x", "amount": 1.0},
    {"expression": "sin(x)", "x_range": [-6.0, 6.0], "kind": "stretch_x", "amount": 2.0},
    {"expression": "x**2 - 2*x", "x_range": [-4.0, 4.0], "kind": "reflect_y", "amount": 1.0},
]
TRIGGERS = {
    r"\btransformations? of (?:the )?(?:graphs?|functions?|curves?)\b": 10,
    r"\bgraph transformations?\b|\btransform(?:ing|ed)? (?:the )?(?:graph|curve)\b": 9,
    r"\bf\(\s*x\s*\)\s*[+-]\s*\d|\bf\(\s*x\s*[+-]\s*\d|\bf\(\s*-\s*x\s*\)|-\s*f\(\s*x\s*\)": 9,
    r"\b\d+(?:\.\d+)?\s*\*?\s*f\(\s*x\s*\)|\bf\(\s*\d+(?:\.\d+)?\s*\*?\s*x\s*\)": 9,
    r"\b(?:translat\w+|shift\w*|mov\w+)\b.*\b(?:up|down|left|right)\b": 8,
    r"\bstretch\w*\b|\bsquash\w*\b|\bcompress\w*\b": 5,
    r"\bstretch\w*\b.*\b(?:vertical\w*|horizontal\w*|scale factor)\b": 4,
    # A graph reflected (a linear map reflecting the plane is a matrix transformation)
    r"\breflect\w*\b[^.;]*?(?:y\s*=|f\s*\(|\bgraph\b|\bcurve\b)[^.;]*?\b(?:in|across|over) "
    r"the [xy][- ]axis\b|\breflect\w* (?:the )?(?:graph|curve)\b": 9,
    r"\btranslations?\b": 3,
}
AMOUNT = 10.0
CONTROLS = {
    "expression": controls.Expression("Function f(x)"),
    "x_range": controls.Range("Range of x", limit=20.0),
    "kind": controls.Choice(
        "Transformation",
        KINDS,
        (
            "f(x) + a: up by a",
            "f(x + a): left by a",
            "a·f(x): stretch from the x-axis",
            "f(ax): stretch from the y-axis",
            "-f(x): reflect in the x-axis",
            "f(-x): reflect in the y-axis",
        ),
    ),
    "amount": controls.Number("a", -AMOUNT, AMOUNT),
}
_F = r"(?:f|y)\s*\(\s*x\s*\)"
# Written forms of the transformation: pattern → kind, and how a is read from the match
_FORMS = [
    (r"-\s*f\s*\(\s*x\s*\)", "reflect_x", None),
    (r"\bf\s*\(\s*-\s*x\s*\)", "reflect_y", None),
    (rf"\bf\s*\(\s*x\s*([+-])\s*({NUM})\s*\)", "left", "signed"),
    (rf"\bf\s*\(\s*({NUM})\s*\*?\s*x\s*\)", "stretch_x", "plain"),
    (rf"(?<![\w.])({NUM})\s*\*?\s*f\s*\(\s*x\s*\)", "stretch_y", "plain"),
    (rf"{_F}\s*([+-])\s*({NUM})", "up", "signed"),
]
_BEFORE = r"(?<![\^*/\w.])"  # a number standing alone, not a power or a product
_WORDS = [
    (rf"\b(?:up|upwards)\s*(?:by\s*)?({NUM})|{_BEFORE}({NUM})\s*(?:units?\s*)?up\b", "up", 1),
    (rf"\bdown(?:wards)?\s*(?:by\s*)?({NUM})|{_BEFORE}({NUM})\s*(?:units?\s*)?down\b", "up", -1),
    (
        rf"\bleft\s*(?:by\s*)?({NUM})|{_BEFORE}({NUM})\s*(?:units?\s*)?(?:to the )?left\b",
        "left",
        1,
    ),
    (
        rf"\bright\s*(?:by\s*)?({NUM})|{_BEFORE}({NUM})\s*(?:units?\s*)?(?:to the )?right\b",
        "left",
        -1,
    ),
]
# A stretch names its direction anywhere in the prompt, and its factor after "factor" or "by"
_STRETCH = re.compile(rf"\bstretch\w*\b[^.;]*?\b(?:factor|by)\s*(?:of\s*)?({NUM})")
_REFLECT = re.compile(r"\breflect\w*\b[^.;]*?\b((?:in|across|over) the ([xy])[- ]axis)\b")


def extract(prompt: Prompt) -> dict:
    params: dict = {}
    text = prompt.text
    rest = text
    for pattern, kind, read in _FORMS:
        found = re.search(pattern, text)
        if found:
            params["kind"] = kind
            if read == "signed":
                sign = 1 if found.group(1) == "+" else -1
                params["amount"] = sign * float(found.group(2))
            elif read == "plain":
                params["amount"] = float(found.group(1))
            rest = text.replace(found.group(0), " ")
            break
    else:
        rest = _read_words(text, params)
    # The function: "f(x) = x^2", "y = sin x", or the longest expression left
    rest = re.sub(r"\by\s*=\s*(?:-\s*)?\d*\s*\*?\s*f\s*\([^)]*\)(?:\s*[+-]\s*[\d.]+)?", " ", rest)
    params.update(common.extract_expression(Prompt(rest)))
    return params


def _read_words(text: str, params: dict) -> str:
    """The transformation said in words ("left by 2", "stretched vertically by factor 3",
    "reflect ... in the x-axis") into params; returns the text without those words."""
    reflect = _REFLECT.search(text)
    if reflect:
        params["kind"] = "reflect_x" if reflect.group(2) == "x" else "reflect_y"
        return text.replace(reflect.group(1), " ")
    stretch = _STRETCH.search(text)
    if stretch:
        factor = float(stretch.group(1))
        if re.search(r"\bhorizontal\w*\b|\bparallel to the x[- ]axis\b", text):
            # Stretched horizontally by factor k is f(x / k): a = 1/k
            params["kind"], params["amount"] = "stretch_x", round(1 / factor, 6) if factor else 0.0
        else:
            params["kind"], params["amount"] = "stretch_y", factor
        return text[: stretch.start(1)] + " " + text[stretch.end(1) :]
    for pattern, kind, sign in _WORDS:
        found = re.search(pattern, text)
        if found:
            params["kind"] = kind
            number = next(i for i, g in enumerate(found.groups(), 1) if g)
            params["amount"] = sign * float(found.group(number))
            return text[: found.start(number)] + " " + text[found.end(number) :]
    return text


def validate(params: dict, notes: list[str]) -> dict:
    expr, x_range = common.check_expression_and_range(params)
    if x_range[1] - x_range[0] > 40 or max(abs(v) for v in x_range) > 20:
        raise checks.fail("Keep x between -20 and 20 so both graphs can be seen.")
    if not codegen.sample_graph(expr, *x_range):
        raise checks.fail(
            f"{expr.text} has a gap or an asymptote in this range; choose a function defined "
            "all the way across it."
        )
    params["kind"] = checks.choice(params["kind"], "kind", KINDS)
    amount = checks.number(params["amount"], "amount", low=-AMOUNT, high=AMOUNT)
    if params["kind"] in ("up", "left") and amount == 0:
        raise checks.fail("A translation by 0 leaves the graph where it is; choose another a.")
    if params["kind"] in ("stretch_y", "stretch_x") and amount in (0, 1):
        raise checks.fail("A stretch by 0 or 1 does not show a change; choose another factor.")
    params["amount"] = amount
    low, high = (float(codegen.number_literal(v)) for v in x_range)
    if _followed(expr, params["kind"], float(codegen.number_literal(amount)), low, high) is None:
        raise checks.fail(
            "No whole-number point of the graph stays on the axes after this change; choose a "
            "smaller a or a wider range of x."
        )
    return params


SKELETON = r"""from manim import *
import math
import numpy as np

kind = <<kind>>  # up: f(x) + a, left: f(x + a), stretch_y: a f(x), stretch_x: f(ax),
# reflect_x: -f(x), reflect_y: f(-x)
a = <<amount>>  # the number in the transformation (not used by the reflections)
x_low, x_high = <<x_range>>  # the range of x drawn
# The function from the prompt: f(x) = <<text>>
f = lambda x: <<code>>
f_tex = <<latex>>  # f(x) as it is written on screen
f_words = <<words>>  # and as it is read aloud


def g(x):
    # The transformed function
    if kind == "up":
        return f(x) + a
    if kind == "left":
        return f(x + a)
    if kind == "stretch_y":
        return a * f(x)
    if kind == "stretch_x":
        return f(a * x)
    if kind == "reflect_x":
        return -f(x)
    return f(-x)


def image(x, y):
    # Where the point (x, y) of y = f(x) goes on the transformed graph
    return {
        "up": (x, y + a),
        "left": (x - a, y),
        "stretch_y": (x, a * y),
        "stretch_x": (x / a, y),
        "reflect_x": (x, -y),
        "reflect_y": (-x, y),
    }[kind]


def fmt(value):
    # 3.0 -> "3", -0.5 -> "-0.5" for labels
    return f"{value:.2f}".rstrip("0").rstrip(".")


<<tick_step>>


<<places>>


<<arrange>>


signed = f"- {fmt(-a)}" if a < 0 else f"+ {fmt(a)}"
rules = {
    "up": (rf"y = f(x) {signed}", f"{'up' if a > 0 else 'down'} by {fmt(abs(a))}"),
    "left": (rf"y = f(x {signed})", f"{'left' if a > 0 else 'right'} by {fmt(abs(a))}"),
    "stretch_y": (rf"y = {fmt(a)}f(x)", f"stretch from the x-axis, factor {fmt(a)}"),
    "stretch_x": (rf"y = f({fmt(a)}x)", f"stretch from the y-axis, factor 1/{fmt(a)}"),
    "reflect_x": (r"y = -f(x)", "reflect in the x-axis"),
    "reflect_y": (r"y = f(-x)", "reflect in the y-axis"),
}
rule, words = rules[kind]
# The y-range holds both graphs over the x-range
xs = np.linspace(x_low, x_high, 400)
heights = np.concatenate([f(xs) * np.ones_like(xs), g(xs) * np.ones_like(xs)])
y_step = tick_step(max(heights.max() - heights.min(), 2) * 1.15, 6)
y_low = np.floor(min(heights.min(), 0) / y_step - 0.1) * y_step
y_high = np.ceil(max(heights.max(), 0) / y_step + 0.1) * y_step
x_step = tick_step(x_high - x_low, 8)
# The point followed: the whole number nearest x = 1 whose image is on the axes
whole = range(int(np.ceil(x_low)), int(np.floor(x_high)) + 1)
candidates = sorted(whole, key=lambda t: abs(t - 1))
x0 = next(t for t in candidates if x_low <= image(t, f(t))[0] <= x_high)
x1, y1 = image(x0, f(x0))


class GraphTransformations(Scene):
    def construct(self):
        # The parts: the title, both graphs on one set of axes, and the rule beside them
        title = Text("Transformations of graphs", font_size=40)
        axes = Axes(
            x_range=[x_low, x_high, x_step],
            y_range=[y_low, y_high, y_step],
            x_length=7.4,
            y_length=5.4,
            tips=False,
            axis_config={"include_numbers": True, "font_size": 20},
            x_axis_config={"decimal_number_config": {"num_decimal_places": places(x_step)}},
            y_axis_config={"decimal_number_config": {"num_decimal_places": places(y_step)}},
        )
        step = (x_high - x_low) / 300
        graph_f = axes.plot(f, x_range=[x_low, x_high, step], color=ACCENT)
        graph_g = DashedVMobject(
            axes.plot(g, x_range=[x_low, x_high, step], color=SECONDARY), num_dashes=60
        )
        point = Dot(axes.c2p(x0, f(x0)), color=ACCENT)
        moved = Dot(axes.c2p(x1, y1), color=HIGHLIGHT)
        path = Arrow(point.get_center(), moved.get_center(), buff=0.12, color=HIGHLIGHT)
        point_label = MathTex(rf"({fmt(x0)},\ {fmt(f(x0))})", font_size=26, color=ACCENT)
        point_label.next_to(point, LEFT if x1 >= x0 else RIGHT, buff=0.15)
        moved_label = MathTex(rf"({fmt(x1)},\ {fmt(y1)})", font_size=26, color=HIGHLIGHT)
        moved_label.next_to(moved, RIGHT if x1 >= x0 else LEFT, buff=0.15)
        graph = VGroup(axes, graph_f, graph_g, point, moved, path, point_label, moved_label)
        f_name = MathTex(rf"f(x) = {f_tex}", font_size=36, color=ACCENT)
        solid = Text("solid: y = f(x)", font_size=24, color=ACCENT)
        rule_tex = MathTex(rule, font_size=40, color=SECONDARY)
        dashed = Text("dashed: the new graph", font_size=24, color=SECONDARY)
        words_text = Text(words, font_size=28)
        mapping = MathTex(
            rf"({fmt(x0)},\ {fmt(f(x0))}) \to ({fmt(x1)},\ {fmt(y1)})", font_size=34
        )
        panel = VGroup(f_name, solid, rule_tex, dashed, words_text, mapping)
        panel.arrange(DOWN, buff=0.35)
        if panel.width > 4.8:
            panel.scale_to_fit_width(4.8)

        # Layout: the title on top, the graphs and the rule side by side
        arrange_scene(self, title, [graph, panel])

        # Title
        self.play(Write(title), run_time=1)

        # The axes and y = f(x)
        self.play(Create(axes), run_time=1.2)
        self.play(Create(graph_f), Write(f_name), FadeIn(solid), run_time=1.8)

        # The transformation
        self.play(Write(rule_tex), FadeIn(dashed), run_time=1.2)
        self.play(Write(words_text), run_time=1)

        # The new graph, drawn from the old one
        self.play(TransformFromCopy(graph_f, graph_g), run_time=2)

        # One point and its image
        self.play(FadeIn(point), Write(point_label), run_time=0.8)
        self.play(GrowArrow(path), FadeIn(moved), Write(moved_label), run_time=1.2)
        self.play(Write(mapping), run_time=1)
        self.play(Create(SurroundingRectangle(mapping, color=HIGHLIGHT)), run_time=0.8)
        self.wait(2)
"""


def fmt(value: float) -> str:
    """The video's fmt: 3.0 → "3", -0.5 → "-0.5"."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _image(kind: str, a: float, x: float, y: float) -> tuple[float, float]:
    return {
        "up": (x, y + a),
        "left": (x - a, y),
        "stretch_y": (x, a * y),
        "stretch_x": (x / a, y),
        "reflect_x": (x, -y),
        "reflect_y": (-x, y),
    }[kind]


def _followed(expr: mathexpr.Expr, kind: str, a: float, low: float, high: float) -> int | None:
    """The whole number nearest 1 in the range whose image is in the range too (the scene's
    x0), or None."""
    whole = sorted(range(math.ceil(low), math.floor(high) + 1), key=lambda t: abs(t - 1))
    return next((t for t in whole if low <= _image(kind, a, t, expr.value(t))[0] <= high), None)


def describe(params: dict) -> list[str]:
    expr = mathexpr.parse(params["expression"])
    kind = params["kind"]
    a = float(codegen.number_literal(params["amount"]))
    low, high = params["x_range"]
    signed = f"- {fmt(-a)}" if a < 0 else f"+ {fmt(a)}"
    rule, words = {
        "up": (f"y = f(x) {signed}", f"{'up' if a > 0 else 'down'} by {fmt(abs(a))}"),
        "left": (f"y = f(x {signed})", f"{'left' if a > 0 else 'right'} by {fmt(abs(a))}"),
        "stretch_y": (f"y = {fmt(a)}f(x)", f"stretch from the x-axis, factor {fmt(a)}"),
        "stretch_x": (f"y = f({fmt(a)}x)", f"stretch from the y-axis, factor 1/{fmt(a)}"),
        "reflect_x": ("y = -f(x)", "reflect in the x-axis"),
        "reflect_y": ("y = f(-x)", "reflect in the y-axis"),
    }[kind]
    x0 = _followed(expr, kind, a, low, high)
    assert x0 is not None  # validate() made sure
    y0 = expr.value(x0)
    x1, y1 = _image(kind, a, x0, y0)
    return [
        "The title reads: Transformations of graphs.",
        f"Axes from x = {fmt(low)} to {fmt(high)} appear, and the graph of f(x) = {expr.words} "
        "is drawn solid.",
        f"The rule {rule} is written: {words}.",
        "The new graph is drawn dashed from a copy of the first.",
        f"The point ({fmt(x0)}, {fmt(y0)}) on y = f(x) moves along an arrow to "
        f"({fmt(x1)}, {fmt(y1)}) on the new graph, and the mapping is boxed.",
    ]


def build(params: dict) -> str:
    expr = mathexpr.parse(params["expression"])
    return fill(
        SKELETON,
        code=expr.code,
        text=expr.text,
        tick_step=common.TICK_STEP,
        places=common.PLACES,
        arrange=common.ARRANGE,
        kind=literal(params["kind"]),
        amount=codegen.number_literal(params["amount"]),
        x_range=", ".join(codegen.number_literal(v) for v in params["x_range"]),
        latex=literal(expr.latex),
        words=literal(common.say_function(expr)),
    )


def narration(params: dict) -> list[str | Spoken]:
    # The values are worked out in the scene from its input lines, like everything it shows
    return [
        "Transformations of graphs.",
        Spoken(('f"Here is the graph of f of x equals {f_words}."',)),
        Spoken(('f"The rule: {words}."',)),
        "The new graph is drawn dashed.",
        Spoken(('f"The point {fmt(x0)}, {fmt(f(x0))} moves to {fmt(x1)}, {fmt(y1)}."',)),
    ]
