"""The reconciler: the database says what should be happening; make the queue agree.

(a) A running job whose heartbeat is older than `stale_after_s` lost its worker (SIGKILL,
    a crashed host, a failed execution): it is re-queued while `max_requeues` allows, then
    failed with a reason. So nothing stays "running" much longer than stale_after_s plus one
    reconcile interval.
(b) A job queued for longer than `stale_after_s` that the backend no longer holds (Redis was
    restarted or flushed, or the process holding the inline pool died) is enqueued again.
(c) Jobs waiting in the database for a slot get the slots that are free (app.jobs.dispatch),
    so a worker that died before dispatching its owner's next job delays it by one interval.

Every worker runs it at start and then every `reconcile_every_s` (the inline pool too).
Reconcilers racing each other are safe: (a) changes rows only with conditional UPDATEs, and
(b) relies on the backend refusing a job it already holds.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from app.db.engine import session_scope
from app.db.models import utcnow
from app.jobs import state
from app.jobs.dispatch import dispatch
from app.jobs.queue import Backend
from app.settings import Settings

log = logging.getLogger(__name__)

BATCH = 500
"""Queued jobs checked against the backend per pass."""


@dataclass
class ReconcileReport:
    """Job ids by what the pass did with them."""

    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    reenqueued: list[str] = field(default_factory=list)
    dispatched: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.requeued or self.failed or self.cancelled or self.reenqueued or self.dispatched
        )

    def to_json(self) -> dict[str, list[str]]:
        return {
            "requeued": self.requeued,
            "failed": self.failed,
            "cancelled": self.cancelled,
            "reenqueued": self.reenqueued,
            "dispatched": self.dispatched,
        }


def reconcile(settings: Settings, backend: Backend) -> ReconcileReport:
    """One pass of (a), (b) and (c) above."""
    report = ReconcileReport()
    now = utcnow()
    with session_scope(settings) as session:
        stale = state.stale_running_jobs(session, settings, now)
    for job in stale:
        silent_s = (now - (job.heartbeat_at or job.started_at or job.created_at)).total_seconds()
        reason = f"no heartbeat from {job.worker_id} for {silent_s:.0f} s"
        with session_scope(settings) as session:
            released = state.release_lost_job(session, job, reason=reason, settings=settings)
        if released is None:
            continue  # another reconciler, or the worker itself, got there first
        log.warning("job %s %s: %s", job.id, released.outcome, reason)
        if released.outcome == "requeued":
            report.requeued.append(job.id)
            backend.enqueue(job.id, released.requeues, released.quality)
        elif released.outcome == "failed":
            report.failed.append(job.id)
        else:
            report.cancelled.append(job.id)

    with session_scope(settings) as session:
        waiting = state.waiting_jobs(session, settings, now, BATCH)
    if waiting:
        held = backend.holds([(job.id, job.requeues) for job in waiting])
        for job in waiting:
            if job.id not in held:
                log.warning("job %s was queued but the queue lost it; enqueueing it again", job.id)
                backend.enqueue(job.id, job.requeues, job.quality)
                report.reenqueued.append(job.id)
    report.dispatched = dispatch(settings, backend)
    return report


class Reconciler(threading.Thread):
    """Runs `reconcile` every `reconcile_every_s` until stopped (errors are logged, not fatal)."""

    def __init__(self, settings: Settings, backend: Backend) -> None:
        super().__init__(name="chalk-reconciler", daemon=True)
        self.settings = settings
        self.backend = backend
        self._stopped = threading.Event()

    def stop(self) -> None:
        self._stopped.set()

    def run(self) -> None:
        while not self._stopped.wait(self.settings.reconcile_every_s):
            try:
                reconcile(self.settings, self.backend)
            except Exception:
                log.exception(
                    "reconcile pass failed; trying again in %.0f s", self.settings.reconcile_every_s
                )
