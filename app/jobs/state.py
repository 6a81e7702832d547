"""Conditional state changes of a job row, each recorded as a JobEvent.

Every change is an `UPDATE ... WHERE id = ? AND state IN (...)` (plus `AND worker_id = ?` for a
worker's own writes), so two parties racing for one job (two reconcilers, a zombie worker and
its successor, a cancel and a worker starting) can never both win: the loser's UPDATE matches
no row and it backs off.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session

from app.db.models import FINAL_STATES, Job, JobEvent, utcnow
from app.events import add_job_finished
from app.settings import Settings

log = logging.getLogger(__name__)

LOST_WORKER_MESSAGE = (
    "The computer rendering this animation stopped unexpectedly; please try again."
)
STORE_FAILED_MESSAGE = (
    "Your animation was made but Chalk could not save it; please try again in a few minutes."
)
CANCELLED_MESSAGE = "The job was cancelled."

_KEEP = object()


def transition(
    session: Session,
    job_id: str,
    *,
    from_states: tuple[str, ...],
    to_state: str,
    owned_by: str | object | None = _KEEP,
    detail: str | None = None,
    render_s: float | None = None,
    **values: Any,
) -> bool:
    """Move `job_id` from one of `from_states` to `to_state`; False if another party won.

    `owned_by` (when given) must match the row's worker_id, so only the execution that owns
    a job can write its result. `values` are further columns to set. The event is part of the same
    transaction as the change; so is the `job_finished` usage event of a move to a final state
    (`render_s`: the sandbox seconds the worker measured).
    """
    conditions: list[ColumnElement[bool]] = [Job.id == job_id, Job.state.in_(from_states)]
    if owned_by is not _KEEP:
        conditions.append(
            Job.worker_id.is_(None) if owned_by is None else Job.worker_id == owned_by
        )
    changed = session.execute(
        update(Job).where(*conditions).values(state=to_state, **values),
        execution_options={"synchronize_session": False},
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        return False
    stage = values.get("stage")
    session.add(JobEvent(job_id=job_id, state=to_state, stage=stage, detail=detail))
    if to_state in FINAL_STATES and to_state not in from_states:
        add_job_finished(session, job_id, render_s=render_s)
    return True


def set_stage(session: Session, job_id: str, worker_id: str, stage: str, progress: float) -> bool:
    """A running job's owner moved on to `stage`; False if it no longer owns the job."""
    return transition(
        session,
        job_id,
        from_states=("running",),
        to_state="running",
        owned_by=worker_id,
        stage=stage,
        progress=progress,
        heartbeat_at=utcnow(),
    )


Outcome = Literal["requeued", "failed", "cancelled"]


@dataclass(frozen=True)
class Released:
    """What became of a job whose execution was lost."""

    job_id: str
    outcome: Outcome
    requeues: int
    quality: str


def release_lost_job(
    session: Session,
    job: Job,
    *,
    reason: str,
    settings: Settings,
    message: str = LOST_WORKER_MESSAGE,
) -> Released | None:
    """A running job's execution is gone (its worker died or failed): queue it again while
    `max_requeues` allows, otherwise fail it with `message`; a job whose cancel was requested
    is cancelled.

    Conditional on the row still being the running execution that `job` describes, so a
    second reconciler (or the worker coming back) changes nothing. The caller re-enqueues
    a "requeued" job after committing.
    """
    now = utcnow()
    owner = job.worker_id
    if job.cancel_requested:
        done = transition(
            session,
            job.id,
            from_states=("running",),
            to_state="cancelled",
            detail=f"cancelled; its execution was lost ({reason})",
            stage=None,
            error_kind="cancelled",
            error_message=CANCELLED_MESSAGE,
            finished_at=now,
            owned_by=owner,
        )
        return Released(job.id, "cancelled", job.requeues, job.quality) if done else None
    if job.requeues < settings.max_requeues:
        done = transition(
            session,
            job.id,
            from_states=("running",),
            to_state="queued",
            detail=f"re-queued: {reason}",
            stage=None,
            progress=0.0,
            requeues=job.requeues + 1,
            # While queued, heartbeat_at is when it was last put on the queue.
            heartbeat_at=now,
            started_at=None,
            worker_id=None,
            owned_by=owner,
        )
        return Released(job.id, "requeued", job.requeues + 1, job.quality) if done else None
    done = transition(
        session,
        job.id,
        from_states=("running",),
        to_state="failed",
        detail=f"failed: {reason}",
        stage=None,
        error_kind="internal",
        error_message=message,
        finished_at=now,
        owned_by=owner,
    )
    return Released(job.id, "failed", job.requeues, job.quality) if done else None


def stale_running_jobs(session: Session, settings: Settings, now: datetime) -> list[Job]:
    """Running jobs whose execution has not written a heartbeat for `stale_after_s`."""
    cutoff = now - timedelta(seconds=settings.stale_after_s)
    silent = or_(
        Job.heartbeat_at < cutoff,
        and_(Job.heartbeat_at.is_(None), or_(Job.started_at.is_(None), Job.started_at < cutoff)),
    )
    return list(session.scalars(select(Job).where(Job.state == "running", silent)))


def waiting_jobs(session: Session, settings: Settings, now: datetime, limit: int) -> list[Job]:
    """Jobs on the queue for longer than `stale_after_s` (since creation or the last re-queue);
    jobs waiting in the database for a slot are not on the queue and are not listed."""
    cutoff = now - timedelta(seconds=settings.stale_after_s)
    since = or_(
        Job.heartbeat_at < cutoff, and_(Job.heartbeat_at.is_(None), Job.created_at < cutoff)
    )
    on_queue = and_(Job.state == "queued", Job.awaiting_slot.is_(False))
    query = select(Job).where(on_queue, since).order_by(Job.created_at).limit(limit)
    return list(session.scalars(query))
