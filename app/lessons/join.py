"""Join a lesson's scene videos into one MP4: one chapter per scene, one caption track.

Scenes that share a format (codec, frame size, pixel format, time base, audio layout) are
joined by remuxing their packets with shifted timestamps (no re-encode: the pictures are
the scenes' own, bit for bit). Scenes that differ are re-encoded to the first scene's
format, and the result says so. Pure: PyAV only, no database, no streamlit.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
from av.container import InputContainer

log = logging.getLogger(__name__)

CHAPTER_TIME_BASE = Fraction(1, 1000)
"""Chapter marks in milliseconds (what ffprobe prints them in anyway)."""


@dataclass(frozen=True)
class SceneClip:
    """One scene of a lesson as the join reads it: its video file, its chapter title and,
    when it was narrated, its WebVTT captions (a file that need not exist)."""

    video: Path
    title: str
    captions: Path | None = None


@dataclass(frozen=True)
class Chapter:
    title: str
    start: float
    end: float

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "start": round(self.start, 3), "end": round(self.end, 3)}


@dataclass(frozen=True)
class JoinResult:
    video: Path
    duration_s: float
    chapters: list[Chapter]
    captions: Path | None  # the joined WebVTT, None when no scene had captions
    reencoded: bool
    note: str = ""  # why it was re-encoded, in one sentence
    width: int = 0
    height: int = 0
    size_bytes: int = 0
    timings: dict[str, float] = field(default_factory=dict)


class JoinError(RuntimeError):
    """A scene video that cannot be read or joined (detail for the log)."""


def _format_of(container: InputContainer) -> tuple[Any, ...]:
    """What must be equal for packets to be copied from one file into another."""
    parts: list[Any] = []
    for stream in container.streams:
        ctx: Any = stream.codec_context  # PyAV types it as the base class
        if stream.type == "video":
            parts.append(
                (
                    "video",
                    ctx.name,
                    ctx.width,
                    ctx.height,
                    ctx.pix_fmt,
                    ctx.profile,
                    stream.time_base,
                    bytes(ctx.extradata or b""),
                )
            )
        elif stream.type == "audio":
            parts.append(
                ("audio", ctx.name, ctx.sample_rate, ctx.layout.name, bytes(ctx.extradata or b""))
            )
    return tuple(parts)


def _duration_s(container: InputContainer) -> float:
    """The file's length: the end of its last packet, over every stream."""
    end = 0.0
    for stream in container.streams:
        if stream.type not in ("video", "audio"):
            continue
        if stream.duration is not None and stream.time_base is not None:
            start = stream.start_time or 0
            end = max(end, float((start + stream.duration) * stream.time_base))
    if end == 0.0 and container.duration is not None:
        end = container.duration / av.time_base
    return end


def probe_duration(path: Path) -> float:
    with av.open(str(path)) as container:
        return _duration_s(container)


def join_scenes(clips: Sequence[SceneClip], out: Path, *, reencode: bool = False) -> JoinResult:
    """Join `clips` in order into `out` (an .mp4), with a chapter per clip.

    `reencode` forces the re-encode even when the formats match (bench/lesson.py compares).
    """
    if not clips:
        raise JoinError("a lesson needs at least one scene")
    inputs: list[InputContainer] = []
    try:
        for clip in clips:
            try:
                inputs.append(av.open(str(clip.video)))
            except (OSError, av.FFmpegError) as exc:
                raise JoinError(f"cannot read {clip.video}: {exc}") from exc
        formats = [_format_of(container) for container in inputs]
        durations = [_duration_s(container) for container in inputs]
        same = not reencode and all(fmt == formats[0] for fmt in formats)
        note = ""
        chapters = _chapters([clip.title for clip in clips], durations)
        if same:
            _remux(inputs, out, durations, chapters)
        elif reencode:
            note = "The scenes were re-encoded on request."
            _reencode(inputs, out, chapters)
        else:
            note = "The scenes have different formats, so they were re-encoded to the first's."
            log.info("lesson join: formats differ, re-encoding: %s", formats)
            _reencode(inputs, out, chapters)
    finally:
        for container in inputs:
            container.close()
    captions = join_captions(
        [clip.captions for clip in clips], [c.start for c in chapters], out.with_suffix(".vtt")
    )
    with av.open(str(out)) as joined:
        video = joined.streams.video[0]
        width, height = video.codec_context.width, video.codec_context.height
        duration = _duration_s(joined)
    return JoinResult(
        video=out,
        duration_s=duration,
        chapters=chapters,
        captions=captions,
        reencoded=not same,
        note=note,
        width=width,
        height=height,
        size_bytes=out.stat().st_size,
    )


def _chapters(titles: Sequence[str], durations: Sequence[float]) -> list[Chapter]:
    chapters, start = [], 0.0
    for title, duration in zip(titles, durations, strict=True):
        chapters.append(Chapter(title=title, start=start, end=start + duration))
        start += duration
    return chapters


def _remux(
    inputs: Sequence[InputContainer],
    out: Path,
    durations: Sequence[float],
    chapters: Sequence[Chapter],
) -> None:
    """Copy every packet, shifting each file's timestamps by the length of the files before."""
    with av.open(str(out), "w", format="mp4") as output:
        _set_chapters(output, chapters)
        first = inputs[0]
        kinds = [s.type for s in first.streams if s.type in ("video", "audio")]
        streams = {
            kind: output.add_stream_from_template(next(s for s in first.streams if s.type == kind))
            for kind in kinds
        }
        offset = 0.0
        next_dts: dict[str, int] = {}  # per stream: where the previous scene's packets end
        for number, (container, duration) in enumerate(zip(inputs, durations, strict=True)):
            sources = [s for s in container.streams if s.type in streams]
            shifts: dict[str, int] = {}
            for packet in container.demux(sources):
                if packet.dts is None and packet.pts is None:
                    continue  # the demuxer's end-of-stream marker
                source: Any = packet.stream
                kind = source.type
                if number and kind == "audio" and (packet.pts or 0) < 0:
                    continue  # AAC priming: only the first scene's is wanted (edit list)
                if kind not in shifts:
                    # Where the scene starts; later if the last scene's audio ran past it
                    # (AAC frames end on 1024 samples), so timestamps keep rising: the audio
                    # then lags its pictures by under one frame (46 ms at 22 kHz), never more.
                    shift = round(offset / source.time_base)
                    begins = packet.dts if packet.dts is not None else (packet.pts or 0)
                    shifts[kind] = max(shift, next_dts.get(kind, shift + begins) - begins)
                if packet.pts is not None:
                    packet.pts += shifts[kind]
                if packet.dts is not None:
                    packet.dts += shifts[kind]
                    next_dts[kind] = packet.dts + (packet.duration or 1)
                packet.stream = streams[kind]
                output.mux(packet)
            offset += duration


def _reencode(inputs: Sequence[InputContainer], out: Path, chapters: Sequence[Chapter]) -> None:
    """Decode every scene and encode it in the first scene's frame size and rate (H.264).

    Frames are placed by their time, not their count (a 30 fps scene in a 15 fps lesson
    keeps its length), and each scene fills its chapter exactly. Audio is kept only when
    every scene has some (a lesson is narrated whole or not at all).
    """
    first = inputs[0].streams.video[0]
    rate = Fraction(first.average_rate or first.guessed_rate or 15)
    width, height = first.codec_context.width, first.codec_context.height
    with_audio = all(c.streams.audio for c in inputs)
    with av.open(str(out), "w", format="mp4") as output:
        _set_chapters(output, chapters)
        video = output.add_stream("libx264", rate=rate)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        written = 0

        def put(picture: av.VideoFrame, until: int) -> int:
            count = written
            while count < until:
                picture.pts = count
                picture.time_base = 1 / rate
                output.mux(video.encode(picture))
                count += 1
            return count

        audio = resampler = None
        if with_audio:
            sample_rate = inputs[0].streams.audio[0].codec_context.sample_rate
            audio = output.add_stream("aac", rate=sample_rate)
            resampler = av.AudioResampler(format="fltp", layout="mono", rate=sample_rate)
            audio.layout = "mono"
        samples = 0
        for container, chapter in zip(inputs, chapters, strict=True):
            last = None
            for picture in container.decode(container.streams.video[0]):
                last = picture.reformat(width=width, height=height, format="yuv420p")
                shown_at = chapter.start + float(picture.time or 0.0)
                written = put(last, round(shown_at * rate) + 1)
            if last is not None:  # hold the last picture to the end of the chapter
                written = put(last, round(chapter.end * rate))
            if audio is not None and resampler is not None:
                samples = max(samples, round(chapter.start * audio.rate))
                container.seek(0)
                for sound in container.decode(container.streams.audio[0]):
                    for chunk in resampler.resample(sound):
                        chunk.pts = samples
                        samples += chunk.samples
                        output.mux(audio.encode(chunk))
        output.mux(video.encode(None))
        if audio is not None:
            output.mux(audio.encode(None))


def _set_chapters(output: Any, chapters: Sequence[Chapter]) -> None:
    """Chapter marks for the MP4 muxer (written with the header; ffprobe -show_chapters)."""
    output.set_chapters(
        [
            {
                "id": index + 1,
                "start": round(chapter.start / CHAPTER_TIME_BASE),
                "end": round(chapter.end / CHAPTER_TIME_BASE),
                "time_base": CHAPTER_TIME_BASE,
                "metadata": {"title": chapter.title},
            }
            for index, chapter in enumerate(chapters)
        ]
    )


_CUE_TIME = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})\.(\d{3})")


def _seconds(stamp: str) -> float:
    match = _CUE_TIME.fullmatch(stamp.strip())
    if match is None:
        raise ValueError(f"not a WebVTT time: {stamp!r}")
    hours, minutes, seconds, millis = match.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def _stamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def shift_cues(vtt: str, offset: float) -> list[str]:
    """The cues of a WebVTT text (without its header), their times moved by `offset`."""
    blocks = re.split(r"\n\s*\n", vtt.replace("\r\n", "\n").strip())
    cues = []
    for block in blocks:
        lines = block.split("\n")
        timing = next((i for i, line in enumerate(lines) if "-->" in line), None)
        if timing is None:
            continue  # the WEBVTT header, NOTE and STYLE blocks
        start, _, rest = lines[timing].partition("-->")
        end, *settings = rest.split()
        moved = f"{_stamp(_seconds(start) + offset)} --> {_stamp(_seconds(end) + offset)}"
        if settings:
            moved += " " + " ".join(settings)
        # A cue id is kept only if it is the line just before the timing.
        cues.append("\n".join([moved, *lines[timing + 1 :]]))
    return cues


def join_captions(
    captions: Sequence[Path | None], offsets: Sequence[float], out: Path
) -> Path | None:
    """One WebVTT for the lesson: each scene's cues shifted to where the scene starts.

    Scenes without captions add none; with no captions at all there is no file (None).
    """
    cues: list[str] = []
    for path, offset in zip(captions, offsets, strict=True):
        if path is None or not path.is_file():
            continue
        cues.extend(shift_cues(path.read_text(encoding="utf-8"), offset))
    if not cues:
        out.unlink(missing_ok=True)
        return None
    out.write_text("WEBVTT\n\n" + "\n\n".join(cues) + "\n", encoding="utf-8")
    return out
