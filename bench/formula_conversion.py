"""Formulas converted without Ghostscript: a template's measuring pass with Ghostscript's files
moved out of dvisvgm's way (app/core/dvi_specials.py, as renders run now) against the same
pass with them where they were (every formula starts Ghostscript, as before).

Both in this run, in cold sandboxes (the warm one keeps the mounts it started with),
alternating, median of N rounds (default 3) over a set of formula-heavy templates; the
formulas each pass converted are counted from the sandbox's own report. Prints one JSON object.
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

from app.core import sandbox  # noqa: E402
from app.core.render import measure_code  # noqa: E402
from app.generators.offline import render_template  # noqa: E402
from app.settings import Settings  # noqa: E402

TEMPLATES = ("quadratic_formula", "pythagorean_theorem", "riemann_sum", "taylor_series")


def measure_all(settings: Settings, moved: bool) -> tuple[float, dict[str, int]]:
    """Seconds to measure every template once, and the formulas converted each way."""
    real = sandbox.ghostscript_env.__wrapped__
    sandbox.ghostscript_env.cache_clear()
    original = sandbox.ghostscript_env
    sandbox.ghostscript_env = real if moved else (lambda: None)  # type: ignore[assignment]
    counts = {"without_ghostscript": 0, "with_ghostscript": 0}
    real_run = sandbox.run

    def counting_run(work: Path, **kwargs: object) -> sandbox.Outcome:
        outcome = real_run(work, **kwargs)  # type: ignore[arg-type]
        for message in outcome.messages:
            if message.get("event") == "done":
                for way, n in dict(message.get("svg") or {}).items():
                    counts[way] = counts.get(way, 0) + int(n)
        return outcome

    sandbox.run = counting_run  # type: ignore[assignment]
    try:
        started = time.perf_counter()
        for template_id in TEMPLATES:
            measure_code(render_template(template_id, None).code, settings=settings)
        return time.perf_counter() - started, counts
    finally:
        sandbox.run = real_run  # type: ignore[assignment]
        sandbox.ghostscript_env = original  # type: ignore[assignment]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="chalk-bench-formulas-") as data:
        settings = Settings(data_dir=Path(data), warm_pool=False, database_url=None)
        measure_all(settings, moved=True)  # builds the LaTeX format, warms the file cache
        times: dict[str, list[float]] = {"before": [], "after": []}
        counts: dict[str, dict[str, int]] = {}
        for _ in range(args.rounds):
            for name, moved in (("before", False), ("after", True)):
                seconds, counts[name] = measure_all(settings, moved)
                times[name].append(seconds)
    before, after = (statistics.median(times[name]) for name in ("before", "after"))
    result = {
        "bench": "formula_conversion",
        "templates": list(TEMPLATES),
        "rounds": args.rounds,
        "median_s": {"ghostscript_for_every_formula": round(before, 3), "now": round(after, 3)},
        "ratio_now_to_before": round(after / before, 3),
        "formulas_per_round": counts,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
