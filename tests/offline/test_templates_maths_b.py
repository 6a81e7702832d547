"""Logarithms, circle theorems, graph transformations, trigonometric graphs, probability trees,
histograms and box plots: the maths each video shows and says, what the planner reads from
teachers' prompts, and code whose every value follows the inputs at its top. Answers are
worked by hand (in the comments) or by other means than the template's (chord lengths and the
cosine rule for angles a template measures with dot products), never by its own helpers."""

from __future__ import annotations

import math

import pytest

from app.errors import ChalkError
from app.generators.offline import render_template
from app.generators.offline.catalogue import registry
from app.generators.offline.extract import Prompt
from tests.offline.test_templates import helpers
from tests.offline.test_templates_maths import (
    assert_the_inputs_at_the_top_drive_the_code,
)

NEW_TEMPLATES = [
    "logarithms",
    "circle_theorems",
    "graph_transformations",
    "trig_graphs",
    "probability_tree",
    "histogram_box_plot",
]


def said(template_id: str, params: dict | None = None) -> list[str]:
    return render_template(template_id, params).description


def extracted(template_id: str, prompt: str) -> dict:
    return registry()[template_id].extract(Prompt(prompt))


def code_with(template_id: str, params: dict | None, edits: dict[str, str]) -> dict:
    """Run the top of a template's code after a teacher's edits to its input lines
    (old line → new line), and return what it computed."""
    code = render_template(template_id, params).code
    for old, new in edits.items():
        assert old in code, old
        code = code.replace(old, new, 1)
    return helpers(code)


@pytest.mark.parametrize("template_id", NEW_TEMPLATES)
def test_every_value_in_the_code_follows_the_inputs_at_its_top(template_id: str) -> None:
    assert_the_inputs_at_the_top_drive_the_code(template_id)


@pytest.mark.parametrize("template_id", NEW_TEMPLATES)
def test_each_scene_is_laid_out_by_one_arrangement_call(template_id: str) -> None:
    # Parts are built first and placed once, so a portrait or square layout can re-arrange them
    code = render_template(template_id).code
    assert code.count("arrange_scene(self, title, [") == 1
    layout = code.index("arrange_scene(self, title, [")
    assert code.index("self.play(") > layout


# ---------------------------------------------------------------- logarithms


def test_logarithms_default_worked_by_hand() -> None:
    # 2^x = 8: 2 · 2 · 2 = 8, so x = 3
    assert said("logarithms") == [
        "The title reads: Logarithms.",
        "Axes appear and the curve y = log base 2 of x is drawn, rising ever more slowly.",
        "Dots mark (1, 0) and (2, 1) on it: the log of 1 is 0, and the log of 2 is 1.",
        "The equation 2 to the power x = 8 is written, then x = log base 2 of 8.",
        "By the change of base, x = ln 8 ÷ ln 2 = 3, and dashed guides mark the point (8, 3) "
        "on the curve.",
        "The check: 2 to the power 3 = 8; the answer is boxed.",
    ]


def test_logarithms_other_bases_and_values() -> None:
    # log10(20) / log10(3) = 1.30103 / 0.47712 = 2.7268: 3^2.73 is about 20
    sentences = said("logarithms", {"base": 3, "value": 20})
    assert "x = ln 20 ÷ ln 3 = 2.73" in sentences[4]
    assert sentences[5].startswith("The check: 3 to the power 2.73 ≈ 20;")
    # 2^-2 = 1/4
    assert "(0.25, -2)" in said("logarithms", {"base": 2, "value": 0.25})[4]
    # ln 5 = 1.6094 (tables)
    natural = said("logarithms", {"base": math.e, "value": 5})
    assert "curve y = ln x" in natural[1] and "x = ln 5 ÷ ln e = 1.61" in natural[4]


def test_logarithms_code_follows_an_edited_value() -> None:
    # A teacher who changes y to 81 and b to 3 gets x = 4 (3^4 = 81) and axes reaching past 81
    top = code_with("logarithms", None, {"b = 2  #": "b = 3  #", "y = 8  #": "y = 81  #"})
    assert top["x"] == pytest.approx(4)
    assert top["t_end"] >= 81 and top["h_high"] >= 4


def test_logarithms_read_from_prompts() -> None:
    assert extracted("logarithms", "solve 3^x = 81") == {"base": 3.0, "value": 81.0}
    assert extracted("logarithms", "log base 5 of 125") == {"base": 5.0, "value": 125.0}
    assert extracted("logarithms", "work out log2(32)") == {"base": 2.0, "value": 32.0}
    assert extracted("logarithms", "what is log 1000?") == {"base": 10.0, "value": 1000.0}
    assert extracted("logarithms", "ln(20) on a graph") == {"base": math.e, "value": 20.0}
    with pytest.raises(ChalkError, match="base"):
        render_template("logarithms", {"base": 1})


# ---------------------------------------------------------------- circle_theorems


def cosine_rule_angle(vertex, p, q) -> float:
    """The angle at `vertex` of triangle vertex-p-q from its three side lengths (degrees)."""
    a, b, c = math.dist(vertex, p), math.dist(vertex, q), math.dist(p, q)
    return math.degrees(math.acos((a * a + b * b - c * c) / (2 * a * b)))


@pytest.mark.parametrize("angle", [40, 65, 12])
def test_circle_centre_angle_is_twice_the_circumference_angle(angle: float) -> None:
    top = code_with("circle_theorems", {"angle": angle}, {})
    a, b, c = (tuple(top[k][:2]) for k in "ABC")
    o = tuple(top["centre_point"][:2])
    assert cosine_rule_angle(c, a, b) == pytest.approx(angle)
    assert cosine_rule_angle(o, a, b) == pytest.approx(2 * angle)
    assert math.dist(a, b) == pytest.approx(2 * top["R"] * math.sin(math.radians(angle)))


def test_circle_same_segment_and_semicircle_by_side_lengths() -> None:
    top = code_with("circle_theorems", {"theorem": "same_segment", "angle": 35}, {})
    a, b, c, d = (tuple(top[k][:2]) for k in "ABCD")
    assert cosine_rule_angle(c, a, b) == pytest.approx(35)
    assert cosine_rule_angle(d, a, b) == pytest.approx(35)
    top = code_with("circle_theorems", {"theorem": "semicircle", "angle": 30}, {})
    a, b, c = (tuple(top[k][:2]) for k in "ABC")
    # Pythagoras: CA² + CB² = AB², so the angle at C is 90°; tan(CAB) = CB / CA = tan 30°
    assert math.dist(c, a) ** 2 + math.dist(c, b) ** 2 == pytest.approx(math.dist(a, b) ** 2)
    assert math.dist(c, b) / math.dist(c, a) == pytest.approx(math.tan(math.radians(30)))


def test_circle_theorems_described_with_their_values() -> None:
    sentences = said("circle_theorems")
    assert sentences[2] == "Lines from C to A and B make the angle ACB, marked 40°."
    assert "angle AOB = 2 × 40° = 80°" in sentences[4]
    semicircle = said("circle_theorems", {"theorem": "semicircle", "angle": 30})
    assert "90°" in semicircle[2]
    assert semicircle[4].endswith("angle CBA = 180° - 90° - 30° = 60°.")
    edited = code_with("circle_theorems", None, {"angle = 40  #": "angle = 55  #"})
    a, b = (tuple(edited[k][:2]) for k in "AB")
    o = tuple(edited["centre_point"][:2])
    assert cosine_rule_angle(o, a, b) == pytest.approx(110)


def test_circle_theorems_read_from_prompts() -> None:
    assert extracted("circle_theorems", "the angle at the centre is 100 degrees") == {
        "theorem": "centre",
        "angle": 50.0,
    }
    assert extracted("circle_theorems", "angles in the same segment, 35°") == {
        "theorem": "same_segment",
        "angle": 35.0,
    }
    assert extracted("circle_theorems", "angle in a semicircle with 25° at A") == {
        "theorem": "semicircle",
        "angle": 25.0,
    }
    with pytest.raises(ChalkError, match="between 10 and 80"):
        render_template("circle_theorems", {"angle": 95})


# ---------------------------------------------------------------- graph_transformations


@pytest.mark.parametrize(
    ("params", "x", "expected", "point"),
    [
        # x² + 3 at 2 is 7; (1, 1) goes up to (1, 4)
        ({}, 2, 7, "(1, 1) on y = f(x) moves along an arrow to (1, 4)"),
        # (x + 2)² at 0 is 4; (1, 1) goes left to (-1, 1)
        ({"kind": "left", "amount": 2, "x_range": [-5, 3]}, 0, 4, "(1, 1)"),
        # 2 sin(π/2) = 2
        ({"expression": "sin(x)", "kind": "stretch_y", "amount": 2}, math.pi / 2, 2, "(1, 0.84)"),
        # sin(2 · π/4) = 1
        ({"expression": "sin(x)", "kind": "stretch_x", "amount": 2}, math.pi / 4, 1, "(0.5, 0.84)"),
        # -(2³ - 3·2) = -2
        ({"expression": "x^3 - 3x", "kind": "reflect_x", "x_range": [-3, 3]}, 2, -2, "(1, 2)"),
        # f(1) = 1 - 2 = -1 is g(-1); (1, -1) goes to (-1, -1)
        ({"expression": "x^2 - 2x", "kind": "reflect_y"}, -1, -1, "(-1, -1) on the new"),
    ],
)
def test_transformed_function_and_followed_point(params, x, expected, point) -> None:
    top = code_with("graph_transformations", params, {})
    assert float(top["g"](x)) == pytest.approx(expected)
    assert point in said("graph_transformations", params)[4]


def test_transformation_rules_in_words() -> None:
    assert said("graph_transformations")[2] == "The rule y = f(x) + 3 is written: up by 3."
    right = said("graph_transformations", {"kind": "left", "amount": -2})
    assert right[2] == "The rule y = f(x - 2) is written: right by 2."
    # A teacher who edits a to -1 in the code gets x² - 1: -1 at x = 0
    edited = code_with("graph_transformations", None, {"a = 3  #": "a = -1  #"})
    assert float(edited["g"](0)) == pytest.approx(-1)
    assert edited["y_low"] <= -1


def test_transformations_read_from_prompts() -> None:
    assert extracted("graph_transformations", "y = f(x) + 2 where f(x) = x^2") == {
        "kind": "up",
        "amount": 2.0,
        "expression": "x**2",
        "x_range": [-3.0, 3.0],
    }
    left = extracted("graph_transformations", "f(x - 3) for f(x) = x^2")
    assert left["kind"] == "left" and left["amount"] == -3.0
    stretch = extracted("graph_transformations", "stretch y = sin(x) vertically by 3")
    assert stretch["kind"] == "stretch_y" and stretch["amount"] == 3.0
    assert stretch["expression"] == "sin(x)"
    reflect = extracted("graph_transformations", "reflect y = x^2 - 4x in the x-axis")
    assert reflect["kind"] == "reflect_x" and reflect["expression"] == "x**2 - 4*x"
    down = extracted("graph_transformations", "move the graph of y = x^3 down 4")
    assert down["kind"] == "up" and down["amount"] == -4.0
    with pytest.raises(ChalkError, match="asymptote"):
        render_template("graph_transformations", {"expression": "1/x"})
    with pytest.raises(ChalkError, match="wider range"):
        render_template("graph_transformations", {"kind": "left", "amount": 10})


# ---------------------------------------------------------------- trig_graphs


def test_trig_default_worked_by_hand() -> None:
    # y = 2 sin(3x): period 360 / 3 = 120°, amplitude 2, top at x = 30°
    top = code_with("trig_graphs", None, {})
    assert top["y_of"](30) == pytest.approx(2)
    assert top["y_of"](120) == pytest.approx(0, abs=1e-9)
    sentences = said("trig_graphs")
    assert "formula y = 2 sin(3x)" in sentences[1]
    assert sentences[2].endswith("marks the amplitude: 2.")
    assert "from 0° to 120°" in sentences[3] and "360° ÷ 3 = 120°" in sentences[3]
    assert sentences[4].endswith("no phase shift.")


def test_trig_phase_and_tan() -> None:
    # y = 3 sin(2(x + 30°)): cycles start at -30 + 180k, the first at or after 0 is 150°
    sentences = said(
        "trig_graphs", {"function": "sin", "amplitude": 3, "period": 180, "phase": -30}
    )
    assert "y = 3 sin(2(x + 30°))" in sentences[1]
    assert "from 150° to 330°" in sentences[3]
    assert "a phase shift of 30° to the left" in sentences[4]
    top = code_with("trig_graphs", {"function": "cos", "period": 360, "phase": 60}, {})
    assert top["y_of"](60) == pytest.approx(2)  # cos 0 at x = 60°
    tan = code_with("trig_graphs", {"function": "tan", "amplitude": 1, "period": 180}, {})
    assert tan["y_of"](45) == pytest.approx(1)
    assert "180° ÷ 1 = 180°" in said("trig_graphs", {"function": "tan", "period": 180})[3]
    # Edited in the code to a period of 90°: B = 4, and sin(4 · 22.5°) = 1
    edited = code_with("trig_graphs", None, {"period = 120  #": "period = 90  #"})
    assert edited["B"] == 4 and edited["y_of"](22.5) == pytest.approx(2)


def test_trig_read_from_prompts() -> None:
    # A function named alone is that function, not the example's y = 2 sin(3x) ("2pi" is no
    # amplitude).
    assert extracted("trig_graphs", "What does the graph of cos(x) look like from 0 to 2pi?") == {
        "function": "cos",
        "amplitude": 1.0,
        "period": 360.0,
    }
    assert extracted("trig_graphs", "a tangent graph")["period"] == 180.0
    assert extracted("trig_graphs", "graph y = 3sin(2x)") == {
        "function": "sin",
        "amplitude": 3.0,
        "period": 180.0,
    }
    # 2(x - 30) written out as 2x - 60: the shift is 60 / 2 = 30° right
    assert extracted("trig_graphs", "y = 2cos(2x - 60)")["phase"] == 30.0
    assert extracted("trig_graphs", "y = sin(2(x + 45))")["phase"] == -45.0
    assert extracted("trig_graphs", "y = tan(x)")["period"] == 180.0
    assert extracted("trig_graphs", "cosine graph with amplitude 2 and period 720") == {
        "function": "cos",
        "amplitude": 2.0,
        "period": 720.0,
    }


# ---------------------------------------------------------------- probability_tree


def test_probability_tree_default_worked_by_hand() -> None:
    # 0.3 × 0.6 = 0.18, 0.3 × 0.4 = 0.12, 0.7 × 0.2 = 0.14, 0.7 × 0.8 = 0.56; total 1
    sentences = said("probability_tree")
    assert sentences[1] == (
        "Two branches leave the start: Rain with probability 0.3 and No rain with probability 0.7."
    )
    assert sentences[3] == (
        "Multiply along the branches: Rain then Late: 0.3 × 0.6 = 0.18; Rain then On time: "
        "0.3 × 0.4 = 0.12; No rain then Late: 0.7 × 0.2 = 0.14; No rain then On time: "
        "0.7 × 0.8 = 0.56."
    )
    assert sentences[4] == "The four products add up to 0.18 + 0.12 + 0.14 + 0.56 = 1, boxed."


def test_probability_tree_without_replacement_in_fractions() -> None:
    # 4 red, 6 blue, two taken without replacement: red first 4/10 = 2/5, then red 3/9 = 1/3;
    # blue first 3/5, then red 4/9; red-red 2/5 × 1/3 = 2/15, blue-blue 3/5 × 5/9 = 1/3
    params = extracted("probability_tree", "a bag of 4 red and 6 blue balls, without replacement")
    assert params["first"] == ["Red", "Blue"] and params["p_first"] == pytest.approx(0.4)
    assert params["p_second"] == [pytest.approx(1 / 3), pytest.approx(4 / 9)]
    sentences = said("probability_tree", params)
    assert "Red then Red: 2/5 × 1/3 = 2/15" in sentences[3]
    assert "Blue then Blue: 3/5 × 5/9 = 1/3" in sentences[3]
    assert sentences[4].endswith("= 1, boxed.")


def test_probability_tree_code_follows_edited_branches() -> None:
    top = code_with("probability_tree", None, {"p_first = 0.3  #": "p_first = 0.5  #"})
    # 0.5 × 0.6 = 0.3 and 0.5 × 0.2 = 0.1 for the two Late outcomes
    assert [float(o[4]) for o in top["outcomes"]] == pytest.approx([0.3, 0.2, 0.1, 0.4])
    assert top["total"] == 1


def test_probability_tree_read_from_prompts() -> None:
    assert extracted(
        "probability_tree", "P(rain) = 0.4, P(late | rain) = 0.7, P(late | no rain) = 0.1"
    ) == {"first": ["Rain", "Not rain"], "p_first": 0.4, "second": ["Late", "Not late"],
          "p_second": [0.7, 0.1]}  # fmt: skip
    independent = extracted(
        "probability_tree",
        "the probability of passing theory is 0.8, the probability of passing practical is 60%",
    )
    assert independent["p_first"] == 0.8 and independent["p_second"] == [0.6, 0.6]
    assert extracted("probability_tree", "two coins")["p_second"] == [0.5, 0.5]
    replaced = extracted("probability_tree", "3 green and 2 yellow counters, with replacement")
    assert replaced["p_first"] == pytest.approx(0.6) and replaced["p_second"] == [0.6, 0.6]


# ---------------------------------------------------------------- histogram_box_plot


def test_histogram_default_worked_by_hand() -> None:
    # 15 values: median the 8th, 15; lower half 3 5 7 8 12 13 14 → Q1 = 8; upper half
    # 18 21 24 25 28 33 38 → Q3 = 25. Classes: 0-10 has 3 5 7 8 (4, ÷ 10 = 0.4), 10-15 has
    # 12 13 14 (3, ÷ 5 = 0.6), 15-20 has 15 18 (0.4), 20-30 has 21 24 25 28 (0.4), 30-40 0.2
    sentences = said("histogram_box_plot")
    assert sentences[2] == (
        "For each class: 0 to 10: 4 ÷ 10 = 0.4; 10 to 15: 3 ÷ 5 = 0.6; 15 to 20: 2 ÷ 5 = 0.4; "
        "20 to 30: 4 ÷ 10 = 0.4; 30 to 40: 2 ÷ 10 = 0.2."
    )
    assert sentences[4] == "With n = 15 values, the median is 15; Q1 = 8 and Q3 = 25."
    assert "whiskers from 3 to 38, the box from 8 to 25" in sentences[5]
    assert sentences[6] == "IQR = 25 - 8 = 17, boxed."


def test_histogram_even_count_and_a_value_on_a_boundary() -> None:
    # 12 heights: median (163 + 165) / 2 = 164; Q1 = (158 + 160) / 2 = 159;
    # Q3 = (170 + 172) / 2 = 171; 160 and 170 count in the class above them
    params = registry()["histogram_box_plot"].variants[0]
    sentences = said("histogram_box_plot", params)
    assert sentences[4] == "With n = 12 values, the median is 164; Q1 = 159 and Q3 = 171."
    assert "150 to 160: 3 ÷ 10 = 0.3; 160 to 165: 3 ÷ 5 = 0.6" in sentences[2]
    assert "170 to 190: 4 ÷ 20 = 0.2" in sentences[2]
    # Edited in the code: the top value 181 becomes 189, so Q3 = (170 + 172) / 2 still, the
    # whisker reaches 189
    top = code_with("histogram_box_plot", params, {"175, 181]": "175, 189]"})
    assert top["q3"] == 171 and top["values"][-1] == 189


def test_histogram_read_from_prompts() -> None:
    # Numbers with nothing said of what they measure get a neutral label, not the example's.
    assert extracted("histogram_box_plot", "box plot of 3, 7, 8, 12, 15")["quantity"] == "Value"
    params = extracted(
        "histogram_box_plot",
        "histogram of heights 150, 152, 160, 171, 165, 158 cm with classes 150-160, 160-170, "
        "170-180",
    )
    assert params == {
        "data": [150.0, 152.0, 160.0, 171.0, 165.0, 158.0],
        "boundaries": [150.0, 160.0, 170.0, 180.0],
        "quantity": "Heights (cm)",
    }
    # class width 10 from 0 past 34: 0, 10, 20, 30, 40
    widths = extracted("histogram_box_plot", "histogram of 2, 3, 5, 8, 13, 21, 34, class width 10")
    assert widths["boundaries"] == [0.0, 10.0, 20.0, 30.0, 40.0]
    with pytest.raises(ChalkError, match="Every value must lie in a class"):
        render_template("histogram_box_plot", {"data": [1, 2, 3, 4, 50]})
