"""Create → Lesson: scenes to add, reorder and remove, one render for all, and the joined
video with chapter navigation. The rules live in app/lessons/service.py; this only draws."""

from __future__ import annotations

from itertools import count
from typing import Any

import streamlit as st

from app.errors import ChalkError
from app.generators.offline import list_templates
from app.lessons import service
from app.lessons.service import LessonNotFound, LessonView, SceneSpec
from app.settings import Settings
from app.ui import formatting
from app.ui.lesson_player import chapter_player

SCENE_STATE_LABELS = {
    "waiting": ":material/schedule: waiting",
    "queued": ":material/schedule: queued",
    "running": ":material/autorenew: rendering",
    "succeeded": ":material/check_circle: rendered",
    "failed": ":material/error: failed",
    "cancelled": ":material/cancel: cancelled",
}
_uids = count(1)


def _scenes() -> list[dict[str, Any]]:
    """The scenes being edited: [{"uid", "text"}]; widget keys use the uid, so a scene's
    text stays with it when it moves."""
    scenes: list[dict[str, Any]] = st.session_state.setdefault("lesson_scenes", [])
    if not scenes:
        scenes.append({"uid": next(_uids), "text": ""})
    return scenes


def _sync() -> None:
    """Copy the text areas into the scene list (they are the source while editing)."""
    for scene in st.session_state.get("lesson_scenes", []):
        scene["text"] = st.session_state.get(f"lesson_scene_{scene['uid']}", scene["text"])


def add_scene(text: str = "") -> None:
    _sync()
    scenes = _scenes()
    if len(scenes) >= service.MAX_SCENES:
        st.session_state["lesson_error"] = f"A lesson has at most {service.MAX_SCENES} scenes."
        return
    uid = next(_uids)
    scenes.append({"uid": uid, "text": text})
    st.session_state[f"lesson_scene_{uid}"] = text


def move_scene(index: int, step: int) -> None:
    _sync()
    scenes = _scenes()
    other = index + step
    if 0 <= other < len(scenes):
        scenes[index], scenes[other] = scenes[other], scenes[index]


def remove_scene(index: int) -> None:
    _sync()
    scenes = _scenes()
    gone = scenes.pop(index)
    st.session_state.pop(f"lesson_scene_{gone['uid']}", None)


def add_template() -> None:
    picked = st.session_state.get("lesson_template")
    example = {t.id: t.example_prompt for t in list_templates()}.get(picked or "")
    if example:
        add_scene(example)


def render_all(settings: Settings, owner_id: int, generator: str) -> None:
    _sync()
    st.session_state.pop("lesson_error", None)
    specs = [SceneSpec(text=s["text"], generator=generator) for s in _scenes()]
    title = st.session_state.get("lesson_title", "")
    quality = st.session_state.get("lesson_quality", "preview")
    lesson_id = st.session_state.get("lesson_id")
    try:
        if lesson_id:
            try:
                service.set_scenes(
                    settings=settings,
                    lesson_id=lesson_id,
                    owner_id=owner_id,
                    scenes=specs,
                    title=title,
                )
            except LessonNotFound:
                lesson_id = None
        if not lesson_id:
            lesson_id = service.create_lesson(
                settings=settings, owner_id=owner_id, scenes=specs, title=title, quality=quality
            ).id
            st.session_state["lesson_id"] = lesson_id
        service.render_lesson(settings=settings, lesson_id=lesson_id, owner_id=owner_id)
    except ChalkError as exc:
        st.session_state["lesson_error"] = exc.message


def new_lesson() -> None:
    for key in [k for k in st.session_state if str(k).startswith("lesson_")]:
        del st.session_state[key]


def open_lesson(lesson: LessonView, notice: str = "") -> None:
    """Show `lesson` in Lesson mode (a callback, before the widgets are drawn): its scenes in
    the editor, followed while it renders, with `notice` saying where it came from."""
    new_lesson()
    st.session_state["create_mode"] = "lesson"
    st.session_state["lesson_id"] = lesson.id
    st.session_state["lesson_title"] = lesson.title
    st.session_state["lesson_quality"] = lesson.quality
    scenes = [{"uid": next(_uids), "text": scene.text} for scene in lesson.scenes]
    st.session_state["lesson_scenes"] = scenes
    for scene in scenes:
        st.session_state[f"lesson_scene_{scene['uid']}"] = scene["text"]
    if notice:
        st.session_state["lesson_notice"] = notice


def scene_editor(generators: list[str], generator_labels: dict[str, str]) -> None:
    scenes = _scenes()
    st.text_input("Lesson title", key="lesson_title", placeholder="e.g. Straight lines")
    for index, scene in enumerate(scenes):
        key = f"lesson_scene_{scene['uid']}"
        st.session_state.setdefault(key, scene["text"])
        text_col, buttons = st.columns([6, 1], vertical_alignment="center")
        text_col.text_area(
            f"Scene {index + 1}",
            key=key,
            height=80,
            placeholder="e.g. graph y = 2x + 1",
        )
        with buttons:
            st.button(
                "Up",
                key=f"lesson_up_{scene['uid']}",
                icon=":material/arrow_upward:",
                on_click=move_scene,
                args=(index, -1),
                disabled=index == 0,
                help=f"Move scene {index + 1} up",
            )
            st.button(
                "Down",
                key=f"lesson_down_{scene['uid']}",
                icon=":material/arrow_downward:",
                on_click=move_scene,
                args=(index, 1),
                disabled=index == len(scenes) - 1,
                help=f"Move scene {index + 1} down",
            )
            st.button(
                "Remove",
                key=f"lesson_remove_{scene['uid']}",
                icon=":material/delete:",
                on_click=remove_scene,
                args=(index,),
                disabled=len(scenes) == 1,
                help=f"Remove scene {index + 1}",
            )
    add_col, template_col, template_add = st.columns([2, 3, 1], vertical_alignment="bottom")
    add_col.button("Add a scene", key="lesson_add", icon=":material/add:", on_click=add_scene)
    templates = list_templates()
    template_col.selectbox(
        "Or add a template's scene",
        [t.id for t in templates],
        format_func={t.id: t.title for t in templates}.__getitem__,
        key="lesson_template",
    )
    template_add.button("Add", key="lesson_add_template", on_click=add_template)
    gen_col, quality_col = st.columns(2)
    gen_col.selectbox(
        "Generator",
        generators,
        format_func=generator_labels.__getitem__,
        key="lesson_generator",
    )
    quality_col.selectbox(
        "Quality",
        ["preview", "standard", "high"],
        format_func=formatting.QUALITY_LABELS.__getitem__,
        key="lesson_quality",
    )


def scene_states(lesson: LessonView) -> None:
    for scene in lesson.scenes:
        label = SCENE_STATE_LABELS.get(scene.state, scene.state)
        st.caption(f"Scene {scene.position + 1}, {formatting.literal(scene.title)}: {label}")


def show_lesson(settings: Settings, lesson: LessonView) -> None:
    if lesson.state == "failed":
        st.error(
            formatting.literal(lesson.error or "The lesson did not render."),
            icon=":material/error:",
        )
        st.caption("Change that scene and render again: the other scenes are kept.")
        scene_states(lesson)
    elif lesson.state == "succeeded" and lesson.video:
        st.subheader(formatting.literal(lesson.title), anchor=False)
        if lesson.note:
            st.caption(f":material/info: {lesson.note}")
        chapter_player(
            settings,
            video_key=lesson.video,
            chapters=lesson.chapters,
            widget_key=f"lesson_player_{lesson.id}",
            captions_key=lesson.captions,
        )
        st.caption("The lesson is in your Gallery, where you can share and download it.")


def follow(settings: Settings, owner_id: int, lesson_id: str) -> None:
    @st.fragment(run_every=1.0)
    def progress() -> None:
        lesson = service.refresh(settings=settings, lesson_id=lesson_id, owner_id=owner_id)
        done = sum(1 for s in lesson.scenes if s.state == "succeeded")
        st.progress(
            done / max(len(lesson.scenes), 1),
            text=f"{done} of {len(lesson.scenes)} scenes rendered",
        )
        scene_states(lesson)
        if lesson.finished:
            st.rerun()

    progress()


def lesson_mode(
    settings: Settings, owner_id: int, generators: list[str], generator_labels: dict[str, str]
) -> None:
    """The whole Lesson mode of the Create page."""
    lesson = None
    lesson_id = st.session_state.get("lesson_id")
    if lesson_id:
        try:
            lesson = service.get_lesson(settings=settings, lesson_id=lesson_id, owner_id=owner_id)
        except LessonNotFound:
            st.session_state.pop("lesson_id", None)
    busy = lesson is not None and not lesson.finished
    scene_editor(generators, generator_labels)
    left, right = st.columns(2)
    left.button(
        "Render lesson",
        key="lesson_render",
        type="primary",
        icon=":material/movie:",
        disabled=busy,
        on_click=render_all,
        args=(settings, owner_id, st.session_state.get("lesson_generator", generators[0])),
    )
    right.button("New lesson", key="lesson_new", icon=":material/note_add:", on_click=new_lesson)
    if st.session_state.get("lesson_notice"):
        st.info(st.session_state["lesson_notice"], icon=":material/view_agenda:")
    if st.session_state.get("lesson_error"):
        st.error(st.session_state["lesson_error"], icon=":material/error:")
    if lesson is None:
        return
    if busy:
        follow(settings, owner_id, lesson.id)
    else:
        show_lesson(settings, lesson)
