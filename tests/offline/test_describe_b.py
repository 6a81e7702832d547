"""Group b templates describe themselves with the values their videos show, checked against
answers worked out by hand (not by the templates' own helpers)."""

from __future__ import annotations

from app.generators.offline import render_template


def said(template_id: str, params: dict | None = None) -> list[str]:
    return render_template(template_id, params).description


# number_line


def test_number_line_default_jumps_from_minus_3_by_5() -> None:
    # -3 + 5 = 2. The line covers -3..2 and 0: a step of 1 (span 7 / 12 ticks → 1), one step
    # of margin each side → -4 to 3.
    assert said("number_line") == [
        "The title reads: Adding and subtracting on a number line.",
        "A number line appears, numbered from -4 to 3 in steps of 1.",
        "The question -3 + 5 = ? appears above the line.",
        "A dot marks the start, -3.",
        "A jump of +5 to the right lands on 2.",
        "The answer replaces the question mark: -3 + 5 = 2.",
    ]


def test_number_line_subtracting_jumps_left_and_a_negative_jumps_right() -> None:
    # 4 - 7 = -3 (left), -3 - (-2) = -1 (right), -1 + 2.5 = 1.5 (right).
    sentences = said("number_line", {"values": [], "operation": "4 - 7 - (-2) + 2.5"})
    assert sentences[2] == "The question 4 - 7 - (-2) + 2.5 = ? appears above the line."
    assert sentences[3:] == [
        "A dot marks the start, 4.",
        "A jump of -7 to the left lands on -3.",
        "A jump of +2 to the right lands on -1.",
        "A jump of +2.5 to the right lands on 1.5.",
        "The answer replaces the question mark: 4 - 7 - (-2) + 2.5 = 1.5.",
    ]


def test_number_line_values_in_order_given_then_sorted() -> None:
    # Sorted [4, -2.5, 1.5, 0] is [-2.5, 0, 1.5, 4]; the line spans -2.5..4 → step 1, -4 to 5.
    assert said("number_line", {"values": [4, -2.5, 1.5, 0], "operation": ""}) == [
        "The title reads: Numbers on a number line.",
        "A number line appears, numbered from -4 to 5 in steps of 1.",
        "Dots mark the values one at a time, in the order given: 4, -2.5, 1.5, 0.",
        "Above the line they are put in order: -2.5 < 0 < 1.5 < 4.",
        "An arrow under the line points from smaller to larger.",
    ]


# fractions


def test_fractions_default_adds_a_half_and_a_third() -> None:
    # lcm(2, 3) = 6: 1/2 = 3/6, 1/3 = 2/6, 3 + 2 = 5 pieces → 5/6 (gcd 1, no reduction).
    assert said("fractions") == [
        "The title reads: Adding fractions.",
        "A bar for 1/2 appears: 2 equal pieces, 1 shaded.",
        "A bar for 1/3 appears: 3 equal pieces, 1 shaded.",
        "A note reads: Cut both bars into 6 equal pieces.",
        "The bars are recut and relabelled 3/6 and 2/6.",
        "The shaded pieces move end to end into a result bar of 6 pieces: 5 pieces shaded.",
        "The equation reads: 1/2 + 1/3 = 5/6.",
    ]


def test_fractions_a_sum_above_one_needs_two_bars() -> None:
    # 5/6 + 3/4: lcm 12, 10/12 + 9/12 = 19/12 > 1 → 2 result bars; gcd(19, 12) = 1.
    sentences = said("fractions", {"fractions": ["5/6", "3/4"], "operation": "add"})
    assert sentences[-2:] == [
        "The shaded pieces move end to end into 2 result bars of 12 pieces: 19 pieces shaded.",
        "The equation reads: 5/6 + 3/4 = 19/12.",
    ]


def test_fractions_compare_and_subtract() -> None:
    # 3/4 = 9/12 > 2/3 = 8/12.
    compare = said("fractions", {"fractions": ["3/4", "2/3"], "operation": "compare"})
    assert "The bars are recut and relabelled 9/12 and 8/12." in compare
    assert compare[-1] == "The comparison reads: 3/4 > 2/3."
    # 1/2 - 1/6 (given smaller first, so swapped): 3/6 - 1/6 = 2/6 = 1/3; one piece removed.
    subtract = said("fractions", {"fractions": ["1/6", "1/2"], "operation": "subtract"})
    assert subtract[0] == "The title reads: Subtracting fractions."
    assert subtract[-2:] == [
        "In the first bar the last shaded piece is marked taken away, then emptied.",
        "The equation reads: 1/2 - 1/6 = 2/6 = 1/3.",
    ]


def test_fractions_show_says_parts_of_each() -> None:
    sentences = said("fractions", {"fractions": ["2/4", "3/5"], "operation": "show"})
    assert sentences[0] == "The title reads: What a fraction means."
    assert "A bar for 2/4 appears: 4 equal pieces, 2 shaded." in sentences
    assert sentences[-1] == "Under the bars: 2 of 4 equal parts; 3 of 5 equal parts."
    assert not any("Cut both" in s for s in sentences)


# circle_area


def test_circle_area_default_radius_2() -> None:
    # π·2² = 12.566… → 12.57.
    sentences = said("circle_area")
    assert sentences[1] == ("A circle is cut into 16 equal slices, and its radius is marked r = 2.")
    assert sentences[-2:] == [
        "The formula reads: A = πr × r = πr².",
        "With the numbers: π × 2² ≈ 12.57.",
    ]


def test_circle_area_half_and_large_radii() -> None:
    # π·0.5² = 0.7854 → 0.79; π·2.5² = 19.635 → 19.63 or 19.64? 19.6349… → 19.63.
    assert said("circle_area", {"radius": 0.5})[-1] == "With the numbers: π × 0.5² ≈ 0.79."
    assert said("circle_area", {"radius": 2.5})[-1] == "With the numbers: π × 2.5² ≈ 19.63."
    # π·10² = 314.159… → 314.16.
    assert said("circle_area", {"radius": 10})[-1] == "With the numbers: π × 10² ≈ 314.16."


# triangle_angle_sum


def test_triangle_angles_are_55_65_60() -> None:
    # The triangle is built with angles 55° and 65° at the base, so the top is 180 - 120 = 60°.
    sentences = said("triangle_angle_sum")
    assert sentences[0] == "The title reads: The angles of a triangle add up to 180°."
    assert "Their sizes are listed: a = 55°, b = 65°, c = 60°." in sentences
    assert sentences[-2:] == [
        "The sum reads: 55° + 65° + 60° = 180°.",
        "The rule reads: a + b + c = 180°.",
    ]


def test_triangle_says_marks_not_colours() -> None:
    text = " ".join(said("triangle_angle_sum")).lower()
    assert "one arc" in text and "two arcs" in text and "three arcs" in text
    assert "parallel" in text
    assert not any(colour in text for colour in ("red", "blue", "green", "yellow", "orange"))


# vector_addition


def test_vector_addition_default() -> None:
    # (3, 1) + (1, 2) = (4, 3), length √(16 + 9) = 5. Points 0, (3,1), (1,2), (4,3): x -1..5,
    # y -1..4.
    assert said("vector_addition") == [
        "The title reads: Adding vectors tip to tail.",
        "A grid appears with x from -1 to 5 and y from -1 to 4, numbered every 1.",
        "Vector u = (3, 1) is drawn as an arrow from the origin.",
        "Vector v = (1, 2) is drawn as an arrow from the origin.",
        "Tip to tail: v slides to start at the tip of u, (3, 1).",
        "The resultant u + v = (4, 3) is drawn from the origin to the last tip.",
        "Its length, by Pythagoras: √(4² + 3²) ≈ 5.",
    ]


def test_vector_addition_three_vectors_with_a_negative_total() -> None:
    # (2, 3) + (3, -1) = (5, 2); + (-1, -3) = (4, -1). Length √(16 + 1) = √17 = 4.123 → 4.12.
    sentences = said("vector_addition", {"vectors": [[2, 3], [3, -1], [-1, -3]]})
    assert "Tip to tail: w slides to start at the tip of v, (5, 2)." in sentences
    assert sentences[-2:] == [
        "The resultant u + v + w = (4, -1) is drawn from the origin to the last tip.",
        "Its length, by Pythagoras: √(4² + (-1)²) ≈ 4.12.",
    ]


def test_vector_addition_decimals() -> None:
    # (1.5, -0.25) + (-3, 2) = (-1.5, 1.75); length √(2.25 + 3.0625) = √5.3125 = 2.3049 → 2.3.
    sentences = said("vector_addition", {"vectors": [[1.5, -0.25], [-3, 2]]})
    assert "Vector u = (1.5, -0.25) is drawn as an arrow from the origin." in sentences
    assert sentences[-1] == "Its length, by Pythagoras: √((-1.5)² + 1.75²) ≈ 2.3."


# matrix_transformation


def test_matrix_default_shear() -> None:
    # Columns of [[1, 1], [0, 1]]: i-hat → (1, 0), j-hat → (1, 1); det = 1·1 - 1·0 = 1.
    sentences = said("matrix_transformation")
    assert sentences[2] == (
        "A panel on the right shows the title Matrix transformation and the matrix with rows "
        "(1, 1) and (0, 1)."
    )
    assert sentences[-2:] == [
        "The panel reads: i-hat goes to (1, 0) and j-hat goes to (1, 1).",
        "It then reads: det = 1, the area of the shaded square.",
    ]
    assert "flip" not in sentences[3]


def test_matrix_with_negative_determinant_flips() -> None:
    # [[2, 1], [1, -1.5]]: det = 2·(-1.5) - 1·1 = -4; i-hat → (2, 1), j-hat → (1, -1.5).
    sentences = said("matrix_transformation", {"matrix": [[2, 1], [1, -1.5]]})
    assert "flipping the grid over" in sentences[3]
    assert sentences[-2:] == [
        "The panel reads: i-hat goes to (2, 1) and j-hat goes to (1, -1.5).",
        "It then reads: det = -4, the area of the shaded square.",
    ]


def test_matrix_singular_and_rounded() -> None:
    # [[1, 2], [2, 4]]: det = 4 - 4 = 0, rows are multiples → the plane collapses onto a line.
    singular = said("matrix_transformation", {"matrix": [[1, 2], [2, 4]]})
    assert "onto a line" in singular[3] and singular[-1].startswith("It then reads: det = 0,")
    # Rotation by 45°: 0.7071 → 0.71; det = 0.7071² + 0.7071² = 1.0000 → 1.
    rotation = said("matrix_transformation", {"matrix": [[0.7071, -0.7071], [0.7071, 0.7071]]})
    assert rotation[-2:] == [
        "The panel reads: i-hat goes to (0.71, 0.71) and j-hat goes to (-0.71, 0.71).",
        "It then reads: det = 1, the area of the shaded square.",
    ]


# probability_coin_flips
# The flips come from Python's random with seed 7, as the emitted scene does: the first 20 are
# T H T H H H T H H H H T T H H H T H H H (14 heads), checked by running
# random.seed(7); [random.choice("HT") for _ in range(20)] by hand.


def test_coin_flips_default_twenty() -> None:
    sentences = said("probability_coin_flips")
    assert sentences[0] == "The title reads: Flipping a coin 20 times."
    assert sentences[3] == (
        "Coins appear one by one in rows of 8, each marked H for heads or T for tails: "
        "T, H, T, H, H, H, T, H, H, H, H, T, T, H, H, H, T, H, H, H."
    )
    # 14 of 20 = 0.70
    assert "The counters end at heads 14, tails 6." in sentences
    assert "The result reads: heads: 14 of 20 = 0.70." in sentences


def test_coin_flips_six_and_many() -> None:
    # The first 6 of the same sequence: T H T H H H → 4 heads, 4/6 = 0.67.
    six = said("probability_coin_flips", {"flips": 6})
    assert six[3].endswith("T, H, T, H, H, H.")
    assert "The result reads: heads: 4 of 6 = 0.67." in six
    # 100 flips: only 40 coins are drawn; 51 heads (seed 7, by hand) → 0.51.
    many = said("probability_coin_flips", {"flips": 100})
    assert many[3].startswith("The first 40 flips appear as coins")
    assert len(many[3].split(": ")[1].split(", ")) == 40
    assert "The result reads: heads: 51 of 100 = 0.51." in many


# bar_chart


def test_bar_chart_default_fruits() -> None:
    # Largest 7 → step 2 (7/5 = 1.4 → 2), top = ceil(7·1.12 / 2)·2 = 8.
    assert said("bar_chart") == [
        "The title reads: Bar chart.",
        "Axes appear with the values up the side, from 0 to 8, numbered every 2.",
        "Labels along the bottom: Apples, Bananas, Cherries, Grapes.",
        "4 bars grow from the bottom, one per label.",
        "Each bar's value appears on top: Apples 5, Bananas 3, Cherries 7, Grapes 4.",
        "The largest bar, Cherries, is highlighted; a note reads: Largest: Cherries (7).",
    ]


def test_bar_chart_decimals_and_a_tie() -> None:
    # Largest 0.6 → step 0.2 (0.12 → 0.2), top = ceil(0.672 / 0.2)·0.2 = 0.8, one decimal.
    sentences = said("bar_chart", {"labels": ["Solar", "Wind"], "values": [0.35, 0.6]})
    assert (
        sentences[1]
        == "Axes appear with the values up the side, from 0 to 0.8, numbered every 0.2."
    )
    assert sentences[4] == "Each bar's value appears on top: Solar 0.35, Wind 0.6."
    # A tie: the first of the largest is named.
    tie = said("bar_chart", {"labels": ["A", "B", "C"], "values": [3, 9, 9]})
    assert tie[-1] == "The largest bar, B, is highlighted; a note reads: Largest: B (9)."


# venn_diagram


def test_venn_default_multiples_of_2_and_3() -> None:
    # Multiples of 6 up to 20 are in both: 6, 12, 18; of 2 only: 2 4 8 10 14 16 20; of 3 only:
    # 3 9 15.
    assert said("venn_diagram") == [
        "The title reads: Venn diagram.",
        "Two overlapping circles appear, named Multiples of 2 and Multiples of 3.",
        "In Multiples of 2 only: 2, 4, 8, 10, 14, 16, 20.",
        "In both: 6, 12, 18.",
        "In Multiples of 3 only: 3, 9, 15.",
        "Where all the circles overlap is highlighted, with the caption: In both: 6, 12, 18.",
    ]


def test_venn_three_sets_and_empty_sets() -> None:
    # A = {1,2,3,4}, B = {3,4,5,6}, C = {4,6,7,1}: 4 is in all; 1 in A and C; 3 in A and B;
    # 6 in B and C; 2, 5, 7 in one set each.
    sentences = said(
        "venn_diagram",
        {
            "sets": [
                {"name": "A", "items": ["1", "2", "3", "4"]},
                {"name": "B", "items": ["3", "4", "5", "6"]},
                {"name": "C", "items": ["4", "6", "7", "1"]},
            ]
        },
    )
    assert sentences[1] == "Three overlapping circles appear in a triangle, named A, B and C."
    assert set(sentences[2:-1]) == {
        "In A and C only: 1.",
        "In A only: 2.",
        "In A and B only: 3.",
        "In all three: 4.",
        "In B only: 5.",
        "In B and C only: 6.",
        "In C only: 7.",
    }
    assert sentences[-1].endswith("with the caption: In all three: 4.")
    empty = said("venn_diagram", {"sets": [{"name": "Cats", "items": []}, "Dogs"]})
    assert empty[2] == "The regions are labelled: only Cats, only Dogs, both."
    assert empty[-1].endswith("with the caption: The overlap: in every set at once.")
