"""A singly linked list: insert a node at an index or delete the node at an index, walking
from the head to the node before it and re-pointing its arrow."""

from __future__ import annotations

import re

from app.generators.offline import codegen, controls
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.extract import Prompt
from app.generators.offline.templates.common import Spoken

ID = "linked_list"
TITLE = "Linked list insert and delete"
SUBJECT = "CS"
EXAMPLE_PROMPT = "Insert 7 at index 2 in the linked list 3 -> 8 -> 5 -> 1"
DEFAULTS: dict = {"values": [3, 8, 5, 1], "operation": "insert", "position": 2, "value": 7}
VARIANTS = [
    {"values": [3, 8, 5, 1], "operation": "delete", "position": 2, "value": 0},
    {"values": [4, 9, 2, 6, 1, 5], "operation": "insert", "position": 6, "value": 8},
    {"values": [10, 20, 30], "operation": "delete", "position": 0, "value": 0},
    {"values": [12], "operation": "insert", "position": 0, "value": 5},
]
TRIGGERS = {
    r"\blinked[- ]lists?\b": 9,
    r"\bnodes?\b": 2,
    r"\bpointers?\b|\bnext\b|\bhead\b|\btail\b": 1,
    r"\binsert\w*\b|\bdelet\w*\b|\bremov\w*\b": 1,
}
OPERATIONS = ["insert", "delete"]
OPERATION_ALIASES = {"add": "insert", "remove": "delete", "insertion": "insert"}
MAX_VALUES = 6  # seven nodes after an insert still fit across the frame
LOW, HIGH = -99, 999
CONTROLS = {
    "values": controls.NumberList("List (head first)", LOW, HIGH, 1, MAX_VALUES, integers=True),
    "operation": controls.Choice(
        "Operation", tuple(OPERATIONS), ("Insert a node", "Delete a node")
    ),
    "position": controls.Number("Index (0 is the head)", 0, MAX_VALUES, step=1, integer=True),
    "value": controls.Number("Value to insert", LOW, HIGH, step=1, integer=True),
}

_ARROWS = re.compile(r"-?\d+(?:\s*(?:->|→|=>)\s*-?\d+)+")


def extract(prompt: Prompt) -> dict:
    params: dict = {}
    text = prompt.text
    chained = _ARROWS.search(text)
    values: list[float] | None = (
        [float(v) for v in re.findall(r"(?<![\d>])-?\d+", chained.group(0))]
        if chained
        else prompt.number_list
    )
    if values:
        params["values"] = values
    known = [int(v) for v in (values or DEFAULTS["values"])]
    if prompt.has(r"\b(?:delet|remov)\w*"):
        params["operation"] = "delete"
    elif prompt.has(r"\b(?:insert|add)\w*"):
        params["operation"] = "insert"
    deleting = params.get("operation") == "delete"
    inserted = prompt.search(
        r"\b(?:insert|add)(?:s|ing)?\s+(?:a node\s+)?(?:with value\s+)?(-?\d+)"
    )
    if inserted:
        params["value"] = int(inserted.group(1))
    where = prompt.search(r"\b(?:position|index)\s*(?:of\s*)?(\d+)")
    after = prompt.search(r"\b(after|before)\s+(?:the node\s+)?(?:holding\s+|with\s+)?(-?\d+)")
    doomed = prompt.search(
        r"\b(?:delet|remov)\w*\s+(?:the\s+)?(?:node\s+)?(?:with value\s+|holding\s+|value\s+)?"
        r"(-?\d+)(?!\s*(?:st|nd|rd|th)\b)"
    )
    if where:
        params["position"] = int(where.group(1))
    elif prompt.has(r"\b(?:head|front|beginning|start)\b"):
        params["position"] = 0
    elif prompt.has(r"\b(?:end|tail|back|last)\b"):
        params["position"] = len(known) - 1 if deleting else len(known)
    elif after and int(after.group(2)) in known:
        found = known.index(int(after.group(2)))
        params["position"] = found + 1 if after.group(1) == "after" else found
    elif deleting and doomed and int(doomed.group(1)) in known:
        params["position"] = known.index(int(doomed.group(1)))
    return params


def validate(params: dict, notes: list[str]) -> dict:
    values = checks.number_list(
        params["values"],
        "values",
        low=LOW,
        high=HIGH,
        min_items=1,
        max_items=MAX_VALUES,
        integers=True,
    )
    params["values"] = [int(v) for v in values]
    operation = checks.choice(params["operation"], "operation", OPERATIONS, OPERATION_ALIASES)
    params["operation"] = operation
    last = len(values) if operation == "insert" else len(values) - 1
    position = checks.integer(params["position"], "position", low=0, high=MAX_VALUES)
    if position > last:
        raise checks.fail(
            f"'position' must be between 0 and {last} to {operation} "
            f"{'into' if operation == 'insert' else 'from'} a list of {len(values)} "
            f"node{'s' if len(values) != 1 else ''}."
        )
    params["position"] = position
    params["value"] = checks.integer(params["value"], "value", low=LOW, high=HIGH)
    return params


SKELETON = """\
from manim import *

values = <<values>>  # the list, head first
operation = <<operation>>  # "insert" or "delete"
position = <<position>>  # the index to insert at or delete from: 0 is the head
value = <<value>>  # the value a new node holds (insert only)

PITCH = 1.45  # from one node to the next
ROW = 0.7  # the height the list sits at


def spot(i, count):
    # Where node i of a list of `count` nodes sits, the whole row centred
    return [(i - (count - 1) / 2) * PITCH + 0.2, ROW, 0]


def node(number, color):
    # A node: its value on the left, its "next" part (where the arrow starts) on the right
    data = Rectangle(width=0.6, height=0.6, color=color).set_fill(color, opacity=0.15)
    link = Rectangle(width=0.35, height=0.6, color=color).next_to(data, RIGHT, buff=0)
    label = Text(str(number), font_size=26).move_to(data)
    dot = Dot(link.get_center(), radius=0.05, color=TEXT)
    return VGroup(data, link, label, dot).move_to(ORIGIN)


def pointer(start, end, color=TEXT):
    # An arrow from a node's "next" part to what it points at
    return Arrow(
        start,
        end,
        buff=0.02,
        color=color,
        stroke_width=3,
        tip_length=0.16,
        max_tip_length_to_length_ratio=0.35,
    )


def chain_text(items):
    if not items:
        return "the list is empty: head → None"
    return " → ".join(str(v) for v in items) + " → None"


class LinkedList(Scene):
    def construct(self):
<<fit_frame>>
        count = len(values)
        after = (
            values[:position] + [value] + values[position:]
            if operation == "insert"
            else values[:position] + values[position + 1 :]
        )
        if operation == "insert":
            action = f"insert {value} at index {position}"
        else:
            action = f"delete index {position}"

        # Title
        title = Text(f"Linked list: {action}", font_size=38).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # The list: nodes joined by arrows, head on the left, None after the last node
        nodes = [node(v, ACCENT).move_to(spot(i, count)) for i, v in enumerate(values)]
        none = Text("None", font_size=24, color=MUTED)
        none.move_to(nodes[-1].get_right() + RIGHT * 0.85)

        def target_of(i):  # what node i's arrow points at: the next node or None
            return nodes[i + 1].get_left() if i + 1 < len(nodes) else none.get_left()

        links = [pointer(n[3].get_center(), target_of(i)) for i, n in enumerate(nodes)]
        head_word = Text("head", font_size=24, color=HIGHLIGHT)
        head_word.next_to(nodes[0], LEFT, buff=0.75)
        head = pointer(head_word.get_right(), nodes[0].get_left(), HIGHLIGHT)

        def numbering(items):
            return VGroup(
                *[
                    Text(str(i), font_size=18, color=MUTED).next_to(n, DOWN, buff=0.15)
                    for i, n in enumerate(items)
                ]
            )

        indices = numbering(nodes)
        status = Text(chain_text(values), font_size=26).move_to([0, -2.9, 0])
        self.play(
            *[FadeIn(n) for n in nodes],
            *[GrowArrow(link) for link in links],
            FadeIn(none),
            FadeIn(head_word),
            GrowArrow(head),
            FadeIn(indices),
            FadeIn(status),
            run_time=1.5,
        )

        def say(words, color=TEXT):
            return Transform(status, Text(words, font_size=26, color=color).move_to(status))

        # Walk from the head to the node before the index: a singly linked list
        # can only be followed forwards, one arrow at a time
        if position > 0:
            current = VGroup(
                Text("current", font_size=22, color=HIGHLIGHT),
                Arrow(UP * 0.5, ORIGIN, buff=0, color=HIGHLIGHT, stroke_width=4),
            ).arrange(DOWN, buff=0.05)
            current.next_to(nodes[0], UP, buff=0.1)
            self.play(FadeIn(current), say(f"walk from the head to index {position - 1}"))
            for i in range(1, position):
                self.play(current.animate.next_to(nodes[i], UP, buff=0.1), run_time=0.5)
            before = nodes[position - 1]
        else:
            current = None
            before = None

        if operation == "insert":
            # The new node appears below the gap it will fill
            new = node(value, SECONDARY)
            if before is not None:
                below = before.get_center() + RIGHT * PITCH / 2
            else:
                below = nodes[0].get_center() + LEFT * PITCH / 2
            new.move_to(below + DOWN * 1.6)
            tag = Text("new", font_size=20, color=SECONDARY).next_to(new, DOWN, buff=0.12)
            self.play(FadeIn(new), FadeIn(tag), say(f"a new node holding {value}"))
            # First the new node points at what comes after the gap ...
            successor = nodes[position] if position < count else none
            new_link = pointer(new[3].get_center(), successor.get_left(), HIGHLIGHT)
            name = str(values[position]) if position < count else "None"
            self.play(GrowArrow(new_link), say(f"{value}.next → {name}"))
            # ... then the arrow into the gap is re-pointed at the new node
            if before is None:
                self.play(
                    Transform(head, pointer(head_word.get_right(), new.get_left(), HIGHLIGHT)),
                    say(f"head → {value}: the new node is the first"),
                )
            else:
                self.play(
                    Transform(
                        links[position - 1],
                        pointer(before[3].get_center(), new.get_left(), HIGHLIGHT),
                    ),
                    say(f"{values[position - 1]}.next → {value}"),
                )
            nodes.insert(position, new)
            links.insert(position, new_link)
            self.play(FadeOut(tag), run_time=0.4)
        else:
            # The doomed node is skipped: the arrow into it now jumps over it
            doomed = nodes[position]
            mark = Text("delete", font_size=20, color=NEGATIVE).next_to(doomed, DOWN, buff=0.45)
            self.play(
                doomed.animate.set_stroke(NEGATIVE, width=6),
                FadeIn(mark),
                say(f"delete the node at index {position}, holding {values[position]}"),
            )
            successor = nodes[position + 1] if position + 1 < count else none
            name = str(values[position + 1]) if position + 1 < count else "None"
            if before is None:
                self.play(
                    Transform(
                        head,
                        CurvedArrow(
                            head_word.get_right(),
                            successor.get_left(),
                            angle=-PI / 3,
                            color=HIGHLIGHT,
                        ),
                    ),
                    say(f"head → {name}, past the old first node"),
                )
            else:
                self.play(
                    Transform(
                        links[position - 1],
                        CurvedArrow(
                            before[3].get_center(),
                            successor.get_left(),
                            angle=-PI / 3,
                            color=HIGHLIGHT,
                        ),
                    ),
                    say(f"{values[position - 1]}.next → {name}, past {values[position]}"),
                )
            self.play(
                FadeOut(doomed, shift=DOWN * 0.6),
                FadeOut(links[position]),
                FadeOut(mark),
                run_time=0.8,
            )
            nodes.pop(position)
            links.pop(position)

        # The list closes up into one row again, with its new indices
        total = len(nodes)
        moves = [n.animate.move_to(spot(i, total)) for i, n in enumerate(nodes)]
        none_x = spot(total - 1, total)[0] + 0.475 + 0.85 if total else spot(0, 1)[0]
        new_none = none.copy().move_to([none_x, ROW, 0])
        moves.append(none.animate.move_to(new_none))
        for i in range(total):
            end = spot(i + 1, total)[0] - 0.475 if i + 1 < total else new_none.get_left()[0]
            start = [spot(i, total)[0] + 0.3, ROW, 0]
            moves.append(Transform(links[i], pointer(start, [end, ROW, 0])))
        first = spot(0, total)[0] - 0.475 if total else new_none.get_left()[0]
        word_at = [first - 0.75 - head_word.width / 2, ROW, 0]
        moves.append(head_word.animate.move_to(word_at))
        moves.append(
            Transform(head, pointer([first - 0.75, ROW, 0], [first, ROW, 0], HIGHLIGHT))
        )
        settled = [n.copy().move_to(spot(i, total)) for i, n in enumerate(nodes)]
        moves.append(Transform(indices, numbering(settled)) if total else FadeOut(indices))
        moves.append(say(chain_text(after), POSITIVE))
        if current is not None:
            moves.append(FadeOut(current))
        self.play(*moves, run_time=1.2)
        self.wait(2)
"""


def build(params: dict) -> str:
    return fill(
        SKELETON,
        fit_frame=codegen.fit_frame((-6.3, -3.2, 6.4, 3.7)),
        values=literal(list(params["values"])),
        operation=literal(params["operation"]),
        position=literal(params["position"]),
        value=literal(params["value"]),
    )


# ---------------------------------------------------------------- what the video says


def _chain(items: list[int]) -> str:
    if not items:
        return "the list is empty, head → None"
    return " → ".join(str(v) for v in items) + " → None"


def describe(params: dict) -> list[str]:
    values, operation = list(params["values"]), params["operation"]
    position, value = params["position"], params["value"]
    count = len(values)
    action = (
        f"insert {value} at index {position}"
        if operation == "insert"
        else f"delete index {position}"
    )
    sentences = [
        f"The title reads: Linked list: {action}.",
        f"A singly linked list {_chain(values)} appears: each node holds a value and an arrow "
        f"to the next node, head points at the first node, and "
        + ("the index 0 is" if count == 1 else f"the indices 0 to {count - 1} are")
        + " written underneath.",
    ]
    if position > 0:
        sentences.append(
            f"A current pointer walks from the head to index {position - 1}, the node holding "
            f"{values[position - 1]}, following one arrow at a time."
        )
    if operation == "insert":
        after = values[:position] + [value] + values[position:]
        successor = str(values[position]) if position < count else "None"
        sentences.append(
            f"A new node holding {value} appears below; first its arrow is pointed at {successor}."
        )
        if position == 0:
            sentences.append("Then head is re-pointed at the new node.")
        else:
            sentences.append(
                f"Then the arrow from {values[position - 1]} is re-pointed at the new node."
            )
    else:
        after = values[:position] + values[position + 1 :]
        successor = str(values[position + 1]) if position + 1 < count else "None"
        sentences.append(
            f"The node at index {position}, holding {values[position]}, is marked for deletion."
        )
        source = "head" if position == 0 else f"the arrow from {values[position - 1]}"
        sentences.append(
            f"{source[0].upper() + source[1:]} is re-pointed past it, at {successor}, and the "
            "node is removed."
        )
    sentences.append(f"The list closes up into one row with new indices: {_chain(after)}.")
    return sentences


def narration(params: dict) -> list[str | Spoken]:
    # Worked out in the scene from the input lines at the top, like everything else it shows
    values, operation = list(params["values"]), params["operation"]
    position, value = params["position"], params["value"]
    insert = f"A linked list: insert {value} at index {position}."
    delete = f"A linked list: delete index {position}."
    return [
        Spoken(
            (
                'f"A linked list: insert {value} at index {position}." if operation == "insert"',
                'else f"A linked list: delete index {position}."',
            ),
            insert if operation == "insert" else delete,
        ),
        Spoken(
            (
                '"Each node holds a value and an arrow to the next one: "',
                '''f"{' then '.join(str(v) for v in values)}."''',
            ),
            "Each node holds a value and an arrow to the next one: "
            f"{' then '.join(str(v) for v in values)}.",
        ),
        Spoken(
            ('f"Walk from the head to index {position}, then re-point the arrows."',),
            f"Walk from the head to index {position}, then re-point the arrows.",
        ),
        Spoken(
            ('"The list closes up into one row again, with new indices."',),
            "The list closes up into one row again, with new indices.",
        ),
    ]
