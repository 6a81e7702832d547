"""Taylor (Maclaurin) polynomials closing in on sin, cos, e^x or ln(1+x), one term at a time."""

from __future__ import annotations

import math
from dataclasses import dataclass

from app.generators.offline import codegen
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.controls import Choice, Number
from app.generators.offline.extract import Prompt

ID = "taylor_series"
TITLE = "Taylor series approximation"
SUBJECT = "Math"
EXAMPLE_PROMPT = "Approximate sin x with its Taylor polynomials, 4 terms"
DEFAULTS = {"function": "sin", "terms": 4}
VARIANTS = [
    {"function": "exp", "terms": 5},
    {"function": "ln(1+x)", "terms": 6},
]
TRIGGERS = {
    r"\btaylor\b": 8,
    r"\bmaclaurin\b": 8,
    r"\bpower series\b": 6,
    r"\bpolynomial approximations?\b|\bapproximat\w* .* with (?:a )?polynomials?\b": 4,
    r"\bseries expansion\b|\bexpand\w* .* as a series\b": 4,
}
MAX_TERMS = 8
# f(x) as a description writes it
NAMES = {"sin": "sin(x)", "cos": "cos(x)", "exp": "e^x", "ln(1+x)": "ln(1 + x)"}
SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass(frozen=True)
class Series:
    """The Maclaurin series of one function: its k-th non-zero term, in code and in LaTeX."""

    label_tex: str  # f(x) in LaTeX
    numpy: str  # f(x) in emitted code
    term_code: str  # the k-th non-zero term, in emitted code
    term_comment: str
    x_range: list[float]
    y_range: list[float]
    f_start: float  # where f's curve starts (ln(1+x) is undefined at -1)


SERIES = {
    "sin": Series(
        r"\sin(x)",
        "np.sin(x)",
        "(-1) ** k * x ** (2 * k + 1) / math.factorial(2 * k + 1)",
        "(-1)^k x^(2k+1) / (2k+1)!",
        [round(-2 * math.pi, 6), round(2 * math.pi, 6), round(math.pi / 2, 6)],
        [-2.0, 2.0, 1.0],
        round(-2 * math.pi, 6),
    ),
    "cos": Series(
        r"\cos(x)",
        "np.cos(x)",
        "(-1) ** k * x ** (2 * k) / math.factorial(2 * k)",
        "(-1)^k x^(2k) / (2k)!",
        [round(-2 * math.pi, 6), round(2 * math.pi, 6), round(math.pi / 2, 6)],
        [-2.0, 2.0, 1.0],
        round(-2 * math.pi, 6),
    ),
    "exp": Series(
        r"e^{x}",
        "np.exp(x)",
        "x**k / math.factorial(k)",
        "x^k / k!",
        [-3.0, 3.0, 1.0],
        [-5.0, 20.0, 5.0],
        -3.0,
    ),
    "ln(1+x)": Series(
        r"\ln(1+x)",
        "np.log(1 + x)",
        "(-1) ** k * x ** (k + 1) / (k + 1)",
        "(-1)^k x^(k+1) / (k+1), for -1 < x <= 1",
        [-1.0, 2.0, 0.5],
        [-3.0, 2.0, 1.0],
        -0.95,
    ),
}
ALIASES = {
    "sine": "sin",
    "sin(x)": "sin",
    "sin x": "sin",
    "cosine": "cos",
    "cos(x)": "cos",
    "cos x": "cos",
    "e^x": "exp",
    "exp(x)": "exp",
    "exponential": "exp",
    "e": "exp",
    "ln(1 + x)": "ln(1+x)",
    "log(1+x)": "ln(1+x)",
    "log(1 + x)": "ln(1+x)",
    "ln": "ln(1+x)",
    "log": "ln(1+x)",
}


def _term_parts(function: str, k: int) -> tuple[bool, int, str]:
    """The k-th non-zero term as (negative?, power of x, divisor as written: "3!")."""
    power, divisor = {
        "sin": (2 * k + 1, f"{2 * k + 1}!"),
        "cos": (2 * k, f"{2 * k}!"),
        "exp": (k, f"{k}!"),
        "ln(1+x)": (k + 1, f"{k + 1}"),
    }[function]
    negative = function in ("sin", "cos", "ln(1+x)") and k % 2 == 1
    return negative, power, divisor


def term_tex(function: str, k: int) -> str:
    """The k-th non-zero term in LaTeX, with its sign: "- \\frac{x^{3}}{3!}"."""
    negative, power, divisor = _term_parts(function, k)
    x_power = "1" if power == 0 else "x" if power == 1 else f"x^{{{power}}}"
    body = x_power if divisor in ("0!", "1!", "1") else rf"\frac{{{x_power}}}{{{divisor}}}"
    sign = "-" if negative else "+"
    return f"{sign} {body}"


def term_words(function: str, k: int) -> str:
    """The same term as a description writes it: "- x³/3!"."""
    negative, power, divisor = _term_parts(function, k)
    x_power = "1" if power == 0 else "x" if power == 1 else "x" + str(power).translate(SUPERSCRIPTS)
    body = x_power if divisor in ("0!", "1!", "1") else f"{x_power}/{divisor}"
    sign = "-" if negative else "+"
    return f"{sign} {body}"


def degree(function: str, terms: int) -> int:
    """The degree of the polynomial made of the first `terms` non-zero terms."""
    return {"sin": 2 * terms - 1, "cos": 2 * terms - 2, "exp": terms - 1, "ln(1+x)": terms}[
        function
    ]


def polynomial_words(function: str, terms: int) -> str:
    text = " ".join(term_words(function, k) for k in range(terms))
    return text[2:] if text.startswith("+ ") else text


def _polynomial_names(function: str, terms: int) -> list[tuple[int, int]]:
    """(n, degree of P) for each polynomial the video shows, one more term each time."""
    return [(n, degree(function, n)) for n in range(1, terms + 1)]


def describe(params: dict) -> list[str]:
    function, terms = params["function"], params["terms"]
    sentences = [
        "The title reads: Taylor polynomials close in on a function.",
        f"Axes appear and the curve f(x) = {NAMES[function]} is drawn thick; a key says thick "
        "is f(x) and thin is the polynomial.",
    ]
    for n, power in _polynomial_names(function, terms):
        polynomial = f"P{power}(x) = {polynomial_words(function, n)}"
        if n == 1:
            sentences.append(f"With 1 term, a thin curve shows {polynomial}.")
        else:
            sentences.append(f"With {n} terms, the thin curve becomes {polynomial}.")
    return sentences


def polynomial_tex(function: str, terms: int) -> str:
    text = " ".join(term_tex(function, k) for k in range(terms))
    return text[2:] if text.startswith("+ ") else text


def extract(prompt: Prompt) -> dict:
    params: dict = {}
    if prompt.has(r"\bln\b|\blog"):
        params["function"] = "ln(1+x)"
    elif prompt.has(r"\bcos|cosine"):
        params["function"] = "cos"
    elif prompt.has(r"\be\s*\^|\bexp|exponential|e to the"):
        params["function"] = "exp"
    elif prompt.has(r"\bsin|\bsine"):
        params["function"] = "sin"
    terms = prompt.number_before(r"(?:non-?zero )?terms?\b")
    if terms is None:
        terms = prompt.number_after(r"\b(?:up to|with|using) (?:the )?(?:first )?")
    if terms is None:
        degree = prompt.number_after(r"\b(?:degree|order)")
        if degree is not None:
            terms = _terms_for_degree(params.get("function", "sin"), int(degree))
    if terms is not None:
        params["terms"] = terms
    return params


def _terms_for_degree(function: str, degree: int) -> int:
    if function == "sin":
        return max(1, (degree + 1) // 2)
    if function == "cos":
        return degree // 2 + 1
    if function == "exp":
        return degree + 1
    return max(1, degree)


CONTROLS = {
    "function": Choice("Function", tuple(SERIES), labels=tuple(NAMES[name] for name in SERIES)),
    "terms": Number("Number of terms", 1, MAX_TERMS, step=1, integer=True),
}


def validate(params: dict, notes: list[str]) -> dict:
    params["function"] = checks.choice(params["function"], "function", list(SERIES), ALIASES)
    params["terms"] = checks.integer(params["terms"], "terms", low=1, high=MAX_TERMS)
    return params


SKELETON = """\
from manim import *
import math
import numpy as np


def f(x):
    # The function being approximated
    return <<numpy>>


def taylor_term(k, x):
    # The k-th non-zero term of the Maclaurin series: <<term_comment>>
    return <<term_code>>


def taylor_polynomial(terms, x):
    # The sum of the first `terms` non-zero terms
    return sum(taylor_term(k, x) for k in range(terms))


def visible_interval(g, x_min, x_max, y_min, y_max):
    # The stretch around x = 0 where g stays inside the axes, so no curve leaves them
    xs = np.linspace(x_min, x_max, 801)
    inside = [y_min <= g(x) <= y_max for x in xs]
    middle = int(np.argmin(np.abs(xs)))
    left = right = middle
    while left > 0 and inside[left - 1]:
        left -= 1
    while right < len(xs) - 1 and inside[right + 1]:
        right += 1
    return xs[left], xs[right]


def fit_width(label, max_width):
    \"\"\"Shrink a label wider than max_width so long formulas stay on screen.\"\"\"
    if label.width > max_width:
        label.scale_to_fit_width(max_width)
    return label


class TaylorSeries(Scene):
    def construct(self):
<<fit_frame>>
        terms = <<terms>>  # how many non-zero terms to add, one at a time
        polynomials_tex = <<polynomials_tex>>  # each polynomial written out (P_n has degree n)

        # Title
        title = Text("Taylor polynomials close in on a function", font_size=36)
        fit_title(self, title).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # Axes and the function itself
        axes = Axes(
            x_range=<<x_range>>,
            y_range=<<y_range>>,
            x_length=8.6,
            y_length=4.8,
            tips=False,
            axis_config={"font_size": 22},
            y_axis_config={
                "include_numbers": True,
                "decimal_number_config": {"num_decimal_places": 0},
            },
        ).move_to([-2.4, 0.1, 0])
        put(axes, diagram)
        y_min, y_max = axes.y_range[0], axes.y_range[1]
        x_min, x_max = axes.x_range[0], axes.x_range[1]
        f_start = <<f_start>>
        graph = axes.plot(
            f, x_range=[f_start, x_max, (x_max - f_start) / 200], color=ACCENT, stroke_width=8
        )
        name = MathTex(r"f(x) = <<label_tex>>", font_size=40, color=ACCENT)
        put(name, panel, 4.9, 2.2)
        # Which curve is which, in words: f is drawn thick, each polynomial thin
        key = Text("thick: f(x)\\nthin: the polynomial", font_size=22, color=MUTED)
        put(key, panel, 4.9, 0.1)
        self.play(Create(axes), run_time=1.5)
        self.play(Create(graph), Write(name), FadeIn(key), run_time=1.5)

        # Add one term at a time: each polynomial hugs the curve over a wider stretch
        approximation = formula = counter = None
        for n in range(1, terms + 1):
            start, end = visible_interval(
                lambda x: taylor_polynomial(n, x), x_min, x_max, y_min, y_max
            )
            curve = axes.plot(
                lambda x: taylor_polynomial(n, x),
                x_range=[start, end, (end - start) / 200],
                color=HIGHLIGHT,
                stroke_width=3,
            )
            count = Text(f"{n} term" + ("s" if n > 1 else ""), font_size=28)
            put(count, panel, 4.9, 1.1)
            new_formula = MathTex(polynomials_tex[n - 1], font_size=38, color=HIGHLIGHT)
            put(fit_width(new_formula, 12), strip, 0, -3.1)
            if approximation is None:
                self.play(Create(curve), FadeIn(count), Write(new_formula), run_time=1.5)
                approximation, counter, formula = curve, count, new_formula
            else:
                self.play(
                    Transform(approximation, curve),
                    Transform(counter, count),
                    Transform(formula, new_formula),
                    run_time=<<step_time>>,
                )
            self.wait(0.4)
        self.wait(2)
"""


def build(params: dict) -> str:
    function, terms = params["function"], params["terms"]
    series = SERIES[function]
    polynomials = [
        f"P_{{{power}}}(x) = " + polynomial_tex(function, n)
        for n, power in _polynomial_names(function, terms)
    ]
    step_time = 1.2 if terms <= 5 else 0.9
    return fill(
        SKELETON,
        numpy=series.numpy,
        term_comment=series.term_comment,
        term_code=series.term_code,
        fit_frame=codegen.arrange_parts(
            {
                "diagram": (-7.0, -2.6, 2.0, 2.8),
                "panel": (2.9, -0.5, 6.9, 2.7),
                "strip": (-6.1, -3.6, 6.1, -2.6),
            }
        ),
        terms=literal(terms),
        polynomials_tex=codegen.block_literal(polynomials, 8, 18),
        x_range=literal(series.x_range),
        y_range=literal(series.y_range),
        label_tex=series.label_tex,
        step_time=literal(step_time),
        f_start=literal(series.f_start),
    )


def narration(params: dict) -> list[str]:
    function, terms = params["function"], params["terms"]
    return [
        "Taylor polynomials close in on a function.",
        f"Here is f of x = {NAMES[function]}, drawn thick. The thin curve will be the polynomial.",
        f"Add one term at a time, up to {terms} term{'s' if terms != 1 else ''}: each "
        "polynomial hugs the curve over a wider stretch. With all of them, the polynomial is "
        f"{_say_polynomial(function, terms)}.",
    ]


def _say_polynomial(function: str, terms: int) -> str:
    """ "x - x³/3!" read aloud: "x - x cubed over 3 factorial"."""
    return polynomial_words(function, terms).replace("/", " over ").replace("!", " factorial")
