"""Shared fixtures: an isolated data dir and settings per test, and the known-good scenes."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.settings import Settings

SCENES = Path(__file__).parent / "scenes"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with a throwaway data dir and short render timeouts."""
    return Settings(
        data_dir=tmp_path / "data",
        quality_presets={
            "preview": {"width": 854, "height": 480, "fps": 15, "timeout_s": 60},
            "standard": {"width": 1280, "height": 720, "fps": 30, "timeout_s": 120},
            "high": {"width": 1920, "height": 1080, "fps": 60, "timeout_s": 240},
        },
    )


def scene_code(name: str) -> str:
    return (SCENES / f"{name}.py").read_text()


@pytest.fixture(autouse=True)
def _no_warm_sandboxes_between_tests():
    """A test that prewarms (a worker, the app, the corpus) must not make later tests in the
    same process render warm, nor leave its warm sandboxes running."""
    yield
    from app.core import warm

    if warm.POOL.enabled:
        warm.POOL.close()
        warm.POOL.enabled = False


@pytest.fixture(autouse=True)
def _cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """bcrypt at its lowest cost in tests: the same hashes and checks, 250 times faster."""
    monkeypatch.setattr("app.accounts.passwords.BCRYPT_ROUNDS", 4)
