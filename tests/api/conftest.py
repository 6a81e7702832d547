"""Fixtures for the HTTP API: settings on SQLite with the inline worker and a fake renderer,
a TestClient over the app (its lifespan runs the webhook dispatcher), keys for two teachers,
and a webhook receiver on loopback.

Rendering is not the subject here: `render_code` is replaced by one that writes random bytes
(the media store and the cache store bytes, never play them), so a job succeeds in well under
a second. Prompts use the offline templates; the LLM is never configured.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.accounts.api_keys import create_key
from app.api.main import create_app
from app.db.engine import dispose_engines
from app.jobs.backends import shutdown_inline_pools
from app.pipeline import cached_render
from app.settings import Settings
from tests.db_fixtures import throwaway_database
from tests.helpers import make_user
from tests.jobs.conftest import FAST
from tests.test_cache import fake_render

# Webhook retries every 0.2 s doubling, the dispatcher looking every 0.05 s.
API_FAST = {
    **FAST,
    "warm_pool": False,
    "webhook_allow_private": True,
    "webhook_poll_s": 0.05,
    "webhook_retry_base_s": 0.2,
    "webhook_timeout_s": 5,
    "redis_url": None,
}


@pytest.fixture
def fake_renderer(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """Replace the sandboxed render with random bytes; returns the codes "rendered"."""
    rendered: list[str] = []

    def render(code: str, **_kwargs: Any) -> Any:
        rendered.append(code)
        return fake_render(tmp_path / "renders" / str(len(rendered)))

    monkeypatch.setattr(cached_render, "render_code", render)
    return rendered


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once per test process; each test gets a copy (the
    migrations cost a second or more per test otherwise)."""
    folder = tmp_path_factory.mktemp("api-db")
    settings = Settings(data_dir=folder / "data")
    with throwaway_database("sqlite", settings, folder, migrate=True) as db:
        path = Path(db.database.removeprefix("sqlite:///"))
    dispose_engines()
    return path


@pytest.fixture
def api_settings(
    settings: Settings, tmp_path: Path, fake_renderer: list[str], migrated_sqlite: Path
) -> Iterator[Settings]:
    database = tmp_path / "db" / "chalk.db"
    database.parent.mkdir(parents=True)
    shutil.copyfile(migrated_sqlite, database)
    yield settings.model_copy(update={**API_FAST, "database_url": f"sqlite:///{database}"})
    shutdown_inline_pools(wait=True)
    dispose_engines()


@pytest.fixture
def client(api_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings)) as test_client:
        yield test_client


@dataclass
class Teacher:
    user_id: int
    key_id: str
    key: str
    webhook_secret: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


def teacher(settings: Settings, name: str) -> Teacher:
    user_id = make_user(settings, name)
    made = create_key(settings=settings, user_id=user_id, label=f"{name}'s LMS")
    return Teacher(user_id, made.view.id, made.key, made.view.webhook_secret)


@pytest.fixture
def ada(api_settings: Settings) -> Teacher:
    return teacher(api_settings, "ada")


@pytest.fixture
def bob(api_settings: Settings) -> Teacher:
    return teacher(api_settings, "bob")


@dataclass
class Receiver:
    """A webhook receiver on loopback: records every request; answers `statuses` in turn
    (then 200)."""

    url: str
    statuses: list[int] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def bodies(self) -> list[dict[str, Any]]:
        with self.lock:
            return [json.loads(request["body"]) for request in self.requests]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    box: dict[str, Receiver] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            got = box["receiver"]
            with got.lock:
                got.requests.append({"headers": dict(self.headers), "body": body})
                status = got.statuses.pop(0) if got.statuses else 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    box["receiver"] = Receiver(url=f"http://127.0.0.1:{server.server_port}/hook")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield box["receiver"]
    finally:
        server.shutdown()
        server.server_close()
