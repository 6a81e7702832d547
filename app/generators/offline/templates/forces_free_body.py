"""Forces and free-body diagrams: named forces on an object added into a resultant (its size
and direction from the components), or a block on an inclined plane with its weight split
along and into the slope."""

from __future__ import annotations

import math
import re

from app.generators.offline import codegen, controls
from app.generators.offline import params as checks
from app.generators.offline.codegen import block_literal, fill, literal, show
from app.generators.offline.extract import NUM, Prompt
from app.generators.offline.templates.common import Spoken, say_list

ID = "forces_free_body"
TITLE = "Forces and free-body diagrams"
SUBJECT = "Physics"
EXAMPLE_PROMPT = (
    "Free-body diagram: pull 10 N right, friction 4 N left, lift 7 N up, weight 15 N down; "
    "find the resultant force"
)
DEFAULTS = {
    "mode": "forces",
    "names": ["pull", "friction", "lift", "weight"],
    "magnitudes": [10.0, 4.0, 7.0, 15.0],
    "directions": [0.0, 180.0, 90.0, 270.0],
    "mass": 5.0,
    "angle": 30.0,
}
VARIANTS = [
    {**DEFAULTS, "mode": "incline"},
    {**DEFAULTS, "mode": "incline", "mass": 12.5, "angle": 55.0},
    {
        **DEFAULTS,
        "names": ["F1", "F2", "F3"],
        "magnitudes": [6.0, 8.0, 5.0],
        "directions": [30.0, 135.0, 250.0],
    },
    {**DEFAULTS, "names": ["thrust", "drag"], "magnitudes": [9.0, 9.0], "directions": [0, 180]},
]
# A slope the block sits on, not the slope (gradient) of a line
_INCLINE = (
    r"\binclined? planes?\b|\bramps?\b|\binclines?\b|\b(?:on|down|up) (?:a|the) slope\b"
    r"|\bslope (?:of|at|angled at) \d+(?:\.\d+)?\s*(?:°|degrees?)"
    r"|\d+(?:\.\d+)?\s*(?:°|degrees?|deg)\s+(?:slope|hill|incline)\b|\bhill inclined\b"
)
TRIGGERS = {
    r"\bfree[- ]body\b|\bforce diagrams?\b": 6,
    r"\bresultant(?: force)?\b|\bnet force\b": 5,
    _INCLINE: 7,
    r"\bresolv\w*\b|\bcomponents?\b|\bparallel (?:to|and perpendicular)\b|\bperpendicular\b": 2,
    r"\d\s*(?:n|newtons?)\b": 2,
    r"\bforces?\b": 2,
    r"\btension\b|\bthrust\b|\bdrag\b|\bupthrust\b|\bnormal (?:force|reaction)\b|\blift\b": 2,
    r"\b(?:north|south|east|west)\b|\bto the (?:left|right)\b": 1,
    # Vectors written with i and j are the vector-addition template's
    r"\d\s*j\b|\bvectors?\b": -5,
    # The incline mode draws no friction along the slope: such a prompt is not this template's
    r"\b(?:ramps?|slopes?|inclines?|inclined)\b.*\bfriction\b"
    r"|\bfriction\b.*\b(?:ramps?|slopes?|inclines?|inclined)\b": -12,
}
MODES = ("forces", "incline")
MAX_FORCES = 6
MAGNITUDE = (0.1, 10000.0)
DIRECTION = (-360.0, 360.0)
MASS = (0.1, 1000.0)
ANGLE = (5.0, 75.0)
NAME_LENGTH = 14
GRAVITY = 9.8
CONTROLS = {
    "mode": controls.Choice(
        "What to draw", MODES, ("Forces on an object", "A block on an inclined plane")
    ),
    "names": controls.TextList("Names of the forces", NAME_LENGTH, 1, MAX_FORCES),
    "magnitudes": controls.NumberList("Sizes of the forces (N)", *MAGNITUDE, 1, MAX_FORCES),
    "directions": controls.NumberList(
        "Directions of the forces (° anticlockwise from right)", *DIRECTION, 1, MAX_FORCES
    ),
    "mass": controls.Number("Mass on the slope", *MASS, step=0.5, unit="kg"),
    "angle": controls.Number("Angle of the slope", *ANGLE, step=1.0, unit="°"),
}

# Where a direction word points, in degrees anticlockwise from the right
_DIRECTIONS = {
    "right": 0.0, "east": 0.0, "forward": 0.0, "forwards": 0.0,
    "up": 90.0, "upward": 90.0, "upwards": 90.0, "north": 90.0, "vertically up": 90.0,
    "left": 180.0, "west": 180.0, "backward": 180.0, "backwards": 180.0,
    "down": 270.0, "downward": 270.0, "downwards": 270.0, "south": 270.0,
}  # fmt: skip
# The way a named force points when the prompt does not say
_USUAL = {
    "weight": 270.0, "gravity": 270.0,
    "normal": 90.0, "reaction": 90.0, "lift": 90.0, "upthrust": 90.0, "tension": 90.0,
    "thrust": 0.0, "push": 0.0, "pull": 0.0, "driving": 0.0, "applied": 0.0,
    "friction": 180.0, "drag": 180.0, "resistance": 180.0,
}  # fmt: skip
_NAME = (
    r"(weight|gravity|normal|reaction|lift|upthrust|tension|thrust|push|pull|driving|applied"
    r"|friction|drag|air resistance|resistance)"
)
_WAY = (
    r"(?:\s*(?:force\s+)?(?:acting\s+|pointing\s+|directed\s+)?(?:to the |towards the |to |"
    r"towards |acting )?(right|east|forwards?|vertically up|upwards?|up|north|left|west|"
    r"backwards?|downwards?|down|south)\b|\s*(?:force\s+)?at\s+({NUM})\s*(?:°|degrees?))"
).replace("{NUM}", NUM)


def extract(prompt: Prompt) -> dict:
    """An inclined plane (mass in kg, angle in degrees), or each force in newtons with its
    name (before or after the size: "tension 12 N", "4 N of friction") and direction (a word
    like "left" or "north", or "at 30°"); a force with no direction points the way that
    force usually does (weight down, friction back)."""
    text = prompt.text
    params: dict = {}
    if prompt.has(_INCLINE):
        params["mode"] = "incline"
        mass = prompt.search(rf"({NUM})\s*(?:kg|kilograms?)\b") or prompt.search(
            rf"\bmass\s*(?:of|=|:|is)?\s*({NUM})"
        )
        if mass:
            params["mass"] = float(mass.group(1))
        if prompt.angle_deg is not None:
            params["angle"] = prompt.angle_deg
        return params
    names: list[str] = []
    sizes: list[float] = []
    ways: list[float] = []
    for found in re.finditer(
        rf"(?:\b{_NAME}\s*(?:force\s*)?(?:of|=|:|is)?\s*)?(?<![\w.])({NUM})\s*(?:n|newtons?)\b"
        rf"(?:\s*(?:of\s+)?{_NAME}\b)?(?:{_WAY})?",
        text,
    ):
        before, size, after, word, degrees = found.groups()
        name = before or after
        if word is not None:
            way = _DIRECTIONS[word]
        elif degrees is not None:
            way = float(degrees)
        elif name is not None:
            way = _USUAL[name.split()[-1]]
        else:
            way = 0.0 if not ways else 180.0  # an unnamed pair of forces pulls against each other
        names.append(name or f"F{len(names) + 1}")
        sizes.append(float(size))
        ways.append(way)
    if names:
        params.update({"mode": "forces", "names": names, "magnitudes": sizes, "directions": ways})
    return params


def validate(params: dict, notes: list[str]) -> dict:
    params["mode"] = checks.choice(
        params["mode"], "mode", MODES, {"slope": "incline", "ramp": "incline"}
    )
    names = checks.text_list(
        params["names"], "names", max_length=NAME_LENGTH, min_items=1, max_items=MAX_FORCES
    )
    sizes = checks.number_list(
        params["magnitudes"],
        "magnitudes",
        low=MAGNITUDE[0],
        high=MAGNITUDE[1],
        min_items=1,
        max_items=MAX_FORCES,
    )
    ways = checks.number_list(
        params["directions"],
        "directions",
        low=DIRECTION[0],
        high=DIRECTION[1],
        min_items=1,
        max_items=MAX_FORCES,
    )
    if not len(names) == len(sizes) == len(ways):
        raise checks.fail(
            "Give each force a name, a size and a direction: the three lists need the same length."
        )
    params["names"], params["magnitudes"], params["directions"] = names, sizes, ways
    params["mass"] = checks.number(params["mass"], "mass", low=MASS[0], high=MASS[1])
    params["angle"] = checks.number(params["angle"], "angle", low=ANGLE[0], high=ANGLE[1])
    return params


SKELETON = r"""from manim import *
import math
import numpy as np

mode = <<mode>>  # "forces" (forces on an object) or "incline" (a block on a slope)
# Each force: (name, size in N, direction in degrees anticlockwise from the right)
forces = <<forces>>
m = <<mass>>  # the block's mass on the slope, kg
theta = <<angle>>  # the slope's angle, degrees
g = 9.8  # gravity, m/s^2

# The resultant: add the forces' components across (x) and up (y)
Fx = sum(size * math.cos(math.radians(way)) for _, size, way in forces)
Fy = sum(size * math.sin(math.radians(way)) for _, size, way in forces)
R = math.hypot(Fx, Fy)
R_way = math.degrees(math.atan2(Fy, Fx))  # anticlockwise from the right
# On the slope: the weight splits along the slope and into it
W = m * g
along = W * math.sin(math.radians(theta))  # pulls the block down the slope
into = W * math.cos(math.radians(theta))  # pressed into the slope, balanced by the normal force
a = along / m  # with no friction: a = g sin(theta)


def fmt(value):
    # A number as the screen shows it: 3 -> "3", 2.5 -> "2.5", 1/3 -> "0.33"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def terms(values):
    # A sum as written: [10, -4] -> "10 - 4" (zero terms left out)
    shown = [v for v in values if fmt(v) != "0"] or [0.0]
    text = fmt(shown[0])
    for v in shown[1:]:
        text += f" - {fmt(-v)}" if v < 0 else f" + {fmt(v)}"
    return text


def heading(degrees):
    # A direction in words: 0 -> "to the right", -53.13 -> "53.13° below the right"
    degrees = (degrees + 180) % 360 - 180
    exact = {0: "to the right", 90: "straight up", 180: "to the left", -180: "to the left",
             -90: "straight down"}
    for angle, words in exact.items():
        if abs(degrees - angle) < 0.005:
            return words
    side = "right" if abs(degrees) < 90 else "left"
    tilt = abs(degrees) if side == "right" else 180 - abs(degrees)
    return f"{fmt(tilt)}° {'above' if degrees > 0 else 'below'} the {side}"


def resultant_words():
    # Where the resultant points, or that there is none
    return heading(R_way) if fmt(R) != "0" else "balanced: no resultant"


class ForcesFreeBody(Scene):
    def construct(self):
<<fit_frame>>
        # The parts, built first and placed by one arrangement at the end of this block
        incline = mode == "incline"
        title = Text(
            "Forces on a slope" if incline else "Free-body diagram: the resultant force",
            font_size=38,
        )
        if incline:
            # A slope 6 long at angle theta, a block halfway up, its weight and the normal force
            t = math.radians(theta)
            run, rise = 6 * math.cos(t), 6 * math.sin(t)
            slope = Polygon([0, 0, 0], [run, 0, 0], [0, rise, 0], color=MUTED)
            down_slope = np.array([math.cos(t), -math.sin(t), 0])  # along the slope, downhill
            out = np.array([math.sin(t), math.cos(t), 0])  # out of the slope's surface
            block = Square(0.8, color=ACCENT, fill_opacity=0.3).rotate(-t)
            centre = np.array([run / 2, rise / 2, 0]) + 0.4 * out
            block.move_to(centre)
            size = 2.2 / W  # screen length per newton
            weight = Arrow(centre, centre + DOWN * W * size, buff=0, color=TEXT)
            normal = Arrow(centre, centre + out * into * size, buff=0, color=SECONDARY)
            part_along = DashedLine(centre, centre + down_slope * along * size, color=HIGHLIGHT)
            part_into = DashedLine(centre, centre - out * into * size, color=HIGHLIGHT)
            mark = Angle(
                Line([run, 0, 0], [0, rise, 0]), Line([run, 0, 0], [0, 0, 0]), radius=0.7,
                color=TEXT,
            )
            angle_label = MathTex(rf"{fmt(theta)}^\circ", font_size=28).next_to(
                mark, LEFT, buff=0.15
            ).shift(UP * 0.12)
            names = VGroup(
                Text(f"weight {fmt(W)} N", font_size=22).next_to(weight.get_end(), LEFT, 0.1),
                Text("normal", font_size=22).next_to(normal.get_end(), UR, buff=0.05),
            )
            diagram = VGroup(slope, mark, angle_label, block, weight, normal, part_along,
                             part_into, names)
            lines = [
                rf"W = mg = {fmt(m)} \times 9.8 = {fmt(W)}\,\text{{N}}",
                rf"\text{{along: }} mg\sin {fmt(theta)}^\circ = {fmt(along)}\,\text{{N}}",
                rf"\text{{into: }} mg\cos {fmt(theta)}^\circ = {fmt(into)}\,\text{{N}}",
                rf"\text{{normal force}} = {fmt(into)}\,\text{{N}}",
                rf"a = g\sin {fmt(theta)}^\circ = {fmt(a)}\,\text{{m/s}}^2",
            ]
        else:
            # The object, and an arrow per force, its length in proportion to its size
            block = Square(1.0, color=ACCENT, fill_opacity=0.3)
            size = 2.0 / max(max(f for _, f, _ in forces), R)
            arrows, names = VGroup(), VGroup()
            for name, force, way in forces:
                unit = np.array([math.cos(math.radians(way)), math.sin(math.radians(way)), 0])
                edge = 0.5 / max(abs(unit[0]), abs(unit[1]))  # where the arrow leaves the box
                start = unit * edge
                arrows.add(Arrow(start, start + unit * max(force * size, 0.4), buff=0,
                                 color=TEXT))
                names.add(Text(f"{name} {fmt(force)} N", font_size=22).next_to(
                    arrows[-1].get_end(), unit, buff=0.12))
            unit = np.array([math.cos(math.radians(R_way)), math.sin(math.radians(R_way)), 0])
            resultant = Arrow(ORIGIN, unit * max(R * size, 0.4), buff=0, color=HIGHLIGHT,
                              stroke_width=8)
            diagram = VGroup(block, arrows, names, resultant)
            xs = [size * math.cos(math.radians(way)) for _, size, way in forces]
            ys = [size * math.sin(math.radians(way)) for _, size, way in forces]
            lines = [
                rf"\Sigma F_x = {terms(xs)} = {fmt(Fx)}\,\text{{N}}",
                rf"\Sigma F_y = {terms(ys)} = {fmt(Fy)}\,\text{{N}}",
                rf"R = \sqrt{{{fmt(Fx)}^2 + {fmt(Fy)}^2}} = {fmt(R)}\,\text{{N}}",
                r"\text{" + resultant_words().replace("°", r"$^\circ$") + "}",
            ]
        working = VGroup(*[MathTex(line, font_size=32) for line in lines])
        working.arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        working[-1].set_color(HIGHLIGHT)
        if working.width > 6.0:
            working.scale_to_fit_width(6.0)
        if diagram.height > 5.6:
            diagram.scale_to_fit_height(5.6)
        body = VGroup(diagram, working).arrange(RIGHT, buff=0.8)
        VGroup(title, body).arrange(DOWN, buff=0.45).move_to(ORIGIN)

        # Title
        self.play(Write(title), run_time=1)

        # The object the forces act on
        if incline:
            self.play(Create(slope), Create(mark), FadeIn(angle_label), FadeIn(block))
        else:
            self.play(FadeIn(block))

        # The forces on it, each arrow as long as the force is large
        if incline:
            self.play(GrowArrow(weight), FadeIn(names[0]), run_time=1.2)
        else:
            for arrow, name in zip(arrows, names):
                self.play(GrowArrow(arrow), FadeIn(name), run_time=0.7)

        # Split into components
        if incline:
            self.play(Create(part_along), Create(part_into), Write(working[0]), run_time=1.2)
            self.play(Write(working[1]), Write(working[2]), run_time=1.5)
        else:
            self.play(Write(working[0]), run_time=1.2)
            self.play(Write(working[1]), run_time=1.2)

        # What is left over: the resultant
        if incline:
            self.play(GrowArrow(normal), FadeIn(names[1]), Write(working[3]), run_time=1.2)
            self.play(Write(working[4]), run_time=1.2)
        else:
            self.play(Write(working[2]), run_time=1.2)
            self.play(GrowArrow(resultant), Write(working[3]), run_time=1.2)
        self.wait(2)
"""


def resultant(params: dict) -> tuple[float, float]:
    """The emitted code's Fx, Fy for the forces (for descriptions)."""
    x = sum(
        f * math.cos(math.radians(w))
        for f, w in zip(params["magnitudes"], params["directions"], strict=True)
    )
    y = sum(
        f * math.sin(math.radians(w))
        for f, w in zip(params["magnitudes"], params["directions"], strict=True)
    )
    return x, y


def heading(degrees: float) -> str:
    """The emitted heading(): a direction in words."""
    degrees = (degrees + 180) % 360 - 180
    for angle, words in {
        0: "to the right",
        90: "straight up",
        180: "to the left",
        -180: "to the left",
        -90: "straight down",
    }.items():
        if abs(degrees - angle) < 0.005:
            return words
    side = "right" if abs(degrees) < 90 else "left"
    tilt = abs(degrees) if side == "right" else 180 - abs(degrees)
    return f"{show(tilt)}° {'above' if degrees > 0 else 'below'} the {side}"


def describe(params: dict) -> list[str]:
    if params["mode"] == "incline":
        m, theta = params["mass"], params["angle"]
        weight = m * GRAVITY
        along = weight * math.sin(math.radians(theta))
        into = weight * math.cos(math.radians(theta))
        return [
            "The title reads: Forces on a slope.",
            f"A block sits on a slope at {show(theta)}° to the horizontal.",
            f"Its weight, {show(weight)} N, points straight down.",
            f"Dashed lines split the weight: W = mg = {show(m)} × 9.8 = {show(weight)} N; "
            f"along the slope mg sin {show(theta)}° = {show(along)} N, into the slope "
            f"mg cos {show(theta)}° = {show(into)} N.",
            f"The normal force, {show(into)} N, balances the part into the slope; with no "
            f"friction the block speeds up down the slope at a = g sin {show(theta)}° = "
            f"{show(along / m)} m/s².",
        ]
    listed = [
        f"{name} {show(size)} N {heading(way)}"
        for name, size, way in zip(
            params["names"], params["magnitudes"], params["directions"], strict=True
        )
    ]
    x, y = resultant(params)
    size = math.hypot(x, y)
    way = (
        f"pointing {heading(math.degrees(math.atan2(y, x)))}"
        if show(size) != "0"
        else "so the forces balance"
    )
    return [
        "The title reads: Free-body diagram: the resultant force.",
        "A box stands for the object.",
        f"Arrows show the forces on it: {say_list(listed)}.",
        f"Adding the parts across gives ΣFx = {show(x)} N, and up gives ΣFy = {show(y)} N.",
        f"The resultant is R = √({show(x)}² + {show(y)}²) = {show(size)} N, {way}.",
    ]


def build(params: dict) -> str:
    forces = [
        (name, float(size), float(way))
        for name, size, way in zip(
            params["names"], params["magnitudes"], params["directions"], strict=True
        )
    ]
    return fill(
        SKELETON,
        fit_frame=codegen.fit_frame(14.2),
        mode=literal(params["mode"]),
        forces=block_literal(forces, 0, len("forces = ")),
        mass=literal(float(params["mass"])),
        angle=literal(float(params["angle"])),
    )


def narration(params: dict) -> list[str | Spoken]:
    # Worked out in the scene from its input lines, the mode included
    return [
        "Forces, and what they add up to.",
        Spoken(
            (
                'f"A block on a slope at {fmt(theta)} degrees." if mode == "incline"',
                'else "A box stands for the object."',
            )
        ),
        Spoken(
            (
                'f"Its weight is {fmt(m)} times 9.8: {fmt(W)} newtons, straight down."',
                'if mode == "incline"',
                'else "The forces on it: " + ", ".join(',
                '    f"{name}, {fmt(size)} newtons" for name, size, _ in forces',
                ') + "."',
            )
        ),
        Spoken(
            (
                'f"Along the slope, {fmt(along)} newtons; into the slope, {fmt(into)}."',
                'if mode == "incline"',
                'else f"Across, they add to {fmt(Fx)} newtons; upwards, to {fmt(Fy)}."',
            )
        ),
        Spoken(
            (
                'f"The normal force balances {fmt(into)} newtons, so the block speeds up "',
                'f"down the slope at {fmt(a)} metres per second squared."',
                'if mode == "incline"',
                'else f"The resultant is {fmt(R)} newtons, "',
                '+ resultant_words().replace("°", " degrees") + "."',
            )
        ),
    ]
