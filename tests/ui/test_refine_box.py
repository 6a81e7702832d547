""" "Change it" under a finished video on Create: offline for template code, the AI's diff first
for other code. Submitting is recorded instead of queued, so nothing renders."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.db.engine import session_scope
from app.db.models import Video
from app.generators.offline import render_template
from app.generators.offline.refine import NOT_A_TEMPLATE
from app.jobs import service
from app.settings import get_settings
from tests.fake_llm import FakeLLM, reply
from tests.ui.conftest import app_test, seed_video, texts

PLAIN = (
    "from manim import *\n\n\nclass Demo(Scene):\n    def construct(self):\n        self.wait()\n"
)


def finished_job(settings, code: str) -> str:
    video_id = seed_video(settings, title="Pendulum", code=code, template=None)
    with session_scope(settings) as session:
        return session.execute(select(Video.job_id).where(Video.id == video_id)).scalar_one()


@pytest.fixture
def submitted(monkeypatch) -> list[dict]:
    calls: list[dict] = []

    def record(**fields):
        calls.append(fields)
        return SimpleNamespace(job_id=f"new-{len(calls)}")

    monkeypatch.setattr(service, "submit", record)
    return calls


def change_it(at, instruction: str):
    at.text_input(key="create_refine_instruction").input(instruction)
    at.button(key="create_refine_apply").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_template_video_changes_offline_into_a_new_job(ui_settings, submitted):
    job_id = finished_job(ui_settings, render_template("pendulum").code)
    at = app_test()
    at.session_state["create_job"] = job_id
    at.run()
    assert at.text_input(key="create_refine_instruction").label == "Change it"
    assert any(
        c.startswith("This video can change length") and c.endswith("square or landscape).")
        for c in texts(at.caption)
    )
    change_it(at, "halve the length and make it portrait")
    (call,) = submitted
    assert call["code"] == render_template("pendulum", {"length": 1}).code
    assert call["aspect"] == "9:16" and call["quality"] == "preview"
    length, aspect = at.session_state["refine_changes"]["new-1"]
    assert re.search(r"\b2\b.* → .*\b1\b", length)
    assert aspect == "aspect: landscape (16:9) → portrait (9:16)"


def test_an_instruction_the_template_cannot_show_is_one_sentence(ui_settings, submitted):
    job_id = finished_job(ui_settings, render_template("pendulum").code)
    at = app_test()
    at.session_state["create_job"] = job_id
    at.run()
    change_it(at, "make the bob red")
    assert submitted == []
    (warning,) = texts(at.warning)
    assert warning.startswith("The Simple pendulum template cannot show “red”; it can change ")
    assert warning.endswith(
        " or the aspect (portrait, square or landscape), so nothing was changed."
    )
    assert not [b for b in at.button if b.key == "create_refine_ask_ai"]  # no AI connected


def test_code_no_template_made_says_so_without_an_ai_model(ui_settings, submitted):
    job_id = finished_job(ui_settings, PLAIN)
    at = app_test()
    at.session_state["create_job"] = job_id
    at.run()
    change_it(at, "add a circle")
    assert submitted == [] and texts(at.warning) == [NOT_A_TEMPLATE]


@pytest.fixture
def ai_model(monkeypatch):
    server = FakeLLM().start()
    monkeypatch.setenv("CHALK_LLM_MODEL", "fake-model")
    monkeypatch.setenv("CHALK_LLM_BASE_URL", server.url)
    monkeypatch.setenv("CHALK_LLM_API_KEY", "sk-test-0123456789")
    get_settings.cache_clear()
    yield server
    server.stop()
    get_settings.cache_clear()


def test_a_template_refusal_offers_the_ai_model_without_spending_it(
    ui_settings, submitted, ai_model
):
    code = render_template("pendulum").code
    job_id = finished_job(ui_settings, code)
    at = app_test()
    at.session_state["create_job"] = job_id
    at.run()
    change_it(at, "make the bob red")
    assert texts(at.warning)[0].startswith("The Simple pendulum template cannot show “red”")
    assert ai_model.chat_requests == [] and submitted == []
    ai_model.script(reply(f"```python\n{PLAIN}```"))
    at.button(key="create_refine_ask_ai").click().run()
    assert len(ai_model.chat_requests) == 1
    assert any("+class Demo(Scene):" in c.value for c in at.code)
    assert submitted == []


def test_the_ai_models_change_is_shown_as_a_diff_before_it_renders(
    ui_settings, submitted, ai_model
):
    changed = PLAIN.replace("self.wait()", "self.play(Create(Circle()))")
    ai_model.script(reply(f"```python\n{changed}```"))
    job_id = finished_job(ui_settings, PLAIN)
    at = app_test()
    at.session_state["create_job"] = job_id
    at.run()
    change_it(at, "add a circle")  # code no template made goes to the model directly
    # The current code, the instruction and the layout verdict went to the model.
    (request,) = ai_model.chat_requests
    asked = request["body"]["messages"][-1]["content"]
    assert "self.wait()" in asked and "add a circle" in asked and "layout check" in asked
    assert submitted == []  # nothing renders before the teacher has seen the change
    shown = [c.value for c in at.code]
    assert any(
        "-        self.wait()" in c and "+        self.play(Create(Circle()))" in c for c in shown
    )
    at.button(key="create_refine_render_ai").click().run()
    (call,) = submitted
    assert call["code"] == changed
