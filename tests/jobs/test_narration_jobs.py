"""Narration settings travel with a job: stored by submit, shown by status, handed to the
worker's run_job (no rendering here: run_job is replaced by a recorder)."""

from __future__ import annotations

from app.jobs import runner, service
from app.pipeline.result import JobResult
from app.speech.captions import captions_key
from app.speech.options import NarrationOptions
from tests.helpers import make_user
from tests.jobs.conftest import scene
from tests.jobs.recording import RecordingBackend


def test_narration_is_stored_shown_and_given_to_the_worker(job_settings, monkeypatch):
    owner = make_user(job_settings)
    options = NarrationOptions(voice="joe", language="en", speed=1.25, burn_captions=True)
    view = service.submit(
        settings=job_settings,
        owner_id=owner,
        code=scene("narrated_scene"),
        backend=RecordingBackend(),
        narration=options,
    )
    shown = service.status(settings=job_settings, job_id=view.job_id).to_json()
    assert shown["narration"] == options.to_json() and shown["captions"] is None
    seen: list[object] = []

    def recording_run_job(**kwargs: object) -> JobResult:
        seen.append(kwargs.get("narration"))
        return JobResult(status="failed")

    monkeypatch.setattr(runner, "run_job", recording_run_job)
    runner.execute(view.job_id, job_settings, "test-worker")
    assert seen == [options]


def test_a_silent_job_has_no_narration(job_settings):
    owner = make_user(job_settings)
    view = service.submit(
        settings=job_settings,
        owner_id=owner,
        prompt="a circle",
        backend=RecordingBackend(),
        narration=NarrationOptions(enabled=False),
    )
    shown = service.status(settings=job_settings, job_id=view.job_id)
    assert shown.narration is None and shown.captions is None


def test_captions_key_sits_beside_the_video_key():
    assert captions_key("renders/abc.mp4") == "renders/abc.captions.vtt"
