"""The algebra-and-graphs templates (straight lines, simultaneous equations, inequalities,
exponential growth and decay): the maths each video shows, its description with its values,
what the planner reads from teachers' prompts, and code whose every number follows the inputs
at its top. Answers are worked by hand (in the comments), not by the templates' helpers."""

from __future__ import annotations

import re

import pytest

from app.errors import ChalkError
from app.generators.offline import render_template
from app.generators.offline.catalogue import registry
from app.generators.offline.extract import Prompt
from app.generators.offline.header import header

MATHS_TEMPLATES = [
    "straight_line_graph",
    "simultaneous_equations",
    "inequality_number_line",
    "exponential_growth_decay",
    "similar_triangles",
]


def said(template_id: str, params: dict | None = None) -> list[str]:
    return render_template(template_id, params).description


def extracted(template_id: str, prompt: str) -> dict:
    return registry()[template_id].extract(Prompt(prompt))


# ---------------------------------------------------------------- every template of the block


def inputs_block(code: str) -> str:
    """The teacher's inputs: the assignments between the palette constants and the first def."""
    body = code.split("\n\n\n", 2)[1]
    return body.split("\ndef ")[0].split("\nclass ")[0]


@pytest.mark.parametrize("template_id", MATHS_TEMPLATES)
def test_every_number_in_the_code_follows_the_inputs_at_its_top(template_id: str) -> None:
    assert_the_inputs_at_the_top_drive_the_code(template_id)


def assert_the_inputs_at_the_top_drive_the_code(template_id: str) -> None:
    """Swapping only the input lines of one parameter set's code for another's gives exactly
    the other's code: nothing below the inputs was worked out on the host."""
    template = registry()[template_id]
    made = [render_template(template_id, params) for params in [None, *template.variants]]
    # Without the header, which names the values for `chalk refine`.
    codes = [m.code.removeprefix(header(template_id, m.params)) for m in made]
    compared = 0
    for first in codes:
        for other in codes:
            # Only codes of one form share their body (a double inequality has its own inputs)
            if other is first or names(inputs_block(first)) != names(inputs_block(other)):
                continue
            swapped = first.replace(inputs_block(first), inputs_block(other), 1)
            assert strip_palette(swapped) == strip_palette(other)
            compared += 1
    assert compared >= 2


def names(block: str) -> list[str]:
    return re.findall(r"^([\w, ]+?) =", block, re.MULTILINE)


def strip_palette(code: str) -> str:
    return "\n".join(line for line in code.splitlines() if "palette role" not in line)


# ---------------------------------------------------------------- straight_line_graph


def test_straight_line_default_worked_by_hand() -> None:
    # y = 2x + 1: at x = 1, y = 3; at x = 3, y = 7; run 2, rise 4, gradient 4/2 = 2
    assert said("straight_line_graph") == [
        "The title reads: Straight line graph.",
        "Axes appear, and the equation y = 2x + 1 is written beside them.",
        "The line is drawn from left to right; it rises as x increases.",
        "A dot marks the y-intercept, where the line crosses the y-axis at (0, 1).",
        "Dots mark the points (1, 3) and (3, 7) on the line, joined by a right-angled "
        "triangle: a solid run across and a dashed rise up.",
        "run = 3 - 1 = 2.",
        "rise = 7 - 3 = 4.",
        "gradient = rise / run = 4 / 2 = 2, boxed as the answer: the m in y = mx + c.",
    ]


def test_straight_line_falling_with_a_fraction() -> None:
    # y = -x/2 + 3 from x = 2 (y = 2) to x = 4 (y = 1): run 2, rise -1, gradient -1/2
    sentences = said("straight_line_graph", {"m": -0.5, "c": 3, "x1": 2, "x2": 4})
    assert "the equation y = -1/2x + 3 is" in sentences[1]
    assert "it falls as x increases" in sentences[2]
    assert "(0, 3)" in sentences[3]
    assert "(2, 2) and (4, 1)" in sentences[4] and "dashed rise down" in sentences[4]
    assert sentences[5:7] == ["run = 4 - 2 = 2.", "rise = 1 - 2 = -1."]
    assert sentences[7].startswith("gradient = rise / run = -1 / 2 = -1/2,")


def test_straight_line_negative_start_and_level_line() -> None:
    # y = -3 from x = -2 to 2: run 2 - (-2) = 4, no rise, gradient 0
    sentences = said("straight_line_graph", {"m": 0, "c": -3, "x1": -2, "x2": 2})
    assert "y = -3 is written" in sentences[1]
    assert "stays level" in sentences[2]
    assert "no rise at all" in sentences[4]
    assert sentences[5:8] == [
        "run = 2 - (-2) = 4.",
        "rise = -3 - (-3) = 0.",
        "gradient = rise / run = 0 / 4 = 0, boxed as the answer: the m in y = mx + c.",
    ]


def test_straight_line_from_two_points() -> None:
    # Through (1, 2) and (4, 8): m = 6/3 = 2, c = 2 - 2·1 = 0
    assert extracted("straight_line_graph", "the line through (4, 8) and (1, 2)") == {
        "m": 2.0,
        "c": 0.0,
        "x1": 1.0,
        "x2": 4.0,
    }
    # Through (-1, 4) and (3, 2): m = -2/4 = -1/2, c = 4 - (-1/2)(-1) = 3.5
    params = extracted("straight_line_graph", "gradient of the line joining (-1, 4) and (3, 2)")
    assert params == {"m": -0.5, "c": 3.5, "x1": -1.0, "x2": 3.0}
    with pytest.raises(ChalkError, match="vertical"):
        extracted("straight_line_graph", "gradient of the line through (2, 1) and (2, 5)")


def test_straight_line_reads_m_and_c_in_words_and_picks_a_whole_rise() -> None:
    # m = 1/3 → a run of 3 makes the rise 1
    assert extracted("straight_line_graph", "y = mx + c with m = 1/3 and c = -2") == {
        "m": pytest.approx(1 / 3),
        "c": -2.0,
        "x1": 1.0,
        "x2": 4.0,
    }
    assert extracted("straight_line_graph", "a line with gradient -4 and y-intercept 7") == {
        "m": -4.0,
        "c": 7.0,
        "x1": 1.0,
        "x2": 3.0,
    }
    sentences = said("straight_line_graph", {"m": 1 / 3, "c": -2, "x1": 1, "x2": 4})
    # at x = 1, y = 1/3 - 2 = -5/3; at x = 4, y = 4/3 - 2 = -2/3; rise = 1
    assert "(1, -5/3) and (4, -2/3)" in sentences[4]
    assert sentences[6] == "rise = -2/3 - (-5/3) = 1."
    assert sentences[7].startswith("gradient = rise / run = 1 / 3 = 1/3,")


def test_straight_line_swaps_a_backwards_triangle_and_refuses_a_flat_one() -> None:
    generation = render_template("straight_line_graph", {"x1": 3, "x2": 1})
    assert generation.params["x1"] == 1 and generation.params["x2"] == 3
    assert any("swapped" in note for note in generation.notes)
    with pytest.raises(ChalkError, match=r"0\.5 apart"):
        render_template("straight_line_graph", {"x1": 2, "x2": 2.2})


def test_straight_line_code_starts_with_the_teachers_numbers() -> None:
    code = render_template("straight_line_graph", {"m": -0.5, "c": 3, "x1": 2, "x2": 4}).code
    assert "m, c = -0.5, 3  # the gradient and the y-intercept" in code
    assert "x1, x2 = 2, 4  # the rise/run triangle" in code
    assert re.search(r"rise, run = y2 - y1, x2 - x1", code)


# ---------------------------------------------------------------- simultaneous_equations


def steps(params: dict | None = None) -> list[str]:
    """The sentences between "The elimination follows line by line." and the answer."""
    sentences = said("simultaneous_equations", params)
    start = sentences.index("The elimination follows line by line.") + 1
    return sentences[start:-1]


def equations(a1: int, b1: int, c1: int, a2: int, b2: int, c2: int) -> dict:
    return {"a1": a1, "b1": b1, "c1": c1, "a2": a2, "b2": b2, "c2": c2}


def test_simultaneous_default_adds_to_eliminate_y() -> None:
    # 2x + y = 7 plus x - y = 2: 3x = 9, x = 3; then 6 + y = 7, y = 1
    sentences = said("simultaneous_equations")
    assert sentences[2].startswith("Equation (1), 2x + y = 7, is written")
    assert "drawn solid" in sentences[2] and "drawn dashed" in sentences[3]
    assert sentences[3].startswith("Equation (2), x - y = 2, is written")
    assert steps() == ["Add to eliminate y: 3x = 9.", "x = 3.", "Put x = 3 into (1): y = 1."]
    assert sentences[-1] == (
        "A dot marks where the lines cross, labelled (3, 1): the solution x = 3, y = 1, boxed."
    )


def test_simultaneous_scales_both_equations_then_subtracts() -> None:
    # 3x + 2y = 12 (×3: 9x + 6y = 36) and 2x + 3y = 13 (×2: 4x + 6y = 26): 5x = 10, x = 2,
    # y = (12 - 6) / 2 = 3; check in (2): 4 + 9 = 13
    assert steps(equations(3, 2, 12, 2, 3, 13)) == [
        "Equation (1) times 3: 9x + 6y = 36.",
        "Equation (2) times 2: 4x + 6y = 26.",
        "Subtract to eliminate y: 5x = 10.",
        "x = 2.",
        "Put x = 2 into (1): y = 3.",
    ]


def test_simultaneous_fraction_answer() -> None:
    # 2x + 3y = 7 and 4x - y = 3: (2)×3 is 12x - 3y = 9; adding, 14x = 16, x = 8/7;
    # y = 4x - 3 = 32/7 - 21/7 = 11/7
    sentences = said("simultaneous_equations", equations(2, 3, 7, 4, -1, 3))
    assert "Equation (2) times 3: 12x - 3y = 9." in sentences
    assert "Add to eliminate y: 14x = 16." in sentences
    assert "labelled (8/7, 11/7)" in sentences[-1]


def test_simultaneous_parallel_and_identical_lines_are_said_in_words() -> None:
    # x + 2y = 4 and 2x + 4y = 2: doubling (1) gives 2x + 4y = 8; subtracting, 0 = 6: never
    parallel = said("simultaneous_equations", equations(1, 2, 4, 2, 4, 2))
    assert "Subtract: 0 = 6." in parallel
    assert parallel[-1] == "The video ends on the words: Parallel lines never meet: no solution."
    # x - y = -1 and 2x - 2y = -2 are one line: 0 = 0
    same = said("simultaneous_equations", equations(1, -1, -1, 2, -2, -2))
    assert "Subtract: 0 = 0." in same
    assert same[-1].endswith("The same line twice: infinitely many solutions.")
    # x = 2 and 2x = 6 are two upright lines, x = 2 and x = 3
    upright = said("simultaneous_equations", equations(1, 0, 2, 2, 0, 6))
    assert "(1) has no y term, so x = 2." in upright
    assert "(2) has no y term either: x = 3." in upright
    assert upright[-1].endswith("no solution.")


def test_simultaneous_with_an_upright_line() -> None:
    # x = 3 and x + 3y = 4: 3 + 3y = 4, y = 1/3
    assert steps(equations(1, 0, 3, 1, 3, 4)) == [
        "(1) has no y term, so x = 3.",
        "Put x = 3 into (2): y = 1/3.",
    ]


def test_simultaneous_reads_equations_in_either_form() -> None:
    # y = 2x + 1 is -2x + y = 1; y = -x + 4 is x + y = 4; they meet at x = 1, y = 3
    params = extracted("simultaneous_equations", "where do y = 2x + 1 and y = -x + 4 meet?")
    assert params == equations(-2, 1, 1, 1, 1, 4)
    assert "labelled (1, 3)" in said("simultaneous_equations", params)[-1]
    assert extracted("simultaneous_equations", "solve 3x = 2y + 1 and x + y = 7") == equations(
        3, -2, 1, 1, 1, 7
    )
    assert extracted("simultaneous_equations", "simultaneous equations please") == {}


def test_simultaneous_refuses_decimals_and_empty_equations() -> None:
    with pytest.raises(ChalkError, match="whole number"):
        render_template("simultaneous_equations", {"a1": 0.5})
    with pytest.raises(ChalkError, match=r"Equation \(2\) has no x and no y"):
        render_template("simultaneous_equations", {"a2": 0, "b2": 0})


# ---------------------------------------------------------------- inequality_number_line


def inequality(text: str) -> list[str]:
    return said("inequality_number_line", {"inequality": text})


def test_inequality_default_worked_by_hand() -> None:
    # 3x - 4 < 8: add 4 → 3x < 12; divide by 3 → x < 4: open circle at 4, arrow to the left
    assert said("inequality_number_line") == [
        "The title reads: Solving an inequality.",
        "The inequality 3x - 4 < 8 is written.",
        "Add 4 to both sides, giving 3x < 12.",
        "Divide both sides by 3, giving x < 4.",
        "The last line, x < 4, is highlighted.",
        "A number line appears below.",
        "An arrow runs left from 4 along the line, with an open circle at 4 labelled: "
        "4 is not included.",
        "The answer reads: every number less than 4.",
    ]


def test_inequality_dividing_by_a_negative_flips_the_sign_in_words() -> None:
    # 5 - 2x ≥ 11: subtract 5 → -2x ≥ 6; divide by -2 and flip → x ≤ -3 (closed circle)
    sentences = inequality("5 - 2x >= 11")
    assert "Subtract 5 from both sides, giving -2x ≥ 6." in sentences
    assert (
        "Divide both sides by -2: dividing by a negative number flips the sign, so ≥ becomes ≤, "
        "giving x ≤ -3."
    ) in sentences
    assert "with a closed, filled circle at -3 labelled: -3 is included." in sentences[-2]
    assert "An arrow runs left from -3" in sentences[-2]
    assert sentences[-1] == "The answer reads: every number less than or equal to -3."


def test_inequality_with_x_on_both_sides_and_a_fraction() -> None:
    # 4x + 1 ≤ x + 7: 3x + 1 ≤ 7, 3x ≤ 6, x ≤ 2
    assert inequality("4x + 1 <= x + 7")[2:5] == [
        "Subtract x from both sides, giving 3x + 1 ≤ 7.",
        "Subtract 1 from both sides, giving 3x ≤ 6.",
        "Divide both sides by 3, giving x ≤ 2.",
    ]
    # 2x > 7: x > 7/2, an open circle and an arrow to the right
    sentences = inequality("2x > 7")
    assert "Divide both sides by 2, giving x > 7/2." in sentences
    assert "An arrow runs right from 7/2" in sentences[-2] and "open circle" in sentences[-2]
    assert sentences[-1] == "The answer reads: every number greater than 7/2."


def test_inequality_double_with_a_negative_reads_again_from_the_smaller_end() -> None:
    # 1 < 3 - 2x ≤ 9: subtract 3 → -2 < -2x ≤ 6; divide by -2 → 1 > x ≥ -3 → -3 ≤ x < 1
    sentences = inequality("1 < 3 - 2x <= 9")
    assert sentences[2:5] == [
        "Subtract 3 from all three parts, giving -2 < -2x ≤ 6.",
        "Divide all three parts by -2: dividing by a negative number flips both signs, "
        "giving 1 > x ≥ -3.",
        "Read it again from the smaller number, giving -3 ≤ x < 1.",
    ]
    assert "closed, filled circle at -3" in sentences[-2] and "open circle at 1" in sentences[-2]
    assert sentences[-1] == (
        "The answer reads: every number from -3 (included) to 1 (not included)."
    )
    # Written the other way round, 5 > x >= -2 is -2 ≤ x < 5
    assert inequality("5 > x >= -2")[1] == "The inequality -2 ≤ x < 5 is written."


def test_inequality_refuses_what_it_cannot_draw_honestly() -> None:
    for text, reason in [
        ("x + 1 < x + 3", "cancel"),
        ("x^2 < 4", "not linear"),
        ("5 < x < 2", "No number fits"),
        ("1 < x > 3", "same way"),
        ("x = 3", "one or two signs"),
        ("x < " + "1" * 58, "at most 60 characters"),
    ]:
        with pytest.raises(ChalkError, match=reason):
            render_template("inequality_number_line", {"inequality": text})
    render_template("inequality_number_line", {"inequality": "x < " + "1" * 3 + " " * 53})


def test_inequality_found_in_teachers_words() -> None:
    assert extracted("inequality_number_line", "solve 3x - 4 is less than 8") == {
        "inequality": "3x - 4 < 8"
    }
    assert extracted("inequality_number_line", "show -2 ≤ x < 5") == {"inequality": "-2 <= x < 5"}
    assert extracted("inequality_number_line", "open and closed circles") == {}
    assert extracted("inequality_number_line", "what does sin(x)/x do as x -> 0") == {}
    code = render_template("inequality_number_line", {"inequality": "1 < 3 - 2x <= 9"}).code
    assert 'low, low_sign = 1, "<"\na, b = -2, 3\nhigh_sign, high = "<=", 9' in code


# ---------------------------------------------------------------- exponential_growth_decay


def test_exponential_default_doubles_every_three_years() -> None:
    # 100 doubling every 3 years: 200 at t = 3, 400 at t = 6, 800 at t = 9
    assert said("exponential_growth_decay") == [
        "The title reads: Exponential growth.",
        "Axes appear: time t in years across, and the amount y up.",
        "The formula y = 100 · 2 to the power t/3 is written beside them.",
        "The curve is drawn: it rises ever faster from y = 100 at t = 0.",
        "Every doubling time, dashed guides and a labelled dot mark the curve: "
        "t = 3, y = 200, t = 6, y = 400, t = 9, y = 800.",
        "The panel reads: doubling time = 3 years, boxed.",
        "It doubles every 3 years: 100 → 200 → 400 → 800.",
    ]


def test_exponential_half_life_of_a_sample_in_grams() -> None:
    # 80 g with a half-life of 5 years: 40 g at 5, 20 at 10, 10 at 15, 5 at 20
    params = extracted("exponential_growth_decay", "half-life of 5 years starting at 80 g")
    assert params == {
        "factor": 0.5,
        "every": 5.0,
        "time_unit": "years",
        "initial": 80.0,
        "unit": "g",
    }
    sentences = said("exponential_growth_decay", params)
    assert sentences[0] == "The title reads: Exponential decay."
    assert "amount y in g up" in sentences[1]
    assert "falls ever more slowly from y = 80 g at t = 0" in sentences[3]
    assert sentences[4].endswith("t = 5, y = 40, t = 10, y = 20, t = 15, y = 10, t = 20, y = 5.")
    assert sentences[5] == "The panel reads: half-life = 5 years, boxed."


def test_exponential_doubling_time_from_a_percentage() -> None:
    # 5% a year: 1.05^t = 2 at t = log 2 / log 1.05 = 0.30103 / 0.021189 = 14.2067 years;
    # twice and three times that: 28.4134 and 42.6201
    params = extracted("exponential_growth_decay", "grows by 5% per year starting at 1000")
    assert params == {"factor": 1.05, "every": 1.0, "time_unit": "years", "initial": 1000.0}
    sentences = said("exponential_growth_decay", params)
    assert sentences[4].endswith("t = 14.21, y = 2000, t = 28.41, y = 4000, t = 42.62, y = 8000.")
    assert sentences[5] == "The panel reads: doubling time = 14.21 years, boxed."


def test_exponential_half_life_of_a_slow_decay() -> None:
    # 500 mg times 0.9 every 2 hours: 0.9^(t/2) = 1/2 at t = 2 · log10(0.5) / log10(0.9)
    # = 2 · 0.30103 / 0.045757 = 13.1576 hours; 250, 125, 62.5, 31.25 mg at 13.16, 26.32,
    # 39.47, 52.63
    sentences = said(
        "exponential_growth_decay",
        {"initial": 500, "factor": 0.9, "every": 2, "time_unit": "hours", "unit": "mg"},
    )
    assert sentences[4].endswith(
        "t = 13.16, y = 250, t = 26.32, y = 125, t = 39.47, y = 62.5, t = 52.63, y = 31.25."
    )
    assert sentences[6] == "It halves every 13.16 hours: 500 → 250 → 125 → 62.5 → 31.25."


def test_exponential_reads_formulas_and_tripling() -> None:
    assert extracted("exponential_growth_decay", "exponential growth y = 3 * 2^x") == {
        "initial": 3.0,
        "factor": 2.0,
        "every": 1.0,
        "time_unit": "none",
    }
    # Tripling every 2 hours doubles every 2 · log 2 / log 3 = 2 · 0.6309 = 1.26 hours
    params = extracted("exponential_growth_decay", "bacteria triple every 2 hours from 50 bacteria")
    assert params["factor"] == 3.0 and params["every"] == 2.0 and params["unit"] == "bacteria"
    assert "doubling time = 1.26 hours" in said("exponential_growth_decay", params)[5]
    with pytest.raises(ChalkError, match="factor of 1"):
        render_template("exponential_growth_decay", {"factor": 1})
    with pytest.raises(ChalkError, match="at most 12"):
        render_template("exponential_growth_decay", {"unit": "x" * 13})
    render_template("exponential_growth_decay", {"unit": "x" * 12})


# ---------------------------------------------------------------- similar_triangles


def test_similar_triangles_default_worked_by_hand() -> None:
    # 3, 4, 5 enlarged by 2 is 6, 8, 10; the second side is hidden: k = 6 ÷ 3 = 2, ? = 4 × 2 = 8
    assert said("similar_triangles") == [
        "The title reads: Similar triangles.",
        "The first triangle is drawn with sides 3, 4 and 5.",
        "The second triangle, the same shape larger, is drawn beside it with sides 6, ? and 10.",
        "Corresponding sides are matched by tick marks: one tick on 3 and on 6; two ticks on 4 "
        "and on the unknown side; three ticks on 5 and on 10.",
        "The scale factor: k = 6 ÷ 3 = 2.",
        "The missing side: 4 × 2 = 8, which replaces the question mark and is boxed.",
    ]


def test_similar_triangles_smaller_copy_and_first_side_missing() -> None:
    # 5, 7, 9 halved: ?, 3.5, 4.5; k = 3.5 ÷ 7 = 0.5; ? = 5 × 0.5 = 2.5
    sentences = said("similar_triangles", {"sides": [5, 7, 9], "scale": 0.5, "missing": 1})
    assert "the same shape smaller" in sentences[2] and "sides ?, 3.5 and 4.5" in sentences[2]
    assert sentences[4] == "The scale factor: k = 3.5 ÷ 7 = 0.5."
    assert sentences[5].startswith("The missing side: 5 × 0.5 = 2.5,")


def test_similar_triangles_from_two_triangles_in_the_prompt() -> None:
    # 6, 9, 12 and 8, x, 16: k = 8 / 6 = 4/3 (1.33 on screen); x = 9 · 4/3 = 12
    params = extracted("similar_triangles", "similar triangles 6, 9, 12 and 8, x, 16: find x")
    assert params["sides"] == [6.0, 9.0, 12.0] and params["missing"] == 2
    assert params["scale"] == pytest.approx(4 / 3)
    sentences = said("similar_triangles", params)
    assert sentences[4] == "The scale factor: k = 8 ÷ 6 = 1.33."
    assert sentences[5].startswith("The missing side: 9 × 1.33 = 12,")
    assert extracted("similar_triangles", "a 5-7-9 triangle, scale factor 3, third side") == {
        "sides": [5.0, 7.0, 9.0],
        "scale": 3.0,
        "missing": 3,
    }


def test_similar_triangles_refuses_what_is_no_triangle() -> None:
    for params, reason in [
        ({"sides": [1, 2, 5]}, "cannot make a triangle"),
        ({"sides": [1, 7, 7]}, "at most 6 times"),
        ({"scale": 1}, "scale factor of 1"),
    ]:
        with pytest.raises(ChalkError, match=reason):
            render_template("similar_triangles", params)


def test_exponential_without_a_time_unit_says_how_far_t_goes() -> None:
    # y = 3 · 2^t doubles each time t goes up by 1: 6, 12, 24
    sentences = said("exponential_growth_decay", {"initial": 3, "every": 1, "time_unit": "none"})
    assert sentences[1] == "Axes appear: time t across, and the amount y up."
    assert sentences[5] == "The panel reads: doubling time = 1, boxed."
    assert sentences[6] == "It doubles each time t goes up by 1: 3 → 6 → 12 → 24."
