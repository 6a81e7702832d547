"""Two-source interference: two sources in step, their wavefronts, and the points on a screen
where the path difference is a whole number of wavelengths (constructive) or an odd number of
half wavelengths (destructive), with a worked path difference at one of each."""

from __future__ import annotations

import math
import re

from app.generators.offline import controls
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal, show
from app.generators.offline.extract import NUM, Prompt
from app.generators.offline.templates import common
from app.generators.offline.templates.common import Spoken

ID = "wave_interference"
TITLE = "Two-source interference"
SUBJECT = "Physics"
EXAMPLE_PROMPT = (
    "Interference from two sources 3 cm apart, wavelength 1 cm, screen 8 cm away: where is it "
    "constructive and destructive?"
)
DEFAULTS = {"wavelength": 1.0, "separation": 3.0, "distance": 8.0, "unit": "cm"}
VARIANTS = [
    {"wavelength": 0.5, "separation": 1.5, "distance": 4.0, "unit": "m"},
    {"wavelength": 2.0, "separation": 7.0, "distance": 12.0, "unit": "m"},
    {"wavelength": 1.0, "separation": 4.0, "distance": 10.0, "unit": "mm"},
]
TRIGGERS = {
    r"\binterfer\w*\b|\bsuperposition\b|\bdouble[- ]slit\b|\btwo[- ]slit\b|\byoung'?s\b": 9,
    r"\bpath difference\b|\bconstructive\b|\bdestructive\b": 6,
    r"\bin phase\b|\bcoherent\b|\bfringes?\b|\bmaxima\b|\bminima\b": 3,
    r"\btwo (?:coherent )?(?:sources|speakers|loudspeakers|dippers|slits)\b": 4,
    r"\bloud and quiet\b|\bquiet (?:spots|points)\b|\d\s*(?:m|cm|mm)\s+apart\b": 3,
    r"\bwavelength\b|\bλ\b|\bwaves?\b": 1,
}
WAVELENGTH = (0.01, 100.0)
# The smallest separation and distance that still fit 1.5 and 3 of the shortest wavelength
SEPARATION = (0.015, 400.0)
DISTANCE = (0.03, 1500.0)
UNITS = ("mm", "cm", "m")
RATIO = (1.5, 4.0)  # separation / wavelength: a bright point beside the middle, fringes apart
MAX_WAVES = 15  # distance / wavelength: the crests drawn stay countable
CONTROLS = {
    "wavelength": controls.Number("Wavelength (λ)", *WAVELENGTH, step=0.1),
    "separation": controls.Number("Distance between the sources (d)", *SEPARATION, step=0.5),
    "distance": controls.Number("Distance from the sources to the screen", *DISTANCE, step=0.5),
    "unit": controls.Choice("Unit of length", UNITS, ("millimetres", "centimetres", "metres")),
}

_UNIT = r"\s*(mm|cm|m|millimet(?:re|er)s?|centimet(?:re|er)s?|met(?:re|er)s?)\b"
_UNIT_NAMES = {"millimet": "mm", "centimet": "cm", "met": "m"}


def _unit(word: str) -> str:
    return next((u for prefix, u in _UNIT_NAMES.items() if word.startswith(prefix)), word)


def extract(prompt: Prompt) -> dict:
    """The wavelength ("wavelength 2 m", "λ = 2 cm", "of wavelength 0.5 m"), the sources'
    separation ("3 cm apart", "separation of 3 m", "d = 3"), the screen's distance ("screen 8 cm
    away", "8 m from the sources") and their unit."""
    text = prompt.text
    params: dict = {}
    units: list[str] = []
    wavelength = re.search(rf"(?:\bwavelength|λ)\s*(?:of|=|:|is)?\s*({NUM})(?:{_UNIT})?", text)
    if wavelength:
        params["wavelength"] = float(wavelength.group(1))
        units.append(wavelength.group(2) or "")
    apart = re.search(
        rf"({NUM})(?:{_UNIT})?\s*apart\b"
        rf"|\b(?:separation|separated by|spacing|d)\s*(?:of|=|:|is)?\s*({NUM})(?:{_UNIT})?",
        text,
    )
    if apart:
        params["separation"] = float(apart.group(1) or apart.group(3))
        units.append(apart.group(2) or apart.group(4) or "")
    screen = re.search(
        rf"\bscreen\s*(?:is\s*)?(?:at\s*)?({NUM})(?:{_UNIT})?(?:\s*away)?"
        rf"|({NUM})(?:{_UNIT})?\s*(?:away|from the (?:sources|slits|speakers))"
        rf"|\b(?:distance to the screen|screen distance|l)\s*(?:of|=|:|is)?\s*({NUM})(?:{_UNIT})?",
        text,
    )
    if screen:
        groups = screen.groups()
        params["distance"] = float(next(g for g in groups[::2] if g is not None))
        units.append(next((g for g in groups[1::2] if g is not None), ""))
    given = [_unit(u) for u in units if u]
    if given:
        params["unit"] = given[0]
    if "distance" not in params and ("separation" in params or "wavelength" in params):
        # The screen is not named: put it far enough away to show the pattern
        d = params.get("separation", DEFAULTS["separation"])
        lam = params.get("wavelength", DEFAULTS["wavelength"])
        params["distance"] = float(min(max(2.5 * d, 4 * lam), MAX_WAVES * lam))
    return params


def path_difference(y: float, d: float, distance: float) -> float:
    """S2P − S1P for a point P at height y on the screen (sources at ±d/2)."""
    return math.hypot(distance, y + d / 2) - math.hypot(distance, y - d / 2)


def validate(params: dict, notes: list[str]) -> dict:
    lam = params["wavelength"] = checks.number(
        params["wavelength"], "wavelength", low=WAVELENGTH[0], high=WAVELENGTH[1]
    )
    d = params["separation"] = checks.number(
        params["separation"], "separation", low=SEPARATION[0], high=SEPARATION[1]
    )
    far = params["distance"] = checks.number(
        params["distance"], "distance", low=DISTANCE[0], high=DISTANCE[1]
    )
    params["unit"] = checks.choice(params["unit"], "unit", UNITS, {"metres": "m", "meters": "m"})
    if not RATIO[0] <= d / lam <= RATIO[1]:
        raise checks.fail(
            f"The sources must be between {show(RATIO[0])} and {show(RATIO[1])} wavelengths "
            "apart, so the screen shows a few bright and dark points."
        )
    if far / lam > MAX_WAVES or far < d:
        raise checks.fail(
            f"Put the screen at least as far away as the sources are apart, and at most "
            f"{MAX_WAVES} wavelengths away."
        )
    if path_difference(0.9 * far, d, far) <= lam:
        raise checks.fail(
            "The first bright point beside the middle would be off the screen; move the screen "
            "further away or the sources further apart."
        )
    return params


SKELETON = r"""from manim import *
import math

wavelength = <<wavelength>>  # λ
d = <<separation>>  # distance between the two sources
L = <<distance>>  # distance from the sources to the screen
unit = <<unit>>  # the unit of every length
H = 0.9 * L  # the screen shown reaches this far above and below the middle


def path_difference(y):
    # S2P - S1P for a point P at height y on the screen; the sources sit at +d/2 and -d/2
    return math.hypot(L, y + d / 2) - math.hypot(L, y - d / 2)


def where(difference):
    # The height on the screen with this path difference (it grows with y): by halving
    low, high = 0.0, H
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if path_difference(middle) < difference else (low, middle)
    return (low + high) / 2


def points(offset):
    # Heights of the points whose path difference is (n + offset) wavelengths, both sides
    found = []
    n = 0
    while (n + offset) * wavelength < path_difference(H):
        y = where((n + offset) * wavelength)
        found += [(n + offset, y)] + ([(-(n + offset), -y)] if n + offset > 0 else [])
        n += 1
    return sorted(found, key=lambda point: point[1])


bright = points(0)  # constructive: path difference 0, 1λ, 2λ, ...
dark = points(0.5)  # destructive: path difference ½λ, 1½λ, ...
P = where(wavelength)  # the first bright point above the middle
Q = where(0.5 * wavelength)  # the first dark point above the middle


def fmt(value):
    # A number as the screen shows it: 3 -> "3", 2.5 -> "2.5", 1/3 -> "0.33"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def order(n):
    # How many wavelengths, as written: 0, 1, 1.5
    return fmt(abs(n))


<<arrange>>


class WaveInterference(Scene):
    def construct(self):
        # The parts, built first and placed by one arrangement at the end of this block
        # (a portrait or square frame draws them smaller, so its text is larger)
        wide = self.camera.frame_width >= 14.2 - 0.01
        size = 1.0 if wide else 1.3
        title = Text(
            f"Interference: λ = {fmt(wavelength)} {unit}, d = {fmt(d)} {unit}", font_size=36
        )
        s = 5.4 / (2 * H)  # screen units per unit of length

        def at(x, y):
            return [x * s, y * s, 0]

        sources = VGroup(*[Dot(at(0, y), color=ACCENT, radius=0.1) for y in (d / 2, -d / 2)])
        source_names = VGroup(
            MathTex("S_1", font_size=28 * size).next_to(sources[0], LEFT, buff=0.15),
            MathTex("S_2", font_size=28 * size).next_to(sources[1], LEFT, buff=0.15),
        )
        screen = Line(at(L, -H), at(L, H), color=TEXT)
        screen_name = Text("screen", font_size=22 * size).next_to(screen, UP, buff=0.15)
        crests = VGroup(
            *[
                Arc(radius=n * wavelength * s, start_angle=-PI / 3, angle=2 * PI / 3,
                    arc_center=source.get_center(), color=ACCENT, stroke_opacity=0.45)
                for source in sources
                for n in range(1, int(L / wavelength) + 1)
            ]
        )
        bright_marks = VGroup(*[Dot(at(L, y), color=POSITIVE, radius=0.09) for _, y in bright])
        bright_names = VGroup(
            *[
                MathTex(rf"{order(n)}\lambda", font_size=24 * size).next_to(
                    mark, RIGHT, buff=0.15
                )
                for (n, _), mark in zip(bright, bright_marks)
            ]
        )
        dark_marks = VGroup(
            *[Circle(radius=0.09, color=NEGATIVE).move_to(at(L, y)) for _, y in dark]
        )
        paths = {
            point: VGroup(
                Line(sources[0].get_center(), at(L, point), color=HIGHLIGHT),
                Line(sources[1].get_center(), at(L, point), color=HIGHLIGHT),
            )
            for point in (P, Q)
        }
        diagram = VGroup(
            sources, source_names, screen, screen_name, crests, bright_marks, bright_names,
            dark_marks, *paths.values(),
        )
        lines = []
        for point in (P, Q):
            near, far = math.hypot(L, point - d / 2), math.hypot(L, point + d / 2)
            lines.append(
                MathTex(
                    rf"{fmt(far)} - {fmt(near)} = {fmt(far - near)}\,\text{{{unit}}}",
                    font_size=30 * size,
                )
            )
        working = VGroup(
            Text("● bright: path difference nλ", font_size=24 * size, color=POSITIVE),
            Text("○ dark: path difference (n + ½)λ", font_size=24 * size, color=NEGATIVE),
            Text("first bright point above the middle:", font_size=22 * size),
            lines[0],
            MathTex(
                r"= 1\lambda \Rightarrow \text{constructive}", font_size=30 * size,
                color=HIGHLIGHT,
            ),
            Text("first dark point above the middle:", font_size=22 * size),
            lines[1],
            MathTex(
                r"= \tfrac{1}{2}\lambda \Rightarrow \text{destructive}", font_size=30 * size,
                color=HIGHLIGHT,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.22)
        if working.width > 5.6 * size:
            working.scale_to_fit_width(5.6 * size)
        if wide:
            body = VGroup(diagram, working).arrange(RIGHT, buff=0.8)
            VGroup(title, body).arrange(DOWN, buff=0.4).move_to(ORIGIN)
        else:
            # Stacked or side by side, whichever is larger
            arrange_scene(self, title, [diagram, working])

        # Title
        self.play(Write(title), run_time=1)

        # Two sources in step, and a screen
        self.play(FadeIn(sources), FadeIn(source_names), Create(screen), FadeIn(screen_name))

        # Their crests spread out, one wavelength apart
        self.play(LaggedStart(*[Create(crest) for crest in crests], lag_ratio=0.05),
                  run_time=2)

        # Bright points: the path difference is a whole number of wavelengths
        self.play(FadeIn(bright_marks), FadeIn(bright_names), FadeIn(working[0]), run_time=1.2)

        # Dark points: an odd number of half wavelengths, crest meets trough
        self.play(FadeIn(dark_marks), FadeIn(working[1]), run_time=1.2)

        # At the first bright point, the paths differ by one wavelength
        self.play(Create(paths[P]), FadeIn(working[2]), Write(working[3]), run_time=1.5)
        self.play(Write(working[4]), run_time=1)

        # At the first dark point, by half a wavelength
        self.play(FadeOut(paths[P]), Create(paths[Q]), FadeIn(working[5]), Write(working[6]),
                  run_time=1.5)
        self.play(Write(working[7]), run_time=1)
        self.wait(2)
"""


def heights(params: dict, offset: float) -> list[tuple[float, float]]:
    """(wavelengths of path difference, height) of the emitted points(offset), on the host."""
    lam, d, far = params["wavelength"], params["separation"], params["distance"]
    top = 0.9 * far

    def where(difference: float) -> float:
        low, high = 0.0, top
        for _ in range(60):
            middle = (low + high) / 2
            if path_difference(middle, d, far) < difference:
                low = middle
            else:
                high = middle
        return (low + high) / 2

    found: list[tuple[float, float]] = []
    n = 0
    while (n + offset) * lam < path_difference(top, d, far):
        y = where((n + offset) * lam)
        found += [(n + offset, y)] + ([(-(n + offset), -y)] if n + offset > 0 else [])
        n += 1
    return sorted(found, key=lambda point: point[1])


def _worked(params: dict, difference: float) -> tuple[float, float]:
    """(S1 distance, S2 distance) to the point with this path difference."""
    d, far = params["separation"], params["distance"]
    y = next(y for n, y in heights(params, difference % 1) if math.isclose(n, difference))
    return math.hypot(far, y - d / 2), math.hypot(far, y + d / 2)


def describe(params: dict) -> list[str]:
    lam, d, far, unit = (
        params["wavelength"],
        params["separation"],
        params["distance"],
        params["unit"],
    )
    bright = sorted({abs(n) for n, _ in heights(params, 0)})
    dark = sorted({abs(n) for n, _ in heights(params, 0.5)})
    near_p, far_p = _worked(params, 1.0)
    near_q, far_q = _worked(params, 0.5)
    return [
        f"The title reads: Interference: λ = {show(lam)} {unit}, d = {show(d)} {unit}.",
        f"Two sources, S1 and S2, {show(d)} {unit} apart, face a screen {show(far)} {unit} away.",
        f"Their crests spread out as arcs {show(lam)} {unit} apart.",
        f"Filled dots mark the bright points on the screen, where the path difference is "
        f"{', '.join(show(n) for n in bright)} wavelengths: constructive interference.",
        f"Open circles mark the dark points, where it is "
        f"{', '.join(show(n) for n in dark)} wavelengths: destructive interference.",
        f"To the first bright point above the middle the paths are {show(far_p)} and "
        f"{show(near_p)} {unit}: they differ by {show(far_p - near_p)} {unit}, one wavelength.",
        f"To the first dark point the paths are {show(far_q)} and {show(near_q)} {unit}: they "
        f"differ by {show(far_q - near_q)} {unit}, half a wavelength.",
    ]


def build(params: dict) -> str:
    return fill(
        SKELETON,
        arrange=common.ARRANGE,
        wavelength=literal(float(params["wavelength"])),
        separation=literal(float(params["separation"])),
        distance=literal(float(params["distance"])),
        unit=literal(params["unit"]),
    )


def narration(params: dict) -> list[str | Spoken]:
    # Worked out in the scene from its input lines, like everything it shows
    return [
        "Interference of waves from two sources.",
        Spoken(('f"Two sources, {fmt(d)} {unit} apart, send waves towards a screen."',)),
        Spoken(('f"Their crests spread out, {fmt(wavelength)} {unit} apart: one wavelength."',)),
        Spoken(
            (
                '"Where the path difference is a whole number of wavelengths, crest meets "',
                '"crest: a bright point."',
            )
        ),
        Spoken(('"Where it is an odd number of half wavelengths, crest meets trough: dark."',)),
        Spoken(
            (
                'f"To the first bright point the paths differ by {fmt(wavelength)} {unit}, "',
                '"one wavelength."',
            )
        ),
        Spoken(
            (
                'f"To the first dark point they differ by {fmt(wavelength / 2)} {unit}, half "',
                '"a wavelength."',
            )
        ),
    ]
