"""Small real MP4 clips for the lesson tests, encoded with PyAV in milliseconds (no Manim):
the join is about containers and timestamps, not about what the pictures show."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np

# A 1×1 transparent PNG (a thumbnail the gallery can draw).
THUMBNAIL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)

_made: dict[tuple[float, int, tuple[int, int], int, float | None], bytes] = {}


def make_clip(
    path: Path,
    *,
    seconds: float,
    fps: int = 15,
    size: tuple[int, int] = (854, 480),
    shade: int = 40,
    tone_hz: float | None = None,
) -> Path:
    """An H.264 MP4 of `seconds` (a whole number of frames), as a preview render is made."""
    path.parent.mkdir(parents=True, exist_ok=True)
    made = _made.get((seconds, fps, size, shade, tone_hz))
    if made is not None:  # the same clip again (tests of one process share them)
        path.write_bytes(made)
        return path
    width, height = size
    frames = round(seconds * fps)
    with av.open(str(path), "w", format="mp4") as output:
        stream = output.add_stream("libx264", rate=Fraction(fps))
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        # B-frames on, as in Manim's output (their reordering is what a remux must respect).
        stream.options = {"preset": "veryfast", "bframes": "2"}
        if tone_hz is not None:  # a narrated scene: AAC mono at 22.05 kHz, as speech is mixed
            _add_tone(output, seconds, tone_hz)
        for index in range(frames):
            picture = np.full((height, width, 3), shade, dtype=np.uint8)
            picture[:, : (index * 7) % width] = 200  # moving edge: real motion to encode
            frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
            output.mux(stream.encode(frame))
        output.mux(stream.encode(None))
    _made[(seconds, fps, size, shade, tone_hz)] = path.read_bytes()
    return path


def _add_tone(output: av.container.OutputContainer, seconds: float, hz: float) -> None:
    rate = 22050
    audio = output.add_stream("aac", rate=rate)
    audio.layout = "mono"
    t = np.arange(round(seconds * rate)) / rate
    samples = (0.3 * np.sin(2 * np.pi * hz * t)).astype(np.float32)
    for start in range(0, len(samples), 1024):
        chunk = samples[start : start + 1024]
        frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="fltp", layout="mono")
        frame.sample_rate = rate
        frame.pts = start
        output.mux(audio.encode(frame))
    output.mux(audio.encode(None))


def write_vtt(path: Path, cues: list[tuple[float, float, str]]) -> Path:
    def stamp(t: float) -> str:
        return f"00:{int(t // 60):02d}:{t % 60:06.3f}"

    body = "\n\n".join(f"{stamp(a)} --> {stamp(b)}\n{text}" for a, b, text in cues)
    path.write_text(f"WEBVTT\n\n{body}\n", encoding="utf-8")
    return path


def scene_code(seconds: float, label: str = "Scene") -> str:
    """Manim code that passes the policy; the fake renderer reads its length from the
    `run_time` (the renderer is not the subject of the lesson tests)."""
    return f'''from manim import *


class {label}(Scene):
    def construct(self):
        self.play(Write(Text("{label}")), run_time={seconds})
'''


class FakeRenderer:
    """Stands in for app.core.render.render_code: a real small MP4 of the scene's run_time,
    made in milliseconds, and a count of what it rendered."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.rendered: list[str] = []

    def __call__(self, code: str, *, out: Path | None = None, **_: object) -> object:
        import re
        import uuid

        from app.core.render import RenderResult

        seconds = float(re.search(r"run_time=([\d.]+)", code).group(1))  # type: ignore[union-attr]
        label = re.search(r"class (\w+)", code).group(1)  # type: ignore[union-attr]
        self.rendered.append(label)
        video = out or self.folder / f"{uuid.uuid4().hex}.mp4"
        make_clip(video, seconds=seconds, shade=20 + 30 * len(self.rendered) % 200)
        thumbnail = video.with_suffix(".png")
        thumbnail.write_bytes(THUMBNAIL_PNG)
        return RenderResult(
            video=video,
            thumbnail=thumbnail,
            scene=label,
            codec="h264",
            width=854,
            height=480,
            fps=15.0,
            frames=round(seconds * 15),
            duration_s=seconds,
            size_bytes=video.stat().st_size,
            render_s=0.01,
        )


def fake_narrated_renders(
    monkeypatch: Any,
    folder: Path,
    sentence_of: Callable[[str], str],
    on_measure: Callable[[], None] = lambda: None,
) -> FakeRenderer:
    """Both sandbox runs of a narrated job faked (app/pipeline/cached_render.py): the measuring
    pass reports `sentence_of(code)` as the scene's one narrate() sentence, as the sandbox
    reports it, and the render is FakeRenderer's real clip with that step starting at 0 s.
    The speech, the mix and the captions stay real."""
    from app.core.render import Measurement

    fake = FakeRenderer(folder)

    def measure(code: str, **_: object) -> Measurement:
        on_measure()
        said = {"event": "narration", "index": 0, "text": sentence_of(code)}
        return Measurement(scene="Main", duration_s=1.0, narration=[said])

    def render(code: str, **kwargs: object) -> object:
        rendered = fake(code, **kwargs)
        rendered.narration = [{"event": "narration", "index": 0, "at": 0.0}]  # type: ignore[attr-defined]
        return rendered

    monkeypatch.setattr("app.pipeline.cached_render.measure_code", measure)
    monkeypatch.setattr("app.pipeline.cached_render.render_code", render)
    return fake
