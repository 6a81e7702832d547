"""Binary search on a sorted list: check the middle, drop the half that cannot hold the target."""

from __future__ import annotations

from app.generators.offline import codegen
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.controls import Number, NumberList
from app.generators.offline.extract import CONST, Prompt, to_number

ID = "binary_search"
TITLE = "Binary search"
SUBJECT = "CS"
EXAMPLE_PROMPT = "Binary search for 23 in [2, 5, 8, 12, 16, 23, 38, 56, 72, 91]"
DEFAULTS = {"values": [2, 5, 8, 12, 16, 23, 38, 56, 72, 91], "target": 23}
VARIANTS = [
    {"values": [1, 3, 4, 7, 9, 11, 15, 18, 21, 24, 27, 30, 33, 36, 40], "target": 4},
    {"values": [10, 20, 30, 40, 50, 60], "target": 35},
]
TRIGGERS = {
    r"\bbinary search\w*\b": 9,
    r"\bhalving\b|\bhalf interval\b|\bdivide and conquer\b": 3,
    r"\bsearch(?:es|ing)?\b|\blook(?:ing)? (?:up|for)\b|\bfind\b": 2,
    r"\bsorted (?:list|array)\b": 2,
    r"\btarget\b": 2,
}
MAX_VALUES = 16


def extract(prompt: Prompt) -> dict:
    params: dict = {}
    values = prompt.number_list
    if values:
        params["values"] = values
    match = prompt.search(
        r"\b(?:search(?:ing)? for|look(?:ing)? for|find(?:ing)?|locate"
        r"|target(?: value)?(?: is| of|:|=)?)"
        rf"\s*(?:the number\s*)?({CONST})(?![\d.])"
    )
    if match and to_number(match.group(1)) is not None:
        params["target"] = to_number(match.group(1))
    elif values:
        # The list is given but no target: search for a value that is in it
        params["target"] = sorted(values)[len(values) * 2 // 3]
    return params


CONTROLS = {
    "values": NumberList("Values (sorted first)", -9999, 9999, min_items=2, max_items=MAX_VALUES),
    "target": Number("Value to find", -9999, 9999, step=1),
}


def validate(params: dict, notes: list[str]) -> dict:
    values = checks.number_list(
        params["values"], "values", low=-9999, high=9999, min_items=2, max_items=MAX_VALUES
    )
    if values != sorted(values):
        values = sorted(values)
        notes.append("The values were sorted first, because binary search needs a sorted list.")
    params["values"] = [int(v) if float(v).is_integer() else v for v in values]
    target = checks.number(params["target"], "target", low=-9999, high=9999)
    params["target"] = int(target) if float(target).is_integer() else target
    return params


SKELETON = """\
from manim import *


def binary_search_steps(values, target):
    # Each step is (low, high, middle): the range still searched and the index checked.
    # Returns the steps and the index of the target (None if it is not in the list).
    low, high = 0, len(values) - 1
    steps = []
    while low <= high:
        middle = (low + high) // 2
        steps.append((low, high, middle))
        if values[middle] == target:
            return steps, middle
        if values[middle] < target:
            low = middle + 1  # the target can only be to the right
        else:
            high = middle - 1  # the target can only be to the left
    return steps, None


def fmt(value):
    return f"{value:g}"


class BinarySearch(Scene):
    def construct(self):
<<fit_frame>>
        values = <<values>>  # sorted
        target = <<target>>
        steps, found = binary_search_steps(values, target)

        # Title
        title = Text(f"Binary search for {fmt(target)}", font_size=40).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # The list as a row of boxes with their positions underneath
        size = min(0.8, 12.4 / len(values))
        boxes = VGroup()
        for value in values:
            box = Square(side_length=size, stroke_width=2, color=ACCENT)
            box.set_fill(ACCENT, opacity=0.3)
            number = Text(fmt(value), font_size=26)
            if number.width > 0.8 * size:
                number.scale_to_fit_width(0.8 * size)
            boxes.add(VGroup(box, number.move_to(box)))
        boxes.arrange(RIGHT, buff=0.06).move_to([0, 0.3, 0])
        indices = VGroup(
            *[
                Text(str(i), font_size=18, color=MUTED).next_to(box, DOWN, buff=0.12)
                for i, box in enumerate(boxes)
            ]
        )
        self.play(LaggedStartMap(FadeIn, boxes, lag_ratio=0.05), FadeIn(indices), run_time=1.5)

        def pointer(index, name, color, direction):
            arrow = Arrow(
                direction * 0.8,
                ORIGIN,
                buff=0,
                color=color,
                stroke_width=4,
                max_tip_length_to_length_ratio=0.35,
            )
            label = Text(name, font_size=24, color=color).next_to(arrow, direction, buff=0.1)
            group = VGroup(arrow, label)
            group.next_to(boxes[index], direction, buff=0.45 if direction is DOWN else 0.1)
            return group

        status = None  # the sentence under the list explaining each comparison

        # Each round: point at low, high and the middle, compare, and discard half
        markers = None
        for low, high, middle in steps:
            new_markers = VGroup(
                pointer(low, "low", SECONDARY, DOWN),
                pointer(high, "high", TERTIARY, DOWN),
                pointer(middle, "middle", HIGHLIGHT, UP),
            )
            if low == high:
                new_markers[1].set_opacity(0)  # low and high point at the same box
            if markers is None:
                markers = new_markers
                move = FadeIn(markers)
            else:
                move = Transform(markers, new_markers)
            self.play(move, boxes[middle][0].animate.set_stroke(HIGHLIGHT, width=6), run_time=1)
            value = values[middle]
            if value == target:
                message = f"{fmt(value)} = {fmt(target)}: found it at position {middle}!"
            elif value < target:
                message = f"{fmt(value)} < {fmt(target)}: the target must be to the right"
            else:
                message = f"{fmt(value)} > {fmt(target)}: the target must be to the left"
            new_status = Text(message, font_size=28, color=POSITIVE if value == target else TEXT)
            new_status.move_to([0, -2.4, 0])
            if status is None:
                status = new_status
                self.play(Write(status), run_time=0.8)
            else:
                self.play(Transform(status, new_status), run_time=0.8)
            if value == target:
                self.play(boxes[middle][0].animate.set_fill(POSITIVE, opacity=0.6), run_time=0.6)
                break
            # Set aside the half that cannot contain the target: its boxes fade, its numbers
            # turn grey but stay readable
            discarded = range(low, middle + 1) if value < target else range(middle, high + 1)
            self.play(
                *[boxes[i][0].animate.set_opacity(0.25) for i in discarded],
                *[boxes[i][1].animate.set_color(MUTED) for i in discarded],
                run_time=0.7,
            )

        if found is None:
            self.play(FadeOut(markers), run_time=0.5)
            missing = Text(
                f"{fmt(target)} is not in the list", font_size=30, color=NEGATIVE
            ).move_to([0, 1.9, 0])
            self.play(Write(missing), run_time=1)
        summary = Text(
            f"{len(steps)} checks for {len(values)} items", font_size=26, color=MUTED
        )
        summary.next_to(status, DOWN, buff=0.3)
        self.play(FadeIn(summary), run_time=0.6)
        self.wait(2)
"""


def binary_search_steps(values: list[float], target: float) -> tuple[list, int | None]:
    """The emitted binary_search_steps, on the host: (low, high, middle) per check, and the
    index of the target (None if it is not in the list)."""
    low, high = 0, len(values) - 1
    steps = []
    while low <= high:
        middle = (low + high) // 2
        steps.append((low, high, middle))
        if values[middle] == target:
            return steps, middle
        if values[middle] < target:
            low = middle + 1
        else:
            high = middle - 1
    return steps, None


def fmt(value: float) -> str:
    """The emitted fmt: a number as the boxes and messages show it."""
    return f"{value:g}"


def describe(params: dict) -> list[str]:
    values, target = list(params["values"]), params["target"]
    steps, found = binary_search_steps(values, target)
    t = fmt(target)
    sentences = [
        f"The title reads: Binary search for {t}.",
        f"A row of {len(values)} boxes holds the sorted list {', '.join(fmt(v) for v in values)}, "
        f"with positions 0 to {len(values) - 1} underneath.",
    ]
    for number, (low, high, middle) in enumerate(steps, start=1):
        value = values[middle]
        v = fmt(value)
        sentences.append(
            f"Check {number}: low and high both point at position {low}, the middle, holding {v}."
            if low == high
            else f"Check {number}: low points at position {low} and high at {high}; the middle "
            f"is position {middle}, holding {v}."
        )
        if value == target:
            sentences.append(f"{v} = {t}: found it at position {middle}.")
            break
        first, last = (low, middle) if value < target else (middle, high)
        aside = f"position {first} is" if first == last else f"positions {first} to {last} are"
        side = "right" if value < target else "left"
        sentences.append(
            f"{v} {'<' if value < target else '>'} {t}: the target must be to the "
            f"{side}, so {aside} set aside."
        )
    if found is None:
        sentences.append(f"{t} is not in the list.")
    sentences.append(
        f"A summary says {len(steps)} check{'s' if len(steps) != 1 else ''} for "
        f"{len(values)} items."
    )
    return sentences


def build(params: dict) -> str:
    return fill(
        SKELETON,
        fit_frame=codegen.fit_frame((-6.5, -3.3, 6.5, 3.7)),
        values=codegen.block_literal(list(params["values"]), 8, 9),
        target=literal(params["target"]),
    )


def narration(params: dict) -> list[str]:
    values, target = list(params["values"]), params["target"]
    steps, found = binary_search_steps(values, target)
    t = fmt(target)
    checks = []
    for _low, _high, middle in steps:
        value = values[middle]
        if value == target:
            checks.append(f"the middle is {fmt(value)}: found it, at position {middle}")
        else:
            side = "right" if value < target else "left"
            checks.append(f"the middle is {fmt(value)}, so look to the {side}")
    ending = "" if found is not None else f" So {t} is not in the list."
    count = f"{len(steps)} check{'s' if len(steps) != 1 else ''}"
    return [
        f"Binary search for {t}.",
        f"Here is a sorted list of {len(values)} numbers, from {fmt(values[0])} to "
        f"{fmt(values[-1])}.",
        "Each round, look at the middle and throw away the half the target cannot be in: "
        + "; then ".join(checks)
        + f".{ending} That took {count} for {len(values)} items.",
    ]
