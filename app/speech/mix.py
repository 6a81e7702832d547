"""Put the narration on the video: one mono track, each sentence at the moment its step
starts, encoded as AAC beside the untouched (copied) H.264 stream with PyAV."""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from app.speech.engine import Speech

MIX_RATE = 24_000
"""Sample rate of the narration track (AAC supports it; speech needs no more)."""
AAC_FRAME = 1024


def resample(samples: np.ndarray, rate: int, target: int = MIX_RATE) -> np.ndarray:
    """Linear resampling (speech engines give 16–24 kHz; the track has one rate)."""
    if rate == target or len(samples) == 0:
        return samples.astype(np.float32)
    count = round(len(samples) * target / rate)
    positions = np.arange(count) * (rate / target)
    return np.interp(positions, np.arange(len(samples)), samples).astype(np.float32)


def build_track(placed: list[tuple[float, Speech]], duration_s: float) -> np.ndarray:
    """The whole video's narration: each speech starting at its time, cut to `duration_s`."""
    track = np.zeros(round(duration_s * MIX_RATE), dtype=np.float32)
    for start_s, speech in placed:
        samples = resample(speech.samples, speech.sample_rate)
        first = round(start_s * MIX_RATE)
        if first >= len(track):
            continue
        piece = samples[: len(track) - first]
        track[first : first + len(piece)] += piece
    return np.clip(track, -1.0, 1.0)


def video_duration(path: Path) -> float:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        if stream.duration is not None and stream.time_base is not None:
            return float(stream.duration * stream.time_base)
        return float(container.duration or 0) / av.time_base


def mux_narration(video: Path, track: np.ndarray) -> None:
    """Rewrite `video` in place with `track` as an AAC audio stream (video packets copied)."""
    tmp = video.with_name(f"{video.stem}.narrated{video.suffix}")
    try:
        with av.open(str(video)) as source, av.open(str(tmp), "w", format="mp4") as target:
            source_video = source.streams.video[0]
            target_video = target.add_stream_from_template(source_video)
            audio = target.add_stream("aac", rate=MIX_RATE, layout="mono")
            audio.time_base = Fraction(1, MIX_RATE)
            for packet in source.demux(source_video):
                if packet.dts is None:
                    continue  # the demuxer's flush packet
                packet.stream = target_video
                target.mux(packet)
            for first in range(0, len(track), AAC_FRAME):
                chunk = track[first : first + AAC_FRAME]
                frame = av.AudioFrame.from_ndarray(
                    chunk.reshape(1, -1), format="fltp", layout="mono"
                )
                frame.sample_rate = MIX_RATE
                frame.pts = first
                frame.time_base = Fraction(1, MIX_RATE)
                target.mux(audio.encode(frame))
            target.mux(audio.encode(None))
        os.replace(tmp, video)
    finally:
        tmp.unlink(missing_ok=True)


def audio_duration(path: Path) -> float | None:
    """The audio stream's length in seconds (None: the file has no audio)."""
    with av.open(str(path)) as container:
        if not container.streams.audio:
            return None
        stream = container.streams.audio[0]
        if stream.duration is not None and stream.time_base is not None:
            return float(stream.duration * stream.time_base)
        samples = sum(frame.samples for frame in container.decode(stream))
        return samples / stream.rate
