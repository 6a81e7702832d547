"""Fair dispatch: each user's jobs go on the queue only while one of their slots is free.

A user's `concurrent_jobs` limit bounds their jobs *in flight* (on the queue or running), not
the jobs they may submit: up to `queued_jobs` are accepted, and the rest wait in the database
(state "queued", `awaiting_slot` set) instead of on the queue. So one teacher's batch of 50
holds at most `concurrent_jobs` places on the queue, and another teacher's first job is queued
behind those few, not behind the whole batch.

`dispatch` fills free slots: for every user with waiting jobs it takes their oldest ones, up
to their free slots, and queues them round-robin across users (each user's first, then each
user's second, ...; users with fewer jobs in flight first), so a pass that frees many slots at
once (after a restart) also interleaves users on the queue. It runs:
- after each execution ends (the inline pool and the RQ job function), for that job's owner;
- after a cancel that freed a slot;
- in every reconcile pass, for every user: a worker that died before dispatching, or a queue
  that lost jobs, never leaves waiting jobs behind. Waiting jobs live only in the database,
  so a Redis flush or a crashed worker cannot lose them.

Dispatchers racing each other (two workers finishing at once, a reconciler) are safe: each
locks the owners' rows in id order before counting (as `submit` does), and marks a job
dispatched with a conditional UPDATE, so no user gets more than their slots and no job is
queued twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import zip_longest

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from app.db.engine import session_scope
from app.db.models import ACTIVE_STATES, Job, JobEvent, User, utcnow
from app.jobs.queue import Backend
from app.quotas import limits_for
from app.settings import Settings

log = logging.getLogger(__name__)

WAITING = and_(Job.state == "queued", Job.awaiting_slot.is_(True))
"""A job accepted and waiting in the database for one of its owner's slots."""

IN_FLIGHT = and_(Job.state.in_(ACTIVE_STATES), Job.awaiting_slot.is_(False))
"""A job holding one of its owner's slots: on the queue, or running."""

DISPATCHED = "a slot is free; queued"
"""The event detail of a waiting job put on the queue."""

WAITING_WORDS = "waiting for a free slot"
"""How pages and the CLI name a waiting job's state, in a teacher's words."""


@dataclass(frozen=True)
class Dispatched:
    """A job this pass put in flight; the caller enqueues it after committing."""

    job_id: str
    owner_id: int
    requeues: int
    quality: str


def in_flight(session: Session, owner_id: int) -> int:
    """How many of the owner's slots their jobs hold now."""
    query = select(func.count()).where(Job.owner_id == owner_id, IN_FLIGHT)
    return int(session.scalar(query) or 0)


def has_waiting(session: Session, owner_id: int) -> bool:
    """Whether some of the owner's jobs already wait for a slot (a new one goes behind them)."""
    query = select(Job.id).where(Job.owner_id == owner_id, WAITING).limit(1)
    return session.scalar(query) is not None


def may_start_now(session: Session, owner: User, settings: Settings) -> bool:
    """Whether a job the owner submits now goes straight on the queue (no one of theirs waits
    and a slot is free). Call with the owner's row locked, as `submit` does."""
    limit = limits_for(owner, settings).concurrent_jobs
    if has_waiting(session, owner.id):
        return False
    return limit is None or in_flight(session, owner.id) < limit


def claim_slots(
    session: Session, settings: Settings, owner_ids: Iterable[int] | None = None
) -> list[Dispatched]:
    """Mark the waiting jobs that fit in free slots as in flight, in round-robin order.

    `owner_ids` limits the pass to these users (None: every user with waiting jobs). Nothing
    is enqueued here: the caller enqueues the returned jobs after the transaction commits.
    """
    query = select(Job.owner_id).where(WAITING).distinct()
    if owner_ids is not None:
        wanted = sorted(set(owner_ids))
        if not wanted:
            return []
        query = query.where(Job.owner_id.in_(wanted))
    owners = sorted(session.scalars(query))
    picked: dict[int, list[Job]] = {}
    busy: dict[int, int] = {}
    for owner_id in owners:
        # Locked in id order, so dispatchers and submits never wait on each other in a cycle.
        session.execute(
            update(User).where(User.id == owner_id).values(username=User.username),
            execution_options={"synchronize_session": False},
        )
        owner = session.get(User, owner_id)
        if owner is None:
            continue
        limit = limits_for(owner, settings).concurrent_jobs
        busy[owner_id] = in_flight(session, owner_id)
        waiting = (
            select(Job).where(Job.owner_id == owner_id, WAITING).order_by(Job.created_at, Job.id)
        )
        if limit is not None:
            free = limit - busy[owner_id]
            if free <= 0:
                continue
            waiting = waiting.limit(free)
        jobs = list(session.scalars(waiting))
        if jobs:
            picked[owner_id] = jobs
    # Users with fewer jobs in flight first, then whoever has waited longest.
    order = sorted(picked, key=lambda owner: (busy[owner], picked[owner][0].created_at))
    now = utcnow()
    dispatched: list[Dispatched] = []
    for round_ in zip_longest(*(picked[owner] for owner in order)):
        for job in round_:
            if job is None:
                continue
            changed = session.execute(
                update(Job)
                .where(Job.id == job.id, WAITING)
                # While queued, heartbeat_at is when it was last put on the queue.
                .values(awaiting_slot=False, heartbeat_at=now),
                execution_options={"synchronize_session": False},
            )
            if changed.rowcount != 1:  # type: ignore[attr-defined]
                continue  # cancelled meanwhile
            session.add(JobEvent(job_id=job.id, state="queued", detail=DISPATCHED))
            dispatched.append(Dispatched(job.id, job.owner_id, job.requeues, job.quality))
    return dispatched


def enqueue_all(backend: Backend, jobs: Sequence[Dispatched]) -> None:
    """Put dispatched jobs on the queue, in order; one the queue refuses is the reconciler's."""
    for job in jobs:
        try:
            backend.enqueue(job.job_id, job.requeues, job.quality)
        except Exception:
            # It is in flight in the database; the reconciler enqueues it once the queue is back.
            log.exception("job %s: could not reach the queue; the reconciler retries", job.job_id)


def dispatch(
    settings: Settings, backend: Backend, owner_ids: Iterable[int] | None = None
) -> list[str]:
    """Fill free slots with waiting jobs (of `owner_ids`, or of everyone); their ids, in the
    order they were queued."""
    with session_scope(settings) as session:
        jobs = claim_slots(session, settings, owner_ids)
    if jobs:
        log.info("dispatched %d waiting job(s): %s", len(jobs), ", ".join(j.job_id for j in jobs))
    enqueue_all(backend, jobs)
    return [job.job_id for job in jobs]


def dispatch_after(settings: Settings, backend: Backend, job_id: str) -> list[str]:
    """Fill the slot an execution of `job_id` may have freed (for its owner); never raises,
    since the reconciler's pass does the same later."""
    try:
        with session_scope(settings) as session:
            owner_id = session.scalar(select(Job.owner_id).where(Job.id == job_id))
        if owner_id is None:
            return []
        return dispatch(settings, backend, [owner_id])
    except Exception:
        log.exception("job %s: could not dispatch the owner's next job (reconciler will)", job_id)
        return []
