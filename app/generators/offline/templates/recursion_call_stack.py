"""Recursion on the call stack: factorial(n) or fib(n), each call a frame pushed on top, each
return popping it and handing its value down to the call that waits for it."""

from __future__ import annotations

from app.generators.offline import codegen, controls
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.extract import Prompt
from app.generators.offline.templates.common import Spoken

ID = "recursion_call_stack"
TITLE = "Recursion and the call stack"
SUBJECT = "CS"
EXAMPLE_PROMPT = "Show the call stack for factorial(4)"
DEFAULTS = {"function": "factorial", "n": 4}
VARIANTS = [
    {"function": "fibonacci", "n": 4},
    {"function": "factorial", "n": 5},
    {"function": "fibonacci", "n": 5},
    {"function": "factorial", "n": 0},
]
TRIGGERS = {
    r"\brecursi(?:on|ve|vely)\b|\brecurs(?:e|es|ing)\b": 6,
    r"\bcall stack\b|\bstack frames?\b|\bbase case\b": 6,
    # Alone, factorial and Fibonacci may be other maths; as a function call, programming
    r"\bfactorial\b|\b\d\s*!": 2,
    r"\bfib(?:onacci)?\b": 2,
    r"\b(?:fib|fibonacci|factorial)\s*\(\s*\d": 2,
    r"\bunwind\w*\b": 2,
}
FUNCTIONS = ["factorial", "fibonacci"]
FUNCTION_ALIASES = {"fib": "fibonacci", "fact": "factorial", "fibonnaci": "fibonacci"}
LOW, HIGH = 0, 5  # fib(5) already makes 15 calls; five frames fit on the stack
CONTROLS = {
    "function": controls.Choice("Function", tuple(FUNCTIONS), ("Factorial n!", "Fibonacci fib(n)")),
    "n": controls.Number("Starting value of n", LOW, HIGH, step=1, integer=True),
}


def extract(prompt: Prompt) -> dict:
    params: dict = {}
    if prompt.has(r"\bfib(?:onacci|onnaci)?\b"):
        params["function"] = "fibonacci"
    elif prompt.has(r"\bfactorial\b|\b\d\s*!"):
        params["function"] = "factorial"
    given = prompt.search(
        r"\b(?:factorial|fib(?:onacci|onnaci)?)\s*(?:of\s*|\(\s*|number\s*|n\s*=\s*)?(\d+)"
        r"|\b(\d+)\s*!|\b(\d+)(?:st|nd|rd|th)? (?:fibonacci|factorial)|\bn\s*=\s*(\d+)"
    )
    if given:
        params["n"] = int(next(g for g in given.groups() if g is not None))
    return params


def validate(params: dict, notes: list[str]) -> dict:
    params["function"] = checks.choice(params["function"], "function", FUNCTIONS, FUNCTION_ALIASES)
    params["n"] = checks.integer(params["n"], "n", low=LOW, high=HIGH)
    return params


SKELETON = """\
from manim import *

function = <<function>>  # "factorial" or "fibonacci"
n = <<n>>  # the call the video starts with: factorial(n) or fib(n)


def trace(function, n):
    # Run the recursion, writing down in order every ("call", depth, name, what it does),
    # every ("note", depth, what it does now) and every ("return", depth, value)
    events = []

    def factorial(k, depth):
        if k <= 1:
            events.append(("call", depth, f"factorial({k})", "base case: 1"))
            events.append(("return", depth, 1))
            return 1
        events.append(("call", depth, f"factorial({k})", f"waits for factorial({k - 1})"))
        below = factorial(k - 1, depth + 1)
        events.append(("note", depth, f"{k} × {below} = {k * below}"))
        events.append(("return", depth, k * below))
        return k * below

    def fib(k, depth):
        if k <= 1:
            events.append(("call", depth, f"fib({k})", f"base case: {k}"))
            events.append(("return", depth, k))
            return k
        events.append(("call", depth, f"fib({k})", f"waits for fib({k - 1})"))
        first = fib(k - 1, depth + 1)
        events.append(("note", depth, f"fib({k - 1}) = {first}, waits for fib({k - 2})"))
        second = fib(k - 2, depth + 1)
        events.append(("note", depth, f"{first} + {second} = {first + second}"))
        events.append(("return", depth, first + second))
        return first + second

    result = factorial(n, 0) if function == "factorial" else fib(n, 0)
    return events, result


CODE = {
    "factorial": [
        (0, "def factorial(n):"),
        (1, "if n <= 1:"),
        (2, "return 1  # base case"),
        (1, "return n * factorial(n - 1)"),
    ],
    "fibonacci": [
        (0, "def fib(n):"),
        (1, "if n <= 1:"),
        (2, "return n  # base case"),
        (1, "return fib(n - 1) + fib(n - 2)"),
    ],
}


class RecursionCallStack(Scene):
    def construct(self):
<<fit_frame>>
        events, result = trace(function, n)
        name = "factorial" if function == "factorial" else "fib"
        calls = sum(1 for event in events if event[0] == "call")
        pace = min(0.8, 10 / (calls * 2))  # seconds per call or return

        # Title
        title = Text(f"Recursion: {name}({n})", font_size=40)
        fit_title(self, title).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # The function's code on the left
        code = VGroup()
        for i, (indent, line) in enumerate(CODE[function]):
            text = Text(line, font_size=22)
            code.add(text.move_to([-6.5 + 0.45 * indent, 1.6 - 0.5 * i, 0], aligned_edge=LEFT))
        counter = Text("calls so far: 0", font_size=24, color=MUTED).move_to(
            [-6.5, -0.8, 0], aligned_edge=LEFT
        )
        put(VGroup(code, counter), listing)
        heading = Text("call stack (newest on top)", font_size=24, color=MUTED)
        put(heading, stack_area, 2.0, 2.5)
        floor = Line([-1.3, -2.75, 0], [5.3, -2.75, 0], color=MUTED, stroke_width=4)
        put(floor, stack_area)
        self.play(FadeIn(code), FadeIn(counter), FadeIn(heading), Create(floor), run_time=1)

        def frame_at(depth, label, note):
            # One call's frame: its name on the left, what it is doing on the right
            box = Rectangle(width=6.6, height=0.62, color=ACCENT).set_fill(ACCENT, opacity=0.15)
            box.move_to([2.0, -2.4 + 0.75 * depth, 0])
            call = Text(label, font_size=24).move_to(box.get_left() + RIGHT * 0.15, LEFT)
            doing = Text(note, font_size=22, color=MUTED)
            doing.move_to(box.get_right() + LEFT * 0.15, RIGHT)
            return put(VGroup(box, call, doing), stack_area)

        def status(frame, note, color):
            return scaled(Text(note, font_size=22, color=color), stack_area).move_to(
                frame[0].get_right() + LEFT * 0.15 * stack_area[0], RIGHT
            )

        def top_marker(depth):
            arrow = Arrow(RIGHT * 0.8, ORIGIN, buff=0, color=HIGHLIGHT, stroke_width=4)
            word = Text("top", font_size=24, color=HIGHLIGHT).next_to(arrow, RIGHT, buff=0.1)
            marker = VGroup(arrow, word).next_to([5.3, -2.4 + 0.75 * depth, 0], RIGHT, buff=0.08)
            return put(marker, stack_area)

        # Calls push frames; returns pop them, handing the value to the frame below,
        # which at once says what it does with it
        frames = []
        marker = None
        made = 0
        for i, event in enumerate(events):
            kind, depth = event[0], event[1]
            if kind == "call":
                made += 1
                frame = frame_at(depth, event[2], event[3])
                frames.append(frame)
                count = Text(f"calls so far: {made}", font_size=24, color=MUTED)
                moves = [
                    FadeIn(frame, shift=DOWN * 0.3),
                    Transform(counter, scaled(count, listing).move_to(counter, aligned_edge=LEFT)),
                ]
                if marker is None:
                    marker = top_marker(depth)
                    moves.append(FadeIn(marker))
                else:
                    moves.append(Transform(marker, top_marker(depth)))
                self.play(*moves, run_time=pace)
            elif kind == "return":
                frame = frames.pop()
                handed = Text(f"returns {event[2]}", font_size=24, color=HIGHLIGHT)
                scaled(handed, stack_area).move_to(frame[0])
                self.add(handed)
                target = frames[-1][0] if frames else floor
                moves = [
                    FadeOut(frame),
                    handed.animate.move_to(target).set_opacity(0),
                ]
                if frames:
                    moves.append(Transform(marker, top_marker(depth - 1)))
                else:
                    moves.append(FadeOut(marker))
                following = events[i + 1] if i + 1 < len(events) else None
                if following is not None and following[0] == "note":
                    waiting = frames[following[1]]
                    moves.append(Transform(waiting[2], status(waiting, following[2], TEXT)))
                self.play(*moves, run_time=pace)
                self.remove(handed)
            elif events[i - 1][0] != "return":  # a note not shown with the return before it
                frame = frames[depth]
                self.play(Transform(frame[2], status(frame, event[2], TEXT)), run_time=pace)

        # The answer, and how deep the stack went
        deepest = max(event[1] for event in events) + 1
        answer = Text(f"{name}({n}) = {result}", font_size=36, color=POSITIVE)
        put(answer, stack_area, 2.0, -0.4)
        detail = Text(
            f"{calls} call{'s' if calls != 1 else ''}, at most {deepest} "
            f"frame{'s' if deepest != 1 else ''} on the stack at once",
            font_size=24,
            color=MUTED,
        )
        scaled(detail, stack_area).next_to(answer, DOWN, buff=0.3)
        self.play(Write(answer), FadeIn(detail), run_time=1)
        self.wait(2)
"""


def build(params: dict) -> str:
    return fill(
        SKELETON,
        fit_frame=codegen.arrange_parts(
            {"listing": (-6.6, -1.1, -1.5, 2.0), "stack_area": (-2.3, -3.0, 6.9, 2.8)}
        ),
        function=literal(params["function"]),
        n=literal(params["n"]),
    )


# ---------------------------------------------------------------- what the video says


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _calls(function: str, n: int) -> list[tuple[int, int]]:
    """(argument, depth) of every call, in the order they are made."""
    made: list[tuple[int, int]] = []

    def visit(k: int, depth: int) -> None:
        made.append((k, depth))
        if k > 1 and function == "fibonacci":
            visit(k - 1, depth + 1)
            visit(k - 2, depth + 1)
        elif k > 1:
            visit(k - 1, depth + 1)

    visit(n, 0)
    return made


def _fib(k: int) -> int:
    a, b = 0, 1
    for _ in range(k):
        a, b = b, a + b
    return a


def describe(params: dict) -> list[str]:
    function, n = params["function"], params["n"]
    calls = _calls(function, n)
    deepest = max(depth for _, depth in calls) + 1
    if function == "factorial":
        chain = [f"factorial({k})" for k, _ in calls]
        result = 1
        unwinding = []
        for k in range(2, n + 1):
            unwinding.append(f"factorial({k}) = {k} × {result} = {k * result}")
            result *= k
        sentences = [
            f"The title reads: Recursion: factorial({n}).",
            "On the left, the code: factorial(n) returns 1 when n is at most 1 (the base "
            "case), and n × factorial(n - 1) otherwise.",
            "Each call puts a new frame on top of the call stack on the right, marked top, "
            "and a counter counts the calls.",
        ]
        if len(chain) > 1:
            sentences.append(f"The calls {_and(chain)} pile up, each waiting for the one above it.")
        sentences.append(f"{chain[-1]} is the base case and returns 1.")
        if unwinding:
            sentences.append(
                "Then the stack unwinds, each frame handing its value to the one below: "
                + ", ".join(unwinding)
                + "."
            )
    else:
        base = sum(1 for k, _ in calls if k <= 1)
        results = []

        def unwind(k: int) -> None:
            if k > 1:
                unwind(k - 1)
                unwind(k - 2)
                results.append(f"fib({k}) = {_fib(k - 1)} + {_fib(k - 2)} = {_fib(k)}")

        unwind(n)
        result = _fib(n)
        sentences = [
            f"The title reads: Recursion: fib({n}).",
            "On the left, the code: fib(n) returns n when n is at most 1 (the base case), and "
            "fib(n - 1) + fib(n - 2) otherwise.",
            "Each call puts a new frame on top of the call stack on the right, marked top, "
            "and a counter counts the calls.",
        ]
        if results:
            sentences.append(
                f"The stack grows and shrinks: fib({n}) waits for fib({n - 1}), then for "
                f"fib({n - 2}); {base} calls reach a base case, fib(1) or fib(0), and return at "
                "once."
            )
            sentences.append(
                "Each frame adds its two results and hands the sum to the one below, in this "
                "order: " + ", ".join(results) + "."
            )
        else:
            sentences.append(f"fib({n}) is the base case and returns {n}.")
    name = "factorial" if function == "factorial" else "fib"
    sentences.append(
        f"The answer reads {name}({n}) = {result}, after {len(calls)} "
        f"call{'s' if len(calls) != 1 else ''}, at most {deepest} "
        f"frame{'s' if deepest != 1 else ''} on the stack at once."
    )
    return sentences


def narration(params: dict) -> list[str | Spoken]:
    # Worked out in the scene from the input lines at the top, like everything else it shows
    function, n = params["function"], params["n"]
    return [
        Spoken(('f"Recursion: {function} of {n}."',), f"Recursion: {function} of {n}."),
        Spoken(
            (
                '"Here is the code. It calls itself on a smaller n, until n is at most 1: the "',
                '"base case."',
            ),
            "Here is the code. It calls itself on a smaller n, until n is at most 1: the base "
            "case.",
        ),
        Spoken(
            (
                '"Each call puts a new frame on top of the call stack, and waits for the call "',
                '"above it. When a call returns, its frame comes off and hands its value to the "',
                '"frame below."',
            ),
            "Each call puts a new frame on top of the call stack, and waits for the call above "
            "it. When a call returns, its frame comes off and hands its value to the frame below.",
        ),
        Spoken(
            ('f"And that is how {function} of {n} works itself out."',),
            f"And that is how {function} of {n} works itself out.",
        ),
    ]
