"""Usage events written by the services, and feedback, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import delete, inspect, select

from app import events
from app.db.engine import get_engine, session_scope
from app.db.models import Job, UsageEvent, User, Video
from app.errors import ChalkError
from app.events import FeedbackNotAllowed
from app.jobs import service
from app.jobs.runner import execute
from app.settings import Settings
from tests.jobs.recording import RecordingBackend

PROMPT = "show why the area of a circle is pi r squared"


def user(settings: Settings, name: str) -> int:
    with session_scope(settings) as session:
        row = User(username=name, display_name=name)
        session.add(row)
        session.flush()
        return row.id


def video(
    settings: Settings, owner: int, *, visibility: str = "private", template: Any = None
) -> str:
    with session_scope(settings) as session:
        job = Job(
            owner_id=owner,
            prompt=PROMPT,
            state="succeeded",
            template=template,
            generator="offline",
            generator_used=f"offline:{template}",
        )
        session.add(job)
        session.flush()
        row = Video(
            job_id=job.id,
            owner_id=owner,
            storage_key="renders/a.mp4",
            thumbnail_key="renders/a.png",
            visibility=visibility,
        )
        session.add(row)
        session.flush()
        return row.id


def all_events(settings: Settings) -> list[UsageEvent]:
    with session_scope(settings) as session:
        return list(session.scalars(select(UsageEvent).order_by(UsageEvent.id)))


def test_record_writes_a_typed_event(db_settings):
    ada = user(db_settings, "ada")
    assert events.record("help_opened", settings=db_settings, user_id=ada)
    assert events.record(
        "template_picked", settings=db_settings, user_id=ada, template="riemann_sum"
    )
    rows = all_events(db_settings)
    assert [(e.kind, e.user_id, e.template) for e in rows] == [
        ("help_opened", ada, None),
        ("template_picked", ada, "riemann_sum"),
    ]
    assert rows[0].at.tzinfo is not None


def test_record_refuses_unknown_kinds_and_fields(db_settings):
    with pytest.raises(ValueError, match="unknown event kind 'clicked'"):
        events.record("clicked", settings=db_settings)
    with pytest.raises(ValueError, match=r"unknown event fields \['prompt'\]"):
        events.record("sign_in", settings=db_settings, prompt="hello")  # type: ignore[call-arg]


def test_record_does_not_raise_when_the_database_fails(empty_db_settings):
    # No tables: the insert fails, the teacher's action must not.
    assert events.record("sign_in", settings=empty_db_settings, user_id=None) is False


def test_events_have_no_free_text_columns(db_settings):
    columns = {
        c["name"]: c["type"] for c in inspect(get_engine(db_settings)).get_columns("usage_events")
    }
    texts = [name for name, kind in columns.items() if "TEXT" in str(kind).upper()]
    assert texts == []
    assert "prompt" not in columns and "code" not in columns and "comment" not in columns


def test_submit_records_generate_clicked_and_a_rejected_job_records_job_finished(db_settings):
    ada = user(db_settings, "ada")
    view = service.submit(
        settings=db_settings, owner_id=ada, code="import os\n", backend=RecordingBackend()
    )
    assert execute(view.job_id, db_settings, "test-worker") == "failed"
    rows = all_events(db_settings)
    assert [e.kind for e in rows] == ["generate_clicked", "job_finished"]
    clicked, finished = rows
    assert (clicked.user_id, clicked.job_id, clicked.generator, clicked.quality) == (
        ada,
        view.job_id,
        "user",
        "preview",
    )
    assert (finished.user_id, finished.job_id, finished.state, finished.error_kind) == (
        ada,
        view.job_id,
        "failed",
        "validation",
    )
    assert finished.attempts == 1
    assert finished.cache_hit is False
    assert finished.queue_wait_s is not None and finished.queue_wait_s >= 0
    assert (finished.prompt_tokens, finished.completion_tokens) == (0, 0)


def test_cancelling_a_queued_job_records_job_finished_once(db_settings):
    ada = user(db_settings, "ada")
    backend = RecordingBackend()
    view = service.submit(settings=db_settings, owner_id=ada, prompt=PROMPT, backend=backend)
    service.cancel(settings=db_settings, job_id=view.job_id, backend=backend)
    service.cancel(settings=db_settings, job_id=view.job_id, backend=backend)
    assert execute(view.job_id, db_settings, "test-worker") is None
    finished = [e for e in all_events(db_settings) if e.kind == "job_finished"]
    assert [(e.state, e.error_kind, e.render_s, e.queue_wait_s) for e in finished] == [
        ("cancelled", "cancelled", None, None)
    ]
    # The prompt is in the job row only, never in an event.
    for event in all_events(db_settings):
        assert PROMPT not in repr({c.name: getattr(event, c.name) for c in event.__table__.columns})


def test_deleting_a_video_records_video_deleted(db_settings):
    ada = user(db_settings, "ada")
    video_id = video(db_settings, ada)
    service.delete_video(settings=db_settings, video_id=video_id, owner_id=ada)
    [event] = all_events(db_settings)
    assert (event.kind, event.user_id, event.video_id) == ("video_deleted", ada, video_id)


def test_events_outlive_their_user(db_settings):
    ada = user(db_settings, "ada")
    events.record("sign_in", settings=db_settings, user_id=ada)
    with session_scope(db_settings) as session:
        session.execute(delete(User).where(User.id == ada))
    [event] = all_events(db_settings)
    assert (event.kind, event.user_id) == ("sign_in", None)


# Feedback -----------------------------------------------------------------------------------


def test_a_second_vote_replaces_the_first(db_settings):
    ada = user(db_settings, "ada")
    video_id = video(db_settings, ada, template="circle_area")
    first = events.record_feedback(settings=db_settings, video_id=video_id, user_id=ada, rating=1)
    assert (first.rating, first.comment, first.template, first.username) == (
        1,
        None,
        "circle_area",
        "ada",
    )
    second = events.record_feedback(
        settings=db_settings, video_id=video_id, user_id=ada, rating=0, comment="  Too fast.  "
    )
    assert second.id == first.id
    assert (second.rating, second.comment, second.thumbs_up) == (0, "Too fast.", False)
    assert second.updated_at >= first.updated_at
    assert events.get_feedback(settings=db_settings, video_id=video_id, user_id=ada) == second
    assert len(events.list_feedback(settings=db_settings)) == 1


def test_feedback_needs_a_video_the_user_can_see(db_settings):
    ada, bob = user(db_settings, "ada"), user(db_settings, "bob")
    private = video(db_settings, ada)
    shared = video(db_settings, ada, visibility="link")
    with pytest.raises(FeedbackNotAllowed, match="no video"):
        events.record_feedback(settings=db_settings, video_id=private, user_id=bob, rating=1)
    with pytest.raises(FeedbackNotAllowed):
        events.record_feedback(settings=db_settings, video_id="nope", user_id=bob, rating=1)
    assert (
        events.record_feedback(settings=db_settings, video_id=shared, user_id=bob, rating=1).rating
        == 1
    )
    assert events.get_feedback(settings=db_settings, video_id=private, user_id=bob) is None


@pytest.mark.parametrize(
    ("rating", "comment", "message"),
    [
        (2, None, r"thumbs up \(1\) or a thumbs down \(0\)"),
        (-1, None, r"thumbs up \(1\) or a thumbs down \(0\)"),
        (1, "x" * 1001, "longer than 1000 characters"),
    ],
)
def test_feedback_refuses_bad_ratings_and_long_comments(db_settings, rating, comment, message):
    ada = user(db_settings, "ada")
    video_id = video(db_settings, ada)
    with pytest.raises(ChalkError, match=message) as refused:
        events.record_feedback(
            settings=db_settings, video_id=video_id, user_id=ada, rating=rating, comment=comment
        )
    assert refused.value.kind == "validation"
    assert events.list_feedback(settings=db_settings) == []


def test_list_feedback_for_admins_newest_first_with_filters(db_settings):
    ada, bob = user(db_settings, "ada"), user(db_settings, "bob")
    circle = video(db_settings, ada, visibility="public", template="circle_area")
    riemann = video(db_settings, ada, visibility="public", template="riemann_sum")
    events.record_feedback(settings=db_settings, video_id=circle, user_id=ada, rating=1)
    events.record_feedback(
        settings=db_settings, video_id=circle, user_id=bob, rating=0, comment="Labels overlap."
    )
    events.record_feedback(settings=db_settings, video_id=riemann, user_id=bob, rating=True)
    listed = events.list_feedback(settings=db_settings)
    assert [(f.username, f.template, f.rating) for f in listed] == [
        ("bob", "riemann_sum", 1),
        ("bob", "circle_area", 0),
        ("ada", "circle_area", 1),
    ]
    assert [f.comment for f in events.list_feedback(settings=db_settings, with_comment=True)] == [
        "Labels overlap."
    ]
    assert len(events.list_feedback(settings=db_settings, template="circle_area")) == 2
    assert len(events.list_feedback(settings=db_settings, rating=0)) == 1
    assert len(events.list_feedback(settings=db_settings, limit=1, offset=1)) == 1
    assert listed[0].to_json()["video_id"] == riemann


def test_feedback_survives_its_video_and_goes_with_its_user(db_settings):
    ada, bob = user(db_settings, "ada"), user(db_settings, "bob")
    video_id = video(db_settings, ada, visibility="public", template="circle_area")
    events.record_feedback(settings=db_settings, video_id=video_id, user_id=ada, rating=1)
    events.record_feedback(settings=db_settings, video_id=video_id, user_id=bob, rating=0)
    with session_scope(db_settings) as session:
        session.execute(delete(Video).where(Video.id == video_id))
    kept = events.list_feedback(settings=db_settings)
    assert [(f.video_id, f.template) for f in kept] == [(None, "circle_area")] * 2
    with session_scope(db_settings) as session:
        session.execute(delete(User).where(User.id == bob))
    assert [f.username for f in events.list_feedback(settings=db_settings)] == ["ada"]
