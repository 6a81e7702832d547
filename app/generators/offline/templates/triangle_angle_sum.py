"""The angles of a triangle add up to 180°: alternate angles on a parallel line make a line."""

from __future__ import annotations

import math

import numpy as np

from app.generators.offline import codegen
from app.generators.offline.codegen import literal
from app.generators.offline.extract import Prompt

ID = "triangle_angle_sum"
TITLE = "Angles in a triangle add to 180°"
SUBJECT = "Math"
EXAMPLE_PROMPT = "Prove that the angles of a triangle add up to 180 degrees"
DEFAULTS: dict = {}
# The template has no parameters; render tests use other frame shapes instead.
VARIANTS: list[dict] = []
TRIGGERS = {
    r"\bangles? (?:of|in) (?:a |any |the )?triangles?\b": 7,
    r"\btriangles?'?s? (?:interior )?angles?\b": 7,
    r"\bangle sum\b|\bsum of (?:the )?angles\b|\binterior angles\b": 5,
    r"\b180\s*(?:°|degrees?|deg)\b": 4,
    r"\badd (?:up )?to 180\b": 4,
    r"\btriangles?\b": 1,
    r"\bparallel lines?\b|\balternate angles?\b": 2,
}

# A scalene triangle with angles 55°, 65° and 60°, built once from the law of sines.
BASE_LEFT = (-4.6, -2.2)
BASE_LENGTH = 5.4
ANGLE_A, ANGLE_B = 55.0, 65.0


def vertices() -> tuple[tuple[float, float], tuple[float, float], tuple[float, float]]:
    ax, ay = BASE_LEFT
    angle_c = 180.0 - ANGLE_A - ANGLE_B
    side_ac = BASE_LENGTH * math.sin(math.radians(ANGLE_B)) / math.sin(math.radians(angle_c))
    cx = ax + side_ac * math.cos(math.radians(ANGLE_A))
    cy = ay + side_ac * math.sin(math.radians(ANGLE_A))
    return (ax, ay), (ax + BASE_LENGTH, ay), (round(cx, 3), round(cy, 3))


def extract(prompt: Prompt) -> dict:
    return {}


CONTROLS: dict = {}


def validate(params: dict, notes: list[str]) -> dict:
    return params


SKELETON = """\
from manim import *
import numpy as np


def direction_angle(start, end):
    # The angle of the direction from start to end, measured anticlockwise from the right
    dx, dy = end[0] - start[0], end[1] - start[1]
    return np.arctan2(dy, dx)


def angle_between(vertex, p, q):
    # The interior angle at `vertex` between the sides to p and q, in degrees
    u, v = p - vertex, q - vertex
    return np.degrees(np.arccos(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v))))


def wedge(vertex, start, end, color, marks):
    # A filled angle at `vertex` from direction `start` anticlockwise to direction `end`, with
    # `marks` arcs across it, so the angles differ by their marks as well as their colour
    sweep = (end - start) % TAU
    sector = AnnularSector(
        inner_radius=0,
        outer_radius=0.7,
        angle=sweep,
        start_angle=start,
        arc_center=vertex,
        color=color,
        fill_opacity=0.75,
        stroke_width=0,
    )
    arcs = [
        Arc(
            radius=0.42 + 0.09 * k,
            start_angle=start,
            angle=sweep,
            arc_center=vertex,
            color=TEXT,
            stroke_width=2,
        )
        for k in range(marks)
    ]
    return VGroup(sector, *arcs)


class TriangleAngleSum(Scene):
    def construct(self):
<<fit_frame>>
        # The triangle (change these corners to try another one)
        A = np.array([<<ax>>, <<ay>>, 0])
        B = np.array([<<bx>>, <<by>>, 0])
        C = np.array([<<cx>>, <<cy>>, 0])
        # In a portrait or square frame the triangle moves into its share of the frame
        A, B, C = (np.array(at(figure, *corner[:2])) for corner in (A, B, C))

        # Title
        title = Text("The angles of a triangle add up to 180°", font_size=38)
        fit_title(self, title).to_edge(UP, buff=0.35)
        self.play(Write(title), run_time=1.2)

        # The triangle and its three angles, measured from the corners
        triangle = Polygon(A, B, C, color=TEXT, stroke_width=4)
        a_angle, b_angle, c_angle = (
            angle_between(A, B, C),
            angle_between(B, C, A),
            angle_between(C, A, B),
        )
        wedge_a = wedge(A, direction_angle(A, B), direction_angle(A, C), ACCENT, 1)
        wedge_b = wedge(B, direction_angle(B, C), direction_angle(B, A), SECONDARY, 2)
        wedge_c = wedge(C, direction_angle(C, A), direction_angle(C, B), TERTIARY, 3)
        self.play(Create(triangle), run_time=1.5)
        self.play(FadeIn(wedge_a), FadeIn(wedge_b), FadeIn(wedge_c), run_time=1.2)

        # Their sizes, listed on the right
        values = (
            VGroup(
                MathTex(rf"a = {a_angle:.0f}^\\circ", color=ACCENT),
                MathTex(rf"b = {b_angle:.0f}^\\circ", color=SECONDARY),
                MathTex(rf"c = {c_angle:.0f}^\\circ", color=TERTIARY),
            )
            .arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        )
        put(values, panel, 4.6, 0.9)
        labels = VGroup(
            MathTex("a", color=ACCENT).move_to(A + 1.0 * normalize((B + C) / 2 - A)),
            MathTex("b", color=SECONDARY).move_to(B + 1.0 * normalize((A + C) / 2 - B)),
            MathTex("c", color=TERTIARY).move_to(C + 1.0 * normalize((A + B) / 2 - C)),
        )
        self.play(Write(labels), Write(values), run_time=1.5)

        # A line through the top corner, parallel to the bottom side
        parallel = DashedLine(
            C + 2.4 * figure[0] * normalize(A - B),
            C + 2.4 * figure[0] * normalize(B - A),
            color=HIGHLIGHT,
        )
        self.play(Create(parallel), run_time=1)

        # Alternate angles: turning angle a half a turn about the middle of side AC puts it
        # at the top, between the parallel line and side AC (the same for b and side BC)
        copy_a, copy_b = wedge_a.copy(), wedge_b.copy()
        self.play(Rotate(copy_a, PI, about_point=(A + C) / 2), run_time=1.8)
        self.play(Rotate(copy_b, PI, about_point=(B + C) / 2), run_time=1.8)

        # At the top corner a, c and b (one, three and two marks) now fill a straight line:
        # half a turn, 180°
        total = MathTex(
            rf"{a_angle:.0f}^\\circ + {b_angle:.0f}^\\circ + {c_angle:.0f}^\\circ "
            rf"= {a_angle + b_angle + c_angle:.0f}^\\circ",
            font_size=40,
        )
        put(total, panel, 4.4, -1.2)
        rule = MathTex(r"a + b + c = 180^\\circ", font_size=44, color=HIGHLIGHT)
        scaled(rule, panel).next_to(total, DOWN, buff=0.4)
        self.play(
            Indicate(VGroup(copy_a, wedge_c, copy_b), scale_factor=1.1, color=HIGHLIGHT),
            run_time=1.2,
        )
        self.play(Write(total), run_time=1.2)
        self.play(Write(rule), run_time=1)
        self.wait(2)
"""


def angles() -> tuple[float, float, float]:
    """The angles at A, B and C in degrees, as the video's angle_between measures them."""
    a, b, c = (np.array([x, y, 0.0]) for x, y in vertices())

    def between(vertex: np.ndarray, p: np.ndarray, q: np.ndarray) -> float:
        u, v = p - vertex, q - vertex
        return float(np.degrees(np.arccos(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v)))))

    return between(a, b, c), between(b, c, a), between(c, a, b)


def describe(params: dict) -> list[str]:
    a, b, c = angles()
    return [
        "The title reads: The angles of a triangle add up to 180°.",
        "A triangle appears with its three angles shaded: a at the bottom left with one arc, "
        "b at the bottom right with two arcs, c at the top with three arcs.",
        f"Their sizes are listed: a = {a:.0f}°, b = {b:.0f}°, c = {c:.0f}°.",
        "A dashed line through the top corner runs parallel to the bottom side.",
        "Copies of angles a and b each turn half a turn to the top corner, one either side "
        "of c, between the dashed line and the sides.",
        "There a, c and b together fill the straight line.",
        f"The sum reads: {a:.0f}° + {b:.0f}° + {c:.0f}° = {a + b + c:.0f}°.",
        "The rule reads: a + b + c = 180°.",
    ]


def build(params: dict) -> str:
    (ax, ay), (bx, by), (cx, cy) = vertices()
    return codegen.fill(
        SKELETON,
        fit_frame=codegen.arrange_parts(
            {"figure": (-5.2, -2.6, 1.4, 2.9), "panel": (2.4, -2.5, 6.8, 1.9)}
        ),
        ax=literal(ax),
        ay=literal(ay),
        bx=literal(bx),
        by=literal(by),
        cx=literal(cx),
        cy=literal(cy),
    )


def narration(params: dict) -> list[str]:
    a, b, c = angles()
    return [
        "The angles of a triangle add up to 180 degrees. Let's see why.",
        "Here is a triangle. Its three angles are a, b and c.",
        f"Angle a is {a:.0f} degrees, b is {b:.0f} degrees, and c is {c:.0f} degrees.",
        "Draw a line through the top corner, parallel to the bottom side.",
        "Now turn a copy of angle a, and a copy of angle b, half a turn up to the top corner. "
        "They fit on either side of c.",
        f"Together a, c and b fill a straight line, which is 180 degrees: {a:.0f} plus "
        f"{c:.0f} plus {b:.0f} is {a + b + c:.0f}. So a plus b plus c is always 180 degrees.",
    ]
