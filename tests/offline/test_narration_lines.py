"""Every template narrates one plain sentence (or a few) per visual step, with the teacher's values.

The emitted scene calls narrate("...") at the start of each step (issue 18). These tests read the
calls from the code's syntax tree; nothing is rendered.
"""

from __future__ import annotations

import ast
import functools
import json
import re

import pytest

from app.core.policy import check_code
from app.generators import Generation
from app.generators.offline import mathexpr, render_template
from app.generators.offline.catalogue import registry
from app.generators.offline.templates.common import (
    MAX_STEP_TEXT,
    Spoken,
    narrated,
    say_fraction,
    say_function,
    say_list,
    say_number,
    spoken,
)
from tests.offline.test_templates import helpers

# Template → (a changed value the teacher gives, words that must then be spoken).
CHANGED: dict[str, tuple[dict, list[str]]] = {
    "circle_area": ({"radius": 7.5}, ["radius 7.5", "7.5 squared", "176.71"]),
    "function_graph": (
        {"expression": "x^2 - 9", "x_range": [-4, 4]},
        ["x squared minus 9", "from minus 4 to 4", "x equals minus 3 and x equals 3"],
    ),
    "derivative_tangent": (
        {"expression": "x^3", "x_range": [-2, 2]},
        ["x cubed", "from minus 2 to 2", "x equals 1.60, the slope becomes 7.68"],
    ),
    "riemann_sum": (
        {"expression": "x^2 + 1", "x_range": [0, 2], "n": 5},
        ["x squared plus 1", "x equals 2", "5 rectangles", "3.920", "exact area is 4.667"],
    ),
    "integral_area": (
        {"expression": "x^3", "x_range": [0, 3]},
        ["x cubed", "from 0 to 3", "20.250"],
    ),
    "limit_approach": (
        {"expression": "(x^2 - 4)/(x - 2)", "point": 2},
        [
            "x squared minus 4 over x minus 2",
            "approaches 2",
            "limit of f of x as x approaches 2 is 4",
        ],
    ),
    "taylor_series": ({"function": "cos", "terms": 3}, ["cos(x)", "3 terms", "4 factorial"]),
    "pythagorean_theorem": (
        {"a": 6, "b": 8},
        ["legs 6 and 8", "area 36", "area 64", "100", "which is 10"],
    ),
    "unit_circle_trig": ({"function": "cos"}, ["cosine theta", "minus 1 at 180 degrees"]),
    "quadratic_formula": (
        {"a": 1, "b": -7, "c": 10},
        ["x squared minus 7x plus 10 equals 0", "b equals minus 7", "is 9", "x equals 5"],
    ),
    "equation_steps": (
        {"equation": "5x - 4 = 16"},
        ["5x minus 4 equals 16", "Add 4 on both sides: 5x equals 20", "x equals 4"],
    ),
    "number_line": (
        {"values": [], "operation": "2 - 6"},
        ["What is 2 minus 6?", "Start at 2", "jump 6 to the left", "equals minus 4"],
    ),
    "fractions": (
        {"fractions": ["2/3", "1/4"], "operation": "add"},
        ["2 thirds plus 1 quarter", "12 equal pieces", "8 twelfths and 3 twelfths", "11 twelfths"],
    ),
    # No parameters: the triangle is fixed, so its own angles are what must be spoken.
    "triangle_angle_sum": ({}, ["a is 55 degrees", "c is 60 degrees", "is 180"]),
    "vector_addition": (
        {"vectors": [[2, -3], [4, 7]]},
        ["u is 2, minus 3 and v is 4, 7", "last tip: 6, 4", "about 7.21"],
    ),
    "matrix_transformation": (
        {"matrix": [[3, 0], [0, 2]]},
        ["rows 3, 0 and 0, 2", "i hat goes to 3, 0", "determinant is 6"],
    ),
    "probability_coin_flips": ({"flips": 40}, ["flip a coin 40 times", "out of 40"]),
    "bar_chart": (
        {"labels": ["Red", "Blue", "Green"], "values": [8, 12.5, 3]},
        ["Red, Blue and Green", "Blue 12.5", "largest is Blue, with 12.5"],
    ),
    "venn_diagram": (
        {
            "sets": [
                {"name": "Even", "items": ["2", "4", "6"]},
                {"name": "Small", "items": ["1", "2"]},
            ]
        },
        ["Even and Small", "2 is in both", "4 and 6 are only in Even"],
    ),
    "projectile_motion": (
        {"speed": 15, "angle_deg": 60},
        ["15 metres per second, 60 degrees", "2.7 seconds", "8.6 metres", "19.9 metres away"],
    ),
    "pendulum": ({"length": 1.5, "amplitude_deg": 20}, ["1.5 metres long", "20 degrees", "2.46"]),
    "transverse_wave": (
        {"amplitude": 2, "wavelength": 3},
        ["the wavelength, 3", "the amplitude, 2", "1.5 units per second"],
    ),
    "sorting_algorithm": (
        {"algorithm": "insertion", "values": [4, 9, 2]},
        ["Insertion sort", "4, 9, 2", "Sorted: 2, 4, 9"],
    ),
    "binary_search": (
        {"values": [3, 6, 9, 12, 15], "target": 12},
        ["Binary search for 12", "from 3 to 15", "found it, at position 3"],
    ),
    "graph_traversal": (
        {"algorithm": "dfs"},
        ["Depth-first", "stack", "A, B, D, E, H, F, C and G"],
    ),
    "shape_transform": (
        {"from_shape": "pentagon", "to_shape": "triangle"},
        ["From a pentagon to a triangle", "morph into a triangle"],
    ),
    "title_bullets": (
        {"title": "Volcanoes", "bullets": ["Magma rises", "Lava cools into rock"]},
        ["Volcanoes.", "Magma rises. Lava cools into rock."],
    ),
    "newtons_second_law": (
        {"mass": 4, "force": 30, "friction": 6, "seconds": 2},
        ["4 kilograms", "push of 30 newtons", "friction of 6 newtons", "24 divided by 4: 6", "12"],
    ),
    "velocity_time_graph": (
        {"start_velocity": 5, "accelerations": [2], "durations": [3]},
        ["starting at 5 metres per second", "distance travelled: 24 metres"],
    ),
    "ohms_law_circuit": (
        {"voltage": 24, "resistances": [3, 5], "arrangement": "series"},
        ["24 volt battery", "3 ohms and 5 ohms", "resistance is 8 ohms", "3 amps", "reads 9 volts"],
    ),
    "balancing_chemical_equations": (
        {"equation": "N2 + H2 -> NH3"},
        ["N2 + H2 gives NH3", "a equals 1, b equals 3, c equals 2"],
    ),
    "atomic_structure": (
        {"element": "O"},
        ["atom of oxygen", "8 protons and 8 neutrons", "mass number is 16", "inside out: 2, 6"],
    ),
    "binary_numbers": (
        {"number": 10, "direction": "to_binary", "show_hex": True},
        ["Converting 10 to binary", "10 is 1 0 1 0 in binary", "you get 10 again"],
    ),
    "logic_gates": ({"expression": "A OR B"}, ["Q equals A OR B."]),
    "stack_queue": (
        {"structure": "queue", "operations": ["enqueue 6", "enqueue 9", "dequeue"]},
        ["first in, first out", "enqueue 6, then enqueue 9, then dequeue", "3 operations"],
    ),
    "recursion_call_stack": ({"function": "factorial", "n": 3}, ["factorial of 3"]),
    "linked_list": (
        {"values": [2, 4, 6], "operation": "delete", "position": 1, "value": 0},
        ["delete index 1", "2 then 4 then 6", "to index 1"],
    ),
    "straight_line_graph": (
        {"m": 3, "c": -1, "x1": 0, "x2": 2},
        ["gradient 3", "y-axis at -1", "x equals 0 and 2", "rise is 6"],
    ),
    "simultaneous_equations": (
        {"a1": 1, "b1": 1, "c1": 10, "a2": 1, "b2": -1, "c2": 4},
        ["x is 7 and y is 3"],
    ),
    "inequality_number_line": ({"inequality": "2*x + 1 > 9"}, ["every number greater than 4"]),
    "exponential_growth_decay": (
        {"initial": 60, "factor": 0.5, "every": 4, "time_unit": "days", "unit": "g"},
        ["60 times 0.5 to the power t over 4", "Every 4 days", "half-life is 4 days"],
    ),
    "similar_triangles": (
        {"sides": [2, 3, 4], "scale": 2.5, "missing": 3},
        ["sides 2, 3 and 4", "2.5 times as long", "4 times 2.5: 10"],
    ),
    "logarithms": (
        {"base": 3, "value": 81},
        [
            "log base 3 of x",
            "3 to the power x equals 81",
            "divided by the natural log of 3: 4",
            "3 to the power 4 gives 81",
        ],
    ),
    "circle_theorems": (
        {"theorem": "semicircle", "angle": 25},
        [
            "on the circumference, is 90 degrees",
            "The angle in a semicircle is a right angle",
            "With 25 degrees at A, the angle at B is 65 degrees",
        ],
    ),
    "graph_transformations": (
        {"expression": "x**2", "x_range": [-4, 4], "kind": "left", "amount": 1},
        ["f of x equals x squared", "The rule: left by 1", "The point 1, 1 moves to 0, 1"],
    ),
    "trig_graphs": (
        {"function": "cos", "amplitude": 3, "period": 180, "phase": 45},
        [
            "The cosine graph, 3 times as tall and 2 times as fast",
            "Its amplitude is 3",
            "360 over 2, which is 180 degrees",
            "A cycle starts at 45 degrees: the graph is shifted 45 degrees right",
        ],
    ),
    "probability_tree": (
        {
            "first": ["Win", "Lose"],
            "p_first": 0.25,
            "second": ["Win", "Lose"],
            "p_second": [0.5, 0.1],
        },
        [
            "First, Win has probability 0.25, and Lose has 0.75",
            "Win then Win is 0.25 times 0.5, which is 0.125",
            "add up to 1",
        ],
    ),
    "histogram_box_plot": (
        {"data": [2, 4, 4, 5, 6, 7, 9], "boundaries": [0, 5, 10], "quantity": "Score"},
        [
            "There are 2 classes",
            "With 7 values, the median is 5",
            "lower quartile is 4, and the upper quartile is 7",
            "interquartile range is 3",
        ],
    ),
    "normal_distribution": (
        {"mean": 50, "sd": 4, "k": 2, "label": "time (s)"},
        ["bell curve of time (s)", "mean is 50", "from 42 to 58", "95.45 percent"],
    ),
    "complex_numbers": (
        {"a": 3, "b": 4, "operation": "point"},
        ["z is 3 + 4i", "modulus, the length of the arrow, is 5", "5 long at 53.13 degrees"],
    ),
    "forces_free_body": (
        {"mode": "incline", "mass": 10, "angle": 30},
        ["slope at 30 degrees", "10 times 9.8: 98 newtons", "Along the slope, 49 newtons"],
    ),
    "wave_interference": (
        {"wavelength": 2, "separation": 5, "distance": 12, "unit": "m"},
        ["5 m apart", "2 m apart: one wavelength", "differ by 1 m, half"],
    ),
    "circular_orbit": (
        {"orbiter": "Moon", "central": "Earth", "radius": 384400},
        ["Moon circles Earth", "384,400 kilometres", "1.02 kilometres per second", "27.45 days"],
    ),
    "dijkstra_shortest_path": (
        {"edges": ["S-A 7", "S-B 2", "A-B 3", "A-T 1", "B-T 8"], "start": "S", "end": "T"},
        ["graph of 4 nodes", "distance 0 for S", "S, then B, then A, then T", "S to B to A to T"],
    ),
}
NARRATED = list(registry())
MARKUP = re.compile(r"[\\{}$^_<>`*#|\[\]π²³⁴⁵⁶⁷⁸⁹√×·≈≤≥°θ]")


@functools.cache
def _generation(template_id: str, params_json: str) -> Generation:
    return render_template(template_id, json.loads(params_json))


def generation_for(template_id: str, params: dict | None) -> Generation:
    """render_template, once per template and parameters across these tests."""
    return _generation(template_id, json.dumps(params, sort_keys=True))


def spoken_steps(code: str) -> list[str]:
    """The narrate texts of construct(), checking each opens a step that animates."""
    tree = ast.parse(code)
    scene = next(node for node in tree.body if isinstance(node, ast.ClassDef))
    construct = next(
        node
        for node in scene.body
        if isinstance(node, ast.FunctionDef) and node.name == "construct"
    )
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "narrate"
    ]
    texts: list[str] = []
    animated: list[bool] = []
    for statement in construct.body:
        call = statement.value if isinstance(statement, ast.Expr) else None
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Name)
            and call.func.id == "narrate"
        ):
            (argument,) = call.args
            texts.append(said(argument, code))
            animated.append(False)
        elif plays(statement):
            assert texts, "an animation plays before the first narrate() call"
            animated[-1] = True
    assert len(calls) == len(texts), "narrate() is called only at the top of construct()"
    assert all(animated), "every narrate() call is followed by its step's animation"
    return texts


def said(argument: ast.expr, code: str) -> str:
    """The text of narrate's argument: a string, or (in templates whose speech is worked out
    from the input lines) an expression over the module's inputs and helpers."""
    if isinstance(argument, ast.Constant):
        assert isinstance(argument.value, str)
        return argument.value
    value = eval(compile(ast.Expression(argument), "<narrate>", "eval"), helpers(code))
    assert isinstance(value, str)
    return value


def plays(statement: ast.stmt) -> bool:
    return any(
        isinstance(node, ast.Attribute)
        and node.attr == "play"
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
        for node in ast.walk(statement)
    )


def test_every_template_has_a_changed_value_to_hear():
    assert set(CHANGED) == set(NARRATED)


@pytest.mark.parametrize("template_id", NARRATED)
@pytest.mark.parametrize("example", [True, False], ids=["example", "changed"])
def test_each_step_is_narrated_in_plain_words(template_id, example):
    template = registry()[template_id]
    changed, expected = CHANGED[template_id]
    generation = generation_for(template_id, None if example else changed)
    texts = spoken_steps(generation.code)
    assert len(texts) >= 2
    sentences = template.narration(generation.params)
    assert len(texts) == len(sentences)
    for text, sentence in zip(texts, sentences, strict=True):
        if not isinstance(sentence, Spoken):
            assert text == spoken(sentence)
        elif sentence.text is not None:
            assert text == sentence.text
    for text in texts:
        assert 0 < len(text) <= MAX_STEP_TEXT
        assert not MARKUP.search(text), text
    assert check_code(generation.code, max_bytes=64_000).scenes
    if not example:
        said = " ".join(texts)
        for words in expected:
            assert words in said, f"{words!r} is not spoken: {said}"


@pytest.mark.parametrize("template_id", NARRATED)
def test_variants_are_narrated_with_their_own_values(template_id):
    template = registry()[template_id]
    spoken_by_params = {}
    for params in [None, *template.variants]:
        generation = generation_for(template_id, params)
        key = json.dumps(generation.params, sort_keys=True)
        spoken_by_params[key] = tuple(spoken_steps(generation.code))
    assert len(set(spoken_by_params.values())) == len(spoken_by_params)


def test_numbers_are_said_as_the_labels_show_them():
    assert say_number(3.0) == "3"
    assert say_number(2.5) == "2.5"
    assert say_number(1 / 3) == "0.33"
    assert say_number(-4.25) == "minus 4.25"
    assert say_list(["a", "b", "c"]) == "a, b and c"
    assert say_fraction(1, 2) == "1 half"
    assert say_fraction(3, 4) == "3 quarters"
    assert say_fraction(5, 13) == "5 over 13"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("3x^2 - 2x + 1", "3 x squared minus 2 x plus 1"),
        ("sin(x)/x", "sine of x over x"),
        ("sqrt(x) + 2", "the square root of x plus 2"),
        ("-x^3", "minus x cubed"),
        ("x^5", "x to the power 5"),
    ],
)
def test_functions_are_read_aloud(text, words):
    assert say_function(mathexpr.parse(text)) == words


def test_spoken_text_has_no_symbols_or_markup_and_is_capped():
    assert (
        spoken("A = πr² ≈ 28.27 and \\frac{1}{2}")
        == "A equals pi r squared is about 28.27 and frac 1 2"
    )
    long = spoken("word " * 200)
    assert len(long) <= MAX_STEP_TEXT and long.endswith(".")


def test_a_step_without_its_sentence_is_refused():
    code = (
        "class S(Scene):\n    def construct(self):\n\n        # One\n        self.play(A())\n\n"
        "        # Two\n        self.play(B())\n"
    )
    assert narrated(code, ["First.", "Second."]).count("narrate(") == 2
    with pytest.raises(ValueError, match="2 visual steps but 1"):
        narrated(code, ["Only one."])
