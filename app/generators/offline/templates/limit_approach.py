"""A limit: two points slide toward x = a from the left and the right while f(x) is read out."""

from __future__ import annotations

import math

from app.generators.offline import codegen
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal, show
from app.generators.offline.controls import Expression, Number
from app.generators.offline.extract import CONST, Prompt, to_number
from app.generators.offline.mathexpr import Expr
from app.generators.offline.templates import common

ID = "limit_approach"
TITLE = "Limit as x approaches a point"
SUBJECT = "Math"
EXAMPLE_PROMPT = "Show the limit of sin(x)/x as x approaches 0"
DEFAULTS = {"expression": "sin(x)/x", "point": 0.0}
VARIANTS = [
    {"expression": "(x**2 - 1)/(x - 1)", "point": 1.0},
    {"expression": "abs(x)/x", "point": 0.0},
]
TRIGGERS = {
    r"\blimits?\b": 6,
    r"\blim\b": 6,
    r"\bapproach(?:es|ing)?\b": 3,
    r"\btends? to\b|\bgoes to\b|->|→": 3,
    r"\bgets? close to\b|\bcloser and closer\b": 3,
    r"\bone[- ]sided\b|\bfrom the left\b|\bfrom the right\b": 3,
}
# Distances from the point at which f is compared on each side.
PROBES = [1e-3, 1e-4, 1e-5]


def bonus(prompt: Prompt) -> int:
    words = r"limit|\blim\b|approach|\btends? to\b|\bgoes to\b|->|→"
    return common.has_expression_bonus(prompt) if prompt.has(words) else 0


def extract(prompt: Prompt) -> dict:
    params: dict = {}
    found = prompt.expression
    if found:
        params["expression"] = found.expr.text
    match = prompt.search(
        rf"(?:x\s*(?:->|→|approaches|tends to|goes to|gets close to)|approaches|tends to|goes to"
        rf"|as x\s*=|at x\s*=|near x\s*=|at|near)\s*({CONST})(?![\d.])"
    )
    if match:
        point = to_number(match.group(1))
        if point is not None:
            params["point"] = point
    elif prompt.has(r"infinity|∞"):
        params["point"] = "infinity"
    return params


CONTROLS = {
    "expression": Expression("Function of x"),
    "point": Number("x approaches", -50, 50, step=0.1),
}


def validate(params: dict, notes: list[str]) -> dict:
    expr = checks.expression(params["expression"])
    params["expression"] = expr.text
    if params["point"] == "infinity":
        raise checks.fail(
            "Limits at infinity are not supported yet; give a number for x to approach."
        )
    params["point"] = checks.number(params["point"], "point", low=-50, high=50)
    window_low, window_high = _window(expr, params["point"])
    left, right = expr.value(params["point"] - 0.5), expr.value(params["point"] + 0.5)
    if not (math.isfinite(left) or math.isfinite(right)):
        raise checks.fail(
            f"{expr.text} is not defined near x = {show(params['point'])}; choose another point."
        )
    codegen.graph_window(expr, window_low, window_high)
    return params


def _window(expr: Expr, point: float) -> tuple[float, float]:
    half = 6.0 if expr.functions & common.TRIG else 3.0
    return point - half, point + half


def limit_verdict(expr: Expr, point: float) -> tuple[str, float | None]:
    """("exists", L), ("one-sided", None) or ("infinite", None), judged numerically."""
    lefts = [expr.value(point - h) for h in PROBES]
    rights = [expr.value(point + h) for h in PROBES]
    if not all(math.isfinite(v) for v in lefts + rights):
        return "undefined", None
    left, right = lefts[-1], rights[-1]
    scale = max(1.0, abs(left), abs(right))
    growing = abs(lefts[-1]) > 50 * max(1.0, abs(lefts[0])) or abs(rights[-1]) > 50 * max(
        1.0, abs(rights[0])
    )
    if growing or abs(left) > 1e4 or abs(right) > 1e4:
        return "infinite", None
    if abs(left - right) <= 1e-3 * scale:
        return "exists", (left + right) / 2
    return "one-sided", None


SKELETON = """\
from manim import *
import numpy as np


<<function>>
<<fit_width>>


class LimitApproach(Scene):
    def construct(self):
<<fit_frame>>
        a = <<point>>  # the point x approaches

        # Title
        title = Text("What value does f(x) approach?", font_size=36)
        fit_title(self, title).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # Axes and the curve
        axes = put(<<axes>>, diagram)
        axis_labels = axes.get_axis_labels(x_label="x", y_label="y")
<<graph>>
        limit_question = MathTex(<<limit_tex>>, font_size=40)
        formula = MathTex(<<formula_tex>>, font_size=36)
        question = VGroup(limit_question, formula).arrange(DOWN, buff=0.3)
        put(fit_width(question, 3.6), panel, 4.9, 2.1)
        self.play(Create(axes), FadeIn(axis_labels), run_time=1.5)
        self.play(Create(graph), Write(question), run_time=2)

        # A dashed line marks x = a
        marker = DashedLine(
            axes.c2p(a, axes.y_range[0]), axes.c2p(a, axes.y_range[1]), color=MUTED
        )
        self.play(Create(marker), run_time=0.5)

        # Two points slide toward a: a round one from the left, a square one from the right
        distance = ValueTracker(<<start_distance>>)
        left_dot = always_redraw(
            lambda: Dot(
                axes.c2p(a - distance.get_value(), f(a - distance.get_value())),
                color=HIGHLIGHT,
            )
        )
        right_dot = always_redraw(
            lambda: Square(side_length=0.16, color=SECONDARY, fill_opacity=1).move_to(
                axes.c2p(a + distance.get_value(), f(a + distance.get_value()))
            )
        )
        left_value = DecimalNumber(
            f(a - distance.get_value()), num_decimal_places=3, font_size=32
        )
        right_value = DecimalNumber(
            f(a + distance.get_value()), num_decimal_places=3, font_size=32
        )
        left_value.add_updater(lambda number: number.set_value(f(a - distance.get_value())))
        right_value.add_updater(lambda number: number.set_value(f(a + distance.get_value())))
        # Each reading starts with its point's shape
        left_key = Dot(color=HIGHLIGHT)
        right_key = Square(side_length=0.16, color=SECONDARY, fill_opacity=1)
        readout = VGroup(
            VGroup(
                left_key, Text("from the left:", font_size=24, color=HIGHLIGHT), left_value
            ).arrange(RIGHT),
            VGroup(
                right_key, Text("from the right:", font_size=24, color=SECONDARY), right_value
            ).arrange(RIGHT),
        ).arrange(DOWN, aligned_edge=LEFT)
        put(fit_width(readout, 4.0), panel, 4.9, 0.3)
        self.play(FadeIn(left_dot), FadeIn(right_dot), FadeIn(readout), run_time=1)
        self.play(distance.animate.set_value(<<end_distance>>), run_time=6, rate_func=smooth)
        self.wait(0.5)

        # What the two sides tell us
<<conclusion>>
        self.wait(2)
"""

CONCLUSION_EXISTS = """\
        limit_value = (
            <<limit>>  # both sides agree (checked numerically when this code was made)
        )
        hole = Circle(radius=0.08, color=TEXT, stroke_width=3).set_fill(BACKGROUND, opacity=1)
        hole.move_to(axes.c2p(a, limit_value))
        answer = MathTex(
            rf"<<limit_lhs>> = {limit_value:.4g}", font_size=40, color=POSITIVE
        )
        put(fit_width(answer, 3.6), panel, 4.9, -1.3)
        self.play(FadeIn(hole), Write(answer), run_time=1.5)"""

CONCLUSION_MISSING = """\
        verdict = <<verdict>>
        answer = Text(verdict, font_size=26, color=NEGATIVE)
        put(fit_width(answer, 3.6), panel, 4.9, -1.3)
        self.play(Write(answer), run_time=1.5)"""

VERDICTS = {
    "one-sided": "The two sides disagree,\nso the limit does not exist.",
    "infinite": "f(x) grows without bound,\nso the limit does not exist.",
    "undefined": "f(x) is missing on one side,\nso the limit does not exist.",
}


START_DISTANCE = 0.8  # the points start this fraction of the window's half-width away
END_DISTANCE = 0.01  # and stop this far from the point


def _start_distance(expr: Expr, point: float) -> float:
    _low, high = _window(expr, point)
    return codegen.tidy(START_DISTANCE * (high - point))


def describe(params: dict) -> list[str]:
    expr = common.checks.expression(params["expression"])
    point = params["point"]
    where = common.pi_text(point)
    start = _start_distance(expr, point)

    def readings(distance: float) -> str:
        # What each readout shows; a side where f is undefined has no number to read
        sides = []
        for side, x in (("left", point - distance), ("right", point + distance)):
            value = expr.value(x)
            shown = common.readout(value, 3) if math.isfinite(value) else "no value"
            sides.append(f"{shown} from the {side}")
        return "f(x) = " + " and ".join(sides)

    sentences = [
        "The title reads: What value does f(x) approach?",
        f"Axes appear with the curve f(x) = {expr.words}, and the question: the limit of f(x) "
        f"as x approaches {where} = ?",
        f"A dashed vertical line marks x = {where}.",
        "Two points on the curve, a round one on the left and a square one on the right, "
        f"start {show(start)} away from x = {where}.",
        f"A panel shows their values: {readings(start)}.",
        f"They slide to within {show(END_DISTANCE)} of x = {where}, where the panel shows "
        f"{readings(END_DISTANCE)}.",
    ]
    verdict, limit = limit_verdict(expr, point)
    if verdict == "exists":
        assert limit is not None
        value = f"{float(f'{limit:.6g}'):.4g}"
        sentences.append(
            f"The two sides agree: the limit of f(x) as x approaches {where} is {value}; an "
            f"open circle marks the point ({where}, {value}) on the curve."
        )
    else:
        sentences.append(f"The answer reads: {VERDICTS[verdict].replace(chr(10), ' ')}")
    return sentences


def build(params: dict) -> str:
    expr = common.checks.expression(params["expression"])
    point = params["point"]
    low, high = _window(expr, point)
    window = codegen.graph_window(expr, low, high)
    verdict, limit = limit_verdict(expr, point)
    point_tex = common.pi_tex(point)
    limit_lhs = rf"\lim_{{x \to {point_tex}}} f(x)"
    if verdict == "exists":
        assert limit is not None
        conclusion = fill(
            CONCLUSION_EXISTS,
            limit=literal(float(f"{limit:.6g}")),
            limit_lhs=limit_lhs.replace("{", "{{").replace("}", "}}"),
        )
    else:
        conclusion = fill(CONCLUSION_MISSING, verdict=literal(VERDICTS[verdict]))
    return fill(
        SKELETON,
        function=common.function_code(expr),
        fit_width=common.FIT_WIDTH,
        fit_frame=codegen.arrange_parts(
            {"diagram": (-7.1, -3.7, 2.5, 2.6), "panel": (2.9, -1.8, 6.9, 2.9)}
        ),
        point=literal(point),
        axes=common.axes_code(window),
        graph=common.plot_code(window),
        limit_tex=literal(rf"{limit_lhs} = \, ?"),
        formula_tex=literal(rf"f(x) = {expr.latex}"),
        start_distance=literal(_start_distance(expr, point)),
        end_distance=literal(END_DISTANCE),
        conclusion=conclusion.rstrip("\n"),
    )


def narration(params: dict) -> list[str]:
    expr = common.checks.expression(params["expression"])
    point = params["point"]
    where = common.pi_text(point)
    verdict, limit = limit_verdict(expr, point)
    if verdict == "exists":
        assert limit is not None
        answer = (
            f"Both sides agree, so the limit of f of x as x approaches {where} is "
            f"{float(f'{limit:.6g}'):.4g}."
        )
    else:
        answer = VERDICTS[verdict].replace("\n", " ")
    return [
        "What value does f of x approach?",
        f"Here is the curve f of x = {common.say_function(expr)}. What is its limit as x "
        f"approaches {where}?",
        f"A dashed line marks x = {where}.",
        f"Two points slide toward x = {where}, one from the left and one from the right, "
        "while the panel shows their values.",
        answer,
    ]
