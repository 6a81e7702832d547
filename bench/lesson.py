"""Lesson join: a 3-scene lesson joined by stream copy against a re-encode of the same scenes.

The scenes are three real preview renders of template prompts (rendered once, through
`run_job`, as a lesson's jobs render them); `--synthetic` uses three PyAV-made clips instead
(no Manim; seconds to set up), and `--videos A B C` joins three given scene videos. Both
joins run in this process, alternating, median of N (default 5), each writing chapters as a
lesson does. Goal: the copy under 1 s. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core.warm import prewarm  # noqa: E402
from app.lessons.join import JoinResult, SceneClip, join_scenes  # noqa: E402
from app.pipeline.job import run_job  # noqa: E402
from app.settings import Settings  # noqa: E402

PROMPTS = ["graph y = 2x + 1", "area of a circle of radius 2", "pythagoras theorem"]
GOAL_COPY_S = 1.0


def real_scenes(work: Path) -> list[Path]:
    settings = Settings(data_dir=work / "data")
    prewarm(settings)
    videos = []
    for index, prompt in enumerate(PROMPTS):
        out = work / f"scene{index}.mp4"
        result = run_job(
            prompt=prompt, generator="offline", quality="preview", out=out, settings=settings
        )
        if not result.ok:
            raise SystemExit(f"scene {index + 1} did not render: {result.to_json()['error']}")
        videos.append(out)
    return videos


def synthetic_scenes(work: Path) -> list[Path]:
    from tests.lessons.clips import make_clip  # the tests' clip maker (PyAV, no Manim)

    return [make_clip(work / f"scene{i}.mp4", seconds=s) for i, s in enumerate([8, 10, 6])]


def timed(clips: list[SceneClip], out: Path, reencode: bool) -> tuple[float, JoinResult]:
    started = time.perf_counter()
    result = join_scenes(clips, out, reencode=reencode)
    return time.perf_counter() - started, result


def chapters_seen(path: Path) -> int:
    probed = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_chapters", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return len(json.loads(probed.stdout)["chapters"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--synthetic", action="store_true", help="PyAV clips, no Manim render")
    parser.add_argument(
        "--videos", nargs=3, type=Path, metavar="MP4", help="join these three scene videos"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        work.chmod(0o755)  # the sandbox's unprivileged render user must reach its work dir
        if args.videos:
            videos, kind = list(args.videos), "given videos"
        elif args.synthetic:
            videos, kind = synthetic_scenes(work), "synthetic"
        else:
            videos, kind = real_scenes(work), "preview renders"
        clips = [SceneClip(video, f"Scene {n}") for n, video in enumerate(videos, 1)]
        copy_s: list[float] = []
        reencode_s: list[float] = []
        for _ in range(args.runs):
            seconds, copied = timed(clips, work / "copy.mp4", reencode=False)
            copy_s.append(seconds)
            seconds, reencoded = timed(clips, work / "reencode.mp4", reencode=True)
            reencode_s.append(seconds)
        if copied.reencoded or not reencoded.reencoded:
            raise SystemExit("the copy join re-encoded (the scenes' formats differ?)")
        scene_total = sum(c.end - c.start for c in copied.chapters)
        copy_median = statistics.median(copy_s)
        reencode_median = statistics.median(reencode_s)
        print(
            json.dumps(
                {
                    "scenes": kind,
                    "runs": args.runs,
                    "lesson_duration_s": round(copied.duration_s, 3),
                    "scene_durations_sum_s": round(scene_total, 3),
                    "chapters_ffprobe": chapters_seen(copied.video),
                    "copy_median_s": round(copy_median, 4),
                    "reencode_median_s": round(reencode_median, 4),
                    "reencode_over_copy": round(reencode_median / copy_median, 1),
                    "copy_s": [round(s, 4) for s in copy_s],
                    "reencode_s": [round(s, 4) for s in reencode_s],
                    "goal_copy_under_s": GOAL_COPY_S,
                    "goal_met": copy_median < GOAL_COPY_S,
                }
            )
        )


if __name__ == "__main__":
    main()
