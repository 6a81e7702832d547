"""Fixtures for LLM tests: a scripted OpenAI-compatible server on loopback and settings for it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.settings import Settings
from tests.fake_llm import FakeLLM

SECRET = "sk-test-0123456789-never-log-me"


@pytest.fixture
def fake_llm() -> Iterator[FakeLLM]:
    server = FakeLLM().start()
    yield server
    server.stop()


@pytest.fixture
def llm_settings(fake_llm: FakeLLM, tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        llm_base_url=fake_llm.url,
        llm_api_key=SECRET,
        llm_model="fake-model",
        llm_timeout_s=20,
        llm_max_retries=2,
        max_attempts=4,
        quality_presets={
            "preview": {"width": 854, "height": 480, "fps": 15, "timeout_s": 60},
        },
    )
