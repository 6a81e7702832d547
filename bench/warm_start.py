"""Starting a warm sandbox (app/core/warm.py) with the typeset glyphs kept beside the LaTeX
format, against one that typesets them itself as the first sandbox with a format does (the
kept folder moved aside for it, then put back).

Both in this run, alternating, median of N rounds (default 5): the machine's CPU seconds
(every process, from /proc/stat, so the sandbox's LaTeX runs count) and the wall seconds from
the start until the sandbox is ready. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core import tex_format, warm  # noqa: E402
from app.core.tex_format import TexFormat  # noqa: E402


def busy_cpu_s() -> float:
    """CPU seconds the whole machine has spent busy (not idle, not waiting on I/O)."""
    with open("/proc/stat") as stat:
        ticks = [int(value) for value in stat.readline().split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def start_one(work_root: Path, preloaded: TexFormat) -> tuple[float, float, int]:
    """CPU and wall seconds until one warm sandbox is ready, and the glyphs it typeset."""
    cpu, started = busy_cpu_s(), time.perf_counter()
    zygote = warm.Zygote(work_root, preloaded)
    wall = time.perf_counter() - started
    cpu = busy_cpu_s() - cpu
    zygote.close()
    return cpu, wall, zygote.typeset_glyphs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="chalk-bench-warm-") as data:
        work_root = Path(data) / "work"
        preloaded = tex_format.ensure(Path(data))
        if preloaded is None:
            raise SystemExit("no LaTeX format can be built here")
        start_one(work_root, preloaded)  # keeps the glyphs; file caches warm
        aside = preloaded.folder.parent / "glyphs-aside"
        samples: dict[str, list[tuple[float, float, int]]] = {"typesets": [], "kept": []}
        for _ in range(args.rounds):
            preloaded.glyphs.rename(aside)
            try:
                samples["typesets"].append(start_one(work_root, preloaded))
            finally:
                if preloaded.glyphs.exists():  # kept again by that sandbox: drop the copy
                    for glyph in preloaded.glyphs.iterdir():
                        glyph.unlink()
                    preloaded.glyphs.rmdir()
                aside.rename(preloaded.glyphs)
            samples["kept"].append(start_one(work_root, preloaded))
    medians = {
        name: {
            "cpu_s": round(statistics.median(s[0] for s in runs), 3),
            "wall_s": round(statistics.median(s[1] for s in runs), 3),
            "glyphs_typeset": max(s[2] for s in runs),
        }
        for name, runs in samples.items()
    }
    result = {
        "bench": "warm_start",
        "rounds": args.rounds,
        "median": medians,
        "ratio_kept_to_typesets": {
            key: round(medians["kept"][key] / medians["typesets"][key], 3)
            for key in ("cpu_s", "wall_s")
        },
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
