"""Quotas per role and per user, the submit rate limit, and usage figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.accounts import users
from app.db.engine import session_scope
from app.db.models import Job, User, utcnow
from app.errors import ChalkError
from app.jobs import service
from app.quotas import limits_for, llm_tokens_left, next_month, usage
from app.settings import RoleQuota, Settings
from tests.jobs.recording import RecordingBackend

NO_LIMITS = {
    "videos_per_day": None,
    "render_minutes_per_month": None,
    "concurrent_jobs": None,
    "queued_jobs": None,
    "llm_tokens_per_month": None,
    "submits_per_minute": None,
}


def with_teacher_quota(settings: Settings, **limits: int | None) -> Settings:
    quota = RoleQuota(**{**NO_LIMITS, **limits})
    return settings.model_copy(update={"quotas": {**settings.quotas, "teacher": quota}})


def teacher(settings: Settings, name: str = "bob") -> int:
    if users.is_new_install(settings=settings):
        users.create_account(settings=settings, username="ada", password="pass word 1")
    return users.create_account(settings=settings, username=name, password="pass word 1").id


def submit(settings: Settings, owner: int, **kwargs: object) -> service.JobView:
    kwargs.setdefault("prompt", "a circle")
    return service.submit(settings=settings, owner_id=owner, backend=RecordingBackend(), **kwargs)  # type: ignore[arg-type]


def add_job(settings: Settings, owner: int, **columns: object) -> None:
    with session_scope(settings) as session:
        session.add(Job(owner_id=owner, prompt="x", **{"state": "succeeded", **columns}))


def test_quota_settings_merge_field_by_field(monkeypatch):
    monkeypatch.setenv("CHALK_QUOTAS", '{"teacher": {"videos_per_day": 7}}')
    settings = Settings()
    assert settings.quotas["teacher"].videos_per_day == 7
    assert settings.quotas["teacher"].concurrent_jobs == 3  # the default stays
    assert settings.quotas["admin"].videos_per_day is None
    monkeypatch.setenv("CHALK_QUOTAS", '{"student": {"videos_per_day": 1}}')
    with pytest.raises(ValueError, match="unknown role 'student'"):
        Settings()


def test_videos_per_day_refuses_with_the_reset_time(db_settings):
    settings = with_teacher_quota(db_settings, videos_per_day=2)
    bob = teacher(settings)
    add_job(settings, bob, created_at=utcnow() - timedelta(days=1))  # yesterday's: not counted
    # Failures and cancelled jobs made no video: they do not count, whenever they ended.
    add_job(settings, bob, state="failed", created_at=utcnow())
    add_job(settings, bob, state="cancelled", started_at=utcnow(), created_at=utcnow())
    submit(settings, bob)
    cancelled = submit(settings, bob)
    service.cancel(settings=settings, job_id=cancelled.job_id, backend=RecordingBackend())
    submit(settings, bob)  # still rendering: counts, as it will be a video
    with pytest.raises(ChalkError) as refused:
        submit(settings, bob)
    assert refused.value.kind == "quota"
    assert refused.value.message.startswith(
        "You have made 2 videos today, your daily limit; it resets at midnight UTC (in "
    )
    assert usage(settings=settings, user_id=bob).videos_today == 2


def test_a_per_user_override_beats_the_role_quota(db_settings):
    settings = with_teacher_quota(db_settings, videos_per_day=1)
    bob = teacher(settings)
    users.set_quota_overrides(settings=settings, user_id=bob, overrides=RoleQuota(videos_per_day=3))
    for _ in range(3):
        submit(settings, bob)
    with pytest.raises(ChalkError, match="made 3 videos today"):
        submit(settings, bob)
    other = teacher(settings, "cyd")
    submit(settings, other)
    with pytest.raises(ChalkError, match="made 1 video today"):
        submit(settings, other)


def test_render_minutes_per_month(db_settings):
    settings = with_teacher_quota(db_settings, render_minutes_per_month=10)
    bob = teacher(settings)
    now = utcnow()
    add_job(settings, bob, started_at=now - timedelta(minutes=7), finished_at=now)
    add_job(
        settings,
        bob,
        started_at=now - timedelta(days=40, minutes=30),
        finished_at=now - timedelta(days=40),
    )  # an earlier month's half hour does not count
    assert round(usage(settings=settings, user_id=bob).render_minutes_month, 3) == 7
    submit(settings, bob)
    add_job(settings, bob, started_at=now - timedelta(minutes=3), finished_at=now)
    with pytest.raises(ChalkError) as refused:
        submit(settings, bob)
    expected = f"{next_month(now):%-d %B}"
    assert refused.value.message == (
        f"You have used your 10 render minutes for this month; they reset on {expected} (UTC), "
        "or ask your Chalk admin for more."
    )


def test_llm_tokens_only_stop_ai_jobs(db_settings):
    settings = with_teacher_quota(db_settings, llm_tokens_per_month=1000)
    bob = teacher(settings)
    add_job(settings, bob, prompt_tokens=700, completion_tokens=300)
    assert usage(settings=settings, user_id=bob).llm_tokens_month == 1000
    with pytest.raises(ChalkError, match="used your 1,000 AI tokens for this month; pick a"):
        submit(settings, bob, generator="llm")
    # Templates and pasted code use no tokens.
    submit(settings, bob, generator="offline")
    submit(settings, bob, prompt=None, code="from manim import *\n")
    # "auto" uses the LLM only when one is set up.
    submit(settings, bob, generator="auto")
    configured = settings.model_copy(update={"llm_model": "m", "llm_base_url": "http://x"})
    with pytest.raises(ChalkError, match="AI tokens"):
        submit(configured, bob, generator="auto")


def test_the_submit_rate_limit_says_how_long_to_wait(db_settings):
    settings = with_teacher_quota(db_settings, submits_per_minute=2)
    bob = teacher(settings)
    submit(settings, bob)
    submit(settings, bob)
    with pytest.raises(ChalkError) as refused:
        submit(settings, bob)
    assert refused.value.kind == "quota"
    assert refused.value.message.startswith("You started 2 animations in the last minute")
    assert "wait" in refused.value.message and "seconds, then try again." in refused.value.message


def test_admins_have_their_own_quota(db_settings):
    settings = with_teacher_quota(db_settings, videos_per_day=0)
    ada = users.create_account(settings=settings, username="ada", password="pass word 1")
    assert ada.is_admin
    for _ in range(3):
        submit(settings, ada.id)
    with session_scope(settings) as session:
        limits = limits_for(session.get(User, ada.id), settings)
    assert limits.videos_per_day is None
    assert limits.concurrent_jobs == settings.quotas["admin"].concurrent_jobs


def test_a_disabled_user_cannot_submit(db_settings):
    bob = teacher(db_settings)
    users.set_disabled(settings=db_settings, username="bob", disabled=True)
    with pytest.raises(ChalkError, match="account is disabled"):
        submit(db_settings, bob)


def test_usage_reports_what_the_account_page_shows(db_settings):
    bob = teacher(db_settings)
    now = datetime(2026, 12, 31, 23, 0, tzinfo=UTC)
    add_job(db_settings, bob, created_at=now - timedelta(hours=1), prompt_tokens=5)
    add_job(db_settings, bob, created_at=now - timedelta(hours=2), state="queued")
    figures = usage(settings=db_settings, user_id=bob, now=now)
    assert (figures.videos_today, figures.active_jobs, figures.llm_tokens_month) == (2, 1, 5)
    assert figures.day_resets_at == datetime(2027, 1, 1, tzinfo=UTC)
    assert figures.month_resets_at == datetime(2027, 1, 1, tzinfo=UTC)
    assert figures.limits == db_settings.quotas["teacher"]


def test_every_quota_can_be_overridden_per_user(db_settings):
    bob = teacher(db_settings)
    every = RoleQuota(
        videos_per_day=1,
        render_minutes_per_month=2,
        concurrent_jobs=3,
        queued_jobs=6,
        llm_tokens_per_month=4,
        submits_per_minute=5,
    )
    saved = users.set_quota_overrides(settings=db_settings, user_id=bob, overrides=every)
    assert saved.overrides == every
    assert users.get_account(settings=db_settings, user_id=bob).overrides == every
    with session_scope(db_settings) as session:
        assert limits_for(session.get(User, bob), db_settings) == every
    cleared = users.set_quota_overrides(settings=db_settings, user_id=bob, overrides=RoleQuota())
    assert cleared.overrides == RoleQuota()


def test_ai_work_outside_a_job_stops_when_the_tokens_are_used(db_settings):
    # The "Change it" AI path asks the model before any job exists.
    settings = with_teacher_quota(db_settings, llm_tokens_per_month=1000)
    bob = teacher(settings)
    add_job(settings, bob, prompt_tokens=600, completion_tokens=300)
    llm_tokens_left(settings=settings, user_id=bob)  # 900 of 1,000: still allowed
    add_job(settings, bob, prompt_tokens=100, completion_tokens=0)
    with pytest.raises(ChalkError, match="used your 1,000 AI tokens for this month; pick a"):
        llm_tokens_left(settings=settings, user_id=bob)
