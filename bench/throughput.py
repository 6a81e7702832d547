"""Job throughput: 20 preview jobs on 1 RQ worker against the same 20 on 2 workers.

Each configuration gets a fresh SQLite database and media folder in a temp dir, and a unique
queue on a throwaway Redis database (flushed before and after). `chalk worker -n N` is
started and given time to pass its canaries and warm up (every worker is listening) before
the clock starts; the time is from the first submit to the last job finished. Every job gets
different code (a varying constant), so the render cache never answers. The two
configurations alternate for `--runs` rounds (default 3) and the medians are compared, so
a burst of other load on the machine hits both. The goal is a ratio of at least 1.7 on a
2-core machine. Prints one JSON object.
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


def run_config(workers: int, jobs: int, redis_url: str, work: Path) -> float:
    """Start `workers` RQ workers, run `jobs` jobs through them; the wall time in seconds."""
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
        started = time.perf_counter()
        for i in range(jobs):
            code = SCENE.format(constant=f"{(i + 1) / 100 + time.time() % 1 / 1000:.6f}")
            service.submit(settings=settings, owner_id=owner, code=code, backend=backend)
        deadline = time.monotonic() + RUN_TIMEOUT_S
        while finished_count(settings) < jobs:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"jobs did not finish:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
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
    return elapsed


def summary(times: list[float], jobs: int) -> dict[str, object]:
    median = statistics.median(times)
    return {
        "wall_s": round(median, 3),
        "jobs_per_min": round(jobs / median * 60, 2),
        "runs_s": [round(t, 3) for t in times],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--redis", default="redis://127.0.0.1:6379/15", help="a throwaway Redis database"
    )
    args = parser.parse_args()
    redis = Redis.from_url(args.redis)
    redis.flushdb()
    times: dict[int, list[float]] = {1: [], 2: []}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for _ in range(args.runs):
                for workers in (1, 2):
                    times[workers].append(run_config(workers, args.jobs, args.redis, Path(tmp)))
    finally:
        redis.flushdb()
    one, two = summary(times[1], args.jobs), summary(times[2], args.jobs)
    print(
        json.dumps(
            {
                "benchmark": "throughput",
                "jobs": args.jobs,
                "quality": "preview",
                "cpus": os.cpu_count(),
                "runs": args.runs,
                "one_worker": one,
                "two_workers": two,
                "ratio_two_over_one": round(float(one["wall_s"]) / float(two["wall_s"]), 3),
                "goal_ratio": 1.7,
            }
        )
    )


if __name__ == "__main__":
    main()
