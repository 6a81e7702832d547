"""Faults under running jobs: every job ends accounted for (succeeded, failed with a sentence,
or cancelled), none stuck, none run twice to completion, and the next job is served.

Here: a warm sandbox (zygote) killed mid-render (on an RQ worker: re-queued, finished on a
fresh sandbox, charged once; on the inline pool every time: failed after the re-queues; both
re-queue through runner.execute(enqueue=...)), a private Redis restarted under a worker (with its
data and empty), and PostgreSQL cut through a TcpProxy at submit and under a running job. (A
SIGKILLed worker and a flushed Redis are in test_rq_workers.py; bench/faults.py times them all.)
"""

from __future__ import annotations

import os
import signal
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.core import sandbox, warm
from app.core.render import SANDBOX_LOST_MESSAGE
from app.db.engine import DATABASE_DOWN_MESSAGE, session_scope
from app.db.models import Job, JobEvent, UsageEvent, Video, utcnow
from app.errors import ChalkError
from app.jobs import service, state
from app.jobs.backends import RQBackend
from app.pipeline.stages import STORING
from app.quotas import usage
from app.settings import Settings
from jobs.worker import worker_class
from tests.helpers import PrivateRedis, TcpProxy, make_user, wait_for
from tests.jobs.conftest import scene, spinning_scene
from tests.jobs.recording import RecordingBackend

pytestmark = pytest.mark.render


@pytest.fixture
def zygotes(monkeypatch: pytest.MonkeyPatch) -> list[warm.Zygote]:
    """Every warm sandbox a render ran in, in order."""
    seen: list[warm.Zygote] = []
    real_run = sandbox.run

    def recording_run(work: Path, **kwargs: Any) -> sandbox.Outcome:
        if kwargs.get("launcher") is not None:
            seen.append(kwargs["launcher"])
        return real_run(work, **kwargs)

    monkeypatch.setattr(sandbox, "run", recording_run)
    return seen


class ZygoteKiller(threading.Thread):
    """SIGKILLs the warm sandbox of each of the job's first `count` runs once it renders."""

    def __init__(self, settings: Settings, zygotes: list[warm.Zygote], count: int) -> None:
        super().__init__(daemon=True)
        self.settings, self.zygotes, self.count = settings, zygotes, count
        self.job_id: str | None = None
        self.killed_at: list[Any] = []

    def rendering(self, run: int) -> bool:
        """Run `run` (0-based) of the job has a warm sandbox and has drawn frames."""
        if self.job_id is None or len(self.zygotes) <= run:
            return False
        with session_scope(self.settings) as session:
            job = session.get(Job, self.job_id)
            return job is not None and job.requeues == run and job.progress > 0

    def run(self) -> None:
        for run in range(self.count):
            if not wait_for(lambda: self.rendering(run), 120, every=0.05):  # noqa: B023
                return
            self.killed_at.append(utcnow())
            os.killpg(self.zygotes[run].process.pid, signal.SIGKILL)


def submit_spinning(settings: Settings, killer: ZygoteKiller) -> str:
    owner = make_user(settings)
    code = spinning_scene(20, uuid.uuid4().hex[:8])
    killer.job_id = service.submit(settings=settings, owner_id=owner, code=code).job_id
    return killer.job_id


def wait_final(settings: Settings, job_id: str, timeout: float = 180) -> service.JobView:
    view = wait_for(
        lambda: (v := service.status(settings=settings, job_id=job_id)).finished and v, timeout
    )
    assert view, f"job {job_id} is still {service.status(settings=settings, job_id=job_id).state}"
    return view


def assert_ran_to_completion_once(settings: Settings, job_id: str, killer: ZygoteKiller) -> None:
    """Succeeded on a fresh sandbox after one re-queue, charged for that run alone."""
    done = service.status(settings=settings, job_id=job_id)
    assert done.state == "succeeded", done.error
    assert done.requeues == 1 and done.error is None
    assert len(killer.killed_at) == 1 and done.started_at > killer.killed_at[0]
    with session_scope(settings) as session:
        finished = session.scalars(
            select(UsageEvent.state).where(
                UsageEvent.job_id == job_id, UsageEvent.kind == "job_finished"
            )
        ).all()
        assert finished == ["succeeded"]  # no failure in the admins' statistics
        assert len(session.scalars(select(Video).where(Video.job_id == job_id)).all()) == 1
        details = session.scalars(select(JobEvent.detail).where(JobEvent.job_id == job_id)).all()
        assert sum(1 for d in details if d and d.startswith("re-queued")) == 1
        owner = session.get(Job, job_id).owner_id
    used = usage(settings=settings, user_id=owner)
    assert used.videos_today == 1
    # Render minutes count the finishing run only, not the one the sandbox was lost in.
    assert used.render_minutes_month * 60 == pytest.approx(
        (done.finished_at - done.started_at).total_seconds()
    )


def test_a_zygote_that_always_dies_fails_the_job_after_the_requeues_inline(
    sqlite_job_settings: Settings, zygotes: list[warm.Zygote]
) -> None:
    settings = sqlite_job_settings
    killer = ZygoteKiller(settings, zygotes, count=settings.max_requeues + 1)
    killer.start()
    job_id = submit_spinning(settings, killer)
    done = wait_final(settings, job_id)
    assert done.state == "failed"
    # The sandbox's own sentence, not a generic one: the teacher learns what failed.
    assert done.error == {"kind": "internal", "message": SANDBOX_LOST_MESSAGE}
    assert done.requeues == settings.max_requeues and done.video is None
    # The next job is served.
    owner = make_user(settings)
    code = spinning_scene(1, uuid.uuid4().hex[:8])
    after = service.submit(settings=settings, owner_id=owner, code=code)
    assert wait_final(settings, after.job_id).state == "succeeded"


@pytest.fixture
def restore_signals() -> Iterator[None]:
    """An in-process RQ worker installs its own stop-signal handlers."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def test_a_zygote_killed_mid_job_requeues_it_to_a_fresh_sandbox_on_rq(
    rq_sqlite_settings: Settings, zygotes: list[warm.Zygote], restore_signals: None
) -> None:
    settings = rq_sqlite_settings
    killer = ZygoteKiller(settings, zygotes, count=1)
    job_id = submit_spinning(settings, killer)
    killer.start()
    backend = RQBackend(settings)
    # A burst worker in this process: it runs the job, then the re-queued RQ job (-r1).
    worker_class(settings)([backend.queue], connection=backend.redis).work(burst=True)
    wait_final(settings, job_id, timeout=5)
    assert_ran_to_completion_once(settings, job_id, killer)
    assert zygotes[1] is not zygotes[0]


def test_submit_while_the_database_is_unreachable_says_so_and_writes_nothing(
    pg_behind_proxy: tuple[Settings, TcpProxy], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, proxy = pg_behind_proxy
    owner = make_user(settings)
    backend = RecordingBackend()
    code = scene("text_scene")
    proxy.cut()
    with pytest.raises(ChalkError) as down:
        service.submit(settings=settings, owner_id=owner, code=code, backend=backend)
    assert down.value.message == DATABASE_DOWN_MESSAGE
    proxy.restore()

    # Cut in the middle of the transaction: after the job row is written, before the commit.
    real_add_event = service.add_event

    def add_event_then_cut(*args: Any, **kwargs: Any) -> Any:
        event = real_add_event(*args, **kwargs)
        proxy.cut()
        return event

    monkeypatch.setattr(service, "add_event", add_event_then_cut)
    with pytest.raises(ChalkError) as cut:
        service.submit(settings=settings, owner_id=owner, code=code, backend=backend)
    assert cut.value.message == DATABASE_DOWN_MESSAGE
    monkeypatch.undo()
    proxy.restore()

    with session_scope(settings) as session:
        for table in (Job, JobEvent, UsageEvent):
            assert session.scalar(select(func.count()).select_from(table)) == 0, table
    assert backend.queued == []
    served = service.submit(settings=settings, owner_id=owner, code=code, backend=backend)
    assert served.state == "queued" and backend.queued == [(served.job_id, 0)]


def test_a_database_lost_under_a_running_job_requeues_it_once_it_is_back(
    pg_behind_proxy: tuple[Settings, TcpProxy],
    pg_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings, proxy = pg_behind_proxy  # Chalk's way to the database; the test looks directly
    real_set_stage = state.set_stage
    cuts: list[str] = []

    def set_stage_through_an_outage(*args: Any, **kwargs: Any) -> bool:
        if args[3] == STORING and not cuts:  # the render is done; the database goes away
            cuts.append(args[1])
            proxy.cut()
            try:
                return real_set_stage(*args, **kwargs)
            finally:
                proxy.restore()  # ...and is back a moment later
        return real_set_stage(*args, **kwargs)

    monkeypatch.setattr(state, "set_stage", set_stage_through_an_outage)
    owner = make_user(settings)
    job = service.submit(settings=settings, owner_id=owner, code=scene("text_scene"))
    done = wait_final(pg_settings, job.job_id)
    assert cuts == [job.job_id]
    assert done.state == "succeeded" and done.requeues == 1, done.error
    with session_scope(pg_settings) as session:
        finished = session.scalars(
            select(UsageEvent.state).where(UsageEvent.kind == "job_finished")
        ).all()
        assert finished == ["succeeded"]
        assert session.scalar(select(func.count()).select_from(Video)) == 1


def test_a_worker_serves_every_job_through_redis_restarts(
    sqlite_job_settings: Settings, private_redis: PrivateRedis, restore_signals: None
) -> None:
    """Redis restarted with one job running and two queued: once with its data, once empty.
    The worker runs in this process (the main thread, as RQ wants); a thread makes the faults."""
    settings = sqlite_job_settings.model_copy(update={"redis_url": private_redis.url})
    owner = make_user(settings)
    jobs: list[str] = []
    failures: list[BaseException] = []

    def restart_under_jobs() -> None:
        try:
            for keep in (True, False):
                token = uuid.uuid4().hex[:8]
                busy = service.submit(
                    settings=settings, owner_id=owner, code=spinning_scene(12, token)
                )
                assert wait_for(lambda: view(busy.job_id).progress > 0, 90)  # noqa: B023
                jobs.append(busy.job_id)
                for name in ("text_scene", "tracker_scene"):
                    jobs.append(
                        service.submit(settings=settings, owner_id=owner, code=scene(name)).job_id
                    )
                private_redis.restart(keep=keep)
                assert wait_for(lambda: all(view(j).finished for j in jobs), 90)
        except BaseException as exc:
            failures.append(exc)
        finally:
            if not worker_stopped.is_set():  # else SIGTERM would meet the default handler
                os.kill(os.getpid(), signal.SIGTERM)  # RQ's warm shutdown

    def view(job_id: str) -> service.JobView:
        return service.status(settings=settings, job_id=job_id)

    worker_stopped = threading.Event()
    threading.Thread(target=restart_under_jobs, daemon=True).start()
    backend = RQBackend(settings)
    try:
        worker_class(settings)([backend.queue], connection=backend.redis).work()
    finally:
        worker_stopped.set()
    assert not failures, failures
    for job_id in jobs:
        assert view(job_id).state == "succeeded", view(job_id).error
    with session_scope(settings) as session:
        finished = session.scalars(
            select(UsageEvent.job_id).where(UsageEvent.kind == "job_finished")
        ).all()
        assert sorted(finished) == sorted(jobs)  # each ran to completion exactly once
        # Every job shows a video; the second round's scenes repeat the first round's code, so
        # their identical renders are the first round's versions, not copies (app/versions.py).
        assert all(view(job_id).video_id for job_id in jobs)
        codes = {session.scalar(select(Job.code).where(Job.id == job_id)) for job_id in jobs}
        assert session.scalar(select(func.count()).select_from(Video)) == len(codes) == 4
