"""Object storage unreachable at upload: each request is retried with backoff (bounded by
CHALK_S3_MAX_ATTEMPTS); a store that comes back in time takes the file, one that does not
fails the job with a sentence and leaves no video row, no local files and no half entry."""

from __future__ import annotations

import select
import socket
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func
from sqlalchemy import select as sql_select

from app.cache import RenderCache
from app.db.engine import session_scope
from app.db.models import Job, Video
from app.jobs.runner import execute
from app.jobs.state import STORE_FAILED_MESSAGE
from app.settings import Settings
from app.storage import LocalStorage, S3Storage, StorageError
from tests.helpers import free_port, make_user, queued_job
from tests.jobs.conftest import scene
from tests.test_cache import fake_render
from tests.test_storage import new_bucket, s3_client, s3_settings


class _DropThenForward(socketserver.BaseRequestHandler):
    server: _FlakyEndpoint

    def handle(self) -> None:
        with self.server.lock:
            self.server.connections += 1
            if self.server.connections <= self.server.failures:
                return  # closed at once: the client sees the connection drop
        with socket.create_connection(self.server.target) as upstream:
            ends = {self.request: upstream, upstream: self.request}
            while True:
                ready, _, _ = select.select(list(ends), [], [], 10)
                if not ready:
                    return
                for end in ready:
                    data = end.recv(65536)
                    if not data:
                        return
                    ends[end].sendall(data)


class _FlakyEndpoint(socketserver.ThreadingTCPServer):
    daemon_threads = True

    def __init__(self, target: tuple[str, int], failures: int) -> None:
        super().__init__(("127.0.0.1", 0), _DropThenForward)
        self.target, self.failures, self.connections = target, failures, 0
        self.lock = threading.Lock()


@contextmanager
def flaky_endpoint(endpoint: str, failures: int) -> Iterator[str]:
    """A proxy to `endpoint` that drops its first `failures` connections, then forwards."""
    parts = urlsplit(endpoint)
    server = _FlakyEndpoint((parts.hostname or "127.0.0.1", parts.port or 80), failures)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_an_upload_is_retried_until_the_store_comes_back(tmp_path: Path, moto_endpoint: str):
    bucket = new_bucket(moto_endpoint)
    with flaky_endpoint(moto_endpoint, failures=2) as endpoint:
        store = S3Storage(s3_settings(tmp_path, endpoint, bucket, s3_max_attempts=3))
        store.put_bytes("renders/back.json", b"{}", "application/json")
    body = s3_client(moto_endpoint).get_object(Bucket=bucket, Key="renders/back.json")["Body"]
    assert body.read() == b"{}"
    # The retries are bounded by the setting: one try does not outlast the failures.
    with flaky_endpoint(moto_endpoint, failures=2) as endpoint:
        store = S3Storage(s3_settings(tmp_path, endpoint, bucket, s3_max_attempts=1))
        with pytest.raises(StorageError):
            store.put_bytes("renders/never.json", b"{}", "application/json")


def test_a_job_whose_store_stays_unreachable_fails_and_leaves_nothing(
    sqlite_job_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    settings = s3_settings(
        tmp_path,
        f"http://127.0.0.1:{free_port()}",  # nothing listens there
        "chalk-media",
        s3_max_attempts=2,
        max_requeues=0,
        render_cache=False,
        database_url=sqlite_job_settings.database_url,
    )
    renders = settings.data_dir / "renders"

    def rendered(*args: Any, **kwargs: Any) -> Any:
        return fake_render(renders)  # the media store is the point here, not the render

    monkeypatch.setattr("app.pipeline.cached_render.render_code", rendered)
    owner = make_user(settings)
    job_id = queued_job(settings, owner, scene("text_scene"))
    with pytest.raises(StorageError):
        execute(job_id, settings, "store-down", enqueue=lambda *args: None)
    with session_scope(settings) as session:
        job = session.get(Job, job_id)
        assert (job.state, job.error_message) == ("failed", STORE_FAILED_MESSAGE)
        assert session.scalar(sql_select(func.count()).select_from(Video)) == 0
    assert list(renders.iterdir()) == []


def test_a_store_that_fails_halfway_leaves_no_half_entry(settings: Settings, tmp_path: Path):
    class ThumbnailFails(LocalStorage):
        def put_file(self, key: str, path: Path, content_type: str) -> None:
            if key.endswith(".png"):
                raise StorageError("The media store is unreachable.")
            super().put_file(key, path, content_type)

    store = ThumbnailFails(tmp_path / "media")
    with pytest.raises(StorageError):
        RenderCache(store, settings).store("a" * 64, fake_render(tmp_path / "render"))
    assert [p for p in (tmp_path / "media").rglob("*") if p.is_file()] == []
