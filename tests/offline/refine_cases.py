"""Refine-by-instruction suite: per template family, instructions with the values they must give,
and instructions that must be refused (the template cannot show them).

Each change case starts from the template's defaults (or `start`) and lists every parameter the
instruction must change, with its new value (numbers with a small tolerance); any other
parameter changing is wrong. `aspect` is the render aspect the instruction asks for.
bench/refine.py scores refine() over the same cases.
"""

from __future__ import annotations

from typing import NamedTuple

from app.generators.offline import render_template
from app.generators.offline.refine import refine


class Change(NamedTuple):
    template: str
    instruction: str
    params: dict
    aspect: str | None = None
    start: dict | None = None


class Refusal(NamedTuple):
    template: str
    instruction: str
    start: dict | None = None


FAMILIES: dict[str, list[str]] = {
    "graphs": [
        "function_graph",
        "derivative_tangent",
        "riemann_sum",
        "integral_area",
        "limit_approach",
        "taylor_series",
    ],
    "geometry": [
        "pythagorean_theorem",
        "unit_circle_trig",
        "circle_area",
        "triangle_angle_sum",
        "vector_addition",
        "matrix_transformation",
        "shape_transform",
    ],
    "physics": [
        "projectile_motion",
        "pendulum",
        "transverse_wave",
        "newtons_second_law",
        "velocity_time_graph",
        "ohms_law_circuit",
        "forces_free_body",
        "wave_interference",
        "circular_orbit",
    ],
    "chemistry": ["balancing_chemical_equations", "atomic_structure"],
    "cs": [
        "sorting_algorithm",
        "binary_search",
        "graph_traversal",
        "binary_numbers",
        "logic_gates",
        "stack_queue",
        "recursion_call_stack",
        "linked_list",
        "dijkstra_shortest_path",
    ],
    "statistics": [
        "probability_coin_flips",
        "bar_chart",
        "venn_diagram",
        "probability_tree",
        "normal_distribution",
        "histogram_box_plot",
    ],
    "general": ["quadratic_formula", "equation_steps", "number_line", "fractions", "title_bullets"],
    "algebra": [
        "straight_line_graph",
        "simultaneous_equations",
        "inequality_number_line",
        "exponential_growth_decay",
        "similar_triangles",
        "logarithms",
        "circle_theorems",
        "graph_transformations",
        "trig_graphs",
        "complex_numbers",
    ],
}

CHANGES: list[Change] = [
    # ------------------------------------------------------------------ graphs
    Change("function_graph", "graph y = sin(x) instead", {"expression": "sin(x)"}),
    Change("function_graph", "x from -5 to 5", {"x_range": [-5, 5]}),
    Change("function_graph", "make it square", {}, aspect="1:1"),
    Change("function_graph", "graph the square root of x", {"expression": "sqrt(x)"}),
    Change("function_graph", "use y = x^3 - 2x", {"expression": "x**3 - 2*x"}),
    Change("derivative_tangent", "use sin(x)", {"expression": "sin(x)"}),
    Change("derivative_tangent", "between -2 and 2 please", {"x_range": [-2, 2]}),
    Change("riemann_sum", "use 12 rectangles", {"n": 12}),
    Change("riemann_sum", "more rectangles", {"n": 9}),
    Change("riemann_sum", "fewer rectangles", {"n": 4}),
    Change("riemann_sum", "double the rectangles", {"n": 12}),
    Change("riemann_sum", "from 1 to 4", {"x_range": [1, 4]}),
    Change("riemann_sum", "3 more rectangles", {"n": 9}),
    Change("integral_area", "from 0 to 3", {"x_range": [0, 3]}),
    Change("integral_area", "use y = x^3", {"expression": "x**3"}),
    Change("limit_approach", "as x approaches 2", {"point": 2}),
    Change("taylor_series", "more terms", {"terms": 6}),
    Change("taylor_series", "use 6 terms", {"terms": 6}),
    Change("taylor_series", "use cosine", {"function": "cos"}),
    Change("taylor_series", "one fewer term", {"terms": 3}),
    # ------------------------------------------------------------------ geometry
    Change("pythagorean_theorem", "legs 5 and 12", {"a": 5, "b": 12}),
    Change("pythagorean_theorem", "set a to 6", {"a": 6}),
    Change("pythagorean_theorem", "b = 8", {"b": 8}),
    Change("unit_circle_trig", "show cosine", {"function": "cos"}),
    Change("unit_circle_trig", "use tan instead", {"function": "tan"}),
    Change("circle_area", "double the radius", {"radius": 4}),
    Change("circle_area", "radius 3", {"radius": 3}),
    Change("circle_area", "a diameter of 5", {"radius": 2.5}),
    Change("circle_area", "make the radius smaller", {"radius": 1.3}),
    Change("triangle_angle_sum", "portrait please", {}, aspect="9:16"),
    Change("vector_addition", "add (1, 2) and (3, -1)", {"vectors": [[1, 2], [3, -1]]}),
    Change("matrix_transformation", "rotate by 90 degrees", {"matrix": [[0, -1], [1, 0]]}),
    Change("matrix_transformation", "scale by 2", {"matrix": [[2, 0], [0, 2]]}),
    Change("shape_transform", "triangle into star", {"from_shape": "triangle", "to_shape": "star"}),
    Change("shape_transform", "square, then pentagon", {"to_shape": "pentagon"}),
    Change(
        "shape_transform",
        "turn the circle into a square",
        {"from_shape": "circle", "to_shape": "square"},
    ),
    # ------------------------------------------------------------------ physics
    Change("projectile_motion", "make it faster", {"speed": 30}),
    Change("projectile_motion", "double the speed", {"speed": 40}),
    Change("projectile_motion", "set the speed to 30 m/s", {"speed": 30}),
    Change("projectile_motion", "launch at 60 degrees", {"angle_deg": 60}),
    Change("projectile_motion", "increase the angle by 10", {"angle_deg": 55}),
    Change("projectile_motion", "speed 30, angle 60", {"speed": 30, "angle_deg": 60}),
    Change("projectile_motion", "reduce the speed by 50%", {"speed": 10}),
    Change("projectile_motion", "increase the speed to 50", {"speed": 50}),
    Change("projectile_motion", "slower and vertical", {"speed": 13}, aspect="9:16"),
    Change("projectile_motion", "widescreen", {}, aspect="16:9"),
    Change("projectile_motion", "twice as fast", {"speed": 40}),
    Change("projectile_motion", "cut the speed in half", {"speed": 10}),
    Change("probability_coin_flips", "increase the flips by half", {"flips": 30}),
    Change("projectile_motion", "make it 50% faster", {"speed": 30}),
    Change("projectile_motion", "10 degrees steeper", {"angle_deg": 55}),
    Change("projectile_motion", "make the angle 30", {"angle_deg": 30}),
    Change("pendulum", "make the pendulum 1 m longer", {"length": 3}),
    Change("pendulum", "make the pendulum longer", {"length": 3}),
    Change("pendulum", "length 3 m", {"length": 3}),
    Change("pendulum", "a 50 cm pendulum", {"length": 0.5}),
    Change("pendulum", "amplitude 10 degrees", {"amplitude_deg": 10}),
    Change("pendulum", "halve the length", {"length": 1}),
    Change("pendulum", "set the length to 50 cm", {"length": 0.5}),
    Change("transverse_wave", "shorter wavelength", {"wavelength": 1.3}),
    Change("transverse_wave", "bigger amplitude", {"amplitude": 1.5}),
    Change("transverse_wave", "wavelength 4", {"wavelength": 4}),
    # ------------------------------------------------------------------ cs
    Change("sorting_algorithm", "use insertion sort", {"algorithm": "insertion"}),
    Change("sorting_algorithm", "sort 9, 4, 7, 1", {"values": [9, 4, 7, 1]}),
    Change(
        "sorting_algorithm",
        "selection sort on 3, 1, 2",
        {
            "algorithm": "selection",
            "values": [3, 1, 2],
        },
    ),
    Change("binary_search", "search for 56", {"target": 56}),
    Change("binary_search", "set the target to 8", {"target": 8}),
    Change("graph_traversal", "use dfs", {"algorithm": "dfs"}),
    Change("graph_traversal", "depth-first instead", {"algorithm": "dfs"}),
    # ------------------------------------------------------------------ statistics
    Change("probability_coin_flips", "more flips", {"flips": 30}),
    Change("probability_coin_flips", "flip it 100 times", {"flips": 100}),
    Change("probability_coin_flips", "50 flips", {"flips": 50}),
    Change("probability_coin_flips", "halve the flips", {"flips": 10}),
    Change("probability_coin_flips", "increase the flips by 5", {"flips": 25}),
    Change("probability_coin_flips", "5 more flips", {"flips": 25}),
    Change("probability_coin_flips", "flip it 3 times more", {"flips": 60}),
    Change("bar_chart", "values 3, 4, 5, 6", {"values": [3, 4, 5, 6]}),
    Change("bar_chart", "portrait mode", {}, aspect="9:16"),
    Change(
        "venn_diagram",
        "multiples of 3 and 5",
        {
            "sets": [
                {"name": "Multiples of 3", "items": ["3", "6", "9", "12", "15", "18"]},
                {"name": "Multiples of 5", "items": ["5", "10", "15", "20"]},
            ]
        },
    ),
    # ------------------------------------------------------------------ general
    Change("quadratic_formula", "set c to 2", {"c": 2}),
    Change("quadratic_formula", "solve x^2 - 7x + 10 = 0", {"b": -7, "c": 10}),
    Change("quadratic_formula", "solve 2x^2 + 3x - 2 = 0", {"a": 2, "b": 3, "c": -2}),
    Change("equation_steps", "solve 5x - 2 = 13", {"equation": "5*x - 2 = 13"}),
    Change("number_line", "show -3 + 7", {"operation": "-3 + 7"}),
    Change("fractions", "use 2/3 and 3/4", {"fractions": ["2/3", "3/4"]}),
    Change("fractions", "subtract them", {"operation": "subtract"}),
    Change("title_bullets", 'change the title to "Cells"', {"title": "Cells"}),
    Change("title_bullets", "square", {}, aspect="1:1"),
    # ------------------------------------------------------------------ chemistry
    Change("atomic_structure", "show carbon instead", {"element": "C"}),
    Change(
        "balancing_chemical_equations",
        "balance H2 + O2 -> H2O instead",
        {"equation": "H2 + O2 -> H2O"},
    ),
    # ------------------------------------------------------------------ algebra
    Change("straight_line_graph", "make the gradient 4", {"m": 4}),
    Change("straight_line_graph", "set c to -3", {"c": -3}),
    Change("inequality_number_line", "use 5x + 2 > 17", {"inequality": "5*x + 2 > 17"}),
    Change("exponential_growth_decay", "start at 200", {"initial": 200}),
    Change("similar_triangles", "scale factor 3", {"scale": 3}),
    Change("logarithms", "use base 3", {"base": 3}),
    Change("circle_theorems", "make the angle 50", {"angle": 50}),
    Change("trig_graphs", "amplitude 4", {"amplitude": 4}),
    Change("trig_graphs", "use cos instead", {"function": "cos"}),
    Change("graph_transformations", "use sin(x) instead", {"expression": "sin(x)"}),
    # A tree made from "P(rain) = 0.3 ...", whose outcomes are Rain and Not rain
    Change(
        "probability_tree",
        "make P(rain) = 0.4",
        {"p_first": 0.4},
        start={"first": ["Rain", "Not rain"], "second": ["Late", "Not late"]},
    ),
    Change("logarithms", "value 100", {"value": 100}),
    Change("histogram_box_plot", "use the data 3, 8, 9, 14, 22", {"data": [3, 8, 9, 14, 22]}),
    Change("normal_distribution", "make the standard deviation 10", {"sd": 10}),
    Change("normal_distribution", "shade within 2 standard deviations", {"k": 2}),
    Change("wave_interference", "use a wavelength of 1.5", {"wavelength": 1.5}),
    Change("circular_orbit", "make the radius 10000 km", {"radius": 10000}),
    Change("dijkstra_shortest_path", "start from B", {"start": "B"}),
]

REFUSALS: list[Refusal] = [
    # graphs
    Refusal("function_graph", "zoom in"),
    Refusal("function_graph", "make the curve red"),
    Refusal("riemann_sum", "use 12 rectangles and make it faster"),
    Refusal("riemann_sum", "use 500 rectangles"),
    Refusal("taylor_series", "add a legend"),
    Refusal("limit_approach", "slower"),
    # geometry
    Refusal("triangle_angle_sum", "make it bigger"),
    Refusal("circle_area", "in blue"),
    Refusal("circle_area", "radius 20000"),
    Refusal("unit_circle_trig", "add a second point"),
    Refusal("pythagorean_theorem", "make it 3D"),
    # one shape named, two parameters take a shape, neither named: ask which
    Refusal("shape_transform", "into a pentagon"),
    Refusal("shape_transform", "to shape pentagon"),
    # physics
    Refusal("projectile_motion", "make it red"),
    Refusal("projectile_motion", "speed 300"),
    Refusal("projectile_motion", "speed 30 and add air resistance"),
    Refusal("projectile_motion", "make the speed 30 and the angle 100"),
    Refusal("projectile_motion", "more"),
    Refusal("projectile_motion", "set it to 60"),
    Refusal("projectile_motion", "make the ball go higher"),
    Refusal("projectile_motion", "not faster"),
    Refusal("projectile_motion", "no faster"),
    Refusal("projectile_motion", "don't change the speed, make it portrait"),
    Refusal("projectile_motion", "increase speed and angle by 10"),
    Refusal("projectile_motion", "decrease the speed by 30"),
    Refusal("pendulum", "slower"),
    Refusal("pendulum", "make it 3 seconds long"),
    Refusal("pendulum", "make the pendulum shorter and swing wider"),
    Refusal("pendulum", "add friction"),
    Refusal("transverse_wave", "make it a longitudinal wave"),
    # chemistry
    Refusal("atomic_structure", "make the electrons red"),
    Refusal("balancing_chemical_equations", "show the state symbols"),
    # cs
    Refusal("sorting_algorithm", "use merge sort"),
    Refusal("sorting_algorithm", "more values"),
    Refusal("binary_search", "show the code too"),
    Refusal("graph_traversal", "use dijkstra"),
    # statistics
    Refusal("probability_coin_flips", "use 1000 flips"),
    Refusal("probability_coin_flips", "make it more than 50 flips"),
    Refusal("probability_coin_flips", "flip 30 coins in 10 seconds"),
    Refusal("probability_coin_flips", "use a dice instead"),
    Refusal("bar_chart", "make it a pie chart"),
    Refusal("bar_chart", "vertical bars"),  # the bars, not the frame
    Refusal("venn_diagram", "in red"),
    # general
    Refusal("title_bullets", "use a bigger font"),
    Refusal("equation_steps", "explain each step in French"),
    Refusal("number_line", "with a dancing frog"),
    Refusal("fractions", "in green"),
    Refusal("quadratic_formula", "portrait and in red"),
    Refusal("quadratic_formula", ""),
    # algebra
    Refusal("straight_line_graph", "in red"),
    Refusal("similar_triangles", "add angle marks"),
    Refusal("circle_theorems", "in red"),
    Refusal("trig_graphs", "animate it in 3D"),
    Refusal("probability_tree", "add a third stage"),
    Refusal("normal_distribution", "show a skewed distribution"),
    Refusal("complex_numbers", "show the complex conjugate"),
    Refusal("forces_free_body", "add friction on the slope"),
    Refusal("inequality_number_line", "slower"),
    # "halve" is read as a factor of 0.5 the instruction does not write: not half applied
    Refusal("exponential_growth_decay", "halve every 4 years"),
]


def _close(a: object, b: object) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) <= 1e-3 * max(1.0, abs(float(b)))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    return a == b


def start_code(template: str, start: dict | None) -> tuple[str, dict]:
    made = render_template(template, start or {})
    return made.code, made.params


def outcome(case: Change | Refusal) -> tuple[str, str]:
    """("right" | "wrong" | "missed", what happened): a change case is right when exactly its
    parameters change to its values (and the aspect), missed when refused, wrong otherwise; a
    refusal case is right when refused and wrong when anything changed."""
    code, before = start_code(case.template, case.start)
    result = refine(code, case.instruction)
    if isinstance(case, Refusal):
        if result.status == "refused":
            return "right", result.message
        return "wrong", f"changed {result.changes}"
    if result.status == "refused":
        return "missed", result.message
    changed = {k: v for k, v in result.params.items() if not _close(v, before.get(k))}
    expected_keys = set(case.params)
    if changed.keys() != expected_keys or not all(
        _close(changed[k], case.params[k]) for k in expected_keys
    ):
        return "wrong", f"changed {result.changes}"
    if result.aspect != case.aspect:
        return "wrong", f"aspect {result.aspect}, expected {case.aspect}"
    return "right", "; ".join(result.changes)


# Written after the refiner, not tuned against: bench/refine.py reports them apart ("held_out"),
# and tests only require that none of them is wrong (a refusal is honest, a wrong video is not).
HELD_OUT: list[Change | Refusal] = [
    Change("function_graph", "plot f(x) = cos(x) please", {"expression": "cos(x)"}),
    Change("function_graph", "show it from x = 0 to x = 10", {"x_range": [0, 10]}),
    Refusal("function_graph", "add a second curve"),
    Refusal("function_graph", "label the maximum"),
    Change("derivative_tangent", "make it phone-shaped", {}, aspect="9:16"),
    Refusal("derivative_tangent", "show the second derivative too"),
    Change("riemann_sum", "with 20 rectangles", {"n": 20}),
    Change("riemann_sum", "increase the number of rectangles to 10", {"n": 10}),
    Refusal("riemann_sum", "use trapezoids instead"),
    Change("integral_area", "integrate between 1 and 2", {"x_range": [1, 2]}),
    Refusal("integral_area", "shade it in green"),
    Change("limit_approach", "the limit as x goes to 3", {"point": 3}),
    Change("taylor_series", "with 3 terms", {"terms": 3}),
    Refusal("taylor_series", "make the polynomial dashed"),
    Change("pythagorean_theorem", "sides 6 and 8", {"a": 6, "b": 8}),
    Refusal("pythagorean_theorem", "prove it with similar triangles"),
    Change("circle_area", "radius of 4", {"radius": 4}),
    Change("circle_area", "triple the radius", {"radius": 6}),
    Refusal("circle_area", "cut it into more slices"),
    Refusal("triangle_angle_sum", "use an obtuse triangle"),
    Change("vector_addition", "use vectors (2, 2) and (-1, 3)", {"vectors": [[2, 2], [-1, 3]]}),
    Refusal("vector_addition", "show the dot product"),
    Change("matrix_transformation", "shear by 2", {"matrix": [[1, 2], [0, 1]]}),
    Refusal("shape_transform", "make it spin"),
    Change("unit_circle_trig", "cosine please", {"function": "cos"}),
    Change("projectile_motion", "throw it at 15 m/s", {"speed": 15}),
    Change("projectile_motion", "a steeper angle", {"angle_deg": 68}),
    Change("projectile_motion", "lower the angle by 15", {"angle_deg": 30}),
    Change("projectile_motion", "speed 25 and square", {"speed": 25}, aspect="1:1"),
    Refusal("projectile_motion", "launch it from a cliff"),
    Refusal("projectile_motion", "on the moon"),
    Refusal("projectile_motion", "make it much faster and blue"),
    Change("pendulum", "shorten the pendulum", {"length": 1.3}),
    Change("pendulum", "swing it by 45 degrees", {"amplitude_deg": 45}),
    Refusal("pendulum", "show the energy"),
    Refusal("pendulum", "make it heavier"),
    Change("transverse_wave", "double the wavelength", {"wavelength": 4}),
    Change("transverse_wave", "amplitude 2 and wavelength 3", {"amplitude": 2, "wavelength": 3}),
    Refusal("transverse_wave", "make the wave faster"),
    Change("sorting_algorithm", "bubble sort 8, 3, 5, 1, 9", {"values": [8, 3, 5, 1, 9]}),
    Change("sorting_algorithm", "switch to selection sort", {"algorithm": "selection"}),
    Refusal("sorting_algorithm", "use quicksort"),
    Refusal("sorting_algorithm", "sort in descending order"),
    Change("binary_search", "look for 72", {"target": 72}),
    Refusal("binary_search", "count the comparisons out loud"),
    Refusal("graph_traversal", "breadth-first please"),  # it already is
    Refusal("graph_traversal", "add more nodes"),
    Change("probability_coin_flips", "toss it 60 times", {"flips": 60}),
    Change("probability_coin_flips", "twice as many flips", {"flips": 40}),
    Refusal("probability_coin_flips", "use a biased coin"),
    Refusal("bar_chart", "sort the bars"),
    Refusal("bar_chart", "make the bars blue"),
    Refusal("venn_diagram", "add a third circle"),
    Change("quadratic_formula", "a = 2, b = 3, c = -2", {"a": 2, "b": 3, "c": -2}),
    Refusal("quadratic_formula", "graph the parabola too"),
    Change("equation_steps", "use 3(x - 2) = x + 4", {"equation": "3*(x - 2) = x + 4"}),
    Refusal("equation_steps", "check the answer at the end"),
    Change("number_line", "plot 1, 2.5 and -3", {"values": [1, 2.5, -3], "operation": ""}),
    Change(
        "fractions", "compare 3/4 and 2/3", {"fractions": ["3/4", "2/3"], "operation": "compare"}
    ),
    Refusal("fractions", "use pie charts"),
    Change("title_bullets", 'title "The water cycle"', {"title": "The water cycle"}),
    Refusal("title_bullets", "add a picture of a cell"),
    # second held-out batch (first pass: 51 right, 2 missed, 1 wrong: "horizontal bars" was
    # taken for the aspect; an aspect word before a noun now describes the noun)
    Change("function_graph", "use x^2 + 1", {"expression": "x**2 + 1"}),
    Change("function_graph", "range -3 to 3", {"x_range": [-3, 3]}),
    Refusal("function_graph", "animate the curve slower"),
    Refusal("function_graph", "mark the roots"),
    Change("derivative_tangent", "derivative of x^3", {"expression": "x**3"}),
    Refusal("derivative_tangent", "use a thicker line"),
    Change("riemann_sum", "n = 10", {"n": 10}),
    Change("riemann_sum", "halve the rectangles", {"n": 3}),
    Refusal("riemann_sum", "use midpoint rectangles"),
    Change("integral_area", "area under sin(x)", {"expression": "sin(x)"}),
    Change("limit_approach", "as x tends to 5", {"point": 5}),
    Refusal("limit_approach", "show a table of values"),
    Change("taylor_series", "8 terms", {"terms": 8}),
    Change("taylor_series", "expand cos", {"function": "cos"}),
    Refusal("taylor_series", "more slowly"),
    Change("pythagorean_theorem", "a = 8 and b = 15", {"a": 8, "b": 15}),
    Refusal("pythagorean_theorem", "label the hypotenuse in red"),
    Change("circle_area", "make the radius 5", {"radius": 5}),
    Change("circle_area", "increase the radius by 1", {"radius": 3}),
    Refusal("circle_area", "use 16 slices"),
    Change("unit_circle_trig", "do tangent", {"function": "tan"}),
    Refusal("unit_circle_trig", "stop at 90 degrees"),
    Change("matrix_transformation", "reflect in the x-axis", {"matrix": [[1, 0], [0, -1]]}),
    Refusal("matrix_transformation", "show the eigenvectors"),
    Change("vector_addition", "vectors (4, 1) and (1, 4)", {"vectors": [[4, 1], [1, 4]]}),
    Change("projectile_motion", "launch at 30 m/s at 40 degrees", {"speed": 30, "angle_deg": 40}),
    Change("projectile_motion", "halve the speed", {"speed": 10}),
    Refusal("projectile_motion", "show the velocity vectors"),
    Refusal("projectile_motion", "two balls at once"),
    Change("pendulum", "a 4 m pendulum", {"length": 4}),
    Change("pendulum", "amplitude of 20 degrees", {"amplitude_deg": 20}),
    Refusal("pendulum", "add a second pendulum"),
    Change("transverse_wave", "smaller amplitude", {"amplitude": 0.67}),
    Refusal("transverse_wave", "show a standing wave"),
    Change(
        "sorting_algorithm",
        "insertion sort 4, 2, 9, 1",
        {"algorithm": "insertion", "values": [4, 2, 9, 1]},
    ),
    Refusal("sorting_algorithm", "count the swaps in red"),
    Change("binary_search", "target 38", {"target": 38}),
    Refusal("binary_search", "use linear search"),
    Change("graph_traversal", "dfs please", {"algorithm": "dfs"}),
    Refusal("graph_traversal", "weighted edges"),
    Change("probability_coin_flips", "200 flips", {"flips": 200}),
    Change("probability_coin_flips", "fewer flips", {"flips": 13}),
    Refusal("probability_coin_flips", "roll two dice"),
    Change(
        "bar_chart",
        "Red 4, Blue 6, Green 3",
        {"labels": ["Red", "Blue", "Green"], "values": [4, 6, 3]},
    ),
    Refusal("bar_chart", "horizontal bars"),
    Refusal("venn_diagram", "make the circles overlap more"),
    Change("quadratic_formula", "solve x^2 + 2x - 8 = 0", {"b": 2, "c": -8}),
    Refusal("quadratic_formula", "show the graph"),
    Change("equation_steps", "solve 4x + 1 = 9", {"equation": "4*x + 1 = 9"}),
    Change("number_line", "show 2 + 6", {"operation": "2 + 6"}),
    Change("fractions", "add 2/5 and 1/5", {"fractions": ["2/5", "1/5"]}),
    Refusal("fractions", "use decimals instead"),
    Change("title_bullets", 'title "Volcanoes"', {"title": "Volcanoes"}),
    Refusal("title_bullets", "add a background image"),
]
