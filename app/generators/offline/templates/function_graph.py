"""Graph of y = f(x): axes, the curve drawn left to right, its x-intercepts, a tracing point."""

from __future__ import annotations

from app.generators.offline import codegen
from app.generators.offline.codegen import fill, literal, show
from app.generators.offline.controls import Expression, Range
from app.generators.offline.extract import Prompt
from app.generators.offline.templates import common

ID = "function_graph"
TITLE = "Graph of a function"
SUBJECT = "Math"
EXAMPLE_PROMPT = "Plot y = x^2 - 4x + 3 from -1 to 5"
DEFAULTS = {"expression": "x**2 - 4*x + 3", "x_range": [-1.0, 5.0]}
VARIANTS = [
    {"expression": "sin(x)/x", "x_range": [-10.0, 10.0]},
    {"expression": "1/x", "x_range": [-4.0, 4.0]},
]
TRIGGERS = {
    r"\bgraph(?:s|ing)?\b": 2,
    r"\bplot(?:s|ting)?\b": 2,
    r"\bsketch\b": 2,
    r"\bdraw the (?:curve|graph|function)\b|\bcurve of\b": 3,
    r"\bfunction\b": 1,
    r"\bparabola\b|\bhyperbola\b|\bcubic\b": 3,
    r"\b(?:sine|cosine|exponential|logarithm\w*|square root) (?:curve|graph|function)\b": 3,
    r"\bsine wave\b": 2,
}


def bonus(prompt: Prompt) -> int:
    # A bare expression ("y = x^2", "x^2 - 4x + 3") is a graph unless another template's
    # words say otherwise.
    found = common.has_expression_bonus(prompt)
    return found + (1 if found else 0)


def extract(prompt: Prompt) -> dict:
    return common.extract_expression(prompt, named_curves=True)


CONTROLS = {
    "expression": Expression("Function of x"),
    "x_range": Range("Range of x"),
}


def validate(params: dict, notes: list[str]) -> dict:
    expr, x_range = common.check_expression_and_range(params)
    codegen.graph_window(expr, *x_range)  # fails early if nothing is visible
    return params


SKELETON = """\
from manim import *
import numpy as np


<<function>>
<<fit_width>>


class FunctionGraph(Scene):
    def construct(self):
<<fit_frame>>
        # Title
        title = fit_title(self, Text("Graph of a function", font_size=40)).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # Axes on the left; the right side is a panel for the formula and readouts
        axes = put(<<axes>>, diagram)
        axis_labels = axes.get_axis_labels(x_label="x", y_label="y")
        self.play(Create(axes), FadeIn(axis_labels), run_time=2)

        # The formula, then the curve drawn from left to right
        formula = MathTex(<<formula>>, font_size=40)
        put(fit_width(formula, 3.6), panel, 4.9, 2.1)
<<graph>>
        self.play(Write(formula), run_time=1)
        self.play(Create(graph), run_time=3)

<<intercepts>>
        # A point slides along the curve while the panel shows its coordinates
        x_tracker = ValueTracker(<<trace_start>>)
        dot = always_redraw(
            lambda: Dot(axes.c2p(x_tracker.get_value(), f(x_tracker.get_value())), color=HIGHLIGHT)
        )
        x_value = DecimalNumber(x_tracker.get_value(), num_decimal_places=2, font_size=34)
        y_value = DecimalNumber(f(x_tracker.get_value()), num_decimal_places=2, font_size=34)
        x_value.add_updater(lambda number: number.set_value(x_tracker.get_value()))
        y_value.add_updater(lambda number: number.set_value(f(x_tracker.get_value())))
        readout = (
            VGroup(
                VGroup(MathTex("x =", font_size=34), x_value).arrange(RIGHT),
                VGroup(MathTex("y =", font_size=34), y_value).arrange(RIGHT),
            )
            .arrange(DOWN, aligned_edge=LEFT)
        )
        put(readout, panel, 4.9, -1.6)
        self.play(FadeIn(dot), FadeIn(readout), run_time=0.5)
        self.play(x_tracker.animate.set_value(<<trace_end>>), run_time=4, rate_func=smooth)
        self.wait(2)
"""

INTERCEPTS = """\
        # Where the curve crosses the x-axis (found numerically when this code was made)
        x_intercepts = <<roots>>
        intercept_dots = VGroup(*[Dot(axes.c2p(x, 0), color=SECONDARY) for x in x_intercepts])
        intercept_text = <<roots_text>>
        intercept_label = Text(intercept_text, font_size=28, color=SECONDARY)
        put(fit_width(intercept_label, 3.6), panel, 4.9, 0.9)
        self.play(FadeIn(intercept_dots), Write(intercept_label), run_time=1.5)
        self.wait(0.5)
"""


def crossings_text(roots: list[float]) -> str:
    """[1, 3] → "x = 1 and x = 3", with each root as the video's label shows it."""
    values = [f"x = {show(r)}" for r in roots]
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " and " + values[-1]


def describe(params: dict) -> list[str]:
    expr = common.checks.expression(params["expression"])
    x_low, x_high = params["x_range"]
    window = codegen.graph_window(expr, x_low, x_high)
    roots = codegen.roots(expr, window)
    pieces = len(window.pieces)
    drawn = "The curve is drawn from left to right" + (
        f", in {pieces} pieces: it has gaps or leaves the axes in between." if pieces > 1 else "."
    )
    sentences = [
        "The title reads: Graph of a function.",
        f"Axes appear for x from {common.pi_text(x_low)} to {common.pi_text(x_high)}.",
        f"The formula y = {expr.words} is written beside them.",
        drawn,
    ]
    if roots:
        # The video marks at most the first few crossings from the left; say so when it stops
        more = len(codegen.roots(expr, window, limit=len(roots) + 1)) > len(roots)
        where = (
            f"the first {len(roots)} places, from the left, where the curve crosses"
            if more
            else "where the curve crosses"
        )
        sentences.append(f"Dots mark {where} the x-axis: at {crossings_text(roots)}.")
    start, end = window.longest_piece
    start_y, end_y = common.readout(expr.value(start)), common.readout(expr.value(end))
    sentences.append(
        f"A point moves along the curve from x = {common.readout(start)}, y = {start_y} to "
        f"x = {common.readout(end)}, y = {end_y}, with its coordinates shown beside the graph."
    )
    return sentences


def build(params: dict) -> str:
    expr = common.checks.expression(params["expression"])
    x_low, x_high = params["x_range"]
    window = codegen.graph_window(expr, x_low, x_high)
    roots = codegen.roots(expr, window)
    intercepts = ""
    if roots:
        roots_text = "crosses the x-axis at x = " + ", ".join(show(r) for r in roots)
        intercepts = fill(INTERCEPTS, roots=literal(roots), roots_text=literal(roots_text))
    trace_start, trace_end = window.longest_piece
    return fill(
        SKELETON,
        function=common.function_code(expr),
        fit_width=common.FIT_WIDTH,
        fit_frame=codegen.arrange_parts(
            {"diagram": (-7.1, -3.7, 2.5, 2.6), "panel": (2.9, -2.3, 6.9, 2.6)}
        ),
        formula=literal("y = " + expr.latex),
        graph=common.plot_code(window),
        axes=common.axes_code(window),
        intercepts=intercepts,
        trace_start=literal(trace_start),
        trace_end=literal(trace_end),
    )


def narration(params: dict) -> list[str]:
    expr = common.checks.expression(params["expression"])
    x_low, x_high = params["x_range"]
    window = codegen.graph_window(expr, x_low, x_high)
    roots = codegen.roots(expr, window)
    sentences = [
        "Let's draw the graph of a function.",
        f"First the axes, for x from {common.pi_text(x_low)} to {common.pi_text(x_high)}.",
        f"Our function is y = {common.say_function(expr)}. Watch the curve drawn from left "
        "to right.",
    ]
    if roots:  # the video has this step only when there are crossings to mark
        crossings = common.say_list([f"x = {common.say_number(x)}" for x in roots])
        sentences.append(f"Here is where the curve crosses the x-axis: at {crossings}.")
    sentences.append(
        "Now a point slides along the curve, and the panel shows its x and y as it moves."
    )
    return sentences
