"""A prompt that asks for two or three things becomes that many scenes, each routed with its own
values; a prompt that asks for one thing in words like "and" or "then" is never cut."""

from __future__ import annotations

import pytest

from app.generators.offline import plan
from app.generators.offline.asks import asks
from tests.offline.ask_cases import (
    HELD_OUT_ONE_ASK,
    HELD_OUT_TWO_ASKS,
    ONE_ASK,
    TWO_ASKS,
    TwoAsks,
)
from tests.offline.prompts import CASES
from tests.offline.test_planner import matches


def test_the_cases_are_enough():
    assert len(TWO_ASKS) >= 15 and len(ONE_ASK) >= 15
    assert any(len(case.scenes) == 3 for case in TWO_ASKS)


SEVERAL = TWO_ASKS + HELD_OUT_TWO_ASKS
ONE = ONE_ASK + HELD_OUT_ONE_ASK


@pytest.mark.parametrize("case", SEVERAL, ids=[c.prompt[:50] for c in SEVERAL])
def test_a_prompt_that_asks_for_several_things_is_a_scene_per_ask(case: TwoAsks):
    found = asks(case.prompt)
    assert found is not None, "not cut"
    assert len(found) == len(case.scenes), [a.text for a in found]
    for scene, ask in zip(case.scenes, found, strict=True):
        assert ask.template_id in scene.templates, ask.text
        assert matches(scene.params, ask.params), (ask.text, ask.params)
        # The scene's own prompt routes there by itself: a job plans it again.
        assert plan(ask.text) == (ask.template_id, ask.params)


@pytest.mark.parametrize("prompt", ONE)
def test_a_prompt_that_asks_for_one_thing_is_never_cut(prompt: str):
    assert asks(prompt) is None


def test_a_part_that_points_back_at_nothing_is_not_a_scene():
    # "its" names nothing another part gives: the prompt stays one ask.
    assert asks("Flip a coin 30 times, then show its average") is None


def test_a_part_takes_the_function_another_part_names():
    first, second = asks("graph y = 2x + 1, then show its gradient") or []
    assert (first.text, second.text) == (
        "graph y = 2x + 1",
        "show the gradient of the line y = 2x + 1",
    )
    # Without a word pointing back, a template that draws a function still takes the prompt's
    # (and its range), never its own default curve.
    *_, last = (
        asks(
            "Draw y = x^3, then shade the area under it from 0 to 1; then approximate "
            "the area with 4 rectangles"
        )
        or []
    )
    assert last.text == "approximate the area with 4 rectangles, for y = x^3 from 0 to 1"
    assert (last.params["expression"], last.params["x_range"]) == ("x**3", [0.0, 1.0])


def test_a_continuation_of_one_ask_is_not_a_second_scene():
    # The same template again with nothing of its own, or a part only the other names.
    assert asks("Bubble sort 5, 1, 4, 2, 8 and then show the sorted list") is None
    assert asks("Show the area under x^2 between 0 and 3 and then shade it") is None


def test_no_prompt_of_the_planners_own_suite_is_cut():
    # Each asks for one template's video, some with ";" between their values.
    cut = [case.prompt for case in CASES if asks(case.prompt) is not None]
    assert cut == []
