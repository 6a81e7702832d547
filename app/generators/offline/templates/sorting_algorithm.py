"""Bubble, insertion or selection sort on bars: every comparison and every swap is shown."""

from __future__ import annotations

from typing import NamedTuple

from app.generators.offline import codegen
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.controls import Choice, NumberList
from app.generators.offline.extract import Prompt

ID = "sorting_algorithm"
TITLE = "Sorting algorithm"
SUBJECT = "CS"
EXAMPLE_PROMPT = "Show bubble sort on 5, 1, 4, 2, 8"
DEFAULTS = {"algorithm": "bubble", "values": [5, 1, 4, 2, 8]}
VARIANTS = [
    {"algorithm": "insertion", "values": [9, 3, 7, 1, 6, 2]},
    {"algorithm": "selection", "values": [64, 25, 12, 22, 11, 90, 3, 47]},
]
TRIGGERS = {
    r"\bsort(?:s|ed|ing)?\b": 5,
    r"\bbubble\b|\binsertion\b|\bselection\b": 3,
    r"\bswaps?\b|\bin order\b|\bascending\b": 1,
    r"\balgorithms?\b": 1,
}
ALGORITHMS = ["bubble", "insertion", "selection"]
ALIASES = {"bubble sort": "bubble", "insertion sort": "insertion", "selection sort": "selection"}
MAX_VALUES = 10

DESCRIPTIONS = {
    "bubble": "Bubble sort: compare neighbours and swap them when they are out of order",
    "insertion": "Insertion sort: slide each new item left until it is in place",
    "selection": "Selection sort: find the smallest item left and swap it into place",
}

STEP_FUNCTIONS = {
    "bubble": """\
def sort_steps(values):
    # Bubble sort: walk along comparing neighbours, swapping any pair in the wrong order.
    # After each pass the largest remaining item has "bubbled" to the end; stop early
    # when a pass makes no swaps.
    items = list(values)
    steps = []
    for end in range(len(items) - 1, 0, -1):
        swapped = False
        for i in range(end):
            steps.append(("compare", i, i + 1))
            if items[i] > items[i + 1]:
                items[i], items[i + 1] = items[i + 1], items[i]
                steps.append(("swap", i, i + 1))
                swapped = True
        if not swapped:
            break
    return steps
""",
    "insertion": """\
def sort_steps(values):
    # Insertion sort: take the next item and swap it left past every bigger item,
    # so the part on the left is always sorted.
    items = list(values)
    steps = []
    for i in range(1, len(items)):
        j = i
        while j > 0:
            steps.append(("compare", j - 1, j))
            if items[j - 1] <= items[j]:
                break
            items[j - 1], items[j] = items[j], items[j - 1]
            steps.append(("swap", j - 1, j))
            j -= 1
    return steps
""",
    "selection": """\
def sort_steps(values):
    # Selection sort: scan the unsorted part for its smallest item, then swap that item
    # into the first unsorted place.
    items = list(values)
    steps = []
    for i in range(len(items) - 1):
        smallest = i
        for j in range(i + 1, len(items)):
            steps.append(("compare", smallest, j))
            if items[j] < items[smallest]:
                smallest = j
        if smallest != i:
            items[i], items[smallest] = items[smallest], items[i]
            steps.append(("swap", i, smallest))
    return steps
""",
}


def extract(prompt: Prompt) -> dict:
    params: dict = {}
    for algorithm in ALGORITHMS:
        if prompt.has(rf"\b{algorithm}\b"):
            params["algorithm"] = algorithm
            break
    values = prompt.number_list
    if values:
        params["values"] = values
    return params


CONTROLS = {
    "algorithm": Choice(
        "Sorting method",
        tuple(ALGORITHMS),
        labels=("Bubble sort", "Insertion sort", "Selection sort"),
    ),
    "values": NumberList("Values to sort", 0, 999, min_items=2, max_items=MAX_VALUES),
}


def validate(params: dict, notes: list[str]) -> dict:
    params["algorithm"] = checks.choice(params["algorithm"], "algorithm", ALGORITHMS, ALIASES)
    values = checks.number_list(
        params["values"], "values", low=0, high=999, min_items=2, max_items=MAX_VALUES
    )
    params["values"] = [int(v) if float(v).is_integer() else v for v in values]
    return params


SKELETON = """\
from manim import *


<<step_function>>


def fmt(value):
    return f"{value:g}"


class SortingAlgorithm(Scene):
    def construct(self):
<<fit_frame>>
        values = <<values>>
        steps = sort_steps(values)
        # About 10 seconds for the whole sort, but never faster than two frames a step
        step_time = max(0.14, min(0.6, 10 / max(1, len(steps))))

        # Title and what the algorithm does
        title = Text(<<title>>, font_size=40).to_edge(UP, buff=0.4)
        description = Text(
            <<description>>,
            font_size=24,
            color=MUTED,
        ).next_to(title, DOWN, buff=0.2)
        if description.width > 13:
            description.scale_to_fit_width(13)
        self.play(Write(title), FadeIn(description), run_time=1.2)

        # One bar per value, tallest = biggest; the number sits under each bar
        slot = min(1.2, 11.5 / len(values))
        tallest = max(values) or 1
        base_y = -2.7

        def slot_x(index):
            return (index - (len(values) - 1) / 2) * slot

        bars = []
        for index, value in enumerate(values):
            rectangle = Rectangle(
                width=0.72 * slot, height=0.15 + 3.3 * value / tallest, stroke_width=2
            )
            rectangle.set_fill(ACCENT, opacity=0.9).move_to(
                [slot_x(index), base_y, 0], aligned_edge=DOWN
            )
            number = Text(fmt(value), font_size=26).next_to(rectangle, DOWN, buff=0.15)
            bars.append(VGroup(rectangle, number))
        self.play(
            LaggedStart(*[FadeIn(bar, shift=UP * 0.3) for bar in bars], lag_ratio=0.1),
            run_time=1.5,
        )

        # Counters
        comparisons, swaps = Integer(0, font_size=30), Integer(0, font_size=30)
        counters = (
            VGroup(
                VGroup(Text("comparisons", font_size=24), comparisons).arrange(RIGHT),
                VGroup(Text("swaps", font_size=24), swaps).arrange(RIGHT),
            )
            .arrange(RIGHT, buff=0.8)
            .move_to([0, 1.9, 0])
        )
        self.add(counters)

        # Play every step: compared bars light up with a thick outline; swapped bars trade places
        for kind, i, j in steps:
            if kind == "compare":
                comparisons.set_value(comparisons.get_value() + 1)
                self.play(
                    *[
                        bars[k][0].animate.set_fill(HIGHLIGHT).set_stroke(TEXT, width=6)
                        for k in (i, j)
                    ],
                    run_time=step_time / 2,
                )
                self.play(
                    *[
                        bars[k][0].animate.set_fill(ACCENT).set_stroke(TEXT, width=2)
                        for k in (i, j)
                    ],
                    run_time=step_time / 2,
                )
            else:
                swaps.set_value(swaps.get_value() + 1)
                self.play(
                    bars[i].animate.set_x(slot_x(j)),
                    bars[j].animate.set_x(slot_x(i)),
                    run_time=step_time,
                )
                bars[i], bars[j] = bars[j], bars[i]

        # Sorted
        self.play(*[bar[0].animate.set_fill(POSITIVE) for bar in bars], run_time=0.8)
        done = Text("Sorted!", font_size=34, color=POSITIVE).move_to([0, 1.3, 0])
        self.play(Write(done), run_time=0.8)
        self.wait(2)
"""


class Pass(NamedTuple):
    """One round of a sort: its steps (as the emitted sort_steps lists them), the value it
    moves into place (insertion: the new item; selection: the smallest left) and the order
    after it."""

    steps: list[tuple[str, int, int]]
    value: float
    order: list[float]


def sort_passes(algorithm: str, values: list[float]) -> list[Pass]:
    """The emitted sort_steps on the host, grouped into rounds (joined up, the same steps)."""
    items = list(values)
    passes = []
    if algorithm == "bubble":
        for end in range(len(items) - 1, 0, -1):
            steps: list[tuple[str, int, int]] = []
            for i in range(end):
                steps.append(("compare", i, i + 1))
                if items[i] > items[i + 1]:
                    items[i], items[i + 1] = items[i + 1], items[i]
                    steps.append(("swap", i, i + 1))
            passes.append(Pass(steps, items[end], list(items)))
            if not any(kind == "swap" for kind, _, _ in steps):
                break
    elif algorithm == "insertion":
        for i in range(1, len(items)):
            steps, value, j = [], items[i], i
            while j > 0:
                steps.append(("compare", j - 1, j))
                if items[j - 1] <= items[j]:
                    break
                items[j - 1], items[j] = items[j], items[j - 1]
                steps.append(("swap", j - 1, j))
                j -= 1
            passes.append(Pass(steps, value, list(items)))
    else:
        for i in range(len(items) - 1):
            steps, smallest = [], i
            for j in range(i + 1, len(items)):
                steps.append(("compare", smallest, j))
                if items[j] < items[smallest]:
                    smallest = j
            value = items[smallest]
            if smallest != i:
                items[i], items[smallest] = items[smallest], items[i]
                steps.append(("swap", i, smallest))
            passes.append(Pass(steps, value, list(items)))
    return passes


def fmt(value: float) -> str:
    """The emitted fmt: a value as its bar's number shows it."""
    return f"{value:g}"


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}{'' if number == 1 else 'es' if thing.endswith('h') else 's'}"


def describe(params: dict) -> list[str]:
    algorithm, values = params["algorithm"], list(params["values"])
    passes = sort_passes(algorithm, values)
    sentences = [
        f"The title reads: {algorithm.capitalize()} sort.",
        f"Under it: {DESCRIPTIONS[algorithm]}.",
        f"{len(values)} bars appear, as tall as their values: {_listed(values)}.",
        "Counters for comparisons and swaps start at 0; each comparison outlines the two bars "
        "compared, and each swap makes two bars trade places.",
    ]
    for number, (steps, value, order) in enumerate(passes, start=1):
        swaps = sum(kind == "swap" for kind, _, _ in steps)
        if algorithm == "bubble":
            compares = _count(len(steps) - swaps, "comparison")
            sentences.append(
                f"Pass {number}: {compares} and {_count(swaps, 'swap')} leave {_listed(order)}."
                if swaps
                else f"Pass {number}: {compares} and no swaps, so the bars are in order."
            )
        elif algorithm == "insertion":
            _, left, _ = steps[0]
            sentences.append(
                f"{fmt(value)} slides left past {swaps} bigger "
                f"value{'s' if swaps != 1 else ''}: {_listed(order)}."
                if swaps
                else f"{fmt(value)} stays where it is, since {fmt(order[left])} is not bigger."
            )
        else:
            sentences.append(
                f"The smallest unsorted value is {fmt(value)}; it swaps with "
                f"{fmt(order[steps[-1][2]])}: {_listed(order)}."
                if swaps
                else f"The smallest unsorted value is {fmt(value)}, already in place."
            )
    total = sum(len(p.steps) for p in passes)
    swaps = sum(kind == "swap" for p in passes for kind, _, _ in p.steps)
    sentences.append(
        f"All the bars are marked sorted and Sorted! appears: {_listed(passes[-1].order)}, "
        f"after {_count(total - swaps, 'comparison')} and {_count(swaps, 'swap')}."
    )
    return sentences


def _listed(values: list[float]) -> str:
    return ", ".join(fmt(v) for v in values)


def build(params: dict) -> str:
    algorithm = params["algorithm"]
    return fill(
        SKELETON,
        step_function=STEP_FUNCTIONS[algorithm],
        fit_frame=codegen.fit_frame((-6.5, -3.3, 6.5, 3.7)),
        values=literal(list(params["values"])),
        title=literal(f"{algorithm.capitalize()} sort"),
        description=literal(DESCRIPTIONS[algorithm]),
    )


def narration(params: dict) -> list[str]:
    algorithm, values = params["algorithm"], list(params["values"])
    passes = sort_passes(algorithm, values)
    total = sum(len(p.steps) for p in passes)
    swaps = sum(kind == "swap" for p in passes for kind, _, _ in p.steps)
    return [
        f"{DESCRIPTIONS[algorithm]}.",
        f"Here are {len(values)} bars, as tall as their values: {_listed(values)}.",
        "Watch each step. The bars being compared light up, and swapped bars trade places.",
        f"Sorted: {_listed(passes[-1].order)}. That took {_count(total - swaps, 'comparison')} "
        f"and {_count(swaps, 'swap')}.",
    ]
