"""`chalk worker`: N RQ worker processes with a reconciler each.

Start-up: the sandbox canaries run once (a worker refuses jobs when a required one fails) and
the database is brought to the current schema. Then each worker process warms its render
pool, reconciles once, starts its reconciler thread and works as an `rq.SimpleWorker`: jobs
run in the worker process itself, so the warm render pool survives from one job to the next.
The sandbox enforces its own, shorter timeouts; RQ's SIGALRM limit is only the backstop.

With `-n 1` the worker runs in this process; with more, RQ's own `WorkerPool` forks them and
replaces one that dies. On SIGTERM/SIGINT the pool asks every worker to stop (RQ's warm
shutdown: finish the current job, or stop at once on a second signal) and waits for them.

The launcher forks while its metrics and webhook threads may be querying the database; they
work inside app.forks.quiet(), which every fork waits for, so no worker is born holding a copy
of a lock that nobody will release.

The renders of the N workers share the machine's CPUs: unless `encoder_threads` is set, each
render's video encoder gets its share of them (see app.core.render.encoder_threads).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
import uuid
from multiprocessing.process import BaseProcess
from typing import Any, ClassVar

import redis
from rq import SimpleWorker
from rq.worker_pool import WorkerData, WorkerPool

from app.core import stop_signals
from app.core.render import sized_for_concurrent_renders
from app.core.selftest import run_selftest
from app.core.warm import prewarm
from app.db.engine import dispose_engines
from app.db.migrate import ensure_schema
from app.jobs.backends import RQBackend
from app.jobs.reconciler import Reconciler, reconcile
from app.settings import Settings
from app.speech.registry import preload as preload_speech
from app.webhooks import WebhookDispatcher
from jobs import tasks

log = logging.getLogger("chalk.worker")

DEQUEUE_WAIT_S = 5
"""The longest an idle worker waits in Redis before its main thread runs Python again."""


class SelftestFailed(RuntimeError):
    """A required sandbox canary failed; the worker must not take jobs."""


def check_sandbox(settings: Settings) -> None:
    """Run `chalk selftest`'s canaries; SelftestFailed names the ones that failed."""
    report = run_selftest(settings)
    failed = [c for c in report.canaries if not c.passed]
    if not report.ok:
        names = "; ".join(f"{c.name}: {c.detail}" for c in failed) or "no canary ran"
        raise SelftestFailed(f"the sandbox selftest failed ({names})")
    log.info("sandbox selftest passed; layers: %s", ", ".join(report.layers))


def worker_name() -> str:
    """chalk-<host>-<pid>-<token>: the reconciler and the tests read the pid from it."""
    return f"chalk-{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


class ChalkWorker(SimpleWorker):
    """An RQ worker that runs jobs in its own process, with its warm sandbox and reconciler.

    `settings` is set on a subclass by `worker_class`.
    """

    settings: ClassVar[Settings]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["name"] = worker_name()  # the pool's default is an anonymous uuid
        super().__init__(*args, **kwargs)

    @property
    def dequeue_timeout(self) -> int:
        """How long one wait for a job blocks in Redis (RQ's default is 405 s). The kernel may
        hand a stop signal to a native thread (OpenBLAS starts its own, and no Python code can
        block signals there), and Python runs the handler only when the main thread next runs
        Python: an idle worker must come back from Redis soon for a SIGTERM to stop it."""
        return DEQUEUE_WAIT_S

    def work(self, burst: bool = False, *args: Any, **kwargs: Any) -> bool:
        """Warm up and reconcile, then RQ's work loop (without RQ's scheduler process: Chalk
        schedules nothing). Returns whether any job ran."""
        settings = self.settings
        # A worker the pool starts again later inherits the pool's own signal handlers; until
        # RQ installs the worker's, a stop signal must stop it, as it does at first start.
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        # Database connections pooled by the launcher must not be shared with a forked worker.
        dispose_engines()
        prewarm(settings)
        preload_speech(settings)
        backend = RQBackend(settings)
        tasks.configure(settings, self.name)
        try:
            report = reconcile(settings, backend)
            if report.changed:
                log.warning("reconciled at start: %s", report.to_json())
        except Exception:
            log.exception("the first reconcile pass failed; the reconciler thread retries")
        reconciler = Reconciler(settings, backend)
        with stop_signals.blocked():  # they are for the main thread
            reconciler.start()
        kwargs["with_scheduler"] = False
        try:
            return super().work(burst, *args, **kwargs)
        finally:
            reconciler.stop()

    def execute_job(self, job: Any, queue: Any) -> None:
        """RQ's, but a Redis outage while RQ records how a job ended does not end the worker
        (RQ quits on it): the job's outcome is already in Chalk's database, and the
        reconciler settles RQ's side. The worker waits for Redis, as RQ does to dequeue."""
        try:
            super().execute_job(job, queue)
        except redis.exceptions.ConnectionError as exc:
            log.warning("Redis went away as job %s ended (%s); waiting for it", job.id, exc)
            self.wait_for_redis()

    def wait_for_redis(self, every_s: float = 1.0) -> None:
        """Until Redis answers, or a stop is requested."""
        while not self._stop_requested:
            try:
                self.connection.ping()
                return
            except redis.exceptions.ConnectionError:
                time.sleep(every_s)

    def subscribe(self) -> None:
        """RQ's command channel, listened to by a thread that leaves stop signals to the main
        thread (which may wait minutes in Redis for a job: see app.core.stop_signals)."""
        with stop_signals.blocked():
            super().subscribe()


def worker_class(settings: Settings) -> type[ChalkWorker]:
    """ChalkWorker with these settings (RQ's pool builds its workers from a class alone)."""
    configured = settings

    class ConfiguredChalkWorker(ChalkWorker):
        settings = configured

    return ConfiguredChalkWorker


class ChalkWorkerPool(WorkerPool):
    """RQ's worker pool, remembering which workers ended with an error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.failed: list[str] = []

    def handle_dead_worker(self, worker_data: WorkerData) -> None:
        process: BaseProcess = worker_data.process
        if process.exitcode not in (0, None):
            self.failed.append(f"{worker_data.name} (pid {worker_data.pid}): {process.exitcode}")
        super().handle_dead_worker(worker_data)


def run(settings: Settings, *, processes: int = 1, burst: bool = False) -> int:
    """Check the sandbox, then run `processes` workers; returns an exit code.

    Raises SelftestFailed when a canary fails.
    """
    if settings.worker_selftest:
        check_sandbox(settings)
    else:
        log.warning("the sandbox selftest is off (CHALK_WORKER_SELFTEST=false)")
    ensure_schema(settings)
    settings = sized_for_concurrent_renders(settings, processes)
    level = settings.log_level.upper()
    backend = RQBackend(settings)
    # Webhooks go out from workers (one thread in this parent process), never from requests.
    webhooks = WebhookDispatcher(settings)
    webhooks.start()
    try:
        return _work(settings, backend, processes=processes, burst=burst, level=level)
    finally:
        webhooks.stop()


def _work(
    settings: Settings, backend: RQBackend, *, processes: int, burst: bool, level: str
) -> int:
    if processes == 1:
        worker = worker_class(settings)([backend.queue], connection=backend.redis)
        worker.work(burst=burst, logging_level=level)
        return 0
    pool = ChalkWorkerPool(
        [backend.queue],
        connection=backend.redis,
        num_workers=processes,
        worker_class=worker_class(settings),
    )
    pool.start(burst=burst, logging_level=level)
    if pool.failed:
        log.error("workers ended with an error: %s", pool.failed)
        return 1
    return 0
