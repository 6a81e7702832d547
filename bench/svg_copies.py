"""Glyph copies that share their parsed SVG path (sandbox_entry's share_parsed_svg_paths):
preview renders of templates as they run now, against the same renders with Manim's full deep
copy put back by the scene itself (a first line that undoes the sharing, run after it).

Both in this run, through the real render path (warm sandbox, policy skipped for the extra
line only), alternating, median of N rounds (default 3). The videos of the two are compared
by their frame count and duration. Prints one JSON object.
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

from app.core import warm  # noqa: E402
from app.core.render import render_code  # noqa: E402
from app.generators.offline import render_template  # noqa: E402
from app.settings import Settings  # noqa: E402

TEMPLATES = ("quadratic_formula", "derivative_tangent", "sorting_algorithm", "ohms_law_circuit")
# Run when the scene's module loads, after the sandbox turned sharing on.
DEEP_COPIES = (
    "from manim import Mobject\n"
    "from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath\n"
    "VMobjectFromSVGPath.__deepcopy__ = Mobject.__deepcopy__\n"
)


def render_all(settings: Settings, out: Path, shared: bool) -> tuple[float, list[tuple]]:
    """Seconds to render every template once, and each video's frames and length."""
    videos = []
    started = time.perf_counter()
    for template_id in TEMPLATES:
        code = render_template(template_id, None).code
        result = render_code(
            code if shared else DEEP_COPIES + code,
            out=out / f"{template_id}.mp4",
            check_policy=False,
            settings=settings,
        )
        videos.append((template_id, result.frames, round(result.duration_s, 3)))
    return time.perf_counter() - started, videos


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="chalk-bench-svg-") as data:
        settings = Settings(data_dir=Path(data), database_url=None)
        warm.prewarm(settings)
        out = Path(data) / "videos"
        out.mkdir()
        render_all(settings, out, shared=True)  # LaTeX format and file cache warm
        times: dict[str, list[float]] = {"deep": [], "shared": []}
        videos: dict[str, list[tuple]] = {}
        try:
            for _ in range(args.rounds):
                for name in ("deep", "shared"):
                    seconds, videos[name] = render_all(settings, out, shared=name == "shared")
                    times[name].append(seconds)
        finally:
            warm.POOL.close()
    deep, shared = (statistics.median(times[name]) for name in ("deep", "shared"))
    result = {
        "bench": "svg_copies",
        "templates": list(TEMPLATES),
        "rounds": args.rounds,
        "median_s": {"deep_copies": round(deep, 3), "shared_paths": round(shared, 3)},
        "ratio_shared_to_deep": round(shared / deep, 3),
        "same_videos": videos["deep"] == videos["shared"],
        "videos": videos["shared"],
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
