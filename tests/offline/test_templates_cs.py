"""The computer-science templates added for issue 16 show the right answers.

binary_numbers, logic_gates, stack_queue, recursion_call_stack. Each is checked against
answers worked by hand or by a different method (Python's own bin(), int(..., 2), a truth
table from Python's operators, a list used as a stack), through what the video says
(describe(), which mirrors the emitted helpers on the host), through extract() on teachers'
phrasings, and through the emitted code: the teacher's inputs sit on the top lines, and
editing them gives the same code as asking for the new values (so nothing below them is a
value the host worked out). The emitted code is never run here (hostile-code rule); the
render tests run it in the sandbox.
"""

from __future__ import annotations

import itertools
import re

import pytest

from app.errors import ChalkError
from app.generators.offline import plan, render_template
from app.generators.offline.catalogue import registry
from app.generators.offline.extract import Prompt
from app.generators.offline.header import header

MINE = ["binary_numbers", "logic_gates", "stack_queue", "recursion_call_stack", "linked_list"]


def said(template_id: str, params: dict | None = None) -> list[str]:
    return render_template(template_id, params).description


def code(template_id: str, params: dict | None = None) -> str:
    """The emitted code below its header: the header names the values the code was made
    from, so an input line edited by hand leaves it stale (origin() then calls it edited)."""
    made = render_template(template_id, params)
    lines = header(template_id, made.params)
    assert made.code.startswith(lines)
    return made.code.removeprefix(lines)


def extracted(template_id: str, prompt: str) -> dict:
    return registry()[template_id].extract(Prompt(prompt))


def edit_input(source: str, name: str, value: str) -> str:
    """The emitted code with the teacher's input line `name = ...` given a new value."""
    pattern = re.compile(rf"^{name} = [^#\n]*?(?=\s*(?:#|$))", re.M)
    assert len(pattern.findall(source)) == 1, f"no single input line for {name}"
    return pattern.sub(f"{name} = {value}", source, count=1)


# ---------------------------------------------------------------- every template of this file


@pytest.mark.parametrize(
    ("prompt", "other"),
    [
        ("binary search for 7 in 1, 3, 5, 7, 9", "binary_search"),
        ("graph traversal with a queue", "graph_traversal"),
        ("DFS uses a stack", "graph_traversal"),
        # a push against friction is Newton's second law, not a stack
        ("push a box up a ramp with friction", None),  # an inclined plane: no template
        ("fibonacci sequence spiral", None),
        ("round 3.14159 to 2 decimal places", None),
        ("convert 3/4 to a decimal", "fractions"),
        ("the gates of the city", None),
    ],
)
def test_these_templates_leave_other_prompts_alone(prompt, other):
    # Words they share with other subjects (binary, queue, push, Fibonacci, decimal, gates)
    # do not pull these prompts here.
    try:
        chosen = plan(prompt)[0]
    except ChalkError:
        chosen = None
    assert chosen == other and chosen not in MINE


# ---------------------------------------------------------------- binary_numbers


def test_binary_default_divides_13_by_2_and_reads_the_remainders_upwards():
    # 13 = 2·6 + 1, 6 = 2·3 + 0, 3 = 2·1 + 1, 1 = 2·0 + 1 → read upwards 1101;
    # back: 8 + 4 + 1 = 13.
    assert said("binary_numbers") == [
        "The title reads: Converting 13 to binary.",
        "13 is divided by 2 again and again, keeping each remainder: 13 ÷ 2 = 6 remainder 1; "
        "6 ÷ 2 = 3 remainder 0; 3 ÷ 2 = 1 remainder 1; 1 ÷ 2 = 0 remainder 1.",
        "Read from the bottom up, the remainders give 13 = 1101 in binary.",
        "Back to decimal: a row of 4 boxes holds the bits 1101 under their place values "
        "8, 4, 2 and 1; the 1 bits are outlined.",
        "Their place values add up: 8 + 4 + 1 = 13.",
    ]


def test_binary_200_with_hexadecimal():
    # 200 → 100 r0 → 50 r0 → 25 r0 → 12 r1 → 6 r0 → 3 r0 → 1 r1 → 0 r1: 11001000;
    # 128 + 64 + 8 = 200; 1100 = 12 = C, 1000 = 8 → C8 (12·16 + 8 = 200).
    text = said("binary_numbers", {"number": 200, "show_hex": True})
    assert "200 ÷ 2 = 100 remainder 0; 100 ÷ 2 = 50 remainder 0" in text[1]
    assert text[1].endswith("3 ÷ 2 = 1 remainder 1; 1 ÷ 2 = 0 remainder 1.")
    assert text[2] == "Read from the bottom up, the remainders give 200 = 11001000 in binary."
    assert "place values 128, 64, 32, 16, 8, 4, 2 and 1" in text[3]
    assert text[4] == "Their place values add up: 128 + 64 + 8 = 200."
    assert text[5] == "In groups of four bits, 1100 is C and 1000 is 8, so 200 = C8 in hexadecimal."


def test_binary_to_decimal_reads_place_values():
    # 1011: 1·8 + 0·4 + 1·2 + 1·1 = 11
    assert said("binary_numbers", {"number": 11, "direction": "to_decimal"}) == [
        "The title reads: Converting 1011 to decimal.",
        "A row of 4 boxes holds the bits 1011 under their place values 8, 4, 2 and 1.",
        "Under each box, its bit times its place value is written, and each 1 bit is outlined.",
        "The place values under the 1 bits add up: 8 + 2 + 1 = 11.",
        "So 1011 in binary = 11 in decimal.",
    ]
    hexed = said("binary_numbers", {"number": 255, "direction": "to_decimal", "show_hex": True})
    assert hexed[-1] == (
        "In groups of four bits, 1111 is F and 1111 is F, so 255 = FF in hexadecimal."
    )


def test_binary_every_number_agrees_with_pythons_bin_and_hex():
    for number in range(1, 256):
        check_binary_against_python(number)


def described(template_id: str, params: dict) -> list[str]:
    """describe() alone (no code built): for checks over many parameter sets."""
    template = registry()[template_id]
    return template.describe(template.validate({**template.defaults, **params}, []))


def check_binary_against_python(number: int) -> None:
    text = " ".join(described("binary_numbers", {"number": number, "show_hex": True}))
    assert f"the remainders give {number} = {bin(number)[2:]} in binary." in text
    assert f"so {number} = {format(number, 'X')} in hexadecimal." in text
    addends = re.search(r"add up: ([\d + ]+) = (\d+)\.", text)
    assert addends and int(addends.group(2)) == number
    parts = [int(p) for p in addends.group(1).split(" + ")]
    assert sum(parts) == number and all(p & (p - 1) == 0 for p in parts)  # powers of two
    back = " ".join(described("binary_numbers", {"number": number, "direction": "to_decimal"}))
    assert f"So {bin(number)[2:]} in binary = {int(bin(number), 2)} in decimal." in back


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("Convert 13 to binary", {"number": 13, "direction": "to_binary"}),
        ("convert 1011 to decimal", {"number": 11, "direction": "to_decimal"}),
        ("binary 110 to denary", {"number": 6, "direction": "to_decimal"}),
        ("what is 0b1111 in decimal", {"number": 15, "direction": "to_decimal"}),
        ("write 1010 (base 2) in base 10", {"number": 10, "direction": "to_decimal"}),
        ("convert 101 to binary", {"number": 101, "direction": "to_binary"}),
        (
            "show 45 in binary and in hex",
            {"number": 45, "direction": "to_binary", "show_hex": True},
        ),
        ("explain binary numbers", {}),
    ],
)
def test_binary_extract(prompt, expected):
    assert extracted("binary_numbers", prompt) == expected


@pytest.mark.parametrize(
    "params",
    [{"number": 0}, {"number": 256}, {"number": 2.5}, {"number": "ten"}, {"direction": "octal"}],
)
def test_binary_refuses_what_it_cannot_show(params):
    with pytest.raises(ChalkError) as caught:
        render_template("binary_numbers", params)
    assert caught.value.kind == "generation" and caught.value.message.endswith(".")


def test_binary_code_computes_everything_from_the_number_at_the_top():
    source = code("binary_numbers")
    assert "1101" not in source and "6 ÷" not in source  # no answer worked out on the host
    assert edit_input(source, "number", "37") == code("binary_numbers", {"number": 37})
    hexed = code("binary_numbers", {"show_hex": True})
    assert edit_input(source, "show_hex", "True") == hexed
    decimal = code("binary_numbers", {"number": 11, "direction": "to_decimal"})
    assert 'binary = "1011"' in decimal and "= 11" not in decimal
    assert edit_input(decimal, "binary", '"110010"') == code(
        "binary_numbers", {"number": 50, "direction": "to_decimal"}
    )


# ---------------------------------------------------------------- logic_gates

# Truth tables from Python's own operators, not the template's gate table.
REFERENCE = {
    "A AND B": lambda a, b: a and b,
    "A OR B": lambda a, b: a or b,
    "A XOR B": lambda a, b: a != b,
    "A NAND B": lambda a, b: not (a and b),
    "A NOR B": lambda a, b: not (a or b),
    "NOT A": lambda a: not a,
    "A AND (NOT B)": lambda a, b: a and not b,
    "NOT (A AND B)": lambda a, b: not (a and b),
    "(A NAND B) XOR C": lambda a, b, c: (not (a and b)) != c,
    "(A OR B) AND (NOT C)": lambda a, b, c: (a or b) and not c,
    "A OR B OR C": lambda a, b, c: a or b or c,
    "(A AND B) OR (A AND C)": lambda a, b, c: (a and b) or (a and c),
}


def rows_said(expression: str) -> list[tuple[tuple[int, ...], int]]:
    """The truth table as the description reads it, row by row."""
    rows = []
    for sentence in said("logic_gates", {"expression": expression}):
        match = re.fullmatch(r"((?:[A-Z] = [01](?:, )?)+): Q = ([01])\.", sentence)
        if match:
            bits = tuple(int(b) for b in re.findall(r"= ([01])", match.group(1)))
            rows.append((bits, int(match.group(2))))
    return rows


@pytest.mark.parametrize("expression", list(REFERENCE))
def test_logic_truth_table_matches_pythons_operators(expression):
    reference = REFERENCE[expression]
    n = reference.__code__.co_argcount
    expected = [
        (bits, int(bool(reference(*map(bool, bits)))))
        for bits in [tuple((r >> (n - 1 - i)) & 1 for i in range(n)) for r in range(2**n)]
    ]
    assert rows_said(expression) == expected
    ones = sum(q for _, q in expected)
    assert said("logic_gates", {"expression": expression})[-1] == (
        f"Q = 1 in {ones} of the {2**n} rows."
    )


def test_logic_and_gate_is_described_in_order():
    # AND: only 1 AND 1 gives 1.
    assert said("logic_gates") == [
        "The title reads: Q = A AND B.",
        "A circuit of standard gate symbols, each named: an AND gate takes A and B and gives Q.",
        "A truth table with columns A, B and Q fills in one row at a time, while the inputs "
        "count up in binary through every combination; each wire shows its bit, thick for 1 "
        "and thin for 0.",
        "A = 0, B = 0: Q = 0.",
        "A = 0, B = 1: Q = 0.",
        "A = 1, B = 0: Q = 0.",
        "A = 1, B = 1: Q = 1.",
        "Q = 1 in 1 of the 4 rows.",
    ]


def test_logic_circuit_names_each_gate_and_what_feeds_it():
    text = said("logic_gates", {"expression": "(A NAND B) XOR C"})
    assert text[1] == (
        "A circuit of standard gate symbols, each named: a NAND gate takes A and B and gives "
        "A NAND B; an XOR gate takes the output of A NAND B and C and gives Q."
    )


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("Show an AND gate with its truth table", "A AND B"),
        ("truth table for A AND (NOT B)", "A AND (NOT B)"),
        ("draw (A OR B) AND NOT C", "(A OR B) AND (NOT C)"),
        ("truth table of a xor not b", "A XOR (NOT B)"),
        ("A & ~B", "A AND (NOT B)"),
        ("how does an inverter work? NOT gate", "NOT A"),
        ("three-input AND gate", "A AND B AND C"),
        ("what does NOR do", "A NOR B"),
        ("explain logic gates", None),
    ],
)
def test_logic_extract(prompt, expected):
    assert extracted("logic_gates", prompt) == ({"expression": expected} if expected else {})


@pytest.mark.parametrize(
    ("expression", "words"),
    [
        ("A AND", "ends too early"),
        ("A OR B AND C", "brackets"),
        ("A NAND B NAND C", "brackets"),
        ("(A AND B", "not closed"),
        ("A AND E", "not a gate or an input"),
        ("A AND B AND C AND D", "at most 3 inputs"),
        ("((A AND B) OR (A AND C)) XOR (NOT B)", "at most 4 gates"),
        ("NOT NOT NOT NOT A", "at most 3 gates deep"),
        ("NOT (NOT (NOT (A AND B)))", "at most 3 gates deep"),
        ("A", "at least one gate"),
        ("import os", "not a gate or an input"),
        ("A AND B AND " + "C " * 30, "at most 60 characters"),
    ],
)
def test_logic_refuses_circuits_it_cannot_draw(expression, words):
    with pytest.raises(ChalkError) as caught:
        render_template("logic_gates", {"expression": expression})
    assert caught.value.kind == "generation" and caught.value.message.endswith(".")
    assert words in caught.value.message


def test_logic_code_computes_the_circuit_from_the_expression_at_the_top():
    source = code("logic_gates")
    assert edit_input(source, "expression", '"A XOR B"') == code(
        "logic_gates", {"expression": "A XOR B"}
    )
    assert edit_input(source, "expression", '"(A OR B) AND (NOT C)"') == code(
        "logic_gates", {"expression": "(A OR B) AND (NOT C)"}
    )
    # No truth-table answer or gate count is written in by the host.
    assert "Q = 1 in 1" not in source and "[0, 0, 0, 1]" not in source


# ---------------------------------------------------------------- stack_queue


def test_stack_default_pushes_and_pops_the_last_one_in():
    # push 3 → [3]; push 5 → [3, 5]; pop takes 5 → [3]; push 7 → [3, 7], 7 on top.
    assert said("stack_queue") == [
        "The title reads: A stack: last in, first out.",
        "The operations push 3, push 5, pop, push 7 are listed on the right and run one at a "
        "time, the current one framed.",
        "Push 3: 3 goes on top; the stack holds 3, with 3 on top.",
        "Push 5: 5 goes on top; the stack holds 3 and 5, bottom to top, with 5 on top.",
        "Pop returns 5, the last one in; the stack holds 3, with 3 on top.",
        "Push 7: 7 goes on top; the stack holds 3 and 7, bottom to top, with 7 on top.",
        "At the end: 2 items, 7 on top.",
    ]


def test_queue_dequeues_the_first_one_in():
    # 4, 8, 15 join; dequeue takes 4 (the first in) → [8, 15]; 16 joins → [8, 15, 16].
    text = said(
        "stack_queue",
        {
            "structure": "queue",
            "operations": ["enqueue 4", "enqueue 8", "enqueue 15", "dequeue", "enqueue 16"],
        },
    )
    assert text[0] == "The title reads: A queue: first in, first out."
    assert text[5] == (
        "Dequeue returns 4, the first one in; the queue holds 8 and 15, front to back, "
        "with 8 at the front."
    )
    assert text[-1] == "At the end: 3 items, 8 at the front."


@pytest.mark.parametrize("structure", ["stack", "queue"])
def test_every_removal_returns_what_a_python_deque_returns(structure):
    import random
    from collections import deque

    chooser = random.Random(16)
    for _ in range(40):
        reference: deque[int] = deque()
        operations, returned = [], []
        while len(operations) < 10:
            if reference and (len(reference) == 6 or chooser.random() < 0.45):
                operations.append("pop")
                returned.append(reference.pop() if structure == "stack" else reference.popleft())
            else:
                value = chooser.randint(-99, 999)
                reference.append(value)
                operations.append(f"push {value}")
        text = " ".join(
            described("stack_queue", {"structure": structure, "operations": operations})
        )
        assert [int(v) for v in re.findall(r"returns (-?\d+)", text)] == returned
        if reference:
            end = reference[-1] if structure == "stack" else reference[0]
            where = "on top" if structure == "stack" else "at the front"
            assert text.endswith(f"{end} {where}.")
        else:
            assert text.endswith(f"At the end the {structure} is empty.")


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        (
            "Show a stack: push 3, push 5, pop, push 7",
            {"structure": "stack", "operations": ["push 3", "push 5", "pop", "push 7"]},
        ),
        (
            "push 1, 2 and 3 onto a stack then pop twice",
            {"structure": "stack", "operations": ["push 1", "push 2", "push 3", "pop", "pop"]},
        ),
        (
            "queue: enqueue(4), enqueue(8), dequeue()",
            {"structure": "queue", "operations": ["push 4", "push 8", "pop"]},
        ),
        (
            "a FIFO queue: add 2, add 9, remove",
            {"structure": "queue", "operations": ["push 2", "push 9", "pop"]},
        ),
        (
            "stack, push -4 then pop 3 times",
            {"structure": "stack", "operations": ["push -4"] + ["pop"] * 3},
        ),
        ("what is a queue?", {"structure": "queue"}),
    ],
)
def test_stack_queue_extract(prompt, expected):
    assert extracted("stack_queue", prompt) == expected


def test_queue_names_push_and_pop_as_enqueue_and_dequeue():
    generation = render_template(
        "stack_queue", {"structure": "queue", "operations": "push 2, push 9, pop"}
    )
    assert generation.params["operations"] == ["enqueue 2", "enqueue 9", "dequeue"]
    assert any("enqueue and dequeue" in note for note in generation.notes)


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"operations": ["pop"]}, "finds the stack empty"),
        ({"operations": ["push 1", "pop", "pop"]}, "Operation 3 (pop)"),
        ({"operations": [f"push {i}" for i in range(7)]}, "at most 6 at a time"),
        ({"operations": ["push"]}, "needs one number"),
        ({"operations": ["push 1000"]}, "between -99 and 999"),
        ({"structure": "queue", "operations": ["enqueue 10000"]}, "between -99 and 999"),
        ({"operations": ["enqueue( -99 )"]}, "at most 12 characters"),
        ({"operations": ["peek"]}, "is not push with a number or pop"),
        ({"structure": "heap"}, "one of stack, queue"),
    ],
)
def test_stack_queue_refuses_what_cannot_happen(params, words):
    with pytest.raises(ChalkError) as caught:
        render_template("stack_queue", params)
    assert caught.value.kind == "generation" and caught.value.message.endswith(".")
    assert words in caught.value.message


def test_stack_queue_code_runs_the_operations_at_the_top():
    source = code("stack_queue")
    assert "returns 5" not in source and "[3, 7]" not in source  # nothing worked out on the host
    assert edit_input(source, "operations", '["push 8", "push 1", "pop"]') == code(
        "stack_queue", {"operations": ["push 8", "push 1", "pop"]}
    )
    queue = code("stack_queue", {"structure": "queue", "operations": ["enqueue 1", "dequeue"]})
    assert edit_input(queue, "operations", '["enqueue 6", "enqueue 2"]') == code(
        "stack_queue", {"structure": "queue", "operations": ["enqueue 6", "enqueue 2"]}
    )


# ---------------------------------------------------------------- recursion_call_stack


def test_factorial_call_stack_grows_then_unwinds():
    # 4! = 4·3·2·1 = 24: four frames pile up; 1 comes back, then 2·1 = 2, 3·2 = 6, 4·6 = 24.
    assert said("recursion_call_stack") == [
        "The title reads: Recursion: factorial(4).",
        "On the left, the code: factorial(n) returns 1 when n is at most 1 (the base case), "
        "and n × factorial(n - 1) otherwise.",
        "Each call puts a new frame on top of the call stack on the right, marked top, and a "
        "counter counts the calls.",
        "The calls factorial(4), factorial(3), factorial(2) and factorial(1) pile up, each "
        "waiting for the one above it.",
        "factorial(1) is the base case and returns 1.",
        "Then the stack unwinds, each frame handing its value to the one below: "
        "factorial(2) = 2 × 1 = 2, factorial(3) = 3 × 2 = 6, factorial(4) = 4 × 6 = 24.",
        "The answer reads factorial(4) = 24, after 4 calls, at most 4 frames on the stack at once.",
    ]


def test_fibonacci_5_returns_in_call_order():
    # fib(5) = fib(4) + fib(3); the first finished non-base call is the leftmost fib(2) = 1 + 0.
    # Calls: 15 (1 + 2 + 4 + 6 + 2 by level); base cases: fib(1) five times, fib(0) three.
    text = said("recursion_call_stack", {"function": "fibonacci", "n": 5})
    assert "8 calls reach a base case" in text[3]
    assert text[4] == (
        "Each frame adds its two results and hands the sum to the one below, in this order: "
        "fib(2) = 1 + 0 = 1, fib(3) = 1 + 1 = 2, fib(2) = 1 + 0 = 1, fib(4) = 2 + 1 = 3, "
        "fib(2) = 1 + 0 = 1, fib(3) = 1 + 1 = 2, fib(5) = 3 + 2 = 5."
    )
    assert text[-1] == (
        "The answer reads fib(5) = 5, after 15 calls, at most 5 frames on the stack at once."
    )


@pytest.mark.parametrize("n", range(0, 6))
def test_recursion_answers_match_closed_forms(n):
    import math

    fact = " ".join(said("recursion_call_stack", {"function": "factorial", "n": n}))
    assert f"factorial({n}) = {math.factorial(n)}, after {max(1, n)} call" in fact
    fib = " ".join(said("recursion_call_stack", {"function": "fibonacci", "n": n}))
    phi = (1 + math.sqrt(5)) / 2
    value = round(phi**n / math.sqrt(5))  # Binet's formula
    calls = 2 * round(phi ** (n + 1) / math.sqrt(5)) - 1  # a call tree has 2·F(n+1) - 1 nodes
    assert f"fib({n}) = {value}, after {calls} call" in fib
    assert f"at most {max(1, n)} frame" in fib


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("Show the call stack for factorial(4)", {"function": "factorial", "n": 4}),
        ("recursive fibonacci of 5", {"function": "fibonacci", "n": 5}),
        ("compute 5! recursively", {"function": "factorial", "n": 5}),
        ("the 3rd fibonacci number by recursion", {"function": "fibonacci", "n": 3}),
        ("recursion with n = 2", {"n": 2}),
        ("how does recursion work?", {}),
    ],
)
def test_recursion_extract(prompt, expected):
    assert extracted("recursion_call_stack", prompt) == expected


@pytest.mark.parametrize("params", [{"n": 6}, {"n": -1}, {"n": 2.5}, {"function": "ackermann"}])
def test_recursion_refuses_what_it_cannot_show(params):
    with pytest.raises(ChalkError) as caught:
        render_template("recursion_call_stack", params)
    assert caught.value.kind == "generation" and caught.value.message.endswith(".")


def test_recursion_code_traces_the_call_at_the_top():
    source = code("recursion_call_stack")
    assert "= 24" not in source and "= 6" not in source  # no answer worked out on the host
    assert edit_input(source, "n", "3") == code("recursion_call_stack", {"n": 3})
    assert edit_input(source, "function", '"fibonacci"') == code(
        "recursion_call_stack", {"function": "fibonacci"}
    )


# ---------------------------------------------------------------- linked_list


def test_linked_list_insert_walks_then_repoints():
    # Insert 7 at index 2 of 3 → 8 → 5 → 1: walk to index 1 (8); 7.next → 5; 8.next → 7.
    assert said("linked_list") == [
        "The title reads: Linked list: insert 7 at index 2.",
        "A singly linked list 3 → 8 → 5 → 1 → None appears: each node holds a value and an "
        "arrow to the next node, head points at the first node, and the indices 0 to 3 are "
        "written underneath.",
        "A current pointer walks from the head to index 1, the node holding 8, following one "
        "arrow at a time.",
        "A new node holding 7 appears below; first its arrow is pointed at 5.",
        "Then the arrow from 8 is re-pointed at the new node.",
        "The list closes up into one row with new indices: 3 → 8 → 7 → 5 → 1 → None.",
    ]


def test_linked_list_delete_repoints_past_the_node():
    text = said("linked_list", {"operation": "delete"})
    assert text[3] == "The node at index 2, holding 5, is marked for deletion."
    assert text[4] == "The arrow from 8 is re-pointed past it, at 1, and the node is removed."
    assert text[-1] == "The list closes up into one row with new indices: 3 → 8 → 1 → None."
    head = said("linked_list", {"values": [10, 20, 30], "operation": "delete", "position": 0})
    assert "Head is re-pointed past it, at 20, and the node is removed." in head
    assert not any("current pointer" in sentence for sentence in head)
    alone = said("linked_list", {"values": [12], "operation": "delete", "position": 0})
    assert alone[-1].endswith("the list is empty, head → None.")


def test_linked_list_every_position_matches_pythons_list():
    for values in ([3, 8, 5, 1], [4, 9, 2, 6, 1, 5], [12]):
        for position in range(len(values) + 1):
            expected = list(values)
            expected.insert(position, 77)
            text = described(
                "linked_list",
                {"values": values, "operation": "insert", "position": position, "value": 77},
            )
            chain = " → ".join(map(str, expected)) + " → None"
            assert text[-1] == f"The list closes up into one row with new indices: {chain}."
        for position in range(len(values)):
            expected = list(values)
            del expected[position]
            text = described(
                "linked_list", {"values": values, "operation": "delete", "position": position}
            )
            assert (" → ".join(map(str, expected)) + " → None" if expected else "empty") in text[-1]


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        (
            "Insert 7 at index 2 in the linked list 3 -> 8 -> 5 -> 1",
            {"values": [3, 8, 5, 1], "operation": "insert", "position": 2, "value": 7},
        ),
        (
            "delete 5 from the linked list 3, 8, 5, 1",
            {"values": [3, 8, 5, 1], "operation": "delete", "position": 2},
        ),
        ("linked list: add 9 at the head", {"operation": "insert", "position": 0, "value": 9}),
        (
            "remove the tail of a linked list [4, 6, 2]",
            {"values": [4, 6, 2], "operation": "delete", "position": 2},
        ),
        ("insert 10 after 8 in a linked list", {"operation": "insert", "position": 2, "value": 10}),
        ("insert 4 before 5 in a linked list", {"operation": "insert", "position": 2, "value": 4}),
        ("how does a linked list work?", {}),
    ],
)
def test_linked_list_extract(prompt, expected):
    assert extracted("linked_list", prompt) == expected


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"position": 5}, "between 0 and 4 to insert into a list of 4 nodes"),
        ({"operation": "delete", "position": 4}, "between 0 and 3 to delete from"),
        ({"values": [1, 2, 3, 4, 5, 6, 7]}, "between 1 and 6 numbers"),
        ({"value": 1000}, "between -99 and 999"),
        ({"operation": "reverse"}, "one of insert, delete"),
    ],
)
def test_linked_list_refuses_what_it_cannot_do(params, words):
    with pytest.raises(ChalkError) as caught:
        render_template("linked_list", params)
    assert caught.value.kind == "generation" and caught.value.message.endswith(".")
    assert words in caught.value.message


def test_linked_list_code_works_from_the_inputs_at_the_top():
    source = code("linked_list")
    assert "3 → 8 → 7" not in source and "[3, 8, 7, 5, 1]" not in source
    assert edit_input(source, "position", "0") == code("linked_list", {"position": 0})
    assert edit_input(source, "values", "[6, 2]") == code("linked_list", {"values": [6, 2]})
    assert edit_input(source, "operation", '"delete"') == code(
        "linked_list", {"operation": "delete"}
    )


# ---------------------------------------------------------------- dijkstra_shortest_path
# Distances are checked against a brute force over every simple path (itertools), never
# against a copy of the template's algorithm.


def brute_force(edges: list[str], start: str) -> dict[str, tuple[float, list[str]]]:
    """Every node's shortest distance from `start`, and a shortest path, by trying every
    ordering of the nodes in between."""
    weight = {}
    for edge in edges:
        ends, w = edge.rsplit(" ", 1)
        a, b = ends.split("-")
        weight[(a, b)] = weight[(b, a)] = float(w)
    nodes = sorted({a for a, _ in weight})
    best: dict[str, tuple[float, list[str]]] = {start: (0.0, [start])}
    for end in nodes:
        middle = [n for n in nodes if n not in (start, end)]
        for size in range(len(middle) + 1):
            for inner in itertools.permutations(middle, size):
                path = [start, *inner, end]
                if end == start or not all(step in weight for step in itertools.pairwise(path)):
                    continue
                length = sum(weight[step] for step in itertools.pairwise(path))
                if end not in best or length < best[end][0]:
                    best[end] = (length, path)
    return best


def test_dijkstra_default_graph_against_every_path():
    # A-B 4, A-C 2, B-C 1, B-D 5, C-D 8, C-E 10, D-E 2, D-F 6, E-F 3: A→C→B→D→E→F = 13
    params = registry()["dijkstra_shortest_path"].defaults
    best = brute_force(params["edges"], "A")
    assert best["F"] == (13.0, ["A", "C", "B", "D", "E", "F"])
    text = said("dijkstra_shortest_path")
    assert text[0] == "The title reads: Dijkstra's shortest path: A to F."
    assert text[3].endswith("the visits go A, C, B, D, E, F.")
    for node, (length, path) in best.items():
        if node != "A":
            assert f"{node} {length:g} via {path[-2]}" in text[4]
    assert text[5] == (
        "Following the nodes back from F, the shortest path is A → C → B → D → E → F, of length 13."
    )


@pytest.mark.parametrize("index", range(4))
def test_dijkstra_variants_against_every_path(index):
    params = registry()["dijkstra_shortest_path"].variants[index]
    best = brute_force(params["edges"], params["start"])
    length, path = best[params["end"]]
    text = said("dijkstra_shortest_path", params)
    assert text[5].endswith(f"the shortest path is {' → '.join(path)}, of length {length:g}.")
    # Nodes leave the table in order of their final distance (Dijkstra's promise)
    visits = text[3].split("the visits go ")[1].rstrip(".").split(", ")
    assert [best[n][0] for n in visits] == sorted(best[n][0] for n in visits)


def test_dijkstra_code_computes_everything_from_its_inputs():
    default = code("dijkstra_shortest_path")
    edited = edit_input(default, "start", '"B"')
    assert edited == code("dijkstra_shortest_path", {"start": "B"})
    edited = re.sub(
        r"^edges = \[\n(?:    .*\n)+\]",
        'edges = [("S", "A", 7.0), ("A", "T", 1.0), ("S", "T", 9.0)]',
        default,
        count=1,
        flags=re.M,
    )
    edited = edit_input(edit_input(edited, "start", '"S"'), "end", '"T"')
    params = {"edges": ["S-A 7", "A-T 1", "S-T 9"], "start": "S", "end": "T"}
    assert edited == code("dijkstra_shortest_path", params)
    scene = default.split("class DijkstraShortestPath")[1]
    for host_value in ("length 13", "A → C", "13.0"):
        assert host_value not in scene


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        (
            "shortest path from A to E with Dijkstra: A-B 4, A-C 2, B-C 1, B-D 5, C-D 8, D-E 3",
            {
                "edges": ["A-B 4", "A-C 2", "B-C 1", "B-D 5", "C-D 8", "D-E 3"],
                "start": "A",
                "end": "E",
            },
        ),
        (
            "Dijkstra's algorithm from S to T where S-A=7, S-B=2, A-B=3, A-T=1, B-T=8",
            {"edges": ["S-A 7", "S-B 2", "A-B 3", "A-T 1", "B-T 8"], "start": "S", "end": "T"},
        ),
        ("step through Dijkstra with the distance table, starting at node B", {"start": "B"}),
        (
            "shortest route between towns P and R: P to Q is 3 km, Q to R is 4 km, P to R is 9 km",
            {"edges": ["P-Q 3", "Q-R 4", "P-R 9"], "start": "P", "end": "R"},
        ),
        ("Dijkstra's shortest path on a weighted graph", {}),
    ],
)
def test_dijkstra_extract(prompt, expected):
    assert extracted("dijkstra_shortest_path", prompt) == expected


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"edges": ["A-B 1", "C-D 2"], "start": "A", "end": "D"}, "No edges lead from A to D"),
        ({"end": "Z"}, "not in the graph"),
        ({"edges": ["A-A 3", "A-B 1"], "end": "B"}, "joins a node to itself"),
        ({"edges": ["A-B -3", "B-F 1"]}, "between 0 and 999"),
        ({"edges": ["A B", "B-F 1"]}, "like A-B 4"),
        ({"start": "F"}, "must differ"),
    ],
)
def test_dijkstra_refuses_what_it_cannot_draw(params, words):
    with pytest.raises(ChalkError) as caught:
        render_template("dijkstra_shortest_path", params)
    assert words in caught.value.message


def test_dijkstra_is_not_plain_graph_traversal():
    assert plan("breadth-first search on a graph")[0] == "graph_traversal"
    assert plan("find the shortest path in a weighted graph")[0] == "dijkstra_shortest_path"
