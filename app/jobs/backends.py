"""Where queued jobs wait and run: RQ on Redis, or an inline pool of threads in this process.

`get_backend(settings)` picks RQ when `redis_url` is set, else the process-wide inline pool.
Both only carry job ids; the database holds every job's state. Both run the same job
function (app.jobs.runner.execute) and refuse to hold one job twice.

RQ job ids are the Chalk job id, with `-r<n>` appended once the reconciler has re-queued the
job n times: the lost execution's RQ job stays in the dead worker's registry, where RQ's own
cleanup marks it abandoned, and must not be confused with the new one.
"""

from __future__ import annotations

import contextvars
import logging
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from app.core.render import sized_for_concurrent_renders
from app.core.warm import prewarm
from app.jobs.dispatch import dispatch_after
from app.jobs.reconciler import Reconciler, reconcile
from app.jobs.runner import execute, worker_name
from app.logs import current_log_context
from app.settings import Settings
from app.speech.registry import preload as preload_speech

log = logging.getLogger(__name__)

TASK = "jobs.tasks.render"
"""The RQ job function, imported by dotted path in the worker."""

JOB_MARGIN_S = 120
"""Seconds an RQ job may run beyond its renders and LLM calls (storing, database writes)."""

RESULT_TTL_S = 3600
"""How long RQ keeps a finished RQ job (the database keeps the real record)."""

FAILURE_TTL_S = 7 * 24 * 3600
"""How long RQ keeps a failed RQ job, for operators looking at `rq info`."""

_HOLDING = frozenset({"queued", "started", "deferred", "scheduled", "created", "rate_limited"})
"""RQ statuses in which the job will still run (or runs now)."""


def rq_job_id(job_id: str, requeues: int) -> str:
    """The RQ job id of the `requeues`-th enqueueing of a job."""
    return job_id if requeues == 0 else f"{job_id}-r{requeues}"


def job_timeout_s(settings: Settings, quality: str) -> int:
    """RQ's limit for one job: strictly longer than everything the job may legitimately do.

    Each of up to `max_attempts` renders has the sandbox's own wall-clock limit; each LLM
    request may take `llm_timeout_s` and be retried `llm_max_retries` times. RQ's limit is
    only the backstop; the sandbox enforces its own, shorter one.
    """
    attempts = settings.max_attempts
    render_s = settings.quality_presets[quality].timeout_s * attempts
    llm_s = 0.0
    if settings.llm_model:
        llm_s = settings.llm_timeout_s * (settings.llm_max_retries + 1) * attempts
    return int(render_s + llm_s) + JOB_MARGIN_S


class RQBackend:
    """Jobs on an RQ queue in Redis; `chalk worker` processes run them."""

    name = "rq"

    def __init__(self, settings: Settings) -> None:
        # Lazy (here and below): redis and rq cost start-up time the inline backend never needs.
        from redis import Redis
        from rq import Queue

        assert settings.redis_url, "RQBackend needs CHALK_REDIS_URL"
        self.settings = settings
        self.redis = Redis.from_url(settings.redis_url)
        self.queue = Queue(settings.queue_name, connection=self.redis)

    def enqueue(self, job_id: str, requeues: int, quality: str) -> None:
        from rq.exceptions import DuplicateJobError
        from rq.job import Job as RQJob

        rq_id = rq_job_id(job_id, requeues)
        for _ in range(2):
            try:
                # unique: Redis refuses a second job with this id atomically, so racing
                # reconcilers (or a reconciler and submit) never queue it twice.
                self.queue.enqueue(
                    TASK,
                    job_id,
                    job_id=rq_id,
                    job_timeout=job_timeout_s(self.settings, quality),
                    result_ttl=RESULT_TTL_S,
                    failure_ttl=FAILURE_TTL_S,
                    description=f"chalk job {job_id}",
                    unique=True,
                    # The worker logs the job's lines under the request that queued it.
                    meta={"request_id": current_log_context().get("request_id")},
                )
                return
            except DuplicateJobError:
                existing = RQJob.fetch_many([rq_id], connection=self.redis)[0]
                if existing is None or existing.get_status(refresh=False) in _HOLDING:
                    return
                # It ran and ended without finishing the Chalk job (the job function raised):
                # replace the leftover so the job can run again.
                existing.delete(remove_from_queue=True)
        log.warning("job %s: could not replace its leftover RQ job %s", job_id, rq_id)

    def holds(self, jobs: Sequence[tuple[str, int]]) -> set[str]:
        from rq.job import Job as RQJob

        found = RQJob.fetch_many(
            [rq_job_id(job_id, requeues) for job_id, requeues in jobs], connection=self.redis
        )
        return {
            job_id
            for (job_id, _), rq_job in zip(jobs, found, strict=True)
            if rq_job is not None and rq_job.get_status(refresh=False) in _HOLDING
        }

    def discard(self, job_id: str, requeues: int) -> None:
        from rq.exceptions import InvalidJobOperation, NoSuchJobError
        from rq.job import Job as RQJob

        rq_id = rq_job_id(job_id, requeues)
        try:
            RQJob.fetch(rq_id, connection=self.redis).cancel()
        except (NoSuchJobError, InvalidJobOperation):
            pass
        self.queue.remove(rq_id)

    def interrupt(self, job_id: str) -> None:
        """RQ jobs run in other processes; their heartbeat reads the cancel flag."""


class InlineBackend:
    """A pool of `inline_workers` threads in this process, with its own reconciler thread.

    Used when no Redis is configured: the app (or the CLI) is the worker. `reconcile=False`
    leaves other processes' jobs alone (a short-lived CLI must not adopt them).
    """

    name = "inline"

    def __init__(self, settings: Settings, *, reconcile: bool = True) -> None:
        # Its threads render side by side, as a worker pool's processes do.
        self.settings = sized_for_concurrent_renders(settings, settings.inline_workers)
        self.worker_id = f"inline:{worker_name()}"
        # Re-entrant: a done callback runs in the enqueueing thread if the job already ended.
        self._lock = threading.RLock()
        self._futures: dict[str, Future[str | None]] = {}
        self._cancels: dict[str, threading.Event] = {}
        self._resubmit: set[str] = set()
        self._executor = ThreadPoolExecutor(
            max_workers=settings.inline_workers, thread_name_prefix="chalk-job"
        )
        self._reconciler: Any = None
        self._started = False
        self._reconcile = reconcile

    def start(self) -> None:
        """Warm the render pool and start the reconciler (once; enqueue calls it)."""
        with self._lock:
            if self._started:
                return
            self._started = True
        prewarm(self.settings)
        preload_speech(self.settings)
        if self._reconcile:
            try:
                reconcile(self.settings, self)
            except Exception:
                log.exception("the first reconcile pass failed; the reconciler thread retries")
            self._reconciler = Reconciler(self.settings, self)
            self._reconciler.start()

    def enqueue(self, job_id: str, requeues: int, quality: str) -> None:
        self.start()
        with self._lock:
            if job_id in self._futures:
                return
            cancel = self._cancels[job_id] = threading.Event()
            # The job's thread logs under the context it was queued in (its request id).
            context = contextvars.copy_context()
            future = self._executor.submit(context.run, self._run, job_id, cancel)
            self._futures[job_id] = future
        future.add_done_callback(lambda done: self._forget(job_id, done, quality))

    def _run(self, job_id: str, cancel: threading.Event) -> str | None:
        return execute(job_id, self.settings, self.worker_id, cancel=cancel, enqueue=self._requeue)

    def _requeue(self, job_id: str, requeues: int, quality: str) -> None:
        # Called from inside the job's own execution, which still holds the id: queue it
        # afresh once that execution is over (_forget).
        with self._lock:
            self._resubmit.add(job_id)

    def _forget(self, job_id: str, done: Future[str | None], quality: str) -> None:
        with self._lock:
            if self._futures.get(job_id) is done:
                del self._futures[job_id]
                self._cancels.pop(job_id, None)
            again = job_id in self._resubmit
            self._resubmit.discard(job_id)
        if not done.cancelled() and done.exception() is not None:
            log.error("job %s: execution failed", job_id, exc_info=done.exception())
        if again:
            self.enqueue(job_id, 0, quality)
        elif not done.cancelled():
            dispatch_after(self.settings, self, job_id)  # its slot may be free now

    def holds(self, jobs: Sequence[tuple[str, int]]) -> set[str]:
        with self._lock:
            return {job_id for job_id, _ in jobs if job_id in self._futures}

    def discard(self, job_id: str, requeues: int) -> None:
        with self._lock:
            future = self._futures.get(job_id)
        if future is not None:
            future.cancel()  # only works before it starts; else the runner sees 'cancelled'

    def interrupt(self, job_id: str) -> None:
        with self._lock:
            cancel = self._cancels.get(job_id)
        if cancel is not None:
            cancel.set()

    def future(self, job_id: str) -> Future[str | None] | None:
        """The running or waiting execution of `job_id` in this pool, if any."""
        with self._lock:
            return self._futures.get(job_id)

    def shutdown(self, *, wait: bool = True) -> None:
        """Stop the reconciler and the pool (waiting for running jobs when `wait`)."""
        if self._reconciler is not None:
            self._reconciler.stop()
        self._executor.shutdown(wait=wait, cancel_futures=True)


_inline_lock = threading.Lock()
_inline_pools: dict[str, InlineBackend] = {}


def inline_pool(settings: Settings) -> InlineBackend | None:
    """This process's inline pool for `settings`, if something started one."""
    with _inline_lock:
        return _inline_pools.get(settings.model_dump_json())


def get_backend(settings: Settings, *, reconcile: bool = True) -> RQBackend | InlineBackend:
    """RQ when `settings.redis_url` is set, else this process's inline pool for `settings`."""
    if settings.redis_url:
        return RQBackend(settings)
    identity = settings.model_dump_json()
    with _inline_lock:
        pool = _inline_pools.get(identity)
        if pool is None:
            pool = _inline_pools[identity] = InlineBackend(settings, reconcile=reconcile)
        return pool


def shutdown_inline_pools(*, wait: bool = True) -> None:
    """Stop every inline pool of this process (tests, and process exit)."""
    with _inline_lock:
        pools = list(_inline_pools.values())
        _inline_pools.clear()
    for pool in pools:
        pool.shutdown(wait=wait)
