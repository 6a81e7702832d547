"""Render latency: `chalk render --code` against a plain `manim -ql` run of the same scene.

Both are measured in this run, alternating, median of N (default 5). The plain manim run is
the baseline a later warm render pool must beat; Chalk adds the sandbox, a measuring dry
pass and the output gate. Prints one JSON object.
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
SCENE = ROOT / "tests" / "scenes" / "mathtex_scene.py"
BIN = Path(sys.executable).parent


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {**os.environ, "CHALK_DATA_DIR": str(work / "data")}
        chalk = [
            str(BIN / "chalk"),
            "render",
            "--code",
            str(SCENE),
            "--quality",
            "preview",
            "--out",
            str(work / "chalk.mp4"),
            "--json",
        ]
        # -ql is 854x480 @15 fps, the same as Chalk's preview preset.
        manim = [
            str(BIN / "manim"),
            "render",
            "-ql",
            "--disable_caching",
            "--progress_bar",
            "none",
            "--media_dir",
            str(work / "media"),
            str(SCENE),
            "MathTexScene",
        ]
        # Warm the file cache and LaTeX once for both, then alternate.
        timed(chalk, work, env)
        timed(manim, work, env)
        chalk_s, manim_s = [], []
        for _ in range(args.runs):
            chalk_s.append(timed(chalk, work, env))
            manim_s.append(timed(manim, work, env))
    chalk_median, manim_median = statistics.median(chalk_s), statistics.median(manim_s)
    print(
        json.dumps(
            {
                "benchmark": "render_latency",
                "scene": SCENE.name,
                "quality": "preview",
                "runs": args.runs,
                "chalk_render_median_s": round(chalk_median, 3),
                "manim_ql_median_s": round(manim_median, 3),
                "ratio_chalk_over_manim": round(chalk_median / manim_median, 3),
                "chalk_render_s": [round(t, 3) for t in chalk_s],
                "manim_ql_s": [round(t, 3) for t in manim_s],
            }
        )
    )


if __name__ == "__main__":
    main()
