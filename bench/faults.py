"""The fault table: each fault once, under real jobs, with what became of every job in flight.

One `chalk worker -n 2` on a private redis-server (a free loopback port, never the machine's
shared Redis) and a throwaway PostgreSQL schema reached through a TcpProxy (tests/helpers), so
the database can be cut without stopping the shared server. For each fault: submit one long
job and one queued job, wait until the long one renders, make the fault, submit the next job
at once, and wait for all of them. Per fault it reports the jobs in flight, the outcome of each
(state, error sentence, re-queues, how many times it ran to completion) and the recovery time:
from the fault to the next job succeeded. Faults: warm sandbox (zygote) SIGKILLed, worker
SIGKILLed, Redis restarted (with its data), Redis flushed, PostgreSQL cut at submit (the submit
must be refused with a sentence and write nothing) and PostgreSQL cut for `--outage-s` during a
job. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from redis import Redis  # noqa: E402
from sqlalchemy import func, make_url, select  # noqa: E402

from app.db.engine import session_scope  # noqa: E402
from app.db.migrate import upgrade  # noqa: E402
from app.db.models import Job, UsageEvent  # noqa: E402
from app.errors import ChalkError  # noqa: E402
from app.jobs import service  # noqa: E402
from app.settings import Settings  # noqa: E402
from tests.db_fixtures import postgres_schema  # noqa: E402
from tests.helpers import PrivateRedis, TcpProxy, make_user, wait_for  # noqa: E402
from tests.jobs.conftest import (  # noqa: E402
    FAST,
    WorkerProcess,
    descendants,
    job_processes,
    spinning_scene,
)

TIMEOUT_S = 180


class Bench:
    def __init__(self, chalk: Settings, direct: Settings, redis: PrivateRedis, proxy: TcpProxy):
        self.chalk, self.direct, self.redis, self.proxy = chalk, direct, redis, proxy
        self.owner = make_user(direct)

    def submit(self, seconds: int) -> str:
        code = spinning_scene(seconds, uuid.uuid4().hex[:8])
        return service.submit(settings=self.chalk, owner_id=self.owner, code=code).job_id

    def view(self, job_id: str) -> service.JobView:
        return service.status(settings=self.direct, job_id=job_id)

    def owner_pid(self, job_id: str) -> int | None:
        worker_id = self.worker_of(job_id)
        if not worker_id or not worker_id.startswith("chalk-"):
            return None
        return int(worker_id.split("/")[0].rsplit("-", 2)[1])

    def worker_of(self, job_id: str) -> str | None:
        with session_scope(self.direct) as session:
            job = session.get(Job, job_id)
            return job.worker_id if job is not None else None

    def rendering(self, job_id: str) -> int | None:
        """The pid of the worker rendering `job_id`, once frames are being drawn."""
        pid = self.owner_pid(job_id)
        if pid and self.view(job_id).progress > 0 and job_processes(pid):
            return pid
        return None

    def outcome(self, job_id: str) -> dict[str, Any]:
        view = self.view(job_id)
        with session_scope(self.direct) as session:
            completions = session.scalar(
                select(func.count()).where(
                    UsageEvent.job_id == job_id,
                    UsageEvent.kind == "job_finished",
                    UsageEvent.state == "succeeded",
                )
            )
        return {
            "state": view.state,
            "error": view.error["message"] if view.error else None,
            "requeues": view.requeues,
            "ran_to_completion": completions,
        }

    def run_fault(self, name: str, fault: Callable[[int], dict[str, Any]]) -> dict[str, Any]:
        """Long job + queued job, the fault while the long one renders, then the next job."""
        in_flight = [self.submit(12), self.submit(1)]
        pid = wait_for(lambda: self.rendering(in_flight[0]), TIMEOUT_S)
        assert pid, f"{name}: the job never rendered"
        faulted = time.monotonic()
        extra = fault(pid)
        probe = self.submit(1)
        done = wait_for(
            lambda: all(self.view(j).finished for j in [*in_flight, probe]), TIMEOUT_S, every=0.2
        )
        succeeded_at = time.monotonic()
        return {
            "fault": name,
            "jobs_in_flight": len(in_flight),
            "outcomes": [self.outcome(job_id) for job_id in in_flight],
            "next_job": self.outcome(probe)["state"],
            "recovery_s": round(succeeded_at - faulted, 1) if done else None,
            **extra,
        }

    # The faults --------------------------------------------------------------------------

    def kill_zygote(self, pid: int) -> dict[str, Any]:
        zygotes = [
            p for p, _ in descendants(pid) if b"--zygote" in Path(f"/proc/{p}/cmdline").read_bytes()
        ]
        outer = min(zygotes)  # bubblewrap, leader of its own process group
        os.killpg(outer, signal.SIGKILL)
        return {}

    def kill_worker(self, pid: int) -> dict[str, Any]:
        os.kill(pid, signal.SIGKILL)  # RQ's pool starts another worker in its place
        return {}

    def restart_redis(self, pid: int) -> dict[str, Any]:
        self.redis.restart(keep=True)
        return {}

    def flush_redis(self, pid: int) -> dict[str, Any]:
        Redis.from_url(self.redis.url).flushall()
        return {}

    def cut_database_during_job(self, pid: int, outage_s: float) -> dict[str, Any]:
        self.proxy.cut()
        time.sleep(outage_s)
        self.proxy.restore()
        return {"outage_s": outage_s}

    def cut_database_at_submit(self) -> dict[str, Any]:
        with session_scope(self.direct) as session:
            before = session.scalar(select(func.count()).select_from(Job))
        self.proxy.cut()
        faulted = time.monotonic()
        try:
            self.submit(1)
            refused = None
        except ChalkError as exc:
            refused = exc.message
        finally:
            self.proxy.restore()
        with session_scope(self.direct) as session:
            after = session.scalar(select(func.count()).select_from(Job))
        probe = self.submit(1)
        done = wait_for(lambda: self.view(probe).finished, TIMEOUT_S, every=0.2)
        return {
            "fault": "postgresql cut at submit",
            "jobs_in_flight": 0,
            "outcomes": [{"state": "refused", "error": refused, "rows_written": after - before}],
            "next_job": self.outcome(probe)["state"],
            "recovery_s": round(time.monotonic() - faulted, 1) if done else None,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outage-s", type=float, default=5.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="chalk-faults-") as tmp:
        base = Settings(data_dir=Path(tmp) / "data")
        redis = PrivateRedis(Path(tmp) / "redis")
        with postgres_schema(base) as direct:
            upgrade(direct)
            url = make_url(direct.database)
            proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
            proxied = url.set(host="127.0.0.1", port=proxy.port)
            chalk = direct.model_copy(
                update={
                    **FAST,
                    "database_url": proxied.render_as_string(hide_password=False),
                    "redis_url": redis.url,
                    "queue_name": "faults",
                    "quotas": {},
                }
            )
            direct = direct.model_copy(update={"quotas": {}})
            chalk.data_dir.mkdir(parents=True)
            bench = Bench(chalk, direct, redis, proxy)
            worker = WorkerProcess(chalk, Path(tmp) / "worker.log", "-n", "2")
            started = time.monotonic()
            try:
                listening = wait_for(lambda: worker.output().count("Listening on") >= 2, 300)
                assert listening, worker.tail()
                ready_s = time.monotonic() - started
                table = [
                    bench.run_fault("warm sandbox (zygote) killed", bench.kill_zygote),
                    bench.run_fault("worker SIGKILLed", bench.kill_worker),
                    bench.run_fault("redis restarted", bench.restart_redis),
                    bench.run_fault("redis flushed", bench.flush_redis),
                    bench.cut_database_at_submit(),
                    bench.run_fault(
                        "postgresql cut during a job",
                        lambda pid: bench.cut_database_during_job(pid, args.outage_s),
                    ),
                ]
            finally:
                worker.stop()
                proxy.close()
                redis.close()
        print(
            json.dumps(
                {
                    "benchmark": "faults",
                    "workers": 2,
                    "settings": {k: v for k, v in FAST.items() if k != "inline_workers"},
                    "worker_ready_s": round(ready_s, 1),
                    "faults": table,
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
