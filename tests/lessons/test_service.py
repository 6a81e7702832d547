"""Lessons through the job service: scenes render as jobs, join into a gallery video with
chapters; a failing scene is named; only a changed scene renders again; owners only."""

from __future__ import annotations

import json
import subprocess
from datetime import timedelta

import pytest
from sqlalchemy import update

from app.db.engine import session_scope
from app.db.models import Job, Lesson, Video, utcnow
from app.jobs import service as jobs
from app.lessons import service
from app.lessons.service import LessonNotFound, SceneSpec
from app.storage import get_storage
from tests.helpers import make_user, wait_for
from tests.lessons.clips import scene_code


def code(seconds: float, label: str) -> SceneSpec:
    return SceneSpec(text=scene_code(seconds, label), kind="code")


def follow(settings, lesson_id, owner_id, timeout=60.0):
    lesson = wait_for(
        lambda: (
            (
                v := service.refresh(settings=settings, lesson_id=lesson_id, owner_id=owner_id)
            ).finished
            and v
        ),
        timeout,
        every=0.2,
    )
    assert lesson, f"lesson {lesson_id} did not finish in {timeout} s"
    return lesson


def test_a_three_scene_lesson_renders_as_jobs_and_joins_into_a_gallery_video(lesson_settings):
    s = lesson_settings
    owner = make_user(s)
    lesson = service.create_lesson(
        settings=s,
        owner_id=owner,
        scenes=[code(2, "Graph"), code(3, "Gradient"), code(1.4, "Summary")],
        title="Straight lines",
    )
    assert lesson.state == "draft" and [sc.state for sc in lesson.scenes] == ["waiting"] * 3
    lesson = service.render_lesson(settings=s, lesson_id=lesson.id, owner_id=owner)
    assert lesson.state == "rendering"
    done = follow(s, lesson.id, owner)
    assert done.state == "succeeded", done.error
    assert [sc.state for sc in done.scenes] == ["succeeded"] * 3
    assert done.duration_s == pytest.approx(6.4, abs=0.2)
    assert [(c.title, c.start, c.end) for c in done.chapters] == [
        ("Scene 1", 0.0, 2.0),
        ("Scene 2", 2.0, 5.0),
        ("Scene 3", 5.0, 6.4),
    ]
    assert done.captions is None and done.note == ""
    storage = get_storage(s)
    path = storage.local_path(done.video)
    probed = json.loads(
        subprocess.run(
            ["ffprobe", "-v", "error", "-print_format", "json", "-show_chapters", str(path)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert len(probed["chapters"]) == 3
    # The joined video is an ordinary gallery video of the owner, with a text description
    # that names its chapters.
    with session_scope(s) as session:
        video = session.get(Video, done.video_id)
        assert video.owner_id == owner and video.title == "Straight lines"
        assert video.job.generator == "lesson" and video.job.state == "succeeded"
        assert video.description["timeline"][0] == {"t": 0.0, "text": "Scene 1: Scene 1."}
        assert storage.exists(video.thumbnail_key)
    assert service.chapters_by_video(settings=s, video_ids=[done.video_id, "nope"]) == {
        done.video_id: done.chapters
    }


def test_a_failing_scene_is_named_and_only_it_renders_again_once_changed(lesson_settings, renderer):
    s = lesson_settings
    owner = make_user(s)
    broken = SceneSpec(text="import os\n" + scene_code(1, "Broken"), kind="code")
    lesson = service.create_lesson(
        settings=s, owner_id=owner, scenes=[code(1, "First"), broken, code(1.2, "Third")]
    )
    lesson = service.render_lesson(settings=s, lesson_id=lesson.id, owner_id=owner)
    failed = wait_for(
        lambda: (
            (v := service.refresh(settings=s, lesson_id=lesson.id, owner_id=owner)).state
            == "failed"
            and all(sc.state not in ("queued", "running") for sc in v.scenes)
            and v
        ),
        60,
        every=0.2,
    )
    assert failed, "the lesson did not fail"
    assert failed.error.startswith("Scene 2 failed: ")
    assert "os" in failed.error  # the policy's own sentence says what is not allowed
    # The other scenes rendered anyway.
    assert [sc.state for sc in failed.scenes] == ["succeeded", "failed", "succeeded"]
    kept = [failed.scenes[0].job_id, failed.scenes[2].job_id]
    assert sorted(renderer.rendered) == ["First", "Third"]

    fixed = service.set_scenes(
        settings=s,
        lesson_id=lesson.id,
        owner_id=owner,
        scenes=[code(1, "First"), code(0.8, "Fixed"), code(1.2, "Third")],
    )
    assert [sc.job_id for sc in fixed.scenes][::2] == kept
    service.render_lesson(settings=s, lesson_id=lesson.id, owner_id=owner)
    done = follow(s, lesson.id, owner)
    assert done.state == "succeeded", done.error
    assert sorted(renderer.rendered) == ["First", "Fixed", "Third"]  # only the changed one
    assert [done.scenes[0].job_id, done.scenes[2].job_id] == kept
    assert done.duration_s == pytest.approx(3.0, abs=0.2)


def test_reordering_keeps_every_render_and_the_new_join_replaces_the_old_video(
    lesson_settings, renderer
):
    s = lesson_settings
    owner = make_user(s)
    lesson = service.create_lesson(
        settings=s, owner_id=owner, scenes=[code(1, "One"), code(2, "Two")]
    )
    service.render_lesson(settings=s, lesson_id=lesson.id, owner_id=owner)
    first = follow(s, lesson.id, owner)
    service.set_scenes(
        settings=s, lesson_id=lesson.id, owner_id=owner, scenes=[code(2, "Two"), code(1, "One")]
    )
    service.render_lesson(settings=s, lesson_id=lesson.id, owner_id=owner)
    second = follow(s, lesson.id, owner)
    assert renderer.rendered == ["One", "Two"] or renderer.rendered == ["Two", "One"]
    assert [c.end for c in second.chapters] == [2.0, 3.0]
    assert second.video_id != first.video_id
    with session_scope(s) as session:
        assert session.get(Video, first.video_id) is None  # the old join is gone
        assert session.query(Job).filter_by(generator="lesson").count() == 1


def test_another_users_lesson_is_invisible(lesson_settings):
    s = lesson_settings
    owner, other = make_user(s, "ada"), make_user(s, "bob")
    lesson = service.create_lesson(settings=s, owner_id=owner, scenes=[code(1, "Mine")])
    for call in (
        lambda: service.get_lesson(settings=s, lesson_id=lesson.id, owner_id=other),
        lambda: service.render_lesson(settings=s, lesson_id=lesson.id, owner_id=other),
        lambda: service.set_scenes(
            settings=s, lesson_id=lesson.id, owner_id=other, scenes=[code(1, "Theirs")]
        ),
        lambda: service.delete_lesson(settings=s, lesson_id=lesson.id, owner_id=other),
    ):
        with pytest.raises(LessonNotFound):
            call()
    assert service.list_lessons(settings=s, owner_id=other) == []
    assert [x.id for x in service.list_lessons(settings=s, owner_id=owner)] == [lesson.id]


def test_empty_scenes_and_too_many_scenes_are_refused_in_one_sentence(lesson_settings):
    s = lesson_settings
    owner = make_user(s)
    with pytest.raises(jobs.ChalkError, match="Scene 2 is empty"):
        service.create_lesson(
            settings=s, owner_id=owner, scenes=[SceneSpec("a circle"), SceneSpec("  ")]
        )
    with pytest.raises(jobs.ChalkError, match="at most 12 scenes"):
        service.create_lesson(settings=s, owner_id=owner, scenes=[SceneSpec("a circle")] * 13)


def test_a_narrated_lesson_narrates_every_scene_job(lesson_settings):
    s = lesson_settings
    owner = make_user(s)
    narration = {"enabled": True, "engine": "espeak", "language": "fr"}
    lesson = service.create_lesson(
        settings=s, owner_id=owner, scenes=[code(1, "Un"), code(1, "Deux")], narration=narration
    )
    service.render_lesson(settings=s, lesson_id=lesson.id, owner_id=owner)
    done = follow(s, lesson.id, owner)
    assert done.state == "succeeded", done.error
    for scene in done.scenes:
        options = jobs.status(settings=s, job_id=scene.job_id).narration
        assert options is not None and options["enabled"]
        assert (options["engine"], options["language"]) == ("espeak", "fr")


def test_a_scene_repeating_another_scenes_video_joins_with_it(lesson_settings):
    s = lesson_settings
    owner = make_user(s)
    # The second scene's render is the first's (app/versions.py): its job adds no video of
    # its own and shows the first scene's, which the join uses twice.
    lesson = service.create_lesson(
        settings=s, owner_id=owner, scenes=[code(1, "Same"), code(1, "Same")]
    )
    service.render_lesson(settings=s, lesson_id=lesson.id, owner_id=owner)
    done = follow(s, lesson.id, owner)
    assert done.state == "succeeded", done.error
    assert len(done.chapters) == 2
    assert done.scenes[0].video == done.scenes[1].video is not None


def test_deleting_a_lesson_deletes_its_video_but_not_its_scenes_videos(lesson_settings):
    s = lesson_settings
    owner = make_user(s)
    lesson = service.create_lesson(settings=s, owner_id=owner, scenes=[code(1, "Kept")])
    service.render_lesson(settings=s, lesson_id=lesson.id, owner_id=owner)
    done = follow(s, lesson.id, owner)
    storage = get_storage(s)
    service.delete_lesson(settings=s, lesson_id=lesson.id, owner_id=owner)
    assert not storage.exists(done.video)
    assert storage.exists(done.scenes[0].video)
    with session_scope(s) as session:
        assert session.get(Video, done.video_id) is None


def test_a_join_lost_with_its_process_is_joined_again_by_the_next_refresh(lesson_settings):
    s = lesson_settings
    owner = make_user(s)
    lesson = service.create_lesson(settings=s, owner_id=owner, scenes=[code(1, "Lost")])
    service.render_lesson(settings=s, lesson_id=lesson.id, owner_id=owner)
    wait_for(
        lambda: (
            service.get_lesson(settings=s, lesson_id=lesson.id, owner_id=owner).scenes[0].state
            == "succeeded"
        ),
        60,
    )
    # A process claimed the join and died: the lesson says "joining", with nobody joining.
    with session_scope(s) as session:
        session.execute(
            update(Lesson)
            .where(Lesson.id == lesson.id)
            .values(state="joining", updated_at=utcnow() - timedelta(minutes=10))
        )
    done = service.refresh(settings=s, lesson_id=lesson.id, owner_id=owner)
    assert done.state == "succeeded" and done.video is not None
