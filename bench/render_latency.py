"""Render latency of a preview: a Chalk job from creation to stored video, against `manim -ql`.

For each scene, all measured in this run and interleaved, median of N (default 5):
- `chalk_warm_job_s`: `service.submit` → the inline worker pool → warm sandbox → media store →
  Video row, until the job reads `succeeded` (the goal: at most 0.45 × `manim -ql`);
- `chalk_cold_job_s`: the same job with the warm pool turned off (a fresh sandbox per job);
- `chalk_cli_s`: `chalk render --code` as a separate process (pays the interpreter and imports);
- `manim_ql_s`: `manim render -ql` of the same file, the baseline.

Every Chalk job gets different code (a comment with the run number), so the render cache
never answers (bench/cache.py measures hits); every manim run gets a fresh media directory,
as every Chalk job starts from an empty job folder, so both pay for LaTeX. The SQLite
database, the local media folder and the inline pool are the embedded defaults.
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.accounts.users import get_or_create_user  # noqa: E402
from app.db.engine import session_scope  # noqa: E402
from app.db.migrate import ensure_schema  # noqa: E402
from app.jobs import service  # noqa: E402
from app.jobs.backends import InlineBackend  # noqa: E402
from app.settings import RoleQuota, Settings  # noqa: E402

SCENES = {
    "text_scene.py": "TextScene",
    "mathtex_scene.py": "MathTexScene",
}
BIN = Path(sys.executable).parent
GOAL_RATIO = 0.45  # a warm preview job's time over `manim -ql`'s, at most


def timed_process(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


class JobClock:
    """Submits jobs to an inline pool and times each one until it is stored."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        ensure_schema(settings)
        with session_scope(settings) as session:
            self.owner_id = get_or_create_user(session, "bench").id
        self.backend = InlineBackend(settings, reconcile=False)
        self.backend.start()  # starts the warm sandbox (when on), as the app does at start
        self.runs = 0

    def job_s(self, code: str) -> float:
        self.runs += 1
        code = f"{code}\n# run {self.runs}\n"  # a new cache key every time
        started = time.perf_counter()
        view = service.submit(
            settings=self.settings,
            owner_id=self.owner_id,
            code=code,
            quality="preview",
            backend=self.backend,
        )
        future = self.backend.future(view.job_id)
        if future is not None:
            future.result(timeout=300)
        elapsed = time.perf_counter() - started
        final = service.status(settings=self.settings, job_id=view.job_id)
        if final.state != "succeeded":
            raise SystemExit(f"bench job {view.job_id} ended {final.state}: {final.error}")
        return elapsed

    def close(self) -> None:
        self.backend.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    results = {}
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        # One bench user submits job after job: no quota may refuse one.
        unlimited = RoleQuota(submits_per_minute=None, videos_per_day=None)
        base = {"render_cache": False, "inline_workers": 1, "quotas": {"teacher": unlimited}}
        warm_clock = JobClock(Settings(data_dir=work / "warm", warm_pool=True, **base))
        cold_clock = JobClock(Settings(data_dir=work / "cold", warm_pool=False, **base))
        env = {**os.environ, "CHALK_DATA_DIR": str(work / "cli"), "CHALK_WARM_POOL": "false"}
        for name, scene_class in SCENES.items():
            scene = ROOT / "tests" / "scenes" / name
            code = scene.read_text()
            chalk_cli = [str(BIN / "chalk"), "render", "--code", str(scene), "--no-cache"]
            chalk_cli += ["--quality", "preview", "--out", str(work / "cli.mp4"), "--json"]

            def manim_ql(run: int, scene: Path = scene, scene_class: str = scene_class) -> float:
                # -ql is 854x480 @15 fps, the same as Chalk's preview preset.
                media = work / "media" / f"{scene.stem}-{run}"
                cmd = [str(BIN / "manim"), "render", "-ql", "--disable_caching"]
                cmd += ["--progress_bar", "none", "--media_dir", str(media)]
                return timed_process(cmd + [str(scene), scene_class], work, env)

            # Once each to warm the file cache, LaTeX's own files and the sandboxes.
            warm_clock.job_s(code)
            cold_clock.job_s(code)
            timed_process(chalk_cli, work, env)
            manim_ql(0)
            times: dict[str, list[float]] = {
                "chalk_warm_job_s": [],
                "chalk_cold_job_s": [],
                "chalk_cli_s": [],
                "manim_ql_s": [],
            }
            for run in range(1, args.runs + 1):
                times["chalk_warm_job_s"].append(warm_clock.job_s(code))
                times["chalk_cold_job_s"].append(cold_clock.job_s(code))
                times["chalk_cli_s"].append(timed_process(chalk_cli, work, env))
                times["manim_ql_s"].append(manim_ql(run))
            medians = {key: statistics.median(values) for key, values in times.items()}
            manim = medians["manim_ql_s"]
            results[name] = {
                **{f"{key}_median": round(value, 3) for key, value in medians.items()},
                "ratio_warm_job_over_manim": round(medians["chalk_warm_job_s"] / manim, 3),
                "ratio_cold_job_over_manim": round(medians["chalk_cold_job_s"] / manim, 3),
                "ratio_cli_over_manim": round(medians["chalk_cli_s"] / manim, 3),
                "goal_ratio": GOAL_RATIO,
                "goal_met": medians["chalk_warm_job_s"] / manim <= GOAL_RATIO,
                "runs": {key: [round(v, 3) for v in values] for key, values in times.items()},
            }
        warm_clock.close()
        cold_clock.close()
    print(
        json.dumps(
            {
                "benchmark": "render_latency",
                "quality": "preview",
                "runs": args.runs,
                "cpus": os.cpu_count(),
                # The machine may be shared: how busy it was, as runnable processes per minute.
                "load_avg_1min": {
                    "before": round(load_before, 2),
                    "after": round(os.getloadavg()[0], 2),
                },
                **results,
            }
        )
    )


if __name__ == "__main__":
    main()
