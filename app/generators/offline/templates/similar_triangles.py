"""Two similar triangles: corresponding sides matched by tick marks, the scale factor from a
known pair, and a missing side found with it."""

from __future__ import annotations

import re

from app.generators.offline import codegen, controls
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.extract import NUM, Prompt
from app.generators.offline.templates.common import Spoken

ID = "similar_triangles"
TITLE = "Similar triangles"
SUBJECT = "Math"
EXAMPLE_PROMPT = "Similar triangles with sides 3, 4, 5 and scale factor 2: find the missing side"
DEFAULTS = {"sides": [3.0, 4.0, 5.0], "scale": 2.0, "missing": 2}
VARIANTS = [
    {"sides": [6.0, 8.0, 10.0], "scale": 1.5, "missing": 3},
    {"sides": [5.0, 7.0, 9.0], "scale": 0.5, "missing": 1},
    {"sides": [4.0, 4.0, 6.0], "scale": 3.0, "missing": 2},
]
TRIGGERS = {
    r"\bsimilar triangles?\b|\btriangles? (?:\w+ )?(?:are|is) similar\b": 9,
    r"\bsimilar(?:ity)?\b": 3,
    r"\bscale factor\b": 5,
    r"\benlarge(?:ment|d)?\b": 3,
    r"\bcorresponding sides?\b": 5,
    r"\bmissing side\b|\bunknown side\b": 2,
}
LENGTH = 1000.0
SCALE_LOW, SCALE_HIGH = 0.25, 4.0
CONTROLS = {
    "sides": controls.NumberList("Sides of the first triangle", 0.1, LENGTH, 3, 3),
    "scale": controls.Number("Scale factor", SCALE_LOW, SCALE_HIGH, step=0.25),
    "missing": controls.Number("Unknown side of the second triangle", 1, 3, step=1, integer=True),
}
_SIDE = rf"(?:{NUM}|x|\?)"
_TRIPLE = re.compile(rf"({_SIDE})\s*(?:,|-)\s*({_SIDE})\s*(?:,|-)?\s*(?:and\s+)?({_SIDE})(?![\d.])")
_ORDINAL = {"first": 1, "second": 2, "third": 3}


def bonus(prompt: Prompt) -> int:
    # Two triangles' sides with one unknown: "6, 8, 10 and 9, x, 15"
    triples = [m.groups() for m in _TRIPLE.finditer(prompt.text)]
    unknowns = [sum(s in ("x", "?") for s in t) for t in triples]
    return 4 if 0 in unknowns and 1 in unknowns and prompt.has(r"\btriangles?\b") else 0


def extract(prompt: Prompt) -> dict:
    params: dict = {}
    triples = [m.groups() for m in _TRIPLE.finditer(prompt.text)]
    known = [t for t in triples if all(s not in ("x", "?") for s in t)]
    unknown = [t for t in triples if sum(s in ("x", "?") for s in t) == 1]
    if known:
        params["sides"] = [float(s) for s in known[0]]
    if known and unknown:
        second = unknown[0]
        params["missing"] = next(i + 1 for i, s in enumerate(second) if s in ("x", "?"))
        j = next(i for i, s in enumerate(second) if s not in ("x", "?"))
        first_side = params["sides"][j]
        if first_side:
            params["scale"] = float(second[j]) / first_side
        return params
    scale = prompt.number_after(r"\bscale factor(?: of)?|\benlarge\w*(?: by)?(?: a factor of)?")
    if scale is not None:
        params["scale"] = scale
    elif prompt.has(r"\btwice as (?:big|large|long)\b"):
        params["scale"] = 2.0
    elif prompt.has(r"\bhalf as (?:big|large|long)\b"):
        params["scale"] = 0.5
    ordinal = prompt.search(r"\b(first|second|third) side\b")
    if ordinal:
        params["missing"] = _ORDINAL[ordinal.group(1)]
    return params


def validate(params: dict, notes: list[str]) -> dict:
    sides = checks.number_list(
        params["sides"], "sides", low=0.1, high=LENGTH, min_items=3, max_items=3
    )
    longest = max(sides)
    if longest >= sum(sides) - longest:
        raise checks.fail(
            "These three sides cannot make a triangle: the longest must be shorter than the "
            "other two together."
        )
    if longest / min(sides) > 6:
        raise checks.fail("Keep the longest side at most 6 times the shortest so it draws clearly.")
    params["sides"] = sides
    params["scale"] = checks.number(params["scale"], "scale", low=SCALE_LOW, high=SCALE_HIGH)
    if params["scale"] == 1:
        raise checks.fail("A scale factor of 1 gives the same triangle twice; choose another.")
    params["missing"] = checks.integer(params["missing"], "missing", low=1, high=3)
    return params


SKELETON = r"""from manim import *
import math
import numpy as np

sides = <<sides>>  # the first triangle's sides, in order round it
k = <<scale>>  # the scale factor: each side of the second triangle is k times its partner
missing = <<missing>>  # which side of the second triangle is unknown: 1, 2 or 3


def fmt(value):
    # 8.0 -> "8", 5.3333 -> "5.33" for labels
    return f"{value:.2f}".rstrip("0").rstrip(".")


def corners(lengths, size):
    # The corners of a triangle with these side lengths (side i joins corner i to corner i + 1)
    s0, s1, s2 = (length * size for length in lengths)
    x = (s0**2 + s2**2 - s1**2) / (2 * s0)
    y = math.sqrt(max(s2**2 - x**2, 0))
    return [np.array([0.0, 0.0, 0.0]), np.array([s0, 0.0, 0.0]), np.array([x, y, 0.0])]


def side_marks(points, index, color):
    # index + 1 short ticks across the middle of a side: the same count on partner sides
    start, end = points[index], points[(index + 1) % 3]
    along = (end - start) / np.linalg.norm(end - start)
    across = np.array([-along[1], along[0], 0.0])
    middle = (start + end) / 2
    return VGroup(
        *[
            Line(
                middle + (j - index / 2) * 0.14 * along - 0.15 * across,
                middle + (j - index / 2) * 0.14 * along + 0.15 * across,
                color=color,
                stroke_width=5,
            )
            for j in range(index + 1)
        ]
    )


def side_label(points, index, text):
    # A label just outside the middle of a side
    start, end = points[index], points[(index + 1) % 3]
    middle = (start + end) / 2
    outward = middle - sum(points) / 3
    label = MathTex(text, font_size=32)
    label.move_to(middle + outward / np.linalg.norm(outward) * 0.45)
    return label


second = [k * side for side in sides]
known = next(i for i in range(3) if i != missing - 1)  # a pair of sides both triangles show


class SimilarTriangles(Scene):
    def construct(self):
<<fit_frame>>
        # Title
        title = Text("Similar triangles", font_size=40)
        fit_title(self, title).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # One screen scale for both, so the second really is k times the first
        first_corners = corners(sides, 1)
        second_corners = corners(second, 1)
        width = max(p[0] for p in first_corners) - min(p[0] for p in first_corners)
        height = max(p[1] for p in second_corners + first_corners)
        size = min(7.6 / (width * (1 + k)), 4.6 / height)
        first_corners = corners(sides, size)
        second_corners = corners(second, size)
        small = Polygon(*first_corners, color=TEXT, stroke_width=4)
        big = Polygon(*second_corners, color=TEXT, stroke_width=4)
        VGroup(small, big).arrange(RIGHT, buff=1.4, aligned_edge=DOWN).move_to([-2.1, -0.6, 0])
        put(VGroup(small, big), figure)
        first_corners = small.get_vertices()
        second_corners = big.get_vertices()
        colors = [ACCENT, SECONDARY, TERTIARY]

        # The first triangle with its sides
        first_labels = VGroup(
            *[side_label(first_corners, i, fmt(side)) for i, side in enumerate(sides)]
        )
        self.play(Create(small), run_time=1)
        self.play(Write(first_labels), run_time=1)

        # The second triangle: the same shape, every side k times as long; one side unknown
        second_labels = VGroup(
            *[
                side_label(second_corners, i, "?" if i == missing - 1 else fmt(side))
                for i, side in enumerate(second)
            ]
        )
        self.play(Create(big), run_time=1)
        self.play(Write(second_labels), run_time=1)

        # Corresponding sides: the same number of ticks on each pair
        for i in range(3):
            self.play(
                Create(side_marks(first_corners, i, colors[i])),
                Create(side_marks(second_corners, i, colors[i])),
                run_time=0.7,
            )

        # The scale factor from a known pair, then the missing side
        ratio = MathTex(
            rf"k = {fmt(second[known])} \div {fmt(sides[known])} = {fmt(k)}", font_size=36
        )
        answer = MathTex(
            rf"? = {fmt(sides[missing - 1])} \times {fmt(k)} = {fmt(second[missing - 1])}",
            font_size=36,
            color=HIGHLIGHT,
        )
        working = VGroup(
            Text("scale factor", font_size=26), ratio, Text("missing side", font_size=26), answer
        ).arrange(DOWN, buff=0.3)
        if working.width > 3.6:
            working.scale_to_fit_width(3.6)
        put(working, panel, 5.0, -0.3)
        self.play(FadeIn(working[0]), Write(ratio), run_time=1.2)
        self.play(FadeIn(working[2]), Write(answer), run_time=1.2)
        found = side_label(second_corners, missing - 1, fmt(second[missing - 1]))
        found.set_color(HIGHLIGHT)
        self.play(Transform(second_labels[missing - 1], found), run_time=1)
        self.play(Create(SurroundingRectangle(answer, color=HIGHLIGHT)), run_time=0.8)
        self.wait(2)
"""


def fmt(value: float) -> str:
    """The video's fmt: 8.0 → "8", 5.3333 → "5.33"."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def describe(params: dict) -> list[str]:
    sides = [float(codegen.number_literal(s)) for s in params["sides"]]
    k = float(codegen.number_literal(params["scale"]))
    missing = int(params["missing"]) - 1
    second = [k * s for s in sides]
    known = next(i for i in range(3) if i != missing)
    shown = [("?" if i == missing else fmt(s)) for i, s in enumerate(second)]
    ticks = ["one tick", "two ticks", "three ticks"]
    pairs = "; ".join(
        f"{ticks[i]} on {fmt(sides[i])} and on {shown[i] if i != missing else 'the unknown side'}"
        for i in range(3)
    )
    return [
        "The title reads: Similar triangles.",
        f"The first triangle is drawn with sides {fmt(sides[0])}, {fmt(sides[1])} and "
        f"{fmt(sides[2])}.",
        f"The second triangle, the same shape {'larger' if k > 1 else 'smaller'}, is drawn "
        f"beside it with sides {shown[0]}, {shown[1]} and {shown[2]}.",
        f"Corresponding sides are matched by tick marks: {pairs}.",
        f"The scale factor: k = {fmt(second[known])} ÷ {fmt(sides[known])} = {fmt(k)}.",
        f"The missing side: {fmt(sides[missing])} × {fmt(k)} = {fmt(second[missing])}, which "
        "replaces the question mark and is boxed.",
    ]


def build(params: dict) -> str:
    return fill(
        SKELETON,
        fit_frame=codegen.arrange_parts(
            {"figure": (-6.9, -3.4, 2.7, 2.1), "panel": (3.1, -1.7, 6.9, 1.1)}
        ),
        sides=literal([float(codegen.number_literal(s)) for s in params["sides"]]),
        scale=codegen.number_literal(params["scale"]),
        missing=literal(int(params["missing"])),
    )


def narration(params: dict) -> list[str | Spoken]:
    # The values are worked out in the scene from its input lines, like everything it shows
    return [
        "Similar triangles.",
        Spoken(
            (
                'f"The first triangle has sides {fmt(sides[0])}, {fmt(sides[1])} and "',
                'f"{fmt(sides[2])}."',
            )
        ),
        Spoken(
            (
                'f"The second is the same shape, every side {fmt(k)} times as long, with one "',
                '"side "',
                '"unknown."',
            )
        ),
        "Matching tick marks show which sides correspond.",
        Spoken(
            (
                'f"The scale factor is {fmt(second[known])} divided by {fmt(sides[known])}, "',
                'f"which is {fmt(k)}. So the missing side is {fmt(sides[missing - 1])} times "',
                'f"{fmt(k)}: "',
                'f"{fmt(second[missing - 1])}."',
            )
        ),
    ]
