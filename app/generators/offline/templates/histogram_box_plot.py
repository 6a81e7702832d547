"""A histogram and a box plot of the teacher's data on one scale: frequency density
(frequency ÷ class width) for classes of any width, then the median, the quartiles (medians of
the lower and upper halves) and the interquartile range."""

from __future__ import annotations

import itertools
import math
import re
import textwrap

from app.generators.offline import codegen, controls
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.extract import NUM, Prompt
from app.generators.offline.templates import common
from app.generators.offline.templates.common import Spoken

ID = "histogram_box_plot"
TITLE = "Histograms and box plots"
SUBJECT = "Math"
EXAMPLE_PROMPT = (
    "Histogram and box plot of the times 3, 5, 7, 8, 12, 13, 14, 15, 18, 21, 24, 25, 28, 33, 38"
    " with classes 0-10, 10-15, 15-20, 20-30, 30-40"
)
DEFAULTS = {
    "data": [3.0, 5.0, 7.0, 8.0, 12.0, 13.0, 14.0, 15.0, 18.0, 21.0, 24.0, 25.0, 28.0, 33.0, 38.0],
    "boundaries": [0.0, 10.0, 15.0, 20.0, 30.0, 40.0],
    "quantity": "Time (minutes)",
}
VARIANTS = [
    {
        "data": [
            151.0,
            154.0,
            158.0,
            160.0,
            161.0,
            163.0,
            165.0,
            166.0,
            170.0,
            172.0,
            175.0,
            181.0,
        ],
        "boundaries": [150.0, 160.0, 165.0, 170.0, 190.0],
        "quantity": "Height (cm)",
    },
    {
        "data": [2.0, 4.0, 4.0, 5.0, 6.0, 7.0, 9.0],
        "boundaries": [0.0, 5.0, 10.0],
        "quantity": "Score",
    },
    {
        "data": [
            12.0,
            15.0,
            22.0,
            25.0,
            31.0,
            38.0,
            41.0,
            44.0,
            47.0,
            52.0,
            58.0,
            63.0,
            77.0,
            95.0,
        ],
        "boundaries": [0.0, 20.0, 40.0, 50.0, 60.0, 100.0],
        "quantity": "Mass (kg)",
    },
]
TRIGGERS = {
    r"\bhistograms?\b": 10,
    r"\bbox(?:[- ]and[- ]whiskers?)?[- ]?plots?\b|\bbox[- ]and[- ]whiskers?\b": 10,
    r"\bfrequency densit\w*\b": 8,
    r"\bquartiles?\b|\binter-?quartile\b|\biqr\b": 6,
    r"\bclass (?:widths?|intervals?|boundar\w+)\b": 4,
    r"\bmedian\b": 3,
    r"\bgrouped data\b": 4,
}
MAX_VALUE = 10000.0
CONTROLS = {
    "data": controls.NumberList("Data values", -MAX_VALUE, MAX_VALUE, 5, 40),
    "boundaries": controls.NumberList("Class boundaries (in order)", -MAX_VALUE, MAX_VALUE, 2, 9),
    "quantity": controls.Text("What was measured (the axis label)", 24),
}
_QUANTITY = re.compile(
    r"\b(heights?|weights?|times?|marks?|scores?|ages?|lengths?|masses|mass|speeds?|"
    r"temperatures?|distances?|wages?|prices?)\b"
)
_UNIT = re.compile(r"\b(cm|mm|km|kg|g|minutes|seconds|hours|years|mph|°c)\b")


def extract(prompt: Prompt) -> dict:
    params: dict = {}
    text = prompt.text
    cut = re.search(r"\b(?:class(?:es)?|groups?|intervals?|bins?|boundaries)\b", text)
    data_text = text[: cut.start()] if cut else text
    data = Prompt(data_text).number_list
    if data:
        params["data"] = data
    if cut:
        after = text[cut.start() :]
        width = re.search(rf"\b(?:class )?width(?: of| is|:)?\s*({NUM})", after)
        # "150-160, 160-170": the dashes join boundaries, they are no minus signs
        edges = sorted({float(v) for v in re.findall(r"\d+(?:\.\d+)?", after)})
        if width and data:
            params["boundaries"] = _equal_classes(data, float(width.group(1)))
        elif len(edges) >= 2:
            params["boundaries"] = edges
    if data and "boundaries" not in params:
        params["boundaries"] = _equal_classes(data, codegen.nice_step(max(data) - min(data), 5))
    quantity = _QUANTITY.search(text)
    if quantity:
        name = quantity.group(1).capitalize()
        unit = _UNIT.search(text)
        params["quantity"] = f"{name} ({unit.group(1)})" if unit else name
    elif data:
        # The teacher's own numbers under the example's label ("Time (minutes)") would say
        # something the prompt never did.
        params["quantity"] = "Value"
    return params


def _equal_classes(data: list[float], width: float) -> list[float]:
    """Classes of one width from a multiple of it at or below the smallest value past the
    largest (a value on the top boundary counts in the last class)."""
    if width <= 0:
        return [min(data), max(data) + 1]
    start = math.floor(min(data) / width) * width
    count = max(1, math.ceil((max(data) - start) / width))
    return [codegen.tidy(start + k * width) for k in range(min(count, 8) + 1)]


def validate(params: dict, notes: list[str]) -> dict:
    data = checks.number_list(
        params["data"], "data", low=-MAX_VALUE, high=MAX_VALUE, min_items=5, max_items=40
    )
    edges = checks.number_list(
        params["boundaries"], "boundaries", low=-MAX_VALUE, high=MAX_VALUE, min_items=2,
        max_items=9,
    )  # fmt: skip
    if edges != sorted(set(edges)):
        edges = sorted(set(edges))
        notes.append("The class boundaries were put in order, each once.")
    if len(edges) < 2:
        raise checks.fail("Give at least two different class boundaries.")
    if min(data) < edges[0] or max(data) > edges[-1]:
        raise checks.fail(
            f"Every value must lie in a class: from {codegen.show(edges[0])} to "
            f"{codegen.show(edges[-1])}; widen the classes or check the data."
        )
    if min(b - a for a, b in itertools.pairwise(edges)) < (edges[-1] - edges[0]) / 40:
        raise checks.fail("A class this narrow next to the others cannot be drawn; widen it.")
    params["data"], params["boundaries"] = data, edges
    params["quantity"] = checks.text(params["quantity"], "quantity", max_length=24)
    return params


SKELETON = r"""from manim import *
import math
import numpy as np

# The values, then the classes: from each boundary up to the next
data = <<data>>
boundaries = <<boundaries>>
quantity = <<quantity>>  # what was measured (the axis label)


def fmt(value):
    # 15.0 -> "15", 0.4 -> "0.4" for labels
    return f"{value:.2f}".rstrip("0").rstrip(".")


def median(values):
    # The middle of sorted values, or the mean of the middle two
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


<<tick_step>>


<<places>>


<<arrange>>


values = sorted(data)
n = len(values)
q2 = median(values)
q1 = median(values[: n // 2])  # the lower half (the middle value left out when n is odd)
q3 = median(values[(n + 1) // 2 :])  # the upper half
classes = list(zip(boundaries, boundaries[1:]))
# A value on a boundary counts in the class above it; the top boundary closes the last class
frequencies = [
    sum(low <= v < high or (high == boundaries[-1] and v == high) for v in values)
    for low, high in classes
]
densities = [f / (high - low) for f, (low, high) in zip(frequencies, classes)]
x_step = tick_step(boundaries[-1] - boundaries[0], 8)
d_step = tick_step(max(densities) * 1.15, 4)
d_top = math.ceil(max(densities) * 1.15 / d_step) * d_step


class HistogramBoxPlot(Scene):
    def construct(self):
        # The parts: the title, the histogram with the box plot under it, and the working
        title = Text("Histograms and box plots", font_size=40)
        # A portrait or square frame draws the parts smaller, so their text is larger
        size = 1.0 if self.camera.frame_width >= 14.2 - 0.01 else 1.25
        axes = Axes(
            x_range=[boundaries[0], boundaries[-1], x_step],
            y_range=[0, d_top, d_step],
            x_length=7.2,
            y_length=3.4,
            tips=False,
            axis_config={"include_numbers": True, "font_size": 20 * size},
            x_axis_config={"decimal_number_config": {"num_decimal_places": places(x_step)}},
            y_axis_config={"decimal_number_config": {"num_decimal_places": places(d_step)}},
        )
        x_name = Text(quantity, font_size=22 * size).next_to(axes.x_axis, DOWN, buff=0.35)
        y_name = Text("frequency density", font_size=22 * size).rotate(PI / 2)
        y_name.next_to(axes.y_axis, LEFT, buff=0.55)
        bars = VGroup(
            *[
                Polygon(
                    axes.c2p(low, 0), axes.c2p(high, 0), axes.c2p(high, d), axes.c2p(low, d),
                    color=ACCENT, fill_opacity=0.45, stroke_width=3,
                )
                for d, (low, high) in zip(densities, classes)
            ]
        )
        # The box plot on the same scale, below the histogram
        level = axes.c2p(boundaries[0], 0)[1] - 2.2

        def at(v, up=0.0):
            # The point of the box plot's line under v on the histogram's scale, raised by up
            return np.array([axes.c2p(v, 0)[0], level + up, 0])

        box = Polygon(
            at(q1, 0.35), at(q3, 0.35), at(q3, -0.35), at(q1, -0.35), color=SECONDARY,
            stroke_width=4,
        )
        middle = Line(at(q2, 0.35), at(q2, -0.35), color=HIGHLIGHT, stroke_width=6)
        whiskers = VGroup(
            Line(at(values[0]), at(q1), color=SECONDARY),
            Line(at(q3), at(values[-1]), color=SECONDARY),
            Line(at(values[0], 0.2), at(values[0], -0.2), color=SECONDARY),
            Line(at(values[-1], 0.2), at(values[-1], -0.2), color=SECONDARY),
        )
        marks = VGroup(
            *[
                MathTex(fmt(v), font_size=24 * size).next_to(
                    at(v), UP if k % 2 else DOWN, buff=0.45
                )
                for k, v in enumerate([values[0], q1, q2, q3, values[-1]])
            ]
        )
        plot = VGroup(axes, x_name, y_name, bars, box, middle, whiskers, marks)
        rule = MathTex(
            r"\text{density} = \text{frequency} \div \text{width}", font_size=28 * size
        )
        table = VGroup(
            *[
                MathTex(
                    rf"{fmt(low)}\text{{ to }}{fmt(high)}:\ {f} \div {fmt(high - low)}"
                    rf" = {fmt(d)}",
                    font_size=28 * size,
                )
                for f, d, (low, high) in zip(frequencies, densities, classes)
            ]
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        summary = VGroup(
            MathTex(rf"n = {n},\ \text{{median}} = {fmt(q2)}", font_size=30 * size),
            MathTex(rf"Q_1 = {fmt(q1)},\ Q_3 = {fmt(q3)}", font_size=30 * size),
            MathTex(
                rf"\text{{IQR}} = {fmt(q3)} - {fmt(q1)} = {fmt(q3 - q1)}", font_size=30 * size
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        working = VGroup(rule, table, summary).arrange(DOWN, aligned_edge=LEFT, buff=0.45)
        if self.camera.frame_height * 0.8 < self.camera.frame_width < 14.2 - 0.01:
            # A square frame stacks the plot over the working: the working in two columns
            working = VGroup(VGroup(rule, table), summary)
            working.arrange(RIGHT, aligned_edge=UP, buff=0.6)

        # Layout: the title on top, the diagrams and the working side by side
        arrange_scene(self, title, [plot, working])

        # Title
        self.play(Write(title), run_time=1)

        # The classes: frequency density is frequency divided by class width
        self.play(Create(axes), FadeIn(x_name), FadeIn(y_name), Write(rule), run_time=1.5)
        self.play(Write(table), run_time=1.5)

        # The histogram: each bar's area is its frequency
        self.play(LaggedStart(*[GrowFromEdge(bar, DOWN) for bar in bars]), run_time=1.8)

        # The median and the quartiles of the sorted data
        self.play(Write(summary[0]), run_time=1)
        self.play(Write(summary[1]), run_time=1)

        # The box plot: lowest value, quartiles, median and highest value on the same scale
        self.play(Create(whiskers), Create(box), Create(middle), Write(marks), run_time=1.8)

        # The interquartile range: the width of the box
        self.play(Write(summary[2]), run_time=1)
        self.play(Create(SurroundingRectangle(summary[2], color=HIGHLIGHT)), run_time=0.8)
        self.wait(2)
"""


def fmt(value: float) -> str:
    """The video's fmt: 15.0 → "15", 0.4 → "0.4"."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def describe(params: dict) -> list[str]:
    values = sorted(float(codegen.number_literal(v)) for v in params["data"])
    edges = [float(codegen.number_literal(b)) for b in params["boundaries"]]
    n = len(values)

    def median(xs: list[float]) -> float:
        m = len(xs) // 2
        return xs[m] if len(xs) % 2 else (xs[m - 1] + xs[m]) / 2

    q1, q2, q3 = median(values[: n // 2]), median(values), median(values[(n + 1) // 2 :])
    rows = []
    for low, high in itertools.pairwise(edges):
        count = sum(low <= v < high or (high == edges[-1] and v == high) for v in values)
        rows.append(
            f"{fmt(low)} to {fmt(high)}: {count} ÷ {fmt(high - low)} = {fmt(count / (high - low))}"
        )
    return [
        "The title reads: Histograms and box plots.",
        f"Axes appear: {params['quantity']} across, frequency density up; the rule density = "
        "frequency ÷ class width is written.",
        "For each class: " + "; ".join(rows) + ".",
        "A bar rises over each class to its frequency density.",
        f"With n = {n} values, the median is {fmt(q2)}; Q1 = {fmt(q1)} and Q3 = {fmt(q3)}.",
        f"Below, on the same scale, the box plot: whiskers from {fmt(values[0])} to "
        f"{fmt(values[-1])}, the box from {fmt(q1)} to {fmt(q3)}, the median line at {fmt(q2)}.",
        f"IQR = {fmt(q3)} - {fmt(q1)} = {fmt(q3 - q1)}, boxed.",
    ]


def _numbers(values: list[float]) -> str:
    """A list of numbers as code, 3 for 3.0, wrapped over lines when long."""
    items = ", ".join(codegen.number_literal(v) for v in values)
    if len(items) <= 80:
        return f"[{items}]"
    lines = textwrap.wrap(items + ",", 88)
    return "[\n" + "".join(f"    {line}\n" for line in lines) + "]"


def build(params: dict) -> str:
    return fill(
        SKELETON,
        tick_step=common.TICK_STEP,
        places=common.PLACES,
        arrange=common.ARRANGE,
        data=_numbers(params["data"]),
        boundaries=_numbers(params["boundaries"]),
        quantity=literal(params["quantity"]),
    )


def narration(params: dict) -> list[str | Spoken]:
    # The values are worked out in the scene from its input lines, like everything it shows
    return [
        "Histograms and box plots.",
        Spoken(
            (
                'f"There are {len(classes)} classes. For each, frequency density is the "',
                '"frequency divided by the class width."',
            )
        ),
        "Each bar's height is its frequency density, so its area is its frequency.",
        Spoken(
            (
                'f"With {n} values, the median is {fmt(q2)}. The lower quartile is {fmt(q1)}, "',
                'f"and the upper quartile is {fmt(q3)}."',
            )
        ),
        Spoken(
            (
                'f"The box plot runs from {fmt(values[0])} to {fmt(values[-1])}, with the box "',
                'f"from {fmt(q1)} to {fmt(q3)}."',
            )
        ),
        Spoken(('f"The interquartile range is {fmt(q3 - q1)}."',)),
    ]
