"""Content-addressed render cache: the same code and frame settings give the stored video.

`render_key` is a sha256 over everything that decides the output (code, quality, aspect,
the frame size and rate actually used, the video length cap, the Manim version and
`RENDER_FORMAT_VERSION`). One entry is three objects in the media store:

    renders/<key>.mp4    the video
    renders/<key>.png    its thumbnail
    renders/<key>.json   metadata (codec, size, frames, scene, layout and frame reports)
    renders/<key>.captions.vtt   a narrated video's captions (only when it has them)

The metadata is written last and read first, so an entry whose upload was cut short is never
a hit. This is also how every rendered video is stored: the pipeline's render step
(app/pipeline/cached_render.py, the one place that looks up and stores) checks the policy
before a lookup, stores every render a job accepts, and `settings.render_cache=False` only
turns lookups off.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import re
import time
import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from app.core.render import RenderResult
from app.frame import frame_spec
from app.settings import Settings, get_settings
from app.speech.options import NarrationOptions
from app.speech.registry import engine_version
from app.speech.text import narrate_calls
from app.storage import MediaNotFound, Storage, StorageError

log = logging.getLogger(__name__)

RENDER_FORMAT_VERSION = 4
"""Bump when the sandbox's output changes for the same code, so old entries stop matching."""

KEY_PATTERN = re.compile(r"[0-9a-f]{64}")
"""A render key: a lowercase sha256 hex digest."""

_METADATA_FIELDS: dict[str, tuple[type, ...]] = {
    "scene": (str,),
    "codec": (str,),
    "width": (int,),
    "height": (int,),
    "fps": (int, float),
    "frames": (int,),
    "duration_s": (int, float),
    "size_bytes": (int,),
    "layout": (list,),
    "frame_checks": (list,),
}


@lru_cache(maxsize=1)
def manim_version() -> str:
    """The installed Manim's version, read from package metadata (importing Manim is slow)."""
    return importlib.metadata.version("manim")


def render_key(
    code: str,
    quality: str,
    aspect: str,
    settings: Settings | None = None,
    *,
    scene: str | None = None,
    narration: NarrationOptions | None = None,
) -> str:
    """The cache key of rendering `code` at `quality` and `aspect` with these settings.

    `scene` is the scene the caller asked for (None: the code's only scene). A narrated
    render's key also has the narration text, the options (resolved: engine, voice, language,
    speed, burnt captions) and the engine's version; a silent render's key is unchanged.
    """
    settings = settings or get_settings()
    spec = frame_spec(quality, aspect, settings)
    payload = {
        "format": RENDER_FORMAT_VERSION,
        "manim": manim_version(),
        "code": code,
        "quality": quality,
        "aspect": aspect,
        "scene": scene,
        "width": spec.width,
        "height": spec.height,
        "fps": spec.fps,
        "max_video_seconds": settings.max_video_seconds,
    }
    if narration is not None and narration.enabled:
        chosen = narration.resolved(settings.speech_engine)
        payload["narration"] = {
            **chosen.to_json(),
            "engine_version": engine_version(chosen.engine),
            "text": narrate_calls(code),
        }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


@dataclass(frozen=True)
class StoredMedia:
    """Where one render's files are in the media store."""

    video_key: str
    thumbnail_key: str
    # `<video key without .mp4>.captions.vtt` for a narrated video, else None.
    captions_key: str | None = None


@dataclass(frozen=True)
class _EntryKeys:
    video: str
    thumbnail: str
    metadata: str
    captions: str


def _entry_keys(key: str) -> _EntryKeys:
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
        raise ValueError(f"invalid render key {key!r}: expected a sha256 hex digest")
    return _EntryKeys(
        f"renders/{key}.mp4",
        f"renders/{key}.png",
        f"renders/{key}.json",
        f"renders/{key}.captions.vtt",
    )


def media_keys(key: str) -> StoredMedia:
    """The video and thumbnail keys of the entry `key`."""
    keys = _entry_keys(key)
    return StoredMedia(video_key=keys.video, thumbnail_key=keys.thumbnail)


def _metadata(key: str, rendered: RenderResult) -> bytes:
    return json.dumps(
        {
            "format": RENDER_FORMAT_VERSION,
            "key": key,
            "scene": rendered.scene,
            "codec": rendered.codec,
            "width": rendered.width,
            "height": rendered.height,
            "fps": rendered.fps,
            "frames": rendered.frames,
            "duration_s": rendered.duration_s,
            # The bytes actually stored; lookups compare the copy they fetch against it.
            "size_bytes": rendered.video.stat().st_size,
            "layout": rendered.layout,
            "frame_checks": rendered.frame_checks,
            "audio": rendered.audio,
            "captions": rendered.captions is not None,
        },
        sort_keys=True,
    ).encode()


def _parse_metadata(raw: bytes, key: str) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise ValueError(f"metadata is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError("metadata is not an object")
    if data.get("key") != key or data.get("format") != RENDER_FORMAT_VERSION:
        raise ValueError(f"metadata is for key {data.get('key')!r} format {data.get('format')!r}")
    for name, types in _METADATA_FIELDS.items():
        value = data.get(name)
        if not isinstance(value, types) or isinstance(value, bool):
            raise ValueError(f"metadata field {name!r} is {value!r}")
    return data


class RenderCache:
    """Store renders by key and hand back a fresh local copy of a stored one."""

    def __init__(self, storage: Storage, settings: Settings | None = None) -> None:
        self.storage = storage
        self.settings = settings or get_settings()

    def lookup(self, key: str, out: Path | None = None) -> RenderResult | None:
        """The stored render copied to `out` (thumbnail beside it as .png), or None on a miss.

        Without `out` the copy goes to `data_dir/renders/<uuid>.mp4`, as render_code does.
        A broken entry (bad metadata, a missing or truncated file) is a miss; its metadata is
        removed so the next `store` writes the entry again. A store that cannot be reached
        is a miss too (the job renders instead); both are logged.
        """
        started = time.monotonic()
        keys = _entry_keys(key)
        try:
            data = _parse_metadata(self.storage.read_bytes(keys.metadata), key)
        except MediaNotFound:
            return None
        except StorageError as exc:
            log.warning(
                "render cache: lookup of %s failed (%s); rendering instead", key, exc.detail
            )
            return None
        except ValueError as exc:
            self._forget_broken(key, str(exc))
            return None
        out = out or self.settings.data_dir / "renders" / f"{uuid.uuid4().hex}.mp4"
        thumbnail = out.with_suffix(".png")
        captions = out.with_suffix(".captions.vtt") if data.get("captions") is True else None
        try:
            self.storage.get_file(keys.video, out)
            self.storage.get_file(keys.thumbnail, thumbnail)
            if captions is not None:
                self.storage.get_file(keys.captions, captions)
            size = out.stat().st_size
            if size != data["size_bytes"]:
                raise ValueError(f"video is {size} bytes, metadata says {data['size_bytes']}")
            if thumbnail.stat().st_size == 0:
                raise ValueError("thumbnail is empty")
        except (StorageError, ValueError) as exc:
            out.unlink(missing_ok=True)
            thumbnail.unlink(missing_ok=True)
            if captions is not None:
                captions.unlink(missing_ok=True)
            if isinstance(exc, StorageError) and not isinstance(exc, MediaNotFound):
                log.warning("render cache: fetching %s failed (%s); rendering instead", key, exc)
            else:
                self._forget_broken(key, exc.detail if isinstance(exc, StorageError) else str(exc))
            return None
        log.info("render cache hit %s", key)
        return RenderResult(
            video=out,
            thumbnail=thumbnail,
            scene=data["scene"],
            codec=data["codec"],
            width=data["width"],
            height=data["height"],
            fps=data["fps"],
            frames=data["frames"],
            duration_s=data["duration_s"],
            size_bytes=data["size_bytes"],
            render_s=time.monotonic() - started,
            layout=data["layout"],
            frame_checks=data["frame_checks"],
            captions=captions,
            audio=data.get("audio") is True,
        )

    def _forget_broken(self, key: str, reason: str) -> None:
        log.warning("render cache: entry %s is broken (%s); it will be stored again", key, reason)
        try:
            self.storage.delete(_entry_keys(key).metadata)
        except StorageError as exc:
            log.warning("render cache: could not remove broken entry %s: %s", key, exc.detail)

    def store(self, key: str, rendered: RenderResult) -> StoredMedia:
        """Upload video, thumbnail, then metadata; a complete entry already there is kept."""
        keys = _entry_keys(key)
        stored = StoredMedia(
            video_key=keys.video,
            thumbnail_key=keys.thumbnail,
            captions_key=keys.captions if rendered.captions is not None else None,
        )
        if self.storage.exists(keys.metadata):
            return stored
        written: list[str] = []
        try:
            self.storage.put_file(keys.video, rendered.video, "video/mp4")
            written.append(keys.video)
            self.storage.put_file(keys.thumbnail, rendered.thumbnail, "image/png")
            written.append(keys.thumbnail)
            if rendered.captions is not None:
                self.storage.put_file(keys.captions, rendered.captions, "text/vtt")
                written.append(keys.captions)
            self.storage.put_bytes(keys.metadata, _metadata(key, rendered), "application/json")
        except StorageError:
            # No half entry left behind: an object without its metadata is never served.
            for media_key in written:
                try:
                    self.storage.delete(media_key)
                except StorageError as exc:
                    log.warning("render cache: could not remove %s: %s", media_key, exc.detail)
            raise
        log.info("render cache stored %s", key)
        return stored

    def delete_entry(self, key: str) -> None:
        """Remove the entry's three objects (metadata first, so it stops being a hit at once)."""
        keys = _entry_keys(key)
        for media_key in (keys.metadata, keys.video, keys.thumbnail, keys.captions):
            self.storage.delete(media_key)
