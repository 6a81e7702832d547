"""Lessons as the app and the CLI use them: create, edit, render, follow, list, delete.

A lesson's scenes are rendered as ordinary jobs (app.jobs.service.submit: same quotas,
policy, sandbox and worker pool, in parallel), then `refresh` joins their videos into one
(app.lessons.join) once every scene has succeeded. The joined video is a gallery video of
the owner, held by a job row of generator "lesson", so sharing and download work as for any
video. A scene keeps its job while it is unchanged: rendering the lesson again renders only
the scenes that changed (or failed). Plain functions with keyword-only arguments; no
streamlit here.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, selectinload

from app.db.engine import outage_as_error, session_scope
from app.db.models import (
    ACTIVE_STATES,
    LESSON_GENERATOR,
    SCENE_KINDS,
    TITLE_MAX,
    Job,
    JobEvent,
    Lesson,
    LessonScene,
    Video,
    utcnow,
)
from app.description import Description, Moment
from app.errors import ChalkError, not_found_message
from app.generators.offline.asks import Ask, asks
from app.jobs import service as jobs
from app.jobs.queue import Backend
from app.lessons.join import Chapter, JoinError, SceneClip, join_scenes
from app.settings import Settings
from app.speech.captions import captions_key
from app.speech.options import NarrationOptions
from app.storage import Storage, StorageError, get_storage
from app.text import storable

log = logging.getLogger(__name__)

MAX_SCENES = 12
"""Most scenes in one lesson (each is a job; a lesson is a short class segment)."""

CHAPTER_TITLE_MAX = 80
"""Longest chapter title (the scene's prompt, shortened)."""

STALE_JOIN_S = 300
"""Seconds after which a lesson still "joining" is taken as lost (a join takes about one)."""

JOIN_FAILED = "The scenes rendered but could not be joined into one video; render the lesson again."


class LessonNotFound(LookupError):
    """No lesson with this id that the caller may see."""


@dataclass(frozen=True)
class SceneSpec:
    """A scene as a teacher gives it: a prompt (with its generator) or Manim code."""

    text: str
    kind: str = "prompt"
    generator: str = "auto"


@dataclass(frozen=True)
class SceneView:
    position: int
    kind: str
    text: str
    generator: str
    title: str
    job_id: str | None
    state: str  # "waiting" (not submitted yet), or the job's state
    error: str | None
    video: str | None  # the scene video's media key


@dataclass(frozen=True)
class LessonView:
    id: str
    owner_id: int
    title: str
    state: str
    error: str | None
    quality: str
    aspect: str
    narration: dict[str, Any] | None
    scenes: list[SceneView]
    chapters: list[Chapter] = field(default_factory=list)
    video_id: str | None = None
    video: str | None = None
    duration_s: float = 0.0
    captions: str | None = None
    note: str = ""

    @property
    def finished(self) -> bool:
        return self.state in ("succeeded", "failed", "draft")


def chapter_title(spec_text: str, kind: str, position: int) -> str:
    """A scene's chapter title: its prompt, shortened; code scenes are numbered."""
    words = " ".join(spec_text.split())
    if kind == "code" or not words:
        return f"Scene {position + 1}"
    if len(words) <= CHAPTER_TITLE_MAX:
        return words
    return words[: CHAPTER_TITLE_MAX - 1].rsplit(" ", 1)[0] + "…"


def _clean_scenes(scenes: Sequence[SceneSpec]) -> list[SceneSpec]:
    if not scenes:
        raise ChalkError("validation", "A lesson needs at least one scene; add a prompt.")
    if len(scenes) > MAX_SCENES:
        raise ChalkError(
            "validation", f"A lesson has at most {MAX_SCENES} scenes; split it into two lessons."
        )
    cleaned = []
    for number, spec in enumerate(scenes, 1):
        if spec.kind not in SCENE_KINDS:
            raise ChalkError("validation", f"Scene {number} must be a prompt or code.")
        text = storable(spec.text)
        if not text.strip():
            raise ChalkError("validation", f"Scene {number} is empty; write what it should show.")
        cleaned.append(
            SceneSpec(
                text=text if spec.kind == "code" else text.strip(),
                kind=spec.kind,
                generator=spec.generator,
            )
        )
    return cleaned


def _default_title(scenes: Sequence[SceneSpec]) -> str:
    return chapter_title(scenes[0].text, scenes[0].kind, 0)[:TITLE_MAX]


def create_lesson(
    *,
    settings: Settings,
    owner_id: int,
    scenes: Sequence[SceneSpec],
    title: str = "",
    quality: str = "preview",
    aspect: str = "16:9",
    narration: dict[str, Any] | None = None,
) -> LessonView:
    """A new lesson (state draft) of `scenes`; nothing renders until `render_lesson`."""
    cleaned = _clean_scenes(scenes)
    with outage_as_error(), session_scope(settings) as session:
        lesson = Lesson(
            owner_id=owner_id,
            title=(storable(title).strip() or _default_title(cleaned))[:TITLE_MAX],
            quality=quality,
            aspect=aspect,
            narration=narration,
            state="draft",
            chapters=[],
            join_note="",
        )
        session.add(lesson)
        session.flush()
        for position, spec in enumerate(cleaned):
            session.add(_scene_row(lesson.id, position, spec))
        lesson_id = lesson.id
    return get_lesson(settings=settings, lesson_id=lesson_id, owner_id=owner_id)


def start_from_prompt(
    *,
    settings: Settings,
    owner_id: int,
    prompt: str,
    quality: str = "preview",
    aspect: str = "16:9",
    narration: dict[str, Any] | None = None,
    backend: Backend | None = None,
) -> tuple[LessonView, list[Ask]] | None:
    """A prompt that asks for two or three things in turn, as a lesson of a scene per ask
    (each routed by the template engine with its own values), rendering; None when the
    prompt is one ask, to be made as one video."""
    found = asks(prompt)
    if found is None:
        return None
    lesson = create_lesson(
        settings=settings,
        owner_id=owner_id,
        scenes=[SceneSpec(text=ask.text, generator="offline") for ask in found],
        title=prompt,
        quality=quality,
        aspect=aspect,
        narration=narration,
    )
    view = render_lesson(settings=settings, lesson_id=lesson.id, owner_id=owner_id, backend=backend)
    return view, found


def _scene_row(lesson_id: str, position: int, spec: SceneSpec, job_id: str | None = None) -> Any:
    return LessonScene(
        lesson_id=lesson_id,
        position=position,
        kind=spec.kind,
        text=spec.text,
        generator=spec.generator if spec.kind == "prompt" else "auto",
        job_id=job_id,
    )


def _owned(session: Session, lesson_id: str, owner_id: int | None) -> Lesson:
    lesson = session.get(Lesson, lesson_id, options=[selectinload(Lesson.scenes)])
    if lesson is None or (owner_id is not None and lesson.owner_id != owner_id):
        raise LessonNotFound(not_found_message("lesson", lesson_id))
    return lesson


def set_scenes(
    *,
    settings: Settings,
    lesson_id: str,
    owner_id: int | None,
    scenes: Sequence[SceneSpec],
    title: str | None = None,
) -> LessonView:
    """Replace the lesson's scenes (added, removed, reordered or edited).

    A scene that is still the same (kind, text, generator) keeps its job wherever it moved,
    so the next render reuses its video; only new or changed scenes render again.
    """
    cleaned = _clean_scenes(scenes)
    with outage_as_error(), session_scope(settings) as session:
        lesson = _owned(session, lesson_id, owner_id)
        if lesson.state in ("rendering", "joining"):
            raise ChalkError(
                "validation", "The lesson is rendering; wait for it to finish, then change it."
            )
        kept: dict[tuple[str, str, str], list[str | None]] = {}
        for old in lesson.scenes:
            kept.setdefault((old.kind, old.text, old.generator), []).append(old.job_id)
        for old in list(lesson.scenes):
            session.delete(old)
        session.flush()  # the (lesson, position) pairs are free again
        for position, spec in enumerate(cleaned):
            generator = spec.generator if spec.kind == "prompt" else "auto"
            reusable = kept.get((spec.kind, spec.text, generator)) or [None]
            session.add(_scene_row(lesson.id, position, spec, job_id=reusable.pop(0)))
        if title is not None and title.strip():
            lesson.title = storable(title).strip()[:TITLE_MAX]
        lesson.state = "draft"
        lesson.error_message = None
        lesson.updated_at = utcnow()
    return get_lesson(settings=settings, lesson_id=lesson_id, owner_id=owner_id)


def _submit_kwargs(lesson: Lesson) -> dict[str, Any]:
    """The lesson's narration choices, passed to every scene's job."""
    return {"narration": NarrationOptions.from_json(lesson.narration)}


def render_lesson(
    *,
    settings: Settings,
    lesson_id: str,
    owner_id: int | None,
    backend: Backend | None = None,
) -> LessonView:
    """Render every scene that has no usable video (new, changed or failed), then follow.

    Scenes whose job succeeded (or is still running) are kept as they are.
    """
    with outage_as_error(), session_scope(settings) as session:
        lesson = _owned(session, lesson_id, owner_id)
        if lesson.state in ("rendering", "joining"):
            pass  # already on its way; refresh below submits what still waits
        else:
            for scene in lesson.scenes:
                job = scene.job
                if (
                    job is None
                    or job.state in ("failed", "cancelled")
                    or (job.state == "succeeded" and job.shown_video is None)
                ):
                    scene.job_id = None
            lesson.state = "rendering"
            lesson.error_message = None
            lesson.updated_at = utcnow()
    return refresh(settings=settings, lesson_id=lesson_id, owner_id=owner_id, backend=backend)


def _submit_waiting(settings: Settings, lesson_id: str, backend: Backend | None) -> str | None:
    """Submit the scenes that have no job yet, as far as the owner's quotas allow.

    Returns the sentence that ends the lesson (a scene refused), or None.
    """
    with session_scope(settings) as session:
        lesson = _owned(session, lesson_id, None)
        waiting = [
            (s.id, s.position, s.kind, s.text, s.generator)
            for s in lesson.scenes
            if s.job_id is None
        ]
        owner_id, quality, aspect = lesson.owner_id, lesson.quality, lesson.aspect
        try:
            extra = _submit_kwargs(lesson)
        except ChalkError as exc:
            return exc.message
        active = sum(1 for s in lesson.scenes if s.job and s.job.state in ACTIVE_STATES)
    for scene_id, position, kind, text, generator in waiting:
        try:
            view = jobs.submit(
                settings=settings,
                owner_id=owner_id,
                prompt=text if kind == "prompt" else None,
                code=text if kind == "code" else None,
                generator=generator if kind == "prompt" else "auto",
                quality=quality,
                aspect=aspect,
                backend=backend,
                **extra,
            )
        except ChalkError as exc:
            if exc.kind == "quota" and active:
                return None  # a running scene frees a slot; the next refresh submits more
            return f"Scene {position + 1} could not start: {exc.message}"
        active += 1
        with session_scope(settings) as session:
            session.execute(
                update(LessonScene).where(LessonScene.id == scene_id).values(job_id=view.job_id)
            )
    return None


def refresh(
    *,
    settings: Settings,
    lesson_id: str,
    owner_id: int | None,
    backend: Backend | None = None,
) -> LessonView:
    """Move a rendering lesson on: submit waiting scenes, fail it if a scene failed, and
    join the videos once every scene has one. Safe to call from many places at once (the
    page's poll, the CLI): only one caller wins the join."""
    with outage_as_error(), session_scope(settings) as session:
        state = _owned(session, lesson_id, owner_id).state
        if state == "joining":
            # A join that has said nothing for this long died with its process: join again.
            session.execute(
                update(Lesson)
                .where(
                    Lesson.id == lesson_id,
                    Lesson.state == "joining",
                    Lesson.updated_at < utcnow() - timedelta(seconds=STALE_JOIN_S),
                )
                .values(state="rendering", updated_at=utcnow()),
                execution_options={"synchronize_session": False},
            )
            state = session.scalar(select(Lesson.state).where(Lesson.id == lesson_id)) or state
    if state != "rendering":
        return get_lesson(settings=settings, lesson_id=lesson_id, owner_id=owner_id)
    refused = _submit_waiting(settings, lesson_id, backend)
    with outage_as_error(), session_scope(settings) as session:
        lesson = _owned(session, lesson_id, None)
        # A failed scene fails the lesson once the others have finished too, so their
        # videos are there to reuse when the teacher fixes that scene.
        busy = any(sc.job and sc.job.state in ACTIVE_STATES for sc in lesson.scenes)
        failed = refused or (None if busy else _first_failure(lesson))
        ready = all(
            s.job and s.job.state == "succeeded" and s.job.shown_video for s in lesson.scenes
        )
        if failed:
            session.execute(
                update(Lesson)
                .where(Lesson.id == lesson_id, Lesson.state == "rendering")
                .values(state="failed", error_message=failed, updated_at=utcnow())
            )
            ready = False
        elif ready:
            claimed = session.execute(
                update(Lesson)
                .where(Lesson.id == lesson_id, Lesson.state == "rendering")
                .values(state="joining", updated_at=utcnow()),
                execution_options={"synchronize_session": False},
            )
            ready = claimed.rowcount == 1  # type: ignore[attr-defined]
    if ready:
        _join(settings, lesson_id)
    return get_lesson(settings=settings, lesson_id=lesson_id, owner_id=owner_id)


def _first_failure(lesson: Lesson) -> str | None:
    for scene in lesson.scenes:
        job = scene.job
        if job is not None and job.state in ("failed", "cancelled"):
            title = chapter_title(scene.text, scene.kind, scene.position)
            why = job.error_message or "it did not render."
            name = f"Scene {scene.position + 1}"
            if scene.kind == "prompt":
                name += f" (“{title}”)"
            return f"{name} failed: {why}"
    return None


def _local_copy(storage: Storage, key: str, folder: Path, name: str) -> Path:
    path = storage.local_path(key)
    if path is not None and path.is_file():
        return path
    dest = folder / name
    storage.get_file(key, dest)
    return dest


def _join(settings: Settings, lesson_id: str) -> None:
    """Join the scene videos of a claimed lesson (state joining) and store the result."""
    with session_scope(settings) as session:
        lesson = _owned(session, lesson_id, None)
        parts = [
            (
                s.job.shown_video.storage_key,
                s.job.shown_video.thumbnail_key,
                chapter_title(s.text, s.kind, s.position),
                Description.from_json(s.job.shown_video.description),
            )
            for s in lesson.scenes
            if s.job is not None and s.job.shown_video is not None
        ]
        owner_id, title, quality, aspect = (
            lesson.owner_id,
            lesson.title,
            lesson.quality,
            lesson.aspect,
        )
        old_video = lesson.video_id
    storage = get_storage(settings)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(dir=settings.data_dir, prefix="lesson-") as tmp:
            folder = Path(tmp)
            clips = []
            for index, (key, _thumb, chapter, _desc) in enumerate(parts):
                local = _local_copy(storage, key, folder, f"{index}.mp4")
                vtt = None
                if storage.exists(captions_key(key)):
                    vtt = _local_copy(storage, captions_key(key), folder, f"{index}.vtt")
                clips.append(SceneClip(video=local, title=chapter, captions=vtt))
            joined = join_scenes(clips, folder / "lesson.mp4")
            digest = hashlib.sha256(joined.video.read_bytes()).hexdigest()
            video_key, thumb_key = f"lessons/{digest}.mp4", f"lessons/{digest}.png"
            storage.put_file(video_key, joined.video, "video/mp4")
            # A copy of the first scene's picture: the lesson's media is deleted on its own.
            storage.put_bytes(thumb_key, storage.read_bytes(parts[0][1]), "image/png")
            vtt_key = None
            if joined.captions is not None:
                vtt_key = captions_key(video_key)
                storage.put_file(vtt_key, joined.captions, "text/vtt")
    except (JoinError, StorageError, OSError) as exc:
        log.exception("lesson %s: join failed: %s", lesson_id, exc)
        with session_scope(settings) as session:
            session.execute(
                update(Lesson)
                .where(Lesson.id == lesson_id)
                .values(state="failed", error_message=JOIN_FAILED, updated_at=utcnow())
            )
        return
    description = _description([p[3] for p in parts], joined.chapters, joined.duration_s)
    now = utcnow()
    with session_scope(settings) as session:
        job = Job(
            owner_id=owner_id,
            prompt=title,
            generator=LESSON_GENERATOR,
            generator_used=LESSON_GENERATOR,
            quality=quality,
            aspect=aspect,
            state="succeeded",
            progress=1.0,
            created_at=now,
            started_at=now,
            finished_at=now,
        )
        session.add(job)
        session.flush()
        session.add(JobEvent(job_id=job.id, state="succeeded", detail="lesson joined"))
        video = Video(
            job_id=job.id,
            owner_id=owner_id,
            title=title,
            duration_s=joined.duration_s,
            width=joined.width,
            height=joined.height,
            size_bytes=joined.size_bytes,
            storage_key=video_key,
            thumbnail_key=thumb_key,
            visibility="private",
            description=description.to_json(),
        )
        session.add(video)
        session.flush()
        session.execute(
            update(Lesson)
            .where(Lesson.id == lesson_id)
            .values(
                state="succeeded",
                video_id=video.id,
                chapters=[c.to_json() for c in joined.chapters],
                captions_key=vtt_key,
                join_note=joined.note,
                updated_at=now,
            )
        )
    if old_video and old_video != video.id:
        _delete_video(settings, old_video)


def _delete_video(settings: Settings, video_id: str) -> None:
    """Delete a lesson's joined video, its captions and the job row that held it."""
    try:
        with session_scope(settings) as session:
            video = session.get(Video, video_id)
            if video is None:
                return
            key, job_id = video.storage_key, video.job_id
        jobs.delete_video(settings=settings, video_id=video_id)
        with session_scope(settings) as session:
            session.execute(delete(Job).where(Job.id == job_id, Job.generator == LESSON_GENERATOR))
        get_storage(settings).delete(captions_key(key))
    except (jobs.JobNotFound, StorageError):
        log.warning("lesson video %s: could not delete it", video_id, exc_info=True)


def _description(
    scenes: Sequence[Description | None], chapters: Sequence[Chapter], duration: float
) -> Description:
    """The lesson's text alternative: each scene's summary under its chapter, and every
    scene's timeline moved to where the scene starts."""
    summary, moments = [], []
    for number, (scene, chapter) in enumerate(zip(scenes, chapters, strict=True), 1):
        first = scene.summary[0] if scene and scene.summary else ""
        summary.append(f"Scene {number}, {chapter.title}: {first}".rstrip(": "))
        moments.append(Moment(round(chapter.start, 3), f"Scene {number}: {chapter.title}."))
        for moment in scene.moments if scene else []:
            moments.append(Moment(round(chapter.start + moment.t, 3), moment.text))
    return Description(summary=summary, moments=moments, duration=duration, source="observed")


def _view(lesson: Lesson) -> LessonView:
    scenes = []
    for scene in lesson.scenes:
        job = scene.job
        scenes.append(
            SceneView(
                position=scene.position,
                kind=scene.kind,
                text=scene.text,
                generator=scene.generator,
                title=chapter_title(scene.text, scene.kind, scene.position),
                job_id=scene.job_id,
                state=job.state if job is not None else "waiting",
                error=job.error_message if job is not None else None,
                video=job.shown_video.storage_key if job is not None and job.shown_video else None,
            )
        )
    video = lesson.video
    return LessonView(
        id=lesson.id,
        owner_id=lesson.owner_id,
        title=lesson.title,
        state=lesson.state,
        error=lesson.error_message,
        quality=lesson.quality,
        aspect=lesson.aspect,
        narration=lesson.narration,
        scenes=scenes,
        chapters=[Chapter(c["title"], c["start"], c["end"]) for c in lesson.chapters or []],
        video_id=lesson.video_id,
        video=video.storage_key if video else None,
        duration_s=video.duration_s if video else 0.0,
        captions=lesson.captions_key,
        note=lesson.join_note or "",
    )


def get_lesson(*, settings: Settings, lesson_id: str, owner_id: int | None) -> LessonView:
    """The lesson with its scenes' states; LessonNotFound unless `owner_id` owns it (None:
    any owner, for admins and the CLI)."""
    with session_scope(settings) as session:
        lesson = session.get(
            Lesson,
            lesson_id,
            options=[
                selectinload(Lesson.scenes).selectinload(LessonScene.job).selectinload(Job.video),
                selectinload(Lesson.video),
            ],
        )
        if lesson is None or (owner_id is not None and lesson.owner_id != owner_id):
            raise LessonNotFound(not_found_message("lesson", lesson_id))
        return _view(lesson)


def list_lessons(*, settings: Settings, owner_id: int, limit: int = 50) -> list[LessonView]:
    """The owner's lessons, newest first."""
    with session_scope(settings) as session:
        lessons = session.scalars(
            select(Lesson)
            .options(
                selectinload(Lesson.scenes).selectinload(LessonScene.job).selectinload(Job.video),
                selectinload(Lesson.video),
            )
            .where(Lesson.owner_id == owner_id)
            .order_by(Lesson.created_at.desc(), Lesson.id)
            .limit(limit)
        )
        return [_view(lesson) for lesson in lessons]


def chapters_by_video(*, settings: Settings, video_ids: Sequence[str]) -> dict[str, list[Chapter]]:
    """The chapters of those videos that are lessons (for the gallery's cards and player)."""
    if not video_ids:
        return {}
    with session_scope(settings) as session:
        rows = session.execute(
            select(Lesson.video_id, Lesson.chapters).where(Lesson.video_id.in_(list(video_ids)))
        ).all()
    return {
        video_id: [Chapter(c["title"], c["start"], c["end"]) for c in chapters or []]
        for video_id, chapters in rows
        if video_id
    }


def delete_lesson(*, settings: Settings, lesson_id: str, owner_id: int | None) -> None:
    """Delete the lesson and its joined video; the scenes' own videos stay in the gallery."""
    with session_scope(settings) as session:
        lesson = _owned(session, lesson_id, owner_id)
        video_id = lesson.video_id
        session.delete(lesson)
    if video_id:
        _delete_video(settings, video_id)
