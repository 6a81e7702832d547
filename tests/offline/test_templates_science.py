"""The physics and chemistry templates of issue 16 show the right science, say it in their
descriptions, read teachers' prompts, and emit honest code.

Every expected value here is worked by hand in the comment beside it (never by the template's
own helpers). Emitted code is never run in-process: "honest code" is checked by editing the
teacher's inputs at the top of the default code and comparing with the code built for those
inputs (so nothing below the inputs was computed on the host), and the values that follow are
checked through the description. The render tests (test_render_templates.py) check that the
video really shows the described values.
"""

from __future__ import annotations

import itertools
import math
import re

import numpy as np
import pytest

from app.errors import ChalkError
from app.generators.offline import plan, render_template
from app.generators.offline.catalogue import registry
from app.generators.offline.extract import Prompt
from app.generators.offline.header import header

MINE = [
    "newtons_second_law",
    "velocity_time_graph",
    "ohms_law_circuit",
    "balancing_chemical_equations",
    "atomic_structure",
]


def said(template_id: str, params: dict | None = None) -> list[str]:
    return render_template(template_id, params).description


def code(template_id: str, params: dict | None = None) -> str:
    """The emitted code below its header: the header names the values the code was made
    from, so an input line edited by hand leaves it stale (origin() then calls it edited)."""
    made = render_template(template_id, params)
    lines = header(template_id, made.params)
    assert made.code.startswith(lines)
    return made.code.removeprefix(lines)


def with_inputs(source: str, **lines: str) -> str:
    """The code with each `name = ...` input line at the top replaced by `name = value`."""
    for name, value in lines.items():
        source, count = re.subn(
            rf"^{re.escape(name)} = [^#\n]*?(\s*#)",
            rf"{name} = {value}\1",
            source,
            count=1,
            flags=re.M,
        )
        assert count == 1, name
    return source


def extracted(template_id: str, prompt: str) -> dict:
    return registry()[template_id].extract(Prompt(prompt))


# ---------------------------------------------------------------- every template of this file


# ---------------------------------------------------------------- newtons_second_law


def test_newton_defaults():
    # m = 2 kg, F = 10 N, friction 4 N: W = 2 × 9.8 = 19.6 N = normal force;
    # F_net = 10 − 4 = 6 N; a = 6 / 2 = 3 m/s²; after 3 s, v = 3 × 3 = 9 m/s (readout 9.00).
    text = said("newtons_second_law")
    assert text[0] == "The title reads: Newton's second law: F = ma."
    assert text[1] == "A cart of mass 2 kg stands on level ground."
    assert text[2] == (
        "Arrows show the forces on it: the applied force of 10 N to the right, friction of 4 N "
        "to the left, its weight of 19.6 N down and the normal force of 19.6 N up."
    )
    assert text[3] == "The net force is F minus f: 10 − 4 = 6 N."
    assert text[4] == "So the acceleration is a = net force / m = 6 / 2 = 3 m/s²."
    assert "speeds up for 3 seconds in real time" in text[5]
    assert text[6] == "Finally v = a t = 3 × 3 = 9 m/s (the readout shows 9.00)."


def test_newton_without_friction_and_with_fractions():
    # 0.5 kg, 3 N, 1.25 N friction, 2 s: W = 4.9 N; F_net = 1.75 N; a = 1.75 / 0.5 = 3.5;
    # v = 3.5 × 2 = 7 m/s.
    text = said("newtons_second_law", {"mass": 0.5, "force": 3, "friction": 1.25, "seconds": 2})
    assert "weight of 4.9 N down" in text[2]
    assert "The net force is F minus f: 3 − 1.25 = 1.75 N." in text
    assert "So the acceleration is a = net force / m = 1.75 / 0.5 = 3.5 m/s²." in text
    assert text[-1] == "Finally v = a t = 3.5 × 2 = 7 m/s (the readout shows 7.00)."
    # 5 kg, 20 N, no friction, 4 s: W = 49 N; a = 20 / 5 = 4; v = 16 m/s; no friction arrow.
    text = said("newtons_second_law", {"mass": 5, "force": 20, "friction": 0, "seconds": 4})
    assert "friction" not in text[2] and "weight of 49 N" in text[2]
    assert "With no friction the net force is the push: 20 N." in text
    assert text[-1] == "Finally v = a t = 4 × 4 = 16 m/s (the readout shows 16.00)."


def test_newton_friction_larger_than_the_push_keeps_the_cart_at_rest():
    # 15 N push, up to 20 N of friction: friction matches the push (15 N), F_net = 0, a = 0.
    generation = render_template(
        "newtons_second_law", {"mass": 10, "force": 15, "friction": 20, "seconds": 3}
    )
    text = generation.description
    assert any("up to 20 N of friction" in s and "so it is 15 N" in s for s in text)
    assert "The net force is F minus f: 15 − 15 = 0 N." in text
    assert any("stays at rest" in s for s in text)
    assert text[-1] == "Finally v = a t = 0 × 3 = 0 m/s (the readout shows 0.00)."
    assert any("stays at rest" in note for note in generation.notes)


def test_newton_code_computes_everything_from_its_inputs():
    # Editing the four numbers at the top gives exactly the code built for those numbers:
    # nothing below them (labels, arrow lengths, a, v) was worked out on the host.
    default = code("newtons_second_law")
    assert re.search(r"^m = 2\.0  # mass", default, re.M)
    assert "a = F_net / m" in default and "friction_acting = min(friction, F)" in default
    edited = with_inputs(default, m="4.0", F="30.0", friction="6.0", seconds="5.0")
    params = {"mass": 4, "force": 30, "friction": 6, "seconds": 5}
    assert edited == code("newtons_second_law", params)
    # and what that video says follows: F_net = 24 N, a = 24 / 4 = 6, v = 6 × 5 = 30.
    text = said("newtons_second_law", params)
    assert "So the acceleration is a = net force / m = 24 / 4 = 6 m/s²." in text
    assert text[-1] == "Finally v = a t = 6 × 5 = 30 m/s (the readout shows 30.00)."
    for host_value in ("19.6", "9.00", "= 3"):
        assert host_value not in default.split("class NewtonsSecondLaw")[1]


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("a 5 kg cart pushed by a 20 N force", {"mass": 5, "force": 20, "friction": 0}),
        (
            "pulled with 12 N against 2 N of friction, mass 3",
            {"mass": 3, "force": 12, "friction": 2},
        ),
        ("friction of 4 N; a 2 kg cart, F = 9 N", {"mass": 2, "force": 9, "friction": 4}),
        # μ m g = 0.25 × 4 × 9.8 = 9.8 N
        (
            "4 kg box, 20 N push, coefficient of friction 0.25",
            {"mass": 4, "friction": 9.8, "force": 20},
        ),
        (
            "push a cart with 6 newtons on a frictionless track for 4 s",
            {"force": 6, "friction": 0, "seconds": 4},
        ),
        ("Newton's second law with a cart", {}),
    ],
)
def test_newton_extract(prompt, expected):
    found = extracted("newtons_second_law", prompt)
    assert found == pytest.approx(expected)


def test_newton_routing_keeps_other_laws_out():
    assert plan("Newton's second law with a cart")[0] == "newtons_second_law"
    with pytest.raises(ChalkError):
        plan("Explain Newton's third law")


# ---------------------------------------------------------------- velocity_time_graph


def test_velocity_time_defaults():
    # From rest: 2 m/s² for 4 s → 8 m/s; 3 s at 8 m/s; −1 m/s² for 8 s → 0 m/s.
    # Areas: ½(0 + 8)·4 = 16, 8·3 = 24, ½(8 + 0)·8 = 32; distance 72 m.
    text = said("velocity_time_graph")
    assert text[0] == "The title reads: Velocity-time graph."
    assert text[2] == (
        "Stage 1 goes from 0 m/s to 8 m/s in 4 s: its gradient, (8 − 0) / 4 = 2 m/s², "
        "is the acceleration."
    )
    assert text[3].startswith("Stage 2 stays at 8 m/s for 3 s: its gradient, (8 − 8) / 3 = 0")
    assert "(0 − 8) / 8 = -1 m/s²" in text[4]
    assert text[5].endswith(": 16 m, 24 m, 32 m.")
    assert text[6] == "The distance travelled is the total area: 16 + 24 + 32 = 72 m."


def test_velocity_time_four_stages_and_one():
    # 12.5 m/s; −0.5 for 5 s → 10; +3 for 2 s → 16; 0 for 1.5 s; −2.75 for 4 s → 5.
    # Areas ½(12.5 + 10)·5 = 56.25, ½(10 + 16)·2 = 26, 16·1.5 = 24, ½(16 + 5)·4 = 42.
    params = {
        "start_velocity": 12.5,
        "accelerations": [-0.5, 3, 0, -2.75],
        "durations": [5, 2, 1.5, 4],
    }
    text = said("velocity_time_graph", params)
    assert "(5 − 16) / 4 = -2.75 m/s²" in text[5]
    assert text[-1] == "The distance travelled is the total area: 56.25 + 26 + 24 + 42 = 148.25 m."
    # One stage: 2 m/s, +1.5 m/s² for 6 s → 11 m/s; area ½(2 + 11)·6 = 39 m.
    text = said(
        "velocity_time_graph", {"start_velocity": 2, "accelerations": [1.5], "durations": [6]}
    )
    assert text[2].startswith("The graph goes from 2 m/s to 11 m/s in 6 s")
    assert text[-1] == "The distance travelled is the area: 39 m."


def test_velocity_time_code_computes_everything_from_its_inputs():
    default = code("velocity_time_graph")
    assert "stages = [(2.0, 4.0), (0.0, 3.0), (-1.0, 8.0)]" in default
    edited = with_inputs(default, v0="3.0")
    edited = edited.replace(
        "stages = [(2.0, 4.0), (0.0, 3.0), (-1.0, 8.0)]", "stages = [(0.5, 10.0), (-1.0, 8.0)]"
    )
    params = {"start_velocity": 3, "accelerations": [0.5, -1], "durations": [10, 8]}
    assert edited == code("velocity_time_graph", params)
    # 3 → 8 m/s in 10 s (area 55), 8 → 0 in 8 s (area 32): 87 m.
    assert said("velocity_time_graph", params)[-1] == (
        "The distance travelled is the total area: 55 + 32 = 87 m."
    )
    scene = default.split("class VelocityTimeGraph")[1]
    for host_value in ("72", "16", "x_range=[0, 15"):
        assert host_value not in scene


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"start_velocity": 2, "accelerations": [-1], "durations": [5]}, "below 0 in stage 1"),
        ({"accelerations": [1, 2], "durations": [3]}, "the same count"),
        ({"start_velocity": 0, "accelerations": [0], "durations": [5]}, "stays at 0"),
        ({"accelerations": [1, 1, 1, 1, 1], "durations": [1, 1, 1, 1, 1]}, "between 1 and 4"),
        ({"durations": [4, 0, 8]}, "between 0.1 and 100"),
    ],
)
def test_velocity_time_refuses_what_it_cannot_draw(params, words):
    with pytest.raises(ChalkError) as caught:
        render_template("velocity_time_graph", params)
    assert words in caught.value.message and caught.value.message.count(".") <= 2


def test_velocity_time_list_limits():
    # Each list's limits are accepted where the rest of the journey allows them
    template = registry()["velocity_time_graph"]
    control = template.controls["accelerations"]
    assert (control.low, control.high, control.min_items, control.max_items) == (-50, 50, 1, 4)
    ok = {"start_velocity": 100, "accelerations": [-50, 50], "durations": [2, 100]}
    assert template.validate(dict(ok), [])["accelerations"] == [-50, 50]
    for bad in ([-50.01, 50], [-50, 50.01]):
        with pytest.raises(ChalkError):
            template.validate({**ok, "accelerations": bad}, [])
    durations = template.controls["durations"]
    assert (durations.low, durations.high) == (0.1, 100)
    ok = {"start_velocity": 1, "accelerations": [0, 0], "durations": [0.1, 100]}
    assert template.validate(dict(ok), [])["durations"] == [0.1, 100]
    for bad in ([0.09, 100], [0.1, 100.01]):
        with pytest.raises(ChalkError):
            template.validate({**ok, "durations": bad}, [])


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        (
            "from rest, accelerate at 2 m/s² for 4 s, then constant speed for 3 s, "
            "then decelerate at 1 m/s² for 8 s",
            {"start_velocity": 0, "accelerations": [2, 0, -1], "durations": [4, 3, 8]},
        ),
        # (20 − 5) / 10 = 1.5; then 0; then (0 − 20) / 16 = −1.25
        (
            "speeds up from 5 to 20 m/s in 10 s, then steady for 30 s, then stops in 16 s",
            {"start_velocity": 5, "accelerations": [1.5, 0, -1.25], "durations": [10, 30, 16]},
        ),
        (
            "initial velocity 10 m/s, braking at 2 m/s^2 for 5 seconds",
            {"start_velocity": 10, "accelerations": [-2], "durations": [5]},
        ),
        ("a v-t graph", {}),
    ],
)
def test_velocity_time_extract(prompt, expected):
    found = extracted("velocity_time_graph", prompt)
    assert set(found) == set(expected)
    for name, value in expected.items():
        assert found[name] == pytest.approx(value)


# ---------------------------------------------------------------- ohms_law_circuit


def test_ohm_series_defaults():
    # 12 V, 2 Ω + 4 Ω in series: R = 6 Ω, I = 12 / 6 = 2 A; V1 = 2 × 2 = 4 V, V2 = 2 × 4 = 8 V.
    text = said("ohms_law_circuit")
    assert text[0] == "The title reads: Ohm's law: V = IR."
    assert "a 12 V battery with 2 resistors in series in one loop: R1 = 2 Ω, R2 = 4 Ω" in text[1]
    assert text[2] == "In series the resistances add: R total = 2 + 4 = 6 Ω."
    assert text[3] == (
        "Ohm's law gives the current: I = V / R total = 12 / 6 = 2 A, which the ammeter reads."
    )
    assert text[4] == (
        "Each resistor takes the voltage I R: V1 = 4 V, V2 = 8 V; "
        "the voltmeter across R1 reads 4 V."
    )
    assert "same pace all the way round" in text[5]


def test_ohm_parallel():
    # 12 V across 2 Ω ∥ 4 Ω: 1/R = 1/2 + 1/4 = 3/4, R = 4/3 = 1.33 Ω; I = 12 × 3/4 = 9 A;
    # branches 12/2 = 6 A and 12/4 = 3 A (6 + 3 = 9).
    params = {"voltage": 12, "resistances": [2, 4], "arrangement": "parallel"}
    text = said("ohms_law_circuit", params)
    assert (
        text[2] == "In parallel the reciprocals add: 1 / R total = 1/2 + 1/4, so R total = 1.33 Ω."
    )
    assert "I = V / R total = 12 / 1.33 = 9 A" in text[3]
    assert "I1 = 6 A, I2 = 3 A; the voltmeter across R1 reads 12 V." in text[4]
    assert "faster through the branches that carry more current" in text[5]
    # 6 V across 3, 6, 12, 1.5 Ω: 1/R = 1/3 + 1/6 + 1/12 + 2/3 = 15/12, R = 0.8 Ω, I = 7.5 A.
    params = {"voltage": 6, "resistances": [3, 6, 12, 1.5], "arrangement": "parallel"}
    text = said("ohms_law_circuit", params)
    assert "so R total = 0.8 Ω." in text[2] and "= 6 / 0.8 = 7.5 A" in text[3]
    assert "I1 = 2 A, I2 = 1 A, I3 = 0.5 A, I4 = 4 A" in text[4]


def test_ohm_small_currents_keep_three_figures():
    # 9 V over 100 + 220 + 330 + 1000 = 1650 Ω: I = 0.005454… A → 0.00545 A;
    # V4 = 9 × 1000 / 1650 = 5.4545… → 5.45 V; V1 = 9 × 100 / 1650 = 0.545… → 0.55 V.
    params = {"voltage": 9, "resistances": [100, 220, 330, 1000], "arrangement": "series"}
    text = said("ohms_law_circuit", params)
    assert "= 9 / 1650 = 0.00545 A" in text[3]
    assert "V1 = 0.55 V, V2 = 1.2 V, V3 = 1.8 V, V4 = 5.45 V" in text[4]
    # One resistor: parallel or series is the same loop.
    one = said("ohms_law_circuit", {"voltage": 1.5, "resistances": [10], "arrangement": "parallel"})
    assert "with one resistor, R1 = 10 Ω" in one[1]
    assert "= 1.5 / 10 = 0.15 A" in one[3]


def test_ohm_code_computes_everything_from_its_inputs():
    default = code("ohms_law_circuit")
    edited = with_inputs(default, V="24.0", resistors="[4.0, 6.0, 12.0]", arrangement='"parallel"')
    params = {"voltage": 24, "resistances": [4, 6, 12], "arrangement": "parallel"}
    assert edited == code("ohms_law_circuit", params)
    # 1/R = 1/4 + 1/6 + 1/12 = 6/12, R = 2 Ω, I = 12 A; branches 6, 4, 2 A.
    text = said("ohms_law_circuit", params)
    assert "so R total = 2 Ω." in text[2] and "= 24 / 2 = 12 A" in text[3]
    assert "I1 = 6 A, I2 = 4 A, I3 = 2 A" in text[4]
    scene = default.split("class OhmsLawCircuit")[1]
    for host_value in ("6 Ω", "= 2 A", "8 V"):
        assert host_value not in scene


def test_ohm_limits_and_refusals():
    template = registry()["ohms_law_circuit"]
    assert template.controls["arrangement"].options == ("series", "parallel")
    resistances = template.controls["resistances"]
    ok = {**template.defaults, "resistances": [resistances.low, resistances.high]}
    assert template.validate(dict(ok), [])["resistances"] == [0.1, 10000]
    for bad in ([0.09], [10000.01], [1, 2, 3, 4, 5], []):
        with pytest.raises(ChalkError):
            template.validate({**template.defaults, "resistances": bad}, [])
    with pytest.raises(ChalkError) as caught:
        render_template("ohms_law_circuit", {"arrangement": "diagonal"})
    assert caught.value.message == "'arrangement' must be one of series, parallel."


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("a 12 V battery, 2 Ω and 4 Ω in series", {"voltage": 12, "resistances": [2, 4]}),
        ("9 volt cell, resistors of 100, 220 and 330 ohms", {"voltage": 9}),
        ("a 5 V supply with 1 kΩ and 2.2 kΩ in parallel", {"resistances": [1000, 2200]}),
        ("4.5V battery and a 3 ohm resistor", {"voltage": 4.5, "resistances": [3]}),
    ],
)
def test_ohm_extract(prompt, expected):
    found = extracted("ohms_law_circuit", prompt)
    for name, value in expected.items():
        assert found[name] == pytest.approx(value)
    assert found.get("arrangement") == (
        "parallel" if "parallel" in prompt else "series" if "series" in prompt else None
    )


# ---------------------------------------------------------------- balancing_chemical_equations

CHEM = "balancing_chemical_equations"


def test_chemistry_is_a_subject_with_this_template():
    assert registry()[CHEM].subject == "Chemistry"


def test_balancing_defaults():
    # CH4 + O2 -> CO2 + H2O. Before: C 1 | 1, H 4 | 2, O 2 | 2 + 1 = 3. Unknowns a, b, c, d:
    # C: a = c; H: 4a = 2d; O: 2b = 2c + d. a = 1 → c = 1, d = 2, b = (2 + 2) / 2 = 2.
    # After: C 1 | 1, H 4 | 4, O 4 | 2 + 2 = 4.
    text = said(CHEM)
    assert text[0] == "The title reads: Balancing a chemical equation."
    assert text[1] == "The equation appears as written: CH4 + O2 → CO2 + H2O."
    assert text[2] == (
        "A table counts the atoms of each element on the left and on the right: "
        "C 1 and 1, H 4 and 2, O 2 and 3; H and O do not match."
    )
    assert text[3].endswith("each element gives an equation: C: a = c; H: 4a = 2d; O: 2b = 2c + d.")
    assert text[4] == "The smallest whole numbers that solve them are a = 1, b = 2, c = 1, d = 2."
    assert text[5] == "The balanced equation replaces it: CH4 + 2O2 → CO2 + 2H2O."
    assert text[6] == (
        "The table now matches on every row: C 1 and 1, H 4 and 4, O 4 and 4. "
        "Every element balances."
    )


# Balanced by hand (textbook answers)
BALANCED = [
    ("H2 + O2 -> H2O", "2H2 + O2 → 2H2O"),
    ("Fe + O2 -> Fe2O3", "4Fe + 3O2 → 2Fe2O3"),
    ("C3H8 + O2 -> CO2 + H2O", "C3H8 + 5O2 → 3CO2 + 4H2O"),
    ("Ca(OH)2 + HCl -> CaCl2 + H2O", "Ca(OH)2 + 2HCl → CaCl2 + 2H2O"),
    ("N2 + H2 -> NH3", "N2 + 3H2 → 2NH3"),
    ("Na + H2O -> NaOH + H2", "2Na + 2H2O → 2NaOH + H2"),
    ("Al + CuSO4 -> Al2(SO4)3 + Cu", "2Al + 3CuSO4 → Al2(SO4)3 + 3Cu"),
    ("C6H12O6 + O2 -> CO2 + H2O", "C6H12O6 + 6O2 → 6CO2 + 6H2O"),
    ("KMnO4 + HCl -> KCl + MnCl2 + H2O + Cl2", "2KMnO4 + 16HCl → 2KCl + 2MnCl2 + 8H2O + 5Cl2"),
]


@pytest.mark.parametrize(("equation", "balanced"), BALANCED)
def test_balancing_matches_textbook_answers(equation, balanced):
    text = said(CHEM, {"equation": equation})
    assert text[5] == f"The balanced equation replaces it: {balanced}."
    assert text[6].endswith("Every element balances.")
    after = re.findall(r"(\w+) (\d+) and (\d+)", text[6].split(": ", 1)[1])
    assert after and all(left == right for _, left, right in after)


def atoms(formula: str) -> dict[str, int]:
    """Atoms in a formula with at most one bracket, counted by hand-written rules."""
    inner = re.search(r"\(([^)]*)\)(\d*)", formula)
    found: dict[str, int] = {}
    if inner:
        for element, n in atoms(inner.group(1)).items():
            found[element] = n * int(inner.group(2) or 1)
        formula = formula[: inner.start()] + formula[inner.end() :]
    for element, n in re.findall(r"([A-Z][a-z]?)(\d*)", formula):
        found[element] = found.get(element, 0) + int(n or 1)
    return found


@pytest.mark.parametrize(("equation", "balanced"), BALANCED[:7])
def test_balancing_agrees_with_a_brute_force_search(equation, balanced):
    # A different method: try every coefficient from 1 to 6 and keep the first that balances
    left, right = (side.split(" + ") for side in equation.split(" -> "))
    for ks in itertools.product(range(1, 7), repeat=len(left) + len(right)):
        totals: dict[str, int] = {}
        for k, formula, sign in zip(
            ks, left + right, [1] * len(left) + [-1] * len(right), strict=True
        ):
            for element, n in atoms(formula).items():
                totals[element] = totals.get(element, 0) + sign * k * n
        if not any(totals.values()):
            break
    shown = " + ".join(
        (str(k) if k > 1 else "") + f for k, f in zip(ks[: len(left)], left, strict=True)
    )
    shown += " → " + " + ".join(
        (str(k) if k > 1 else "") + f for k, f in zip(ks[len(left) :], right, strict=True)
    )
    assert shown == balanced
    assert said(CHEM, {"equation": equation})[5].endswith(shown + ".")


@pytest.mark.parametrize(
    ("equation", "words"),
    [
        ("NaCl -> Na + O2", "cannot be balanced: Cl appears on only one side"),
        ("H2 + O2 -> H2O + H2O2", "more than one way"),
        ("Xy + O2 -> XyO", "'Xy' is not a chemical element"),
        ("water + oxygen", "not an equation Chalk can read"),
        ("H2 + O2", "not an equation Chalk can read"),
        ("Fe3+ + e -> Fe2+", "not an equation Chalk can read"),
        ("A + B + C + D -> E + F + G", "up to 6 formulae"),
        ("H2 + " * 20 + "O2 -> H2O", "at most 80 characters"),
    ],
)
def test_balancing_refuses_honestly(equation, words):
    with pytest.raises(ChalkError) as caught:
        render_template(CHEM, {"equation": equation})
    message = caught.value.message
    assert caught.value.kind == "generation" and words in message
    assert message.endswith(".") and message.count(". ") == 0  # one sentence


def test_balancing_reads_subscripts_states_and_coefficients():
    generation = render_template(CHEM, {"equation": "2H₂(g) + O₂(g) → 2H₂O(l)"})
    assert generation.params == {"equation": "H2 + O2 -> H2O"}
    assert generation.notes == ["The equation was read as H2 + O2 -> H2O."]
    assert registry()[CHEM].controls["equation"].max_length == 80


def test_balancing_code_computes_everything_from_its_inputs():
    default = code(CHEM)
    assert re.search(r'^equation = "CH4 \+ O2 -> CO2 \+ H2O"  #', default, re.M)
    edited = with_inputs(default, equation='"N2 + H2 -> NH3"')
    assert edited == code(CHEM, {"equation": "N2 + H2 -> NH3"})
    scene = default.split("class BalancingChemicalEquations")[1]
    for host_value in ("2O2", "CH_{4}", "4a = 2d"):
        assert host_value not in scene


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("Balance the equation CH4 + O2 -> CO2 + H2O", "CH4 + O2 -> CO2 + H2O"),
        ("balance H₂ + O₂ → H₂O please", "H2 + O2 -> H2O"),
        ("How do I balance Fe + O2 = Fe2O3?", "Fe + O2 -> Fe2O3"),
        ("Balance: Al + CuSO4 yields Al2(SO4)3 + Cu", "Al + CuSO4 -> Al2(SO4)3 + Cu"),
    ],
)
def test_balancing_extract(prompt, expected):
    assert extracted(CHEM, prompt) == {"equation": expected}
    assert plan(prompt)[1]["equation"] == expected


# ---------------------------------------------------------------- atomic_structure

ATOM = "atomic_structure"


def test_atom_defaults():
    # Sodium: Z = 11, most common isotope ²³Na, so 23 − 11 = 12 neutrons; 11 electrons fill
    # shells of 2, then 8, then the last 1.
    text = said(ATOM)
    assert text[0] == "The title reads: The structure of an atom of sodium."
    assert text[1] == "A nucleus appears, labelled 11 p and 12 n: its protons and neutrons."
    assert "symbol Na is written with mass number 23 above and atomic number 11 below" in text[2]
    assert text[3].endswith("neutrons = A − Z = 23 − 11 = 12.")
    assert text[4] == "A neutral atom has as many electrons as protons: 11."
    assert "fill 3 shells" in text[5] and text[5].endswith("the shells hold 2, 8, 1.")


# (element, protons, neutrons, shells) from a periodic table and the 2, 8, 8 rule by hand
ATOMS = [
    ("H", 1, 0, "1"),
    ("He", 2, 2, "2"),
    ("C", 6, 6, "2, 4"),
    ("O", 8, 8, "2, 6"),
    ("Ne", 10, 10, "2, 8"),
    ("Al", 13, 14, "2, 8, 3"),
    ("Cl", 17, 18, "2, 8, 7"),
    ("Ar", 18, 22, "2, 8, 8"),
    ("K", 19, 20, "2, 8, 8, 1"),
    ("Ca", 20, 20, "2, 8, 8, 2"),
]


@pytest.mark.parametrize(("symbol", "protons", "neutrons", "arrangement"), ATOMS)
def test_atom_counts_match_the_periodic_table(symbol, protons, neutrons, arrangement):
    text = said(ATOM, {"element": symbol})
    assert text[1].startswith(f"A nucleus appears, labelled {protons} p and {neutrons} n")
    assert text[4].endswith(f": {protons}.")
    assert text[5].endswith(f"the shells hold {arrangement}.")
    rings = arrangement.count(",") + 1
    assert f"fill {rings} shell{'s' if rings > 1 else ''} " in text[5]


@pytest.mark.parametrize(
    ("given", "symbol"),
    [("sodium", "Na"), ("11", "Na"), (11, "Na"), ("na", "Na"), ("Sulphur", "S"), ("20", "Ca")],
)
def test_atom_reads_names_symbols_and_numbers(given, symbol):
    assert render_template(ATOM, {"element": given}).params == {"element": symbol}


@pytest.mark.parametrize(
    ("given", "words"),
    [
        ("iron", "first 20 elements"),
        ("26", "first 20 elements"),
        ("Og", "first 20 elements"),
        ("0", "no element with atomic number 0"),
        ("unobtainium", "not an element Chalk knows"),
    ],
)
def test_atom_refuses_what_the_shell_model_cannot_show(given, words):
    with pytest.raises(ChalkError) as caught:
        render_template(ATOM, {"element": given})
    assert words in caught.value.message and caught.value.message.count(". ") == 0


def test_atom_code_computes_everything_from_its_inputs():
    default = code(ATOM)
    assert "Z = 11  # atomic number" in default and "A = 23  # mass number" in default
    edited = with_inputs(default, Z="17", A="35")
    edited = edited.replace('symbol, name = "Na", "sodium"', 'symbol, name = "Cl", "chlorine"')
    assert edited == code(ATOM, {"element": "Cl"})
    scene = default.split("class AtomicStructure")[1]
    for host_value in ("12 n", "2, 8, 1", "= 12"):
        assert host_value not in scene
    control = registry()[ATOM].controls["element"]
    assert control.options[0] == "H" and control.options[-1] == "Ca" and len(control.options) == 20


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("Bohr model of carbon", {"element": "carbon"}),
        ("draw an atom of element 17", {"element": "17"}),
        ("electron shells of Mg", {"element": "Mg"}),
        ("the atomic structure of the element O", {"element": "O"}),
        ("Show the structure of an atom", {}),
    ],
)
def test_atom_extract(prompt, expected):
    assert extracted(ATOM, prompt) == expected


# ---------------------------------------------------------------- issue 16, second batch
# normal_distribution and complex_numbers sit here beside the physics ones of the same batch
# (forces_free_body, wave_interference, circular_orbit). Expected values come from other
# methods: statistics.NormalDist's cdf, Python's complex numbers and cmath, numpy's vector
# sums, Kepler's third law, and path differences sampled across the whole screen.


# ---------------------------------------------------------------- normal_distribution


def normal_share(k: float) -> str:
    # The share within k SDs from the standard normal's cdf (not erf): P(-k < Z < k)
    from statistics import NormalDist

    unit = NormalDist()
    return f"{100 * (unit.cdf(k) - unit.cdf(-k)):.2f}%"


def test_normal_distribution_defaults_and_the_empirical_rule():
    # μ = 100, σ = 15, k = 1: 85 to 115 holds 68.27%
    text = said("normal_distribution")
    assert text[0] == "The title reads: Normal distribution: μ = 100, σ = 15."
    assert "ticks at every standard deviation: 55, 70, 85, 100, 115, 130, 145" in text[1]
    assert "μ − 1σ = 85 and μ + 1σ = 115" in text[3]
    assert text[4].endswith(f"P(85 < X < 115) = {normal_share(1)}.")
    assert normal_share(1) == "68.27%"
    for k, interval, share in [(2, "154 < X < 186", "95.45%"), (3, "-3 < X < 3", "99.73%")]:
        params = {"mean": 170, "sd": 8, "k": 2} if k == 2 else {"mean": 0, "sd": 1, "k": 3}
        assert said("normal_distribution", params)[4].endswith(f"P({interval}) = {share}.")
        assert normal_share(k) == share
    # 1.5 SDs of N(2.5, 0.4): 1.9 to 3.1
    text = said("normal_distribution", {"mean": 2.5, "sd": 0.4, "k": 1.5})
    assert text[4].endswith(f"P(1.9 < X < 3.1) = {normal_share(1.5)}.")


def test_normal_distribution_code_computes_everything_from_its_inputs():
    default = code("normal_distribution")
    edited = with_inputs(default, mean="50.0", sd="4.0", k="2.5", label='"time (s)"')
    params = {"mean": 50, "sd": 4, "k": 2.5, "label": "time (s)"}
    assert edited == code("normal_distribution", params)
    assert "share = math.erf(k / math.sqrt(2))" in default
    scene = default.split("class NormalDistribution")[1]
    for host_value in ("68.27", "85", "115"):
        assert host_value not in scene


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("normal distribution with mean 50 and standard deviation 10", {"mean": 50, "sd": 10}),
        (
            "bell curve of IQ scores, mean 100, SD 15, shade within 2 standard deviations",
            {"mean": 100, "sd": 15, "k": 2, "label": "IQ scores"},
        ),
        ("normal curve with μ = 170 and σ = 8", {"mean": 170, "sd": 8}),
        (
            "heights are normally distributed with mean 160 cm and standard deviation 6 cm; "
            "shade 3 sd either side",
            {"mean": 160, "sd": 6, "k": 3, "label": "Heights (cm)"},
        ),
        ("the normal distribution", {}),
    ],
)
def test_normal_distribution_extract(prompt, expected):
    assert extracted("normal_distribution", prompt) == pytest.approx(expected)


def test_a_list_of_data_is_not_a_bell_curve():
    with pytest.raises(ChalkError):
        plan("find the mean and standard deviation of 2, 4, 4, 5, 7, 9")


# ---------------------------------------------------------------- complex_numbers


def test_complex_multiplication_is_a_turn_and_a_stretch():
    import cmath

    # (2 + i)(1 + i) = 1 + 3i; |z| = √5, arg z = 26.57°, |w| = √2, arg w = 45°
    z, w = complex(2, 1), complex(1, 1)
    text = said("complex_numbers")
    assert text[2] == "An arrow from the origin marks z = 2 + i, the point (2, 1)."
    assert f"|z| = √(2² + 1²) = {abs(z):.2f}" in text[3]
    assert f"arg z = {math.degrees(cmath.phase(z)):.2f}°" in text[3]
    assert f"|w| = {abs(w):.2f}, arg w = 45°" in text[4]
    assert f"|zw| = {abs(z):.2f} × {abs(w):.2f} = {abs(z * w):.2f}" in text[6]
    assert z * w == complex(1, 3) and text[7] == "It lands on the product zw = 1 + 3i."
    # (1.5 − 2.5i)(2 − i) = 0.5 − 6.5i
    product = complex(1.5, -2.5) * complex(2, -1)
    text = said("complex_numbers", {"a": 1.5, "b": -2.5, "c": 2, "d": -1, "operation": "multiply"})
    assert product == complex(0.5, -6.5)
    assert text[-1] == "It lands on the product zw = 0.5 − 6.5i."
    assert f"arg zw = {math.degrees(cmath.phase(complex(1.5, -2.5))):.2f}°" in text[5]


def test_complex_addition_and_a_point_alone():
    # (2 + i) + (−1 + 3i) = 1 + 4i
    text = said("complex_numbers", {"a": 2, "b": 1, "c": -1, "d": 3, "operation": "add"})
    assert complex(2, 1) + complex(-1, 3) == complex(1, 4)
    assert text[-1] == "The arrow to its end is the sum: z + w = 1 + 4i."
    # 3 + 4i: modulus 5, argument 53.13°
    text = said("complex_numbers", {"a": 3, "b": 4, "operation": "point"})
    assert "= 5, and an arc marks its argument, arg z = 53.13°" in text[3]
    assert text[-1] == "In polar form, z = 5(cos 53.13° + i sin 53.13°)."
    # −2 + 2i lies at 135°
    text = said("complex_numbers", {"a": -2, "b": 2, "operation": "point"})
    assert "arg z = 135°" in text[3]


def test_complex_code_computes_everything_from_its_inputs():
    default = code("complex_numbers")
    edited = default.replace("a, b = 2.0, 1.0  #", "a, b = -3.0, 0.5  #")
    edited = edited.replace('operation = "multiply"  #', 'operation = "add"  #')
    params = {"a": -3, "b": 0.5, "operation": "add"}
    assert edited == code("complex_numbers", params)
    scene = default.split("class ComplexNumbers")[1]
    for host_value in ("2.24", "26.57", "1 + 3i"):
        assert host_value not in scene


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("complex number 3 + 4i on an Argand diagram", {"a": 3, "b": 4, "operation": "point"}),
        ("modulus and argument of -2 + 2i", {"a": -2, "b": 2, "operation": "point"}),
        (
            "multiply 1 + 2i by i and show it as a rotation",
            {"a": 1, "b": 2, "c": 0, "d": 1, "operation": "multiply"},
        ),
        (
            "add the complex numbers 2 + i and 1 + 3i",
            {"a": 2, "b": 1, "c": 1, "d": 3, "operation": "add"},
        ),
        (
            "show (1 + i)(2 - i) on the complex plane",
            {"a": 1, "b": 1, "c": 2, "d": -1, "operation": "multiply"},
        ),
        ("explain complex numbers", {}),
    ],
)
def test_complex_extract(prompt, expected):
    assert extracted("complex_numbers", prompt) == pytest.approx(expected)


# ---------------------------------------------------------------- forces_free_body


def test_forces_resultant_from_the_components():
    # pull 10 → (10, 0), friction 4 ← (−4, 0), lift 7 ↑ (0, 7), weight 15 ↓ (0, −15):
    # (6, −8), R = 10 N, 53.13° below the right
    text = said("forces_free_body")
    assert text[2] == (
        "Arrows show the forces on it: pull 10 N to the right, friction 4 N to the left, "
        "lift 7 N straight up and weight 15 N straight down."
    )
    assert text[3] == "Adding the parts across gives ΣFx = 6 N, and up gives ΣFy = -8 N."
    assert text[4] == "The resultant is R = √(6² + -8²) = 10 N, pointing 53.13° below the right."
    # Three forces at angles, summed as vectors by numpy
    sizes, ways = np.array([6.0, 8.0, 5.0]), np.radians([30.0, 135.0, 250.0])
    total = np.array([sizes @ np.cos(ways), sizes @ np.sin(ways)])
    params = {"names": ["F1", "F2", "F3"], "magnitudes": [6, 8, 5], "directions": [30, 135, 250]}
    text = said("forces_free_body", params)
    size = float(np.linalg.norm(total))
    tilt = math.degrees(math.atan2(abs(total[1]), abs(total[0])))
    assert f"R = √({total[0]:.2f}² + {total[1]:.2f}²) = {size:.2f} N" in text[4]
    side = "right" if total[0] > 0 else "left"
    updown = "above" if total[1] > 0 else "below"
    assert text[4].endswith(f"pointing {tilt:.2f}° {updown} the {side}.")
    # Balanced forces have no resultant
    balanced = {"names": ["thrust", "drag"], "magnitudes": [9, 9], "directions": [0, 180]}
    assert said("forces_free_body", balanced)[4].endswith("= 0 N, so the forces balance.")


def test_forces_on_an_inclined_plane():
    # 5 kg at 30°: W = 49 N, along 49 sin 30° = 24.5 N, into 49 cos 30° = 42.44 N, a = 4.9
    text = said("forces_free_body", {"mode": "incline"})
    assert text[0] == "The title reads: Forces on a slope."
    assert "W = mg = 5 × 9.8 = 49 N" in text[3]
    assert "along the slope mg sin 30° = 24.5 N" in text[3]
    assert f"into the slope mg cos 30° = {49 * math.sqrt(3) / 2:.2f} N" in text[3]
    assert text[4].endswith("a = g sin 30° = 4.9 m/s².")
    # 12.5 kg at 55°: W = 122.5 N
    text = said("forces_free_body", {"mode": "incline", "mass": 12.5, "angle": 55})
    along = 122.5 * math.sin(math.radians(55))
    assert f"along the slope mg sin 55° = {along:.2f} N" in text[3]


def test_forces_code_computes_everything_from_its_inputs():
    default = code("forces_free_body")
    edited = with_inputs(default, mode='"incline"', m="8.0", theta="40.0")
    params = {"mode": "incline", "mass": 8, "angle": 40}
    assert edited == code("forces_free_body", params)
    scene = default.split("class ForcesFreeBody")[1]
    for host_value in ("53.13", "= 10", "24.5"):
        assert host_value not in scene


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        (
            "free body diagram with forces of 5 N east and 3 N north",
            {"mode": "forces", "names": ["F1", "F2"], "magnitudes": [5, 3], "directions": [0, 90]},
        ),
        (
            "resultant of a 10 N force to the right and a 4 N force to the left",
            {"magnitudes": [10, 4], "directions": [0, 180]},
        ),
        (
            "forces on an object: tension 12 N up, weight 8 N down, thrust 6 N right",
            {
                "names": ["tension", "weight", "thrust"],
                "magnitudes": [12, 8, 6],
                "directions": [90, 270, 0],
            },
        ),
        ("a 20 N force at 30 degrees and 4 N of friction", {"directions": [30, 180]}),
        (
            "a 4 kg block on an inclined plane at 30 degrees",
            {"mode": "incline", "mass": 4, "angle": 30},
        ),
        ("box of mass 10 kg on a ramp of 25°", {"mode": "incline", "mass": 10, "angle": 25}),
    ],
)
def test_forces_extract(prompt, expected):
    found = extracted("forces_free_body", prompt)
    assert {key: found[key] for key in expected} == expected


def test_the_slope_of_a_line_is_not_an_inclined_plane():
    assert plan("find the slope of the line y = 3x + 2")[0] != "forces_free_body"


# ---------------------------------------------------------------- wave_interference


def screen_orders(wavelength: float, d: float, far: float) -> tuple[set, set]:
    # Path differences (in wavelengths) sampled over the whole screen shown, ±0.9 of its
    # distance: the whole and half-odd numbers they pass through are the bright and dark points
    ys = np.linspace(-0.9 * far, 0.9 * far, 200001)
    difference = (np.hypot(far, ys + d / 2) - np.hypot(far, ys - d / 2)) / wavelength
    top = float(difference.max())
    bright = {n for n in range(0, 20) if n <= top}
    dark = {n + 0.5 for n in range(0, 20) if n + 0.5 <= top}
    return bright, dark


def test_interference_points_and_path_differences():
    # λ = 1, d = 3, screen 8 away (all cm)
    text = said("wave_interference")
    bright, dark = screen_orders(1, 3, 8)
    assert (bright, dark) == ({0, 1}, {0.5, 1.5})
    assert "path difference is 0, 1 wavelengths: constructive" in text[3]
    assert "it is 0.5, 1.5 wavelengths: destructive" in text[4]
    # The first bright point above the middle: where S2P − S1P = λ, found on a fine grid
    ys = np.linspace(0, 7.2, 720001)
    y = ys[np.argmin(abs(np.hypot(8, ys + 1.5) - np.hypot(8, ys - 1.5) - 1))]
    near, far = math.hypot(8, y - 1.5), math.hypot(8, y + 1.5)
    assert f"the paths are {far:.2f} and {near:.2f} cm: they differ by 1 cm" in text[5]
    assert text[6].endswith("they differ by 0.5 cm, half a wavelength.")
    for params in registry()["wave_interference"].variants:
        text = said("wave_interference", params)
        bright, dark = screen_orders(params["wavelength"], params["separation"], params["distance"])
        assert ", ".join(codegen_show(n) for n in sorted(bright)) + " wavelengths" in text[3]
        assert ", ".join(codegen_show(n) for n in sorted(dark)) + " wavelengths" in text[4]


def codegen_show(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def test_interference_code_computes_everything_from_its_inputs():
    default = code("wave_interference")
    edited = with_inputs(default, wavelength="2.0", d="5.0", L="12.0", unit='"m"')
    params = {"wavelength": 2, "separation": 5, "distance": 12, "unit": "m"}
    assert edited == code("wave_interference", params)
    scene = default.split("class WaveInterference")[1]
    for host_value in ("8.55", "1.5λ", "7.2"):
        assert host_value not in scene


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"wavelength": 1, "separation": 1}, "between 1.5 and 4 wavelengths"),
        ({"wavelength": 1, "separation": 6}, "between 1.5 and 4 wavelengths"),
        ({"distance": 40}, "at most 15 wavelengths"),
        ({"distance": 2}, "as far away as the sources are apart"),
    ],
)
def test_interference_refuses_what_it_cannot_draw(params, words):
    with pytest.raises(ChalkError) as caught:
        render_template("wave_interference", params)
    assert words in caught.value.message


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        (
            "interference from two sources 3 cm apart with wavelength 1 cm",
            {"separation": 3, "wavelength": 1, "unit": "cm"},
        ),
        (
            "two-source interference: wavelength 2 m, sources 5 m apart",
            {"wavelength": 2, "separation": 5, "unit": "m"},
        ),
        (
            "double slit: slits 4 mm apart, wavelength 1 mm, screen 10 mm away",
            {"separation": 4, "wavelength": 1, "distance": 10, "unit": "mm"},
        ),
        ("show constructive and destructive interference", {}),
    ],
)
def test_interference_extract(prompt, expected):
    found = extracted("wave_interference", prompt)
    assert {key: found[key] for key in expected} == pytest.approx(expected)


# ---------------------------------------------------------------- circular_orbit


def kepler_period(mass: float, radius_km: float) -> float:
    # Kepler's third law, T² = 4π² r³ / (GM): the period without going through v
    return 2 * math.pi * math.sqrt((radius_km * 1000) ** 3 / (6.674e-11 * mass))


def test_orbit_speed_and_period():
    # Geostationary: r = 42,164 km around 5.972e24 kg → v = 3.07 km/s, T = 23.94 hours
    text = said("circular_orbit")
    period = kepler_period(5.972e24, 42164)
    assert "v = √(GM/r) = 3.07 km/s" in text[3]
    assert f"T = 2πr / v = {period:,.2f} s, which is {period / 3600:.2f} hours" in text[4]
    assert round(period / 3600, 2) == 23.94  # with G = 6.674e-11 and M = 5.972e24 kg
    # The Earth round the Sun: about 29.8 km/s and 365 days
    text = said("circular_orbit", registry()["circular_orbit"].variants[0])
    period = kepler_period(1.989e30, 1.496e8)
    assert f"which is {period / 86400:.2f} days" in text[4] and 365 < period / 86400 < 366
    # The ISS, 6771 km from the Earth's centre: about 92 minutes
    text = said("circular_orbit", registry()["circular_orbit"].variants[2])
    assert f"which is {kepler_period(5.972e24, 6771) / 60:.2f} minutes" in text[4]


def test_orbit_code_computes_everything_from_its_inputs():
    default = code("circular_orbit")
    edited = with_inputs(default, M="6.42e+23", r_km="9376.0", orbiter='"Phobos"', central='"Mars"')
    params = {"mass": 6.42e23, "radius": 9376, "orbiter": "Phobos", "central": "Mars"}
    assert edited == code("circular_orbit", params)
    scene = default.split("class CircularOrbit")[1]
    for host_value in ("3.07", "23.93", "86,1"):
        assert host_value not in scene


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("a planet orbiting the sun", {"orbiter": "planet", "central": "Sun", "radius": 1.496e8}),
        (
            "satellite in a circular orbit of radius 7000 km around the Earth",
            {"orbiter": "satellite", "central": "Earth", "mass": 5.972e24, "radius": 7000},
        ),
        (
            "orbital speed for a central mass of 6e24 kg and r = 4.2e7 m",
            {"mass": 6e24, "radius": 42000},
        ),
        ("the Moon orbiting the Earth at 384,400 km", {"orbiter": "Moon", "radius": 384400}),
        (
            "How long does the ISS take to orbit the Earth at 400 km altitude?",
            {"orbiter": "ISS", "radius": 6771},
        ),
        ("a satellite orbiting Mars at 2.5 × 10^4 km", {"central": "Mars", "radius": 25000}),
    ],
)
def test_orbit_extract(prompt, expected):
    found = extracted("circular_orbit", prompt)
    assert {key: found.get(key) for key in expected} == pytest.approx(expected)


def test_an_orbit_inside_the_planet_is_refused():
    with pytest.raises(ChalkError) as caught:
        render_template("circular_orbit", {"radius": 5000})
    assert "inside the Earth" in caught.value.message
