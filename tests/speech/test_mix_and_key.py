"""The narration track is muxed as AAC beside the copied video; the cache key tells narrated
renders apart and leaves silent ones as they were."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from app.cache import render_key
from app.speech.engine import Speech, energy_span
from app.speech.mix import MIX_RATE, audio_duration, build_track, mux_narration, video_duration
from app.speech.options import NarrationOptions
from tests.conftest import scene_code


def silent_video(path: Path, seconds: float, fps: int = 15) -> Path:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 160, 90, "yuv420p"
        for index in range(int(seconds * fps)):
            picture = np.full((90, 160, 3), index % 255, dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def tone(seconds: float, rate: int = 22050) -> Speech:
    t = np.arange(int(seconds * rate)) / rate
    return Speech((0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), rate)


def test_track_places_each_speech_at_its_time_and_fits_the_video():
    track = build_track([(0.5, tone(0.4)), (2.8, tone(1.0))], duration_s=3.0)
    assert len(track) == 3 * MIX_RATE
    start, end = energy_span(track, MIX_RATE)
    assert start == pytest.approx(0.5, abs=0.02)
    assert end == pytest.approx(3.0, abs=0.02)  # the last speech is cut at the video's end
    assert not track[int(1.0 * MIX_RATE) : int(2.7 * MIX_RATE)].any()


def test_mux_adds_aac_of_the_video_length_and_keeps_the_frames(tmp_path):
    video = silent_video(tmp_path / "v.mp4", 3.0)
    with av.open(str(video)) as before:
        frames_before = before.streams.video[0].frames
    mux_narration(video, build_track([(0.5, tone(1.0))], video_duration(video)))
    with av.open(str(video)) as after:
        assert after.streams.audio[0].codec_context.name == "aac"
        assert after.streams.video[0].codec_context.name == "h264"
        assert after.streams.video[0].frames == frames_before
    assert abs(audio_duration(video) - video_duration(video)) <= 0.1
    assert not list(tmp_path.glob("*.narrated.mp4"))


def test_narration_changes_the_key_and_silence_keeps_it(settings):
    code = scene_code("narrated_scene")
    silent = render_key(code, "preview", "16:9", settings)
    assert render_key(code, "preview", "16:9", settings, narration=None) == silent
    assert (
        render_key(code, "preview", "16:9", settings, narration=NarrationOptions(enabled=False))
        == silent
    )
    narrated = render_key(code, "preview", "16:9", settings, narration=NarrationOptions())
    other_voice = NarrationOptions(engine="espeak", voice="en-us")
    faster = NarrationOptions(speed=1.25)
    other_text = code.replace("radius two", "radius three")
    keys = {
        silent,
        narrated,
        render_key(code, "preview", "16:9", settings, narration=other_voice),
        render_key(code, "preview", "16:9", settings, narration=faster),
        render_key(other_text, "preview", "16:9", settings, narration=NarrationOptions()),
    }
    assert len(keys) == 5


def test_engine_version_is_part_of_the_key(settings, monkeypatch):
    code = scene_code("narrated_scene")
    before = render_key(code, "preview", "16:9", settings, narration=NarrationOptions())
    monkeypatch.setattr("app.cache.engine_version", lambda name: "piper-tts 99")
    after = render_key(code, "preview", "16:9", settings, narration=NarrationOptions())
    assert before != after


def test_burnt_captions_show_only_while_their_cue_is_on(tmp_path):
    from app.speech.burn import burn_captions
    from app.speech.captions import Cue

    video = silent_video(tmp_path / "v.mp4", 2.0)
    mux_narration(video, build_track([(0.2, tone(0.5))], video_duration(video)))
    burn_captions(video, [Cue(1.0, 2.0, "Here is a circle.")])
    with av.open(str(video)) as container:
        assert container.streams.audio  # the audio is kept
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    assert len(frames) == 30
    band = slice(60, 88)  # the bottom of a 90-pixel-high frame
    # Before the cue the frame is its flat grey; during it, white text on a dark band.
    early, late = frames[5][band].astype(int), frames[25][band].astype(int)
    assert early.max() - early.min() < 12
    assert late.max() > 200 and late.min() < 40
    assert abs(audio_duration(video) - video_duration(video)) <= 0.1
