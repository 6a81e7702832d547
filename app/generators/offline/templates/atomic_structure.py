"""Atomic structure: a Bohr-model atom, its nucleus of protons and neutrons, and its
electrons filling shells of 2, 8, 8, for the first twenty elements."""

from __future__ import annotations

import re

from app.generators.offline import codegen, controls
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.extract import Prompt
from app.generators.offline.templates.common import Spoken
from app.generators.offline.templates.elements import FIRST_TWENTY, SYMBOLS

ID = "atomic_structure"
TITLE = "Atomic structure (Bohr model)"
SUBJECT = "Chemistry"
EXAMPLE_PROMPT = "Show the atomic structure of sodium: protons, neutrons and electron shells"
DEFAULTS = {"element": "Na"}
VARIANTS = [{"element": "H"}, {"element": "C"}, {"element": "Ca"}, {"element": "Cl"}]
NAMES = [name for name, _ in FIRST_TWENTY]
OPTIONS = SYMBOLS[: len(FIRST_TWENTY)]
ALIASES = {"sulphur": "sulfur", "aluminum": "aluminium"}
TRIGGERS = {
    r"\batomic structure\b|\bstructure of (?:an? |the )?\w*\s*atoms?\b|\bbohr\b": 9,
    r"\belectron (?:shells?|configurations?|arrangements?)\b|\benergy levels?\b": 6,
    r"\batoms?\b": 3,
    r"\bprotons?\b|\bneutrons?\b|\bnucleus\b": 2,
    r"\belectrons?\b|\bshells?\b|\batomic number\b|\bmass number\b": 1,
    r"\b(?:" + "|".join(NAMES + list(ALIASES)) + r")\b": 2,
}
CONTROLS = {
    "element": controls.Choice("Element", OPTIONS, tuple(n.capitalize() for n in NAMES)),
}
# Names past calcium that teachers ask for: read so that the refusal says why.
_BEYOND = ["iron", "copper", "zinc", "silver", "gold", "iodine", "bromine", "uranium"]
LIMIT_NOTE = (
    "Chalk draws the 2, 8, 8 shell model for the first 20 elements (hydrogen to calcium) only; "
    "beyond calcium the shells fill in a more complicated order."
)


def extract(prompt: Prompt) -> dict:
    """An element by name, by symbol (He, Na; one-letter ones after "element" or "of"), or by
    atomic number ("atomic number 11", "element 11", "Z = 11")."""
    name = prompt.search(r"\b(" + "|".join(NAMES + list(ALIASES) + _BEYOND) + r")\b")
    if name:
        return {"element": name.group(1)}
    number = prompt.search(r"\b(?:atomic number|element(?: number)?|z\s*=)\s*(\d{1,3})\b")
    if number:
        return {"element": number.group(1)}
    for found in re.finditer(r"(?<![\w-])([A-Z][a-z]?)(?![\w-])", prompt.raw):
        symbol = found.group(1)
        before = prompt.raw[: found.start()].lower()
        if symbol in SYMBOLS and (
            len(symbol) == 2 or re.search(r"\b(?:element|symbol|of|for)\s*$", before)
        ):
            return {"element": symbol}
    return {}


def validate(params: dict, notes: list[str]) -> dict:
    given = checks.text(params["element"], "element", max_length=20)
    key = given.strip().lower()
    key = ALIASES.get(key, key)
    if key.isdigit():
        number = int(key)
        if not 1 <= number <= len(SYMBOLS):
            raise checks.fail(f"There is no element with atomic number {number}.")
    elif key in NAMES:
        number = NAMES.index(key) + 1
    elif given.strip().capitalize() in SYMBOLS:
        number = SYMBOLS.index(given.strip().capitalize()) + 1
    elif key in _BEYOND:
        raise checks.fail(LIMIT_NOTE)
    else:
        raise checks.fail(
            f"'{given}' is not an element Chalk knows; give a name, a symbol or an atomic number."
        )
    if number > len(FIRST_TWENTY):
        raise checks.fail(LIMIT_NOTE)
    params["element"] = SYMBOLS[number - 1]
    return params


SKELETON = r"""from manim import *
import numpy as np

Z = <<number>>  # atomic number: the number of protons
A = <<mass>>  # mass number of the most common isotope: protons + neutrons
symbol, name = <<symbol>>, <<name>>
protons = Z
neutrons = A - Z
electrons = Z  # a neutral atom has as many electrons as protons


def shells(count):
    # Fill shells innermost first: 2, then 8, then 8 (the model for the first 20 elements)
    sizes, filled = [2, 8, 8, 8], []
    while count > 0:
        filled.append(min(count, sizes[len(filled)]))
        count -= filled[-1]
    return filled


arrangement = shells(electrons)


class AtomicStructure(Scene):
    def construct(self):
<<fit_frame>>
        # Title
        title = Text(f"The structure of an atom of {name}", font_size=40)
        fit_title(self, title).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # The nucleus: protons and neutrons together at the centre
        centre = np.array(at(atom, -3.2, -0.55))
        size = atom[0]  # 1 in 16:9; the atom's scale in a portrait or square frame
        nucleus = Circle(radius=0.62 * size, color=SECONDARY, fill_opacity=0.3).move_to(centre)
        inside = VGroup(
            Text(f"{protons} p", font_size=24), Text(f"{neutrons} n", font_size=24)
        ).arrange(DOWN, buff=0.08)
        scaled(inside, atom).move_to(centre)
        self.play(GrowFromCenter(nucleus), FadeIn(inside), run_time=1)

        # The numbers, worked out from Z and A
        facts = VGroup(
            MathTex(rf"^{{{A}}}_{{{Z}}}\mathrm{{{symbol}}}", font_size=56),
            MathTex(rf"\text{{atomic number }} Z = {Z}", font_size=32),
            MathTex(rf"\text{{mass number }} A = {A}", font_size=32),
            MathTex(rf"\text{{protons}} = Z = {protons}", font_size=32),
            MathTex(rf"\text{{neutrons}} = A - Z = {A} - {Z} = {neutrons}", font_size=32),
            MathTex(rf"\text{{electrons}} = {electrons}", font_size=32),
            MathTex(
                r"\text{shells: }" + r",\ ".join(str(n) for n in arrangement),
                font_size=34,
                color=HIGHLIGHT,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.22)
        put(facts, numbers, 3.6, -0.45)
        self.play(FadeIn(facts[0]), run_time=0.8)
        self.play(LaggedStart(*[Write(line) for line in facts[1:5]], lag_ratio=0.5), run_time=2.5)

        # Electrons fill the shells from the inside out, evenly spaced round each ring
        rings, dots = VGroup(), VGroup()
        self.play(Write(facts[5]), run_time=0.8)
        for index, count in enumerate(arrangement):
            ring = Circle(radius=(1.15 + 0.6 * index) * size, color=MUTED, stroke_width=2)
            ring.move_to(centre)
            shell_dots = VGroup(
                *[
                    Dot(ring.point_at_angle(PI / 2 + TAU * k / count), radius=0.09, color=ACCENT)
                    for k in range(count)
                ]
            )
            rings.add(ring)
            dots.add(shell_dots)
            self.play(Create(ring), LaggedStart(*[FadeIn(d) for d in shell_dots]), run_time=0.9)
        self.play(Write(facts[6]), run_time=1)

        # The electrons circle the nucleus (a picture: real electrons have no fixed orbits)
        self.play(
            *[
                Rotate(shell, angle=TAU / (4 + 2 * index), about_point=centre)
                for index, shell in enumerate(dots)
            ],
            run_time=3,
            rate_func=linear,
        )
        self.wait(1.5)
"""


def shells(count: int) -> list[int]:
    """Shells of 2, 8, 8, 8 filled innermost first (the host mirror of the emitted code)."""
    filled: list[int] = []
    for size in (2, 8, 8, 8):
        if count <= 0:
            break
        filled.append(min(count, size))
        count -= filled[-1]
    return filled


def describe(params: dict) -> list[str]:
    number = SYMBOLS.index(params["element"]) + 1
    name, mass = FIRST_TWENTY[number - 1]
    arrangement = ", ".join(str(n) for n in shells(number))
    rings = len(shells(number))
    return [
        f"The title reads: The structure of an atom of {name}.",
        f"A nucleus appears, labelled {number} p and {mass - number} n: its protons and neutrons.",
        f"Beside it the symbol {params['element']} is written with mass number {mass} above and "
        f"atomic number {number} below.",
        f"The working follows: atomic number Z = {number}, mass number A = {mass}, protons = Z "
        f"= {number}, neutrons = A − Z = {mass} − {number} = {mass - number}.",
        f"A neutral atom has as many electrons as protons: {number}.",
        f"The electrons fill {rings} shell{'s' if rings > 1 else ''} around the nucleus from the "
        f"inside out, as dots evenly spaced on each ring; the shells hold {arrangement}.",
        "The electrons then circle the nucleus.",
    ]


def build(params: dict) -> str:
    number = SYMBOLS.index(params["element"]) + 1
    name, mass = FIRST_TWENTY[number - 1]
    return fill(
        SKELETON,
        fit_frame=codegen.arrange_parts(
            {"atom": (-6.2, -3.5, -0.2, 2.4), "numbers": (1.0, -2.9, 6.2, 2.0)}
        ),
        number=literal(number),
        mass=literal(mass),
        symbol=literal(params["element"]),
        name=literal(name),
    )


def narration(params: dict) -> list[str | Spoken]:
    # The values are worked out in the scene from its input lines, like everything it shows
    return [
        Spoken(('f"The structure of an atom of {name}."',)),
        Spoken(('f"In the centre is the nucleus: {protons} protons and {neutrons} neutrons."',)),
        Spoken(
            (
                'f"The atomic number of {name} is {Z}, and its mass number is {A}. So it has {Z} "',
                'f"protons, and {A} minus {Z}, that is {neutrons}, neutrons."',
            )
        ),
        Spoken(
            (
                'f"A neutral atom has as many electrons as protons: {electrons}. They fill the "',
                '"shells "',
                "f\"from the inside out: {', '.join(str(n) for n in arrangement)}.\"",
            )
        ),
        "The electrons circle the nucleus.",
    ]
