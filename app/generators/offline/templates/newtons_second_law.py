"""Newton's second law: a cart pushed by a force against friction, its free-body diagram,
a = F_net / m, and the cart speeding up with a velocity readout."""

from __future__ import annotations

import re

from app.generators.offline import codegen, controls
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, show
from app.generators.offline.extract import NUM, Prompt
from app.generators.offline.templates import common
from app.generators.offline.templates.common import Spoken

ID = "newtons_second_law"
TITLE = "Newton's second law (F = ma)"
SUBJECT = "Physics"
EXAMPLE_PROMPT = "Newton's second law: a 2 kg cart pushed with 10 N against 4 N of friction"
DEFAULTS = {"mass": 2.0, "force": 10.0, "friction": 4.0, "seconds": 3.0}
VARIANTS = [
    {"mass": 5.0, "force": 20.0, "friction": 0.0, "seconds": 4.0},
    {"mass": 0.5, "force": 3.0, "friction": 1.25, "seconds": 2.0},
    {"mass": 10.0, "force": 15.0, "friction": 20.0, "seconds": 3.0},
]
TRIGGERS = {
    r"\bnewton'?s? (?:2nd|second) law\b|\bsecond law of motion\b": 9,
    r"\bf\s*=\s*m\s*\*?\s*a\b|\bf\s*=\s*ma\b|\ba\s*=\s*f\s*/\s*m\b": 7,
    r"\bnet force\b|\bfree[- ]body\b|\bforce diagram\b|\bunbalanced forces?\b": 4,
    r"\bcart\b|\btrolley\b|\bsled(?:ge)?\b|\bcrate\b|\bbox\b|\bblock\b": 2,
    r"\bpush(?:ed|es|ing)?\b|\bpull(?:ed|s|ing)?\b": 2,
    r"\d\s*(?:n|newtons?)\b": 2,
    r"\d\s*(?:kg|kilograms?)\b": 2,
    r"\bfriction\w*\b": 2,
    r"\baccelerat\w*\b|\bmass\b": 1,
}
GRAVITY = 9.8
LIMITS = {"mass": (0.1, 1000.0), "force": (0.1, 10000.0), "friction": (0.0, 10000.0)}
SECONDS = (1.0, 6.0)
CONTROLS = {
    "mass": controls.Number("Mass of the cart", *LIMITS["mass"], step=0.1, unit="kg"),
    "force": controls.Number("Applied force", *LIMITS["force"], step=0.5, unit="N"),
    "friction": controls.Number(
        "Friction force (0 for none)", *LIMITS["friction"], step=0.5, unit="N"
    ),
    "seconds": controls.Number("Seconds of motion shown", *SECONDS, step=0.5, unit="s"),
}

_NEWTONS = r"\s*(?:n|newtons?)\b"
_FRICTION = [
    rf"\bfriction\w*(?:\s+force)?\s*(?:of|=|:|is)?\s*(?:about\s+)?({NUM}){_NEWTONS}",
    rf"({NUM}){_NEWTONS}\s*(?:of\s+)?(?:\w+\s+)?friction",
]
_COEFFICIENT = rf"(?:coefficient of (?:kinetic |sliding )?friction|μ|\bmu)\s*(?:of|=|is)?\s*({NUM})"


def extract(prompt: Prompt) -> dict:
    """Mass in kg, the applied force and friction in newtons, and the seconds shown.

    A prompt that gives its own push or pull but says nothing of friction gets none (its
    forces are the ones the teacher named); "frictionless" or "no friction" also means none.
    """
    params: dict = {}
    text = prompt.text
    mass = prompt.search(rf"({NUM})\s*(?:kg|kilograms?)\b")
    if mass:
        params["mass"] = float(mass.group(1))
    else:
        given = prompt.number_after(r"\bmass(?: of)?|\bm\s*=")
        if given is not None:
            params["mass"] = given
    friction_span = None
    for pattern in _FRICTION:
        found = re.search(pattern, text)
        if found:
            params["friction"] = float(found.group(1))
            friction_span = found.span(1)
            break
    coefficient = re.search(_COEFFICIENT, text)
    if "friction" not in params and coefficient:
        mu = float(coefficient.group(1))
        params["friction"] = round(mu * params.get("mass", DEFAULTS["mass"]) * GRAVITY, 2)
        friction_span = coefficient.span(1)
    for found in re.finditer(rf"(?<![\w.])({NUM}){_NEWTONS}", text):
        if friction_span is None or found.span(1) != friction_span:
            params["force"] = float(found.group(1))
            break
    if "force" not in params:
        given = prompt.number_after(r"\b(?:applied |net )?force(?: of)?|\bf\s*=")
        if given is not None:
            params["force"] = given
    accelerating = prompt.search(
        rf"({NUM})\s*(?:m\s*/\s*s\s*(?:\^?2|²)|m\s*/\s*s\s*/\s*s|m s\^?-2)"
    )
    if "force" not in params and accelerating and "mass" in params:
        # "a 2 kg cart accelerates at 3 m/s²": the push that gives it that acceleration
        params["force"] = round(params["mass"] * float(accelerating.group(1)), 6)
    frictionless = prompt.has(r"\bfrictionless\b|\bno friction\b|\bwithout friction\b|\bsmooth\b")
    unmentioned = "force" in params and not prompt.has(r"friction|\bμ|\bmu\b")
    if frictionless or (unmentioned and "friction" not in params):
        params["friction"] = 0.0
    seconds = prompt.search(rf"\b(?:for|after|over)\s+({NUM})\s*(?:s|secs?|seconds?)\b")
    if seconds:
        params["seconds"] = float(seconds.group(1))
    return params


def validate(params: dict, notes: list[str]) -> dict:
    for name, (low, high) in LIMITS.items():
        params[name] = checks.number(params[name], name, low=low, high=high)
    params["seconds"] = checks.number(params["seconds"], "seconds", low=SECONDS[0], high=SECONDS[1])
    if params["friction"] >= params["force"]:
        notes.append(
            "The friction can hold back at least the whole push, so the cart stays at rest."
        )
    return params


SKELETON = r"""from manim import *
import numpy as np

m = <<mass>>  # mass of the cart, kg
F = <<force>>  # applied force (the push), N
friction = <<friction>>  # friction force the ground can give, N (0 for none)
seconds = <<seconds>>  # seconds of motion shown, in real time
g = 9.8  # gravity, m/s^2

weight = m * g  # W = mg
normal = weight  # on level ground the ground pushes back up as hard as gravity pulls down
friction_acting = min(friction, F)  # friction never pushes harder than the push it resists
F_net = F - friction_acting  # the unbalanced force
a = F_net / m  # Newton's second law: a = F_net / m


def velocity(t):
    # Starting from rest with constant acceleration
    return a * t


def position(t):
    return 0.5 * a * t**2


def fmt(value):
    # A number as the screen shows it: 3 -> "3", 2.5 -> "2.5", 1/3 -> "0.33"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def force_arrow(start, direction, size, name, value):
    # A force arrow, its length in proportion to the force, labelled with its name and size
    arrow = Arrow(
        start, start + direction * size, buff=0, color=ACCENT, max_tip_length_to_length_ratio=0.3
    )
    label = Text(f"{name} {fmt(value)} N", font_size=24)
    if label.width > 2.6:
        label.scale_to_fit_width(2.6)
    return arrow, label


class NewtonsSecondLaw(Scene):
    def construct(self):
        # A portrait or square frame gets a shorter run for the cart, so the cart is drawn
        # larger, and larger readouts
        wide = self.camera.frame_width >= 14.2 - 0.01
        run, readout_size = (7.5, 34) if wide else (4.0, 40)
        # Side by side in landscape, stacked in portrait: where each part goes
        track, panel, clock_part, result = arrange_parts(
            self,
            [-6.9, -2.2, min(6.9, run - 0.6), 2.4],
            [0.5, 1.0, 6.9, 2.4],
            [-5.9, -3.0, -2.5, -1.6],
            [0.5, -2.7, 6.9, -1.9],
        )

        # Title
        title = Text("Newton's second law: F = ma", font_size=40)
        fit_title(self, title).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # The cart on level ground, its mass written on it
        ground_y = -0.6
        ground = Line([-6.8, ground_y, 0], [min(6.8, run - 0.7), ground_y, 0], color=MUTED)
        body = Rectangle(width=1.8, height=0.9, color=SECONDARY, fill_opacity=0.25)
        wheels = VGroup(
            Circle(radius=0.18, color=TEXT).move_to([-0.5, -0.45, 0]),
            Circle(radius=0.18, color=TEXT).move_to([0.5, -0.45, 0]),
        )
        mass_label = Text(f"{fmt(m)} kg", font_size=26).move_to(body)
        cart = VGroup(body, wheels, mass_label)
        cart.next_to([-3.4, ground_y, 0], UP, buff=0)
        # Its free-body diagram: arrow lengths in proportion to the forces
        scale = 1.5 / max(F, friction_acting, weight)
        length = lambda force: max(0.4, force * scale)  # short forces stay visible
        arrows = []
        applied, applied_label = force_arrow(
            body.get_right(), RIGHT, length(F), "applied", F
        )
        applied_label.next_to(applied, UP, buff=0.15).align_to(applied, LEFT)
        arrows.append((applied, applied_label))
        if friction_acting > 0:
            rub, rub_label = force_arrow(
                body.get_left() + DOWN * 0.25, LEFT, length(friction_acting), "friction",
                friction_acting,
            )
            rub_label.next_to(rub, UP, buff=0.15).align_to(rub, RIGHT)
            arrows.append((rub, rub_label))
        pull, pull_label = force_arrow(body.get_bottom(), DOWN, length(weight), "weight", weight)
        pull_label.next_to(pull.get_end(), RIGHT, buff=0.2)
        push_up, push_up_label = force_arrow(body.get_top(), UP, length(normal), "normal", normal)
        push_up_label.next_to(push_up.get_end(), RIGHT, buff=0.2)
        arrows += [(pull, pull_label), (push_up, push_up_label)]
        put(VGroup(ground, cart, *[VGroup(*pair) for pair in arrows]), track)
        self.play(Create(ground), FadeIn(cart), run_time=1)

        # The free-body diagram, one force at a time
        for arrow, label in arrows:
            self.play(GrowArrow(arrow), FadeIn(label), run_time=0.7)

        # The vertical forces cancel; the horizontal ones leave F_net, and a = F_net / m
        if friction_acting > 0:
            net_text = (
                rf"F_{{net}} = F - f = {fmt(F)} - {fmt(friction_acting)} "
                rf"= {fmt(F_net)}\,\text{{N}}"
            )
        else:
            net_text = rf"F_{{net}} = F = {fmt(F_net)}\,\text{{N}}"
        working = VGroup(
            MathTex(net_text, font_size=34),
            MathTex(
                rf"a = \frac{{F_{{net}}}}{{m}} = \frac{{{fmt(F_net)}}}{{{fmt(m)}}} "
                rf"= {fmt(a)}\,\text{{m/s}}^2",
                font_size=34,
                color=HIGHLIGHT,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        if working.width > 6.2:
            working.scale_to_fit_width(6.2)
        put(working, panel, 3.7, 1.7)
        self.play(Write(working[0]), run_time=1.2)
        self.play(Write(working[1]), run_time=1.2)

        # The cart speeds up for the seconds shown, in real time, with the push still on it
        diagram = VGroup(*[VGroup(arrow, label) for arrow, label in arrows[1:]], applied_label)
        self.play(FadeOut(diagram), run_time=0.6)
        time = ValueTracker(0)
        start_x = cart.get_x()
        travel = run * track[0] if a > 0 else 0.0  # screen units covered in the seconds shown
        full_distance = max(position(seconds), 1e-9)  # metres covered in the seconds shown
        cart.add_updater(
            lambda c: c.set_x(start_x + travel * position(time.get_value()) / full_distance)
        )
        applied.add_updater(lambda arrow: arrow.next_to(body, RIGHT, buff=0))
        clock = VGroup(
            MathTex("t =", font_size=readout_size),
            DecimalNumber(0, num_decimal_places=2, font_size=readout_size),
            MathTex(r"\text{s}", font_size=readout_size),
        ).arrange(RIGHT, buff=0.15)
        speed = VGroup(
            MathTex("v =", font_size=readout_size),
            DecimalNumber(0, num_decimal_places=2, font_size=readout_size, color=HIGHLIGHT),
            MathTex(r"\text{m/s}", font_size=readout_size),
        ).arrange(RIGHT, buff=0.15)
        readouts = VGroup(clock, speed).arrange(DOWN, aligned_edge=LEFT)
        put(readouts, clock_part, -4.2, -2.3)
        gap = 0.15 * clock_part[0]
        for readout in (clock, speed):
            # The unit follows the number as it grows wider
            readout[2].add_updater(lambda unit, r=readout: unit.next_to(r[1], RIGHT, buff=gap))
        clock[1].add_updater(lambda d: d.set_value(time.get_value()))
        speed[1].add_updater(lambda d: d.set_value(velocity(time.get_value())))
        self.play(FadeIn(readouts), run_time=0.6)
        self.play(time.animate.set_value(seconds), run_time=seconds, rate_func=linear)
        for mob in (cart, applied, *clock[1:], *speed[1:]):
            mob.clear_updaters()

        # After the push: v = a t
        final = MathTex(
            rf"v = a t = {fmt(a)} \times {fmt(seconds)} = {fmt(velocity(seconds))}\,\text{{m/s}}",
            font_size=34,
            color=HIGHLIGHT,
        )
        if final.width > 6.2:
            final.scale_to_fit_width(6.2)
        put(final, result, 3.7, -2.3)
        self.play(Write(final), run_time=1.2)
        self.wait(1.5)
"""


def forces(params: dict) -> dict[str, float]:
    """What the emitted code computes from its inputs (the shown literals)."""
    m = float(codegen.number_literal(params["mass"]))
    applied = float(codegen.number_literal(params["force"]))
    friction = float(codegen.number_literal(params["friction"]))
    acting = min(friction, applied)
    net = applied - acting
    return {
        "weight": m * GRAVITY,
        "friction": acting,
        "net": net,
        "a": net / m,
        "v": net / m * float(codegen.number_literal(params["seconds"])),
    }


def describe(params: dict) -> list[str]:
    result = forces(params)
    m, applied, seconds = params["mass"], params["force"], params["seconds"]
    weight, acting, net, a = result["weight"], result["friction"], result["net"], result["a"]
    sentences = [
        "The title reads: Newton's second law: F = ma.",
        f"A cart of mass {show(m)} kg stands on level ground.",
    ]
    diagram = f"Arrows show the forces on it: the applied force of {show(applied)} N to the right"
    if acting > 0:
        diagram += f", friction of {show(acting)} N to the left"
    diagram += f", its weight of {show(weight)} N down and the normal force of {show(weight)} N up."
    sentences.append(diagram)
    if params["friction"] > acting:
        sentences.append(
            f"The ground could give up to {show(params['friction'])} N of friction, but friction "
            f"only ever matches the push, so it is {show(acting)} N."
        )
    if acting > 0:
        sentences.append(
            f"The net force is F minus f: {show(applied)} − {show(acting)} = {show(net)} N."
        )
    else:
        sentences.append(f"With no friction the net force is the push: {show(net)} N.")
    sentences.append(
        f"So the acceleration is a = net force / m = {show(net)} / {show(m)} = {show(a)} m/s²."
    )
    if a > 0:
        sentences.append(
            f"The cart speeds up for {show(seconds)} seconds in real time, while readouts show "
            "the time and its velocity."
        )
    else:
        sentences.append(
            f"The friction cancels the push, so for {show(seconds)} seconds the cart stays at "
            "rest and its velocity reads 0."
        )
    v = result["v"]
    sentences.append(
        f"Finally v = a t = {show(a)} × {show(seconds)} = {show(v)} m/s "
        f"(the readout shows {common.readout(v)})."
    )
    return sentences


def build(params: dict) -> str:
    return fill(
        SKELETON,
        mass=codegen.literal(float(params["mass"])),
        force=codegen.literal(float(params["force"])),
        friction=codegen.literal(float(params["friction"])),
        seconds=codegen.literal(float(params["seconds"])),
    )


def narration(params: dict) -> list[str | Spoken]:
    # The values are worked out in the scene from its input lines, like everything it shows
    return [
        "Newton's second law: force equals mass times acceleration.",
        Spoken(('f"Here is a cart with a mass of {fmt(m)} kilograms, on level ground."',)),
        Spoken(
            (
                'f"The forces on it: a push of {fmt(F)} newtons, friction of "',
                'f"{fmt(friction_acting)} newtons, and its weight of {fmt(weight)} newtons, "',
                '"balanced by the ground pushing up."',
            )
        ),
        Spoken(
            (
                'f"The net force is {fmt(F_net)} newtons, so the acceleration is "',
                'f"{fmt(F_net)} divided by {fmt(m)}: {fmt(a)} metres per second squared."',
            )
        ),
        Spoken(('f"The push goes on for {fmt(seconds)} seconds."',)),
        Spoken(
            (
                'f"Its velocity is a times t: {fmt(a)} times {fmt(seconds)}, which is "',
                'f"{fmt(velocity(seconds))} metres per second."',
            )
        ),
    ]
