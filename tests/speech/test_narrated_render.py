"""A narrated render end to end: speech measured, the scene waits for it, AAC audio of the
video's length, captions where the words are heard; the silent path stays as it was."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest

from app.core.render import render_code
from app.pipeline.job import run_job
from app.speech import narration
from app.speech.captions import parse_cues
from app.speech.mix import audio_duration, video_duration
from app.speech.options import NarrationOptions
from tests.conftest import SCENES, scene_code

pytestmark = pytest.mark.render

SENTENCES = ["Here is a circle with radius two.", "Now it becomes a square."]
STEP_SECONDS = 0.5  # each of the scene's two steps animates for half a second
GAP_S = 0.25  # app/core/sandbox_entry.py NARRATION_GAP_S


@pytest.fixture(scope="module")
def narrated_job(tmp_path_factory, _warm_pool_root):
    """The narrated scene rendered once (warm sandbox, piper), shared by the tests below."""
    from app.core import warm
    from app.settings import Settings

    # As the `settings` fixture makes them, on the shared warm data dir (one warm sandbox).
    settings = Settings(
        data_dir=_warm_pool_root,
        quality_presets={
            "preview": {"width": 854, "height": 480, "fps": 15, "timeout_s": 60},
            "standard": {"width": 1280, "height": 720, "fps": 30, "timeout_s": 120},
            "high": {"width": 1920, "height": 1080, "fps": 60, "timeout_s": 240},
        },
    )
    warm.prewarm(settings)
    out = tmp_path_factory.mktemp("narrated") / "lesson.mp4"
    result = run_job(
        code=scene_code("narrated_scene"), out=out, settings=settings, narration=NarrationOptions()
    )
    assert result.ok, result.error
    speeches = [narration.speak(text, NarrationOptions().resolved("piper")) for text in SENTENCES]
    return result, speeches


def decoded_audio(path: Path) -> tuple[np.ndarray, int]:
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        chunks = [frame.to_ndarray().mean(axis=0) for frame in container.decode(stream)]
        return np.concatenate(chunks), stream.rate


def energy_onsets(samples: np.ndarray, rate: int, quiet_s: float = 0.15) -> list[float]:
    """Times where sound starts after at least `quiet_s` of silence (10 ms frames)."""
    frame = rate // 100
    count = len(samples) // frame
    rms = np.sqrt(np.mean(np.square(samples[: count * frame].reshape(count, frame)), axis=1))
    loud = rms > 0.03 * rms.max()
    onsets, quiet = [], int(quiet_s * 100)
    for index in np.flatnonzero(loud):
        if index == 0 or not loud[max(0, index - quiet) : index].any():
            onsets.append(index / 100)
    return onsets


def test_video_has_aac_audio_as_long_as_the_video(narrated_job):
    result, _ = narrated_job
    video = result.render.video
    with av.open(str(video)) as container:
        assert container.streams.audio[0].codec_context.name == "aac"
    assert abs(audio_duration(video) - video_duration(video)) <= 0.1
    assert result.render.audio and result.to_json()["audio"] is True


def word_start(speech, word: str) -> float:
    return next(w.start for w in speech.words if w.text.strip(".,").lower() == word)


def test_each_step_lasts_as_long_as_its_sentence(narrated_job):
    result, speeches = narrated_job
    # Step 2 starts when sentence 1 is over (plus a breath); its square appears once "square"
    # is heard; the video ends after sentence 2.
    second_start = max(STEP_SECONDS, speeches[0].duration_s + GAP_S)
    square = second_start + word_start(speeches[1], "square")
    expected = max(square + STEP_SECONDS, second_start + speeches[1].duration_s + GAP_S)
    assert result.render.duration_s == pytest.approx(expected, abs=0.1)
    assert result.render.duration_s > 2 * STEP_SECONDS + 1.0  # longer than the silent 1 s


def test_caption_cues_start_with_the_engine_timings_and_the_audio(narrated_job):
    result, speeches = narrated_job
    captions = result.render.captions
    assert captions == result.render.video.with_suffix(".captions.vtt")
    assert result.to_json()["subtitles"] == str(captions)
    cues = parse_cues(captions.read_text())
    assert [cue.text for cue in cues] == SENTENCES
    step_starts = [0.0, max(STEP_SECONDS, speeches[0].duration_s + GAP_S)]
    for cue, speech, step in zip(cues, speeches, step_starts, strict=True):
        assert speech.timing_source == "engine"  # piper's phoneme alignments
        assert abs(cue.start - (step + speech.speech_start_s)) <= 0.3
        assert abs(cue.end - (step + speech.speech_end_s)) <= 0.3
    samples, rate = decoded_audio(result.render.video)
    onsets = energy_onsets(samples, rate)
    for cue in cues:
        assert min(abs(onset - cue.start) for onset in onsets) <= 0.3, (cue, onsets)


def test_a_step_waits_for_its_word_as_the_engine_timed_it(narrated_job):
    """wait_for_word("square") holds the transform until piper says "square" (its phoneme
    alignments), not until a guess from the sentence's length."""
    result, speeches = narrated_job
    messages = result.render.narration
    second_start = next(m["at"] for m in messages if m["event"] == "narration" and m["index"] == 1)
    marks = [m for m in messages if m.get("event") == "narration_mark"]
    assert [(m["index"], m["word"]) for m in marks] == [(1, "square")]
    heard = second_start + word_start(speeches[1], "square")
    assert marks[0]["at"] == pytest.approx(heard, abs=1 / 15)  # within a preview frame
    # Spread evenly over the sentence's words, "square" (the 5th of 5) would start 0.2 s
    # or more away from when it is spoken.
    second = speeches[1]
    span = second.speech_end_s - second.speech_start_s
    evenly = second_start + second.speech_start_s + span * 4 / 5
    assert abs(evenly - heard) > 0.15


def test_silent_render_is_unchanged_by_narrate_calls(warm_settings, tmp_path):
    """narrate() and wait_for_word() are no-ops without narration: same length and frames as
    the scene without those lines, no audio, no captions."""
    with_calls = render_code(
        scene_code("narrated_scene"), out=tmp_path / "a.mp4", settings=warm_settings
    )
    code = "\n".join(
        line
        for line in scene_code("narrated_scene").splitlines()
        if "narrate(" not in line and "wait_for_word(" not in line
    )
    without = render_code(code, out=tmp_path / "b.mp4", settings=warm_settings)
    assert (with_calls.frames, with_calls.duration_s) == (without.frames, without.duration_s)
    assert with_calls.duration_s == pytest.approx(2 * STEP_SECONDS, abs=0.07)
    assert with_calls.narration == [] and with_calls.captions is None and not with_calls.audio
    with av.open(str(with_calls.video)) as container:
        assert not container.streams.audio
    assert not list(tmp_path.glob("*.captions.vtt"))


def test_cli_render_narrate_json_with_espeak(tmp_path):
    """CLI plumbing, espeak-ng in French end to end, and captions burnt into the picture."""
    out = tmp_path / "v.mp4"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "app.cli",
            "render",
            "--code",
            str(SCENES / "narrated_scene.py"),
            "--narrate",
            "--speech-engine",
            "espeak",
            "--language",
            "fr",
            "--speed",
            "1.25",
            "--burn-captions",
            "--out",
            str(out),
            "--json",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "CHALK_DATA_DIR": str(tmp_path)},
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["status"] == "succeeded" and data["audio"] is True
    assert data["subtitles"] == str(out.with_suffix(".captions.vtt"))
    cues = parse_cues(Path(data["subtitles"]).read_text())
    assert [cue.text for cue in cues] == SENTENCES
    assert abs(audio_duration(out) - video_duration(out)) <= 0.1
    assert data["video_info"]["duration_s"] > 2 * STEP_SECONDS + 1.0
    with av.open(str(out)) as container:  # burnt in: white caption text on the dark band
        first_cue_frame = next(
            f for f in container.decode(video=0) if f.time and f.time > cues[0].start + 0.2
        )
        band = first_cue_frame.to_ndarray(format="rgb24")[400:470]
    assert band.max() > 200


def test_cli_refuses_narration_options_without_narrate(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "app.cli", "render", "x", "--voice", "joe", "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, "CHALK_DATA_DIR": str(tmp_path)},
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2, proc.stderr
