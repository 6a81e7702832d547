"""A linear inequality solved step by step (the sign flips, in words, when dividing by a
negative) and its solution on a number line with open or closed circles."""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from app.generators.offline import codegen, controls, mathexpr
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.extract import Prompt
from app.generators.offline.templates import common
from app.generators.offline.templates.common import Spoken

ID = "inequality_number_line"
TITLE = "Inequality on a number line"
SUBJECT = "Math"
EXAMPLE_PROMPT = "Solve the inequality 3x - 4 < 8 and show it on a number line"
DEFAULTS = {"inequality": "3*x - 4 < 8"}
VARIANTS = [
    {"inequality": "5 - 2*x >= 11"},
    {"inequality": "-2 <= x < 5"},
    {"inequality": "1 < 3 - 2*x <= 9"},
    {"inequality": "4*x + 1 <= x + 7"},
]
TRIGGERS = {
    r"\binequalit(?:y|ies)\b": 8,
    r"\b(?:open|closed|filled) (?:circles?|dots?)\b|\bopen (?:or|and|/) closed\b": 4,
    r"\bflip(?:s|ping)? the (?:inequality )?sign\b": 4,
    r"\bnumber ?lines?\b": 1,
    r"\bsolution set\b": 2,
}
MAX_LENGTH = 60
LIMIT = 1000
CONTROLS = {
    "inequality": controls.Text("Inequality (like 3x - 4 < 8 or -2 <= x < 5)", MAX_LENGTH),
}

SIGNS = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}
FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
WORDS = {"<": "less than", "<=": "at most", ">": "greater than", ">=": "at least"}
_SIGN = re.compile(r"(<=|>=|<|>)")
_SPOKEN = [
    (r"\bis less than or equal to\b|\bless than or equal to\b", " <= "),
    (r"\bis greater than or equal to\b|\bgreater than or equal to\b", " >= "),
    (r"\bis less than\b|\bless than\b", " < "),
    (r"\bis greater than\b|\bgreater than\b", " > "),
    (r"≤|=<|⩽", "<="),
    (r"≥|=>|⩾", ">="),
]
_MATH = r"[-+*/().\dx ]+"
_FOUND = re.compile(rf"{_MATH}(?:<=|>=|<|>){_MATH}(?:(?:<=|>=|<|>){_MATH})?")


@dataclass(frozen=True)
class Linear:
    a: Fraction  # coefficient of x
    b: Fraction  # constant


def _linear(text: str) -> Linear:
    try:
        expr = mathexpr.parse(text)
    except mathexpr.MathError as exc:
        raise checks.fail(str(exc)) from None
    coefficients = expr.polynomial(max_degree=1)
    if coefficients is None:
        raise checks.fail(
            f"'{text.strip()}' is not linear; this template solves inequalities like 3x - 4 < 8."
        )
    a, b = Fraction(coefficients[1]), Fraction(coefficients[0])
    for value in (a, b):
        if abs(value) > LIMIT or value != value.limit_denominator(100):
            raise checks.fail(
                f"Keep the numbers in '{text.strip()}' between -{LIMIT} and {LIMIT}, as whole "
                "numbers or simple fractions."
            )
    return Linear(a, b)


def spoken(text: str) -> str:
    text = text.replace("−", "-")
    for pattern, sign in _SPOKEN:
        text = re.sub(pattern, sign, text)
    return text


def bonus(prompt: Prompt) -> int:
    # An inequality in x, unless it only says where to draw a graph ("plot 1/x for -4 < x < 4")
    if prompt.has(r"\b(?:plot|graph|sketch|curve|area|integra\w*|rectangles|limit)\b"):
        return 0
    return 8 if _find(prompt.text) else 0


def _find(text: str) -> str | None:
    text = text.replace("->", " → ")  # "as x -> 1" is an arrow, not "greater than"
    for match in _FOUND.finditer(spoken(text)):
        found = re.sub(r"\s+", " ", match.group(0)).strip()
        if "x" in found:
            return found
    return None


def extract(prompt: Prompt) -> dict:
    found = _find(prompt.text)
    return {"inequality": found} if found else {}


@dataclass(frozen=True)
class Parsed:
    """a x + b (sign) c x + d, or low (low_sign) a x + b (high_sign) high."""

    double: bool
    values: dict  # the emitted inputs: numbers and signs


def parse_inequality(text: object) -> Parsed:
    if not isinstance(text, str) or not text.strip():
        raise checks.fail("'inequality' must be an inequality in x, like 3x - 4 < 8.")
    if len(text) > MAX_LENGTH:
        raise checks.fail(f"'inequality' must be at most {MAX_LENGTH} characters long.")
    parts = _SIGN.split(spoken(text))
    if len(parts) == 3:
        left, sign, right = parts
        first, second = _linear(left), _linear(right)
        if first.a == second.a:
            raise checks.fail(
                "The x terms cancel, so this inequality is true for every x or for none; check it."
            )
        return Parsed(
            False, {"a": first.a, "b": first.b, "sign": sign, "c": second.a, "d": second.b}
        )
    if len(parts) == 5:
        low_text, low_sign, middle_text, high_sign, high_text = parts
        low, middle, high = _linear(low_text), _linear(middle_text), _linear(high_text)
        if low.a or high.a or not middle.a:
            raise checks.fail("Write a double inequality with x only in the middle: -2 <= x < 5.")
        if (low_sign in "<=") != (high_sign in "<="):
            raise checks.fail("Both signs of a double inequality must point the same way.")
        if low_sign.startswith(">"):  # 5 > x >= -2 is -2 <= x < 5
            low, high = high, low
            low_sign, high_sign = FLIP[high_sign], FLIP[low_sign]
        values = {
            "low": low.b,
            "low_sign": low_sign,
            "a": middle.a,
            "b": middle.b,
            "high_sign": high_sign,
            "high": high.b,
        }
        solved = solve_double(values)
        if solved.lower is None or solved.upper is None or solved.lower >= solved.upper:
            raise checks.fail("No number fits this double inequality; check its two ends.")
        return Parsed(True, values)
    raise checks.fail("'inequality' needs one or two signs (<, <=, >, >=), like 3x - 4 < 8.")


def validate(params: dict, notes: list[str]) -> dict:
    parse_inequality(params["inequality"])
    # Canonical text, as function_graph keeps expressions: "3x-4<8" → "3*x - 4 < 8"
    parts = _SIGN.split(spoken(params["inequality"]))
    params["inequality"] = " ".join(
        part if index % 2 else mathexpr.parse(part).text for index, part in enumerate(parts)
    )
    return params


# ---------------------------------------------------------------- the working, on the host


@dataclass(frozen=True)
class Solution:
    steps: list[tuple[str, str]]  # (the line, the note that says how it came)
    lower: Fraction | None
    lower_closed: bool
    upper: Fraction | None
    upper_closed: bool


def number(value: Fraction) -> str:
    return str(value)


def side(a: Fraction, b: Fraction) -> str:
    """3x - 4, -x, 7, x/2 as the video writes them (fractions as 1/2x)."""
    parts = []
    if a:
        head = {1: "", -1: "-"}.get(a, number(a))  # type: ignore[call-overload]
        parts.append(f"{head}x")
    if b or not parts:
        if parts:
            parts.append(f"{'+' if b > 0 else '-'} {number(abs(b))}")
        else:
            parts.append(number(b))
    return " ".join(parts)


def solve_single(values: dict) -> Solution:
    a, b, c, d = (Fraction(values[k]) for k in "abcd")
    sign = values["sign"]
    steps = [(f"{side(a, b)} {SIGNS[sign]} {side(c, d)}", "")]
    if c:
        note = (
            f"Subtract {side(c, Fraction(0))} from both sides"
            if c > 0
            else (f"Add {side(-c, Fraction(0))} to both sides")
        )
        a, c = a - c, Fraction(0)
        steps.append((f"{side(a, b)} {SIGNS[sign]} {side(c, d)}", note))
    if b:
        note = (
            f"Subtract {number(b)} from both sides" if b > 0 else f"Add {number(-b)} to both sides"
        )
        d, b = d - b, Fraction(0)
        steps.append((f"{side(a, b)} {SIGNS[sign]} {number(d)}", note))
    if a != 1:
        note = f"Divide both sides by {number(a)}"
        if a < 0:
            note += (
                f": dividing by a negative number flips the sign, so {SIGNS[sign]} becomes "
                f"{SIGNS[FLIP[sign]]}"
            )
            sign = FLIP[sign]
        d, a = d / a, Fraction(1)
        steps.append((f"x {SIGNS[sign]} {number(d)}", note))
    if sign in ("<", "<="):
        return Solution(steps, None, False, d, sign == "<=")
    return Solution(steps, d, sign == ">=", None, False)


def solve_double(values: dict) -> Solution:
    low, a, b, high = (Fraction(values[k]) for k in ("low", "a", "b", "high"))
    low_sign, high_sign = values["low_sign"], values["high_sign"]

    def line() -> str:
        return f"{number(low)} {SIGNS[low_sign]} {side(a, b)} {SIGNS[high_sign]} {number(high)}"

    steps = [(line(), "")]
    if b:
        note = (
            f"Subtract {number(b)} from all three parts"
            if b > 0
            else f"Add {number(-b)} to all three parts"
        )
        low, high, b = low - b, high - b, Fraction(0)
        steps.append((line(), note))
    if a != 1:
        note = f"Divide all three parts by {number(a)}"
        low, high = low / a, high / a
        if a < 0:
            note += ": dividing by a negative number flips both signs"
            low_sign, high_sign = FLIP[low_sign], FLIP[high_sign]
            a = Fraction(1)
            steps.append((line(), note))
            low, high = high, low
            low_sign, high_sign = FLIP[high_sign], FLIP[low_sign]
            steps.append((line(), "Read it again from the smaller number"))
        else:
            a = Fraction(1)
            steps.append((line(), note))
    return Solution(steps, low, low_sign == "<=", high, high_sign == "<=")


SINGLE_INPUTS = """\
# The inequality:  a x + b  (sign)  c x + d,  with sign one of "<", "<=", ">", ">="
a, b = <<a>>, <<b>>
sign = <<sign>>
c, d = <<c>>, <<d>>"""

DOUBLE_INPUTS = """\
# The double inequality:  low  (low_sign)  a x + b  (high_sign)  high
low, low_sign = <<low>>, <<low_sign>>
a, b = <<a>>, <<b>>
high_sign, high = <<high_sign>>, <<high>>"""

SOLVE_SINGLE = """
def solve():
    # Each line of working with the note that says how it came, and the solution's ends
    A, B, C, D = (simple(v) for v in (a, b, c, d))
    s = sign
    steps = [(f"{side(A, B)} {TEX[s]} {side(C, D)}", "")]
    if C:
        if C > 0:
            note = f"Subtract {side(C, 0)} from both sides"
        else:
            note = f"Add {side(-C, 0)} to both sides"
        A, C = A - C, 0
        steps.append((f"{side(A, B)} {TEX[s]} {side(C, D)}", note))
    if B:
        note = f"Subtract {B} from both sides" if B > 0 else f"Add {-B} to both sides"
        D, B = D - B, 0
        steps.append((f"{side(A, B)} {TEX[s]} {tex(D)}", note))
    if A != 1:
        note = f"Divide both sides by {A}"
        if A < 0:
            note += (
                ": dividing by a negative\\nnumber flips the sign, "
                f"so {WORD_SIGN[s]} becomes {WORD_SIGN[FLIP[s]]}"
            )
            s = FLIP[s]
        D, A = D / A, 1
        steps.append((f"x {TEX[s]} {tex(D)}", note))
    if s in ("<", "<="):
        return steps, None, False, D, s == "<="
    return steps, D, s == ">=", None, False
"""

SOLVE_DOUBLE = """
def solve():
    # Each line of working with the note that says how it came, and the solution's ends
    L, A, B, H = (simple(v) for v in (low, a, b, high))
    ls, hs = low_sign, high_sign

    def line():
        return f"{tex(L)} {TEX[ls]} {side(A, B)} {TEX[hs]} {tex(H)}"

    steps = [(line(), "")]
    if B:
        note = f"Subtract {B} from all three parts" if B > 0 else f"Add {-B} to all three parts"
        L, H, B = L - B, H - B, 0
        steps.append((line(), note))
    if A != 1:
        note = f"Divide all three parts by {A}"
        L, H = L / A, H / A
        if A < 0:
            note += ": dividing by a negative\\nnumber flips both signs"
            ls, hs, A = FLIP[ls], FLIP[hs], 1
            steps.append((line(), note))
            L, H, ls, hs = H, L, FLIP[hs], FLIP[ls]
            steps.append((line(), "Read it again from the smaller number"))
        else:
            A = 1
            steps.append((line(), note))
    return steps, L, ls == "<=", H, hs == "<="
"""

SKELETON = r"""from manim import *
import math
from fractions import Fraction

<<inputs>>

TEX = {"<": "<", "<=": r"\leq", ">": ">", ">=": r"\geq"}
WORD_SIGN = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}
FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}


def simple(value):
    # 0.5 -> Fraction(1, 2): the inputs as exact fractions
    return Fraction(value).limit_denominator(100)


def tex(value):
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    sign = "-" if value < 0 else ""
    return rf"{sign}\frac{{{abs(value.numerator)}}}{{{value.denominator}}}"


def side(coefficient, constant):
    # 3x - 4, -x, 7 for a formula
    parts = []
    if coefficient:
        parts.append({1: "", -1: "-"}.get(coefficient, tex(coefficient)) + "x")
    if constant or not parts:
        if parts:
            parts.append(f"{'+' if constant > 0 else '-'} {tex(abs(constant))}")
        else:
            parts.append(tex(constant))
    return " ".join(parts)

<<solve>>

<<tick_step>>


def fit_width(label, max_width):
    if label.width > max_width:
        label.scale_to_fit_width(max_width)
    return label


def keep_inside(label, half_width=6.9):
    # Slide a label sideways until it is inside the frame
    if label.get_left()[0] < -half_width:
        label.shift(RIGHT * (-half_width - label.get_left()[0]))
    if label.get_right()[0] > half_width:
        label.shift(LEFT * (label.get_right()[0] - half_width))
    return label


steps, lower, lower_closed, upper, upper_closed = solve()
ends = [float(v) for v in (lower, upper) if v is not None]
start = math.floor(min(ends)) - (3 if len(ends) == 2 else 5)
stop = math.ceil(max(ends)) + (3 if len(ends) == 2 else 5)
step = tick_step(stop - start, 12)
start, stop = math.floor(start / step) * step, math.ceil(stop / step) * step


class InequalityNumberLine(Scene):
    def construct(self):
<<fit_frame>>
        # Title
        title = Text("Solving an inequality", font_size=40).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # The working: each line on the left, how it came on the right
        rows = VGroup()
        for index, (line, note) in enumerate(steps):
            formula = MathTex(line, font_size=40)
            fit_width(formula, 5.6).move_to([-3.7, 2.3 - 0.95 * index, 0])
            explanation = Text(note, font_size=22, color=MUTED, line_spacing=0.8)
            fit_width(explanation, 7.4)
            explanation.next_to([-0.5, formula.get_y(), 0], RIGHT, buff=0)
            rows.add(VGroup(formula, explanation))
        self.play(Write(rows[0][0]), run_time=1)
        for row in rows[1:]:
            self.play(FadeIn(row[1]), Write(row[0]), run_time=1.4)
        self.play(Indicate(rows[-1][0], color=HIGHLIGHT), run_time=0.8)

        # The solution on a number line
        decimals = max(0, -math.floor(math.log10(step)))

        def numbered_line(numbers_size):
            return NumberLine(
                x_range=[start, stop, step],
                length=11.5,
                include_numbers=True,
                font_size=numbers_size,
                decimal_number_config={"num_decimal_places": decimals},
            ).move_to([0, -2.3, 0])

        number_line = numbered_line(26)
        if self.camera.frame_width < 1.7 * self.camera.frame_height:
            # A portrait or square frame shows the line smaller: its numbers grow (up to 40)
            # as far as the space between two ticks allows
            spacing = number_line.get_unit_size() * step
            widest = max(number.width for number in number_line.numbers)
            number_line = numbered_line(min(40, 26 * 0.8 * spacing / widest))
        self.play(Create(number_line), run_time=1)

        # A circle at each end: closed (filled) when the end is included, open when it is not
        marks, labels = VGroup(), VGroup()
        for value, closed, side_of_label in (
            (lower, lower_closed, RIGHT if upper is not None else None),
            (upper, upper_closed, LEFT if lower is not None else None),
        ):
            if value is None:
                continue
            where = number_line.n2p(float(value))
            if closed:
                mark = Dot(where, radius=0.15, color=ACCENT)
                words = f"closed circle:\n{value} is included"
            else:
                mark = Circle(radius=0.15, color=ACCENT, stroke_width=5).move_to(where)
                mark.set_fill(BACKGROUND, opacity=1)
                words = f"open circle:\n{value} is not included"
            label = Text(words, font_size=22, line_spacing=0.8)
            label.next_to(mark, UP, buff=0.3)
            if side_of_label is not None:
                label.align_to(mark, side_of_label)
            keep_inside(label)
            marks.add(mark)
            labels.add(label)

        # The numbers that fit: between the ends, or on from one end to the line's end
        left_end = number_line.n2p(float(lower)) if lower is not None else number_line.n2p(start)
        right_end = number_line.n2p(float(upper)) if upper is not None else number_line.n2p(stop)
        if lower is not None and upper is not None:
            shading = Line(left_end, right_end, color=ACCENT, stroke_width=10)
        elif upper is not None:
            shading = Arrow(right_end, left_end, buff=0, color=ACCENT, stroke_width=10)
        else:
            shading = Arrow(left_end, right_end, buff=0, color=ACCENT, stroke_width=10)
        self.play(Create(shading), run_time=1.2)
        self.play(FadeIn(marks), Write(labels), run_time=1.2)

        # The answer in words
        if lower is not None and upper is not None:
            answer = (
                f"every number from {lower} ({'' if lower_closed else 'not '}included)"
                f" to {upper} ({'' if upper_closed else 'not '}included)"
            )
        elif upper is not None:
            answer = f"every number less than {'or equal to ' if upper_closed else ''}{upper}"
        else:
            answer = f"every number greater than {'or equal to ' if lower_closed else ''}{lower}"
        answer_text = Text(answer, font_size=28, color=HIGHLIGHT).move_to([0, -3.45, 0])
        fit_width(answer_text, 12)
        self.play(Write(answer_text), run_time=1)
        self.wait(2)
"""


def describe(params: dict) -> list[str]:
    parsed = parse_inequality(params["inequality"])
    solve = solve_double if parsed.double else solve_single
    solution = solve(parsed.values)
    first, *rest = solution.steps
    sentences = [
        "The title reads: Solving an inequality.",
        f"The inequality {first[0]} is written.",
    ]
    sentences += [f"{note}, giving {line}." for line, note in rest]
    sentences.append(f"The last line, {solution.steps[-1][0]}, is highlighted.")
    sentences.append("A number line appears below.")
    lower, upper = solution.lower, solution.upper
    ends = []
    for value, closed in ((lower, solution.lower_closed), (upper, solution.upper_closed)):
        if value is None:
            continue
        ends.append(
            f"a closed, filled circle at {number(value)} labelled: {number(value)} is included"
            if closed
            else f"an open circle at {number(value)} labelled: {number(value)} is not included"
        )
    if lower is not None and upper is not None:
        sentences.append(
            f"A thick line covers the numbers from {number(lower)} to {number(upper)}, with "
            f"{ends[0]}, and {ends[1]}."
        )
        answer = (
            f"every number from {number(lower)} "
            f"({'' if solution.lower_closed else 'not '}included) to {number(upper)} "
            f"({'' if solution.upper_closed else 'not '}included)"
        )
    elif upper is not None:
        sentences.append(f"An arrow runs left from {number(upper)} along the line, with {ends[0]}.")
        or_equal = "or equal to " if solution.upper_closed else ""
        answer = f"every number less than {or_equal}{number(upper)}"
    else:
        assert lower is not None
        sentences.append(
            f"An arrow runs right from {number(lower)} along the line, with {ends[0]}."
        )
        or_equal = "or equal to " if solution.lower_closed else ""
        answer = f"every number greater than {or_equal}{number(lower)}"
    sentences.append(f"The answer reads: {answer}.")
    return sentences


def build(params: dict) -> str:
    parsed = parse_inequality(params["inequality"])
    shown = {
        k: literal(v) if isinstance(v, str) else codegen.number_literal(float(v))
        for k, v in parsed.values.items()
    }
    inputs = fill(DOUBLE_INPUTS if parsed.double else SINGLE_INPUTS, **shown).rstrip("\n")
    return fill(
        SKELETON,
        tick_step=common.TICK_STEP,
        inputs=inputs,
        solve=SOLVE_DOUBLE if parsed.double else SOLVE_SINGLE,
        fit_frame=codegen.fit_frame((-6.0, -3.75, 7.0, 3.7)),
    )


def narration(params: dict) -> list[str | Spoken]:
    # The values are worked out in the scene from its input lines, like everything it shows
    return [
        "Solving an inequality.",
        "Do the same to both sides, as with an equation, but flip the sign when you multiply "
        "or divide by a negative number.",
        "Now show the solution on a number line.",
        "A filled circle means that end is included; an open circle means it is not.",
        Spoken(
            (
                'f"The answer: every number from {simple(lower)} to {simple(upper)}."',
                "if lower is not None and upper is not None",
                'else "The answer: every number less than "',
                '+ ("or equal to " if upper_closed else "")',
                '+ f"{simple(upper)}."',
                "if upper is not None",
                'else "The answer: every number greater than "',
                '+ ("or equal to " if lower_closed else "")',
                '+ f"{simple(lower)}."',
            )
        ),
    ]
