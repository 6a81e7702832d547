"""The derivative as the slope of a tangent line that slides along y = f(x)."""

from __future__ import annotations

from app.generators.offline import codegen
from app.generators.offline.codegen import fill, literal
from app.generators.offline.controls import Expression, Range
from app.generators.offline.extract import Prompt
from app.generators.offline.templates import common

ID = "derivative_tangent"
TITLE = "Derivative as the slope of a tangent"
SUBJECT = "Math"
EXAMPLE_PROMPT = "Show the tangent line sliding along y = x^2 and its slope f'(x)"
DEFAULTS = {"expression": "x**2", "x_range": [-3.0, 3.0]}
VARIANTS = [
    {"expression": "sin(x)", "x_range": [-6.283185, 6.283185]},
    {"expression": "x**3 - 3*x", "x_range": [-2.5, 2.5]},
]
TRIGGERS = {
    r"\btangent(?: line)?s?\b": 5,
    r"\bderivatives?\b": 5,
    r"\bdifferentiat\w*": 5,
    r"\bslope of (?:the |a )?(?:curve|graph|function)\b": 4,
    r"\bslopes?\b": 2,
    r"\brate of change\b": 4,
    r"\b[a-z]'\s*\(x\)|\bdy\s*/\s*dx\b|\bd/dx\b": 5,
    r"\bgradient of (?:the |a )?(?:curve|graph)\b": 4,
    r"\bgradients?\b": 2,
}


def bonus(prompt: Prompt) -> int:
    words = r"tangent|deriv|slope|gradient|d/dx|'"
    return common.has_expression_bonus(prompt) if prompt.has(words) else 0


def extract(prompt: Prompt) -> dict:
    return common.extract_expression(prompt, named_curves=True)


CONTROLS = {
    "expression": Expression("Function of x"),
    "x_range": Range("Range of x (where the tangent slides)"),
}


def validate(params: dict, notes: list[str]) -> dict:
    expr, x_range = common.check_expression_and_range(params)
    codegen.graph_window(expr, *x_range)
    return params


SKELETON = """\
from manim import *
import numpy as np


<<function>>


def slope(x, h=1e-5):
    # The derivative f'(x): rise over run across a tiny step h on each side of x
    return (f(x + h) - f(x - h)) / (2 * h)


<<fit_width>>


class DerivativeTangent(Scene):
    def construct(self):
<<fit_frame>>
        # Title
        title = Text("The derivative is the slope of the tangent", font_size=36)
        fit_title(self, title).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # Axes on the left, the curve, and the formula in the panel on the right
        axes = put(<<axes>>, diagram)
        axis_labels = axes.get_axis_labels(x_label="x", y_label="y")
<<graph>>
        formula = MathTex(<<formula>>, font_size=40)
        put(fit_width(formula, 3.6), panel, 4.9, 2.2)
        self.play(Create(axes), FadeIn(axis_labels), run_time=1.5)
        self.play(Create(graph), Write(formula), run_time=2.5)

        # A point on the curve and its tangent line (fixed length, slope f'(x))
        x_tracker = ValueTracker(<<trace_start>>)

        def point_on_curve():
            x = x_tracker.get_value()
            return axes.c2p(x, f(x))

        def tangent_line():
            x = x_tracker.get_value()
            # One step to the right along the tangent, measured on screen
            run = axes.c2p(x + 1, f(x) + slope(x)) - axes.c2p(x, f(x))
            direction = run / np.linalg.norm(run)
            return Line(
                point_on_curve() - 0.9 * direction,
                point_on_curve() + 0.9 * direction,
                color=SECONDARY,
                stroke_width=5,
            )

        tangent = always_redraw(tangent_line)
        dot = always_redraw(lambda: Dot(point_on_curve(), color=HIGHLIGHT))

        # The panel reads out x and the slope f'(x) as the point moves
        x_value = DecimalNumber(x_tracker.get_value(), num_decimal_places=2, font_size=34)
        slope_value = DecimalNumber(
            slope(x_tracker.get_value()), num_decimal_places=2, font_size=34
        )
        x_value.add_updater(lambda number: number.set_value(x_tracker.get_value()))
        slope_value.add_updater(lambda number: number.set_value(slope(x_tracker.get_value())))
        slope_value.set_color(SECONDARY)
        readout = (
            VGroup(
                VGroup(MathTex("x =", font_size=34), x_value).arrange(RIGHT),
                VGroup(MathTex("f'(x) =", font_size=34, color=SECONDARY), slope_value).arrange(
                    RIGHT
                ),
            )
            .arrange(DOWN, aligned_edge=LEFT)
            .move_to([4.9, 0.6, 0])
        )
        note = Text("slope of the tangent line", font_size=24, color=MUTED)
        note.next_to(readout, DOWN, buff=0.4)
        put(VGroup(readout, note), panel)
        self.play(FadeIn(dot), Create(tangent), FadeIn(readout), FadeIn(note), run_time=1)

        # Slide the point across: the slope is positive uphill, negative downhill,
        # and 0 where the curve is flat
        self.play(x_tracker.animate.set_value(<<trace_end>>), run_time=6, rate_func=linear)
        self.play(x_tracker.animate.set_value(<<trace_middle>>), run_time=2)
        self.wait(1.5)
"""


def slope(expr: common.mathexpr.Expr, x: float, h: float = 1e-5) -> float:
    """What the video's slope(x) computes (the same central difference, on the host)."""
    return (expr.value(x + h) - expr.value(x - h)) / (2 * h)


def _trace(window: codegen.GraphWindow) -> tuple[float, float, float]:
    """Where the point starts, where it slides to, and where it comes back to rest."""
    start, end = window.longest_piece
    margin = 0.1 * (end - start)
    start, end = start + margin, end - margin
    return codegen.tidy(start), codegen.tidy(end), codegen.tidy((start + end) / 2)


def describe(params: dict) -> list[str]:
    expr = common.checks.expression(params["expression"])
    x_low, x_high = params["x_range"]
    window = codegen.graph_window(expr, x_low, x_high)
    start, end, middle = _trace(window)

    def at(x: float) -> str:
        return f"x = {common.readout(x)}, where the slope f'(x) = {common.readout(slope(expr, x))}"

    return [
        "The title reads: The derivative is the slope of the tangent.",
        f"Axes appear for x from {common.pi_text(x_low)} to {common.pi_text(x_high)}, and the "
        f"curve f(x) = {expr.words} is drawn with its formula.",
        "A point appears on the curve with its tangent line.",
        "A panel shows x and the slope of the tangent line, f'(x): "
        f"x = {common.readout(start)}, f'(x) = {common.readout(slope(expr, start))}.",
        f"The point slides right along the curve to {at(end)}.",
        f"It slides back to {at(middle)}.",
    ]


def build(params: dict) -> str:
    expr = common.checks.expression(params["expression"])
    window = codegen.graph_window(expr, *params["x_range"])
    start, end, middle = _trace(window)
    return fill(
        SKELETON,
        function=common.function_code(expr),
        fit_width=common.FIT_WIDTH,
        fit_frame=codegen.arrange_parts(
            {"diagram": (-7.1, -3.7, 2.4, 2.6), "panel": (2.9, -1.2, 6.9, 2.7)}
        ),
        axes=common.axes_code(window, x_length=8.6, center=(-2.4, -0.5)),
        graph=common.plot_code(window),
        formula=literal("f(x) = " + expr.latex),
        trace_start=literal(start),
        trace_end=literal(end),
        trace_middle=literal(middle),
    )


def narration(params: dict) -> list[str]:
    expr = common.checks.expression(params["expression"])
    x_low, x_high = params["x_range"]
    window = codegen.graph_window(expr, x_low, x_high)
    start, end, middle = _trace(window)
    return [
        "The derivative is the slope of the tangent line.",
        f"Here is the curve f of x = {common.say_function(expr)}, for x from "
        f"{common.pi_text(x_low)} to {common.pi_text(x_high)}.",
        f"At x = {common.readout(start)} the tangent line touches the curve, and its slope, "
        f"f prime of x, is {common.readout(slope(expr, start))}.",
        f"As the point slides to x = {common.readout(end)}, the slope becomes "
        f"{common.readout(slope(expr, end))}: positive going uphill, negative going downhill. "
        f"Back at x = {common.readout(middle)} it is {common.readout(slope(expr, middle))}.",
    ]
