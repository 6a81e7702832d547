"""Create → Lesson under AppTest: add, reorder and remove scenes, render all (a fake
renderer makes real MP4s), watch with chapter buttons; the gallery and the Watch page play a
lesson by chapter."""

from __future__ import annotations

import time

import pytest

from app.db.engine import session_scope
from app.db.models import Lesson, Video
from app.jobs import service as jobs
from app.lessons import service
from app.settings import get_settings
from tests.lessons.clips import FakeRenderer
from tests.ui.conftest import app_test, seed_video, teacher_id, texts

GALLERY = "pages/gallery.py"
WATCH = "pages/watch.py"


@pytest.fixture
def renderer(monkeypatch, tmp_path) -> FakeRenderer:
    fake = FakeRenderer(tmp_path / "fake-renders")
    monkeypatch.setattr("app.pipeline.cached_render.render_code", fake)
    return fake


def scene_boxes(at) -> list[tuple[str, str]]:
    return [(t.label, t.value) for t in at.text_area if t.key.startswith("lesson_scene_")]


def button(at, key: str):
    return next(b for b in at.button if b.key == key)


def test_lesson_mode_edits_renders_and_plays_by_chapter(ui_settings, renderer):
    at = app_test()
    at.radio(key="create_mode").set_value("lesson").run()
    assert not at.exception
    assert scene_boxes(at) == [("Scene 1", "")]
    # Three scenes: type two, add one from a template, then reorder and remove.
    first = at.text_area[0]
    first.input("area of a circle of radius 2")
    button(at, "lesson_add").click().run()
    at.text_area(key=scene_boxes_keys(at)[1]).input("graph y = 2x + 1")
    at.selectbox(key="lesson_template").set_value("pythagorean_theorem")
    button(at, "lesson_add_template").click().run()
    assert [v for _, v in scene_boxes(at)][:2] == [
        "area of a circle of radius 2",
        "graph y = 2x + 1",
    ]
    assert len(scene_boxes(at)) == 3
    third_text = scene_boxes(at)[2][1]
    uid = scene_boxes_keys(at)[1].removeprefix("lesson_scene_")
    button(at, f"lesson_up_{uid}").click().run()  # graph first
    assert [v for _, v in scene_boxes(at)] == [
        "graph y = 2x + 1",
        "area of a circle of radius 2",
        third_text,
    ]
    button(at, "lesson_add").click().run()
    last = scene_boxes_keys(at)[3].removeprefix("lesson_scene_")
    button(at, f"lesson_remove_{last}").click().run()
    assert len(scene_boxes(at)) == 3
    at.text_input(key="lesson_title").input("Lines and shapes")
    button(at, "lesson_render").click().run()
    assert not at.exception, [e.value for e in at.exception]
    deadline = time.monotonic() + 90
    while not at.get("video") and time.monotonic() < deadline:
        time.sleep(0.5)
        at.run()
    assert at.get("video"), texts(at.caption) + texts(at.error)
    assert sorted(renderer.rendered) == ["CircleArea", "FunctionGraph", "PythagoreanTheorem"]
    chapters = [b for b in at.button if "_chapter_" in (b.key or "")]
    labels = [b.label.replace("\\", "") for b in chapters]  # labels are escaped markdown
    assert len(labels) == 3
    assert labels[0].startswith("1. graph y = 2x + 1 · 0:00")
    assert labels[1].startswith("2. area of a circle of radius 2 · 0:01")
    assert labels[2].startswith("3. ") and labels[2].endswith("· 0:02")
    assert at.get("video")[0].proto.start_time == 0
    chapters[1].click().run()  # the second chapter starts at 1 s (the graph scene's length)
    assert at.get("video")[0].proto.start_time == 1

    # The gallery shows the lesson with its chapters.
    lessons = service.list_lessons(settings=get_settings(), owner_id=teacher_id(get_settings()))
    assert [lesson.title for lesson in lessons] == ["Lines and shapes"]
    at.switch_page(GALLERY).run()
    assert not at.exception
    captions = texts(at.caption)
    assert any("Lesson · 3 chapters" in c and "graph y" in c for c in captions), (
        captions + texts(at.error) + texts(at.markdown)
    )


def scene_boxes_keys(at) -> list[str]:
    return [t.key for t in at.text_area if t.key.startswith("lesson_scene_")]


def test_an_empty_scene_is_refused_in_one_sentence(ui_settings, renderer):
    at = app_test()
    at.radio(key="create_mode").set_value("lesson").run()
    button(at, "lesson_render").click().run()
    assert texts(at.error) == ["Scene 1 is empty; write what it should show."]
    assert renderer.rendered == []


def test_a_prompt_that_asks_for_two_things_becomes_a_lesson_of_two_scenes(ui_settings, renderer):
    at = app_test()
    at.text_area(key="create_prompt").input("graph y = 2x + 1, then show its gradient")
    at.form_submit_button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "create_job" not in at.session_state  # no single job: a lesson
    assert at.session_state["create_mode"] == "lesson"
    assert texts(at.info)[0].startswith("Your prompt asks for 2 things")
    [lesson] = service.list_lessons(settings=get_settings(), owner_id=teacher_id(ui_settings))
    assert lesson.title == "graph y = 2x + 1, then show its gradient"
    assert [v for _, v in scene_boxes(at)] == [s.text for s in lesson.scenes]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not all(
        s.state == "succeeded"
        for s in service.get_lesson(
            settings=get_settings(), lesson_id=lesson.id, owner_id=lesson.owner_id
        ).scenes
    ):
        time.sleep(0.2)
    made = [
        jobs.status(settings=get_settings(), job_id=s.job_id)
        for s in service.get_lesson(
            settings=get_settings(), lesson_id=lesson.id, owner_id=lesson.owner_id
        ).scenes
    ]
    assert [(j.state, j.template) for j in made] == [
        ("succeeded", "function_graph"),
        ("succeeded", "straight_line_graph"),
    ]
    assert made[0].params["expression"] == "2*x + 1"
    assert (made[1].params["m"], made[1].params["c"]) == (2.0, 1.0)


def test_a_prompt_that_asks_for_one_thing_stays_one_video(ui_settings, renderer):
    at = app_test()
    at.text_area(key="create_prompt").input("sin and cos on the same axes, then label them")
    at.form_submit_button[0].click().run()
    assert not at.exception
    assert at.session_state["create_job"]
    assert service.list_lessons(settings=get_settings(), owner_id=teacher_id(ui_settings)) == []


def seed_lesson(settings, video_id: str, chapters: list[tuple[str, float, float]]) -> None:
    """A finished lesson whose joined video is `video_id` (seeded, no render)."""
    with session_scope(settings) as session:
        owner_id = session.get(Video, video_id).owner_id
        session.add(
            Lesson(
                owner_id=owner_id,
                title="Lines and shapes",
                state="succeeded",
                video_id=video_id,
                chapters=[{"title": t, "start": s, "end": e} for t, s, e in chapters],
            )
        )


def test_the_watch_page_plays_a_shared_lesson_by_chapter_and_a_video_without(ui_settings):
    lesson = seed_video(ui_settings, title="Lines and shapes", visibility="link", share_token="les")
    seed_lesson(ui_settings, lesson, [("The line", 0.0, 4.0), ("The circle", 4.0, 9.5)])
    seed_video(ui_settings, title="A plain video", visibility="link", share_token="vid")
    # A visitor (no sign-in) on the lesson's link: one button per chapter, each starts there.
    at = app_test(WATCH, user=None, v="les")
    assert not at.exception, [e.value for e in at.exception]
    chapters = [b for b in at.button if (b.key or "").startswith("watch_lesson_chapter_")]
    assert [b.label.replace("\\", "") for b in chapters] == [
        "1. The line · 0:00",
        "2. The circle · 0:04",
    ]
    assert at.get("video")[0].proto.start_time == 0
    chapters[1].click().run()
    assert at.get("video")[0].proto.start_time == 4
    assert at.get("video")[0].proto.autoplay
    # A video that is not a lesson has no chapters.
    at = app_test(WATCH, user=None, v="vid")
    assert not at.exception
    assert not [b for b in at.button if "_chapter_" in (b.key or "")]
    assert len(at.get("video")) == 1


def test_the_gallery_player_of_a_lesson_starts_at_the_chosen_chapter(ui_settings):
    lesson = seed_video(ui_settings, title="Lines and shapes")
    seed_lesson(ui_settings, lesson, [("The line", 0.0, 4.0), ("The circle", 4.0, 9.5)])
    seed_video(ui_settings, title="A plain video")
    at = app_test(GALLERY)
    assert not at.exception, [e.value for e in at.exception]
    # The card lists the chapters; the player (once opened) has a button for each.
    assert any("Lesson · 2 chapters" in c and "The circle" in c for c in texts(at.caption))
    at.session_state[f"gallery_watch_{lesson}"] = True
    at.run()
    chapters = [b for b in at.button if (b.key or "").startswith(f"gallery_lesson_{lesson}_")]
    assert [b.label.replace("\\", "") for b in chapters] == [
        "1. The line · 0:00",
        "2. The circle · 0:04",
    ]
    chapters[1].click().run()
    assert at.get("video")[0].proto.start_time == 4
