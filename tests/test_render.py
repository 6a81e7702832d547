"""Rendering good scenes in the sandbox: metadata per preset and aspect, progress, thumbnails.

Renders fork from the shared warm sandbox except where the cold path is the subject (its work
dir removed); tests/test_warm.py proves that both paths make the same videos."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from app.core.render import encoder_threads, render_code
from app.errors import ChalkError
from app.frame import frame_spec
from app.settings import ASPECTS, DEFAULT_PRESETS
from tests.conftest import scene_code

pytestmark = pytest.mark.render

GOOD_SCENES = ["text_scene", "mathtex_scene", "axes_scene", "tracker_scene"]
SCENE_SECONDS = 2.0  # every scene in tests/scenes lasts exactly two seconds


def assert_video(result, width: int, height: int, fps: int) -> None:
    assert result.codec == "h264"
    assert (result.width, result.height) == (width, height)
    assert result.fps == pytest.approx(fps)
    assert result.duration_s == pytest.approx(SCENE_SECONDS, abs=0.2)
    assert abs(result.frames - SCENE_SECONDS * fps) <= 2
    assert result.video.stat().st_size == result.size_bytes > 1000
    with Image.open(result.thumbnail) as thumb:
        assert thumb.format == "PNG"
        assert thumb.size == (width, height)


@pytest.mark.parametrize("name", GOOD_SCENES)
def test_good_scene_renders_at_preview(name, warm_settings, tmp_path):
    # Forked from the test process's warm sandbox: the cold path renders the same videos
    # (tests/test_warm.py) and every hostile program runs cold too.
    result = render_code(scene_code(name), out=tmp_path / "v.mp4", settings=warm_settings)
    assert_video(result, 854, 480, 15)


# Every other preset and frame, each on a different good scene: what a preset or a frame
# changes (the size, the frame rate, the frame's geometry) does not depend on what a scene
# draws, and each scene's drawing is proven at preview above.
OTHER_FRAMES = [
    ("text_scene", "high", "16:9", (1920, 1080, 60)),
    ("tracker_scene", "standard", "16:9", (1280, 720, 30)),
    ("mathtex_scene", "preview", "9:16", (480, 854, 15)),
    ("axes_scene", "preview", "1:1", (480, 480, 15)),
]


def test_other_frames_cover_every_preset_frame_and_scene():
    assert {quality for _, quality, _, _ in OTHER_FRAMES} | {"preview"} == set(DEFAULT_PRESETS)
    assert {aspect for _, _, aspect, _ in OTHER_FRAMES} == set(ASPECTS)
    assert sorted(name for name, *_ in OTHER_FRAMES) == sorted(GOOD_SCENES)


@pytest.mark.parametrize(("name", "quality", "aspect", "expected"), OTHER_FRAMES)
def test_good_scene_renders_at_every_other_quality_and_aspect(
    name, quality, aspect, expected, warm_settings, tmp_path
):
    result = render_code(
        scene_code(name),
        quality=quality,
        aspect=aspect,
        out=tmp_path / "v.mp4",
        settings=warm_settings,
    )
    assert_video(result, *expected)


def test_progress_is_reported_in_order_and_ends_complete(warm_settings, tmp_path):
    seen: list[float] = []
    render_code(
        scene_code("tracker_scene"),
        quality="standard",
        out=tmp_path / "v.mp4",
        settings=warm_settings,
        on_progress=seen.append,
    )
    assert seen[-1] == 1.0
    assert len(seen) >= 2
    assert seen == sorted(seen)
    assert all(0.0 <= f <= 1.0 for f in seen)


def test_frame_spec_swaps_and_squares_the_frame(settings):
    spec = frame_spec("high", "9:16", settings)
    assert (spec.width, spec.height, spec.fps) == (1080, 1920, 60)
    spec = frame_spec("standard", "1:1", settings)
    assert (spec.width, spec.height) == (720, 720)
    with pytest.raises(ChalkError) as err:
        frame_spec("ultra", "16:9", settings)
    assert err.value.kind == "validation"


def test_named_scene_is_chosen_among_several(warm_settings, tmp_path):
    code = (
        scene_code("text_scene") + "\n\nclass Other(Scene):\n    def construct(self):\n"
        "        self.play(FadeIn(Square()), run_time=2)\n"
    )
    with pytest.raises(ChalkError) as err:
        render_code(code, out=tmp_path / "v.mp4", settings=warm_settings)
    assert err.value.kind == "validation"
    assert "TextScene" in err.value.message and "Other" in err.value.message
    result = render_code(code, scene="Other", out=tmp_path / "v.mp4", settings=warm_settings)
    assert result.scene == "Other"
    assert result.duration_s == pytest.approx(2.0, abs=0.2)


def test_narrate_is_a_silent_no_op_in_scene_code(warm_settings, tmp_path):
    # Scenes say narrate("...") before each step; a silent render runs them unchanged.
    code = (
        "from manim import *\n\n\nclass Spoken(Scene):\n    def construct(self):\n"
        '        narrate("A square appears.")\n'
        "        self.play(FadeIn(Square()), run_time=2)\n"
    )
    result = render_code(code, out=tmp_path / "v.mp4", settings=warm_settings)
    assert result.duration_s == pytest.approx(2.0, abs=0.2)


def test_work_directory_is_removed_after_render(settings, tmp_path):
    render_code(scene_code("text_scene"), out=tmp_path / "v.mp4", settings=settings)
    assert list(settings.work_root.iterdir()) == []
    assert Path(tmp_path / "v.png").exists()


def x264_options(video: Path) -> dict[str, str]:
    """The settings x264 wrote into the stream's first SEI ("x264 - core ... options: ...")."""
    data = video.read_bytes()
    start = data.index(b"x264 - core")
    text = data[start : data.index(b"\0", start)].decode("ascii", errors="replace")
    options = text.split("options:", 1)[1].split()
    return dict(option.split("=", 1) for option in options if "=" in option)


def test_the_encoder_runs_with_the_configured_number_of_threads(warm_settings, tmp_path):
    # Three threads: neither x264's own choice on a 2-CPU host nor one per CPU here.
    configured = warm_settings.model_copy(update={"encoder_threads": 3})
    result = render_code(scene_code("text_scene"), out=tmp_path / "v.mp4", settings=configured)
    assert x264_options(result.video)["threads"] == "3"


def test_the_encoder_runs_at_the_quality_presets_speed(warm_settings, tmp_path):
    """Previews trade file size for encoder CPU (x264's veryfast: 2 subpel steps, 1 reference
    frame); other qualities keep x264's default (medium: 7 and 3)."""
    assert DEFAULT_PRESETS["preview"].encoder_preset == "veryfast"
    assert DEFAULT_PRESETS["standard"].encoder_preset == "medium"
    for preset, (subme, refs) in (("veryfast", ("2", "1")), ("medium", ("7", "3"))):
        presets = dict(warm_settings.quality_presets)
        presets["preview"] = presets["preview"].model_copy(update={"encoder_preset": preset})
        configured = warm_settings.model_copy(update={"quality_presets": presets})
        out = tmp_path / f"{preset}.mp4"
        result = render_code(scene_code("text_scene"), out=out, settings=configured)
        options = x264_options(result.video)
        assert (options["subme"], options["ref"]) == (subme, refs), preset


def test_encoder_threads_share_the_cpus_among_concurrent_renders(settings, monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    assert encoder_threads(settings) == 4
    assert encoder_threads(settings, concurrent_renders=2) == 2
    assert encoder_threads(settings, concurrent_renders=8) == 1
    assert encoder_threads(settings.model_copy(update={"encoder_threads": 3}), 2) == 3
