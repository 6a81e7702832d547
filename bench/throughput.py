"""Job throughput: 20 preview jobs on 1 RQ worker against the same 20 on 2 workers.

Each configuration gets a fresh SQLite database and media folder in a temp dir, and a unique
queue on a throwaway Redis database (flushed before and after). `chalk worker -n N` is
started and given time to pass its canaries and warm up (every worker is listening) before
the clock starts; the time is from the first submit to the last job finished. Every job gets
different code (a varying constant), so the render cache never answers. The two
configurations alternate for `--runs` rounds (default 3) and the medians are compared, so
a burst of other load on the machine hits both. The goal is a ratio of at least 1.7 on a
2-core machine.

Two workloads: `sweep` (default), one short synthetic scene with a varying constant, where
fixed overheads weigh most; and `templates`, the offline templates' own example prompts (one
per template, in catalogue order), which is what a teacher's batch of previews is made of:
text, formulas and longer scenes.

Each run also records the CPU time the worker tree used (the launcher, its workers, their
warm sandboxes and every render they reaped) and how busy the whole machine was meanwhile,
so a noisy run shows up as such: `other_load_cpus` is the CPUs' worth of work that was not
ours. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from redis import Redis  # noqa: E402
from rq import Queue, Worker  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from app.accounts.users import get_or_create_user  # noqa: E402
from app.db.engine import dispose_engines, session_scope  # noqa: E402
from app.db.migrate import ensure_schema  # noqa: E402
from app.db.models import FINAL_STATES, Job  # noqa: E402
from app.jobs import service  # noqa: E402
from app.jobs.backends import RQBackend  # noqa: E402
from app.settings import RoleQuota, Settings  # noqa: E402

BIN = Path(sys.executable).parent
START_TIMEOUT_S = 120
RUN_TIMEOUT_S = 900

SCENE = """from manim import *


class Sweep(Scene):
    def construct(self):
        shift = {constant}
        dot = Dot(color=YELLOW).shift(LEFT * 3 + UP * shift)
        square = Square(color=BLUE).shift(RIGHT * shift)
        self.add(square, dot)
        self.play(dot.animate.shift(RIGHT * 6), Rotate(square, PI / 2), run_time=2)
"""


def worker_env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHALK_")}
    env.update(
        {
            "CHALK_DATA_DIR": str(settings.data_dir),
            "CHALK_DATABASE_URL": settings.database,
            "CHALK_REDIS_URL": str(settings.redis_url),
            "CHALK_QUEUE_NAME": settings.queue_name,
            "CHALK_LOG_LEVEL": "WARNING",
        }
    )
    return env


def finished_count(settings: Settings) -> int:
    with session_scope(settings) as session:
        query = select(func.count()).select_from(Job).where(Job.state.in_(FINAL_STATES))
        return session.scalar(query) or 0


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def machine_busy_s() -> float:
    """CPU seconds every core of the machine has spent busy since boot (from /proc/stat)."""
    with open("/proc/stat") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / CLOCK_TICKS


def tree_cpu_s(root: int) -> float:
    """CPU seconds used by `root` and all its descendants, the reaped ones included.

    A process that was waited for is counted in its parent's cutime/cstime; every process of
    a worker tree that matters (the warm sandboxes, their reaped job children) is either
    still alive at the end of a run or was reaped by one that is.
    """
    stats: dict[int, tuple[int, float]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                # The command name may hold spaces; the fields after its ')' are fixed.
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ppid, times = int(fields[1]), sum(int(v) for v in fields[11:15])
        stats[int(entry)] = (ppid, times / CLOCK_TICKS)
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in stats.items():
        children.setdefault(ppid, []).append(pid)
    total, stack = 0.0, [root]
    while stack:
        pid = stack.pop()
        total += stats.get(pid, (0, 0.0))[1]
        stack.extend(children.get(pid, []))
    return total


@dataclass
class Run:
    wall_s: float
    cpu_s: float  # the worker tree's CPU time during the run
    machine_busy_s: float  # every process on the machine, ours included

    @property
    def other_load_cpus(self) -> float:
        return max(0.0, self.machine_busy_s - self.cpu_s) / self.wall_s


def template_prompts() -> list[str]:
    """Every offline template's example prompt: a realistic, cache-free batch of previews."""
    from app.generators.offline.catalogue import registry

    return [template.example_prompt for template in registry().values()]


def submissions(workload: str, jobs: int) -> list[dict[str, str]]:
    """The keyword arguments of each job's submit for `workload`."""
    if workload == "templates":
        prompts = template_prompts()
        if jobs > len(prompts):
            raise SystemExit(f"the templates workload has {len(prompts)} distinct jobs")
        return [{"prompt": prompt, "generator": "offline"} for prompt in prompts[:jobs]]
    stamp = time.time() % 1 / 1000
    return [{"code": SCENE.format(constant=f"{(i + 1) / 100 + stamp:.6f}")} for i in range(jobs)]


def run_config(workers: int, jobs: int, redis_url: str, work: Path, workload: str = "sweep") -> Run:
    """Start `workers` RQ workers, run `jobs` jobs through them; time and CPU of the run."""
    data = work / f"workers-{workers}-{uuid.uuid4().hex[:6]}"
    settings = Settings(
        data_dir=data,
        database_url=f"sqlite:///{data / 'chalk.db'}",
        redis_url=redis_url,
        queue_name=f"bench-{uuid.uuid4().hex[:8]}",
        # One bench user submits every job at once: no quota may refuse one.
        quotas={
            "teacher": RoleQuota(
                concurrent_jobs=jobs,
                submits_per_minute=None,
                videos_per_day=None,
                render_minutes_per_month=None,
            )
        },
    )
    data.mkdir(parents=True)
    ensure_schema(settings)
    with session_scope(settings) as session:
        owner = get_or_create_user(session, "bench").id
    log_path = data / "workers.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [str(BIN / "chalk"), "worker", "-n", str(workers)],
            env=worker_env(settings),
            cwd=work,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        backend = RQBackend(settings)
        deadline = time.monotonic() + START_TIMEOUT_S
        while len(Worker.all(connection=backend.redis, queue=backend.queue)) < workers:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"workers did not start:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.2)
        cpu_before, busy_before = tree_cpu_s(proc.pid), machine_busy_s()
        started = time.perf_counter()
        for job in submissions(workload, jobs):
            service.submit(settings=settings, owner_id=owner, backend=backend, **job)
        deadline = time.monotonic() + RUN_TIMEOUT_S
        while finished_count(settings) < jobs:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"jobs did not finish:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        run = Run(
            wall_s=elapsed,
            cpu_s=tree_cpu_s(proc.pid) - cpu_before,
            machine_busy_s=machine_busy_s() - busy_before,
        )
        with session_scope(settings) as session:
            states = dict(
                session.execute(select(Job.state, func.count()).group_by(Job.state)).all()
            )
            hits = session.scalar(select(func.count()).select_from(Job).where(Job.cache_hit))
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
        Queue(settings.queue_name, connection=Redis.from_url(redis_url)).delete()
        dispose_engines()
    if states.get("succeeded") != jobs or hits:
        raise SystemExit(
            f"not every job rendered: {states}, {hits} cache hits\n" + log_path.read_text()[-3000:]
        )
    return run


def summary(runs: list[Run], jobs: int) -> dict[str, object]:
    median = statistics.median(r.wall_s for r in runs)
    return {
        "wall_s": round(median, 3),
        "jobs_per_min": round(jobs / median * 60, 2),
        "cpu_s_per_job": round(statistics.median(r.cpu_s for r in runs) / jobs, 3),
        "runs_s": [round(r.wall_s, 3) for r in runs],
        "other_load_cpus": [round(r.other_load_cpus, 2) for r in runs],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workload", choices=("sweep", "templates"), default="sweep")
    parser.add_argument(
        "--redis", default="redis://127.0.0.1:6379/15", help="a throwaway Redis database"
    )
    args = parser.parse_args()
    redis = Redis.from_url(args.redis)
    redis.flushdb()
    runs: dict[int, list[Run]] = {1: [], 2: []}
    load_before = os.getloadavg()[0]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for _ in range(args.runs):
                for workers in (1, 2):
                    runs[workers].append(
                        run_config(workers, args.jobs, args.redis, Path(tmp), args.workload)
                    )
    finally:
        redis.flushdb()
    one, two = summary(runs[1], args.jobs), summary(runs[2], args.jobs)
    print(
        json.dumps(
            {
                "benchmark": "throughput",
                "jobs": args.jobs,
                "workload": args.workload,
                "quality": "preview",
                "cpus": os.cpu_count(),
                "runs": args.runs,
                "load_avg_1min": {
                    "before": round(load_before, 2),
                    "after": round(os.getloadavg()[0], 2),
                },
                "one_worker": one,
                "two_workers": two,
                "ratio_two_over_one": round(float(one["wall_s"]) / float(two["wall_s"]), 3),
                "goal_ratio": 1.7,
            }
        )
    )


if __name__ == "__main__":
    main()
