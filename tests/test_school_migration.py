"""Migration 0009 (school sharing) on SQLite and PostgreSQL: the widened visibility check, the
jobs.remixed_from column, search still indexing after SQLite rebuilds `videos` (both ways),
view counts and event links kept through the rebuild, and the way back down.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, inspect, select, text, update
from sqlalchemy.exc import IntegrityError

from app import views
from app.db.engine import get_engine, session_scope
from app.db.migrate import downgrade, upgrade
from app.db.models import UsageEvent, Video
from app.events import add_event
from app.search import SearchScope, search_video_ids
from app.settings import Settings
from tests.test_search import assert_index_consistent, titles_found
from tests.ui.conftest import seed_video, teacher_id


def job_columns(settings: Settings) -> set[str]:
    get_engine(settings).dispose()  # a fresh inspector, not the cached reflection
    return {column["name"] for column in inspect(get_engine(settings)).get_columns("jobs")}


def linked_events(settings: Settings, video_id: str) -> int:
    with session_scope(settings) as session:
        return (
            session.scalar(
                select(func.count()).select_from(UsageEvent).where(UsageEvent.video_id == video_id)
            )
            or 0
        )


def test_0009_down_and_up_keeps_search_views_and_events(db_settings: Settings) -> None:
    settings = db_settings
    owner = teacher_id(settings)
    video_id = seed_video(
        settings,
        title="Simple pendulum",
        prompt="a weight",
        template="pendulum",
        visibility="link",
        share_token="tok-link",
    )
    school_id = seed_video(
        settings, title="Bubble sort", prompt="five numbers", template=None, visibility="school"
    )
    assert views.count_view(settings=settings, video_id=video_id, viewer_id=None)
    with session_scope(settings) as session:
        add_event(session, "video_watched", user_id=None, video_id=video_id)

    downgrade(settings, "0008")

    assert "remixed_from" not in job_columns(settings)
    with session_scope(settings) as session:
        # Nobody else may see a school video under the old schema: it fell back to private.
        assert session.scalar(select(Video.visibility).where(Video.id == school_id)) == "private"
    with pytest.raises(IntegrityError), session_scope(settings) as session:
        session.execute(update(Video).where(Video.id == school_id).values(visibility="school"))
    with session_scope(settings) as session:
        session.execute(update(Video).where(Video.id == school_id).values(title="Insertion sort"))
        assert list(search_video_ids(session, query="insertion", scope=SearchScope())) == [
            school_id
        ]
    assert_index_consistent(settings)
    assert linked_events(settings, video_id) == 1
    with session_scope(settings) as session:
        assert session.scalar(text("SELECT views FROM video_views")) == 1

    upgrade(settings)

    assert "remixed_from" in job_columns(settings)
    assert titles_found(settings, "pendulums") == ["Simple pendulum"]
    assert titles_found(settings, "insertion") == ["Insertion sort"]
    later = seed_video(settings, title="Coin flips", prompt="heads or tails", template=None)
    assert titles_found(settings, "coins") == ["Coin flips"]
    assert_index_consistent(settings)
    assert views.view_counts(settings=settings, owner_id=owner, video_ids=[video_id]) == {
        video_id: 1
    }
    assert linked_events(settings, video_id) == 1
    with session_scope(settings) as session:
        session.execute(update(Video).where(Video.id == later).values(visibility="school"))
    with pytest.raises(IntegrityError), session_scope(settings) as session:
        session.execute(update(Video).where(Video.id == later).values(visibility="everyone"))
