"""Logic gates: one gate or a small circuit drawn with the standard gate symbols, its inputs
toggling through every row of the truth table while the table fills in row by row."""

from __future__ import annotations

import re

from app.errors import ChalkError
from app.generators.offline import controls
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.extract import Prompt
from app.generators.offline.templates.common import Spoken

ID = "logic_gates"
TITLE = "Logic gates and truth tables"
SUBJECT = "CS"
EXAMPLE_PROMPT = "Show an AND gate with its truth table"
DEFAULTS = {"expression": "A AND B"}
VARIANTS = [
    {"expression": "NOT A"},
    {"expression": "A AND (NOT B)"},
    {"expression": "(A NAND B) XOR C"},
    {"expression": "(A OR B) AND (NOT C)"},
]
TRIGGERS = {
    r"\blogic(?:al)? gates?\b|\bgates? logic\b": 9,
    r"\b(?:and|or|not|nand|nor|xor|xnor|inverter) gates?\b": 9,
    r"\btruth tables?\b": 6,
    r"\bboolean\b|\blogic (?:circuit|expression|diagram)s?\b": 5,
    r"\bnand\b|\bxor\b": 4,
    r"\bgates?\b|\bcircuits?\b": 1,
}
TWO_INPUT = ("AND", "OR", "XOR", "NAND", "NOR")
GATES = (*TWO_INPUT, "NOT")
NAMES = ("A", "B", "C", "D", "X", "Y", "Z")
MAX_INPUTS = 3
MAX_GATES = 4
MAX_LEAVES = 4
MAX_COLUMNS = 3
MAX_LENGTH = 60
# Only AND, OR and XOR give the same answer however a chain of them is bracketed.
CHAINABLE = ("AND", "OR", "XOR")
SYMBOLS = {
    "&&": " AND ",
    "&": " AND ",
    "∧": " AND ",
    "·": " AND ",
    "||": " OR ",
    "|": " OR ",
    "∨": " OR ",
    "+": " OR ",
    "⊕": " XOR ",
    "^": " XOR ",
    "¬": " NOT ",
    "~": " NOT ",
    "!": " NOT ",
}
CONTROLS = {
    "expression": controls.Text(
        "Circuit (like A AND NOT B; gates AND, OR, XOR, NAND, NOR, NOT)", MAX_LENGTH
    ),
}

Tree = str | tuple


# ---------------------------------------------------------------- reading an expression


def tokens_of(text: str) -> list[str]:
    for symbol, word in SYMBOLS.items():
        text = text.replace(symbol, word)
    return text.upper().replace("(", " ( ").replace(")", " ) ").split()


def parse(text: str) -> Tree:
    """The expression as a tree (an input name, or (gate, input trees ...)); ChalkError when
    it is not a circuit the template can draw."""
    tokens = tokens_of(text)
    if not tokens:
        raise checks.fail("'expression' must not be empty; write a circuit like A AND B.")
    unknown = [t for t in tokens if t not in (*GATES, "(", ")") and t not in NAMES]
    if unknown:
        raise checks.fail(
            f"'{unknown[0][:20]}' is not a gate or an input; use AND, OR, XOR, NAND, NOR, NOT "
            "and inputs A, B, C."
        )
    tree, rest = _chain(tokens)
    if rest:
        raise checks.fail(f"The expression does not read as one circuit near '{rest[0]}'.")
    return tree


def _chain(tokens: list[str]) -> tuple[Tree, list[str]]:
    left, tokens = _one(tokens)
    gate = None
    while tokens and tokens[0] in TWO_INPUT:
        if gate is not None and (tokens[0] != gate or gate not in CHAINABLE):
            raise checks.fail("Add brackets to say which gate comes first, like (A AND B) OR C.")
        gate = tokens[0]
        right, tokens = _one(tokens[1:])
        left = (gate, left, right)
    return left, tokens


def _one(tokens: list[str]) -> tuple[Tree, list[str]]:
    if not tokens:
        raise checks.fail("The expression ends too early: a gate is missing an input.")
    head = tokens[0]
    if head == "NOT":
        inner, rest = _one(tokens[1:])
        return ("NOT", inner), rest
    if head == "(":
        inner, rest = _chain(tokens[1:])
        if not rest or rest[0] != ")":
            raise checks.fail("A bracket in the expression is not closed.")
        return inner, rest[1:]
    if head in NAMES:
        return head, tokens[1:]
    raise checks.fail(f"The expression has '{head}' where an input should be.")


def text_of(tree: Tree, top: bool = True) -> str:
    """The tree written back as an expression: brackets around every gate inside another,
    except along a chain of one gate that needs none (A AND B AND C)."""
    if isinstance(tree, str):
        return tree
    if tree[0] == "NOT":
        inner = f"NOT {text_of(tree[1], top=False)}"
    else:
        gate, left, right = tree
        inner = f"{_side(left, gate)} {gate} {text_of(right, top=False)}"
    return inner if top else f"({inner})"


def _side(tree: Tree, gate: str) -> str:
    if isinstance(tree, tuple) and tree[0] == gate and gate in CHAINABLE:
        return text_of(tree, top=True)
    return text_of(tree, top=False)


def output(tree: Tree, values: dict[str, int]) -> int:
    """The emitted output(tree, values), on the host."""
    if isinstance(tree, str):
        return values[tree]
    gate, *inputs = tree
    bits = [output(branch, values) for branch in inputs]
    if gate == "NOT":
        return 1 - bits[0]
    a, b = bits
    return {"AND": a & b, "OR": a | b, "XOR": a ^ b, "NAND": 1 - (a & b), "NOR": 1 - (a | b)}[gate]


def names(tree: Tree) -> list[str]:
    if isinstance(tree, str):
        return [tree]
    return sorted({name for branch in tree[1:] for name in names(branch)})


def gates(tree: Tree) -> list[Tree]:
    """Every gate, inputs first (the order the signal passes through them)."""
    if isinstance(tree, str):
        return []
    return [g for branch in tree[1:] for g in gates(branch)] + [tree]


def leaves(tree: Tree) -> list[str]:
    return [tree] if isinstance(tree, str) else [n for b in tree[1:] for n in leaves(b)]


def columns(tree: Tree) -> int:
    return 0 if isinstance(tree, str) else 1 + max(columns(b) for b in tree[1:])


def truth_table(tree: Tree) -> list[tuple[list[int], int]]:
    """Rows counting up in binary (0 0, 0 1, 1 0, 1 1), each with the output."""
    inputs = names(tree)
    n = len(inputs)
    rows = []
    for r in range(2**n):
        bits = [(r >> (n - 1 - i)) & 1 for i in range(n)]
        rows.append((bits, output(tree, dict(zip(inputs, bits, strict=True)))))
    return rows


# ---------------------------------------------------------------- the prompt

_RUN = re.compile(
    r"(?:\b(?:AND|OR|XOR|NAND|NOR|NOT|[ABCDXYZ])\b|[()&|^~¬!∧∨⊕])"
    r"(?:[\s()&|^~¬!∧∨⊕]*(?:\b(?:AND|OR|XOR|NAND|NOR|NOT|[ABCDXYZ])\b|[()&|^~¬!∧∨⊕]))*"
)
_GATE_WORD = r"(and|or|not|nand|nor|xor)"


def extract(prompt: Prompt) -> dict:
    # A circuit written in capitals in the prompt: "A AND (NOT B)", "(A OR B) AND C"
    best = ""
    for match in _RUN.finditer(prompt.raw):
        candidate = match.group(0).strip()
        has_gate = re.search(r"\b(?:AND|OR|XOR|NAND|NOR|NOT)\b|[&|^~¬!∧∨⊕]", candidate)
        if len(candidate) > len(best) and has_gate:
            try:
                parse(candidate)
            except ChalkError:
                continue  # not a circuit: look for another
            best = candidate
    if best and re.search(r"\b[ABCDXYZ]\b", best):
        return {"expression": text_of(parse(best))}
    named_in_capitals = re.search(r"\b(AND|OR|XOR|NAND|NOR|NOT)\b", prompt.raw)
    # Lower case: "a xor b", "not a"
    spoken = re.search(
        rf"\b(not )?([abcxyz]) {_GATE_WORD} (not )?([abcxyz])\b(?: {_GATE_WORD} ([abcxyz])\b)?",
        prompt.text,
    )
    if spoken:
        try:
            return {"expression": text_of(parse(spoken.group(0)))}
        except ChalkError:
            pass  # not a circuit after all: look for a named gate
    # A named gate: "an XOR gate", "a 3-input AND gate", "how does NOT work"
    named = prompt.search(rf"\b(?:(three|3)[- ]input )?{_GATE_WORD} gates?\b")
    if named:
        gate = named.group(2).upper()
        if gate == "NOT":
            return {"expression": "NOT A"}
        if named.group(1) and gate in CHAINABLE:
            return {"expression": f"A {gate} B {gate} C"}
        return {"expression": f"A {gate} B"}
    only = named_in_capitals or prompt.search(r"\b(nand|xor)\b")
    if only:
        gate = only.group(1).upper()
        return {"expression": "NOT A" if gate == "NOT" else f"A {gate} B"}
    return {}


def bonus(prompt: Prompt) -> int:
    """A circuit written out in capitals ("(A OR B) AND NOT C") says logic gates too."""
    for match in _RUN.finditer(prompt.raw):
        candidate = match.group(0)
        if re.search(r"\b(?:AND|OR|XOR|NAND|NOR|NOT)\b", candidate) and re.search(
            r"\b[ABCDXYZ]\b", candidate
        ):
            try:
                parse(candidate)
            except ChalkError:
                continue
            return 5
    return 0


def validate(params: dict, notes: list[str]) -> dict:
    # Cleaned with room to spare, so a long circuit is refused for its length rather than read
    # cut short (to a shortened text ending in "…").
    text = checks.text(params["expression"], "expression", max_length=10 * MAX_LENGTH)
    if len(text) > MAX_LENGTH:
        raise checks.fail(f"'expression' must be at most {MAX_LENGTH} characters.")
    tree = parse(text)
    if len(names(tree)) > MAX_INPUTS:
        raise checks.fail(f"The circuit may have at most {MAX_INPUTS} inputs (A, B and C).")
    if len(gates(tree)) > MAX_GATES or len(leaves(tree)) > MAX_LEAVES:
        raise checks.fail(
            f"The circuit may have at most {MAX_GATES} gates and {MAX_LEAVES} input wires."
        )
    if not gates(tree):
        raise checks.fail("The expression needs at least one gate, like A AND B.")
    if columns(tree) > MAX_COLUMNS:
        raise checks.fail(f"The circuit may be at most {MAX_COLUMNS} gates deep.")
    params["expression"] = text_of(tree)
    return params


# ---------------------------------------------------------------- the emitted scene

SKELETON = """\
from manim import *
import numpy as np

expression = <<expression>>  # gates AND, OR, XOR, NAND, NOR, NOT; inputs A, B, C; brackets

TWO_INPUT = ["AND", "OR", "XOR", "NAND", "NOR"]


def parse(text):
    # Read the expression into a tree: an input name, or (gate, input tree, input tree ...)
    tokens = text.replace("(", " ( ").replace(")", " ) ").split()
    tree, rest = read_chain(tokens)
    return tree


def read_chain(tokens):
    # Two-input gates in a row are read left to right: A AND B AND C is (A AND B) AND C
    left, tokens = read_one(tokens)
    while tokens and tokens[0] in TWO_INPUT:
        right, rest = read_one(tokens[1:])
        left, tokens = (tokens[0], left, right), rest
    return left, tokens


def read_one(tokens):
    if tokens[0] == "NOT":
        inner, rest = read_one(tokens[1:])
        return ("NOT", inner), rest
    if tokens[0] == "(":
        inner, rest = read_chain(tokens[1:])
        return inner, rest[1:]  # past the closing bracket
    return tokens[0], tokens[1:]


def output(tree, values):
    # The bit (0 or 1) that comes out of a tree for the given input bits
    if isinstance(tree, str):
        return values[tree]
    gate, *inputs = tree
    bits = [output(branch, values) for branch in inputs]
    if gate == "NOT":
        return 1 - bits[0]
    a, b = bits
    return {"AND": a & b, "OR": a | b, "XOR": a ^ b, "NAND": 1 - (a & b), "NOR": 1 - (a | b)}[
        gate
    ]


def parts(tree, path=()):
    # Every gate and input wire, each with its path from the output (branch numbers)
    found = [(path, tree)]
    if not isinstance(tree, str):
        for i, branch in enumerate(tree[1:]):
            found += parts(branch, path + (i,))
    return found


def column(tree):
    # A gate sits one column to the right of the furthest of its inputs
    if isinstance(tree, str):
        return 0
    return 1 + max(column(branch) for branch in tree[1:])


def gate_symbol(gate):
    # The standard symbol, 1 wide and 0.8 high around the origin, output on the right
    if gate == "NOT":
        body = VGroup(Polygon([-0.5, 0.35, 0], [-0.5, -0.35, 0], [0.3, 0, 0], color=TEXT))
    elif gate in ("AND", "NAND"):
        right = 0.3 if gate == "NAND" else 0.5
        body = VGroup(
            Line([-0.5, -0.4, 0], [-0.5, 0.4, 0]),
            Line([-0.5, 0.4, 0], [right - 0.4, 0.4, 0]),
            Arc(radius=0.4, start_angle=PI / 2, angle=-PI, arc_center=[right - 0.4, 0, 0]),
            Line([right - 0.4, -0.4, 0], [-0.5, -0.4, 0]),
        )
    else:
        tip = 0.3 if gate == "NOR" else 0.5
        body = VGroup(
            CubicBezier([-0.5, 0.4, 0], [-0.3, 0.15, 0], [-0.3, -0.15, 0], [-0.5, -0.4, 0]),
            CubicBezier([-0.5, 0.4, 0], [0, 0.4, 0], [tip - 0.2, 0.25, 0], [tip, 0, 0]),
            CubicBezier([-0.5, -0.4, 0], [0, -0.4, 0], [tip - 0.2, -0.25, 0], [tip, 0, 0]),
        )
        if gate == "XOR":  # the extra curve behind the OR shape
            body.add(
                CubicBezier(
                    [-0.65, 0.4, 0], [-0.45, 0.15, 0], [-0.45, -0.15, 0], [-0.65, -0.4, 0]
                )
            )
    if gate in ("NOT", "NAND", "NOR"):  # the bubble says the output is inverted
        body.add(Circle(radius=0.1).move_to([0.4, 0, 0]))
    body.set_stroke(TEXT, width=3)
    name = Text(gate, font_size=14, color=MUTED)
    if gate == "NOT":
        name.move_to([-0.2, -0.55, 0])
    else:
        name.move_to([-0.12, 0, 0])
    return VGroup(body, name)


def input_pins(gate):
    # Where the input wires meet the symbol, top to bottom
    back = -0.5 if gate in ("AND", "NAND", "NOT") else -0.4
    heights = [0] if gate == "NOT" else [0.2, -0.2]
    return [[back, y, 0] for y in heights]


class LogicGates(Scene):
    def construct(self):
        tree = parse(expression)
        everything = parts(tree)
        node = dict(everything)
        gates = [(path, part) for path, part in everything if not isinstance(part, str)]
        wires_in = [path for path, part in everything if isinstance(part, str)]
        inputs = sorted({part for path, part in everything if isinstance(part, str)})
        n = len(inputs)
        # Side by side in 16:9, stacked in portrait: the circuit, and the truth table
        circuit, table = arrange_parts(
            self, [-6.9, -3.3, 2.1, 2.6], [0.5 + 0.45 * n, 1.0 - 0.45 * 2**n, 4.7 + 0.45 * n, 2.5]
        )

        # Title
        title = Text(f"Q = {expression}", font_size=36)
        fit_title(self, title).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # The circuit: each input wire on its own row, each gate right of its inputs;
        # small circuits are drawn larger
        size = {1: 1.5, 2: 1.2}.get(column(tree), 1.0)
        x0, gap = -5.6, 1.2 * size
        dx = min(2.0, 5.2 / column(tree))
        top = (len(wires_in) - 1) * gap / 2 - 0.3
        where = {path: [x0, top - i * gap, 0] for i, path in enumerate(wires_in)}
        for path, part in sorted(gates, key=lambda item: -len(item[0])):
            heights = [where[path + (i,)][1] for i in range(len(part) - 1)]
            where[path] = [x0 + column(part) * dx, sum(heights) / len(heights), 0]
        # In a portrait or square frame the circuit moves into its share, at its scale
        where = {path: at(circuit, *point[:2]) for path, point in where.items()}
        size *= circuit[0]
        symbols = {path: gate_symbol(part[0]).scale(size) for path, part in gates}
        for path in symbols:  # centre the body, not the body and its name, on its place
            symbols[path].shift(where[path] - symbols[path][0].get_center())

        def out_point(path):
            if path in symbols:
                return symbols[path][0].get_right()
            return where[path] + RIGHT * 0.1

        wires = {}
        for path, part in gates:
            for i, pin in enumerate(input_pins(part[0])):
                start = out_point(path + (i,))
                end = symbols[path][0].get_center() + size * np.array(pin)
                bend = end[0] - 0.25 * size
                wire = VMobject().set_points_as_corners(
                    [start, [bend, start[1], 0], [bend, end[1], 0], end]
                )
                wires[path + (i,)] = wire
        out_end = out_point(()) + RIGHT * 0.7
        wires[()] = Line(out_point(()), out_end)
        for wire in wires.values():
            wire.set_stroke(MUTED, width=3)
        self.play(
            *[Create(wire) for wire in wires.values()],
            *[FadeIn(symbol) for symbol in symbols.values()],
            run_time=1.5,
        )

        # The truth table on the right, filled in one row at a time
        header = inputs + ["Q"]
        table_x = [2.6 + 0.9 * i for i in range(n + 1)]
        heads = VGroup(
            *[put(Text(h, font_size=28), table, x, 2.2) for h, x in zip(header, table_x)]
        )
        rule = Line([table_x[0] - 0.45, 1.9, 0], [table_x[-1] + 0.45, 1.9, 0], color=MUTED)
        split = Line([table_x[-1] - 0.45, 2.4, 0], [table_x[-1] - 0.45, 1.9, 0], color=MUTED)
        put(rule, table)
        put(split, table)
        self.play(FadeIn(heads), Create(rule), Create(split), run_time=0.6)

        # Every row: counting up in binary from all 0s to all 1s
        value_labels = {}
        row_box = None
        ones = 0
        for r in range(2**n):
            bits = [(r >> (n - 1 - i)) & 1 for i in range(n)]
            values = dict(zip(inputs, bits))
            animations = []
            # Each wire carries the bit of what feeds it: thick for 1, thin for 0
            for path, wire in wires.items():
                bit = output(node[path], values)
                animations.append(
                    wire.animate.set_stroke(HIGHLIGHT if bit else MUTED, width=7 if bit else 3)
                )
            # ... and says it: the inputs on the left, each gate's bit after it, Q at the end
            for path, part in everything:
                bit = output(part, values)
                if path == ():
                    label = Text(f"Q = {bit}", font_size=28, color=HIGHLIGHT if bit else TEXT)
                    scaled(label, circuit).next_to(out_end, RIGHT, buff=0.15)
                elif isinstance(part, str):
                    label = Text(f"{part} = {bit}", font_size=24, color=HIGHLIGHT if bit else TEXT)
                    scaled(label, circuit).next_to(where[path], LEFT, buff=0.15)
                else:
                    label = Text(str(bit), font_size=20, color=HIGHLIGHT if bit else TEXT)
                    scaled(label, circuit).next_to(out_point(path), UR, buff=0.06)
                if path in value_labels:
                    animations.append(Transform(value_labels[path], label))
                else:
                    value_labels[path] = label
                    animations.append(FadeIn(label))
            q = output(tree, values)
            ones += q
            row = VGroup(
                *[
                    put(Text(str(v), font_size=26), table, x, 1.6 - 0.45 * r)
                    for v, x in zip(bits + [q], table_x)
                ]
            )
            new_box = SurroundingRectangle(row, color=HIGHLIGHT, buff=0.1)
            new_box.stretch_to_fit_width(0.9 * (n + 1) * table[0])
            if row_box is None:
                row_box = new_box
                animations.append(Create(row_box))
            else:
                animations.append(Transform(row_box, new_box))
            self.play(*animations, run_time=0.8)
            self.play(FadeIn(row), run_time=0.4)

        self.play(FadeOut(row_box), run_time=0.4)
        summary = Text(f"Q = 1 in {ones} of the {2**n} rows", font_size=26, color=MUTED)
        put(summary, table, table_x[0] + 0.45 * n, 1.6 - 0.45 * 2**n - 0.2)
        self.play(FadeIn(summary), run_time=0.6)
        self.wait(2)
"""


def build(params: dict) -> str:
    return fill(
        SKELETON,
        expression=literal(params["expression"]),
    )


# ---------------------------------------------------------------- what the video says


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _article(gate: str) -> str:
    return "an" if gate in ("AND", "OR", "XOR") else "a"  # said "an ex-or", "a nand"


def describe(params: dict) -> list[str]:
    tree = parse(params["expression"])
    inputs = names(tree)
    sentences = [f"The title reads: Q = {params['expression']}."]
    steps = []
    for gate in gates(tree):
        fed = [
            branch if isinstance(branch, str) else f"the output of {text_of(branch)}"
            for branch in gate[1:]
        ]
        gives = "Q" if gate == tree else text_of(gate)
        steps.append(f"{_article(gate[0])} {gate[0]} gate takes {_and(fed)} and gives {gives}")
    sentences.append("A circuit of standard gate symbols, each named: " + "; ".join(steps) + ".")
    sentences.append(
        f"A truth table with columns {_and([*inputs, 'Q'])} fills in one row at a time, while "
        "the inputs count up in binary through every combination; each wire shows its bit, "
        "thick for 1 and thin for 0."
    )
    rows = truth_table(tree)
    for bits, q in rows:
        settings = ", ".join(f"{name} = {bit}" for name, bit in zip(inputs, bits, strict=True))
        sentences.append(f"{settings}: Q = {q}.")
    ones = sum(q for _, q in rows)
    sentences.append(f"Q = 1 in {ones} of the {len(rows)} rows.")
    return sentences


def narration(params: dict) -> list[str | Spoken]:
    # Worked out in the scene from the input line at the top, like everything else it shows
    return [
        Spoken(('f"Q equals {expression}."',), f"Q equals {params['expression']}."),
        Spoken(
            ('"Here is the circuit: its gates combine the inputs into Q."',),
            "Here is the circuit: its gates combine the inputs into Q.",
        ),
        Spoken(
            ('"The truth table will show Q for every combination of the inputs."',),
            "The truth table will show Q for every combination of the inputs.",
        ),
        Spoken(
            ('"The inputs count up in binary. A thick wire carries a 1, a thin wire a 0."',),
            "The inputs count up in binary. A thick wire carries a 1, a thin wire a 0.",
        ),
    ]
