"""LLM client, settings, generator choice and `chalk generate` (no rendering)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.core import palette
from app.core.policy import check_code
from app.errors import ChalkError
from app.generators.llm import LLMClient, system_prompt
from app.generators.select import llm_configured, resolve_generator
from app.pipeline.generate import generate_code
from app.settings import Settings
from tests.fake_llm import Scripted, reply, status
from tests.llm.conftest import SECRET

CODE = (
    "from manim import *\n\n\nclass Lesson(Scene):\n    def construct(self):\n        self.wait()\n"
)


# --- settings and generator choice --------------------------------------------------------


def test_openai_variables_are_the_fallback(monkeypatch, tmp_path):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai-fallback")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://example.invalid/v1")
    settings = Settings(data_dir=tmp_path)
    assert settings.llm_api_key is not None
    assert settings.llm_api_key.get_secret_value() == "sk-openai-fallback"
    assert settings.llm_base_url == "http://example.invalid/v1"
    monkeypatch.setenv("CHALK_LLM_API_KEY", "sk-chalk-wins")
    monkeypatch.setenv("CHALK_LLM_MODEL", "m")
    settings = Settings(data_dir=tmp_path)
    assert settings.llm_api_key is not None
    assert settings.llm_api_key.get_secret_value() == "sk-chalk-wins"
    assert "sk-chalk-wins" not in repr(settings)
    assert settings.max_attempts == 4


@pytest.mark.parametrize(
    ("fields", "configured"),
    [
        ({"llm_model": "m", "llm_api_key": "k"}, True),
        ({"llm_model": "m", "llm_base_url": "http://127.0.0.1:11434/v1"}, True),
        ({"llm_model": "m"}, False),
        ({"llm_api_key": "k", "llm_base_url": "http://x/v1"}, False),
        ({}, False),
    ],
)
def test_llm_configured_needs_a_model_and_a_key_or_endpoint(fields, configured, monkeypatch):
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "CHALK_LLM_API_KEY", "CHALK_LLM_MODEL"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(**fields)
    assert llm_configured(settings) is configured
    assert resolve_generator("auto", settings) == ("llm" if configured else "offline")
    assert resolve_generator("offline", settings) == "offline"
    if configured:
        assert resolve_generator("llm", settings) == "llm"
    else:
        with pytest.raises(ChalkError) as err:
            resolve_generator("llm", settings)
        assert err.value.kind == "llm_unavailable"


def test_unknown_generator_is_refused():
    with pytest.raises(ChalkError) as err:
        resolve_generator("gpt", Settings())
    assert err.value.kind == "validation"


def test_system_prompt_pins_version_policy_and_frame(llm_settings):
    text = system_prompt("9:16", llm_settings)
    assert "Manim Community Edition v0.22.0" in text
    assert "4.50 units wide and 8 units high" in text and "|x| ≤ 1.75" in text
    assert "Import only: cmath, colour" in text and "exactly one ```python" in text
    for idiom in ("Create(mob)", "MathTex", "axes.plot", "mob.animate"):
        assert idiom in text


def test_system_prompt_carries_the_palette_and_its_rules(llm_settings):
    text = system_prompt("16:9", llm_settings)
    for role in (*palette.ROLES, palette.BACKGROUND):
        assert f'{role.name} = "{role.dark}"  # palette role: {role.use}' in text
    assert "never by Manim colour names" in text
    assert "Colour is never the only thing that carries meaning" in text


def test_system_prompt_asks_for_a_narrate_call_before_each_step(llm_settings):
    text = system_prompt("16:9", llm_settings)
    assert "just before each visual step's animations, call narrate(" in text
    assert "do not import or define it" in text
    # The example it shows is policy-clean scene code (narrate is a sandbox global)
    example = text.split("Example:\n", 1)[1].split("\n\n", 1)[0]
    body = "\n".join("        " + line.strip() for line in example.splitlines())
    code = f"from manim import *\n\n\nclass S(Scene):\n    def construct(self):\n{body}\n"
    assert check_code(code).scenes == ["S"]
    assert 'wait_for_word("radius")' in example  # a timed mark inside the sentence


def test_client_repr_never_shows_the_key(llm_settings):
    client = LLMClient(llm_settings)
    assert SECRET not in repr(client) and "fake-model" in repr(client)


# --- errors from the endpoint --------------------------------------------------------------


def ask(settings: Settings) -> ChalkError:
    with pytest.raises(ChalkError) as err:
        LLMClient(settings).complete([{"role": "user", "content": "hi"}])
    return err.value


def test_model_not_found(fake_llm, llm_settings):
    fake_llm.script(status(404, "model 'fake-model' not found"))
    err = ask(llm_settings)
    assert err.kind == "llm_unavailable" and "'fake-model' was not found" in err.message


def test_bad_request_is_a_generation_error(fake_llm, llm_settings):
    fake_llm.script(status(400, "context length exceeded"))
    err = ask(llm_settings)
    assert err.kind == "generation" and len(fake_llm.chat_requests) == 1


def test_slow_endpoint_times_out(fake_llm, llm_settings):
    settings = llm_settings.model_copy(update={"llm_timeout_s": 0.5, "llm_max_retries": 0})
    fake_llm.script(Scripted(content="late", delay_s=2))
    err = ask(settings)
    assert err.kind == "llm_unavailable" and "did not answer within" in err.message


# --- `chalk generate` (code only) ---------------------------------------------------------


def test_generate_repairs_validation_without_rendering(fake_llm, llm_settings):
    bad = CODE.replace("self.wait()", "import os\n        self.wait()")
    old = CODE.replace("self.wait()", "self.play(ShowCreation(Circle()))")
    fake_llm.script(f"```python\n{bad}```", reply(f"```python\n{old}```"))
    generation = generate_code("a circle", generator="llm", settings=llm_settings)
    assert generation.generator == "llm:fake-model" and generation.template is None
    assert "Create(Circle())" in generation.code
    assert generation.notes == ["Fixed line 6: ShowCreation(…) → Create(…)."]
    assert len(fake_llm.chat_requests) == 2
    assert not llm_settings.work_root.exists()


def test_generate_gives_up_at_the_cap_like_a_job(fake_llm, llm_settings):
    settings = llm_settings.model_copy(update={"max_attempts": 2})
    fake_llm.script("I cannot draw.", f"```python\n{CODE.replace('self.wait()', 'exec(1)')}```")
    with pytest.raises(ChalkError) as err:
        generate_code("a circle", generator="llm", settings=settings)
    assert err.value.kind == "validation"
    assert err.value.message.startswith(
        "The AI model could not write a working animation in 2 attempts"
    )
    assert "no Python scene" in fake_llm.chat_requests[1]["body"]["messages"][-1]["content"]
    assert not settings.work_root.exists()


def chalk(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=300,
        check=False,
    )


def llm_env(fake_llm, tmp_path: Path) -> dict[str, str]:
    return {
        "CHALK_DATA_DIR": str(tmp_path),
        "CHALK_LLM_BASE_URL": fake_llm.url,
        "CHALK_LLM_API_KEY": SECRET,
        "CHALK_LLM_MODEL": "fake-model",
        "CHALK_LLM_MAX_RETRIES": "1",
    }


def test_cli_generate_auto_uses_the_configured_llm(fake_llm, tmp_path):
    fake_llm.script(f"```python\n{CODE}```")
    proc = chalk("generate", "a pause", "--json", env=llm_env(fake_llm, tmp_path))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["generator"] == "llm:fake-model" and data["code"] == CODE
    assert SECRET not in proc.stdout + proc.stderr


def test_cli_generate_llm_down_exits_1_with_llm_unavailable(tmp_path):
    env = {
        "CHALK_DATA_DIR": str(tmp_path),
        "CHALK_LLM_BASE_URL": "http://127.0.0.1:9/v1",
        "CHALK_LLM_MODEL": "fake-model",
        "CHALK_LLM_MAX_RETRIES": "0",
    }
    proc = chalk("generate", "a pause", "--generator", "llm", "--json", env=env)
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert data["status"] == "rejected" and data["error"]["kind"] == "llm_unavailable"
