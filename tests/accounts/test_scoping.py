"""Every data access is scoped by owner: a teacher can neither read, change, delete nor
re-share another teacher's video or job; an admin (owner_id None) can."""

from __future__ import annotations

import pytest

from app import gallery
from app.accounts import users
from app.db.engine import session_scope
from app.db.models import Job, Video
from app.jobs import service
from app.settings import Settings
from tests.jobs.recording import RecordingBackend


def seed(settings: Settings) -> tuple[int, int, str, str]:
    """ada (admin), bob and cyd (teachers); cyd owns a private video. Returns ids."""
    users.create_account(settings=settings, username="ada", password="pass word 1")
    bob = users.create_account(settings=settings, username="bob", password="pass word 1")
    cyd = users.create_account(settings=settings, username="cyd", password="pass word 1")
    with session_scope(settings) as session:
        job = Job(owner_id=cyd.id, prompt="cyd's circle", code="from manim import *\n")
        job.state = "succeeded"
        session.add(job)
        session.flush()
        video = Video(
            job_id=job.id,
            owner_id=cyd.id,
            title="Cyd's circle",
            storage_key="renders/cyd.mp4",
            thumbnail_key="renders/cyd.png",
        )
        session.add(video)
        session.flush()
        return bob.id, cyd.id, job.id, video.id


def video_row(settings: Settings, video_id: str) -> tuple[str, str, str | None] | None:
    with session_scope(settings) as session:
        video = session.get(Video, video_id)
        return None if video is None else (video.title, video.visibility, video.share_token)


def test_a_teacher_cannot_touch_another_teachers_video(db_settings):
    bob, cyd, job_id, video_id = seed(db_settings)
    before = video_row(db_settings, video_id)
    with pytest.raises(gallery.VideoNotFound):
        gallery.get_video(settings=db_settings, video_id=video_id, owner_id=bob)
    with pytest.raises(gallery.VideoNotFound):
        gallery.set_visibility(
            settings=db_settings, video_id=video_id, owner_id=bob, visibility="public"
        )
    with pytest.raises(gallery.VideoNotFound):
        gallery.rename(settings=db_settings, video_id=video_id, owner_id=bob, title="mine now")
    with pytest.raises(service.JobNotFound):
        service.delete_video(settings=db_settings, video_id=video_id, owner_id=bob)
    with pytest.raises(service.JobNotFound):
        service.status(settings=db_settings, job_id=job_id, owner_id=bob)
    with pytest.raises(service.JobNotFound):
        service.cancel(
            settings=db_settings, job_id=job_id, owner_id=bob, backend=RecordingBackend()
        )
    assert gallery.job_code(settings=db_settings, job_id=job_id, owner_id=bob) is None
    assert gallery.list_videos(settings=db_settings, owner_id=bob).total == 0
    assert gallery.used_templates(settings=db_settings, owner_id=bob) == []
    assert service.list_jobs(settings=db_settings, owner_id=bob) == []
    # Nothing changed, and the owner still has it.
    assert video_row(db_settings, video_id) == before
    assert gallery.get_video(settings=db_settings, video_id=video_id, owner_id=cyd).id == video_id


def test_an_admin_sees_and_moderates_every_video(db_settings):
    _bob, _cyd, job_id, video_id = seed(db_settings)
    everyone = gallery.list_videos(settings=db_settings, owner_id=None)
    assert [item.id for item in everyone.items] == [video_id]
    assert gallery.get_video(settings=db_settings, video_id=video_id, owner_id=None).title
    assert service.status(settings=db_settings, job_id=job_id).state == "succeeded"
    gallery.set_visibility(
        settings=db_settings, video_id=video_id, owner_id=None, visibility="private"
    )
    service.delete_video(settings=db_settings, video_id=video_id, owner_id=None)
    assert video_row(db_settings, video_id) is None


def test_a_shared_link_shows_only_shared_videos(db_settings):
    bob, cyd, _job_id, video_id = seed(db_settings)
    token = gallery.set_visibility(
        settings=db_settings, video_id=video_id, owner_id=cyd, visibility="link"
    )
    assert token is not None
    found = gallery.find_shared(settings=db_settings, token=token)
    assert found is not None and found.id == video_id
    # Watching by link gives no right to change it.
    with pytest.raises(gallery.VideoNotFound):
        gallery.set_visibility(
            settings=db_settings, video_id=video_id, owner_id=bob, visibility="public"
        )
    gallery.set_visibility(
        settings=db_settings, video_id=video_id, owner_id=cyd, visibility="private"
    )
    assert gallery.find_shared(settings=db_settings, token=token) is None
