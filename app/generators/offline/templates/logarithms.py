"""Logarithms: solving b^x = y with x = log_b(y), on the graph of y = log_b(x) (which passes
through (1, 0) and (b, 1)), worked with the change of base and checked by raising b to x."""

from __future__ import annotations

import math
import re

from app.generators.offline import codegen, controls
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill
from app.generators.offline.extract import NUM, Prompt
from app.generators.offline.templates import common
from app.generators.offline.templates.common import Spoken

ID = "logarithms"
TITLE = "Logarithms"
SUBJECT = "Math"
EXAMPLE_PROMPT = "Solve 2^x = 8 with logarithms and show the log graph"
DEFAULTS = {"base": 2.0, "value": 8.0}
VARIANTS = [
    {"base": 10.0, "value": 1000.0},
    {"base": 3.0, "value": 20.0},
    {"base": 2.0, "value": 0.25},
    {"base": math.e, "value": 5.0},
]
TRIGGERS = {
    r"\blogarithms?\b|\blogarithmic\b": 9,
    r"\blog base\b|\blog_?\s*\d|\blog\s*\(|\bln\s*\(?\s*\d": 6,
    r"\blogs?\b": 3,
    r"\blaws of logs\b|\blog laws\b": 5,
    r"\b\d+(?:\.\d+)?\s*\^\s*x\s*=\s*\d": 6,
    r"\bsolve\b.*\^\s*x\b": 2,
}
BASE_LOW, BASE_HIGH = 1.1, 20.0
VALUE_LOW, VALUE_HIGH = 0.01, 100000.0
CONTROLS = {
    "base": controls.Number("Base b", BASE_LOW, BASE_HIGH),
    "value": controls.Number("Value y (solve b^x = y)", VALUE_LOW, VALUE_HIGH),
}
_BASE = rf"(e|{NUM})"


def extract(prompt: Prompt) -> dict:
    text = prompt.text
    params: dict = {}
    # 2^x = 8, 3 ^ x = 20
    power = re.search(rf"\b{_BASE}\s*\^\s*\(?x\)?\s*=\s*({NUM})", text)
    # log base 2 of 8, log_2(8), log2 8; log of 8 to base 2
    logged = re.search(rf"\blog\s*(?:base\s*|_\s*)?{_BASE}\s*(?:of\s*|\(\s*)({NUM})\b", text)
    logged = logged or re.search(rf"\blog\s*(?:base\s*|_\s*){_BASE}\s+({NUM})\b", text)
    to_base = re.search(rf"\blog\s*(?:of\s*)?\(?({NUM})\)?\s*(?:to|in)\s*base\s*{_BASE}", text)
    natural = re.search(rf"\bln\s*\(?\s*({NUM})\b", text)
    common_log = re.search(rf"\blog\s*(?:of\s*)?(?:\(\s*({NUM})\s*\)|({NUM})\b)", text)
    if power:
        params["base"], params["value"] = _number(power.group(1)), float(power.group(2))
    elif to_base:
        params["value"], params["base"] = float(to_base.group(1)), _number(to_base.group(2))
    elif logged:
        params["base"], params["value"] = _number(logged.group(1)), float(logged.group(2))
    elif natural:
        params["base"], params["value"] = math.e, float(natural.group(1))
    elif common_log:
        params["base"], params["value"] = 10.0, float(common_log.group(1) or common_log.group(2))
    else:
        base = prompt.number_after(r"\bbase")
        if base is not None:
            params["base"] = base
        value = prompt.number_after(r"\bvalue(?: y)?|\by\s*=")
        if value is not None:
            params["value"] = value
    return params


def _number(text: str) -> float:
    return math.e if text == "e" else float(text)


def validate(params: dict, notes: list[str]) -> dict:
    base = params["base"]
    if isinstance(base, str) and base.strip().lower() == "e":
        base = math.e
    params["base"] = checks.number(base, "base", low=BASE_LOW, high=BASE_HIGH)
    params["value"] = checks.number(params["value"], "value", low=VALUE_LOW, high=VALUE_HIGH)
    return params


SKELETON = r"""from manim import *
import math

b = <<base>>  # the base
y = <<value>>  # solve b^x = y: x = log_b(y)


def fmt(value):
    # 3.0 -> "3", 2.7182 -> "2.72" for labels
    return f"{value:.2f}".rstrip("0").rstrip(".")


def log_b(t):
    # The logarithm to base b: log_b(t) = ln(t) / ln(b)
    return math.log(t) / math.log(b)


<<tick_step>>


<<places>>


<<arrange>>


x = log_b(y)  # the answer: b^x = y
base = "e" if abs(b - math.e) < 1e-4 else fmt(b)  # e is written as a letter
log_name = r"\ln" if base == "e" else rf"\log_{{{base}}}"
exact = abs(b ** round(x, 2) - y) < 1e-9  # is the 2-place answer exact?
# Axes wide enough for 1, b and y, and tall enough for the answer x
t_step = tick_step(max(y, b, 1) * 1.15, 6)
t_end = math.ceil(max(y, b, 1) * 1.15 / t_step) * t_step
h_step = tick_step(max(2, log_b(t_end)) - min(-2, math.floor(x) - 1), 6)
h_low = math.floor(min(-2, math.floor(x) - 1) / h_step) * h_step
h_high = math.ceil(max(2, log_b(t_end)) / h_step) * h_step


class Logarithms(Scene):
    def construct(self):
        # The parts: the title, the graph of y = log_b(x) and the working beside it
        title = Text("Logarithms", font_size=40)
        axes = Axes(
            x_range=[0, t_end, t_step],
            y_range=[h_low, h_high, h_step],
            x_length=6.6,
            y_length=5.2,
            tips=False,
            axis_config={"include_numbers": True, "font_size": 20},
            x_axis_config={"decimal_number_config": {"num_decimal_places": places(t_step)}},
            y_axis_config={"decimal_number_config": {"num_decimal_places": places(h_step)}},
        )
        # The curve starts where it enters the bottom of the axes, at b^h_low
        curve = axes.plot(
            log_b, x_range=[b**h_low, t_end, (t_end - b**h_low) / 300], color=ACCENT
        )
        name = MathTex(rf"y = {log_name} x", font_size=32, color=ACCENT)
        # Above the curve's right end, clear of the answer's label below and right of its dot
        name.next_to(axes.c2p(t_end, log_b(t_end)), UP, buff=0.25).shift(LEFT * 0.8)
        known = VGroup(
            Dot(axes.c2p(1, 0), color=SECONDARY), Dot(axes.c2p(b, 1), color=SECONDARY)
        )
        known_labels = VGroup(
            MathTex("(1,\\ 0)", font_size=26).next_to(known[0], UL, buff=0.1),
            MathTex(rf"({base},\ 1)", font_size=26).next_to(known[1], UL, buff=0.1),
        )
        answer_point = axes.c2p(y, x)
        guides = VGroup(
            DashedLine(axes.c2p(y, 0), answer_point, color=MUTED),
            DashedLine(axes.c2p(0, x), answer_point, color=MUTED),
        )
        answer_dot = Dot(answer_point, color=HIGHLIGHT)
        answer_label = MathTex(rf"({fmt(y)},\ {fmt(x)})", font_size=28, color=HIGHLIGHT)
        answer_label.next_to(answer_dot, UR if x < 0 else DR, buff=0.12)
        graph = VGroup(
            axes, curve, name, known, known_labels, guides, answer_dot, answer_label
        )
        equation = MathTex(rf"{base}^x = {fmt(y)}", font_size=44)
        take_log = MathTex(rf"x = {log_name} {fmt(y)}", font_size=40)
        change = MathTex(
            rf"x = \frac{{\ln {fmt(y)}}}{{\ln {base}}} = {fmt(x)}", font_size=40
        )
        sign = "=" if exact else r"\approx"
        check = MathTex(
            rf"{base}^{{{fmt(x)}}} {sign} {fmt(b ** x)}",
            font_size=40,
            color=HIGHLIGHT,
        )
        laws = Text(f"log of 1 is 0, log of {base} is 1", font_size=24, color=SECONDARY)
        working = VGroup(laws, equation, take_log, change, check).arrange(DOWN, buff=0.45)

        # Layout: the title on top, the graph and the working side by side
        arrange_scene(self, title, [graph, working])

        # Title
        self.play(Write(title), run_time=1)

        # The graph of y = log_b(x)
        self.play(Create(axes), run_time=1.2)
        self.play(Create(curve), FadeIn(name), run_time=1.8)

        # Every log curve passes through (1, 0) and (b, 1)
        self.play(FadeIn(known), Write(known_labels), FadeIn(laws), run_time=1.2)

        # The equation, solved by taking the log to base b of both sides
        self.play(Write(equation), run_time=1)
        self.play(Write(take_log), run_time=1)

        # The value from the change of base, marked on the curve
        self.play(Write(change), run_time=1.2)
        self.play(Create(guides), FadeIn(answer_dot), Write(answer_label), run_time=1.2)

        # The check: b to the power x gives y back
        self.play(Write(check), run_time=1)
        self.play(Create(SurroundingRectangle(change, color=HIGHLIGHT)), run_time=0.8)
        self.wait(2)
"""


def fmt(value: float) -> str:
    """The video's fmt: 3.0 → "3", 2.7182 → "2.72"."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _base_name(b: float) -> str:
    return "e" if abs(b - math.e) < 1e-4 else fmt(b)


def describe(params: dict) -> list[str]:
    b = float(codegen.number_literal(params["base"]))
    y = float(codegen.number_literal(params["value"]))
    x = math.log(y) / math.log(b)
    base = _base_name(b)
    log_name = "ln" if base == "e" else f"log base {base} of"
    exact = abs(b ** round(x, 2) - y) < 1e-9
    return [
        "The title reads: Logarithms.",
        f"Axes appear and the curve y = {log_name} x is drawn, rising ever more slowly.",
        f"Dots mark (1, 0) and ({base}, 1) on it: the log of 1 is 0, and the log of {base} is 1.",
        f"The equation {base} to the power x = {fmt(y)} is written, then x = {log_name} {fmt(y)}.",
        f"By the change of base, x = ln {fmt(y)} ÷ ln {base} = {fmt(x)}, and dashed guides mark "
        f"the point ({fmt(y)}, {fmt(x)}) on the curve.",
        f"The check: {base} to the power {fmt(x)} {'=' if exact else '≈'} {fmt(b**x)}; the "
        "answer is boxed.",
    ]


def build(params: dict) -> str:
    return fill(
        SKELETON,
        tick_step=common.TICK_STEP,
        places=common.PLACES,
        arrange=common.ARRANGE,
        base=codegen.number_literal(params["base"]),
        value=codegen.number_literal(params["value"]),
    )


def narration(params: dict) -> list[str | Spoken]:
    # The values are worked out in the scene from its input lines, like everything it shows
    return [
        "Logarithms.",
        Spoken(('f"This is the graph of y equals log base {base} of x."',)),
        Spoken(('f"Every log curve passes through 1, 0, and through {base}, 1."',)),
        Spoken(
            (
                'f"To solve {base} to the power x equals {fmt(y)}, take the log to base "',
                'f"{base} of both sides."',
            )
        ),
        Spoken(
            ('f"x is the natural log of {fmt(y)} divided by the natural log of {base}: {fmt(x)}."',)
        ),
        Spoken(('f"Check: {base} to the power {fmt(x)} gives {fmt(b ** x)}."',)),
    ]
