"""Ohm's law in a circuit: a battery with resistors in series or in parallel, the total
resistance and the current I = V / R worked out, meter readings, and charge flowing."""

from __future__ import annotations

import math
import re

from app.generators.offline import codegen, controls
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.extract import NUM, Prompt
from app.generators.offline.templates.common import Spoken

ID = "ohms_law_circuit"
TITLE = "Ohm's law circuit"
SUBJECT = "Physics"
EXAMPLE_PROMPT = "Ohm's law: a 12 V battery with 2 Ω and 4 Ω resistors in series"
DEFAULTS = {"voltage": 12.0, "resistances": [2.0, 4.0], "arrangement": "series"}
VARIANTS = [
    {"voltage": 12.0, "resistances": [2.0, 4.0], "arrangement": "parallel"},
    {"voltage": 9.0, "resistances": [100.0, 220.0, 330.0, 1000.0], "arrangement": "series"},
    {"voltage": 6.0, "resistances": [3.0, 6.0, 12.0, 1.5], "arrangement": "parallel"},
    {"voltage": 1.5, "resistances": [10.0], "arrangement": "series"},
]
TRIGGERS = {
    r"\bohm'?s law\b|\bv\s*=\s*i\s*\*?\s*r\b|\bi\s*=\s*v\s*/\s*r\b": 9,
    r"\bcircuits?\b": 3,
    r"\bresist(?:or|ors|ance|ances)\b": 3,
    r"\bin (?:series|parallel)\b|\bseries circuit\b|\bparallel circuit\b": 3,
    r"\d\s*(?:ω|ohms?|kω)(?!\w)": 3,
    r"\bbattery\b|\bcell\b|\bvoltage\b|\bpotential difference\b|\bp\.?d\.?\b": 2,
    r"\bammeter\b|\bvoltmeter\b|\bcurrent\b": 2,
    r"\d\s*(?:v|volts?)\b": 1,
}
VOLTAGE = (0.5, 1000.0)
RESISTANCE = (0.1, 10000.0)
MAX_RESISTORS = 4
ARRANGEMENTS = ("series", "parallel")
CONTROLS = {
    "voltage": controls.Number("Battery voltage", *VOLTAGE, step=0.5, unit="V"),
    "resistances": controls.NumberList("Resistances (Ω)", *RESISTANCE, 1, MAX_RESISTORS),
    "arrangement": controls.Choice(
        "How the resistors are joined", ARRANGEMENTS, ("In series (one loop)", "In parallel")
    ),
}

_OHMS = r"\s*(k?)(?:ω|ohms?)(?!\w)"
_LIST = rf"((?:{NUM}\s*(?:k?(?:ω|ohms?))?\s*(?:,|and|&|\+)\s*(?:and\s+)?)*{NUM})"


def extract(prompt: Prompt) -> dict:
    """The battery's volts, every resistance given in ohms (or kΩ), series or parallel."""
    text = prompt.text
    params: dict = {}
    volts = prompt.search(rf"(?<![\w.])({NUM})\s*(?:v|volts?)\b(?!\s*/)")
    if volts:
        params["voltage"] = float(volts.group(1))
    else:
        given = prompt.number_after(r"\b(?:voltage|emf|e\.m\.f\.|potential difference|battery)")
        if given is not None:
            params["voltage"] = given
    resistances: list[float] = []
    for found in re.finditer(_LIST + _OHMS, text):
        factor = 1000.0 if found.group(2) else 1.0
        values = re.findall(rf"({NUM})\s*(k?)", found.group(1))
        resistances += [float(v) * (1000.0 if k else factor) for v, k in values]
    if resistances:
        params["resistances"] = resistances
    if prompt.has(r"\bparallel\b"):
        params["arrangement"] = "parallel"
    elif prompt.has(r"\bseries\b"):
        params["arrangement"] = "series"
    return params


def validate(params: dict, notes: list[str]) -> dict:
    params["voltage"] = checks.number(params["voltage"], "voltage", low=VOLTAGE[0], high=VOLTAGE[1])
    params["resistances"] = checks.number_list(
        params["resistances"],
        "resistances",
        low=RESISTANCE[0],
        high=RESISTANCE[1],
        min_items=1,
        max_items=MAX_RESISTORS,
    )
    params["arrangement"] = checks.choice(
        params["arrangement"], "arrangement", ARRANGEMENTS, {"serial": "series"}
    )
    return params


SKELETON = r"""from manim import *
import math

V = <<voltage>>  # battery voltage, volts
resistors = <<resistances>>  # resistances, ohms
arrangement = <<arrangement>>  # "series" (one loop) or "parallel" (side-by-side branches)
parallel = arrangement == "parallel" and len(resistors) > 1


def total_resistance():
    # Series resistances add; in parallel their reciprocals add: 1/R = 1/R1 + 1/R2 + ...
    if parallel:
        return 1 / sum(1 / r for r in resistors)
    return sum(resistors)


R_total = total_resistance()
I_total = V / R_total  # Ohm's law: I = V / R
# In series every resistor carries I and takes the voltage I R; in parallel every branch
# has the whole battery voltage and carries V / R.
currents = [V / r for r in resistors] if parallel else [I_total for _ in resistors]
voltages = [V for _ in resistors] if parallel else [I_total * r for r in resistors]


def fmt(value):
    # A number as the screen shows it: 3 -> "3", 2.5 -> "2.5", 1/3 -> "0.33", and small
    # currents to 3 significant figures: 9 / 1650 -> "0.00545"
    digits = 2 if abs(value) >= 0.1 or value == 0 else 2 - math.floor(math.log10(abs(value)))
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def name_label(i, size=20):
    # "R1" over its resistance, small enough to sit beside its resistor
    return VGroup(
        Text(f"R{i + 1}", font_size=size), Text(f"{fmt(resistors[i])} Ω", font_size=size)
    ).arrange(DOWN, buff=0.08)


def meter(letter, centre):
    # A circle with a letter inside, covering the wire it sits on
    ring = Circle(radius=0.3, color=TEXT, fill_color=BACKGROUND, fill_opacity=1)
    return VGroup(ring, Text(letter, font_size=26)).move_to(centre)


class OhmsLawCircuit(Scene):
    def construct(self):
<<fit_frame>>
        # Title
        title = Text("Ohm's law: V = IR", font_size=40)
        fit_title(self, title).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # The circuit: battery on the left (long plate +), resistors, ammeter, voltmeter
        left, right, top, bottom, middle = -5.3, -0.2, 1.6, -2.4, -0.4
        n = len(resistors)
        # Larger resistor labels when a portrait or square frame draws the circuit smaller
        name_size = 20 if circuit[0] >= 1 else 24
        wires, boxes, names, paths, speeds = VGroup(), VGroup(), VGroup(), [], []
        wires.add(Line([left, bottom, 0], [left, middle - 0.1, 0], color=TEXT))
        wires.add(Line([left, middle + 0.1, 0], [left, top, 0], color=TEXT))
        if parallel:
            xs = [-3.7 + i * (right + 3.7) / (n - 1) for i in range(n)]
            wires.add(Line([left, top, 0], [xs[-1], top, 0], color=TEXT))
            wires.add(Line([left, bottom, 0], [xs[-1], bottom, 0], color=TEXT))
            room = xs[1] - xs[0] - 0.45
            for i, x in enumerate(xs):
                wires.add(Line([x, top, 0], [x, bottom, 0], color=TEXT))
                boxes.add(Rectangle(width=0.36, height=0.9).move_to([x, middle, 0]))
                names.add(name_label(i, name_size).next_to(boxes[-1], RIGHT, buff=0.1))
                if names[-1].width > room:
                    names[-1].scale_to_fit_width(room)
                corners = [[left, bottom, 0], [left, top, 0], [x, top, 0], [x, bottom, 0]]
                paths.append(corners + [corners[0]])
                speeds.append(currents[i] / max(currents))
            ammeter = meter("A", [(left + xs[0]) / 2, bottom, 0])
            volt_x, box = xs[0] - 0.8, boxes[0]
            voltmeter = meter("V", [volt_x, middle, 0])
            leads = VMobject(color=TEXT).set_points_as_corners(
                [[xs[0], box.get_top()[1] + 0.2, 0], [volt_x, box.get_top()[1] + 0.2, 0],
                 [volt_x, middle, 0], [volt_x, box.get_bottom()[1] - 0.2, 0],
                 [xs[0], box.get_bottom()[1] - 0.2, 0]]
            )  # fmt: skip
        else:
            wires.add(Line([left, top, 0], [right, top, 0], color=TEXT))
            wires.add(Line([right, top, 0], [right, bottom, 0], color=TEXT))
            wires.add(Line([right, bottom, 0], [left, bottom, 0], color=TEXT))
            spacing = (right - left) / (n + 1)
            for i in range(n):
                x = left + (i + 1) * spacing
                box = Rectangle(width=min(0.9, spacing - 0.2), height=0.36)
                boxes.add(box.move_to([x, top, 0]))
                names.add(name_label(i, name_size).next_to(boxes[-1], UP, buff=0.15))
                if names[-1].width > spacing - 0.1:
                    names[-1].scale_to_fit_width(spacing - 0.1)
            paths.append([[left, bottom, 0], [left, top, 0], [right, top, 0], [right, bottom, 0],
                          [left, bottom, 0]])  # fmt: skip
            speeds.append(1.0)
            ammeter = meter("A", [(left + right) / 2, bottom, 0])
            box = boxes[0]
            volt_y = top - 1.1
            voltmeter = meter("V", [box.get_x(), volt_y, 0])
            leads = VMobject(color=TEXT).set_points_as_corners(
                [[box.get_left()[0], top, 0], [box.get_left()[0], volt_y, 0],
                 [box.get_right()[0], volt_y, 0], [box.get_right()[0], top, 0]]
            )  # fmt: skip
        boxes.set_style(fill_color=BACKGROUND, fill_opacity=1, stroke_color=SECONDARY)
        battery = VGroup(
            Line([left - 0.4, middle + 0.1, 0], [left + 0.4, middle + 0.1, 0], color=TEXT),
            Line([left - 0.2, middle - 0.1, 0], [left + 0.2, middle - 0.1, 0], color=TEXT),
        )
        plus = Text("+", font_size=24).next_to(battery[0], UP, buff=0.08).shift(LEFT * 0.45)
        battery_label = Text(f"{fmt(V)} V", font_size=24)
        if battery_label.width > 1.0:
            battery_label.scale_to_fit_width(1.0)
        battery_label.next_to(battery, LEFT, buff=0.15)
        # Built at its place in 16:9; in a portrait or square frame it moves into its share
        circuit_parts = [wires, boxes, names, battery, plus, battery_label, ammeter, voltmeter]
        put(VGroup(*circuit_parts, leads), circuit)
        self.play(Create(wires), Create(leads), run_time=1.5)
        self.play(
            FadeIn(boxes, battery, ammeter, voltmeter),
            FadeIn(names, plus, battery_label),
            run_time=1,
        )

        # The total resistance, then the current from Ohm's law
        if parallel:
            sum_text = " + ".join(rf"\frac{{1}}{{{fmt(r)}}}" for r in resistors)
            first = [
                MathTex(rf"\frac{{1}}{{R_{{total}}}} = {sum_text}", font_size=30),
                MathTex(rf"R_{{total}} = {fmt(R_total)}\,\Omega", font_size=30),
            ]
        else:
            sum_text = " + ".join(fmt(r) for r in resistors) + " = " if n > 1 else ""
            first = [MathTex(rf"R_{{total}} = {sum_text}{fmt(R_total)}\,\Omega", font_size=30)]
        current = MathTex(
            rf"I = \frac{{V}}{{R_{{total}}}} = \frac{{{fmt(V)}}}{{{fmt(R_total)}}}"
            rf" = {fmt(I_total)}\,\text{{A}}",
            font_size=30,
            color=HIGHLIGHT,
        )
        if parallel:
            shares = [
                MathTex(
                    rf"I_{i + 1} = \frac{{V}}{{R_{i + 1}}} = {fmt(c)}\,\text{{A}}", font_size=30
                )
                for i, c in enumerate(currents)
            ]
        else:
            shares = [
                MathTex(rf"V_{i + 1} = I R_{i + 1} = {fmt(v)}\,\text{{V}}", font_size=30)
                for i, v in enumerate(voltages)
            ]
        panel = VGroup(*first, current, *shares).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        if panel.width > 5.4:
            panel.scale_to_fit_width(5.4)
        if panel.height > 5.6:
            panel.scale_to_fit_height(5.6)
        put(panel, working, 4.1, -0.4)
        for line in first:
            self.play(Write(line), run_time=1.2)
        self.play(Write(current), run_time=1.2)

        # The meters read the current in the main wire and the voltage across R1
        amps = Text(f"{fmt(I_total)} A", font_size=24, color=HIGHLIGHT)
        scaled(amps, circuit).next_to(ammeter, DOWN, buff=0.12)
        volts = Text(f"{fmt(voltages[0])} V", font_size=24, color=HIGHLIGHT)
        scaled(volts, circuit).next_to(leads if parallel else voltmeter, DOWN, buff=0.12)
        self.play(
            FadeIn(amps), FadeIn(volts), LaggedStart(*[Write(s) for s in shares]), run_time=1.5
        )

        # Charge flows from the + terminal; in parallel, faster through the bigger currents
        flow = ValueTracker(0)
        charges = VGroup()
        for corners, speed in zip(paths, speeds):
            route = put(VMobject().set_points_as_corners(corners), circuit)
            count = 14 if len(paths) == 1 else 8
            for k in range(count):
                dot = Dot(radius=0.07, color=HIGHLIGHT)
                dot.add_updater(
                    lambda d, k=k, route=route, speed=speed, count=count: d.move_to(
                        route.point_from_proportion((k / count + speed * flow.get_value()) % 1)
                    )
                )
                charges.add(dot)
        self.add(charges)
        self.bring_to_front(boxes, battery, ammeter, voltmeter)  # charges pass behind the parts
        self.play(flow.animate.set_value(0.6), run_time=4, rate_func=linear)
        charges.clear_updaters()
        self.wait(1.5)
"""


def fmt(value: float) -> str:
    """The emitted fmt(): 2 decimals, or 3 significant figures below 0.1."""
    digits = 2 if abs(value) >= 0.1 or value == 0 else 2 - math.floor(math.log10(abs(value)))
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def shown_values(params: dict) -> dict:
    """R total, I, and each resistor's current and voltage, from the code's literals."""
    volts = float(literal(float(params["voltage"])))
    resistors = [float(literal(float(r))) for r in params["resistances"]]
    parallel = params["arrangement"] == "parallel" and len(resistors) > 1
    total = 1 / sum(1 / r for r in resistors) if parallel else sum(resistors)
    current = volts / total
    return {
        "parallel": parallel,
        "total": total,
        "current": current,
        "currents": [volts / r for r in resistors] if parallel else [current] * len(resistors),
        "voltages": [volts] * len(resistors) if parallel else [current * r for r in resistors],
    }


def describe(params: dict) -> list[str]:
    values = shown_values(params)
    resistors, volts = params["resistances"], params["voltage"]
    n = len(resistors)
    named = ", ".join(f"R{i} = {fmt(r)} Ω" for i, r in enumerate(resistors, 1))
    if n == 1:
        layout = f"one resistor, {named}"
    else:
        joined = "in parallel branches" if values["parallel"] else "in series in one loop"
        layout = f"{n} resistors {joined}: {named}"
    sentences = [
        "The title reads: Ohm's law: V = IR.",
        f"A circuit appears: a {fmt(volts)} V battery with {layout}; an ammeter sits in the "
        "main wire and a voltmeter across R1.",
    ]
    total, current = values["total"], values["current"]
    if values["parallel"]:
        reciprocals = " + ".join(f"1/{fmt(r)}" for r in resistors)
        sentences.append(
            f"In parallel the reciprocals add: 1 / R total = {reciprocals}, "
            f"so R total = {fmt(total)} Ω."
        )
    elif n > 1:
        parts = " + ".join(fmt(r) for r in resistors)
        sentences.append(f"In series the resistances add: R total = {parts} = {fmt(total)} Ω.")
    else:
        sentences.append(f"The total resistance is {fmt(total)} Ω.")
    sentences.append(
        f"Ohm's law gives the current: I = V / R total = {fmt(volts)} / {fmt(total)} = "
        f"{fmt(current)} A, which the ammeter reads."
    )
    if values["parallel"]:
        shares = ", ".join(f"I{i} = {fmt(c)} A" for i, c in enumerate(values["currents"], 1))
        sentences.append(
            f"Every branch has the whole {fmt(volts)} V, so its current is V / R: {shares}; "
            f"the voltmeter across R1 reads {fmt(volts)} V."
        )
    else:
        shares = ", ".join(f"V{i} = {fmt(v)} V" for i, v in enumerate(values["voltages"], 1))
        sentences.append(
            f"Each resistor takes the voltage I R: {shares}; the voltmeter across R1 reads "
            f"{fmt(values['voltages'][0])} V."
        )
    pace = (
        "faster through the branches that carry more current"
        if values["parallel"]
        else "at the same pace all the way round"
    )
    sentences.append(f"Dots show charge flowing from the battery's positive terminal, {pace}.")
    return sentences


def build(params: dict) -> str:
    return fill(
        SKELETON,
        fit_frame=codegen.arrange_parts(
            {"circuit": (-6.9, -3.1, 0.7, 2.3), "working": (1.4, -3.2, 6.8, 2.4)}
        ),
        voltage=literal(float(params["voltage"])),
        resistances=literal([float(r) for r in params["resistances"]]),
        arrangement=literal(params["arrangement"]),
    )


def narration(params: dict) -> list[str | Spoken]:
    # The values are worked out in the scene from its input lines, like everything it shows
    return [
        "Ohm's law: V equals I R.",
        Spoken(
            (
                'f"Here is a {fmt(V)} volt battery with resistors of "',
                "f\"{' and '.join(fmt(r) + ' ohms' for r in resistors)}, in {arrangement}.\"",
            )
        ),
        Spoken(
            (
                'f"The total resistance is {fmt(R_total)} ohms. The current is V over R: "',
                'f"{fmt(V)} divided by {fmt(R_total)}, which is {fmt(I_total)} amps."',
            )
        ),
        Spoken(
            (
                'f"The ammeter reads {fmt(I_total)} amps, and the voltmeter across R1 reads "',
                'f"{fmt(voltages[0])} volts."',
            )
        ),
        "Charge flows from the positive terminal of the battery round the circuit.",
    ]
