"""What the HTTP API adds to jobs: the key and webhook address a job was submitted with, and
batches of jobs with their per-state counts.

Jobs themselves are submitted, watched and cancelled by app.jobs.service, the same functions
the pages use; this module only records the links (table api_jobs) that webhooks read.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from app import quotas
from app.db.engine import session_scope
from app.db.models import ACTIVE_STATES, JOB_STATES, ApiJob, Batch, Job, utcnow
from app.errors import ChalkError, not_found_message
from app.jobs import service
from app.jobs.service import JobNotFound, JobView
from app.settings import Settings
from app.text import storable

log = logging.getLogger(__name__)

BATCH_MAX = 50
"""Most jobs in one batch."""


@dataclass(frozen=True)
class JobRequest:
    """One job as the API takes it (the fields of `service.submit`)."""

    prompt: str | None = None
    code: str | None = None
    generator: str = "auto"
    quality: str = "preview"
    aspect: str = "16:9"


@dataclass(frozen=True)
class BatchView:
    """A batch: its jobs and how many are in each state."""

    batch_id: str
    created_at: datetime
    completed_at: datetime | None
    job_ids: list[str]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def finished(self) -> bool:
        return not any(self.counts.get(state, 0) for state in ACTIVE_STATES)

    def to_json(self) -> dict[str, Any]:
        return {
            "batch_id": self.batch_id,
            "created_at": self.created_at.isoformat(),
            "completed_at": self.completed_at.isoformat() if self.completed_at else None,
            "total": len(self.job_ids),
            "finished": self.finished,
            "counts": self.counts,
            "job_ids": self.job_ids,
        }


def _submit(
    settings: Settings, owner_id: int, request: JobRequest, *, rate_limited: bool = True
) -> JobView:
    return service.submit(
        rate_limited=rate_limited,
        settings=settings,
        owner_id=owner_id,
        prompt=request.prompt,
        code=request.code,
        generator=request.generator,
        quality=request.quality,
        aspect=request.aspect,
    )


def submit_job(
    *,
    settings: Settings,
    owner_id: int,
    api_key_id: str,
    request: JobRequest,
    webhook_url: str | None = None,
) -> JobView:
    """Submit one job for the key's owner; with a webhook address, its final state is sent
    there. The link is written after the job is queued: the webhook dispatcher reads final
    jobs, so a job that finishes first is still notified."""
    view = _submit(settings, owner_id, request)
    with session_scope(settings) as session:
        session.add(ApiJob(job_id=view.job_id, api_key_id=api_key_id, webhook_url=webhook_url))
    return view


def submit_batch(
    *,
    settings: Settings,
    owner_id: int,
    api_key_id: str,
    requests: Sequence[JobRequest],
    webhook_url: str | None = None,
) -> BatchView:
    """Submit up to BATCH_MAX jobs together: all are accepted, or none (a refusal part-way
    cancels those already queued and re-raises the refusal)."""
    if not 1 <= len(requests) <= BATCH_MAX:
        raise ChalkError("validation", f"A batch has between 1 and {BATCH_MAX} jobs.")
    submitted: list[str] = []
    try:
        for number, request in enumerate(requests):
            # A batch is one request: the submits-per-minute limit counts it once.
            submitted.append(_submit(settings, owner_id, request, rate_limited=number == 0).job_id)
    except BaseException as exc:
        if isinstance(exc, ChalkError) and exc.kind == "quota":
            # When to retry, measured before the cancels below free the limit again.
            exc.retry_after_s = quotas.retry_after_s(  # type: ignore[attr-defined]
                settings=settings, user_id=owner_id
            )
        for job_id in submitted:
            try:
                service.cancel(settings=settings, job_id=job_id, owner_id=owner_id)
            except Exception:
                log.exception("job %s: could not cancel it after its batch was refused", job_id)
        raise
    # The batch and its links appear together, once every job is queued: the dispatcher never
    # sees a batch with some of its jobs still missing and calls it completed.
    with session_scope(settings) as session:
        batch = Batch(
            owner_id=owner_id, api_key_id=api_key_id, webhook_url=webhook_url, created_at=utcnow()
        )
        session.add(batch)
        session.flush()
        batch_id = batch.id
        session.add_all(
            ApiJob(job_id=job_id, api_key_id=api_key_id, batch_id=batch_id) for job_id in submitted
        )
    return batch_status(settings=settings, batch_id=batch_id, owner_id=owner_id)


def batch_status(*, settings: Settings, batch_id: str, owner_id: int | None) -> BatchView:
    """The batch's jobs and per-state counts; JobNotFound if the owner has no such batch."""
    with session_scope(settings) as session:
        batch = session.get(Batch, storable(batch_id)[:32])
        if batch is None or (owner_id is not None and batch.owner_id != owner_id):
            raise JobNotFound(not_found_message("batch", batch_id))
        job_ids = list(
            session.scalars(
                select(Job.id)
                .join(ApiJob, ApiJob.job_id == Job.id)
                .where(ApiJob.batch_id == batch.id)
                .order_by(Job.created_at, Job.id)
            )
        )
        counts = {state: 0 for state in JOB_STATES}
        for state, count in session.execute(
            select(Job.state, func.count())
            .join(ApiJob, ApiJob.job_id == Job.id)
            .where(ApiJob.batch_id == batch.id)
            .group_by(Job.state)
        ):
            counts[state] = int(count)
        return BatchView(
            batch_id=batch.id,
            created_at=batch.created_at,
            completed_at=batch.completed_at,
            job_ids=job_ids,
            counts=counts,
        )
