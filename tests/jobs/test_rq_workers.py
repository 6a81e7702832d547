"""RQ end to end: `chalk worker` subprocesses on the machine's Redis, rendering for real.

Covers a submit run by a worker, cancelling queued and running jobs, a worker SIGKILLed
mid-render (its job re-queued and finished by another worker, or failed when re-queues are
used up) and a Redis FLUSHDB with jobs queued.
"""

from __future__ import annotations

import ctypes
import os
import re
import signal
import time
import uuid
from pathlib import Path

import pytest
from rq import Queue, Worker
from sqlalchemy import select

from app.core.render import sized_for_concurrent_renders
from app.db.engine import session_scope
from app.db.models import Job, JobEvent
from app.jobs import service
from app.jobs.backends import InlineBackend, RQBackend
from app.settings import Settings
from jobs.worker import DEQUEUE_WAIT_S
from tests.helpers import make_user, wait_for
from tests.jobs.conftest import alive, descendants, job_processes, scene, spinning_scene

pytestmark = [pytest.mark.render, pytest.mark.xdist_group("redis")]

# A worker start runs the sandbox canaries (a few seconds) before it takes jobs.
START_S = 60


def view(settings: Settings, job_id: str) -> service.JobView:
    return service.status(settings=settings, job_id=job_id)


def wait_final(settings: Settings, job_id: str, timeout: float, worker=None) -> service.JobView:
    done = wait_for(lambda: (v := view(settings, job_id)).finished and v, timeout, every=0.2)
    if not done:
        log = worker.tail() if worker is not None else ""
        pytest.fail(f"job {job_id} is still {view(settings, job_id).state}:\n{log}")
    return done


def rq_queue(settings: Settings) -> Queue:
    return Queue(settings.queue_name, connection=RQBackend(settings).redis)


def workers_listening(settings: Settings, count: int) -> bool:
    backend = RQBackend(settings)
    return len(Worker.all(connection=backend.redis, queue=backend.queue)) >= count


def owner_pid(settings: Settings, job_id: str) -> int | None:
    """The pid of the worker process that runs the job (worker ids are host:pid/...)."""
    with session_scope(settings) as session:
        worker_id = session.get(Job, job_id).worker_id
    if not worker_id or not worker_id.startswith("chalk-"):
        return None
    # chalk-<host>-<pid>-<token>/<execution>
    return int(worker_id.split("/")[0].rsplit("-", 2)[1])


def test_a_burst_worker_runs_the_queued_job_and_never_the_cancelled_one(
    rq_sqlite_settings, start_worker
):
    """One worker start (canaries on) for both queue paths: a submitted job is queued in RQ and
    run; a job cancelled while queued is dequeued and never runs."""
    settings = rq_sqlite_settings.model_copy(update={"worker_selftest": True})
    owner = make_user(settings)
    keep = service.submit(settings=settings, owner_id=owner, code=scene("text_scene"))
    assert keep.state == "queued"
    assert rq_queue(settings).job_ids == [keep.job_id]
    drop = service.submit(settings=settings, owner_id=owner, code=scene("tracker_scene"))
    assert rq_queue(settings).job_ids == [keep.job_id, drop.job_id]
    outcome = service.cancel(settings=settings, job_id=drop.job_id)
    assert (outcome.state, outcome.accepted) == ("cancelled", True)
    assert rq_queue(settings).job_ids == [keep.job_id]
    worker = start_worker(settings, "--burst")
    assert worker.wait(timeout=180) == 0, worker.tail()
    done = view(settings, keep.job_id)
    assert done.state == "succeeded", (done.error, worker.tail())
    assert done.video and done.video_url and done.attempts == 1
    assert rq_queue(settings).job_ids == []
    assert "sandbox selftest passed" in worker.output()  # the canaries ran before any job
    with session_scope(settings) as session:
        job = session.get(Job, keep.job_id)
        assert job.worker_id.startswith(f"chalk-{os.uname().nodename}-{worker.pid}-")
        assert job.video is not None and (job.video.width, job.video.height) == (854, 480)
    dropped = view(settings, drop.job_id)
    assert dropped.state == "cancelled" and dropped.started_at is None
    assert dropped.video is None


def test_cancel_of_a_running_job_kills_its_render_in_the_worker(rq_sqlite_settings, start_worker):
    owner = make_user(rq_sqlite_settings)
    worker = start_worker(rq_sqlite_settings)
    job = service.submit(
        settings=rq_sqlite_settings, owner_id=owner, code=spinning_scene(150, uuid.uuid4().hex[:8])
    )

    def rendering() -> set:
        v = view(rq_sqlite_settings, job.job_id)
        return v.state == "running" and v.stage == "rendering" and job_processes(worker.pid)

    processes = wait_for(rendering, START_S + 30)
    assert processes, worker.tail()
    asked = time.monotonic()
    assert service.cancel(settings=rq_sqlite_settings, job_id=job.job_id).accepted
    done = wait_final(rq_sqlite_settings, job.job_id, 20, worker)
    # The heartbeat (every 0.5 s here) reads the flag and the sandbox is killed at once.
    assert time.monotonic() - asked < 5
    assert done.state == "cancelled"
    assert done.error == {"kind": "cancelled", "message": "The job was cancelled."}
    assert wait_for(lambda: not alive(processes), 5), alive(processes)
    assert job_processes(worker.pid) == set()
    assert worker.proc.poll() is None  # the worker carries on


def kill_the_owner_mid_render(settings: Settings, start_worker, seconds: int):
    """Two workers; the one rendering the job is SIGKILLed. Returns (job id, the other
    worker, kill time)."""
    owner = make_user(settings)
    workers = [start_worker(settings), start_worker(settings)]
    assert wait_for(lambda: workers_listening(settings, 2), START_S), workers[0].tail()
    job = service.submit(
        settings=settings, owner_id=owner, code=spinning_scene(seconds, uuid.uuid4().hex[:8])
    )

    def rendering():
        pid = owner_pid(settings, job.job_id)
        v = view(settings, job.job_id)
        return pid if v.stage == "rendering" and pid and job_processes(pid) else None

    pid = wait_for(rendering, 60)
    assert pid, [w.tail() for w in workers]
    victim = next(w for w in workers if w.pid == pid)
    survivor = next(w for w in workers if w.pid != pid)
    sandbox = descendants(victim.pid)
    assert job_processes(victim.pid)
    os.kill(victim.pid, signal.SIGKILL)  # the worker process itself, not its group
    killed_at = time.monotonic()
    victim.proc.wait(timeout=10)
    # bubblewrap's --die-with-parent takes the whole sandbox down with the worker.
    assert wait_for(lambda: not alive(sandbox), 10), alive(sandbox)
    return job.job_id, survivor, killed_at


def released(settings: Settings, job_id: str) -> bool:
    """Whether the lost execution no longer holds the job: re-queued (and maybe running
    again elsewhere already) or finished."""
    v = view(settings, job_id)
    return v.requeues > 0 or v.finished


def test_a_sigkilled_workers_job_is_requeued_and_finished_by_another(rq_settings, start_worker):
    job_id, survivor, killed_at = kill_the_owner_mid_render(rq_settings, start_worker, 40)
    wait_for(lambda: released(rq_settings, job_id), 30, every=0.1)
    lost_for = time.monotonic() - killed_at
    bound = rq_settings.stale_after_s + rq_settings.reconcile_every_s
    assert lost_for < bound + 2, f"lost for {lost_for:.1f} s:\n{survivor.tail()}"
    done = wait_final(rq_settings, job_id, 90, survivor)
    assert done.state == "succeeded", (done.error, survivor.tail())
    assert done.requeues == 1
    with session_scope(rq_settings) as session:
        job = session.get(Job, job_id)
        assert f"-{survivor.pid}-" in job.worker_id
        events = session.scalars(
            select(JobEvent).where(JobEvent.job_id == job_id).order_by(JobEvent.id)
        ).all()
        requeued = [e for e in events if e.state == "queued" and e.detail.startswith("re-queued")]
        assert len(requeued) == 1 and "no heartbeat from chalk-" in requeued[0].detail
        assert [e.state for e in events].count("running") >= 2


def test_a_sigkilled_workers_job_fails_when_requeues_are_used_up(rq_sqlite_settings, start_worker):
    settings = rq_sqlite_settings.model_copy(update={"max_requeues": 0})
    job_id, survivor, killed_at = kill_the_owner_mid_render(settings, start_worker, 40)
    wait_for(lambda: released(settings, job_id), 30, every=0.1)
    lost_for = time.monotonic() - killed_at
    assert lost_for < settings.stale_after_s + settings.reconcile_every_s + 2
    done = view(settings, job_id)
    assert done.state == "failed"
    assert done.error == {
        "kind": "internal",
        "message": "The computer rendering this animation stopped unexpectedly; please try again.",
    }
    assert done.video is None and done.requeues == 0
    assert survivor.proc.poll() is None


def test_jobs_queued_when_redis_is_flushed_are_enqueued_again(rq_sqlite_settings, start_worker):
    owner = make_user(rq_sqlite_settings)
    codes = [scene("text_scene"), scene("tracker_scene"), spinning_scene(2)]
    jobs = [
        service.submit(settings=rq_sqlite_settings, owner_id=owner, code=code) for code in codes
    ]
    RQBackend(rq_sqlite_settings).redis.flushdb()
    assert rq_queue(rq_sqlite_settings).job_ids == []
    # The reconciler trusts the queue for stale_after_s after a job was queued.
    time.sleep(rq_sqlite_settings.stale_after_s)
    worker = start_worker(rq_sqlite_settings, "--burst")
    assert worker.wait(timeout=240) == 0, worker.tail()
    for job in jobs:
        done = view(rq_sqlite_settings, job.job_id)
        assert done.state == "succeeded", (done.error, worker.tail())
    assert "enqueueing it again" in worker.output()


def test_worker_n_renders_in_parallel_and_stops_warmly_on_sigterm(rq_sqlite_settings, start_worker):
    settings = rq_sqlite_settings
    owner = make_user(settings)
    worker = start_worker(settings, "-n", "2")
    assert wait_for(lambda: workers_listening(settings, 2), START_S), worker.tail()
    children = {pid for pid, _ in descendants(worker.pid)}
    jobs = [
        service.submit(settings=settings, owner_id=owner, code=spinning_scene(30, str(i)))
        for i in range(2)
    ]

    def both_rendering() -> bool:
        return all(view(settings, job.job_id).stage == "rendering" for job in jobs)

    assert wait_for(both_rendering, 60), worker.tail()
    pids = {owner_pid(settings, job.job_id) for job in jobs}
    assert len(pids) == 2 and pids <= children  # two child processes, not the launcher
    # SIGTERM to the launcher: every worker finishes its job, then all of them exit.
    worker.proc.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=60) == 0, worker.tail()
    for job in jobs:
        assert view(settings, job.job_id).state == "succeeded", worker.tail()
    assert wait_for(lambda: not workers_listening(settings, 1), 10)


def stop_signal_takers(pid: int) -> list[int]:
    """The threads of process `pid`, other than its main one, that do not block SIGTERM."""
    takers = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        status = (task / "status").read_text()
        blocked = int(re.search(r"^SigBlk:\s*([0-9a-f]+)$", status, re.M).group(1), 16)
        if int(task.name) != pid and not blocked & (1 << (signal.SIGTERM - 1)):
            takers.append(int(task.name))
    return takers


def test_a_stop_signal_that_a_native_thread_takes_still_stops_an_idle_worker(
    rq_sqlite_settings, start_worker, monkeypatch
):
    """The kernel may hand a SIGTERM sent to the worker to any of its threads that does not
    block it. Chalk's own threads block it; OpenBLAS's native threads (one per extra core, as
    in production) cannot. The handler then runs only when the main thread next runs Python,
    so an idle worker, waiting in Redis for a job, must come back from that wait soon (with
    RQ's own wait, it stopped 405 s later)."""
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")  # tests/conftest.py sets 1
    worker = start_worker(rq_sqlite_settings)
    assert wait_for(lambda: workers_listening(rq_sqlite_settings, 1), START_S), worker.tail()
    takers = stop_signal_takers(worker.pid)
    assert takers, "only the main thread takes stop signals here: nothing to hand one to"
    libc = ctypes.CDLL(None, use_errno=True)
    assert libc.tgkill(worker.pid, takers[0], signal.SIGTERM) == 0, ctypes.get_errno()
    assert worker.wait(timeout=DEQUEUE_WAIT_S + 15) == 0, worker.tail()


def test_a_running_worker_recovers_after_redis_is_flushed_under_it(
    rq_sqlite_settings, start_worker
):
    owner = make_user(rq_sqlite_settings)
    worker = start_worker(rq_sqlite_settings)
    busy = service.submit(
        settings=rq_sqlite_settings, owner_id=owner, code=spinning_scene(60, uuid.uuid4().hex[:8])
    )
    assert wait_for(lambda: view(rq_sqlite_settings, busy.job_id).stage == "rendering", START_S)
    waiting = [
        service.submit(settings=rq_sqlite_settings, owner_id=owner, code=scene(name))
        for name in ("text_scene", "tracker_scene")
    ]
    RQBackend(rq_sqlite_settings).redis.flushdb()  # the busy job's RQ record goes too
    for job in [busy, *waiting]:
        done = wait_final(rq_sqlite_settings, job.job_id, 120, worker)
        assert done.state == "succeeded", (done.error, worker.tail())
    assert worker.proc.poll() is None, worker.output()


def test_n_workers_share_the_cpus_among_their_encoders(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    assert sized_for_concurrent_renders(Settings(), 1).encoder_threads == 2
    assert sized_for_concurrent_renders(Settings(), 2).encoder_threads == 1
    assert sized_for_concurrent_renders(Settings(encoder_threads=4), 2).encoder_threads == 4
    # The app's inline pool renders side by side in threads, and shares them the same way.
    inline = InlineBackend(Settings(inline_workers=2), reconcile=False)
    assert inline.settings.encoder_threads == 1
