"""Pythagoras: squares on the legs of a right triangle add up to the square on the hypotenuse."""

from __future__ import annotations

import math

from app.generators.offline import codegen
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.controls import Number
from app.generators.offline.extract import Prompt

LENGTH = r"\d+(?:\.\d+)?"  # side lengths are never negative

ID = "pythagorean_theorem"
TITLE = "Pythagorean theorem"
SUBJECT = "Math"
EXAMPLE_PROMPT = "Prove the Pythagorean theorem for a right triangle with legs 3 and 4"
DEFAULTS = {"a": 3.0, "b": 4.0}
VARIANTS = [{"a": 5.0, "b": 12.0}, {"a": 2.5, "b": 2.5}]
TRIGGERS = {
    r"\bpythagor\w*": 8,
    r"\bhypotenuse\b": 6,
    r"\bright(?:[- ]angled?)? triangles?\b": 4,
    r"\blegs?\b": 2,
    r"\ba\s*\^?\s*2\s*\+\s*b\s*\^?\s*2\s*=\s*c\s*\^?\s*2|a²\s*\+\s*b²": 8,
}


def extract(prompt: Prompt) -> dict:
    legs = prompt.search(
        rf"\b(?:legs?|sides?|shorter sides)\s*(?:of\s*(?:length\s*)?|are\s*|=\s*|:\s*)?"
        rf"({LENGTH})\s*(?:cm|m|units?)?\s*(?:,|and|&|by|x)\s*({LENGTH})"
    )
    if legs:
        return {"a": float(legs.group(1)), "b": float(legs.group(2))}
    a = prompt.number_after(r"\ba\s*=")
    b = prompt.number_after(r"\bb\s*=")
    if a is not None and b is not None:
        return {"a": a, "b": b}
    # "a 6-8-10 triangle", "a 5, 12, 13 triangle": the two shorter sides are the legs
    triple = prompt.search(
        rf"({LENGTH})\s*(?:-|,)\s*({LENGTH})\s*(?:-|,|,? and)\s*({LENGTH})\s*(?:right )?triangle"
    )
    if triple:
        a, b, _ = sorted(float(side) for side in triple.groups())
        return {"a": a, "b": b}
    sides = prompt.search(
        rf"({LENGTH})\s*(?:-|,|by|x|and)\s*({LENGTH})\s*(?:-|,|and)?\s*(?:right|triangle)"
    )
    if sides:
        return {"a": float(sides.group(1)), "b": float(sides.group(2))}
    return {}


# Narrower than validate() alone: the legs must stay within 8 times each other, so with the
# other leg at its default (a = 3, b = 4) every length offered here can be drawn.
CONTROLS = {
    "a": Number("Leg a (along the bottom)", 0.5, 32, step=0.5),
    "b": Number("Leg b (up the side)", 0.5, 24, step=0.5),
}


def validate(params: dict, notes: list[str]) -> dict:
    a = checks.number(params["a"], "a", low=0.1, high=1000)
    b = checks.number(params["b"], "b", low=0.1, high=1000)
    if max(a, b) / min(a, b) > 8:
        raise checks.fail(
            "The legs are too different to draw clearly; keep one at most 8 times the other."
        )
    params["a"], params["b"] = a, b
    return params


SKELETON = '''\
from manim import *
import math
import numpy as np

a, b = <<a>>, <<b>>  # the two legs
c = math.sqrt(a**2 + b**2)  # the hypotenuse, by Pythagoras


def fmt(value):
    # 3.0 -> "3", 5.8309 -> "5.83" for labels
    return f"{value:.2f}".rstrip("0").rstrip(".")


def fit_width(label, max_width):
    """Shrink a label wider than max_width so it stays inside its shape."""
    if label.width > max_width:
        label.scale_to_fit_width(max_width)
    return label


class PythagoreanTheorem(Scene):
    def construct(self):
<<fit_frame>>
        scale = <<scale>>  # screen units per unit of length, so everything fits on the left

        # Title
        title = Text("The Pythagorean theorem", font_size=40)
        fit_title(self, title).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # The right triangle: right angle at C, leg a along the bottom, leg b up the side
        C = np.array([0.0, 0.0, 0.0])
        A = C + RIGHT * a * scale
        B = C + UP * b * scale
        triangle = Polygon(C, A, B, color=TEXT, stroke_width=4)
        right_angle = RightAngle(Line(C, A), Line(C, B), length=min(0.3, 0.25 * a * scale))

        # A square on each side, built outwards
        outward = np.array([b, a, 0.0]) * scale  # perpendicular to AB, as long as AB
        square_a = Polygon(C, A, A + DOWN * a * scale, C + DOWN * a * scale)
        square_b = Polygon(C, C + LEFT * b * scale, B + LEFT * b * scale, B)
        square_c = Polygon(A, A + outward, B + outward, B)
        for square, color in [(square_a, ACCENT), (square_b, SECONDARY), (square_c, TERTIARY)]:
            square.set_stroke(color, 3).set_fill(color, opacity=0.35)

        # Each square's area, written inside it
        area_a = MathTex(f"a^2 = {fmt(a**2)}", font_size=32).move_to(square_a)
        area_b = MathTex(f"b^2 = {fmt(b**2)}", font_size=32).move_to(square_b)
        area_c = MathTex(f"c^2 = {fmt(c**2)}", font_size=32).move_to(square_c)
        for label, side in [(area_a, a), (area_b, b), (area_c, c)]:
            fit_width(label, 0.75 * side * scale)

        # Place the whole diagram on the left half of the screen
        diagram = VGroup(
            triangle, right_angle, square_a, square_b, square_c, area_a, area_b, area_c
        )
        put(diagram, figure, -3.1, -0.45)

        self.play(Create(triangle), Create(right_angle), run_time=2)
        self.play(DrawBorderThenFill(square_a), Write(area_a), run_time=1.3)
        self.play(DrawBorderThenFill(square_b), Write(area_b), run_time=1.3)
        self.play(DrawBorderThenFill(square_c), Write(area_c), run_time=1.3)

        # The equation on the right: the two smaller areas add up to the biggest
        steps = VGroup(
            MathTex("a^2 + b^2 = c^2", font_size=44),
            MathTex(f"{fmt(a)}^2 + {fmt(b)}^2 = c^2", font_size=40),
            MathTex(f"{fmt(a**2)} + {fmt(b**2)} = {fmt(a**2 + b**2)}", font_size=40),
            MathTex(rf"c = \\sqrt{{{fmt(a**2 + b**2)}}} = {fmt(c)}", font_size=44, color=HIGHLIGHT),
        ).arrange(DOWN, buff=0.45)
        put(fit_width(steps, 4.8), working, 4.2, -0.3)
        for step in steps:
            self.play(Write(step), run_time=1)
        self.play(Create(SurroundingRectangle(steps[-1], color=HIGHLIGHT)), run_time=0.8)
        self.wait(2)
'''


def fmt(value: float) -> str:
    """The video's fmt: 3.0 → "3", 5.8309 → "5.83" for labels."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def describe(params: dict) -> list[str]:
    # The legs exactly as the emitted code holds them, and its c = sqrt(a² + b²)
    a = float(codegen.number_literal(params["a"]))
    b = float(codegen.number_literal(params["b"]))
    c = math.sqrt(a**2 + b**2)
    return [
        "The title reads: The Pythagorean theorem.",
        "A right triangle appears with its right angle marked: leg a along the bottom, leg b "
        "up the side, and the hypotenuse c across from the right angle.",
        f"A square is built on leg a, labelled a² = {fmt(a**2)}.",
        f"A square is built on leg b, labelled b² = {fmt(b**2)}.",
        f"A square is built on the hypotenuse, labelled c² = {fmt(c**2)}.",
        "Beside the diagram the working appears line by line: a² + b² = c².",
        f"{fmt(a)}² + {fmt(b)}² = c².",
        f"{fmt(a**2)} + {fmt(b**2)} = {fmt(a**2 + b**2)}.",
        f"c = √{fmt(a**2 + b**2)} = {fmt(c)}, boxed as the answer.",
    ]


def build(params: dict) -> str:
    a, b = params["a"], params["b"]
    # The diagram spans (a + 2b) across and (2a + b) up; fit it into about 7 x 6.2 units.
    scale = min(7.0 / (a + 2 * b), 6.2 / (2 * a + b))
    return fill(
        SKELETON,
        fit_frame=codegen.arrange_parts(
            {"figure": (-6.6, -3.55, 0.4, 2.65), "working": (1.8, -2.2, 6.6, 1.6)}
        ),
        a=codegen.number_literal(a),
        b=codegen.number_literal(b),
        scale=literal(round(scale, 4)),
    )


def narration(params: dict) -> list[str]:
    a = float(codegen.number_literal(params["a"]))
    b = float(codegen.number_literal(params["b"]))
    c = math.sqrt(a**2 + b**2)
    return [
        "The Pythagorean theorem.",
        f"Here is a right triangle with legs {fmt(a)} and {fmt(b)}. Build a square on each "
        f"side: the square on a has area {fmt(a**2)}, the square on b has area {fmt(b**2)}, "
        f"and the square on the hypotenuse c has area {fmt(c**2)}.",
        f"The two smaller areas add up to the biggest: a squared plus b squared equals c "
        f"squared. {fmt(a**2)} plus {fmt(b**2)} is {fmt(a**2 + b**2)}, so c is the square "
        f"root of {fmt(a**2 + b**2)}, which is {fmt(c)}.",
    ]
