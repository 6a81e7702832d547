"""The inline pool (no Redis): submit → render → stored video, failures, cancel, idempotency."""

from __future__ import annotations

import os
import time
import uuid

import pytest
from sqlalchemy import func, select

from app.db.engine import session_scope
from app.db.models import Job, JobEvent, Video
from app.generators.offline.catalogue import registry
from app.jobs import service
from app.jobs.backends import InlineBackend, get_backend
from app.jobs.runner import execute
from app.settings import Settings
from app.storage import LocalStorage, StorageError, get_storage
from tests.helpers import make_user, queued_job, wait_for
from tests.jobs.conftest import alive, job_processes, scene, spinning_scene

pytestmark = pytest.mark.render


def wait_final(settings: Settings, job_id: str, timeout: float = 120) -> service.JobView:
    view = wait_for(
        lambda: (v := service.status(settings=settings, job_id=job_id)).finished and v, timeout
    )
    assert view, f"job {job_id} did not finish in {timeout} s"
    return view


def events(settings: Settings, job_id: str) -> list[tuple[str, str | None]]:
    with session_scope(settings) as session:
        rows = session.scalars(
            select(JobEvent).where(JobEvent.job_id == job_id).order_by(JobEvent.id)
        ).all()
        return [(e.state, e.stage) for e in rows]


def test_inline_submit_renders_and_stores_the_video(job_settings):
    owner = make_user(job_settings)
    backend = get_backend(job_settings)
    assert isinstance(backend, InlineBackend)
    view = service.submit(settings=job_settings, owner_id=owner, code=scene("text_scene"))
    assert view.state in ("queued", "running")
    done = wait_final(job_settings, view.job_id)
    assert done.state == "succeeded", done.error
    assert done.error is None and done.progress == 1.0 and done.stage is None
    assert done.started_at and done.finished_at and done.created_at <= done.started_at
    assert done.attempts == 1 and done.attempt_log[0]["error_kind"] is None
    assert done.generator_used == "user"
    storage = get_storage(job_settings)
    assert storage.exists(done.video) and storage.exists(done.thumbnail)
    assert done.video_url and done.thumbnail_url
    with session_scope(job_settings) as session:
        video = session.scalars(select(Video).where(Video.job_id == view.job_id)).one()
        job = session.get(Job, view.job_id)
        assert (video.width, video.height) == (854, 480)
        assert video.duration_s == pytest.approx(2.0, abs=0.2)
        assert video.size_bytes > 0 and video.visibility == "private"
        assert video.share_token is None and video.title == "TextScene"
        assert job.worker_id.startswith("inline:")
        # Stored with the video, and what the job view shows.
        assert video.description["timeline"][0] == {"t": 0.0, "text": "Appears: “Photosynthesis”."}
    assert done.description is not None and done.description.source == "observed"
    assert done.description.moments[0].text == "Appears: “Photosynthesis”."
    history = events(job_settings, view.job_id)
    assert history[0] == ("queued", None)
    assert history[1] == ("running", None)
    assert ("running", "validating") in history and ("running", "rendering") in history
    assert ("running", "storing") in history
    assert history[-1] == ("succeeded", None)
    # Nothing is left in the local render folder: the media store has the files.
    assert not list((job_settings.data_dir / "renders").glob("*.mp4"))


def test_executing_a_finished_job_again_renders_nothing(sqlite_job_settings, monkeypatch):
    settings = sqlite_job_settings
    owner = make_user(settings)
    view = service.submit(settings=settings, owner_id=owner, code=scene("text_scene"))
    done = wait_final(settings, view.job_id)
    assert done.state == "succeeded"
    before = events(settings, view.job_id)

    def must_not_render(**_kwargs):
        raise AssertionError("a finished job was rendered again")

    monkeypatch.setattr("app.jobs.runner.run_job", must_not_render)
    assert execute(view.job_id, settings, "second-delivery") is None
    assert execute(view.job_id, settings, "third-delivery") is None
    with session_scope(settings) as session:
        assert session.scalar(select(func.count()).select_from(Video)) == 1
    assert events(settings, view.job_id) == before
    assert service.status(settings=settings, job_id=view.job_id).finished_at == done.finished_at


def test_prompt_job_records_template_and_title(sqlite_job_settings):
    settings = sqlite_job_settings
    owner = make_user(settings)
    view = service.submit(
        settings=settings,
        owner_id=owner,
        prompt="show why the area of a circle is pi r squared",
        generator="offline",
    )
    done = wait_final(settings, view.job_id)
    assert done.state == "succeeded", done.error
    assert done.template and done.generator_used == f"offline:{done.template}"
    assert ("running", "generating") in events(settings, view.job_id)
    with session_scope(settings) as session:
        job = session.get(Job, view.job_id)
        assert job.code and "class" in job.code
        assert job.video.title == "show why the area of a circle is pi r squared"


def test_a_failing_scene_fails_the_job_with_one_sentence(sqlite_job_settings):
    settings = sqlite_job_settings
    owner = make_user(settings)
    code = (
        "from manim import *\n\nclass Broken(Scene):\n"
        "    def construct(self):\n        self.play(Create(Circle()))\n        1 / 0\n"
    )
    view = service.submit(settings=settings, owner_id=owner, code=code)
    done = wait_final(settings, view.job_id)
    assert done.state == "failed"
    assert done.error["kind"] == "render"
    assert done.error["message"].endswith(".") and "\n" not in done.error["message"]
    assert done.video is None
    with session_scope(settings) as session:
        assert session.scalar(select(func.count()).select_from(Video)) == 0


def test_cancel_of_a_running_job_kills_its_sandbox(job_settings):
    owner = make_user(job_settings)
    token = uuid.uuid4().hex[:8]
    view = service.submit(settings=job_settings, owner_id=owner, code=spinning_scene(150, token))

    def rendering() -> bool:
        v = service.status(settings=job_settings, job_id=view.job_id)
        return v.state == "running" and v.stage == "rendering" and bool(job_processes(os.getpid()))

    assert wait_for(rendering, 60), service.status(settings=job_settings, job_id=view.job_id)
    processes = job_processes(os.getpid())
    asked = time.monotonic()
    outcome = service.cancel(settings=job_settings, job_id=view.job_id)
    assert (outcome.state, outcome.accepted) == ("running", True)
    done = wait_final(job_settings, view.job_id, timeout=15)
    assert done.state == "cancelled"
    assert time.monotonic() - asked < 5
    assert done.error == {"kind": "cancelled", "message": "The job was cancelled."}
    assert done.video is None
    assert wait_for(lambda: not alive(processes), 5)
    assert alive(processes) == set()
    assert job_processes(os.getpid()) == set()


def test_a_store_that_fails_gives_the_job_back_to_the_queue(sqlite_job_settings, monkeypatch):
    settings = sqlite_job_settings
    owner = make_user(settings)
    job_id = queued_job(settings, owner, scene("text_scene"))

    class FullStorage(LocalStorage):
        def put_file(self, key, path, content_type):
            raise StorageError("The media store is full.", detail="no space left")

    monkeypatch.setattr("app.jobs.runner.get_storage", lambda s: FullStorage(s.media_root))
    requeued = []
    with pytest.raises(StorageError):
        execute(job_id, settings, "full-store", enqueue=lambda *args: requeued.append(args))
    assert requeued == [(job_id, 1, "preview")]
    with session_scope(settings) as session:
        job = session.get(Job, job_id)
        assert job.state == "queued" and job.requeues == 1
        assert session.scalar(select(func.count()).select_from(Video)) == 0


def test_a_prompt_no_template_covers_keeps_its_suggestions(job_settings):
    owner = make_user(job_settings)
    view = service.submit(
        settings=job_settings,
        owner_id=owner,
        prompt="Show the water cycle: evaporation, condensation and rain",
        generator="offline",
    )
    done = wait_final(job_settings, view.job_id)
    assert done.state == "failed" and done.error is not None
    assert done.error["kind"] == "no_template"
    suggested = done.error["suggestions"]
    assert len(suggested) == 3 and set(suggested) <= set(registry())
