"""A left Riemann sum: n rectangles under y = f(x), refined to show they approach the area."""

from __future__ import annotations

import numpy as np

from app.generators.offline import codegen
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.controls import Expression, Number, Range
from app.generators.offline.extract import Prompt
from app.generators.offline.templates import common

ID = "riemann_sum"
TITLE = "Riemann sum with rectangles"
SUBJECT = "Math"
EXAMPLE_PROMPT = "Approximate the area under x^2 from 0 to 3 with 6 rectangles"
DEFAULTS = {"expression": "x**2", "x_range": [0.0, 3.0], "n": 6}
VARIANTS = [
    {"expression": "sin(x) + 1", "x_range": [0.0, 6.283185], "n": 8},
    {"expression": "x**3 - 2*x", "x_range": [-2.0, 2.0], "n": 10},
]
TRIGGERS = {
    r"\briemann\b": 8,
    r"\brectangles?\b": 4,
    r"\d+\s*(?:rectangles|strips|subintervals)\b": 4,
    r"\b(?:left|right|midpoint|lower|upper)[- ](?:hand )?(?:end ?point )?sums?\b": 5,
    r"\bapproximat\w* (?:the )?area\b": 3,
    r"\bbars? under\b|\bstrips?\b": 2,
}
MAX_RECTANGLES = 50


def bonus(prompt: Prompt) -> int:
    return common.has_expression_bonus(prompt) if prompt.has(r"riemann|rectangle") else 0


def extract(prompt: Prompt) -> dict:
    params = common.extract_expression(prompt, named_curves=True)
    n = prompt.number_before(
        r"(?:equal[- ]width )?(?:rectangles?|strips?|bars?|subintervals?|intervals?|pieces)"
    )
    if n is None:
        n = prompt.number_after(r"\bn\s*=|\bwith n|\bn of")
    if n is not None:
        params["n"] = n
    if "x_range" not in params and "expression" not in params:
        params["x_range"] = DEFAULTS["x_range"]
    return params


CONTROLS = {
    "expression": Expression("Function of x"),
    "x_range": Range("Range of x (where the rectangles stand)"),
    "n": Number("Number of rectangles", 1, MAX_RECTANGLES, step=1, integer=True),
}


def validate(params: dict, notes: list[str]) -> dict:
    expr, x_range = common.check_expression_and_range(params)
    params["n"] = checks.integer(params["n"], "n", low=1, high=MAX_RECTANGLES)
    if not codegen.sample_graph(expr, *x_range):
        raise checks.fail(
            f"{expr.text} is not defined everywhere on {common.range_text(x_range)}, so the "
            "rectangles cannot be drawn; choose a range where it is."
        )
    return params


SKELETON = """\
from manim import *
import numpy as np


<<function>>


def riemann_rectangles(a, b, n):
    # Left Riemann sum: n equal-width rectangles, each as tall as f at its left edge
    width = (b - a) / n
    return [(a + i * width, width, f(a + i * width)) for i in range(n)]


def riemann_sum(a, b, n):
    return sum(width * height for _, width, height in riemann_rectangles(a, b, n))


<<area_under>>


<<fit_width>>


class RiemannSum(Scene):
    def construct(self):
<<fit_frame>>
        a, b = <<a>>, <<b>>  # the interval
        n = <<n>>  # the number of rectangles

        # Title
        title = Text("Riemann sum: area from rectangles", font_size=36)
        fit_title(self, title).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # Axes, the curve and its formula
        axes = put(<<axes>>, diagram)
        axis_labels = axes.get_axis_labels(x_label="x", y_label="y")
        graph = axes.plot(f, x_range=[a, b, (b - a) / 200], color=ACCENT)
        formula = MathTex(<<formula>>, font_size=38)
        put(fit_width(formula, 3.6), panel, 4.9, 2.3)
        self.play(Create(axes), FadeIn(axis_labels), run_time=1.5)
        self.play(Create(graph), Write(formula), run_time=2)

        def rectangles(count):
            # Each rectangle spans [left, left + width] and reaches f(left); one below the axis
            # has the negative colour
            group = VGroup()
            for left, width, height in riemann_rectangles(a, b, count):
                corners = [
                    axes.c2p(left, 0),
                    axes.c2p(left + width, 0),
                    axes.c2p(left + width, height),
                    axes.c2p(left, height),
                ]
                color = POSITIVE if height >= 0 else NEGATIVE
                group.add(Polygon(*corners, color=color, stroke_width=1.5, fill_opacity=0.5))
            return group

        def sum_label(count):
            text = MathTex(
                rf"n = {count}: \\quad \\text{{sum}} \\approx {riemann_sum(a, b, count):.3f}",
                font_size=34,
            )
            return put(fit_width(text, 3.6), panel, 4.9, 0.8)

        # n rectangles, and what their areas add up to
        bars = rectangles(n)
        label = sum_label(n)
        self.play(LaggedStartMap(FadeIn, bars, shift=0.2 * UP, lag_ratio=0.1), run_time=2)
        self.play(Write(label), run_time=1)
<<negative_key>>
        self.wait(1)

        # More, thinner rectangles get closer to the area under the curve
        for count in <<refinements>>:
            self.play(
                Transform(bars, rectangles(count)),
                Transform(label, sum_label(count)),
                run_time=1.5,
            )
            self.wait(0.5)

        exact = MathTex(
            rf"\\text{{<<area_name>>}} = {area_under(a, b):.3f}", font_size=34, color=HIGHLIGHT
        )
        put(fit_width(exact, 3.6), panel, 4.9, -0.6)
        self.play(Write(exact), run_time=1)
        self.wait(2)
"""


NEGATIVE_KEY = """\
        # Above the x-axis a rectangle's area counts +, below it counts -: in words, not only colour
        key = VGroup(
            Text("above the x-axis: + area", font_size=24, color=POSITIVE),
            Text("below the x-axis: - area", font_size=24, color=NEGATIVE),
        ).arrange(DOWN, aligned_edge=LEFT)
        put(fit_width(key, 3.6), panel, 4.9, -2.0)
        self.play(FadeIn(key), run_time=0.6)"""


def left_sum(expr: common.mathexpr.Expr, a: float, b: float, n: int) -> float:
    """What the video's riemann_sum(a, b, n) adds up (the same rule, on the host)."""
    width = (b - a) / n
    return float(sum(width * expr.value(a + i * width) for i in range(n)))


def describe(params: dict) -> list[str]:
    expr = common.checks.expression(params["expression"])
    a, b = params["x_range"]
    n = params["n"]
    refinements = _refinements(n)
    negative = float(expr.values(np.linspace(a, b, 401)).min()) < 0
    sentences = [
        "The title reads: Riemann sum: area from rectangles.",
        f"Axes appear with the curve y = {expr.words} from x = {common.pi_text(a)} to "
        f"x = {common.pi_text(b)}, labelled f(x) = {expr.words}.",
        f"{n} rectangle{'s' if n != 1 else ''} of equal width fill the area under the curve, "
        "each as tall as the curve at its left edge; their areas add up to about "
        f"{left_sum(expr, a, b, n):.3f} (n = {n}).",
    ]
    if negative:
        sentences.append(
            "A key says rectangles above the x-axis count as + area and those below as - area."
        )
    sentences += [
        f"With {count} thinner rectangles the sum is about {left_sum(expr, a, b, count):.3f}."
        for count in refinements
    ]
    name = "net area" if negative else "exact area"
    sentences.append(f"The {name} is {common.area_under(expr, a, b):.3f}.")
    return sentences


def _refinements(n: int) -> list[int]:
    refinements = [count for count in (2 * n, 4 * n) if count <= 4 * MAX_RECTANGLES][:2]
    return refinements[:1] if n >= 30 else refinements


def build(params: dict) -> str:
    expr = common.checks.expression(params["expression"])
    a, b = params["x_range"]
    n = params["n"]
    window = codegen.graph_window(expr, a, b, force_zero=True)
    refinements = _refinements(n)
    negative = float(expr.values(np.linspace(a, b, 401)).min()) < 0
    return fill(
        SKELETON,
        function=common.function_code(expr),
        fit_width=common.FIT_WIDTH,
        area_under=common.AREA_UNDER,
        fit_frame=codegen.arrange_parts(
            {"diagram": (-7.1, -3.7, 2.5, 2.6), "panel": (2.9, -2.4, 6.9, 2.8)}
        ),
        a=literal(a),
        b=literal(b),
        n=literal(n),
        axes=common.axes_code(window),
        formula=literal("f(x) = " + expr.latex),
        refinements=literal(refinements),
        area_name="net area" if negative else "exact area",
        negative_key=NEGATIVE_KEY if negative else "",
    )


def narration(params: dict) -> list[str]:
    expr = common.checks.expression(params["expression"])
    a, b = params["x_range"]
    n = params["n"]
    finer = " and ".join(
        f"{count} rectangles give about {left_sum(expr, a, b, count):.3f}"
        for count in _refinements(n)
    )
    return [
        "A Riemann sum finds an area by adding up rectangles.",
        f"Here is the curve y = {common.say_function(expr)}, from x = {common.pi_text(a)} "
        f"to x = {common.pi_text(b)}.",
        f"Fill the area with {n} rectangle{'s' if n != 1 else ''} of equal width. Their areas "
        f"add up to about {left_sum(expr, a, b, n):.3f}.",
        f"Thinner rectangles get closer: {finer}. The exact area is "
        f"{common.area_under(expr, a, b):.3f}.",
    ]
