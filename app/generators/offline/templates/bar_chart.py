"""A bar chart that grows bar by bar, with values on top and the largest highlighted."""

from __future__ import annotations

import math
import re

from app.generators.offline import codegen
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.controls import NumberList, TextList
from app.generators.offline.extract import NUM, Prompt
from app.generators.offline.templates import common

ID = "bar_chart"
TITLE = "Bar chart"
SUBJECT = "Math"
EXAMPLE_PROMPT = "Make a bar chart of favourite fruits: apples 5, bananas 3, cherries 7, grapes 4"
DEFAULTS = {"labels": ["Apples", "Bananas", "Cherries", "Grapes"], "values": [5.0, 3.0, 7.0, 4.0]}
VARIANTS = [
    {
        "labels": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
        "values": [12, 18, 9, 22, 15, 30, 27],
    },
    {"labels": ["Solar", "Wind"], "values": [0.35, 0.6]},
]
TRIGGERS = {
    r"\bbar (?:chart|graph)s?\b": 8,
    r"\bbar ?plots?\b|\bcolumn (?:chart|graph)s?\b": 6,
    r"\bpictogram\b|\btally\b": 3,
    r"\bfavou?rite\b|\bsurvey\b|\bvotes?\b": 2,
    r"\bchart\b": 2,
}
MAX_BARS = 10
STOP = {
    "of", "and", "with", "the", "for", "is", "are", "has", "had", "chart", "graph", "bar",
    "show", "sold", "make", "a", "an", "draw", "plot", "values", "value", "labels", "label",
    "favourite", "favorite", "fruits", "votes", "data", "to", "in", "on", "were", "was",
}  # fmt: skip
_PAIR = re.compile(rf"([A-Za-z][A-Za-z'&]*(?: [A-Za-z][A-Za-z'&]*)?)\s*(?::|=|-|–)?\s*({NUM})\s*%?")
_NUMBER_FIRST = re.compile(rf"({NUM})\s+([A-Za-z][A-Za-z']*)")


def _clean_label(label: str) -> str:
    words = [w for w in label.split() if w.lower() not in STOP]
    return " ".join(words)


def extract(prompt: Prompt) -> dict:
    raw = prompt.raw
    explicit = re.search(
        r"labels?\s*:?\s*(.+?)\s*(?:,|;)?\s*(?:and|with)?\s*values?\s*:?\s*(.+)", raw, re.I
    )
    if explicit:
        labels = [
            part.strip(" []'\"")
            for part in re.split(r",|\band\b", explicit.group(1))
            if part.strip(" []'\"")
        ]
        values = [float(v) for v in re.findall(NUM, explicit.group(2))]
        if labels and values:
            return {"labels": labels[: len(values)], "values": values[: len(labels)]}
    pairs = [(_clean_label(label), float(value)) for label, value in _PAIR.findall(raw)]
    pairs = [(label, value) for label, value in pairs if label]
    if len(pairs) < 2:
        pairs = [(_clean_label(label), float(value)) for value, label in _NUMBER_FIRST.findall(raw)]
        pairs = [(label, value) for label, value in pairs if label]
    if len(pairs) >= 2:
        pairs = pairs[:MAX_BARS]
        return {
            "labels": [p[0].capitalize() if p[0].islower() else p[0] for p in pairs],
            "values": [p[1] for p in pairs],
        }
    listed = prompt.number_list
    if listed and len(listed) >= 2:
        values = listed[:MAX_BARS]
        return {"labels": [chr(ord("A") + i) for i in range(len(values))], "values": values}
    return {}


CONTROLS = {
    "labels": TextList("Bar labels", max_length=16, min_items=1, max_items=MAX_BARS),
    "values": NumberList("Bar heights", 0, 1e6, min_items=1, max_items=MAX_BARS),
}


def validate(params: dict, notes: list[str]) -> dict:
    values = checks.number_list(
        params["values"], "values", low=0, high=1e6, min_items=1, max_items=MAX_BARS
    )
    labels = checks.text_list(
        params["labels"], "labels", max_length=16, min_items=1, max_items=MAX_BARS
    )
    if len(labels) != len(values):
        raise checks.fail(
            f"There are {len(labels)} labels but {len(values)} values; give one value per label."
        )
    if max(values) <= 0:
        raise checks.fail("At least one value must be above 0 for the bars to show.")
    params["labels"], params["values"] = labels, values
    return params


SKELETON = """\
from manim import *


def fmt(value):
    # 5.0 -> "5", 0.35 -> "0.35"
    return f"{value:.2f}".rstrip("0").rstrip(".")


class BarChartScene(Scene):
    def construct(self):
<<fit_frame>>
        labels = <<labels>>
        values = <<values>>

        # Title
        title = Text("Bar chart", font_size=40).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # Axes: one slot per bar along the bottom, values up the side
        axes = Axes(
            x_range=[0, len(values), 1],
            y_range=[0, <<y_max>>, <<y_step>>],
            x_length=10.5,
            y_length=4.8,
            tips=False,
            x_axis_config={"include_ticks": False},
            y_axis_config={
                "include_numbers": True,
                "font_size": 24,
                "decimal_number_config": {"num_decimal_places": <<y_decimals>>},
            },
        ).move_to([0, -0.3, 0])
        self.play(Create(axes), run_time=1.5)

        # One bar per value, its label underneath
        slot = axes.x_length / len(values)
        bars = VGroup()
        names = VGroup()
        for index, (label, value) in enumerate(zip(labels, values)):
            bottom = axes.c2p(index + 0.5, 0)
            height = max(axes.c2p(0, value)[1] - axes.c2p(0, 0)[1], 0.001)
            bar = Rectangle(width=0.65 * slot, height=height, stroke_width=1.5)
            bar.set_fill(ACCENT, opacity=0.85).move_to(
                bottom, aligned_edge=DOWN
            )
            name = Text(label, font_size=26)
            if name.width > 0.95 * slot:
                name.scale_to_fit_width(0.95 * slot)
            name.next_to(bottom, DOWN, buff=0.2)
            bars.add(bar)
            names.add(name)
        self.play(FadeIn(names), run_time=0.8)
        self.play(
            LaggedStart(*[GrowFromEdge(bar, DOWN) for bar in bars], lag_ratio=0.25),
            run_time=2.5,
        )

        # The value on top of each bar
        numbers = VGroup(
            *[
                MathTex(fmt(value), font_size=30).next_to(bar, UP, buff=0.12)
                for bar, value in zip(bars, values)
            ]
        )
        self.play(LaggedStartMap(FadeIn, numbers, lag_ratio=0.15), run_time=1.2)

        # Point out the largest value: its bar lights up and the note names it
        top = max(range(len(values)), key=lambda index: values[index])
        self.play(
            bars[top].animate.set_fill(HIGHLIGHT, opacity=1),
            Indicate(numbers[top], color=HIGHLIGHT),
            run_time=1.2,
        )
        note = Text(f"Largest: {labels[top]} ({fmt(values[top])})", font_size=28, color=HIGHLIGHT)
        note.next_to(axes, UP, buff=0.25).align_to(axes, RIGHT)
        self.play(Write(note), run_time=1)
        self.wait(2)
"""


def _value_axis(values: list[float]) -> tuple[float, float, int]:
    """The value axis: its top, its step and the decimals of its numbers."""
    top = max(values)
    step = codegen.nice_step(top, 5)
    y_max = math.ceil(top * 1.12 / step) * step
    decimals = 0 if float(step).is_integer() else len(f"{step:g}".split(".")[1])
    return y_max, step, decimals


def fmt(value: float) -> str:
    """What the video's fmt(value) shows: 5.0 → "5", 0.35 → "0.35"."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def describe(params: dict) -> list[str]:
    labels = list(params["labels"])
    values = [float(literal(float(v))) for v in params["values"]]
    y_max, step, decimals = _value_axis(params["values"])  # as build computes it
    y_max, step = codegen.tidy(y_max), codegen.tidy(step)
    top = max(range(len(values)), key=lambda index: values[index])
    return [
        "The title reads: Bar chart.",
        f"Axes appear with the values up the side, from 0 to {y_max:.{decimals}f}, numbered "
        f"every {step:.{decimals}f}.",
        "Labels along the bottom: " + ", ".join(labels) + ".",
        "1 bar grows from the bottom."
        if len(values) == 1
        else f"{len(values)} bars grow from the bottom, one per label.",
        "Each bar's value appears on top: "
        + ", ".join(f"{label} {fmt(value)}" for label, value in zip(labels, values, strict=True))
        + ".",
        f"The largest bar, {labels[top]}, is highlighted; a note reads: Largest: {labels[top]} "
        f"({fmt(values[top])}).",
    ]


def build(params: dict) -> str:
    values = params["values"]
    y_max, step, decimals = _value_axis(values)
    return fill(
        SKELETON,
        fit_frame=codegen.fit_frame((-5.6, -3.4, 5.6, 3.7)),
        labels=codegen.block_literal(list(params["labels"]), 8, 9),
        values=codegen.block_literal([float(v) for v in values], 8, 9),
        y_max=literal(codegen.tidy(y_max)),
        y_step=literal(codegen.tidy(step)),
        y_decimals=literal(decimals),
    )


def narration(params: dict) -> list[str]:
    labels = list(params["labels"])
    values = [float(literal(float(v))) for v in params["values"]]
    top = max(range(len(values)), key=lambda index: values[index])
    return [
        "Here is a bar chart.",
        "The values go up the side.",
        f"One bar for each of {common.say_list(labels)}.",
        "The values are "
        + common.say_list(
            [f"{label} {fmt(value)}" for label, value in zip(labels, values, strict=True)]
        )
        + ".",
        f"The largest is {labels[top]}, with {fmt(values[top])}.",
    ]
