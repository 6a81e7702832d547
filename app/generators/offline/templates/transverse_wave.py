"""A transverse wave travelling right while each particle only moves up and down."""

from __future__ import annotations

from app.generators.offline import codegen
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.controls import Number
from app.generators.offline.extract import Prompt
from app.generators.offline.templates import common

ID = "transverse_wave"
TITLE = "Transverse wave"
SUBJECT = "Physics"
EXAMPLE_PROMPT = "Show a transverse wave with amplitude 1 and wavelength 2"
DEFAULTS = {"amplitude": 1.0, "wavelength": 2.0}
VARIANTS = [{"amplitude": 0.5, "wavelength": 5.0}, {"amplitude": 3.0, "wavelength": 1.0}]
TRIGGERS = {
    r"\btransverse\b": 8,
    r"\bwaves?\b": 4,
    r"\bwavelengths?\b|λ": 5,
    r"\bamplitude\b": 2,
    r"\bcrests?\b|\btroughs?\b": 3,
    r"\bfrequency\b|\bwave speed\b|\bpropagat\w*|\btravell?ing\b": 2,
    r"\bstring\b|\brope\b|\bslinky\b": 1,
}
PERIOD = 2.0  # seconds per full oscillation, fixed so the motion is calm


def bonus(prompt: Prompt) -> int:
    # "sine wave" alone is a graph; a wave with physics words is this template.
    return (
        -4
        if prompt.has(r"\bsine wave\b")
        and not prompt.has(r"transverse|wavelength|amplitude|travel|propagat|particle|string|rope")
        else 0
    )


def extract(prompt: Prompt) -> dict:
    params: dict = {}
    amplitude = prompt.number_after(r"\bamplitude(?: of)?|\ba\s*=")
    wavelength = prompt.number_after(r"\bwavelength(?: of)?|λ\s*=?|\blambda\s*=?")
    if amplitude is not None:
        params["amplitude"] = amplitude
    if wavelength is not None:
        params["wavelength"] = wavelength
    return params


CONTROLS = {
    "amplitude": Number("Amplitude (units)", 0.05, 100, step=0.05, unit="units"),
    "wavelength": Number("Wavelength (units)", 0.1, 1000, step=0.1, unit="units"),
}


def validate(params: dict, notes: list[str]) -> dict:
    params["amplitude"] = checks.number(params["amplitude"], "amplitude", low=0.05, high=100)
    params["wavelength"] = checks.number(params["wavelength"], "wavelength", low=0.1, high=1000)
    return params


SKELETON = """\
from manim import *
import numpy as np

amplitude = <<amplitude>>  # A: the height of a crest above the rest line
wavelength = <<wavelength>>  # λ: the distance from one crest to the next
period = <<period>>  # T: seconds for one full up-and-down of a particle
speed = wavelength / period  # every crest moves one wavelength per period


def height(x, t):
    # A wave moving right: y = A sin(2π(x/λ - t/T))
    return amplitude * np.sin(2 * PI * (x / wavelength - t / period))


def fmt(value):
    return f"{value:.2f}".rstrip("0").rstrip(".")


class TransverseWave(Scene):
    def construct(self):
<<fit_frame>>
        # Title
        title = Text("A transverse wave", font_size=40).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # Axes: two and a half wavelengths across
        axes = Axes(
            x_range=[0, 2.5 * wavelength, <<x_step>>],
            y_range=[-1.6 * amplitude, 1.6 * amplitude, <<y_step>>],
            x_length=11,
            y_length=3.6,
            tips=False,
            axis_config={"include_numbers": True, "font_size": 20},
            x_axis_config={"decimal_number_config": {"num_decimal_places": <<x_places>>}},
            y_axis_config={"decimal_number_config": {"num_decimal_places": <<y_places>>}},
        ).move_to([0.2, 0.3, 0])
        self.play(Create(axes), run_time=1.2)

        # The wave at t = 0
        time = ValueTracker(0)
        x_end = 2.5 * wavelength
        wave = always_redraw(
            lambda: axes.plot(
                lambda x: height(x, time.get_value()),
                x_range=[0, x_end, x_end / 300],
                color=ACCENT,
            )
        )
        self.play(Create(wave), run_time=1.5)

        # Wavelength: crest to crest; amplitude: rest line to crest
        crest_1, crest_2 = wavelength / 4, 5 * wavelength / 4
        brace = BraceBetweenPoints(
            axes.c2p(crest_1, amplitude), axes.c2p(crest_2, amplitude), direction=UP
        )
        brace_label = MathTex(rf"\\lambda = {fmt(wavelength)}", font_size=36).next_to(
            brace, UP, buff=0.1
        )
        rise = DoubleArrow(
            axes.c2p(crest_1, 0),
            axes.c2p(crest_1, amplitude),
            buff=0,
            color=HIGHLIGHT,
            tip_length=0.15,
        )
        rise_label = MathTex(f"A = {fmt(amplitude)}", font_size=32, color=HIGHLIGHT).next_to(
            rise, LEFT, buff=0.1
        )
        self.play(GrowFromCenter(brace), Write(brace_label), run_time=1.2)
        self.play(GrowFromCenter(rise), Write(rise_label), run_time=1)
        self.wait(0.5)
        self.play(FadeOut(VGroup(brace, brace_label, rise, rise_label)), run_time=0.5)

        # Particles along the string: each one only moves up and down (follow the big one)
        spots = np.linspace(0, x_end, 21)[1:-1]
        particles = always_redraw(
            lambda: VGroup(
                *[
                    Dot(
                        axes.c2p(x, height(x, time.get_value())),
                        radius=0.14 if i == 6 else 0.07,
                        color=HIGHLIGHT if i == 6 else TEXT,
                    )
                    for i, x in enumerate(spots)
                ]
            )
        )
        guide = DashedLine(
            axes.c2p(spots[6], -amplitude), axes.c2p(spots[6], amplitude), color=HIGHLIGHT
        )
        note = Text(
            "the big particle moves only up and down its dashed line",
            font_size=24,
            color=HIGHLIGHT,
        ).next_to(axes, DOWN, buff=0.3)
        self.play(FadeIn(particles), Create(guide), FadeIn(note), run_time=1)

        # Let time run: the crests travel right at speed λ / T
        self.play(
            time.animate.set_value(2 * period), run_time=<<travel_time>>, rate_func=linear
        )

        facts = MathTex(
            rf"T = {fmt(period)}\\,\\text{{s}},\\quad "
            rf"v = \\frac{{\\lambda}}{{T}} = {fmt(speed)}\\ \\text{{units/s}}",
            font_size=34,
        ).next_to(note, DOWN, buff=0.25)
        self.play(Write(facts), run_time=1.2)
        self.wait(2)
"""


def fmt(value: float) -> str:
    """The emitted fmt: two decimals at most, trailing zeros dropped (2.50 → 2.5)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def describe(params: dict) -> list[str]:
    amplitude = float(codegen.number_literal(params["amplitude"]))
    wavelength = float(codegen.number_literal(params["wavelength"]))
    return [
        "The title reads: A transverse wave.",
        "Axes appear, and a wave two and a half wavelengths long is drawn on them.",
        f"A brace from one crest to the next marks the wavelength: λ = {fmt(wavelength)}.",
        f"An arrow from the rest line up to a crest marks the amplitude: A = {fmt(amplitude)}.",
        "The brace and arrow fade, and particles appear along the wave as dots, one of them big.",
        "A note reads: the big particle moves only up and down its dashed line.",
        "As time runs, the crests travel two wavelengths to the right while every particle only "
        "moves up and down.",
        f"The result reads: T = {fmt(PERIOD)} s and v = λ / T = {fmt(wavelength / PERIOD)} "
        "units/s.",
    ]


def build(params: dict) -> str:
    amplitude, wavelength = params["amplitude"], params["wavelength"]
    x_step = codegen.nice_step(2.5 * wavelength, 10)
    y_step = codegen.nice_step(3.2 * amplitude, 4)
    return fill(
        SKELETON,
        fit_frame=codegen.fit_frame((-6.9, -3.6, 6.9, 3.7)),
        amplitude=codegen.number_literal(amplitude),
        wavelength=codegen.number_literal(wavelength),
        period=literal(PERIOD),
        x_step=literal(x_step),
        y_step=literal(y_step),
        x_places=literal(common.decimals(x_step)),
        y_places=literal(common.decimals(y_step)),
        travel_time=literal(2 * PERIOD * 1.5),
    )


def narration(params: dict) -> list[str]:
    amplitude = float(codegen.number_literal(params["amplitude"]))
    wavelength = float(codegen.number_literal(params["wavelength"]))
    return [
        "A transverse wave.",
        "The axes are two and a half wavelengths across.",
        "Here is the wave at the start.",
        f"From one crest to the next is the wavelength, {fmt(wavelength)}. From the rest line "
        f"up to a crest is the amplitude, {fmt(amplitude)}.",
        "Dots mark particles along the string. Follow the big one: it only moves up and down.",
        f"Let time run. The crests travel to the right, while each particle just moves up and "
        f"down. One swing takes {fmt(PERIOD)} seconds, so the wave moves at {fmt(wavelength)} "
        f"over {fmt(PERIOD)}, which is {fmt(wavelength / PERIOD)} units per second.",
    ]
