"""What the job system needs from a queue: the `Backend` protocol.

Both backends (app.jobs.backends: RQ on Redis, the inline thread pool) implement it; the
service and the reconciler program against it, so neither depends on a concrete backend.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class Backend(Protocol):
    """A queue of job ids with workers behind it."""

    name: str

    def enqueue(self, job_id: str, requeues: int, quality: str) -> None:
        """Queue the job (a no-op if this backend already holds it)."""

    def holds(self, jobs: Sequence[tuple[str, int]]) -> set[str]:
        """Which of these (job_id, requeues) the backend still holds (queued or running)."""

    def discard(self, job_id: str, requeues: int) -> None:
        """Take a cancelled job off the queue (its state is already 'cancelled')."""

    def interrupt(self, job_id: str) -> None:
        """Stop a running job at once if it runs in this process (else the heartbeat does)."""
