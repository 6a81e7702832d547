"""The AI path of "Change it": the model gets the code, the instruction and the layout verdict,
and its new version passes the static policy before anyone sees it."""

from __future__ import annotations

import json

import pytest

from app.errors import ChalkError
from app.generators.llm import REFINE_NO_CODE, refine_code
from app.generators.offline import render_template
from tests.fake_llm import reply
from tests.llm.conftest import SECRET
from tests.llm.test_llm_client import chalk, llm_env

CODE = (
    "from manim import *\n\n\nclass Lesson(Scene):\n    def construct(self):\n        self.wait()\n"
)
CHANGED = CODE.replace("self.wait()", "self.play(Create(Circle()))")


def test_the_model_gets_code_instruction_and_layout_verdict(fake_llm, llm_settings):
    fake_llm.script(reply(f"Here it is:\n```python\n{CHANGED}```"))
    new = refine_code(
        CODE,
        "add a circle",
        aspect="9:16",
        settings=llm_settings,
        layout_warnings=["The title runs off the top edge."],
    )
    assert new == CHANGED
    (request,) = fake_llm.chat_requests
    system, user = request["body"]["messages"]
    assert system["role"] == "system" and "Manim Community" in system["content"]
    assert "self.wait()" in user["content"] and "add a circle" in user["content"]
    assert "- The title runs off the top edge." in user["content"]
    assert "9:16" in user["content"]


def test_an_answer_without_code_is_one_sentence(fake_llm, llm_settings):
    fake_llm.script(reply("I would rather not."))
    with pytest.raises(ChalkError) as caught:
        refine_code(CODE, "add a circle", aspect="16:9", settings=llm_settings)
    assert caught.value.kind == "generation" and caught.value.message == REFINE_NO_CODE


def test_code_the_policy_refuses_never_reaches_the_teacher(fake_llm, llm_settings):
    fake_llm.script(reply(f"```python\nimport os\n{CHANGED}```"))
    with pytest.raises(ChalkError) as caught:
        refine_code(CODE, "add a circle", aspect="16:9", settings=llm_settings)
    assert caught.value.kind == "validation"


def test_cli_refine_sends_code_no_template_made_to_the_ai_model(fake_llm, tmp_path):
    source = tmp_path / "lesson.py"
    source.write_text(CODE)
    fake_llm.script(reply(f"```python\n{CHANGED}```"))
    proc = chalk(
        "refine", "--code", str(source), "add a circle", "--json", env=llm_env(fake_llm, tmp_path)
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["status"] == "changed" and data["code"] == CHANGED
    assert data["generator"] == "llm:fake-model" and data["template"] is None
    assert "-        self.wait()\n+        self.play(Create(Circle()))" in data["diff"]
    assert SECRET not in proc.stdout + proc.stderr


def test_cli_refine_keeps_template_code_offline_unless_asked(fake_llm, tmp_path):
    source = tmp_path / "pendulum.py"
    source.write_text(render_template("pendulum").code)
    env = llm_env(fake_llm, tmp_path)
    proc = chalk("refine", "--code", str(source), "make it red", "--json", env=env)
    assert proc.returncode == 1 and json.loads(proc.stdout)["status"] == "refused"
    assert fake_llm.chat_requests == []  # the refusal offers the AI; it does not spend it
    fake_llm.script(reply(f"```python\n{CHANGED}```"))
    proc = chalk(
        "refine", "--code", str(source), "make it red", "--generator", "llm", "--json", env=env
    )
    assert proc.returncode == 0 and json.loads(proc.stdout)["code"] == CHANGED
