"""Narration on the pages: the Create form's "Narrate" toggle reaches the job; players show a
narrated video's captions (first track, on) and offer them as SRT."""

from __future__ import annotations

from sqlalchemy import select

from app.db.engine import session_scope
from app.db.models import Job, Video
from app.jobs import runner
from app.pipeline.result import JobResult
from app.settings import get_settings
from app.ui import media
from tests.ui.conftest import app_test, seed_video

VTT = "WEBVTT\n\n00:00:00.070 --> 00:00:01.869\nHere is a circle.\n"


def test_the_narrate_toggle_and_its_choices_reach_the_job(ui_settings, monkeypatch):
    monkeypatch.setattr(runner, "run_job", lambda **kwargs: JobResult(status="failed"))
    at = app_test()
    at.text_area(key="create_prompt").input("Plot y = sin(x)")
    at.toggle(key="create_narrate").set_value(True)
    at.selectbox(key="create_language").set_value("fr")
    at.selectbox(key="create_speed").set_value(1.25)
    at.checkbox(key="create_burn_captions").check()
    at.form_submit_button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    with session_scope(get_settings()) as session:
        narration = session.scalars(select(Job.narration)).one()
    # French: the natural English voice does not speak it, so the server's engine picks.
    assert narration == {
        "enabled": True,
        "engine": "",
        "voice": "",
        "language": "fr",
        "speed": 1.25,
        "burn_captions": True,
    }


def test_a_silent_submit_stores_no_narration(ui_settings, monkeypatch):
    monkeypatch.setattr(runner, "run_job", lambda **kwargs: JobResult(status="failed"))
    at = app_test()
    at.text_area(key="create_prompt").input("Plot y = sin(x)")
    at.form_submit_button[0].click().run()
    with session_scope(get_settings()) as session:
        assert session.scalars(select(Job.narration)).one() is None


def test_captions_beside_a_video_become_its_first_track_and_an_srt(ui_settings):
    settings = get_settings()
    video_id = seed_video(settings, title="Circle", visibility="link", share_token="tok-spoken")
    with session_scope(settings) as session:
        key = session.get(Video, video_id).storage_key
    assert media.captions_text(settings, key) is None  # a silent video has none
    (settings.media_root / key.replace(".mp4", ".captions.vtt")).write_text(VTT)
    assert media.captions_text(settings, key) == VTT
    tracks = media.subtitle_tracks("WEBVTT\n", VTT)
    assert list(tracks) == [media.CAPTIONS_TRACK, "Off", media.DESCRIPTION_TRACK]
    assert list(media.subtitle_tracks("WEBVTT\n", None)) == ["Off", media.DESCRIPTION_TRACK]
    at = app_test("pages/watch.py", v="tok-spoken")
    assert not at.exception, [e.value for e in at.exception]
    labels = [element.proto.label for element in at.get("download_button")]
    assert "Download captions (SRT)" in labels
