"""The reconciler and the owner-checked writes, on SQLite and PostgreSQL (no rendering)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from rq import Queue
from sqlalchemy import select

from app.db.engine import session_scope
from app.db.models import Job, JobEvent, utcnow
from app.jobs import runner, state
from app.jobs.backends import RQBackend, rq_job_id
from app.jobs.reconciler import reconcile
from app.settings import Settings
from tests.helpers import make_user
from tests.jobs.recording import RecordingBackend


def put_job(settings: Settings, *, state_: str, silent_s: float, **values) -> str:
    """A job row in `state_` whose last heartbeat was `silent_s` seconds ago."""
    owner = make_user(settings)
    then = utcnow() - timedelta(seconds=silent_s)
    with session_scope(settings) as session:
        job = Job(
            owner_id=owner,
            prompt="a circle",
            state=state_,
            created_at=then,
            started_at=then if state_ == "running" else None,
            heartbeat_at=then,
            worker_id="host:1/dead" if state_ == "running" else None,
            **values,
        )
        session.add(job)
        session.flush()
        return job.id


def load(settings: Settings, job_id: str) -> Job:
    with session_scope(settings) as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def details(settings: Settings, job_id: str) -> list[str]:
    with session_scope(settings) as session:
        return [
            e.detail or ""
            for e in session.scalars(
                select(JobEvent).where(JobEvent.job_id == job_id).order_by(JobEvent.id)
            )
        ]


def test_a_silent_running_job_is_requeued_once_then_failed(job_settings):
    backend = RecordingBackend()
    job_id = put_job(job_settings, state_="running", silent_s=60)
    report = reconcile(job_settings, backend)
    assert report.requeued == [job_id]
    job = load(job_settings, job_id)
    assert (job.state, job.requeues, job.worker_id, job.started_at) == ("queued", 1, None, None)
    assert backend.queued == [(job_id, 1)]
    assert details(job_settings, job_id)[-1].startswith("re-queued: no heartbeat from host:1/dead")
    # Its second execution is lost too: now it fails, with the reason a teacher can act on.
    with session_scope(job_settings) as session:
        row = session.get(Job, job_id)
        row.state, row.worker_id = "running", "host:2/dead"
        row.heartbeat_at = utcnow() - timedelta(seconds=60)
    report = reconcile(job_settings, backend)
    assert report.failed == [job_id]
    job = load(job_settings, job_id)
    assert job.state == "failed" and job.error_kind == "internal"
    assert job.error_message == (
        "The computer rendering this animation stopped unexpectedly; please try again."
    )
    assert job.finished_at is not None


def test_with_max_requeues_zero_a_lost_job_fails_at_once(job_settings):
    settings = job_settings.model_copy(update={"max_requeues": 0})
    job_id = put_job(settings, state_="running", silent_s=60)
    assert reconcile(settings, RecordingBackend()).failed == [job_id]
    assert load(settings, job_id).state == "failed"


def test_a_lost_job_whose_cancel_was_requested_is_cancelled(job_settings):
    job_id = put_job(job_settings, state_="running", silent_s=60, cancel_requested=True)
    backend = RecordingBackend()
    assert reconcile(job_settings, backend).cancelled == [job_id]
    assert load(job_settings, job_id).state == "cancelled"
    assert backend.queued == []


def test_live_jobs_are_left_alone(job_settings):
    backend = RecordingBackend()
    running = put_job(job_settings, state_="running", silent_s=0.5)
    queued = put_job(job_settings, state_="queued", silent_s=0.5)
    report = reconcile(job_settings, backend)
    assert not report.changed
    assert load(job_settings, running).state == "running"
    assert load(job_settings, queued).state == "queued"


def test_a_queued_job_the_backend_lost_is_enqueued_again(job_settings):
    backend = RecordingBackend()
    lost = put_job(job_settings, state_="queued", silent_s=60)
    held = put_job(job_settings, state_="queued", silent_s=60)
    backend.enqueue(held, 0, "preview")
    report = reconcile(job_settings, backend)
    assert report.reenqueued == [lost]
    assert sorted(backend.queued) == sorted([(held, 0), (lost, 0)])


def test_a_zombie_workers_late_write_does_not_overwrite_the_requeued_job(job_settings):
    owner = make_user(job_settings)
    backend = RecordingBackend()
    with session_scope(job_settings) as session:
        job = Job(owner_id=owner, prompt="a circle")
        session.add(job)
        session.flush()
        job_id = job.id
    zombie = runner._claim(job_id, job_settings, "host:1/zombie")
    assert zombie is not None
    # The zombie goes silent (e.g. stopped by SIGSTOP); the reconciler gives its job away.
    with session_scope(job_settings) as session:
        session.get(Job, job_id).heartbeat_at = utcnow() - timedelta(seconds=60)
    assert reconcile(job_settings, backend).requeued == [job_id]
    assert runner._claim(job_id, job_settings, "host:2/successor") is not None

    # The zombie wakes up: its heartbeat finds the job gone and stops its render...
    cancel = threading.Event()
    heartbeat = runner.Heartbeat(job_id, "host:1/zombie", job_settings, cancel)
    heartbeat.beat()
    assert heartbeat.lost and cancel.is_set()
    # ...and its result is dropped instead of overwriting the successor's job.
    written = runner._finish(
        job_id, "host:1/zombie", job_settings, "failed", {"error_kind": "render"}
    )
    assert written is None
    job = load(job_settings, job_id)
    assert (job.state, job.worker_id, job.error_kind) == ("running", "host:2/successor", None)
    assert runner._finish(job_id, "host:2/successor", job_settings, "succeeded", {}) == "succeeded"
    assert load(job_settings, job_id).state == "succeeded"


def test_a_job_is_claimed_by_one_execution_only(job_settings):
    job_id = put_job(job_settings, state_="queued", silent_s=0)
    start = threading.Barrier(6)
    claims: list[object] = []

    def claim(i: int) -> None:
        start.wait(timeout=30)
        claims.append(runner._claim(job_id, job_settings, f"host:{i}/x"))

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(1 for c in claims if c is not None) == 1


@pytest.mark.xdist_group("redis")
def test_racing_reconcilers_enqueue_each_lost_job_once(rq_settings):
    jobs = [put_job(rq_settings, state_="running", silent_s=60) for _ in range(5)]
    start = threading.Barrier(6)
    errors: list[BaseException] = []

    def one_pass() -> None:
        start.wait(timeout=30)
        try:
            reconcile(rq_settings, RQBackend(rq_settings))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=one_pass) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    queue = Queue(rq_settings.queue_name, connection=RQBackend(rq_settings).redis)
    assert sorted(queue.job_ids) == sorted(rq_job_id(job_id, 1) for job_id in jobs)
    for job_id in jobs:
        assert load(rq_settings, job_id).requeues == 1
        assert sum(d.startswith("re-queued") for d in details(rq_settings, job_id)) == 1


def test_release_requires_the_execution_it_saw(job_settings):
    job_id = put_job(job_settings, state_="running", silent_s=60)
    job = load(job_settings, job_id)
    with session_scope(job_settings) as session:
        session.get(Job, job_id).worker_id = "host:3/new"
    with session_scope(job_settings) as session:
        assert state.release_lost_job(session, job, reason="x", settings=job_settings) is None
    assert load(job_settings, job_id).state == "running"
