"""The normal distribution: a bell curve with the teacher's mean and standard deviation, the
area within k standard deviations of the mean shaded, and the percentage it holds."""

from __future__ import annotations

import math
import re

from app.generators.offline import codegen, controls
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal, show
from app.generators.offline.extract import NUM, Prompt
from app.generators.offline.templates import common
from app.generators.offline.templates.common import Spoken

ID = "normal_distribution"
TITLE = "Normal distribution"
SUBJECT = "Math"
EXAMPLE_PROMPT = (
    "Normal distribution of IQ scores with mean 100 and standard deviation 15: shade within "
    "1 standard deviation"
)
DEFAULTS = {"mean": 100.0, "sd": 15.0, "k": 1.0, "label": "value"}
VARIANTS = [
    {"mean": 170.0, "sd": 8.0, "k": 2.0, "label": "height (cm)"},
    {"mean": 0.0, "sd": 1.0, "k": 3.0, "label": "z"},
    {"mean": 2.5, "sd": 0.4, "k": 1.5, "label": "mass (kg)"},
]
# N(μ, σ²): the second number is the variance, as A-level writes it
_NOTATION = rf"\bn\s*\(\s*({NUM})\s*,\s*({NUM})\s*\)"
TRIGGERS = {
    r"\bnormal(?:ly)? distribut\w*\b|\bbell[- ]curve\b|\bgaussian\b|\bnormal curve\b": 9,
    r"\bstandard deviations?\b|\bstd\.? dev\w*\b|\bsd\b|\bσ\s*=|\bsigma\b": 2,
    r"\b68\s*-\s*95\s*-\s*99\.7\b|\bempirical rule\b": 9,
    _NOTATION: 9,
    r"\bmean\b|\bμ\s*=|\bmu\b|\baverage\b": 1,
    r"\bz[- ]scores?\b|\bshade\w*\b|\bwithin\b": 1,
    # A list of data (the mean and SD of 2, 4, 4, 5) is not a bell curve
    r"(?:-?\d+(?:\.\d+)?\s*,\s*){3,}-?\d": -6,
}
MEAN = (-100000.0, 100000.0)
SD = (0.001, 100000.0)
K = (0.1, 4.0)
LABEL_LENGTH = 24
CONTROLS = {
    "mean": controls.Number("Mean (μ)", *MEAN, step=1.0),
    "sd": controls.Number("Standard deviation (σ)", *SD, step=0.5),
    "k": controls.Number("Shade within this many standard deviations", *K, step=0.5),
    "label": controls.Text("What is measured (axis label)", LABEL_LENGTH),
}

_SD_WORDS = r"(?:standard deviations?|std\.? devs?|s\.?d\.?s?|sigmas?|σ)"
_NUMBER_WORDS = {"one": 1.0, "two": 2.0, "three": 3.0, "half a": 0.5, "a": 1.0}
_UNITS = r"(cm|mm|m|kg|g|s|seconds|minutes|hours|years|marks|points|%)"


def extract(prompt: Prompt) -> dict:
    """The mean (mean, μ, average), the standard deviation (standard deviation, SD, σ), how
    many standard deviations to shade ("within 2 standard deviations", "2 sd either side"), and
    what is measured ("IQ scores", "heights ... cm")."""
    text = prompt.text
    params: dict = {}
    mean = re.search(rf"\b(?:mean|average|μ|mu)\s*(?:of|=|:|is)?\s*({NUM})", text)
    if mean:
        params["mean"] = float(mean.group(1))
    sd = re.search(
        rf"(?:\bstandard deviation|\bsd\b|\bs\.d\.|σ|\bsigma)\s*(?:of|=|:|is)?\s*({NUM})", text
    )
    if sd:
        params["sd"] = float(sd.group(1))
    notation = re.search(_NOTATION, text)
    if notation and float(notation.group(2)) > 0:
        params.setdefault("mean", float(notation.group(1)))
        params.setdefault("sd", round(math.sqrt(float(notation.group(2))), 6))
    within = re.search(
        rf"(?:within|±|\+/-|plus or minus)\s*({NUM}|one|two|three|half a|a)\s*{_SD_WORDS}"
        rf"|({NUM}|one|two|three)\s*{_SD_WORDS}\s*(?:either side|each side|of the mean|from the)",
        text,
    )
    if within:
        word = within.group(1) or within.group(2)
        params["k"] = _NUMBER_WORDS.get(word) or float(word)
    label = _label(text)
    if label:
        params["label"] = label
    return params


def _label(text: str) -> str | None:
    """ "IQ scores", "heights (cm)": what the prompt says is normally distributed."""
    found = re.search(
        r"\b(?:distribution|curve) of (?:the )?([a-z][a-z ]{1,20}?)"
        r"(?=\s*(?:,|:|;|\bwith\b|\bwhere\b"
        r"|\bmean\b|\bthat\b|\bin\b|$))"
        r"|\b([a-z][a-z ]{1,20}?) (?:are|is) normally distributed",
        text,
    )
    if not found:
        return None
    name = (found.group(1) or found.group(2)).strip()
    if name in {"a", "the", "data", "values", "x"}:
        return None
    name = re.sub(r"^iq\b", "IQ", name)
    name = name[:1].upper() + name[1:]
    unit = re.search(rf"\b(?:mean|average|μ)\s*(?:of|=|:|is)?\s*{NUM}\s*{_UNITS}(?!\w)", text)
    return f"{name} ({unit.group(1)})" if unit else name


def validate(params: dict, notes: list[str]) -> dict:
    params["mean"] = checks.number(params["mean"], "mean", low=MEAN[0], high=MEAN[1])
    params["sd"] = checks.number(params["sd"], "sd", low=SD[0], high=SD[1])
    params["k"] = checks.number(params["k"], "k", low=K[0], high=K[1])
    params["label"] = checks.text(params["label"], "label", max_length=LABEL_LENGTH)
    return params


SKELETON = r"""from manim import *
import math

mean = <<mean>>  # the mean, μ
sd = <<sd>>  # the standard deviation, σ
k = <<k>>  # shade the area within k standard deviations of the mean
label = <<label>>  # what is measured

low, high = mean - k * sd, mean + k * sd  # the shaded interval
# The share of a normal distribution within k standard deviations of its mean: erf(k / √2)
share = math.erf(k / math.sqrt(2))


def density(x):
    # The bell curve: 1 / (σ √(2π)) · e^(−(x − μ)² / (2σ²))
    return math.exp(-((x - mean) ** 2) / (2 * sd**2)) / (sd * math.sqrt(2 * math.pi))


def fmt(value):
    # A number as the screen shows it: 3 -> "3", 2.5 -> "2.5", 1/3 -> "0.33"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


<<arrange>>


class NormalDistribution(Scene):
    def construct(self):
        # The parts, built first and placed by one arrangement at the end of this block
        title = Text(f"Normal distribution: μ = {fmt(mean)}, σ = {fmt(sd)}", font_size=38)
        peak = density(mean)
        axes = Axes(
            x_range=[mean - 4 * sd, mean + 4 * sd, sd],  # a tick at every standard deviation
            y_range=[0, peak * 1.15, peak * 1.15 / 4],
            x_length=8.0,
            y_length=4.2,
            tips=False,
            axis_config={"include_numbers": False},
        )
        curve = axes.plot(density, x_range=[mean - 4 * sd, mean + 4 * sd, sd / 25], color=ACCENT)
        ticks = VGroup(
            *[
                Text(fmt(mean + i * sd), font_size=20).next_to(
                    axes.c2p(mean + i * sd, 0), DOWN, buff=0.2
                )
                for i in range(-3, 4)
            ]
        )
        axis_name = Text(label, font_size=24).next_to(ticks, DOWN, buff=0.25)
        graph = VGroup(axes, curve, ticks, axis_name)
        working = VGroup(
            MathTex(rf"\mu = {fmt(mean)},\ \sigma = {fmt(sd)}", font_size=34),
            MathTex(
                rf"\mu - {fmt(k)}\sigma = {fmt(low)}", font_size=34
            ),
            MathTex(
                rf"\mu + {fmt(k)}\sigma = {fmt(high)}", font_size=34
            ),
            MathTex(
                rf"P({fmt(low)} < X < {fmt(high)})", font_size=34
            ),
            MathTex(rf"= {100 * share:.2f}\%", font_size=40, color=HIGHLIGHT),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        if working.width > 4.2:
            working.scale_to_fit_width(4.2)
        if self.camera.frame_width >= 14.2 - 0.01:
            body = VGroup(graph, working).arrange(RIGHT, buff=0.7)
            if body.width > 13.2:
                body.scale_to_fit_width(13.2)
            VGroup(title, body).arrange(DOWN, buff=0.5).move_to(ORIGIN)
        else:
            # A portrait or square frame: stacked or side by side, whichever is larger
            arrange_scene(self, title, [graph, working])

        # Title
        self.play(Write(title), run_time=1)

        # The bell curve over the axes, a tick at every standard deviation from the mean
        self.play(Create(axes), FadeIn(ticks), FadeIn(axis_name), run_time=1.2)
        self.play(Create(curve), run_time=1.5)

        # The mean is the peak, where the curve is symmetric
        mean_line = DashedLine(axes.c2p(mean, 0), axes.c2p(mean, peak), color=MUTED)
        self.play(Create(mean_line), Write(working[0]), run_time=1.2)

        # The interval k standard deviations either side of the mean
        edges = VGroup(
            *[
                DashedLine(axes.c2p(x, 0), axes.c2p(x, density(x)), color=HIGHLIGHT)
                for x in (low, high)
            ]
        )
        self.play(Create(edges), Write(working[1]), Write(working[2]), run_time=1.5)

        # Shade the area between them: the share of the distribution within k SDs
        area = axes.get_area(curve, x_range=[low, high], color=ACCENT, opacity=0.45)
        self.play(FadeIn(area), Write(working[3]), run_time=1.5)
        self.play(Write(working[4]), run_time=1)
        self.wait(2)
"""


def share(k: float) -> float:
    """What the emitted code's `share` is: erf(k / √2) (for descriptions)."""
    return math.erf(float(codegen.literal(float(k))) / math.sqrt(2))


def describe(params: dict) -> list[str]:
    mean, sd, k = params["mean"], params["sd"], params["k"]
    low, high = mean - k * sd, mean + k * sd
    ticks = ", ".join(show(mean + i * sd) for i in range(-3, 4))
    return [
        f"The title reads: Normal distribution: μ = {show(mean)}, σ = {show(sd)}.",
        f"A bell curve is drawn over an axis labelled {params['label']}, with ticks at every "
        f"standard deviation: {ticks}.",
        f"A dashed line marks the mean, {show(mean)}, at the peak of the curve.",
        f"Dashed lines mark {show(k)} standard deviation{'' if k == 1 else 's'} either side of "
        "the mean: "
        f"μ − {show(k)}σ = {show(low)} and μ + {show(k)}σ = {show(high)}.",
        f"The area under the curve between {show(low)} and {show(high)} is shaded: "
        f"P({show(low)} < X < {show(high)}) = {100 * share(k):.2f}%.",
    ]


def build(params: dict) -> str:
    return fill(
        SKELETON,
        arrange=common.ARRANGE,
        mean=literal(float(params["mean"])),
        sd=literal(float(params["sd"])),
        k=literal(float(params["k"])),
        label=literal(params["label"]),
    )


def narration(params: dict) -> list[str | Spoken]:
    # The values are worked out in the scene from its input lines, like everything it shows
    return [
        "The normal distribution.",
        Spoken(('f"Here is the bell curve of {label}, with ticks a standard deviation apart."',)),
        Spoken(('f"Its mean is {fmt(mean)}, at the peak, and its standard deviation {fmt(sd)}."',)),
        Spoken(
            (
                'f"{fmt(k)} standard deviations either side of the mean run from {fmt(low)} "',
                'f"to {fmt(high)}."',
            )
        ),
        Spoken(
            (
                'f"The shaded area between them holds {100 * share:.2f} percent of the "',
                '"distribution."',
            )
        ),
    ]
