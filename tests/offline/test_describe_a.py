"""Templates describe themselves with the values their videos show (group a: graphs, calculus,
Pythagoras, the unit circle, quadratics and linear equations), checked against answers worked
out by hand, not by the templates' own helpers."""

from __future__ import annotations

from app.generators.offline import render_template


def test_function_graph_default_parabola() -> None:
    # x² - 4x + 3 = (x - 1)(x - 3): roots 1 and 3; f(-1) = 1 + 4 + 3 = 8, f(5) = 25 - 20 + 3 = 8
    said = render_template("function_graph").description
    assert said[0] == "The title reads: Graph of a function."
    assert "y = x² - 4x + 3" in said[2]
    assert "Dots mark where the curve crosses the x-axis: at x = 1 and x = 3." in said
    assert said[-1] == (
        "A point moves along the curve from x = -1.00, y = 8.00 to x = 5.00, y = 8.00, "
        "with its coordinates shown beside the graph."
    )


def test_function_graph_says_when_it_marks_only_the_first_crossings() -> None:
    # sin(x)/x on [-10, 10] is 0 at ±π, ±2π, ±3π (six places) and undefined at 0; the video
    # marks the first four from the left: -3π = -9.42, -2π = -6.28, -π = -3.14, π = 3.14
    said = render_template(
        "function_graph", {"expression": "sin(x)/x", "x_range": [-10, 10]}
    ).description
    assert "in 2 pieces" in said[3]
    assert said[4] == (
        "Dots mark the first 4 places, from the left, where the curve crosses the x-axis: "
        "at x = -9.42, x = -6.28, x = -3.14 and x = 3.14."
    )


def test_function_graph_without_crossings() -> None:
    # x² + 1 ≥ 1 never meets the x-axis; on [-2, 2] the point goes from (-2, 5) to (2, 5)
    said = render_template("function_graph", {"expression": "x^2 + 1", "x_range": [-2, 2]})
    assert not any("crosses" in s for s in said.description)
    assert "from x = -2.00, y = 5.00 to x = 2.00, y = 5.00" in said.description[-1]


def test_derivative_tangent_default_x_squared() -> None:
    # On [-3, 3] the point runs from -3 + 0.6 = -2.4 to 2.4 and back to 0; f'(x) = 2x gives
    # -4.8, 4.8 and 0
    said = render_template("derivative_tangent").description
    assert "f(x) = x²" in said[1]
    assert said[3:] == [
        "A panel shows x and the slope of the tangent line, f'(x): x = -2.40, f'(x) = -4.80.",
        "The point slides right along the curve to x = 2.40, where the slope f'(x) = 4.80.",
        "It slides back to x = 0.00, where the slope f'(x) = 0.00.",
    ]


def test_derivative_tangent_cubic() -> None:
    # x³ - 3x on [-2.5, 2.5]: the point runs from -2 to 2 (10% margins of 0.5) and back to 0;
    # f'(x) = 3x² - 3 → f'(±2) = 9, f'(0) = -3
    said = render_template(
        "derivative_tangent", {"expression": "x^3 - 3x", "x_range": [-2.5, 2.5]}
    ).description
    assert "f(x) = x³ - 3x" in said[1]
    assert said[3].endswith("x = -2.00, f'(x) = 9.00.")
    assert said[4].endswith("to x = 2.00, where the slope f'(x) = 9.00.")
    assert said[5] == "It slides back to x = 0.00, where the slope f'(x) = -3.00."


def test_integral_area_default_x_squared() -> None:
    # ∫₀² x² dx = 8/3 = 2.667; x² ≥ 0 so the note is about thin strips
    said = render_template("integral_area").description
    assert "the integral from 0 to 2 of x² dx" in said[2]
    assert said[3].endswith("up to 2.667.")
    assert said[4] == "The result appears under the integral: = 2.667."
    assert said[5] == "A note says: the integral adds up thin strips f(x) dx."


def test_integral_area_below_the_axis() -> None:
    # ∫₋₂² (x² - 1) dx = [x³/3 - x] = (8/3 - 2) - (-8/3 + 2) = 4/3 = 1.333; x² - 1 < 0 on (-1, 1)
    said = render_template(
        "integral_area", {"expression": "x^2 - 1", "x_range": [-2, 2]}
    ).description
    assert "of (x² - 1) dx" in said[2]
    assert said[4] == "The result appears under the integral: = 1.333."
    assert said[5] == "A note says: area below the x-axis counts as negative."


def test_limit_approach_default_sin_x_over_x() -> None:
    # Window ±6 for trig, points start 0.8·6 = 4.8 away: sin(4.8)/4.8 = -0.99616/4.8 = -0.2075
    # on both sides (even function); at 0.01, sin(0.01)/0.01 = 0.99998 → 1.000; limit 1
    said = render_template("limit_approach").description
    assert "start 4.8 away from x = 0" in said[3]
    assert (
        said[4]
        == "A panel shows their values: f(x) = -0.208 from the left and -0.208 from the right."
    )
    assert said[5].endswith("f(x) = 1.000 from the left and 1.000 from the right.")
    assert said[6].startswith("The two sides agree: the limit of f(x) as x approaches 0 is 1;")


def test_limit_approach_removable_and_jump() -> None:
    # (x² - 1)/(x - 1) = x + 1 away from 1: start 0.8·3 = 2.4 away → -1.4 + 1 = -0.4 and
    # 3.4 + 1 = 4.4; at 0.99 and 1.01 → 1.99 and 2.01; the limit is 2
    said = render_template(
        "limit_approach", {"expression": "(x^2 - 1)/(x - 1)", "point": 1}
    ).description
    assert (
        said[4]
        == "A panel shows their values: f(x) = -0.400 from the left and 4.400 from the right."
    )
    assert said[5].endswith("f(x) = 1.990 from the left and 2.010 from the right.")
    assert "is 2;" in said[6] and "(1, 2)" in said[6]
    # |x|/x is -1 left of 0 and 1 right of it
    said = render_template("limit_approach", {"expression": "abs(x)/x", "point": 0}).description
    assert said[5].endswith("f(x) = -1.000 from the left and 1.000 from the right.")
    assert said[6] == "The answer reads: The two sides disagree, so the limit does not exist."


def test_taylor_series_default_sine() -> None:
    # sin x = x - x³/3! + x⁵/5! - x⁷/7! ...: four terms reach degree 7
    said = render_template("taylor_series").description
    assert "f(x) = sin(x)" in said[1]
    assert said[2:] == [
        "With 1 term, a thin curve shows P1(x) = x.",
        "With 2 terms, the thin curve becomes P3(x) = x - x³/3!.",
        "With 3 terms, the thin curve becomes P5(x) = x - x³/3! + x⁵/5!.",
        "With 4 terms, the thin curve becomes P7(x) = x - x³/3! + x⁵/5! - x⁷/7!.",
    ]


def test_taylor_series_exponential() -> None:
    # eˣ = 1 + x + x²/2! + x³/3! + ...: five terms reach degree 4, all signs +
    said = render_template("taylor_series", {"function": "exp", "terms": 5}).description
    assert "f(x) = e^x" in said[1]
    assert len(said) == 2 + 5
    assert said[2] == "With 1 term, a thin curve shows P0(x) = 1."
    assert said[-1] == "With 5 terms, the thin curve becomes P4(x) = 1 + x + x²/2! + x³/3! + x⁴/4!."


def test_pythagorean_theorem_3_4_5() -> None:
    # 3² + 4² = 9 + 16 = 25 = 5²
    said = render_template("pythagorean_theorem").description
    assert said[2:] == [
        "A square is built on leg a, labelled a² = 9.",
        "A square is built on leg b, labelled b² = 16.",
        "A square is built on the hypotenuse, labelled c² = 25.",
        "Beside the diagram the working appears line by line: a² + b² = c².",
        "3² + 4² = c².",
        "9 + 16 = 25.",
        "c = √25 = 5, boxed as the answer.",
    ]


def test_pythagorean_theorem_isosceles_with_decimals() -> None:
    # 2.5² = 6.25, twice is 12.5, √12.5 = 3.5355 → 3.54
    said = render_template("pythagorean_theorem", {"a": 2.5, "b": 2.5}).description
    assert "2.5² + 2.5² = c²." in said
    assert "6.25 + 6.25 = 12.5." in said
    assert said[-1] == "c = √12.5 = 3.54, boxed as the answer."


def test_unit_circle_sine() -> None:
    # sin 90° = 1, sin 180° = 0, sin 270° = -1, sin 360° = 0 (shown 0.00, never -0.00)
    said = render_template("unit_circle_trig").description
    assert said[0] == "The title reads: Where sin θ comes from: the unit circle."
    assert said[4] == (
        "A readout shows θ in degrees and sin θ to 2 decimal places, passing "
        "1.00 at 90°, 0.00 at 180°, -1.00 at 270°, 0.00 at 360°."
    )
    assert not any("without bound" in s for s in said)


def test_unit_circle_tangent() -> None:
    # tan 45° = 1, tan 135° = -1, tan 180° = tan 360° = 0; undefined at 90° and 270°
    said = render_template("unit_circle_trig", {"function": "tan"}).description
    assert said[4].endswith("passing 1.00 at 45°, -1.00 at 135°, 0.00 at 180°, 0.00 at 360°.")
    assert "Near 90° and 270° tan θ grows without bound" in said[-1]


def test_quadratic_formula_default() -> None:
    # x² - 5x + 6 = (x - 2)(x - 3); b² - 4ac = 25 - 24 = 1
    said = render_template("quadratic_formula").description
    assert said[1:7] == [
        "The working appears line by line, starting with the equation x² - 5x + 6 = 0.",
        "a = 1, b = -5, c = 6.",
        "The formula: x = (-b ± √(b² - 4ac)) / 2a.",
        "Substituted: x = (-(-5) ± √((-5)² - 4·1·6)) / (2·1).",
        "The discriminant b² - 4ac = 1.",
        "The answer is boxed: x₁ = 2 and x₂ = 3.",
    ]
    assert said[-1] == "Dots mark where it crosses the x-axis, at x = 2 and x = 3."


def test_quadratic_formula_complex_roots() -> None:
    # x² + 2x + 5: b² - 4ac = 4 - 20 = -16, x = (-2 ± 4i)/2 = -1 ± 2i
    said = render_template("quadratic_formula", {"a": 1, "b": 2, "c": 5}).description
    assert "The discriminant b² - 4ac = -16." in said
    assert "The answer is boxed: x = -1 ± 2i, so there are no real roots." in said
    assert said[-1] == "It does not meet the x-axis."


def test_equation_steps_default() -> None:
    # 2x + 3 = 11 → 2x = 8 → x = 4; check 2·4 + 3 = 11
    said = render_template("equation_steps").description
    assert said[1:] == [
        "The equation appears: 2x + 3 = 11.",
        "Subtract 3 on both sides: 2x = 8.",
        "Divide both sides by 2: x = 4.",
        "The answer, x = 4, is boxed.",
        "A check puts x = 4 into the equation: 11 = 11, with a tick.",
    ]


def test_equation_steps_with_brackets() -> None:
    # 3(x - 2) = x + 4 → 3x - 6 = x + 4 → 2x - 6 = 4 → 2x = 10 → x = 5; check 3·3 = 9 = 5 + 4
    said = render_template("equation_steps", {"equation": "3*(x - 2) = x + 4"}).description
    assert said[2:] == [
        "Expand and simplify each side: 3x - 6 = x + 4.",
        "Subtract x on both sides: 2x - 6 = 4.",
        "Add 6 on both sides: 2x = 10.",
        "Divide both sides by 2: x = 5.",
        "The answer, x = 5, is boxed.",
        "A check puts x = 5 into the equation: 9 = 9, with a tick.",
    ]


def test_equation_steps_with_a_fraction_of_x() -> None:
    # x/2 - 5 = -3x + 9 → add 3x: (7/2)x - 5 = 9 → (7/2)x = 14 → x = 4; check 2 - 5 = -3 = -12 + 9
    said = render_template("equation_steps", {"equation": "x/2 - 5 = -3x + 9"}).description
    assert "Add 3x on both sides: (7/2)x - 5 = 9." in said
    assert "Divide both sides by 7/2: x = 4." in said
    assert said[-1] == "A check puts x = 4 into the equation: -3 = -3, with a tick."
