"""`chalk health`: is this deployment able to take and finish jobs right now?

Five checks, each `{ok, detail}`: database (reachable and at the current schema), queue
(Redis reachable with a worker listening, or the inline pool), storage (a probe object is
written, read back and deleted), sandbox (the isolation layers a render gets here; `deep`
runs the selftest canaries), disk (free space in the data dir).

The status is `down` when a check the app cannot work without fails (database, storage, or
an unreachable Redis), `degraded` when another one fails (no worker listening, a sandbox
that does not meet CHALK_SANDBOX_MODE, low disk), and `ok` otherwise.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from redis import Redis
from rq import Queue, Worker
from sqlalchemy import make_url, text

from app.core import sandbox
from app.core.selftest import run_selftest
from app.db.engine import get_engine
from app.db.migrate import current_revision, head_revision, is_newer_than_code
from app.disk import disk_space
from app.redaction import redact, secret_values
from app.settings import Settings
from app.storage import get_storage

log = logging.getLogger(__name__)

Status = Literal["ok", "degraded", "down"]
CHECKS = ("database", "queue", "storage", "sandbox", "disk")


@dataclass(frozen=True)
class Check:
    """One check's verdict; `critical` failures make the whole status "down"."""

    ok: bool
    detail: str
    critical: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "detail": self.detail}


@dataclass
class HealthReport:
    checks: dict[str, Check] = field(default_factory=dict)

    @property
    def status(self) -> Status:
        failing = [check for check in self.checks.values() if not check.ok]
        if any(check.critical for check in failing):
            return "down"
        return "degraded" if failing else "ok"

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "checks": {name: check.to_json() for name, check in self.checks.items()},
        }


def check_database(settings: Settings) -> Check:
    where = make_url(settings.database).render_as_string(hide_password=True)
    with get_engine(settings).connect() as connection:
        connection.execute(text("SELECT 1"))
    revision, head = current_revision(settings), head_revision()
    if revision is None:
        return Check(False, f"{where} has no tables yet: run `chalk db upgrade`.", critical=True)
    if is_newer_than_code(revision):
        # A blue-green deploy's new release migrated first: expand-only, this one still works.
        return Check(True, f"{where} answers, schema revision {revision} (a newer release's)")
    if revision != head:
        return Check(
            False,
            f"{where} is at schema revision {revision}, this Chalk needs {head}: "
            "run `chalk db upgrade`.",
            critical=True,
        )
    return Check(True, f"{where} answers, schema revision {revision}")


def check_queue(settings: Settings) -> Check:
    if not settings.redis_url:
        return Check(True, f"inline pool of {settings.inline_workers} threads (no CHALK_REDIS_URL)")
    where = make_url(settings.redis_url).render_as_string(hide_password=True)
    try:
        redis = Redis.from_url(settings.redis_url, socket_timeout=5, socket_connect_timeout=5)
        redis.ping()
        queue = Queue(settings.queue_name, connection=redis)
        depth, workers = queue.count, Worker.count(queue=queue)
    except Exception as exc:
        return Check(
            False, f"Redis at {where} does not answer ({exc.__class__.__name__}).", critical=True
        )
    detail = f"Redis at {where}: {depth} jobs waiting on '{settings.queue_name}', {workers} workers"
    if workers == 0:
        return Check(False, detail + "; start one with `chalk worker`.")
    return Check(True, detail)


def check_storage(settings: Settings) -> Check:
    storage = get_storage(settings)
    key = f"health/probe-{uuid.uuid4().hex}.txt"
    payload = b"chalk health probe"
    try:
        storage.put_bytes(key, payload, "text/plain")
        if storage.read_bytes(key) != payload:
            return Check(False, f"{storage!r} gave back different bytes.", critical=True)
    finally:
        try:
            storage.delete(key)
        except Exception:
            log.warning("health: could not delete the probe %s", key)
    return Check(True, f"{storage!r} writes, reads and deletes")


def check_sandbox(settings: Settings, *, deep: bool = False) -> Check:
    if deep:
        report = run_selftest(settings)
        failed = [c.name for c in report.canaries if not c.passed]
        measured = ", ".join(report.layers)
        if failed:
            return Check(
                False, f"selftest canaries failed: {', '.join(failed)} (layers: {measured})"
            )
        return Check(True, f"selftest passed; layers: {measured}")
    layers = sandbox.active_layers(settings.sandbox_mode)
    has_bwrap = "bwrap" in layers
    if settings.sandbox_mode == "bwrap" and not has_bwrap:
        return Check(False, "CHALK_SANDBOX_MODE=bwrap but bubblewrap cannot run here.")
    note = "" if has_bwrap or settings.sandbox_mode == "process" else "; no bubblewrap here"
    return Check(True, f"mode {settings.sandbox_mode}, layers: {', '.join(layers)}{note}")


def check_disk(settings: Settings) -> Check:
    space = disk_space(settings)
    detail = f"{space.free_mb} MB free of {space.total_mb} MB in {settings.data_dir}"
    if space.free_mb < settings.health_min_free_disk_mb:
        return Check(
            False,
            f"{detail}; below CHALK_HEALTH_MIN_FREE_DISK_MB={settings.health_min_free_disk_mb}.",
        )
    return Check(True, detail)


def run_health(settings: Settings, *, deep: bool = False) -> HealthReport:
    """Run every check; a check that raises fails with the exception's class in its detail."""
    checks: dict[str, Callable[[], Check]] = {
        "database": lambda: check_database(settings),
        "queue": lambda: check_queue(settings),
        "storage": lambda: check_storage(settings),
        "sandbox": lambda: check_sandbox(settings, deep=deep),
        "disk": lambda: check_disk(settings),
    }
    report = HealthReport()
    for name, check in checks.items():
        try:
            report.checks[name] = check()
        except Exception as exc:
            log.warning("health: the %s check failed", name, exc_info=True)
            message = getattr(exc, "message", None) or (str(exc).splitlines() or [""])[0][:200]
            message = redact(message, secret_values(settings))
            report.checks[name] = Check(
                False,
                f"{exc.__class__.__name__}: {message}",
                critical=name in ("database", "storage"),
            )
    return report
