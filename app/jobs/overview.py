"""The admin's queue panel: every user's waiting and running jobs, and the workers' heartbeats.

Plain functions (no Streamlit). Jobs come from the database, the source of truth for their
state. Workers come from where they live:

- RQ (`settings.redis_url` set): `rq.Worker.all` for the app's queue, each with RQ's own
  heartbeat, state and current job;
- the inline pool (no Redis): this process's pool, busy or idle;
- and, either way, any other execution that owns a running job (another app process's
  inline pool, a `chalk submit`), seen through the job rows' heartbeats.

A heartbeat older than `settings.stale_after_s` is stale: the reconciler treats such a
running job as lost.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from app.db.engine import session_scope
from app.db.models import ACTIVE_STATES, Job, User, utcnow
from app.jobs import backends
from app.settings import Settings

log = logging.getLogger(__name__)

ACTIVE_JOBS_LIMIT = 500
"""Most jobs the panel lists (oldest first); a backlog beyond that is counted, not listed."""


@dataclass(frozen=True)
class ActiveJob:
    """One queued or running job as the queue panel shows it."""

    job_id: str
    owner_id: int
    owner: str
    what: str
    """The prompt, or "edited code: <scene>" for a code job: how an admin tells jobs apart."""
    state: str
    stage: str | None
    progress: float
    quality: str
    template: str | None
    created_at: datetime
    started_at: datetime | None
    age_s: float
    """Seconds since it was submitted."""
    worker_id: str | None
    heartbeat_at: datetime | None
    heartbeat_age_s: float | None
    """Seconds since its worker last wrote a heartbeat (None while queued)."""
    stale: bool
    """Running, with a heartbeat older than `stale_after_s` (its worker may be gone)."""
    cancel_requested: bool
    requeues: int
    awaiting_slot: bool = False
    """Accepted, waiting in the database for one of its owner's slots (app.jobs.dispatch)."""


@dataclass(frozen=True)
class WorkerBeat:
    """One worker and how recently it showed a sign of life."""

    name: str
    kind: str
    """"rq", "inline" (this process's pool) or "execution" (seen only through a job row)."""
    state: str
    """"idle", "busy", or RQ's own state name."""
    last_heartbeat: datetime | None
    heartbeat_age_s: float | None
    stale: bool
    current_job: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class QueueOverview:
    """The queue panel: jobs oldest first, workers, and the headline numbers."""

    backend: str
    jobs: list[ActiveJob]
    workers: list[WorkerBeat]
    queued: int
    running: int
    oldest_queued_s: float | None
    queue_depth: int | None = None
    """Jobs waiting in Redis (RQ only)."""
    problems: list[str] = field(default_factory=list)
    """Sentences about what could not be read (e.g. Redis unreachable)."""


def _age(moment: datetime | None, now: datetime) -> float | None:
    if moment is None:
        return None
    return max(0.0, (now - moment).total_seconds())


def active_jobs(
    *, settings: Settings, now: datetime | None = None, limit: int = ACTIVE_JOBS_LIMIT
) -> list[ActiveJob]:
    """Queued and running jobs of every user, oldest first."""
    now = now or utcnow()
    with session_scope(settings) as session:
        rows = session.execute(
            select(Job, User.username)
            .join(User, User.id == Job.owner_id)
            .where(Job.state.in_(ACTIVE_STATES))
            .order_by(Job.created_at, Job.id)
            .limit(max(0, limit))
        ).all()
        jobs = []
        for job, username in rows:
            beat = _age(job.heartbeat_at, now) if job.state == "running" else None
            jobs.append(
                ActiveJob(
                    job_id=job.id,
                    owner_id=job.owner_id,
                    owner=username,
                    what=_what(job),
                    state=job.state,
                    stage=job.stage,
                    progress=job.progress or 0.0,
                    quality=job.quality,
                    template=job.template,
                    created_at=job.created_at,
                    started_at=job.started_at,
                    age_s=_age(job.created_at, now) or 0.0,
                    worker_id=job.worker_id if job.state == "running" else None,
                    heartbeat_at=job.heartbeat_at if job.state == "running" else None,
                    heartbeat_age_s=beat,
                    stale=beat is not None and beat > settings.stale_after_s,
                    cancel_requested=bool(job.cancel_requested),
                    requeues=job.requeues or 0,
                    awaiting_slot=job.state == "queued" and bool(job.awaiting_slot),
                )
            )
    return jobs


def worker_name_of(execution: str) -> str:
    """The worker part of a job row's worker_id ("<worker>/<execution token>")."""
    return execution.rsplit("/", 1)[0] if "/" in execution else execution


def _rq_workers(settings: Settings, now: datetime) -> tuple[list[WorkerBeat], int | None]:
    # Lazy: redis and rq cost start-up time, and only installs with Redis need them.
    from redis import Redis
    from rq import Queue, Worker

    redis = Redis.from_url(settings.redis_url or "", socket_connect_timeout=3, socket_timeout=5)
    try:
        queue = Queue(settings.queue_name, connection=redis)
        beats = []
        for worker in Worker.all(queue=queue):
            age = _age(worker.last_heartbeat, now)
            try:
                current = worker.get_current_job_id()
            except Exception:  # a worker's record changing under us: show it without a job
                current = None
            where = f"{worker.hostname or '?'} pid {worker.pid}" if worker.pid else ""
            beats.append(
                WorkerBeat(
                    name=worker.name,
                    kind="rq",
                    state=worker.get_state(),
                    last_heartbeat=worker.last_heartbeat,
                    heartbeat_age_s=age,
                    stale=age is None or age > max(settings.stale_after_s, worker.worker_ttl),
                    current_job=current,
                    detail=where,
                )
            )
        return sorted(beats, key=lambda beat: beat.name), len(queue)
    finally:
        redis.close()


def _inline_worker(settings: Settings, jobs: list[ActiveJob], now: datetime) -> WorkerBeat | None:
    """This process's inline pool for `settings`, if the app (or CLI) started one."""
    pool = backends.inline_pool(settings)
    if pool is None:
        return None
    mine = [
        job for job in jobs if job.worker_id and worker_name_of(job.worker_id) == pool.worker_id
    ]
    running = len(pool.holds([(job.job_id, job.requeues) for job in jobs]))
    beats = [job.heartbeat_at for job in mine if job.heartbeat_at is not None]
    # The pool lives in this very process, so it is alive now; its jobs' rows say more.
    latest = max(beats) if beats else now
    return WorkerBeat(
        name=pool.worker_id,
        kind="inline",
        state="busy" if mine or running else "idle",
        last_heartbeat=latest,
        heartbeat_age_s=_age(latest, now),
        stale=any(job.stale for job in mine),
        current_job=mine[0].job_id if mine else None,
        detail=f"{settings.inline_workers} threads in this app process, {running} jobs held",
    )


def _executions(jobs: list[ActiveJob], known: set[str], settings: Settings) -> list[WorkerBeat]:
    """Workers seen only through the running jobs they own (other processes' pools)."""
    by_worker: dict[str, list[ActiveJob]] = {}
    for job in jobs:
        if job.state == "running" and job.worker_id:
            name = worker_name_of(job.worker_id)
            if name not in known:
                by_worker.setdefault(name, []).append(job)
    beats = []
    for name, owned in sorted(by_worker.items()):
        freshest = min(owned, key=lambda job: job.heartbeat_age_s or 0.0)
        age = freshest.heartbeat_age_s
        beats.append(
            WorkerBeat(
                name=name,
                kind="execution",
                state="busy",
                last_heartbeat=freshest.heartbeat_at,
                heartbeat_age_s=age,
                stale=age is None or age > settings.stale_after_s,
                current_job=freshest.job_id,
                detail=f"{len(owned)} running job{'s' if len(owned) != 1 else ''}",
            )
        )
    return beats


def worker_heartbeats(
    *, settings: Settings, jobs: list[ActiveJob] | None = None, now: datetime | None = None
) -> tuple[list[WorkerBeat], int | None, list[str]]:
    """(workers, RQ queue depth or None, problems): see the module docstring."""
    now = now or utcnow()
    if jobs is None:
        jobs = active_jobs(settings=settings, now=now)
    workers: list[WorkerBeat] = []
    depth: int | None = None
    problems: list[str] = []
    if settings.redis_url:
        try:
            workers, depth = _rq_workers(settings, now)
        except Exception as exc:
            log.warning("queue panel: could not read RQ workers: %r", exc)
            problems.append(
                "Chalk could not reach Redis to list its workers; check that Redis is running "
                "(`chalk health`)."
            )
    else:
        pool = _inline_worker(settings, jobs, now)
        if pool is not None:
            workers.append(pool)
    # RQ names its workers "chalk-<host>-<pid>-<id>"; their executions are "<name>/<token>".
    known = {worker.name for worker in workers}
    workers += _executions(jobs, known, settings)
    return workers, depth, problems


def _what(job: Job) -> str:
    if job.prompt:
        return job.prompt
    scene = re.search(r"^class (\w+)\(", job.code or "", re.MULTILINE)
    return f"their own code ({scene.group(1)})" if scene else "their own code"


def queue_overview(*, settings: Settings, now: datetime | None = None) -> QueueOverview:
    """Everything the queue panel shows, read once."""
    now = now or utcnow()
    jobs = active_jobs(settings=settings, now=now)
    workers, depth, problems = worker_heartbeats(settings=settings, jobs=jobs, now=now)
    queued = [job for job in jobs if job.state == "queued"]
    return QueueOverview(
        backend="rq" if settings.redis_url else "inline",
        jobs=jobs,
        workers=workers,
        queued=len(queued),
        running=len(jobs) - len(queued),
        # A job waiting for its owner's free slot waits by design, not for lack of workers.
        oldest_queued_s=max((job.age_s for job in queued if not job.awaiting_slot), default=None),
        queue_depth=depth,
        problems=problems,
    )
