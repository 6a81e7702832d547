"""The data disk nearly full: new jobs and renders are refused with a sentence before it
fills, and a write that runs out of space mid-copy never harms a finished video."""

from __future__ import annotations

import errno
import shutil
from collections import namedtuple
from typing import IO

import pytest
from sqlalchemy import func, select

from app.core.render import render_code
from app.db.engine import session_scope
from app.db.models import Job
from app.disk import DISK_FULL_MESSAGE, MB
from app.errors import ChalkError
from app.jobs import service
from app.settings import Settings
from app.storage import LocalStorage, StorageError
from tests.conftest import scene_code
from tests.helpers import make_user

Usage = namedtuple("Usage", "total used free")


@pytest.fixture
def nearly_full(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    """The data disk has one megabyte less free than the settings want."""
    free = (settings.min_free_disk_mb - 1) * MB
    monkeypatch.setattr(shutil, "disk_usage", lambda path: Usage(100_000 * MB, 0, free))


class RecordingBackend:
    name = "recording"

    def __init__(self) -> None:
        self.enqueued: list[str] = []

    def enqueue(self, job_id: str, requeues: int, quality: str) -> None:
        self.enqueued.append(job_id)


def test_a_nearly_full_disk_refuses_new_jobs_with_a_sentence(sqlite_settings, nearly_full):
    owner = make_user(sqlite_settings)
    backend = RecordingBackend()
    with pytest.raises(ChalkError) as refused:
        service.submit(
            settings=sqlite_settings,
            owner_id=owner,
            prompt="a circle",
            backend=backend,  # type: ignore[arg-type]
        )
    assert refused.value.message == DISK_FULL_MESSAGE
    assert backend.enqueued == []
    with session_scope(sqlite_settings) as session:
        assert session.scalar(select(func.count()).select_from(Job)) == 0


def test_a_nearly_full_disk_stops_a_render_before_it_writes(settings: Settings, nearly_full):
    with pytest.raises(ChalkError) as refused:
        render_code(scene_code("text_scene"), settings=settings)
    assert refused.value.message == DISK_FULL_MESSAGE
    written = [p for p in settings.data_dir.rglob("*") if p.is_file()]
    assert written == []


def test_running_out_of_space_mid_copy_keeps_the_earlier_video(tmp_path, monkeypatch):
    store = LocalStorage(tmp_path / "media")
    first, second = tmp_path / "first.mp4", tmp_path / "second.mp4"
    first.write_bytes(b"the finished video" * 1000)
    second.write_bytes(b"a newer render" * 1000)
    store.put_file("renders/v.mp4", first, "video/mp4")

    def disk_fills(source: IO[bytes], target: IO[bytes], length: int = 0) -> None:
        target.write(source.read(1000))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copyfileobj", disk_fills)
    with pytest.raises(StorageError):
        store.put_file("renders/v.mp4", second, "video/mp4")
    folder = tmp_path / "media" / "renders"
    assert [p.name for p in folder.iterdir()] == ["v.mp4"]  # no partial temp file left
    assert (folder / "v.mp4").read_bytes() == first.read_bytes()
