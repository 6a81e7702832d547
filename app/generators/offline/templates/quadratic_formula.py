"""Solving ax² + bx + c = 0 with the quadratic formula, next to the parabola and its roots."""

from __future__ import annotations

import math
from fractions import Fraction

from app.generators.offline import codegen, mathexpr
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.controls import Number
from app.generators.offline.extract import CONST, Prompt, to_number
from app.generators.offline.templates import common

ID = "quadratic_formula"
TITLE = "Quadratic formula"
SUBJECT = "Math"
EXAMPLE_PROMPT = "Solve x^2 - 5x + 6 = 0 with the quadratic formula"
DEFAULTS = {"a": 1.0, "b": -5.0, "c": 6.0}
VARIANTS = [{"a": 2.0, "b": 3.0, "c": -2.0}, {"a": 1.0, "b": 2.0, "c": 5.0}]
TRIGGERS = {
    r"\bquadratic formula\b": 8,
    r"\bquadratic equations?\b": 5,
    r"\bquadratics?\b": 3,
    r"\bdiscriminant\b": 5,
    r"\broots?\b|\bzeros?\b|\bsolutions?\b": 1,
    r"\bsolve\b": 1,
    r"-b\s*(?:±|\+/-|\+-)": 6,
}


def _quadratic(prompt: Prompt) -> list[Fraction] | None:
    """[c, b, a] when the prompt holds a quadratic equation or expression to solve."""
    equation = prompt.equation
    if equation:
        left, right = equation
        try:
            difference = mathexpr.parse(f"({left.text}) - ({right.text})")
        except mathexpr.MathError:
            return None
        coefficients = difference.polynomial(max_degree=2)
    elif prompt.expression and prompt.has(r"\broots?\b|\bzeros?\b|\bsolve\b|\bquadratic"):
        coefficients = prompt.expression.expr.polynomial(max_degree=2)
    else:
        return None
    if coefficients is None or coefficients[2] == 0:
        return None
    return coefficients


def bonus(prompt: Prompt) -> int:
    return 6 if _quadratic(prompt) is not None else 0


def extract(prompt: Prompt) -> dict:
    coefficients = _quadratic(prompt)
    if coefficients is not None:
        c, b, a = coefficients
        return {"a": float(a), "b": float(b), "c": float(c)}
    params = {}
    for name in ("a", "b", "c"):
        match = prompt.search(rf"\b{name}\s*=\s*({CONST})")
        if match and to_number(match.group(1)) is not None:
            params[name] = to_number(match.group(1))
    return params


CONTROLS = {
    "a": Number("a (the number before x²; not 0)", -100, 100, step=1),
    "b": Number("b (the number before x)", -100, 100, step=1),
    "c": Number("c (the number on its own)", -100, 100, step=1),
}


def validate(params: dict, notes: list[str]) -> dict:
    for name in ("a", "b", "c"):
        params[name] = checks.number(params[name], name, low=-100, high=100)
    if params["a"] == 0:
        raise checks.fail("'a' must not be 0, or the equation is not quadratic.")
    return params


def solve(a: float, b: float, c: float) -> tuple[float, list[complex]]:
    """Reference roots (the emitted code computes its own; tests compare the two)."""
    discriminant = b * b - 4 * a * c
    root = complex(discriminant) ** 0.5
    return discriminant, [(-b - root) / (2 * a), (-b + root) / (2 * a)]


SKELETON = '''\
from manim import *
import math
import numpy as np

a, b, c = <<a>>, <<b>>, <<c>>  # the equation a x^2 + b x + c = 0


def solve_quadratic(a, b, c):
    # The quadratic formula x = (-b ± sqrt(b^2 - 4ac)) / 2a; complex roots when b^2 - 4ac < 0
    discriminant = b**2 - 4 * a * c
    if discriminant >= 0:
        root = math.sqrt(discriminant)
        return discriminant, [(-b - root) / (2 * a), (-b + root) / (2 * a)]
    root = math.sqrt(-discriminant)
    return discriminant, [complex(-b, -root) / (2 * a), complex(-b, root) / (2 * a)]


def f(x):
    return a * x**2 + b * x + c


def fmt(value):
    # 3.0 -> "3", -0.5 -> "-0.5", 1.41421 -> "1.41"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def paren(value):
    # Negative numbers in brackets when substituted: (-5)
    return f"({fmt(value)})" if value < 0 else fmt(value)


def quadratic_tex(a, b, c):
    # a x^2 + b x + c written the way a teacher would: x^2 - 5x + 6
    text = {1: "", -1: "-"}.get(a, fmt(a)) + "x^2"
    if b:
        text += (" - " if b < 0 else " + ") + ("" if abs(b) == 1 else fmt(abs(b))) + "x"
    if c:
        text += (" - " if c < 0 else " + ") + fmt(abs(c))
    return text


def fit_width(label, max_width):
    """Shrink a label wider than max_width so it stays on screen."""
    if label.width > max_width:
        label.scale_to_fit_width(max_width)
    return label


class QuadraticFormula(Scene):
    def construct(self):
<<fit_frame>>
        discriminant, roots = solve_quadratic(a, b, c)

        # Title
        title = Text("The quadratic formula", font_size=40)
        fit_title(self, title).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # The working, one line at a time, on the left
        if discriminant > 0:
            answer = rf"x_1 = {fmt(roots[0])}, \\quad x_2 = {fmt(roots[1])}"
        elif discriminant == 0:
            answer = rf"x = {fmt(roots[0])} \\ \\text{{(a double root)}}"
        else:
            real, imaginary = roots[1].real, abs(roots[1].imag)
            answer = rf"x = {fmt(real)} \\pm {fmt(imaginary)}\\,i \\ \\text{{(no real roots)}}"
        lines = VGroup(
            MathTex(quadratic_tex(a, b, c) + " = 0", font_size=40),
            MathTex(rf"a = {fmt(a)}, \\quad b = {fmt(b)}, \\quad c = {fmt(c)}", font_size=34),
            MathTex(r"x = \\frac{-b \\pm \\sqrt{b^2 - 4ac}}{2a}", font_size=40),
            MathTex(
                rf"x = \\frac{{-{paren(b)} \\pm "
                rf"\\sqrt{{{paren(b)}^2 - 4 \\cdot {paren(a)} \\cdot {paren(c)}}}}}"
                rf"{{2 \\cdot {paren(a)}}}",
                font_size=36,
            ),
            MathTex(rf"b^2 - 4ac = {fmt(discriminant)}", font_size=36, color=SECONDARY),
            MathTex(answer, font_size=40, color=HIGHLIGHT),
        ).arrange(DOWN, buff=0.38)
        put(fit_width(lines, 6.6), working, -3.3, -0.45)
        for line in lines:
            self.play(Write(line), run_time=1.1)
            self.wait(0.3)
        self.play(Create(SurroundingRectangle(lines[-1], color=HIGHLIGHT)), run_time=0.8)

        # The parabola y = a x^2 + b x + c on the right: real roots are where it meets the x-axis
        axes = put(<<axes>>, graph_area)
        graph = axes.plot(f, x_range=<<plot_range>>, color=ACCENT)
        graph_label = fit_width(MathTex("y = " + quadratic_tex(a, b, c), font_size=30), 5)
        scaled(graph_label, graph_area).next_to(axes, UP, buff=0.15)
        self.play(Create(axes), Write(graph_label), run_time=1.2)
        self.play(Create(graph), run_time=1.5)
        if discriminant >= 0:
            root_dots = VGroup(*[Dot(axes.c2p(root, 0), color=HIGHLIGHT) for root in roots])
            self.play(FadeIn(root_dots, scale=2), run_time=0.8)
        self.wait(2)
'''


def fmt(value: float) -> str:
    """The video's fmt: 3.0 → "3", -0.5 → "-0.5", 1.41421 → "1.41"."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def paren(value: float) -> str:
    """The video's paren: negative numbers in brackets when substituted, (-5)."""
    return f"({fmt(value)})" if value < 0 else fmt(value)


def quadratic_words(a: float, b: float, c: float) -> str:
    """The video's quadratic_tex as a description writes it: "x² - 5x + 6"."""
    text = {1: "", -1: "-"}.get(a, fmt(a)) + "x²"  # type: ignore[call-overload]
    if b:
        text += (" - " if b < 0 else " + ") + ("" if abs(b) == 1 else fmt(abs(b))) + "x"
    if c:
        text += (" - " if c < 0 else " + ") + fmt(abs(c))
    return text


def solve_quadratic(a: float, b: float, c: float) -> tuple[float, list[complex]]:
    """The video's solve_quadratic (the same arithmetic, on the host)."""
    discriminant = b**2 - 4 * a * c
    if discriminant >= 0:
        root = math.sqrt(discriminant)
        return discriminant, [(-b - root) / (2 * a), (-b + root) / (2 * a)]
    root = math.sqrt(-discriminant)
    return discriminant, [complex(-b, -root) / (2 * a), complex(-b, root) / (2 * a)]


def describe(params: dict) -> list[str]:
    # The coefficients exactly as the emitted code holds them
    a, b, c = (float(codegen.number_literal(params[name])) for name in ("a", "b", "c"))
    discriminant, roots = solve_quadratic(a, b, c)
    equation = quadratic_words(a, b, c)
    if discriminant > 0:
        first, second = fmt(roots[0].real), fmt(roots[1].real)
        answer = f"The answer is boxed: x₁ = {first} and x₂ = {second}."
        graph = f"Dots mark where it crosses the x-axis, at x = {first} and x = {second}."
    elif discriminant == 0:
        root = fmt(roots[0].real)
        answer = f"The answer is boxed: x = {root}, a double root."
        graph = f"A dot marks where it touches the x-axis, at x = {root}."
    else:
        real, imaginary = fmt(roots[1].real), fmt(abs(roots[1].imag))
        answer = f"The answer is boxed: x = {real} ± {imaginary}i, so there are no real roots."
        graph = "It does not meet the x-axis."
    return [
        "The title reads: The quadratic formula.",
        f"The working appears line by line, starting with the equation {equation} = 0.",
        f"a = {fmt(a)}, b = {fmt(b)}, c = {fmt(c)}.",
        "The formula: x = (-b ± √(b² - 4ac)) / 2a.",
        f"Substituted: x = (-{paren(b)} ± √({paren(b)}² - 4·{paren(a)}·{paren(c)})) / "
        f"(2·{paren(a)}).",
        f"The discriminant b² - 4ac = {fmt(discriminant)}.",
        answer,
        f"Beside the working, axes appear and the parabola y = {equation} is drawn.",
        graph,
    ]


def build(params: dict) -> str:
    a, b, c = params["a"], params["b"], params["c"]
    vertex = -b / (2 * a)
    discriminant = b * b - 4 * a * c
    half_width = max(3.0, math.sqrt(max(discriminant, 0.0)) / abs(a) * 0.5 + 1.5)
    x_low, x_high = math.floor(vertex - half_width), math.ceil(vertex + half_width)
    parabola = mathexpr.parse(f"{a}*x**2 + {b}*x + {c}")
    window = codegen.graph_window(parabola, x_low, x_high, force_zero=True)
    start, end = window.longest_piece
    return fill(
        SKELETON,
        fit_frame=codegen.arrange_parts(
            {"working": (-6.6, -3.4, 0.0, 2.5), "graph_area": (1.1, -3.2, 6.7, 2.0)}
        ),
        a=codegen.number_literal(a),
        b=codegen.number_literal(b),
        c=codegen.number_literal(c),
        axes=common.axes_code(window, x_length=5.2, y_length=4.4, center=(3.9, -0.7)),
        plot_range=literal([start, end, codegen.tidy((end - start) / 150)]),
    )


def narration(params: dict) -> list[str]:
    a, b, c = (float(codegen.number_literal(params[name])) for name in ("a", "b", "c"))
    discriminant, roots = solve_quadratic(a, b, c)
    if discriminant > 0:
        first, second = fmt(roots[0].real), fmt(roots[1].real)
        answer = f"so there are two answers: x = {first} and x = {second}."
        graph = f"It crosses the x-axis at x = {first} and x = {second}: the same answers."
    elif discriminant == 0:
        root = fmt(roots[0].real)
        answer = f"so there is one answer, a double root: x = {root}."
        graph = f"It just touches the x-axis at x = {root}."
    else:
        answer = "which is negative, so there are no real answers."
        graph = "It never meets the x-axis, which is why there are no real roots."
    equation = quadratic_words(a, b, c)
    return [
        "The quadratic formula.",
        f"Solve {equation} = 0. Here a = {fmt(a)}, b = {fmt(b)} and c = {fmt(c)}. Put them "
        "into the formula: x = minus b plus or minus the square root of b squared minus 4 a c, all "
        f"over 2 a. The discriminant, b squared minus 4 a c, is {fmt(discriminant)}, {answer}",
        f"Now the parabola y = {equation}. {graph}",
    ]
