"""A simple pendulum swinging in real time, its angle traced against time, and its period."""

from __future__ import annotations

import math

import numpy as np

from app.generators.offline import codegen
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.controls import Number
from app.generators.offline.extract import NUM, Prompt
from app.generators.offline.templates import common

ID = "pendulum"
TITLE = "Simple pendulum"
SUBJECT = "Physics"
EXAMPLE_PROMPT = "Animate a 2 m pendulum released from 30 degrees"
DEFAULTS = {"length": 2.0, "amplitude_deg": 30.0}
VARIANTS = [{"length": 0.5, "amplitude_deg": 10.0}, {"length": 8.0, "amplitude_deg": 75.0}]
TRIGGERS = {
    r"\bpendul(?:um|ums|a)\b": 9,
    r"\bswing(?:s|ing)?\b|\boscillat\w*": 3,
    r"\bsimple harmonic\b|\bshm\b": 4,
    r"\bperiod\b": 2,
    r"\bbob\b|\bstring\b": 1,
}
GRAVITY = 9.8


def extract(prompt: Prompt) -> dict:
    params: dict = {}
    length = prompt.search(rf"({NUM})\s*(?:m|cm|metres?|meters?|centimet\w+)\b(?!\s*/)")
    if length:
        value = float(length.group(1))
        unit = prompt.text[length.end(1) : length.end()].strip()
        params["length"] = value / 100 if unit.startswith("c") else value
    else:
        given = prompt.number_after(r"\blength(?: of)?|\bl\s*=|\blong")
        if given is not None:
            params["length"] = given
    if prompt.angle_deg is not None:
        params["amplitude_deg"] = prompt.angle_deg
    else:
        amplitude = prompt.number_after(r"\bamplitude(?: of)?")
        if amplitude is not None:
            params["amplitude_deg"] = amplitude
    return params


CONTROLS = {
    "length": Number("Length (m)", 0.1, 20, step=0.1, unit="m"),
    "amplitude_deg": Number("Release angle (°)", 1, 80, step=1, unit="°"),
}


def validate(params: dict, notes: list[str]) -> dict:
    params["length"] = checks.number(params["length"], "length", low=0.1, high=20)
    params["amplitude_deg"] = checks.number(
        params["amplitude_deg"], "amplitude_deg", low=1, high=80
    )
    return params


SKELETON = """\
from manim import *
import numpy as np

g = 9.8  # gravity, m/s^2
length = <<length>>  # the string, in metres
amplitude = <<amplitude>> * DEGREES  # released from rest at this angle
duration = <<duration>>  # seconds of swinging shown, in real time
dt = 0.001  # simulation time step, s


def simulate(duration):
    # Step the pendulum equation  θ'' = -(g / L) sin θ  forward in time (semi-implicit Euler)
    theta, omega = amplitude, 0.0
    angles = []
    for _ in range(int(duration / dt) + 1):
        angles.append(theta)
        omega -= g / length * np.sin(theta) * dt
        theta += omega * dt
    return np.array(angles)


def measured_period(angles):
    # Twice the time between the first two times the pendulum passes straight down
    crossings = np.where(np.diff(np.sign(angles)) != 0)[0]
    return 2 * (crossings[1] - crossings[0]) * dt if len(crossings) >= 2 else float("nan")


angles = simulate(duration)
times = np.arange(len(angles)) * dt


def angle_at(t):
    return np.interp(t, times, angles)


class Pendulum(Scene):
    def construct(self):
<<fit_frame>>
        # Title
        title = Text("A simple pendulum", font_size=40)
        fit_title(self, title).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # The pendulum: the string is drawn <<rod>> units long whatever its real length
        pivot = np.array(at(swing, -3.2, 2.4))
        rod_length = <<rod>> * swing[0]
        time = ValueTracker(0)

        def bob_position():
            theta = angle_at(time.get_value())
            return pivot + rod_length * np.array([np.sin(theta), -np.cos(theta), 0])

        ceiling = Line(pivot + LEFT * 1.2, pivot + RIGHT * 1.2, color=MUTED)
        rest_line = DashedLine(pivot, pivot + DOWN * rod_length, color=MUTED)
        rod = always_redraw(lambda: Line(pivot, bob_position(), color=TEXT))
        bob = always_redraw(lambda: Dot(bob_position(), radius=0.22, color=SECONDARY))
        length_label = MathTex(rf"L = {length:g}\\,\\text{{m}}", font_size=32).next_to(
            rest_line, LEFT, buff=0.2
        )
        self.play(
            Create(ceiling),
            Create(rest_line),
            FadeIn(rod),
            FadeIn(bob),
            Write(length_label),
            run_time=1.2,
        )

        # The angle against time, traced on the right as it swings
        amplitude_degrees = np.degrees(amplitude)
        axes = Axes(
            x_range=[0, duration, <<t_step>>],
            y_range=[-amplitude_degrees * 1.2, amplitude_degrees * 1.2, <<angle_step>>],
            x_length=5.6,
            y_length=3.2,
            tips=False,
            axis_config={"include_numbers": True, "font_size": 20},
            x_axis_config={"decimal_number_config": {"num_decimal_places": <<t_places>>}},
            y_axis_config={"decimal_number_config": {"num_decimal_places": 0}},
        ).move_to([3.8, 0.9, 0])
        put(axes, graph_area)
        axes_labels = VGroup(
            Text("time (s)", font_size=20).next_to(axes.x_axis, DOWN, buff=0.4),
            MathTex(r"\\theta\\ (^\\circ)", font_size=28).next_to(axes.y_axis, UP, buff=0.1),
        )
        trace = always_redraw(
            lambda: axes.plot(
                lambda t: np.degrees(angle_at(t)),
                x_range=[0, max(time.get_value(), 0.01), 0.02],
                color=SECONDARY,
            )
        )
        self.play(Create(axes), FadeIn(axes_labels), run_time=1)
        self.add(trace)

        # Swing in real time
        self.play(time.animate.set_value(duration), run_time=duration, rate_func=linear)

        # The period: the small-angle formula, and what the simulation measured
        formula = MathTex(
            rf"T \\approx 2\\pi\\sqrt{{L / g}} = "
            rf"{2 * np.pi * np.sqrt(length / g):.2f}\\,\\text{{s}}",
            font_size=34,
        )
        measured = MathTex(
            rf"\\text{{measured: }} T = {measured_period(angles):.2f}\\,\\text{{s}}",
            font_size=34,
            color=HIGHLIGHT,
        )
        put(VGroup(formula, measured).arrange(DOWN, aligned_edge=LEFT), graph_area, 3.8, -2.2)
        self.play(Write(formula), run_time=1.2)
        self.play(Write(measured), run_time=1)
        self.wait(2)
"""


def swing_seconds(length: float) -> float:
    """Seconds of swinging shown, in real time: at least two swings when that fits in 10 s."""
    period = 2 * math.pi * math.sqrt(length / GRAVITY)
    return round(min(10.0, max(6.0, 2.2 * period)), 1)


def simulated_angles(length: float, amplitude_deg: float, seconds: float) -> np.ndarray:
    """The emitted simulate(duration), on the host: the same semi-implicit Euler steps."""
    length = float(codegen.number_literal(length))
    theta, omega, dt = float(codegen.number_literal(amplitude_deg)) * (math.tau / 360), 0.0, 0.001
    angles = []
    for _ in range(int(seconds / dt) + 1):
        angles.append(theta)
        omega -= GRAVITY / length * np.sin(theta) * dt
        theta += omega * dt
    return np.array(angles)


def measured_period(angles: np.ndarray) -> float:
    """The emitted measured_period: twice the time between the first two zero crossings."""
    crossings = np.where(np.diff(np.sign(angles)) != 0)[0]
    return 2 * (crossings[1] - crossings[0]) * 0.001 if len(crossings) >= 2 else float("nan")


def describe(params: dict) -> list[str]:
    length, amplitude = params["length"], params["amplitude_deg"]
    shown_length = float(codegen.number_literal(length))
    shown_amplitude = float(np.degrees(float(codegen.number_literal(amplitude)) * math.tau / 360))
    seconds = swing_seconds(length)
    formula = 2 * np.pi * np.sqrt(shown_length / GRAVITY)
    measured = measured_period(simulated_angles(length, amplitude, seconds))
    sentences = [
        "The title reads: A simple pendulum.",
        f"A pendulum hangs from a ceiling, pulled {shown_amplitude:g}° to the side of a dashed "
        f"line straight down; its length is labelled L = {shown_length:g} m.",
        "On the right, axes show the angle θ in degrees against time in seconds.",
        f"It swings out to {shown_amplitude:g}° on each side for {seconds:g} seconds in real "
        "time, while the graph traces its angle as a wave.",
        f"The small-angle formula gives the period: T ≈ 2π√(L / g) = {formula:.2f} s.",
    ]
    if math.isnan(measured):
        sentences.append("The measured period reads T = nan s: not enough swings were shown.")
    else:
        sentences.append(f"The period measured in the simulation is T = {measured:.2f} s.")
    return sentences


def build(params: dict) -> str:
    length, amplitude = params["length"], params["amplitude_deg"]
    duration = swing_seconds(length)
    rod = round(min(4.3, 3.6 / math.sin(math.radians(amplitude))), 2)
    angle_step = codegen.nice_step(2.4 * amplitude, 4)
    reach = rod * math.sin(math.radians(amplitude))  # how far the bob swings to either side
    swing = (-5.2 - max(reach - 2.0, 0), round(2.1 - rod, 3), round(-2.8 + reach, 3), 2.6)
    return fill(
        SKELETON,
        fit_frame=codegen.arrange_parts({"swing": swing, "graph_area": (0.5, -3.0, 6.8, 2.7)}),
        length=codegen.number_literal(length),
        amplitude=codegen.number_literal(amplitude),
        duration=literal(duration),
        rod=literal(rod),
        t_step=literal(codegen.nice_step(duration, 6)),
        t_places=literal(common.decimals(codegen.nice_step(duration, 6))),
        angle_step=literal(angle_step),
    )


def narration(params: dict) -> list[str]:
    length, amplitude = params["length"], params["amplitude_deg"]
    shown_length = float(codegen.number_literal(length))
    shown_amplitude = float(np.degrees(float(codegen.number_literal(amplitude)) * math.tau / 360))
    seconds = swing_seconds(length)
    formula = 2 * np.pi * np.sqrt(shown_length / GRAVITY)
    measured = measured_period(simulated_angles(length, amplitude, seconds))
    result = (
        "Not enough swings were shown to measure the period."
        if math.isnan(measured)
        else f"The simulation measures {measured:.2f} seconds."
    )
    return [
        "A simple pendulum.",
        f"The string is {shown_length:g} metres long, pulled {shown_amplitude:g} degrees to "
        "the side.",
        "On the right, a graph will show its angle against time.",
        f"Let it swing. For {seconds:g} seconds the graph traces its angle as a wave.",
        "The small-angle formula says the period is 2 pi times the square root of L over g: "
        f"{formula:.2f} seconds. {result}",
    ]
