"""What the frame checks cost a render: the same preview rendered with and without the frame
probe (app/core/frame_probe.py: the flash meter on every frame, text contrast after every
play), in this process, interleaved, median of N (default 5).

The scenes are templates at their defaults, rendered by Manim directly (not in the sandbox, so
that nothing but the probe differs), each into a fresh media folder at preview size and rate,
with one encoder thread. Times are CPU seconds of this process (the encoder's threads
included), which other work on the machine disturbs less than wall time; the probe's own
share is also timed inside its hooks. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(
    0, str(ROOT / "app" / "core")
)  # the probes import their siblings, as in the sandbox

from manim import Scene, tempconfig  # noqa: E402
from manim.renderer.cairo_renderer import CairoRenderer  # noqa: E402

from app.core import policy  # noqa: E402
from app.generators.offline import render_template  # noqa: E402
from app.settings import DEFAULT_PRESETS  # noqa: E402

TEMPLATES = ("function_graph", "title_bullets", "sorting_algorithm")


def render_once(code: str, probed: bool) -> tuple[float, float, int]:
    """CPU seconds of one render, CPU seconds spent inside the probe, frames."""
    from frame_probe import FrameProbe  # beside the sandbox entry; on the path above

    preset = DEFAULT_PRESETS["preview"]
    scene_name = next(iter(policy.scene_names(code)))
    inside = [0.0]

    def timed(hook: Callable[..., None]) -> Callable[..., None]:
        def run(*args: object) -> None:
            started = time.thread_time()  # this thread's only: not the encoder's meanwhile
            hook(*args)
            inside[0] += time.thread_time() - started

        return run

    with tempfile.TemporaryDirectory(prefix="chalk-bench-frames-") as work:
        scene_file = Path(work) / "scene.py"
        scene_file.write_text(code)
        spec = importlib.util.spec_from_file_location("scene", scene_file)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        messages: list[dict[str, object]] = []
        probe = None
        if probed:
            size = (preset.width, preset.height, preset.fps)
            probe = FrameProbe(Scene, CairoRenderer, str(scene_file), size, messages.append)
            probe.on_frame = timed(probe.on_frame)  # type: ignore[method-assign]
            probe.on_play = timed(probe.on_play)  # type: ignore[method-assign]
        settings = {
            "media_dir": str(Path(work) / "media"),
            "pixel_width": preset.width,
            "pixel_height": preset.height,
            "frame_rate": preset.fps,
            # One encoder thread, as a worker running a render per CPU gives each render.
            "video_encoder_options": {"threads": "1", "preset": preset.encoder_preset},
            "disable_caching": True,
            "progress_bar": "none",
            "verbosity": "WARNING",
            "write_to_movie": True,
            "format": "mp4",
            "output_file": "video",
        }
        started = time.process_time()
        try:
            with tempconfig(settings):
                scene = getattr(module, scene_name)()
                scene.render()
        finally:
            if probe is not None:
                probe.remove()
        if probe is not None:
            timed(probe.finish)()
        elapsed = time.process_time() - started
        frames = int(scene.renderer.time * preset.fps)
    return elapsed, inside[0], frames


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=5)
    args = parser.parse_args()
    results: dict[str, object] = {}
    for template_id in TEMPLATES:
        code = render_template(template_id, None).code
        render_once(code, probed=True)  # warm up: fonts, LaTeX, the encoder
        plain, probed, inside = [], [], []
        frames = 0
        for _ in range(args.n):
            plain.append(render_once(code, probed=False)[0])
            seconds, in_probe, frames = render_once(code, probed=True)
            probed.append(seconds)
            inside.append(in_probe)
        plain_s, probed_s = statistics.median(plain), statistics.median(probed)
        probe_s = statistics.median(inside)
        results[template_id] = {
            "frames": frames,
            "video_s": round(frames / DEFAULT_PRESETS["preview"].fps, 2),
            "plain_cpu_s": round(plain_s, 3),
            "probed_cpu_s": round(probed_s, 3),
            "overhead_ratio": round(probed_s / plain_s - 1, 4),
            "probe_cpu_s": round(probe_s, 3),
            "probe_share": round(probe_s / plain_s, 4),
            "probe_ms_per_frame": round(probe_s * 1000 / max(frames, 1), 3),
        }
    print(json.dumps({"n": args.n, "scenes": results}, indent=2))


if __name__ == "__main__":
    main()
