"""Fixtures for the app's page tests: settings on a throwaway data dir, accounts, seeded
videos, AppTest.

Pages run in-process under `streamlit.testing.v1.AppTest` with the inline queue and the
offline generator (no Redis, no LLM). Videos for gallery and watch tests are seeded straight
into the database with small placeholder media files, so only tests marked `render` render.

A session is signed in the way streamlit-authenticator leaves it after a good password
(`authentication_status` True and `username`); the app's gate then reads the account from
the database on every run, as it does in production.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from app.accounts.users import get_or_create_user
from app.db.engine import session_scope
from app.db.migrate import ensure_schema
from app.db.models import Job, Video, utcnow
from app.jobs.backends import shutdown_inline_pools
from app.settings import Settings, get_settings
from tests.db_fixtures import copy_sqlite_at_head
from tests.helpers import make_account

ROOT = Path(__file__).resolve().parents[2]
ENTRY = ROOT / "streamlit_app.py"
# Small, quick previews: page tests check the flow, not the picture.
FAST_PRESETS = {"preview": {"width": 426, "height": 240, "fps": 10, "timeout_s": 120}}


@pytest.fixture
def ui_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """The app's settings (read from the environment, as in production) on a tmp data dir."""
    monkeypatch.setenv("CHALK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CHALK_QUALITY_PRESETS", json.dumps(FAST_PRESETS))
    monkeypatch.setenv("CHALK_INLINE_WORKERS", "1")
    # No warm sandbox: the app would start one (bubblewrap + the Manim import, ~7 s of CPU on
    # two cores) on each test's fresh data dir, only for the teardown to wait for it and close
    # it. The page tests that render still render, in a cold sandbox; warm rendering has its
    # own tests (tests/test_warm.py) and the browser tests run the app as `make run` does.
    monkeypatch.setenv("CHALK_WARM_POOL", "false")
    for name in ("CHALK_REDIS_URL", "CHALK_DATABASE_URL", "CHALK_S3_BUCKET", "CHALK_LLM_MODEL"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    settings = get_settings()
    copy_sqlite_at_head(settings)
    ensure_schema(settings)
    yield settings
    # The app warms its worker pool on a background thread; let it finish before the pool
    # (and the data dir) go away, or it would start a reconciler on a dead pool.
    for thread in threading.enumerate():
        if thread.name == "chalk-prewarm":
            thread.join(timeout=120)
    shutdown_inline_pools(wait=True)
    get_settings.cache_clear()


def teacher_id(settings: Settings) -> int:
    """The id of the teacher the page tests sign in as (made on first use)."""
    return make_account(settings, "teacher").id


def sign_in(at: AppTest, username: str) -> AppTest:
    """Mark the AppTest session as signed in as `username` (takes effect on the next run)."""
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    return at


def seed_video(
    settings: Settings,
    *,
    title: str,
    prompt: str | None = None,
    template: str | None = "function_graph",
    owner: str = "teacher",
    created_at: datetime | None = None,
    visibility: str = "private",
    share_token: str | None = None,
    code: str | None = "from manim import *\n\nclass Demo(Scene):\n    pass\n",
    quality: str = "preview",
    description: dict | None = None,
) -> str:
    """A finished job and its video with placeholder media files; returns the video id."""
    media = settings.media_root
    with session_scope(settings) as session:
        user = get_or_create_user(session, owner, "teacher")
        session.flush()
        moment = created_at or utcnow()
        job = Job(
            owner_id=user.id,
            prompt=prompt if prompt is not None else title,
            generator="offline",
            generator_used=f"offline:{template}" if template else "user",
            template=template,
            code=code,
            quality=quality,
            state="succeeded",
            progress=1.0,
            created_at=moment,
            finished_at=moment,
        )
        session.add(job)
        session.flush()
        key = f"videos/{job.id}"
        video = Video(
            job_id=job.id,
            owner_id=user.id,
            title=title,
            duration_s=7.4,
            width=854,
            height=480,
            size_bytes=16,
            storage_key=f"{key}.mp4",
            thumbnail_key=f"{key}.png",
            visibility=visibility,
            share_token=share_token,
            created_at=moment,
            description=description,
        )
        session.add(video)
        session.flush()
        video_id = video.id
    (media / "videos").mkdir(parents=True, exist_ok=True)
    (media / f"{key}.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42placeholder")
    (media / f"{key}.png").write_bytes(THUMBNAIL_PNG)
    return video_id


def seed_job(settings: Settings, **fields: object) -> str:
    """A job of the default teacher in any state (running, failed…); returns its id.

    A running job has a fresh heartbeat, as one a live worker runs: the app's reconciler
    (started with the app) would otherwise take it for lost and release it mid-test.
    """
    if fields.get("state") == "running":
        fields.setdefault("heartbeat_at", utcnow())
    owner_id = teacher_id(settings)
    with session_scope(settings) as session:
        job = Job(owner_id=owner_id, created_at=utcnow(), **fields)
        session.add(job)
        session.flush()
        return job.id


def app_test(page: str | None = None, *, user: str | None = "teacher", **query: str) -> AppTest:
    """The whole app (entry file and navigation), run once, on `page` if given.

    Signed in as `user` (a teacher account made on first use), or a visitor with None.
    """
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    if user is not None:
        make_account(get_settings(), user)
        sign_in(at, user)
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    if page is not None:
        at.switch_page(page)
        at.run()
    return at


def texts(elements: Iterable[Any]) -> list[str]:
    """The text values of a sequence of AppTest elements (markdown, captions, alerts…)."""
    return [str(getattr(element, "value", "")) for element in elements]


# A 1×1 transparent PNG.
THUMBNAIL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)
