"""Circle theorems: the angle at the centre is twice the angle at the circumference, angles in
the same segment are equal, and the angle in a semicircle is a right angle. Points on a circle
are placed from the angle the teacher gives, and every marked angle is measured from them."""

from __future__ import annotations

import re

from app.generators.offline import codegen, controls
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.extract import NUM, Prompt
from app.generators.offline.templates import common
from app.generators.offline.templates.common import Spoken

ID = "circle_theorems"
TITLE = "Circle theorems"
SUBJECT = "Math"
EXAMPLE_PROMPT = "Circle theorems: the angle at the centre is twice the angle at the circumference"
THEOREMS = ("centre", "same_segment", "semicircle")
DEFAULTS = {"theorem": "centre", "angle": 40.0}
VARIANTS = [
    {"theorem": "centre", "angle": 65.0},
    {"theorem": "same_segment", "angle": 35.0},
    {"theorem": "semicircle", "angle": 30.0},
]
TRIGGERS = {
    r"\bcircle theorems?\b": 10,
    r"\bangles? at the (?:centre|center)\b": 9,
    r"\bangles? at the circumference\b": 8,
    r"\b(?:same|alternate) segment\b": 9,
    r"\bangles? in a semi-?circle\b|\bsemi-?circle\b": 6,
    r"\binscribed angles?\b|\bcentral angles?\b|\bsubtend\w*\b": 7,
    r"\bcircumference\b": 2,
    r"\bchords?\b|\bdiameter\b": 1,
}
CONTROLS = {
    "theorem": controls.Choice(
        "Theorem",
        THEOREMS,
        (
            "angle at the centre is twice the angle at the circumference",
            "angles in the same segment are equal",
            "the angle in a semicircle is 90°",
        ),
    ),
    "angle": controls.Number("Angle at the circumference (°; in a semicircle, at A)", 10, 80),
}
_NAMED = {
    "semicircle": r"\bsemi-?circle\b|\bdiameter\b|\bright angle\b|\b90 ?°",
    "same_segment": r"\bsame segment\b|\bsame arc\b|\bangles in the same\b",
    "centre": r"\bcent(?:re|er)\b|\btwice\b|\bdouble\b|\bcentral\b",
}
_DEGREES = r"\s*(?:°|degrees?\b|º)?"


def extract(prompt: Prompt) -> dict:
    params: dict = {}
    for theorem, pattern in ((t, _NAMED[t]) for t in ("same_segment", "semicircle", "centre")):
        if prompt.has(pattern):
            params["theorem"] = theorem
            break
    # The angle at the centre given: the one at the circumference is half of it
    at_centre = re.search(
        rf"\b(?:angle at the cent(?:re|er)|central angle|angle aob)\s*(?:is|=|of)?\s*({NUM})"
        rf"{_DEGREES}",
        prompt.text,
    )
    if at_centre and params.get("theorem", "centre") == "centre":
        params["angle"] = float(at_centre.group(1)) / 2
        return params
    at_edge = re.search(
        rf"\b(?:angle at the circumference|inscribed angle|angle acb|angle at a|angle)"
        rf"\s*(?:is|=|of)?\s*({NUM}){_DEGREES}",
        prompt.text,
    ) or re.search(rf"\b({NUM})\s*(?:°|degrees?\b|º)", prompt.text)
    if at_edge and float(at_edge.group(1)) != 90:
        params["angle"] = float(at_edge.group(1))
    return params


def validate(params: dict, notes: list[str]) -> dict:
    params["theorem"] = checks.choice(
        params["theorem"],
        "theorem",
        THEOREMS,
        {"center": "centre", "same segment": "same_segment", "semi-circle": "semicircle"},
    )
    params["angle"] = checks.number(params["angle"], "angle", low=10, high=80)
    return params


SKELETON = r"""from manim import *
import numpy as np

theorem = <<theorem>>  # "centre", "same_segment" or "semicircle"
angle = <<angle>>  # degrees: the angle at the circumference (in a semicircle, the angle at A)


def fmt(value):
    # 40.0 -> "40", 32.5 -> "32.5" for labels
    return f"{value:.1f}".rstrip("0").rstrip(".")


def on_circle(degrees, radius):
    # The point of the circle (centre at the origin) at this angle from the positive x-axis
    return radius * np.array([np.cos(degrees * DEGREES), np.sin(degrees * DEGREES), 0.0])


def angle_between(vertex, p, q):
    # The angle p-vertex-q in degrees, measured from the points themselves
    u, v = p - vertex, q - vertex
    return np.degrees(np.arccos(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v))))


def angle_mark(vertex, p, q, radius, color):
    # An arc (or a square for a right angle) between the rays vertex-p and vertex-q,
    # with the measured angle written just outside it
    measured = angle_between(vertex, p, q)
    start = np.arctan2(*(p - vertex)[1::-1])
    turn = np.arctan2(*(q - vertex)[1::-1]) - start
    turn = (turn + PI) % TAU - PI  # the short way round
    if abs(measured - 90) < 1e-6:
        mark = RightAngle(Line(vertex, p), Line(vertex, q), length=0.3, color=color)
    else:
        mark = Arc(radius, start, turn, arc_center=vertex, color=color, stroke_width=5)
    middle = start + turn / 2
    where = vertex + (radius + 0.38) * np.array([np.cos(middle), np.sin(middle), 0.0])
    label = MathTex(rf"{fmt(measured)}^\circ", font_size=30, color=color).move_to(where)
    return VGroup(mark, label)


<<arrange>>


# Where the points sit: A and B at the ends of a chord (or of the diameter), C and D on the
# arc opposite, so the angles at C and D stand on the chord AB
R = 2.3
if theorem == "semicircle":
    A, B = on_circle(180, R), on_circle(0, R)
    C = on_circle(2 * angle, R)  # the angle at A is half the arc from B round to C
else:
    A, B = on_circle(-90 - angle, R), on_circle(-90 + angle, R)  # the arc AB is 2 x angle
    C = on_circle(90 + 20, R)
D = on_circle(90 - 45, R)
centre_point = np.array([0.0, 0.0, 0.0])
# The angles the scene marks, measured from the points: at C, and the one the theorem gives
angle_c = angle_between(C, A, B)
angle_other = {
    "centre": angle_between(centre_point, A, B),
    "same_segment": angle_between(D, A, B),
    "semicircle": angle_between(A, C, B),
}[theorem]
statements = {
    "centre": "The angle at the centre is twice\nthe angle at the circumference",
    "same_segment": "Angles in the same segment\nare equal",
    "semicircle": "The angle in a semicircle\nis a right angle",
}


class CircleTheorems(Scene):
    def construct(self):
        # The parts: the title, the circle with its points, and the reasoning beside it
        title = Text("Circle theorems", font_size=40)
        circle = Circle(radius=R, color=TEXT)
        centre = Dot(centre_point, color=TEXT)
        names = {"A": A, "B": B, "C": C, "O": centre_point}
        if theorem == "same_segment":
            names["D"] = D
        labels = VGroup(
            *[
                Text(name, font_size=28).move_to(
                    point * (1 + 0.42 / R) if name != "O" else point + UP * 0.35
                )
                for name, point in names.items()
            ]
        )
        chord = VGroup(Line(C, A, color=ACCENT), Line(C, B, color=ACCENT))
        at_c = angle_mark(C, A, B, 0.7, ACCENT)
        if theorem == "centre":
            second = VGroup(
                Line(centre_point, A, color=SECONDARY), Line(centre_point, B, color=SECONDARY)
            )
            other = angle_mark(centre_point, A, B, 0.55, SECONDARY)
        elif theorem == "same_segment":
            second = VGroup(Line(D, A, color=SECONDARY), Line(D, B, color=SECONDARY))
            other = angle_mark(D, A, B, 0.7, SECONDARY)
        else:
            second = Line(A, B, color=SECONDARY)
            other = angle_mark(A, C, B, 0.8, SECONDARY)
        diagram = VGroup(circle, centre, labels, chord, at_c, second, other)
        statement = Text(statements[theorem], font_size=28, line_spacing=1.2)
        if theorem == "centre":
            reasons = [
                rf"\angle ACB = {fmt(angle_c)}^\circ",
                rf"\angle AOB = 2 \times {fmt(angle_c)}^\circ = {fmt(2 * angle_c)}^\circ",
                rf"\text{{measured: }} \angle AOB = {fmt(angle_other)}^\circ",
            ]
        elif theorem == "same_segment":
            reasons = [
                rf"\angle ACB = {fmt(angle_c)}^\circ",
                rf"\angle ADB = \angle ACB = {fmt(angle_c)}^\circ",
                rf"\text{{measured: }} \angle ADB = {fmt(angle_other)}^\circ",
            ]
        else:
            reasons = [
                rf"\angle ACB = {fmt(angle_c)}^\circ",
                rf"\angle CAB = {fmt(angle_other)}^\circ",
                rf"\angle CBA = 180^\circ - 90^\circ - {fmt(angle_other)}^\circ"
                rf" = {fmt(90 - angle_other)}^\circ",
            ]
        working = VGroup(*[MathTex(line, font_size=34) for line in reasons])
        working.arrange(DOWN, aligned_edge=LEFT, buff=0.4)
        panel = VGroup(statement, working).arrange(DOWN, buff=0.6)

        # Layout: the title on top, the circle and the reasoning side by side
        arrange_scene(self, title, [diagram, panel])

        # Title
        self.play(Write(title), run_time=1)

        # The circle, its centre O and the points on it
        self.play(Create(circle), FadeIn(centre), Write(labels), run_time=1.5)

        # The first angle, at C on the circumference
        self.play(Create(chord), run_time=1)
        self.play(Create(at_c), Write(working[0]), run_time=1.2)

        # The theorem
        self.play(Write(statement), run_time=1.5)

        # The second angle follows from it
        self.play(Create(second), run_time=1)
        self.play(Create(other), Write(working[1]), run_time=1.2)
        self.play(Write(working[2]), run_time=1)
        self.play(Create(SurroundingRectangle(working[1], color=HIGHLIGHT)), run_time=0.8)
        self.wait(2)
"""


def fmt(value: float) -> str:
    """The video's fmt: 40.0 → "40", 32.5 → "32.5"."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def describe(params: dict) -> list[str]:
    theorem = params["theorem"]
    a = float(codegen.number_literal(params["angle"]))
    points = "A, B, C and D" if theorem == "same_segment" else "A, B and C"
    where = (
        "A and B at the ends of a diameter"
        if theorem == "semicircle"
        else "A and B at the ends of a chord"
    )
    first = f"Lines from C to A and B make the angle ACB, marked {fmt(a)}°."
    if theorem == "semicircle":
        first = "Lines from C to A and B make the angle ACB, marked with a right-angle square: 90°."
    statement = {
        "centre": "The angle at the centre is twice the angle at the circumference.",
        "same_segment": "Angles in the same segment are equal.",
        "semicircle": "The angle in a semicircle is a right angle.",
    }[theorem]
    second = {
        "centre": f"Radii OA and OB make the angle AOB, marked {fmt(2 * a)}°: "
        f"angle AOB = 2 × {fmt(a)}° = {fmt(2 * a)}°, boxed, and the measured angle agrees.",
        "same_segment": f"Lines from D to A and B make the angle ADB, marked {fmt(a)}°: "
        f"angle ADB = angle ACB = {fmt(a)}°, boxed, and the measured angle agrees.",
        "semicircle": f"The diameter AB makes the angle CAB, marked {fmt(a)}°; so angle CBA = "
        f"180° - 90° - {fmt(a)}° = {fmt(90 - a)}°.",
    }[theorem]
    return [
        "The title reads: Circle theorems.",
        f"A circle with centre O is drawn, with points {points} on it: {where}.",
        first,
        f"The theorem is written: {statement}",
        second,
    ]


def build(params: dict) -> str:
    return fill(
        SKELETON,
        arrange=common.ARRANGE,
        theorem=literal(params["theorem"]),
        angle=codegen.number_literal(params["angle"]),
    )


def narration(params: dict) -> list[str | Spoken]:
    # The angles are measured in the scene from the points, like everything it shows
    return [
        "Circle theorems.",
        Spoken(('"A circle with centre O, and points on its circumference."',)),
        Spoken(('f"The angle at C, on the circumference, is {fmt(angle_c)} degrees."',)),
        Spoken(('statements[theorem].replace("\\n", " ") + "."',)),
        Spoken(
            (
                '{"centre": f"So the angle at the centre is twice {fmt(angle_c)}: "',
                'f"{fmt(angle_other)} degrees.", "same_segment": f"So the angle at D is "',
                'f"also {fmt(angle_other)} degrees.", "semicircle": f"With {fmt(angle_other)} "',
                'f"degrees at A, the angle at B is {fmt(90 - angle_other)} degrees."}[theorem]',
            )
        ),
    ]
