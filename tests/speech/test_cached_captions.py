"""A narrated render's captions are stored beside its video in the media store and come back
with a cache hit (local folder and S3 on moto)."""

from __future__ import annotations

from pathlib import Path

from app.cache import RenderCache
from app.speech.captions import captions_key
from tests.test_cache import cache, fake_render, storage_for, store_settings  # noqa: F401

VTT = "WEBVTT\n\n00:00:00.070 --> 00:00:01.869\nHere is a circle.\n"
KEY = "ab" * 32


def test_captions_are_stored_beside_the_video_and_returned_on_a_hit(
    cache: RenderCache,  # noqa: F811
    tmp_path: Path,
):
    rendered = fake_render(tmp_path / "made")
    rendered.captions = rendered.video.with_suffix(".captions.vtt")
    rendered.captions.write_text(VTT)
    rendered.audio = True
    stored = cache.store(KEY, rendered)
    assert stored.captions_key == captions_key(stored.video_key) == f"renders/{KEY}.captions.vtt"
    assert cache.storage.read_bytes(stored.captions_key).decode() == VTT
    hit = cache.lookup(KEY, tmp_path / "again" / "v.mp4")
    assert hit is not None and hit.audio is True
    assert hit.captions == tmp_path / "again" / "v.captions.vtt"
    assert hit.captions.read_text() == VTT
    cache.delete_entry(KEY)
    assert not cache.storage.exists(stored.captions_key)


def test_a_silent_entry_has_no_captions(cache: RenderCache, tmp_path: Path):  # noqa: F811
    stored = cache.store(KEY, fake_render(tmp_path / "made"))
    assert stored.captions_key is None
    hit = cache.lookup(KEY, tmp_path / "again" / "v.mp4")
    assert hit is not None and hit.captions is None and hit.audio is False
    assert not (tmp_path / "again" / "v.captions.vtt").exists()
