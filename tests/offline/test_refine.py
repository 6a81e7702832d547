"""Refine by instruction: template code changes as the teacher says, or is refused in one
sentence; never a half-applied change, a silent no-op or a clamped value."""

from __future__ import annotations

import dataclasses
import re

import pytest

from app.generators.offline import origin, render_template
from app.generators.offline.catalogue import registry
from app.generators.offline.controls import Choice, Number, Toggle
from app.generators.offline.refine import EDITED, NOT_A_TEMPLATE, label, refine
from tests.offline.refine_cases import (
    CHANGES,
    FAMILIES,
    HELD_OUT,
    REFUSALS,
    Change,
    Refusal,
    outcome,
)


def says(change: str, before: float, after: float) -> bool:
    """A change sentence from `before` to `after`, whatever the label and unit."""
    return re.search(rf"\b{before:g}\b.* → .*\b{after:g}\b", change) is not None


def test_every_template_is_in_one_family():
    listed = [template for family in FAMILIES.values() for template in family]
    assert sorted(listed) == sorted(registry()) and len(listed) == len(set(listed))


def test_every_family_has_changes_and_refusals():
    for family, templates in FAMILIES.items():
        assert any(c.template in templates for c in CHANGES), family
        assert any(r.template in templates for r in REFUSALS), family


@pytest.mark.parametrize("case", CHANGES, ids=lambda c: f"{c.template}: {c.instruction}")
def test_instruction_changes_exactly_its_values(case: Change):
    verdict, detail = outcome(case)
    assert verdict == "right", detail


@pytest.mark.parametrize("case", REFUSALS, ids=lambda r: f"{r.template}: {r.instruction}")
def test_instruction_the_template_cannot_show_is_refused(case: Refusal):
    verdict, detail = outcome(case)
    assert verdict == "right", detail
    # One sentence: a single full stop, at the end.
    assert detail.endswith(".") and detail.count(". ") == 0, detail


@pytest.mark.parametrize("case", HELD_OUT, ids=lambda c: f"{c.template}: {c.instruction}")
def test_held_out_instruction_is_never_a_wrong_change(case: Change | Refusal):
    verdict, detail = outcome(case)
    assert verdict != "wrong", detail


def test_a_number_the_reader_skips_refuses_the_change():
    # number_line's reader takes "2.5 and -3" from "1, 2.5 and -3": the 1 would be lost.
    result = refine(render_template("number_line").code, "plot 1, 2.5 and -3")
    assert result.status == "refused" and "“1”" in result.message


def test_refined_code_is_the_templates_own_and_can_be_refined_again():
    first = refine(render_template("projectile_motion").code, "double the speed")
    assert first.changed and len(first.changes) == 1 and says(first.changes[0], 20, 40)
    assert first.code == render_template("projectile_motion", {"speed": 40}).code
    found = origin(first.code)
    assert found is not None and not found.edited and found.params["speed"] == 40
    second = refine(first.code, "launch at 30 degrees")
    assert second.changed and second.params == {"speed": 40.0, "angle_deg": 30.0}


def test_a_refusal_names_what_the_template_can_change():
    result = refine(render_template("pendulum").code, "slower")
    assert result.status == "refused" and result.code == render_template("pendulum").code
    assert "“slower”" in result.message
    template = registry()["pendulum"]
    assert result.options == [label(template, name) for name in template.defaults]
    assert all(option.lower() in result.message.lower() for option in result.options)


def test_a_value_past_the_limit_is_refused_with_the_limit_not_clamped():
    result = refine(render_template("projectile_motion").code, "speed 300")
    assert result.status == "refused"
    assert "300" in result.message and re.search(r"\b1\b.*\b200\b", result.message)


def test_half_of_an_instruction_is_never_applied():
    result = refine(render_template("projectile_motion").code, "speed 30 and make it red")
    assert result.status == "refused" and result.params["speed"] == 20.0
    assert "red" in result.message


def test_asking_for_what_the_video_already_shows_is_said():
    result = refine(render_template("projectile_motion").code, "speed 20")
    assert result.status == "refused"
    assert result.message.startswith("The video already has") and "20" in result.message


def test_aspect_words_are_a_render_option_in_the_changes():
    code = render_template("pendulum").code
    result = refine(code, "make it portrait", aspect="16:9")
    assert result.changed and result.aspect == "9:16" and result.code == code
    assert result.changes == ["aspect: landscape (16:9) → portrait (9:16)"]
    assert refine(code, "portrait and square").status == "refused"
    assert refine(code, "portrait", aspect="9:16").status == "refused"  # already portrait


def test_code_without_a_header_is_not_refined_offline():
    result = refine("from manim import *\n\nclass S(Scene):\n    pass\n", "faster")
    assert result.status == "refused" and result.message == NOT_A_TEMPLATE
    assert result.template is None


def test_edited_template_code_is_not_refined_offline():
    code = render_template("pendulum").code.replace("self.wait(", "self.wait(1 + ", 1)
    assert code != render_template("pendulum").code
    result = refine(code, "make it longer")
    assert result.status == "refused" and result.message == EDITED
    assert result.template == "pendulum" and result.code == code


def test_an_empty_instruction_asks_what_to_change():
    result = refine(render_template("pendulum").code, "   ")
    assert result.status == "refused" and "what to change" in result.message


@pytest.fixture
def with_controls(monkeypatch):
    """Give one template CONTROLS (labels, units, limits, a toggle) the way templates will."""

    def install(template_id: str, controls: dict, defaults: dict | None = None) -> None:
        catalogue = registry()
        changed = dataclasses.replace(
            catalogue[template_id],
            controls=controls,
            defaults=defaults or catalogue[template_id].defaults,
        )
        monkeypatch.setitem(catalogue, template_id, changed)

    return install


def test_controls_give_labels_units_and_limits(with_controls):
    with_controls(
        "projectile_motion",
        {
            "speed": Number("Launch speed", 1, 60, unit="m/s"),
            "angle_deg": Number("Launch angle", 5, 85, unit="°"),
        },
    )
    code = render_template("projectile_motion").code
    result = refine(code, "faster launch")
    assert result.changed and result.changes == ["Launch speed: 20 m/s → 30 m/s"]
    refused = refine(code, "speed 90")
    assert refused.status == "refused"
    assert refused.message == (
        "Launch speed can go from 1 m/s to 60 m/s, and 90 m/s is past that, so nothing was changed."
    )


def test_a_label_word_finds_a_parameter_its_name_does_not(with_controls):
    with_controls(
        "riemann_sum",
        {"n": Number("Number of rectangles", 1, 50, integer=True)},
    )
    code = render_template("riemann_sum").code
    assert refine(code, "triple the rectangles").params["n"] == 18
    assert refine(code, "set the number of rectangles to 10").params["n"] == 10


def test_a_toggle_turns_on_and_off(with_controls, monkeypatch):
    template = registry()["pendulum"]
    validate = template.validate

    def validate_with_steps(params: dict, notes: list[str]) -> dict:
        steps = bool(params.pop("show_steps"))
        return {**validate(params, notes), "show_steps": steps}

    with_controls(
        "pendulum",
        {"show_steps": Toggle("Show the steps")},
        defaults={**template.defaults, "show_steps": True},
    )
    monkeypatch.setitem(
        registry(),
        "pendulum",
        dataclasses.replace(registry()["pendulum"], validate=validate_with_steps),
    )
    code = render_template("pendulum").code
    result = refine(code, "hide the steps")
    assert result.changed and result.params["show_steps"] is False
    assert refine(result.code, "show the steps").params["show_steps"] is True


def test_a_value_two_parameters_take_goes_where_the_label_names_it(with_controls):
    shapes = ("square", "circle", "triangle", "pentagon", "hexagon", "star")
    with_controls(
        "shape_transform",
        {"from_shape": Choice("Start shape", shapes), "to_shape": Choice("End shape", shapes)},
    )
    code = render_template("shape_transform").code
    result = refine(code, "end shape pentagon")
    assert result.changed and result.changes == ["End shape: circle → pentagon"]
    asked = refine(code, "a pentagon")
    assert asked.status == "refused"
    assert asked.message == (
        "“pentagon” could be the start shape or the end shape; say which, for example "
        "“end shape pentagon”."
    )


def test_the_templates_notes_on_the_new_values_come_back():
    result = refine(render_template("binary_search").code, "search for 9 in 9, 3, 7")
    assert result.changed and result.params["values"] == [3, 7, 9]
    assert result.notes and "sorted" in result.notes[0]


def test_an_instruction_too_long_to_be_one_change_is_refused_whole():
    result = refine(render_template("pendulum").code, "make it longer " + "please " * 80)
    assert result.status == "refused" and "characters" in result.message
