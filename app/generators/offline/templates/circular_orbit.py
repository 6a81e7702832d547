"""A circular orbit: gravity from the central mass keeps an orbiting body on a circle, its speed
v = √(GM/r) and period T = 2πr / v worked out from the mass and the radius, and one lap."""

from __future__ import annotations

import math
import re

from app.generators.offline import codegen, controls
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.extract import Prompt
from app.generators.offline.templates.common import Spoken

ID = "circular_orbit"
TITLE = "Circular orbits"
SUBJECT = "Physics"
EXAMPLE_PROMPT = (
    "A geostationary satellite orbiting the Earth at a radius of 42,164 km: find its speed and "
    "period"
)
DEFAULTS = {"orbiter": "satellite", "central": "Earth", "mass": 5.972e24, "radius": 42164.0}
VARIANTS = [
    {"orbiter": "Earth", "central": "Sun", "mass": 1.989e30, "radius": 1.496e8},
    {"orbiter": "Moon", "central": "Earth", "mass": 5.972e24, "radius": 384400.0},
    {"orbiter": "ISS", "central": "Earth", "mass": 5.972e24, "radius": 6771.0},
    {"orbiter": "probe", "central": "star", "mass": 4.0e29, "radius": 2.5e7},
]
TRIGGERS = {
    r"\borbit\w*\b": 7,
    r"\bsatellites?\b|\bgeostationary\b|\bgeosynchronous\b": 5,
    r"\bplanets?\b|\bmoons?\b|\bthe sun\b|\bstars?\b|\biss\b": 2,
    r"\bsqrt\s*\(?\s*gm\s*/\s*r\b|\bgm\s*/\s*r\b|\bcentripetal\b|\bgravitational\b": 4,
    r"\bgravity\b|\bperiod\b|\borbital speed\b": 2,
    r"\b(?:around|round|about) the (?:sun|earth|moon|star)\b": 3,
}
NAME_LENGTH = 16
MASS = (1.0e10, 1.0e32)
RADIUS = (1.0, 1.0e10)
# Mass (kg) and radius (km) of the bodies teachers name
BODIES = {
    "earth": ("Earth", 5.972e24, 6371.0),
    "sun": ("Sun", 1.989e30, 696340.0),
    "moon": ("Moon", 7.35e22, 1737.0),
    "mars": ("Mars", 6.42e23, 3390.0),
    "jupiter": ("Jupiter", 1.898e27, 69911.0),
}
AU_KM = 1.496e8
CONTROLS = {
    "orbiter": controls.Text("What is orbiting", NAME_LENGTH),
    "central": controls.Text("What it orbits", NAME_LENGTH),
    "mass": controls.Number("Mass of what it orbits", *MASS, step=1.0e21, unit="kg"),
    "radius": controls.Number("Radius of the orbit (from the centre)", *RADIUS, unit="km"),
}

# 6e24, 6.0 × 10^24, 6*10**24, 384,400, 42164
_BIG = (
    r"(\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?)"
    r"(?:\s*(?:e|(?:×|x|\*)\s*10\s*(?:\^|\*\*))\s*\(?\s*(-?\d+)\s*\)?)?"
)
_DISTANCE = r"\s*(km|kilomet(?:re|er)s?|m|met(?:re|er)s?|au|astronomical units?)\b"
_ORBITERS = r"(satellite|iss|space station|moon|planet|earth|mars|jupiter|probe|spacecraft|comet)"
_CENTRALS = r"(earth|sun|moon|mars|jupiter|star|planet)"


def big_number(mantissa: str, power: str | None) -> float:
    return float(mantissa.replace(",", "")) * (10.0 ** int(power) if power else 1.0)


def extract(prompt: Prompt) -> dict:
    """What orbits what ("the Moon orbiting the Earth", "a satellite around Mars", "a planet
    round a star"), the central mass in kg (a named body's own mass otherwise), and the orbit's
    radius in km, m or AU ("at 42,164 km", "r = 4.2e7 m"), or its height above a named body's
    surface ("400 km altitude")."""
    text = prompt.text
    params: dict = {}
    central = re.search(
        rf"\b(?:orbit(?:s|ing)?|around|round|about)\s+(?:the\s+|a\s+)?{_CENTRALS}\b", text
    )
    orbiter = re.search(
        rf"\b{_ORBITERS}\s+(?:in (?:a |an )?\w*\s*orbit|orbit(?:s|ing)?|going round"
        r"|around|round)\b",
        text,
    ) or re.search(rf"\b(?:a|an|the)\s+{_ORBITERS}\b", text)
    body = None
    if central:
        body = BODIES.get(central.group(1))
        params["central"] = body[0] if body else central.group(1)
        if body:
            params["mass"] = body[1]
        elif central.group(1) == "star":
            params["mass"] = BODIES["sun"][1]
    if orbiter and (not central or orbiter.group(1) != central.group(1)):
        name = orbiter.group(1)
        params["orbiter"] = {"iss": "ISS"}.get(name, name.capitalize() if name in BODIES else name)
    mass = re.search(rf"{_BIG}\s*(?:kg|kilograms?)\b", text)
    if mass:
        params["mass"] = big_number(mass.group(1), mass.group(2))
    height = re.search(
        rf"{_BIG}{_DISTANCE}\s*(?:altitude|above (?:the )?(?:surface|ground|earth))"
        rf"|\baltitude\s*(?:of|=|:|is)?\s*{_BIG}{_DISTANCE}",
        text,
    )
    radius = re.search(
        rf"(?:\bradius|\br\s*=|\bat|\bdistance|\borbit of|\bfrom the centre)\s*(?:of|=|:|is)?\s*"
        rf"{_BIG}{_DISTANCE}",
        text,
    )
    if height:
        groups = height.groups()
        mantissa, power, unit = groups[:3] if groups[0] else groups[3:]
        base = body or BODIES.get(str(params.get("central", "")).lower()) or BODIES["earth"]
        params["radius"] = round(base[2] + _km(big_number(mantissa, power), unit), 6)
    elif radius:
        params["radius"] = _km(big_number(radius.group(1), radius.group(2)), radius.group(3))
    elif params.get("orbiter") == "Moon" and params.get("central") == "Earth":
        params["radius"] = 384400.0
    elif params.get("central") in ("Sun", "star"):
        params["radius"] = AU_KM
    return params


def _km(value: float, unit: str) -> float:
    if unit.startswith("a"):
        return value * AU_KM
    if unit.startswith("k"):
        return value
    return value / 1000


def validate(params: dict, notes: list[str]) -> dict:
    params["orbiter"] = checks.text(params["orbiter"], "orbiter", max_length=NAME_LENGTH)
    params["central"] = checks.text(params["central"], "central", max_length=NAME_LENGTH)
    params["mass"] = checks.number(params["mass"], "mass", low=MASS[0], high=MASS[1])
    params["radius"] = checks.number(params["radius"], "radius", low=RADIUS[0], high=RADIUS[1])
    body = BODIES.get(params["central"].lower())
    if body and params["radius"] <= body[2] and math.isclose(params["mass"], body[1]):
        raise checks.fail(
            f"An orbit of radius {codegen.show(params['radius'])} km would be inside the "
            f"{body[0]} (radius {codegen.show(body[2])} km); give a larger radius."
        )
    return params


SKELETON = r"""from manim import *
import math

orbiter = <<orbiter>>  # what is orbiting
central = <<central>>  # what it orbits
M = <<mass>>  # the central mass, kg
r_km = <<radius>>  # the orbit's radius, from the centre, km
G = 6.674e-11  # the gravitational constant, N m^2 / kg^2

r = r_km * 1000  # in metres
v = math.sqrt(G * M / r)  # gravity gives the centripetal force: GMm/r^2 = mv^2/r
T = 2 * math.pi * r / v  # one lap, the circumference, at speed v


def sci(value):
    # A number in standard form, as LaTeX: 5.97 \times 10^{24}
    power = math.floor(math.log10(abs(value)))
    mantissa = value / 10**power
    if round(mantissa, 2) >= 10:
        mantissa, power = mantissa / 10, power + 1
    return f"{mantissa:.2f}".rstrip("0").rstrip(".") + rf" \times 10^{{{power}}}"


def fmt(value):
    # A number as the screen shows it: 3 -> "3", 2.5 -> "2.5", 1/3 -> "0.33", 42164 -> "42,164"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def speed():
    # The speed in km/s, or in m/s when slower than 1 km/s: (number, unit)
    return (v / 1000, "km/s") if v >= 1000 else (v, "m/s")


def period():
    # The period in the unit that reads best: (number, unit)
    for seconds, name in ((365.25 * 86400, "years"), (2 * 86400, "days"), (7200, "hours")):
        if T >= (2 * seconds if name == "years" else seconds):
            return T / {"years": 365.25 * 86400, "days": 86400, "hours": 3600}[name], name
    return T / 60, "minutes"


class CircularOrbit(Scene):
    def construct(self):
<<fit_frame>>
        # The parts, built first and placed by one arrangement at the end of this block
        title = Text(f"Circular orbit: {orbiter} around {central}", font_size=38)
        ring = 2.6  # the orbit's radius on screen (not to scale)
        body = Circle(radius=0.55, color=SECONDARY, fill_opacity=0.6)
        body_name = Text(central, font_size=24).next_to(body, DOWN, buff=0.15)
        path = DashedVMobject(Circle(radius=ring, color=MUTED), num_dashes=60)
        moving = Dot([ring, 0, 0], radius=0.14, color=ACCENT)
        moving_name = Text(orbiter, font_size=24).next_to(moving, RIGHT, buff=0.15)
        radius_line = Line(ORIGIN, [ring * math.cos(2.3), ring * math.sin(2.3), 0], color=TEXT)
        radius_name = Text(f"r = {fmt(r_km)} km", font_size=22).next_to(
            radius_line.get_center(), UR, buff=0.1
        )
        pull = Arrow([ring, 0, 0], [ring - 1.2, 0, 0], buff=0, color=NEGATIVE)
        pull_name = Text("gravity", font_size=22).next_to(pull, UP, buff=0.1)
        velocity = Arrow([ring, 0, 0], [ring, 1.4, 0], buff=0, color=HIGHLIGHT)
        velocity_name = MathTex("v", font_size=32).next_to(velocity, RIGHT, buff=0.1)
        diagram = VGroup(path, body, body_name, radius_line, radius_name, moving, moving_name,
                         pull, pull_name, velocity, velocity_name)
        speed_value, speed_unit = speed()
        time_value, time_unit = period()
        working = VGroup(
            MathTex(rf"M = {sci(M)}\,\text{{kg}}", font_size=32),
            MathTex(rf"r = {sci(r)}\,\text{{m}}", font_size=32),
            MathTex(r"v = \sqrt{\frac{GM}{r}}", font_size=34),
            MathTex(
                rf"= \sqrt{{\frac{{6.674 \times 10^{{-11}} \times {sci(M)}}}{{{sci(r)}}}}}",
                font_size=30,
            ),
            MathTex(rf"= {fmt(speed_value)}\,\text{{{speed_unit}}}", font_size=34,
                    color=HIGHLIGHT),
            MathTex(
                rf"T = \frac{{2\pi r}}{{v}} = {fmt(T)}\,\text{{s}}", font_size=32
            ),
            MathTex(rf"= {fmt(time_value)}\,\text{{{time_unit}}}", font_size=34,
                    color=HIGHLIGHT),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.22)
        if working.width > 6.2:
            working.scale_to_fit_width(6.2)
        if working.height > 6.0:
            working.scale_to_fit_height(6.0)
        body_group = VGroup(diagram, working).arrange(RIGHT, buff=0.8)
        VGroup(title, body_group).arrange(DOWN, buff=0.4).move_to(ORIGIN)
        centre = body.get_center()

        # Title
        self.play(Write(title), run_time=1)

        # The central body, and the circle of the orbit at radius r
        self.play(FadeIn(body), FadeIn(body_name), Create(path), run_time=1.2)
        self.play(Create(radius_line), FadeIn(radius_name), FadeIn(moving), FadeIn(moving_name),
                  Write(working[0]), Write(working[1]), run_time=1.5)

        # Gravity pulls it towards the centre; its velocity is along the circle
        self.play(GrowArrow(pull), FadeIn(pull_name), GrowArrow(velocity),
                  FadeIn(velocity_name), run_time=1.2)

        # Gravity is the centripetal force, so v = √(GM/r)
        self.play(Write(working[2]), Write(working[3]), run_time=1.5)
        self.play(Write(working[4]), run_time=1)

        # One lap takes the period: the circumference over the speed
        self.play(Write(working[5]), Write(working[6]), run_time=1.5)
        arrows = VGroup(pull, pull_name, velocity, velocity_name, moving_name)
        self.play(FadeOut(arrows), run_time=0.5)
        self.play(
            Rotate(moving, angle=TAU, about_point=centre), run_time=3, rate_func=linear
        )
        self.wait(1.5)
"""


def motion(params: dict) -> tuple[float, float]:
    """The emitted code's v (m/s) and T (s)."""
    r = float(params["radius"]) * 1000
    v = math.sqrt(6.674e-11 * float(params["mass"]) / r)
    return v, 2 * math.pi * r / v


def _fmt(value: float) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _period(seconds: float) -> tuple[float, str]:
    for length, name in ((365.25 * 86400, "years"), (2 * 86400, "days"), (7200, "hours")):
        if seconds >= (2 * length if name == "years" else length):
            return seconds / {"years": 365.25 * 86400, "days": 86400, "hours": 3600}[name], name
    return seconds / 60, "minutes"


def standard_form(value: float) -> str:
    """5.972e24 → "5.97 × 10^24", as the video's sci() writes it, in plain text."""
    power = math.floor(math.log10(abs(value)))
    mantissa = value / 10**power
    if round(mantissa, 2) >= 10:
        mantissa, power = mantissa / 10, power + 1
    return f"{mantissa:.2f}".rstrip("0").rstrip(".") + f" × 10^{power}"


def describe(params: dict) -> list[str]:
    orbiter, central = params["orbiter"], params["central"]
    v, period = motion(params)
    speed, speed_unit = (v / 1000, "km/s") if v >= 1000 else (v, "m/s")
    time, time_unit = _period(period)
    return [
        f"The title reads: Circular orbit: {orbiter} around {central}.",
        f"A dashed circle, not to scale, shows the orbit of radius {_fmt(params['radius'])} km "
        f"around {central}, of mass {standard_form(params['mass'])} kg.",
        "An arrow shows gravity pulling towards the centre, and another the velocity along "
        "the circle.",
        f"Gravity is the centripetal force, so v = √(GM/r) = {_fmt(speed)} {speed_unit}.",
        f"The period is T = 2πr / v = {_fmt(period)} s, which is {_fmt(time)} {time_unit}; "
        f"the {orbiter} then goes once round the circle.",
    ]


def build(params: dict) -> str:
    return fill(
        SKELETON,
        fit_frame=codegen.fit_frame(14.2),
        orbiter=literal(params["orbiter"]),
        central=literal(params["central"]),
        mass=literal(float(params["mass"])),
        radius=literal(float(params["radius"])),
    )


def narration(params: dict) -> list[str | Spoken]:
    # Worked out in the scene from its input lines, like everything it shows
    return [
        "Circular orbits.",
        Spoken(('f"The {orbiter} circles {central} at a radius of {fmt(r_km)} kilometres."',)),
        "Gravity pulls it towards the centre, while it moves along the circle.",
        Spoken(
            (
                'f"Gravity is the centripetal force, so its speed is the square root of G M "',
                'f"over r: {fmt(speed()[0])} "',
                '+ {"km/s": "kilometres", "m/s": "metres"}[speed()[1]] + " per second."',
            )
        ),
        Spoken(('f"One lap takes 2 pi r over v: {fmt(period()[0])} {period()[1]}."',)),
    ]
