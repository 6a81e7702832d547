"""Jobs as the app and the CLI use them: submit, status, cancel, list, and deleting a video.

Plain functions with keyword-only arguments; none of them renders. `submit` writes the job
row (state queued) and hands its id to the backend; workers do the rest. Errors a teacher
can act on are ChalkErrors with one sentence; `JobNotFound` is for ids that do not exist.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, true, update
from sqlalchemy.orm import Session, joinedload, selectinload

from app import versions
from app.db.engine import outage_as_error, session_scope
from app.db.models import (
    ACTIVE_STATES,
    FINAL_STATES,
    LIBRARY_VISIBILITIES,
    Job,
    JobEvent,
    User,
    Video,
    utcnow,
)
from app.description import Description
from app.disk import require_free_space
from app.errors import ChalkError, not_found_message
from app.events import add_event
from app.generators import EMPTY_PROMPT, GENERATORS
from app.generators.offline import reading_of
from app.generators.select import llm_configured
from app.jobs import dispatch, state
from app.jobs.backends import get_backend
from app.jobs.queue import Backend
from app.logs import log_context
from app.quotas import check_submit
from app.settings import ASPECTS, QUALITIES, Settings
from app.speech.captions import captions_key
from app.speech.options import NarrationOptions
from app.storage import StorageError, get_storage
from app.text import storable

log = logging.getLogger(__name__)

PROMPT_MAX_CHARS = 2000
"""Longest prompt accepted (a prompt describes one short animation)."""


class JobNotFound(LookupError):
    """No job (or video) with this id, or not one the caller may see."""


@dataclass(frozen=True)
class JobView:
    """What `chalk status` and the app show about one job."""

    job_id: str
    state: str
    stage: str | None
    progress: float
    error: dict[str, Any] | None  # kind, message (and suggestions: template ids)
    prompt: str | None
    generator: str
    generator_used: str | None
    template: str | None
    quality: str
    aspect: str
    video_id: str | None
    video: str | None
    video_url: str | None
    thumbnail: str | None
    thumbnail_url: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    attempts: int
    attempt_log: list[dict[str, Any]] = field(default_factory=list)
    layout_warnings: list[str] = field(default_factory=list)
    cache_hit: bool = False
    cancel_requested: bool = False
    # Accepted, and waiting in the database for one of the owner's slots (state "queued").
    awaiting_slot: bool = False
    requeues: int = 0
    owner: str = ""
    description: Description | None = None
    params: dict[str, Any] = field(default_factory=dict)  # the template's values, if any
    # Parts of the prompt the template did not use, and the sentence that names them.
    unused: list[str] = field(default_factory=list)
    unused_note: str | None = None
    # The job's narration settings (None: silent) and, once narrated, its captions' key.
    narration: dict[str, Any] | None = None
    captions: str | None = None
    # The gallery item the job's video is (or will be) a version of, and its number.
    item_id: str | None = None
    version: int | None = None

    @property
    def finished(self) -> bool:
        return self.state in FINAL_STATES

    def to_json(self) -> dict[str, Any]:
        def iso(moment: datetime | None) -> str | None:
            return moment.isoformat() if moment is not None else None

        return {
            "job_id": self.job_id,
            "state": self.state,
            "stage": self.stage,
            "progress": round(self.progress, 4),
            "error": self.error,
            "prompt": self.prompt,
            "generator": self.generator,
            "generator_used": self.generator_used,
            "template": self.template,
            "params": self.params,
            "unused": self.unused,
            "quality": self.quality,
            "aspect": self.aspect,
            "video_id": self.video_id,
            "video": self.video,
            "video_url": self.video_url,
            "thumbnail": self.thumbnail,
            "thumbnail_url": self.thumbnail_url,
            "created_at": iso(self.created_at),
            "started_at": iso(self.started_at),
            "finished_at": iso(self.finished_at),
            "attempts": self.attempts,
            "attempt_log": self.attempt_log,
            "layout_warnings": self.layout_warnings,
            "cache_hit": self.cache_hit,
            "cancel_requested": self.cancel_requested,
            "awaiting_slot": self.awaiting_slot,
            "requeues": self.requeues,
            "owner": self.owner,
            "description": self.description.to_json() if self.description else None,
            "narration": self.narration,
            "captions": self.captions,
            "item_id": self.item_id,
            "version": self.version,
        }


def _validate(
    *,
    prompt: str | None,
    code: str | None,
    generator: str,
    quality: str,
    aspect: str,
    settings: Settings,
) -> None:
    def refuse(message: str) -> None:
        raise ChalkError("validation", message)

    if quality not in QUALITIES:
        refuse(f"Unknown quality '{quality}'; use {', '.join(QUALITIES)}.")
    if aspect not in ASPECTS:
        refuse(f"Unknown aspect '{aspect}'; use {', '.join(ASPECTS)}.")
    if generator not in GENERATORS:
        refuse(f"Unknown generator '{generator}'; use {', '.join(GENERATORS)}.")
    if code is not None and prompt:
        refuse("Give either a prompt or code, not both.")
    if code is not None:
        if not code.strip():
            refuse("The code is empty; paste a Manim scene to render.")
        if storable(code) != code:  # dropping characters would change the program
            refuse("The code contains a NUL byte or a broken character; remove it and try again.")
        size = len(code.encode("utf-8"))
        if size > settings.max_code_bytes:
            refuse(
                f"The code is {size // 1000} KB, more than the {settings.max_code_bytes // 1000}"
                " KB allowed; shorten the animation."
            )
    elif not prompt or not prompt.strip():
        refuse(EMPTY_PROMPT)
    elif len(prompt) > PROMPT_MAX_CHARS:
        refuse(f"The prompt is longer than {PROMPT_MAX_CHARS} characters; shorten it.")


def submit(
    *,
    settings: Settings,
    owner_id: int,
    prompt: str | None = None,
    code: str | None = None,
    generator: str = "auto",
    quality: str = "preview",
    aspect: str = "16:9",
    backend: Backend | None = None,
    remixed_from: str | None = None,
    narration: NarrationOptions | None = None,
    rate_limited: bool = True,
    item_id: str | None = None,
    change: str | None = None,
) -> JobView:
    """Accept a job for `owner_id`; ChalkError "validation" or "quota" if it is refused.

    The job goes on the queue at once if one of the owner's `concurrent_jobs` slots is free
    and none of their jobs waits; otherwise it waits in the database (`awaiting_slot`) and
    app.jobs.dispatch queues it when a slot frees up.

    `remixed_from` is the video a Library remix started from; it is recorded only if the
    owner may see that video (their own, or a school or public one), for the credit.
    `narration` (enabled) makes the worker speak the scene's narrate() sentences.
    `rate_limited=False` skips the submits-per-minute limit (the later jobs of one batch: a
    batch is one request); every other limit still applies.

    `item_id` (one of the owner's videos) makes the job's video a new version of that video's
    gallery item (app/versions.py), `change` saying what changed in words. The job keeps the
    item's prompt, and a copy (the same code, in another quality or aspect) also its
    template, values and generator, so it is found and filtered as the item is.

    The per-user limits hold under concurrent submits: the transaction first updates the
    owner's row (a row lock in PostgreSQL, the write lock in SQLite), so submits of one user
    count and insert one after another.
    """
    prompt = storable(prompt) if prompt is not None else None
    _validate(
        prompt=prompt,
        code=code,
        generator=generator,
        quality=quality,
        aspect=aspect,
        settings=settings,
    )
    require_free_space(settings)
    with outage_as_error(), session_scope(settings) as session:
        locked = session.execute(
            update(User).where(User.id == owner_id).values(username=User.username),
            execution_options={"synchronize_session": False},
        )
        if locked.rowcount != 1:  # type: ignore[attr-defined]
            raise JobNotFound(f"no user with id {owner_id}")
        owner = session.get(User, owner_id)
        assert owner is not None
        if owner.disabled:
            raise ChalkError(
                "validation", "Your account is disabled; ask your Chalk admin to enable it."
            )
        now = utcnow()
        uses_llm = code is None and (
            generator == "llm" or (generator == "auto" and llm_configured(settings))
        )
        check_submit(
            session, owner, settings, uses_llm=uses_llm, now=now, rate_limited=rate_limited
        )
        waits = not dispatch.may_start_now(session, owner, settings)
        source = _source_job(session, item_id, owner_id)
        job = Job(
            owner_id=owner_id,
            prompt=prompt.strip() if prompt else None,
            code=code,
            generator="user" if code is not None else generator,
            quality=quality,
            aspect=aspect,
            state="queued",
            created_at=now,
            awaiting_slot=waits,
            remixed_from=_remixable(session, remixed_from, owner_id),
            narration=narration.to_json() if narration and narration.enabled else None,
            change_note=storable(change)[:500] if item_id and change else None,
        )
        if item_id:
            job.item_id = versions.open_item(session, video_id=item_id, owner_id=owner_id)
            _inherit(job, source)
        session.add(job)
        session.flush()
        detail = f"submitted by {owner.username}"
        if waits:
            detail += f"; {dispatch.WAITING_WORDS}"
        session.add(JobEvent(job_id=job.id, state="queued", detail=detail))
        add_event(
            session,
            "generate_clicked",
            user_id=owner_id,
            job_id=job.id,
            generator=job.generator,
            quality=quality,
        )
        job_id, requeues = job.id, job.requeues
    with log_context(job_id=job_id, user_id=owner_id):
        if waits:
            log.info("job %s waits for a free slot (%s, %s)", job_id, quality, aspect)
        else:
            log.info("job %s queued (%s, %s)", job_id, quality, aspect)
            backend = backend or get_backend(settings)
            try:
                backend.enqueue(job_id, requeues, quality)
            except Exception:
                # Safe in the database; the reconciler enqueues it once the queue is back.
                log.exception("job %s: the queue is unreachable; the reconciler will retry", job_id)
    return status(settings=settings, job_id=job_id)


def _source_job(session: Session, video_id: str | None, owner_id: int) -> Job | None:
    """The job of the owner's video a new version starts from."""
    if not video_id:
        return None
    return session.scalar(
        select(Job)
        .join(Video, Video.job_id == Job.id)
        .where(Video.id == storable(video_id)[:32], Video.owner_id == owner_id)
    )


def _inherit(job: Job, source: Job | None) -> None:
    """A new version keeps its item's prompt; a copy (the very same code) also its template,
    values and generator, which the worker keeps when the code alone cannot say them."""
    if source is None:
        return
    job.prompt = job.prompt or source.prompt
    if job.code is not None and job.code == source.code:
        job.template, job.params = source.template, dict(source.params or {})
        job.generator_used = source.generator_used


def _remixable(session: Session, video_id: str | None, owner_id: int) -> str | None:
    if not video_id:
        return None
    return session.scalar(
        select(Video.id).where(
            Video.id == storable(video_id)[:32],
            or_(Video.owner_id == owner_id, Video.visibility.in_(LIBRARY_VISIBILITIES)),
        )
    )


JOB_WITH_VIDEO = (joinedload(Job.video), joinedload(Job.repeated), joinedload(Job.owner))
"""Load a job with what its view shows."""


def status(*, settings: Settings, job_id: str, owner_id: int | None = None) -> JobView:
    """The job's state, progress, error and video; JobNotFound for an unknown id.

    With `owner_id`, only that user's jobs are found.
    """
    with session_scope(settings) as session:
        # One query, not four: status is the API's most frequent call (clients poll it).
        job = session.get(Job, job_id, options=JOB_WITH_VIDEO)
        if job is None or (owner_id is not None and job.owner_id != owner_id):
            raise JobNotFound(not_found_message("job", job_id))
        video = job.shown_video
        owner = job.owner.username
    video_url = thumbnail_url = None
    if video is not None:
        storage = get_storage(settings)
        try:
            video_url = storage.url(video.storage_key)
            thumbnail_url = storage.url(video.thumbnail_key)
        except StorageError as exc:
            log.warning("job %s: no link to its video: %s", job_id, exc)
    return _view(job, video, owner, video_url, thumbnail_url)


def _view(
    job: Job, video: Video | None, owner: str, video_url: str | None, thumbnail_url: str | None
) -> JobView:
    error: dict[str, Any] | None = None
    if job.error_kind is not None:
        error = {"kind": job.error_kind, "message": job.error_message or ""}
        if job.error_suggestions:
            error["suggestions"] = list(job.error_suggestions)
    return JobView(
        job_id=job.id,
        state=job.state,
        stage=job.stage,
        progress=job.progress,
        error=error,
        prompt=job.prompt,
        generator=job.generator,
        generator_used=job.generator_used,
        template=job.template,
        params=dict(job.params or {}),
        quality=job.quality,
        aspect=job.aspect,
        video_id=video.id if video else None,
        video=video.storage_key if video else None,
        video_url=video_url,
        thumbnail=video.thumbnail_key if video else None,
        thumbnail_url=thumbnail_url,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        attempts=len(job.attempts or []),
        attempt_log=list(job.attempts or []),
        layout_warnings=list(job.layout_warnings or []),
        cache_hit=job.cache_hit,
        cancel_requested=job.cancel_requested,
        awaiting_slot=job.awaiting_slot and job.state == "queued",
        requeues=job.requeues,
        owner=owner,
        description=Description.from_json(video.description) if video else None,
        **_prompt_reading(job),
        narration=dict(job.narration) if job.narration else None,
        captions=captions_key(video.storage_key) if video and job.narration else None,
        item_id=(video.item_id or video.id) if video else job.item_id,
        version=video.version if video else None,
    )


def _prompt_reading(job: Job) -> dict[str, Any]:
    """What the template engine left unused in a prompt job's prompt, read again (the planner
    is deterministic): only when the job's code is the template's own for that prompt."""
    if job.generator == "user" or not job.prompt or not job.template:
        return {}
    if job.generator_used != f"offline:{job.template}":
        return {}
    reading = reading_of(job.prompt)
    if reading is None or reading.template_id != job.template:
        return {}
    return {"unused": list(reading.unused), "unused_note": reading.unused_note}


@dataclass(frozen=True)
class CancelOutcome:
    """What `cancel` did: `accepted` is False when the job had already finished."""

    job_id: str
    state: str
    accepted: bool
    message: str


def cancel(
    *,
    settings: Settings,
    job_id: str,
    owner_id: int | None = None,
    backend: Backend | None = None,
) -> CancelOutcome:
    """Cancel a job: a queued one never runs; a running one has its render killed.

    A queued job (or one waiting for a slot) is marked cancelled at once and taken off the
    queue, and a slot it held goes to the owner's next waiting job; a running one gets
    `cancel_requested`, which its worker's heartbeat turns into killing the sandbox, and the
    worker then records it as cancelled.
    """
    with session_scope(settings) as session:
        job = session.get(Job, job_id)
        if job is None or (owner_id is not None and job.owner_id != owner_id):
            raise JobNotFound(not_found_message("job", job_id))
        requeues, held_slot = job.requeues, not job.awaiting_slot
        session.execute(
            update(Job)
            .where(Job.id == job_id, Job.state.in_(ACTIVE_STATES))
            .values(cancel_requested=True),
            execution_options={"synchronize_session": False},
        )
        cancelled_now = state.transition(
            session,
            job_id,
            from_states=("queued",),
            to_state="cancelled",
            detail="cancelled while queued",
            error_kind="cancelled",
            error_message=state.CANCELLED_MESSAGE,
            finished_at=utcnow(),
        )
        session.flush()
        current = session.scalar(select(Job.state).where(Job.id == job_id))
        if current == "running":
            session.add(JobEvent(job_id=job_id, state="running", detail="cancel requested"))
    assert current is not None
    backend = backend or get_backend(settings)
    if cancelled_now:
        try:
            backend.discard(job_id, requeues)
        except Exception:
            # The worker that dequeues it finds it cancelled and does nothing.
            log.exception("job %s: could not take it off the queue", job_id)
        if held_slot:
            dispatch.dispatch_after(settings, backend, job_id)
        return CancelOutcome(job_id, "cancelled", True, "The job was cancelled.")
    if current == "running":
        backend.interrupt(job_id)
        return CancelOutcome(
            job_id, "running", True, "Cancel requested; the render is being stopped."
        )
    return CancelOutcome(job_id, current, False, f"The job already finished ({current}).")


def list_jobs(
    *,
    settings: Settings,
    owner_id: int,
    limit: int = 50,
    offset: int = 0,
    states: Sequence[str] | None = None,
) -> list[JobView]:
    """The user's jobs, newest first, only those in `states` if given (links to media are
    not made here; see `status`)."""
    in_states = Job.state.in_(states) if states else true()
    with session_scope(settings) as session:
        jobs = list(
            session.scalars(
                select(Job)
                .options(selectinload(Job.video), selectinload(Job.repeated), joinedload(Job.owner))
                .where(Job.owner_id == owner_id, in_states)
                .order_by(Job.created_at.desc(), Job.id)
                .limit(limit)
                .offset(offset)
            )
        )
        return [_view(job, job.shown_video, job.owner.username, None, None) for job in jobs]


def delete_video(*, settings: Settings, video_id: str, owner_id: int | None = None) -> None:
    """Delete a video with every version of its gallery item; media goes with the last video
    that refers to it (app/versions.py `unused_media`). JobNotFound for an unknown id.
    """
    with session_scope(settings) as session:
        video = session.get(Video, video_id)
        if video is None or (owner_id is not None and video.owner_id != owner_id):
            raise JobNotFound(not_found_message("video", video_id))
        for row in versions.versions_of(session, video):
            add_event(
                session, "video_deleted", user_id=row.owner_id, video_id=row.id, job_id=row.job_id
            )
        deleted = versions.drop_item(session, video)
        session.flush()
        unused = versions.unused_media(session, deleted)
    versions.remove_media(settings, unused)
