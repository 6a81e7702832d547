"""Physics, CS and general templates describe themselves with the values their videos show,
checked against answers worked out by hand (not by the templates' own helpers).

projectile_motion, pendulum, transverse_wave, sorting_algorithm, binary_search, graph_traversal,
shape_transform, title_bullets.
"""

from __future__ import annotations

import pytest

from app.generators.offline import render_template
from app.generators.offline.templates import sorting_algorithm
from tests.offline.test_templates import run

MINE = [
    "projectile_motion",
    "pendulum",
    "transverse_wave",
    "sorting_algorithm",
    "binary_search",
    "graph_traversal",
    "shape_transform",
    "title_bullets",
]


def said(template_id: str, params: dict | None = None) -> list[str]:
    return render_template(template_id, params).description


# ---------------------------------------------------------------- projectile_motion


def test_projectile_defaults():
    # 20 m/s at 45°: vx = vy = 20/√2 = 14.142; time = 2·14.142/9.8 = 2.886 → 2.9 s;
    # height = 14.142²/19.6 = 200/19.6 = 10.204 → 10.2 m; range = 400/9.8 = 40.816 → 40.8 m.
    # The flight (2.886 s) is between 2.5 and 6 s, so it plays in real time.
    text = said("projectile_motion")
    assert text[0] == "The title reads: Projectile motion."
    assert "An arrow shows the launch: 20 m/s at 45° above the ground." in text
    assert any("in real time" in s for s in text)
    assert "The time of flight is 2.9 s and the max height is 10.2 m." in text
    assert text[-1] == "An arrow along the ground shows the range: 40.8 m."


def test_projectile_slow_and_flat():
    # 8 m/s at 20°: vy = 8·0.34202 = 2.736; time = 5.472/9.8 = 0.558 → 0.6 s;
    # height = 2.736²/19.6 = 7.487/19.6 = 0.382 → 0.4 m; range = 64·sin 40°/9.8
    # = 64·0.64279/9.8 = 4.198 → 4.2 m. 0.56 s is too quick for real time (slowed to 2.5 s).
    text = said("projectile_motion", {"speed": 8, "angle_deg": 20})
    assert "An arrow shows the launch: 8 m/s at 20° above the ground." in text
    assert not any("real time" in s for s in text)
    assert "The time of flight is 0.6 s and the max height is 0.4 m." in text
    assert text[-1] == "An arrow along the ground shows the range: 4.2 m."


# ---------------------------------------------------------------- pendulum


def test_pendulum_defaults():
    # L = 2 m: T = 2π√(2/9.8) = 2π·0.45175 = 2.838 → 2.84 s. Released at 30° (0.5236 rad) the
    # true period is longer: T·(1 + θ²/16 + 11θ⁴/3072) = 2.838·1.01740 = 2.888 → 2.89 s.
    # Shown for round(2.2·2.838, 1) = 6.2 s.
    text = said("pendulum")
    assert text[0] == "The title reads: A simple pendulum."
    assert "pulled 30° to the side" in text[1] and "L = 2 m" in text[1]
    assert "out to 30° on each side for 6.2 seconds in real time" in text[3]
    assert text[-2] == "The small-angle formula gives the period: T ≈ 2π√(L / g) = 2.84 s."
    assert text[-1] == "The period measured in the simulation is T = 2.89 s."


def test_pendulum_short_and_long():
    # L = 0.5 m, 10°: T = 2π√(0.5/9.8) = 2π·0.22588 = 1.419 → 1.42 s; at 10° the correction
    # is 1 + 0.1745²/16 = 1.0019 → 1.422 → 1.42 s; 2.2·1.419 = 3.1 < 6, so 6 s are shown.
    text = said("pendulum", {"length": 0.5, "amplitude_deg": 10})
    assert "L = 0.5 m" in text[1]
    assert "for 6 seconds" in text[3]
    assert text[-2].endswith("= 1.42 s.")
    assert text[-1] == "The period measured in the simulation is T = 1.42 s."
    # L = 8 m, 75°: T = 2π√(8/9.8) = 5.677 → 5.68 s; the exact large-swing period is
    # 4√(L/g)·K(k), k = sin 37.5° = 0.6088, K = 1.7577 → 4·0.9035·1.7577 = 6.352 → 6.35 s.
    text = said("pendulum", {"length": 8, "amplitude_deg": 75})
    assert text[-2].endswith("= 5.68 s.")
    assert text[-1] == "The period measured in the simulation is T = 6.35 s."


def test_pendulum_measures_what_the_video_measures():
    # The host simulation agrees with the emitted one (run without Manim).
    namespace = run("pendulum", {"length": 1.3, "amplitude_deg": 55})
    measured = namespace["measured_period"](namespace["angles"])
    assert said("pendulum", {"length": 1.3, "amplitude_deg": 55})[-1].endswith(
        f"T = {measured:.2f} s."
    )


# ---------------------------------------------------------------- transverse_wave


def test_wave_defaults():
    # λ = 2, A = 1, T = 2 s fixed: v = λ/T = 2/2 = 1.
    text = said("transverse_wave")
    assert text[0] == "The title reads: A transverse wave."
    assert "A brace from one crest to the next marks the wavelength: λ = 2." in text
    assert "An arrow from the rest line up to a crest marks the amplitude: A = 1." in text
    assert text[-1] == "The result reads: T = 2 s and v = λ / T = 1 units/s."


def test_wave_values_shown_to_two_decimals():
    # λ = 5, A = 0.5: v = 5/2 = 2.5.
    assert said("transverse_wave", {"amplitude": 0.5, "wavelength": 5})[-1] == (
        "The result reads: T = 2 s and v = λ / T = 2.5 units/s."
    )
    # A = 0.125 shows as 0.12 (two decimals, a tie rounds to even); λ = 0.3: v = 0.15.
    text = said("transverse_wave", {"amplitude": 0.125, "wavelength": 0.3})
    assert "An arrow from the rest line up to a crest marks the amplitude: A = 0.12." in text
    assert "A brace from one crest to the next marks the wavelength: λ = 0.3." in text
    assert text[-1] == "The result reads: T = 2 s and v = λ / T = 0.15 units/s."


# ---------------------------------------------------------------- sorting_algorithm


def test_bubble_sort_defaults():
    # [5, 1, 4, 2, 8]. Pass 1: 5>1 swap, 5>4 swap, 5>2 swap, 5<8 → 1 4 2 5 8 (4 compares,
    # 3 swaps). Pass 2: 1<4, 4>2 swap, 4<5 → 1 2 4 5 8 (3, 1). Pass 3: 1<2, 2<4, no swap: stop.
    # Totals 4+3+2 = 9 comparisons, 4 swaps.
    text = said("sorting_algorithm")
    assert text[0] == "The title reads: Bubble sort."
    assert text[2] == "5 bars appear, as tall as their values: 5, 1, 4, 2, 8."
    assert text[4:] == [
        "Pass 1: 4 comparisons and 3 swaps leave 1, 4, 2, 5, 8.",
        "Pass 2: 3 comparisons and 1 swap leave 1, 2, 4, 5, 8.",
        "Pass 3: 2 comparisons and no swaps, so the bars are in order.",
        "All the bars are marked sorted and Sorted! appears: 1, 2, 4, 5, 8, "
        "after 9 comparisons and 4 swaps.",
    ]


def test_insertion_sort():
    # [9, 3, 7, 1, 6, 2]: 3 passes 9 (1 swap); 7 passes 9, stops at 3 (1); 1 passes 9, 7, 3
    # (3); 6 passes 9, 7, stops at 3 (2); 2 passes 9, 7, 6, 3, stops at 1 (4).
    # Comparisons 1 + 2 + 3 + 3 + 5 = 14, swaps 1 + 1 + 3 + 2 + 4 = 11.
    text = said("sorting_algorithm", {"algorithm": "insertion", "values": [9, 3, 7, 1, 6, 2]})
    assert text[4:] == [
        "3 slides left past 1 bigger value: 3, 9, 7, 1, 6, 2.",
        "7 slides left past 1 bigger value: 3, 7, 9, 1, 6, 2.",
        "1 slides left past 3 bigger values: 1, 3, 7, 9, 6, 2.",
        "6 slides left past 2 bigger values: 1, 3, 6, 7, 9, 2.",
        "2 slides left past 4 bigger values: 1, 2, 3, 6, 7, 9.",
        "All the bars are marked sorted and Sorted! appears: 1, 2, 3, 6, 7, 9, "
        "after 14 comparisons and 11 swaps.",
    ]
    # [4, 6, 5]: 6 is not smaller than 4 (1 compare); 5 passes 6, stops at 4 (2 compares).
    text = said("sorting_algorithm", {"algorithm": "insertion", "values": [4, 6, 5]})
    assert text[4:6] == [
        "6 stays where it is, since 4 is not bigger.",
        "5 slides left past 1 bigger value: 4, 5, 6.",
    ]
    assert text[-1].endswith("after 3 comparisons and 1 swap.")


def test_selection_sort():
    # [64, 25, 12, 22, 11, 90, 3, 47]: smallest 3 ↔ 64; 11 ↔ 25; 12, 22, 25 in place;
    # 47 ↔ 90; 64 in place. Comparisons 7+6+5+4+3+2+1 = 28, swaps 3.
    values = [64, 25, 12, 22, 11, 90, 3, 47]
    text = said("sorting_algorithm", {"algorithm": "selection", "values": values})
    assert text[4:] == [
        "The smallest unsorted value is 3; it swaps with 64: 3, 25, 12, 22, 11, 90, 64, 47.",
        "The smallest unsorted value is 11; it swaps with 25: 3, 11, 12, 22, 25, 90, 64, 47.",
        "The smallest unsorted value is 12, already in place.",
        "The smallest unsorted value is 22, already in place.",
        "The smallest unsorted value is 25, already in place.",
        "The smallest unsorted value is 47; it swaps with 90: 3, 11, 12, 22, 25, 47, 64, 90.",
        "The smallest unsorted value is 64, already in place.",
        "All the bars are marked sorted and Sorted! appears: 3, 11, 12, 22, 25, 47, 64, 90, "
        "after 28 comparisons and 3 swaps.",
    ]


@pytest.mark.parametrize("algorithm", ["bubble", "insertion", "selection"])
@pytest.mark.parametrize(
    "values", [[5, 1, 4, 2, 8], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0], [1, 2, 3], [3, 3, 1, 2.5]]
)
def test_sort_rounds_join_up_to_the_emitted_steps(algorithm, values):
    emitted = run("sorting_algorithm", {"algorithm": algorithm, "values": values})
    rounds = sorting_algorithm.sort_passes(algorithm, values)
    assert [step for r in rounds for step in r.steps] == emitted["sort_steps"](values)


# ---------------------------------------------------------------- binary_search


def test_binary_search_defaults():
    # 23 in [2, 5, 8, 12, 16, 23, 38, 56, 72, 91]: middle (0+9)//2 = 4 → 16 < 23, right;
    # (5+9)//2 = 7 → 56 > 23, left; (5+6)//2 = 5 → 23, found at position 5. 3 checks.
    text = said("binary_search")
    assert text == [
        "The title reads: Binary search for 23.",
        "A row of 10 boxes holds the sorted list 2, 5, 8, 12, 16, 23, 38, 56, 72, 91, "
        "with positions 0 to 9 underneath.",
        "Check 1: low points at position 0 and high at 9; the middle is position 4, holding 16.",
        "16 < 23: the target must be to the right, so positions 0 to 4 are set aside.",
        "Check 2: low points at position 5 and high at 9; the middle is position 7, holding 56.",
        "56 > 23: the target must be to the left, so positions 7 to 9 are set aside.",
        "Check 3: low points at position 5 and high at 6; the middle is position 5, holding 23.",
        "23 = 23: found it at position 5.",
        "A summary says 3 checks for 10 items.",
    ]


def test_binary_search_missing_target():
    # 35 in [10, 20, 30, 40, 50, 60]: (0+5)//2 = 2 → 30 < 35; (3+5)//2 = 4 → 50 > 35;
    # low = high = 3 → 40 > 35; high = 2 < low: not there. 3 checks.
    text = said("binary_search", {"values": [10, 20, 30, 40, 50, 60], "target": 35})
    assert text[2:] == [
        "Check 1: low points at position 0 and high at 5; the middle is position 2, holding 30.",
        "30 < 35: the target must be to the right, so positions 0 to 2 are set aside.",
        "Check 2: low points at position 3 and high at 5; the middle is position 4, holding 50.",
        "50 > 35: the target must be to the left, so positions 4 to 5 are set aside.",
        "Check 3: low and high both point at position 3, the middle, holding 40.",
        "40 > 35: the target must be to the left, so position 3 is set aside.",
        "35 is not in the list.",
        "A summary says 3 checks for 6 items.",
    ]


# ---------------------------------------------------------------- graph_traversal


def test_breadth_first_defaults():
    # Queue from A: take A, add B C; take B, add D E; take C, add F G; D adds nothing;
    # E adds H; F's H is already waiting; G; H.
    text = said("graph_traversal")
    assert text[0] == "The title reads: Breadth-first search."
    assert "edges join A to B and C, B to D and E, C to F and G, E to H and F to H" in text[1]
    assert "queue (front first)" in text[2] and "oldest" in text[2]
    assert text[4:] == [
        "Visit 1: A, the start; the queue holds B, C.",
        "Visit 2: B, reached from A; the queue holds C, D, E.",
        "Visit 3: C, reached from A; the queue holds D, E, F, G.",
        "Visit 4: D, reached from B; the queue holds E, F, G.",
        "Visit 5: E, reached from B; the queue holds F, G, H.",
        "Visit 6: F, reached from C; the queue holds G, H.",
        "Visit 7: G, reached from C; the queue holds H.",
        "Visit 8: H, reached from E; the queue is empty.",
        "The visit order reads A, B, C, D, E, F, G, H.",
    ]


def test_depth_first():
    # Stack (top first) from A: A pushes C then B → B C; B pushes E, D → D E C; D adds
    # nothing → E C; E pushes H → H C; H pushes F → F C; F pushes C again → C (the copy
    # reached from F is on top, so C is reached from F); C pushes G → G; G → empty.
    text = said("graph_traversal", {"algorithm": "dfs"})
    assert text[0] == "The title reads: Depth-first search."
    assert "stack (top first)" in text[2] and "newest" in text[2]
    assert text[4:] == [
        "Visit 1: A, the start; the stack holds B, C.",
        "Visit 2: B, reached from A; the stack holds D, E, C.",
        "Visit 3: D, reached from B; the stack holds E, C.",
        "Visit 4: E, reached from B; the stack holds H, C.",
        "Visit 5: H, reached from E; the stack holds F, C.",
        "Visit 6: F, reached from H; the stack holds C.",
        "Visit 7: C, reached from F; the stack holds G.",
        "Visit 8: G, reached from C; the stack is empty.",
        "The visit order reads A, B, D, E, H, F, C, G.",
    ]


# ---------------------------------------------------------------- shape_transform


def test_square_to_circle():
    assert said("shape_transform") == [
        "The title reads: From a square to a circle.",
        "A square is drawn and filled in, labelled Square, with the note: 4 equal sides.",
        "It morphs smoothly into a circle, and the label changes to Circle, with the note: "
        "no corners: one curved side.",
        "The circle turns a quarter turn.",
        "It morphs back into a square, then into a circle again.",
    ]


def test_hexagon_to_rectangle_and_articles():
    text = said("shape_transform", {"from_shape": "hexagon", "to_shape": "rectangle"})
    assert text[1] == "A hexagon is drawn and filled in, labelled Hexagon, with the note: 6 sides."
    assert (
        "the label changes to Rectangle, with the note: 4 sides, opposite sides equal." in (text[2])
    )
    # The title is quoted as the video writes it; the describing sentences say "an".
    text = said("shape_transform", {"from_shape": "octagon", "to_shape": "ellipse"})
    assert text[0] == "The title reads: From a octagon to a ellipse."
    assert text[1].startswith("An octagon is drawn")
    assert text[-1] == "It morphs back into an octagon, then into an ellipse again."


# ---------------------------------------------------------------- title_bullets


def test_title_and_bullets_defaults():
    assert said("title_bullets") == [
        "The title reads: Photosynthesis.",
        "A line is drawn under it, and 3 bullet points appear one at a time.",
        "Point 1: Plants capture energy from sunlight.",
        "Point 2: They take in water and carbon dioxide.",
        "Point 3: They make glucose and release oxygen.",
    ]


def test_title_alone_and_teacher_punctuation():
    assert said("title_bullets", {"title": "The Water Cycle", "bullets": []}) == [
        "A title in the middle of the screen, underlined, reads: The Water Cycle."
    ]
    assert said("title_bullets", {"title": "Why is the sky blue?", "bullets": ["Scattering."]}) == [
        "The title reads: Why is the sky blue?",
        "A line is drawn under it, and a bullet point appears.",
        "Point 1: Scattering.",
    ]
