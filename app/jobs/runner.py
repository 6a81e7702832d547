"""The job function: run one queued job to a stored video and a final state, exactly once.

`execute(job_id, settings, worker_id)` is what every backend calls (an RQ worker through
jobs.tasks.render, the inline pool directly). It is idempotent: a job that is final, or that
another execution owns, is left alone, so a job id delivered twice runs once.

While the job runs, a heartbeat thread writes `heartbeat_at` and the latest progress every
`heartbeat_s` and reads `cancel_requested`; a cancel sets the Event the sandbox watches, so a
running render is killed within about one heartbeat. Every write of the running execution is
conditional on the row still naming it as the worker (app.jobs.state), so a zombie whose job
the reconciler handed to another worker can no longer change it.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from app import versions
from app.cache import RenderCache
from app.db.engine import outage_as_error, session_scope
from app.db.models import FINAL_STATES, TITLE_MAX, Job, Video, utcnow
from app.errors import INTERNAL_MESSAGE, ChalkError, InfrastructureError
from app.jobs import state
from app.logs import log_context, update_log_context
from app.pipeline.job import run_job
from app.pipeline.stages import STORING
from app.settings import Settings
from app.speech.options import NarrationOptions
from app.storage import StorageError, get_storage

log = logging.getLogger(__name__)

Enqueue = Callable[[str, int, str], None]
"""How a released job is put back on the queue: (job_id, requeues, quality)."""


def worker_name() -> str:
    """This process's name in job rows: host and pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


def execute(
    job_id: str,
    settings: Settings,
    worker_id: str,
    *,
    cancel: threading.Event | None = None,
    enqueue: Enqueue | None = None,
) -> str | None:
    """Run job `job_id` if it is still waiting; returns its final state (None: not run here).

    `worker_id` names the worker; each execution adds its own token, so even the same
    worker running a re-queued job again is a different owner. `cancel` lets an in-process
    backend stop the job at once (the heartbeat also sets it from the database flag).
    `enqueue` re-queues the job if the execution fails for an infrastructure reason.
    """
    execution = f"{worker_id}/{uuid.uuid4().hex[:8]}"[:128]
    cancel = cancel or threading.Event()
    job = _claim(job_id, settings, execution)
    if job is None:
        return None
    heartbeat = Heartbeat(job_id, execution, settings, cancel)
    heartbeat.start()
    try:
        with log_context(job_id=job_id, user_id=job.owner_id):
            return _run_claimed(job, execution, settings, cancel, heartbeat)
    except Exception as exc:
        # The render itself never raises (run_job reports failures); this is the database, the
        # media store or a sandbox failing under us: an infrastructure failure, re-queued.
        log.exception("job %s: execution %s failed", job_id, execution)
        # The sentence shown if the re-queues are used up: what failed, in a teacher's words.
        if isinstance(exc, StorageError):
            message = state.STORE_FAILED_MESSAGE
        elif isinstance(exc, InfrastructureError):
            message = exc.message
        else:
            message = state.LOST_WORKER_MESSAGE
        reason = f"the worker failed: {exc!r}"[:500]
        _release(job_id, execution, settings, reason, enqueue, message)
        raise
    finally:
        heartbeat.stop()


def _claim(job_id: str, settings: Settings, execution: str) -> Job | None:
    """Take the queued job for this execution, or cancel it if that was asked before it ran."""
    with session_scope(settings) as session:
        job = session.get(Job, job_id)
        if job is None:
            log.warning("job %s does not exist (deleted?); nothing to run", job_id)
            return None
        if job.state in FINAL_STATES:
            log.info("job %s is already %s; not running it again", job_id, job.state)
            return None
        if job.state == "running":
            log.info("job %s is already running in %s; not running it twice", job_id, job.worker_id)
            return None
        now = utcnow()
        if job.cancel_requested:
            state.transition(
                session,
                job_id,
                from_states=("queued",),
                to_state="cancelled",
                detail="cancelled before it started",
                error_kind="cancelled",
                error_message=state.CANCELLED_MESSAGE,
                finished_at=now,
            )
            return None
        claimed = state.transition(
            session,
            job_id,
            from_states=("queued",),
            to_state="running",
            detail=f"started by {execution}",
            worker_id=execution,
            started_at=now,
            heartbeat_at=now,
            stage=None,
            progress=0.0,
        )
        if not claimed:
            log.info("job %s was taken or cancelled before this worker could start it", job_id)
            return None
        session.expunge(job)
        return job


class Heartbeat(threading.Thread):
    """Writes heartbeat_at and progress every heartbeat_s; turns a cancel flag into `cancel`."""

    def __init__(
        self, job_id: str, execution: str, settings: Settings, cancel: threading.Event
    ) -> None:
        super().__init__(name=f"chalk-heartbeat-{job_id[:8]}", daemon=True)
        self.job_id = job_id
        self.execution = execution
        self.settings = settings
        self.cancel = cancel
        self.progress = 0.0
        self.lost = False
        self._stopped = threading.Event()

    def stop(self) -> None:
        self._stopped.set()
        self.join(timeout=10)

    def run(self) -> None:
        while not self._stopped.wait(self.settings.heartbeat_s):
            try:
                self.beat()
            except Exception as exc:  # a database hiccup: the next beat tries again
                log.warning("job %s: heartbeat failed: %r", self.job_id, exc)

    def beat(self) -> None:
        with session_scope(self.settings) as session:
            changed = session.execute(
                update(Job)
                .where(
                    Job.id == self.job_id,
                    Job.worker_id == self.execution,
                    Job.state == "running",
                )
                .values(heartbeat_at=utcnow(), progress=round(self.progress, 4)),
                execution_options={"synchronize_session": False},
            )
            if changed.rowcount != 1:  # type: ignore[attr-defined]
                # Re-queued to another worker or finished elsewhere: stop working on it.
                if not self.lost:
                    log.warning("job %s: this worker no longer owns it; stopping", self.job_id)
                self.lost = True
                self.cancel.set()
                return
            wanted = session.scalar(select(Job.cancel_requested).where(Job.id == self.job_id))
        if wanted and not self.cancel.is_set():
            log.info("job %s: cancel requested; stopping the render", self.job_id)
            self.cancel.set()


def _run_claimed(
    job: Job, execution: str, settings: Settings, cancel: threading.Event, heartbeat: Heartbeat
) -> str | None:
    cache = RenderCache(get_storage(settings), settings)

    def on_stage(stage: str) -> None:
        # Raising here ends run_job at this point with the error's kind.
        if cancel.is_set():
            raise ChalkError("cancelled", state.CANCELLED_MESSAGE)
        update_log_context(stage=stage)
        if stage == STORING:
            heartbeat.progress = 1.0  # the accepted render is complete
        # A database outage here is Chalk's, not the job's: it ends the run as an
        # InfrastructureError, and the job is re-queued.
        with outage_as_error(), session_scope(settings) as session:
            owned = state.set_stage(session, job.id, execution, stage, heartbeat.progress)
        if not owned:
            cancel.set()
            raise ChalkError("cancelled", "This job was handed to another worker.")

    def on_progress(fraction: float) -> None:
        heartbeat.progress = fraction

    result = run_job(
        code=job.code if job.generator == "user" else None,
        prompt=job.prompt,
        generator="auto" if job.generator == "user" else job.generator,
        quality=job.quality,
        aspect=job.aspect,
        on_progress=on_progress,
        on_stage=on_stage,
        cancel=cancel,
        cache=cache,
        settings=settings,
        narration=NarrationOptions.from_json(job.narration),
    )
    record: dict[str, Any] = {
        "attempts": [attempt.to_json() for attempt in result.attempt_log],
        "layout_warnings": list(result.layout_warnings),
        "prompt_tokens": (result.usage or {}).get("prompt_tokens", 0),
        "completion_tokens": (result.usage or {}).get("completion_tokens", 0),
        # A copy of a version (app/versions.py) keeps what its submit carried over when the
        # code alone cannot say it (code no template made as it is).
        "generator_used": job.generator_used or result.generator,
        "template": result.template or job.template,
        "params": dict(result.params) if result.template else dict(job.params or {}),
        "code": result.code if result.code is not None else job.code,
        "cache_hit": result.cache_hit,
    }
    render_s = round(result.timings.get("render_s", 0.0), 3) or None
    # Chalk failed under the job (the media store, or a sandbox lost mid-render), not the job:
    # execute() gives it back to the queue, within max_requeues.
    if result.store_error is not None:
        if result.render is not None:  # a re-run renders again; keep no orphan files
            _remove_local(result.render.video, result.render.thumbnail)
        raise result.store_error
    if isinstance(result.error, InfrastructureError) and not cancel.is_set():
        raise result.error
    stored = result.stored
    if result.ok and result.render is not None and stored is not None and not cancel.is_set():
        record["progress"] = 1.0
        video = Video(
            job_id=job.id,
            owner_id=job.owner_id,
            title=_title(job, result.render.scene),
            duration_s=result.render.duration_s,
            width=result.render.width,
            height=result.render.height,
            size_bytes=result.render.size_bytes,
            storage_key=stored.video_key,
            thumbnail_key=stored.thumbnail_key,
            visibility="private",
            share_token=None,
            description=result.description.to_json() if result.description else None,
        )
        _remove_local(result.render.video, result.render.thumbnail)
        return _finish(
            job.id, execution, settings, "succeeded", record, video=video, render_s=render_s
        )
    if result.render is not None:
        _remove_local(result.render.video, result.render.thumbnail)
    error = result.error
    if cancel.is_set() and (error is None or error.kind in ("cancelled", "internal")):
        error = ChalkError("cancelled", state.CANCELLED_MESSAGE)
    if error is None:  # pragma: no cover - run_job always sets an error when not ok
        error = ChalkError("internal", INTERNAL_MESSAGE)
    if error.detail:
        log.info("job %s %s: %s", job.id, error.kind, error.detail[-2000:])
    record["error_kind"] = error.kind
    record["error_message"] = error.message
    record["error_suggestions"] = list(error.suggestions) or None
    final = "cancelled" if error.kind == "cancelled" else "failed"
    return _finish(job.id, execution, settings, final, record, render_s=render_s)


def _finish(
    job_id: str,
    execution: str,
    settings: Settings,
    final: str,
    record: dict[str, Any],
    *,
    video: Video | None = None,
    render_s: float | None = None,
) -> str | None:
    """Write the final state, only if this execution still owns the job."""
    with session_scope(settings) as session:
        written = state.transition(
            session,
            job_id,
            from_states=("running",),
            to_state=final,
            owned_by=execution,
            detail=record.get("error_kind"),
            render_s=render_s,
            stage=None,
            finished_at=utcnow(),
            heartbeat_at=utcnow(),
            **record,
        )
        if not written:
            log.warning(
                "job %s: result of %s dropped; the job was handed to another worker",
                job_id,
                execution,
            )
            session.rollback()
            return None
        if video is not None:
            job = session.get(Job, job_id)
            if job is not None:
                versions.add_video(session, job, video)
    log.info("job %s %s", job_id, final)
    return final


def _release(
    job_id: str,
    execution: str,
    settings: Settings,
    reason: str,
    enqueue: Enqueue | None,
    message: str,
) -> None:
    """Give a job whose execution failed back to the queue (or fail it), if it is still ours."""
    try:
        with session_scope(settings) as session:
            job = session.get(Job, job_id)
            if job is None or job.state != "running" or job.worker_id != execution:
                return
            released = state.release_lost_job(
                session, job, reason=reason, settings=settings, message=message
            )
        if released is not None and released.outcome == "requeued" and enqueue is not None:
            enqueue(job_id, released.requeues, released.quality)
    except Exception:
        # The reconciler finds the job by its silent heartbeat and does this instead.
        log.exception("job %s: could not release it after a failure", job_id)


def _title(job: Job, scene: str) -> str:
    text = " ".join((job.prompt or "").split()) or scene
    if len(text) <= TITLE_MAX:
        return text
    return text[: TITLE_MAX - 1].rsplit(" ", 1)[0] + "…"


def _remove_local(*paths: Path) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
        if path.suffix == ".mp4":  # a narrated video's captions beside it
            path.with_suffix(".captions.vtt").unlink(missing_ok=True)
