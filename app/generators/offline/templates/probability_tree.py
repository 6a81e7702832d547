"""Probability trees: two stages, two outcomes each, the probability on every branch (the
second stage may depend on the first), each outcome's probability the product along its path,
and the four products adding up to 1."""

from __future__ import annotations

import re
from fractions import Fraction

from app.generators.offline import codegen, controls
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.extract import Prompt
from app.generators.offline.templates import common
from app.generators.offline.templates.common import Spoken

ID = "probability_tree"
TITLE = "Probability trees"
SUBJECT = "Math"
EXAMPLE_PROMPT = "Probability tree: P(rain) = 0.3; if it rains P(late) = 0.6, otherwise 0.2"
DEFAULTS = {
    "first": ["Rain", "No rain"],
    "p_first": 0.3,
    "second": ["Late", "On time"],
    "p_second": [0.6, 0.2],
}
VARIANTS = [
    {
        "first": ["Toffee", "Mint"],
        "p_first": 0.6,
        "second": ["Toffee", "Mint"],
        "p_second": [0.5, 0.75],
    },
    {
        "first": ["Heads", "Tails"],
        "p_first": 0.5,
        "second": ["Heads", "Tails"],
        "p_second": [0.5, 0.5],
    },
    {"first": ["Pass", "Fail"], "p_first": 0.8, "second": ["Pass", "Fail"], "p_second": [0.9, 0.4]},
]
TRIGGERS = {
    r"\bprobability trees?\b|\btree diagrams?\b": 10,
    r"\btree\b": 3,
    r"\bwithout replacement\b|\bwith replacement\b": 6,
    r"\bindependent events?\b|\bdependent events?\b|\bconditional probabilit\w*\b": 5,
    r"\bp\s*\(\s*[a-z][^)]*\)\s*=": 3,
    r"\bprobabilit\w*\b": 2,
    r"\btwo (?:stages|events|picks|draws)\b|\bbranch\w*\b": 3,
}
MAX_LABEL = 16
CONTROLS = {
    "first": controls.TextList("First stage: the two outcomes", MAX_LABEL, 2, 2),
    "p_first": controls.Number("Probability of the first outcome", 0.01, 0.99),
    "second": controls.TextList("Second stage: the two outcomes", MAX_LABEL, 2, 2),
    "p_second": controls.NumberList(
        "Probability of the second stage's first outcome after each first-stage outcome",
        0.01,
        0.99,
        2,
        2,
    ),
}
_PROB = r"(\d+\s*/\s*\d+|\d*\.\d+|\d+(?:\.\d+)?\s*%)"
_NAME = r"([a-z][a-z ]{0,30}?)"
_PAIRS = [
    rf"\bp\s*\(\s*{_NAME}\s*(?:(?:\||given|,)[^)]*)?\)\s*(?:=|is)\s*{_PROB}",
    rf"\bprobability (?:of |that )?(?:a |an |the |it |being |getting )*{_NAME}"
    rf"(?:\s+(?:given|if|when)\s+[a-z ]+?)?\s*(?:is|=|of)\s*{_PROB}",
    rf"\b{_PROB}\s*(?:chance|probability) (?:of|that) (?:a |an |it |being |getting )*{_NAME}\b",
]
_STOP = re.compile(r"\b(?:is|=|of|the|a|an)$")


def _probability(text: str) -> float:
    text = text.replace(" ", "")
    if text.endswith("%"):
        return float(text[:-1]) / 100
    return float(Fraction(text)) if "/" in text else float(text)


def _label(name: str) -> str:
    name = _STOP.sub("", name.strip()).strip()
    return name[:1].upper() + name[1:]


def _not(label: str) -> str:
    return f"Not {label.lower()}"[:MAX_LABEL]


def extract(prompt: Prompt) -> dict:
    text = prompt.text
    bag = re.search(
        r"\b(\d+) ([a-z]+) (?:\w+ )?and (\d+) ([a-z]+)\b",
        text,
    )
    if bag and prompt.has(r"\b(?:bag|box|jar|picked|pick|draw\w*|taken|chosen|replacement)\b"):
        a, b = int(bag.group(1)), int(bag.group(3))
        if a + b >= 2 and a and b:
            first = [_label(bag.group(2)), _label(bag.group(4))]
            if prompt.has(r"\bwithout replacement\b|\bnot replaced\b"):
                after = [(a - 1) / (a + b - 1), a / (a + b - 1)]
            else:
                after = [a / (a + b), a / (a + b)]
            return {"first": first, "p_first": a / (a + b), "second": first, "p_second": after}
    if prompt.has(r"\bcoins?\b") and not prompt.has(r"\bp\s*\(|\bprobability of"):
        return {"first": ["Heads", "Tails"], "p_first": 0.5, "second": ["Heads", "Tails"],
                "p_second": [0.5, 0.5]}  # fmt: skip
    found = sorted(
        (m for pattern in _PAIRS for m in re.finditer(pattern, text)), key=lambda m: m.start()
    )
    pairs: list[tuple[int, str, float]] = []
    for match in found:
        name, value = (
            (match.group(1), match.group(2))
            if not match.group(1)[0].isdigit()
            else (match.group(2), match.group(1))
        )
        if not any(pair[0] == match.start() for pair in pairs):
            pairs.append((match.start(), _label(name), _probability(value)))
    otherwise = re.search(rf"\b(?:otherwise|if not|else)\b[^.;0-9]*?{_PROB}", text)
    params: dict = {}
    if pairs:
        params["first"] = [pairs[0][1], _not(pairs[0][1])]
        params["p_first"] = pairs[0][2]
    if len(pairs) >= 2:
        params["second"] = [pairs[1][1], _not(pairs[1][1])]
        if len(pairs) >= 3:
            params["p_second"] = [pairs[1][2], pairs[2][2]]
        elif otherwise:
            params["p_second"] = [pairs[1][2], _probability(otherwise.group(1))]
        else:  # independent: the same chance after either first outcome
            params["p_second"] = [pairs[1][2], pairs[1][2]]
    return params


def validate(params: dict, notes: list[str]) -> dict:
    for key in ("first", "second"):
        params[key] = checks.text_list(
            params[key], key, max_length=MAX_LABEL, min_items=2, max_items=2
        )
    params["p_first"] = checks.number(params["p_first"], "p_first", low=0.01, high=0.99)
    params["p_second"] = checks.number_list(
        params["p_second"], "p_second", low=0.01, high=0.99, min_items=2, max_items=2
    )
    return params


SKELETON = r"""from manim import *
from fractions import Fraction
import numpy as np

first = <<first>>  # the first stage's two outcomes
p_first = <<p_first>>  # the probability of first[0]; first[1] has the rest
second = <<second>>  # the second stage's two outcomes
p_second = <<p_second>>  # the probability of second[0] after first[0], and after first[1]


def exact(p):
    # A probability as a fraction: 0.3 -> 3/10, 0.3333333 -> 1/3
    return Fraction(p).limit_denominator(1000)


def tex(p):
    # As typed: decimals when every input is one with at most 2 places, else fractions
    if decimals or p.denominator == 1:
        return f"{float(p):.4f}".rstrip("0").rstrip(".")
    return rf"\tfrac{{{p.numerator}}}{{{p.denominator}}}"


def say(p):
    # A probability read aloud: 0.18, or 3 over 10
    if decimals or p.denominator == 1:
        return f"{float(p):.4f}".rstrip("0").rstrip(".")
    return f"{p.numerator} over {p.denominator}"


<<arrange>>


decimals = all(abs(p * 100 - round(p * 100)) < 1e-9 for p in [p_first, *p_second])
# The branches: the first stage, then the second after each first outcome
stage_one = [exact(p_first), 1 - exact(p_first)]
stage_two = [[exact(p), 1 - exact(p)] for p in p_second]
# Each outcome: the product of the probabilities along its path
outcomes = [
    (first[i], second[j], stage_one[i], stage_two[i][j], stage_one[i] * stage_two[i][j])
    for i in range(2)
    for j in range(2)
]
total = sum(outcome[4] for outcome in outcomes)


class ProbabilityTree(Scene):
    def construct(self):
        # The parts: the title, the tree with each outcome's product, and the rule beside it
        title = Text("Probability trees", font_size=40)
        root = Dot([0, 0, 0], color=TEXT)
        middles = [np.array([3.0, 1.7 - 3.4 * i, 0.0]) for i in range(2)]
        ends = [
            np.array([6.4, middles[i][1] + 0.85 - 1.7 * j, 0.0]) for i in range(2) for j in range(2)
        ]
        branches_one = VGroup(*[Line(root.get_center(), m, color=ACCENT) for m in middles])
        names_one = VGroup(
            *[Text(first[i], font_size=26).next_to(middles[i], RIGHT, buff=0.1) for i in range(2)]
        )
        probs_one = VGroup(
            *[
                MathTex(tex(stage_one[i]), font_size=34, color=ACCENT).next_to(
                    branches_one[i].get_center(), UP if i == 0 else DOWN, buff=0.15
                )
                for i in range(2)
            ]
        )
        branches_two = VGroup(
            *[
                Line(names_one[k // 2].get_right() + RIGHT * 0.1, ends[k], color=SECONDARY)
                for k in range(4)
            ]
        )
        names_two = VGroup(
            *[
                Text(second[k % 2], font_size=26).next_to(ends[k], RIGHT, buff=0.1)
                for k in range(4)
            ]
        )
        probs_two = VGroup(
            *[
                MathTex(tex(stage_two[k // 2][k % 2]), font_size=32, color=SECONDARY).next_to(
                    branches_two[k].get_center(), UP if k % 2 == 0 else DOWN, buff=0.08
                )
                for k in range(4)
            ]
        )
        products = VGroup(
            *[
                MathTex(
                    rf"{tex(o[2])} \times {tex(o[3])} = {tex(o[4])}", font_size=30
                ).next_to(names_two[k], RIGHT, buff=0.5)
                for k, o in enumerate(outcomes)
            ]
        )
        # The products in one column, left-aligned just past the longest outcome name
        column = max(name.get_right()[0] for name in names_two) + 0.5
        for product in products:
            product.set_x(column + product.width / 2)
        tree = VGroup(
            root, branches_one, names_one, probs_one, branches_two, names_two, probs_two, products
        )
        rule = Text("Multiply along\nthe branches", font_size=28, line_spacing=1.2)
        check = MathTex(
            " + ".join(tex(o[4]) for o in outcomes) + f" = {tex(total)}", font_size=30
        )
        check_words = Text("All four add up to 1", font_size=24, color=POSITIVE)
        panel = VGroup(rule, check, check_words).arrange(DOWN, buff=0.5)
        if panel.width > 4.2:
            panel.scale_to_fit_width(4.2)

        # Layout: the title on top, the tree and the rule side by side
        arrange_scene(self, title, [tree, panel])

        # Title
        self.play(Write(title), run_time=1)

        # The first stage: two branches with their probabilities
        self.play(FadeIn(root), Create(branches_one), run_time=1)
        self.play(Write(names_one), Write(probs_one), run_time=1.2)

        # The second stage after each first outcome
        self.play(Create(branches_two), run_time=1)
        self.play(Write(names_two), Write(probs_two), run_time=1.5)

        # Each outcome: multiply along its path
        self.play(Write(rule), run_time=1)
        for product in products:
            self.play(Write(product), run_time=0.8)

        # The four outcomes cover everything: they add up to 1
        self.play(Write(check), FadeIn(check_words), run_time=1.2)
        self.play(Create(SurroundingRectangle(check, color=HIGHLIGHT)), run_time=0.8)
        self.wait(2)
"""


def exact(p: float) -> Fraction:
    """The video's exact(): 0.3 → 3/10."""
    return Fraction(p).limit_denominator(1000)


def shown(p: Fraction, decimals: bool) -> str:
    """How the video writes a probability, in words for the description."""
    if decimals or p.denominator == 1:
        return f"{float(p):.4f}".rstrip("0").rstrip(".")
    return f"{p.numerator}/{p.denominator}"


def _values(params: dict) -> tuple[bool, list[Fraction], list[list[Fraction]]]:
    p_first = float(codegen.number_literal(params["p_first"]))
    p_second = [float(codegen.number_literal(p)) for p in params["p_second"]]
    decimals = all(abs(p * 100 - round(p * 100)) < 1e-9 for p in [p_first, *p_second])
    one = [exact(p_first), 1 - exact(p_first)]
    two = [[exact(p), 1 - exact(p)] for p in p_second]
    return decimals, one, two


def describe(params: dict) -> list[str]:
    first, second = params["first"], params["second"]
    decimals, one, two = _values(params)
    products = [
        f"{first[i]} then {second[j]}: {shown(one[i], decimals)} × {shown(two[i][j], decimals)}"
        f" = {shown(one[i] * two[i][j], decimals)}"
        for i in range(2)
        for j in range(2)
    ]
    total = sum((one[i] * two[i][j] for i in range(2) for j in range(2)), Fraction(0))
    return [
        "The title reads: Probability trees.",
        f"Two branches leave the start: {first[0]} with probability {shown(one[0], decimals)} "
        f"and {first[1]} with probability {shown(one[1], decimals)}.",
        f"After {first[0]}, {second[0]} has probability {shown(two[0][0], decimals)} and "
        f"{second[1]} {shown(two[0][1], decimals)}; after {first[1]}, {second[0]} has "
        f"{shown(two[1][0], decimals)} and {second[1]} {shown(two[1][1], decimals)}.",
        "Multiply along the branches: " + "; ".join(products) + ".",
        "The four products add up to "
        + " + ".join(shown(one[i] * two[i][j], decimals) for i in range(2) for j in range(2))
        + f" = {shown(total, decimals)}, boxed.",
    ]


def build(params: dict) -> str:
    return fill(
        SKELETON,
        arrange=common.ARRANGE,
        first=literal(params["first"]),
        p_first=codegen.number_literal(params["p_first"]),
        second=literal(params["second"]),
        p_second=literal([float(codegen.number_literal(p)) for p in params["p_second"]]),
    )


def narration(params: dict) -> list[str | Spoken]:
    # The values are worked out in the scene from its input lines, like everything it shows
    return [
        "Probability trees.",
        Spoken(
            (
                'f"First, {first[0]} has probability {say(stage_one[0])}, and {first[1]} "',
                'f"has {say(stage_one[1])}."',
            )
        ),
        Spoken(
            (
                'f"Then {second[0]} has probability {say(stage_two[0][0])} after {first[0]}, "',
                'f"and {say(stage_two[1][0])} after {first[1]}."',
            )
        ),
        Spoken(
            (
                'f"Multiply along each path: {first[0]} then {second[0]} is "',
                'f"{say(stage_one[0])} times {say(stage_two[0][0])}, which is "',
                'f"{say(outcomes[0][4])}."',
            )
        ),
        Spoken(('f"The four outcomes add up to {say(total)}."',)),
    ]
