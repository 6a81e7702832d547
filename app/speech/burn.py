"""Burn captions into the picture (an option: players show the WebVTT track anyway): each
frame is decoded, the cue shown at its time is drawn on a dark band at the bottom (white
text, well over 4.5:1), and re-encoded with x264; the audio packets are copied."""

from __future__ import annotations

import os
import textwrap
from functools import lru_cache
from pathlib import Path

import av
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from app.speech.captions import Cue

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
BAND_RGBA = (0, 0, 0, 200)
TEXT_RGB = (255, 255, 255)


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if FONT.exists():
        return ImageFont.truetype(str(FONT), size)
    return ImageFont.load_default(size=size)


def _cue_at(cues: list[Cue], seconds: float) -> Cue | None:
    return next((cue for cue in cues if cue.start <= seconds < cue.end), None)


def draw_caption(picture: Image.Image, text: str) -> Image.Image:
    """`picture` with `text` on a band at the bottom, wrapped to the frame's width."""
    width, height = picture.size
    size = max(12, height // 20)
    font = _font(size)
    lines = textwrap.wrap(text, width=max(10, int(width / (size * 0.55))))[:3]
    band_height = (len(lines) + 1) * int(size * 1.25)
    overlay = Image.new("RGBA", picture.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    top = height - band_height - height // 30
    draw.rectangle((0, top, width, top + band_height), fill=BAND_RGBA)
    for number, line in enumerate(lines):
        y = top + int(size * 0.6) + number * int(size * 1.25)
        draw.text((width / 2, y), line, font=font, fill=TEXT_RGB, anchor="mt")
    return Image.alpha_composite(picture.convert("RGBA"), overlay).convert("RGB")


def _captioned(frame: av.VideoFrame, cues: list[Cue]) -> av.VideoFrame:
    cue = _cue_at(cues, float(frame.time or 0.0))
    if cue is None:
        picture = frame.to_ndarray(format="rgb24")
    else:
        picture = np.asarray(draw_caption(frame.to_image(), cue.text))
    return av.VideoFrame.from_ndarray(picture, format="rgb24")


def burn_captions(video: Path, cues: list[Cue]) -> None:
    """Rewrite `video` in place with `cues` drawn into its frames."""
    tmp = video.with_name(f"{video.stem}.burnt{video.suffix}")
    try:
        with av.open(str(video)) as source, av.open(str(tmp), "w", format="mp4") as target:
            source_video = source.streams.video[0]
            rate = source_video.average_rate or 15
            encoder = target.add_stream("libx264", rate=rate)
            encoder.width = source_video.codec_context.width
            encoder.height = source_video.codec_context.height
            encoder.pix_fmt = "yuv420p"
            encoder.options = {"crf": "20", "preset": "veryfast"}
            source_audio = source.streams.audio[0] if source.streams.audio else None
            target_audio = (
                target.add_stream_from_template(source_audio) if source_audio is not None else None
            )
            streams = [source_video] + ([source_audio] if source_audio is not None else [])
            for packet in source.demux(*streams):
                if packet.stream is source_video:
                    for frame in packet.decode():
                        assert isinstance(frame, av.VideoFrame)
                        for encoded in encoder.encode(_captioned(frame, cues)):
                            target.mux(encoded)
                elif packet.dts is not None and target_audio is not None:
                    packet.stream = target_audio
                    target.mux(packet)
            for encoded in encoder.encode(None):
                target.mux(encoded)
        os.replace(tmp, video)
    finally:
        tmp.unlink(missing_ok=True)
