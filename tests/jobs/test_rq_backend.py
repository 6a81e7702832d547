"""The RQ backend against the machine's Redis (no rendering)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rq import Queue
from rq.job import Job as RQJob

from app.db.engine import session_scope
from app.db.models import Job, utcnow
from app.jobs import service
from app.jobs.backends import RQBackend, job_timeout_s, rq_job_id
from app.jobs.reconciler import reconcile
from tests.helpers import make_user

pytestmark = pytest.mark.xdist_group("redis")


def queue_of(backend: RQBackend) -> Queue:
    return Queue(backend.settings.queue_name, connection=backend.redis)


def test_enqueue_is_unique_per_job_and_requeue(rq_sqlite_settings):
    backend = RQBackend(rq_sqlite_settings)
    backend.enqueue("job1", 0, "preview")
    backend.enqueue("job1", 0, "preview")  # a racing reconciler or submit
    backend.enqueue("job1", 1, "preview")  # re-queued after its worker was lost
    assert queue_of(backend).job_ids == ["job1", "job1-r1"]
    rq_job = RQJob.fetch("job1", connection=backend.redis)
    assert rq_job.func_name == "jobs.tasks.render"
    assert rq_job.args == ("job1",)
    assert rq_job.timeout == job_timeout_s(rq_sqlite_settings, "preview")
    assert rq_job.retries_left is None  # retries are Chalk's, for lost workers only
    assert backend.holds([("job1", 0), ("job1", 1), ("job2", 0)]) == {"job1"}


def test_job_timeout_is_longer_than_everything_the_sandbox_allows(rq_sqlite_settings):
    settings = rq_sqlite_settings
    for quality, preset in settings.quality_presets.items():
        assert job_timeout_s(settings, quality) > preset.timeout_s * settings.max_attempts
    with_llm = settings.model_copy(update={"llm_model": "m"})
    preset = settings.quality_presets["preview"]
    llm_s = with_llm.llm_timeout_s * (with_llm.llm_max_retries + 1) * with_llm.max_attempts
    assert job_timeout_s(with_llm, "preview") > preset.timeout_s * with_llm.max_attempts + llm_s


def test_discard_takes_a_queued_job_off_the_queue(rq_sqlite_settings):
    backend = RQBackend(rq_sqlite_settings)
    backend.enqueue("job1", 0, "preview")
    backend.enqueue("job2", 0, "preview")
    backend.discard("job1", 0)
    assert queue_of(backend).job_ids == ["job2"]
    assert RQJob.fetch("job1", connection=backend.redis).get_status() == "canceled"
    backend.discard("missing", 0)  # nothing to do, no error


def test_a_flushed_redis_holds_nothing_and_enqueue_restores_it(rq_sqlite_settings):
    backend = RQBackend(rq_sqlite_settings)
    backend.enqueue("job1", 0, "preview")
    backend.redis.flushdb()
    assert backend.holds([("job1", 0)]) == set()
    backend.enqueue("job1", 0, "preview")
    assert queue_of(backend).job_ids == ["job1"]


def test_enqueue_replaces_a_leftover_rq_job_that_ended(rq_sqlite_settings):
    backend = RQBackend(rq_sqlite_settings)
    backend.enqueue("job1", 0, "preview")
    queue_of(backend).remove("job1")
    RQJob.fetch("job1", connection=backend.redis).set_status("failed")
    assert backend.holds([("job1", 0)]) == set()
    backend.enqueue("job1", 0, "preview")
    assert queue_of(backend).job_ids == ["job1"]
    assert RQJob.fetch("job1", connection=backend.redis).get_status() == "queued"
    assert rq_job_id("job1", 2) == "job1-r2"


def test_a_job_submitted_while_redis_is_down_is_enqueued_by_the_reconciler(rq_sqlite_settings):
    down = rq_sqlite_settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"})
    owner = make_user(down)
    view = service.submit(settings=down, owner_id=owner, prompt="a circle")
    assert view.state == "queued"  # safe in the database; the queue was unreachable
    with session_scope(down) as session:
        session.get(Job, view.job_id).created_at = utcnow() - timedelta(seconds=60)
    backend = RQBackend(rq_sqlite_settings)
    assert reconcile(rq_sqlite_settings, backend).reenqueued == [view.job_id]
    assert queue_of(backend).job_ids == [view.job_id]
