"""The template engine names the parts of a prompt it did not use, and never a part it used."""

from __future__ import annotations

import pytest

from app.errors import ChalkError
from app.generators.offline import generate, reading_of
from app.generators.offline.catalogue import registry
from app.generators.offline.leftover import label_in_words, unused_sentence
from app.generators.offline.planner import read
from app.pipeline.job import run_job
from app.pipeline.stages import RENDERING
from tests.offline.prompts import CASES


def test_no_example_prompt_or_planner_phrasing_has_a_part_named_unused():
    # Each of these is read in full by its template: any phrase named would be a false claim.
    prompts = [template.example_prompt for template in registry().values()]
    prompts += [case.prompt for case in CASES]
    claimed = {prompt: read(prompt).unused for prompt in prompts}
    assert {prompt: named for prompt, named in claimed.items() if named} == {}


@pytest.mark.parametrize(
    ("prompt", "template", "named"),
    [
        (
            "Plot y = x^2 - 4x + 3 from -1 to 5 and show the axis of symmetry",
            "function_graph",
            ["the axis of symmetry"],
        ),
        (
            "Animate a 2 m pendulum released from 30 degrees with the energy transfer",
            "pendulum",
            ["the energy transfer"],
        ),
        (
            "A ball is launched at 20 m/s at 45 degrees; show its trajectory including air "
            "resistance",
            "projectile_motion",
            ["air resistance"],
        ),
        (
            "Add the vectors (3, 1) and (1, 2) tip to tail and their dot product",
            "vector_addition",
            ["their dot product"],
        ),
        (
            "Solve x^2 - 5x + 6 = 0 with the quadratic formula then complete the square",
            "quadratic_formula",
            ["complete the square"],
        ),
        (
            "Show a transverse wave with amplitude 1 and wavelength 2 and its polarisation",
            "transverse_wave",
            ["its polarisation"],
        ),
    ],
)
def test_an_ask_the_template_does_not_draw_is_named(prompt, template, named):
    reading = read(prompt)
    assert reading.template_id == template
    assert reading.unused == named


@pytest.mark.parametrize(
    "prompt",
    [
        # The ask shares its clause with values the template read: it may be what they are.
        "Show the axis of symmetry of y = x^2 from -3 to 3",
        # Words of asking, audience and manner are not asks.
        "Please animate y = x^2 from -2 to 2 for my year 9 students, nice and slowly",
        # Spoken maths and numbers are read, not left over.
        "plot x squared minus 4 from -3 to 3",
        # Quoted text is the teacher's own; the slide template shows whatever it names.
        'A title slide "Photosynthesis" with bullets: light, water, carbon dioxide',
        # Known words the template puts side by side (its formula has a square root).
        "Solve x^2 - 5x + 6 = 0 with the quadratic formula and the square root",
    ],
)
def test_what_was_read_or_is_only_asking_is_never_named(prompt):
    assert read(prompt).unused == []


def test_the_sentence_says_what_was_used_then_what_was_not():
    reading = read("Plot y = x^2 - 4x + 3 from -1 to 5 and show the axis of symmetry")
    assert reading.unused_note == (
        "I used the function of x and the range of x; "
        "'the axis of symmetry' is not something this template shows."
    )
    assert unused_sentence([], ["a", "b"]) == "'a' and 'b' are not things this template shows."
    assert unused_sentence(["range of x"], ["a", "b", "c"]) == (
        "I used the range of x; 'a', 'b' and 'c' are not things this template shows."
    )
    assert unused_sentence(["range of x"], []) is None
    assert read("Plot y = x^2 from -2 to 2").unused_note is None


def test_labels_read_as_part_of_a_sentence():
    assert label_in_words("Range of x") == "range of x"
    assert label_in_words("a (the number before x²; not 0)") == "value of a"
    assert label_in_words("Launch speed (m/s)") == "launch speed"


def test_the_generation_carries_the_unused_parts_and_the_reading_is_cached():
    prompt = "Animate a 2 m pendulum released from 30 degrees with the energy transfer"
    assert generate(prompt).unused == ["the energy transfer"]
    assert reading_of(prompt) is reading_of(prompt)
    assert reading_of("Explain the causes of the French Revolution") is None
    with pytest.raises(ChalkError):
        read("Explain the causes of the French Revolution")


def test_a_job_result_reports_the_unused_parts_even_when_it_stops_before_rendering(tmp_path):
    def stop_at_render(stage: str) -> None:
        if stage == RENDERING:
            raise ChalkError("cancelled", "Cancelled.")

    result = run_job(
        prompt="Plot y = x^2 - 4x + 3 from -1 to 5 and show the axis of symmetry",
        generator="offline",
        on_stage=stop_at_render,
        out=tmp_path / "never.mp4",
    )
    data = result.to_json()
    assert data["template"] == "function_graph"
    assert data["unused"] == ["the axis of symmetry"]
    assert data["video"] is None
