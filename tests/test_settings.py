"""Settings: CHALK_ env prefix, .env support, preset merging."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.settings import Settings


def test_env_prefix_and_nested_presets(monkeypatch, tmp_path):
    monkeypatch.setenv("CHALK_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("CHALK_SANDBOX_MODE", "process")
    monkeypatch.setenv(
        "CHALK_QUALITY_PRESETS",
        '{"preview": {"width": 640, "height": 360, "fps": 12, "timeout_s": 30}}',
    )
    settings = Settings()
    assert settings.data_dir == tmp_path / "d"
    assert settings.sandbox_mode == "process"
    assert settings.quality_presets["preview"].width == 640
    # Presets not overridden keep their defaults.
    assert settings.quality_presets["high"].width == 1920


def test_dotenv_file_is_read(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("CHALK_MAX_CODE_BYTES=1234\n")
    assert Settings().max_code_bytes == 1234


def test_bad_values_are_refused():
    with pytest.raises(ValidationError):
        Settings(sandbox_mode="none")
    with pytest.raises(ValidationError):
        Settings(quality_presets={"ultra": {"width": 1, "height": 1, "fps": 1, "timeout_s": 1}})


def test_default_presets_match_the_design():
    presets = Settings().quality_presets
    assert [(p.width, p.height, p.fps) for p in presets.values()] == [
        (854, 480, 15),
        (1280, 720, 30),
        (1920, 1080, 60),
    ]
