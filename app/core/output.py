"""Output gate: accept only what a render is supposed to produce.

The sandbox's work directory is written by untrusted code, so a "video" there may be a
symlink to a host file, a FIFO, a device, a huge file or not a video at all. Only a regular
file of bounded size that PyAV reads as an H.264/VP9/... video stream of the expected frame
size is accepted, and it is copied out without following links.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from app.errors import ChalkError

COPY_CHUNK = 1 << 20


@dataclass(frozen=True)
class VideoInfo:
    codec: str
    width: int
    height: int
    fps: float
    frames: int
    duration_s: float
    size_bytes: int


def _open_regular(path: Path, max_bytes: int) -> int:
    """Open `path` read-only if it is a regular file within the size cap, never via a link."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        raise ChalkError(
            "render",
            "The animation did not produce a video file; check that the scene plays something.",
            detail=f"cannot open {path.name}: {exc}",
        ) from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise ChalkError(
            "sandbox",
            "The animation's output was not a normal file, so it was rejected.",
            detail=f"{path.name} has mode {oct(st.st_mode)}",
        )
    if st.st_size > max_bytes:
        os.close(fd)
        raise ChalkError(
            "render",
            f"The video is larger than {max_bytes // (1 << 20)} MB; make it shorter or use a "
            "lower quality.",
            detail=f"{path.name} is {st.st_size} bytes",
        )
    return fd


def copy_out(source: Path, target: Path, max_bytes: int) -> int:
    """Copy a gated file out of the work dir; returns its size."""
    fd = _open_regular(source, max_bytes)
    copied = 0
    try:
        with os.fdopen(fd, "rb", closefd=True) as src, open(target, "wb") as dst:
            while chunk := src.read(COPY_CHUNK):
                copied += len(chunk)
                if copied > max_bytes:
                    raise ChalkError("render", "The video grew past the size limit while copying.")
                dst.write(chunk)
    except ChalkError:
        target.unlink(missing_ok=True)
        raise
    return copied


def probe_video(path: Path) -> VideoInfo:
    """Read the container's video stream metadata with PyAV, or refuse the file."""
    import av

    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            streams = container.streams.video
            if not streams:
                raise ValueError("no video stream")
            stream = streams[0]
            fps = float(stream.guessed_rate or stream.average_rate or 0)
            if stream.duration is not None and stream.time_base is not None:
                duration = float(stream.duration * stream.time_base)
            elif container.duration is not None:
                duration = container.duration / 1_000_000
            else:
                duration = 0.0
            frames = int(stream.frames or round(duration * fps))
            codec = stream.codec_context.name
            width, height = stream.codec_context.width, stream.codec_context.height
    except Exception as exc:  # PyAV raises many types; all mean "not a video we accept"
        raise ChalkError(
            "render",
            "The animation produced a file that is not a playable video.",
            detail=f"probe failed: {exc!r}",
        ) from None
    return VideoInfo(
        codec=codec,
        width=width,
        height=height,
        fps=fps,
        frames=frames,
        duration_s=duration,
        size_bytes=path.stat().st_size,
    )


def check_thumbnail(path: Path, max_bytes: int = 16 << 20) -> None:
    """A PNG that Pillow can verify, of bounded size."""
    from PIL import Image

    try:
        with Image.open(path) as image:
            if image.format != "PNG":
                raise ValueError(f"format {image.format}")
            image.verify()
    except Exception as exc:
        raise ChalkError(
            "render",
            "The animation's preview image could not be read.",
            detail=f"thumbnail rejected: {exc!r}",
        ) from None
    if path.stat().st_size > max_bytes:
        raise ChalkError("render", "The animation's preview image is too large.")
