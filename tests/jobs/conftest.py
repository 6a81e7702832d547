"""Fixtures for the job system: job settings on both databases and on Redis, a user, worker
subprocesses, and a look at the processes a render leaves behind.

Redis: the throwaway DB of `redis_url` (tests/conftest.py) and a unique queue name per test.
Tests that use Redis are in the xdist group "redis". If Redis or PostgreSQL cannot be reached
the test fails with the reason; nothing is skipped.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import make_url

from app.core.sandbox import UID_BASE, UID_SPAN
from app.jobs.backends import shutdown_inline_pools
from app.settings import Settings
from tests.db_fixtures import throwaway_database
from tests.helpers import PrivateRedis, TcpProxy, with_tex_format

ROOT = Path(__file__).resolve().parents[2]
CHALK = ROOT / ".venv" / "bin" / "chalk"
SCENES = ROOT / "tests" / "scenes"

# Short timings so lost workers are found in seconds.
FAST = {
    "heartbeat_s": 0.5,
    "stale_after_s": 3.0,
    "reconcile_every_s": 1.0,
    "max_requeues": 1,
    "inline_workers": 2,
    # The canaries are the subject of tests/test_selftest.py and of the two worker tests that
    # turn them back on; a worker here is about the queue (saves ~5 s per worker start).
    "worker_selftest": False,
}


def scene(name: str) -> str:
    return (SCENES / f"{name}.py").read_text()


def spinning_scene(seconds: int, token: str = "") -> str:
    """A scene with `seconds` of continuous animation (~0.1 s of rendering per second)."""
    return f"""from manim import *


class Spin{token}(Scene):
    def construct(self):
        square = Square(color=BLUE)
        self.add(square)
        for _ in range({seconds}):
            self.play(Rotate(square, PI / 8), run_time=1)
"""


def _fast(settings: Settings, **extra: Any) -> Settings:
    return settings.model_copy(update={**FAST, "queue_name": f"q-{uuid.uuid4().hex[:8]}", **extra})


@pytest.fixture
def job_settings(db_settings: Settings) -> Iterator[Settings]:
    """Settings for the inline backend on SQLite and on PostgreSQL, with short timings."""
    yield _fast(db_settings, redis_url=None)
    shutdown_inline_pools(wait=True)


@pytest.fixture
def sqlite_job_settings(settings: Settings, tmp_path: Path) -> Iterator[Settings]:
    """Like job_settings, on SQLite only."""
    with throwaway_database("sqlite", settings, tmp_path, migrate=True) as db:
        yield _fast(db, redis_url=None)
        shutdown_inline_pools(wait=True)


@pytest.fixture
def rq_settings(db_settings: Settings, redis_url: str) -> Settings:
    """Settings for the RQ backend (a unique queue) on SQLite and on PostgreSQL.

    Tests that start `chalk worker` processes use it only where the database changes what
    happens (a killed worker's job re-claimed by another); the queue, cancel and Redis-flush
    paths run the same service code, which tests/jobs/test_service.py runs on both databases.
    """
    return _fast(db_settings, redis_url=redis_url)


@pytest.fixture
def rq_sqlite_settings(settings: Settings, tmp_path: Path, redis_url: str) -> Iterator[Settings]:
    """Like rq_settings, on SQLite only (for tests where the database does not matter)."""
    with throwaway_database("sqlite", settings, tmp_path, migrate=True) as db:
        yield _fast(db, redis_url=redis_url)


@pytest.fixture
def pg_behind_proxy(pg_settings: Settings) -> Iterator[tuple[Settings, TcpProxy]]:
    """Inline-backend settings whose PostgreSQL is reached through a TcpProxy, to cut."""
    url = make_url(pg_settings.database)
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    yield _fast(pg_settings, database_url=proxied, redis_url=None), proxy
    shutdown_inline_pools(wait=True)
    proxy.close()


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    """A redis-server of this test's own, to restart (never the shared one)."""
    server = PrivateRedis(tmp_path / "redis")
    yield server
    server.close()


def env_for(settings: Settings) -> dict[str, str]:
    """Environment for a `chalk` subprocess with these settings, whose data dir holds what a
    worker finds there after its first start (with_tex_format)."""
    with_tex_format(settings.data_dir)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHALK_")}
    presets = {name: preset.model_dump() for name, preset in settings.quality_presets.items()}
    env.update(
        {
            "CHALK_DATA_DIR": str(settings.data_dir),
            "CHALK_DATABASE_URL": settings.database,
            "CHALK_QUEUE_NAME": settings.queue_name,
            "CHALK_HEARTBEAT_S": str(settings.heartbeat_s),
            "CHALK_STALE_AFTER_S": str(settings.stale_after_s),
            "CHALK_RECONCILE_EVERY_S": str(settings.reconcile_every_s),
            "CHALK_MAX_REQUEUES": str(settings.max_requeues),
            "CHALK_QUOTAS": json.dumps(
                {role: quota.model_dump() for role, quota in settings.quotas.items()}
            ),
            "CHALK_INLINE_WORKERS": str(settings.inline_workers),
            "CHALK_RENDER_CACHE": "true" if settings.render_cache else "false",
            "CHALK_SANDBOX_MEMORY_MB": str(settings.sandbox_memory_mb),
            "CHALK_WORKER_SELFTEST": "true" if settings.worker_selftest else "false",
            "CHALK_SPEECH_PRELOAD": "true" if settings.speech_preload else "false",
            "CHALK_QUALITY_PRESETS": json.dumps(presets),
        }
    )
    if settings.redis_url:
        env["CHALK_REDIS_URL"] = settings.redis_url
    return env


class WorkerProcess:
    """A `chalk worker` subprocess (its own process group, output in a log file)."""

    def __init__(self, settings: Settings, log_path: Path, *args: str) -> None:
        self.log_path = log_path
        self._log = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [str(CHALK), "worker", *args],
            env=env_for(settings),
            cwd=settings.data_dir.parent,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.proc.pid

    def wait(self, timeout: float) -> int:
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            pytest.fail(f"the worker did not finish in {timeout} s:\n{self.tail()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self._log.close()

    def output(self) -> str:
        """The worker's whole log (search it); `tail()` for assertion messages."""
        return self.log_path.read_text(errors="replace")

    def tail(self) -> str:
        return self.output()[-6000:]


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator[Callable[..., WorkerProcess]]:
    """Start `chalk worker` subprocesses; every one left running is stopped at teardown."""
    started: list[WorkerProcess] = []

    def start(settings: Settings, *args: str) -> WorkerProcess:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        worker = WorkerProcess(settings, tmp_path / f"worker-{len(started)}.log", *args)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def chalk_cli(
    settings: Settings, *args: str, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CHALK), *args],
        env=env_for(settings),
        cwd=settings.data_dir.parent,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


# Processes ------------------------------------------------------------------------------


def _stat(pid: int) -> tuple[int, int] | None:
    """(ppid, start time) of a process, or None when it is gone (or a zombie)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    if fields[0] in ("Z", "X"):
        return None
    return int(fields[1]), int(fields[19])


def _uid(pid: int) -> int | None:
    try:
        return os.stat(f"/proc/{pid}").st_uid
    except OSError:
        return None


Process = tuple[int, int]  # (pid, start time): a pid alone may be reused


def descendants(root: int) -> set[Process]:
    """Every live process below `root` in the process tree."""
    children: dict[int, list[Process]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None:
                children.setdefault(stat[0], []).append((int(entry.name), stat[1]))
    found: set[Process] = set()
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child[0])
    return found


def job_processes(root: int) -> set[Process]:
    """Processes below `root` that run as a sandbox job's uid (scene code)."""
    return {
        p for p in descendants(root) if (_uid(p[0]) or 0) in range(UID_BASE, UID_BASE + UID_SPAN)
    }


def alive(processes: set[Process]) -> set[Process]:
    """Those of `processes` that still exist (same pid and start time)."""
    return {p for p in processes if (stat := _stat(p[0])) is not None and stat[1] == p[1]}
