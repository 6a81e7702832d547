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


def open_job_file(work: Path, relative: str, max_bytes: int) -> int:
    """Open `work/relative` read-only, refusing a symlink at *every* step.

    O_NOFOLLOW alone protects only the last name: a scene that swaps `out/` for a symlink to a
    host directory would otherwise make this root process serve a host file as its video. The
    job is dead and reaped before this runs, so nothing can swap a directory mid-walk.
    """
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC
    *folders, name = relative.split("/")
    opened: list[int] = []
    try:
        opened.append(os.open(work, flags | os.O_DIRECTORY))
        for folder in folders:
            opened.append(os.open(folder, flags | os.O_DIRECTORY, dir_fd=opened[-1]))
        fd = os.open(name, flags | os.O_NONBLOCK, dir_fd=opened[-1])
    except OSError as exc:
        raise ChalkError(
            "render",
            "The animation did not produce a video file; check that the scene plays something.",
            detail=f"cannot open {relative} safely: {exc}",
        ) from None
    finally:
        for folder_fd in opened:
            os.close(folder_fd)
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1:
        os.close(fd)
        raise ChalkError(
            "sandbox",
            "The animation's output was not a normal file, so it was rejected.",
            detail=f"{relative} has mode {oct(st.st_mode)} and {st.st_nlink} links",
        )
    if st.st_size > max_bytes:
        os.close(fd)
        raise ChalkError(
            "render",
            f"The video is larger than {max_bytes // (1 << 20)} MB; make it shorter or use a "
            "lower quality.",
            detail=f"{relative} is {st.st_size} bytes",
        )
    return fd


def copy_out(work: Path, relative: str, target: Path, max_bytes: int) -> int:
    """Copy a gated file out of the job's work dir; returns its size."""
    fd = open_job_file(work, relative, max_bytes)
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
        # Only the MP4 demuxer, only local files: no playlist/concat tricks that make FFmpeg
        # open other paths on the scene's behalf.
        with av.open(
            str(path),
            format="mp4",
            options={"protocol_whitelist": "file", "enable_drefs": "0"},
            metadata_errors="ignore",
        ) as container:
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
