"""The admin's queue panel service (app.jobs.overview) on SQLite and PostgreSQL, with the inline
pool and with real RQ workers registered in a throwaway Redis database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from redis import Redis
from rq import Queue, SimpleWorker

from app.accounts.users import get_or_create_user
from app.db.engine import session_scope
from app.db.models import Job, utcnow
from app.jobs import overview
from app.jobs.backends import get_backend


def seed(settings, owner: str, **fields) -> str:
    with session_scope(settings) as session:
        user = get_or_create_user(session, owner, "teacher")
        session.flush()
        job = Job(owner_id=user.id, prompt="p", **fields)
        session.add(job)
        session.flush()
        return job.id


@pytest.fixture
def busy_db(job_settings):
    """Two teachers' jobs: one queued 5 min ago, two running (fresh and silent), one done."""
    now = utcnow()
    ids = {
        "done": seed(
            job_settings, "alice", state="succeeded", created_at=now - timedelta(minutes=9)
        ),
        "queued": seed(
            job_settings,
            "bob",
            state="queued",
            quality="standard",
            created_at=now - timedelta(minutes=5),
        ),
        "fresh": seed(
            job_settings,
            "alice",
            state="running",
            stage="rendering",
            progress=0.4,
            created_at=now - timedelta(minutes=2),
            started_at=now - timedelta(minutes=1),
            worker_id="inline:hostA:11/aaaa1111",
            heartbeat_at=now - timedelta(seconds=1),
        ),
        "silent": seed(
            job_settings,
            "bob",
            state="running",
            stage="generating",
            created_at=now - timedelta(minutes=3),
            started_at=now - timedelta(minutes=3),
            worker_id="inline:hostB:22/bbbb2222",
            heartbeat_at=now - timedelta(seconds=90),
        ),
    }
    return job_settings, ids, now


def test_active_jobs_lists_every_users_waiting_and_running_jobs_oldest_first(busy_db):
    settings, ids, now = busy_db
    jobs = overview.active_jobs(settings=settings, now=now)
    assert [job.job_id for job in jobs] == [ids["queued"], ids["silent"], ids["fresh"]]
    queued, silent, fresh = jobs
    assert (queued.owner, queued.state, queued.quality) == ("bob", "queued", "standard")
    assert queued.age_s == pytest.approx(300, abs=1)
    assert queued.worker_id is None and queued.heartbeat_age_s is None and not queued.stale
    assert (fresh.owner, fresh.stage, fresh.progress) == ("alice", "rendering", 0.4)
    assert fresh.worker_id == "inline:hostA:11/aaaa1111"
    assert fresh.heartbeat_age_s == pytest.approx(1, abs=0.5) and not fresh.stale
    # 90 s of silence is beyond stale_after_s (3 s in these settings): the worker may be gone.
    assert silent.heartbeat_age_s == pytest.approx(90, abs=1) and silent.stale


def test_overview_counts_and_finds_workers_through_their_jobs(busy_db):
    settings, ids, now = busy_db
    report = overview.queue_overview(settings=settings, now=now)
    assert (report.backend, report.queued, report.running) == ("inline", 1, 2)
    assert report.oldest_queued_s == pytest.approx(300, abs=1)
    assert report.problems == [] and report.queue_depth is None
    # No pool in this process: the two executions are known only by their job rows.
    by_name = {worker.name: worker for worker in report.workers}
    assert set(by_name) == {"inline:hostA:11", "inline:hostB:22"}
    assert by_name["inline:hostA:11"].current_job == ids["fresh"]
    assert not by_name["inline:hostA:11"].stale
    assert by_name["inline:hostB:22"].stale
    assert by_name["inline:hostB:22"].heartbeat_age_s == pytest.approx(90, abs=1)
    assert {worker.kind for worker in report.workers} == {"execution"}


def test_a_job_waiting_for_its_owners_slot_is_shown_so_and_is_no_backlog(busy_db):
    settings, ids, now = busy_db
    waiting = seed(
        settings,
        "bob",
        state="queued",
        awaiting_slot=True,
        created_at=now - timedelta(minutes=30),
    )
    jobs = {job.job_id: job for job in overview.active_jobs(settings=settings, now=now)}
    assert jobs[waiting].awaiting_slot and not jobs[ids["queued"]].awaiting_slot
    report = overview.queue_overview(settings=settings, now=now)
    assert report.queued == 2
    # Waiting 30 min for bob's own slot is by design: the oldest wait is still the 5 min one.
    assert report.oldest_queued_s == pytest.approx(300, abs=1)


def test_the_inline_pool_of_this_process_is_listed_idle_then_busy(job_settings):
    pool = get_backend(job_settings)
    report = overview.queue_overview(settings=job_settings)
    assert [(w.name, w.kind, w.state) for w in report.workers] == [
        (pool.worker_id, "inline", "idle")
    ]
    assert report.workers[0].heartbeat_age_s == pytest.approx(0, abs=1)

    now = utcnow()
    job_id = seed(
        job_settings,
        "carol",
        state="running",
        stage="rendering",
        started_at=now,
        worker_id=f"{pool.worker_id}/cccc3333",
        heartbeat_at=now - timedelta(seconds=2),
    )
    report = overview.queue_overview(settings=job_settings, now=now)
    assert len(report.workers) == 1  # its own job does not list the pool twice
    worker = report.workers[0]
    assert (worker.kind, worker.state, worker.current_job) == ("inline", "busy", job_id)
    assert worker.heartbeat_age_s == pytest.approx(2, abs=0.5)


@pytest.mark.xdist_group("redis")
def test_rq_workers_show_their_heartbeats_and_the_queue_depth(job_settings, redis_url):
    settings = job_settings.model_copy(update={"redis_url": redis_url})
    redis = Redis.from_url(redis_url)
    queue = Queue(settings.queue_name, connection=redis)
    worker = SimpleWorker([queue], connection=redis, name="chalk-hostR-33-abc123")
    worker.register_birth()
    other_queue = Queue("someone-else", connection=redis)
    SimpleWorker([other_queue], connection=redis, name="not-ours").register_birth()
    queue.enqueue("jobs.tasks.render", "job-a", job_id="job-a")
    queue.enqueue("jobs.tasks.render", "job-b", job_id="job-b")
    try:
        report = overview.queue_overview(settings=settings)
        assert report.backend == "rq" and report.problems == []
        assert report.queue_depth == 2
        assert [(w.name, w.kind) for w in report.workers] == [("chalk-hostR-33-abc123", "rq")]
        beat = report.workers[0]
        assert beat.heartbeat_age_s is not None and beat.heartbeat_age_s < 5
        assert not beat.stale and beat.current_job is None
        assert "pid" in beat.detail

        # A running job of this worker is shown under the worker, not as a separate one.
        seed(
            settings,
            "dave",
            state="running",
            started_at=utcnow(),
            worker_id="chalk-hostR-33-abc123/dddd4444",
            heartbeat_at=utcnow(),
        )
        report = overview.queue_overview(settings=settings)
        assert [w.name for w in report.workers] == ["chalk-hostR-33-abc123"]
    finally:
        worker.register_death()
        redis.close()


def test_an_unreachable_redis_is_one_sentence_not_an_error(job_settings):
    settings = job_settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"})
    seed(settings, "erin", state="queued", created_at=utcnow())
    report = overview.queue_overview(settings=settings)
    assert report.queued == 1 and report.workers == []
    assert report.problems == [
        "Chalk could not reach Redis to list its workers; check that Redis is running "
        "(`chalk health`)."
    ]
