"""Exponential growth or decay, y = a · b^(t/T): the curve, and its doubling time or half-life
marked on it again and again, with the amount at each mark."""

from __future__ import annotations

import math
import re

from app.generators.offline import codegen, controls
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.extract import NUM, Prompt
from app.generators.offline.templates import common
from app.generators.offline.templates.common import Spoken

ID = "exponential_growth_decay"
TITLE = "Exponential growth and decay"
SUBJECT = "Math"
EXAMPLE_PROMPT = "A population of 100 doubling every 3 years: show the exponential growth"
DEFAULTS = {"initial": 100.0, "factor": 2.0, "every": 3.0, "time_unit": "years", "unit": ""}
VARIANTS = [
    {"initial": 80.0, "factor": 0.5, "every": 5.0, "time_unit": "years", "unit": "g"},
    {"initial": 3.0, "factor": 2.0, "every": 1.0, "time_unit": "none", "unit": ""},
    {"initial": 1000.0, "factor": 1.05, "every": 1.0, "time_unit": "years", "unit": ""},
    {"initial": 500.0, "factor": 0.9, "every": 2.0, "time_unit": "hours", "unit": "mg"},
]
TRIGGERS = {
    r"\bexponential(?:ly)? (?:growth|decay|grow\w*|decrease\w*|increase\w*|decline\w*)\b": 8,
    r"\bhalf[- ]?li(?:fe|ves)\b": 8,
    r"\bdoubling time\b|\bdoubl(?:e|es|ing) every\b|\bhalv(?:e|es|ing) every\b": 8,
    r"\btripl(?:e|es|ing) every\b": 8,
    r"\bradioactiv\w*\b": 4,
    r"\bgrowth\b|\bdecay\w*\b": 3,
    r"\bpopulation\b|\bbacteria\b": 2,
    r"\b(?:grows?|increases?|decreases?|falls?|shrinks?) by \d+(?:\.\d+)?\s*%": 5,
}
TIME_UNITS = ("years", "days", "hours", "minutes", "seconds", "none")
UNIT_WORDS = {
    "years": r"years?|yrs?",
    "days": r"days?",
    "hours": r"hours?|hrs?|h",
    "minutes": r"minutes?|mins?",
    "seconds": r"seconds?|secs?|s",
}
CONTROLS = {
    "initial": controls.Number("Amount at the start", 0.01, 100000),
    "factor": controls.Number("Multiplied by (2 doubles, 0.5 halves)", 0.01, 100),
    "every": controls.Number("Every (time)", 0.01, 1000),
    "time_unit": controls.Choice(
        "Time unit", TIME_UNITS, ("years", "days", "hours", "minutes", "seconds", "no unit")
    ),
    "unit": controls.Text("Unit of the amount (g, people ...)", 12, allow_empty=True),
}
_FACTORS = [
    (r"\bdoubl\w*", 2.0),
    (r"\btripl\w*", 3.0),
    (r"\bhalv\w*|\bhalf[- ]?li(?:fe|ves)", 0.5),
]


def _time_unit(word: str) -> str | None:
    for name, pattern in UNIT_WORDS.items():
        if re.fullmatch(pattern, word):
            return name
    return None


def extract(prompt: Prompt) -> dict:
    params: dict = {}
    text = prompt.text
    # y = 3 * 2^x, y = 80 (0.5)^(t/5)
    formula = re.search(
        rf"=\s*({NUM})\s*(?:\*|·|×|x(?=\s*\(?\d))?\s*\(?({NUM})\)?\s*\^\s*\(?\s*[xt]"
        rf"(?:\s*/\s*({NUM}))?\s*\)?",
        text,
    )
    if formula:
        params["initial"], params["factor"] = float(formula.group(1)), float(formula.group(2))
        params["every"] = float(formula.group(3)) if formula.group(3) else 1.0
        params["time_unit"] = "none"
        return params
    for pattern, factor in _FACTORS:
        period = re.search(
            rf"(?:{pattern})\s*(?:time\s*)?(?:of\s*|is\s*|=\s*|every\s*|each\s*)*({NUM})\s*([a-z]+)?",
            text,
        )
        if period:
            params["factor"], params["every"] = factor, float(period.group(1))
            unit = _time_unit(period.group(2) or "")
            if unit:
                params["time_unit"] = unit
            break
    percent = re.search(
        rf"\b(grows?|increases?|rises?|decreases?|falls?|shrinks?|decays?|declines?) by "
        rf"({NUM})\s*%\s*(?:a|per|each|every)\s*([a-z]+)",
        text,
    )
    if percent and "factor" not in params:
        rate = float(percent.group(2)) / 100
        growing = percent.group(1).startswith(("g", "i", "r"))
        params["factor"] = round(1 + rate if growing else 1 - rate, 10)
        params["every"] = 1.0
        unit = _time_unit(percent.group(3))
        if unit:
            params["time_unit"] = unit
    amount = re.search(
        rf"(?:(?:starting|starts?) (?:at|with|from)|initial(?:ly)?"
        rf"(?: (?:value|amount|mass|population))?(?: of| is|:)?"
        rf"|begin(?:s|ning)? (?:at|with|from)|population of|sample of|"
        rf"mass of)\s*({NUM})\s*([a-z]+)?",
        text,
    ) or re.search(rf"({NUM})\s*(g|kg|mg|grams?|bacteria|cells|people|rabbits)\b", text)
    if amount:
        params["initial"] = float(amount.group(1))
        unit = amount.group(2) or ""
        if unit in ("g", "kg", "mg", "grams", "gram"):
            params["unit"] = "g" if unit.startswith("gram") else unit
        elif unit in ("bacteria", "cells", "people", "rabbits"):
            params["unit"] = unit
    return params


def validate(params: dict, notes: list[str]) -> dict:
    params["initial"] = checks.number(params["initial"], "initial", low=0.01, high=100000)
    params["factor"] = checks.number(params["factor"], "factor", low=0.01, high=100)
    if params["factor"] == 1:
        raise checks.fail(
            "A factor of 1 never changes the amount; use 2 to double or 0.5 to halve."
        )
    params["every"] = checks.number(params["every"], "every", low=0.01, high=1000)
    params["time_unit"] = checks.choice(params["time_unit"], "time_unit", TIME_UNITS)
    unit = params["unit"]
    if isinstance(unit, str) and len(unit.strip()) > 12:
        raise checks.fail("'unit' must be at most 12 characters long.")
    params["unit"] = checks.text(unit, "unit", max_length=12, allow_empty=True)
    return params


SKELETON = r"""from manim import *
import math

a = <<initial>>  # the amount at the start, t = 0
b, T = <<factor>>, <<every>>  # the amount is multiplied by b every T: y = a * b^(t / T)
time_unit, unit = <<time_unit>>, <<unit>>  # words for the labels ("none": no time unit)


def amount(t):
    return a * b ** (t / T)


def fmt(value):
    # 200.0 -> "200", 6.9315 -> "6.93" for labels
    return f"{value:.2f}".rstrip("0").rstrip(".")


def with_unit(value):
    return f"{fmt(value)} {unit}".strip()


<<tick_step>>


<<places>>


def fit_width(label, max_width):
    if label.width > max_width:
        label.scale_to_fit_width(max_width)
    return label


# Growing (b > 1) the amount doubles every doubling time; decaying it halves every half-life
growing = b > 1
step_time = T * math.log(2) / abs(math.log(b))
marks = 3 if growing else 4
t_step = tick_step(marks * step_time * 1.1, 6)
t_end = math.ceil(marks * step_time * 1.1 / t_step) * t_step
y_top = amount(t_end) if growing else a  # the highest point of the curve drawn
y_step = tick_step(y_top * 1.1, 5)
y_end = math.ceil(y_top * 1.1 / y_step) * y_step
name = "doubling time" if growing else "half-life"
time_words = "" if time_unit == "none" else f" {time_unit}"
every = (
    f"every {fmt(step_time)}{time_words}"
    if time_unit != "none"
    else f"each time t goes up by {fmt(step_time)}"
)


class ExponentialGrowthDecay(Scene):
    def construct(self):
<<fit_frame>>
        # Title
        heading = "Exponential growth" if growing else "Exponential decay"
        title = Text(heading, font_size=40)
        fit_title(self, title).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # Axes on the left: time across, the amount up
        axes = Axes(
            x_range=[0, t_end, t_step],
            y_range=[0, y_end, y_step],
            x_length=7.6,
            y_length=5.4,
            tips=False,
            axis_config={"include_numbers": True, "font_size": 20},
            x_axis_config={"decimal_number_config": {"num_decimal_places": places(t_step)}},
            y_axis_config={"decimal_number_config": {"num_decimal_places": places(y_step)}},
        ).move_to([-2.55, -0.6, 0])
        put(axes, diagram)
        time_label = Text("t" + ("" if time_unit == "none" else f" ({time_unit})"), font_size=24)
        scaled(time_label, diagram).next_to(axes.x_axis.get_right(), RIGHT, buff=0.2)
        amount_label = Text("y" + (f" ({unit})" if unit else ""), font_size=24)
        scaled(amount_label, diagram).next_to(axes.c2p(0, y_end), UR, buff=0.15)
        self.play(Create(axes), FadeIn(time_label), FadeIn(amount_label), run_time=1.5)

        # The formula in the panel on the right, then the curve
        exponent = "t" if T == 1 else rf"t/{fmt(T)}"
        formula = MathTex(rf"y = {fmt(a)} \cdot {fmt(b)}^{{{exponent}}}", font_size=44)
        put(fit_width(formula, 4.4), side, 4.6, 2.3)
        curve = axes.plot(amount, x_range=[0, t_end, t_end / 200], color=ACCENT, stroke_width=5)
        self.play(Write(formula), run_time=1)
        self.play(Create(curve), run_time=2.5)

        # Each doubling time (or half-life): dashed guides down to the time and across to the
        # amount, and the point labelled with both
        start = Dot(axes.c2p(0, a), color=HIGHLIGHT)
        start_label = MathTex(rf"(0,\ {fmt(a)})", font_size=28)
        start_label.next_to(start, RIGHT if growing else UR, buff=0.15)
        self.play(FadeIn(start), Write(start_label), run_time=0.8)
        for k in range(1, marks + 1):
            t = k * step_time
            point = axes.c2p(t, amount(t))
            guides = VGroup(
                DashedLine(axes.c2p(t, 0), point, color=MUTED),
                DashedLine(axes.c2p(0, amount(t)), point, color=MUTED),
            )
            dot = Dot(point, color=HIGHLIGHT)
            label = MathTex(rf"({fmt(t)},\ {fmt(amount(t))})", font_size=28)
            label.next_to(dot, UL if growing else UR, buff=0.12)
            self.play(Create(guides), FadeIn(dot), Write(label), run_time=0.9)

        # The panel: the doubling time or half-life, and the amounts it gives
        period = Text(f"{name} = {fmt(step_time)}{time_words}", font_size=30, color=HIGHLIGHT)
        chain = MathTex(
            r" \to ".join(fmt(amount(k * step_time)) for k in range(marks + 1)), font_size=34
        )
        words = Text(
            f"{'doubles' if growing else 'halves'} {every}",
            font_size=26,
        )
        panel = VGroup(period, words, chain).arrange(DOWN, buff=0.4)
        scaled(fit_width(panel, 4.6), side).next_to(formula, DOWN, buff=0.6)
        self.play(Write(period), run_time=1)
        self.play(FadeIn(words), Write(chain), run_time=1.2)
        self.play(Create(SurroundingRectangle(period, color=HIGHLIGHT)), run_time=0.8)
        self.wait(2)
"""


def fmt(value: float) -> str:
    """The video's fmt: 200.0 → "200", 6.9315 → "6.93"."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def describe(params: dict) -> list[str]:
    a = float(codegen.number_literal(params["initial"]))
    b = float(codegen.number_literal(params["factor"]))
    period = float(codegen.number_literal(params["every"]))
    unit, time_unit = params["unit"], params["time_unit"]
    growing = b > 1
    step_time = period * math.log(2) / abs(math.log(b))
    marks = 3 if growing else 4
    name = "doubling time" if growing else "half-life"
    time_words = "" if time_unit == "none" else f" {time_unit}"
    every = (
        f"every {fmt(step_time)}{time_words}"
        if time_unit != "none"
        else f"each time t goes up by {fmt(step_time)}"
    )
    exponent = "t" if period == 1 else f"t/{fmt(period)}"
    amounts = [a * b ** (k * step_time / period) for k in range(marks + 1)]
    points = ", ".join(
        f"t = {fmt(k * step_time)}, y = {fmt(y)}" for k, y in enumerate(amounts) if k > 0
    )
    shown_unit = f" {unit}" if unit else ""
    return [
        f"The title reads: Exponential {'growth' if growing else 'decay'}.",
        "Axes appear: time t"
        + ("" if time_unit == "none" else f" in {time_unit}")
        + " across, and the amount y"
        + (f" in {unit}" if unit else "")
        + " up.",
        f"The formula y = {fmt(a)} · {fmt(b)} to the power {exponent} is written beside them.",
        f"The curve is drawn: it {'rises ever faster' if growing else 'falls ever more slowly'} "
        f"from y = {fmt(a)}{shown_unit} at t = 0.",
        f"Every {name}, dashed guides and a labelled dot mark the curve: {points}.",
        f"The panel reads: {name} = {fmt(step_time)}{time_words}, boxed.",
        f"It {'doubles' if growing else 'halves'} {every}: "
        + " → ".join(fmt(y) for y in amounts)
        + ".",
    ]


def build(params: dict) -> str:
    return fill(
        SKELETON,
        places=common.PLACES,
        tick_step=common.TICK_STEP,
        fit_frame=codegen.arrange_parts(
            {"diagram": (-6.9, -3.7, 3.0, 2.7), "side": (2.3, -1.0, 6.9, 2.8)}
        ),
        initial=codegen.number_literal(params["initial"]),
        factor=codegen.number_literal(params["factor"]),
        every=codegen.number_literal(params["every"]),
        time_unit=literal(params["time_unit"]),
        unit=literal(params["unit"]),
    )


def narration(params: dict) -> list[str | Spoken]:
    # The values are worked out in the scene from its input lines, like everything it shows
    return [
        Spoken(('"Exponential growth." if growing else "Exponential decay."',)),
        "Time goes across, and the amount goes up.",
        Spoken(
            ('f"The formula is y equals {fmt(a)} times {fmt(b)} to the power t over {fmt(T)}."',)
        ),
        Spoken(
            (
                'f"{every[0].upper()}{every[1:]}, the amount "',
                '+ ("doubles." if growing else "halves.")',
            )
        ),
        Spoken(('f"So the {name} is {fmt(step_time)}{time_words}."',)),
    ]
