"""Two linear equations in x and y: both lines graphed, solved by elimination, and the point
where they meet marked; parallel lines (no solution) and the same line twice said in words."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

from app.generators.offline import codegen, controls
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill
from app.generators.offline.extract import Prompt
from app.generators.offline.templates import common
from app.generators.offline.templates.common import Spoken

ID = "simultaneous_equations"
TITLE = "Simultaneous equations"
SUBJECT = "Math"
EXAMPLE_PROMPT = "Solve the simultaneous equations 2x + y = 7 and x - y = 2"
DEFAULTS = {"a1": 2, "b1": 1, "c1": 7, "a2": 1, "b2": -1, "c2": 2}
VARIANTS = [
    {"a1": 3, "b1": 2, "c1": 12, "a2": 2, "b2": 3, "c2": 13},
    {"a1": 1, "b1": 2, "c1": 4, "a2": 2, "b2": 4, "c2": 2},
    {"a1": 1, "b1": -1, "c1": -1, "a2": 2, "b2": -2, "c2": -2},
    {"a1": 1, "b1": 0, "c1": 3, "a2": 1, "b2": 3, "c2": 4},
]
TRIGGERS = {
    r"\bsimultaneous\b": 8,
    r"\bsystems? of (?:two )?(?:linear )?equations\b|\blinear systems?\b": 6,
    r"\bpair of (?:linear )?equations\b|\btwo (?:linear )?equations\b": 4,
    r"\belimination\b|\beliminate\b": 4,
    r"\bintersect\w*\b|\bpoint where\b|\bwhere (?:do |does )?(?:the )?(?:two )?lines\b": 2,
}
COEFFICIENT = 20
CONSTANT = 100
NAMES = ("a1", "b1", "c1", "a2", "b2", "c2")
CONTROLS = {
    "a1": controls.Number("x coefficient in (1)", -COEFFICIENT, COEFFICIENT, 1, integer=True),
    "b1": controls.Number("y coefficient in (1)", -COEFFICIENT, COEFFICIENT, 1, integer=True),
    "c1": controls.Number("Right-hand side of (1)", -CONSTANT, CONSTANT, 1, integer=True),
    "a2": controls.Number("x coefficient in (2)", -COEFFICIENT, COEFFICIENT, 1, integer=True),
    "b2": controls.Number("y coefficient in (2)", -COEFFICIENT, COEFFICIENT, 1, integer=True),
    "c2": controls.Number("Right-hand side of (2)", -CONSTANT, CONSTANT, 1, integer=True),
}

_TERM = re.compile(r"([+-]?)(\d+(?:\.\d+)?)?([xy]?)")
_PIECES = re.compile(r",|;|:|\band\b|\bwith\b|\bor\b|\n")
_WORD = re.compile(r"\b(?![xy]\b)[a-z][a-z']*\b")


def _side(text: str) -> tuple[float, float, float] | None:
    """(x coefficient, y coefficient, constant) of one side: "2x - 3y + 1"."""
    compact = text.replace(" ", "").replace("*", "")
    if not compact:
        return None
    totals = {"x": 0.0, "y": 0.0, "": 0.0}
    position = 0
    while position < len(compact):
        match = _TERM.match(compact, position)
        if match is None or match.end() == position:
            return None
        sign, digits, variable = match.groups()
        if digits is None and not variable:
            return None
        if position > 0 and not sign:
            return None  # "2x3y": two terms need a sign between them
        value = float(digits) if digits is not None else 1.0
        totals[variable] += -value if sign == "-" else value
        position = match.end()
    return totals["x"], totals["y"], totals[""]


def equation(text: str) -> tuple[float, float, float] | None:
    """a x + b y = c as (a, b, c), from "2x + y = 7" or "y = 3x - 2"; None if not linear."""
    if text.count("=") != 1:
        return None
    left, right = (_side(part) for part in text.split("="))
    if left is None or right is None:
        return None
    a, b, c = left[0] - right[0], left[1] - right[1], right[2] - left[2]
    return (a, b, c) if a or b else None


def _equations(prompt: Prompt) -> list[tuple[float, float, float]]:
    found = []
    for piece in _PIECES.split(prompt.text):
        candidate = _WORD.sub(" ", piece).strip(" .?!")
        if "x" not in candidate and "y" not in candidate:
            continue
        parsed = equation(candidate)
        if parsed is not None:
            found.append(parsed)
    return found[:2]


def bonus(prompt: Prompt) -> int:
    return 6 if len(_equations(prompt)) == 2 else 0


def extract(prompt: Prompt) -> dict:
    found = _equations(prompt)
    if len(found) < 2:
        return {}
    (a1, b1, c1), (a2, b2, c2) = found
    return {"a1": a1, "b1": b1, "c1": c1, "a2": a2, "b2": b2, "c2": c2}


def validate(params: dict, notes: list[str]) -> dict:
    for name in NAMES:
        limit = CONSTANT if name.startswith("c") else COEFFICIENT
        params[name] = checks.integer(params[name], name, low=-limit, high=limit)
    for index in ("1", "2"):
        if params["a" + index] == 0 and params["b" + index] == 0:
            raise checks.fail(
                f"Equation ({index}) has no x and no y term; give two equations like 2x + y = 7."
            )
    return params


# ---------------------------------------------------------------- the working, on the host


@dataclass(frozen=True)
class Working:
    """What the video's elimination shows, computed as its code computes it."""

    lines: list[str]  # each step after the two equations, in plain words and numbers
    kind: str  # "one", "none" or "same"
    x: Fraction | None
    y: Fraction | None


def term(coefficient: int, variable: str, first: bool) -> str:
    """One term as written in an equation: 2x, - y, + 3."""
    sign = "-" if coefficient < 0 else "" if first else "+"
    size = abs(coefficient)
    body = f"{'' if size == 1 and variable else size}{variable}"
    return f"{sign}{body}" if first else f" {sign} {body}"


def equation_text(a: int, b: int, c: int | Fraction) -> str:
    left = ""
    for coefficient, variable in ((a, "x"), (b, "y")):
        if coefficient:
            left += term(coefficient, variable, not left)
    return f"{left} = {number_text(c)}"


def number_text(value: int | Fraction) -> str:
    return str(Fraction(value))


def working(params: dict) -> Working:
    """The video's eliminate(), line for line, in words: what each step on screen says."""
    a1, b1, c1, a2, b2, c2 = (int(params[name]) for name in NAMES)
    lines = []
    if b1 and b2:
        common = math.gcd(abs(b1), abs(b2))
        k1, k2 = abs(b2) // common, abs(b1) // common
        if k1 != 1:
            lines.append(f"Equation (1) times {k1}: {equation_text(k1 * a1, k1 * b1, k1 * c1)}.")
        if k2 != 1:
            lines.append(f"Equation (2) times {k2}: {equation_text(k2 * a2, k2 * b2, k2 * c2)}.")
        same_sign = (b1 > 0) == (b2 > 0)
        sign = -1 if same_sign else 1
        a, c = k1 * a1 + sign * k2 * a2, k1 * c1 + sign * k2 * c2
        verb = "Subtract" if same_sign else "Add"
        if a == 0:
            lines.append(f"{verb}: 0 = {c}.")
            return Working(lines, "same" if c == 0 else "none", None, None)
        lines.append(f"{verb} to eliminate y: {equation_text(a, 0, c)}.")
        x = Fraction(c, a)
        y = (c1 - a1 * x) / b1
        lines.append(f"x = {number_text(x)}.")
        lines.append(f"Put x = {number_text(x)} into (1): y = {number_text(y)}.")
        return Working(lines, "one", x, y)
    # An equation with no y term gives x straight away.
    a_first, c_first, which = (a1, c1, 1) if b1 == 0 else (a2, c2, 2)
    x = Fraction(c_first, a_first)
    lines.append(f"({which}) has no y term, so x = {number_text(x)}.")
    other_a, other_b, other_c = (a2, b2, c2) if which == 1 else (a1, b1, c1)
    other = 3 - which
    if other_b == 0:
        other_x = Fraction(other_c, other_a)
        lines.append(f"({other}) has no y term either: x = {number_text(other_x)}.")
        return Working(lines, "same" if other_x == x else "none", None, None)
    y = (other_c - other_a * x) / other_b
    lines.append(f"Put x = {number_text(x)} into ({other}): y = {number_text(y)}.")
    return Working(lines, "one", x, y)


SKELETON = r"""from manim import *
import math
import numpy as np
from fractions import Fraction

# The two equations, a x + b y = c
a1, b1, c1 = <<first>>  # equation (1)
a2, b2, c2 = <<second>>  # equation (2)


def term(coefficient, variable, first):
    # One term as written in an equation: 2x, - y, + 3
    sign = "-" if coefficient < 0 else "" if first else "+"
    size = abs(coefficient)
    body = f"{'' if size == 1 and variable else size}{variable}"
    return f"{sign}{body}" if first else f" {sign} {body}"


def tex(value):
    # A whole number or a fraction for a formula: 3, -\frac{7}{2}
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    sign = "-" if value < 0 else ""
    return rf"{sign}\frac{{{abs(value.numerator)}}}{{{value.denominator}}}"


def equation(a, b, c):
    left = ""
    for coefficient, variable in ((a, "x"), (b, "y")):
        if coefficient:
            left += term(coefficient, variable, not left)
    return f"{left} = {tex(c)}"


def eliminate():
    # The elimination, line by line; returns (lines, the point where the lines meet or None,
    # "one" / "none" (parallel) / "same" (one line twice))
    lines = [rf"(1)\quad {equation(a1, b1, c1)}", rf"(2)\quad {equation(a2, b2, c2)}"]
    if b1 and b2:
        # Scale the equations so their y terms are the same size, then add or subtract
        common = math.gcd(abs(b1), abs(b2))
        k1, k2 = abs(b2) // common, abs(b1) // common
        if k1 != 1:
            lines.append(rf"(1) \times {k1}:\ {equation(k1 * a1, k1 * b1, k1 * c1)}")
        if k2 != 1:
            lines.append(rf"(2) \times {k2}:\ {equation(k2 * a2, k2 * b2, k2 * c2)}")
        same_sign = (b1 > 0) == (b2 > 0)
        sign = -1 if same_sign else 1
        a, c = k1 * a1 + sign * k2 * a2, k1 * c1 + sign * k2 * c2
        verb = "subtract" if same_sign else "add"
        if a == 0:
            lines.append(rf"\text{{{verb.capitalize()}: }} 0 = {c}")
            return lines, None, "same" if c == 0 else "none"
        lines.append(rf"\text{{{verb.capitalize()} to eliminate }} y:\ {equation(a, 0, c)}")
        x = Fraction(c, a)
        lines.append(f"x = {tex(x)}")
        y = (c1 - a1 * x) / b1
        lines.append(rf"\text{{Put }} x = {tex(x)} \text{{ into (1): }} y = {tex(y)}")
        return lines, (x, y), "one"
    # An equation with no y term gives x straight away
    a_first, c_first, which = (a1, c1, 1) if b1 == 0 else (a2, c2, 2)
    x = Fraction(c_first, a_first)
    lines.append(rf"\text{{({which}) has no }} y \text{{ term, so }} x = {tex(x)}")
    other_a, other_b, other_c = (a2, b2, c2) if which == 1 else (a1, b1, c1)
    other = 3 - which
    if other_b == 0:
        other_x = Fraction(other_c, other_a)
        lines.append(rf"\text{{({other}) has no }} y \text{{ term either: }} x = {tex(other_x)}")
        return lines, None, "same" if other_x == x else "none"
    y = (other_c - other_a * x) / other_b
    lines.append(rf"\text{{Put }} x = {tex(x)} \text{{ into ({other}): }} y = {tex(y)}")
    return lines, (x, y), "one"


def nearest_point(a, b, c):
    # The point of a x + b y = c closest to the origin
    size = a * a + b * b
    return c * a / size, c * b / size


<<tick_step>>


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


<<places>>


def clearest_side(point, segments):
    # The corner beside a point farthest from every drawn line, for the point's label
    def distance(spot, start, end):
        along = end - start
        t = np.clip(np.dot(spot - start, along) / np.dot(along, along), 0, 1)
        return np.linalg.norm(spot - (start + t * along))

    return max(
        (UR, UL, DR, DL),
        key=lambda side: min(distance(point + 0.6 * side, *ends) for ends in segments),
    )


def make_room(axes, label):
    # Drop any tick number a label would sit on, so both stay readable
    for numbers in (axes.x_axis.numbers, axes.y_axis.numbers):
        for number in list(numbers):
            if overlaps(number, label):
                numbers.remove(number)


steps, meeting, kind = eliminate()

# The window: the origin, the meeting point (or each line's point nearest the origin), and room
key_points = [(0, 0)] + (
    [meeting] if meeting else [nearest_point(a1, b1, c1), nearest_point(a2, b2, c2)]
)
x_low = math.floor(min(float(p[0]) for p in key_points)) - 3
x_high = math.ceil(max(float(p[0]) for p in key_points)) + 3
y_low = math.floor(min(float(p[1]) for p in key_points)) - 3
y_high = math.ceil(max(float(p[1]) for p in key_points)) + 3
x_step, y_step = tick_step(x_high - x_low, 8), tick_step(y_high - y_low, 6)
x_low, x_high = math.floor(x_low / x_step) * x_step, math.ceil(x_high / x_step) * x_step
y_low, y_high = math.floor(y_low / y_step) * y_step, math.ceil(y_high / y_step) * y_step


def window_ends(a, b, c):
    # Where a x + b y = c crosses the edges of the window: the two ends of the drawn segment
    ends = []
    if b != 0:
        ends += [(x, (c - a * x) / b) for x in (x_low, x_high)]
    if a != 0:
        ends += [((c - b * y) / a, y) for y in (y_low, y_high)]
    inside = [
        (float(x), float(y))
        for x, y in ends
        if x_low - 1e-9 <= x <= x_high + 1e-9 and y_low - 1e-9 <= y <= y_high + 1e-9
    ]
    inside.sort()
    return inside[0], inside[-1]


class SimultaneousEquations(Scene):
    def construct(self):
<<fit_frame>>
        # Title
        title = Text("Simultaneous equations", font_size=40)
        fit_title(self, title).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # Axes on the left; the elimination goes in a panel on the right
        axes = Axes(
            x_range=[x_low, x_high, x_step],
            y_range=[y_low, y_high, y_step],
            x_length=6.4,
            y_length=5.6,
            tips=False,
            axis_config={"include_numbers": True, "font_size": 20},
            x_axis_config={"decimal_number_config": {"num_decimal_places": places(x_step)}},
            y_axis_config={"decimal_number_config": {"num_decimal_places": places(y_step)}},
        ).move_to([-3.5, -0.55, 0])
        put(axes, graph_area)
        axis_labels = axes.get_axis_labels(x_label="x", y_label="y")

        # Each line as a segment across the window: (1) solid, (2) dashed, each named at one end
        lines = VGroup()
        names = VGroup()
        segments = []
        for index, (a, b, c), along, color in (
            (1, (a1, b1, c1), 0.88, ACCENT),
            (2, (a2, b2, c2), 0.12, SECONDARY),
        ):
            start, end = (axes.c2p(*point) for point in window_ends(a, b, c))
            kind_of_line = Line if index == 1 else DashedLine
            drawn = kind_of_line(start, end, color=color, stroke_width=5)
            direction = (end - start) / np.linalg.norm(end - start)
            normal = np.array([-direction[1], direction[0], 0])
            name = MathTex(f"({index})", font_size=30, color=color)
            name.move_to(start + along * (end - start) + 0.35 * normal)
            lines.add(drawn)
            names.add(name)
            segments.append((start, end))
        if meeting:
            point = Dot(axes.c2p(*map(float, meeting)), radius=0.11, color=HIGHLIGHT)
            point_label = MathTex(f"({tex(meeting[0])}, {tex(meeting[1])})", font_size=32)
            point_label.next_to(point, clearest_side(point.get_center(), segments), buff=0.12)
            make_room(axes, point_label)
        for name in names:
            make_room(axes, name)
        self.play(Create(axes), FadeIn(axis_labels), run_time=1.2)

        # The working, one line at a time, beside the graph
        panel = VGroup(*[MathTex(step, font_size=32) for step in steps])
        panel.arrange(DOWN, aligned_edge=LEFT, buff=0.24)
        fit_width(panel, 5.2)
        if panel.height > 5.6:
            panel.scale_to_fit_height(5.6)
        put(panel, working, 3.95, -0.2)
        panel[0].set_color(ACCENT)
        panel[1].set_color(SECONDARY)
        self.play(Write(panel[0]), Create(lines[0]), FadeIn(names[0]), run_time=1.5)
        self.play(Write(panel[1]), Create(lines[1]), FadeIn(names[1]), run_time=1.5)
        for step in panel[2:]:
            self.play(Write(step), run_time=1)

        # The answer: the point where the lines meet, or why there is none
        if meeting:
            answer = panel[-1]
            self.play(FadeIn(point, scale=1.5), Write(point_label), run_time=1)
            self.play(Create(SurroundingRectangle(answer, color=HIGHLIGHT)), run_time=0.8)
        else:
            verdict = (
                "Parallel lines never meet: no solution."
                if kind == "none"
                else "The same line twice: infinitely many solutions."
            )
            verdict_text = Text(verdict, font_size=26, color=HIGHLIGHT)
            scaled(fit_width(verdict_text, 5.4), working).next_to(panel, DOWN, buff=0.35)
            self.play(Write(verdict_text), run_time=1.2)
        self.wait(2)
"""


def describe(params: dict) -> list[str]:
    work = working(params)
    a1, b1, c1, a2, b2, c2 = (int(params[name]) for name in NAMES)
    sentences = [
        "The title reads: Simultaneous equations.",
        "Axes appear on the left.",
        f"Equation (1), {equation_text(a1, b1, c1)}, is written beside them and its line is "
        "drawn solid, labelled (1).",
        f"Equation (2), {equation_text(a2, b2, c2)}, is written under it and its line is drawn "
        "dashed, labelled (2).",
        "The elimination follows line by line.",
    ]
    sentences += work.lines
    if work.kind == "one":
        assert work.x is not None and work.y is not None
        sentences.append(
            f"A dot marks where the lines cross, labelled ({number_text(work.x)}, "
            f"{number_text(work.y)}): the solution x = {number_text(work.x)}, "
            f"y = {number_text(work.y)}, boxed."
        )
    elif work.kind == "none":
        sentences.append("The video ends on the words: Parallel lines never meet: no solution.")
    else:
        sentences.append(
            "The two lines lie on top of each other, and the video ends on the words: "
            "The same line twice: infinitely many solutions."
        )
    return sentences


def build(params: dict) -> str:
    first = ", ".join(str(int(params[name])) for name in ("a1", "b1", "c1"))
    second = ", ".join(str(int(params[name])) for name in ("a2", "b2", "c2"))
    return fill(
        SKELETON,
        places=common.PLACES,
        tick_step=common.TICK_STEP,
        fit_frame=codegen.arrange_parts(
            {"graph_area": (-6.9, -3.7, -0.1, 2.6), "working": (1.3, -3.6, 6.9, 2.6)}
        ),
        first=first,
        second=second,
    )


def narration(params: dict) -> list[str | Spoken]:
    # The values are worked out in the scene from its input lines, like everything it shows
    return [
        "Simultaneous equations.",
        "Here are the two equations, each drawn as a line: the first solid, the second dashed.",
        "Now eliminate one unknown, one line at a time.",
        Spoken(
            (
                'f"The lines cross where x is {meeting[0]} and y is {meeting[1]}."',
                "if meeting",
                'else "Parallel lines never meet, so there is no solution." if kind == "none"',
                'else "It is the same line twice, so there are infinitely many solutions."',
            )
        ),
    ]
