"""sin, cos or tan read off the unit circle as a point goes round, traced out as a graph."""

from __future__ import annotations

import numpy as np

from app.generators.offline import codegen
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill
from app.generators.offline.controls import Choice
from app.generators.offline.extract import Prompt
from app.generators.offline.templates import common

ID = "unit_circle_trig"
TITLE = "Trig functions from the unit circle"
SUBJECT = "Math"
EXAMPLE_PROMPT = "Show how the sine graph comes from the unit circle"
DEFAULTS = {"function": "sin"}
VARIANTS = [{"function": "cos"}, {"function": "tan"}]
TRIGGERS = {
    r"\bunit circle\b": 8,
    r"\btrig(?:onometry|onometric)?\b": 3,
    r"\b(?:sine|cosine|tangent|sin|cos|tan)\b.*\bcircle\b"
    r"|\bcircle\b.*\b(?:sine|cosine|sin|cos|tan)\b": 4,
    r"\brotating (?:point|radius)\b|\bgoes? (?:a|)round\b": 2,
}
OPTIONS = ["sin", "cos", "tan"]
ALIASES = {"sine": "sin", "cosine": "cos", "tangent": "tan", "sin(x)": "sin", "cos(x)": "cos"}


def extract(prompt: Prompt) -> dict:
    mentions = {
        "sin": prompt.search(r"\bsin(?:e)?\b"),
        "cos": prompt.search(r"\bcos(?:ine)?\b"),
        "tan": prompt.search(r"\btan(?:gent)?\b"),
    }
    found = [(m.start(), name) for name, m in mentions.items() if m]
    return {"function": min(found)[1]} if found else {}


CONTROLS = {
    "function": Choice("Function", tuple(OPTIONS), labels=("sin θ", "cos θ", "tan θ")),
}


def validate(params: dict, notes: list[str]) -> dict:
    params["function"] = checks.choice(params["function"], "function", OPTIONS, ALIASES)
    return params


SETTINGS = {
    # function: (numpy call, LaTeX name, y-range of the graph)
    "sin": ("np.sin(theta)", r"\sin", "[-1.2, 1.2, 0.5]"),
    "cos": ("np.cos(theta)", r"\cos", "[-1.2, 1.2, 0.5]"),
    "tan": ("np.tan(theta)", r"\tan", "[-3, 3, 1]"),
}

SEGMENTS = {
    "sin": """\
        def value_segment():
            # sin θ is the height of the point above the horizontal axis
            x, y = np.cos(angle.get_value()), np.sin(angle.get_value())
            return Line(to_screen(x, 0), to_screen(x, y), color=SECONDARY, stroke_width=6)
""",
    "cos": """\
        def value_segment():
            # cos θ is how far the point is to the right of the centre
            x = np.cos(angle.get_value())
            return Line(to_screen(0, 0), to_screen(x, 0), color=SECONDARY, stroke_width=6)
""",
    "tan": """\
        def value_segment():
            # tan θ is where the radius, extended, meets the vertical tangent line at x = 1
            # (cut off at 1.4 so the line stays on screen)
            t = max(-1.4, min(1.4, np.tan(angle.get_value())))
            return VGroup(
                DashedLine(to_screen(0, 0), to_screen(1, t), color=MUTED),
                Line(to_screen(1, 0), to_screen(1, t), color=SECONDARY, stroke_width=6),
            )
""",
}

SKELETON = """\
from manim import *
import numpy as np

Y_LIMIT = <<y_limit>>  # values beyond this are cut off so nothing leaves the screen


def value(theta):
    # The function being traced
    return <<call>>


def clip(y):
    return max(-Y_LIMIT, min(Y_LIMIT, y))


def visible_pieces(end):
    # Stretches of [0, end] where the graph stays inside the axes (tan has asymptotes)
    xs = np.linspace(0, end, 400)
    pieces, start = [], None
    for x in xs:
        inside = abs(value(x)) <= Y_LIMIT
        if inside and start is None:
            start = x
        if not inside and start is not None:
            pieces.append((start, x))
            start = None
    if start is not None:
        pieces.append((start, end))
    return [(a, b) for a, b in pieces if b - a > 1e-3]


class UnitCircleTrig(Scene):
    def construct(self):
<<fit_frame>>
        # Title
        title = Tex(r"Where $<<name>>\\theta$ comes from: the unit circle", font_size=44)
        fit_title(self, title).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # The unit circle (radius 1, drawn 2 units big) on the left
        radius = 2.0 * circle_part[0]
        center = np.array(at(circle_part, -4.3, -0.5))

        def to_screen(x, y):
            return center + radius * np.array([x, y, 0])

        circle = Circle(radius=radius, color=TEXT).move_to(center)
        circle_axes = VGroup(
            Line(to_screen(-1.2, 0), to_screen(1.2, 0), color=MUTED),
            Line(to_screen(0, -1.2), to_screen(0, 1.2), color=MUTED),
        )
        <<tangent_line>>

        # The graph on the right, with the same vertical scale for the value
        axes = Axes(
            x_range=[0, 2 * PI, PI / 2],
            y_range=<<y_range>>,
            x_length=6.8,
            y_length=<<y_length>>,
            tips=False,
            axis_config={"font_size": 22},
            y_axis_config={"include_numbers": True},
        )
        axes.shift(np.array([-1.2, -0.5, 0]) - axes.c2p(0, 0))
        put(axes, graph_part)
        # Larger angle labels when a portrait or square frame draws the graph smaller
        label_size = 28 if graph_part[0] >= 1 else 34
        angle_labels = VGroup(
            *[
                scaled(MathTex(tex, font_size=label_size), graph_part).next_to(
                    axes.c2p(x, 0), DOWN, buff=0.2 * graph_part[0]
                )
                for x, tex in [
                    (PI / 2, r"\\frac{\\pi}{2}"),
                    (PI, r"\\pi"),
                    (3 * PI / 2, r"\\frac{3\\pi}{2}"),
                    (2 * PI, r"2\\pi"),
                ]
            ]
        )
        self.play(
            Create(circle), Create(circle_axes), Create(axes), FadeIn(angle_labels), run_time=2
        )

        # The angle θ turns a point round the circle
        angle = ValueTracker(0.01)
        point = always_redraw(
            lambda: Dot(
                to_screen(np.cos(angle.get_value()), np.sin(angle.get_value())), color=HIGHLIGHT
            )
        )
        radius_line = always_redraw(lambda: Line(center, point.get_center(), color=HIGHLIGHT))
        angle_arc = always_redraw(
            lambda: Arc(
                radius=0.45 * circle_part[0],
                angle=angle.get_value(),
                arc_center=center,
                color=HIGHLIGHT,
            )
        )

<<segment>>
        segment = always_redraw(value_segment)

        # The graph of the value against θ, traced as the point turns
        trace = always_redraw(
            lambda: VGroup(
                *[
                    axes.plot(value, x_range=[a, b, (b - a) / 60 + 1e-4], color=SECONDARY)
                    for a, b in visible_pieces(angle.get_value())
                ]
            )
        )
        marker = always_redraw(
            lambda: Line(
                axes.c2p(angle.get_value(), 0),
                axes.c2p(angle.get_value(), clip(value(angle.get_value()))),
                color=SECONDARY,
                stroke_width=6,
            )
        )

        # Readouts: the angle in degrees and the value
        degrees = DecimalNumber(0, num_decimal_places=0, unit=r"^\\circ", font_size=36)
        degrees.add_updater(lambda number: number.set_value(np.degrees(angle.get_value())))
        amount = DecimalNumber(0, num_decimal_places=2, font_size=36, color=SECONDARY)
        amount.add_updater(lambda number: number.set_value(value(angle.get_value())))
        angle_readout = VGroup(MathTex(r"\\theta =", font_size=36), degrees).arrange(RIGHT)
        value_readout = VGroup(
            MathTex(r"<<name>>\\theta =", font_size=36, color=SECONDARY), amount
        ).arrange(RIGHT)
        angle_readout.move_to([-6.6, 2.3, 0], aligned_edge=LEFT)
        value_readout.move_to([-3.7, 2.3, 0], aligned_edge=LEFT)
        readout = put(VGroup(angle_readout, value_readout), circle_part)

        self.add(radius_line, angle_arc, segment, trace, marker, point)
        self.play(FadeIn(readout), run_time=0.5)
        self.play(angle.animate.set_value(2 * PI), run_time=9, rate_func=linear)
        self.wait(2)
"""


# What the segment on the circle measures, in words
MEANINGS = {
    "sin": "the height of the point above the horizontal axis",
    "cos": "how far the point is to the right of the centre",
    "tan": "where the radius, extended, meets the vertical tangent line at x = 1",
}
# Angles (in degrees) at which a description reads the value out: the quarter turns, and
# 45° steps for tan (which has no value at 90° and 270°)
CHECKPOINTS = {"sin": [90, 180, 270, 360], "cos": [90, 180, 270, 360], "tan": [45, 135, 180, 360]}


def describe(params: dict) -> list[str]:
    function = params["function"]
    values = {"sin": np.sin, "cos": np.cos, "tan": np.tan}[function]
    readings = ", ".join(
        f"{common.readout(float(values(np.radians(d))))} at {d}°" for d in CHECKPOINTS[function]
    )
    sentences = [
        f"The title reads: Where {function} θ comes from: the unit circle.",
        "A unit circle with its axes appears on the left; on the right, axes for a graph, "
        "with θ from 0 to 2π marked at π/2, π, 3π/2 and 2π.",
        "A point turns once round the circle, from θ = 0° to 360°, with a radius to it and an "
        "arc marking the angle θ.",
        f"A segment on the circle shows {function} θ: {MEANINGS[function]}.",
        f"A readout shows θ in degrees and {function} θ to 2 decimal places, passing {readings}.",
        f"At the same time the graph of {function} θ against θ is traced on the right.",
    ]
    if function == "tan":
        sentences.append(
            "Near 90° and 270° tan θ grows without bound: the graph breaks there and is cut "
            "off above 3 and below -3."
        )
    return sentences


def build(params: dict) -> str:
    function = params["function"]
    call, name, y_range = SETTINGS[function]
    tangent_line = (
        "tangent_line = DashedLine(to_screen(1, -1.5), to_screen(1, 1.5), color=MUTED)\n"
        "        circle_axes.add(tangent_line)"
        if function == "tan"
        else "# (the vertical axis above and below the centre measures heights)"
    )
    return fill(
        SKELETON,
        fit_frame=codegen.arrange_parts(
            {"circle_part": (-6.9, -3.0, -1.8, 2.6), "graph_part": (-1.8, -3.0, 5.8, 2.0)}
        ),
        call=call,
        name=name,
        y_range=y_range,
        y_length="4.8",
        y_limit="3" if function == "tan" else "1.2",
        segment=SEGMENTS[function],
        tangent_line=tangent_line,
    )


def narration(params: dict) -> list[str]:
    function = params["function"]
    name = {"sin": "sine", "cos": "cosine", "tan": "tangent"}[function]
    values = {"sin": np.sin, "cos": np.cos, "tan": np.tan}[function]
    readings = common.say_list(
        [
            f"{common.say_number(float(values(np.radians(d))))} at {d} degrees"
            for d in CHECKPOINTS[function]
        ]
    )
    return [
        f"Where does {name} theta come from? The unit circle.",
        f"On the left is a circle of radius 1; on the right, a graph of {name} theta for "
        "theta from 0 to 2 pi.",
        f"As the point turns round the circle, {name} theta is {MEANINGS[function]}. It "
        f"passes {readings}, and the graph traces it on the right.",
    ]
