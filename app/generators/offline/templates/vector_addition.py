"""Adding vectors tip to tail on a grid, with the resultant and its components."""

from __future__ import annotations

import math
import re

import numpy as np

from app.generators.offline import codegen
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.controls import Vectors
from app.generators.offline.extract import NUM, Prompt
from app.generators.offline.templates import common

ID = "vector_addition"
TITLE = "Adding vectors tip to tail"
SUBJECT = "Math"
EXAMPLE_PROMPT = "Add the vectors (3, 1) and (1, 2) tip to tail"
DEFAULTS = {"vectors": [[3.0, 1.0], [1.0, 2.0]]}
VARIANTS = [
    {"vectors": [[2.0, 3.0], [3.0, -1.0], [-1.0, -3.0]]},
    {"vectors": [[-4.0, 2.0], [6.0, 1.0]]},
]
TRIGGERS = {
    r"\bvectors?\b": 5,
    r"\btip[- ]to[- ]tail\b|\bhead[- ]to[- ]tail\b": 5,
    r"\bresultant\b": 4,
    r"\bparallelogram (?:rule|law|method)\b": 4,
    r"\bdisplacements?\b": 2,
    r"\badd(?:ing|ition)?\b": 1,
}
LIMIT = 10
_PAIR = re.compile(rf"[(\[<⟨]\s*({NUM})\s*[,;]\s*({NUM})\s*[)\]>⟩]")
_IJ = re.compile(rf"({NUM})\s*\*?\s*i\s*([-+])\s*({NUM})\s*\*?\s*j\b")


def extract(prompt: Prompt) -> dict:
    pairs = [[float(x), float(y)] for x, y in _PAIR.findall(prompt.text)]
    if not pairs:
        pairs = [
            [float(x), float(y) * (-1 if sign == "-" else 1)]
            for x, sign, y in _IJ.findall(prompt.text)
        ]
    return {"vectors": pairs[:3]} if pairs else {}


CONTROLS = {
    "vectors": Vectors("Vectors (x, y)", -LIMIT, LIMIT, min_items=2, max_items=3),
}


def validate(params: dict, notes: list[str]) -> dict:
    vectors = params["vectors"]
    if not isinstance(vectors, list) or not 2 <= len(vectors) <= 3:
        raise checks.fail("'vectors' needs 2 or 3 vectors, like [[3, 1], [1, 2]].")
    clean = []
    for vector in vectors:
        if not isinstance(vector, (list, tuple)) or len(vector) != 2:
            raise checks.fail("Each vector needs two components, like [3, 1].")
        x = checks.number(vector[0], "vectors", low=-LIMIT, high=LIMIT)
        y = checks.number(vector[1], "vectors", low=-LIMIT, high=LIMIT)
        if x == 0 and y == 0:
            raise checks.fail("A zero vector has no arrow to draw; give each vector a length.")
        clean.append([x, y])
    params["vectors"] = clean
    return params


SKELETON = """\
from manim import *
import numpy as np


def fmt(value):
    # 3.0 -> "3", -1.5 -> "-1.5"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def paren(value):
    # Negative numbers in brackets when squared: (-1)^2
    return f"({fmt(value)})" if value < 0 else fmt(value)


class VectorAddition(Scene):
    def construct(self):
<<fit_frame>>
        vectors = <<vectors>>
        names = ["u", "v", "w"]
        colors = [ACCENT, SECONDARY, TERTIARY]

        # Title
        title = Text("Adding vectors tip to tail", font_size=40)
        fit_title(self, title).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # A grid big enough for every arrow (its size was chosen to fit them all)
        plane = NumberPlane(
            x_range=<<x_range>>,
            y_range=<<y_range>>,
            x_length=<<x_length>>,
            y_length=<<y_length>>,
            background_line_style={"stroke_color": MUTED, "stroke_opacity": 0.4},
        ).move_to([<<plane_x>>, -0.45, 0])
        put(plane, grid_area)
        plane.add_coordinates(font_size=20)
        self.play(Create(plane), run_time=1.5)

        # Each vector drawn from the origin with its name beside it, its components on the right
        arrows = VGroup()
        panel = VGroup()
        for (x, y), name, color in zip(vectors, names, colors):
            arrow = Arrow(plane.c2p(0, 0), plane.c2p(x, y), buff=0, color=color)
            side = normalize(np.array([-y, x, 0.0]))  # to the left of the arrow
            label = MathTex(rf"\\vec{{{name}}}", color=color, font_size=32)
            label.move_to(arrow.get_center() + 0.3 * side)
            entry = MathTex(
                rf"\\vec{{{name}}} = ({fmt(x)}, {fmt(y)})", color=color, font_size=38
            )
            arrows.add(VGroup(arrow, label))
            panel.add(entry)
        panel.arrange(DOWN, aligned_edge=LEFT, buff=0.35).move_to(
            [2.6, 1.6, 0], aligned_edge=UL
        )
        put(panel, text_area)
        for (arrow, label), entry in zip(arrows, panel):
            self.play(GrowArrow(arrow), FadeIn(label), Write(entry), run_time=1)

        # Tip to tail: slide each arrow so it starts where the previous one ends
        tail = np.array([0.0, 0.0])
        for index in range(1, len(vectors)):
            tail = tail + np.array(vectors[index - 1])
            self.play(
                arrows[index].animate.shift(plane.c2p(*tail) - plane.c2p(0, 0)), run_time=1.3
            )
        self.wait(0.3)

        # The resultant goes straight from the start to the final tip
        total = np.sum(vectors, axis=0)
        resultant = Arrow(
            plane.c2p(0, 0), plane.c2p(*total), buff=0, color=HIGHLIGHT, stroke_width=7
        )
        sum_name = " + ".join(rf"\\vec{{{n}}}" for n in names[: len(vectors)])
        result_entry = MathTex(
            rf"{sum_name} = ({fmt(total[0])}, {fmt(total[1])})", color=HIGHLIGHT, font_size=38
        )
        if result_entry.width > 4.3:
            result_entry.scale_to_fit_width(4.3)
        scaled(result_entry, text_area).next_to(panel, DOWN, buff=0.5, aligned_edge=LEFT)
        self.play(GrowArrow(resultant), run_time=1.3)
        self.play(Write(result_entry), run_time=1.2)

        # Its length, by Pythagoras
        length = MathTex(
            rf"\\text{{length}} = \\sqrt{{{paren(total[0])}^2 + {paren(total[1])}^2}} "
            rf"\\approx {fmt(np.hypot(*total))}",
            font_size=32,
        )
        if length.width > 4.3:
            length.scale_to_fit_width(4.3)
        scaled(length, text_area).next_to(result_entry, DOWN, buff=0.4, aligned_edge=LEFT)
        self.play(Write(length), run_time=1.2)
        self.wait(2)
"""


def _grid(vectors: list[list[float]]) -> dict:
    x_low, x_high, y_low, y_high, step, unit = _bounds(vectors)
    width = unit * (x_high - x_low)
    return {
        "x_range": literal([x_low, x_high, step]),
        "y_range": literal([y_low, y_high, step]),
        "x_length": literal(round(width, 3)),
        "y_length": literal(round(unit * (y_high - y_low), 3)),
        "plane_x": literal(-2.3),
    }


def _bounds(vectors: list[list[float]]) -> tuple[int, int, int, int, int, float]:
    """The grid's x and y ends and its step (1 or 2), and the screen size of one unit."""
    points = [[0.0, 0.0]]
    for vector in vectors:
        points.append(vector)
    running = [0.0, 0.0]
    for vector in vectors:
        running = [running[0] + vector[0], running[1] + vector[1]]
        points.append(running)
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x_low, x_high = math.floor(min(xs)) - 1, math.ceil(max(xs)) + 1
    y_low, y_high = math.floor(min(ys)) - 1, math.ceil(max(ys)) + 1
    unit = min(8.4 / (x_high - x_low), 6.2 / (y_high - y_low), 1.2)
    step = 1 if unit >= 0.45 else 2
    if step == 2:
        x_low, x_high = 2 * math.floor(x_low / 2), 2 * math.ceil(x_high / 2)
        y_low, y_high = 2 * math.floor(y_low / 2), 2 * math.ceil(y_high / 2)
        unit = min(8.4 / (x_high - x_low), 6.2 / (y_high - y_low))
    return x_low, x_high, y_low, y_high, step, unit


NAMES = ["u", "v", "w"]  # the video's names


def fmt(value: float) -> str:
    """What the video's fmt(value) shows: 3.0 → "3", -1.5 → "-1.5"."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def paren(value: float) -> str:
    return f"({fmt(value)})" if value < 0 else fmt(value)


def describe(params: dict) -> list[str]:
    vectors = [[float(literal(float(c))) for c in vector] for vector in params["vectors"]]
    x_low, x_high, y_low, y_high, step, _ = _bounds(vectors)
    names = NAMES[: len(vectors)]
    sentences = [
        "The title reads: Adding vectors tip to tail.",
        f"A grid appears with x from {x_low} to {x_high} and y from {y_low} to {y_high}, "
        f"numbered every {step}.",
    ]
    sentences += [
        f"Vector {name} = ({fmt(x)}, {fmt(y)}) is drawn as an arrow from the origin."
        for name, (x, y) in zip(names, vectors, strict=True)
    ]
    tail = np.array([0.0, 0.0])
    for index in range(1, len(vectors)):
        tail = tail + np.array(vectors[index - 1])
        sentences.append(
            f"Tip to tail: {names[index]} slides to start at the tip of {names[index - 1]}, "
            f"({fmt(tail[0])}, {fmt(tail[1])})."
        )
    total = np.sum(vectors, axis=0)
    sentences += [
        f"The resultant {' + '.join(names)} = ({fmt(total[0])}, {fmt(total[1])}) is drawn "
        "from the origin to the last tip.",
        f"Its length, by Pythagoras: √({paren(total[0])}² + {paren(total[1])}²) ≈ "
        f"{fmt(np.hypot(*total))}.",
    ]
    return sentences


def build(params: dict) -> str:
    vectors = [[float(x), float(y)] for x, y in params["vectors"]]
    x_low, x_high, y_low, y_high, _, unit = _bounds(vectors)
    half_width, half_height = unit * (x_high - x_low) / 2, unit * (y_high - y_low) / 2
    left, bottom, right, top = (
        round(v, 3)
        for v in (-2.4 - half_width, -0.55 - half_height, -2.2 + half_width, -0.35 + half_height)
    )
    return fill(
        SKELETON,
        fit_frame=codegen.arrange_parts(
            {
                "grid_area": (left, bottom, right, top),
                "text_area": (2.5, -2.2, 6.9, 1.7),
            }
        ),
        vectors=literal(vectors),
        **_grid(vectors),
    )


def narration(params: dict) -> list[str]:
    vectors = [[float(literal(float(c))) for c in vector] for vector in params["vectors"]]
    names = NAMES[: len(vectors)]
    total = np.sum(vectors, axis=0)
    drawn = common.say_list(
        [f"{name} is {fmt(x)}, {fmt(y)}" for name, (x, y) in zip(names, vectors, strict=True)]
    )
    return [
        "Adding vectors, tip to tail.",
        "Here is a grid, with the origin where the axes cross.",
        f"Each vector starts at the origin: {drawn}.",
        "Now slide each arrow so it starts where the one before it ends: tip to tail.",
        f"The resultant, {' plus '.join(names)}, goes straight from the start to the last tip: "
        f"{fmt(total[0])}, {fmt(total[1])}.",
        f"Its length, by Pythagoras, is the square root of {paren(total[0])} squared plus "
        f"{paren(total[1])} squared, about {fmt(np.hypot(*total))}.",
    ]
