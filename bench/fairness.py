"""Fair dispatch: how long a light user's one job waits behind a heavy user's batch.

A heavy teacher submits a batch of `--batch` previews (20 to 50) at once; `--light-after-s`
later a light teacher submits one preview. The same submissions run twice in one process, on
the inline pool (`--workers` threads, real sandboxed renders), each with a fresh SQLite
database and media folder:

- `fifo`: the policy before fair dispatch, where every accepted job went straight on the
  queue (here: no per-user slot limit), so the light job queues behind the whole batch;
- `fair`: each teacher's jobs hold at most `--slots` places on the queue (the teacher default,
  `concurrent_jobs`); the rest wait in the database and are dispatched as slots free.

Every job renders different code (a varying constant), so the render cache never answers.
Reported per policy: the light job's wait (submitted → started) and time to its video
(submitted → finished), the heavy batch's makespan, and jobs lost (accepted but missing or
not finished when the run ends: must be 0). Prints one JSON object, with the ratio of the
light user's wait fifo/fair.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from app.accounts.users import get_or_create_user  # noqa: E402
from app.db.engine import dispose_engines, session_scope  # noqa: E402
from app.db.migrate import ensure_schema  # noqa: E402
from app.db.models import FINAL_STATES, Job  # noqa: E402
from app.jobs import service  # noqa: E402
from app.jobs.backends import shutdown_inline_pools  # noqa: E402
from app.settings import DEFAULT_QUOTAS, RoleQuota, Settings  # noqa: E402

RUN_TIMEOUT_S = 1800

SCENE = """from manim import *


class Batch(Scene):
    def construct(self):
        shift = {constant}
        dot = Dot(color=YELLOW).shift(LEFT * 3 + UP * shift)
        square = Square(color=BLUE).shift(RIGHT * shift)
        self.add(square, dot)
        self.play(dot.animate.shift(RIGHT * 6), Rotate(square, PI / 2), run_time=1)
"""


def code(index: int, policy: str) -> str:
    """A distinct scene per job and per policy, so no render is served from the cache."""
    offset = 0.0 if policy == "fifo" else 0.5
    return SCENE.format(constant=f"{(index + 1) / 1000 + offset:.4f}")


def run_policy(
    policy: str, *, batch: int, slots: int | None, workers: int, light_after_s: float, work: Path
) -> dict[str, Any]:
    data = work / policy
    settings = Settings(
        data_dir=data,
        database_url=f"sqlite:///{data / 'chalk.db'}",
        redis_url=None,
        inline_workers=workers,
        # Only the slot limit differs between the policies; nothing else may refuse a job.
        # (Quotas merge field by field with the defaults: the others are set to no limit.)
        quotas={
            "teacher": RoleQuota(
                concurrent_jobs=slots,
                queued_jobs=batch + 1,
                videos_per_day=None,
                render_minutes_per_month=None,
                llm_tokens_per_month=None,
                submits_per_minute=None,
            )
        },
    )
    data.mkdir(parents=True)
    ensure_schema(settings)
    with session_scope(settings) as session:
        heavy = get_or_create_user(session, "heavy").id
        light = get_or_create_user(session, "light").id
    accepted: list[str] = []
    try:
        started = time.monotonic()
        for i in range(batch):
            view = service.submit(settings=settings, owner_id=heavy, code=code(i, policy))
            accepted.append(view.job_id)
        time.sleep(max(0.0, light_after_s - (time.monotonic() - started)))
        light_id = service.submit(
            settings=settings, owner_id=light, code=code(batch, policy)
        ).job_id
        accepted.append(light_id)
        deadline = time.monotonic() + RUN_TIMEOUT_S
        while time.monotonic() < deadline:
            with session_scope(settings) as session:
                rows = session.execute(select(Job.id, Job.state))
                states = {job_id: state for job_id, state in rows}
            if all(states.get(job_id) in FINAL_STATES for job_id in accepted):
                break
            time.sleep(0.25)
        with session_scope(settings) as session:
            jobs = {job.id: job for job in session.scalars(select(Job))}
            session.expunge_all()
    finally:
        shutdown_inline_pools(wait=True)
        dispose_engines()
    lost = [j for j in accepted if j not in jobs or jobs[j].state not in FINAL_STATES]
    light_job = jobs[light_id]
    heavy_jobs = [jobs[j] for j in accepted[:-1] if j in jobs]

    def seconds(later: Any, earlier: Any) -> float | None:
        return round((later - earlier).total_seconds(), 2) if later and earlier else None

    first = min(job.created_at for job in heavy_jobs)
    last = max((job.finished_at for job in heavy_jobs if job.finished_at), default=None)
    return {
        "light_wait_s": seconds(light_job.started_at, light_job.created_at),
        "light_done_s": seconds(light_job.finished_at, light_job.created_at),
        "light_state": light_job.state,
        "heavy_makespan_s": seconds(last, first),
        "heavy_succeeded": sum(1 for job in heavy_jobs if job.state == "succeeded"),
        "jobs_accepted": len(accepted),
        "jobs_lost": len(lost),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch", type=int, default=20, help="the heavy user's jobs (20-50)")
    parser.add_argument("--workers", type=int, default=2, help="inline pool threads")
    parser.add_argument(
        "--slots",
        type=int,
        default=DEFAULT_QUOTAS["teacher"].concurrent_jobs,
        help="each teacher's jobs on the queue at once under fair dispatch",
    )
    parser.add_argument("--light-after-s", type=float, default=1.0)
    args = parser.parse_args()
    if not 1 <= args.batch <= 50:
        parser.error("--batch is between 1 and 50 (the batch limit)")
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="chalk-fairness-") as tmp:
        Path(tmp).chmod(0o755)  # the sandbox's unprivileged render user works inside it
        for policy, slots in (("fifo", None), ("fair", args.slots)):
            results[policy] = run_policy(
                policy,
                batch=args.batch,
                slots=slots,
                workers=args.workers,
                light_after_s=args.light_after_s,
                work=Path(tmp),
            )
    fifo, fair = results["fifo"]["light_wait_s"], results["fair"]["light_wait_s"]
    print(
        json.dumps(
            {
                "batch": args.batch,
                "workers": args.workers,
                "slots": args.slots,
                "light_after_s": args.light_after_s,
                **results,
                "light_wait_ratio_fifo_over_fair": round(fifo / fair, 1) if fifo and fair else None,
                "jobs_lost": results["fifo"]["jobs_lost"] + results["fair"]["jobs_lost"],
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
