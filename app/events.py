"""Product events and feedback: what the services record for the admin page.

Events are typed rows in `usage_events` (one table, indexed by time), written by the services
(job submit and finish, video delete, the gallery and auth services), never by pages. They
hold ids and typed facts only: no prompt text, code, comments or personal data beyond the
user id.

- `add_event(session, kind, ...)` adds an event inside the caller's transaction (the job's
  state change and its event commit together).
- `record(kind, settings=..., ...)` writes one in its own transaction and never raises for a
  database failure: a lost event must not break what the teacher was doing.
- `add_job_finished(session, job_id, render_s=...)` is called by every change of a job to a
  final state (app.jobs.state.transition) and also updates the Prometheus counters.

Feedback (`record_feedback`, `get_feedback`, `list_feedback`) is one thumbs up (1) or down (0)
per user and video, with an optional comment; voting again replaces the vote.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypedDict, Unpack

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from app.db.engine import session_scope
from app.db.models import EVENT_KINDS, FINAL_STATES, Feedback, Job, UsageEvent, User, Video, utcnow
from app.errors import ChalkError, not_found_message
from app.ops import metrics
from app.settings import Settings
from app.text import storable

log = logging.getLogger(__name__)

COMMENT_MAX_CHARS = 1000
"""Longest feedback comment accepted."""

RATINGS = (0, 1)
"""Feedback ratings as `st.feedback("thumbs")` returns them: 0 thumbs down, 1 thumbs up."""

_STRING_LIMITS = {"job_id": 32, "video_id": 32, "generator": 128, "template": 64}


class EventFields(TypedDict, total=False):
    """The typed facts an event may carry (all optional; which ones depends on the kind)."""

    user_id: int | None
    job_id: str | None
    video_id: str | None
    generator: str | None
    template: str | None
    quality: str | None
    state: str | None
    error_kind: str | None
    render_s: float | None
    queue_wait_s: float | None
    attempts: int | None
    cache_hit: bool | None
    prompt_tokens: int | None
    completion_tokens: int | None
    at: datetime | None


def _event(kind: str, fields: EventFields) -> UsageEvent:
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown event kind {kind!r}; use one of {', '.join(EVENT_KINDS)}")
    values: dict[str, Any] = dict(fields)
    unknown = set(values) - set(EventFields.__annotations__)
    if unknown:
        raise ValueError(f"unknown event fields {sorted(unknown)}")
    for name, limit in _STRING_LIMITS.items():
        if isinstance(values.get(name), str):
            values[name] = values[name][:limit]
    if values.get("at") is None:
        values["at"] = utcnow()
    return UsageEvent(kind=kind, **values)


def add_event(session: Session, kind: str, **fields: Unpack[EventFields]) -> UsageEvent:
    """Add an event to `session`'s transaction; ValueError for an unknown kind or field."""
    event = _event(kind, fields)
    session.add(event)
    return event


def record(kind: str, *, settings: Settings, **fields: Unpack[EventFields]) -> bool:
    """Write one event in its own transaction; False (and a log line) if the database failed.

    ValueError for an unknown kind or field: that is a bug in the caller, not an outage.
    """
    event = _event(kind, fields)
    try:
        with session_scope(settings) as session:
            session.add(event)
    except SQLAlchemyError as exc:
        log.warning("could not record a %s event: %s", kind, exc.__class__.__name__)
        return False
    return True


def add_job_finished(session: Session, job_id: str, *, render_s: float | None = None) -> None:
    """Record that job `job_id` reached its final state (read from its row in `session`).

    Called inside the transaction that made the change, so the event exists exactly when the
    final state does. `render_s` is the sandbox time the worker measured (None when the job
    never rendered, e.g. cancelled while queued).
    """
    job = session.execute(
        select(
            Job.owner_id,
            Job.state,
            Job.error_kind,
            Job.generator,
            Job.generator_used,
            Job.template,
            Job.quality,
            Job.attempts,
            Job.cache_hit,
            Job.prompt_tokens,
            Job.completion_tokens,
            Job.created_at,
            Job.started_at,
        ).where(Job.id == job_id)
    ).one_or_none()
    if job is None or job.state not in FINAL_STATES:
        return
    wait = None
    if job.started_at is not None and job.created_at is not None:
        wait = max(0.0, (job.started_at - job.created_at).total_seconds())
    add_event(
        session,
        "job_finished",
        user_id=job.owner_id,
        job_id=job_id,
        generator=job.generator_used or job.generator,
        template=job.template,
        quality=job.quality,
        state=job.state,
        error_kind=job.error_kind,
        render_s=render_s,
        queue_wait_s=wait,
        attempts=len(job.attempts or []),
        cache_hit=bool(job.cache_hit),
        prompt_tokens=job.prompt_tokens or 0,
        completion_tokens=job.completion_tokens or 0,
    )
    metrics.observe_job_finished(
        state=job.state,
        error_kind=job.error_kind,
        quality=job.quality,
        render_s=render_s,
        cache_hit=bool(job.cache_hit),
    )


# Feedback ---------------------------------------------------------------------------------


class FeedbackNotAllowed(LookupError):
    """No such video, or one this user cannot see (so cannot rate)."""


@dataclass(frozen=True)
class FeedbackView:
    """One vote as the watch page and the admin page show it."""

    id: int
    video_id: str | None
    job_id: str | None
    user_id: int
    username: str
    video_title: str | None
    template: str | None
    generator: str | None
    rating: int
    comment: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def thumbs_up(self) -> bool:
        return self.rating == 1

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "video_id": self.video_id,
            "job_id": self.job_id,
            "user_id": self.user_id,
            "username": self.username,
            "video_title": self.video_title,
            "template": self.template,
            "generator": self.generator,
            "rating": self.rating,
            "comment": self.comment,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }


def _clean_comment(comment: str | None) -> str | None:
    if comment is None:
        return None
    text = storable(comment).strip()
    if not text:
        return None
    if len(text) > COMMENT_MAX_CHARS:
        raise ChalkError(
            "validation",
            f"Your comment is longer than {COMMENT_MAX_CHARS} characters; please shorten it.",
        )
    return text


def record_feedback(
    *,
    settings: Settings,
    video_id: str,
    user_id: int,
    rating: int,
    comment: str | None = None,
) -> FeedbackView:
    """Store `user_id`'s thumbs up (1) or down (0) on a video, replacing an earlier vote.

    The user must be able to see the video (their own, or one shared by link or public);
    otherwise FeedbackNotAllowed. A comment over COMMENT_MAX_CHARS is a ChalkError
    ("validation"); an empty comment is stored as none.
    """
    if isinstance(rating, bool):
        rating = int(rating)
    if rating not in RATINGS:
        raise ChalkError("validation", "A rating is a thumbs up (1) or a thumbs down (0).")
    text = _clean_comment(comment)
    for _ in range(2):  # a concurrent first vote of the same user: the second try updates
        try:
            with session_scope(settings) as session:
                video = session.get(Video, video_id)
                if video is None or (video.owner_id != user_id and video.visibility == "private"):
                    raise FeedbackNotAllowed(not_found_message("video", video_id))
                job = session.get(Job, video.job_id)
                vote = session.scalar(
                    select(Feedback).where(
                        Feedback.video_id == video_id, Feedback.user_id == user_id
                    )
                )
                now = utcnow()
                if vote is None:
                    vote = Feedback(
                        video_id=video_id,
                        user_id=user_id,
                        job_id=video.job_id,
                        template=job.template if job else None,
                        generator=(job.generator_used or job.generator) if job else None,
                        created_at=now,
                    )
                    session.add(vote)
                vote.rating = rating
                vote.comment = text
                vote.updated_at = now
                session.flush()
                vote_id = vote.id
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover - only a pathological race gets here twice
        raise RuntimeError("could not store the feedback after two tries")
    view = _feedback_views(settings, select_ids=[vote_id])
    return view[0]


def get_feedback(*, settings: Settings, video_id: str, user_id: int) -> FeedbackView | None:
    """`user_id`'s current vote on the video, or None (the widget's initial state)."""
    views = _feedback_views(settings, video_id=video_id, user_id=user_id, limit=1)
    return views[0] if views else None


def list_feedback(
    *,
    settings: Settings,
    limit: int = 50,
    offset: int = 0,
    start: datetime | None = None,
    end: datetime | None = None,
    rating: int | None = None,
    template: str | None = None,
    with_comment: bool = False,
) -> list[FeedbackView]:
    """Feedback for admins, newest first; `start`/`end` bound `updated_at` ([start, end))."""
    return _feedback_views(
        settings,
        limit=limit,
        offset=offset,
        start=start,
        end=end,
        rating=rating,
        template=template,
        with_comment=with_comment,
    )


def _feedback_views(
    settings: Settings,
    *,
    select_ids: list[int] | None = None,
    video_id: str | None = None,
    user_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
    start: datetime | None = None,
    end: datetime | None = None,
    rating: int | None = None,
    template: str | None = None,
    with_comment: bool = False,
) -> list[FeedbackView]:
    query = (
        select(Feedback, User.username, Video.title)
        .join(User, User.id == Feedback.user_id)
        .outerjoin(Video, Video.id == Feedback.video_id)
    )
    if select_ids is not None:
        query = query.where(Feedback.id.in_(select_ids))
    if video_id is not None:
        query = query.where(Feedback.video_id == video_id)
    if user_id is not None:
        query = query.where(Feedback.user_id == user_id)
    if start is not None:
        query = query.where(Feedback.updated_at >= start)
    if end is not None:
        query = query.where(Feedback.updated_at < end)
    if rating is not None:
        query = query.where(Feedback.rating == rating)
    if template is not None:
        query = query.where(Feedback.template == template)
    if with_comment:
        query = query.where(Feedback.comment.is_not(None))
    query = query.order_by(Feedback.updated_at.desc(), Feedback.id.desc())
    query = query.limit(max(0, limit)).offset(max(0, offset))
    with session_scope(settings) as session:
        rows = session.execute(query).all()
        return [
            FeedbackView(
                id=vote.id,
                video_id=vote.video_id,
                job_id=vote.job_id,
                user_id=vote.user_id,
                username=username,
                video_title=title,
                template=vote.template,
                generator=vote.generator,
                rating=vote.rating,
                comment=vote.comment,
                created_at=vote.created_at,
                updated_at=vote.updated_at,
            )
            for vote, username, title in rows
        ]
