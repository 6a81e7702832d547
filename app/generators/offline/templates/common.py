"""Pieces shared by the templates that draw a function of x (graph, tangent, Riemann, ...)."""

from __future__ import annotations

import ast
import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from app.generators.offline import codegen, mathexpr
from app.generators.offline import params as checks
from app.generators.offline.codegen import literal, show
from app.generators.offline.extract import Prompt
from app.speech.text import MAX_SENTENCE_CHARS

TRIG = {"sin", "cos", "tan"}
POSITIVE_DOMAIN = {"log", "log10", "log2", "sqrt"}
UNIT_DOMAIN = {"arcsin", "arccos"}

# A label wider than this is shrunk at run time (see FIT_WIDTH in emitted code).
FIT_WIDTH = '''
def fit_width(label, max_width):
    """Shrink a label wider than max_width so long formulas stay on screen."""
    if label.width > max_width:
        label.scale_to_fit_width(max_width)
    return label
'''

# Tick spacing for axes whose ranges the emitted code works out from the teacher's inputs.
TICK_STEP = """\
def tick_step(span, ticks):
    # 1, 2 or 5 times a power of ten, giving about `ticks` ticks over the span
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(k * power for k in (1, 2, 5, 10) if k * power >= raw)
"""
# Decimal places of the tick labels for those steps.
PLACES = """\
def places(step):
    # Decimal places a tick label needs: 1 -> 0, 0.5 -> 1, 0.05 -> 2
    return max(0, -math.floor(math.log10(step) + 1e-9))"""

# One call places every part of a scene: the title on top, the parts side by side below it,
# shrunk to fit. Scenes build their parts as VGroups first and call it once, so a portrait or
# square layout can re-arrange the same parts in one place.
ARRANGE = """\
def arrange_scene(view, title, parts, width=13.2, height=5.9):
    # The title at the top, the parts under it, shrunk to fit: side by side in a landscape
    # frame; in a portrait or square one, side by side or stacked, whichever draws the parts
    # larger in the frame's own room (never a shrunken landscape layout)
    frame_w, frame_h = view.camera.frame_width, view.camera.frame_height
    directions = [RIGHT]
    if frame_w < 10:
        title.scale_to_fit_width(min(title.width, frame_w - 0.5))
        width, height = frame_w - 0.5, frame_h - 1.25 - title.height
        directions = [RIGHT, DOWN]
    title.to_edge(UP, buff=0.4)
    sizes = []
    for direction in directions:
        body = VGroup(*parts).arrange(direction, buff=0.8 if direction is RIGHT else 0.5)
        sizes.append((min(1, width / body.width, height / body.height), direction))
    scale, direction = max(sizes, key=lambda size: size[0])
    body = VGroup(*parts).arrange(direction, buff=0.8 if direction is RIGHT else 0.5)
    body.scale(scale)
    body.next_to(title, DOWN, buff=0.45)
    if frame_w < 10:
        # Centred in the room under the title: a portrait frame has height to spare
        body.shift(DOWN * (body.get_bottom()[1] + frame_h / 2 - 0.4) / 2)
    return body
"""

# The exact (signed) area under f, emitted by the area templates (see AREA_UNDER in code).
AREA_UNDER = """
def area_under(a, b, steps=2000):
    # The integral of f from a to b (area above the x-axis counts +, below counts -),
    # by Simpson's rule with many tiny steps
    if b <= a:
        return 0.0
    xs = np.linspace(a, b, steps + 1)
    ys = f(xs) * np.ones_like(xs)
    h = (b - a) / steps
    return h / 3 * (ys[0] + ys[-1] + 4 * ys[1:-1:2].sum() + 2 * ys[2:-1:2].sum())
"""


def area_under(expr: mathexpr.Expr, a: float, b: float, steps: int = 2000) -> float:
    """What the emitted area_under(a, b) computes, on the host (for descriptions)."""
    if b <= a:
        return 0.0
    xs = np.linspace(a, b, steps + 1)
    ys = expr.values(xs) * np.ones_like(xs)
    h = (b - a) / steps
    return float(h / 3 * (ys[0] + ys[-1] + 4 * ys[1:-1:2].sum() + 2 * ys[2:-1:2].sum()))


def function_code(expr: mathexpr.Expr, name: str = "f") -> str:
    """The emitted Python function for the teacher's expression."""
    return (
        f"def {name}(x):\n"
        f"    # The function from the prompt: y = {expr.text}\n"
        f"    return {expr.code}\n"
    )


def has_expression_bonus(prompt: Prompt, weight: int = 2) -> int:
    """Score for templates that work on an expression: more when it follows "y =" or "f(x) ="."""
    found = prompt.expression
    if found is None:
        return 0
    bonus = weight if found.expr.text != "x" else 0
    return bonus + (2 if found.marked else 0)


def natural_range(expr: mathexpr.Expr) -> list[float]:
    """A sensible x-range when the prompt gives none."""
    functions = expr.functions
    if functions & UNIT_DOMAIN:
        return [-1.0, 1.0]
    if functions & POSITIVE_DOMAIN:
        return [0.0, 6.0]
    if functions & TRIG:
        return [round(-2 * math.pi, 6), round(2 * math.pi, 6)]
    coefficients = expr.polynomial(max_degree=6)
    if coefficients and any(coefficients[1:]):
        return _polynomial_range([float(c) for c in coefficients])
    return [-5.0, 5.0]


def _polynomial_range(coefficients: list[float]) -> list[float]:
    """A range that shows the real roots and turning points, at least [-3, 3] wide."""
    polynomial = np.polynomial.Polynomial(coefficients)
    points = [0.0]
    for p in (polynomial, polynomial.deriv()):
        if p.degree() >= 1:
            points += [float(r.real) for r in p.roots() if abs(r.imag) < 1e-9 and abs(r.real) <= 20]
    low, high = min(points) - 1.5, max(points) + 1.5
    if high - low < 6:
        middle = (low + high) / 2
        low, high = middle - 3, middle + 3
    return [float(math.floor(low)), float(math.ceil(high))]


def extract_expression(prompt: Prompt, *, named_curves: bool = False) -> dict:
    found = prompt.expression
    params: dict = {}
    expression = found.expr if found else None
    if expression is None and named_curves and prompt.named_curve:
        expression = mathexpr.parse(prompt.named_curve)
    if expression is not None:
        params["expression"] = expression.text
    if prompt.x_range:
        params["x_range"] = [float(v) for v in prompt.x_range]
    elif expression is not None:
        params["x_range"] = natural_range(expression)
    return params


def check_expression_and_range(params: dict) -> tuple[mathexpr.Expr, list[float]]:
    expr = checks.expression(params["expression"])
    x_range = checks.x_range(params["x_range"])
    params["expression"] = expr.text
    params["x_range"] = x_range
    return expr, x_range


def range_text(x_range: list[float]) -> str:
    """[-6.283185, 6.283185] → "[-2π, 2π]" for notes and labels."""
    return f"[{pi_text(x_range[0])}, {pi_text(x_range[1])}]"


def pi_text(value: float) -> str:
    for denominator in (1, 2, 4):
        multiple = value * denominator / math.pi
        if abs(multiple - round(multiple)) < 1e-6 and round(multiple) != 0:
            k = round(multiple)
            head = {1: "", -1: "-"}.get(k, str(k))
            return f"{head}π" + (f"/{denominator}" if denominator > 1 else "")
    return show(value)


def pi_tex(value: float) -> str:
    """6.283185 → "2\\pi", 1.570796 → "\\frac{\\pi}{2}", 3 → "3" for LaTeX labels."""
    text = pi_text(value)
    if "π" not in text:
        return text
    sign = "-" if text.startswith("-") else ""
    head, _, denominator = text.lstrip("-").partition("/")
    numerator = head.replace("π", "\\pi")
    return f"{sign}\\frac{{{numerator}}}{{{denominator}}}" if denominator else sign + numerator


def decimals(step: float) -> int:
    """Decimal places for tick labels: 1 → 0, 0.5 → 1, 0.25 → 2."""
    for places in range(4):
        if abs(step * 10**places - round(step * 10**places)) < 1e-9:
            return places
    return 3


AXES = """\
Axes(
            x_range=<<x_range>>,
            y_range=<<y_range>>,
            x_length=<<x_length>>,
            y_length=<<y_length>>,
            tips=False,
            axis_config={"include_numbers": <<numbers>>, "font_size": 22},
            x_axis_config={"decimal_number_config": {"num_decimal_places": <<x_places>>}},
            y_axis_config={"decimal_number_config": {"num_decimal_places": <<y_places>>}},
        ).move_to([<<x>>, <<y>>, 0])"""

PIECES = """\
        # f has gaps or runs off the axes here, so it is drawn only on these x-intervals
        pieces = <<pieces>>
        <<name>> = VGroup(
            *[
                axes.plot(<<function>>, x_range=[start, end, (end - start) / 150], color=ACCENT)
                for start, end in pieces
            ]
        )"""


def axes_code(
    window: codegen.GraphWindow,
    *,
    x_length: float = 9,
    y_length: float = 5.6,
    center: tuple[float, float] = (-2.3, -0.5),
    numbers: bool = True,
) -> str:
    """The Axes(...) expression for a graph window, tick labels with as few decimals as fit."""
    return codegen.fill(
        AXES,
        x_range=literal(window.x_range),
        y_range=literal(window.y_range),
        x_length=x_length,
        y_length=y_length,
        numbers=numbers,
        x_places=decimals(window.x_range[2]),
        y_places=decimals(window.y_range[2]),
        x=center[0],
        y=center[1],
    ).rstrip("\n")


def plot_code(window: codegen.GraphWindow, name: str = "graph", function: str = "f") -> str:
    """Code that plots f over the window's visible pieces as `name`."""
    if len(window.pieces) == 1:
        start, end = window.pieces[0]
        piece = literal([start, end, codegen.tidy((end - start) / 150)])
        return f"        {name} = axes.plot({function}, x_range={piece}, color=ACCENT)"
    return codegen.fill(PIECES, pieces=literal(window.pieces), name=name, function=function).rstrip(
        "\n"
    )


def readout(value: float, places: int = 2) -> str:
    """How the video's DecimalNumber(value, num_decimal_places=places) shows a value:
    thousands grouped with commas, and no "-" on a value that rounds to 0."""
    text = f"{value:,.{places}f}"
    if text.startswith("-") and np.round(value, places) == 0:
        text = text[1:]
    return text


# ---------------------------------------------------------------- narration (issue 18)
# Each template says one sentence (or a few) per visual step, in plain words built from the
# teacher's values; `narrated` puts them in the emitted scene as narrate("...") calls.

MAX_STEP_TEXT = MAX_SENTENCE_CHARS  # what one step may say: the speech engine's own cap
_SPOKEN_RELATIONS = {  # between spaces, so "<" in a name or "=" in a word stays as it is
    " + ": " plus ",
    " - ": " minus ",
    " = ": " equals ",
    " < ": " is less than ",
    " > ": " is greater than ",
    " ± ": " plus or minus ",
}
_SPOKEN_SYMBOLS = {
    "π": " pi ",
    "²": " squared",
    "³": " cubed",
    "√": "the square root of ",
    "×": " times ",
    "·": " times ",
    "÷": " divided by ",
    "≈": " is about ",
    "≤": " is at most ",
    "≥": " is at least ",
    "≠": " is not ",
    "−": "-",
    "→": " to ",
    "°": " degrees",
    "θ": "theta",
    "Ω": " ohms",
    "Δ": "change in ",
    "∪": " union ",
    "∩": " intersect ",
    "^": " to the power ",
    "_": " ",
}
_POWER = re.compile("[⁰¹⁴⁵⁶⁷⁸⁹][⁰¹²³⁴⁵⁶⁷⁸⁹]*|[²³][⁰¹²³⁴⁵⁶⁷⁸⁹]+")  # ² and ³ alone: squared, cubed
_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_MINUS = re.compile(r"(?<![\w)])-\s*(?=[\d.πx(])")
_MARKUP = re.compile(r"[\\{}$<>`*#|\[\]]")


def say_number(value: float, digits: int = 2) -> str:
    """A number as the on-screen labels show it (codegen.show), with a spoken minus sign."""
    text = show(float(value), digits)
    return "minus " + text[1:] if text.startswith("-") else text


def say_function(expr: mathexpr.Expr) -> str:
    """The teacher's expression read aloud: "3x^2 - 2x" → "3 x squared minus 2 x"."""
    return re.sub(r"\s+", " ", _say(expr.tree)).strip()


_ORDINALS = {
    2: "half", 3: "third", 4: "quarter", 5: "fifth", 6: "sixth", 7: "seventh", 8: "eighth",
    9: "ninth", 10: "tenth", 11: "eleventh", 12: "twelfth", 16: "sixteenth", 20: "twentieth",
}  # fmt: skip


def say_fraction(numerator: int, denominator: int) -> str:
    """3/4 → "3 quarters", 1/2 → "1 half", 5/13 → "5 over 13" (as a teacher reads them)."""
    name = _ORDINALS.get(denominator)
    if name is None:
        return f"{numerator} over {denominator}"
    if numerator != 1:
        name = "halves" if denominator == 2 else name + "s"
    return f"{numerator} {name}"


def say_list(items: list[str], conjunction: str = "and") -> str:
    """["a", "b", "c"] → "a, b and c"."""
    words = [str(item) for item in items]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {conjunction} " + words[-1]


def spoken(text: str) -> str:
    """Plain text a speech engine can read: symbols in words, no markup, length capped."""
    text = _POWER.sub(lambda m: " to the power " + m.group().translate(_DIGITS) + " ", text)
    for symbol, words in _SPOKEN_RELATIONS.items():
        text = text.replace(symbol, words)
    for symbol, words in _SPOKEN_SYMBOLS.items():
        text = text.replace(symbol, words)
    text = _MINUS.sub("minus ", text)  # "-3" is said "minus 3"; "x-axis" keeps its hyphen
    text = _MARKUP.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,.?!:;])", r"\1", text)
    if len(text) > MAX_STEP_TEXT:
        text = text[: MAX_STEP_TEXT - 1].rsplit(" ", 1)[0].rstrip(",;:") + "."
    return text


@dataclass(frozen=True)
class Spoken:
    """A step's speech worked out in the scene from its input lines (templates whose code
    computes everything from the inputs at the top, so editing one re-words the speech too).

    `code` is the expression emitted inside narrate(...), one piece per line (implicitly
    joined); `text`, when given, is what it says for the template's own values.
    """

    code: tuple[str, ...]
    text: str | None = None


def narrated(code: str, sentences: Sequence[str | Spoken]) -> str:
    """The scene code with narrate("...") opening each visual step of construct().

    A step is a block of construct() that starts with a comment after a blank line and
    plays an animation; the call goes under that comment, so the speech starts as the step
    does. There must be exactly one sentence per step (a template that adds a step says it).
    """
    lines = code.split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip() == "def construct(self):")
    indent = " " * (len(lines[start]) - len(lines[start].lstrip()) + 4)
    end = next(
        (
            i
            for i in range(start + 1, len(lines))
            if lines[i].strip() and not lines[i].startswith(indent)
        ),
        len(lines),
    )
    headers = [
        i
        for i in range(start + 1, end)
        if lines[i].startswith(indent + "# ") and not lines[i - 1].strip()
    ]
    steps = [
        header
        for header, after in zip(headers, [*headers[1:], end], strict=True)
        if any("self.play(" in line for line in lines[header:after])
    ]
    first = headers[0] if headers else end
    if any("self.play(" in line for line in lines[start:first]):
        raise ValueError("construct() plays an animation before its first step comment")
    if len(steps) != len(sentences):
        raise ValueError(f"{len(steps)} visual steps but {len(sentences)} narration sentences")
    for header, sentence in reversed(list(zip(steps, sentences, strict=True))):
        if isinstance(sentence, Spoken):
            call = [f"{indent}narrate(", *[f"{indent}    {p}" for p in sentence.code], f"{indent})"]
            one_line = f"{indent}narrate({sentence.code[0]})"
            if len(sentence.code) == 1 and len(one_line) <= 99:
                call = [one_line]
            lines[header + 1 : header + 1] = call
            continue
        text = spoken(sentence)
        if not text:
            raise ValueError("an empty narration sentence")
        lines[header + 1 : header + 1] = _narrate_call(text, indent)
    return "\n".join(lines)


def _narrate_call(text: str, indent: str) -> list[str]:
    """narrate("...") on one line, or its text split at words over several (lines <= 99)."""
    one_line = f"{indent}narrate({literal(text)})"
    if len(one_line) <= 99:
        return [one_line]
    width = 99 - len(indent) - 6  # the inner indent and the quotes
    pieces = textwrap.wrap(text, width=width, drop_whitespace=False)
    return [f"{indent}narrate(", *[f"{indent}    {literal(p)}" for p in pieces], f"{indent})"]


def _say(node: ast.AST) -> str:
    if isinstance(node, ast.Constant):
        assert isinstance(node.value, int | float)  # mathexpr allows only numbers
        return say_number(float(node.value), 4)
    if isinstance(node, ast.Name):
        return {"pi": "pi", "e": "e"}.get(node.id, node.id)
    if isinstance(node, ast.Call):
        name = node.func.id  # type: ignore[attr-defined]
        inner = _say(node.args[0])
        simple = isinstance(node.args[0], ast.Name | ast.Constant)
        if name == "exp":
            return f"e to the power {inner}" if simple else f"e to the power of, {inner},"
        spoken_name = _FUNCTION_WORDS.get(name, name)
        return f"{spoken_name} of {inner}" if simple else f"{spoken_name} of, {inner},"
    if isinstance(node, ast.UnaryOp):
        return ("minus " if isinstance(node.op, ast.USub) else "") + _say(node.operand)
    assert isinstance(node, ast.BinOp)
    left, right = _say(node.left), _say(node.right)
    if isinstance(node.op, ast.Pow):
        power = {"2": "squared", "3": "cubed"}.get(right)
        return f"{left} {power}" if power else f"{left} to the power {right}"
    if isinstance(node.op, ast.Mult):
        return f"{left} {right}" if isinstance(node.left, ast.Constant) else f"{left} times {right}"
    word = {ast.Add: "plus", ast.Sub: "minus", ast.Div: "over"}[type(node.op)]
    return f"{left} {word} {right}"


_FUNCTION_WORDS = {
    "sin": "sine",
    "cos": "cosine",
    "tan": "tangent",
    "arcsin": "arc sine",
    "arccos": "arc cosine",
    "arctan": "arc tangent",
    "log": "the natural log",
    "log10": "log base 10",
    "log2": "log base 2",
    "sqrt": "the square root",
    "abs": "the absolute value",
}
