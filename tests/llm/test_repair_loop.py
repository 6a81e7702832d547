"""The LLM repair loop against a scripted OpenAI-compatible server on loopback.

Each scenario checks the job's outcome, the attempts it recorded and what the model was sent.
"""

from __future__ import annotations

import builtins
import logging
import threading
import time

import pytest

from app.pipeline.job import run_job
from tests.fake_llm import Scripted, reply, status
from tests.helpers import free_port
from tests.llm.conftest import SECRET

pytestmark = pytest.mark.render

PROMPT = "show a circle with a title"


def fenced(body: str, prose: str = "Here is the animation.") -> str:
    return f"{prose}\n\n```python\n{body.strip()}\n```\n\nRender it with manim."


def scene(*lines: str) -> str:
    head = "from manim import *\n\n\nclass Lesson(Scene):\n    def construct(self):\n"
    return head + "".join(f"        {line}\n" for line in lines)


GOOD = scene(
    "title = Text('Area of a circle', font_size=40).to_edge(UP)",
    "circle = Circle(radius=1.5, color=BLUE)",
    "self.play(Write(title), Create(circle), run_time=1)",
)
NAME_ERROR = scene("circle = Circel(radius=1)", "self.play(Create(circle), run_time=1)")
LATEX_ERROR = scene(r"f = MathTex(r'\frac{1}{2} \notacommand')", "self.play(Write(f), run_time=1)")
IMPORTS_OS = scene("import os", "self.play(Create(Circle()), run_time=1)")
OFF_FRAME = scene(
    "hello = Text('Hello')",
    "self.play(Write(hello), run_time=0.5)",
    "self.play(hello.animate.shift(RIGHT * 7), run_time=0.5)",
)


def last_user_message(request: dict) -> str:
    return [m for m in request["body"]["messages"] if m["role"] == "user"][-1]["content"]


def run(settings, tmp_path, **kwargs):
    return run_job(
        prompt=PROMPT, generator="llm", settings=settings, out=tmp_path / "v.mp4", **kwargs
    )


def test_first_try_success(fake_llm, llm_settings, tmp_path):
    fake_llm.script(reply(fenced(GOOD), prompt_tokens=300, completion_tokens=90))
    result = run(llm_settings, tmp_path)
    assert result.ok, result.error
    assert result.attempts == 1 and len(fake_llm.chat_requests) == 1
    assert result.generator == "llm:fake-model"
    assert result.code == GOOD and result.layout_warnings == []
    assert (tmp_path / "v.mp4").exists() and result.video == str(tmp_path / "v.mp4")
    assert result.usage == {
        "prompt_tokens": 300,
        "completion_tokens": 90,
        "total_tokens": 390,
        "requests": 1,
    }
    body = fake_llm.chat_requests[0]["body"]
    assert body["model"] == "fake-model" and not body.get("stream")
    system = body["messages"][0]["content"]
    assert "Manim Community Edition v0.22" in system and "14.22 units wide" in system
    assert PROMPT in body["messages"][1]["content"]
    entry = result.to_json()["attempt_log"][0]
    assert entry["error_kind"] is None and entry["code"] == GOOD and entry["seconds"] > 0


def test_repair_after_runtime_error_sends_the_traceback(fake_llm, llm_settings, tmp_path):
    fake_llm.script(fenced(NAME_ERROR), fenced(GOOD))
    result = run(llm_settings, tmp_path)
    assert result.ok, result.error
    assert result.attempts == 2 and len(fake_llm.chat_requests) == 2
    assert [a.error.kind if a.error else None for a in result.attempt_log] == ["render", None]
    feedback = last_user_message(fake_llm.chat_requests[1])
    assert "NameError" in feedback and "Circel" in feedback
    assert "The failing line 6 is: circle = Circel(radius=1)" in feedback
    assert 'scene.py", line 6' in feedback
    # The model sees its own previous code as the assistant turn.
    assistant = fake_llm.chat_requests[1]["body"]["messages"][2]
    assert assistant["role"] == "assistant" and "Circel" in assistant["content"]
    assert result.code == GOOD
    # Only the kept video is left; the failed attempt left nothing behind.
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".mp4", ".png")) == [
        "v.mp4",
        "v.png",
    ]


def test_repair_after_latex_error_sends_the_latex_reason(fake_llm, llm_settings, tmp_path):
    fake_llm.script(fenced(LATEX_ERROR), fenced(GOOD))
    result = run(llm_settings, tmp_path)
    assert result.ok and result.attempts == 2
    feedback = last_user_message(fake_llm.chat_requests[1])
    assert "LaTeX does not know \\notacommand" in feedback


def test_repair_after_validation_rejection_sends_the_policy_sentence(
    fake_llm, llm_settings, tmp_path
):
    fake_llm.script(fenced(IMPORTS_OS), fenced(GOOD))
    result = run(llm_settings, tmp_path)
    assert result.ok and result.attempts == 2
    assert result.attempt_log[0].error is not None
    assert result.attempt_log[0].error.kind == "validation"
    assert result.attempt_log[0].render_s < 1  # refused before any sandbox ran
    feedback = last_user_message(fake_llm.chat_requests[1])
    assert "Chalk refused the code before running it" in feedback
    assert "importing 'os' is not allowed" in feedback


def test_gives_up_at_the_cap(fake_llm, llm_settings, tmp_path):
    settings = llm_settings.model_copy(update={"max_attempts": 3})
    fake_llm.script(fenced(NAME_ERROR), fenced(IMPORTS_OS), fenced(NAME_ERROR), fenced(GOOD))
    result = run(settings, tmp_path)
    assert not result.ok and result.status == "failed"
    assert result.attempts == 3 and len(fake_llm.chat_requests) == 3
    assert len(fake_llm.replies) == 1  # the fourth (good) reply was never asked for
    assert result.error is not None and result.error.kind == "render"
    assert result.error.message.startswith(
        "The AI model could not write a working animation in 3 attempts"
    )
    assert "\n" not in result.error.message
    assert [a.error.kind for a in result.attempt_log if a.error] == [
        "render",
        "validation",
        "render",
    ]
    assert not (tmp_path / "v.mp4").exists()
    # Earlier reasons are summarised in the last repair request.
    assert "Earlier attempts failed with" in last_user_message(fake_llm.chat_requests[2])


def test_hostile_model_is_stopped_at_the_cap_and_its_code_never_runs(
    fake_llm, llm_settings, tmp_path, monkeypatch
):
    marker = tmp_path / "pwned"
    hostile = [
        scene("import os", f"os.system('touch {marker}')", "self.wait()"),
        scene(f"open('{marker}', 'w').write('x')", "self.wait()"),
        scene("k = ().__class__.__bases__[0].__subclasses__()", "self.wait()"),
        scene(f"exec(\"open('{marker}', 'w')\")", "self.wait()"),
    ]
    fake_llm.script(*[fenced(code) for code in hostile])
    executed: list[str] = []
    real_exec, real_eval = builtins.exec, builtins.eval

    def spy_exec(source, *args, **kwargs):
        if isinstance(source, str) and "pwned" in source:
            executed.append(source)
        return real_exec(source, *args, **kwargs)

    def spy_eval(source, *args, **kwargs):
        if isinstance(source, str) and "pwned" in source:
            executed.append(source)
        return real_eval(source, *args, **kwargs)

    monkeypatch.setattr(builtins, "exec", spy_exec)
    monkeypatch.setattr(builtins, "eval", spy_eval)
    result = run(llm_settings, tmp_path)
    assert result.status == "rejected" and result.error is not None
    assert result.error.kind == "validation"
    assert result.attempts == 4 and len(fake_llm.chat_requests) == 4
    assert all(a.error and a.error.kind == "validation" for a in result.attempt_log)
    assert executed == [] and not marker.exists()
    work_root = llm_settings.work_root
    assert not work_root.exists() or list(work_root.iterdir()) == []


def test_prose_only_reply_is_answered_with_a_request_for_code(fake_llm, llm_settings, tmp_path):
    fake_llm.script(
        "A circle is the set of points at equal distance from a centre. I hope this helps!",
        fenced(GOOD),
    )
    result = run(llm_settings, tmp_path)
    assert result.ok and result.attempts == 2
    first = result.attempt_log[0]
    assert first.error is not None and first.error.kind == "generation" and first.code is None
    assert "no Python scene" in last_user_message(fake_llm.chat_requests[1])


def test_prose_only_every_time_fails_with_a_generation_error(fake_llm, llm_settings, tmp_path):
    settings = llm_settings.model_copy(update={"max_attempts": 2})
    fake_llm.script("I cannot draw.", "Still no code, sorry.")
    result = run(settings, tmp_path)
    assert result.status == "failed" and result.error is not None
    assert result.error.kind == "generation" and result.attempts == 2


def test_rate_limit_then_success_is_retried_inside_one_attempt(fake_llm, llm_settings, tmp_path):
    fake_llm.script(status(429, "slow down", retry_after_ms="20"), fenced(GOOD))
    result = run(llm_settings, tmp_path)
    assert result.ok and result.attempts == 1
    assert len(fake_llm.chat_requests) == 2
    assert result.usage is not None and result.usage["requests"] == 1


def test_server_error_then_success_is_retried(fake_llm, llm_settings, tmp_path):
    fake_llm.script(status(503, "overloaded", retry_after_ms="20"), fenced(GOOD))
    result = run(llm_settings, tmp_path)
    assert result.ok and len(fake_llm.chat_requests) == 2


def test_rate_limited_beyond_the_retries_is_llm_unavailable(fake_llm, llm_settings, tmp_path):
    settings = llm_settings.model_copy(update={"llm_max_retries": 1})
    fake_llm.script(*[status(429, "slow down", retry_after_ms="10") for _ in range(2)])
    result = run(settings, tmp_path)
    assert result.status == "failed" and result.error is not None
    assert result.error.kind == "llm_unavailable" and "rate limited" in result.error.message
    assert len(fake_llm.chat_requests) == 2


def test_endpoint_down_is_llm_unavailable(llm_settings, tmp_path):
    settings = llm_settings.model_copy(
        update={"llm_base_url": f"http://127.0.0.1:{free_port()}/v1", "llm_max_retries": 1}
    )
    started = time.monotonic()
    result = run(settings, tmp_path)
    assert time.monotonic() - started < 15
    assert result.status == "failed" and result.error is not None
    assert result.error.kind == "llm_unavailable"
    assert result.error.message == (
        "The configured AI endpoint could not be reached; try again later or use the template "
        "generator."
    )
    assert result.attempts == 0


def test_unauthorised_is_llm_unavailable_without_retry_and_without_the_key(
    fake_llm, llm_settings, tmp_path, caplog
):
    fake_llm.script(status(401, f"Incorrect API key provided: {SECRET}"))
    with caplog.at_level(logging.DEBUG):
        result = run(llm_settings, tmp_path)
    assert result.error is not None and result.error.kind == "llm_unavailable"
    # The administrator is pointed at the key; the setting's name is theirs, not the teacher's.
    assert "ask your administrator to check the AI key" in result.error.message
    assert "CHALK_" not in result.error.message
    assert len(fake_llm.chat_requests) == 1
    # The key went to the endpoint, and nowhere else.
    assert fake_llm.chat_requests[0]["headers"]["authorization"] == f"Bearer {SECRET}"
    assert SECRET not in result.error.message + result.error.detail
    assert SECRET not in caplog.text
    assert SECRET not in str(result.to_json())


def test_streamed_replies_are_assembled_and_usage_is_recorded(fake_llm, llm_settings, tmp_path):
    settings = llm_settings.model_copy(update={"llm_stream": True})
    fake_llm.script(reply(fenced(GOOD), prompt_tokens=11, completion_tokens=22))
    result = run(settings, tmp_path)
    assert result.ok and result.code == GOOD
    body = fake_llm.chat_requests[0]["body"]
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}
    assert result.usage == {
        "prompt_tokens": 11,
        "completion_tokens": 22,
        "total_tokens": 33,
        "requests": 1,
    }


def test_layout_warning_triggers_a_repair_with_the_layout_report(fake_llm, llm_settings, tmp_path):
    fake_llm.script(fenced(OFF_FRAME), fenced(GOOD))
    result = run(llm_settings, tmp_path)
    assert result.ok and result.attempts == 2
    assert result.attempt_log[0].layout_warnings == [
        "The Text 'Hello' leaves the frame on the right at 1.0 s (line 8)."
    ]
    feedback = last_user_message(fake_llm.chat_requests[1])
    assert "layout has problems" in feedback and "leaves the frame on the right" in feedback
    assert result.layout_warnings == [] and result.code == GOOD
    videos = sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".mp4")
    assert videos == ["v.mp4"]


def test_layout_repair_that_fails_keeps_the_first_video(fake_llm, llm_settings, tmp_path):
    settings = llm_settings.model_copy(update={"max_attempts": 2})
    fake_llm.script(fenced(OFF_FRAME), fenced(NAME_ERROR))
    result = run(settings, tmp_path)
    assert result.ok and result.attempts == 2
    assert result.code is not None and "RIGHT * 7" in result.code
    assert result.layout_warnings and "leaves the frame" in result.layout_warnings[0]
    assert (tmp_path / "v.mp4").exists()


def test_old_api_from_the_model_is_fixed_before_it_renders(fake_llm, llm_settings, tmp_path):
    old = scene(
        "circle = Circle()",
        "label = TextMobject('radius')",
        "self.play(ShowCreation(circle), FadeInFrom(label, UP), run_time=1)",
    )
    fake_llm.script(fenced(old))
    result = run(llm_settings, tmp_path)
    assert result.ok and result.attempts == 1 and len(fake_llm.chat_requests) == 1
    assert {fix.rule for fix in result.fixes} == {"ShowCreation", "TextMobject", "FadeInFrom"}
    assert result.code is not None and "Create(circle)" in result.code
    assert result.to_json()["fixes"][0]["rule"] == "TextMobject"


def test_several_code_blocks_pick_the_scene(fake_llm, llm_settings, tmp_path):
    text = (
        "First install:\n```bash\npip install manim\n```\n"
        f"Then:\n```python\n{GOOD}```\nand run\n```\nmanim -pql scene.py Lesson\n```"
    )
    fake_llm.script(Scripted(content=text))
    result = run(llm_settings, tmp_path)
    assert result.ok and result.code == GOOD


def test_the_model_down_during_a_layout_repair_keeps_the_first_video(
    fake_llm, llm_settings, tmp_path
):
    settings = llm_settings.model_copy(update={"llm_max_retries": 0})
    fake_llm.script(
        reply(fenced(OFF_FRAME), prompt_tokens=100, completion_tokens=50),
        status(500, "down"),
    )
    result = run(settings, tmp_path)
    assert result.ok and result.attempts == 1 and len(fake_llm.chat_requests) == 2
    assert result.code is not None and "RIGHT * 7" in result.code
    assert result.layout_warnings and (tmp_path / "v.mp4").exists()
    assert result.usage is not None and result.usage["requests"] == 1
    assert result.usage["total_tokens"] == 150


def test_a_cancelled_job_asks_the_model_nothing(fake_llm, llm_settings, tmp_path):
    cancel = threading.Event()
    cancel.set()
    result = run(llm_settings, tmp_path, cancel=cancel)
    assert result.status == "failed" and result.error is not None
    assert result.error.kind == "cancelled" and result.attempts == 0
    assert fake_llm.chat_requests == []
