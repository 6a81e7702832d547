"""Offline generation latency: generate() over every prompt of the planner suite.

Each prompt is timed separately (after one warm-up pass that imports the templates), repeated
--runs times; the median, 95th percentile and maximum over all timings are printed as one JSON
object. Out-of-scope prompts are included: refusing them is part of the job. Target: 50 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.errors import ChalkError  # noqa: E402
from app.generators.offline import generate  # noqa: E402
from tests.offline.prompts import CASES, OUT_OF_SCOPE  # noqa: E402

TARGET_MS = 50


def time_prompt(prompt: str) -> float:
    started = time.perf_counter()
    try:
        generate(prompt)
    except ChalkError:
        pass
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="timings per prompt")
    args = parser.parse_args()
    prompts = [case.prompt for case in CASES] + OUT_OF_SCOPE
    for prompt in prompts:  # warm-up: module imports and first-use caches
        time_prompt(prompt)
    timings = sorted(time_prompt(p) for _ in range(args.runs) for p in prompts)
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    print(
        json.dumps(
            {
                "prompts": len(prompts),
                "runs": args.runs,
                "median_ms": round(statistics.median(timings), 3),
                "p95_ms": round(p95, 3),
                "max_ms": round(timings[-1], 3),
                "target_ms": TARGET_MS,
                "meets_target": timings[-1] < TARGET_MS,
            }
        )
    )


if __name__ == "__main__":
    main()
