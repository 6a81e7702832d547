"""Solving a linear equation step by step: the same operation on both sides, line by line."""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from app.generators.offline import codegen, mathexpr
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.controls import Formula
from app.generators.offline.extract import Prompt

ID = "equation_steps"
TITLE = "Solving an equation step by step"
SUBJECT = "Math"
EXAMPLE_PROMPT = "Solve 2x + 3 = 11 step by step"
DEFAULTS = {"equation": "2*x + 3 = 11"}
VARIANTS = [{"equation": "3*(x - 2) = x + 4"}, {"equation": "x/2 - 5 = -3*x + 9"}]
TRIGGERS = {
    r"\bsolve\b": 3,
    r"\bstep[- ]by[- ]step\b": 2,
    r"\bequations?\b": 2,
    r"\blinear equations?\b": 5,
    r"\bfor x\b|\bfind x\b|\bisolate\b": 2,
    r"\bboth sides\b": 3,
}


@dataclass(frozen=True)
class Linear:
    """slope·x + constant, exactly."""

    slope: Fraction
    constant: Fraction

    def at(self, x: Fraction) -> Fraction:
        return self.slope * x + self.constant


@dataclass(frozen=True)
class Step:
    left: Linear
    right: Linear
    note: str


def linear(expr: mathexpr.Expr) -> Linear | None:
    coefficients = expr.polynomial(max_degree=1)
    if coefficients is None:
        return None
    return Linear(slope=coefficients[1], constant=coefficients[0])


def parse_equation(text: str) -> tuple[mathexpr.Expr, mathexpr.Expr]:
    if not isinstance(text, str) or text.count("=") != 1:
        raise checks.fail("'equation' must have exactly one '=' sign, like 2x + 3 = 11.")
    left_text, right_text = text.split("=")
    try:
        left, right = mathexpr.parse(left_text), mathexpr.parse(right_text)
    except mathexpr.MathError as exc:
        raise checks.fail(str(exc)) from None
    return left, right


def _bonus_equation(prompt: Prompt) -> tuple[Linear, Linear] | None:
    equation = prompt.equation
    if equation is None:
        return None
    left, right = linear(equation[0]), linear(equation[1])
    if left is None or right is None or left.slope == right.slope:
        return None
    return left, right


def bonus(prompt: Prompt) -> int:
    return 5 if _bonus_equation(prompt) is not None else 0


def extract(prompt: Prompt) -> dict:
    equation = prompt.equation
    if equation is None:
        return {}
    return {"equation": f"{equation[0].text} = {equation[1].text}"}


CONTROLS = {
    "equation": Formula("Equation to solve", example="2x + 3 = 11"),
}


def validate(params: dict, notes: list[str]) -> dict:
    left, right = parse_equation(params["equation"])
    left_linear, right_linear = linear(left), linear(right)
    if left_linear is None or right_linear is None:
        raise checks.fail(
            "This template solves linear equations like 2x + 3 = 11; for x^2 use the "
            "quadratic_formula template."
        )
    if left_linear.slope == right_linear.slope:
        kind = "no solution" if left_linear.constant != right_linear.constant else "every x"
        raise checks.fail(f"The x terms cancel, so this equation has {kind}; check the equation.")
    if not (left.has_x or right.has_x):
        raise checks.fail("The equation must contain x.")
    params["equation"] = f"{left.text} = {right.text}"
    return params


def solve_steps(left: mathexpr.Expr, right: mathexpr.Expr) -> tuple[list[Step], Fraction]:
    """The lines of working and the solution, in exact fractions."""
    lhs, rhs = linear(left), linear(right)
    assert lhs is not None and rhs is not None
    steps = [Step(lhs, rhs, "Start with the equation")]
    if rhs.slope and not lhs.slope:
        lhs, rhs = rhs, lhs
        steps.append(Step(lhs, rhs, "Swap the two sides"))
    if rhs.slope:
        amount = rhs.slope
        lhs = Linear(lhs.slope - amount, lhs.constant)
        rhs = Linear(Fraction(0), rhs.constant)
        verb = "Subtract" if amount > 0 else "Add"
        steps.append(Step(lhs, rhs, f"{verb} {term_text(abs(amount), 'x')} on both sides"))
    if lhs.constant:
        amount = lhs.constant
        rhs = Linear(Fraction(0), rhs.constant - amount)
        lhs = Linear(lhs.slope, Fraction(0))
        verb = "Subtract" if amount > 0 else "Add"
        steps.append(Step(lhs, rhs, f"{verb} {fraction_text(abs(amount))} on both sides"))
    if lhs.slope != 1:
        divisor = lhs.slope
        rhs = Linear(Fraction(0), rhs.constant / divisor)
        lhs = Linear(Fraction(1), Fraction(0))
        steps.append(Step(lhs, rhs, f"Divide both sides by {fraction_text(divisor)}"))
    return steps, rhs.constant


def fraction_text(value: Fraction) -> str:
    return (
        str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    )


def term_text(coefficient: Fraction, variable: str) -> str:
    if coefficient == 1:
        return variable
    return f"{fraction_text(coefficient)}{variable}"


def fraction_tex(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    sign = "-" if value < 0 else ""
    return rf"{sign}\tfrac{{{abs(value.numerator)}}}{{{value.denominator}}}"


def linear_tex(value: Linear) -> str:
    return _linear(value, fraction_tex)


def _linear(value: Linear, fraction: Callable[[Fraction], str], bracketed: bool = False) -> str:
    """slope·x + constant with `fraction` for the numbers; `bracketed` writes (1/2)x."""
    parts = []
    if value.slope:
        magnitude = abs(value.slope)
        coefficient = "" if magnitude == 1 else fraction(magnitude)
        if bracketed and magnitude.denominator != 1:
            coefficient = f"({coefficient})"
        parts.append(("-" if value.slope < 0 else "") + coefficient + "x")
    if value.constant or not parts:
        if parts:
            parts.append(("- " if value.constant < 0 else "+ ") + fraction(abs(value.constant)))
        else:
            parts.append(fraction(value.constant))
    return " ".join(parts)


SKELETON = """\
from manim import *


def fit_width(label, max_width):
    \"\"\"Shrink a label wider than max_width so it stays on screen.\"\"\"
    if label.width > max_width:
        label.scale_to_fit_width(max_width)
    return label


class EquationSteps(Scene):
    def construct(self):
<<fit_frame>>
        # Each line of working: (left side, right side, what we did to get it)
        steps = <<steps>>
        solution_check = <<check>>

        # Title
        title = Text("Solving an equation step by step", font_size=40).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # The lines line up on their "=" signs; the reason for each step is on the right
        equals_x = -2.0
        top = 2.1
        gap = <<gap>>
        shown = VGroup()
        for row, (left, right, note) in enumerate(steps):
            line = MathTex(left, "=", right, font_size=44)
            line.shift(
                RIGHT * (equals_x - line[1].get_x()) + UP * (top - row * gap - line.get_y())
            )
            reason = Text(note, font_size=24, color=MUTED)
            fit_width(reason, 4.6).move_to([2.1, line.get_y(), 0], aligned_edge=LEFT)
            if row == 0:
                self.play(Write(line), run_time=1.2)
            else:
                # The new line grows out of the one above it
                self.play(
                    TransformFromCopy(shown[-1][0], line),
                    FadeIn(reason, shift=LEFT * 0.3),
                    run_time=1.4,
                )
            shown.add(VGroup(line, reason))
            self.wait(0.6)

        # Box the answer and check it in the original equation
        answer_box = SurroundingRectangle(shown[-1][0], color=HIGHLIGHT)
        check = MathTex(solution_check, font_size=34, color=POSITIVE)
        fit_width(check, 11).next_to(shown, DOWN, buff=0.45).set_x(0)
        self.play(Create(answer_box), run_time=0.8)
        self.play(Write(check), run_time=1.5)
        self.wait(2)
"""


def linear_words(value: Linear) -> str:
    """linear_tex as a description writes it: "2x + 3", "(1/2)x - 5"."""
    return _linear(value, fraction_text, bracketed=True)


def _rows(
    left: mathexpr.Expr, right: mathexpr.Expr, steps: list[Step], *, words: bool = False
) -> list[tuple[str, str, str]]:
    """The lines of working the video shows: (left side, right side, the reason), in LaTeX
    for the video or in words for its description."""
    side = linear_words if words else linear_tex
    first = [(left.words, right.words) if words else (left.latex, right.latex)]
    lines = [(*first[0], steps[0].note)] + [
        (side(s.left), side(s.right), s.note) for s in steps[1:]
    ]
    # A "simplify" line when a side has brackets to expand or like terms to collect
    if needs_simplifying(left) or needs_simplifying(right):
        simplified = (side(steps[0].left), side(steps[0].right))
        lines.insert(1, (*simplified, "Expand and simplify each side"))
    return lines


def describe(params: dict) -> list[str]:
    left, right = parse_equation(params["equation"])
    steps, solution = solve_steps(left, right)
    rows = _rows(left, right, steps, words=True)
    value = float(solution)
    sentences = [
        "The title reads: Solving an equation step by step.",
        f"The equation appears: {rows[0][0]} = {rows[0][1]}.",
    ]
    sentences += [f"{note}: {a} = {b}." for a, b, note in rows[1:]]
    sentences += [
        f"The answer, {rows[-1][0]} = {rows[-1][1]}, is boxed.",
        f"A check puts x = {fraction_text(solution)} into the equation: "
        f"{_show(left.value(value), words=True)} = {_show(right.value(value), words=True)}, "
        "with a tick.",
    ]
    return sentences


def build(params: dict) -> str:
    left, right = parse_equation(params["equation"])
    steps, solution = solve_steps(left, right)
    lines = _rows(left, right, steps)
    solution_tex = fraction_tex(solution)
    value = float(solution)
    left_value, right_value = left.value(value), right.value(value)
    check = (
        rf"\text{{Check: }} x = {solution_tex}: \quad {_show(left_value)} = {_show(right_value)}"
        r" \ \checkmark"
    )
    gap = min(1.05, 4.6 / len(lines))
    return fill(
        SKELETON,
        fit_frame=codegen.fit_frame((-4.7, -2.6, 6.8, 3.7)),
        steps=_steps_literal(lines),
        check=literal(check),
        gap=literal(gap),
    )


def needs_simplifying(expr: mathexpr.Expr) -> bool:
    """Brackets to expand (3(x - 2)) or x or constants appearing more than once."""
    tree = expr.tree
    x_count = sum(isinstance(n, ast.Name) and n.id == "x" for n in ast.walk(tree))
    constants = sum(isinstance(n, ast.Constant) for n in ast.walk(tree))
    brackets = any(
        isinstance(n, ast.BinOp)
        and isinstance(n.op, (ast.Mult, ast.Div))
        and any(
            isinstance(side, ast.BinOp) and isinstance(side.op, (ast.Add, ast.Sub))
            for side in (n.left, n.right)
        )
        for n in ast.walk(tree)
    )
    return brackets or x_count > 1 or constants > 2


def _show(value: float, *, words: bool = False) -> str:
    fraction = Fraction(value).limit_denominator(1000)
    if abs(float(fraction) - value) < 1e-9:
        return fraction_text(fraction) if words else fraction_tex(fraction)
    return codegen.show(value, 3)


def _steps_literal(lines: list[tuple[str, str, str]]) -> str:
    rows = ",\n".join(
        f"            ({literal(a)}, {literal(b)}, {literal(n)})" for a, b, n in lines
    )
    return "[\n" + rows + ",\n        ]"


def narration(params: dict) -> list[str]:
    left, right = parse_equation(params["equation"])
    steps, solution = solve_steps(left, right)
    rows = _rows(left, right, steps, words=True)
    value = float(solution)
    working = " ".join(f"{note}: {a} = {b}." for a, b, note in rows[1:])
    return [
        "Let's solve an equation step by step.",
        f"We start with {rows[0][0]} = {rows[0][1]}. Do the same to both sides each time. "
        + working,
        f"So {rows[-1][0]} = {rows[-1][1]}. Check it: put x = {fraction_text(solution)} back in, "
        f"and both sides give {_show(left.value(value), words=True)}.",
    ]
