"""A velocity-time graph, stage by stage: each gradient is the acceleration, and the shaded
area under the graph is the distance travelled."""

from __future__ import annotations

import itertools
import re

from app.generators.offline import codegen, controls
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal, show
from app.generators.offline.extract import NUM, Prompt
from app.generators.offline.templates import common
from app.generators.offline.templates.common import Spoken

ID = "velocity_time_graph"
TITLE = "Velocity-time graph"
SUBJECT = "Physics"
EXAMPLE_PROMPT = (
    "Velocity-time graph: from rest, accelerate at 2 m/s² for 4 s, then constant speed for 3 s, "
    "then decelerate at 1 m/s² for 8 s"
)
DEFAULTS = {"start_velocity": 0.0, "accelerations": [2.0, 0.0, -1.0], "durations": [4.0, 3.0, 8.0]}
VARIANTS = [
    {"start_velocity": 2.0, "accelerations": [1.5], "durations": [6.0]},
    {"start_velocity": 12.5, "accelerations": [-0.5, 3.0, 0.0, -2.75], "durations": [5, 2, 1.5, 4]},
    {"start_velocity": 30.0, "accelerations": [0.0, -2.5], "durations": [10.0, 12.0]},
]
TRIGGERS = {
    r"\bvelocity[- ]time\b|\bspeed[- ]time\b|\bv[- ]t (?:graph|diagram|chart)\b": 9,
    r"\bsuvat\b|\barea under (?:the |a )?(?:graph|line|curve)\b": 3,
    r"\bgradient\b|\bslope\b": 1,
    r"\baccelerat\w*|\bdecelerat\w*": 2,
    r"\bm\s*/\s*s\s*(?:\^?2|²)|\bm\s*/\s*s\s*/\s*s\b|\bm s\^?-2\b": 2,
    r"\bconstant (?:speed|velocity)\b|\bfrom rest\b|\bcomes? to (?:a )?(?:rest|stop)\b": 2,
    r"\bdistance travel+ed\b|\bhow far\b": 2,
}
START = (0.0, 100.0)
ACCELERATION = (-50.0, 50.0)
DURATION = (0.1, 100.0)
MAX_STAGES = 4
CONTROLS = {
    "start_velocity": controls.Number("Starting velocity", *START, step=0.5, unit="m/s"),
    "accelerations": controls.NumberList(
        "Acceleration of each stage (m/s²)", *ACCELERATION, 1, MAX_STAGES
    ),
    "durations": controls.NumberList("Duration of each stage (s)", *DURATION, 1, MAX_STAGES),
}

_SECONDS = r"\s*(?:s|secs?|seconds?)\b"
_ACCEL_UNIT = (
    r"\s*(?:m\s*/\s*s\s*(?:\^?\s*2|²)|m\s*/\s*s\s*/\s*s|m s\^?-2|metres? per second squared)"
)
_SPEED_UNIT = r"\s*(?:m\s*/\s*s|metres? per second|meters? per second)(?!\s*(?:\^|²|/|squared))"


def extract(prompt: Prompt) -> dict:
    """A start velocity, then one stage per clause ("then", ";") that gives a duration.

    A clause's acceleration is read from "accelerates at 2 m/s²" (negative after "decelerat"
    or "slows"), from "to 10 m/s in 4 s", or is 0 for "constant"/"steady" speed; one clause
    with a duration and an acceleration given anywhere in the prompt is one stage.
    """
    text = prompt.text
    params: dict = {}
    start = None
    if prompt.has(r"\bfrom rest\b|\bat rest\b|\bstationary\b|\bstarts? from 0\b"):
        start = 0.0
    found = re.search(
        rf"\b(?:initial|starting|start) (?:velocity|speed)(?: of| is|=|:)?\s*({NUM})"
        rf"|\bu\s*=\s*({NUM})|\bstart(?:s|ing)? (?:at|with|moving at|off at)\s*({NUM}){_SPEED_UNIT}"
        rf"|\bfrom\s+({NUM})(?:{_SPEED_UNIT}|\s+to\s+{NUM}{_SPEED_UNIT})",
        text,
    )
    if found:
        start = float(next(g for g in found.groups() if g is not None))
    elif start is None:
        # The first speed the prompt gives that is not a target ("to 20 m/s")
        for speed in re.finditer(rf"(?<![\w.])({NUM}){_SPEED_UNIT}", text):
            if not re.search(r"\b(?:to|reach(?:es|ing)?)\s*$", text[: speed.start()]):
                start = float(speed.group(1))
                break
    if start is not None:
        params["start_velocity"] = start
    velocity = start if start is not None else 0.0  # the default start
    accelerations: list[float] = []
    durations: list[float] = []
    clauses = [c for c in re.split(r"\bthen\b|;|\band after that\b|\bafter which\b", text) if c]
    for clause in clauses:
        duration = re.search(rf"\b(?:for|in|over|during|lasting)\s+({NUM}){_SECONDS}", clause)
        if not duration:
            continue
        seconds = float(duration.group(1))
        acceleration = _clause_acceleration(clause, velocity, seconds)
        if acceleration is None and len(clauses) == 1:
            acceleration = _acceleration(text)
        if acceleration is None:
            continue
        accelerations.append(acceleration)
        durations.append(seconds)
        velocity += acceleration * seconds
    if not accelerations:
        acceleration = _acceleration(text)
        lasting = re.search(rf"\b(?:t\s*=\s*|for\s+|over\s+)({NUM}){_SECONDS}", text)
        if acceleration is not None:
            accelerations = [acceleration]
            durations = [float(lasting.group(1)) if lasting else 5.0]
    if accelerations:
        params["accelerations"] = [round(a, 6) for a in accelerations]
        params["durations"] = durations
    return params


def _acceleration(text: str) -> float | None:
    found = re.search(rf"(?<![\w.])({NUM}){_ACCEL_UNIT}", text) or re.search(
        rf"\b(?:acceleration|a)\s*(?:of|=|is|:)\s*({NUM})", text
    )
    if not found:
        return None
    value = float(found.group(1))
    slowing = re.search(r"decelerat\w*|\bslow(?:s|ing)? down\b|\bslows\b|\bbrak\w*", text)
    return -abs(value) if slowing else value


def _clause_acceleration(clause: str, velocity: float, seconds: float) -> float | None:
    target = re.search(rf"\bto\s+({NUM}){_SPEED_UNIT}", clause)
    if target:
        return (float(target.group(1)) - velocity) / seconds
    if re.search(r"\bcomes? to (?:a )?(?:rest|stop)\b|\bstops\b|\bto rest\b", clause):
        return -velocity / seconds
    if re.search(rf"(?<![\w.]){NUM}{_ACCEL_UNIT}|\bacceleration\b", clause):
        return _acceleration(clause)
    if re.search(r"\bconstant\b|\bsteady\b|\buniform (?:speed|velocity)\b|\bcruis\w*", clause):
        return 0.0
    return None


def corners(start: float, accelerations: list[float], durations: list[float]) -> list[tuple]:
    """(time, velocity) at the start and at the end of every stage."""
    points = [(0.0, start)]
    for a, dt in zip(accelerations, durations, strict=True):
        t, v = points[-1]
        points.append((t + dt, v + a * dt))
    return points


def validate(params: dict, notes: list[str]) -> dict:
    params["start_velocity"] = checks.number(
        params["start_velocity"], "start_velocity", low=START[0], high=START[1]
    )
    for name, (low, high) in (("accelerations", ACCELERATION), ("durations", DURATION)):
        params[name] = checks.number_list(
            params[name], name, low=low, high=high, min_items=1, max_items=MAX_STAGES
        )
    if len(params["accelerations"]) != len(params["durations"]):
        raise checks.fail(
            "'accelerations' and 'durations' need one number each per stage, the same count."
        )
    points = corners(params["start_velocity"], params["accelerations"], params["durations"])
    for stage, (_, v) in enumerate(points[1:], 1):
        if v < -1e-4:  # a little below 0 is rounding in an extracted deceleration
            raise checks.fail(
                f"The velocity would drop below 0 in stage {stage}; this graph shows speeding up "
                "and slowing down without turning back, so use a smaller deceleration or time."
            )
    if max(v for _, v in points) <= 0:
        raise checks.fail(
            "The velocity stays at 0 the whole time, so give a starting velocity or an "
            "acceleration."
        )
    return params


SKELETON = r"""from manim import *
import math

v0 = <<start_velocity>>  # starting velocity, m/s
# Each stage: (acceleration in m/s^2, how long it lasts in s)
stages = <<stages>>


def corners():
    # (time, velocity) at the start and the end of every stage: v = u + a t in each
    points = [(0.0, v0)]
    for a, dt in stages:
        t, v = points[-1]
        points.append((t + dt, v + a * dt))
    return points


def stage_area(u, v, dt):
    # The area under one straight stage, a trapezium: 1/2 (u + v) t, the distance covered
    return 0.5 * (u + v) * dt


def nice_step(span, ticks):
    # A tick step of 1, 2 or 5 x 10^k giving about `ticks` ticks
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


<<places>>


def fmt(value):
    # A number as the screen shows it: 3 -> "3", 2.5 -> "2.5", 1/3 -> "0.33"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


points = corners()
areas = [stage_area(u, v, a_dt[1]) for (_, u), (_, v), a_dt in zip(points, points[1:], stages)]
distance = sum(areas)
t_total = points[-1][0]
v_top = max(v for _, v in points)


class VelocityTimeGraph(Scene):
    def construct(self):
<<fit_frame>>
        # Title
        title = Text("Velocity-time graph", font_size=40)
        fit_title(self, title).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # Axes sized to the journey: time across, velocity up
        t_step, v_step = nice_step(t_total, 6), nice_step(v_top * 1.1, 5)
        axes = Axes(
            x_range=[0, math.ceil(t_total / t_step - 1e-9) * t_step, t_step],
            # headroom above the fastest point for the stage numbers
            y_range=[0, math.ceil(v_top * 1.1 / v_step) * v_step, v_step],
            x_length=7.2,
            y_length=4.8,
            tips=False,
            axis_config={"include_numbers": True, "font_size": 22},
            x_axis_config={"decimal_number_config": {"num_decimal_places": places(t_step)}},
            y_axis_config={"decimal_number_config": {"num_decimal_places": places(v_step)}},
        ).move_to([-2.7, -0.6, 0])
        put(axes, diagram)
        axis_labels = VGroup(
            Text("time (s)", font_size=22).next_to(axes.x_axis, DOWN, buff=0.45),
            Text("velocity (m/s)", font_size=22)
            .next_to(axes.y_axis, UP, buff=0.15)
            .align_to(axes, LEFT),
        )
        self.play(Create(axes), FadeIn(axis_labels), run_time=1.5)

        # Each stage is a straight line; its gradient is the acceleration
        many = len(stages) > 1
        segments, names, gradient_lines = VGroup(), VGroup(), VGroup()
        for i, ((t0, u), (t1, v)) in enumerate(zip(points, points[1:]), 1):
            segment = Line(axes.c2p(t0, u), axes.c2p(t1, v), color=ACCENT, stroke_width=6)
            name = Text(str(i), font_size=24).next_to(segment.get_center(), UP, buff=0.25)
            label = rf"\text{{gradient {i}}}" if many else r"\text{gradient}"
            gradient_lines.add(
                MathTex(
                    rf"{label} = \frac{{{fmt(v)} - {fmt(u)}}}{{{fmt(t1 - t0)}}}"
                    rf" = {fmt((v - u) / (t1 - t0))}\,\text{{m/s}}^2",
                    font_size=30,
                )
            )
            segments.add(segment)
            names.add(name if many else VGroup())

        # The area under each stage is the distance covered in it
        shading, area_lines = VGroup(), VGroup()
        for i, ((t0, u), (t1, v)) in enumerate(zip(points, points[1:]), 1):
            corners_on_screen = [axes.c2p(t0, 0), axes.c2p(t0, u), axes.c2p(t1, v), axes.c2p(t1, 0)]
            shading.add(
                Polygon(*corners_on_screen, color=TERTIARY, fill_opacity=0.35, stroke_width=1)
            )
            label = rf"\text{{area {i}}}" if many else r"\text{area}"
            area_lines.add(
                MathTex(
                    rf"{label} = \tfrac12 ({fmt(u)} + {fmt(v)}) \times {fmt(t1 - t0)}"
                    rf" = {fmt(areas[i - 1])}\,\text{{m}}",
                    font_size=30,
                )
            )
        parts = " + ".join(fmt(area) for area in areas) + " = " if many else ""
        total = MathTex(
            rf"\text{{distance}} = {parts}{fmt(distance)}\,\text{{m}}",
            font_size=32,
            color=HIGHLIGHT,
        )
        panel = VGroup(*gradient_lines, *area_lines, total).arrange(DOWN, aligned_edge=LEFT)
        panel.scale_to_fit_width(min(panel.width, 5.2))
        if panel.height > 6.2:
            panel.scale_to_fit_height(6.2)
        put(panel, side, 4.3, -0.3)

        for segment, name, line in zip(segments, names, gradient_lines):
            self.play(Create(segment), FadeIn(name), Write(line), run_time=1.2)
        for shade, line in zip(shading, area_lines):
            self.play(FadeIn(shade), Write(line), run_time=1.0)
        self.play(Write(total), run_time=1.2)
        self.wait(2)
"""


def shown_stages(params: dict) -> list[tuple[float, float, float, float, float]]:
    """(u, v, dt, gradient, area) per stage, from the literals the code starts with."""
    start = float(literal(float(params["start_velocity"])))
    accelerations = [float(literal(float(a))) for a in params["accelerations"]]
    durations = [float(literal(float(d))) for d in params["durations"]]
    points = corners(start, accelerations, durations)
    return [
        (u, v, t1 - t0, (v - u) / (t1 - t0), 0.5 * (u + v) * (t1 - t0))
        for (t0, u), (t1, v) in itertools.pairwise(points)
    ]


def describe(params: dict) -> list[str]:
    stages = shown_stages(params)
    many = len(stages) > 1
    sentences = [
        "The title reads: Velocity-time graph.",
        "Axes appear with time in seconds across and velocity in metres per second up.",
    ]
    for i, (u, v, dt, gradient, _) in enumerate(stages, 1):
        name = f"Stage {i}" if many else "The graph"
        if abs(v - u) < 1e-12:
            motion = f"stays at {show(u)} m/s for {show(dt)} s"
        else:
            motion = f"goes from {show(u)} m/s to {show(v)} m/s in {show(dt)} s"
        sentences.append(
            f"{name} {motion}: its gradient, ({show(v)} − {show(u)}) / {show(dt)} = "
            f"{show(gradient)} m/s², is the acceleration."
        )
    areas = [area for *_, area in stages]
    shaded = "The area under each stage is shaded" if many else "The area under it is shaded"
    sentences.append(
        f"{shaded}, worked out as half the sum of the two velocities times the time: "
        + ", ".join(f"{show(area)} m" for area in areas)
        + "."
    )
    total = sum(areas)
    if many:
        parts = " + ".join(show(area) for area in areas)
        sentences.append(f"The distance travelled is the total area: {parts} = {show(total)} m.")
    else:
        sentences.append(f"The distance travelled is the area: {show(total)} m.")
    return sentences


def build(params: dict) -> str:
    stages = [
        (float(a), float(d))
        for a, d in zip(params["accelerations"], params["durations"], strict=True)
    ]
    return fill(
        SKELETON,
        places=common.PLACES,
        fit_frame=codegen.arrange_parts(
            {"diagram": (-6.9, -3.7, 1.3, 2.4), "side": (1.7, -3.4, 6.9, 2.8)}
        ),
        start_velocity=literal(float(params["start_velocity"])),
        stages=codegen.block_literal(stages, 0, 9),
    )


def narration(params: dict) -> list[str | Spoken]:
    # The values are worked out in the scene from its input lines, like everything it shows
    return [
        "A velocity-time graph.",
        Spoken(
            (
                'f"Time goes across, and velocity goes up, starting at {fmt(v0)} metres per "',
                '"second. The slope of each line is the acceleration."',
            )
        ),
        Spoken(('f"The area under the graph is the distance travelled: {fmt(distance)} metres."',)),
    ]
