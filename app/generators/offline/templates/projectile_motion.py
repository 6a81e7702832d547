"""Projectile motion: a ball launched at speed v and angle θ, with its path, height and range."""

from __future__ import annotations

import math

import numpy as np

from app.generators.offline import codegen
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.controls import Number
from app.generators.offline.extract import NUM, Prompt
from app.generators.offline.templates import common

ID = "projectile_motion"
TITLE = "Projectile motion"
SUBJECT = "Physics"
EXAMPLE_PROMPT = "A ball is launched at 20 m/s at 45 degrees; show its trajectory"
DEFAULTS = {"speed": 20.0, "angle_deg": 45.0}
VARIANTS = [{"speed": 35.0, "angle_deg": 70.0}, {"speed": 8.0, "angle_deg": 20.0}]
TRIGGERS = {
    r"\bprojectiles?\b": 8,
    r"\btrajector(?:y|ies)\b": 5,
    r"\blaunch(?:ed|es|ing)?\b|\bfired\b|\bkicked\b|\bthrown\b|\bthrow\b|\bcannon\w*\b": 3,
    r"\bparabolic (?:path|motion|flight)\b": 4,
    r"\bm\s*/\s*s\b|\bmetres per second\b|\bmeters per second\b": 2,
    r"\bbal(?:l|listic)\b": 1,
    r"\brange\b|\bmax(?:imum)? height\b|\btime of flight\b": 1,
}
GRAVITY = 9.8


def extract(prompt: Prompt) -> dict:
    params: dict = {}
    speed = prompt.search(
        rf"({NUM})\s*(?:m\s*/\s*s|mps|m s\^?-1|metres per second|meters per second)"
    )
    if speed:
        params["speed"] = float(speed.group(1))
    else:
        value = prompt.number_after(r"\b(?:speed|velocity|initial speed|initial velocity)(?: of)?")
        if value is not None:
            params["speed"] = value
    if prompt.angle_deg is not None:
        params["angle_deg"] = prompt.angle_deg
    return params


CONTROLS = {
    "speed": Number("Launch speed (m/s)", 1, 200, step=1, unit="m/s"),
    "angle_deg": Number("Launch angle (°)", 5, 85, step=1, unit="°"),
}


def validate(params: dict, notes: list[str]) -> dict:
    params["speed"] = checks.number(params["speed"], "speed", low=1, high=200)
    params["angle_deg"] = checks.number(params["angle_deg"], "angle_deg", low=5, high=85)
    return params


def flight(speed: float, angle_deg: float) -> tuple[float, float, float]:
    """(time of flight, maximum height, range) on level ground, g = 9.8 m/s²."""
    angle = math.radians(angle_deg)
    vx, vy = speed * math.cos(angle), speed * math.sin(angle)
    return 2 * vy / GRAVITY, vy**2 / (2 * GRAVITY), 2 * vx * vy / GRAVITY


SKELETON = """\
from manim import *
import numpy as np

g = 9.8  # gravity, m/s^2
speed = <<speed>>  # launch speed, m/s
angle = <<angle>> * DEGREES  # launch angle above the ground
vx, vy = speed * np.cos(angle), speed * np.sin(angle)  # starting velocity components

flight_time = 2 * vy / g  # up and back down to launch height
max_height = vy**2 / (2 * g)  # where the vertical velocity is zero
distance = vx * flight_time  # the range


def position(t):
    # Constant speed sideways, constant acceleration downwards
    return vx * t, vy * t - 0.5 * g * t**2


def fmt(value):
    return f"{value:.1f}"


class ProjectileMotion(Scene):
    def construct(self):
<<fit_frame>>
        # Title
        title = Text("Projectile motion", font_size=40)
        fit_title(self, title).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # Axes in metres, sized to the flight
        axes = Axes(
            x_range=[0, <<x_max>>, <<x_step>>],
            y_range=[0, <<y_max>>, <<y_step>>],
            x_length=<<x_length>>,
            y_length=<<y_length>>,
            tips=False,
            axis_config={"include_numbers": True, "font_size": 22},
            x_axis_config={"decimal_number_config": {"num_decimal_places": <<x_places>>}},
            y_axis_config={"decimal_number_config": {"num_decimal_places": <<y_places>>}},
        ).move_to([<<axes_x>>, -0.6, 0])
        put(axes, diagram)
        x_label = scaled(Text("distance (m)", font_size=22), diagram)
        x_label.next_to(axes.x_axis, DOWN, buff=0.45 * diagram[0])
        y_label = scaled(Text("height (m)", font_size=22).rotate(PI / 2), diagram)
        y_label.next_to(axes.y_axis, LEFT, buff=0.45 * diagram[0])
        self.play(Create(axes), FadeIn(x_label), FadeIn(y_label), run_time=1.5)

        # The launch: speed and angle at the start
        start = axes.c2p(0, 0)
        launch = Arrow(start, axes.c2p(*position(0.18 * flight_time)), buff=0, color=HIGHLIGHT)
        launch_label = MathTex(
            rf"v_0 = {speed:g}\\,\\text{{m/s}},\\ \\theta = {np.degrees(angle):g}^\\circ",
            font_size=32,
            color=HIGHLIGHT,
        )
        if launch_label.width > 4.4:
            launch_label.scale_to_fit_width(4.4)
        put(launch_label, panel, 4.6, 2.2)
        self.play(GrowArrow(launch), Write(launch_label), run_time=1.2)

        # The ball flies; time runs at <<time_scale_text>>
        time = ValueTracker(0)
        ball = always_redraw(
            lambda: Dot(axes.c2p(*position(time.get_value())), radius=0.12, color=SECONDARY)
        )
        path = always_redraw(
            lambda: axes.plot_parametric_curve(
                lambda t: np.array(position(t)),
                t_range=[0, max(time.get_value(), 1e-3)],
                color=SECONDARY,
            )
        )
        self.add(path, ball)
        self.play(
            FadeOut(launch),
            time.animate.set_value(flight_time),
            run_time=<<run_time>>,
            rate_func=linear,
        )

        # The highest point and the range
        peak_x = vx * vy / g
        peak = DashedLine(axes.c2p(peak_x, 0), axes.c2p(peak_x, max_height), color=ACCENT)
        results = (
            VGroup(
                MathTex(
                    rf"\\text{{time of flight}} = {fmt(flight_time)}\\,\\text{{s}}", font_size=32
                ),
                MathTex(
                    rf"\\text{{max height}} = {fmt(max_height)}\\,\\text{{m}}",
                    font_size=32,
                    color=ACCENT,
                ),
                MathTex(
                    rf"\\text{{range}} = {fmt(distance)}\\,\\text{{m}}",
                    font_size=32,
                    color=TERTIARY,
                ),
            )
            .arrange(DOWN, aligned_edge=LEFT)
        )
        scaled(results, panel).next_to(launch_label, DOWN, buff=0.4)
        span = DoubleArrow(
            axes.c2p(0, 0) + DOWN * 0.15,
            axes.c2p(distance, 0) + DOWN * 0.15,
            buff=0,
            color=TERTIARY,
            tip_length=0.15,
        )
        self.play(Create(peak), Write(results[:2]), run_time=1.5)
        self.play(GrowFromCenter(span), Write(results[2]), run_time=1.2)
        self.wait(2)
"""


def shown_results(speed: float, angle_deg: float) -> tuple[float, float, float]:
    """The time of flight, max height and range the video prints, computed the emitted way
    (from the literals in the code, angle * DEGREES, distance = vx * flight_time)."""
    angle = float(codegen.number_literal(angle_deg)) * (math.tau / 360)
    speed = float(codegen.number_literal(speed))
    vx, vy = speed * np.cos(angle), speed * np.sin(angle)
    flight_time = 2 * vy / GRAVITY
    return float(flight_time), float(vy**2 / (2 * GRAVITY)), float(vx * flight_time)


def run_time(flight_time: float) -> float:
    """Seconds the flight takes on screen: real time when that is between 2.5 and 6 s."""
    return min(6.0, max(2.5, flight_time))


def describe(params: dict) -> list[str]:
    speed, angle = params["speed"], params["angle_deg"]
    flight_time, height, distance = shown_results(speed, angle)
    shown_speed = float(codegen.number_literal(speed))
    shown_angle = float(np.degrees(float(codegen.number_literal(angle)) * (math.tau / 360)))
    host_time = flight(speed, angle)[0]
    pace = " in real time" if run_time(host_time) == host_time else ""
    return [
        "The title reads: Projectile motion.",
        "Axes appear with distance in metres across and height in metres up.",
        f"An arrow shows the launch: {shown_speed:g} m/s at {shown_angle:g}° above the ground.",
        f"The ball flies up and back down to the ground{pace}, tracing a curved path.",
        "A dashed line marks the highest point.",
        f"The time of flight is {flight_time:.1f} s and the max height is {height:.1f} m.",
        f"An arrow along the ground shows the range: {distance:.1f} m.",
    ]


def build(params: dict) -> str:
    speed, angle = params["speed"], params["angle_deg"]
    flight_time, height, distance = flight(speed, angle)
    x_step = codegen.nice_step(distance, 6)
    y_step = codegen.nice_step(height, 4)
    x_max = math.ceil(distance * 1.05 / x_step) * x_step
    y_max = math.ceil(height * 1.15 / y_step) * y_step
    # Metres map to screen units the same way on both axes when that fits (true shape);
    # very flat or very tall paths get separate scales so they stay readable.
    x_length, y_length = 8.0, 4.6
    scale = min(x_length / x_max, y_length / y_max)
    if x_max * scale >= 5 and y_max * scale >= 2.2:
        x_length, y_length = x_max * scale, y_max * scale
    seconds = run_time(flight_time)
    time_scale_text = "real speed" if seconds == flight_time else "a steady pace"
    return fill(
        SKELETON,
        fit_frame=codegen.arrange_parts(
            {
                "diagram": (
                    -6.7,
                    round(-1.5 - y_length / 2, 3),
                    round(-5.5 + x_length, 3),
                    round(-0.4 + y_length / 2, 3),
                ),
                "panel": (2.3, -0.6, 6.9, 2.6),
            }
        ),
        speed=codegen.number_literal(speed),
        angle=codegen.number_literal(angle),
        x_max=literal(codegen.tidy(x_max)),
        x_step=literal(codegen.tidy(x_step)),
        y_max=literal(codegen.tidy(y_max)),
        y_step=literal(codegen.tidy(y_step)),
        x_length=literal(round(x_length, 3)),
        y_length=literal(round(y_length, 3)),
        axes_x=literal(round(-5.8 + x_length / 2, 3)),
        run_time=literal(round(seconds, 2)),
        time_scale_text=time_scale_text,
        x_places=literal(common.decimals(x_step)),
        y_places=literal(common.decimals(y_step)),
    )


def narration(params: dict) -> list[str]:
    speed, angle = params["speed"], params["angle_deg"]
    flight_time, height, distance = shown_results(speed, angle)
    shown_speed = float(codegen.number_literal(speed))
    shown_angle = float(np.degrees(float(codegen.number_literal(angle)) * (math.tau / 360)))
    return [
        "Projectile motion.",
        "Distance in metres goes across, and height in metres goes up.",
        f"The ball is launched at {shown_speed:g} metres per second, {shown_angle:g} degrees "
        "above the ground.",
        "Gravity pulls it back down, so its path curves.",
        f"It stays in the air for {flight_time:.1f} seconds, reaches a highest point of "
        f"{height:.1f} metres, and lands {distance:.1f} metres away.",
    ]
