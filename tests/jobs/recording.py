"""A backend that only records what it is asked to do (for tests of the service's own logic;
the real backends have their own tests against Redis and the inline pool)."""

from __future__ import annotations

import threading
from collections.abc import Sequence


class RecordingBackend:
    name = "recording"

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.queued: list[tuple[str, int]] = []
        self.discarded: list[str] = []
        self.interrupted: list[str] = []

    def enqueue(self, job_id: str, requeues: int, quality: str) -> None:
        with self.lock:
            if (job_id, requeues) not in self.queued:
                self.queued.append((job_id, requeues))

    def holds(self, jobs: Sequence[tuple[str, int]]) -> set[str]:
        with self.lock:
            return {job_id for job_id, requeues in jobs if (job_id, requeues) in self.queued}

    def discard(self, job_id: str, requeues: int) -> None:
        with self.lock:
            self.discarded.append(job_id)
            if (job_id, requeues) in self.queued:
                self.queued.remove((job_id, requeues))

    def interrupt(self, job_id: str) -> None:
        with self.lock:
            self.interrupted.append(job_id)

    def forget_all(self) -> None:
        """Like Redis after FLUSHALL."""
        with self.lock:
            self.queued.clear()
