"""A number line: plot values in order, or act out a sum like -3 + 5 as jumps."""

from __future__ import annotations

import math
import re

from app.generators.offline import codegen
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal, show
from app.generators.offline.controls import Formula, NumberList
from app.generators.offline.extract import NUM, Prompt
from app.generators.offline.templates import common

ID = "number_line"
TITLE = "Number line"
SUBJECT = "Math"
EXAMPLE_PROMPT = "Show -3 + 5 on a number line"
DEFAULTS = {"values": [], "operation": "-3 + 5"}
VARIANTS = [
    {"values": [-2.5, 0.0, 1.5, 4.0], "operation": ""},
    {"values": [], "operation": "4 - 7 + 2"},
]
TRIGGERS = {
    r"\bnumber ?lines?\b": 8,
    r"\bnegative numbers?\b|\bintegers?\b": 2,
    r"\bjumps?\b|\bhops?\b": 2,
    r"\b(?:adding|subtracting|add|subtract) (?:negative|integers)\b": 3,
    r"\border(?:ing)? (?:the )?numbers\b|\bcompare (?:the )?numbers\b": 2,
}
MAX_TERMS = 4
MAX_VALUES = 8
LIMIT = 1000

_OPERATION = re.compile(rf"({NUM})((?:\s*[-+]\s*\(?\s*{NUM}\s*\)?){{1,{MAX_TERMS - 1}}})")
_TERM = re.compile(rf"([-+])\s*\(?\s*({NUM})\s*\)?")


def parse_operation(text: str) -> tuple[float, list[tuple[str, float]]]:
    """ "-3 + 5 - (-2)" → (-3, [("+", 5), ("-", -2)]): the start, then each operator and number."""
    text = text.strip().replace("−", "-").replace("–", "-")
    match = _OPERATION.fullmatch(text)
    if not match:
        raise checks.fail(
            f"'operation' must be a sum like -3 + 5 or 4 - 7 + 2 with at most {MAX_TERMS} numbers."
        )
    steps = [(sign, float(number)) for sign, number in _TERM.findall(match.group(2))]
    return float(match.group(1)), steps


def jumps(steps: list[tuple[str, float]]) -> list[float]:
    """Subtracting a number is a jump to the left; subtracting a negative, to the right."""
    return [number if sign == "+" else -number for sign, number in steps]


def operation_text(start: float, steps: list[tuple[str, float]]) -> str:
    text = show(start)
    for sign, number in steps:
        operand = f"({show(number)})" if number < 0 else show(number)
        text += f" {sign} {operand}"
    return text


def extract(prompt: Prompt) -> dict:
    text = prompt.text.replace(" plus ", " + ").replace(" minus ", " - ")
    add = re.search(rf"\badd ({NUM}) (?:and|to|plus) ({NUM})", text)
    if add:
        return {"operation": f"{add.group(1)} + {add.group(2)}", "values": []}
    subtract = re.search(rf"\bsubtract ({NUM}) from ({NUM})", text)
    if subtract:
        return {"operation": f"{subtract.group(2)} - ({subtract.group(1)})", "values": []}
    operation = _OPERATION.search(text)
    if operation and not prompt.has(rf"{NUM}\s*,\s*{NUM}"):
        return {"operation": operation.group(0), "values": []}
    values = prompt.number_list or prompt.numbers
    if values:
        return {"values": values[:MAX_VALUES], "operation": ""}
    return {}


CONTROLS = {
    "values": NumberList("Numbers to mark", -LIMIT, LIMIT, min_items=0, max_items=MAX_VALUES),
    "operation": Formula("Sum to show (when no numbers are marked)", example="-3 + 5"),
}


def validate(params: dict, notes: list[str]) -> dict:
    values = params.get("values") or []
    operation = params.get("operation") or ""
    if values:
        params["values"] = checks.number_list(
            values, "values", low=-LIMIT, high=LIMIT, min_items=1, max_items=MAX_VALUES
        )
        params["operation"] = ""
        return params
    if not operation:
        raise checks.fail("Give either some values to plot or a sum like -3 + 5.")
    start, steps = parse_operation(str(operation))
    for number in [start] + [n for _, n in steps]:
        checks.number(number, "operation", low=-LIMIT, high=LIMIT)
    params["values"] = []
    params["operation"] = operation_text(start, steps)
    return params


def _line_range(points: list[float]) -> tuple[float, float, float]:
    low, high = min(points + [0.0]), max(points + [0.0])
    step = codegen.nice_step(high - low + 2, 12)
    low = math.floor(low / step - 1) * step
    high = math.ceil(high / step + 1) * step
    return low, high, step


SKELETON_HEAD = """\
from manim import *


def fmt(value):
    # 3.0 -> "3", -2.5 -> "-2.5"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


class NumberLineScene(Scene):
    def construct(self):
<<fit_frame>>
        # Title
        title = Text(<<title>>, font_size=40).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # The number line
        def number_line(numbers_size):
            return NumberLine(
                x_range=<<x_range>>,
                length=12,
                include_numbers=True,
                font_size=numbers_size,
                decimal_number_config={"num_decimal_places": <<decimals>>},
            ).shift(DOWN * 0.8)

        line = number_line(28)
        if self.camera.frame_width < 1.7 * self.camera.frame_height:
            # A portrait or square frame shows the line smaller: its numbers grow (up to 40)
            # as far as the space between two ticks allows
            spacing = line.get_unit_size() * line.x_range[2]
            widest = max(number.width for number in line.numbers)
            line = number_line(min(40, 28 * 0.8 * spacing / widest))
        self.play(Create(line), run_time=2)
"""

VALUES_BODY = """
        # Each value as a dot with its label, in the order given
        values = <<values>>
        for index, value in enumerate(values):
            dot = Dot(line.n2p(value), radius=0.12, color=HIGHLIGHT)
            label = MathTex(fmt(value), font_size=36, color=HIGHLIGHT)
            label.next_to(
                dot, UP, buff=0.3 + 0.45 * (index % 2)
            )  # alternate heights so labels never touch
            self.play(FadeIn(dot, scale=2), Write(label), run_time=0.9)
        self.wait(0.5)

        # Left to right is smallest to largest
        order = MathTex(" < ".join(fmt(v) for v in sorted(values)), font_size=44)
        order.move_to([0, 1.9, 0])
        if order.width > 12:
            order.scale_to_fit_width(12)
        arrow = Arrow(
            line.n2p(line.x_range[0]) + DOWN * 0.9,
            line.n2p(line.x_range[1]) + DOWN * 0.9,
            buff=0,
        )
        arrow_label = Text("smaller  →  larger", font_size=26, color=MUTED).next_to(
            arrow, DOWN, buff=0.15
        )
        self.play(Write(order), GrowArrow(arrow), FadeIn(arrow_label), run_time=1.5)
        self.wait(2)
"""

OPERATION_BODY = """
        # Start at the first number, then jump right to add and left to subtract
        start = <<start>>
        jumps = <<jumps>>  # + moves right, - moves left (subtracting a negative moves right)
        sum_text = <<sum_text>>
        equation = MathTex(sum_text, "=", "?", font_size=48).move_to([0, 2.0, 0])
        self.play(Write(equation), run_time=1)

        position = start
        marker = Dot(line.n2p(position), radius=0.13, color=HIGHLIGHT)
        start_label = MathTex(fmt(start), font_size=34, color=HIGHLIGHT).next_to(
            marker, DOWN, buff=0.55
        )
        self.play(FadeIn(marker, scale=2), Write(start_label), run_time=0.8)
        for jump in jumps:
            target = position + jump
            # Adding jumps right and is labelled +; subtracting jumps left and is labelled -
            color = POSITIVE if jump > 0 else NEGATIVE
            # The arc bends over the line whichever way the jump goes
            arc = CurvedArrow(
                line.n2p(position),
                line.n2p(target),
                angle=-PI / 3 if jump > 0 else PI / 3,
                color=color,
            )
            jump_label = MathTex(
                ("+" if jump > 0 else "") + fmt(jump), font_size=34, color=color
            )
            jump_label.next_to(arc, UP, buff=0.1)
            self.play(
                Create(arc),
                Write(jump_label),
                marker.animate.move_to(line.n2p(target)),
                run_time=1.4,
            )
            self.wait(0.3)
            position = target

        # The answer is where we land
        answer = MathTex(fmt(position), font_size=48, color=HIGHLIGHT).move_to(equation[2])
        self.play(Transform(equation[2], answer), Indicate(marker, color=HIGHLIGHT), run_time=1.2)
        self.wait(2)
"""


def fmt(value: float) -> str:
    """What the video's fmt(value) shows: 3.0 → "3", -2.5 → "-2.5"."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _shown(value: float) -> float:
    """A number as the emitted code holds it (literals keep 10 significant digits)."""
    return float(literal(float(value)))


def _line(points: list[float]) -> tuple[float, float, float, int]:
    """The number line's ends, its tick step and the decimals of its tick labels."""
    low, high, step = _line_range(points)
    return low, high, step, 0 if float(step).is_integer() else 1


def describe(params: dict) -> list[str]:
    if params["values"]:
        values = [_shown(v) for v in params["values"]]
        title, points = "Numbers on a number line", values
    else:
        start, steps = parse_operation(params["operation"])
        moves = jumps(steps)
        title, points = "Adding and subtracting on a number line", _points(start, moves)
    low, high, step, decimals = _line(points)
    sentences = [
        f"The title reads: {title}.",
        f"A number line appears, numbered from {low:.{decimals}f} to {high:.{decimals}f} in "
        f"steps of {step:.{decimals}f}.",
    ]
    if params["values"]:
        return sentences + [
            "Dots mark the values one at a time, in the order given: "
            + ", ".join(fmt(v) for v in values)
            + ".",
            "Above the line they are put in order: "
            + " < ".join(fmt(v) for v in sorted(values))
            + ".",
            "An arrow under the line points from smaller to larger.",
        ]
    position = _shown(start)
    sentences += [
        f"The question {params['operation']} = ? appears above the line.",
        f"A dot marks the start, {fmt(position)}.",
    ]
    for jump in (_shown(m) for m in moves):
        target = position + jump
        if jump == 0:
            sentences.append(f"A jump of 0 stays at {fmt(target)}.")
        else:
            label = ("+" if jump > 0 else "") + fmt(jump)
            way = "right" if jump > 0 else "left"
            sentences.append(f"A jump of {label} to the {way} lands on {fmt(target)}.")
        position = target
    sentences.append(
        f"The answer replaces the question mark: {params['operation']} = {fmt(position)}."
    )
    return sentences


def _points(start: float, moves: list[float]) -> list[float]:
    """Where the marker stands: the start, then after each jump."""
    return [start + sum(moves[:i]) for i in range(len(moves) + 1)]


def build(params: dict) -> str:
    if params["values"]:
        values = params["values"]
        points = values
        title = "Numbers on a number line"
        body = fill(VALUES_BODY, values=literal([float(v) for v in values]))
    else:
        start, steps = parse_operation(params["operation"])
        moves = jumps(steps)
        points = _points(start, moves)
        title = "Adding and subtracting on a number line"
        body = fill(
            OPERATION_BODY,
            start=literal(start),
            jumps=literal(moves),
            sum_text=literal(params["operation"]),
        )
    low, high, step, decimals = _line(points)
    head = fill(
        SKELETON_HEAD,
        fit_frame=codegen.fit_frame((-6.5, -3.0, 6.5, 3.7)),
        title=literal(title),
        x_range=literal([low, high, step]),
        decimals=literal(decimals),
    )
    return head.rstrip("\n") + "\n" + body


def narration(params: dict) -> list[str]:
    if params["values"]:
        values = [_shown(v) for v in params["values"]]
        low, high, _step, decimals = _line(values)
        return [
            "Numbers on a number line.",
            f"Here is a number line from {low:.{decimals}f} to {high:.{decimals}f}.",
            "Let's mark each number: " + common.say_list([fmt(v) for v in values]) + ".",
            "From left to right they go from smallest to largest: "
            + common.say_list([fmt(v) for v in sorted(values)])
            + ".",
        ]
    start, steps = parse_operation(params["operation"])
    moves = jumps(steps)
    low, high, _step, decimals = _line(_points(start, moves))
    position = _shown(start)
    said = []
    for jump in (_shown(m) for m in moves):
        way = "stay put" if jump == 0 else f"jump {fmt(abs(jump))} to the "
        way += "" if jump == 0 else ("right" if jump > 0 else "left")
        position += jump
        said.append(f"{way} to land on {fmt(position)}")
    question = operation_text(start, steps)
    return [
        "Adding and subtracting on a number line.",
        f"Here is a number line from {low:.{decimals}f} to {high:.{decimals}f}.",
        f"What is {question}? Start at {fmt(_shown(start))}. Adding moves right and "
        f"subtracting moves left: {', then '.join(said)}.",
        f"We land on {fmt(position)}, so {question} = {fmt(position)}.",
    ]
