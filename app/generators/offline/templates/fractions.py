"""Fraction bars: show fractions, compare them, or add and subtract with a common denominator."""

from __future__ import annotations

import math
import re
from fractions import Fraction

from app.generators.offline import codegen
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.controls import Choice, TextList
from app.generators.offline.extract import Prompt
from app.generators.offline.templates.common import say_fraction

ID = "fractions"
TITLE = "Fractions with fraction bars"
SUBJECT = "Math"
EXAMPLE_PROMPT = "Add 1/2 and 1/3 using fraction bars"
DEFAULTS = {"fractions": ["1/2", "1/3"], "operation": "add"}
VARIANTS = [
    {"fractions": ["3/4", "2/3"], "operation": "compare"},
    {"fractions": ["5/6", "3/4"], "operation": "add"},
]
TRIGGERS = {
    r"\bfractions?\b": 5,
    r"\bnumerators?\b|\bdenominators?\b": 4,
    r"\bfraction (?:bars?|strips?|walls?)\b|\bpie (?:chart|pieces)\b": 3,
    r"\bhalf\b|\bhalves\b|\bthirds?\b|\bquarters?\b": 2,
    r"\bequivalent\b": 2,
    r"(?<![\d.])\d{1,2}\s*/\s*\d{1,2}(?![\d.])": 2,
}
OPERATIONS = ["add", "subtract", "compare", "show"]
ALIASES = {
    "plus": "add",
    "sum": "add",
    "+": "add",
    "minus": "subtract",
    "difference": "subtract",
    "-": "subtract",
    "which is bigger": "compare",
    "larger": "compare",
    "bigger": "compare",
    "smaller": "compare",
    "": "show",
}
MAX_DENOMINATOR = 12
_FRACTION = re.compile(r"(?<![\d.])(\d{1,2})\s*/\s*(\d{1,2})(?![\d.])")
_WORDS = {
    "half": "1/2",
    "a half": "1/2",
    "one half": "1/2",
    "a third": "1/3",
    "one third": "1/3",
    "two thirds": "2/3",
    "a quarter": "1/4",
    "one quarter": "1/4",
    "three quarters": "3/4",
    "one fifth": "1/5",
    "three fifths": "3/5",
}


def bonus(prompt: Prompt) -> int:
    # Written fractions like 3/4 (not inside an expression in x) point here
    if prompt.has(r"\bx\b"):
        return 0
    return min(2, len(_FRACTION.findall(prompt.text)))


def extract(prompt: Prompt) -> dict:
    found = [f"{a}/{b}" for a, b in _FRACTION.findall(prompt.text)]
    if not found:
        for words, fraction in sorted(_WORDS.items(), key=lambda item: -len(item[0])):
            if prompt.has(rf"\b{words}\b") and fraction not in found:
                found.append(fraction)
    params: dict = {}
    if found:
        params["fractions"] = found[:3]
    if prompt.has(r"\badd|\bplus\b|\bsum\b|\+|\btotal\b"):
        params["operation"] = "add"
    elif prompt.has(r"\bsubtract|\bminus\b|\bdifference\b|\btake away\b|(?<=\d)\s*-\s*(?=\d)"):
        params["operation"] = "subtract"
    elif prompt.has(r"\bcompar|\bbigger\b|\blarger\b|\bsmaller\b|\bgreater\b|\bless\b|\bwhich is"):
        params["operation"] = "compare"
    elif found:
        params["operation"] = "show"
    return params


def parse_fraction(text: object) -> Fraction:
    match = _FRACTION.fullmatch(str(text).strip())
    if not match:
        raise checks.fail(f"'{str(text)[:20]}' is not a fraction like 3/4.")
    numerator, denominator = int(match.group(1)), int(match.group(2))
    if not 1 <= denominator <= MAX_DENOMINATOR:
        raise checks.fail(f"Denominators must be between 1 and {MAX_DENOMINATOR} to draw clearly.")
    if numerator > denominator:
        raise checks.fail("Use fractions between 0 and 1 (like 3/4), so each fits in one bar.")
    return Fraction(numerator, denominator)


CONTROLS = {
    "fractions": TextList("Fractions (like 3/4)", max_length=5, min_items=1, max_items=3),
    "operation": Choice(
        "What to do with them",
        tuple(OPERATIONS),
        labels=("Add them", "Subtract them", "Compare them", "Show each one"),
    ),
}


def validate(params: dict, notes: list[str]) -> dict:
    operation = checks.choice(params["operation"], "operation", OPERATIONS, ALIASES)
    raw = params["fractions"]
    if isinstance(raw, str):
        raw = [part for part in re.split(r"[,;\s]+", raw) if part]
    if not isinstance(raw, list) or not raw:
        raise checks.fail('\'fractions\' must be a list like ["1/2", "1/3"].')
    values = [parse_fraction(item) for item in raw]
    # Keep the teacher's form ("2/4" stays 2/4, it is not reduced)
    texts = [f"{int(str(item).split('/')[0])}/{int(str(item).split('/')[1])}" for item in raw]
    if operation == "show":
        if len(values) > 3:
            raise checks.fail("Show at most 3 fractions at a time.")
    else:
        if len(values) == 1:
            raise checks.fail(f"To {operation} fractions, give two of them, like 1/2 and 1/3.")
        if len(values) > 2:
            notes.append(f"Only the first two fractions are used to {operation}.")
            texts, values = texts[:2], values[:2]
        if operation == "subtract" and values[0] < values[1]:
            texts.reverse()
            values.reverse()
            notes.append("The fractions were swapped so the answer is not negative.")
        if operation == "add":
            denominator = math.lcm(*[int(t.split("/")[1]) for t in texts])
            if denominator > 24:
                raise checks.fail("Those denominators need more than 24 pieces; pick smaller ones.")
    params["fractions"] = texts
    params["operation"] = operation
    return params


SKELETON = """\
from manim import *
import math


def fraction_bar(numerator, denominator, width, color):
    # A bar cut into `denominator` equal pieces with the first `numerator` pieces shaded
    pieces = VGroup(
        *[
            Rectangle(width=width / denominator, height=0.6)
            .set_stroke(TEXT, 2)
            .set_fill(color, opacity=0.85 if i < numerator else 0)
            for i in range(denominator)
        ]
    )
    return pieces.arrange(RIGHT, buff=0)


def fraction_tex(numerator, denominator):
    return rf"\\frac{{{numerator}}}{{{denominator}}}"


class Fractions(Scene):
    def construct(self):
<<fit_frame>>
        fractions = <<fractions>>  # (numerator, denominator) pairs
        colors = [ACCENT, SECONDARY, TERTIARY]
        bar_width = 6.0
        left_edge = -4.3  # every bar starts here, so lengths can be compared by eye

        # Title
        title = Text(<<title>>, font_size=40).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # One bar per fraction, its fraction written on the left
        rows = VGroup()
        for index, (numerator, denominator) in enumerate(fractions):
            bar = fraction_bar(numerator, denominator, bar_width, colors[index])
            bar.move_to([left_edge, <<row_top>> - 1.3 * index, 0], aligned_edge=LEFT)
            label = MathTex(
                fraction_tex(numerator, denominator), font_size=48, color=colors[index]
            )
            label.next_to(bar, LEFT, buff=0.5)
            rows.add(VGroup(label, bar))
            self.play(FadeIn(label), Create(bar), run_time=1.2)
        self.wait(0.5)


<<body>>
"""

SHOW_BODY = """
        # The same fractions as parts of a circle
        pies = VGroup()
        for index, (numerator, denominator) in enumerate(fractions):
            pie = VGroup(
                *[
                    AnnularSector(
                        inner_radius=0,
                        outer_radius=0.55,
                        angle=TAU / denominator,
                        start_angle=PI / 2 - (i + 1) * TAU / denominator,
                        color=colors[index],
                        fill_opacity=0.85 if i < numerator else 0,
                        stroke_color=TEXT,
                        stroke_width=2,
                    )
                    for i in range(denominator)
                ]
            )
            pie.move_to([4.6, rows[index].get_y(), 0])
            pies.add(pie)
            self.play(FadeIn(pie), run_time=1)
        words = VGroup(
            *[
                Text(f"{numerator} of {denominator} equal parts", font_size=26).next_to(
                    row, DOWN, buff=0.15
                )
                for row, (numerator, denominator) in zip(rows, fractions)
            ]
        )
        self.play(LaggedStartMap(FadeIn, words, lag_ratio=0.3), run_time=1.5)
        self.wait(2.5)
"""

COMMON_DENOMINATOR = """
        # Cut every bar into the same number of pieces: the common denominator
        common = math.lcm(*[denominator for _, denominator in fractions])
        scaled = [
            (numerator * common // denominator, common) for numerator, denominator in fractions
        ]
        note = Text(f"Cut both bars into {common} equal pieces", font_size=28, color=HIGHLIGHT)
        note.move_to([0, -1.0, 0])
        self.play(Write(note), run_time=1)
        for index, (numerator, denominator) in enumerate(scaled):
            old_label, old_bar = rows[index]
            new_bar = fraction_bar(numerator, denominator, bar_width, colors[index]).move_to(
                old_bar
            )
            new_label = MathTex(
                fraction_tex(numerator, denominator), font_size=48, color=colors[index]
            )
            new_label.move_to(old_label)
            self.play(
                Transform(old_bar, new_bar), Transform(old_label, new_label), run_time=1.2
            )
        self.play(FadeOut(note), run_time=0.5)
"""

ADD_BODY = """
        # Put the shaded pieces end to end: that is the sum
        total = sum(numerator for numerator, _ in scaled)
        wholes = max(1, math.ceil(total / common))
        width = bar_width if wholes == 1 else 5.0
        result_bars = VGroup(
            *[
                fraction_bar(min(common, total - w * common), common, width, MUTED)
                for w in range(wholes)
            ]
        ).arrange(RIGHT, buff=0.3)
        result_bars.move_to([left_edge, -1.9, 0], aligned_edge=LEFT)
        moving = VGroup(
            *[
                piece
                for (_, bar), (numerator, _) in zip(rows, scaled)
                for piece in bar[:numerator]
            ]
        )
        targets = VGroup(*[piece for bar in result_bars for piece in bar])[: len(moving)]
        self.play(Create(result_bars), run_time=1)
        self.play(
            *[piece.copy().animate.move_to(target) for piece, target in zip(moving, targets)],
            run_time=2,
        )
        divisor = math.gcd(total, common)
        answer = rf"= {fraction_tex(total, common)}"
        if divisor > 1:
            answer += rf" = {fraction_tex(total // divisor, common // divisor)}"
        equation = MathTex(
            fraction_tex(*fractions[0]), "+", fraction_tex(*fractions[1]), answer, font_size=44
        ).move_to([4.8, 0.95, 0])
        if equation.width > 4.3:
            equation.scale_to_fit_width(4.3)
        self.play(Write(equation), run_time=1.5)
        self.wait(2)
"""

SUBTRACT_BODY = """
        # Take the second amount away from the first: those pieces are named, then emptied
        (first, _), (second, _) = scaled
        first_bar = rows[0][1]
        removed = VGroup(*first_bar[first - second : first])
        taken = Text("taken away", font_size=24, color=NEGATIVE).next_to(removed, UP, buff=0.12)
        self.play(removed.animate.set_fill(NEGATIVE, opacity=0.85), FadeIn(taken), run_time=1)
        self.play(removed.animate.set_fill(opacity=0), run_time=1.2)
        difference = first - second
        divisor = math.gcd(difference, common) if difference else common
        answer = rf"= {fraction_tex(difference, common)}"
        if difference and divisor > 1:
            answer += rf" = {fraction_tex(difference // divisor, common // divisor)}"
        equation = MathTex(
            fraction_tex(*fractions[0]), "-", fraction_tex(*fractions[1]), answer, font_size=44
        ).move_to([0, -2.2, 0])
        if equation.width > 10:
            equation.scale_to_fit_width(10)
        self.play(Write(equation), run_time=1.5)
        self.wait(2)
"""

COMPARE_BODY = """
        # With equal pieces, the fraction with more shaded pieces is bigger
        (first, _), (second, _) = scaled
        symbol = ">" if first > second else "<" if first < second else "="
        ends = VGroup(
            *[
                DashedLine(
                    row[1][n - 1].get_right() + UP * 0.45,
                    row[1][n - 1].get_right() + DOWN * 0.45,
                    color=HIGHLIGHT,
                )
                for row, (n, _) in zip(rows, scaled)
                if n > 0
            ]
        )
        self.play(Create(ends), run_time=1)
        verdict = MathTex(
            fraction_tex(*fractions[0]), symbol, fraction_tex(*fractions[1]), font_size=56
        ).move_to([0, -2.2, 0])
        self.play(Write(verdict), run_time=1.5)
        self.wait(2.5)
"""


TITLES = {
    "add": "Adding fractions",
    "subtract": "Subtracting fractions",
    "compare": "Comparing fractions",
    "show": "What a fraction means",
}


def _pairs(params: dict) -> list[tuple[int, int]]:
    """The (numerator, denominator) pairs as the teacher wrote them (not reduced)."""
    return [(int(t.split("/")[0]), int(t.split("/")[1])) for t in params["fractions"]]


def _answer(numerator: int, common: int, *, reduce_zero: bool) -> str:
    """The right-hand side the video writes: "= 5/6", or "= 4/6 = 2/3" when it reduces (the
    sum also "reduces" 0/6 to 0/1; the difference leaves 0/6 as it is)."""
    divisor = math.gcd(numerator, common)
    text = f"= {numerator}/{common}"
    if (numerator or reduce_zero) and divisor > 1:
        text += f" = {numerator // divisor}/{common // divisor}"
    return text


def describe(params: dict) -> list[str]:
    operation = params["operation"]
    pairs = _pairs(params)
    texts = [f"{n}/{d}" for n, d in pairs]
    sentences = [f"The title reads: {TITLES[operation]}."]
    sentences += [
        f"A bar for {n}/{d} appears: {d} equal piece{'s' if d != 1 else ''}, {n} shaded."
        for n, d in pairs
    ]
    if operation == "show":
        return sentences + [
            "Beside each bar a circle is cut into the same pieces, with the same pieces shaded.",
            "Under the bars: " + "; ".join(f"{n} of {d} equal parts" for n, d in pairs) + ".",
        ]
    common = math.lcm(*[d for _, d in pairs])
    scaled = [n * common // d for n, d in pairs]
    sentences += [
        f"A note reads: Cut both bars into {common} equal pieces.",
        f"The bars are recut and relabelled {scaled[0]}/{common} and {scaled[1]}/{common}.",
    ]
    first, second = scaled
    if operation == "add":
        total = first + second
        wholes = max(1, math.ceil(total / common))
        into = "a result bar" if wholes == 1 else f"{wholes} result bars"
        answer = _answer(total, common, reduce_zero=True)
        sentences += [
            f"The shaded pieces move end to end into {into} of {common} pieces: "
            f"{total} piece{'s' if total != 1 else ''} shaded."
            if total
            else f"An empty result bar of {common} pieces appears.",
            f"The equation reads: {texts[0]} + {texts[1]} {answer}.",
        ]
    elif operation == "subtract":
        difference = _answer(first - second, common, reduce_zero=False)
        if second:
            taken = "shaded piece is" if second == 1 else f"{second} shaded pieces are"
            sentences.append(f"In the first bar the last {taken} marked taken away, then emptied.")
        sentences.append(f"The equation reads: {texts[0]} - {texts[1]} {difference}.")
    else:
        ends = [f"{n}/{common}" for n in scaled if n > 0]
        if len(ends) == 2:
            sentences.append("Dashed lines mark where the shading ends on both bars.")
        elif ends:
            sentences.append(f"A dashed line marks where the shading ends on the {ends[0]} bar.")
        symbol = ">" if first > second else "<" if first < second else "="
        sentences.append(f"The comparison reads: {texts[0]} {symbol} {texts[1]}.")
    return sentences


def build(params: dict) -> str:
    operation = params["operation"]
    pairs = _pairs(params)
    if operation == "show":
        body = SHOW_BODY
    else:
        body = (
            COMMON_DENOMINATOR
            + {
                "add": ADD_BODY,
                "subtract": SUBTRACT_BODY,
                "compare": COMPARE_BODY,
            }[operation]
        )
    row_top = 1.6 if operation != "show" or len(pairs) > 1 else 0.6
    return fill(
        SKELETON,
        fit_frame=codegen.fit_frame((-5.3, -2.9, 6.1, 3.7)),
        fractions=literal(pairs),
        title=literal(TITLES[operation]),
        row_top=literal(row_top),
        body=body.rstrip("\n"),
    )


def narration(params: dict) -> list[str]:
    operation = params["operation"]
    pairs = _pairs(params)
    said = [say_fraction(n, d) for n, d in pairs]
    bars = " and ".join(
        f"{say_fraction(n, d)}: {d} equal piece{'s' if d != 1 else ''} with {n} shaded"
        for n, d in pairs
    )
    sentences = [f"{TITLES[operation]}.", f"One bar for each fraction. {bars}."]
    if operation == "show":
        return sentences + ["The same fractions as parts of a circle: the same share is shaded."]
    denominator = math.lcm(*[d for _, d in pairs])
    first, second = (n * denominator // d for n, d in pairs)
    sentences.append(
        f"{PURPOSES[operation]}, cut both bars into {denominator} equal pieces: "
        f"{say_fraction(first, denominator)} and {say_fraction(second, denominator)}."
    )
    if operation == "add":
        total = first + second
        sentences.append(
            f"Put the shaded pieces end to end: {first} plus {second} is {total} pieces, so "
            f"{said[0]} plus {said[1]} is {_said_answer(total, denominator)}."
        )
    elif operation == "subtract":
        difference = first - second
        sentences.append(
            f"Take {second} of the {first} shaded pieces away: {said[0]} minus {said[1]} is "
            f"{_said_answer(difference, denominator)}."
        )
    else:
        relation = (
            "is bigger than"
            if first > second
            else "is smaller than"
            if first < second
            else "equals"
        )
        sentences.append(
            f"With equal pieces, more shaded pieces means bigger: {said[0]} {relation} {said[1]}."
        )
    return sentences


PURPOSES = {"add": "To add them", "subtract": "To take one away", "compare": "To compare them"}


def _said_answer(numerator: int, denominator: int) -> str:
    """The answer read aloud, and its simplest form when it reduces: "4 sixths, or 2 thirds"."""
    divisor = math.gcd(numerator, denominator)
    text = say_fraction(numerator, denominator)
    if numerator and divisor > 1:
        text += f", or {say_fraction(numerator // divisor, denominator // divisor)}"
    return text
