"""Prometheus metrics of the workers (prometheus-client), served by `chalk worker --metrics-port`.

Two kinds of metric, all prefixed `chalk_`:

- Counted where jobs finish (`observe_job_finished`, called for every final state change):
  `chalk_jobs_finished_total{state,error_kind}`, `chalk_render_seconds{quality}` (histogram),
  `chalk_sandbox_rejections_total{kind}`, `chalk_cache_hits_total`. `chalk worker -n N` runs
  N forked processes, so these use prometheus-client's multiprocess mode: each process
  writes its values to files in one directory and the launcher's /metrics sums them.
- Read at scrape time by the launcher (`StateCollector`): `chalk_jobs{state}` for queued and
  running jobs (database), `chalk_queue_depth` and `chalk_workers` (Redis),
  `chalk_queue_oldest_wait_seconds`, and `chalk_database_up` / `chalk_redis_up`.
- Served by `chalk backup --schedule --metrics-port` (`BackupCollector`):
  `chalk_backup_last_success_timestamp_seconds`, read from the backup dir's status file.

Alert rules over these are in ops/prometheus/alerts.yml.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    multiprocess,
    start_http_server,
    values,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from app import forks
from app.db.engine import session_scope
from app.db.models import ACTIVE_STATES, Job, utcnow
from app.ops.backup_status import last_success
from app.settings import Settings

log = logging.getLogger(__name__)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
RENDER_BUCKETS_S = (1, 2, 5, 10, 20, 30, 60, 120, 300, 600)
REJECTION_KINDS = ("validation", "sandbox", "timeout")
"""Error kinds that mean the policy or the sandbox refused or stopped the code."""

METRIC_NAMES = (
    "chalk_jobs_finished_total",
    "chalk_render_seconds",
    "chalk_sandbox_rejections_total",
    "chalk_cache_hits_total",
    "chalk_jobs",
    "chalk_queue_depth",
    "chalk_queue_oldest_wait_seconds",
    "chalk_workers",
    "chalk_database_up",
    "chalk_redis_up",
    "chalk_backup_last_success_timestamp_seconds",
)
"""Every metric this module exposes (README and tests list them from here)."""


@dataclass
class _Metrics:
    jobs_finished: Counter
    render_seconds: Histogram
    sandbox_rejections: Counter
    cache_hits: Counter


_lock = threading.Lock()
_metrics: _Metrics | None = None


def _get() -> _Metrics:
    global _metrics
    with _lock:
        if _metrics is None:
            # registry=None: in multiprocess mode the values live in files that the launcher's
            # MultiProcessCollector reads; in-process (the app) nobody serves them.
            _metrics = _Metrics(
                jobs_finished=Counter(
                    "chalk_jobs_finished",
                    "Jobs that reached a final state.",
                    ["state", "error_kind"],
                    registry=None,
                ),
                render_seconds=Histogram(
                    "chalk_render_seconds",
                    "Sandbox time of finished jobs that rendered.",
                    ["quality"],
                    buckets=RENDER_BUCKETS_S,
                    registry=None,
                ),
                sandbox_rejections=Counter(
                    "chalk_sandbox_rejections",
                    "Jobs the policy refused or the sandbox stopped.",
                    ["kind"],
                    registry=None,
                ),
                cache_hits=Counter(
                    "chalk_cache_hits",
                    "Finished jobs served from the render cache.",
                    registry=None,
                ),
            )
        return _metrics


def enable_multiprocess(directory: Path) -> None:
    """Write this process's (and its forked children's) values to files in `directory`.

    Must run before the first job finishes in this process; metric objects made earlier
    are rebuilt so that they use the file-backed values too.
    """
    global _metrics
    directory.mkdir(parents=True, exist_ok=True)
    os.environ[MULTIPROC_ENV] = str(directory)
    values.ValueClass = values.get_value_class()
    with _lock:
        _metrics = None


def observe_job_finished(
    *,
    state: str,
    error_kind: str | None,
    quality: str | None,
    render_s: float | None,
    cache_hit: bool,
) -> None:
    """Count one job that reached a final state (never raises: metrics must not fail jobs)."""
    try:
        metrics = _get()
        metrics.jobs_finished.labels(state=state, error_kind=error_kind or "").inc()
        if render_s is not None and not cache_hit:
            metrics.render_seconds.labels(quality=quality or "").observe(render_s)
        if error_kind in REJECTION_KINDS:
            metrics.sandbox_rejections.labels(kind=error_kind).inc()
        if cache_hit:
            metrics.cache_hits.inc()
    except Exception:  # pragma: no cover - a full disk under the metrics dir, say
        log.warning("could not update the job metrics", exc_info=True)


class StateCollector(Collector):
    """Gauges read at scrape time from the database and Redis."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def collect(self) -> Iterator[GaugeMetricFamily]:
        yield from self._database()
        yield from self._redis()

    def _database(self) -> Iterator[GaugeMetricFamily]:
        up = GaugeMetricFamily("chalk_database_up", "1 when the database answered the scrape.")
        try:
            # `chalk worker` forks its workers while this thread may be scraping (app.forks).
            with forks.quiet(), session_scope(self.settings) as session:
                counts = dict(
                    session.execute(
                        select(Job.state, func.count())
                        .where(Job.state.in_(ACTIVE_STATES))
                        .group_by(Job.state)
                    ).all()
                )
                # Jobs waiting for their owner's free slot wait by design, not for a worker.
                on_queue = (Job.state == "queued", Job.awaiting_slot.is_(False))
                oldest = session.scalar(select(func.min(Job.created_at)).where(*on_queue))
        except Exception as exc:
            log.warning("metrics: the database did not answer: %s", exc.__class__.__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        jobs = GaugeMetricFamily("chalk_jobs", "Jobs queued or running now.", labels=["state"])
        for state in ACTIVE_STATES:
            jobs.add_metric([state], counts.get(state, 0))
        yield jobs
        wait = 0.0
        if oldest is not None:
            if oldest.tzinfo is None:  # pragma: no cover - UTCDateTime gives aware values
                oldest = oldest.replace(tzinfo=UTC)
            wait = max(0.0, (utcnow() - oldest).total_seconds())
        yield GaugeMetricFamily(
            "chalk_queue_oldest_wait_seconds",
            "How long the oldest queued job has waited.",
            value=wait,
        )

    def _redis(self) -> Iterator[GaugeMetricFamily]:
        if not self.settings.redis_url:
            return
        up = GaugeMetricFamily("chalk_redis_up", "1 when Redis answered the scrape.")
        try:
            # Lazy: redis and rq cost start-up time, and only installs with Redis need them.
            from redis import Redis
            from rq import Queue, Worker

            redis = Redis.from_url(self.settings.redis_url, socket_timeout=5)
            queue = Queue(self.settings.queue_name, connection=redis)
            depth = queue.count
            workers = Worker.count(queue=queue)
        except Exception as exc:
            log.warning("metrics: Redis did not answer: %s", exc.__class__.__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield GaugeMetricFamily("chalk_queue_depth", "Jobs waiting in the RQ queue.", value=depth)
        yield GaugeMetricFamily(
            "chalk_workers", "RQ workers registered on the queue.", value=workers
        )


class BackupCollector(Collector):
    """The last scheduled backup's time, read from the backup dir at scrape time (so it is
    right after a restart of the scheduler too)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def collect(self) -> Iterator[GaugeMetricFamily]:
        moment = last_success(self.settings.backup_root)
        if moment is None:
            return  # no backup yet: the alert's absent() clause covers it
        yield GaugeMetricFamily(
            "chalk_backup_last_success_timestamp_seconds",
            "Unix time of the last scheduled backup that was made, verified and copied.",
            value=moment.timestamp(),
        )


def serve_backup_metrics(settings: Settings, *, port: int, addr: str | None = None) -> Any:
    """Serve the backup scheduler's /metrics on `addr:port` from a thread; returns the server."""
    addr = addr or settings.metrics_addr
    registry = CollectorRegistry()
    registry.register(BackupCollector(settings))
    try:
        server, _thread = start_http_server(port, addr=addr, registry=registry)
    except OSError as exc:
        raise MetricsPortInUse(
            f"the metrics port {addr}:{port} could not be opened ({exc.strerror or exc})"
        ) from exc
    log.info("serving backup metrics on http://%s:%d/metrics", addr, port)
    return server


def build_registry(settings: Settings) -> CollectorRegistry:
    """A registry with the multiprocess job metrics (if enabled) and the scrape-time gauges."""
    registry = CollectorRegistry()
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.MultiProcessCollector(registry)
    registry.register(StateCollector(settings))
    return registry


class MetricsPortInUse(OSError):
    """The metrics port could not be bound."""


def serve_worker_metrics(settings: Settings, *, port: int, addr: str | None = None) -> Any:
    """Serve /metrics on `addr:port` (`settings.metrics_addr` by default) from a thread of this
    (the launcher) process.

    Switches this process and the workers it forks to multiprocess mode, with a fresh
    directory that is removed at exit. Returns the HTTP server (tests shut it down).
    """
    addr = addr or settings.metrics_addr
    directory = Path(tempfile.mkdtemp(prefix="chalk-metrics-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    enable_multiprocess(directory)
    try:
        server, _thread = start_http_server(port, addr=addr, registry=build_registry(settings))
    except OSError as exc:
        raise MetricsPortInUse(
            f"the metrics port {addr}:{port} could not be opened ({exc.strerror or exc})"
        ) from exc
    log.info("serving Prometheus metrics on http://%s:%d/metrics", addr, port)
    return server
