"""Fair dispatch (app.jobs.dispatch): accepted jobs wait in the database for a free slot of
their owner, and go on the queue round-robin across users as slots free up.

A fake renderer stands in for the pipeline (dispatch is the subject, not rendering): each job
"renders" until the test opens its gate, then ends failed without a video, which frees its slot
like any finish.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from app.db.engine import session_scope
from app.db.models import Job, JobEvent, User, utcnow
from app.errors import ChalkError
from app.jobs import dispatch as dispatch_module
from app.jobs import service
from app.jobs.backends import get_backend, shutdown_inline_pools
from app.jobs.dispatch import DISPATCHED, dispatch
from app.jobs.reconciler import reconcile
from app.pipeline.result import JobResult
from app.settings import RoleQuota, Settings
from tests.helpers import make_user, wait_for
from tests.jobs.conftest import _fast
from tests.jobs.recording import RecordingBackend

SLOTS = 2
"""The teachers' `concurrent_jobs` here (the pool has more threads than that)."""

ACCEPTED = 50
"""The teachers' `queued_jobs` here."""


def dispatch_settings(settings: Settings, slots: int | None = SLOTS) -> Settings:
    # Only the limits under test: the daily, monthly and per-minute ones would refuse a batch.
    teacher = RoleQuota(concurrent_jobs=slots, queued_jobs=ACCEPTED)
    return settings.model_copy(
        update={
            "quotas": {**settings.quotas, "teacher": teacher},
            "inline_workers": 4,
            "warm_pool": False,
        }
    )


@pytest.fixture
def fair(job_settings: Settings) -> Settings:
    """On SQLite and PostgreSQL (row locks and concurrent dispatchers differ)."""
    return dispatch_settings(job_settings)


@pytest.fixture
def fair_sqlite(sqlite_job_settings: Settings) -> Settings:
    """On SQLite only, for the 50-job tests whose subject is the order, not the database."""
    return dispatch_settings(sqlite_job_settings)


@pytest.fixture
def fair_pg(pg_settings: Settings) -> Iterator[Settings]:
    """On PostgreSQL only, for row locks (SQLite has one writer at a time by design)."""
    yield dispatch_settings(_fast(pg_settings, redis_url=None))
    shutdown_inline_pools(wait=True)


class FakeRenderer:
    """Replaces run_job: records which prompts run at once, and runs each until released."""

    def __init__(self, *, open_: bool = False) -> None:
        self.lock = threading.Lock()
        self.started: list[str] = []
        self.running: set[str] = set()
        self.most_at_once: dict[str, int] = {}  # per prompt prefix (the user)
        self.released: set[str] = set()
        self.open = open_

    def release(self, prompt: str | None = None) -> None:
        with self.lock:
            if prompt is None:
                self.open = True
            else:
                self.released.add(prompt)

    def __call__(self, *, prompt: str, cancel: threading.Event, **_: object) -> JobResult:
        user = prompt.split()[0]
        with self.lock:
            self.started.append(prompt)
            self.running.add(prompt)
            now = sum(1 for p in self.running if p.split()[0] == user)
            self.most_at_once[user] = max(self.most_at_once.get(user, 0), now)
        while not cancel.is_set():
            with self.lock:
                if self.open or prompt in self.released:
                    break
            time.sleep(0.01)
        with self.lock:
            self.running.discard(prompt)
        return JobResult(status="failed", error=ChalkError("render", "The fake render ended."))


@pytest.fixture
def renderer(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeRenderer]:
    fake = FakeRenderer()
    monkeypatch.setattr("app.jobs.runner.run_job", fake)
    yield fake
    fake.release()  # let the pool's threads end


def submit(settings: Settings, owner: int, prompt: str, backend=None) -> str:
    return service.submit(settings=settings, owner_id=owner, prompt=prompt, backend=backend).job_id


def rows(settings: Settings, owner: int) -> list[Job]:
    with session_scope(settings) as session:
        query = select(Job).where(Job.owner_id == owner).order_by(Job.created_at, Job.id)
        return list(session.scalars(query))


def dispatch_order(settings: Settings) -> list[str]:
    """The jobs that waited for a slot, in the order they were put on the queue."""
    with session_scope(settings) as session:
        query = select(JobEvent.job_id).where(JobEvent.detail == DISPATCHED).order_by(JobEvent.id)
        return list(session.scalars(query))


def finish(settings: Settings, *job_ids: str) -> None:
    """Mark jobs finished as a worker would (without dispatching anything)."""
    with session_scope(settings) as session:
        for job_id in job_ids:
            job = session.get(Job, job_id)
            job.state, job.finished_at = "succeeded", utcnow()


def test_a_batch_of_50_is_accepted_and_runs_two_at_a_time_in_order(fair_sqlite, renderer):
    fair = fair_sqlite
    teacher = make_user(fair, "heavy")
    ids = [submit(fair, teacher, f"heavy {i:02d}") for i in range(ACCEPTED)]
    jobs = rows(fair, teacher)
    assert [job.id for job in jobs] == ids
    assert all(job.state in ("queued", "running") for job in jobs)
    assert [job.awaiting_slot for job in jobs] == [False] * SLOTS + [True] * (ACCEPTED - SLOTS)
    views = [service.status(settings=fair, job_id=job_id) for job_id in ids]
    assert [v.awaiting_slot for v in views[SLOTS - 1 : SLOTS + 1]] == [False, True]
    assert views[-1].to_json()["awaiting_slot"] is True
    # The pool has 4 threads, but only the teacher's 2 slots' jobs run.
    assert wait_for(lambda: len(renderer.started) == SLOTS, 10)
    time.sleep(0.3)
    assert sorted(renderer.started) == ["heavy 00", "heavy 01"]  # started either way
    renderer.release("heavy 01")
    assert wait_for(lambda: len(renderer.started) == SLOTS + 1, 10)
    assert renderer.started[-1] == "heavy 02"  # the next one in submission order
    renderer.release()
    assert wait_for(lambda: all(j.state == "failed" for j in rows(fair, teacher)), 60)
    # Put on the queue strictly in submission order (two threads may start them either way).
    assert dispatch_order(fair) == ids[SLOTS:]
    assert sorted(renderer.started) == [f"heavy {i:02d}" for i in range(ACCEPTED)]
    assert renderer.most_at_once == {"heavy": SLOTS}
    assert not any(job.awaiting_slot for job in rows(fair, teacher))


def test_a_light_users_first_job_runs_while_a_heavy_batch_waits(fair, renderer):
    heavy, light = make_user(fair, "heavy"), make_user(fair, "light")
    for i in range(20):
        submit(fair, heavy, f"heavy {i:02d}")
    assert wait_for(lambda: len(renderer.started) == SLOTS, 10)
    job_id = submit(fair, light, "light 00")
    # The heavy batch is blocked; the light job still starts, behind none of its 18 waiting.
    assert wait_for(lambda: "light 00" in renderer.started, 10), renderer.started
    # The heavy user's two slots were taken by its first two jobs (two pool threads may start
    # them either way), and the light job came next.
    assert sorted(renderer.started[:SLOTS]) == ["heavy 00", "heavy 01"]
    assert renderer.started[SLOTS:] == ["light 00"]
    renderer.release("light 00")
    view = wait_for(lambda: (v := service.status(settings=fair, job_id=job_id)).finished and v, 10)
    assert view and view.state == "failed"


def test_on_the_queue_the_light_job_is_behind_the_heavy_users_slots_not_the_batch(
    sqlite_job_settings,
):
    job_settings = sqlite_job_settings
    # Old policy (every accepted job goes on the queue) against the new one, same submissions.
    for slots, light_position in ((None, 20), (SLOTS, SLOTS)):
        settings = dispatch_settings(job_settings, slots)
        backend = RecordingBackend()
        heavy = make_user(settings, f"heavy{slots}")
        light = make_user(settings, f"light{slots}")
        for i in range(20):
            submit(settings, heavy, f"heavy {i}", backend)
        job_id = submit(settings, light, "light", backend)
        assert [queued for queued, _ in backend.queued].index(job_id) == light_position


def test_freed_slots_go_round_robin_across_users(fair):
    backend = RecordingBackend()
    ada, bob = make_user(fair, "ada"), make_user(fair, "bob")
    ada_ids = [submit(fair, ada, f"ada {i}", backend) for i in range(5)]
    bob_ids = [submit(fair, bob, f"bob {i}", backend) for i in range(5)]
    assert [job_id for job_id, _ in backend.queued] == ada_ids[:2] + bob_ids[:2]
    # All four finish before anyone dispatches (the reconciler's pass after a restart).
    finish(fair, *ada_ids[:2], *bob_ids[:2])
    backend.queued.clear()
    assert dispatch(fair, backend) == [ada_ids[2], bob_ids[2], ada_ids[3], bob_ids[3]]
    assert [job_id for job_id, _ in backend.queued] == [
        ada_ids[2],
        bob_ids[2],
        ada_ids[3],
        bob_ids[3],
    ]
    assert dispatch(fair, backend) == []  # every slot is taken again


def test_racing_dispatchers_never_give_a_user_more_than_their_slots(fair):
    backend = RecordingBackend()
    teacher = make_user(fair)
    ids = [submit(fair, teacher, f"c {i}", backend) for i in range(8)]
    finish(fair, *ids[:SLOTS])  # two slots free, and six jobs waiting for them
    start = threading.Barrier(6)
    dispatched: list[str] = []
    lock = threading.Lock()

    def one_dispatcher() -> None:
        start.wait(timeout=30)
        got = dispatch(fair, backend, [teacher])
        with lock:
            dispatched.extend(got)

    threads = [threading.Thread(target=one_dispatcher) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert dispatched == ids[SLOTS : 2 * SLOTS]
    assert [job.awaiting_slot for job in rows(fair, teacher)].count(True) == 8 - 2 * SLOTS


def test_a_pass_over_every_user_holds_one_users_lock_at_a_time(fair_pg, monkeypatch):
    """The reconciler's pass over every user with waiting jobs: while it claims one user's
    slots, the users it has done (and those it has not reached) can submit. A pass that held
    every row lock until its end made every teacher's submit wait for it under load."""
    fair = fair_pg
    backend = RecordingBackend()
    ada, bob = make_user(fair, "ada"), make_user(fair, "bob")
    ada_ids = [submit(fair, ada, f"ada {i}", backend) for i in range(3)]
    bob_ids = [submit(fair, bob, f"bob {i}", backend) for i in range(3)]
    finish(fair, *ada_ids[:SLOTS], *bob_ids[:SLOTS])
    in_bobs_claim, go_on = threading.Event(), threading.Event()
    real_claim = dispatch_module.claim_owner_slots

    def slow_claim(session, settings, owner_id):
        claim = real_claim(session, settings, owner_id)
        if owner_id == bob:  # the pass is inside Bob's transaction, after Ada's
            in_bobs_claim.set()
            go_on.wait(30)
        return claim

    monkeypatch.setattr(dispatch_module, "claim_owner_slots", slow_claim)
    passing = threading.Thread(target=dispatch, args=(fair, backend))
    passing.start()
    try:
        assert in_bobs_claim.wait(30)
        with session_scope(fair) as session:  # Ada's row, as her next submit locks it
            session.execute(text("SET LOCAL lock_timeout = '2s'"))
            session.execute(update(User).where(User.id == ada).values(username=User.username))
    finally:
        go_on.set()
        passing.join(30)
    assert dispatch_order(fair) == [ada_ids[2], bob_ids[2]]


def test_the_51st_job_is_refused_with_a_sentence_and_a_cancel_makes_room(fair_sqlite):
    fair = fair_sqlite
    backend = RecordingBackend()
    teacher = make_user(fair)
    ids = [submit(fair, teacher, f"circle {i}", backend) for i in range(ACCEPTED)]
    with pytest.raises(ChalkError) as refused:
        submit(fair, teacher, "one too many", backend)
    assert refused.value.kind == "quota"
    assert refused.value.message == (
        "You already have 50 animations waiting or in progress, the most allowed; wait for "
        "some to finish (or cancel some), then try again."
    )
    assert len(rows(fair, teacher)) == ACCEPTED
    service.cancel(settings=fair, job_id=ids[-1], backend=backend)
    submit(fair, teacher, "now there is room", backend)


def test_a_users_own_override_of_the_accepted_jobs(fair):
    teacher = make_user(fair)
    with session_scope(fair) as session:
        session.get(User, teacher).queued_jobs_quota = 3
    for i in range(3):
        submit(fair, teacher, f"circle {i}", RecordingBackend())
    with pytest.raises(ChalkError, match="You already have 3 animations waiting"):
        submit(fair, teacher, "circle 3", RecordingBackend())


def test_cancelling_a_waiting_job_means_it_never_runs(fair):
    backend = RecordingBackend()
    teacher = make_user(fair)
    first, second, waiting, last = (submit(fair, teacher, f"c {i}", backend) for i in range(4))
    outcome = service.cancel(settings=fair, job_id=waiting, backend=backend)
    assert (outcome.state, outcome.accepted) == ("cancelled", True)
    assert [job_id for job_id, _ in backend.queued] == [first, second]  # no slot was freed
    # Cancelling a job that held a slot hands the slot on, past the cancelled one.
    service.cancel(settings=fair, job_id=first, backend=backend)
    assert [job_id for job_id, _ in backend.queued] == [second, last]
    assert service.status(settings=fair, job_id=waiting).state == "cancelled"


def test_a_crash_and_a_flushed_queue_lose_no_waiting_job(fair):
    backend = RecordingBackend()
    teacher = make_user(fair)
    ids = [submit(fair, teacher, f"c {i}", backend) for i in range(5)]
    long_ago = utcnow() - timedelta(seconds=fair.stale_after_s * 3)
    with session_scope(fair) as session:
        for i, job_id in enumerate(ids):  # in the order they were submitted
            job = session.get(Job, job_id)
            job.created_at = job.heartbeat_at = long_ago + timedelta(milliseconds=i)
        # The first job's worker was killed mid-render.
        crashed = session.get(Job, ids[0])
        crashed.state, crashed.worker_id, crashed.started_at = "running", "host:1/dead", long_ago
    backend.forget_all()  # and Redis lost its queue

    report = reconcile(fair, backend)
    assert (report.requeued, report.reenqueued, report.dispatched) == ([ids[0]], [ids[1]], [])
    assert sorted(job_id for job_id, _ in backend.queued) == sorted(ids[:2])
    jobs = rows(fair, teacher)
    assert [(j.state, j.awaiting_slot) for j in jobs[2:]] == [("queued", True)] * 3

    # A worker finishes and dies before dispatching: the next pass hands the slot on.
    finish(fair, ids[0])
    assert reconcile(fair, backend).dispatched == [ids[2]]
    assert [j.state for j in rows(fair, teacher)] == ["succeeded"] + ["queued"] * 4


def test_the_inline_pool_dispatches_as_jobs_finish_through_its_own_backend(fair, renderer):
    teacher = make_user(fair)
    backend = get_backend(fair)
    ids = [submit(fair, teacher, f"t {i}") for i in range(4)]
    renderer.release()
    assert wait_for(lambda: all(j.finished_at for j in rows(fair, teacher)), 30)
    assert dispatch_order(fair) == ids[SLOTS:]
    assert backend.holds([(job_id, 0) for job_id in ids]) == set()


@pytest.mark.xdist_group("redis")
def test_rq_workers_run_waiting_jobs_as_slots_free(rq_sqlite_settings, monkeypatch):
    from rq import SimpleWorker

    from app.jobs.backends import RQBackend
    from jobs import tasks

    settings = dispatch_settings(rq_sqlite_settings, slots=1)
    fake = FakeRenderer(open_=True)
    monkeypatch.setattr("app.jobs.runner.run_job", fake)
    monkeypatch.setitem(tasks._configured, "settings", settings)
    monkeypatch.setitem(tasks._configured, "worker_id", "test-rq")
    teacher = make_user(settings)
    ids = [submit(settings, teacher, f"rq {i}") for i in range(4)]
    backend = RQBackend(settings)
    assert backend.queue.job_ids == [ids[0]]  # the rest wait in the database, not in Redis
    # One burst worker: each finished job puts the owner's next one on the queue.
    SimpleWorker([backend.queue], connection=backend.redis).work(burst=True)
    assert [job.state for job in rows(settings, teacher)] == ["failed"] * 4
    assert fake.started == [f"rq {i}" for i in range(4)]
