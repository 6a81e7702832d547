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
claims one user per transaction, locking that user's row before counting (as `submit` does),
and marks a job dispatched with a conditional UPDATE, so no user gets more than their slots
and no job is queued twice. A pass never holds more than one user's lock, so a submit never
waits for a pass over other users.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
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


def owners_waiting(session: Session, owner_ids: Iterable[int] | None = None) -> list[int]:
    """The users (of `owner_ids`, or everyone) with jobs waiting for a slot, in id order."""
    query = select(Job.owner_id).where(WAITING).distinct()
    if owner_ids is not None:
        query = query.where(Job.owner_id.in_(sorted(set(owner_ids))))
    return sorted(session.scalars(query))


@dataclass(frozen=True)
class Claim:
    """One user's waiting jobs that were put in flight, and how many they had in flight."""

    busy: int
    first_created: datetime
    jobs: list[Dispatched]


def claim_owner_slots(session: Session, settings: Settings, owner_id: int) -> Claim | None:
    """Mark the owner's oldest waiting jobs that fit in their free slots as in flight.

    Locks the owner's row first (as `submit` does), so racing dispatchers and submits never
    give a user more than their slots. Nothing is enqueued here: the caller enqueues after
    the transaction commits.
    """
    session.execute(
        update(User).where(User.id == owner_id).values(username=User.username),
        execution_options={"synchronize_session": False},
    )
    owner = session.get(User, owner_id)
    if owner is None:
        return None
    limit = limits_for(owner, settings).concurrent_jobs
    busy = in_flight(session, owner_id)
    waiting = select(Job).where(Job.owner_id == owner_id, WAITING).order_by(Job.created_at, Job.id)
    if limit is not None:
        if limit - busy <= 0:
            return None
        waiting = waiting.limit(limit - busy)
    now = utcnow()
    claimed: list[Dispatched] = []
    first_created = None
    for job in session.scalars(waiting).all():
        first_created = first_created or job.created_at
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
        claimed.append(Dispatched(job.id, job.owner_id, job.requeues, job.quality))
    if not claimed or first_created is None:
        return None
    return Claim(busy, first_created, claimed)


def round_robin(claims: Sequence[Claim]) -> list[Dispatched]:
    """Each user's first job, then each user's second, ...: users with fewer jobs in flight
    first, then whoever has waited longest."""
    order = sorted(claims, key=lambda claim: (claim.busy, claim.first_created))
    return [job for round_ in zip_longest(*(c.jobs for c in order)) for job in round_ if job]


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
    if owner_ids is not None and not owner_ids:
        return []
    with session_scope(settings) as session:
        owners = owners_waiting(session, owner_ids)
    claims = []
    # One short transaction per user: a pass over every user (the reconciler's, under a load
    # of 150 teachers) holds each row lock for one claim, not for the whole pass, so submits
    # never wait for the pass (they did, and their requests held the API's threads).
    for owner_id in owners:
        with session_scope(settings) as session:
            claim = claim_owner_slots(session, settings, owner_id)
        if claim is not None:
            claims.append(claim)
    jobs = round_robin(claims)
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
