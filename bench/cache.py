"""Render cache: a cache hit through `run_job` against a cold render of the same scene.

Both are measured in this run, in-process, alternating, median of N (default 5). The cold
render is `run_job(code=...)` without a cache (policy, sandbox, output gate); the hit is
`run_job(code=..., cache=...)` with the render already stored (policy, key, copy out of the
media store). The store is the local media folder, or S3 when CHALK_S3_BUCKET is set.
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.cache import RenderCache  # noqa: E402
from app.core.warm import prewarm  # noqa: E402
from app.pipeline.job import run_job  # noqa: E402
from app.pipeline.result import JobResult  # noqa: E402
from app.settings import Settings  # noqa: E402
from app.storage import get_storage  # noqa: E402

SCENE = ROOT / "tests" / "scenes" / "mathtex_scene.py"


def timed(run: dict[str, object], want_hit: bool) -> float:
    started = time.perf_counter()
    result: JobResult = run_job(**run)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - started
    if not result.ok or result.cache_hit != want_hit:
        raise SystemExit(f"unexpected job result: {json.dumps(result.to_json())[:2000]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    code = SCENE.read_text()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        settings = Settings(data_dir=work / "data")
        # Renders without the cache run as a worker's do: forked from a warm sandbox.
        warm = prewarm(settings) > 0
        storage = get_storage(settings)
        cache = RenderCache(storage, settings)
        cold = {"code": code, "quality": "preview", "out": work / "cold.mp4", "settings": settings}
        hit = {**cold, "out": work / "hit.mp4", "cache": cache}
        # Warm the file cache and LaTeX; with the cache, run_job stores the render.
        first = run_job(**cold, cache=cache)  # type: ignore[arg-type]
        if not first.ok or first.stored is None:
            raise SystemExit(f"warm-up render failed: {json.dumps(first.to_json())[:2000]}")
        timed(hit, want_hit=True)
        cold_s, hit_s = [], []
        for _ in range(args.runs):
            cold_s.append(timed(cold, want_hit=False))
            hit_s.append(timed(hit, want_hit=True))
    cold_median, hit_median = statistics.median(cold_s), statistics.median(hit_s)
    print(
        json.dumps(
            {
                "benchmark": "render_cache",
                "scene": SCENE.name,
                "quality": "preview",
                "storage": type(storage).__name__,
                "warm_pool": warm,
                "runs": args.runs,
                "cold_render_median_s": round(cold_median, 3),
                "cache_hit_median_s": round(hit_median, 4),
                "ratio_hit_over_cold": round(hit_median / cold_median, 4),
                "speedup_cold_over_hit": round(cold_median / hit_median, 1),
                "cold_render_s": [round(t, 3) for t in cold_s],
                "cache_hit_s": [round(t, 4) for t in hit_s],
            }
        )
    )


if __name__ == "__main__":
    main()
