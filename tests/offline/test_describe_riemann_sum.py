"""riemann_sum describes itself with the values its video shows, checked against answers
worked out by hand (not by the template's own helpers)."""

from __future__ import annotations

from app.generators.offline import render_template


def test_the_default_sum_of_x_squared_on_0_3() -> None:
    # Left sums of x² on [0, 3]: n = 6 → 0.5·(0 + .25 + 1 + 2.25 + 4 + 6.25) = 6.875;
    # n = 12 → (1/4)³·Σi² (i < 12) = 506/64 = 7.906; n = 24 → 4324/512 = 8.445; ∫ = 9.
    said = render_template("riemann_sum").description
    assert said[1] == "Axes appear with the curve y = x² from x = 0 to x = 3, labelled f(x) = x²."
    assert "6 rectangles" in said[2] and "about 6.875 (n = 6)" in said[2]
    assert said[3:] == [
        "With 12 thinner rectangles the sum is about 7.906.",
        "With 24 thinner rectangles the sum is about 8.445.",
        "The exact area is 9.000.",
    ]


def test_a_curve_below_the_axis_has_a_net_area_and_a_key() -> None:
    # x³ - 2x is odd, so on [-2, 2] the net area is 0; the left sum with n = 4 (width 1) is
    # f(-2) + f(-1) + f(0) + f(1) = -4 + 1 + 0 - 1 = -4, n = 8: 0.5·Σ f(-2 + k/2) = -2.
    said = render_template(
        "riemann_sum", {"expression": "x^3 - 2x", "x_range": [-2, 2], "n": 4}
    ).description
    assert "y = x³ - 2x from x = -2 to x = 2" in said[1]
    assert "about -4.000 (n = 4)" in said[2]
    assert any("+ area" in s and "- area" in s for s in said)
    assert "With 8 thinner rectangles the sum is about -2.000." in said
    assert said[-1] == "The net area is 0.000."
