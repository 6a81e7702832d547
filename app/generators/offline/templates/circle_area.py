"""Why the area of a circle is πr²: cut it into slices and lay them out as a near-rectangle."""

from __future__ import annotations

import math

from app.generators.offline import codegen
from app.generators.offline import params as checks
from app.generators.offline.controls import Number
from app.generators.offline.extract import NUM, Prompt

ID = "circle_area"
TITLE = "Area of a circle"
SUBJECT = "Math"
EXAMPLE_PROMPT = "Show why the area of a circle is pi r squared, radius 3"
DEFAULTS = {"radius": 2.0}
VARIANTS = [{"radius": 5.0}, {"radius": 0.5}]
TRIGGERS = {
    r"\barea of (?:a |the )?circles?\b": 8,
    r"\bcircle'?s? area\b": 8,
    r"\bpi\s*r\s*(?:\^?\s*2|²|squared)|πr²|\bπ\s*r\s*\^?\s*2": 7,
    r"\bcircles?\b": 2,
    r"\bradius\b|\bdiameter\b": 2,
    r"\bsectors?\b|\bslices?\b|\bwedges?\b": 1,
}


def extract(prompt: Prompt) -> dict:
    radius = prompt.number_after(r"\bradius(?: is| of)?|\br\s*=")
    if radius is None:
        diameter = prompt.number_after(r"\bdiameter(?: is| of)?|\bd\s*=")
        if diameter is not None:
            radius = diameter / 2
    if radius is None:
        match = prompt.search(rf"({NUM})\s*(?:cm|m|mm|in|inch\w*|units?)?\s*radius")
        if match:
            radius = float(match.group(1))
    return {"radius": radius} if radius is not None else {}


CONTROLS = {
    "radius": Number("Radius", 0.01, 10_000, step=0.5),
}


def validate(params: dict, notes: list[str]) -> dict:
    params["radius"] = checks.number(params["radius"], "radius", low=0.01, high=10_000)
    return params


SKELETON = """\
from manim import *
import numpy as np

r = <<radius>>  # the radius in the problem
area = np.pi * r**2  # what the slices show: half the circumference times the radius


def fmt(value):
    # 3.0 -> "3", 12.566 -> "12.57"
    return f"{value:.2f}".rstrip("0").rstrip(".")


class CircleArea(Scene):
    def construct(self):
<<fit_frame>>
        slices = <<slices>>  # how many equal slices to cut the circle into
        size = 1.6  # the drawn radius on screen (the picture is not to scale)
        angle = TAU / slices

        # Title
        title = MathTex(r"\\text{Why is the area of a circle } \\pi r^2 \\text{?}", font_size=46)
        title.to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1.2)

        # The circle, cut into equal slices
        center = np.array([-4.2, 0.4, 0])
        pieces = VGroup(
            *[
                AnnularSector(
                    inner_radius=0,
                    outer_radius=size,
                    angle=angle,
                    start_angle=k * angle,
                    fill_opacity=0.8,
                    color=ACCENT if k % 2 == 0 else SECONDARY,
                    stroke_color=TEXT,
                    stroke_width=1.5,
                ).shift(center)
                for k in range(slices)
            ]
        )
        radius_line = Line(center, center + RIGHT * size, color=HIGHLIGHT)
        radius_label = MathTex(f"r = {fmt(r)}", font_size=34, color=HIGHLIGHT).next_to(
            radius_line, DOWN, buff=0.1
        )
        # It sits on the slices: a dark backing keeps it readable
        radius_label.add_background_rectangle(color=BACKGROUND, opacity=0.8, buff=0.06)
        self.play(Create(pieces), run_time=2)
        self.play(Create(radius_line), Write(radius_label), run_time=1)
        outline = Circle(radius=size).move_to(center).set_stroke(MUTED, 2, opacity=0.6)
        self.add(outline)  # stays behind as a reminder of the circle

        # Lay the slices side by side, alternately pointing up and down
        arc_length = size * angle  # width of one slice along the circle
        row_left = np.array([-0.8, -0.4, 0])
        moves = []
        for k, piece in enumerate(pieces):
            pointing_up = k % 2 == 0
            middle_angle = k * angle + angle / 2
            turn = (PI / 2 if pointing_up else -PI / 2) - middle_angle
            # The slice's tip: at the bottom for slices pointing up, at the top for the others
            tip = row_left + RIGHT * arc_length * (k // 2 + (0 if pointing_up else 0.5))
            if not pointing_up:
                tip = tip + UP * size
            target = piece.copy().rotate(turn, about_point=center).shift(tip - center)
            moves.append(Transform(piece, target))
        self.play(LaggedStart(*moves, lag_ratio=0.08), run_time=3.5)

        # It is almost a rectangle: height r, width half the circumference (πr)
        width = arc_length * slices / 2
        bottom_left = row_left
        height_brace = BraceBetweenPoints(bottom_left + UP * size, bottom_left, direction=LEFT)
        height_label = MathTex("r", font_size=40).next_to(height_brace, LEFT)
        width_brace = BraceBetweenPoints(
            bottom_left, bottom_left + RIGHT * width, direction=DOWN
        )
        width_label = MathTex(r"\\pi r \\ (\\text{half the circumference})", font_size=32).next_to(
            width_brace, DOWN
        )
        self.play(GrowFromCenter(height_brace), Write(height_label), run_time=1)
        self.play(GrowFromCenter(width_brace), Write(width_label), run_time=1)

        # So the area is width x height
        formula = MathTex(r"A = \\pi r \\times r = \\pi r^2", font_size=44).move_to(
            [-4.0, -2.4, 0]
        )
        numbers = MathTex(
            rf"= \\pi \\times {fmt(r)}^2 \\approx {fmt(area)}", font_size=40, color=HIGHLIGHT
        )
        numbers.next_to(formula, DOWN, buff=0.25)
        self.play(Write(formula), run_time=1.5)
        self.play(Write(numbers), run_time=1.2)
        self.wait(2)
"""


SLICES = 16  # the video's `slices`


def fmt(value: float) -> str:
    """What the video's fmt(value) shows: 3.0 → "3", 12.566 → "12.57"."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def describe(params: dict) -> list[str]:
    r = float(codegen.number_literal(params["radius"]))  # the r the video computes with
    area = math.pi * r**2
    return [
        "The title reads: Why is the area of a circle πr²?",
        f"A circle is cut into {SLICES} equal slices, and its radius is marked r = {fmt(r)}.",
        "The slices are laid side by side, alternately pointing up and down, making a shape "
        "that is almost a rectangle.",
        "Its height is marked r and its width πr, half the circumference.",
        "The formula reads: A = πr × r = πr².",
        f"With the numbers: π × {fmt(r)}² ≈ {fmt(area)}.",
    ]


def build(params: dict) -> str:
    return codegen.fill(
        SKELETON,
        fit_frame=codegen.fit_frame((-5.9, -3.3, 4.3, 3.7)),
        radius=codegen.number_literal(params["radius"]),
        slices=codegen.literal(SLICES),
    )


def narration(params: dict) -> list[str]:
    r = float(codegen.number_literal(params["radius"]))
    return [
        "Why is the area of a circle pi r squared?",
        f"Here is a circle with radius {fmt(r)}, cut into {SLICES} equal slices.",
        "Now lay the slices side by side, pointing up and down in turn.",
        "The shape is almost a rectangle: its height is the radius r, and its width is pi r, "
        "half the circumference.",
        f"So the area is pi r times r, which is pi r squared. With a radius of {fmt(r)}, "
        f"that is pi times {fmt(r)} squared, about {fmt(math.pi * r**2)}.",
    ]
