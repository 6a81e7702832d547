"""View counts of shared videos (app/views.py) on SQLite and PostgreSQL, and their migration."""

from __future__ import annotations

from sqlalchemy import inspect

from app import gallery, views
from app.db.engine import get_engine, session_scope
from app.db.migrate import downgrade, upgrade
from app.db.models import Job, User, Video, VideoViews
from app.settings import Settings


def owner_and_video(settings: Settings, *, visibility: str = "link") -> tuple[int, str]:
    with session_scope(settings) as session:
        owner = User(username="teacher")
        session.add(owner)
        session.flush()
        job = Job(owner_id=owner.id, prompt="circle", state="succeeded")
        session.add(job)
        session.flush()
        video = Video(
            job_id=job.id,
            owner_id=owner.id,
            title="Circle",
            storage_key="videos/a.mp4",
            thumbnail_key="videos/a.png",
            visibility=visibility,
            share_token="tok" if visibility != "private" else None,
        )
        session.add(video)
        session.flush()
        return owner.id, video.id


def test_each_counted_view_adds_one_and_only_the_owner_sees_the_counts(db_settings):
    owner_id, video_id = owner_and_video(db_settings)
    assert views.view_counts(settings=db_settings, owner_id=owner_id, video_ids=[video_id]) == {
        video_id: 0
    }
    for _ in range(3):
        assert views.count_view(settings=db_settings, video_id=video_id, viewer_id=None)
    assert views.count_view(settings=db_settings, video_id=video_id, viewer_id=owner_id + 1)
    counts = views.view_counts(settings=db_settings, owner_id=owner_id, video_ids=[video_id])
    assert counts == {video_id: 4}
    # Another teacher asking about the same video learns nothing.
    stranger = owner_id + 1
    assert views.view_counts(settings=db_settings, owner_id=stranger, video_ids=[video_id]) == {}


def test_the_owner_watching_their_own_link_and_private_videos_are_not_counted(db_settings):
    owner_id, video_id = owner_and_video(db_settings)
    assert not views.count_view(settings=db_settings, video_id=video_id, viewer_id=owner_id)
    gallery.set_visibility(
        settings=db_settings, video_id=video_id, owner_id=owner_id, visibility="private"
    )
    assert not views.count_view(settings=db_settings, video_id=video_id, viewer_id=None)
    assert not views.count_view(settings=db_settings, video_id="no-such-video", viewer_id=None)
    assert views.view_counts(settings=db_settings, owner_id=owner_id, video_ids=[video_id]) == {
        video_id: 0
    }


def test_counts_go_with_the_video(db_settings):
    _, video_id = owner_and_video(db_settings)
    views.count_view(settings=db_settings, video_id=video_id, viewer_id=None)
    with session_scope(db_settings) as session:
        session.delete(session.get(Video, video_id))
    with session_scope(db_settings) as session:
        assert session.get(VideoViews, video_id) is None


def test_the_views_migration_goes_down_and_up_again(db_settings):
    _, video_id = owner_and_video(db_settings)
    downgrade(db_settings, "0007")
    assert "video_views" not in inspect(get_engine(db_settings)).get_table_names()
    upgrade(db_settings)
    assert "video_views" in inspect(get_engine(db_settings)).get_table_names()
    assert views.count_view(settings=db_settings, video_id=video_id, viewer_id=None)
