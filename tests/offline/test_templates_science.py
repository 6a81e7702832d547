"""The physics and chemistry templates of issue 16 show the right science, say it in their
descriptions, read teachers' prompts, and emit honest code.

Every expected value here is worked by hand in the comment beside it (never by the template's
own helpers). Emitted code is never run in-process: "honest code" is checked by editing the
teacher's inputs at the top of the default code and comparing with the code built for those
inputs (so nothing below the inputs was computed on the host), and the values that follow are
checked through the description. The render tests (test_render_templates.py) check that the
video really shows the described values.
"""

from __future__ import annotations

import re

import pytest

from app.errors import ChalkError
from app.generators.offline import controls, plan, render_template
from app.generators.offline.catalogue import registry
from app.generators.offline.extract import Prompt

MINE = ["newtons_second_law"]


def said(template_id: str, params: dict | None = None) -> list[str]:
    return render_template(template_id, params).description


def code(template_id: str, params: dict | None = None) -> str:
    return render_template(template_id, params).code


def with_inputs(source: str, **lines: str) -> str:
    """The code with each `name = ...` input line at the top replaced by `name = value`."""
    for name, value in lines.items():
        source, count = re.subn(
            rf"^{re.escape(name)} = [^#\n]*?(\s*#)",
            rf"{name} = {value}\1",
            source,
            count=1,
            flags=re.M,
        )
        assert count == 1, name
    return source


def extracted(template_id: str, prompt: str) -> dict:
    return registry()[template_id].extract(Prompt(prompt))


# ---------------------------------------------------------------- every template of this file


@pytest.mark.parametrize("template_id", MINE)
def test_controls_match_what_validate_accepts(template_id):
    template = registry()[template_id]
    assert set(template.controls) == set(template.defaults)
    for name, control in template.controls.items():
        if not isinstance(control, controls.Number):
            continue
        for edge, past in ((control.low, control.low - 0.01), (control.high, control.high + 0.01)):
            params = {**template.defaults, name: edge}
            assert template.validate(dict(params), [])[name] == pytest.approx(edge)
            with pytest.raises(ChalkError) as caught:
                template.validate({**template.defaults, name: past}, [])
            assert caught.value.kind == "generation"
            assert caught.value.message.endswith(".")


# ---------------------------------------------------------------- newtons_second_law


def test_newton_defaults():
    # m = 2 kg, F = 10 N, friction 4 N: W = 2 × 9.8 = 19.6 N = normal force;
    # F_net = 10 − 4 = 6 N; a = 6 / 2 = 3 m/s²; after 3 s, v = 3 × 3 = 9 m/s (readout 9.00).
    text = said("newtons_second_law")
    assert text[0] == "The title reads: Newton's second law: F = ma."
    assert text[1] == "A cart of mass 2 kg stands on level ground."
    assert text[2] == (
        "Arrows show the forces on it: the applied force of 10 N to the right, friction of 4 N "
        "to the left, its weight of 19.6 N down and the normal force of 19.6 N up."
    )
    assert text[3] == "The net force is F minus f: 10 − 4 = 6 N."
    assert text[4] == "So the acceleration is a = net force / m = 6 / 2 = 3 m/s²."
    assert "speeds up for 3 seconds in real time" in text[5]
    assert text[6] == "Finally v = a t = 3 × 3 = 9 m/s (the readout shows 9.00)."


def test_newton_without_friction_and_with_fractions():
    # 0.5 kg, 3 N, 1.25 N friction, 2 s: W = 4.9 N; F_net = 1.75 N; a = 1.75 / 0.5 = 3.5;
    # v = 3.5 × 2 = 7 m/s.
    text = said("newtons_second_law", {"mass": 0.5, "force": 3, "friction": 1.25, "seconds": 2})
    assert "weight of 4.9 N down" in text[2]
    assert "The net force is F minus f: 3 − 1.25 = 1.75 N." in text
    assert "So the acceleration is a = net force / m = 1.75 / 0.5 = 3.5 m/s²." in text
    assert text[-1] == "Finally v = a t = 3.5 × 2 = 7 m/s (the readout shows 7.00)."
    # 5 kg, 20 N, no friction, 4 s: W = 49 N; a = 20 / 5 = 4; v = 16 m/s; no friction arrow.
    text = said("newtons_second_law", {"mass": 5, "force": 20, "friction": 0, "seconds": 4})
    assert "friction" not in text[2] and "weight of 49 N" in text[2]
    assert "With no friction the net force is the push: 20 N." in text
    assert text[-1] == "Finally v = a t = 4 × 4 = 16 m/s (the readout shows 16.00)."


def test_newton_friction_larger_than_the_push_keeps_the_cart_at_rest():
    # 15 N push, up to 20 N of friction: friction matches the push (15 N), F_net = 0, a = 0.
    generation = render_template(
        "newtons_second_law", {"mass": 10, "force": 15, "friction": 20, "seconds": 3}
    )
    text = generation.description
    assert any("up to 20 N of friction" in s and "so it is 15 N" in s for s in text)
    assert "The net force is F minus f: 15 − 15 = 0 N." in text
    assert any("stays at rest" in s for s in text)
    assert text[-1] == "Finally v = a t = 0 × 3 = 0 m/s (the readout shows 0.00)."
    assert any("stays at rest" in note for note in generation.notes)


def test_newton_code_computes_everything_from_its_inputs():
    # Editing the four numbers at the top gives exactly the code built for those numbers:
    # nothing below them (labels, arrow lengths, a, v) was worked out on the host.
    default = code("newtons_second_law")
    assert re.search(r"^m = 2\.0  # mass", default, re.M)
    assert "a = F_net / m" in default and "friction_acting = min(friction, F)" in default
    edited = with_inputs(default, m="4.0", F="30.0", friction="6.0", seconds="5.0")
    params = {"mass": 4, "force": 30, "friction": 6, "seconds": 5}
    assert edited == code("newtons_second_law", params)
    # and what that video says follows: F_net = 24 N, a = 24 / 4 = 6, v = 6 × 5 = 30.
    text = said("newtons_second_law", params)
    assert "So the acceleration is a = net force / m = 24 / 4 = 6 m/s²." in text
    assert text[-1] == "Finally v = a t = 6 × 5 = 30 m/s (the readout shows 30.00)."
    for host_value in ("19.6", "9.00", "= 3"):
        assert host_value not in default.split("class NewtonsSecondLaw")[1]


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("a 5 kg cart pushed by a 20 N force", {"mass": 5, "force": 20, "friction": 0}),
        (
            "pulled with 12 N against 2 N of friction, mass 3",
            {"mass": 3, "force": 12, "friction": 2},
        ),
        ("friction of 4 N; a 2 kg cart, F = 9 N", {"mass": 2, "force": 9, "friction": 4}),
        # μ m g = 0.25 × 4 × 9.8 = 9.8 N
        (
            "4 kg box, 20 N push, coefficient of friction 0.25",
            {"mass": 4, "friction": 9.8, "force": 20},
        ),
        (
            "push a cart with 6 newtons on a frictionless track for 4 s",
            {"force": 6, "friction": 0, "seconds": 4},
        ),
        ("Newton's second law with a cart", {}),
    ],
)
def test_newton_extract(prompt, expected):
    found = extracted("newtons_second_law", prompt)
    assert found == pytest.approx(expected)


def test_newton_routing_keeps_other_laws_out():
    assert plan("Newton's second law with a cart")[0] == "newtons_second_law"
    with pytest.raises(ChalkError):
        plan("Explain Newton's third law")
