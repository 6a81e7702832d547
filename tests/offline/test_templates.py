"""Templates emit policy-clean code whose maths is right.

Emitted scenes keep their maths in plain module-level helpers above the Scene class (the slope,
the rectangles, the roots, the sort steps ...). These tests run just those helpers (never the
scene, never Manim) and compare them with independent reference answers.
"""

from __future__ import annotations

import ast
import bisect
import math
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from app.core.policy import check_code
from app.errors import ChalkError
from app.generators import Generation
from app.generators.offline import (
    Origin,
    codegen,
    list_templates,
    mathexpr,
    origin,
    render_template,
)
from app.generators.offline.catalogue import registry
from app.generators.offline.header import header
from app.generators.offline.templates import equation_steps, graph_traversal, limit_approach

ALL_PARAMS = [
    (template_id, index, params)
    for template_id, template in registry().items()
    for index, params in enumerate([None, *template.variants])
]


def helpers(code: str) -> dict:
    """Run the emitted module's top level (helpers and constants), skipping Manim and the scene."""
    tree = ast.parse(code)
    body = [
        node
        for node in tree.body
        if not isinstance(node, ast.ClassDef)
        and not (isinstance(node, ast.ImportFrom) and node.module == "manim")
    ]
    namespace: dict = {"DEGREES": math.pi / 180, "PI": math.pi, "TAU": 2 * math.pi}
    exec(compile(ast.Module(body=body, type_ignores=[]), "<template>", "exec"), namespace)
    return namespace


def run(template_id: str, params: dict | None = None) -> dict:
    return helpers(render_template(template_id, params).code)


# ---------------------------------------------------------------- every template


@pytest.mark.parametrize(("template_id", "index", "params"), ALL_PARAMS)
def test_code_passes_the_static_policy(template_id, index, params):
    generation = render_template(template_id, params)
    report = check_code(generation.code, max_bytes=64_000)
    assert report.scenes == [scene_name(template_id)]
    found = origin(generation.code)  # the header names the template and its values
    assert found == Origin(template_id, generation.params, False, generation.description)
    lines = header(template_id, generation.params)
    assert generation.code.startswith(lines + "from manim import *\n")
    assert generation.generator == f"offline:{template_id}"


def scene_name(template_id: str) -> str:
    # NumberLine and BarChart are Manim classes, so those scenes take a "Scene" suffix.
    name = codegen.scene_class(template_id)
    return name + "Scene" if name in ("NumberLine", "BarChart") else name


@pytest.mark.parametrize(("template_id", "index", "params"), ALL_PARAMS)
def test_code_is_deterministic_and_readable(template_id, index, params):
    first = render_template(template_id, params).code
    assert first == render_template(template_id, params).code
    lines = first.splitlines()
    assert sum(line.strip().startswith("#") for line in lines) >= 3  # a comment per step
    assert max(len(line) for line in lines) <= 100
    assert "self.play" in first and "title" in first


def test_emitted_code_passes_a_linter(tmp_path):
    # No unused imports or variables, no undefined names: code a teacher can trust and edit.
    for template_id, index, params in ALL_PARAMS:
        (tmp_path / f"{template_id}_{index}.py").write_text(
            render_template(template_id, params).code
        )
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--output-format", "concise",
         "--select", "F,E,W,B", "--ignore", "F403,F405,E501,E731,B905,B023", str(tmp_path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("template_id", list(registry()))
def test_defaults_and_variants_validate(template_id):
    template = registry()[template_id]
    for params in [template.defaults, *template.variants]:
        clean = render_template(template_id, params).params
        assert set(clean) == set(template.defaults)


def test_unknown_parameter_is_a_generation_error():
    with pytest.raises(ChalkError) as caught:
        render_template("pendulum", {"colour": "red"})
    assert caught.value.kind == "generation"


def test_unknown_template_is_a_generation_error():
    with pytest.raises(ChalkError) as caught:
        render_template("pie_chart")
    assert caught.value.kind == "generation"


@pytest.mark.parametrize(
    ("template_id", "params"),
    [
        ("function_graph", {"expression": "__import__('os')"}),
        ("function_graph", {"expression": "5"}),
        ("function_graph", {"x_range": [3, 1]}),
        ("function_graph", {"expression": "sqrt(x)", "x_range": [-5, -1]}),
        ("riemann_sum", {"n": 0}),
        ("riemann_sum", {"expression": "1/x", "x_range": [-1, 1]}),
        ("quadratic_formula", {"a": 0}),
        ("equation_steps", {"equation": "2x + 1 = 2x + 3"}),
        ("equation_steps", {"equation": "x^2 = 4"}),
        ("pendulum", {"length": -1}),
        ("projectile_motion", {"angle_deg": 95}),
        ("sorting_algorithm", {"algorithm": "quick"}),
        ("sorting_algorithm", {"values": list(range(30))}),
        ("fractions", {"fractions": ["7/5", "1/2"]}),
        ("fractions", {"fractions": ["1/11", "1/12"], "operation": "add"}),
        ("bar_chart", {"labels": ["a", "b"], "values": [1, 2, 3]}),
        ("vector_addition", {"vectors": [[0, 0], [1, 1]]}),
        ("matrix_transformation", {"matrix": [[1, 2, 3], [4, 5, 6]]}),
        ("shape_transform", {"from_shape": "circle", "to_shape": "circle"}),
        ("limit_approach", {"point": "infinity"}),
        ("number_line", {"operation": "3 * 4"}),
        ("taylor_series", {"terms": 40}),
    ],
)
def test_bad_parameters_are_refused_with_one_sentence(template_id, params):
    with pytest.raises(ChalkError) as caught:
        render_template(template_id, params)
    assert caught.value.kind == "generation"
    assert caught.value.message.endswith(".")


def test_generation_dataclass_defaults():
    generation = Generation(code="x", generator="offline:t", template="t")
    assert generation.params == {} and generation.notes == []


# ---------------------------------------------------------------- calculus


DERIVATIVES = [
    ("x**2", [-3.0, 3.0], lambda x: 2 * x),
    ("sin(x)", [-6.0, 6.0], np.cos),
    ("x**3 - 3*x", [-2.5, 2.5], lambda x: 3 * x**2 - 3),
    ("exp(x)", [-2.0, 2.0], np.exp),
    ("log(x)", [0.5, 5.0], lambda x: 1 / x),
    ("sqrt(x)", [0.5, 9.0], lambda x: 0.5 / np.sqrt(x)),
    ("x*sin(x)", [-5.0, 5.0], lambda x: np.sin(x) + x * np.cos(x)),
]


@pytest.mark.parametrize(("expression", "x_range", "derivative"), DERIVATIVES)
def test_tangent_slope_is_the_derivative(expression, x_range, derivative):
    namespace = run("derivative_tangent", {"expression": expression, "x_range": x_range})
    for x in np.linspace(*x_range, 9):
        assert namespace["slope"](x) == pytest.approx(derivative(x), rel=1e-5, abs=1e-6)


RIEMANN = [
    ("x**2", [0.0, 3.0], 6, lambda x: x**2, 9.0),
    ("sin(x) + 1", [0.0, 2 * math.pi], 8, lambda x: np.sin(x) + 1, 2 * math.pi),
    ("x**3 - 2*x", [-2.0, 2.0], 10, lambda x: x**3 - 2 * x, 0.0),
    ("4 - x**2", [-2.0, 2.0], 5, lambda x: 4 - x**2, 32 / 3),
]


@pytest.mark.parametrize(("expression", "x_range", "n", "f", "area"), RIEMANN)
def test_riemann_rectangle_heights_match_f(expression, x_range, n, f, area):
    params = {"expression": expression, "x_range": x_range, "n": n}
    namespace = run("riemann_sum", params)
    a, b = x_range
    rectangles = namespace["riemann_rectangles"](a, b, n)
    assert len(rectangles) == n
    width = (b - a) / n
    for i, (left, rect_width, height) in enumerate(rectangles):
        assert left == pytest.approx(a + i * width)
        assert rect_width == pytest.approx(width)
        assert height == pytest.approx(f(left))  # left endpoint rule
    total = sum(w * h for _, w, h in rectangles)
    assert namespace["riemann_sum"](a, b, n) == pytest.approx(total)
    assert namespace["area_under"](a, b) == pytest.approx(area, abs=1e-6)
    # More rectangles get closer to the area
    assert abs(namespace["riemann_sum"](a, b, 4 * n) - area) <= abs(total - area) + 1e-9


@pytest.mark.parametrize(
    ("expression", "x_range", "integral"),
    [
        ("x**2", [0.0, 2.0], 8 / 3),
        ("sin(x)", [0.0, math.pi], 2.0),
        ("x**2 - 1", [-2.0, 2.0], 4 / 3),
        ("exp(x)", [0.0, 1.0], math.e - 1),
    ],
)
def test_integral_area_value(expression, x_range, integral):
    namespace = run("integral_area", {"expression": expression, "x_range": x_range})
    assert namespace["area_under"](*x_range) == pytest.approx(integral, abs=1e-7)


@pytest.mark.parametrize(
    ("expression", "point", "verdict", "value"),
    [
        ("sin(x)/x", 0.0, "exists", 1.0),
        ("(x**2 - 1)/(x - 1)", 1.0, "exists", 2.0),
        ("x**2", 2.0, "exists", 4.0),
        ("(1 - cos(x))/x**2", 0.0, "exists", 0.5),
        ("abs(x)/x", 0.0, "one-sided", None),
        ("1/x", 0.0, "infinite", None),
        ("1/x**2", 0.0, "infinite", None),
    ],
)
def test_limit_verdicts(expression, point, verdict, value):
    found, limit = limit_approach.limit_verdict(mathexpr.parse(expression), point)
    assert found == verdict
    if value is not None:
        assert limit == pytest.approx(value, abs=1e-4)
    code = render_template("limit_approach", {"expression": expression, "point": point}).code
    assert ("limit_value =" in code) == (verdict == "exists")


def test_taylor_polynomials_match_the_series():
    references = {
        "sin": (np.sin, lambda k, x: (-1) ** k * x ** (2 * k + 1) / math.factorial(2 * k + 1)),
        "cos": (np.cos, lambda k, x: (-1) ** k * x ** (2 * k) / math.factorial(2 * k)),
        "exp": (np.exp, lambda k, x: x**k / math.factorial(k)),
        "ln(1+x)": (np.log1p, lambda k, x: (-1) ** k * x ** (k + 1) / (k + 1)),
    }
    for function, (f, term) in references.items():
        namespace = run("taylor_series", {"function": function, "terms": 6})
        for n in range(1, 7):
            x = 0.7
            expected = sum(term(k, x) for k in range(n))
            assert namespace["taylor_polynomial"](n, x) == pytest.approx(expected)
        errors = [abs(namespace["taylor_polynomial"](n, 0.7) - f(0.7)) for n in range(1, 7)]
        assert errors == sorted(errors, reverse=True)  # each term gets closer


def test_function_graph_finds_roots_and_splits_at_asymptotes():
    window = codegen.graph_window(mathexpr.parse("x**2 - 4*x + 3"), -1, 5)
    assert codegen.roots(mathexpr.parse("x**2 - 4*x + 3"), window) == pytest.approx([1, 3])
    reciprocal = mathexpr.parse("1/x")
    window = codegen.graph_window(reciprocal, -4, 4)
    assert len(window.pieces) == 2 and window.pieces[0][1] < 0 < window.pieces[1][0]
    assert codegen.roots(reciprocal, window) == []  # the jump at 0 is not a root
    tangent = codegen.graph_window(mathexpr.parse("tan(x)"), -6.28, 6.28)
    assert len(tangent.pieces) >= 4
    for start, end in codegen.graph_window(mathexpr.parse("tan(x)"), -3, 3).pieces:
        ys = np.tan(np.linspace(start, end, 50))
        assert ys.min() >= -50 and ys.max() <= 50  # pieces stay inside the window


# ---------------------------------------------------------------- algebra


@pytest.mark.parametrize(
    ("a", "b", "c"),
    [(1, -5, 6), (2, 3, -2), (1, 2, 5), (1, -4, 4), (-3, 2, 7), (0.5, 0, -8)],
)
def test_quadratic_roots_are_right(a, b, c):
    namespace = run("quadratic_formula", {"a": a, "b": b, "c": c})
    discriminant, roots = namespace["solve_quadratic"](a, b, c)
    assert discriminant == pytest.approx(b * b - 4 * a * c)
    for root in roots:
        assert abs(a * root**2 + b * root + c) < 1e-9
    assert sorted(roots, key=lambda r: (r.real, r.imag)) == pytest.approx(
        sorted(np.roots([a, b, c]), key=lambda r: (r.real, r.imag))
    )
    assert (namespace["a"], namespace["b"], namespace["c"]) == (a, b, c)


@pytest.mark.parametrize(
    ("equation", "solution"),
    [
        ("2*x + 3 = 11", 4),
        ("3*(x - 2) = x + 4", 5),
        ("x/2 - 5 = -3*x + 9", 4),
        ("5 = 2*x - 7", 6),
        ("7*x - 4 = 3*x + 8", 3),
        ("-x + 1 = 4", -3),
        ("4*x = 6", 1.5),
    ],
)
def test_equation_steps_keep_the_solution(equation, solution):
    left, right = equation_steps.parse_equation(equation)
    steps, answer = equation_steps.solve_steps(left, right)
    assert float(answer) == pytest.approx(solution)
    for step in steps:  # every line of working has the same solution
        assert step.left.at(answer) == step.right.at(answer)
    assert steps[-1].left == equation_steps.Linear(1, 0)  # ends as x = answer
    code = render_template("equation_steps", {"equation": equation}).code
    assert (
        f'("x", "=", {codegen.literal(equation_steps.fraction_tex(answer))}'
        in code.replace("'", '"')
        or f'"x", {codegen.literal(equation_steps.fraction_tex(answer))}' in code
    )


def test_number_line_operations():
    from app.generators.offline.templates import number_line

    start, steps = number_line.parse_operation("3 - (-2) + 4")
    assert start == 3 and number_line.jumps(steps) == [2, 4]
    assert number_line.operation_text(start, steps) == "3 - (-2) + 4"
    code = render_template("number_line", {"operation": "4 - 7 + 2"}).code
    namespace = helpers(code)  # no top-level maths, but the literals are in the scene
    assert "jumps = [-7.0, 2.0]" in code and namespace is not None


def test_pythagoras_and_circle_area_values():
    assert run("pythagorean_theorem", {"a": 3, "b": 4})["c"] == pytest.approx(5)
    assert run("pythagorean_theorem", {"a": 5, "b": 12})["c"] == pytest.approx(13)
    assert run("circle_area", {"radius": 3})["area"] == pytest.approx(9 * math.pi)


# ---------------------------------------------------------------- computer science


ALGORITHMS = ["bubble", "insertion", "selection"]
SORT_INPUTS = [
    [5, 1, 4, 2, 8],
    [9, 3, 7, 1, 6, 2],
    [64, 25, 12, 22, 11, 90, 3, 47],
    [1, 2, 3, 4],
    [10, 9, 8, 7, 6, 5, 4, 3, 2, 1],
    [3, 1, 3, 2, 1],
    [7, 7],
]


def inversions(values):
    return sum(a > b for i, a in enumerate(values) for b in values[i + 1 :])


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize("values", SORT_INPUTS)
def test_sort_shows_every_swap_of_the_algorithm(algorithm, values):
    """Invariants of the steps the scene shows, not a second copy of the algorithm: every
    step compares or swaps two places of the list, every swap exchanges an inversion (a larger
    value before a smaller one), replaying the swaps sorts the list, plus what sets each
    algorithm apart from the others."""
    namespace = run("sorting_algorithm", {"algorithm": algorithm, "values": values})
    steps = namespace["sort_steps"](values)
    n = len(values)
    items = list(values)
    swaps = []
    for kind, i, j in steps:
        assert kind in ("compare", "swap")
        assert 0 <= i < n and 0 <= j < n and i != j
        if kind == "swap":
            low, high = sorted((i, j))
            assert items[low] > items[high], f"{steps}: swap {i, j} of {items} is no inversion"
            items[i], items[j] = items[j], items[i]
            swaps.append((low, high))
    assert items == sorted(values)
    compares = [step[1:] for step in steps if step[0] == "compare"]
    assert len(compares) <= n * (n - 1) // 2
    if algorithm in ("bubble", "insertion"):
        # Neighbours only: each swap removes exactly one inversion.
        assert all(abs(i - j) == 1 for _, i, j in steps)
        assert len(swaps) == inversions(values)
        if values == sorted(values):  # one pass finds nothing to do
            assert len(compares) == n - 1
    else:
        # Selection compares every pair once and swaps each place's minimum into it, in order.
        assert len(compares) == n * (n - 1) // 2
        assert [low for low, _ in swaps] == sorted({low for low, _ in swaps})
        assert len(swaps) <= n - 1


@pytest.mark.parametrize(
    ("values", "target"),
    [
        ([2, 5, 8, 12, 16, 23, 38, 56, 72, 91], 23),
        ([2, 5, 8, 12, 16, 23, 38, 56, 72, 91], 2),
        ([2, 5, 8, 12, 16, 23, 38, 56, 72, 91], 91),
        ([10, 20, 30, 40, 50, 60], 35),
        ([1, 3, 4, 7, 9, 11, 15, 18, 21, 24, 27, 30, 33, 36, 40], 4),
        ([1, 2], 3),
    ],
)
def test_binary_search_steps(values, target):
    namespace = run("binary_search", {"values": values, "target": target})
    steps, found = namespace["binary_search_steps"](values, target)
    position = bisect.bisect_left(values, target)
    present = position < len(values) and values[position] == target
    assert found == (position if present else None)
    assert len(steps) <= math.ceil(math.log2(len(values) + 1))
    for low, high, middle in steps:
        assert low <= middle <= high and middle == (low + high) // 2
        assert all(values[i] != target for i in range(len(values)) if i < low or i > high)


@pytest.mark.parametrize(
    ("algorithm", "order"),
    [("bfs", list("ABCDEFGH")), ("dfs", list("ABDEHFCG"))],
)
def test_graph_traversal_order(algorithm, order):
    namespace = run("graph_traversal", {"algorithm": algorithm})
    visits = namespace["traverse"](namespace["graph"], "A", algorithm)
    assert [node for node, _, _ in visits] == order
    assert graph_traversal.traverse(algorithm) == order  # the independent reference agrees
    seen = set()
    for node, parent, _ in visits:
        assert parent is None or (parent in seen and node in namespace["graph"][parent])
        seen.add(node)


# ---------------------------------------------------------------- physics and probability


@pytest.mark.parametrize("length", [0.5, 2.0, 8.0])
def test_pendulum_small_swings_have_the_textbook_period(length):
    namespace = run("pendulum", {"length": length, "amplitude_deg": 5})
    angles = namespace["simulate"](max(6.0, 2.5 * 2 * math.pi * math.sqrt(length / 9.8)))
    period = namespace["measured_period"](angles)
    assert period == pytest.approx(2 * math.pi * math.sqrt(length / 9.8), rel=0.01)


def test_pendulum_large_swings_are_slower():
    namespace = run("pendulum", {"length": 1.0, "amplitude_deg": 60})
    period = namespace["measured_period"](namespace["simulate"](6.0))
    # Exact period for 60°: T0 · 2K(sin 30°)/π ≈ 1.0732 T0
    assert period == pytest.approx(1.0732 * 2 * math.pi * math.sqrt(1 / 9.8), rel=0.01)


@pytest.mark.parametrize(("speed", "angle"), [(20, 45), (35, 70), (8, 20)])
def test_projectile_flight(speed, angle):
    namespace = run("projectile_motion", {"speed": speed, "angle_deg": angle})
    g, theta = 9.8, math.radians(angle)
    assert namespace["distance"] == pytest.approx(speed**2 * math.sin(2 * theta) / g)
    assert namespace["max_height"] == pytest.approx((speed * math.sin(theta)) ** 2 / (2 * g))
    x_end, y_end = namespace["position"](namespace["flight_time"])
    assert y_end == pytest.approx(0, abs=1e-9) and x_end == pytest.approx(namespace["distance"])
    heights = [namespace["position"](t)[1] for t in np.linspace(0, namespace["flight_time"], 2001)]
    assert max(heights) == pytest.approx(namespace["max_height"], rel=1e-5)


def test_wave_height_and_speed():
    namespace = run("transverse_wave", {"amplitude": 1.5, "wavelength": 4})
    height = namespace["height"]
    assert height(1.0, 0) == pytest.approx(1.5)  # a crest a quarter wavelength in
    assert height(5.0, 0) == pytest.approx(height(1.0, 0))  # one wavelength later, the same
    speed = namespace["speed"]
    assert height(1.0 + speed * 0.7, 0.7) == pytest.approx(height(1.0, 0))  # the crest moved


def test_coin_flips_are_reproducible_heads_and_tails():
    first = run("probability_coin_flips", {"flips": 50})
    second = run("probability_coin_flips", {"flips": 50})
    assert first["results"] == second["results"] and len(first["results"]) == 50
    assert set(first["results"]) <= {"H", "T"}
    assert first["share_of_heads"](50) == first["results"].count("H") / 50


# ---------------------------------------------------------------- text is data, never code


@pytest.mark.parametrize(
    "title",
    [
        "Quotes \" and ' and a backslash \\",
        '"); import os; os.system("ls"); ("',
        "__import__('os').system('ls')",
        "Ünïcödé — ∑ π ✓ 数学",
        "line\nbreak\ttab\x00null",
        "x" * 500,
    ],
)
def test_prompt_text_stays_inside_string_literals(title):
    generation = render_template("title_bullets", {"title": title, "bullets": [title, "ok"]})
    check_code(generation.code, max_bytes=64_000)
    namespace_tree = ast.parse(generation.code)
    scene = next(n for n in namespace_tree.body if isinstance(n, ast.ClassDef))
    assignments = {
        target.id: node.value
        for node in ast.walk(scene)
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    assert isinstance(assignments["title_text"], ast.Constant)
    shown = assignments["title_text"].value
    assert "\x00" not in shown and "__" not in shown and len(shown) <= 80
    assert generation.params["title"] == shown


@pytest.mark.parametrize("info", list_templates(), ids=lambda info: info.id)
def test_every_template_has_a_small_thumbnail(info):
    assert info.thumbnail.is_file(), "run python -m app.generators.offline.make_thumbnails"
    assert info.thumbnail.stat().st_size < 40 * 1024
    with Image.open(info.thumbnail) as thumbnail:
        assert thumbnail.format == "PNG" and thumbnail.size == (320, 180)
