"""A stack (push and pop, last in first out) or a queue (enqueue and dequeue, first in first
out) running the teacher's operations one at a time, each removal saying the value it returns."""

from __future__ import annotations

import re

from app.generators.offline import codegen, controls
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.extract import Prompt
from app.generators.offline.templates.common import Spoken

ID = "stack_queue"
TITLE = "Stack and queue"
SUBJECT = "CS"
EXAMPLE_PROMPT = "Show a stack: push 3, push 5, pop, push 7"
DEFAULTS = {"structure": "stack", "operations": ["push 3", "push 5", "pop", "push 7"]}
VARIANTS = [
    {
        "structure": "queue",
        "operations": ["enqueue 4", "enqueue 8", "enqueue 15", "dequeue", "enqueue 16"],
    },
    {
        "structure": "stack",
        "operations": [
            "push 1",
            "push 2",
            "push 3",
            "push 4",
            "push 5",
            "push 6",
            "pop",
            "pop",
            "pop",
            "pop",
        ],
    },
    {"structure": "queue", "operations": ["enqueue 7", "dequeue"]},
]
TRIGGERS = {
    r"\bstacks?\b|\bqueues?\b": 4,
    r"\benqueu\w*|\bdequeu\w*": 5,
    r"\bpush(?:es|ed|ing)?\b|\bpop(?:s|ped|ping)?\b": 1,
    # push with a number and pop together: operations on a stack, not a push in physics
    r"\bpush\w*\s*\(?\s*-?\d+\b.*\bpop|\bpop\b.*\bpush\w*\s*\(?\s*-?\d": 4,
    r"\blifo\b|\bfifo\b|\blast in,? first out\b|\bfirst in,? first out\b": 5,
    r"\bdata structures?\b": 2,
}
STRUCTURES = ["stack", "queue"]
STRUCTURE_ALIASES = {"lifo": "stack", "fifo": "queue"}
MAX_OPERATIONS = 10
MAX_ITEMS = 6  # at any one time: the column or the row has room for six boxes
LOW, HIGH = -99, 999
OPERATION_LENGTH = 12  # "enqueue(-99)", the longest way to write one operation
ADD = {"stack": "push", "queue": "enqueue"}
REMOVE = {"stack": "pop", "queue": "dequeue"}
ADD_WORDS = ("push", "enqueue", "add", "insert", "put")
REMOVE_WORDS = ("pop", "dequeue", "remove", "take", "serve")
CONTROLS = {
    "structure": controls.Choice(
        "Structure",
        tuple(STRUCTURES),
        ("Stack (last in, first out)", "Queue (first in, first out)"),
    ),
    "operations": controls.TextList(
        "Operations (push 3, pop; or enqueue 3, dequeue)",
        max_length=OPERATION_LENGTH,
        min_items=1,
        max_items=MAX_OPERATIONS,
    ),
}

_COUNT = {"twice": 2, "two": 2, "three": 3, "thrice": 3, "four": 4, "five": 5}
_OPERATION = re.compile(
    rf"\b({'|'.join(ADD_WORDS + REMOVE_WORDS)})(?:e?s|ed|ing)?\b"
    r"(?:\s+(twice|thrice|(?:two|three|four|five|\d) times)"
    r"|\s*\(\s*\)|\s*\(?\s*(-?\d+(?:\s*(?:,|,?\s*and)\s*-?\d+)*)\s*\)?)?"
)


def extract(prompt: Prompt) -> dict:
    params: dict = {}
    structure = prompt.search(
        r"\b(stack|queue|lifo|fifo|push|pop|enqueu|dequeu|last in|first in)\w*"
    )
    if structure:
        word = structure.group(1)
        params["structure"] = (
            "queue" if word in ("queue", "fifo", "enqueu", "dequeu", "first in") else "stack"
        )
    operations: list[str] = []
    for match in _OPERATION.finditer(prompt.text):
        word, times, values = match.groups()
        if word in ADD_WORDS:
            if values:  # "push 1, 2 and 3" pushes each
                operations += [f"push {v}" for v in re.findall(r"-?\d+", values)]
        else:
            repeat = 1
            if times:
                first = times.split()[0]
                repeat = int(first) if first.isdigit() else _COUNT.get(first, 1)
            operations += ["pop"] * repeat
    if operations:
        params["operations"] = operations
    return params


def _cut(operation: str) -> str:
    """An operation as a refusal quotes it: at most OPERATION_LENGTH characters."""
    if len(operation) <= OPERATION_LENGTH:
        return operation
    return operation[: OPERATION_LENGTH - 1] + "…"


def validate(params: dict, notes: list[str]) -> dict:
    structure = checks.choice(params["structure"], "structure", STRUCTURES, STRUCTURE_ALIASES)
    given = checks.text_list(
        params["operations"],
        "operations",
        # Cleaned with room to spare: an operation is read whole, then refused for its length
        # only if it is one (not read cut short, as a number ending in "…")
        max_length=10 * OPERATION_LENGTH,
        min_items=1,
        max_items=MAX_OPERATIONS,
    )
    operations: list[str] = []
    items: list[int] = []
    renamed = False
    for number, operation in enumerate(given, start=1):
        shown = _cut(operation)
        words = operation.lower().replace("(", " ").replace(")", " ").split()
        word = words[0] if words else ""
        if word in ADD_WORDS:
            if len(words) != 2:
                raise checks.fail(
                    f"Operation {number} ('{shown}') needs one number, like {ADD[structure]} 3."
                )
            value = checks.integer(words[1], "operations", low=LOW, high=HIGH)
            if len(items) == MAX_ITEMS:
                raise checks.fail(
                    f"Operation {number} would put a {MAX_ITEMS + 1}th item in the {structure}; "
                    f"it holds at most {MAX_ITEMS} at a time."
                )
            items.append(value)
            renamed = renamed or word != ADD[structure]
            operations.append(f"{ADD[structure]} {value}")
        elif word in REMOVE_WORDS and len(words) == 1:
            if not items:
                raise checks.fail(
                    f"Operation {number} ({REMOVE[structure]}) finds the {structure} empty; "
                    f"{ADD[structure]} something first."
                )
            items.pop() if structure == "stack" else items.pop(0)
            renamed = renamed or word != REMOVE[structure]
            operations.append(REMOVE[structure])
        else:
            raise checks.fail(
                f"Operation {number} ('{shown}') is not {ADD[structure]} with a number or "
                f"{REMOVE[structure]}."
            )
    long = next((n for n, op in enumerate(given, start=1) if len(op) > OPERATION_LENGTH), 0)
    if long:
        raise checks.fail(
            f"Operation {long} must be at most {OPERATION_LENGTH} characters, like "
            f"{ADD[structure]} 3."
        )
    if renamed:
        notes.append(
            f"The operations are named as a {structure}'s: {ADD[structure]} and "
            f"{REMOVE[structure]}."
        )
    params["structure"] = structure
    params["operations"] = operations
    return params


SKELETON = """\
from manim import *
import numpy as np

structure = <<structure>>  # "stack": last in, first out; "queue": first in, first out
operations = <<operations>>  # run in this order


def run(structure, operations):
    # Each step: (operation, the value it takes out or None, the items afterwards).
    # A stack takes from the end it adds to (the top); a queue from the other end (the front).
    items, steps = [], []
    for operation in operations:
        word, *value = operation.split()
        if word in ("push", "enqueue"):
            items.append(int(value[0]))
            steps.append((operation, None, list(items)))
        else:
            taken = items.pop() if structure == "stack" else items.pop(0)
            steps.append((operation, taken, list(items)))
    return steps


def slot(structure, i):
    # Where item i sits: a stack grows upwards from its base, a queue from left to right
    if structure == "stack":
        return [-2.5, -2.44 + 0.82 * i, 0]
    return [-5.2 + 0.9 * i, 0.3, 0]


def marker(name, target, direction):
    # A word with an arrow pointing at the box it names (top, front or back), on that side
    arrow = Arrow(direction * 0.9, ORIGIN, buff=0, color=HIGHLIGHT, stroke_width=4)
    label = Text(name, font_size=24, color=HIGHLIGHT).next_to(arrow, direction, buff=0.1)
    edge = np.array(target) + direction * 0.4  # the side of the box
    return VGroup(arrow, label).next_to(edge, direction, buff=0.08)


class StackQueue(Scene):
    def construct(self):
<<fit_frame>>
        steps = run(structure, operations)
        is_stack = structure == "stack"

        # Title
        heading = "A stack: last in, first out" if is_stack else "A queue: first in, first out"
        title = Text(heading, font_size=40)
        fit_title(self, title).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # The operations, listed on the right and run one at a time
        panel_title = put(Text("Operations", font_size=28, color=MUTED), ops, 4.6, 2.4)
        lines = VGroup(
            *[
                put(Text(operation, font_size=26), ops, 4.6, 1.85 - 0.5 * i)
                for i, operation in enumerate(operations)
            ]
        )
        if is_stack:
            base = Line([-3.4, -2.85, 0], [-1.6, -2.85, 0], color=MUTED, stroke_width=4)
        else:
            base = VGroup(
                Line([-5.7, 0.8, 0], [-0.2, 0.8, 0], color=MUTED),
                Line([-5.7, -0.2, 0], [-0.2, -0.2, 0], color=MUTED),
            )
        put(base, store)
        empty = put(Text("empty", font_size=24, color=MUTED), store, *slot(structure, 0)[:2])
        self.play(FadeIn(panel_title), FadeIn(lines), Create(base), FadeIn(empty), run_time=1)

        boxes = []
        pointer = None
        status = None
        ends = None
        for i, (operation, taken, items) in enumerate(steps):
            animations = []
            new_pointer = SurroundingRectangle(lines[i], color=HIGHLIGHT, buff=0.06)
            if pointer is None:
                pointer = new_pointer
                animations.append(Create(pointer))
            else:
                animations.append(Transform(pointer, new_pointer))
            if taken is None:
                # Adding: a new box arrives at the top (stack) or the back (queue)
                value = items[-1]
                box = VGroup(
                    Square(side_length=0.8, color=ACCENT).set_fill(ACCENT, opacity=0.25),
                    Text(str(value), font_size=28),
                )
                start = [-2.5, 2.5, 0] if is_stack else [0.9, 0.3, 0]
                put(box, store, start[0], start[1])
                boxes.append(box)
                place = at(store, *slot(structure, len(items) - 1)[:2])
                animations += [FadeIn(box), box.animate.move_to(place)]
                message = (
                    f"push {value}: {value} goes on top"
                    if is_stack
                    else f"enqueue {value}: {value} joins the back"
                )
            else:
                # Taking out: the top box (stack) or the front box (queue) leaves
                box = boxes.pop() if is_stack else boxes.pop(0)
                away = at(store, -0.6, 0) if is_stack else at(store, -6.5, 0.3)
                away[1] = box.get_y() if is_stack else away[1]
                animations += [box.animate.move_to(away).set_opacity(0)]
                animations += [
                    b.animate.move_to(at(store, *slot(structure, k)[:2]))
                    for k, b in enumerate(boxes)
                ]
                animations.append(
                    Transform(
                        lines[i],
                        scaled(Text(f"{operation} → {taken}", font_size=26), ops).move_to(lines[i]),
                    )
                )
                message = (
                    f"pop returns {taken}: the last one in comes out first"
                    if is_stack
                    else f"dequeue returns {taken}: the first one in comes out first"
                )
            new_status = put(Text(message, font_size=26), status_line, 0, -3.4)
            if status is None:
                status = new_status
                animations.append(FadeIn(status))
            else:
                animations.append(Transform(status, new_status))
            # Name the ends in words: the top of a stack, the front and back of a queue
            if items:
                new_ends = (
                    VGroup(put(marker("top", slot(structure, len(items) - 1), LEFT), store))
                    if is_stack
                    else VGroup(
                        put(marker("front", slot(structure, 0), DOWN), store),
                        put(marker("back", slot(structure, len(items) - 1), UP), store),
                    )
                )
            else:
                new_ends = ends.copy().set_opacity(0)  # nothing left to point at
            animations.append(empty.animate.set_opacity(0 if items else 1))
            if ends is None:
                ends = new_ends
                animations.append(FadeIn(ends))
            else:
                animations.append(Transform(ends, new_ends))
            self.play(*animations, run_time=1)
            self.wait(0.1)

        # Where it ends up
        self.play(FadeOut(pointer), run_time=0.4)
        left = steps[-1][2]
        if not left:
            summary = f"At the end the {structure} is empty"
        else:
            count = f"{len(left)} item" + ("s" if len(left) > 1 else "")
            end = f"{left[-1]} on top" if is_stack else f"{left[0]} at the front"
            summary = f"At the end: {count}, {end}"
        summary_text = scaled(Text(summary, font_size=26, color=POSITIVE), status_line)
        self.play(Transform(status, summary_text.move_to(status)))
        self.wait(2)
"""


def build(params: dict) -> str:
    stack = params["structure"] == "stack"
    # The operations' part, sized for the most a video may have: a teacher who edits the list
    # at the top of the code gets the same layout the host would have made
    lowest = round(1.55 - 0.5 * MAX_OPERATIONS, 2)
    return fill(
        SKELETON,
        fit_frame=codegen.arrange_parts(
            {
                "store": (-4.0, -3.0, -0.3, 2.95) if stack else (-6.7, -0.7, 1.4, 1.6),
                "ops": (3.2, lowest, 6.0, 2.7),
                "status_line": (-4.7, -3.7, 4.7, -3.1),
            }
        ),
        structure=literal(params["structure"]),
        operations=codegen.block_literal(list(params["operations"]), 0, 13),
    )


# ---------------------------------------------------------------- what the video says


def _and(items: list[int]) -> str:
    words = [str(i) for i in items]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _holds(structure: str, items: list[int]) -> str:
    if not items:
        return f"the {structure} is empty"
    if structure == "stack":
        order = "" if len(items) == 1 else ", bottom to top"
        return f"the stack holds {_and(items)}{order}, with {items[-1]} on top"
    order = "" if len(items) == 1 else ", front to back"
    return f"the queue holds {_and(items)}{order}, with {items[0]} at the front"


def describe(params: dict) -> list[str]:
    structure, operations = params["structure"], list(params["operations"])
    stack = structure == "stack"
    sentences = [
        "The title reads: "
        + ("A stack: last in, first out." if stack else "A queue: first in, first out."),
        f"The operations {', '.join(operations)} are listed on the right and run one at a "
        "time, the current one framed.",
    ]
    items: list[int] = []
    for operation in operations:
        word, *rest = operation.split()
        if rest:
            value = int(rest[0])
            items.append(value)
            arrives = "goes on top" if stack else "joins the back"
            sentences.append(
                f"{word.capitalize()} {value}: {value} {arrives}; {_holds(structure, items)}."
            )
        else:
            taken = items.pop() if stack else items.pop(0)
            which = "the last one in" if stack else "the first one in"
            sentences.append(
                f"{word.capitalize()} returns {taken}, {which}; {_holds(structure, items)}."
            )
    if not items:
        sentences.append(f"At the end the {structure} is empty.")
    else:
        count = f"{len(items)} item" + ("s" if len(items) > 1 else "")
        end = f"{items[-1]} on top" if stack else f"{items[0]} at the front"
        sentences.append(f"At the end: {count}, {end}.")
    return sentences


def narration(params: dict) -> list[str | Spoken]:
    # Worked out in the scene from the input lines at the top, like everything else it shows
    structure, operations = params["structure"], list(params["operations"])
    stack = "A stack: last in, first out."
    queue = "A queue: first in, first out."
    return [
        Spoken(
            (f'"{stack}" if structure == "stack"', f'else "{queue}"'),
            stack if structure == "stack" else queue,
        ),
        Spoken(
            ('''f"Run the operations one at a time: {', then '.join(operations)}."''',),
            f"Run the operations one at a time: {', then '.join(operations)}.",
        ),
        Spoken(
            ('f"That was {len(operations)} operations. Here is where the {structure} ends up."',),
            f"That was {len(operations)} operations. Here is where the {structure} ends up.",
        ),
    ]
