"""How well the offline planner routes prompts it was never tuned on, and keeps their values.

The phrasings below were written on 2026-12-04, before the templates of issue 16 were added and
before any tuning on them; the planner's own suite (tests/offline/prompts.py) is not used.
Each case names the template(s) that show what it asks (none: no template does) and the values
the prompt gives. The expectation follows the catalogue of the run: a case whose template does
not exist (yet) must be refused, since a neighbouring template's video would be a wrong video.

Outcomes: `routed` to a right template (and then whether every value the prompt gave is among
the parameters: numbers, also inside texts like "2*x + 3 = 11", and words), `refused` when no
template fits (right), `missed` (refused, though a right template exists: honest, not ideal),
`wrong` (a video of something else: the outcome that must stay at 0). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.errors import ChalkError  # noqa: E402
from app.generators.offline import plan  # noqa: E402
from app.generators.offline.catalogue import registry  # noqa: E402

RECURSION = ("recursion_factorial", "recursion_call_stack")


class Case(NamedTuple):
    prompt: str
    templates: tuple[str, ...]  # any of these shows what is asked; () = none does
    values: tuple[float | str, ...] = ()


CASES = [
    # Topics with a template since the first build.
    Case("Sketch y = x^3 - 2x between -2 and 2", ("function_graph",), ("x**3 - 2*x", -2, 2)),
    # trig_graphs (issue 16's other branch, merged after these were written) shows these too.
    Case(
        "What does the graph of cos(x) look like from 0 to 2pi?",
        ("function_graph", "trig_graphs"),
        ("cos",),
    ),
    Case("trig graph y = 2 sin(3x)", ("function_graph", "trig_graphs"), ("sin", 2)),
    Case(
        "tangent line to y = x^2 at x = 1.5, to explain the derivative",
        ("derivative_tangent",),
        ("x**2", 1.5),
    ),
    Case(
        "Approximate the area under x^2 from 0 to 3 with 6 rectangles",
        ("riemann_sum",),
        ("x**2", 0, 3, 6),
    ),
    Case(
        "area under the curve of sin x between 0 and pi", ("integral_area",), ("sin(x)", 0, math.pi)
    ),
    Case("limit of (x^2 - 4)/(x - 2) as x goes to 2", ("limit_approach",), (2,)),
    Case("Taylor polynomial of e^x around 0", ("taylor_series",), ("exp",)),
    Case("prove pythagoras with a 5, 12, 13 triangle", ("pythagorean_theorem",), (5, 12)),
    Case("sine and cosine as a point moves round the unit circle", ("unit_circle_trig",)),
    Case("solve x^2 - 5x + 6 = 0 with the quadratic formula", ("quadratic_formula",), (-5, 6)),
    Case("solve 4x - 7 = 9 step by step", ("equation_steps",), (4, 7, 9)),
    Case("show -4 + 9 on a number line", ("number_line",), (-4, 9)),
    Case("add 2/5 and 1/4 with fraction bars", ("fractions",), ("2/5", "1/4")),
    Case("why is the area of a circle pi r squared? use radius 3", ("circle_area",), (3,)),
    Case("the angles in a triangle add up to 180 degrees", ("triangle_angle_sum",)),
    Case("add the vectors (2, 1) and (-1, 3)", ("vector_addition",), (2, 1, -1, 3)),
    Case("apply the matrix [[2, 0], [0, 1]] to the plane", ("matrix_transformation",), (2, 0, 1)),
    Case("toss a coin 50 times and show the share of heads", ("probability_coin_flips",), (50,)),
    Case(
        "bar chart of favourite sports: football 12, tennis 5, swimming 8",
        ("bar_chart",),
        ("football", 12, 5, 8),
    ),
    Case("Venn diagram of two sets A and B", ("venn_diagram",)),
    Case("a ball thrown at 15 m/s at 60 degrees", ("projectile_motion",), (15, 60)),
    Case("pendulum of length 1.5 m", ("pendulum",), (1.5,)),
    Case("transverse wave with wavelength 2 m and frequency 3 Hz", ("transverse_wave",), (2, 3)),
    Case("insertion sort on 9, 4, 7, 1", ("sorting_algorithm",), (9, 4, 7, 1)),
    Case("binary search for 42 in 3, 8, 15, 23, 42, 57", ("binary_search",), (42,)),
    Case("depth first search on a graph", ("graph_traversal",), ("dfs",)),
    Case("morph a triangle into a circle", ("shape_transform",), ("triangle", "circle")),
    Case(
        "title slide: States of matter, with bullets solid, liquid and gas",
        ("title_bullets",),
        ("solid", "liquid", "gas"),
    ),
    # Topics of issue 16's list: a template may or may not exist in this run.
    Case("straight line graph of y = 3x - 2 and its gradient", ("straight_line_graph",), (3, -2)),
    Case("find the gradient of the line through (1, 3) and (3, 7)", ("straight_line_graph",)),
    Case("solve simultaneously 2x + y = 10 and x - y = 2", ("simultaneous_equations",), (2, 10)),
    Case("show x > 3 on a number line", ("inequality_number_line",), (3,)),
    Case(
        "solve 2x + 1 <= 7 and show the answer on a number line",
        ("inequality_number_line",),
        (2, 1, 7),
    ),
    Case(
        "bacteria doubling every 20 minutes starting from 50",
        ("exponential_growth_decay",),
        (20, 50),
    ),
    Case(
        "radioactive decay with a half-life of 8 days and 100 g at the start",
        ("exponential_growth_decay",),
        (8, 100),
    ),
    Case("Newton's second law: a 2 kg cart pushed with 10 N", ("newtons_second_law",), (2, 10)),
    Case(
        "free body diagram of a 5 kg box pulled by a 20 N force with 4 N of friction",
        ("newtons_second_law",),
        (5, 20, 4),
    ),
    Case(  # 20 m/s is kept as the acceleration that reaches it in 5 s (4 m/s²)
        "velocity-time graph of a car accelerating from 0 to 20 m/s in 5 seconds",
        ("velocity_time_graph",),
        (4, 5),
    ),
    Case("Ohm's law with a 12 V battery and a 4 ohm resistor", ("ohms_law_circuit",), (12, 4)),
    Case(
        "two resistors of 6 and 3 ohms in parallel across a 9 V battery",
        ("ohms_law_circuit",),
        (6, 3, 9),
    ),
    Case("balance the equation H2 + O2 -> H2O", ("balancing_chemical_equations",), ("h2o",)),
    Case("balance Fe + O2 → Fe2O3", ("balancing_chemical_equations",), ("fe2o3",)),
    Case("convert 45 to binary", ("binary_numbers",), (45,)),
    # Kept as the number it names (22), which the video writes in binary again.
    Case("what is 10110 in decimal?", ("binary_numbers",), (22,)),
    Case("truth table of an XOR gate", ("logic_gates",), ("xor",)),
    Case("logic circuit for A AND NOT B", ("logic_gates",), ("and", "not")),
    Case("push 4, push 9, then pop on a stack", ("stack_queue",), (4, 9)),
    Case("enqueue 1, 2 and 3 then dequeue twice", ("stack_queue",), (1, 2, 3)),
    Case("the call stack of a recursive factorial of 5", RECURSION, (5,)),
    Case("insert 7 into a linked list at position 2", ("linked_list",), (7, 2)),
    Case("similar triangles with a scale factor of 2", ("similar_triangles",), (2,)),
    Case("the atomic structure of carbon", ("atomic_structure",)),
    # Second batch of issue 16's topics (branch i16s): written on 2026-12-04 before these six
    # templates existed, and measured once before any tuning on them.
    Case(
        "bell curve of IQ scores, mean 100, SD 15, shade within 2 standard deviations",
        ("normal_distribution",),
        (100, 15, 2),
    ),
    Case(
        "show the 68-95-99.7 rule on a normal curve with μ = 170 and σ = 8",
        ("normal_distribution",),
        (170, 8),
    ),
    Case(
        "What percentage of a normal distribution lies within 1.5 standard deviations of the mean?",
        ("normal_distribution",),
        (1.5,),
    ),
    Case(
        "heights are normally distributed with mean 160 cm and standard deviation 6 cm; shade "
        "3 sd either side",
        ("normal_distribution",),
        (160, 6, 3),
    ),
    Case("Argand diagram: modulus and argument of -2 + 2i", ("complex_numbers",), (-2, 2)),
    Case(
        "multiply 1 + 2i by i and show it as a rotation", ("complex_numbers",), (1, 2, "multiply")
    ),
    Case(
        "add the complex numbers 2 + i and 1 + 3i on the complex plane",
        ("complex_numbers",),
        (2, 1, 3, "add"),
    ),
    Case("show (1 + i)(2 - i) as rotation and scaling", ("complex_numbers",), (1, 2, -1)),
    Case(
        "free body diagram with forces of 5 N east and 3 N north, find the resultant",
        ("forces_free_body",),
        (5, 3),
    ),
    Case(
        "resultant of a 10 N force to the right and a 4 N force to the left",
        ("forces_free_body",),
        (10, 4),
    ),
    Case(
        "a 4 kg block on an inclined plane at 30 degrees: components of its weight",
        ("forces_free_body",),
        (4, 30),
    ),
    Case(
        "box of mass 10 kg on a ramp of 25° - resolve the weight parallel and perpendicular to "
        "the slope",
        ("forces_free_body",),
        (10, 25),
    ),
    Case(
        "forces on an object: tension 12 N up, weight 8 N down, thrust 6 N right; show the "
        "resultant force and its direction",
        ("forces_free_body",),
        (12, 8, 6, "tension"),
    ),
    Case(
        "interference of two waves from two sources 3 cm apart with wavelength 1 cm",
        ("wave_interference",),
        (3, 1),
    ),
    Case(
        "two-source interference: wavelength 2 m, sources 5 m apart, where are the "
        "constructive and destructive points?",
        ("wave_interference",),
        (2, 5),
    ),
    Case(
        "path difference and constructive interference for two speakers 1.5 m apart emitting "
        "sound of wavelength 0.5 m",
        ("wave_interference",),
        (1.5, 0.5),
    ),
    Case(
        "show destructive interference where the path difference is half a wavelength",
        ("wave_interference",),
    ),
    Case(
        "double slit: slits 4 mm apart, wavelength 1 mm, screen 10 mm away",
        ("wave_interference",),
        (4, 1, 10),
    ),
    Case(
        "satellite in a circular orbit of radius 7000 km around the Earth: find its speed and "
        "period",
        ("circular_orbit",),
        (7000,),
    ),
    Case(  # 4.2e7 m is kept as 42000 km, the unit the template works in
        "orbital speed from v = sqrt(GM/r) for a central mass of 6e24 kg and r = 4.2e7 m",
        ("circular_orbit",),
        (42000,),
    ),
    Case("the Moon orbiting the Earth at 384,400 km", ("circular_orbit",), (384400,)),
    Case(  # 400 km up is a radius of 6371 + 400 = 6771 km
        "How long does the ISS take to orbit the Earth at 400 km altitude?",
        ("circular_orbit",),
        (6771,),
    ),
    Case(
        "shortest path from A to E with Dijkstra: A-B 4, A-C 2, B-C 1, B-D 5, C-D 8, D-E 3",
        ("dijkstra_shortest_path",),
        ("a", "e", 4, 2, 1, 5, 8, 3),
    ),
    Case(
        "Dijkstra's algorithm from S to T where S-A=7, S-B=2, A-B=3, A-T=1, B-T=8",
        ("dijkstra_shortest_path",),
        ("s", "t", 7, 2, 3, 1, 8),
    ),
    Case(
        "step through Dijkstra with the distance table, starting at node B",
        ("dijkstra_shortest_path",),
        ("b",),
    ),
    Case(
        "find the shortest route between towns P and R: P to Q is 3 km, Q to R is 4 km, P to R "
        "is 9 km",
        ("dijkstra_shortest_path",),
        (3, 4, 9),
    ),
    # Written after the six templates above, before any tuning, by someone who had not read
    # their extractors' tests: a fairer check of the same six.
    Case("Draw a Gaussian with mean 20 and sigma 3", ("normal_distribution",), (20, 3)),
    Case(  # N(μ, σ²): a variance of 100 is a standard deviation of 10
        "what fraction of N(500, 100) lies within 2 sigma of the mean?",
        ("normal_distribution",),
        (500, 10, 2),
    ),
    Case("complex conjugate of 2 + 5i", ()),  # a reflection the template does not draw
    Case(
        "Show that multiplying by i is a quarter turn, using 3 + 2i on the Argand plane",
        ("complex_numbers",),
        (3, 2, "multiply"),
    ),
    Case(
        "Two forces, 8 N at 0° and 6 N at 90°, act on a particle. Find the resultant.",
        ("forces_free_body",),
        (8, 6, 90),
    ),
    Case("a sledge on a 15 degree slope with mass 30 kg", ("forces_free_body",), (15, 30)),
    Case(
        "Sound from two loudspeakers 2 m apart, wavelength 0.5 m: where are the loud and "
        "quiet spots?",
        ("wave_interference",),
        (2, 0.5),
    ),
    Case("Explain interference of light using Young's experiment", ("wave_interference",)),
    Case("How fast does the Earth move around the Sun?", ("circular_orbit",), ("earth", "sun")),
    Case(  # 35,786 km up is a radius of 6371 + 35,786 = 42,157 km
        "a satellite 35,786 km above the Earth: its orbital period",
        ("circular_orbit",),
        (42157,),
    ),
    Case(
        "Find the shortest path from S to F using Dijkstra: S-A 2, A-F 5, S-F 9",
        ("dijkstra_shortest_path",),
        ("s", "f", 2, 5, 9),
    ),
    Case(
        "least-cost route between router A and router D in a network",
        ("dijkstra_shortest_path",),
        ("a", "d"),
    ),
    # Topics no template of this plan covers: a refusal is the right answer.
    # Written as refusals before issue 16's other branch (histograms and box plots, circle
    # theorems, logarithms, probability trees) was merged; the topics now have templates.
    Case(
        "histogram of test scores 55, 62, 70, 71, 88",
        ("histogram_box_plot",),
        (55, 62, 70, 71, 88),
    ),
    Case("box plot of 3, 7, 8, 12, 15", ("histogram_box_plot",), (3, 7, 8, 12, 15)),
    Case(
        "normal distribution with mean 50 and standard deviation 10",
        ("normal_distribution",),
        (50, 10),
    ),
    Case(
        "circle theorem: the angle at the centre is twice the angle at the circumference",
        ("circle_theorems",),
        ("centre",),
    ),
    # The tree template draws the outcomes a prompt names; a spinner's are not named, so only
    # a refusal (or a tree of the spinner's sectors) would be right.
    Case("probability tree for two spins of a spinner", ()),
    Case("Dijkstra's shortest path on a weighted graph", ("dijkstra_shortest_path",)),
    Case("interference of two waves from two sources", ("wave_interference",)),
    Case("a planet orbiting the sun", ("circular_orbit",)),
    Case("particle model of solids, liquids and gases", ()),
    Case("complex number 3 + 4i on an Argand diagram", ("complex_numbers",), (3, 4)),
    Case("electric field lines around a positive charge", ()),
    Case("log base 2 of 8 explained", ("logarithms",), (2, 8)),
    Case("Explain photosynthesis", ()),
    Case("a timeline of the French revolution", ()),
    Case("draw a cat", ()),
]

_NUMBER = re.compile(r"-?\s*\d+(?:\.\d+)?")


def flat(value: object) -> list[object]:
    if isinstance(value, dict):
        return [item for v in value.values() for item in flat(v)]
    if isinstance(value, (list, tuple)):
        return [item for v in value for item in flat(v)]
    return [value]


def kept(expected: float | str, params: dict) -> bool:
    """Whether a value the prompt gave is among the parameters: words in any text; numbers as
    numbers, or inside a text ("4*x - 7 = 9" holds 4, 7 and -7, 9)."""
    values = flat(params)
    if isinstance(expected, str):
        wanted = expected.replace(" ", "").lower()
        return any(wanted in str(v).replace(" ", "").lower() for v in values)
    numbers = [float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    for text in (v for v in values if isinstance(v, str)):
        for found in _NUMBER.findall(text):
            number = float(found.replace(" ", ""))
            numbers += [number, abs(number)]
    return any(math.isclose(n, expected, abs_tol=1e-3) for n in numbers)


def judge(case: Case, catalogue: set[str]) -> dict[str, object]:
    right = [t for t in case.templates if t in catalogue]
    try:
        template, params = plan(case.prompt)
    except ChalkError as exc:
        outcome = "missed" if right else "refused"
        return {"prompt": case.prompt, "outcome": outcome, "kind": exc.kind}
    if template not in right:
        return {"prompt": case.prompt, "outcome": "wrong", "template": template}
    lost = [v for v in case.values if not kept(v, params)]
    return {"prompt": case.prompt, "outcome": "routed", "template": template, "lost": lost}


def main() -> int:
    argparse.ArgumentParser(description=__doc__).parse_args()
    catalogue = set(registry())
    results = [judge(case, catalogue) for case in CASES]
    count = {
        o: sum(r["outcome"] == o for r in results) for o in ("routed", "refused", "missed", "wrong")
    }
    with_values = [
        r for r, c in zip(results, CASES, strict=True) if r["outcome"] == "routed" and c.values
    ]
    report = {
        "templates": len(catalogue),
        "cases": len(CASES),
        "cases_with_a_template": sum(any(t in catalogue for t in c.templates) for c in CASES),
        **count,
        "right_answers": count["routed"] + count["refused"],
        "routed_with_all_values": sum(not r["lost"] for r in with_values),
        "routed_with_values": len(with_values),
        "not_right": [r for r in results if r["outcome"] in ("wrong", "missed") or r.get("lost")],
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
