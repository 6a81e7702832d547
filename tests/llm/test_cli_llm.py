"""`chalk render PROMPT` with an LLM configured, and the key's absence from the sandbox."""

from __future__ import annotations

import json

import pytest

from app.core.render import render_code
from app.errors import ChalkError
from tests.llm.conftest import SECRET
from tests.llm.test_llm_client import chalk, llm_env
from tests.llm.test_repair_loop import GOOD, NAME_ERROR, fenced
from tests.test_cli import CONTRACT_KEYS

pytestmark = pytest.mark.render


def test_cli_render_prompt_with_llm_reports_attempts_and_usage(fake_llm, tmp_path):
    fake_llm.script(fenced(NAME_ERROR), fenced(GOOD))
    out = tmp_path / "lesson.mp4"
    proc = chalk("render", "a circle", "--out", str(out), "--json", env=llm_env(fake_llm, tmp_path))
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert data.keys() >= CONTRACT_KEYS | {"attempt_log", "usage", "fixes"}
    assert data["status"] == "succeeded" and data["generator"] == "llm:fake-model"
    assert data["attempts"] == 2 and [a["error_kind"] for a in data["attempt_log"]] == [
        "render",
        None,
    ]
    assert data["usage"]["requests"] == 2 and data["usage"]["total_tokens"] == 400
    assert data["timings"]["generate_s"] > 0 and data["timings"]["render_s"] > 0
    assert data["video"] == str(out) and out.exists()
    assert SECRET not in proc.stdout + proc.stderr


def test_cli_max_attempts_caps_the_loop(fake_llm, tmp_path):
    fake_llm.script(fenced(NAME_ERROR), fenced(GOOD))
    proc = chalk(
        "render", "a circle", "--max-attempts", "1", "--json", env=llm_env(fake_llm, tmp_path)
    )
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert data["status"] == "failed" and data["attempts"] == 1
    assert data["error"]["kind"] == "render" and len(fake_llm.chat_requests) == 1


def test_the_llm_key_never_reaches_the_sandbox(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("CHALK_LLM_API_KEY", SECRET)
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    dump_env = (
        "import os\nfrom manim import *\n\n\nclass S(Scene):\n    def construct(self):\n"
        "        raise RuntimeError('ENV=' + repr(dict(os.environ)))\n"
    )
    with pytest.raises(ChalkError) as err:
        render_code(dump_env, settings=settings, out=tmp_path / "v.mp4", check_policy=False)
    assert "ENV={" in err.value.detail and "PATH" in err.value.detail
    assert SECRET not in err.value.detail
