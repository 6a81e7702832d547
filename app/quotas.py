"""Quotas and the submit rate limit: what a user may still use, and refusing what is over.

Limits come from the user's role (`settings.quotas`) unless the user has an override
(`users` columns set by an admin). Days and months are UTC calendar days and months. Usage
counts jobs, so a refused submit never counts:

- videos per day: jobs submitted today, except those cancelled before they started;
- render minutes per month: wall time from start to finish of this month's finished jobs;
- LLM tokens per month: prompt and completion tokens of this month's jobs;
- jobs accepted (`queued_jobs`): waiting for a slot, queued or running now; submits per
  minute: jobs in the last 60 seconds.

`concurrent_jobs` refuses nothing: it bounds how many of a user's jobs are on the queue or
running at once, and the rest wait for a free slot (app.jobs.dispatch).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts.users import overrides_of
from app.db.engine import session_scope
from app.db.models import ACTIVE_STATES, LESSON_GENERATOR, Job, User, utcnow
from app.errors import ChalkError
from app.settings import RoleQuota, Settings


def limits_for(user: User, settings: Settings) -> RoleQuota:
    """The user's effective limits: their overrides over their role's quota."""
    role = settings.quotas.get(user.role) or RoleQuota()
    own = overrides_of(user).model_dump(exclude_none=True)
    return role.model_copy(update=own)


def day_start(now: datetime) -> datetime:
    return datetime(now.year, now.month, now.day, tzinfo=UTC)


def month_start(now: datetime) -> datetime:
    return datetime(now.year, now.month, 1, tzinfo=UTC)


def next_month(now: datetime) -> datetime:
    return datetime(now.year + now.month // 12, now.month % 12 + 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Usage:
    """What a user used against their limits (None limit: no limit)."""

    videos_today: int
    render_minutes_month: float
    llm_tokens_month: int
    active_jobs: int  # accepted and not finished: waiting for a slot, queued or running
    waiting_jobs: int  # of those, waiting in the database for a free slot
    submits_last_minute: int
    limits: RoleQuota
    day_resets_at: datetime
    month_resets_at: datetime


def _measure(session: Session, user: User, settings: Settings, now: datetime) -> Usage:
    # A lesson's joined video is made of its scenes' jobs, which count already.
    owner = (Job.owner_id == user.id) & (Job.generator != LESSON_GENERATOR)
    # Videos made, and those still being made: a failed or cancelled attempt is no video.
    made_or_making = Job.state.in_(("succeeded", *ACTIVE_STATES))
    videos_today = session.scalar(
        select(func.count()).where(owner, Job.created_at >= day_start(now), made_or_making)
    )
    tokens = session.scalar(
        select(func.coalesce(func.sum(Job.prompt_tokens + Job.completion_tokens), 0)).where(
            owner, Job.created_at >= month_start(now)
        )
    )
    spans = session.execute(
        select(Job.started_at, Job.finished_at).where(
            owner, Job.finished_at >= month_start(now), Job.started_at.is_not(None)
        )
    ).all()
    render_s = sum(
        max(0.0, (finished - started).total_seconds())
        for started, finished in spans
        if started is not None and finished is not None
    )
    active = session.scalar(select(func.count()).where(owner, Job.state.in_(ACTIVE_STATES)))
    waiting = session.scalar(
        select(func.count()).where(owner, Job.state == "queued", Job.awaiting_slot.is_(True))
    )
    recent = session.scalar(
        select(func.count()).where(owner, Job.created_at > now - timedelta(minutes=1))
    )
    return Usage(
        videos_today=int(videos_today or 0),
        render_minutes_month=render_s / 60,
        llm_tokens_month=int(tokens or 0),
        active_jobs=int(active or 0),
        waiting_jobs=int(waiting or 0),
        submits_last_minute=int(recent or 0),
        limits=limits_for(user, settings),
        day_resets_at=day_start(now) + timedelta(days=1),
        month_resets_at=next_month(now),
    )


def usage(*, settings: Settings, user_id: int, now: datetime | None = None) -> Usage:
    """The user's usage today and this month against their limits."""
    with session_scope(settings) as session:
        user = session.get(User, user_id)
        if user is None:
            raise LookupError(f"no user with id {user_id}")
        return _measure(session, user, settings, now or utcnow())


def refusal_stands(
    *, settings: Settings, user_id: int, uses_llm: bool = False, now: datetime | None = None
) -> bool:
    """Whether a submit now would still be refused over a limit: a refusal's sentence is shown
    only while its cause lasts (a job finished, the minute or the day passed)."""
    with session_scope(settings) as session:
        user = session.get(User, user_id)
        if user is None:
            return False
        try:
            check_submit(session, user, settings, uses_llm=uses_llm, now=now or utcnow())
        except ChalkError:
            return True
    return False


def llm_tokens_left(*, settings: Settings, user_id: int, now: datetime | None = None) -> None:
    """Refuse AI work outside a job (the "Change it" AI path) once this month's AI tokens are
    used up: ChalkError "quota" with the sentence a submit would give."""
    used = usage(settings=settings, user_id=user_id, now=now)
    limit = used.limits.llm_tokens_per_month
    if limit is not None and used.llm_tokens_month >= limit:
        raise ChalkError("quota", _tokens_used_up(limit, used.month_resets_at))


def _tokens_used_up(limit: int, resets_at: datetime) -> str:
    return (
        f"You have used your {limit:,} AI tokens for this month; pick a template instead, or "
        f"wait until they reset on {resets_at:%-d %B} (UTC)."
    )


def _in(moment: datetime, now: datetime) -> str:
    minutes = max(1, int((moment - now).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"


def check_submit(
    session: Session,
    user: User,
    settings: Settings,
    *,
    uses_llm: bool,
    now: datetime,
    rate_limited: bool = True,
) -> None:
    """Refuse a new job over any limit: ChalkError "quota" saying when it resets.

    Call inside the submit transaction after locking the user's row, so that concurrent
    submits of one user are counted one after another.
    """
    used = _measure(session, user, settings, now)
    limits = used.limits

    def refuse(message: str) -> ChalkError:
        return ChalkError("quota", message)

    if (
        rate_limited
        and limits.submits_per_minute is not None
        and used.submits_last_minute >= limits.submits_per_minute
    ):
        oldest = session.scalar(
            select(func.min(Job.created_at)).where(
                Job.owner_id == user.id, Job.created_at > now - timedelta(minutes=1)
            )
        )
        wait = 60 if oldest is None else max(1, int(60 - (now - oldest).total_seconds()) + 1)
        raise refuse(
            f"You started {used.submits_last_minute} animations in the last minute, the most "
            f"allowed; wait {wait} seconds, then try again."
        )
    if limits.queued_jobs is not None and used.active_jobs >= limits.queued_jobs:
        raise refuse(
            f"You already have {used.active_jobs} animations waiting or in progress, the most "
            "allowed; wait for some to finish (or cancel some), then try again."
        )
    if limits.videos_per_day is not None and used.videos_today >= limits.videos_per_day:
        raise refuse(
            f"You have made {used.videos_today} video{'s' if used.videos_today != 1 else ''} "
            "today, your daily limit; it resets at midnight UTC (in "
            f"{_in(used.day_resets_at, now)})."
        )
    month_reset = f"{used.month_resets_at:%-d %B}"
    if limits.render_minutes_per_month is not None and used.render_minutes_month >= (
        limits.render_minutes_per_month
    ):
        raise refuse(
            f"You have used your {limits.render_minutes_per_month} render minutes for this "
            f"month; they reset on {month_reset} (UTC), or ask your Chalk admin for more."
        )
    if (
        uses_llm
        and limits.llm_tokens_per_month is not None
        and used.llm_tokens_month >= limits.llm_tokens_per_month
    ):
        raise refuse(_tokens_used_up(limits.llm_tokens_per_month, used.month_resets_at))


FINISH_RETRY_S = 30
"""A guess for "one of your jobs finishes": previews take tens of seconds."""


def retry_after_s(*, settings: Settings, user_id: int) -> int:
    """Seconds until the user's first exhausted limit frees up (60 if none is any more): the
    HTTP API's Retry-After for a refused submit."""
    used = usage(settings=settings, user_id=user_id)
    limits = used.limits
    now = utcnow()
    if limits.submits_per_minute is not None and (
        used.submits_last_minute >= limits.submits_per_minute
    ):
        return 60
    if limits.queued_jobs is not None and used.active_jobs >= limits.queued_jobs:
        return FINISH_RETRY_S
    if limits.videos_per_day is not None and used.videos_today >= limits.videos_per_day:
        return max(1, int((used.day_resets_at - now).total_seconds()))
    if (
        limits.render_minutes_per_month is not None
        and used.render_minutes_month >= limits.render_minutes_per_month
    ) or (
        limits.llm_tokens_per_month is not None
        and used.llm_tokens_month >= limits.llm_tokens_per_month
    ):
        return max(1, int((used.month_resets_at - now).total_seconds()))
    return 60
