"""Lesson fixtures: the inline job pool on SQLite with a fake renderer that makes real MP4s."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.jobs.backends import shutdown_inline_pools
from app.settings import Settings
from tests.db_fixtures import throwaway_database
from tests.jobs.conftest import _fast
from tests.lessons.clips import FakeRenderer


@pytest.fixture
def renderer(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> FakeRenderer:
    fake = FakeRenderer(tmp_path / "fake-renders")
    monkeypatch.setattr("app.pipeline.cached_render.render_code", fake)
    return fake


@pytest.fixture
def lesson_settings(
    settings: Settings, tmp_path: Path, renderer: FakeRenderer
) -> Iterator[Settings]:
    """Inline jobs on SQLite (three workers: a lesson's scenes render side by side)."""
    with throwaway_database("sqlite", settings, tmp_path, migrate=True) as db:
        # No warm sandbox: nothing renders in one (the fake renderer stands in).
        yield _fast(db, redis_url=None, inline_workers=3, warm_pool=False)
        shutdown_inline_pools(wait=True)
