"""The narrate("...") convention: asked for by the LLM prompt, accepted by the policy and left
alone by the fixer."""

from __future__ import annotations

from app.core import policy
from app.core.fixer import fix_code
from app.generators.llm import system_prompt
from tests.conftest import scene_code


def test_llm_prompt_asks_for_one_narrate_call_per_step(settings):
    text = system_prompt("16:9", settings)
    assert 'narrate("...")' in text and "each visual step" in text
    assert "do not import" in text and "no LaTeX, markup or symbols" in text
    assert text.count('narrate("...")') == 1  # one paragraph says it


def test_policy_accepts_and_fixer_keeps_narrate_calls():
    code = scene_code("narrated_scene")
    assert policy.check_code(code).scenes == ["Main"]
    fixed = fix_code(code)
    assert fixed.code == code and fixed.fixes == []
