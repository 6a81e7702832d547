"""One shape morphing smoothly into another, with names and side counts."""

from __future__ import annotations

import re

from app.generators.offline import codegen
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.controls import Choice
from app.generators.offline.extract import Prompt

ID = "shape_transform"
TITLE = "Shape morph"
SUBJECT = "General"
EXAMPLE_PROMPT = "Turn a square into a circle"
DEFAULTS = {"from_shape": "square", "to_shape": "circle"}
VARIANTS = [
    {"from_shape": "triangle", "to_shape": "star"},
    {"from_shape": "hexagon", "to_shape": "rectangle"},
]
TRIGGERS = {
    # The verbs alone are weak ("a bill becomes law"); with a shape word they add up.
    r"\bmorph\w*\b|\btransform\w*\b|\bturn\w*\b.*\binto\b|\bchang\w*\b.*\binto\b|\bbecom\w*\b": 1,
    r"\b(?:square|circle|triangle|rectangle|pentagon|hexagon|octagon|star|ellipse|rhombus"
    r"|diamond)s?\b": 2,
    r"\bshapes?\b": 2,
}

# name: (Manim constructor, number of sides as a teacher would say it)
SHAPES = {
    "circle": ("Circle(radius=1.6)", "no corners: one curved side"),
    "ellipse": ("Ellipse(width=4.0, height=2.4)", "no corners: one curved side"),
    "square": ("Square(side_length=3.0)", "4 equal sides"),
    "rectangle": ("Rectangle(width=4.2, height=2.4)", "4 sides, opposite sides equal"),
    "rhombus": ("Polygon(UP * 1.7, RIGHT * 1.2, DOWN * 1.7, LEFT * 1.2)", "4 equal sides, tilted"),
    "triangle": ("Triangle().scale(1.9)", "3 sides"),
    "pentagon": ("RegularPolygon(n=5).scale(1.7)", "5 sides"),
    "hexagon": ("RegularPolygon(n=6).scale(1.7)", "6 sides"),
    "octagon": ("RegularPolygon(n=8).scale(1.7)", "8 sides"),
    "star": ("Star(n=5, outer_radius=1.8, inner_radius=0.75)", "10 sides, 5 points"),
}
ALIASES = {"diamond": "rhombus", "oval": "ellipse", "quadrilateral": "rectangle", "stars": "star"}
_SHAPE_WORD = re.compile(r"\b(" + "|".join([*SHAPES, *ALIASES]) + r")s?\b")


def bonus(prompt: Prompt) -> int:
    shapes = {ALIASES.get(m, m) for m in _SHAPE_WORD.findall(prompt.text)}
    return 3 if len(shapes) >= 2 and prompt.has(r"\binto\b|\bto (?:a|an)\b|\bbecom|→|->") else 0


def extract(prompt: Prompt) -> dict:
    found = [ALIASES.get(m, m) for m in _SHAPE_WORD.findall(prompt.text)]
    params: dict = {}
    if found:
        params["from_shape"] = found[0]
    if len(found) >= 2:
        params["to_shape"] = found[1]
    elif found:
        params["to_shape"] = "circle" if found[0] != "circle" else "square"
    return params


CONTROLS = {
    "from_shape": Choice(
        "Start shape", tuple(SHAPES), labels=tuple(name.capitalize() for name in SHAPES)
    ),
    "to_shape": Choice(
        "End shape", tuple(SHAPES), labels=tuple(name.capitalize() for name in SHAPES)
    ),
}


def validate(params: dict, notes: list[str]) -> dict:
    options = list(SHAPES)
    params["from_shape"] = checks.choice(params["from_shape"], "from_shape", options, ALIASES)
    params["to_shape"] = checks.choice(params["to_shape"], "to_shape", options, ALIASES)
    if params["from_shape"] == params["to_shape"]:
        raise checks.fail("Choose two different shapes, like a square and a circle.")
    return params


SKELETON = """\
from manim import *


class ShapeTransform(Scene):
    def construct(self):
<<fit_frame>>
        # Title
        title = Text(<<title>>, font_size=40).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # The starting shape, its name and how many sides it has
        start = <<from_code>>
        start.set_stroke(ACCENT, 6).set_fill(ACCENT, opacity=0.5).move_to([0, 0.1, 0])
        name = Text(<<from_name>>, font_size=34).move_to([0, -2.5, 0])
        sides = Text(<<from_sides>>, font_size=26, color=MUTED).next_to(name, DOWN, buff=0.15)
        self.play(DrawBorderThenFill(start), run_time=1.8)
        self.play(Write(name), FadeIn(sides), run_time=1)
        self.wait(0.8)

        # Morph: every point of the outline slides to a point on the new outline
        end = <<to_code>>
        end.set_stroke(SECONDARY, 6).set_fill(SECONDARY, opacity=0.5).move_to([0, 0.1, 0])
        end_name = Text(<<to_name>>, font_size=34).move_to(name)
        end_sides = Text(<<to_sides>>, font_size=26, color=MUTED).next_to(
            end_name, DOWN, buff=0.15
        )
        self.play(
            Transform(start, end),
            Transform(name, end_name),
            Transform(sides, end_sides),
            run_time=2.5,
        )
        self.wait(0.8)

        # Spin it once to admire the result, then morph back
        self.play(Rotate(start, angle=TAU / 4), run_time=1.2)
        back = <<from_code>>
        back.set_stroke(ACCENT, 6).set_fill(ACCENT, opacity=0.5).move_to([0, 0.1, 0])
        self.play(Transform(start, back), run_time=2)
        self.play(Transform(start, end.copy()), run_time=2)
        self.wait(1.5)
"""


def _a(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


def describe(params: dict) -> list[str]:
    source, target = params["from_shape"], params["to_shape"]
    return [
        f"The title reads: From a {source} to a {target}.",
        f"{_a(source).capitalize()} is drawn and filled in, labelled {source.capitalize()}, "
        f"with the note: {SHAPES[source][1]}.",
        f"It morphs smoothly into {_a(target)}, and the label changes to "
        f"{target.capitalize()}, with the note: {SHAPES[target][1]}.",
        f"The {target} turns a quarter turn.",
        f"It morphs back into {_a(source)}, then into {_a(target)} again.",
    ]


def build(params: dict) -> str:
    source, target = params["from_shape"], params["to_shape"]
    return fill(
        SKELETON,
        fit_frame=codegen.fit_frame((-4.6, -3.4, 4.6, 3.7)),
        title=literal(f"From a {source} to a {target}"),
        from_code=SHAPES[source][0],
        to_code=SHAPES[target][0],
        from_name=literal(source.capitalize()),
        to_name=literal(target.capitalize()),
        from_sides=literal(SHAPES[source][1]),
        to_sides=literal(SHAPES[target][1]),
    )


def narration(params: dict) -> list[str]:
    source, target = params["from_shape"], params["to_shape"]
    return [
        f"From a {source} to a {target}.",
        f"Here is {_a(source)}: {SHAPES[source][1]}.",
        f"Watch it morph into {_a(target)}: {SHAPES[target][1]}.",
        f"Give the {target} a turn, then morph back into {_a(source)}, and into {_a(target)} "
        "again.",
    ]
