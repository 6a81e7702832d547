"""The planner routes teacher phrasings to the right template with the right parameters."""

from __future__ import annotations

import ast
import math
import re

import pytest

from app.core.policy import check_code
from app.errors import ChalkError
from app.generators.offline import generate, list_templates, plan, render_template
from app.generators.offline.catalogue import SUBJECTS, TEMPLATE_MODULES, registry
from app.generators.offline.planner import plan_with_notes
from app.generators.offline.topics import uncovered
from tests.offline.prompts import CASES, OUT_OF_SCOPE


def matches(expected: object, actual: object) -> bool:
    """Expected ⊆ actual: numbers within 1e-3, lists element-wise, dicts on the listed keys."""
    if isinstance(expected, bool) or expected is None:
        return expected == actual
    if isinstance(expected, (int, float)):
        return isinstance(actual, (int, float)) and math.isclose(
            expected, actual, rel_tol=1e-3, abs_tol=1e-3
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(expected) == len(actual)
            and all(matches(e, a) for e, a in zip(expected, actual, strict=True))
        )
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            key in actual and matches(value, actual[key]) for key, value in expected.items()
        )
    return expected == actual


def test_the_suite_is_big_enough_and_covers_every_template():
    assert len(CASES) + len(OUT_OF_SCOPE) >= 120
    assert len(OUT_OF_SCOPE) >= 10
    per_template = {t: sum(c.template == t for c in CASES) for t in registry()}
    assert min(per_template.values()) >= 3, per_template


@pytest.mark.parametrize("case", CASES, ids=[c.prompt[:60] for c in CASES])
def test_prompt_routes_to_template_with_parameters(case):
    template_id, params = plan(case.prompt)
    assert template_id == case.template
    assert matches(case.params, params), params


@pytest.mark.parametrize("prompt", OUT_OF_SCOPE)
def test_out_of_scope_prompt_is_refused_with_three_suggestions(prompt):
    with pytest.raises(ChalkError) as caught:
        generate(prompt)
    error = caught.value
    assert error.kind == "no_template"
    assert len(error.suggestions) == 3
    assert set(error.suggestions) <= set(registry())
    assert error.message.count(".") == 1 and error.message.endswith(".")  # one sentence


def test_suggestions_are_the_nearest_templates():
    with pytest.raises(ChalkError) as caught:
        plan("tell me something about triangles and circles")
    assert "triangle_angle_sum" in caught.value.suggestions or "circle_area" in (
        caught.value.suggestions
    )


def test_empty_prompt_is_a_validation_error():
    with pytest.raises(ChalkError) as caught:
        plan("   ")
    assert caught.value.kind == "validation"


def test_title_bullets_only_when_a_slide_or_summary_is_asked_for():
    for prompt in ["Explain photosynthesis", "The French Revolution", "Tell me about Rome"]:
        with pytest.raises(ChalkError):
            plan(prompt)
    assert plan("Make a summary slide about photosynthesis")[0] == "title_bullets"


def test_generate_returns_the_contract_fields():
    generation = generate("Plot y = x^2 - 4x + 3 from -1 to 5")
    assert generation.generator == "offline:function_graph"
    assert generation.template == "function_graph"
    assert generation.params == {"expression": "x**2 - 4*x + 3", "x_range": [-1.0, 5.0]}
    assert generation.code.startswith(
        '# Chalk template: function_graph\n# Parameters: {"expression": "x**2 - 4*x + 3", '
        '"x_range": [-1.0, 5.0]}\nfrom manim import *\n'
    )
    assert "class FunctionGraph(Scene):" in generation.code


def test_bad_parameters_in_a_prompt_are_a_generation_error():
    with pytest.raises(ChalkError) as caught:
        generate("simple pendulum of length 500 m")
    assert caught.value.kind == "generation"
    assert "length" in caught.value.message


def test_notes_explain_what_the_planner_changed():
    generation = generate("binary search for 4 in [7, 1, 4, 9, 3]")
    assert generation.params["values"] == [1, 3, 4, 7, 9]
    assert any("sorted" in note for note in generation.notes)


def test_catalogue_lists_every_template_with_metadata():
    templates = list_templates()
    assert [t.id for t in templates] == list(registry())
    assert len(templates) == len(TEMPLATE_MODULES)
    for info in templates:
        data = info.to_json()
        assert set(data) == {"id", "title", "subject", "example_prompt", "params", "thumbnail"}
        assert info.subject in SUBJECTS
        assert plan(info.example_prompt)[0] == info.id  # the example prompt really works


HOSTILE_PROMPTS = [
    "plot __import__('os').system('rm -rf /')",
    "graph y = ().__class__.__bases__[0]",
    "plot y = exec('print(1)') from 0 to 1",
    "derivative of open('/etc/passwd')",
    'make a title slide "x"); import os; os.system("ls"); (" with bullets: a, b',
    "bar chart: __class__ 3, __globals__ 4",
    "venn diagram with A = {__import__, eval, 3} and B = {3, 4}",
]


@pytest.mark.parametrize("prompt", HOSTILE_PROMPTS)
def test_hostile_prompts_never_become_code(prompt):
    try:
        generation = generate(prompt)
    except ChalkError as exc:
        assert exc.kind in ("no_template", "generation")
        return
    tree = ast.parse(generation.code)
    reference = ast.parse(render_template(generation.template).code)

    def imports(module: ast.Module) -> list[str]:
        return [
            ast.dump(node) for node in module.body if isinstance(node, (ast.Import, ast.ImportFrom))
        ]

    assert imports(tree) == imports(reference)
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    assert not names & {"os", "exec", "eval", "open", "system", "__import__"}
    assert "__" not in generation.code
    check_code(generation.code, max_bytes=64_000)


@pytest.mark.parametrize(
    ("prompt", "topic"),
    [
        ("snell's law: refraction of light into a glass block", "refraction and lenses"),
        ("scatter graph of heights 150, 152, 160 and shoe sizes 5, 6, 8", "scatter graphs"),
        ("diffraction of a wave through a gap", "diffraction"),
        ("electric field lines around a point charge", "fields"),
        ("vectors in 3D: add (1, 2, 3) and (0, 1, 1)", "3D drawings"),
        # The tree would be the template's own example (rain, then late), not the spinner.
        ("probability tree for two spins of a spinner", "spinners"),
    ],
)
def test_a_prompt_naming_a_topic_its_best_template_does_not_draw_is_refused(prompt, topic):
    # Each would otherwise become a neighbour's video: a bar chart, one wave, a histogram ...
    with pytest.raises(ChalkError) as refused:
        plan(prompt)
    assert refused.value.kind == "no_template"
    assert f"do not draw {topic} yet" in refused.value.message
    assert len(refused.value.suggestions) == 3


def test_a_template_whose_triggers_name_the_topic_covers_it():
    histogram = [(re.compile(r"\bhistograms?\b"), 8)]
    assert uncovered("a histogram of heights", histogram) is None
    assert uncovered("a histogram of heights", [(re.compile(r"\bbar chart\b"), 8)]) == "histograms"
    assert uncovered("a histogram", [(re.compile(r"histogram"), -3)]) == "histograms"  # a veto


def test_topics_a_new_template_draws_now_route_to_it():
    # Refused before issue 16's second maths block; each now has a template of its own
    assert plan("histogram of the heights 150, 152, 160, 171, 165 cm")[0] == "histogram_box_plot"
    assert plan("probability tree diagram for two coin tosses")[0] == "probability_tree"
    assert plan("circle theorems: the angle at the centre")[0] == "circle_theorems"
    assert plan("logarithms: solve 2^x = 32")[0] == "logarithms"


def test_a_slide_of_the_teachers_words_may_be_about_any_topic():
    assert plan("Make a summary slide about photosynthesis and mitosis")[0] == "title_bullets"


def test_the_defaults_a_prompt_left_out_are_named_as_the_form_names_them():
    _, _, notes = plan_with_notes("Animate a pendulum")
    assert notes[0] == (
        "Not in the prompt, so the template's defaults were used: Length (m): 2; "
        "Release angle (°): 30."
    )
    _, _, notes = plan_with_notes("Animate a 3 m pendulum released from 20 degrees")
    assert not any("defaults were used" in note for note in notes)


@pytest.mark.parametrize(
    ("prompt", "template_id"),
    [
        ("interference pattern of two waves", "wave_interference"),
        ("plot the normal distribution bell curve", "normal_distribution"),
        ("a block on an inclined plane", "forces_free_body"),
        ("a planet orbiting a star", "circular_orbit"),
        ("complex numbers on an Argand diagram", "complex_numbers"),
        ("shortest path on a weighted graph", "dijkstra_shortest_path"),
    ],
)
def test_topics_refused_before_now_route_to_the_template_that_draws_them(prompt, template_id):
    assert plan(prompt)[0] == template_id
