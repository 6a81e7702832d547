"""Binary numbers: decimal to binary by repeated division by 2 and back by place values, or a
binary number read to decimal by its place values; optionally grouped in fours as hexadecimal."""

from __future__ import annotations

import re

from app.generators.offline import codegen, controls
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.extract import Prompt
from app.generators.offline.templates.common import Spoken

ID = "binary_numbers"
TITLE = "Binary numbers"
SUBJECT = "CS"
EXAMPLE_PROMPT = "Convert 13 to binary"
DEFAULTS = {"number": 13, "direction": "to_binary", "show_hex": False}
VARIANTS = [
    {"number": 11, "direction": "to_decimal", "show_hex": False},
    {"number": 200, "direction": "to_binary", "show_hex": True},
    {"number": 255, "direction": "to_decimal", "show_hex": True},
]
TRIGGERS = {
    r"\bbinary\b": 4,
    r"\bbase[- ]?(?:2|two|10|ten|16|sixteen)\b": 4,
    r"\b(?:decimal|denary)\b": 2,
    r"\bhex(?:adecimal)?\b": 3,
    r"\bbits?\b|\bplace values?\b|\bremainders?\b": 2,
    r"\bconver(?:t|ts|ting|sion)\b": 1,
    r"\b0b[01]+\b": 4,
    r"\b[01]{3,8}\s+(?:to|into|in|as)\s+(?:decimal|denary|base)": 3,  # "1011 to decimal"
    # Other uses of "binary" belong to other templates (or none).
    r"\bbinary (?:search|tree|star|fission|compound|operation|option|choice)\w*\b": -8,
}
DIRECTIONS = ["to_binary", "to_decimal"]
DIRECTION_ALIASES = {
    "binary": "to_binary",
    "decimal": "to_decimal",
    "denary": "to_decimal",
    "to binary": "to_binary",
    "to decimal": "to_decimal",
}
LOW, HIGH = 1, 255  # eight bits at most: the place values 128 64 32 16 8 4 2 1
CONTROLS = {
    "number": controls.Number("Number (in decimal)", LOW, HIGH, step=1, integer=True),
    "direction": controls.Choice(
        "Direction",
        tuple(DIRECTIONS),
        ("Decimal to binary", "Binary to decimal"),
    ),
    "show_hex": controls.Toggle("Also show hexadecimal"),
}

_DECIMAL_WORDS = r"(?:decimal|denary|base[- ]?(?:10|ten)|a normal number|an ordinary number)"
_BINARY = r"(?:0b)?([01]{1,8})(?:\s*(?:₂|_2|\(2\)))?"


def extract(prompt: Prompt) -> dict:
    params: dict = {}
    text = prompt.text
    if prompt.has(r"\bhex(?:adecimal)?\b|\bbase[- ]?(?:16|sixteen)\b"):
        params["show_hex"] = True
    # A binary number to read: "convert 1011 to decimal", "binary 110 in denary", "0b101"
    given = (
        re.search(rf"\b{_BINARY}(?![\d.])[^.?!]*?\b(?:to|into|in|as)\s+{_DECIMAL_WORDS}", text)
        or re.search(rf"\bbinary (?:number |value )?{_BINARY}(?![\d.])", text)
        or re.search(r"\b0b([01]{1,8})\b", text)
        or re.search(r"\b([01]{1,8})\s*(?:₂|_2|\(2\)|in binary is|base[- ]?(?:2|two))", text)
        or re.search(r"\bfrom binary[^.?!]*?\b([01]{1,8})\b", text)
    )
    if given and not re.search(rf"\b{given.group(1)}\s+(?:to|into|in|as)\s+binary\b", text):
        params["number"] = int(given.group(1), 2)
        params["direction"] = "to_decimal"
        return params
    decimal = re.search(r"(?<![\w.])(\d+)(?![\w.])", text)
    if decimal:
        params["number"] = int(decimal.group(1))
        params["direction"] = "to_binary"
    return params


def validate(params: dict, notes: list[str]) -> dict:
    params["number"] = checks.integer(params["number"], "number", low=LOW, high=HIGH)
    params["direction"] = checks.choice(
        params["direction"], "direction", DIRECTIONS, DIRECTION_ALIASES
    )
    if not isinstance(params["show_hex"], bool):
        raise checks.fail("'show_hex' must be true or false.")
    return params


DIVISION = """

def division_steps(n):
    # Divide by 2 again and again, keeping each remainder: (number, quotient, remainder)
    steps = []
    while n > 0:
        steps.append((n, n // 2, n % 2))
        n = n // 2
    return steps
"""

HELPERS = """

def place_values(width):
    # 2 to the power of each position, largest on the left: 8, 4, 2, 1 for four bits
    return [2 ** (width - 1 - i) for i in range(width)]


def padded(bits):
    # Leading zeros up to a whole number of groups of four (one hexadecimal digit each)
    width = max(4, -(-len(bits) // 4) * 4)
    return bits.rjust(width, "0")


def hex_digits(bits):
    # Each group of four bits is one hexadecimal digit, 0 to 9 then A to F
    groups = [bits[i : i + 4] for i in range(0, len(bits), 4)]
    return groups, ["0123456789ABCDEF"[int(group, 2)] for group in groups]
"""

TO_BINARY = """\
from manim import *

number = <<number>>  # the decimal number to write in binary (1 to 255)
show_hex = <<show_hex>>  # also read the bits in groups of four as hexadecimal
<<helpers>>

class BinaryNumbers(Scene):
    def construct(self):
<<fit_frame>>
        steps = division_steps(number)
        # The remainders read from the last one up are the bits, most significant first
        bits = "".join(str(remainder) for _, _, remainder in reversed(steps))

        # Title
        title = Text(f"Converting {number} to binary", font_size=40)
        fit_title(self, title).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # Left: divide by 2 again and again, writing down each remainder
        header = Text("Divide by 2, keep the remainder", font_size=26, color=MUTED)
        put(header, working, -3.7, 2.4)
        self.play(FadeIn(header), run_time=0.6)
        rows = VGroup()
        for i, (n, quotient, remainder) in enumerate(steps):
            y = 1.75 - 0.5 * i
            division = Text(f"{n} ÷ 2 = {quotient}", font_size=26)
            put(division.move_to([-6.3, y, 0], aligned_edge=LEFT), working)
            kept = Text(f"remainder {remainder}", font_size=26, color=HIGHLIGHT)
            put(kept.move_to([-3.2, y, 0], aligned_edge=LEFT), working)
            rows.add(VGroup(division, kept))
            self.play(FadeIn(division), FadeIn(kept, shift=RIGHT * 0.2), run_time=0.6)

        # Read the remainders from the bottom up (an arrow when there is more than one)
        read = Text("read the remainders from the bottom up", font_size=22, color=MUTED)
        scaled(read, working).next_to(rows, DOWN, buff=0.35).align_to(rows, LEFT)
        reading = [FadeIn(read)]
        if len(steps) > 1:
            arrow = Arrow(
                rows[-1][1].get_right() + RIGHT * 0.15,
                rows[0][1].get_right() + RIGHT * 0.15,
                buff=0,
                color=HIGHLIGHT,
                stroke_width=4,
            )
            reading.append(GrowArrow(arrow))
        result = Text(f"{number} = {bits} in binary", font_size=34, color=POSITIVE)
        put(result, bits_part, 3.4, 2.4)
        self.play(*reading, run_time=0.8)
        self.play(Write(result), run_time=1)

        # Right: back to decimal, each bit under its place value
        cells = padded(bits)
        values = place_values(len(cells))
        boxes = VGroup()
        for bit, value in zip(cells, values):
            box = Square(side_length=0.72, color=ACCENT, stroke_width=2)
            digit = Text(bit, font_size=30, color=TEXT if bit == "1" else MUTED)
            place = Text(str(value), font_size=20, color=MUTED).next_to(box, UP, buff=0.12)
            boxes.add(VGroup(box, digit.move_to(box), place))
        # With hexadecimal below, the bits and the sum sit a little higher
        row_y, sum_y = (0.9, -0.9) if show_hex else (0.6, -1.0)
        put(boxes.arrange(RIGHT, buff=0.08), bits_part, 3.4, row_y)
        self.play(LaggedStartMap(FadeIn, boxes, lag_ratio=0.08), run_time=1.2)
        # Each 1 bit counts its place value: a thick outline and the value said in the sum
        ones = [i for i, bit in enumerate(cells) if bit == "1"]
        self.play(
            *[boxes[i][0].animate.set_stroke(HIGHLIGHT, width=6) for i in ones],
            run_time=0.8,
        )
        total = sum(values[i] for i in ones)
        back = Text(" + ".join(str(values[i]) for i in ones) + f" = {total}", font_size=28)
        if back.width > 6.6:
            back.scale_to_fit_width(6.6)
        put(back, bits_part, 3.4, sum_y)
        check = Text("back to decimal:", font_size=22, color=MUTED)
        scaled(check, bits_part).next_to(back, UP, buff=0.15)
        self.play(FadeIn(check), Write(back), run_time=1.2)
<<hex_part>>
        self.wait(2)
"""

TO_DECIMAL = """\
from manim import *

binary = <<binary>>  # the binary number to read in decimal (up to 8 bits)
show_hex = <<show_hex>>  # also read the bits in groups of four as hexadecimal
<<helpers>>

class BinaryNumbers(Scene):
    def construct(self):
<<fit_frame>>
        # Title
        title = Text(f"Converting {binary} to decimal", font_size=40).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # Each bit under its place value, doubling from the right: 1, 2, 4, 8 ...
        values = place_values(len(binary))
        boxes = VGroup()
        for bit, value in zip(binary, values):
            box = Square(side_length=0.9, color=ACCENT, stroke_width=2)
            digit = Text(bit, font_size=34, color=TEXT if bit == "1" else MUTED)
            place = Text(str(value), font_size=24, color=MUTED).next_to(box, UP, buff=0.15)
            boxes.add(VGroup(box, digit.move_to(box), place))
        boxes.arrange(RIGHT, buff=0.1).move_to([0, 1.3, 0])
        heading = Text("place values", font_size=22, color=MUTED)
        heading.next_to(boxes, LEFT, buff=0.3).align_to(boxes[0][2], DOWN)
        self.play(LaggedStartMap(FadeIn, boxes, lag_ratio=0.08), FadeIn(heading), run_time=1.2)

        # Bit by bit: bit × place value, written under its box
        products = VGroup()
        for box, bit, value in zip(boxes, binary, values):
            product = Text(f"{bit}×{value}", font_size=20, color=TEXT if bit == "1" else MUTED)
            products.add(product.next_to(box[0], DOWN, buff=0.2))
        for box, product, bit in zip(boxes, products, binary):
            marks = [box[0].animate.set_stroke(HIGHLIGHT, width=6)] if bit == "1" else []
            self.play(FadeIn(product, shift=DOWN * 0.2), *marks, run_time=0.45)

        # The place values under the 1 bits add up to the number
        ones = [value for bit, value in zip(binary, values) if bit == "1"]
        number = sum(ones)
        total = Text(" + ".join(str(v) for v in ones) + f" = {number}", font_size=32)
        total.move_to([0, -0.5 if show_hex else -0.8, 0])
        if total.width > 11:
            total.scale_to_fit_width(11)
        result = Text(f"{binary} in binary = {number} in decimal", font_size=34, color=POSITIVE)
        result.next_to(total, DOWN, buff=0.4)
        self.play(Write(total), run_time=1.2)
        self.play(Write(result), run_time=1)
<<hex_part>>
        self.wait(2)
"""

HEX_TO_BINARY = """\

        # Hexadecimal: each group of four bits is one digit, 0 to 9 then A to F
        if show_hex:
            groups, digits = hex_digits(cells)
            hex_number = "".join(digits).lstrip("0") or "0"
            hex_line = Text(
                ",  ".join(f"{group} = {digit}" for group, digit in zip(groups, digits)),
                font_size=24,
                color=MUTED,
            )
            put(hex_line, bits_part, 3.4, -2.2)
            hex_result = Text(
                f"{number} = {hex_number} in hexadecimal", font_size=30, color=SECONDARY
            )
            scaled(hex_result, bits_part).next_to(hex_line, DOWN, buff=0.3)
            self.play(FadeIn(hex_line), run_time=0.8)
            self.play(Write(hex_result), run_time=1)"""

HEX_TO_DECIMAL = """\

        # Hexadecimal: each group of four bits is one digit, 0 to 9 then A to F
        if show_hex:
            groups, digits = hex_digits(padded(binary))
            hex_number = "".join(digits).lstrip("0") or "0"
            hex_line = Text(
                "in fours:  "
                + ",  ".join(f"{group} = {digit}" for group, digit in zip(groups, digits)),
                font_size=24,
                color=MUTED,
            ).next_to(result, DOWN, buff=0.4)
            hex_result = Text(
                f"{number} = {hex_number} in hexadecimal", font_size=28, color=SECONDARY
            ).next_to(hex_line, DOWN, buff=0.25)
            self.play(FadeIn(hex_line), run_time=0.8)
            self.play(Write(hex_result), run_time=1)"""


def build(params: dict) -> str:
    number, show_hex = params["number"], params["show_hex"]
    if params["direction"] == "to_binary":
        return fill(
            TO_BINARY,
            fit_frame=codegen.arrange_parts(
                {"working": (-6.5, -2.6, -0.6, 2.7), "bits_part": (0.1, -2.9, 6.7, 2.7)}
            ),
            number=literal(number),
            show_hex=literal(show_hex),
            helpers=DIVISION + HELPERS,
            hex_part=HEX_TO_BINARY,
        )
    return fill(
        TO_DECIMAL,
        fit_frame=codegen.fit_frame((-6.5, -3.3, 6.5, 3.7)),
        binary=literal(format(number, "b")),
        show_hex=literal(show_hex),
        helpers=HELPERS,
        hex_part=HEX_TO_DECIMAL,
    )


# ---------------------------------------------------------------- host mirrors for describe()


def _place_values(width: int) -> list[int]:
    return [1 << (width - 1 - i) for i in range(width)]


def _padded(bits: str) -> str:
    width = max(4, (len(bits) + 3) // 4 * 4)
    return bits.rjust(width, "0")


def _hex(bits: str) -> tuple[list[str], list[str]]:
    groups = [bits[i : i + 4] for i in range(0, len(bits), 4)]
    return groups, ["0123456789ABCDEF"[int(group, 2)] for group in groups]


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def describe(params: dict) -> list[str]:
    number, show_hex = params["number"], params["show_hex"]
    bits = format(number, "b")
    if params["direction"] == "to_binary":
        steps = []
        n = number
        while n > 0:
            steps.append(f"{n} ÷ 2 = {n // 2} remainder {n % 2}")
            n //= 2
        cells = _padded(bits)
        values = _place_values(len(cells))
        ones = [str(v) for bit, v in zip(cells, values, strict=True) if bit == "1"]
        sentences = [
            f"The title reads: Converting {number} to binary.",
            f"{number} is divided by 2 again and again, keeping each remainder: "
            + "; ".join(steps)
            + ".",
            f"Read from the bottom up, the remainders give {number} = {bits} in binary.",
            f"Back to decimal: a row of {len(cells)} boxes holds the bits {cells} under their "
            f"place values {_and([str(v) for v in values])}; the 1 bits are outlined.",
            f"Their place values add up: {' + '.join(ones)} = {number}.",
        ]
    else:
        values = _place_values(len(bits))
        ones = [str(v) for bit, v in zip(bits, values, strict=True) if bit == "1"]
        cells = _padded(bits)
        sentences = [
            f"The title reads: Converting {bits} to decimal.",
            f"A row of {len(bits)} boxes holds the bits {bits} under their place values "
            f"{_and([str(v) for v in values])}.",
            "Under each box, its bit times its place value is written, and each 1 bit is outlined.",
            f"The place values under the 1 bits add up: {' + '.join(ones)} = {number}.",
            f"So {bits} in binary = {number} in decimal.",
        ]
    if show_hex:
        groups, digits = _hex(cells)
        pairs = _and([f"{g} is {d}" for g, d in zip(groups, digits, strict=True)])
        sentences.append(
            f"In groups of four bits, {pairs}, so {number} = "
            f"{''.join(digits).lstrip('0') or '0'} in hexadecimal."
        )
    return sentences


def narration(params: dict) -> list[str | Spoken]:
    # Worked out in the scene from the input line at the top, like everything else it shows
    number, show_hex = params["number"], params["show_hex"]
    bits = " ".join(format(number, "b"))
    hexed = "In hexadecimal, each group of four bits is one digit."
    if params["direction"] == "to_binary":
        closing = Spoken(
            (
                f'"{hexed}"',
                """if show_hex else f"So {number} in decimal is \"""",
                """f"{' '.join(format(number, 'b'))} in binary.\"""",
            ),
            hexed if show_hex else f"So {number} in decimal is {bits} in binary.",
        )
    else:
        closing = Spoken(
            (
                f'"{hexed}"',
                """if show_hex else f"So {' '.join(binary)} in binary is {int(binary, 2)} \"""",
                '"in decimal."',
            ),
            hexed if show_hex else f"So {bits} in binary is {number} in decimal.",
        )
    if params["direction"] == "to_binary":
        return [
            Spoken(('f"Converting {number} to binary."',), f"Converting {number} to binary."),
            Spoken(
                ('f"Divide {number} by 2 again and again, and write down each remainder."',),
                f"Divide {number} by 2 again and again, and write down each remainder.",
            ),
            Spoken(
                (
                    'f"Read the remainders from the bottom up: {number} is "',
                    '''f"{' '.join(format(number, 'b'))} in binary."''',
                ),
                f"Read the remainders from the bottom up: {number} is {bits} in binary.",
            ),
            Spoken(
                (
                    '"Back to decimal: each bit sits under its place value. Add the place values "',
                    'f"of the ones, and you get {number} again."',
                ),
                "Back to decimal: each bit sits under its place value. Add the place values of "
                f"the ones, and you get {number} again.",
            ),
            closing,
        ]
    return [
        Spoken(
            ('''f"Converting {' '.join(binary)} from binary to decimal."''',),
            f"Converting {bits} from binary to decimal.",
        ),
        Spoken(
            ('"Each bit sits under its place value, doubling from the right."',),
            "Each bit sits under its place value, doubling from the right.",
        ),
        Spoken(
            ('"Bit by bit, multiply each bit by its place value."',),
            "Bit by bit, multiply each bit by its place value.",
        ),
        Spoken(
            ('f"Add the place values under the ones: that makes {int(binary, 2)}."',),
            f"Add the place values under the ones: that makes {number}.",
        ),
        closing,
    ]
