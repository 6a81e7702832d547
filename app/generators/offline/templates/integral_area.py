"""The definite integral as the area under y = f(x), swept out from a to b."""

from __future__ import annotations

import numpy as np

from app.generators.offline import codegen
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.controls import Expression, Range
from app.generators.offline.extract import Prompt
from app.generators.offline.templates import common

ID = "integral_area"
TITLE = "Definite integral as area"
SUBJECT = "Math"
EXAMPLE_PROMPT = "Show the area under the curve y = x^2 from 0 to 2 as an integral"
DEFAULTS = {"expression": "x**2", "x_range": [0.0, 2.0]}
VARIANTS = [
    {"expression": "sin(x)", "x_range": [0.0, 3.141593]},
    {"expression": "x**2 - 1", "x_range": [-2.0, 2.0]},
]
TRIGGERS = {
    r"\bintegra(?:l|ls|te|ting|tion)\b": 5,
    r"\barea (?:under|below|beneath|between)\b": 6,
    r"\barea of (?:the )?region\b": 4,
    r"∫|\bdx\b": 2,
    r"\bantiderivative\b|\baccumulat\w*": 3,
}


def bonus(prompt: Prompt) -> int:
    return common.has_expression_bonus(prompt) if prompt.has(r"integra|area|∫") else 0


def extract(prompt: Prompt) -> dict:
    params = common.extract_expression(prompt, named_curves=True)
    if "x_range" not in params and "expression" not in params:
        params["x_range"] = DEFAULTS["x_range"]
    return params


CONTROLS = {
    "expression": Expression("Function of x"),
    "x_range": Range("Range of x (the ends of the shaded area)"),
}


def validate(params: dict, notes: list[str]) -> dict:
    expr, x_range = common.check_expression_and_range(params)
    if not codegen.sample_graph(expr, *x_range):
        raise checks.fail(
            f"{expr.text} is not defined everywhere on {common.range_text(x_range)}, so its "
            "area cannot be shaded; choose a range where it is."
        )
    return params


SKELETON = """\
from manim import *
import numpy as np


<<function>>


<<area_under>>


<<fit_width>>


class IntegralArea(Scene):
    def construct(self):
<<fit_frame>>
        a, b = <<a>>, <<b>>  # the limits of integration

        # Title
        title = Text("The integral is the area under the curve", font_size=36)
        fit_title(self, title).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # Axes and the curve
        axes = put(<<axes>>, diagram)
        axis_labels = axes.get_axis_labels(x_label="x", y_label="y")
<<graph>>
        self.play(Create(axes), FadeIn(axis_labels), run_time=1.5)
        self.play(Create(graph), run_time=2)

        # The limits a and b, and the integral to work out
        limit_lines = VGroup(
            axes.get_vertical_line(axes.c2p(a, f(a)), color=HIGHLIGHT),
            axes.get_vertical_line(axes.c2p(b, f(b)), color=HIGHLIGHT),
        )
        integral = MathTex(<<integral_tex>>, font_size=40)
        put(fit_width(integral, 3.6), panel, 4.9, 2.2)
        self.play(Create(limit_lines), Write(integral), run_time=1.5)

        # Sweep the right edge from a to b: the shaded area is the integral so far
        right_edge = ValueTracker(a + 1e-3)
        area = always_redraw(
            lambda: axes.get_area(
                graph_piece,
                x_range=[a, right_edge.get_value()],
                color=ACCENT,
                opacity=0.5,
            )
        )
        running = DecimalNumber(0, num_decimal_places=3, font_size=36)
        running.add_updater(
            lambda number: number.set_value(area_under(a, right_edge.get_value()))
        )
        readout = VGroup(MathTex(r"\\text{area so far} =", font_size=34), running).arrange(RIGHT)
        put(fit_width(readout, 3.6), panel, 4.9, 0.0)
        self.add(area)
        self.play(FadeIn(readout), run_time=0.5)
        self.play(right_edge.animate.set_value(b), run_time=5, rate_func=linear)
        self.wait(0.5)

        # The final value of the integral
        result = MathTex(rf"= {area_under(a, b):.3f}", font_size=44, color=HIGHLIGHT)
        scaled(result, panel).next_to(integral, DOWN, buff=0.35)
        self.play(Write(result), run_time=1)
        note = Text(<<note>>, font_size=22, color=MUTED)
        put(fit_width(note, 3.6), panel, 4.9, -1.4)
        self.play(FadeIn(note), run_time=0.5)
        self.wait(2)
"""


def _note(expr: common.mathexpr.Expr, a: float, b: float) -> str:
    """The closing note: a warning about negative area when the curve dips below the axis."""
    negative = float(expr.values(np.linspace(a, b, 401)).min()) < 0
    return (
        "area below the x-axis\ncounts as negative"
        if negative
        else "the integral adds up\nthin strips f(x) dx"
    )


def describe(params: dict) -> list[str]:
    expr = common.checks.expression(params["expression"])
    a, b = params["x_range"]
    low, high = common.pi_text(a), common.pi_text(b)
    integrand = expr.words
    if " + " in integrand or " - " in integrand:
        integrand = f"({integrand})"
    area = common.area_under(expr, a, b)
    return [
        "The title reads: The integral is the area under the curve.",
        f"Axes appear, and the curve y = {expr.words} is drawn from x = {low} to x = {high}.",
        f"Vertical lines mark x = {low} and x = {high}, and the integral from {low} to {high} "
        f"of {integrand} dx is written beside the graph.",
        "The area between the curve and the x-axis is shaded from left to right, while a "
        f"readout counts the area so far, up to {common.readout(area, 3)}.",
        f"The result appears under the integral: = {area:.3f}.",
        f"A note says: {_note(expr, a, b).replace(chr(10), ' ')}.",
    ]


def build(params: dict) -> str:
    expr = common.checks.expression(params["expression"])
    a, b = params["x_range"]
    window = codegen.graph_window(expr, a, b, force_zero=True)
    graph = (
        f"        graph = axes.plot(f, x_range=[a, b, {literal(codegen.tidy((b - a) / 200))}],"
        " color=ACCENT)\n        graph_piece = graph"
    )
    note = _note(expr, a, b)
    return fill(
        SKELETON,
        function=common.function_code(expr),
        fit_width=common.FIT_WIDTH,
        area_under=common.AREA_UNDER,
        fit_frame=codegen.arrange_parts(
            {"diagram": (-7.1, -3.7, 2.5, 2.6), "panel": (2.9, -1.8, 6.9, 2.8)}
        ),
        a=literal(a),
        b=literal(b),
        axes=common.axes_code(window),
        graph=graph,
        integral_tex=literal(
            rf"\int_{{{common.pi_tex(a)}}}^{{{common.pi_tex(b)}}} {_integrand(expr)} \, dx"
        ),
        note=literal(note),
    )


def _integrand(expr) -> str:
    latex = expr.latex
    return rf"\left({latex}\right)" if any(op in latex for op in ("+", " - ")) else latex


def narration(params: dict) -> list[str]:
    expr = common.checks.expression(params["expression"])
    a, b = params["x_range"]
    low, high = common.pi_text(a), common.pi_text(b)
    area = common.area_under(expr, a, b)
    return [
        "The integral is the area under the curve.",
        f"Here is the curve y = {common.say_function(expr)}.",
        f"We want the integral from {low} to {high}: the area between the curve and the x-axis.",
        "Sweep from left to right, and watch the area add up.",
        f"The integral is {area:.3f}. It adds up thin strips, f of x times d x.",
    ]
