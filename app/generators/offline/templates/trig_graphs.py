"""Trigonometric graphs: y = A sin(B(x - C)), A cos(B(x - C)) or A tan(B(x - C)) in degrees,
with the amplitude (or stretch), the period 360° ÷ B (180° ÷ B for tan) and the phase shift C
marked on the curve."""

from __future__ import annotations

import math
import re

from app.generators.offline import codegen, controls
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.extract import NUM, Prompt
from app.generators.offline.templates import common
from app.generators.offline.templates.common import Spoken

ID = "trig_graphs"
TITLE = "Trigonometric graphs"
SUBJECT = "Math"
EXAMPLE_PROMPT = "Graph y = 2 sin(3x): amplitude and period of a trigonometric graph"
FUNCTIONS = ("sin", "cos", "tan")
DEFAULTS = {"function": "sin", "amplitude": 2.0, "period": 120.0, "phase": 0.0}
VARIANTS = [
    {"function": "cos", "amplitude": 1.0, "period": 360.0, "phase": 60.0},
    {"function": "sin", "amplitude": 3.0, "period": 180.0, "phase": -30.0},
    {"function": "tan", "amplitude": 1.0, "period": 180.0, "phase": 0.0},
    {"function": "cos", "amplitude": 0.5, "period": 720.0, "phase": 0.0},
]
TRIGGERS = {
    r"\btrig(?:onometric)? (?:graphs?|curves?)\b|\bgraphs? of trig\w*": 10,
    r"\b(?:sine|cosine|tangent|sin|cos|tan) (?:graphs?|curves?|waves?)\b": 3,
    r"\bgraphs? of (?:y\s*=\s*)?(?:sin|cos|tan)\w*\b": 8,
    r"\bamplitude\b": 5,
    r"\bperiod\b": 3,
    r"\bphase(?: shift)?\b": 4,
    r"\by\s*=\s*(?:-?\d+(?:\.\d+)?\s*\*?\s*)?(?:sin|cos|tan)\b": 6,
    # A stretched or squeezed sin, cos or tan: 3sin(x), sin(2x)
    r"\b\d+(?:\.\d+)?\s*\*?\s*(?:sin|cos|tan)\b": 4,
    r"\b(?:sin|cos|tan)\s*\(\s*\d+(?:\.\d+)?\s*\*?\s*\(?x": 4,
}
CONTROLS = {
    "function": controls.Choice("Function", FUNCTIONS, ("sine", "cosine", "tangent")),
    "amplitude": controls.Number("Amplitude A (the stretch for tan)", 0.1, 10),
    "period": controls.Number("Period", 30, 720, unit="°"),
    "phase": controls.Number("Phase shift to the right", -360, 360, unit="°"),
}
_FORMULA = re.compile(
    rf"(?:\by\s*=\s*|\b)({NUM})?\s*\*?\s*(sin|cos|tan)\s*\(\s*(?:({NUM})\s*\*?\s*)?(\()?\s*x\s*"
    rf"(?:([+-])\s*({NUM})\s*°?)?\s*\)?"
)


def extract(prompt: Prompt) -> dict:
    params: dict = {}
    text = prompt.text
    formula = _FORMULA.search(text)
    if formula:
        amplitude, function, factor, nested, sign, shift = formula.groups()
        b = float(factor) if factor else 1.0
        params["function"] = function
        params["amplitude"] = abs(float(amplitude)) if amplitude else 1.0
        if b:
            params["period"] = (180.0 if function == "tan" else 360.0) / b
        if shift:
            c = float(shift) if nested else float(shift) / b if b else 0.0
            params["phase"] = -c if sign == "+" else c
    else:
        named = prompt.search(r"\b(sin|cos|tan)(?:e|ine|gent)?\b")
        if named:
            # A function named alone is the function itself (y = sin x), not the example's
            # stretched one.
            function = named.group(1)
            params |= {"function": function, "amplitude": 1.0}
            params["period"] = 180.0 if function == "tan" else 360.0
    amplitude = prompt.number_after(r"\bamplitude(?: of)?")
    if amplitude is not None:
        params["amplitude"] = abs(amplitude)
    period = prompt.number_after(r"\bperiod(?: of)?")
    if period is not None:
        params["period"] = period
    phase = prompt.search(
        rf"\bphase(?: shift)?(?: of)?\s*(?:is|=|:)?\s*({NUM})\s*°?\s*(?:degrees?\s*)?"
        rf"(?:to the\s*)?(left|right)?"
    )
    if phase:
        params["phase"] = float(phase.group(1)) * (-1 if phase.group(2) == "left" else 1)
    return params


def validate(params: dict, notes: list[str]) -> dict:
    params["function"] = checks.choice(
        params["function"],
        "function",
        FUNCTIONS,
        {"sine": "sin", "cosine": "cos", "tangent": "tan"},
    )
    params["amplitude"] = checks.number(params["amplitude"], "amplitude", low=0.1, high=10)
    params["period"] = checks.number(params["period"], "period", low=30, high=720)
    params["phase"] = checks.number(params["phase"], "phase", low=-360, high=360)
    return params


SKELETON = r"""from manim import *
import math
import numpy as np

function = <<function>>  # "sin", "cos" or "tan"
A = <<amplitude>>  # the amplitude (for tan, the vertical stretch)
period = <<period>>  # degrees for one whole cycle
C = <<phase>>  # degrees: the graph moves C to the right (left when negative)

B = (180 if function == "tan" else 360) / period  # y = A f(B(x - C))


def y_of(x):
    # The graph's height at x degrees
    turn = B * (x - C) * DEGREES
    return A * {"sin": np.sin, "cos": np.cos, "tan": np.tan}[function](turn)


def fmt(value):
    # 2.0 -> "2", 0.5 -> "0.5" for labels
    return f"{value:.2f}".rstrip("0").rstrip(".")


<<tick_step>>


<<places>>


<<arrange>>


# Each cycle starts at C + k * period (sin and tan rise through 0 there, cos is at its top):
# the first start at or after x = 0, and the axis long enough for one whole period after it
first = C + math.ceil(-C / period - 1e-9) * period
x_step = next(s for s in (30, 45, 90, 180, 360) if max(360, first + period) / s <= 8)
x_end = math.ceil(max(360, first + period) / x_step) * x_step
y_top = A * (3 if function == "tan" else 1.3)
y_step = tick_step(2 * y_top, 6)
y_top = math.ceil(y_top / y_step) * y_step
# Where the graph reaches A: a quarter period after a start (sin, tan) or at it (cos)
peak = first + (0 if function == "cos" else period / 4)
formula_text = {"sin": r"\sin", "cos": r"\cos", "tan": r"\tan"}[function]
if C == 0:
    inside = "x" if B == 1 else f"{fmt(B)}x"
else:
    shift = rf"x - {fmt(C)}^\circ" if C > 0 else rf"x + {fmt(-C)}^\circ"
    inside = shift if B == 1 else rf"{fmt(B)}({shift})"
formula = rf"y = {'' if A == 1 else fmt(A)}{formula_text}\left({inside}\right)"


class TrigGraphs(Scene):
    def construct(self):
        # The parts: the title, the graph with its marks, and the values beside it
        title = Text("Trigonometric graphs", font_size=40)
        axes = Axes(
            x_range=[0, x_end, x_step],
            y_range=[-y_top, y_top, y_step],
            x_length=7.6,
            y_length=5.0,
            tips=False,
            axis_config={"include_numbers": True, "font_size": 20},
            y_axis_config={"decimal_number_config": {"num_decimal_places": places(y_step)}},
        )
        x_name = Text("x (°)", font_size=22).next_to(axes.x_axis.get_right(), RIGHT, buff=0.15)
        if function == "tan":
            # tan runs off the axes at each asymptote: draw it a cycle at a time, kept on them
            reach = math.degrees(math.atan(y_top / A)) / B
            starts = [first + k * period for k in range(-1, int(x_end / period) + 2)]
            pieces = [
                (max(z - reach, 0), min(z + reach, x_end))
                for z in starts
                if min(z + reach, x_end) - max(z - reach, 0) > 1
            ]
            curve = VGroup(
                *[
                    axes.plot(y_of, x_range=[lo, hi, (hi - lo) / 100], color=ACCENT)
                    for lo, hi in pieces
                ]
            )
        else:
            curve = axes.plot(y_of, x_range=[0, x_end, x_end / 400], color=ACCENT)
        height = DoubleArrow(
            axes.c2p(peak, 0), axes.c2p(peak, A), buff=0, color=SECONDARY, tip_length=0.18
        )
        height_label = MathTex(f"{fmt(A)}", font_size=30, color=SECONDARY)
        height_label.next_to(height, RIGHT, buff=0.1)
        level = -y_top * 0.85 if function == "tan" else -A * 1.15
        cycle = DoubleArrow(
            axes.c2p(first, level), axes.c2p(first + period, level), buff=0, color=TERTIARY,
            tip_length=0.18,
        )
        cycle_label = MathTex(rf"{fmt(period)}^\circ", font_size=30, color=TERTIARY)
        cycle_label.next_to(cycle, DOWN, buff=0.1)
        start_line = DashedLine(
            axes.c2p(first, -y_top), axes.c2p(first, y_top), color=MUTED
        )
        graph = VGroup(axes, x_name, curve, height, height_label, cycle, cycle_label, start_line)
        formula_tex = MathTex(formula, font_size=40, color=ACCENT)
        size = "stretch" if function == "tan" else "amplitude"
        size_line = MathTex(rf"\text{{{size}}} = {fmt(A)}", font_size=34, color=SECONDARY)
        period_line = MathTex(
            rf"\text{{period}} = {180 if function == 'tan' else 360}^\circ \div {fmt(B)}"
            rf" = {fmt(period)}^\circ",
            font_size=34,
        )
        shift_words = (
            "no phase shift"
            if C == 0
            else f"phase shift {fmt(abs(C))}° {'right' if C > 0 else 'left'}"
        )
        shift_line = Text(shift_words, font_size=28)
        panel = VGroup(formula_tex, size_line, period_line, shift_line).arrange(DOWN, buff=0.45)
        if panel.width > 4.8:
            panel.scale_to_fit_width(4.8)

        # Layout: the title on top, the graph and its values side by side
        arrange_scene(self, title, [graph, panel])

        # Title
        self.play(Write(title), run_time=1)

        # The axes in degrees, and the graph
        self.play(Create(axes), FadeIn(x_name), Write(formula_tex), run_time=1.5)
        self.play(Create(curve), run_time=2.5)

        # The amplitude: how far the graph reaches above its middle line
        self.play(GrowFromCenter(height), Write(height_label), Write(size_line), run_time=1.2)

        # The period: the length of one whole cycle
        self.play(GrowFromCenter(cycle), Write(cycle_label), Write(period_line), run_time=1.2)

        # Where a cycle starts: the phase shift
        self.play(Create(start_line), Write(shift_line), run_time=1)
        self.play(Create(SurroundingRectangle(period_line, color=HIGHLIGHT)), run_time=0.8)
        self.wait(2)
"""


def fmt(value: float) -> str:
    """The video's fmt: 2.0 → "2", 0.5 → "0.5"."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def describe(params: dict) -> list[str]:
    function = params["function"]
    a = float(codegen.number_literal(params["amplitude"]))
    period = float(codegen.number_literal(params["period"]))
    c = float(codegen.number_literal(params["phase"]))
    full = 180 if function == "tan" else 360
    b = full / period
    first = c + math.ceil(-c / period - 1e-9) * period
    name = {"sin": "sine", "cos": "cosine", "tan": "tangent"}[function]
    inside = "x" if b == 1 else f"{fmt(b)}x"
    if c:
        shift = f"x - {fmt(c)}°" if c > 0 else f"x + {fmt(-c)}°"
        inside = shift if b == 1 else f"{fmt(b)}({shift})"
    size = "stretch" if function == "tan" else "amplitude"
    shift_words = "no phase shift" if c == 0 else f"a phase shift of {fmt(abs(c))}° to the "
    shift_words += "" if c == 0 else ("right" if c > 0 else "left")
    return [
        "The title reads: Trigonometric graphs.",
        f"Axes in degrees appear with the formula y = {'' if a == 1 else fmt(a) + ' '}"
        f"{function}({inside}), and the {name} graph is drawn.",
        f"A double arrow from the x-axis up to the graph marks the {size}: {fmt(a)}.",
        f"A double arrow along one whole cycle, from {fmt(first)}° to {fmt(first + period)}°, "
        f"marks the period: {full}° ÷ {fmt(b)} = {fmt(period)}°, boxed.",
        f"A dashed line at x = {fmt(first)}° marks where a cycle starts: {shift_words}.",
    ]


def build(params: dict) -> str:
    return fill(
        SKELETON,
        tick_step=common.TICK_STEP,
        places=common.PLACES,
        arrange=common.ARRANGE,
        function=literal(params["function"]),
        amplitude=codegen.number_literal(params["amplitude"]),
        period=codegen.number_literal(params["period"]),
        phase=codegen.number_literal(params["phase"]),
    )


def narration(params: dict) -> list[str | Spoken]:
    # The values are worked out in the scene from its input lines, like everything it shows
    return [
        "Trigonometric graphs.",
        Spoken(
            (
                '{"sin": "The sine graph", "cos": "The cosine graph", "tan": "The tangent "',
                '"graph"}[function] + f", {fmt(A)} times as tall and {fmt(B)} times as "',
                '"fast as the plain one."',
            )
        ),
        Spoken(
            (
                '("Its vertical stretch" if function == "tan" else "Its amplitude")',
                '+ f" is {fmt(A)}."',
            )
        ),
        Spoken(
            (
                "f\"One cycle takes {180 if function == 'tan' else 360} over {fmt(B)}, which is \"",
                'f"{fmt(period)} degrees: the period."',
            )
        ),
        Spoken(
            (
                '"There is no phase shift." if C == 0 else f"A cycle starts at {fmt(first)} "',
                'f"degrees: the graph is shifted {fmt(abs(C))} degrees "',
                '+ ("right." if C > 0 else "left.")',
            )
        ),
    ]
