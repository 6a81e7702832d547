"""`chalk worker`: N RQ worker processes with a reconciler each.

Start-up: the sandbox canaries run once (a worker refuses jobs when a required one fails) and
the database is brought to the current schema. Then each worker process warms its render
pool, reconciles once, starts its reconciler thread and runs an `rq.SimpleWorker`: jobs run
in the worker process itself, so the warm render pool survives from one job to the next.
The sandbox enforces its own, shorter timeouts; RQ's SIGALRM limit is only the backstop.

With `-n 1` the worker runs in this process; with more, in forked children, and this process
forwards SIGTERM/SIGINT to them and waits (RQ's warm shutdown: finish the current job, or
stop at once on a second signal).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import uuid
from types import FrameType

from app.settings import Settings

log = logging.getLogger("chalk.worker")


class SelftestFailed(RuntimeError):
    """A required sandbox canary failed; the worker must not take jobs."""


def check_sandbox(settings: Settings) -> None:
    """Run `chalk selftest`'s canaries; SelftestFailed names the ones that failed."""
    from app.core.selftest import run_selftest

    report = run_selftest(settings)
    failed = [c for c in report.canaries if not c.passed]
    if not report.ok:
        names = "; ".join(f"{c.name}: {c.detail}" for c in failed) or "no canary ran"
        raise SelftestFailed(f"the sandbox selftest failed ({names})")
    log.info("sandbox selftest passed; layers: %s", ", ".join(report.layers))


def work(settings: Settings, *, burst: bool = False) -> bool:
    """Run one RQ worker in this process until stopped (or, with `burst`, the queue is empty).

    Returns whether it ran any job.
    """
    from rq import SimpleWorker

    from app.core.warm import prewarm
    from app.db.migrate import ensure_schema
    from app.jobs.backends import RQBackend
    from app.jobs.reconciler import Reconciler, reconcile
    from jobs import tasks

    name = f"chalk-{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    ensure_schema(settings)
    prewarm(settings)
    backend = RQBackend(settings)
    tasks.configure(settings, name)
    try:
        report = reconcile(settings, backend)
        if report.changed:
            log.warning("reconciled at start: %s", report.to_json())
    except Exception:
        log.exception("the first reconcile pass failed; the reconciler thread retries")
    reconciler = Reconciler(settings, backend)
    reconciler.start()
    worker = SimpleWorker([backend.queue], connection=backend.redis, name=name)
    try:
        return worker.work(burst=burst, logging_level=settings.log_level.upper())
    finally:
        reconciler.stop()


def _child(settings: Settings, burst: bool) -> None:
    from app.db.engine import dispose_engines

    # The parent's pooled database connections must not be shared with a forked child.
    dispose_engines()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    work(settings, burst=burst)


def run(settings: Settings, *, processes: int = 1, burst: bool = False) -> int:
    """Check the sandbox, then run `processes` workers; returns an exit code.

    Raises SelftestFailed when a canary fails.
    """
    from app.db.migrate import ensure_schema

    check_sandbox(settings)
    ensure_schema(settings)
    if processes == 1:
        work(settings, burst=burst)
        return 0
    from app.db.engine import dispose_engines

    dispose_engines()
    context = multiprocessing.get_context("fork")
    children = [
        context.Process(target=_child, args=(settings, burst), name=f"chalk-worker-{i}")
        for i in range(processes)
    ]
    for child in children:
        child.start()
    log.info("started %d workers: %s", processes, [c.pid for c in children])

    def forward(signum: int, _frame: FrameType | None) -> None:
        for child in children:
            if child.pid is not None and child.is_alive():
                try:
                    os.kill(child.pid, signum)
                except ProcessLookupError:
                    pass

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        for child in children:
            child.join()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    failed = [c.name for c in children if c.exitcode not in (0, None)]
    if failed:
        log.error("workers ended with an error: %s", failed)
        return 1
    return 0
