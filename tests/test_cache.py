"""The content-addressed render cache: keys, entries in both stores, and hits through run_job."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import boto3
import pytest
from pydantic import SecretStr

import app.cache
from app.cache import RENDER_FORMAT_VERSION, RenderCache, StoredMedia, media_keys, render_key
from app.core.render import RenderResult
from app.pipeline import cached_render
from app.pipeline.job import run_job
from app.settings import Settings
from app.storage import LocalStorage, S3Storage, Storage, StorageError
from tests.conftest import scene_code

# Imported by pytest as a plugin (importing it here first would stop its assert rewriting).
pytest_plugins = ["tests.moto_server"]

ROOT = Path(__file__).resolve().parent.parent
METADATA_FIELDS = (
    "scene",
    "codec",
    "width",
    "height",
    "fps",
    "frames",
    "duration_s",
    "size_bytes",
    "layout",
    "frame_checks",
)


def s3_settings(settings: Settings, endpoint: str) -> Settings:
    bucket = f"chalk-{uuid.uuid4().hex[:16]}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).create_bucket(Bucket=bucket)
    return settings.model_copy(
        update={
            "s3_bucket": bucket,
            "s3_endpoint_url": endpoint,
            "s3_region": "us-east-1",
            "s3_access_key_id": "testing",
            "s3_secret_access_key": SecretStr("testing"),
        }
    )


@pytest.fixture(params=["local", "s3"])
def store_settings(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    """The test settings, with an S3 bucket on moto for the "s3" case."""
    if request.param == "local":
        return settings
    return s3_settings(settings, request.getfixturevalue("moto_endpoint"))


def storage_for(settings: Settings) -> Storage:
    if settings.s3_bucket:
        return S3Storage(settings)
    return LocalStorage(settings.media_root)


@pytest.fixture
def cache(store_settings: Settings) -> RenderCache:
    return RenderCache(storage_for(store_settings), store_settings)


def fake_render(folder: Path, name: str = "render", size: int = 3000) -> RenderResult:
    """A RenderResult with random files: the cache stores bytes, it never plays them."""
    folder.mkdir(parents=True, exist_ok=True)
    video = folder / f"{name}.mp4"
    video.write_bytes(os.urandom(size))
    thumbnail = video.with_suffix(".png")
    thumbnail.write_bytes(os.urandom(500))
    return RenderResult(
        video=video,
        thumbnail=thumbnail,
        scene="TextScene",
        codec="h264",
        width=854,
        height=480,
        fps=15.0,
        frames=45,
        duration_s=3.0,
        size_bytes=size,
        render_s=2.5,
        sandbox_layers=["bwrap", "seccomp"],
        log_tail="log",
        layout=[{"event": "layout", "objects": [{"kind": "Text", "bbox": [0, 0, 1, 1]}]}],
        frame_checks=[{"event": "frame_checks", "flashes": [], "texts": []}],
    )


def metadata_of(rendered: RenderResult) -> dict[str, object]:
    return {name: getattr(rendered, name) for name in METADATA_FIELDS}


# -- keys ----------------------------------------------------------------------------------


def test_render_key_is_stable_and_changes_with_what_decides_the_video(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = scene_code("text_scene")
    key = render_key(code, "preview", "16:9", settings)
    assert len(key) == 64 and int(key, 16) >= 0
    assert render_key(code, "preview", "16:9", settings) == key
    # Settings that do not change the video leave the key alone.
    unrelated = settings.model_copy(
        update={"data_dir": settings.data_dir / "other", "sandbox_memory_mb": 1024}
    )
    assert render_key(code, "preview", "16:9", unrelated) == key
    slower_timeout = Settings(
        data_dir=settings.data_dir,
        quality_presets={"preview": {"width": 854, "height": 480, "fps": 15, "timeout_s": 5}},
    )
    assert render_key(code, "preview", "16:9", slower_timeout) == key

    other_fps = Settings(
        data_dir=settings.data_dir,
        quality_presets={"preview": {"width": 854, "height": 480, "fps": 24, "timeout_s": 60}},
    )
    other_size = Settings(
        data_dir=settings.data_dir,
        quality_presets={"preview": {"width": 640, "height": 360, "fps": 15, "timeout_s": 60}},
    )
    variants = {
        "code": render_key(code + "\n# v2\n", "preview", "16:9", settings),
        "quality": render_key(code, "standard", "16:9", settings),
        "aspect": render_key(code, "preview", "9:16", settings),
        "square": render_key(code, "preview", "1:1", settings),
        "fps": render_key(code, "preview", "16:9", other_fps),
        "size": render_key(code, "preview", "16:9", other_size),
        "length cap": render_key(
            code, "preview", "16:9", settings.model_copy(update={"max_video_seconds": 60})
        ),
        "scene": render_key(code, "preview", "16:9", settings, scene="TextScene"),
    }
    monkeypatch.setattr(app.cache, "manim_version", lambda: "0.99.0")
    variants["manim"] = render_key(code, "preview", "16:9", settings)
    monkeypatch.undo()
    monkeypatch.setattr(app.cache, "RENDER_FORMAT_VERSION", RENDER_FORMAT_VERSION + 1)
    variants["format"] = render_key(code, "preview", "16:9", settings)
    assert key not in variants.values()
    assert len(set(variants.values())) == len(variants), variants


def test_render_key_does_not_import_manim() -> None:
    probe = (
        "import sys\n"
        "from app.cache import manim_version, render_key\n"
        "from app.settings import Settings\n"
        "render_key('x', 'preview', '16:9', Settings())\n"
        "print(manim_version(), 'manim' in sys.modules)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    import importlib.metadata

    assert proc.stdout.split() == [importlib.metadata.version("manim"), "False"]


def test_media_keys_and_invalid_render_keys(cache: RenderCache, tmp_path: Path) -> None:
    key = "a" * 64
    assert media_keys(key) == StoredMedia(f"renders/{key}.mp4", f"renders/{key}.png")
    for bad in ("../" + "a" * 61, "A" * 64, "a" * 63, ""):
        with pytest.raises(ValueError, match="invalid render key"):
            cache.lookup(bad)
        with pytest.raises(ValueError, match="invalid render key"):
            cache.store(bad, fake_render(tmp_path))


# -- entries (both stores) -----------------------------------------------------------------


def test_store_then_lookup_returns_the_same_render(cache: RenderCache, tmp_path: Path) -> None:
    rendered = fake_render(tmp_path / "src")
    key = "1" * 64
    assert cache.lookup(key, tmp_path / "miss.mp4") is None
    assert not (tmp_path / "miss.mp4").exists()
    stored = cache.store(key, rendered)
    assert stored == StoredMedia(f"renders/{key}.mp4", f"renders/{key}.png")
    out = tmp_path / "out" / "lesson.mp4"
    hit = cache.lookup(key, out)
    assert hit is not None
    assert hit.video == out and hit.thumbnail == out.with_suffix(".png")
    assert out.read_bytes() == rendered.video.read_bytes()
    assert hit.thumbnail.read_bytes() == rendered.thumbnail.read_bytes()
    assert metadata_of(hit) == metadata_of(rendered)
    assert hit.sandbox_layers == [] and 0 <= hit.render_s < 5


def test_lookup_without_out_goes_to_the_data_dir(
    cache: RenderCache, store_settings: Settings, tmp_path: Path
) -> None:
    key = "2" * 64
    cache.store(key, fake_render(tmp_path))
    first, second = cache.lookup(key), cache.lookup(key)
    assert first is not None and second is not None
    assert first.video.parent == store_settings.data_dir / "renders"
    assert first.video != second.video  # every lookup hands out its own copy
    assert first.video.read_bytes() == second.video.read_bytes()


def test_half_stored_entry_is_a_miss_until_stored_again(cache: RenderCache, tmp_path: Path) -> None:
    rendered = fake_render(tmp_path)
    key = "3" * 64
    keys = media_keys(key)
    # The upload stopped before the metadata: video and thumbnail are there, the JSON is not.
    cache.storage.put_file(keys.video_key, rendered.video, "video/mp4")
    cache.storage.put_file(keys.thumbnail_key, rendered.thumbnail, "image/png")
    assert cache.lookup(key, tmp_path / "out.mp4") is None
    assert not (tmp_path / "out.mp4").exists()
    cache.store(key, rendered)
    assert cache.lookup(key, tmp_path / "out.mp4") is not None


def test_store_is_idempotent(cache: RenderCache, tmp_path: Path) -> None:
    key = "4" * 64
    first = fake_render(tmp_path / "a")
    second = fake_render(tmp_path / "b", size=4000)
    assert cache.store(key, first) == cache.store(key, second)
    hit = cache.lookup(key, tmp_path / "out.mp4")
    assert hit is not None and hit.video.read_bytes() == first.video.read_bytes()


@pytest.mark.parametrize("damage", ["bad json", "wrong key", "missing field", "no video", "short"])
def test_broken_entry_is_a_miss_and_gets_repaired(
    cache: RenderCache, tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    key = "5" * 64
    rendered = fake_render(tmp_path)
    cache.store(key, rendered)
    keys = media_keys(key)
    metadata_key = f"renders/{key}.json"
    metadata = json.loads(cache.storage.read_bytes(metadata_key))
    if damage == "bad json":
        cache.storage.put_bytes(metadata_key, b"{not json", "application/json")
    elif damage == "wrong key":
        metadata["key"] = "6" * 64
        cache.storage.put_bytes(metadata_key, json.dumps(metadata).encode(), "application/json")
    elif damage == "missing field":
        del metadata["frames"]
        cache.storage.put_bytes(metadata_key, json.dumps(metadata).encode(), "application/json")
    elif damage == "no video":
        cache.storage.delete(keys.video_key)
    else:
        cache.storage.put_bytes(keys.video_key, b"truncated", "video/mp4")
    out = tmp_path / "out.mp4"
    assert cache.lookup(key, out) is None
    assert "is broken" in caplog.text
    assert not out.exists() and not out.with_suffix(".png").exists()
    # The broken entry no longer blocks storing: the next successful render repairs it.
    cache.store(key, rendered)
    hit = cache.lookup(key, out)
    assert hit is not None and out.read_bytes() == rendered.video.read_bytes()


def test_delete_entry_removes_all_three_objects(cache: RenderCache, tmp_path: Path) -> None:
    key = "7" * 64
    cache.store(key, fake_render(tmp_path))
    keys = media_keys(key)
    cache.delete_entry(key)
    for media_key in (keys.video_key, keys.thumbnail_key, f"renders/{key}.json"):
        assert not cache.storage.exists(media_key)
    assert cache.lookup(key) is None
    cache.delete_entry(key)  # already gone: fine


def test_unreachable_store_is_a_miss(settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    unreachable = settings.model_copy(
        update={
            "s3_bucket": "chalk-media",
            "s3_endpoint_url": f"http://127.0.0.1:{port}",
            "s3_region": "us-east-1",
            "s3_access_key_id": "testing",
            "s3_secret_access_key": SecretStr("testing"),
        }
    )
    cache = RenderCache(S3Storage(unreachable), unreachable)
    assert cache.lookup("8" * 64) is None
    assert "rendering instead" in caplog.text


# -- through run_job -----------------------------------------------------------------------


def _refuse_to_render(*args: object, **kwargs: object) -> RenderResult:
    raise AssertionError("render_code was called")


@pytest.mark.render
def test_second_run_is_a_cache_hit_without_rendering(
    store_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = scene_code("text_scene")
    cache = RenderCache(storage_for(store_settings), store_settings)
    stages: list[str] = []
    first = run_job(
        code=code,
        out=tmp_path / "first.mp4",
        settings=store_settings,
        cache=cache,
        on_stage=stages.append,
    )
    assert first.ok, first.error
    assert first.cache_hit is False
    assert stages == ["validating", "rendering", "storing"]
    assert first.cache_key == render_key(code, "preview", "16:9", store_settings)
    assert first.to_json()["cache_key"] == first.cache_key
    assert first.render is not None
    # Every successful render is stored under its key.
    assert first.stored == media_keys(first.cache_key)

    monkeypatch.setattr(cached_render, "render_code", _refuse_to_render)
    progress: list[float] = []
    second = run_job(
        code=code,
        out=tmp_path / "second.mp4",
        settings=store_settings,
        cache=cache,
        on_progress=progress.append,
    )
    assert second.ok, second.error
    assert second.cache_hit is True and second.to_json()["cache_hit"] is True
    assert second.cache_key == first.cache_key
    assert second.attempt_log[0].cache_hit is True
    assert progress == [1.0]
    assert second.video == str(tmp_path / "second.mp4")
    assert (tmp_path / "second.mp4").read_bytes() == (tmp_path / "first.mp4").read_bytes()
    assert (tmp_path / "second.png").read_bytes() == (tmp_path / "first.png").read_bytes()
    assert second.render is not None
    assert metadata_of(second.render) == metadata_of(first.render)
    assert second.layout_warnings == first.layout_warnings
    assert second.timings["render_s"] < first.timings["render_s"]

    # Another aspect is another key: it has to render, which is refused here.
    third = run_job(code=code, aspect="1:1", settings=store_settings, cache=cache)
    assert third.status == "failed" and third.error is not None
    assert "render_code was called" in third.error.detail


def test_policy_refused_code_is_refused_even_if_an_entry_is_stored(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = RenderCache(LocalStorage(settings.media_root), settings)
    hostile = "import os\n" + scene_code("text_scene")
    two_scenes = scene_code("text_scene") + "\n\nclass Other(Scene):\n    pass\n"
    for code in (hostile, two_scenes):
        # Someone planted a stored render under the key this code would have.
        cache.store(render_key(code, "preview", "16:9", settings), fake_render(tmp_path))
    monkeypatch.setattr(cached_render, "render_code", _refuse_to_render)
    for code in (hostile, two_scenes):
        result = run_job(code=code, settings=settings, cache=cache)
        assert result.status == "rejected", result.to_json()
        assert result.error is not None and result.error.kind == "validation"
        assert result.cache_hit is False and result.video is None


def test_render_cache_setting_off_disables_lookups(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = scene_code("text_scene")
    cache = RenderCache(LocalStorage(settings.media_root), settings)
    cache.store(render_key(code, "preview", "16:9", settings), fake_render(tmp_path))
    calls: list[str] = []

    def fake_render_code(code: str, **kwargs: object) -> RenderResult:
        calls.append(code)
        return fake_render(tmp_path / "rendered")

    monkeypatch.setattr(cached_render, "render_code", fake_render_code)
    off = settings.model_copy(update={"render_cache": False})
    result = run_job(code=code, settings=off, cache=cache)
    assert result.ok and result.cache_hit is False and calls == [code]
    assert result.cache_key == render_key(code, "preview", "16:9", settings)
    result = run_job(code=code, settings=settings, cache=cache)
    assert result.ok and result.cache_hit is True and calls == [code]


def test_on_stage_reports_each_stage_of_a_prompt_job(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(cached_render, "render_code", lambda code, **kw: fake_render(tmp_path))
    stages: list[str] = []
    result = run_job(
        prompt="show the area of a circle",
        generator="offline",
        settings=settings,
        on_stage=stages.append,
    )
    assert result.ok, result.error
    assert stages == ["generating", "validating", "rendering"]


class FullStorage(LocalStorage):
    """A media store that refuses every upload."""

    def put_file(self, key: str, path: Path, content_type: str) -> None:
        raise StorageError("The media store is full.", detail="no space left")


def test_a_store_that_fails_leaves_the_job_succeeded_with_the_error(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog
) -> None:
    monkeypatch.setattr(cached_render, "render_code", lambda code, **kw: fake_render(tmp_path))
    cache = RenderCache(FullStorage(settings.media_root), settings)
    stages: list[str] = []
    result = run_job(
        code=scene_code("text_scene"), settings=settings, cache=cache, on_stage=stages.append
    )
    assert result.ok and result.video is not None
    assert stages == ["validating", "rendering", "storing"]
    assert result.stored is None and isinstance(result.store_error, StorageError)
    assert "could not store the render" in caplog.text


def test_without_a_cache_nothing_is_stored(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cached_render, "render_code", lambda code, **kw: fake_render(tmp_path))
    stages: list[str] = []
    result = run_job(code=scene_code("text_scene"), settings=settings, on_stage=stages.append)
    assert result.ok and result.stored is None and result.store_error is None
    assert stages == ["validating", "rendering"]
