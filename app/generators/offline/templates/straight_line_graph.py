"""y = mx + c: the line from its gradient and intercept, the y-intercept marked, and a
rise/run triangle that shows gradient = rise / run = m."""

from __future__ import annotations

import re
from fractions import Fraction

from app.generators.offline import codegen, controls
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill
from app.generators.offline.extract import CONST, NUM, Prompt, to_number
from app.generators.offline.templates import common
from app.generators.offline.templates.common import Spoken

ID = "straight_line_graph"
TITLE = "Straight line graph: y = mx + c"
SUBJECT = "Math"
EXAMPLE_PROMPT = "Straight line graph of y = 2x + 1 with its gradient and y-intercept"
DEFAULTS = {"m": 2.0, "c": 1.0, "x1": 1.0, "x2": 3.0}
VARIANTS = [
    {"m": -0.5, "c": 3.0, "x1": 2.0, "x2": 4.0},
    {"m": 2.0, "c": -2.0, "x1": 1.0, "x2": 4.0},
    {"m": 0.0, "c": -3.0, "x1": -2.0, "x2": 2.0},
]
TRIGGERS = {
    r"\bstraight[- ]line\b": 6,
    r"\by\s*=\s*mx\s*\+\s*[cb]\b|\bmx\s*\+\s*[cb]\b": 8,
    r"\brise (?:over|/|and|divided by) (?:the )?run\b|\brise\b.*\brun\b": 6,
    r"\by[- ]?intercepts?\b": 4,
    r"\b(?:gradient|slope) of (?:the |a )?(?:straight )?line\b": 5,
    r"\bgradients?\b|\bslopes?\b": 1,
    r"\bline (?:through|joining|passing through|between)\b|\bthrough (?:the )?points\b": 3,
    r"\blinear (?:graph|function)\b": 3,
}
LIMIT_M = 20.0
LIMIT_C = 100.0
LIMIT_X = 20.0

CONTROLS = {
    "m": controls.Number("Gradient m", -LIMIT_M, LIMIT_M, step=0.5),
    "c": controls.Number("y-intercept c", -LIMIT_C, LIMIT_C, step=0.5),
    # The triangle is at least 0.5 wide, so its start stops short of the right end, and so on.
    "x1": controls.Number("Triangle starts at x", -LIMIT_X, LIMIT_X - 0.5, step=0.5),
    "x2": controls.Number("Triangle ends at x", -LIMIT_X + 0.5, LIMIT_X, step=0.5),
}

_POINT = rf"\(\s*({NUM})\s*,\s*({NUM})\s*\)"


def _linear(prompt: Prompt) -> tuple[Fraction, Fraction] | None:
    """(m, c) when the prompt's expression is a straight line in x."""
    found = prompt.expression
    if found is None:
        return None
    coefficients = found.expr.polynomial(max_degree=1)
    if coefficients is None:
        return None
    return Fraction(coefficients[1]), Fraction(coefficients[0])


def _points(prompt: Prompt) -> list[tuple[float, float]]:
    return [(float(a), float(b)) for a, b in re.findall(_POINT, prompt.text)][:2]


def bonus(prompt: Prompt) -> int:
    # A straight line named by its formula or two points adds to the line words; a curve
    # ("the gradient of y = x^3") belongs to the derivative templates.
    found = prompt.expression
    if found is not None and found.expr.text == "x" and not found.marked:
        return 0  # a lone x ("9, x, 15") is a name for a number, not a line
    if found is not None and found.expr.has_x:
        return 3 if _linear(prompt) is not None else -6
    if len(_points(prompt)) == 2:
        return 3
    return 0


def _run_for(m: float) -> int:
    """A run that makes the rise a whole number when m is a simple fraction: 1/3 → 3."""
    fraction = _exact(m)
    return fraction.denominator if fraction is not None and fraction.denominator > 1 else 2


def extract(prompt: Prompt) -> dict:
    params: dict = {}
    points = _points(prompt)
    if len(points) == 2 and prompt.has(r"\bthrough\b|\bjoin|\bpoints?\b|\bbetween\b"):
        (xa, ya), (xb, yb) = sorted(points)
        if xa == xb:
            raise checks.fail(
                f"The line through ({codegen.show(xa)}, {codegen.show(ya)}) and "
                f"({codegen.show(xb)}, {codegen.show(yb)}) is vertical: it has no gradient."
            )
        gradient = (yb - ya) / (xb - xa)
        return {"m": gradient, "c": ya - gradient * xa, "x1": xa, "x2": xb}
    line = _linear(prompt)
    if line is not None:
        params["m"], params["c"] = float(line[0]), float(line[1])
    m = _number(prompt, r"\bm\s*=|\bgradient(?: of)?|\bslope(?: of)?")
    c = _number(prompt, r"\b[cb]\s*=|\by[- ]?intercept(?: of| at)?|\bintercept(?: of| at)?")
    if m is not None and "m" not in params:
        params["m"] = m
    if c is not None and "c" not in params:
        params["c"] = c
    if "m" in params:
        start = 1.0
        params["x1"], params["x2"] = start, start + _run_for(params["m"])
    return params


def _number(prompt: Prompt, pattern: str) -> float | None:
    match = prompt.search(rf"(?:{pattern})\s*(?:=|:|is|of)?\s*({CONST})(?![\d.,]\s*\d)(?!\s*[x(])")
    return to_number(match.group(1)) if match else None


def validate(params: dict, notes: list[str]) -> dict:
    m = checks.number(params["m"], "m", low=-LIMIT_M, high=LIMIT_M)
    c = checks.number(params["c"], "c", low=-LIMIT_C, high=LIMIT_C)
    x1 = checks.number(params["x1"], "x1", low=-LIMIT_X, high=LIMIT_X)
    x2 = checks.number(params["x2"], "x2", low=-LIMIT_X, high=LIMIT_X)
    if x1 > x2:
        x1, x2 = x2, x1
        notes.append("The rise/run triangle is drawn from left to right, so x1 and x2 swapped.")
    if x2 - x1 < 0.5:
        raise checks.fail("The rise/run triangle needs x1 and x2 at least 0.5 apart.")
    params.update(m=m, c=c, x1=x1, x2=x2)
    return params


SKELETON = r"""from manim import *
import math
from fractions import Fraction

m, c = <<m>>, <<c>>  # the gradient and the y-intercept: y = m x + c
x1, x2 = <<x1>>, <<x2>>  # the rise/run triangle goes from x = x1 to x = x2


def line(x):
    return m * x + c


def exact(value):
    # The number as a simple fraction when it is one: -0.5 -> Fraction(-1, 2)
    fraction = Fraction(value).limit_denominator(12)
    return fraction if abs(float(fraction) - value) < 1e-9 else None


def text_of(value):
    # For plain text: 2.0 -> "2", -0.5 -> "-1/2", 0.1234 -> "0.12"
    fraction = exact(value)
    if fraction is None:
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(fraction)


def tex_of(value):
    # For formulas: -0.5 -> -\frac{1}{2}
    fraction = exact(value)
    if fraction is None or fraction.denominator == 1:
        return text_of(value)
    sign = "-" if fraction < 0 else ""
    return rf"{sign}\frac{{{abs(fraction.numerator)}}}{{{fraction.denominator}}}"


def bracketed(value):
    # A negative number after a minus sign goes in brackets: 3 - (-1)
    return f"({tex_of(value)})" if value < 0 else tex_of(value)


def equation_tex():
    # y = 2x + 1, y = -x + 3, y = -\frac{1}{2}x, y = 4
    if m == 0:
        return f"y = {tex_of(c)}"
    slope = {1: "", -1: "-"}.get(m, tex_of(m))
    constant = "" if c == 0 else f" {'+' if c > 0 else '-'} {tex_of(abs(c))}"
    return f"y = {slope}x{constant}"


<<tick_step>>


<<places>>


def fit_width(label, max_width):
    if label.width > max_width:
        label.scale_to_fit_width(max_width)
    return label


def overlaps(first, second, margin=0.05):
    return (
        first.get_left()[0] < second.get_right()[0] + margin
        and second.get_left()[0] < first.get_right()[0] + margin
        and first.get_bottom()[1] < second.get_top()[1] + margin
        and second.get_bottom()[1] < first.get_top()[1] + margin
    )


def make_room(axes, label):
    # Drop any tick number a label would sit on, so both stay readable
    for numbers in (axes.x_axis.numbers, axes.y_axis.numbers):
        for number in list(numbers):
            if overlaps(number, label):
                numbers.remove(number)


# The window: x from left of 0 and x1 to right of x2, y over the line's values there
x_low = math.floor(min(0, x1)) - 1
x_high = max(math.ceil(max(0, x2)) + 1, x_low + 6)
y_ends = [line(x_low), line(x_high), 0, c]
y_step = tick_step(max(max(y_ends) - min(y_ends), 1), 6)
y_low = math.floor(min(y_ends) / y_step - 0.3) * y_step
y_high = math.ceil(max(y_ends) / y_step + 0.3) * y_step
x_step = tick_step(x_high - x_low, 8)
y1, y2 = line(x1), line(x2)
rise, run = y2 - y1, x2 - x1


class StraightLineGraph(Scene):
    def construct(self):
<<fit_frame>>
        # Title
        title = Text("Straight line graph", font_size=40)
        fit_title(self, title).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # Axes on the left; the working goes in a panel on the right
        axes = Axes(
            x_range=[x_low, x_high, x_step],
            y_range=[y_low, y_high, y_step],
            x_length=7.4,
            y_length=5.6,
            tips=False,
            axis_config={"include_numbers": True, "font_size": 20},
            x_axis_config={"decimal_number_config": {"num_decimal_places": places(x_step)}},
            y_axis_config={"decimal_number_config": {"num_decimal_places": places(y_step)}},
        ).move_to([-2.9, -0.55, 0])
        put(axes, diagram)
        axis_labels = axes.get_axis_labels(x_label="x", y_label="y")

        # The line, the y-intercept and the triangle's corners, with their labels
        graph = axes.plot(line, x_range=[x_low, x_high], color=ACCENT, stroke_width=5)
        intercept = Dot(axes.c2p(0, c), radius=0.11, color=HIGHLIGHT)
        intercept_label = MathTex(f"(0, {tex_of(c)})", font_size=30)
        intercept_label.next_to(intercept, UL if m > 0 else DL, buff=0.12)
        start, corner, end = axes.c2p(x1, y1), axes.c2p(x2, y1), axes.c2p(x2, y2)
        run_leg = Line(start, corner, color=SECONDARY, stroke_width=5)
        run_label = MathTex(rf"\text{{run}} = {tex_of(run)}", font_size=28)
        run_label.next_to(run_leg, DOWN if rise >= 0 else UP, buff=0.15)
        rise_leg = DashedLine(corner, end, color=TERTIARY, stroke_width=5)
        rise_label = MathTex(rf"\text{{rise}} = {tex_of(rise)}", font_size=28)
        rise_label.next_to(Line(corner, end) if rise != 0 else corner, RIGHT, buff=0.15)
        corners = VGroup(Dot(start, color=TEXT), Dot(end, color=TEXT))
        for label in (intercept_label, run_label, rise_label):
            make_room(axes, label)
        self.play(Create(axes), FadeIn(axis_labels), run_time=1.5)

        # The equation, then the line drawn from left to right
        panel_x = 4.55
        equation = MathTex(equation_tex(), font_size=44, color=ACCENT)
        put(fit_width(equation, 4.2), panel, panel_x, 2.3)
        self.play(Write(equation), run_time=1)
        self.play(Create(graph), run_time=2)

        # The y-intercept: where the line crosses the y-axis, at x = 0
        intercept_text = MathTex(rf"\text{{y-intercept: }} (0, {tex_of(c)})", font_size=34)
        put(fit_width(intercept_text, 4.2), panel, panel_x, 1.35)
        self.play(
            FadeIn(intercept, scale=1.5),
            Write(intercept_label),
            Write(intercept_text),
            run_time=1.5,
        )

        # The rise/run triangle between the points at x1 and x2
        run_text = MathTex(
            rf"\text{{run}} = {tex_of(x2)} - {bracketed(x1)} = {tex_of(run)}", font_size=34
        )
        rise_text = MathTex(
            rf"\text{{rise}} = {tex_of(y2)} - {bracketed(y1)} = {tex_of(rise)}", font_size=34
        )
        gradient_text = MathTex(
            rf"\text{{gradient}} = \frac{{\text{{rise}}}}{{\text{{run}}}}"
            rf" = \frac{{{tex_of(rise)}}}{{{tex_of(run)}}} = {tex_of(rise / run)}",
            font_size=36,
            color=HIGHLIGHT,
        )
        working = VGroup(run_text, rise_text, gradient_text).arrange(DOWN, buff=0.4)
        scaled(fit_width(working, 4.2), panel).next_to(intercept_text, DOWN, buff=0.5)
        self.play(FadeIn(corners), run_time=0.6)
        self.play(Create(run_leg), Write(run_label), Write(run_text), run_time=1.2)
        if rise != 0:
            self.play(Create(rise_leg), Write(rise_label), Write(rise_text), run_time=1.2)
        else:
            self.play(Write(rise_label), Write(rise_text), run_time=1.2)
        self.play(Write(gradient_text), run_time=1.2)
        self.play(Create(SurroundingRectangle(gradient_text, color=HIGHLIGHT)), run_time=0.8)
        self.wait(2)
"""


def _exact(value: float) -> Fraction | None:
    fraction = Fraction(value).limit_denominator(12)
    return fraction if abs(float(fraction) - value) < 1e-9 else None


def number_text(value: float) -> str:
    """How the video writes a number: 2 → "2", -0.5 → "-1/2", 0.1234 → "0.12"."""
    fraction = _exact(value)
    if fraction is None:
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(fraction)


def equation_text(m: float, c: float) -> str:
    if m == 0:
        return f"y = {number_text(c)}"
    slope = {1: "", -1: "-"}.get(m, number_text(m))  # type: ignore[call-overload]
    constant = "" if c == 0 else f" {'+' if c > 0 else '-'} {number_text(abs(c))}"
    return f"y = {slope}x{constant}"


def _minus(value: float) -> str:
    return f"({number_text(value)})" if value < 0 else number_text(value)


def describe(params: dict) -> list[str]:
    # The values exactly as the emitted code holds them
    m, c, x1, x2 = (float(codegen.number_literal(params[k])) for k in ("m", "c", "x1", "x2"))
    y1, y2 = m * x1 + c, m * x2 + c
    rise, run = y2 - y1, x2 - x1
    rise_words = (
        "a dashed rise " + ("up" if rise > 0 else "down") if rise != 0 else "no rise at all"
    )
    direction = "rises" if m > 0 else "falls" if m < 0 else "stays level"
    return [
        "The title reads: Straight line graph.",
        f"Axes appear, and the equation {equation_text(m, c)} is written beside them.",
        f"The line is drawn from left to right; it {direction} as x increases.",
        f"A dot marks the y-intercept, where the line crosses the y-axis at (0, {number_text(c)}).",
        f"Dots mark the points ({number_text(x1)}, {number_text(y1)}) and "
        f"({number_text(x2)}, {number_text(y2)}) on the line, joined by a right-angled "
        f"triangle: a solid run across and {rise_words}.",
        f"run = {number_text(x2)} - {_minus(x1)} = {number_text(run)}.",
        f"rise = {number_text(y2)} - {_minus(y1)} = {number_text(rise)}.",
        f"gradient = rise / run = {number_text(rise)} / {number_text(run)} = "
        f"{number_text(rise / run)}, boxed as the answer: the m in y = mx + c.",
    ]


def build(params: dict) -> str:
    return fill(
        SKELETON,
        places=common.PLACES,
        tick_step=common.TICK_STEP,
        fit_frame=codegen.arrange_parts(
            {"diagram": (-7.0, -3.7, 1.6, 2.6), "panel": (2.3, -2.0, 6.8, 2.8)}
        ),
        m=codegen.number_literal(params["m"]),
        c=codegen.number_literal(params["c"]),
        x1=codegen.number_literal(params["x1"]),
        x2=codegen.number_literal(params["x2"]),
    )


def narration(params: dict) -> list[str | Spoken]:
    # The values are worked out in the scene from its input lines, like everything it shows
    return [
        "A straight line graph.",
        "Here are the axes.",
        Spoken(
            (
                'f"The line has gradient {text_of(m)}, so it "',
                '+ ("rises" if m > 0 else "falls" if m < 0 else "stays level")',
                '+ " as x increases."',
            )
        ),
        Spoken(('f"It crosses the y-axis at {text_of(c)}: that is c, the y-intercept."',)),
        Spoken(
            (
                'f"Between x equals {text_of(x1)} and {text_of(x2)}, the run is {text_of(run)} "',
                'f"and the rise is {text_of(rise)}, so the gradient, rise over run, is "',
                'f"{text_of(m)}."',
            )
        ),
    ]
